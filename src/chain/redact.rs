//! Redaction rules: which object keys are sensitive and which secret patterns (bearer tokens, API
//! keys, JWTs, emails, card numbers, custom regexes) are masked, applied to the raw text of a JSON
//! value (every byte that is not redacted kept as it was) or to plain text.
//!
//! A JSON value is checked and rewritten in one pass of `json::tokens` (the walk every JSON
//! reader of the crate uses; a test holds it to `json::scan::validate`); nothing is allocated
//! unless something is redacted. A string holding JSON (escaped quotes) is walked as that JSON,
//! or, when it is not JSON, searched for quoted sensitive keys (JSON in prose or cut short), a
//! few levels down. While a string is scanned, its bytes are checked for what the default
//! patterns need (`bearer`, `sk-`, `AKIA`/`ASIA`, `eyJ`, `@`, 13 or more digits in a run); a
//! default regex then runs only over the stretch around each such spot, never over the whole
//! string. Custom patterns have no such filter: each runs over every string (regex-lite: ~25-30
//! ns a byte).

use crate::json::escape::write_str;
use crate::json::scan::{decoded, string_units};
use crate::json::tokens::{
    scan_literal, walk_all, Cursor, Kind, Scanned, Stop, Token, Validate, Visit,
};
use regex_lite::{Regex, RegexBuilder};
use std::fmt;

/// What a value under a sensitive key becomes (written as a JSON string).
pub const KEY_MARKER: &str = "[REDACTED]";

/// `KEY_MARKER` as JSON text.
const KEY_MARKER_JSON: &str = "\"[REDACTED]\"";

/// Containers nested deeper than this make a value unwalkable: it is redacted whole.
const MAX_DEPTH: usize = 64;

/// How many levels of JSON inside string literals inside JSON inside text are followed.
const MAX_EMBEDDED: usize = 4;

/// The most patterns a rule set holds (defaults included).
const MAX_PATTERNS: usize = 64;

/// The longest pattern name.
const MAX_NAME_LEN: usize = 32;

/// The compiled size a pattern may reach (bounds the memory compiling it takes).
const REGEX_SIZE_LIMIT: usize = 1 << 20;

/// What was redacted, counted.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RedactCounts {
    /// Values replaced because their key is sensitive (and unwalkable values replaced whole).
    pub keys: u64,
    /// Pattern matches replaced in strings and text.
    pub patterns: u64,
}

/// A pattern rule that cannot be added (`message` names the problem).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RuleError {
    /// Not a valid regex (regex-lite syntax), or one that compiles too big.
    BadPattern,
    /// A name that is not 1 to 32 characters of `a-z`, `0-9` and `_`.
    BadName,
    /// The rule set already holds the most patterns it may.
    TooMany,
    /// A sensitive key with no letter or digit (it would match nothing).
    EmptyKey,
    /// No pattern has the name given to remove.
    UnknownPattern,
}

impl RuleError {
    /// What was wrong, for the error message.
    pub fn message(self) -> &'static str {
        match self {
            RuleError::BadPattern => {
                "redaction pattern is not a valid regex (regex-lite syntax) or compiles larger than 1 MB"
            }
            RuleError::BadName => {
                "redaction pattern name must be 1 to 32 characters of a-z, 0-9 and _"
            }
            RuleError::TooMany => "at most 64 redaction patterns",
            RuleError::EmptyKey => {
                "a sensitive key must hold a letter or digit (keys are matched without _, -, . and spaces)"
            }
            RuleError::UnknownPattern => {
                "no redaction pattern has this name (the defaults are bearer, openai_key, aws_key, jwt, email and card)"
            }
        }
    }

    /// Whether it is about a number out of range (a `RangeError` in JS) rather than a value of
    /// the wrong shape.
    pub fn is_range(self) -> bool {
        self == RuleError::TooMany
    }
}

impl fmt::Display for RuleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}

impl std::error::Error for RuleError {}

/// Pre-filter bits: what a string must hold for a default pattern to possibly match.
const T_BEARER: u8 = 1;
const T_OPENAI: u8 = 1 << 1;
const T_AWS: u8 = 1 << 2;
const T_JWT: u8 = 1 << 3;
const T_EMAIL: u8 = 1 << 4;
const T_CARD: u8 = 1 << 5;

/// The default regex patterns: name, regex, pre-filter bit (`card` is matched by hand, below).
const DEFAULT_REGEXES: [(&str, &str, u8); 5] = [
    ("bearer", r"(?i)\bbearer\s+[A-Za-z0-9._~+/-]+=*", T_BEARER),
    ("openai_key", r"\bsk-[A-Za-z0-9_-]{16,}", T_OPENAI),
    ("aws_key", r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b", T_AWS),
    (
        "jwt",
        r"\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}",
        T_JWT,
    ),
    (
        "email",
        r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}",
        T_EMAIL,
    ),
];

/// How a pattern finds its matches.
#[derive(Clone, Debug)]
enum Matcher {
    /// A regex.
    Regex(Regex),
    /// 13 to 19 digits, single spaces or dashes between them allowed, passing the Luhn check.
    Card,
}

/// A named pattern.
#[derive(Clone, Debug)]
struct Pattern {
    name: Box<str>,
    matcher: Matcher,
    /// The pre-filter bit of a default pattern; 0 for a custom one (it runs on every string).
    trigger: u8,
}

/// Which keys are sensitive and which patterns are masked.
#[derive(Clone, Debug)]
pub struct RedactRules {
    /// Normalized rule keys; none is a suffix of another.
    keys: Vec<Box<[u8]>>,
    patterns: Vec<Pattern>,
    /// The pre-filter bits of the default patterns held.
    triggers: u8,
    /// Whether a custom pattern is held (then every string is matched).
    custom: bool,
}

impl RedactRules {
    /// The secure defaults' sensitive keys (matched normalized, as suffixes; see `key_matches`).
    pub const DEFAULT_KEYS: &'static [&'static str] = &[
        "password",
        "passwd",
        "pwd",
        "secret",
        "token",
        "api_key",
        "apikey",
        "authorization",
        "auth",
        "cookie",
        "private_key",
        "access_key",
        "client_secret",
        "credentials",
        "ssn",
        "set_cookie",
    ];

    /// Names of the default patterns, in order: "bearer", "openai_key", "aws_key", "jwt",
    /// "email", "card".
    pub const DEFAULT_PATTERNS: &'static [&'static str] =
        &["bearer", "openai_key", "aws_key", "jwt", "email", "card"];

    /// No keys and no patterns: nothing is redacted.
    pub fn empty() -> Self {
        RedactRules {
            keys: Vec::new(),
            patterns: Vec::new(),
            triggers: 0,
            custom: false,
        }
    }

    /// The secure defaults: DEFAULT_KEYS and the default patterns.
    pub fn with_defaults() -> Self {
        let mut rules = RedactRules::empty();
        for key in Self::DEFAULT_KEYS {
            // Every default key holds letters: none is refused.
            rules.add_key(key).ok();
        }
        for (name, pattern, trigger) in DEFAULT_REGEXES {
            // The defaults compile (a test checks); a failure would only drop that pattern.
            if let Ok(regex) = compile(pattern) {
                rules.patterns.push(Pattern {
                    name: name.into(),
                    matcher: Matcher::Regex(regex),
                    trigger,
                });
            }
        }
        rules.patterns.push(Pattern {
            name: "card".into(),
            matcher: Matcher::Card,
            trigger: T_CARD,
        });
        rules.refresh();
        rules
    }

    /// Makes `key` sensitive: a field key matches when, ASCII-lowercased with `_`, `-`, `.` and
    /// spaces removed, it equals or ends with `key` so normalized. `EmptyKey` if that is empty.
    pub fn add_key(&mut self, key: &str) -> Result<(), RuleError> {
        let normalized: Vec<u8> = key
            .bytes()
            .filter(|&byte| !is_key_separator(byte))
            .map(|byte| byte.to_ascii_lowercase())
            .collect();
        if normalized.is_empty() {
            return Err(RuleError::EmptyKey);
        }
        if !self.keys.iter().any(|rule| normalized.ends_with(rule)) {
            self.keys.retain(|rule| !rule.ends_with(&normalized));
            self.keys.push(normalized.into_boxed_slice());
        }
        Ok(())
    }

    /// Adds a regex (regex-lite syntax) whose matches in strings become `[REDACTED:<name>]`.
    /// `name` is 1 to 32 characters of `a-z`, `0-9` and `_`; a pattern of the same name is
    /// replaced (keeping its place, and then matched as a custom pattern: a replaced `card` has no
    /// Luhn check). At most 64 patterns; one that compiles larger than 1 MB is `BadPattern`.
    pub fn add_pattern(&mut self, name: &str, pattern: &str) -> Result<(), RuleError> {
        let name_ok = (1..=MAX_NAME_LEN).contains(&name.len())
            && name
                .bytes()
                .all(|byte| matches!(byte, b'a'..=b'z' | b'0'..=b'9' | b'_'));
        if !name_ok {
            return Err(RuleError::BadName);
        }
        let existing = self.patterns.iter().position(|held| &*held.name == name);
        if existing.is_none() && self.patterns.len() >= MAX_PATTERNS {
            return Err(RuleError::TooMany);
        }
        let regex = compile(pattern).map_err(|_| RuleError::BadPattern)?;
        let added = Pattern {
            name: name.into(),
            matcher: Matcher::Regex(regex),
            trigger: 0,
        };
        match existing {
            Some(at) => self.patterns[at] = added,
            None => self.patterns.push(added),
        }
        self.refresh();
        Ok(())
    }

    /// Removes the pattern named `name` (a default one too, e.g. "email"); `UnknownPattern` when
    /// there is none.
    pub fn remove_pattern(&mut self, name: &str) -> Result<(), RuleError> {
        let before = self.patterns.len();
        self.patterns.retain(|held| &*held.name != name);
        self.refresh();
        if self.patterns.len() == before {
            Err(RuleError::UnknownPattern)
        } else {
            Ok(())
        }
    }

    /// Whether a field key is sensitive (see `add_key`).
    pub fn key_matches(&self, key: &str) -> bool {
        let bytes = key.as_bytes();
        let Some(last) = bytes.iter().rev().find(|&&byte| !is_key_separator(byte)) else {
            return false;
        };
        let last = last.to_ascii_lowercase();
        self.keys
            .iter()
            .any(|rule| rule.last() == Some(&last) && ends_with_normalized(bytes, rule))
    }

    /// Rewrites the raw JSON text of a value (object/array/string/number/...); None when nothing
    /// changed. A sensitive key's value becomes `"[REDACTED]"` (counted in `keys`), each pattern
    /// match in a string `[REDACTED:<name>]` (counted in `patterns`); the rest of the text is kept
    /// byte for byte. A value that cannot be walked (not valid JSON, or containers nested deeper
    /// than 64 anywhere in it, under a sensitive key too) becomes `"[REDACTED]"` whole, counted in
    /// `keys`. With no rules at all, always None (the text is not even looked at).
    pub fn redact_json(&self, raw: &str, counts: &mut RedactCounts) -> Option<String> {
        if self.is_empty() {
            return None;
        }
        self.redact_walkable(raw, counts)
            .unwrap_or_else(|Unwalkable| {
                counts.keys += 1;
                Some(KEY_MARKER_JSON.to_owned())
            })
    }

    /// `redact_json` of text that may not be JSON: `Unwalkable` when it is not (or too deep).
    fn redact_walkable(
        &self,
        raw: &str,
        counts: &mut RedactCounts,
    ) -> Result<Option<String>, Unwalkable> {
        let mut walk = Walk::new(self, raw);
        walk.run()?;
        counts.keys += walk.counts.keys;
        counts.patterns += walk.counts.patterns;
        Ok(walk.out.finish())
    }

    /// Rewrites plain text (not JSON); None when nothing changed. The values of sensitive keys
    /// in JSON the text holds (whole, embedded in prose, cut short, or inside its string
    /// literals) become `"[REDACTED]"`, counted in `keys`; then each pattern match becomes
    /// `[REDACTED:<name>]`, counted in `patterns`.
    pub fn redact_text(&self, text: &str, counts: &mut RedactCounts) -> Option<String> {
        let embedded = self.redact_embedded(text, &mut counts.keys, 0);
        let text = embedded.as_deref().unwrap_or(text);
        let triggers = prefilter(text.as_bytes(), self.triggers);
        self.redact_plain(text, triggers, &mut counts.patterns)
            .or(embedded)
    }

    /// Whether the rules hold no key and no pattern.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty() && self.patterns.is_empty()
    }

    /// Recomputes the pre-filter summary after the patterns changed.
    fn refresh(&mut self) {
        self.triggers = self
            .patterns
            .iter()
            .fold(0, |bits, held| bits | held.trigger);
        self.custom = self.patterns.iter().any(|held| held.trigger == 0);
    }

    /// Whether the raw body of a key's string literal names a sensitive key.
    fn key_body_matches(&self, body: &str) -> bool {
        if self.keys.is_empty() {
            return false;
        }
        if body.contains('\\') {
            self.key_matches(&String::from_utf16_lossy(&string_units(body)))
        } else {
            self.key_matches(body)
        }
    }

    /// The decoded text of a string literal's raw body (`scan` its pass) with the values of
    /// sensitive keys in JSON it holds and the patterns' matches replaced; None when nothing
    /// matched or the body holds a lone surrogate (then it is kept as it is).
    fn redact_body(&self, body: &str, scan: &Scan, counts: &mut RedactCounts) -> Option<String> {
        // JSON inside a string shows as escaped quotes in its literal: walked as JSON when it is
        // JSON (a tool's arguments or result), else searched as text.
        if scan.escaped && !self.keys.is_empty() && body.contains("\\\"") {
            let text = decoded(body)?;
            return match self.redact_walkable(&text, counts) {
                Ok(redacted) => redacted,
                Err(Unwalkable) => self.redact_text(&text, counts),
            };
        }
        if !scan.escaped {
            return self.redact_plain(body, scan.triggers, &mut counts.patterns);
        }
        if !self.custom && !scan.unicode && scan.triggers == 0 {
            return None;
        }
        let text = decoded(body)?;
        let triggers = if scan.unicode {
            prefilter(text.as_bytes(), self.triggers)
        } else {
            scan.triggers
        };
        self.redact_plain(&text, triggers, &mut counts.patterns)
    }

    /// `text` with the value of each sensitive key in JSON it holds replaced by the marker: a
    /// quoted key followed by `:` anywhere in it (JSON whole, embedded in prose, or cut short:
    /// a value the text ends inside is replaced to the end), and, `depth` levels down at most,
    /// JSON inside its string literals. None when there is none.
    fn redact_embedded(&self, text: &str, keys: &mut u64, depth: usize) -> Option<String> {
        if self.keys.is_empty() || !text.contains('"') {
            return None;
        }
        let bytes = text.as_bytes();
        let mut out = String::new();
        let mut copied = 0;
        let mut replace = |out: &mut String, start: usize, end: usize, with: &str| {
            out.push_str(text.get(copied..start).unwrap_or(""));
            out.push_str(with);
            copied = end;
        };
        let mut at = 0;
        while let Some(skip) = bytes
            .get(at..)
            .and_then(|rest| rest.iter().position(|&b| b == b'"'))
        {
            let start = at + skip;
            let (end, escaped) = match scan_literal(bytes, start + 1) {
                Scanned::End { end, escaped } => (end, escaped),
                Scanned::Incomplete => break,
                Scanned::Invalid(_) => {
                    at = start + 1;
                    continue;
                }
            };
            let colon = skip_space(bytes, end);
            if bytes.get(colon) == Some(&b':') {
                // A key: its value is dropped when the key is sensitive.
                let value = skip_space(bytes, colon + 1);
                let body = text.get(start + 1..end - 1).unwrap_or("");
                if value < bytes.len() && self.key_body_matches(body) {
                    let value_end = embedded_value_end(bytes, value);
                    replace(&mut out, value, value_end, KEY_MARKER_JSON);
                    *keys += 1;
                    at = value_end;
                } else {
                    at = colon + 1;
                }
                continue;
            }
            // A string literal: JSON inside it (escaped) is followed one level down.
            if escaped && depth < MAX_EMBEDDED {
                let inner = decoded(text.get(start + 1..end - 1).unwrap_or(""));
                if let Some(redacted) =
                    inner.and_then(|inner| self.redact_embedded(&inner, keys, depth + 1))
                {
                    let mut literal = Vec::with_capacity(redacted.len() + 2);
                    write_str(&mut literal, &redacted);
                    replace(
                        &mut out,
                        start,
                        end,
                        &String::from_utf8(literal).unwrap_or_default(),
                    );
                    at = end;
                    continue;
                }
            }
            // Quotes in prose may pair up wrongly: the closing quote may open the next literal.
            at = end - 1;
        }
        if copied == 0 {
            return None;
        }
        out.push_str(text.get(copied..).unwrap_or(""));
        Some(out)
    }

    /// `text` with the patterns' matches replaced (overlapping matches merge into the first's
    /// marker); None when nothing matched. `triggered`: the pre-filter bits of `text`.
    fn redact_plain(&self, text: &str, triggered: u8, count: &mut u64) -> Option<String> {
        if triggered == 0 && !self.custom {
            return None;
        }
        let mut out = String::new();
        let mut copied = 0;
        self.regions(text, triggered, |start, end, name| {
            if out.capacity() == 0 {
                out.reserve(text.len() + 16);
            }
            out.push_str(text.get(copied..start).unwrap_or(""));
            out.push_str("[REDACTED:");
            out.push_str(name);
            out.push(']');
            copied = end;
            *count += 1;
        });
        if out.is_empty() {
            return None;
        }
        out.push_str(text.get(copied..).unwrap_or(""));
        Some(out)
    }

    /// Reports, in order, the stretches of `text` to replace and the name of the pattern each is
    /// for: the patterns' matches, overlapping ones merged (named by the first to start; on a tie,
    /// the earlier pattern). `triggered`: the pre-filter bits of `text`.
    fn regions(&self, text: &str, triggered: u8, mut report: impl FnMut(usize, usize, &str)) {
        // Each pattern's matches, in order of their starts: one run of `found` per pattern
        // (`runs` holds each run's cursor and end).
        let mut found: Vec<(usize, usize, usize)> = Vec::new();
        let mut runs: Vec<(usize, usize)> = Vec::new();
        for (index, held) in self.patterns.iter().enumerate() {
            if held.trigger != 0 && triggered & held.trigger == 0 {
                continue;
            }
            let run_start = found.len();
            match &held.matcher {
                Matcher::Regex(regex) if held.trigger == 0 => {
                    find_all(regex, text, 0, index, &mut found);
                }
                // A default regex runs only over the stretches that can hold its matches.
                Matcher::Regex(regex) => windows(held.trigger, text.as_bytes(), |start, end| {
                    text.get(start..end).map_or(end, |window| {
                        find_all(regex, window, start, index, &mut found)
                    })
                }),
                Matcher::Card => card_matches(text.as_bytes(), |start, end| {
                    found.push((start, end, index));
                }),
            }
            if found.len() > run_start {
                runs.push((run_start, found.len()));
            }
        }
        // Merge the runs by start (on a tie, the earlier pattern first; no sort: smaller in wasm),
        // and overlapping matches into one region.
        let mut open: Option<(usize, usize, usize)> = None;
        loop {
            // The run whose next match starts first: (run, start).
            let mut next: Option<(usize, usize)> = None;
            for (run, &(cursor, end)) in runs.iter().enumerate() {
                let Some(&(start, _, _)) = found.get(cursor).filter(|_| cursor < end) else {
                    continue;
                };
                if next.map_or(true, |(_, best)| start < best) {
                    next = Some((run, start));
                }
            }
            let hit = next.and_then(|(run, _)| {
                let cursor = runs.get_mut(run)?;
                cursor.0 += 1;
                found.get(cursor.0 - 1).copied()
            });
            match (open, hit) {
                (Some((start, end, index)), Some((later, later_end, _))) if later < end => {
                    open = Some((start, end.max(later_end), index));
                    continue;
                }
                (Some((start, end, index)), _) => {
                    let name = self.patterns.get(index).map_or("", |held| &*held.name);
                    report(start, end, name);
                }
                (None, _) => {}
            }
            if hit.is_none() {
                break;
            }
            open = hit;
        }
    }
}

/// A value that cannot be walked: not valid JSON, or nested deeper than `MAX_DEPTH`.
#[derive(Debug, PartialEq, Eq)]
struct Unwalkable;

/// One pass over a JSON value (read by `json::tokens`, so what can be walked is exactly what
/// `json::scan::validate` accepts) splicing in what is redacted.
struct Walk<'a> {
    rules: &'a RedactRules,
    raw: &'a str,
    out: Splice<'a>,
    counts: RedactCounts,
    /// Whether string values are matched against the patterns.
    matching: bool,
    /// What the scan of the last string value noted.
    last: Scan,
    /// A sensitive key was read: its value is the next one.
    drop_next: bool,
    /// The value being dropped (under a sensitive key): where it starts and its depth.
    dropping: Option<(usize, usize)>,
}

impl<'a> Walk<'a> {
    fn new(rules: &'a RedactRules, raw: &'a str) -> Self {
        Walk {
            rules,
            raw,
            out: Splice {
                raw,
                out: None,
                copied: 0,
            },
            counts: RedactCounts::default(),
            matching: !rules.patterns.is_empty(),
            last: Scan::default(),
            drop_next: false,
            dropping: None,
        }
    }

    fn run(&mut self) -> Result<(), Unwalkable> {
        walk_all(self.raw, self).map_err(|_| Unwalkable)
    }

    /// A value starts at `start`, `depth` deep: the one under a sensitive key starts dropping.
    fn starts(&mut self, start: usize, depth: usize) {
        if self.drop_next {
            self.drop_next = false;
            self.dropping = Some((start, depth));
        }
    }

    /// A value at `depth` ended just before `end`: if it is the one being dropped, it becomes
    /// the marker.
    fn ends(&mut self, end: usize, depth: usize) {
        if let Some((start, at_depth)) = self.dropping {
            if at_depth == depth {
                self.out
                    .replace(start, end)
                    .extend_from_slice(KEY_MARKER_JSON.as_bytes());
                self.counts.keys += 1;
                self.dropping = None;
            }
        }
    }
}

impl Visit for Walk<'_> {
    fn open(&mut self, _object: bool, start: usize, depth: usize) -> bool {
        self.starts(start, depth);
        depth < MAX_DEPTH
    }

    fn close(&mut self, _object: bool, end: usize, depth: usize) {
        self.ends(end, depth);
    }

    fn key(&mut self, key: Token, _depth: usize) {
        let body = &self.raw[key.start + 1..key.end - 1];
        self.drop_next = self.dropping.is_none() && self.rules.key_body_matches(body);
    }

    fn scalar(&mut self, value: Token, depth: usize) {
        self.starts(value.start, depth);
        if value.kind == Kind::Str && self.dropping.is_none() && self.matching {
            let body = &self.raw[value.start + 1..value.end - 1];
            if let Some(text) = self.rules.redact_body(body, &self.last, &mut self.counts) {
                write_str(self.out.replace(value.start, value.end), &text);
            }
        }
        self.ends(value.end, depth);
    }

    /// Checks the literal and, for a string value matched against the patterns, notes in the
    /// same pass what the default patterns need.
    fn scan_string(&mut self, bytes: &[u8], from: usize, key: bool) -> Scanned {
        let want = if key || self.dropping.is_some() || self.drop_next || !self.matching {
            0
        } else {
            self.rules.triggers
        };
        self.last = scan::<true>(bytes, from, want);
        if self.last.valid {
            Scanned::End {
                end: self.last.end,
                escaped: self.last.escaped,
            }
        } else {
            Scanned::Invalid(self.last.end)
        }
    }
}

/// The first byte from `at` on that is not whitespace.
fn skip_space(bytes: &[u8], at: usize) -> usize {
    let mut cursor = Cursor::new(bytes, at, true);
    cursor.skip_space();
    cursor.at
}

/// Where the value starting at `from` of JSON embedded in text ends: a string literal, object
/// or array to its end (to the text's end when it is cut short there, to where its grammar breaks
/// when it is not JSON); anything else to the next space, `,`, `}` or `]`.
fn embedded_value_end(bytes: &[u8], from: usize) -> usize {
    match bytes.get(from) {
        Some(b'"' | b'{' | b'[') => {
            let mut cursor = Cursor::new(bytes, from, true);
            match cursor.walk(&mut Validate) {
                Ok(()) => cursor.at,
                Err(Stop::Incomplete) => bytes.len(),
                Err(Stop::Syntax(at) | Stop::Refused(at)) => at.max(from + 1).min(bytes.len()),
            }
        }
        _ => bytes
            .get(from..)
            .and_then(|rest| {
                rest.iter()
                    .position(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b',' | b'}' | b']'))
            })
            .map_or(bytes.len(), |skip| from + skip),
    }
}

/// The output of a walk, made only when something is replaced.
struct Splice<'a> {
    raw: &'a str,
    out: Option<Vec<u8>>,
    /// How much of `raw` is in `out`.
    copied: usize,
}

impl Splice<'_> {
    /// Drops `raw[start..end]`, returning the output to write its replacement to.
    fn replace(&mut self, start: usize, end: usize) -> &mut Vec<u8> {
        let raw = self.raw.as_bytes();
        let out = self
            .out
            .get_or_insert_with(|| Vec::with_capacity(raw.len() + 16));
        out.extend_from_slice(raw.get(self.copied..start).unwrap_or_default());
        self.copied = end;
        out
    }

    /// The rewritten text, if anything was replaced.
    fn finish(self) -> Option<String> {
        let mut out = self.out?;
        out.extend_from_slice(self.raw.as_bytes().get(self.copied..).unwrap_or_default());
        // Always UTF-8 (raw text cut at ASCII bytes, and `write_str` output); never keep the
        // original should it somehow not be.
        Some(String::from_utf8(out).unwrap_or_else(|_| KEY_MARKER_JSON.to_owned()))
    }
}

/// Compiles a pattern, its compiled size bounded.
fn compile(pattern: &str) -> Result<Regex, regex_lite::Error> {
    RegexBuilder::new(pattern)
        .size_limit(REGEX_SIZE_LIMIT)
        .build()
}

/// The bytes key normalization removes.
fn is_key_separator(byte: u8) -> bool {
    matches!(byte, b'_' | b'-' | b'.' | b' ')
}

/// Whether `key`, normalized, ends with the normalized rule key `rule`.
fn ends_with_normalized(key: &[u8], rule: &[u8]) -> bool {
    let mut key = key
        .iter()
        .rev()
        .filter(|&&byte| !is_key_separator(byte))
        .map(|byte| byte.to_ascii_lowercase());
    rule.iter().rev().all(|&byte| key.next() == Some(byte))
}

/// Bytes the pre-filter stops at: what the default patterns need, and in a literal `"`, `\\` and
/// control characters.
const INTERESTING: [bool; 256] = {
    let mut table = [false; 256];
    let mut byte = 0;
    while byte < 256 {
        // Control characters (a literal may not hold them) and digits.
        table[byte] = byte < 0x20 || (byte as u8).is_ascii_digit();
        byte += 1;
    }
    let mut at = 0;
    let others = b"@bB-AJ\"\\";
    while at < others.len() {
        table[others[at] as usize] = true;
        at += 1;
    }
    table
};

/// What one pass over a string found.
#[derive(Default)]
struct Scan {
    /// Just past the closing quote (a literal), or the text's end.
    end: usize,
    /// Plain text, or a literal with a closing quote, valid escapes and no control character.
    valid: bool,
    /// Pre-filter bits of the default patterns that might match.
    triggers: u8,
    /// Whether the literal has escapes.
    escaped: bool,
    /// Whether it has a `\u` escape (which can spell any character, so the raw text's
    /// pre-filter bits do not tell).
    unicode: bool,
}

/// One pass over a string: with `LITERAL`, the body of a JSON string literal from `from` up to
/// its closing quote, checked; otherwise plain text to its end. Notes which of the default
/// patterns in `want` might match: `bearer` (any case), `sk-`, `AKIA`/`ASIA`, `eyJ`, `@`, 13 or
/// more digits in a run. In a literal, escapes other than `\u` decode to none of those bytes, so
/// the raw body's bits hold for the decoded text unless `unicode`.
fn scan<const LITERAL: bool>(bytes: &[u8], from: usize, want: u8) -> Scan {
    let mut scan = Scan {
        end: bytes.len(),
        valid: !LITERAL,
        triggers: 0,
        escaped: false,
        unicode: false,
    };
    let mut at = from;
    while let Some(skip) = bytes
        .get(at..)
        .and_then(|rest| rest.iter().position(|&byte| INTERESTING[usize::from(byte)]))
    {
        let here = at + skip;
        let byte = bytes[here];
        at = here + 1;
        if LITERAL {
            match byte {
                b'"' => {
                    scan.end = at;
                    scan.valid = true;
                    break;
                }
                b'\\' => {
                    scan.escaped = true;
                    match bytes.get(at) {
                        Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => at += 1,
                        Some(b'u')
                            if bytes
                                .get(at + 1..at + 5)
                                .is_some_and(|hex| hex.iter().all(u8::is_ascii_hexdigit)) =>
                        {
                            scan.unicode = true;
                            at += 5;
                        }
                        _ => break,
                    }
                    continue;
                }
                0x00..=0x1f => break,
                _ => {}
            }
        }
        if scan.triggers & want == want {
            if LITERAL {
                continue;
            }
            break;
        }
        let after = |word: &[u8]| bytes.get(at..at + word.len()) == Some(word);
        let before = |word: &[u8]| here >= 2 && bytes.get(here - 2..here) == Some(word);
        scan.triggers |= match byte {
            b'@' => T_EMAIL,
            b'b' | b'B'
                if bytes
                    .get(at..at + 5)
                    .is_some_and(|rest| rest.eq_ignore_ascii_case(b"earer")) =>
            {
                T_BEARER
            }
            b'-' if before(b"sk") => T_OPENAI,
            b'A' if after(b"KIA") || after(b"SIA") => T_AWS,
            b'J' if before(b"ey") => T_JWT,
            b'0'..=b'9' => {
                let (digits, end) = digit_run(bytes, here);
                at = end;
                if digits >= 13 {
                    T_CARD
                } else {
                    0
                }
            }
            _ => 0,
        };
    }
    scan.triggers &= want;
    scan
}

/// Which of the default patterns in `want` might match plain `text`.
fn prefilter(text: &[u8], want: u8) -> u8 {
    scan::<false>(text, 0, want).triggers
}

/// How many digits the run starting at `start` holds (single spaces or dashes allowed between
/// digits), and where it ends.
fn digit_run(bytes: &[u8], start: usize) -> (usize, usize) {
    let mut digits = 0;
    let mut at = start;
    loop {
        match bytes.get(at) {
            Some(b'0'..=b'9') => {
                digits += 1;
                at += 1;
            }
            Some(b' ' | b'-')
                if digits > 0 && bytes.get(at + 1).is_some_and(u8::is_ascii_digit) =>
            {
                at += 1;
            }
            _ => return (digits, at),
        }
    }
}

/// Adds the non-empty matches of `regex` in `text` (found at `offset` of the whole) to `found`;
/// where the last one ends (`offset` if none).
fn find_all(
    regex: &Regex,
    text: &str,
    offset: usize,
    index: usize,
    found: &mut Vec<(usize, usize, usize)>,
) -> usize {
    let mut last = offset;
    for hit in regex.find_iter(text).filter(|hit| !hit.is_empty()) {
        last = offset + hit.end();
        found.push((offset + hit.start(), last, index));
    }
    last
}

/// Reports the stretches of `bytes` that can hold a match of the default regex with pre-filter
/// bit `trigger`: every match lies inside one, and the regex finds the same in a stretch cut out
/// as in place (a stretch starts at a checked word boundary or where the email's local part can
/// start, and ends before a byte no match may hold, which is never a word byte). Running the regex
/// over these alone keeps its cost to the candidates, not the whole string. `report` runs it and
/// returns where its last match ended: the search goes on from there, as over the whole text.
fn windows(trigger: u8, bytes: &[u8], mut report: impl FnMut(usize, usize) -> usize) {
    let mut at = 0;
    while let Some(&byte) = bytes.get(at) {
        let start = at;
        at += 1;
        let follows = |word: &[u8]| bytes.get(at..at + word.len()) == Some(word);
        let window = match trigger {
            T_EMAIL if byte == b'@' => {
                let mut lo = start;
                while lo > 0 && is_email_local(bytes[lo - 1]) {
                    lo -= 1;
                }
                Some((lo, extend(bytes, at, is_email_domain)))
            }
            _ if start > 0 && is_word(bytes[start - 1]) => None,
            T_BEARER
                if byte.eq_ignore_ascii_case(&b'b')
                    && bytes
                        .get(at..at + 5)
                        .is_some_and(|rest| rest.eq_ignore_ascii_case(b"earer")) =>
            {
                let token = extend(bytes, at + 5, is_space);
                (token > at + 5).then(|| (start, extend(bytes, token, is_token)))
            }
            T_OPENAI if byte == b's' && follows(b"k-") => {
                Some((start, extend(bytes, at, is_token)))
            }
            T_AWS if byte == b'A' && (follows(b"KIA") || follows(b"SIA")) => {
                Some((start, extend(bytes, at, is_token)))
            }
            T_JWT if byte == b'e' && follows(b"yJ") => Some((start, extend(bytes, at, is_token))),
            _ => None,
        };
        if let Some((lo, hi)) = window {
            at = at.max(report(lo, hi));
        }
    }
}

/// Past the run of bytes from `at` that `class` accepts.
fn extend(bytes: &[u8], mut at: usize, class: fn(u8) -> bool) -> usize {
    while bytes.get(at).is_some_and(|&byte| class(byte)) {
        at += 1;
    }
    at
}

/// `[A-Za-z0-9._%+-]`, an email's local part.
fn is_email_local(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || matches!(byte, b'.' | b'_' | b'%' | b'+' | b'-')
}

/// `[A-Za-z0-9.-]`, an email's domain.
fn is_email_domain(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || matches!(byte, b'.' | b'-')
}

/// `\s` in regex-lite: ASCII whitespace.
fn is_space(byte: u8) -> bool {
    matches!(byte, b'\t' | b'\n' | 0x0b | 0x0c | b'\r' | b' ')
}

/// The bytes of a token's tail in the bearer, openai_key, aws_key and jwt patterns (every word
/// byte among them).
fn is_token(byte: u8) -> bool {
    is_word(byte) || matches!(byte, b'.' | b'~' | b'+' | b'/' | b'-' | b'=')
}

/// A regex word byte (`\w` in regex-lite: ASCII).
fn is_word(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || byte == b'_'
}

/// Reports each card number in `bytes`: 13 to 19 digits (single spaces or dashes between
/// digit groups allowed) passing the Luhn check, starting and ending at a word boundary. In a
/// longer run of groups, the earliest starting group wins, then the longest window from it.
fn card_matches(bytes: &[u8], mut report: impl FnMut(usize, usize)) {
    let mut groups: Vec<(usize, usize)> = Vec::new();
    let mut at = 0;
    while let Some(&byte) = bytes.get(at) {
        if !byte.is_ascii_digit() || (at > 0 && is_word(bytes[at - 1])) {
            at += 1;
            continue;
        }
        groups.clear();
        let mut end = at;
        loop {
            let start = end;
            while bytes.get(end).is_some_and(u8::is_ascii_digit) {
                end += 1;
            }
            groups.push((start, end));
            let separated = matches!(bytes.get(end), Some(b' ' | b'-'))
                && bytes.get(end + 1).is_some_and(u8::is_ascii_digit);
            if !separated {
                break;
            }
            end += 1;
        }
        let last_ends_word = !bytes.get(end).is_some_and(|&next| is_word(next));
        let mut first = 0;
        while first < groups.len() {
            let mut best = None;
            let mut digits = 0;
            for last in first..groups.len() {
                digits += groups[last].1 - groups[last].0;
                if digits > 19 {
                    break;
                }
                let boundary = last + 1 < groups.len() || last_ends_word;
                if digits >= 13 && boundary && luhn(&bytes[groups[first].0..groups[last].1]) {
                    best = Some(last);
                }
            }
            match best {
                Some(last) => {
                    report(groups[first].0, groups[last].1);
                    first = last + 1;
                }
                None => first += 1,
            }
        }
        at = end;
    }
}

/// The Luhn check over the digits in `bytes` (other bytes skipped).
fn luhn(bytes: &[u8]) -> bool {
    let mut sum = 0u32;
    let mut double = false;
    for &byte in bytes.iter().rev() {
        if !byte.is_ascii_digit() {
            continue;
        }
        let mut digit = u32::from(byte - b'0');
        if double {
            digit *= 2;
            if digit > 9 {
                digit -= 9;
            }
        }
        sum += digit;
        double = !double;
    }
    sum % 10 == 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::scan::validate;

    fn json(rules: &RedactRules, raw: &str) -> (Option<String>, RedactCounts) {
        let mut counts = RedactCounts::default();
        let out = rules.redact_json(raw, &mut counts);
        if let Some(out) = &out {
            assert!(validate(out).is_ok(), "not JSON: {out}");
        }
        (out, counts)
    }

    fn text(rules: &RedactRules, input: &str) -> (Option<String>, RedactCounts) {
        let mut counts = RedactCounts::default();
        let out = rules.redact_text(input, &mut counts);
        (out, counts)
    }

    fn counts(keys: u64, patterns: u64) -> RedactCounts {
        RedactCounts { keys, patterns }
    }

    #[test]
    fn default_keys_match_normalized_suffixes() {
        let rules = RedactRules::with_defaults();
        for key in RedactRules::DEFAULT_KEYS {
            assert!(rules.key_matches(key), "{key}");
        }
        for key in [
            "apiKey",
            "OPENAI_API_KEY",
            "x-api-key",
            "X-Api-Key",
            "db_password",
            "DB.Password",
            "access_token",
            "auth_token",
            "refreshToken",
            "Authorization",
            "proxy-authorization",
            "oauth",
            "Cookie",
            "Set-Cookie",
            "client.secret",
            "Client Secret",
            "AWS_SECRET_ACCESS_KEY",
            "aws_access_key",
            "private key",
            "PRIVATE_KEY",
            "user_ssn",
            "credentials",
            "PWD",
            "passwd",
            "token_",
            "_token_",
        ] {
            assert!(rules.key_matches(key), "{key}");
        }
        for key in [
            "max_tokens",
            "input_tokens",
            "output_tokens",
            "total_tokens",
            "tokenizer",
            "author",
            "authors",
            "key",
            "role",
            "content",
            "password_hint",
            "secretary",
            "cookies_enabled",
            "model",
            "",
            "_-. ",
            "tokén",
        ] {
            assert!(!rules.key_matches(key), "{key}");
        }
        assert!(!RedactRules::empty().key_matches("password"));
    }

    #[test]
    fn added_keys_normalize_and_empty_ones_are_refused() {
        let mut rules = RedactRules::empty();
        assert_eq!(rules.add_key("_-. "), Err(RuleError::EmptyKey));
        assert_eq!(rules.add_key(""), Err(RuleError::EmptyKey));
        assert!(rules.is_empty());
        rules.add_key("Session-ID").unwrap();
        assert!(rules.key_matches("sessionid"));
        assert!(rules.key_matches("user_session_id"));
        assert!(!rules.key_matches("session"));
        // A shorter rule covering a longer one replaces it; the longer adds nothing.
        rules.add_key("id").unwrap();
        rules.add_key("user.id").unwrap();
        assert_eq!(rules.keys.len(), 1);
        assert!(rules.key_matches("trace_id"));
        let defaults = RedactRules::with_defaults();
        // client_secret and set_cookie are covered by secret and cookie; apikey = api_key.
        assert_eq!(defaults.keys.len(), 13);
    }

    #[test]
    fn sensitive_values_of_any_kind_become_the_marker_at_any_depth() {
        let rules = RedactRules::with_defaults();
        let raw = r#"{"user":"ann","password":"hunter2","nested":{"apiKey":{"a":[1,{"b":2}]},"list":[{"token":123},{"x":[{"Cookie":null}]}]},"auth":[true,false],"secret":-1.5e3,"ok":true}"#;
        let (out, found) = json(&rules, raw);
        assert_eq!(
            out.as_deref(),
            Some(
                r#"{"user":"ann","password":"[REDACTED]","nested":{"apiKey":"[REDACTED]","list":[{"token":"[REDACTED]"},{"x":[{"Cookie":"[REDACTED]"}]}]},"auth":"[REDACTED]","secret":"[REDACTED]","ok":true}"#
            )
        );
        assert_eq!(found, counts(6, 0));
        // A sensitive value is checked too: nested too deep, the whole value goes.
        let deep = format!(
            r#"{{"password":{}{}, "n": 1}}"#,
            "[".repeat(200),
            "]".repeat(200)
        );
        let (out, found) = json(&rules, &deep);
        assert_eq!(out.as_deref(), Some(KEY_MARKER_JSON));
        assert_eq!(found, counts(1, 0));
        let (out, _) = json(&rules, r#"{"password":[1,]}"#);
        assert_eq!(out.as_deref(), Some(KEY_MARKER_JSON));
    }

    #[test]
    fn sensitive_keys_are_found_in_json_inside_strings_in_prose_and_cut_short() {
        let rules = RedactRules::with_defaults();
        let json = |raw: &str| rules.redact_json(raw, &mut RedactCounts::default());
        let text = |raw: &str| rules.redact_text(raw, &mut RedactCounts::default());
        // A tool result carried as the next generation's input message.
        assert_eq!(
            json(r#"[{"role":"tool","content":"{\"api_key\": \"abc123\", \"order\": 42}"}]"#)
                .as_deref(),
            Some(r#"[{"role":"tool","content":"{\"api_key\": \"[REDACTED]\", \"order\": 42}"}]"#)
        );
        // JSON in a JSON string in a JSON string.
        let nested = r#"{"content":"{\"result\":\"{\\\"password\\\":\\\"hunter2\\\"}\"}"}"#;
        let redacted = json(nested).unwrap();
        assert!(!redacted.contains("hunter2"), "{redacted}");
        assert!(
            redacted.contains(r#"\\\"password\\\":\\\"[REDACTED]\\\""#),
            "{redacted}"
        );
        // JSON embedded in prose, and JSON cut short.
        assert_eq!(
            text(r#"The tool said {"client_secret": "s3cr3t", "n": 1} and stopped."#).as_deref(),
            Some(r#"The tool said {"client_secret": "[REDACTED]", "n": 1} and stopped."#)
        );
        assert_eq!(
            text(r#"{"token": "abcdef12345"#).as_deref(),
            Some(r#"{"token": "[REDACTED]""#)
        );
        assert_eq!(
            text(r#"{"auth": {"user": "ann", "pw": "x"#).as_deref(),
            Some(r#"{"auth": "[REDACTED]""#)
        );
        assert_eq!(
            text(r#"{"password": hunter2, "x": 1}"#).as_deref(),
            Some(r#"{"password": "[REDACTED]", "x": 1}"#)
        );
        // Quotes in prose that pair up wrongly do not hide a key.
        assert_eq!(
            text(r#"a 5" screen, "password": "p""#).as_deref(),
            Some(r#"a 5" screen, "password": "[REDACTED]""#)
        );
        // Benign look-alikes stay.
        for benign in [
            r#"{"max_tokens": 512, "note": "the token count was 12"}"#,
            r#"say "hello": it is fine"#,
            "order 4111111111111112 (not Luhn) and a \"quote\"",
        ] {
            assert_eq!(text(benign), None, "{benign}");
        }
    }

    #[test]
    fn untouched_text_stays_byte_identical() {
        let rules = RedactRules::with_defaults();
        let raw = "\n { \"z\" : 1.50 ,\t\"a\":[ 1E5 , -0, \"x\" ],\r\n \"Password\" :  \"p\" , \"m\":{ } , \"e\" : \"a@b.io\" }  ";
        let (out, found) = json(&rules, raw);
        assert_eq!(
            out.as_deref(),
            Some("\n { \"z\" : 1.50 ,\t\"a\":[ 1E5 , -0, \"x\" ],\r\n \"Password\" :  \"[REDACTED]\" , \"m\":{ } , \"e\" : \"[REDACTED:email]\" }  ")
        );
        assert_eq!(found, counts(1, 1));
        for clean in [
            r#"{"b":1.50,"a":[1e5,{"max_tokens":100,"input_tokens":7}],"author":"Jo"}"#,
            r#"[]"#,
            r#""plain string""#,
            "12.50",
            "null",
            " true ",
            r#"{"text":"call me at 555-123-4567 on 2026-11-25T02:09:16.873Z"}"#,
        ] {
            assert_eq!(json(&rules, clean), (None, counts(0, 0)), "{clean}");
        }
    }

    #[test]
    fn every_default_pattern_is_present_in_order_and_compiles() {
        let rules = RedactRules::with_defaults();
        let names: Vec<&str> = rules.patterns.iter().map(|held| &*held.name).collect();
        assert_eq!(names, RedactRules::DEFAULT_PATTERNS);
        for (_, pattern, _) in DEFAULT_REGEXES {
            assert!(compile(pattern).is_ok(), "{pattern}");
        }
    }

    #[test]
    fn default_patterns_match_their_secrets() {
        let rules = RedactRules::with_defaults();
        let cases: &[(&str, &str)] = &[
            (
                "Authorization: Bearer abc.DEF-123_~+/xyz==",
                "Authorization: [REDACTED:bearer]",
            ),
            ("bearer  t0k", "[REDACTED:bearer]"),
            ("BEARER\tabc, then", "[REDACTED:bearer], then"),
            (
                "key sk-proj-AbCdEfGhIjKlMnOpQrStUv_12-34 end",
                "key [REDACTED:openai_key] end",
            ),
            (
                "sk-svcacct-0123456789abcdefXYZ",
                "[REDACTED:openai_key]",
            ),
            ("sk-0123456789abcdef", "[REDACTED:openai_key]"),
            (
                "id AKIAIOSFODNN7EXAMPLE, session ASIAIOSFODNN7EXAMPLE.",
                "id [REDACTED:aws_key], session [REDACTED:aws_key].",
            ),
            (
                "jwt=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U ok",
                "jwt=[REDACTED:jwt] ok",
            ),
            (
                "mail ann.lee+tag@mail.example.co.uk now",
                "mail [REDACTED:email] now",
            ),
            ("<x_y%z@a-b.io>", "<[REDACTED:email]>"),
            ("card 4111 1111 1111 1111.", "card [REDACTED:card]."),
            ("4242-4242-4242-4242", "[REDACTED:card]"),
            ("4111111111111111", "[REDACTED:card]"),
            ("amex 378282246310005 ok", "amex [REDACTED:card] ok"),
            (
                "4111 1111 1111 1111 12/29",
                "[REDACTED:card] 12/29",
            ),
            (
                "ref 12 4111 1111 1111 1111",
                "ref 12 [REDACTED:card]",
            ),
            (
                "4111 1111 1111 1111 4242 4242 4242 4242",
                "[REDACTED:card] [REDACTED:card]",
            ),
        ];
        for (input, expected) in cases {
            let (out, _) = text(&rules, input);
            assert_eq!(out.as_deref(), Some(*expected), "{input}");
        }
        let (_, found) = text(&rules, "a@b.io c@d.io 4111111111111111");
        assert_eq!(found, counts(0, 3));
    }

    #[test]
    fn default_patterns_leave_lookalikes_alone() {
        let rules = RedactRules::with_defaults();
        for input in [
            "bearers of news",
            "the bearer",
            "sk-short",
            "task-0123456789abcdefghij",
            "AKIAIOSFODNN7EXAMPL",
            "XAKIAIOSFODNN7EXAMPLE",
            "AKIAIOSFODNN7EXAMPLEX",
            "akiaiosfodnn7example",
            "eyJhb.eyJz",
            "heyJhbGciOi.eyJzdWIiOi.dozjgNryP4",
            "user@localhost",
            "@handle",
            "1234 5678 9012 3456",
            "1234-5678-9012-3456",
            "555-123-4567",
            "+1 555 123 4567",
            "5551234567",
            "2026-11-25T02:09:16.873Z",
            "4111 1111  1111 1111",
            "x4111111111111111",
            "4111111111111111x",
            "41111111111111111111",
            "café 東京 über",
            "",
        ] {
            assert_eq!(text(&rules, input), (None, counts(0, 0)), "{input}");
        }
    }

    #[test]
    fn overlapping_matches_merge_into_the_first() {
        let rules = RedactRules::with_defaults();
        let (out, found) = text(&rules, "Bearer sk-proj-AbCdEfGhIjKlMnOpQrSt rest");
        assert_eq!(out.as_deref(), Some("[REDACTED:bearer] rest"));
        assert_eq!(found, counts(0, 1));
        let (out, found) = text(&rules, "sk-abcdefghijklmnopqrst@example.com!");
        assert_eq!(out.as_deref(), Some("[REDACTED:openai_key]!"));
        assert_eq!(found, counts(0, 1));
    }

    #[test]
    fn strings_are_matched_decoded_and_written_back_escaped() {
        let rules = RedactRules::with_defaults();
        let cases: &[(&str, &str)] = &[
            (
                r#"{"m":"line1\nBearer abc.def\u00e9 \"q\""}"#,
                r#"{"m":"line1\n[REDACTED:bearer]é \"q\""}"#,
            ),
            (r#"["mail: a\u0040b.com"]"#, r#"["mail: [REDACTED:email]"]"#),
            (
                r#""say \"x@y.io\"\t\\ \/""#,
                r#""say \"[REDACTED:email]\"\t\\ /""#,
            ),
            (r#""\u0000 x@y.io""#, r#""\u0000 [REDACTED:email]""#),
            (r#""\ud83d\ude00 x@y.io""#, "\"\u{1f600} [REDACTED:email]\""),
        ];
        for (raw, expected) in cases {
            let (out, found) = json(&rules, raw);
            assert_eq!(out.as_deref(), Some(*expected), "{raw}");
            assert_eq!(found, counts(0, 1), "{raw}");
        }
        // Escapes that hide nothing are not decoded.
        assert_eq!(json(&rules, r#""a\nb\tc\"""#), (None, counts(0, 0)));
        // An escaped key is decoded before matching.
        let (out, _) = json(&rules, r#"{"pass\u0077ord":"x","k\"":"y"}"#);
        assert_eq!(
            out.as_deref(),
            Some(r#"{"pass\u0077ord":"[REDACTED]","k\"":"y"}"#)
        );
    }

    #[test]
    fn lone_surrogates_keep_their_string_as_it_is() {
        let rules = RedactRules::with_defaults();
        assert_eq!(json(&rules, r#""\ud800 x@y.io""#), (None, counts(0, 0)));
        let (out, found) = json(&rules, r#"["\udc00 x@y.io","x@y.io"]"#);
        assert_eq!(
            out.as_deref(),
            Some(r#"["\udc00 x@y.io","[REDACTED:email]"]"#)
        );
        assert_eq!(found, counts(0, 1));
        let (out, _) = json(&rules, r#"{"\ud800token":"v"}"#);
        assert_eq!(out.as_deref(), Some(r#"{"\ud800token":"[REDACTED]"}"#));
    }

    #[test]
    fn non_ascii_text_survives() {
        let rules = RedactRules::with_defaults();
        let (out, found) = json(
            &rules,
            r#"{"note":"café 東京 bob@example.com 東京 😀","ключ":"значение"}"#,
        );
        assert_eq!(
            out.as_deref(),
            Some(r#"{"note":"café 東京 [REDACTED:email] 東京 😀","ключ":"значение"}"#)
        );
        assert_eq!(found, counts(0, 1));
        let (out, _) = text(&rules, "é4111111111111111é");
        assert_eq!(out.as_deref(), Some("é[REDACTED:card]é"));
    }

    #[test]
    fn patterns_skip_keys_and_numbers() {
        let rules = RedactRules::with_defaults();
        for raw in [
            r#"{"a@b.io":1}"#,
            r#"{"card":4111111111111111}"#,
            r#"[4111111111111111]"#,
        ] {
            assert_eq!(json(&rules, raw), (None, counts(0, 0)), "{raw}");
        }
    }

    #[test]
    fn counts_add_up_across_calls() {
        let rules = RedactRules::with_defaults();
        let mut found = RedactCounts::default();
        rules.redact_json(
            r#"{"token":"t","m":["a@b.io and c@d.io","Bearer x"],"n":{"pwd":"p"}}"#,
            &mut found,
        );
        rules.redact_text("e@f.io", &mut found);
        rules.redact_json("{", &mut found);
        assert_eq!(found, counts(3, 4));
    }

    #[test]
    fn custom_patterns_are_added_replaced_and_removed() {
        let mut rules = RedactRules::with_defaults();
        rules.add_pattern("ticket", r"TICKET-\d+").unwrap();
        let (out, found) = json(&rules, r#"{"m":"see TICKET-42 or TICKET-7, a@b.io"}"#);
        assert_eq!(
            out.as_deref(),
            Some(r#"{"m":"see [REDACTED:ticket] or [REDACTED:ticket], [REDACTED:email]"}"#)
        );
        assert_eq!(found, counts(0, 3));
        assert_eq!(rules.remove_pattern("email"), Ok(()));
        assert_eq!(
            rules.remove_pattern("email"),
            Err(RuleError::UnknownPattern)
        );
        assert_eq!(text(&rules, "a@b.io"), (None, counts(0, 0)));
        // Same name: replaced in place; a replaced default is a plain regex (no Luhn).
        rules.add_pattern("card", r"\d{4}-\d{4}").unwrap();
        assert_eq!(rules.patterns.len(), 6);
        assert_eq!(
            text(&rules, "1234-5678").0.as_deref(),
            Some("[REDACTED:card]")
        );
        // Matches of the empty string are ignored.
        let mut empty = RedactRules::empty();
        empty.add_pattern("maybe", "x*").unwrap();
        assert_eq!(text(&empty, "abc"), (None, counts(0, 0)));
        assert_eq!(
            text(&empty, "axxb").0.as_deref(),
            Some("a[REDACTED:maybe]b")
        );
        // Custom patterns see decoded text, even when the raw body has escapes.
        empty.add_pattern("nl", r"a\nb").unwrap();
        assert_eq!(
            json(&empty, r#""a\nb""#).0.as_deref(),
            Some(r#""[REDACTED:nl]""#)
        );
        for name in RedactRules::DEFAULT_PATTERNS {
            assert!(rules.remove_pattern(name).is_ok() || *name == "email");
        }
        assert!(rules.patterns.iter().all(|held| &*held.name == "ticket"));
    }

    #[test]
    fn bad_patterns_names_and_too_many_are_refused() {
        let mut rules = RedactRules::empty();
        for bad in ["(", "[a-", r"\p{L}", "a{2,1}", "x{1000}{1000}"] {
            assert_eq!(
                rules.add_pattern("p", bad),
                Err(RuleError::BadPattern),
                "{bad}"
            );
        }
        let long = "a".repeat(33);
        for bad in ["", "Email", "a-b", "a b", "é", long.as_str()] {
            assert_eq!(
                rules.add_pattern(bad, "x"),
                Err(RuleError::BadName),
                "{bad}"
            );
        }
        assert!(rules.is_empty());
        assert_eq!(rules.add_pattern(&"a".repeat(32), "x"), Ok(()));
        for at in 1..MAX_PATTERNS {
            assert_eq!(rules.add_pattern(&format!("p{at}"), "x"), Ok(()));
        }
        assert_eq!(rules.add_pattern("one_more", "x"), Err(RuleError::TooMany));
        assert_eq!(rules.add_pattern("p1", "y"), Ok(()));
        assert_eq!(rules.remove_pattern("p2"), Ok(()));
        assert_eq!(rules.add_pattern("one_more", "x"), Ok(()));
        assert!(!RuleError::TooMany.to_string().is_empty());
        assert_ne!(
            RuleError::BadName.message(),
            RuleError::BadPattern.message()
        );
    }

    #[test]
    fn values_too_deep_or_not_json_are_redacted_whole() {
        let rules = RedactRules::with_defaults();
        let ok = format!("{}1{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        assert_eq!(json(&rules, &ok), (None, counts(0, 0)));
        let objects = format!("{}1{}", r#"{"a":"#.repeat(MAX_DEPTH), "}".repeat(MAX_DEPTH));
        assert_eq!(json(&rules, &objects), (None, counts(0, 0)));
        let too_deep = format!("[{ok}]");
        assert_eq!(
            json(&rules, &too_deep),
            (Some(KEY_MARKER_JSON.to_owned()), counts(1, 0))
        );
        // Nothing found before the refusal is counted.
        let late = format!(r#"[{{"token":1}},"a@b.io",{ok}]"#);
        assert_eq!(
            json(&rules, &late),
            (Some(KEY_MARKER_JSON.to_owned()), counts(1, 0))
        );
        for bad in ["", "{", r#"{"a":1,}"#, "[1 2]", "\"open", "NaN", "{} {}"] {
            assert_eq!(
                json(&rules, bad),
                (Some(KEY_MARKER_JSON.to_owned()), counts(1, 0)),
                "{bad}"
            );
        }
        // No rules: nothing to hide, nothing looked at.
        assert_eq!(json(&RedactRules::empty(), "{"), (None, counts(0, 0)));
        assert_eq!(json(&RedactRules::empty(), &too_deep), (None, counts(0, 0)));
    }

    #[test]
    fn keys_only_or_patterns_only() {
        let mut keys = RedactRules::empty();
        keys.add_key("password").unwrap();
        assert_eq!(
            json(&keys, r#"{"password":"a@b.io","m":"a@b.io"}"#),
            (
                Some(r#"{"password":"[REDACTED]","m":"a@b.io"}"#.to_owned()),
                counts(1, 0)
            )
        );
        assert_eq!(text(&keys, "a@b.io"), (None, counts(0, 0)));
        let mut patterns = RedactRules::with_defaults();
        patterns.keys.clear();
        assert_eq!(
            json(&patterns, r#"{"password":"a@b.io"}"#).0.as_deref(),
            Some(r#"{"password":"[REDACTED:email]"}"#)
        );
    }

    #[test]
    fn windows_find_what_the_regexes_find_over_the_whole_text() {
        const PIECES: &[&str] = &[
            "bearer",
            "Bearer",
            " ",
            "\t",
            "sk-",
            "AKIA",
            "ASIA",
            "eyJ",
            "@",
            ".",
            "-",
            "_",
            "a",
            "Z",
            "9",
            "=",
            "é",
            "x.io",
            "com",
            "/",
            "~",
            "ABCDEFGH12345678",
            "abcdefgh",
            "%",
        ];
        let compiled: Vec<(Regex, u8)> = DEFAULT_REGEXES
            .iter()
            .filter_map(|&(_, pattern, trigger)| Some((compile(pattern).ok()?, trigger)))
            .collect();
        assert_eq!(compiled.len(), DEFAULT_REGEXES.len());
        let mut seed = 3u64;
        let mut hits = 0;
        for _ in 0..20_000 {
            let mut text = String::new();
            for _ in 0..1 + next(&mut seed) % 14 {
                text.push_str(PIECES[(next(&mut seed) as usize) % PIECES.len()]);
            }
            for (regex, trigger) in &compiled {
                let (pattern, trigger) = (regex.as_str(), *trigger);
                let whole: Vec<(usize, usize)> = regex
                    .find_iter(&text)
                    .map(|hit| (hit.start(), hit.end()))
                    .collect();
                let mut windowed = Vec::new();
                windows(trigger, text.as_bytes(), |start, end| {
                    find_all(regex, &text[start..end], start, 0, &mut windowed)
                });
                let windowed: Vec<(usize, usize)> = windowed
                    .iter()
                    .map(|&(start, end, _)| (start, end))
                    .collect();
                hits += whole.len();
                // An email's domain cannot be the next one's local part in one pass over the
                // whole text; windows find both (more redacted, never less).
                if trigger == T_EMAIL && text.matches('@').count() > 1 {
                    assert!(
                        whole.iter().all(|hit| windowed
                            .iter()
                            .any(|other| other.0 <= hit.0 && hit.1 <= other.1)),
                        "{pattern} in {text:?}: {whole:?} vs {windowed:?}"
                    );
                } else {
                    assert_eq!(whole, windowed, "{pattern} in {text:?}");
                }
                if trigger != 0 {
                    assert!(
                        whole.is_empty() || prefilter(text.as_bytes(), trigger) == trigger,
                        "{pattern} in {text:?}"
                    );
                }
            }
        }
        assert!(hits > 1_000, "{hits}");
    }

    #[test]
    fn what_can_be_walked_is_what_json_scan_validates() {
        let rules = RedactRules::with_defaults();
        let walkable = |text: &str| Walk::new(&rules, text).run().is_ok();
        let mut seed = 11u64;
        let mut invalid = 0u32;
        for _ in 0..3_000 {
            let mut doc = String::new();
            generate(&mut seed, 0, &mut doc);
            assert!(walkable(&doc), "{doc}");
            let cut = doc
                .char_indices()
                .nth((next(&mut seed) as usize) % doc.chars().count().max(1))
                .map_or(0, |(at, _)| at);
            let mut swapped = doc.clone().into_bytes();
            let at = (next(&mut seed) as usize) % swapped.len();
            if swapped[at].is_ascii() {
                let alphabet = b",:[]{}\"\\ 0e-.tx\n";
                swapped[at] = alphabet[(next(&mut seed) as usize) % alphabet.len()];
            }
            let swapped = String::from_utf8(swapped).unwrap_or_default();
            for corrupt in [&doc[..cut], &format!("{doc}]"), &swapped] {
                invalid += u32::from(validate(corrupt).is_err());
                assert_eq!(walkable(corrupt), validate(corrupt).is_ok(), "{corrupt:?}");
            }
        }
        assert!(invalid > 4_000, "{invalid}");
        let more = [
            " { } ",
            "{\"a\" 1}",
            "{,}",
            "[,1]",
            "{\"a\":1 \"b\":2}",
            "\"\\",
            "\"\\u00\"",
            "-01",
            "{\"password\":[1,]}",
            "{\"password\":\"x}",
            "[\"\\ud800\"]",
        ];
        let scan_lists = crate::json::scan::tests::VALID
            .iter()
            .chain(crate::json::scan::tests::INVALID);
        for text in scan_lists.copied().chain(more) {
            assert_eq!(walkable(text), validate(text).is_ok(), "{text:?}");
        }
    }

    #[test]
    fn every_match_over_the_whole_text_is_redacted() {
        const PIECES: &[&str] = &[
            "Bearer ",
            "tok",
            "sk-",
            "proj-0123456789abcdef",
            "AKIA",
            "IOSFODNN7EXAMPLE",
            "eyJ",
            "hbGciOiJIUzI1NiJ9",
            ".",
            "@",
            "mail",
            ".com",
            "4242 4242 4242 4242",
            "4111",
            " ",
            "-",
            "1",
            "é",
            "東京",
            "\n",
            "TICKET-",
            "\"",
            "\\",
        ];
        let mut rules = RedactRules::with_defaults();
        rules.add_pattern("ticket", r"TICKET-\d+").unwrap();
        let checks: Vec<Regex> = DEFAULT_REGEXES
            .iter()
            .filter_map(|&(_, pattern, _)| compile(pattern).ok())
            .chain(compile(r"TICKET-\d+").ok())
            .collect();
        let mut seed = 5u64;
        let mut changed = 0;
        for _ in 0..10_000 {
            let mut text = String::new();
            for _ in 0..1 + next(&mut seed) % 16 {
                text.push_str(PIECES[(next(&mut seed) as usize) % PIECES.len()]);
            }
            let mut found = RedactCounts::default();
            let out = rules.redact_text(&text, &mut found);
            assert_eq!(out.is_some(), found.patterns > 0, "{text:?}");
            let out = out.unwrap_or_else(|| text.clone());
            changed += usize::from(out != text);
            let mut regions = Vec::new();
            let triggers = prefilter(text.as_bytes(), rules.triggers);
            rules.regions(&text, triggers, |start, end, _| regions.push((start, end)));
            let mut matches: Vec<(usize, usize)> = checks
                .iter()
                .flat_map(|check| check.find_iter(&text).map(|hit| (hit.start(), hit.end())))
                .collect();
            card_matches(text.as_bytes(), |start, end| matches.push((start, end)));
            for (start, end) in matches {
                assert!(
                    regions.iter().any(|&(from, to)| from <= start && end <= to),
                    "{:?} not redacted in {text:?} ({out:?})",
                    &text[start..end]
                );
            }
            let literal = serde_json::to_string(&text).unwrap();
            let (json_out, _) = json(&rules, &literal);
            let decoded: String =
                serde_json::from_str(json_out.as_deref().unwrap_or(&literal)).unwrap();
            assert_eq!(decoded, out, "{literal}");
        }
        assert!(changed > 2_500, "{changed}");
    }

    /// A reference redaction over serde_json values, for the generated documents.
    fn reference(rules: &RedactRules, value: &mut serde_json::Value) {
        match value {
            serde_json::Value::Object(map) => {
                for (key, member) in map.iter_mut() {
                    if rules.key_matches(key) {
                        *member = serde_json::Value::String(KEY_MARKER.to_owned());
                    } else {
                        reference(rules, member);
                    }
                }
            }
            serde_json::Value::Array(items) => {
                items.iter_mut().for_each(|item| reference(rules, item))
            }
            serde_json::Value::String(text) => {
                if let Some(out) = rules.redact_text(text, &mut RedactCounts::default()) {
                    *text = out;
                }
            }
            _ => {}
        }
    }

    fn next(seed: &mut u64) -> u64 {
        *seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        *seed >> 33
    }

    fn generate(seed: &mut u64, depth: u32, out: &mut String) {
        const KEYS: &[&str] = &[
            "role",
            "content",
            "api_key",
            "max_tokens",
            "Authorization",
            "a\"b",
            "x-Token",
            "é",
        ];
        const STRINGS: &[&str] = &[
            "hello",
            "mail ann@example.com\n",
            "Bearer abc.def",
            "card 4242 4242 4242 4242 ok",
            "1234 5678 9012 3456",
            "tab\there \"quoted\" \\ back",
            "東京 café",
            "sk-proj-0123456789abcdefgh",
            "\u{1}",
        ];
        let pick = next(seed) % if depth > 4 { 4 } else { 6 };
        match pick {
            0 => out.push_str(["null", "true", "1.50", "-2e3"][(next(seed) % 4) as usize]),
            1..=3 => {
                let text = STRINGS[(next(seed) as usize) % STRINGS.len()];
                out.push_str(&serde_json::to_string(text).unwrap());
            }
            4 => {
                out.push_str("[ ");
                for i in 0..next(seed) % 4 {
                    if i > 0 {
                        out.push_str(" ,");
                    }
                    generate(seed, depth + 1, out);
                }
                out.push(']');
            }
            _ => {
                out.push('{');
                for i in 0..next(seed) % 4 {
                    if i > 0 {
                        out.push(',');
                    }
                    let key = KEYS[(next(seed) as usize) % KEYS.len()];
                    out.push_str(&serde_json::to_string(&format!("{i}{key}")).unwrap());
                    out.push_str(" : ");
                    generate(seed, depth + 1, out);
                }
                out.push_str("\n}");
            }
        }
    }

    #[test]
    fn generated_documents_agree_with_a_reference_over_serde_json() {
        let rules = RedactRules::with_defaults();
        let mut seed = 7u64;
        let mut changed = 0u32;
        for _ in 0..3_000 {
            let mut doc = String::new();
            generate(&mut seed, 0, &mut doc);
            let mut expected: serde_json::Value = serde_json::from_str(&doc).unwrap();
            reference(&rules, &mut expected);
            let (out, _) = json(&rules, &doc);
            changed += u32::from(out.is_some());
            let ours: serde_json::Value =
                serde_json::from_str(out.as_deref().unwrap_or(&doc)).unwrap();
            assert_eq!(ours, expected, "{doc}");
        }
        assert!(changed > 1_000, "{changed}");
    }

    /// A generation span's input: a message list of about 1.5 KB with no secrets.
    fn clean_messages() -> String {
        let messages = serde_json::json!([
            {"role": "system", "content": "You are a helpful travel assistant. Answer briefly, cite the tools you used, and never invent prices. Today is 2026-11-25.\nUse metric units."},
            {"role": "user", "content": "I'm flying from Berlin to Lisbon on the 3rd of December, back on the 10th. What will the weather be like, and which neighbourhoods should I book a hotel in? Budget about 120 EUR a night."},
            {"role": "assistant", "content": null, "tool_calls": [
                {"id": "call_8f2a91c0d4", "type": "function", "function": {"name": "get_weather", "arguments": "{\"city\":\"Lisbon\",\"from\":\"2026-12-03\",\"to\":\"2026-12-10\",\"units\":\"metric\"}"}},
                {"id": "call_1b77e3a9f0", "type": "function", "function": {"name": "search_hotels", "arguments": "{\"city\":\"Lisbon\",\"max_price\":120,\"currency\":\"EUR\",\"nights\":7}"}}
            ]},
            {"role": "tool", "tool_call_id": "call_8f2a91c0d4", "content": "{\"daily\":[{\"date\":\"2026-12-03\",\"high\":16,\"low\":10,\"rain_mm\":2.5},{\"date\":\"2026-12-04\",\"high\":15,\"low\":9,\"rain_mm\":0}]}"},
            {"role": "tool", "tool_call_id": "call_1b77e3a9f0", "content": "[{\"name\":\"Casa do Bairro\",\"area\":\"Alfama\",\"price\":98},{\"name\":\"Hotel Lumen\",\"area\":\"Baixa-Chiado\",\"price\":115},{\"name\":\"Rio Lodge\",\"area\":\"Cais do Sodré\",\"price\":89}]"},
            {"role": "assistant", "content": "Expect mild, mostly dry weather: highs around 15-16°C and lows near 10°C, with a little rain early in the week. For about 120 EUR a night, Alfama (Casa do Bairro, 98 EUR) is charming and central; Baixa-Chiado (Hotel Lumen, 115 EUR) is best for walking and shops; Cais do Sodré (Rio Lodge, 89 EUR) is lively at night and close to the trains."}
        ]);
        serde_json::to_string(&messages).unwrap()
    }

    /// `cargo test --release --lib chain::redact -- --ignored --nocapture`
    #[test]
    #[ignore]
    fn bench_clean_message_list() {
        let raw = clean_messages();
        let rules = RedactRules::with_defaults();
        let mut found = RedactCounts::default();
        assert_eq!(rules.redact_json(&raw, &mut found), None);
        let time = |label: &str, f: &dyn Fn() -> bool| {
            let rounds = 20_000u32;
            let mut best = f64::MAX;
            for _ in 0..5 {
                let start = std::time::Instant::now();
                for _ in 0..rounds {
                    std::hint::black_box(f());
                }
                best = best.min(start.elapsed().as_nanos() as f64 / f64::from(rounds));
            }
            println!("{label}: {best:.0} ns/call ({} bytes)", raw.len());
        };
        time("validate only", &|| {
            validate(std::hint::black_box(&raw)).is_ok()
        });
        time("redact_json defaults, clean", &|| {
            rules
                .redact_json(std::hint::black_box(&raw), &mut RedactCounts::default())
                .is_none()
        });
        let start = std::time::Instant::now();
        for _ in 0..100 {
            std::hint::black_box(RedactRules::with_defaults());
        }
        println!(
            "with_defaults: {} ns/call",
            start.elapsed().as_nanos() / 100
        );
        let mut custom = RedactRules::with_defaults();
        custom.add_pattern("ticket", r"TICKET-\d+").unwrap();
        time("redact_json defaults + 1 custom, clean", &|| {
            custom
                .redact_json(std::hint::black_box(&raw), &mut RedactCounts::default())
                .is_none()
        });
        let dirty = raw.replacen("Budget", "Mail me at ann@example.com. Budget", 1);
        time("redact_json defaults, one email", &|| {
            rules
                .redact_json(std::hint::black_box(&dirty), &mut RedactCounts::default())
                .is_some()
        });
    }
}
