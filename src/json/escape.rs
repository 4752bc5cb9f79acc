//! Writes a string as a JSON string literal with exactly the escapes `JSON.stringify` uses, or
//! passes on a literal the host made (`JsonStr`).

use crate::error::InputError;
use crate::json::scan::validate;
// Which bytes need an escape: control characters, `"` and `\`.
use crate::json::tokens::SPECIAL_IN_STRING as NEEDS_ESCAPE;

const HEX: &[u8; 16] = b"0123456789abcdef";

/// The escape for a byte that needs one, if any (`"`, `\`, and control characters).
fn escape_of(byte: u8) -> Option<&'static [u8]> {
    Some(match byte {
        b'"' => b"\\\"",
        b'\\' => b"\\\\",
        b'\n' => b"\\n",
        b'\r' => b"\\r",
        b'\t' => b"\\t",
        0x08 => b"\\b",
        0x0c => b"\\f",
        0x00..=0x1f => b"\\u00",
        _ => return None,
    })
}

/// A string an item holds: text (escaped when written), or a JSON string literal, quotes
/// included, written as it is. The host hands over as a literal the text UTF-8 cannot carry: a
/// JS string with a lone UTF-16 surrogate, which `JSON.stringify` writes as `\udXXX`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JsonStr<'a> {
    /// The string itself.
    Text(&'a str),
    /// The string as a JSON string literal (checked by `JsonStr::literal`).
    Literal(&'a str),
}

impl<'a> JsonStr<'a> {
    /// A JSON string literal from the host, if it is one (quotes included, escapes valid).
    pub fn literal(text: &'a str) -> Result<Self, InputError> {
        let is_string = text.starts_with('"') && validate(text).is_ok();
        is_string
            .then_some(JsonStr::Literal(text))
            .ok_or(InputError::BadJsonLiteral)
    }

    /// The host's text: the string itself, or its JSON literal.
    pub fn as_raw(&self) -> &'a str {
        match *self {
            JsonStr::Text(text) | JsonStr::Literal(text) => text,
        }
    }

    /// Its length in bytes as the host handed it (a size hint).
    pub fn len(&self) -> usize {
        self.as_raw().len()
    }

    /// Whether the string is empty (a literal never is: it has its quotes).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl<'a> From<&'a str> for JsonStr<'a> {
    fn from(text: &'a str) -> Self {
        JsonStr::Text(text)
    }
}

/// Appends `value` as a JSON string: text escaped as `JSON.stringify` does, a literal as it is.
pub fn write_json_str(out: &mut Vec<u8>, value: JsonStr<'_>) {
    match value {
        JsonStr::Text(text) => write_str(out, text),
        JsonStr::Literal(literal) => out.extend_from_slice(literal.as_bytes()),
    }
}

/// Appends `"text"` to `out`, escaped as `JSON.stringify` does.
pub fn write_str(out: &mut Vec<u8>, text: &str) {
    let bytes = text.as_bytes();
    out.reserve(bytes.len() + 2);
    out.push(b'"');
    let mut clean_from = 0;
    for (at, &byte) in bytes.iter().enumerate() {
        if !NEEDS_ESCAPE[usize::from(byte)] {
            continue;
        }
        let Some(escape) = escape_of(byte) else {
            continue;
        };
        out.extend_from_slice(&bytes[clean_from..at]);
        out.extend_from_slice(escape);
        if escape == b"\\u00" {
            out.push(HEX[usize::from(byte >> 4)]);
            out.push(HEX[usize::from(byte & 0xf)]);
        }
        clean_from = at + 1;
    }
    out.extend_from_slice(&bytes[clean_from..]);
    out.push(b'"');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn escaped(text: &str) -> String {
        let mut out = Vec::new();
        write_str(&mut out, text);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn matches_json_stringify() {
        // Expected values are what V8's JSON.stringify prints.
        assert_eq!(escaped("plain"), r#""plain""#);
        assert_eq!(escaped("q\"b\\s/"), r#""q\"b\\s/""#);
        assert_eq!(escaped("\n\r\t\u{8}\u{c}"), r#""\n\r\t\b\f""#);
        assert_eq!(
            escaped("\u{0}\u{1}\u{1f}\u{7f}"),
            "\"\\u0000\\u0001\\u001f\u{7f}\""
        );
        assert_eq!(escaped("é漢😀\u{2028}"), "\"é漢😀\u{2028}\"");
    }

    #[test]
    fn literals_pass_through_once_checked() {
        // What JSON.stringify gives for "a\ud800b" (a lone surrogate).
        let literal = JsonStr::literal(r#""a\ud800b""#).unwrap();
        let mut out = Vec::new();
        write_json_str(&mut out, literal);
        write_json_str(&mut out, JsonStr::Text("q\""));
        assert_eq!(out, br#""a\ud800b""q\"""#);
        for bad in ["a", r#""open"#, r#""x" 1"#, "[1]", r#""\q""#, ""] {
            assert_eq!(
                JsonStr::literal(bad),
                Err(InputError::BadJsonLiteral),
                "{bad}"
            );
        }
    }

    #[test]
    fn agrees_with_serde_json_on_every_byte_value() {
        for code in 0u32..0x800 {
            let text: String = char::from_u32(code)
                .into_iter()
                .chain("x".chars())
                .collect();
            assert_eq!(
                escaped(&text),
                serde_json::to_string(&text).unwrap(),
                "U+{code:04X}"
            );
        }
    }
}
