//! An analyser fed files a chunk at a time (or items one by one): it splits each file into items,
//! assembles traces across files, and reports them with its price table.

use super::analyze::{analyze, group_totals};
use super::cost::{Price, PriceTable};
use super::input::{InputError, TraceFileReader};
use super::report::{report_json, report_text};
use super::traces::TraceSet;
use crate::json::scan::{array_items, object_members, string_value};

/// Files read so far, as traces.
#[derive(Debug, Default)]
pub struct Analyzer {
    set: TraceSet,
    reader: TraceFileReader,
    prices: PriceTable,
}

/// The message for an item that is not an export item.
const NOT_AN_ITEM: &str =
    "not an export item (a trace or span item in the toJSON() shape, with valid ids, times and span type)";

impl Analyzer {
    /// An analyser with the default price table.
    pub fn new() -> Self {
        Self::default()
    }

    /// Feeds the next chunk of the current file.
    pub fn feed(&mut self, chunk: &[u8]) -> Result<(), InputError> {
        let set = &mut self.set;
        self.reader.feed(chunk, &mut |item| add_to(set, item))
    }

    /// Ends the current file (the next chunk starts another).
    pub fn end_file(&mut self) -> Result<(), InputError> {
        let set = &mut self.set;
        let result = self.reader.finish(&mut |item| add_to(set, item));
        self.reader = TraceFileReader::new();
        result
    }

    /// Adds one export item's JSON text.
    pub fn add_item(&mut self, json: &str) -> Result<(), crate::error::InputError> {
        self.set.add_item(json)
    }

    /// How many traces were read.
    pub fn traces(&self) -> usize {
        self.set.len()
    }

    /// Replaces the price table with `{date, source, prices: [{model, input, cachedInput?,
    /// output}]}` (USD per million tokens); false when it is not one.
    pub fn set_prices(&mut self, json: &str) -> bool {
        match parse_prices(json) {
            Some(table) => {
                self.prices = table;
                true
            }
            None => false,
        }
    }

    /// The report of every trace read: JSON or text.
    pub fn report(&self, json: bool) -> String {
        let analyses: Vec<_> = self
            .set
            .traces()
            .map(|t| analyze(t, &self.prices))
            .collect();
        let groups = group_totals(&analyses);
        if json {
            report_json(&analyses, &groups, &self.prices)
        } else {
            report_text(&analyses, &groups, &self.prices)
        }
    }
}

/// Adds an item the reader handed out.
fn add_to(set: &mut TraceSet, item: &str) -> Result<(), InputError> {
    set.add_item(item).map_err(|_| InputError {
        line: 0,
        offset: 0,
        message: NOT_AN_ITEM,
    })
}

fn member<'a>(
    members: &'a [(std::borrow::Cow<'a, str>, std::borrow::Cow<'a, str>)],
    key: &str,
) -> Option<&'a str> {
    members
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_ref())
}

fn number(raw: Option<&str>) -> Option<f64> {
    let value: f64 = raw?.trim().parse().ok()?;
    (value.is_finite() && value >= 0.0).then_some(value)
}

fn parse_prices(json: &str) -> Option<PriceTable> {
    let members = object_members(json).ok()?;
    let text = |key: &str| {
        member(&members, key)
            .and_then(string_value)
            .map(|t| t.into_owned())
    };
    let mut prices = Vec::new();
    for raw in array_items(member(&members, "prices")?).ok()? {
        let price = object_members(raw).ok()?;
        let input = number(member(&price, "input"))?;
        prices.push(Price {
            model: member(&price, "model").and_then(string_value)?.into_owned(),
            input,
            cached_input: number(member(&price, "cachedInput")).unwrap_or(input),
            output: number(member(&price, "output"))?,
        });
    }
    Some(PriceTable {
        prices,
        date: text("date")?,
        source: text("source")?,
    })
}
