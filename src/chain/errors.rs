//! The error tracker: span errors grouped by span type and name, each group with its count, when
//! it was first and last seen and its last message (bounded: a fixed number of groups, messages
//! cut to a fixed length; errors of groups past the cap are counted only).

use super::alerts::span_name;
use crate::export::json::write_time_field;
use crate::json::escape::{write_str, JsonStr};
use crate::json::scan::string_value;
use crate::model::records::SpanRecord;
use crate::model::span_data::SpanKind;
use crate::model::time::Timestamp;

/// Groups kept at most by default.
pub const DEFAULT_MAX_GROUPS: usize = 256;
/// Bytes of a group's name and last message kept at most.
pub const MAX_TEXT_BYTES: usize = 512;

/// One group of errors: spans of one type and name that recorded an error.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ErrorGroup {
    /// The spans' type.
    pub kind: SpanKind,
    /// The spans' `name` field (`""` for types without one).
    pub name: String,
    /// Errors seen.
    pub count: u64,
    /// When the first one's span ended.
    pub first_seen: Option<Timestamp>,
    /// When the last one's span ended.
    pub last_seen: Option<Timestamp>,
    /// The last error's message (cut to `MAX_TEXT_BYTES`).
    pub last_message: String,
}

/// Groups span errors as they pass.
#[derive(Debug)]
pub struct ErrorTracker {
    groups: Vec<ErrorGroup>,
    max_groups: usize,
    errors: u64,
    ungrouped: u64,
}

/// `text` cut to at most `MAX_TEXT_BYTES`, at a character boundary.
fn cut(text: &str) -> String {
    let mut end = text.len().min(MAX_TEXT_BYTES);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text[..end].to_owned()
}

fn message_text(message: JsonStr<'_>) -> String {
    match message {
        JsonStr::Text(text) => cut(text),
        JsonStr::Literal(literal) => string_value(literal).map_or_else(String::new, |m| cut(&m)),
    }
}

impl ErrorTracker {
    /// A tracker keeping at most `max_groups` groups (>= 1).
    pub fn new(max_groups: usize) -> Self {
        ErrorTracker {
            groups: Vec::new(),
            max_groups: max_groups.max(1),
            errors: 0,
            ungrouped: 0,
        }
    }

    /// A span ended: its error, if any, is counted in its group.
    pub fn on_span_end(&mut self, span: &SpanRecord<'_>) {
        let Some(error) = &span.error else { return };
        self.errors += 1;
        let kind = span.data.kind();
        let name = span_name(&span.data).map_or_else(String::new, |name| cut(&name));
        let at = span.ended_at;
        let index = match self
            .groups
            .iter()
            .position(|g| g.kind == kind && g.name == name)
        {
            Some(index) => index,
            None if self.groups.len() < self.max_groups => {
                self.groups.push(ErrorGroup {
                    kind,
                    name,
                    count: 0,
                    first_seen: at,
                    last_seen: at,
                    last_message: String::new(),
                });
                self.groups.len() - 1
            }
            None => {
                self.ungrouped += 1;
                return;
            }
        };
        let group = &mut self.groups[index];
        group.count += 1;
        group.last_seen = at.max(group.last_seen);
        group.last_message = message_text(error.message);
    }

    /// The groups, in the order they were first seen.
    pub fn groups(&self) -> &[ErrorGroup] {
        &self.groups
    }

    /// Errors seen in all, and those of groups past the cap (counted only).
    pub fn counts(&self) -> (u64, u64) {
        (self.errors, self.ungrouped)
    }

    /// Forgets every group.
    pub fn clear(&mut self) {
        self.groups.clear();
    }

    /// The groups as a JSON array: `{type, name, count, first_seen, last_seen, last_message}`
    /// (times as ISO 8601 strings).
    pub fn groups_json(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(64 + 160 * self.groups.len());
        out.push(b'[');
        for (i, group) in self.groups.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            out.extend_from_slice(b"{\"type\":");
            write_str(&mut out, group.kind.type_name());
            out.extend_from_slice(b",\"name\":");
            write_str(&mut out, &group.name);
            out.extend_from_slice(b",\"count\":");
            out.extend_from_slice(group.count.to_string().as_bytes());
            write_time_field(&mut out, "first_seen", group.first_seen);
            write_time_field(&mut out, "last_seen", group.last_seen);
            out.extend_from_slice(b",\"last_message\":");
            write_str(&mut out, &group.last_message);
            out.push(b'}');
        }
        out.push(b']');
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ids::{SpanId, TraceId};
    use crate::model::records::SpanError;
    use crate::model::span_data::SpanData;

    fn failing<'a>(data: SpanData<'a>, message: &'a str, ended: f64) -> SpanRecord<'a> {
        SpanRecord {
            trace_id: TraceId([1; 16]),
            span_id: SpanId([2; 12]),
            parent_id: None,
            started_at: Some(Timestamp::from_millis(0.0).unwrap()),
            ended_at: Some(Timestamp::from_millis(ended).unwrap()),
            data,
            error: Some(SpanError::new(message.into(), "").unwrap()),
            api_key: None,
            choices: Default::default(),
        }
    }

    fn tool(name: &str) -> SpanData<'_> {
        SpanData::Function {
            name,
            input: "",
            output: "",
        }
    }

    #[test]
    fn groups_by_type_and_name() {
        let mut tracker = ErrorTracker::new(2);
        tracker.on_span_end(&failing(tool("search"), "timeout", 1_000.0));
        tracker.on_span_end(&failing(tool("search"), "rate limited", 3_000.0));
        let agent = SpanData::from_json(SpanKind::Agent, r#"{"name":"Planner"}"#).unwrap();
        tracker.on_span_end(&failing(agent, "max turns", 2_000.0));
        tracker.on_span_end(&failing(tool("third"), "over the cap", 4_000.0));
        let groups = tracker.groups();
        assert_eq!(groups.len(), 2);
        assert_eq!((groups[0].name.as_str(), groups[0].count), ("search", 2));
        assert_eq!(groups[0].last_message, "rate limited");
        assert_eq!(groups[0].first_seen.unwrap().millis(), 1_000);
        assert_eq!(groups[0].last_seen.unwrap().millis(), 3_000);
        assert_eq!(
            (groups[1].kind, groups[1].name.as_str()),
            (SpanKind::Agent, "Planner")
        );
        assert_eq!(tracker.counts(), (4, 1));
        let json = String::from_utf8(tracker.groups_json()).unwrap();
        assert!(json.starts_with(
            r#"[{"type":"function","name":"search","count":2,"first_seen":"1970-01-01T00:00:01.000Z","#
        ));
    }

    #[test]
    fn long_messages_are_cut_at_a_character_boundary() {
        let long = "é".repeat(MAX_TEXT_BYTES);
        let mut tracker = ErrorTracker::new(1);
        tracker.on_span_end(&failing(tool("t"), &long, 1.0));
        let message = &tracker.groups()[0].last_message;
        assert!(message.len() <= MAX_TEXT_BYTES && message.chars().all(|c| c == 'é'));
    }
}
