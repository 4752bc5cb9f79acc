//! The ingest rules applied to items serialized elsewhere: an ingest body `{"data":[...]}` whose
//! items came from an exporter called directly (the SDK's items, or items of a processor that did
//! not apply the rules), rewritten item by item, field by field, exactly as the batch queue
//! applies the rules when it serializes an item. Items already shaped by the rules come out as
//! they went in, so applying them twice changes nothing.

use std::borrow::Cow;

use crate::export::ingest::{flat_metadata, span_field_rule, FieldRule, IngestCounts};
use crate::json::escape::write_str;
use crate::json::scan::{array_items, object_members, Member};

fn member<'m>(members: &'m [Member<'_>], key: &str) -> Option<&'m str> {
    members
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_ref())
}

fn object_json(members: &[Member<'_>]) -> String {
    let mut out = Vec::with_capacity(members.iter().map(|(k, v)| k.len() + v.len() + 4).sum());
    out.push(b'{');
    for (i, (key, value)) in members.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        write_str(&mut out, key);
        out.push(b':');
        out.extend_from_slice(value.as_bytes());
    }
    out.push(b'}');
    String::from_utf8(out).unwrap_or_default()
}

/// A span's data under the rules, or `None` when they change nothing (or it is no object).
fn span_data(raw: &str, counts: &mut IngestCounts) -> Option<String> {
    let members = object_members(raw).ok()?;
    let generation = member(&members, "type") == Some("\"generation\"");
    let mut changed = false;
    let mut kept = Vec::with_capacity(members.len());
    for (key, value) in members {
        match span_field_rule(generation, &key, &value, counts) {
            FieldRule::Keep => kept.push((key, value)),
            FieldRule::Replace(text) if text == value => kept.push((key, value)),
            FieldRule::Drop => changed = true,
            FieldRule::Replace(text) => {
                changed = true;
                kept.push((key, Cow::Owned(text)));
            }
        }
    }
    changed.then(|| object_json(&kept))
}

/// Rewrites one member of an item under the rules (`None`: unchanged).
type Rewrite = fn(&str, &mut IngestCounts) -> Option<String>;

fn metadata(raw: &str, counts: &mut IngestCounts) -> Option<String> {
    flat_metadata(raw, &mut counts.flattened)
}

/// One item under the rules: a span's data, a trace's metadata flattened to strings. `None`:
/// unchanged (also for text that is not an item).
pub fn item(raw: &str, counts: &mut IngestCounts) -> Option<String> {
    let mut members = object_members(raw).ok()?;
    let (key, rewrite): (&str, Rewrite) = match member(&members, "object") {
        Some("\"trace.span\"") => ("span_data", span_data),
        Some("\"trace\"") => ("metadata", metadata),
        _ => return None,
    };
    let slot = members.iter_mut().find(|(k, _)| k == key)?;
    slot.1 = Cow::Owned(rewrite(&slot.1, counts)?);
    Some(object_json(&members))
}

/// An ingest body with every item under the rules; `None` when nothing changed (or the text is
/// not an ingest body: then it is sent as it is).
pub fn body(raw: &str, counts: &mut IngestCounts) -> Option<String> {
    let mut members = object_members(raw).ok()?;
    let slot = members.iter_mut().find(|(k, _)| k == "data")?;
    let items = array_items(&slot.1).ok()?;
    let mut changed = false;
    let rewritten: Vec<Cow<'_, str>> = items
        .into_iter()
        .map(|raw| match item(raw, counts) {
            Some(text) => {
                changed = true;
                Cow::Owned(text)
            }
            None => Cow::Borrowed(raw),
        })
        .collect();
    if !changed {
        return None;
    }
    let mut data = String::with_capacity(slot.1.len());
    data.push('[');
    for (i, text) in rewritten.iter().enumerate() {
        if i > 0 {
            data.push(',');
        }
        data.push_str(text);
    }
    data.push(']');
    slot.1 = Cow::Owned(data);
    Some(object_json(&members))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules(omit_reasoning: bool) -> IngestCounts {
        IngestCounts {
            omit_reasoning,
            ..IngestCounts::default()
        }
    }

    #[test]
    fn every_item_of_a_body_gets_the_rules() {
        let long = "x".repeat(150_000);
        let raw = format!(
            concat!(
                r#"{{"data":[{{"object":"trace","id":"trace_1","workflow_name":"w","group_id":null,"metadata":{{"n":1}}}},"#,
                r#"{{"object":"trace.span","id":"span_1","span_data":{{"type":"generation","input":[{{"type":"reasoning"}},"{long}"],"#,
                r#""usage":{{"input_tokens":1,"output_tokens":2,"requests":1}}}},"error":null}},"#,
                r#"{{"object":"trace.span","id":"span_2","span_data":{{"type":"function","input":"i","output":"o","name":"f"}},"error":null}}]}}"#
            ),
            long = long
        );
        let mut counts = rules(true);
        let out = body(&raw, &mut counts).unwrap();
        assert_eq!((counts.truncated, counts.flattened), (1, 1));
        let value: serde_json::Value = serde_json::from_str(&out).unwrap();
        let data = value["data"].as_array().unwrap();
        assert_eq!(data[0]["metadata"]["n"], "1");
        let generation = &data[1]["span_data"];
        assert!(
            !out.contains("reasoning"),
            "reasoning removed before the limit"
        );
        assert!(generation["input"][0]
            .as_str()
            .unwrap()
            .ends_with("... [truncated]"));
        assert_eq!(
            generation["usage"],
            serde_json::json!({"input_tokens":1,"output_tokens":2,"details":{"requests":1}})
        );
        assert!(raw.ends_with(&out[out.find(r#"{"object":"trace.span","id":"span_2""#).unwrap()..]));
        let mut again = rules(true);
        assert!(
            body(&out, &mut again).is_none(),
            "the rules change nothing twice"
        );
        assert_eq!(again, rules(true));
    }

    #[test]
    fn reasoning_stays_for_other_endpoints_and_non_items_pass() {
        let raw = r#"{"data":[{"object":"trace.span","span_data":{"type":"generation","input":[{"type":"reasoning"}]}},7,"x"]}"#;
        assert_eq!(body(raw, &mut rules(false)), None);
        assert_eq!(body("[1]", &mut rules(true)), None);
        assert_eq!(body(r#"{"data":7}"#, &mut rules(true)), None);
    }
}
