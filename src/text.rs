//! Text handed over by a host as one UTF-8 buffer holding several strings back to back, with
//! each string's length in UTF-16 units (what JS counts): checked and split without copying.

use crate::error::InputError;

/// The byte offset in `text` after `units` UTF-16 units (`None` past the end or inside a
/// character).
fn byte_offset(text: &str, units: usize, ascii: bool) -> Option<usize> {
    if ascii {
        return (units <= text.len()).then_some(units);
    }
    let mut counted = 0usize;
    for (at, c) in text.char_indices() {
        if counted == units {
            return Some(at);
        }
        counted += c.len_utf16();
    }
    (counted == units).then_some(text.len())
}

/// Splits the first `written` bytes of the region into fields of the given UTF-16 lengths (the
/// last field takes the rest). `ascii`: every unit is one byte.
pub fn split<const N: usize>(
    region: &[u8],
    written: u32,
    lengths: [u32; N],
    ascii: bool,
) -> Result<([&str; N], &str), InputError> {
    let text = region
        .get(..written as usize)
        .and_then(|bytes| std::str::from_utf8(bytes).ok())
        .ok_or(InputError::BadText)?;
    let mut fields = [""; N];
    let mut rest = text;
    for (field, units) in fields.iter_mut().zip(lengths) {
        let at = byte_offset(rest, units as usize, ascii).ok_or(InputError::BadText)?;
        let (head, tail) = rest.split_at(at);
        *field = head;
        rest = tail;
    }
    Ok((fields, rest))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_ascii_and_unicode_by_utf16_lengths() {
        let region = "nameinputoutput".as_bytes();
        let ([a, b], c) = split(region, 15, [4, 5], true).unwrap();
        assert_eq!((a, b, c), ("name", "input", "output"));
        let text = "é😀xyz";
        let ([a, b], c) = split(text.as_bytes(), text.len() as u32, [1, 2], false).unwrap();
        assert_eq!((a, b, c), ("é", "😀", "xyz"));
        assert_eq!(
            split(text.as_bytes(), text.len() as u32, [2], false).unwrap_err(),
            InputError::BadText
        );
        assert_eq!(split(b"ab", 3, [1], true).unwrap_err(), InputError::BadText);
    }
}
