//! Trace, span and group ids in the Agents SDK's formats (`trace_` + 32 hex, `span_` + 24 hex,
//! `group_` + 24 hex), and the seeded generator that makes them.

use crate::error::InputError;

/// A trace id: 128 random bits, written `trace_` + 32 lowercase hex digits.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TraceId(pub [u8; 16]);

/// A span id: 96 random bits, written `span_` + 24 lowercase hex digits.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SpanId(pub [u8; 12]);

/// Length of a formatted trace id (`trace_` + 32 hex).
pub const TRACE_ID_LEN: usize = 6 + 32;
/// Length of a formatted span id (`span_` + 24 hex).
pub const SPAN_ID_LEN: usize = 5 + 24;
/// Length of a formatted group id (`group_` + 24 hex).
pub const GROUP_ID_LEN: usize = 6 + 24;

const HEX: &[u8; 16] = b"0123456789abcdef";

fn hex_digit(byte: u8) -> Option<u8> {
    match byte {
        b'0'..=b'9' => Some(byte - b'0'),
        b'a'..=b'f' => Some(byte - b'a' + 10),
        _ => None,
    }
}

/// Parses `prefix` + 2*N lowercase hex digits into N bytes.
fn parse_prefixed<const N: usize>(text: &str, prefix: &str) -> Option<[u8; N]> {
    let hex = text.strip_prefix(prefix)?.as_bytes();
    if hex.len() != 2 * N {
        return None;
    }
    let mut out = [0u8; N];
    for (slot, pair) in out.iter_mut().zip(hex.chunks_exact(2)) {
        *slot = (hex_digit(pair[0])? << 4) | hex_digit(pair[1])?;
    }
    Some(out)
}

/// A formatted id held inline (no allocation), readable as `&str`.
#[derive(Clone, Copy)]
pub struct IdText<const N: usize>([u8; N]);

impl<const N: usize> IdText<N> {
    /// The id as text.
    pub fn as_str(&self) -> &str {
        // Only ASCII prefixes and hex digits are ever written.
        std::str::from_utf8(&self.0).unwrap_or_default()
    }
}

fn format_prefixed<const N: usize>(prefix: &[u8], bytes: &[u8]) -> IdText<N> {
    let mut out = [0u8; N];
    out[..prefix.len()].copy_from_slice(prefix);
    for (pair, byte) in out[prefix.len()..].chunks_exact_mut(2).zip(bytes) {
        pair[0] = HEX[usize::from(byte >> 4)];
        pair[1] = HEX[usize::from(byte & 0xf)];
    }
    IdText(out)
}

fn words_to_bytes<const W: usize, const N: usize>(words: [u32; W]) -> [u8; N] {
    let mut out = [0u8; N];
    for (chunk, word) in out.chunks_exact_mut(4).zip(words) {
        chunk.copy_from_slice(&word.to_be_bytes());
    }
    out
}

fn bytes_to_words<const N: usize, const W: usize>(bytes: &[u8; N]) -> [u32; W] {
    let mut out = [0u32; W];
    for (word, chunk) in out.iter_mut().zip(bytes.chunks_exact(4)) {
        *word = u32::from_be_bytes([chunk[0], chunk[1], chunk[2], chunk[3]]);
    }
    out
}

impl TraceId {
    /// Parses `trace_` + 32 lowercase hex digits.
    pub fn parse(text: &str) -> Result<Self, InputError> {
        parse_prefixed(text, "trace_")
            .map(TraceId)
            .ok_or(InputError::BadTraceId)
    }

    /// The id as `trace_<32 hex>`.
    pub fn text(self) -> IdText<TRACE_ID_LEN> {
        format_prefixed(b"trace_", &self.0)
    }

    /// The id as four 32-bit words, most significant first (how ids cross the wasm boundary).
    pub fn to_words(self) -> [u32; 4] {
        bytes_to_words(&self.0)
    }

    /// The id from four 32-bit words, most significant first.
    pub fn from_words(words: [u32; 4]) -> Self {
        TraceId(words_to_bytes(words))
    }
}

impl SpanId {
    /// Parses `span_` + 24 lowercase hex digits.
    pub fn parse(text: &str) -> Result<Self, InputError> {
        parse_prefixed(text, "span_")
            .map(SpanId)
            .ok_or(InputError::BadSpanId)
    }

    /// The id as `span_<24 hex>`.
    pub fn text(self) -> IdText<SPAN_ID_LEN> {
        format_prefixed(b"span_", &self.0)
    }

    /// The id as three 32-bit words, most significant first.
    pub fn to_words(self) -> [u32; 3] {
        bytes_to_words(&self.0)
    }

    /// The id from three 32-bit words, most significant first.
    pub fn from_words(words: [u32; 3]) -> Self {
        SpanId(words_to_bytes(words))
    }
}

/// Makes random ids from a fast PRNG (wyrand) seeded once by the host, at first use: Workers
/// forbid random values at module load, so nothing is drawn before the first id is needed.
#[derive(Default)]
pub struct IdGenerator {
    rng: Option<fastrand::Rng>,
}

impl IdGenerator {
    /// A generator that asks for its seed at first use.
    pub fn new() -> Self {
        Self::default()
    }

    /// Whether the generator has been seeded.
    pub fn is_seeded(&self) -> bool {
        self.rng.is_some()
    }

    /// Seeds the generator (the host calls this with 64 bits of entropy before the first id).
    pub fn seed(&mut self, seed: u64) {
        self.rng = Some(fastrand::Rng::with_seed(seed));
    }

    fn bytes<const N: usize>(&mut self) -> Result<[u8; N], InputError> {
        let rng = self.rng.as_mut().ok_or(InputError::NotSeeded)?;
        let mut out = [0u8; N];
        for chunk in out.chunks_mut(8) {
            let len = chunk.len();
            chunk.copy_from_slice(&rng.u64(..).to_le_bytes()[..len]);
        }
        Ok(out)
    }

    /// A new random trace id.
    pub fn trace_id(&mut self) -> Result<TraceId, InputError> {
        self.bytes().map(TraceId)
    }

    /// A new random span id.
    pub fn span_id(&mut self) -> Result<SpanId, InputError> {
        self.bytes().map(SpanId)
    }

    /// A new random group id, `group_` + 24 hex digits.
    pub fn group_id(&mut self) -> Result<IdText<GROUP_ID_LEN>, InputError> {
        let bytes: [u8; 12] = self.bytes()?;
        Ok(format_prefixed(b"group_", &bytes))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seeded() -> IdGenerator {
        let mut ids = IdGenerator::new();
        ids.seed(42);
        ids
    }

    #[test]
    fn formats_match_the_sdk() {
        let mut ids = seeded();
        let trace = ids.trace_id().unwrap().text();
        let span = ids.span_id().unwrap().text();
        let group = ids.group_id().unwrap();
        assert!(trace.as_str().starts_with("trace_") && trace.as_str().len() == 38);
        assert!(span.as_str().starts_with("span_") && span.as_str().len() == 29);
        assert!(group.as_str().starts_with("group_") && group.as_str().len() == 30);
        for text in [
            &trace.as_str()[6..],
            &span.as_str()[5..],
            &group.as_str()[6..],
        ] {
            assert!(text
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)));
        }
    }

    #[test]
    fn ids_are_distinct() {
        let mut ids = seeded();
        let mut seen = std::collections::HashSet::new();
        for _ in 0..10_000 {
            assert!(seen.insert(ids.span_id().unwrap()));
        }
    }

    #[test]
    fn unseeded_generator_refuses() {
        assert_eq!(IdGenerator::new().span_id(), Err(InputError::NotSeeded));
    }

    #[test]
    fn parse_round_trips_and_rejects_bad_text() {
        let id = TraceId::parse("trace_0123456789abcdef0123456789abcdef").unwrap();
        assert_eq!(id.text().as_str(), "trace_0123456789abcdef0123456789abcdef");
        assert_eq!(TraceId::from_words(id.to_words()), id);
        let span = SpanId::parse("span_00000000000000000000000f").unwrap();
        assert_eq!(span.0[11], 15);
        assert_eq!(span.to_words(), [0, 0, 15]);
        assert_eq!(SpanId::from_words(span.to_words()), span);
        for bad in [
            "trace_0123",
            "trace_0123456789ABCDEF0123456789abcdef",
            "span_0123456789abcdef0123456789abcdef",
            "",
            "trace_0123456789abcdef0123456789abcdeg",
        ] {
            assert_eq!(TraceId::parse(bad), Err(InputError::BadTraceId), "{bad}");
        }
        assert_eq!(SpanId::parse("span_xyz"), Err(InputError::BadSpanId));
    }
}
