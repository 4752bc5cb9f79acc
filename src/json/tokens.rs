//! The one JSON tokenizer (RFC 8259) that every reader in the crate builds on: validation and
//! member splitting (`scan`), the export's field truncation, redaction's walker and the
//! trace-file reader. `walk` reads one value, checking the grammar as it goes, and hands each
//! token to a `Visit` (positions into the input: values stay raw text); open containers are bits
//! of a stack, never recursion, so nesting depth cannot exhaust the stack. Over a partial input
//! (more may follow) a value that runs off its end stops with `Stop::Incomplete`; the caller
//! walks it again from its start once more input is there.

/// What a token is; its text is `bytes[start..end]` of the input it was read from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// An object member's key, quotes included.
    Key,
    /// A string value, quotes included.
    Str,
    /// A number.
    Number,
    /// `true`, `false` or `null`.
    Literal,
}

/// A key or a scalar value: its kind, where it is, and (strings and keys) whether it has escapes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token {
    /// What it is.
    pub kind: Kind,
    /// Its first byte.
    pub start: usize,
    /// Just past its last byte.
    pub end: usize,
    /// A string or key with backslash escapes.
    pub escaped: bool,
}

/// Why a walk stopped before the value's end.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stop {
    /// Not JSON: the grammar breaks at this byte.
    Syntax(usize),
    /// The input ends inside the value (a partial input only).
    Incomplete,
    /// The visitor refused a container opening at this byte (see `Visit::open`).
    Refused(usize),
}

/// What scanning a string literal found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scanned {
    /// A valid literal.
    End {
        /// Just past the closing quote.
        end: usize,
        /// Whether it has escapes.
        escaped: bool,
    },
    /// Not a valid literal: the problem is at this byte.
    Invalid(usize),
    /// The input ends inside the literal.
    Incomplete,
}

/// What a walk tells as it reads a value. `depth` counts the containers around a value (0 for
/// the value walked). Every method has a default that does nothing, so a visitor names only what
/// it needs (and a walk that only validates compiles to the bare grammar).
pub trait Visit {
    /// A container opens at `start` (`object`: `{`); false refuses it (the walk stops with
    /// `Stop::Refused`).
    #[inline]
    fn open(&mut self, _object: bool, _start: usize, _depth: usize) -> bool {
        true
    }

    /// The container opened at the same depth closes just before `end`.
    #[inline]
    fn close(&mut self, _object: bool, _end: usize, _depth: usize) {}

    /// An object member's key (the `:` after it is read next).
    #[inline]
    fn key(&mut self, _key: Token, _depth: usize) {}

    /// A string, number or literal value.
    #[inline]
    fn scalar(&mut self, _value: Token, _depth: usize) {}

    /// Scans the string literal whose body starts at `from` (`key`: an object key); a visitor
    /// can note more in the same pass (redaction notes what its patterns need).
    #[inline]
    fn scan_string(&mut self, bytes: &[u8], from: usize, _key: bool) -> Scanned {
        scan_literal(bytes, from)
    }
}

/// A visitor that only lets the walk check the grammar.
pub struct Validate;

impl Visit for Validate {}

/// Bit 7 of each byte of a word.
const HIGH_BITS: u64 = 0x8080_8080_8080_8080;
/// 1 in each byte of a word.
const ONE_BYTES: u64 = 0x0101_0101_0101_0101;

/// Bit 7 set in each byte of `word` (little-endian) that is `"`, `\` or a control character;
/// the lowest set bit is exact (bits above a match may be false).
#[inline]
fn string_stops(word: u64) -> u64 {
    let zero = |v: u64| v.wrapping_sub(ONE_BYTES) & !v & HIGH_BITS;
    let control = word.wrapping_sub(ONE_BYTES * 0x20) & !word & HIGH_BITS;
    zero(word ^ (ONE_BYTES * u64::from(b'"')))
        | zero(word ^ (ONE_BYTES * u64::from(b'\\')))
        | control
}

/// The first byte from `from` on that is `"`, `\` or a control character: eight bytes at a time
/// (string contents are most of what JSON text holds).
#[inline]
fn next_string_stop(bytes: &[u8], from: usize) -> Option<usize> {
    // Keys and short values end within a word: byte by byte first.
    let mut at = from;
    for &byte in bytes.get(from..from + 8).unwrap_or_default() {
        if SPECIAL_IN_STRING[usize::from(byte)] {
            return Some(at);
        }
        at += 1;
    }
    while let Some(chunk) = bytes.get(at..at + 8) {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let stops = string_stops(u64::from_le_bytes(word));
        if stops != 0 {
            return Some(at + (stops.trailing_zeros() / 8) as usize);
        }
        at += 8;
    }
    let rest = bytes.get(at..)?;
    rest.iter()
        .position(|&b| SPECIAL_IN_STRING[usize::from(b)])
        .map(|skip| at + skip)
}

/// The bytes that cannot stand as they are inside a string literal: `"`, `\` and control
/// characters (a scan stops at them; `escape` writes them escaped).
pub(crate) const SPECIAL_IN_STRING: [bool; 256] = {
    let mut table = [false; 256];
    let mut byte = 0;
    while byte < 0x20 {
        table[byte] = true;
        byte += 1;
    }
    table[b'"' as usize] = true;
    table[b'\\' as usize] = true;
    table
};

/// Scans a string literal's body from `from` (past its opening quote): its end, checking
/// escapes and control characters. (Not inlined: one copy serves every walk.)
#[inline(never)]
pub fn scan_literal(bytes: &[u8], from: usize) -> Scanned {
    let mut at = from;
    let mut escaped = false;
    loop {
        let Some(here) = next_string_stop(bytes, at) else {
            return Scanned::Incomplete;
        };
        match bytes[here] {
            b'"' => {
                return Scanned::End {
                    end: here + 1,
                    escaped,
                }
            }
            b'\\' => {
                escaped = true;
                match escape_len(bytes, here) {
                    Ok(len) => at = here + len,
                    Err(EscapeError::Cut) => return Scanned::Incomplete,
                    Err(EscapeError::Bad) => return Scanned::Invalid(here),
                }
            }
            _ => return Scanned::Invalid(here),
        }
    }
}

/// Why an escape could not be read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EscapeError {
    /// The input ends inside it.
    Cut,
    /// Not a valid escape.
    Bad,
}

/// The length of the escape whose backslash is at `at`: 2, or 6 for `\uXXXX`.
pub fn escape_len(bytes: &[u8], at: usize) -> Result<usize, EscapeError> {
    match bytes.get(at + 1) {
        None => Err(EscapeError::Cut),
        Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => Ok(2),
        Some(b'u') => {
            let hex = &bytes[(at + 2).min(bytes.len())..(at + 6).min(bytes.len())];
            if !hex.iter().all(u8::is_ascii_hexdigit) {
                Err(EscapeError::Bad)
            } else if hex.len() < 4 {
                Err(EscapeError::Cut)
            } else {
                Ok(6)
            }
        }
        Some(_) => Err(EscapeError::Bad),
    }
}

/// Open containers, innermost last: a bit per level (set: an object).
#[derive(Debug, Default)]
struct Nesting {
    depth: usize,
    /// Bits of the first 64 levels.
    first: u64,
    /// Bits of levels 64 and deeper, 64 to a word.
    deeper: Vec<u64>,
}

impl Nesting {
    #[inline]
    fn push(&mut self, object: bool) {
        let level = self.depth;
        if level < 64 {
            self.first = (self.first & !(1 << level)) | (u64::from(object) << level);
        } else {
            let (word, bit) = ((level - 64) / 64, (level - 64) % 64);
            if word == self.deeper.len() {
                self.deeper.push(0);
            }
            self.deeper[word] = (self.deeper[word] & !(1 << bit)) | (u64::from(object) << bit);
        }
        self.depth += 1;
    }

    /// Whether the innermost container is an object (false when none is open).
    #[inline]
    fn in_object(&self) -> bool {
        match self.depth {
            0 => false,
            d if d <= 64 => self.first & (1 << (d - 1)) != 0,
            d => {
                let level = d - 1 - 64;
                self.deeper[level / 64] & (1 << (level % 64)) != 0
            }
        }
    }
}

/// The cursor of a walk.
pub struct Cursor<'a> {
    bytes: &'a [u8],
    /// Where the next byte is read.
    pub at: usize,
    partial: bool,
}

impl<'a> Cursor<'a> {
    /// A cursor at `at` of `bytes` (`partial`: more input may follow).
    pub fn new(bytes: &'a [u8], at: usize, partial: bool) -> Self {
        Cursor { bytes, at, partial }
    }

    /// Skips whitespace.
    #[inline]
    pub fn skip_space(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.bytes.get(self.at) {
            self.at += 1;
        }
    }

    /// What stops a walk at the input's end.
    #[inline]
    fn ran_out(&self) -> Stop {
        if self.partial {
            Stop::Incomplete
        } else {
            Stop::Syntax(self.at)
        }
    }

    /// The byte at the cursor (an error at the input's end).
    #[inline]
    pub fn peek(&self) -> Result<u8, Stop> {
        self.bytes
            .get(self.at)
            .copied()
            .ok_or_else(|| self.ran_out())
    }

    /// The string literal at the cursor (its opening quote): its end and whether it has
    /// escapes; the cursor moves past it.
    #[inline]
    pub fn string<V: Visit>(&mut self, visit: &mut V, key: bool) -> Result<Token, Stop> {
        let start = self.at;
        match visit.scan_string(self.bytes, start + 1, key) {
            Scanned::End { end, escaped } => {
                self.at = end;
                Ok(Token {
                    kind: if key { Kind::Key } else { Kind::Str },
                    start,
                    end,
                    escaped,
                })
            }
            Scanned::Invalid(at) => Err(Stop::Syntax(at)),
            Scanned::Incomplete => Err(if self.partial {
                Stop::Incomplete
            } else {
                Stop::Syntax(self.bytes.len())
            }),
        }
    }

    /// `"key" :` at the cursor: the key token; the cursor moves past the colon.
    #[inline]
    pub fn key<V: Visit>(&mut self, visit: &mut V) -> Result<Token, Stop> {
        if self.peek()? != b'"' {
            return Err(Stop::Syntax(self.at));
        }
        let key = self.string(visit, true)?;
        self.skip_space();
        if self.peek()? != b':' {
            return Err(Stop::Syntax(self.at));
        }
        self.at += 1;
        Ok(key)
    }

    #[inline(never)]
    fn word(&mut self, word: &[u8]) -> Result<(), Stop> {
        let rest = &self.bytes[self.at..];
        if rest.starts_with(word) {
            self.at += word.len();
            return Ok(());
        }
        let same = rest.iter().zip(word).take_while(|(a, b)| a == b).count();
        if same == rest.len() {
            Err(self.ran_out_at(self.bytes.len()))
        } else {
            Err(Stop::Syntax(self.at + same))
        }
    }

    #[inline]
    fn ran_out_at(&self, at: usize) -> Stop {
        if self.partial {
            Stop::Incomplete
        } else {
            Stop::Syntax(at)
        }
    }

    #[inline]
    fn digits(&mut self) -> Result<(), Stop> {
        let start = self.at;
        while self.bytes.get(self.at).is_some_and(u8::is_ascii_digit) {
            self.at += 1;
        }
        if self.at > start {
            Ok(())
        } else if self.at == self.bytes.len() {
            Err(self.ran_out_at(self.at))
        } else {
            Err(Stop::Syntax(self.at))
        }
    }

    #[inline(never)]
    fn number(&mut self) -> Result<(), Stop> {
        if self.bytes.get(self.at) == Some(&b'-') {
            self.at += 1;
        }
        match self.peek()? {
            b'0' => self.at += 1,
            b'1'..=b'9' => self.digits()?,
            _ => return Err(Stop::Syntax(self.at)),
        }
        if self.bytes.get(self.at) == Some(&b'.') {
            self.at += 1;
            self.digits()?;
        }
        if let Some(b'e' | b'E') = self.bytes.get(self.at) {
            self.at += 1;
            if let Some(b'+' | b'-') = self.bytes.get(self.at) {
                self.at += 1;
            }
            self.digits()?;
        }
        // In a partial input, a number that reaches its end may go on.
        if self.at == self.bytes.len() && self.partial {
            return Err(Stop::Incomplete);
        }
        Ok(())
    }

    /// Walks the value at the cursor (whitespace before it skipped) to its end, telling `visit`
    /// its tokens; the cursor stops just past it.
    pub fn walk<V: Visit>(&mut self, visit: &mut V) -> Result<(), Stop> {
        let mut nesting = Nesting::default();
        loop {
            // A value.
            self.skip_space();
            let start = self.at;
            match self.peek()? {
                byte @ (b'{' | b'[') => {
                    let object = byte == b'{';
                    if !visit.open(object, start, nesting.depth) {
                        return Err(Stop::Refused(start));
                    }
                    self.at += 1;
                    self.skip_space();
                    if self.peek()? == if object { b'}' } else { b']' } {
                        self.at += 1;
                        visit.close(object, self.at, nesting.depth);
                    } else {
                        nesting.push(object);
                        if object {
                            let key = self.key(visit)?;
                            visit.key(key, nesting.depth);
                        }
                        continue;
                    }
                }
                b'"' => {
                    let value = self.string(visit, false)?;
                    visit.scalar(value, nesting.depth);
                }
                byte => {
                    let kind = match byte {
                        b't' => self.word(b"true").map(|()| Kind::Literal),
                        b'f' => self.word(b"false").map(|()| Kind::Literal),
                        b'n' => self.word(b"null").map(|()| Kind::Literal),
                        _ => self.number().map(|()| Kind::Number),
                    }?;
                    let value = Token {
                        kind,
                        start,
                        end: self.at,
                        escaped: false,
                    };
                    visit.scalar(value, nesting.depth);
                }
            }
            // After a value: close containers or move to the next element.
            loop {
                if nesting.depth == 0 {
                    return Ok(());
                }
                self.skip_space();
                let in_object = nesting.in_object();
                match self.peek()? {
                    b',' => {
                        self.at += 1;
                        if in_object {
                            self.skip_space();
                            let key = self.key(visit)?;
                            visit.key(key, nesting.depth);
                        }
                        break;
                    }
                    b'}' if in_object => {
                        self.at += 1;
                        nesting.depth -= 1;
                        visit.close(true, self.at, nesting.depth);
                    }
                    b']' if !in_object => {
                        self.at += 1;
                        nesting.depth -= 1;
                        visit.close(false, self.at, nesting.depth);
                    }
                    _ => return Err(Stop::Syntax(self.at)),
                }
            }
        }
    }
}

/// Walks the one value that is the whole of `text` (whitespace around it allowed).
pub fn walk_all<V: Visit>(text: &str, visit: &mut V) -> Result<(), Stop> {
    let mut cursor = Cursor::new(text.as_bytes(), 0, false);
    cursor.walk(visit)?;
    cursor.skip_space();
    if cursor.at == text.len() {
        Ok(())
    } else {
        Err(Stop::Syntax(cursor.at))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Writes what a walk tells, as text.
    #[derive(Default)]
    struct Record(Vec<String>);

    impl Visit for Record {
        fn open(&mut self, object: bool, start: usize, depth: usize) -> bool {
            self.0.push(format!(
                "open {} @{start} d{depth}",
                if object { '{' } else { '[' }
            ));
            true
        }
        fn close(&mut self, object: bool, end: usize, depth: usize) {
            self.0.push(format!(
                "close {} @{end} d{depth}",
                if object { '}' } else { ']' }
            ));
        }
        fn key(&mut self, key: Token, depth: usize) {
            self.0
                .push(format!("key {}..{} d{depth}", key.start, key.end));
        }
        fn scalar(&mut self, value: Token, depth: usize) {
            self.0.push(format!(
                "{:?} {}..{} d{depth}",
                value.kind, value.start, value.end
            ));
        }
    }

    fn record(text: &str) -> Result<Vec<String>, Stop> {
        let mut record = Record::default();
        walk_all(text, &mut record)?;
        Ok(record.0)
    }

    #[test]
    fn tokens_come_in_order_with_their_place_and_depth() {
        assert_eq!(
            record(r#" {"a" : [1, -2.5e3, "x\"y"], "b":{}, "c":true} "#).unwrap(),
            [
                "open { @1 d0",
                "key 2..5 d1",
                "open [ @8 d1",
                "Number 9..10 d2",
                "Number 12..18 d2",
                "Str 20..26 d2",
                "close ] @27 d1",
                "key 29..32 d1",
                "open { @33 d1",
                "close } @35 d1",
                "key 37..40 d1",
                "Literal 41..45 d1",
                "close } @46 d0",
            ]
        );
        assert_eq!(record("null").unwrap(), ["Literal 0..4 d0"]);
    }

    #[test]
    fn grammar_errors_name_the_byte() {
        assert_eq!(record("[1,]"), Err(Stop::Syntax(3)));
        assert_eq!(record(r#"{"a" 1}"#), Err(Stop::Syntax(5)));
        assert_eq!(record("[1}"), Err(Stop::Syntax(2)));
        assert_eq!(record("tx"), Err(Stop::Syntax(1)));
        assert_eq!(record("[1"), Err(Stop::Syntax(2)));
        assert_eq!(record("\"a\\q\""), Err(Stop::Syntax(2)));
        assert_eq!(record("1 2"), Err(Stop::Syntax(2)));
    }

    #[test]
    fn nesting_deeper_than_a_word_keeps_each_level_kind() {
        let mut text = String::new();
        for level in 0..300 {
            text.push_str(if level % 3 == 0 { "{\"k\":" } else { "[" });
        }
        text.push('0');
        for level in (0..300).rev() {
            text.push(if level % 3 == 0 { '}' } else { ']' });
        }
        assert_eq!(record(&text).unwrap().len(), 300 + 100 + 1 + 300);
        let wrong = text.replacen("]}", "}}", 1);
        assert!(record(&wrong).is_err());
    }

    #[test]
    fn a_visitor_can_refuse_a_container() {
        struct Shallow;
        impl Visit for Shallow {
            fn open(&mut self, _: bool, _: usize, depth: usize) -> bool {
                depth < 2
            }
        }
        assert_eq!(walk_all("[[1]]", &mut Shallow), Ok(()));
        assert_eq!(walk_all("[[[1]]]", &mut Shallow), Err(Stop::Refused(2)));
    }

    #[test]
    fn a_partial_input_is_incomplete_wherever_it_is_cut_and_bad_where_the_whole_is() {
        let good =
            r#"{"key":"a \"quoted\" \u00e9 string","n":[-12.5e+3,0,true,false,null],"o":{}}"#;
        for cut in 0..good.len() {
            let mut cursor = Cursor::new(&good.as_bytes()[..cut], 0, true);
            assert_eq!(
                cursor.walk(&mut Validate),
                Err(Stop::Incomplete),
                "cut at {cut}"
            );
        }
        let mut cursor = Cursor::new(good.as_bytes(), 0, true);
        assert_eq!(cursor.walk(&mut Validate), Ok(()));
        assert_eq!(cursor.at, good.len());
        for bad in ["[1,]", r#"{"a":tru}"#, "[1.]", r#"["\x"]"#] {
            let mut cursor = Cursor::new(bad.as_bytes(), 0, true);
            assert!(
                matches!(cursor.walk(&mut Validate), Err(Stop::Syntax(_))),
                "{bad}"
            );
        }
    }

    #[test]
    fn strings_are_scanned_eight_bytes_at_a_time_and_stop_exactly() {
        for stop in ['"', '\\', '\n', '\u{1f}'] {
            for at in 0..20 {
                let text = format!(
                    "{}{stop}{}",
                    "é".repeat(at / 2) + &"a".repeat(at % 2),
                    "b".repeat(9)
                );
                let expected = text.find(stop);
                assert_eq!(next_string_stop(text.as_bytes(), 0), expected, "{text:?}");
            }
        }
        assert_eq!(next_string_stop("no stop here at all".as_bytes(), 0), None);
    }
}
