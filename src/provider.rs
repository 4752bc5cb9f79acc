//! The trace provider: the tracing configuration (disabled, sensitive data) and the processors,
//! with the fan-out of every trace and span event to each of them, in registration order.

use std::cell::RefCell;
use std::rc::Rc;

use crate::error::InputError;
use crate::export::json::{write_span_item, write_trace_item};
use crate::model::ids::{IdGenerator, TraceId};
use crate::model::records::{SpanRecord, TraceRecord};
use crate::model::sensitive::{self, SensitivePolicy};
use crate::processors::{TracingProcessor, Wants};

/// A processor shared between the provider and whoever drives its exports.
pub type SharedProcessor = Rc<RefCell<dyn TracingProcessor>>;

/// The global switches.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    /// No traces or spans are recorded (user code still runs).
    pub disabled: bool,
    /// What spans may record, unless a trace says otherwise.
    pub sensitive: SensitivePolicy,
    /// The API key exporters use when a trace carries none (`setTracingExportApiKey`, else the
    /// environment's `OPENAI_API_KEY`). Never written to a payload or a log.
    pub export_api_key: Option<String>,
}

/// Reads a boolean environment value as the Python SDK does: `1|true|yes|on` is true,
/// `0|false|no|off` is false (any case, surrounding spaces ignored); anything else is unset.
pub fn parse_env_flag(value: &str) -> Option<bool> {
    let value = value.trim();
    let is = |word: &str| value.eq_ignore_ascii_case(word);
    if is("1") || is("true") || is("yes") || is("on") {
        Some(true)
    } else if is("0") || is("false") || is("no") || is("off") {
        Some(false)
    } else {
        None
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            disabled: false,
            sensitive: SensitivePolicy::ALL,
            export_api_key: None,
        }
    }
}

/// Holds the configuration, the id generator and the processors.
#[derive(Default)]
pub struct TraceProvider {
    config: Config,
    ids: IdGenerator,
    processors: Vec<SharedProcessor>,
}

impl TraceProvider {
    /// A provider with tracing on, everything recorded, and no processors.
    pub fn new() -> Self {
        Self::default()
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Sets (or clears) the export API key.
    pub fn set_export_api_key(&mut self, key: Option<String>) {
        self.config.export_api_key = key;
    }

    /// Turns tracing off (or back on) for traces created from now on.
    pub fn set_disabled(&mut self, disabled: bool) {
        self.config.disabled = disabled;
    }

    /// Applies the environment: `OPENAI_AGENTS_DISABLE_TRACING` and
    /// `OPENAI_AGENTS_TRACE_INCLUDE_SENSITIVE_DATA` (values as `parse_env_flag` reads them), and
    /// `OPENAI_API_KEY` as the export key unless one was set.
    pub fn apply_env(
        &mut self,
        disable_tracing: Option<&str>,
        include_sensitive_data: Option<&str>,
        api_key: Option<&str>,
    ) {
        if let Some(disabled) = disable_tracing.and_then(parse_env_flag) {
            self.config.disabled = disabled;
        }
        if let Some(include) = include_sensitive_data.and_then(parse_env_flag) {
            self.config.sensitive.include_data = include;
        }
        if self.config.export_api_key.is_none() {
            self.config.export_api_key = api_key.filter(|key| !key.is_empty()).map(str::to_owned);
        }
    }

    /// Sets the default sensitive-data policy for traces created from now on.
    pub fn set_sensitive(&mut self, policy: SensitivePolicy) {
        self.config.sensitive = policy;
    }

    /// The policy for a new trace: its own choice where it made one, else the global one.
    pub fn policy_for(
        &self,
        include_data: Option<bool>,
        include_audio: Option<bool>,
    ) -> SensitivePolicy {
        SensitivePolicy {
            include_data: include_data.unwrap_or(self.config.sensitive.include_data),
            include_audio: include_audio.unwrap_or(self.config.sensitive.include_audio),
        }
    }

    /// The id generator.
    pub fn ids(&mut self) -> &mut IdGenerator {
        &mut self.ids
    }

    /// Appends a processor.
    pub fn add_processor(&mut self, processor: SharedProcessor) {
        self.processors.push(processor);
    }

    /// Replaces all processors; returns the old ones.
    pub fn set_processors(&mut self, processors: Vec<SharedProcessor>) -> Vec<SharedProcessor> {
        std::mem::replace(&mut self.processors, processors)
    }

    /// The registered processors, in order.
    pub fn processors(&self) -> &[SharedProcessor] {
        &self.processors
    }

    fn fan_out(&self, mut event: impl FnMut(&mut dyn TracingProcessor) -> Wants) -> Wants {
        self.processors.iter().fold(Wants::default(), |wants, p| {
            wants.merge(event(&mut *p.borrow_mut()))
        })
    }

    /// Starts a trace: every processor sees it. (Whether a trace is recorded at all is decided
    /// when it is created: a trace created while tracing is disabled is a no-op.)
    pub fn start_trace(&mut self, trace: &TraceRecord<'_>) -> Wants {
        self.fan_out(|p| p.on_trace_start(trace))
    }

    /// Ends a trace.
    pub fn end_trace(&mut self, trace_id: TraceId) -> Wants {
        self.fan_out(|p| p.on_trace_end(trace_id))
    }

    /// Starts a span (for the processors that asked for span starts): the sensitive-data policy
    /// applies to its data as it stands, then every processor sees it.
    pub fn start_span(&mut self, mut span: SpanRecord<'_>, policy: SensitivePolicy) -> Wants {
        prepare(&mut span, policy);
        self.fan_out(|p| p.on_span_start(&span))
    }

    /// Ends a span: keeps its end from preceding its start, applies the sensitive-data policy,
    /// then every processor sees it. The span's item JSON is written to `json_out` when given
    /// (for JS processors that will call `toJSON()`).
    pub fn end_span(
        &mut self,
        mut span: SpanRecord<'_>,
        policy: SensitivePolicy,
        json_out: Option<&mut Vec<u8>>,
    ) -> Wants {
        prepare(&mut span, policy);
        if let Some(out) = json_out {
            write_span_item(out, &span);
        }
        self.fan_out(|p| p.on_span_end(&span))
    }
}

/// Orders the times and applies the policy (what every export of the span must reflect).
pub fn prepare(span: &mut SpanRecord<'_>, policy: SensitivePolicy) {
    if let (Some(start), Some(end)) = (span.started_at, span.ended_at) {
        span.ended_at = Some(end.at_least(start));
    }
    sensitive::apply(policy, &mut span.data, &mut span.error);
}

/// The item JSON of a span as it stands (a preview of an open span, or a finished one).
pub fn span_json(mut span: SpanRecord<'_>, policy: SensitivePolicy) -> Vec<u8> {
    prepare(&mut span, policy);
    let mut out = Vec::with_capacity(256);
    write_span_item(&mut out, &span);
    out
}

/// The item JSON of a trace.
pub fn trace_json(trace: &TraceRecord<'_>) -> Vec<u8> {
    let mut out = Vec::with_capacity(128);
    write_trace_item(&mut out, trace);
    out
}

/// Seeds the provider's id generator if it is not yet seeded, from `entropy` (called lazily at
/// the first id: hosts like Workers forbid random values at module load).
pub fn ensure_seeded(
    provider: &mut TraceProvider,
    entropy: impl FnOnce() -> Result<u64, InputError>,
) -> Result<(), InputError> {
    if !provider.ids().is_seeded() {
        let seed = entropy()?;
        provider.ids().seed(seed);
    }
    Ok(())
}
