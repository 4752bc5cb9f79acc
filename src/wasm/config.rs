//! Bindings for the global switches.

use wasm_bindgen::prelude::*;

use super::state::{set_output, with_state};
use crate::model::sensitive::SensitivePolicy;

/// Turns tracing off or on for traces created from now on.
#[wasm_bindgen]
pub fn set_disabled(disabled: bool) {
    with_state(|s| s.provider.set_disabled(disabled));
}

/// Whether tracing is off.
#[wasm_bindgen]
pub fn is_disabled() -> bool {
    with_state(|s| s.provider.config().disabled)
}

/// Sets the default sensitive-data policy.
#[wasm_bindgen]
pub fn set_sensitive(include_data: bool, include_audio: bool) {
    with_state(|s| {
        s.provider.set_sensitive(SensitivePolicy {
            include_data,
            include_audio,
        })
    });
}

/// The default policy: bit 0 data, bit 1 audio.
#[wasm_bindgen]
pub fn sensitive_bits() -> u32 {
    with_state(|s| {
        let policy = s.provider.config().sensitive;
        u32::from(policy.include_data) | (u32::from(policy.include_audio) << 1)
    })
}

/// Applies the environment (absent variables: `None`).
#[wasm_bindgen]
pub fn apply_env(
    disable_tracing: Option<String>,
    include_sensitive_data: Option<String>,
    api_key: Option<String>,
) {
    with_state(|s| {
        s.provider.apply_env(
            disable_tracing.as_deref(),
            include_sensitive_data.as_deref(),
            api_key.as_deref(),
        )
    });
}

/// Sets (or with `None`, clears) the export API key.
#[wasm_bindgen]
pub fn set_export_api_key(key: Option<String>) {
    with_state(|s| s.provider.set_export_api_key(key));
}

/// Whether there is an export API key (then it is the output).
#[wasm_bindgen]
pub fn export_api_key() -> bool {
    with_state(|s| match s.provider.config().export_api_key.clone() {
        Some(key) => {
            set_output(s, key.into_bytes());
            true
        }
        None => false,
    })
}
