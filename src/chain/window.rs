//! The open traces a stage follows from their start to their end, with what it keeps of each,
//! bounded: past the cap the oldest is forgotten (handed back, so the stage can still report it).

use std::collections::{BTreeMap, VecDeque};

use crate::model::ids::TraceId;

/// Open traces, at most `max`, each with a `T`.
#[derive(Debug)]
pub struct TraceWindow<T> {
    open: BTreeMap<TraceId, T>,
    order: VecDeque<TraceId>,
    max: usize,
}

impl<T> TraceWindow<T> {
    /// A window of at most `max` (>= 1) open traces.
    pub fn new(max: usize) -> Self {
        TraceWindow {
            open: BTreeMap::new(),
            order: VecDeque::new(),
            max: max.max(1),
        }
    }

    /// Starts following `id`; returns the trace forgotten to make room, if any.
    pub fn open(&mut self, id: TraceId, value: T) -> Option<(TraceId, T)> {
        if self.open.insert(id, value).is_none() {
            self.order.push_back(id);
        }
        if self.order.len() <= self.max {
            return None;
        }
        let oldest = self.order.pop_front()?;
        self.open.remove(&oldest).map(|value| (oldest, value))
    }

    /// The open trace `id`, to update.
    pub fn get_mut(&mut self, id: &TraceId) -> Option<&mut T> {
        self.open.get_mut(id)
    }

    /// Stops following `id`; returns what was kept of it.
    pub fn close(&mut self, id: &TraceId) -> Option<T> {
        let value = self.open.remove(id)?;
        self.order.retain(|other| other != id);
        Some(value)
    }

    /// Whether no trace is open.
    pub fn is_empty(&self) -> bool {
        self.open.is_empty()
    }
}

/// The earlier of two optional times (either may be unset).
pub fn earliest<T: Ord>(a: Option<T>, b: Option<T>) -> Option<T> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_oldest_is_forgotten_past_the_cap() {
        let mut window = TraceWindow::new(2);
        assert!(window.open(TraceId([1; 16]), "a").is_none());
        assert!(window.open(TraceId([2; 16]), "b").is_none());
        assert_eq!(
            window.open(TraceId([3; 16]), "c"),
            Some((TraceId([1; 16]), "a"))
        );
        assert_eq!(window.close(&TraceId([2; 16])), Some("b"));
        assert!(window.get_mut(&TraceId([3; 16])).is_some());
        assert_eq!(window.close(&TraceId([9; 16])), None);
    }

    #[test]
    fn earliest_ignores_unset_times() {
        assert_eq!(earliest(Some(2), None), Some(2));
        assert_eq!(earliest(None, Some(3)), Some(3));
        assert_eq!(earliest(Some(2), Some(1)), Some(1));
        assert_eq!(earliest::<u8>(None, None), None);
    }
}
