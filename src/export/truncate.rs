//! The ingest endpoint's field limit: a span's `input` / `output` larger than 100,000 bytes of
//! compact JSON is cut down exactly as the Agents SDKs do (`truncateSpanFieldValue` in
//! @openai/agents-openai): strings keep a prefix plus `... [truncated]`; arrays and objects
//! repeatedly shrink (or lose) their largest child; what cannot be cut becomes a preview
//! `{"truncated":true,"original_type":...,"preview":...}`. Strings are handled as UTF-16 code
//! units and sizes counted as `JSON.stringify` would write them, so the output matches the SDK's
//! byte for byte, including its work budget.

use crate::json::escape::write_str;
use crate::json::scan::string_units;
use crate::json::tokens::{walk_all, Kind, Token, Visit};

/// The most bytes of compact JSON a field may take.
pub const MAX_FIELD_BYTES: usize = 100_000;
const MAX_WORK_BYTES: i64 = 8_000_000;
/// Nesting deeper than this is cut to a preview (the SDK's recursion limit).
pub const MAX_DEPTH: usize = 1_000;
const SUFFIX: &str = "... [truncated]";

/// A JSON value as JS holds it: strings as UTF-16 code units, numbers and keys as the JSON text
/// `JSON.stringify` wrote.
#[derive(Clone, Debug, PartialEq)]
enum Value {
    Null,
    Bool(bool),
    Number(String),
    Str(Vec<u16>),
    Array(Vec<Value>),
    /// Members in order: the key's JSON text (quoted) and the value.
    Object(Vec<(String, Value)>),
}

/// The work budget ran out: the field becomes a preview.
struct Exhausted;

type Work = Option<i64>;

/// Bytes `JSON.stringify` writes for a string of these code units.
fn str_size(units: &[u16]) -> usize {
    let mut size = 2;
    let mut i = 0;
    while i < units.len() {
        let unit = units[i];
        size += match unit {
            0x22 | 0x5c | 0x08 | 0x0c | 0x0a | 0x0d | 0x09 => 2,
            0x00..=0x1f => 6,
            0x20..=0x7f => 1,
            0x80..=0x7ff => 2,
            0xd800..=0xdbff
                if units
                    .get(i + 1)
                    .is_some_and(|next| (0xdc00..=0xdfff).contains(next)) =>
            {
                i += 1;
                4
            }
            0xd800..=0xdfff => 6,
            _ => 3,
        };
        i += 1;
    }
    size
}

fn tree_size(value: &Value) -> usize {
    match value {
        Value::Null => 4,
        Value::Bool(true) => 4,
        Value::Bool(false) => 5,
        Value::Number(text) => text.len(),
        Value::Str(units) => str_size(units),
        Value::Array(items) => {
            2 + items.iter().map(tree_size).sum::<usize>() + items.len().saturating_sub(1)
        }
        Value::Object(members) => {
            2 + members
                .iter()
                .map(|(key, v)| key.len() + 1 + tree_size(v))
                .sum::<usize>()
                + members.len().saturating_sub(1)
        }
    }
}

/// `valueJsonSizeBytes`: the size, charged to the work budget when there is one.
fn size(value: &Value, work: &mut Work) -> Result<usize, Exhausted> {
    charge(work, || tree_size(value))
}

/// Charges a size to the work budget as the SDK does: refused once the budget is spent.
fn charge(work: &mut Work, measure: impl FnOnce() -> usize) -> Result<usize, Exhausted> {
    if let Some(remaining) = work {
        if *remaining <= 0 {
            return Err(Exhausted);
        }
    }
    let size = measure();
    if let Some(remaining) = work {
        *remaining -= size.max(1) as i64;
        if *remaining < 0 {
            return Err(Exhausted);
        }
    }
    Ok(size)
}

fn units(text: &str) -> Vec<u16> {
    text.encode_utf16().collect()
}

/// `truncateStringForJsonLimit`.
fn truncate_string(
    value: &[u16],
    max_bytes: usize,
    work: &mut Work,
) -> Result<Vec<u16>, Exhausted> {
    let value_size = size(&Value::Str(value.to_vec()), work)?;
    if value_size <= max_bytes {
        return Ok(value.to_vec());
    }
    let suffix = units(SUFFIX);
    let suffix_size = size(&Value::Str(suffix.clone()), work)?;
    if suffix_size > max_bytes {
        return Ok(Vec::new());
    }
    if suffix_size == max_bytes {
        return Ok(suffix);
    }
    let budget = max_bytes - suffix_size;
    let mut chars =
        ((value.len() as f64 * budget as f64) / value_size.max(1) as f64).floor() as usize;
    chars = chars.min(value.len());
    let with_suffix = |n: usize| [&value[..n], &suffix[..]].concat();
    let mut best = with_suffix(chars);
    let mut best_size = size(&Value::Str(best.clone()), work)?;
    while best_size > max_bytes && chars > 0 {
        let overflow = (best_size - max_bytes) as f64 / best_size.max(1) as f64;
        let trim = ((chars as f64 * overflow).floor() as usize + 1).max(1);
        chars = chars.saturating_sub(trim);
        best = with_suffix(chars);
        best_size = size(&Value::Str(best.clone()), work)?;
    }
    Ok(best)
}

fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::Str(_) => "string",
        Value::Array(_) => "Array",
        Value::Object(_) => "Object",
    }
}

fn preview_object(type_name: &[u16], preview: &[u16]) -> Value {
    Value::Object(vec![
        ("\"truncated\"".to_owned(), Value::Bool(true)),
        (
            "\"original_type\"".to_owned(),
            Value::Str(type_name.to_vec()),
        ),
        ("\"preview\"".to_owned(), Value::Str(preview.to_vec())),
    ])
}

/// `truncatedPreview`: what a value that cannot be cut becomes.
fn truncated_preview(value: &Value) -> Value {
    let name = type_name(value);
    let preview = match value {
        Value::Array(items) => format!("<{name} len={} truncated>", items.len()),
        Value::Object(members) => format!("<{name} len={} truncated>", members.len()),
        _ => format!("<{name} truncated>"),
    };
    preview_within_limit(&units(name), &units(&preview))
}

/// The preview object of a type name and preview text, cut to the field limit as the SDK's
/// `truncatedPreview` cuts it: the preview text first, then the type name, then the preview text
/// again. (Only a very long type name, a JS constructor's, needs it.)
fn preview_within_limit(name: &[u16], preview: &[u16]) -> Value {
    let fits = |value: &Value| tree_size(value) <= MAX_FIELD_BYTES;
    let budget_beside = |other: &Value| MAX_FIELD_BYTES.saturating_sub(tree_size(other));
    // Without a work budget, cutting a string always succeeds.
    let cut =
        |text: &[u16], budget: usize| truncate_string(text, budget, &mut None).unwrap_or_default();
    let whole = preview_object(name, preview);
    if fits(&whole) {
        return whole;
    }
    let preview = cut(preview, budget_beside(&preview_object(name, &[])));
    let shorter = preview_object(name, &preview);
    if fits(&shorter) {
        return shorter;
    }
    let name = cut(name, budget_beside(&preview_object(&[], &preview)));
    let named = preview_object(&name, &preview);
    if fits(&named) {
        return named;
    }
    let preview = cut(&preview, budget_beside(&preview_object(&name, &[])));
    preview_object(&name, &preview)
}

/// The JSON text of the preview object for a JS value that cannot be sent (its type name and
/// preview text, as JS reads them from the value), within the field limit.
pub fn preview_json(type_name: &str, preview: &str) -> String {
    to_json(&preview_within_limit(&units(type_name), &units(preview)))
}

/// `truncateJsonValueForLimit`.
fn truncate_value(
    value: &Value,
    max_bytes: usize,
    depth: usize,
    work: &mut Work,
) -> Result<Value, Exhausted> {
    if depth >= MAX_DEPTH {
        return Ok(truncated_preview(value));
    }
    if size(value, work)? <= max_bytes {
        return Ok(value.clone());
    }
    match value {
        Value::Str(text) => Ok(Value::Str(truncate_string(text, max_bytes, work)?)),
        Value::Array(items) => {
            truncate_children(items.clone(), max_bytes, depth + 1, work, Value::Array)
        }
        Value::Object(members) => {
            truncate_children(members.clone(), max_bytes, depth + 1, work, Value::Object)
        }
        _ => Ok(truncated_preview(value)),
    }
}

/// A child of an array or object, for `truncate_children`.
trait Child {
    fn value(&self) -> &Value;
    fn set_value(&mut self, value: Value);
    /// Bytes the child adds besides its value (`"key":` for object members).
    fn overhead(&self) -> usize;
}

impl Child for Value {
    fn value(&self) -> &Value {
        self
    }
    fn set_value(&mut self, value: Value) {
        *self = value;
    }
    fn overhead(&self) -> usize {
        0
    }
}

impl Child for (String, Value) {
    fn value(&self) -> &Value {
        &self.1
    }
    fn set_value(&mut self, value: Value) {
        self.1 = value;
    }
    fn overhead(&self) -> usize {
        self.0.len() + 1
    }
}

/// The size of an array or object with these children.
fn container_size<C: Child>(children: &[C]) -> usize {
    let inner: usize = children
        .iter()
        .map(|c| c.overhead() + tree_size(c.value()))
        .sum();
    2 + inner + children.len().saturating_sub(1)
}

/// `truncateListForJsonLimit` / `truncateMappingForJsonLimit`: while too large, shrink the
/// largest child to what the rest leaves, or drop it when that does not help.
fn truncate_children<C: Child>(
    mut children: Vec<C>,
    max_bytes: usize,
    depth: usize,
    work: &mut Work,
    wrap: fn(Vec<C>) -> Value,
) -> Result<Value, Exhausted> {
    let mut current = charge(work, || container_size(&children))?;
    while !children.is_empty() && current > max_bytes {
        let mut largest = 0;
        let mut largest_size: i64 = -1;
        for (index, child) in children.iter().enumerate() {
            let child_size = size(child.value(), work)? as i64;
            if child_size > largest_size {
                largest = index;
                largest_size = child_size;
            }
        }
        let budget = (max_bytes as i64 - (current as i64 - largest_size)).max(0) as usize;
        if budget == 0 {
            children.remove(largest);
            current = charge(work, || container_size(&children))?;
            continue;
        }
        let cut = truncate_value(children[largest].value(), budget, depth + 1, work)?;
        let cut_size = size(&cut, work)? as i64;
        if cut == *children[largest].value() || cut_size >= largest_size {
            children.remove(largest);
        } else {
            children[largest].set_value(cut);
        }
        current = charge(work, || container_size(&children))?;
    }
    Ok(wrap(children))
}

/// A container being read, for `parse`.
enum Frame {
    Array(Vec<Value>),
    /// The members so far and the key of the next.
    Object(Vec<(String, Value)>, String),
}

/// Builds the value a walk reads (see `parse`).
struct Builder<'a> {
    json: &'a str,
    open: Vec<Frame>,
    parsed: Value,
    too_deep: bool,
    top_level: usize,
}

impl Builder<'_> {
    /// A value at `depth` (containers around it) starts: counted, and checked for depth.
    fn starts(&mut self, depth: usize) {
        if depth == 1 {
            self.top_level += 1;
        }
        if depth >= MAX_DEPTH && !self.too_deep {
            self.too_deep = true;
            self.open.clear();
        }
    }

    fn add(&mut self, value: Value) {
        match self.open.last_mut() {
            Some(Frame::Array(items)) => items.push(value),
            Some(Frame::Object(members, key)) => members.push((std::mem::take(key), value)),
            None => self.parsed = value,
        }
    }
}

impl Visit for Builder<'_> {
    fn open(&mut self, object: bool, _start: usize, depth: usize) -> bool {
        self.starts(depth);
        if !self.too_deep {
            self.open.push(if object {
                Frame::Object(Vec::new(), String::new())
            } else {
                Frame::Array(Vec::new())
            });
        }
        true
    }

    fn close(&mut self, _object: bool, _end: usize, _depth: usize) {
        if self.too_deep {
            return;
        }
        let value = match self.open.pop() {
            Some(Frame::Array(items)) => Value::Array(items),
            Some(Frame::Object(members, _)) => Value::Object(members),
            None => Value::Null,
        };
        self.add(value);
    }

    fn key(&mut self, token: Token, _depth: usize) {
        if let Some(Frame::Object(_, key)) = self.open.last_mut() {
            *key = self.json[token.start..token.end].to_owned();
        }
    }

    fn scalar(&mut self, token: Token, depth: usize) {
        self.starts(depth);
        if self.too_deep {
            return;
        }
        let text = &self.json[token.start..token.end];
        let value = match token.kind {
            Kind::Str => Value::Str(string_units(&text[1..text.len() - 1])),
            Kind::Number => Value::Number(text.to_owned()),
            _ => match text.as_bytes()[0] {
                b't' => Value::Bool(true),
                b'f' => Value::Bool(false),
                _ => Value::Null,
            },
        };
        self.add(value);
    }
}

/// Parses validated JSON text, without recursion. When some value sits `MAX_DEPTH` or more
/// containers deep (the SDK's `exceedsNestingDepthLimit`), the error is a stand-in with only the
/// top-level type and length, for the preview.
fn parse(json: &str) -> Result<Value, Value> {
    let mut builder = Builder {
        json,
        open: Vec::new(),
        parsed: Value::Null,
        too_deep: false,
        top_level: 0,
    };
    // The text was validated; should the walk fail anyway, the preview stands in.
    let walked = walk_all(json, &mut builder).is_ok();
    if walked && !builder.too_deep {
        return Ok(builder.parsed);
    }
    Err(if json.trim_start().starts_with('[') {
        Value::Array(vec![Value::Null; builder.top_level])
    } else {
        Value::Object(vec![(String::new(), Value::Null); builder.top_level])
    })
}

/// Writes code units as `JSON.stringify` writes a string.
fn write_units(out: &mut String, units: &[u16]) {
    out.push('"');
    for decoded in char::decode_utf16(units.iter().copied()) {
        match decoded {
            Ok(c) => {
                let mut buffer = [0u8; 4];
                let mut bytes = Vec::new();
                write_str(&mut bytes, c.encode_utf8(&mut buffer));
                out.push_str(&String::from_utf8_lossy(&bytes[1..bytes.len() - 1]));
            }
            Err(lone) => out.push_str(&format!("\\u{:04x}", lone.unpaired_surrogate())),
        }
    }
    out.push('"');
}

fn write_value(out: &mut String, value: &Value) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(text) => out.push_str(text),
        Value::Str(units) => write_units(out, units),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_value(out, item);
            }
            out.push(']');
        }
        Value::Object(members) => {
            out.push('{');
            for (i, (key, item)) in members.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(key);
                out.push(':');
                write_value(out, item);
            }
            out.push('}');
        }
    }
}

fn to_json(value: &Value) -> String {
    let mut out = String::with_capacity(MAX_FIELD_BYTES);
    write_value(&mut out, value);
    out
}

/// The JSON text of a field value cut down to the ingest limit, or `None` when it already
/// fits. `json` must be valid JSON text as `JSON.stringify` writes it.
pub fn truncate_json_field(json: &str) -> Option<String> {
    if json.len() <= MAX_FIELD_BYTES {
        return None;
    }
    let value = match parse(json) {
        Ok(value) => value,
        Err(shallow) => return Some(to_json(&truncated_preview(&shallow))),
    };
    let cut = truncate_value(&value, MAX_FIELD_BYTES, 0, &mut Some(MAX_WORK_BYTES))
        .unwrap_or_else(|Exhausted| truncated_preview(&value));
    Some(to_json(&cut))
}

/// The JSON text of a string field cut down to the ingest limit (a shorter string, or a
/// preview object past the work budget), or `None` when it already fits.
pub fn truncate_str_field(text: &str) -> Option<String> {
    let value = Value::Str(units(text));
    if tree_size(&value) <= MAX_FIELD_BYTES {
        return None;
    }
    let cut = truncate_value(&value, MAX_FIELD_BYTES, 0, &mut Some(MAX_WORK_BYTES))
        .unwrap_or_else(|Exhausted| truncated_preview(&value));
    Some(to_json(&cut))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json_string(text: &str) -> String {
        let mut out = String::new();
        write_units(&mut out, &units(text));
        out
    }

    #[test]
    fn sizes_count_like_json_stringify() {
        assert_eq!(str_size(&units("a\"\\\n\u{1}")), 2 + 1 + 2 + 2 + 2 + 6);
        assert_eq!(str_size(&units("é漢😀")), 2 + 2 + 3 + 4);
        assert_eq!(
            str_size(&[0xd800, 0x61]),
            2 + 6 + 1,
            "a lone surrogate is written \\ud800"
        );
        assert_eq!(json_string("q\"\u{1}"), r#""q\"\u0001""#);
        let mut lone = String::new();
        write_units(&mut lone, &[0x61, 0xdc00]);
        assert_eq!(lone, r#""a\udc00""#);
    }

    #[test]
    fn fields_within_the_limit_are_left_alone() {
        assert_eq!(truncate_json_field(r#"{"a":"b"}"#), None);
        assert_eq!(truncate_str_field(&"x".repeat(MAX_FIELD_BYTES - 2)), None);
    }

    #[test]
    fn long_strings_keep_a_prefix_and_the_suffix_within_the_limit() {
        let cut = truncate_str_field(&"x".repeat(MAX_FIELD_BYTES * 2)).unwrap();
        assert!(cut.len() <= MAX_FIELD_BYTES);
        assert!(cut.ends_with("... [truncated]\""));
        assert!(cut.starts_with("\"xxxx"));
    }

    #[test]
    fn objects_shrink_their_largest_child_first() {
        let json = format!(r#"{{"small":"s","big":"{}","n":1}}"#, "y".repeat(150_000));
        let cut = truncate_json_field(&json).unwrap();
        assert!(cut.len() <= MAX_FIELD_BYTES);
        assert!(cut.starts_with(r#"{"small":"s","big":"yyy"#));
        assert!(cut.ends_with(r#"... [truncated]","n":1}"#));
    }

    #[test]
    fn a_preview_with_a_very_long_type_name_keeps_its_preview_text_within_the_limit() {
        let name = format!("Type{}", "x".repeat(MAX_FIELD_BYTES));
        let json = preview_json(&name, &format!("<{name} truncated>"));
        assert!(json.len() <= MAX_FIELD_BYTES, "{}", json.len());
        let members = crate::json::scan::object_members(&json).unwrap();
        let keys: Vec<&str> = members.iter().map(|(k, _)| k.as_ref()).collect();
        assert_eq!(keys, ["truncated", "original_type", "preview"]);
        assert!(members[1].1.ends_with("... [truncated]\""));
        assert!(members[2].1.starts_with('"'), "the preview is a string");
        assert_eq!(
            preview_json("Map", "<Map len=2 truncated>"),
            r#"{"truncated":true,"original_type":"Map","preview":"<Map len=2 truncated>"}"#
        );
    }

    #[test]
    fn too_deep_or_too_costly_values_become_previews() {
        let deep = format!("{}{}{}", "[".repeat(1200), "1", "]".repeat(1200));
        let padded = format!("[{},{}]", deep, "0,".repeat(60_000) + "0");
        assert_eq!(
            truncate_json_field(&padded).unwrap(),
            r#"{"truncated":true,"original_type":"Array","preview":"<Array len=60002 truncated>"}"#
        );
        assert_eq!(
            truncate_str_field(&"w".repeat(8_100_000)).unwrap(),
            r#"{"truncated":true,"original_type":"string","preview":"<string truncated>"}"#
        );
    }
}
