//! Reading an export item's JSON (the `toJSON()` shape) back into a record that borrows from the
//! text: how an item a JS stage passed on continues down the chain.

use std::borrow::Cow;

use crate::error::InputError;
use crate::json::escape::JsonStr;
use crate::json::scan::{object_members, string_value, Member};
use crate::model::ids::{SpanId, TraceId};
use crate::model::records::{SpanError, SpanRecord, TraceChoices, TraceRecord};
use crate::model::span_data::{SpanData, SpanKind};
use crate::model::time::Timestamp;

/// A record read from an item.
#[derive(Debug)]
pub enum ItemRecord<'a> {
    /// A trace item.
    Trace(TraceRecord<'a>),
    /// A span item.
    Span(SpanRecord<'a>),
}

/// The raw value of `key` among `members` (values borrow from the object's text).
fn member<'a>(members: &[Member<'a>], key: &str) -> Option<&'a str> {
    members
        .iter()
        .find(|(k, _)| k == key)
        .and_then(|(_, v)| match v {
            Cow::Borrowed(raw) => Some(*raw),
            Cow::Owned(_) => None,
        })
}

fn text<'a>(raw: Option<&'a str>) -> Result<Cow<'a, str>, InputError> {
    raw.and_then(string_value).ok_or(InputError::BadItem)
}

fn null_or<'a, T>(
    raw: Option<&'a str>,
    read: impl FnOnce(&'a str) -> Result<T, InputError>,
) -> Result<Option<T>, InputError> {
    match raw {
        None | Some("null") => Ok(None),
        Some(raw) => read(raw).map(Some),
    }
}

fn time(raw: Option<&str>) -> Result<Option<Timestamp>, InputError> {
    null_or(raw, |raw| Timestamp::parse_iso(&text(Some(raw))?))
}

/// A string field as the record keeps it: its JSON literal (no decoding, no copy).
fn literal(raw: Option<&str>) -> Result<JsonStr<'_>, InputError> {
    let raw = raw.ok_or(InputError::BadItem)?;
    JsonStr::literal(raw).map_err(|_| InputError::BadItem)
}

/// Reads an item; `api_key` and `choices` are what the item's JSON does not carry.
pub fn read_item<'a>(
    json: &'a str,
    api_key: Option<&'a str>,
    choices: TraceChoices,
) -> Result<ItemRecord<'a>, InputError> {
    let members = object_members(json).map_err(|_| InputError::BadItem)?;
    let raw = |key: &str| member(&members, key);
    match text(raw("object"))?.as_ref() {
        "trace" => Ok(ItemRecord::Trace(TraceRecord {
            id: TraceId::parse(&text(raw("id"))?)?,
            workflow_name: literal(raw("workflow_name"))?,
            group_id: null_or(raw("group_id"), |raw| literal(Some(raw)))?,
            metadata: null_or(raw("metadata"), |raw| Ok(Cow::Borrowed(raw)))?,
            api_key,
            choices,
        })),
        "trace.span" => {
            let data_raw = raw("span_data").ok_or(InputError::BadItem)?;
            let data_members = object_members(data_raw).map_err(|_| InputError::BadItem)?;
            let kind = SpanKind::from_type_name(&text(member(&data_members, "type"))?)?;
            Ok(ItemRecord::Span(SpanRecord {
                trace_id: TraceId::parse(&text(raw("trace_id"))?)?,
                span_id: SpanId::parse(&text(raw("id"))?)?,
                parent_id: null_or(raw("parent_id"), |raw| SpanId::parse(&text(Some(raw))?))?,
                started_at: time(raw("started_at"))?,
                ended_at: time(raw("ended_at"))?,
                data: SpanData::from_json(kind, data_raw)?,
                error: null_or(raw("error"), error)?,
                api_key,
                choices,
            }))
        }
        _ => Err(InputError::BadItem),
    }
}

/// A span error item `{message, data?}`.
fn error(raw: &str) -> Result<SpanError<'_>, InputError> {
    let members = object_members(raw).map_err(|_| InputError::BadItem)?;
    Ok(SpanError {
        message: literal(member(&members, "message"))?,
        data: null_or(member(&members, "data"), Ok)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::json::{write_span_item, write_trace_item};

    #[test]
    fn items_read_back_write_the_same_bytes() {
        let span = concat!(
            r#"{"object":"trace.span","id":"span_0123456789abcdef01234567","#,
            r#""trace_id":"trace_0123456789abcdef0123456789abcdef","parent_id":null,"#,
            r#""started_at":"2026-12-03T01:02:03.004Z","ended_at":"2026-12-03T01:02:04.000Z","#,
            r#""span_data":{"type":"generation","input":[{"role":"user","content":"caf\u00e9"}],"model":"m"},"#,
            r#""error":{"message":"bo\"om","data":{"x":1}}}"#
        );
        let Ok(ItemRecord::Span(record)) = read_item(span, Some("k"), TraceChoices::default())
        else {
            panic!("not a span");
        };
        assert_eq!(record.api_key, Some("k"));
        let mut out = Vec::new();
        write_span_item(&mut out, &record);
        assert_eq!(String::from_utf8(out).unwrap(), span);

        let trace = r#"{"object":"trace","id":"trace_0123456789abcdef0123456789abcdef","workflow_name":"w\u00e9","group_id":"g","metadata":{"a":"b"}}"#;
        let Ok(ItemRecord::Trace(record)) = read_item(trace, None, TraceChoices::default()) else {
            panic!("not a trace");
        };
        let mut out = Vec::new();
        write_trace_item(&mut out, &record);
        assert_eq!(String::from_utf8(out).unwrap(), trace);
    }

    #[test]
    fn malformed_items_are_refused() {
        for bad in [
            "[]",
            r#"{"object":"span"}"#,
            r#"{"object":"trace","id":"trace_x","workflow_name":"w"}"#,
            r#"{"object":"trace","id":"trace_0123456789abcdef0123456789abcdef","workflow_name":1}"#,
            r#"{"object":"trace.span","id":"span_0123456789abcdef01234567","trace_id":"trace_0123456789abcdef0123456789abcdef","span_data":{"type":"nope"}}"#,
        ] {
            assert!(
                read_item(bad, None, TraceChoices::default()).is_err(),
                "{bad}"
            );
        }
    }
}
