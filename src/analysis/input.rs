//! The one trace-file reader (the CLI, the page, the collector and the store split files with
//! it): OpenAI ingest bodies (`{"data":[item, ...]}`, minified or pretty-printed, one or several),
//! JSONL (an item a line, blank lines and CRLF allowed), or both mixed, with or without a UTF-8
//! BOM. Each top-level JSON object is a body when its first key is `data`, else an item. Read a
//! chunk at a time on `json::tokens`: it holds the unread part of its chunk and the item being
//! read, never the file, and hands out each item as compact JSON text as soon as it is complete.
//! Errors say where (line and byte) and what is wrong.

use std::fmt;

use crate::json::tokens::{Cursor, Stop, Token, Validate, Visit};

/// Why a file is not a trace file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InputError {
    /// 1-based line of the problem.
    pub line: u64,
    /// 0-based byte offset of the problem.
    pub offset: u64,
    /// What is wrong.
    pub message: &'static str,
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "line {} (byte {}): {}",
            self.line, self.offset, self.message
        )
    }
}

/// Items at most this long are accepted (a span item is at most a few MB); so is any other
/// value of a file.
pub const MAX_ITEM_BYTES: usize = 64 << 20;

const BOM: &[u8] = b"\xef\xbb\xbf";
const NOT_AN_OBJECT: &str = "expected a JSON object (an item or a body)";
const NOT_A_BODY: &str = "expected an ingest body {\"data\": [items]}";
const NOT_JSON: &str = "not valid JSON";
const ENDS_INSIDE: &str = "the file ends inside a JSON value";
const NOT_ITEMS: &str = "a body's data array holds something other than items";

/// Where the reader is in the file's structure.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
enum Place {
    /// Before a top-level value.
    #[default]
    Between,
    /// Inside a body, after `"data":`.
    Body,
    /// Inside a body's `data` array, before its first item.
    FirstItem,
    /// Inside a body's `data` array, after an item.
    AfterItem,
    /// Inside a body's `data` array, after a comma.
    NextItem,
    /// Inside a body, after its `data` array.
    BodyRest,
}

/// A consumer's answer to an item: its refusal stops the reading.
pub type ItemResult = Result<(), InputError>;

/// Writes the value a walk reads as compact JSON (no whitespace between tokens).
struct Compact<'a> {
    raw: &'a [u8],
    out: &'a mut Vec<u8>,
    /// A value was just written: the next one (or key) needs a comma.
    after_value: bool,
}

impl Compact<'_> {
    #[inline]
    fn separate(&mut self) {
        if self.after_value {
            self.out.push(b',');
        }
    }
}

impl Visit for Compact<'_> {
    #[inline]
    fn open(&mut self, object: bool, _start: usize, _depth: usize) -> bool {
        self.separate();
        self.out.push(if object { b'{' } else { b'[' });
        self.after_value = false;
        true
    }

    #[inline]
    fn close(&mut self, object: bool, _end: usize, _depth: usize) {
        self.out.push(if object { b'}' } else { b']' });
        self.after_value = true;
    }

    #[inline]
    fn key(&mut self, key: Token, _depth: usize) {
        self.separate();
        self.out.extend_from_slice(&self.raw[key.start..key.end]);
        self.out.push(b':');
        self.after_value = false;
    }

    #[inline]
    fn scalar(&mut self, value: Token, _depth: usize) {
        self.separate();
        self.out
            .extend_from_slice(&self.raw[value.start..value.end]);
        self.after_value = true;
    }
}

/// Reads a trace file a chunk at a time; see the module.
#[derive(Debug, Default)]
pub struct TraceFileReader {
    /// The unread input, from file byte `base` on.
    buffer: Vec<u8>,
    base: u64,
    /// The line `buffer[0]` is on, less one.
    base_lines: u64,
    /// The next byte to read in `buffer` (everything before it is read).
    at: usize,
    place: Place,
    /// The item being written out.
    item: Vec<u8>,
    /// Whether the start of the file was checked for a BOM.
    started: bool,
    /// Whether the whole file was fed (`finish`).
    ended: bool,
    /// Whether a top-level item is an error.
    bodies_only: bool,
    bodies: u64,
    /// A value the input cut short is read again once the buffer reaches this length (at least
    /// half again what it would read twice), so a long value fed a byte at a time costs linear
    /// time.
    retry_at: usize,
    /// Bytes walked, values read again included (what keeps feeding linear: see `retry_at`).
    walked: u64,
}

impl TraceFileReader {
    /// A reader at the start of a file.
    pub fn new() -> Self {
        Self::default()
    }

    /// A reader that takes ingest bodies only, as the ingest endpoint does (a top-level item, or
    /// no body at all, is an error).
    pub fn bodies_only() -> Self {
        TraceFileReader {
            bodies_only: true,
            ..Self::default()
        }
    }

    /// The most bytes the reader held at once so far is at most this (its buffer's capacity).
    pub fn held(&self) -> usize {
        self.buffer.capacity() + self.item.capacity()
    }

    /// Feeds the next chunk; `item` gets each complete item's compact JSON text, in order (an
    /// error it returns is reported at the line and byte where that item ends).
    pub fn feed(&mut self, chunk: &[u8], item: &mut dyn FnMut(&str) -> ItemResult) -> ItemResult {
        if self.buffer.len() - self.at > MAX_ITEM_BYTES {
            return Err(self.error_at(self.at, "a value is larger than 64 MiB"));
        }
        self.buffer.extend_from_slice(chunk);
        if self.buffer.len() >= self.retry_at {
            self.read(item)?;
        }
        self.drop_read();
        Ok(())
    }

    /// The end of the file: reads what is left; an error if a value was left open.
    pub fn finish(&mut self, item: &mut dyn FnMut(&str) -> ItemResult) -> ItemResult {
        self.ended = true;
        self.read(item)?;
        if self.place != Place::Between {
            return Err(self.error_at(self.buffer.len(), ENDS_INSIDE));
        }
        if self.bodies_only && self.bodies == 0 {
            return Err(self.error_at(self.buffer.len(), NOT_A_BODY));
        }
        Ok(())
    }

    /// Reads until the input runs out (or ends inside a value, to be read again with more).
    fn read(&mut self, item: &mut dyn FnMut(&str) -> ItemResult) -> ItemResult {
        if !self.started {
            if self.buffer.len() < BOM.len() && BOM.starts_with(&self.buffer) && !self.ended {
                return Ok(());
            }
            self.started = true;
            if self.buffer.starts_with(BOM) {
                self.at = BOM.len();
            }
        }
        loop {
            let mut cursor = Cursor::new(&self.buffer, self.at, !self.ended);
            cursor.skip_space();
            self.at = cursor.at;
            let Some(&byte) = self.buffer.get(self.at) else {
                return Ok(());
            };
            let step = match self.place {
                Place::Between if byte != b'{' => {
                    let message = if matches!(byte, b'}' | b']') {
                        "a closing bracket without its opening one"
                    } else {
                        NOT_AN_OBJECT
                    };
                    return Err(self.error_at(self.at, message));
                }
                Place::Between => self.top_level_object(item),
                Place::Body if byte == b'[' => self.step(1, Place::FirstItem),
                Place::Body => return Err(self.error_at(self.at, "a body's data is not an array")),
                Place::FirstItem | Place::AfterItem if byte == b']' => {
                    self.step(1, Place::BodyRest)
                }
                Place::AfterItem if byte == b',' => self.step(1, Place::NextItem),
                Place::FirstItem | Place::NextItem if byte == b'{' => {
                    let read = self.item(self.at, item)?;
                    if read {
                        self.place = Place::AfterItem;
                    }
                    Ok(read)
                }
                Place::FirstItem | Place::NextItem => return Err(self.error_at(self.at, NOT_ITEMS)),
                Place::BodyRest if byte == b'}' => self.step(1, Place::Between),
                Place::BodyRest if byte == b',' => self.other_member(),
                Place::AfterItem | Place::BodyRest => return Err(self.error_at(self.at, NOT_JSON)),
            }?;
            if !step {
                // The input ends inside a value: read it again once more has come.
                let rescan = self.buffer.len() - self.at;
                self.retry_at = self.buffer.len() + rescan / 2;
                return Ok(());
            }
        }
    }

    /// Moves past `bytes` structural bytes into `place`.
    fn step(&mut self, bytes: usize, place: Place) -> Result<bool, InputError> {
        self.at += bytes;
        self.place = place;
        Ok(true)
    }

    /// A top-level object at `at`: a body when its first key is `data`, else an item. False
    /// when the input ends before that is known.
    fn top_level_object(
        &mut self,
        item: &mut dyn FnMut(&str) -> ItemResult,
    ) -> Result<bool, InputError> {
        let mut cursor = Cursor::new(&self.buffer, self.at + 1, !self.ended);
        cursor.skip_space();
        let first_key = match cursor.peek() {
            Ok(b'"') => cursor.key(&mut Validate),
            Ok(_) => Err(Stop::Syntax(cursor.at)),
            Err(stop) => Err(stop),
        };
        match first_key {
            Err(Stop::Incomplete) => Ok(false),
            Ok(key) if &self.buffer[key.start..key.end] == b"\"data\"" => {
                self.bodies += 1;
                self.at = cursor.at;
                self.place = Place::Body;
                Ok(true)
            }
            _ if self.bodies_only => Err(self.error_at(self.at, NOT_A_BODY)),
            // An item (a bad one is found by the walk).
            _ => self.item(self.at, item),
        }
    }

    /// A member of a body after its `data` array (at its comma): read and left out.
    fn other_member(&mut self) -> Result<bool, InputError> {
        let mut cursor = Cursor::new(&self.buffer, self.at + 1, !self.ended);
        cursor.skip_space();
        let read = cursor
            .key(&mut Validate)
            .and_then(|_| cursor.walk(&mut Validate));
        let end = cursor.at;
        self.settle(read, end)
    }

    /// The item (a JSON object) at `start`: walked, written out compact, handed out. False when
    /// the input ends inside it.
    fn item(
        &mut self,
        start: usize,
        item: &mut dyn FnMut(&str) -> ItemResult,
    ) -> Result<bool, InputError> {
        self.item.clear();
        let mut cursor = Cursor::new(&self.buffer, start, !self.ended);
        let mut compact = Compact {
            raw: &self.buffer,
            out: &mut self.item,
            after_value: false,
        };
        let read = cursor.walk(&mut compact);
        let end = cursor.at;
        self.walked += (end - start) as u64;
        if !self.settle(read, end)? {
            return Ok(false);
        }
        let result = match std::str::from_utf8(&self.item) {
            Ok(text) => item(text),
            Err(_) => Err(self.error_at(end, "not UTF-8")),
        };
        // An error is reported where the item ends.
        result
            .map(|()| true)
            .map_err(|error| self.error_at(end, error.message))
    }

    /// A walk's result: read up to `end` (true), cut short (false), or the error.
    fn settle(&mut self, read: Result<(), Stop>, end: usize) -> Result<bool, InputError> {
        match read {
            Ok(()) => {
                self.at = end;
                Ok(true)
            }
            Err(Stop::Incomplete) => Ok(false),
            Err(Stop::Syntax(at) | Stop::Refused(at)) => {
                let at = at.min(self.buffer.len());
                let message = if at == self.buffer.len() {
                    ENDS_INSIDE
                } else {
                    NOT_JSON
                };
                Err(self.error_at(at, message))
            }
        }
    }

    /// Drops what was read (once it is at least half the buffer, so the copying stays linear).
    fn drop_read(&mut self) {
        let read = self.at;
        if read == 0 || read < self.buffer.len() / 2 {
            return;
        }
        self.base_lines += self.buffer[..read].iter().filter(|&&b| b == b'\n').count() as u64;
        self.base += read as u64;
        self.buffer.drain(..read);
        self.at = 0;
        self.retry_at = self.retry_at.saturating_sub(read);
    }

    fn error_at(&self, at: usize, message: &'static str) -> InputError {
        let at = at.min(self.buffer.len());
        let lines = self.buffer[..at].iter().filter(|&&b| b == b'\n').count() as u64;
        InputError {
            line: self.base_lines + lines + 1,
            offset: self.base + at as u64,
            message,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(bytes: &[u8], chunk: usize) -> Result<Vec<String>, InputError> {
        let mut reader = TraceFileReader::new();
        let mut out = Vec::new();
        let mut keep = |item: &str| {
            out.push(item.to_owned());
            Ok(())
        };
        for piece in bytes.chunks(chunk.max(1)) {
            reader.feed(piece, &mut keep)?;
        }
        reader.finish(&mut keep)?;
        Ok(out)
    }

    fn split(text: &str, chunk: usize) -> Result<Vec<String>, InputError> {
        read(text.as_bytes(), chunk)
    }

    const A: &str =
        r#"{"object":"trace","id":"t","workflow_name":"w {\"}","metadata":{"data":[1]}}"#;
    const B: &str =
        r#"{"object":"trace.span","id":"s","span_data":{"type":"custom","data":{"x":[{},"a b"]}}}"#;

    #[test]
    fn bodies_jsonl_and_both_split_into_items_at_any_chunk_size() {
        let body = format!("{{\"data\":[{A},\n {B}]}}");
        let jsonl = format!("{A}\n{B}\n");
        let mixed = format!("{body}\n{A}\n");
        for chunk in [1, 2, 7, 4096] {
            assert_eq!(split(&body, chunk).unwrap(), [A, B]);
            assert_eq!(split(&jsonl, chunk).unwrap(), [A, B]);
            assert_eq!(split(&mixed, chunk).unwrap(), [A, B, A]);
        }
        assert_eq!(split("", 1).unwrap(), Vec::<String>::new());
        assert_eq!(split(" \n", 1).unwrap(), Vec::<String>::new());
        assert_eq!(split(r#"{"data":[]}"#, 3).unwrap(), Vec::<String>::new());
    }

    /// What `jq .` or Python's `json.dump(..., indent=2)` writes (of compact JSON; written
    /// here byte by byte, independently of the tokenizer).
    fn pretty(text: &str) -> String {
        let mut out = String::new();
        let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
        let newline = |out: &mut String, depth: usize| {
            out.push('\n');
            out.push_str(&"  ".repeat(depth));
        };
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            if in_string {
                out.push(c);
                match (escaped, c) {
                    (true, _) => escaped = false,
                    (false, '\\') => escaped = true,
                    (false, '"') => in_string = false,
                    _ => {}
                }
                continue;
            }
            match c {
                '"' => {
                    in_string = true;
                    out.push(c);
                }
                '{' | '[' if matches!(chars.peek(), Some('}' | ']')) => {
                    out.push(c);
                    out.push(chars.next().unwrap_or(' '));
                }
                '{' | '[' => {
                    out.push(c);
                    depth += 1;
                    newline(&mut out, depth);
                }
                '}' | ']' => {
                    depth -= 1;
                    newline(&mut out, depth);
                    out.push(c);
                }
                ',' => {
                    out.push(c);
                    newline(&mut out, depth);
                }
                ':' => out.push_str(": "),
                _ => out.push(c),
            }
        }
        out
    }

    #[test]
    fn pretty_printed_bodies_concatenated_bodies_bom_blank_lines_and_crlf_read_the_same() {
        let body = format!("{{\"data\":[{A},{B}]}}");
        let files = [
            pretty(&body),
            format!("{}\n{}\n", pretty(&body), pretty(&body)),
            format!("\u{feff}{A}\r\n\r\n{B}\r\n"),
            format!("\u{feff}{}", pretty(&body)),
            format!("{body}{body}"),
            format!("\n\n{}\n\n{B}\n", pretty(A)),
        ];
        let expected: [&[&str]; 6] = [
            &[A, B],
            &[A, B, A, B],
            &[A, B],
            &[A, B],
            &[A, B, A, B],
            &[A, B],
        ];
        for (file, expected) in files.iter().zip(expected) {
            for chunk in [1, 2, 3, 5, 64, 1 << 16] {
                assert_eq!(split(file, chunk).unwrap(), expected, "{file:?} by {chunk}");
            }
        }
        assert!(
            pretty(A).contains("{\n  \"object\": \"trace\",\n"),
            "{}",
            pretty(A)
        );
        // Whitespace inside strings stays: only what is between tokens goes.
        assert_eq!(split(&pretty(B), 4).unwrap(), [B]);
    }

    #[test]
    fn what_is_not_a_trace_file_says_where_and_why() {
        let cases = [
            ("[1,2]", 1, 0, "expected a JSON object"),
            ("hello", 1, 0, "expected a JSON object"),
            ("{\"a\":1}\n\n{\"b\":", 3, 14, "the file ends inside"),
            ("{\"data\":[1]}", 1, 9, "holds something other than items"),
            ("{\"data\":5}", 1, 8, "data is not an array"),
            ("{\"a\":1}}", 1, 7, "closing bracket"),
            ("{\"a\":1}\r\n{\"b\":tru}", 2, 17, "not valid JSON"),
            ("\u{feff}{\"a\":1,}", 1, 10, "not valid JSON"),
            ("{\"data\":[{\"a\":1}", 1, 16, "the file ends inside"),
        ];
        for (text, line, offset, message) in cases {
            for chunk in [1, 2, 1 << 16] {
                let error = split(text, chunk).unwrap_err();
                assert_eq!(
                    (error.line, error.offset),
                    (line, offset),
                    "{text} by {chunk}: {error}"
                );
                assert!(error.message.contains(message), "{text}: {error}");
            }
        }
        let bad_utf8 = read(b"{\"a\":\"\xff\"}", 3).unwrap_err();
        assert_eq!(bad_utf8.message, "not UTF-8");
    }

    #[test]
    fn items_before_an_error_are_handed_out_and_the_consumer_can_refuse_one() {
        let mut reader = TraceFileReader::new();
        let mut seen = Vec::new();
        let error = reader
            .feed(format!("{A}\n{B}\n{{\"x\":").as_bytes(), &mut |item| {
                seen.push(item.len());
                Ok(())
            })
            .and_then(|()| reader.finish(&mut |_| Ok(())))
            .unwrap_err();
        assert_eq!(seen, [A.len(), B.len()]);
        assert_eq!(error.line, 3);
        let mut reader = TraceFileReader::new();
        let refused = reader
            .feed(format!("{A}\n{B}\n").as_bytes(), &mut |item| {
                if item == B {
                    Err(InputError {
                        line: 0,
                        offset: 0,
                        message: "no",
                    })
                } else {
                    Ok(())
                }
            })
            .unwrap_err();
        assert_eq!(
            (refused.line, refused.offset, refused.message),
            (2, (A.len() + 1 + B.len()) as u64, "no")
        );
    }

    #[test]
    fn a_reader_of_bodies_only_refuses_items() {
        let mut reader = TraceFileReader::bodies_only();
        let mut items = 0;
        let mut count = |_: &str| {
            items += 1;
            Ok(())
        };
        reader
            .feed(format!("{{\"data\":[{A}]}}").as_bytes(), &mut count)
            .unwrap();
        let error = reader
            .feed(format!(" {A}").as_bytes(), &mut count)
            .unwrap_err();
        assert_eq!(
            (error.offset, error.message),
            (
                A.len() as u64 + 12,
                "expected an ingest body {\"data\": [items]}"
            )
        );
        assert_eq!(items, 1);
        let mut reader = TraceFileReader::bodies_only();
        assert!(reader.feed(b"{}", &mut |_| Ok(())).is_err());
        let mut reader = TraceFileReader::bodies_only();
        reader.feed(b" \n", &mut |_| Ok(())).unwrap();
        assert_eq!(
            reader.finish(&mut |_| Ok(())).unwrap_err().message,
            NOT_A_BODY
        );
    }

    #[test]
    fn a_big_file_is_read_holding_its_chunk_and_one_item_not_the_file() {
        // 6 MB of pretty-printed bodies fed in 64 KiB chunks.
        let body = pretty(&format!("{{\"data\":[{}]}}", vec![B; 200].join(",")));
        let mut reader = TraceFileReader::new();
        let mut items = 0u64;
        let mut count = |_: &str| {
            items += 1;
            Ok(())
        };
        let mut fed = 0usize;
        while fed < 6 << 20 {
            for piece in body.as_bytes().chunks(1 << 16) {
                reader.feed(piece, &mut count).unwrap();
            }
            fed += body.len();
        }
        reader.finish(&mut count).unwrap();
        assert_eq!(items, (fed / body.len()) as u64 * 200);
        assert!(
            reader.held() <= 4 * (1 << 16),
            "held {} bytes",
            reader.held()
        );
    }

    #[test]
    fn a_long_value_fed_a_byte_at_a_time_is_read_once() {
        let long = format!(
            "{{\"n\":{},\"s\":\"{}\"}}",
            "9".repeat(200_000),
            "x".repeat(200_000)
        );
        let mut reader = TraceFileReader::new();
        let mut items = Vec::new();
        let mut keep = |item: &str| {
            items.push(item.len());
            Ok(())
        };
        for byte in long.as_bytes().chunks(1) {
            reader.feed(byte, &mut keep).unwrap();
        }
        reader.finish(&mut keep).unwrap();
        assert_eq!(items, [long.len()]);
        // Walking it again at every byte would be ~80 billion bytes; it is read again only once
        // the buffer grew by half of what would be read again.
        assert!(
            reader.walked < 4 * long.len() as u64,
            "walked {}",
            reader.walked
        );
    }
}
