//! Token usage as spans record it (a generation's `usage`, after the SDK's reshaping or not; a
//! task's or turn's `data.usage`), and the rule that sums it without counting anything twice:
//! each subtree takes its usage from the most specific level present in it.

use std::ops::AddAssign;

use crate::json::scan::object_members;

/// Tokens of one model call, or a sum of them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Usage {
    /// Input tokens (cached ones included, as the API counts them).
    pub input: u64,
    /// Output tokens (reasoning ones included).
    pub output: u64,
    /// The part of `input` read from the prompt cache.
    pub cached_input: u64,
    /// The part of `output` spent reasoning.
    pub reasoning: u64,
}

impl AddAssign for Usage {
    fn add_assign(&mut self, other: Usage) {
        self.input += other.input;
        self.output += other.output;
        self.cached_input += other.cached_input;
        self.reasoning += other.reasoning;
    }
}

/// A JSON number's value as a count (a finite, non-negative number; fractions dropped).
fn count(raw: &str) -> Option<u64> {
    let value: f64 = raw.trim().parse().ok()?;
    (value.is_finite() && value >= 0.0).then_some(value as u64)
}

/// The raw value at `path` (object keys) inside `raw`.
fn at(raw: &str, path: &[&str]) -> Option<String> {
    let (first, rest) = path.split_first()?;
    let members = object_members(raw).ok()?;
    let (_, value) = members.into_iter().find(|(k, _)| k == first)?;
    if rest.is_empty() {
        Some(value.into_owned())
    } else {
        at(&value, rest)
    }
}

/// The first of `paths` that holds a count.
fn first_count(raw: &str, paths: &[&[&str]]) -> Option<u64> {
    paths
        .iter()
        .find_map(|path| at(raw, path).and_then(|v| count(&v)))
}

impl Usage {
    /// Usage from a `usage` object: `input_tokens` / `output_tokens` (or `prompt_tokens` /
    /// `completion_tokens`), cached and reasoning tokens wherever the SDKs put them (top level,
    /// `*_tokens_details`, or the reshaped `details`); `None` without input or output counts.
    pub fn from_json(raw: &str) -> Option<Usage> {
        let input = first_count(raw, &[&["input_tokens"], &["prompt_tokens"]]);
        let output = first_count(raw, &[&["output_tokens"], &["completion_tokens"]]);
        if input.is_none() && output.is_none() {
            return None;
        }
        let cached_input = first_count(
            raw,
            &[
                &["cached_input_tokens"],
                &["input_tokens_details", "cached_tokens"],
                &["prompt_tokens_details", "cached_tokens"],
                &["details", "cached_input_tokens"],
                &["details", "input_tokens_details", "cached_tokens"],
                &["details", "cached_tokens"],
            ],
        );
        let reasoning = first_count(
            raw,
            &[
                &["reasoning_tokens"],
                &["output_tokens_details", "reasoning_tokens"],
                &["completion_tokens_details", "reasoning_tokens"],
                &["details", "reasoning_tokens"],
                &["details", "output_tokens_details", "reasoning_tokens"],
            ],
        );
        Some(Usage {
            input: input.unwrap_or(0),
            output: output.unwrap_or(0),
            cached_input: cached_input.unwrap_or(0),
            reasoning: reasoning.unwrap_or(0),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usage_is_read_wherever_the_sdks_put_it() {
        let reshaped = r#"{"input_tokens":120,"output_tokens":30,"details":{"input_tokens_details":{"cached_tokens":100},"output_tokens_details":{"reasoning_tokens":12}}}"#;
        assert_eq!(
            Usage::from_json(reshaped),
            Some(Usage {
                input: 120,
                output: 30,
                cached_input: 100,
                reasoning: 12
            })
        );
        let task = r#"{"input_tokens":10,"output_tokens":5,"cached_input_tokens":4,"requests":2}"#;
        assert_eq!(Usage::from_json(task).unwrap().cached_input, 4);
        let chat = r#"{"prompt_tokens":7,"completion_tokens":3,"prompt_tokens_details":{"cached_tokens":2}}"#;
        assert_eq!(
            Usage::from_json(chat),
            Some(Usage {
                input: 7,
                output: 3,
                cached_input: 2,
                reasoning: 0
            })
        );
        for none in [
            r#"{}"#,
            r#"{"requests":1}"#,
            "[1]",
            r#"{"input_tokens":-1}"#,
        ] {
            assert_eq!(Usage::from_json(none), None, "{none}");
        }
    }
}
