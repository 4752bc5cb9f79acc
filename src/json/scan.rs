//! Validates JSON text, splits a JSON object into its top-level members (keys decoded, values
//! left as raw text) or an array into its items (all on `tokens`), and decodes a string
//! literal's contents.

use std::borrow::Cow;

use super::tokens::{walk_all, Stop, Token, Validate, Visit};

/// Why text is not what was expected.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScanError {
    /// Not valid JSON.
    Syntax,
    /// Valid JSON, but not an object.
    NotObject,
}

impl From<Stop> for ScanError {
    fn from(_: Stop) -> Self {
        ScanError::Syntax
    }
}

/// Checks that `text` is exactly one JSON value (surrounding whitespace allowed).
pub fn validate(text: &str) -> Result<(), ScanError> {
    Ok(walk_all(text, &mut Validate)?)
}

/// Checks that `text` is one JSON object.
pub fn validate_object(text: &str) -> Result<(), ScanError> {
    validate(text)?;
    if text
        .trim_start_matches([' ', '\t', '\n', '\r'])
        .starts_with('{')
    {
        Ok(())
    } else {
        Err(ScanError::NotObject)
    }
}

/// One member of an object: its decoded key and its value's raw JSON text.
pub type Member<'a> = (Cow<'a, str>, Cow<'a, str>);

/// Collects the children of the top-level container: each one's key (objects) and raw text.
struct Children<'a> {
    text: &'a str,
    /// Whether the top-level value is the expected container.
    expected: bool,
    object: bool,
    key: Option<Token>,
    /// Where the child container being read starts.
    child_start: usize,
    out: Vec<(Option<Token>, &'a str)>,
}

impl Visit for Children<'_> {
    #[inline]
    fn open(&mut self, object: bool, start: usize, depth: usize) -> bool {
        match depth {
            0 => self.expected = object == self.object,
            1 => self.child_start = start,
            _ => {}
        }
        true
    }

    #[inline]
    fn close(&mut self, _object: bool, end: usize, depth: usize) {
        if depth == 1 {
            self.out
                .push((self.key.take(), &self.text[self.child_start..end]));
        }
    }

    #[inline]
    fn key(&mut self, key: Token, depth: usize) {
        if depth == 1 {
            self.key = Some(key);
        }
    }

    #[inline]
    fn scalar(&mut self, value: Token, depth: usize) {
        if depth == 1 {
            self.out
                .push((self.key.take(), &self.text[value.start..value.end]));
        }
    }
}

/// The top-level children of `text`, which must be an object (`object`) or an array.
fn children(text: &str, object: bool) -> Result<Vec<(Option<Token>, &str)>, ScanError> {
    let mut children = Children {
        text,
        expected: false,
        object,
        key: None,
        child_start: 0,
        out: Vec::new(),
    };
    walk_all(text, &mut children)?;
    if children.expected {
        Ok(children.out)
    } else {
        Err(ScanError::NotObject)
    }
}

/// Splits a JSON object into its members, in order, without copying values.
pub fn object_members(text: &str) -> Result<Vec<Member<'_>>, ScanError> {
    Ok(children(text, true)?
        .into_iter()
        .map(|(key, value)| {
            let key = key.map_or(Cow::Borrowed(""), |key| {
                let body = &text[key.start + 1..key.end - 1];
                if key.escaped {
                    Cow::Owned(unescape(body))
                } else {
                    Cow::Borrowed(body)
                }
            });
            (key, Cow::Borrowed(value))
        })
        .collect())
}

/// Splits a JSON array into its items' raw text, in order, without copying.
pub fn array_items(text: &str) -> Result<Vec<&str>, ScanError> {
    Ok(children(text, false)?
        .into_iter()
        .map(|(_, value)| value)
        .collect())
}

/// The UTF-16 code units of a validated string literal's contents, escapes decoded (lone
/// surrogates kept, as a JS string keeps them).
pub fn string_units(body: &str) -> Vec<u16> {
    let mut out = Vec::with_capacity(body.len());
    let mut chars = body.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            let mut buffer = [0u16; 2];
            out.extend_from_slice(c.encode_utf16(&mut buffer));
            continue;
        }
        let unit = match chars.next() {
            Some('u') => {
                let hex: String = chars.by_ref().take(4).collect();
                u16::from_str_radix(&hex, 16).unwrap_or(0xfffd)
            }
            Some('b') => 0x08,
            Some('f') => 0x0c,
            Some('n') => 0x0a,
            Some('r') => 0x0d,
            Some('t') => 0x09,
            Some(other) => other as u16,
            None => 0xfffd,
        };
        out.push(unit);
    }
    out
}

/// The text of a validated string literal's contents, escapes decoded straight into UTF-8;
/// `None` when it holds a lone surrogate (no UTF-8 text can).
pub fn decoded(body: &str) -> Option<String> {
    let hex = |text: Option<&str>| text.and_then(|digits| u32::from_str_radix(digits, 16).ok());
    let mut out = String::with_capacity(body.len());
    let mut rest = body;
    while let Some(at) = rest.find('\\') {
        out.push_str(&rest[..at]);
        let (decoded, len) = match rest.as_bytes().get(at + 1)? {
            b'u' => {
                let unit = hex(rest.get(at + 2..at + 6))?;
                match unit {
                    0xd800..=0xdbff => {
                        let low = rest
                            .get(at + 6..at + 8)
                            .filter(|next| *next == "\\u")
                            .and_then(|_| hex(rest.get(at + 8..at + 12)))
                            .filter(|low| (0xdc00..=0xdfff).contains(low))?;
                        (
                            char::from_u32(0x10000 + ((unit - 0xd800) << 10) + (low - 0xdc00))?,
                            12,
                        )
                    }
                    0xdc00..=0xdfff => return None,
                    _ => (char::from_u32(unit)?, 6),
                }
            }
            b'b' => ('\u{8}', 2),
            b'f' => ('\u{c}', 2),
            b'n' => ('\n', 2),
            b'r' => ('\r', 2),
            b't' => ('\t', 2),
            &other => (char::from(other), 2),
        };
        out.push(decoded);
        rest = rest.get(at + len..)?;
    }
    out.push_str(rest);
    Some(out)
}

/// The text of a validated JSON value when it is a string literal (escapes decoded, lone
/// surrogates as U+FFFD); `None` for any other value.
pub fn string_value(raw: &str) -> Option<Cow<'_, str>> {
    let body = raw.strip_prefix('"')?.strip_suffix('"')?;
    Some(if body.contains('\\') {
        Cow::Owned(unescape(body))
    } else {
        Cow::Borrowed(body)
    })
}

/// Decodes the escapes of a validated string literal's contents (lone surrogates become U+FFFD).
fn unescape(body: &str) -> String {
    String::from_utf16_lossy(&string_units(body))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Valid JSON texts (other modules' tests check their walkers against `validate` with them).
    pub(crate) const VALID: &[&str] = &[
        "0",
        "-0",
        "1.5",
        "-12.5e+3",
        "1E5",
        "1e-7",
        "true",
        "false",
        "null",
        "\"\"",
        " \"a\\u00e9\\n\" ",
        "[]",
        "{}",
        "[1,[2,[3,{}]],\"x\"]",
        "{\"a\":{\"b\":[null,true]},\"c\":-1}",
        "{ \"k\" : [ 1 , 2 ] }",
        "\"é😀\"",
        "[[[[[[]]]]]]",
    ];
    /// Invalid JSON texts.
    pub(crate) const INVALID: &[&str] = &[
        "",
        " ",
        "01",
        "1.",
        ".5",
        "-",
        "1e",
        "+1",
        "tru",
        "nul",
        "[1,]",
        "{\"a\":1,}",
        "{\"a\"}",
        "{a:1}",
        "[1 2]",
        "\"unterminated",
        "\"bad\\x\"",
        "\"\\u12\"",
        "\"tab\there\"",
        "{} {}",
        "[",
        "]",
        "{\"a\":}",
        "[1]]",
        "{\"a\":1]",
        "NaN",
        "Infinity",
    ];

    #[test]
    fn validity_agrees_with_serde_json() {
        for text in VALID {
            assert_eq!(validate(text), Ok(()), "{text}");
            assert!(
                serde_json::from_str::<serde_json::Value>(text).is_ok(),
                "serde: {text}"
            );
        }
        for text in INVALID {
            assert_eq!(validate(text), Err(ScanError::Syntax), "{text}");
            assert!(
                serde_json::from_str::<serde_json::Value>(text).is_err(),
                "serde: {text}"
            );
        }
    }

    #[test]
    fn lone_surrogate_escapes_pass_through() {
        // JSON.stringify writes lone surrogates as escapes; serde_json refuses them, we keep them.
        assert_eq!(validate(r#""\ud800""#), Ok(()));
        assert_eq!(validate(r#"{"k":"\udc00x"}"#), Ok(()));
    }

    #[test]
    fn deep_nesting_does_not_recurse() {
        let deep = "[".repeat(200_000) + &"]".repeat(200_000);
        assert_eq!(validate(&deep), Ok(()));
        let unbalanced = "[".repeat(200_000);
        assert_eq!(validate(&unbalanced), Err(ScanError::Syntax));
    }

    #[test]
    fn members_keep_order_raw_values_and_decode_keys() {
        let members = object_members(r#" {"b":1.50, "a\u00e9":{"x":[1, 2]},"_p":"s\n"} "#).unwrap();
        let pairs: Vec<(&str, &str)> = members
            .iter()
            .map(|(k, v)| (k.as_ref(), v.as_ref()))
            .collect();
        assert_eq!(
            pairs,
            [("b", "1.50"), ("aé", r#"{"x":[1, 2]}"#), ("_p", r#""s\n""#)]
        );
        assert!(object_members("{}").unwrap().is_empty());
        assert_eq!(object_members("[1]").unwrap_err(), ScanError::NotObject);
        assert_eq!(
            object_members("{\"a\":1} x").unwrap_err(),
            ScanError::Syntax
        );
        assert_eq!(object_members("{\"a\":1").unwrap_err(), ScanError::Syntax);
        assert_eq!(validate_object("[]"), Err(ScanError::NotObject));
    }

    #[test]
    fn arrays_split_into_raw_items() {
        assert_eq!(
            array_items(r#" [1, "a,b", {"x":[2]} ,null] "#).unwrap(),
            ["1", r#""a,b""#, r#"{"x":[2]}"#, "null"]
        );
        assert!(array_items("[]").unwrap().is_empty());
        assert_eq!(array_items("{}").unwrap_err(), ScanError::NotObject);
        assert_eq!(array_items("[1,]").unwrap_err(), ScanError::Syntax);
    }

    #[test]
    fn string_contents_decode_like_serde_json() {
        for body in [
            "plain",
            r#"q\"\\\/"#,
            r"\u00e9\n\t\r\b\f",
            r"\ud83d\ude00 emoji",
            "é漢😀 raw",
            r"\u0000",
        ] {
            let theirs: String = serde_json::from_str(&format!("\"{body}\"")).unwrap();
            assert_eq!(decoded(body).as_deref(), Some(theirs.as_str()), "{body}");
        }
        assert_eq!(decoded(r"\ud800x"), None);
        assert_eq!(decoded(r"\udc00"), None);
        assert_eq!(decoded(r"\ud800\u0041"), None);
    }

    #[test]
    fn keys_decode_like_serde_json() {
        for key in [
            "plain",
            "q\\\"",
            "\\u00e9\\n",
            "\\ud83d\\ude00",
            "\\/\\b\\f\\r\\t",
        ] {
            let text = format!("{{\"{key}\":0}}");
            let ours = object_members(&text).unwrap();
            let theirs: serde_json::Map<String, serde_json::Value> =
                serde_json::from_str(&text).unwrap();
            assert_eq!(ours[0].0.as_ref(), theirs.keys().next().unwrap(), "{key}");
        }
        let lone = object_members(r#"{"\ud800x":0}"#).unwrap();
        assert_eq!(lone[0].0.as_ref(), "\u{fffd}x");
    }

    /// A small deterministic generator of JSON documents, checked against serde_json.
    fn generate(seed: &mut u64, depth: u32, out: &mut String) {
        *seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let pick = (*seed >> 33) % if depth > 4 { 5 } else { 7 };
        match pick {
            0 => out.push_str("null"),
            1 => out.push_str(if *seed & 1 == 0 { "true" } else { "false" }),
            2 => out.push_str(&format!("{}", (*seed >> 20) as i64 % 100_000 - 50_000)),
            3 => out.push_str(&format!("{:e}", (*seed >> 11) as f64 / 7.0)),
            4 => {
                out.push_str(&serde_json::to_string(&format!("s{}\u{e9}\n\"", *seed % 97)).unwrap())
            }
            5 => {
                out.push('[');
                for i in 0..(*seed >> 40) % 4 {
                    if i > 0 {
                        out.push(',');
                    }
                    generate(seed, depth + 1, out);
                }
                out.push(']');
            }
            _ => {
                out.push('{');
                for i in 0..(*seed >> 40) % 4 {
                    if i > 0 {
                        out.push(',');
                    }
                    out.push_str(&format!("\"k{i}\":"));
                    generate(seed, depth + 1, out);
                }
                out.push('}');
            }
        }
    }

    #[test]
    fn generated_documents_and_their_corruptions_agree_with_serde_json() {
        let mut seed = 42u64;
        for _ in 0..2_000 {
            let mut doc = String::new();
            generate(&mut seed, 0, &mut doc);
            assert_eq!(validate(&doc), Ok(()), "{doc}");
            let cut = doc
                .char_indices()
                .nth((seed % doc.chars().count().max(1) as u64) as usize)
                .map_or(0, |(i, _)| i);
            for corrupt in [&doc[..cut], &format!("{}]", &doc)] {
                let ours = validate(corrupt).is_ok();
                let theirs = serde_json::from_str::<serde_json::Value>(corrupt).is_ok();
                assert_eq!(ours, theirs, "{corrupt}");
            }
        }
    }
}
