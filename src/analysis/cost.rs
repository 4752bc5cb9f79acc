//! Cost from a per-model price table (USD per million tokens: input, cached input, output), with
//! the date and source of its prices; replaceable by the user. A model the table does not know
//! has no cost ("unknown"), never a guessed one.

use super::usage::Usage;

/// The prices of one model, USD per million tokens.
#[derive(Clone, Debug, PartialEq)]
pub struct Price {
    /// The model name as the API reports it (a dated snapshot `<model>-YYYY-MM-DD` matches too).
    pub model: String,
    /// Input tokens.
    pub input: f64,
    /// Cached input tokens.
    pub cached_input: f64,
    /// Output tokens (reasoning included).
    pub output: f64,
}

/// A price table: its prices, when they were read and from where.
#[derive(Clone, Debug, PartialEq)]
pub struct PriceTable {
    /// The prices.
    pub prices: Vec<Price>,
    /// When they were read (ISO date).
    pub date: String,
    /// Where from.
    pub source: String,
}

/// The default table's date.
pub const DEFAULT_DATE: &str = "2026-06-30";
/// The default table's source.
pub const DEFAULT_SOURCE: &str = "OpenAI API pricing (platform.openai.com/docs/pricing, standard tier), as listed by deploybase.ai (March 2026) and morphllm.com (June 2026)";

/// The default prices: (model, input, cached input, output), USD per million tokens.
const DEFAULT_PRICES: &[(&str, f64, f64, f64)] = &[
    ("gpt-5.5", 5.00, 0.50, 30.00),
    ("gpt-5.4", 2.50, 0.25, 15.00),
    ("gpt-5.4-mini", 0.75, 0.075, 4.50),
    ("gpt-5.4-nano", 0.20, 0.02, 1.25),
    ("gpt-5.1", 1.25, 0.125, 10.00),
    ("gpt-5", 1.25, 0.125, 10.00),
    ("gpt-5-mini", 0.25, 0.025, 2.00),
    ("gpt-5-nano", 0.05, 0.005, 0.40),
    ("gpt-4.1", 2.00, 0.50, 8.00),
    ("gpt-4.1-mini", 0.40, 0.10, 1.60),
    ("gpt-4.1-nano", 0.10, 0.025, 0.40),
    ("gpt-4o", 2.50, 1.25, 10.00),
    ("gpt-4o-mini", 0.15, 0.075, 0.60),
    ("o3", 2.00, 0.50, 8.00),
    ("o4-mini", 1.10, 0.275, 4.40),
];

impl Default for PriceTable {
    fn default() -> Self {
        PriceTable {
            prices: DEFAULT_PRICES
                .iter()
                .map(|&(model, input, cached_input, output)| Price {
                    model: model.to_owned(),
                    input,
                    cached_input,
                    output,
                })
                .collect(),
            date: DEFAULT_DATE.to_owned(),
            source: DEFAULT_SOURCE.to_owned(),
        }
    }
}

/// `model` without a trailing `-YYYY-MM-DD` snapshot date.
fn undated(model: &str) -> &str {
    let bytes = model.as_bytes();
    if bytes.len() > 11 {
        let (head, tail) = model.split_at(model.len() - 11);
        let t = tail.as_bytes();
        let dated = t[0] == b'-'
            && t[5] == b'-'
            && t[8] == b'-'
            && t.iter()
                .enumerate()
                .all(|(i, b)| matches!(i, 0 | 5 | 8) || b.is_ascii_digit());
        if dated {
            return head;
        }
    }
    model
}

impl PriceTable {
    /// The price of `model`: by its exact name, else without its snapshot date.
    pub fn price(&self, model: &str) -> Option<&Price> {
        let find = |name: &str| self.prices.iter().find(|p| p.model == name);
        find(model).or_else(|| find(undated(model)))
    }

    /// The cost of `usage` on `model` in USD, if the table knows the model.
    pub fn cost(&self, model: &str, usage: Usage) -> Option<f64> {
        let price = self.price(model)?;
        let cached = usage.cached_input.min(usage.input);
        let fresh = usage.input - cached;
        Some(
            (fresh as f64 * price.input
                + cached as f64 * price.cached_input
                + usage.output as f64 * price.output)
                / 1_000_000.0,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cost_counts_cached_input_at_its_price_and_unknown_models_have_none() {
        let table = PriceTable::default();
        let usage = Usage {
            input: 1_000_000,
            output: 100_000,
            cached_input: 400_000,
            reasoning: 50_000,
        };
        // gpt-4o: 600k fresh x 2.50 + 400k cached x 1.25 + 100k out x 10.00 = 1.5 + 0.5 + 1.0
        assert!((table.cost("gpt-4o", usage).unwrap() - 3.0).abs() < 1e-9);
        assert_eq!(
            table.cost("gpt-4o-2024-08-06", usage),
            table.cost("gpt-4o", usage)
        );
        assert!(
            table.cost("gpt-4o-mini", usage).unwrap() < 1.0,
            "not gpt-4o's price"
        );
        assert_eq!(table.cost("my-finetune", usage), None);
        assert_eq!(table.cost("gpt-4o-latest-2024", usage), None);
    }
}
