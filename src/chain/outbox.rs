//! A stage's outbox: the records it produced for the host (alerts, compliance records) as JSON
//! text, waiting to be taken, bounded, with a drop policy and counts of what was written and
//! what was dropped.

use std::collections::VecDeque;

/// Bounded records waiting for the host.
#[derive(Debug)]
pub struct Outbox {
    records: VecDeque<String>,
    max: usize,
    drop_oldest: bool,
    written: u64,
    dropped: u64,
    taken: u64,
}

impl Outbox {
    /// Holds at most `max` records (>= 1); when full, drops the oldest (`drop_oldest`) or the new
    /// one.
    pub fn new(max: usize, drop_oldest: bool) -> Self {
        Outbox {
            records: VecDeque::new(),
            max: max.max(1),
            drop_oldest,
            written: 0,
            dropped: 0,
            taken: 0,
        }
    }

    /// Adds a record (or drops one, counted).
    pub fn push(&mut self, record: String) {
        self.written += 1;
        if self.records.len() >= self.max {
            self.dropped += 1;
            if !self.drop_oldest {
                return;
            }
            self.records.pop_front();
        }
        self.records.push_back(record);
    }

    /// Whether records wait.
    pub fn has_records(&self) -> bool {
        !self.records.is_empty()
    }

    /// Takes every waiting record, as a JSON array.
    pub fn take_json(&mut self) -> String {
        let mut out = String::from("[");
        for (i, record) in self.records.drain(..).enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push_str(&record);
            self.taken += 1;
        }
        out.push(']');
        out
    }

    /// Records written, dropped (full), handed to the host, and waiting now.
    pub fn counts(&self) -> (u64, u64, u64, u64) {
        (
            self.written,
            self.dropped,
            self.taken,
            self.records.len() as u64,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_outbox_drops_by_its_policy_and_counts() {
        for (drop_oldest, kept) in [(true, "[\"2\",\"3\"]"), (false, "[\"1\",\"2\"]")] {
            let mut outbox = Outbox::new(2, drop_oldest);
            for n in 1..=3 {
                outbox.push(format!("\"{n}\""));
            }
            assert!(outbox.has_records());
            assert_eq!(outbox.take_json(), kept);
            assert_eq!(outbox.counts(), (3, 1, 2, 0));
            assert_eq!(outbox.take_json(), "[]");
        }
    }
}
