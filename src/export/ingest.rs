//! What the OpenAI traces ingest endpoint accepts, applied to items queued for it (the rules the
//! SDKs' OpenAI exporters apply): span `input` / `output` cut to the field limit
//! (`truncate`), generation `usage` reshaped to `{input_tokens, output_tokens, details?}`, trace
//! metadata values flattened to strings (non-string values JSON-encoded), and, for the official
//! endpoint, reasoning removed from generation input/output.

use std::borrow::Cow;

use crate::export::truncate::truncate_json_field;
use crate::json::escape::write_str;
use crate::json::scan::{array_items, object_members, Member};

/// One pass of the ingest rules over an item: the options, and what the rules changed (for the
/// processor's counters).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct IngestCounts {
    /// Remove reasoning from generation input/output (the SDK does for the official endpoint).
    pub omit_reasoning: bool,
    /// Span fields cut to the field limit.
    pub truncated: u64,
    /// Trace metadata values JSON-encoded to strings.
    pub flattened: u64,
}

/// What becomes of a generation span's `usage`.
#[derive(Debug, PartialEq, Eq)]
pub enum Usage {
    /// Not an object: sent as it is.
    Keep,
    /// Token counts that are not numbers: left out.
    Drop,
    /// The reshaped object's JSON text.
    Reshaped(String),
}

fn is_number(raw: &str) -> bool {
    matches!(raw.as_bytes().first(), Some(b'-' | b'0'..=b'9'))
}

fn write_members(out: &mut Vec<u8>, members: &[Member<'_>]) {
    out.push(b'{');
    for (i, (key, value)) in members.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        write_str(out, key);
        out.push(b':');
        out.extend_from_slice(value.as_bytes());
    }
    out.push(b'}');
}

/// Sets `key` in `members`, keeping the position of an earlier one (as a JS object does).
fn set<'a>(members: &mut Vec<Member<'a>>, key: Cow<'a, str>, value: Cow<'a, str>) {
    match members.iter_mut().find(|(k, _)| *k == key) {
        Some(slot) => slot.1 = value,
        None => members.push((key, value)),
    }
}

/// What the ingest rules make of one span data field.
#[derive(Debug, PartialEq, Eq)]
pub enum FieldRule {
    /// Sent as it is.
    Keep,
    /// Left out.
    Drop,
    /// Sent as this JSON text instead.
    Replace(String),
}

/// The ingest rules for span data field `key` (raw JSON `value`) of a span whose data is of
/// type `generation` or not: `input` / `output` without reasoning (generation spans, when
/// `counts` says so) and cut to the field limit (counted), a generation's `usage` reshaped.
pub fn span_field_rule(
    generation: bool,
    key: &str,
    value: &str,
    counts: &mut IngestCounts,
) -> FieldRule {
    if key == "input" || key == "output" {
        // Reasoning goes first, so it does not use up the field's budget (as in the SDK).
        let filtered = (counts.omit_reasoning && generation)
            .then(|| omit_generation_reasoning(value))
            .flatten();
        match truncate_json_field(filtered.as_deref().unwrap_or(value)) {
            Some(cut) => {
                counts.truncated += 1;
                FieldRule::Replace(cut)
            }
            None => filtered.map_or(FieldRule::Keep, FieldRule::Replace),
        }
    } else if generation && key == "usage" {
        match generation_usage(value) {
            Usage::Keep => FieldRule::Keep,
            Usage::Drop => FieldRule::Drop,
            Usage::Reshaped(usage) => FieldRule::Replace(usage),
        }
    } else {
        FieldRule::Keep
    }
}

/// The SDK's `sanitizeGenerationUsageForTracesIngest`: `{input_tokens, output_tokens}` when both
/// are numbers, with every other key (and those of a `details` object) gathered in `details`.
/// An array is left out too (the SDK finds no token counts in it); other values are kept.
pub fn generation_usage(raw: &str) -> Usage {
    if raw.starts_with('[') {
        return Usage::Drop;
    }
    let Ok(members) = object_members(raw) else {
        return Usage::Keep;
    };
    let get = |key: &str| {
        members
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_ref())
    };
    let (Some(input), Some(output)) = (get("input_tokens"), get("output_tokens")) else {
        return Usage::Drop;
    };
    if !is_number(input) || !is_number(output) {
        return Usage::Drop;
    }
    let mut details: Vec<Member<'_>> = Vec::new();
    if let Some(nested) = get("details").and_then(|d| object_members(d).ok()) {
        for (key, value) in nested {
            set(&mut details, key, value);
        }
    }
    for (key, value) in &members {
        if !matches!(key.as_ref(), "input_tokens" | "output_tokens" | "details") {
            set(&mut details, key.clone(), value.clone());
        }
    }
    let mut out = Vec::with_capacity(raw.len() + 16);
    out.extend_from_slice(b"{\"input_tokens\":");
    out.extend_from_slice(input.as_bytes());
    out.extend_from_slice(b",\"output_tokens\":");
    out.extend_from_slice(output.as_bytes());
    if !details.is_empty() {
        out.extend_from_slice(b",\"details\":");
        write_members(&mut out, &details);
    }
    out.push(b'}');
    Usage::Reshaped(String::from_utf8(out).unwrap_or_default())
}

fn member<'a>(members: &'a [Member<'_>], key: &str) -> Option<&'a str> {
    members
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_ref())
}

fn write_array(out: &mut Vec<u8>, items: &[Cow<'_, str>]) {
    out.push(b'[');
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.extend_from_slice(item.as_bytes());
    }
    out.push(b']');
}

fn members_json(members: &[Member<'_>]) -> String {
    let mut out = Vec::new();
    write_members(&mut out, members);
    String::from_utf8(out).unwrap_or_default()
}

fn array_json(items: &[Cow<'_, str>]) -> String {
    let mut out = Vec::new();
    write_array(&mut out, items);
    String::from_utf8(out).unwrap_or_default()
}

/// The SDK's `omitAssistantReasoning`: an assistant message without `reasoning`, its content
/// without `reasoning` parts, and its text/refusal parts without `reasoning`.
fn omit_assistant_reasoning(raw: &str) -> Cow<'_, str> {
    let Ok(mut members) = object_members(raw) else {
        return Cow::Borrowed(raw);
    };
    if member(&members, "role") != Some("\"assistant\"") {
        return Cow::Borrowed(raw);
    }
    members.retain(|(key, _)| key != "reasoning");
    let content = member(&members, "content").and_then(|c| array_items(c).ok());
    if let Some(parts) = content {
        let kept: Vec<Cow<'_, str>> = parts
            .into_iter()
            .filter_map(|part| {
                let Ok(mut fields) = object_members(part) else {
                    return Some(Cow::Borrowed(part));
                };
                match member(&fields, "type") {
                    Some("\"reasoning\"") => None,
                    Some("\"text\"" | "\"refusal\"") => {
                        fields.retain(|(key, _)| key != "reasoning");
                        Some(Cow::Owned(members_json(&fields)))
                    }
                    _ => Some(Cow::Borrowed(part)),
                }
            })
            .collect();
        let content = array_json(&kept);
        if let Some(slot) = members.iter_mut().find(|(key, _)| key == "content") {
            slot.1 = Cow::Owned(content);
        }
    }
    Cow::Owned(members_json(&members))
}

/// The SDK's `omitGenerationReasoning` for a generation's `input` / `output`: `reasoning` items
/// dropped, assistant messages (also inside `chat.completion` choices) without their reasoning.
/// `None` when the value is not an array (left as is).
pub fn omit_generation_reasoning(raw: &str) -> Option<String> {
    let items = array_items(raw).ok()?;
    let kept: Vec<Cow<'_, str>> = items
        .into_iter()
        .filter_map(|item| {
            let Ok(mut members) = object_members(item) else {
                return Some(Cow::Borrowed(item));
            };
            if member(&members, "type") == Some("\"reasoning\"") {
                return None;
            }
            let choices = member(&members, "choices").and_then(|c| array_items(c).ok());
            match choices {
                Some(choices) if member(&members, "object") == Some("\"chat.completion\"") => {
                    let cleaned: Vec<Cow<'_, str>> = choices
                        .into_iter()
                        .map(|choice| {
                            let Ok(mut fields) = object_members(choice) else {
                                return Cow::Borrowed(choice);
                            };
                            let message = member(&fields, "message")
                                .filter(|m| m.starts_with('{'))
                                .map(|m| omit_assistant_reasoning(m).into_owned());
                            match message {
                                Some(message) => {
                                    if let Some(slot) =
                                        fields.iter_mut().find(|(k, _)| k == "message")
                                    {
                                        slot.1 = Cow::Owned(message);
                                    }
                                    Cow::Owned(members_json(&fields))
                                }
                                None => Cow::Borrowed(choice),
                            }
                        })
                        .collect();
                    let choices = array_json(&cleaned);
                    if let Some(slot) = members.iter_mut().find(|(k, _)| k == "choices") {
                        slot.1 = Cow::Owned(choices);
                    }
                    Some(Cow::Owned(members_json(&members)))
                }
                _ => Some(omit_assistant_reasoning(item)),
            }
        })
        .collect();
    Some(array_json(&kept))
}

/// Trace metadata with every non-string value JSON-encoded as a string, or `None` when all
/// values are strings already. Counts the values encoded.
pub fn flat_metadata(raw: &str, flattened: &mut u64) -> Option<String> {
    let members = object_members(raw).ok()?;
    if members.iter().all(|(_, value)| value.starts_with('"')) {
        return None;
    }
    let mut flat = Vec::with_capacity(members.len());
    for (key, value) in members {
        if value.starts_with('"') {
            flat.push((key, value));
        } else {
            *flattened += 1;
            let mut encoded = Vec::with_capacity(value.len() + 8);
            write_str(&mut encoded, &value);
            flat.push((
                key,
                Cow::Owned(String::from_utf8(encoded).unwrap_or_default()),
            ));
        }
    }
    let mut out = Vec::with_capacity(raw.len() + 16);
    write_members(&mut out, &flat);
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usage_is_reshaped_like_the_sdk() {
        assert_eq!(
            generation_usage(r#"{"input_tokens":3,"output_tokens":5}"#),
            Usage::Reshaped(r#"{"input_tokens":3,"output_tokens":5}"#.to_owned())
        );
        assert_eq!(
            generation_usage(
                r#"{"total_tokens":8,"output_tokens":5,"details":{"cached":1,"total_tokens":0},"input_tokens":3}"#
            ),
            Usage::Reshaped(
                r#"{"input_tokens":3,"output_tokens":5,"details":{"cached":1,"total_tokens":8}}"#
                    .to_owned()
            )
        );
        assert_eq!(
            generation_usage(r#"{"input_tokens":"3","output_tokens":5}"#),
            Usage::Drop
        );
        assert_eq!(generation_usage(r#"{"output_tokens":5}"#), Usage::Drop);
        assert_eq!(generation_usage("[1,2]"), Usage::Drop);
        assert_eq!(generation_usage("7"), Usage::Keep);
    }

    #[test]
    fn reasoning_is_removed_as_the_sdk_removes_it() {
        let input = concat!(
            r#"[{"type":"reasoning","summary":[]},"#,
            r#"{"role":"assistant","reasoning":"r","content":[{"type":"reasoning","text":"r"},{"type":"text","text":"hi","reasoning":"r"},{"type":"image","reasoning":"kept"}]},"#,
            r#"{"role":"user","reasoning":"kept"},"#,
            r#"{"object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","reasoning":"r","content":"c"}}]},7]"#
        );
        let expected = concat!(
            r#"[{"role":"assistant","content":[{"type":"text","text":"hi"},{"type":"image","reasoning":"kept"}]},"#,
            r#"{"role":"user","reasoning":"kept"},"#,
            r#"{"object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"c"}}]},7]"#
        );
        assert_eq!(omit_generation_reasoning(input).unwrap(), expected);
        assert_eq!(omit_generation_reasoning(r#"{"not":"an array"}"#), None);
    }

    #[test]
    fn metadata_values_become_strings() {
        let mut flattened = 0;
        assert_eq!(flat_metadata(r#"{"a":"x","b":"y"}"#, &mut flattened), None);
        assert_eq!(
            flat_metadata(
                r#"{"user":"u1","n":2,"tags":["a","b"],"ok":true,"none":null}"#,
                &mut flattened
            ),
            Some(
                r#"{"user":"u1","n":"2","tags":"[\"a\",\"b\"]","ok":"true","none":"null"}"#
                    .to_owned()
            )
        );
        assert_eq!(flattened, 4);
    }
}
