//! Splitting exported trace files into items, a chunk at a time (files of tens of MB are never
//! held whole): OpenAI ingest bodies (`{"data":[item, ...]}`, one or several), JSONL (an item a
//! line), or both mixed. Each top-level JSON object is a body when its first key is `data`, else
//! an item. Errors say where (line and byte) and what is wrong.

use std::fmt;

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

/// Items at most this long are accepted (a span item is at most a few MB).
pub const MAX_ITEM_BYTES: usize = 64 << 20;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Top {
    /// Between top-level values.
    Between,
    /// Inside a top-level object, before its first key is known.
    FirstKey,
    /// Inside a top-level object that is an item.
    Item,
    /// Inside a body, before its `data` array.
    Body,
    /// Inside a body's `data` array, between items.
    Data,
    /// Inside an item of a body's `data` array.
    DataItem,
    /// Inside a body, after its `data` array.
    BodyRest,
}

/// Splits a stream of bytes into item JSON texts.
#[derive(Debug)]
pub struct ItemSplitter {
    top: Top,
    depth: u32,
    in_string: bool,
    escaped: bool,
    /// The bytes of the item (or top-level object) being read.
    current: Vec<u8>,
    /// The first key of a top-level object, while it is read.
    key: Vec<u8>,
    key_done: bool,
    line: u64,
    offset: u64,
    items: u64,
}

impl Default for ItemSplitter {
    fn default() -> Self {
        ItemSplitter {
            top: Top::Between,
            depth: 0,
            in_string: false,
            escaped: false,
            current: Vec::new(),
            key: Vec::new(),
            key_done: false,
            line: 1,
            offset: 0,
            items: 0,
        }
    }
}

impl ItemSplitter {
    /// A splitter at the start of a file.
    pub fn new() -> Self {
        Self::default()
    }

    fn error(&self, message: &'static str) -> InputError {
        InputError {
            line: self.line,
            offset: self.offset,
            message,
        }
    }

    /// Items found so far.
    pub fn items(&self) -> u64 {
        self.items
    }

    /// Feeds the next chunk; `item` gets each complete item's JSON text, in order (an error it
    /// returns is reported at the line and byte where that item ends).
    pub fn feed(
        &mut self,
        chunk: &[u8],
        item: &mut dyn FnMut(&str) -> Result<(), InputError>,
    ) -> Result<(), InputError> {
        for &byte in chunk {
            self.step(byte, item)?;
            self.offset += 1;
            if byte == b'\n' {
                self.line += 1;
            }
        }
        Ok(())
    }

    /// The end of the file: an error if a value was left open.
    pub fn finish(&self) -> Result<(), InputError> {
        if self.top == Top::Between {
            Ok(())
        } else {
            Err(self.error("the file ends inside a JSON value"))
        }
    }

    fn emit(
        &mut self,
        item: &mut dyn FnMut(&str) -> Result<(), InputError>,
    ) -> Result<(), InputError> {
        let text = std::str::from_utf8(&self.current).map_err(|_| self.error("not UTF-8"))?;
        self.items += 1;
        // An item the callback refuses is reported where it ends.
        let (line, offset) = (self.line, self.offset);
        item(text).map_err(|error| InputError {
            line,
            offset,
            ..error
        })?;
        self.current.clear();
        Ok(())
    }

    fn step(
        &mut self,
        byte: u8,
        item: &mut dyn FnMut(&str) -> Result<(), InputError>,
    ) -> Result<(), InputError> {
        let collecting = matches!(self.top, Top::FirstKey | Top::Item | Top::DataItem);
        if collecting {
            if self.current.len() >= MAX_ITEM_BYTES {
                return Err(self.error("an item is larger than 64 MiB"));
            }
            self.current.push(byte);
        }
        if self.in_string {
            if self.escaped {
                self.escaped = false;
            } else if byte == b'\\' {
                self.escaped = true;
            } else if byte == b'"' {
                self.in_string = false;
                if self.top == Top::FirstKey && self.depth == 1 && !self.key_done {
                    self.key_done = true;
                    if self.key == b"data" {
                        // A body: its items are the objects of its `data` array.
                        self.top = Top::Body;
                        self.current.clear();
                    }
                }
            } else if self.top == Top::FirstKey
                && self.depth == 1
                && !self.key_done
                && self.key.len() < 16
            {
                self.key.push(byte);
            }
            return Ok(());
        }
        match byte {
            b' ' | b'\t' | b'\r' | b'\n' => {}
            b'"' => {
                if self.top == Top::Between || self.top == Top::Data {
                    return Err(self.error("expected a JSON object (an item or a body)"));
                }
                self.in_string = true;
            }
            b'{' | b'[' => {
                match self.top {
                    Top::Between if byte == b'{' => {
                        self.top = Top::FirstKey;
                        self.key.clear();
                        self.key_done = false;
                        self.current.clear();
                        self.current.push(byte);
                    }
                    Top::Between => {
                        return Err(self.error("expected a JSON object (an item or a body)"))
                    }
                    Top::Body if self.depth == 1 && byte == b'[' => self.top = Top::Data,
                    Top::Data if byte == b'{' => {
                        self.top = Top::DataItem;
                        self.current.clear();
                        self.current.push(byte);
                    }
                    Top::Data => {
                        return Err(
                            self.error("a body's data array holds something other than items")
                        )
                    }
                    _ => {}
                }
                self.depth += 1;
            }
            b'}' | b']' => {
                if self.depth == 0 {
                    return Err(self.error("a closing bracket without its opening one"));
                }
                self.depth -= 1;
                match self.top {
                    Top::FirstKey | Top::Item if self.depth == 0 => {
                        self.top = Top::Between;
                        self.emit(item)?;
                    }
                    Top::DataItem if self.depth == 2 => {
                        self.top = Top::Data;
                        self.emit(item)?;
                    }
                    Top::Data if self.depth == 1 => self.top = Top::BodyRest,
                    Top::Body | Top::BodyRest if self.depth == 0 => self.top = Top::Between,
                    _ => {}
                }
            }
            _ => {
                if self.top == Top::Between {
                    return Err(self.error("expected a JSON object (an item or a body)"));
                }
                if self.top == Top::Data && byte != b',' {
                    return Err(self.error("a body's data array holds something other than items"));
                }
                if self.top == Top::FirstKey && self.depth == 1 && self.key_done {
                    // The first key was not `data`: an item.
                    self.top = Top::Item;
                }
            }
        }
        if self.top == Top::FirstKey && self.key_done && self.depth == 1 && byte == b':' {
            self.top = Top::Item;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(text: &str, chunk: usize) -> Result<Vec<String>, InputError> {
        let mut splitter = ItemSplitter::new();
        let mut out = Vec::new();
        for piece in text.as_bytes().chunks(chunk.max(1)) {
            splitter.feed(piece, &mut |item| {
                out.push(item.to_owned());
                Ok(())
            })?;
        }
        splitter.finish()?;
        Ok(out)
    }

    #[test]
    fn bodies_jsonl_and_both_split_into_items_at_any_chunk_size() {
        let a = r#"{"object":"trace","id":"t","workflow_name":"w {\"}","metadata":{"data":[1]}}"#;
        let b =
            r#"{"object":"trace.span","id":"s","span_data":{"type":"custom","data":{"x":[{}]}}}"#;
        let body = format!("{{\"data\":[{a},\n {b}]}}");
        let jsonl = format!("{a}\n{b}\n");
        let mixed = format!("{body}\n{a}\n");
        for chunk in [1, 2, 7, 4096] {
            assert_eq!(split(&body, chunk).unwrap(), [a, b]);
            assert_eq!(split(&jsonl, chunk).unwrap(), [a, b]);
            assert_eq!(split(&mixed, chunk).unwrap(), [a, b, a]);
        }
        assert_eq!(split("", 1).unwrap(), Vec::<String>::new());
        assert_eq!(split(r#"{"data":[]}"#, 3).unwrap(), Vec::<String>::new());
    }

    #[test]
    fn what_is_not_a_trace_file_says_where_and_why() {
        let cases = [
            ("[1,2]", 1, "expected a JSON object"),
            ("hello", 1, "expected a JSON object"),
            ("{\"a\":1}\n\n{\"b\":", 3, "the file ends inside"),
            ("{\"data\":[1]}", 1, "holds something other than items"),
            ("{\"a\":1}}", 1, "closing bracket"),
        ];
        for (text, line, message) in cases {
            let error = split(text, 2).unwrap_err();
            assert_eq!(error.line, line, "{text}");
            assert!(error.message.contains(message), "{text}: {error}");
        }
    }
}
