//! The ingest request body: `{"data":[item,...]}` around already-serialized items.

use std::collections::TryReserveError;

/// Wraps items already joined by commas (`item,item`) as `{"data":[item,item]}`. Fails only
/// if memory for the body cannot be reserved (the caller counts the failure).
pub fn ingest_body(joined_items: &[u8]) -> Result<Vec<u8>, TryReserveError> {
    const OPEN: &[u8] = b"{\"data\":[";
    const CLOSE: &[u8] = b"]}";
    let mut body = Vec::new();
    body.try_reserve_exact(OPEN.len() + joined_items.len() + CLOSE.len())?;
    body.extend_from_slice(OPEN);
    body.extend_from_slice(joined_items);
    body.extend_from_slice(CLOSE);
    Ok(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_items() {
        assert_eq!(
            ingest_body(br#"{"a":1},{"b":2}"#).unwrap(),
            br#"{"data":[{"a":1},{"b":2}]}"#
        );
        assert_eq!(ingest_body(b"").unwrap(), br#"{"data":[]}"#);
    }
}
