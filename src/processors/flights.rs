//! The exports of one batch processor that the host has in flight: at most one at a time
//! (exports for a page going away, `keepalive`, are the one exception), each bounded in time by
//! the host; an export that timed out and never settled is remembered as abandoned, up to a cap,
//! so a hung exporter that ignores its abort signal cannot make memory grow. Counts items, so the
//! queue's counters always add up.

/// How an export is started.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportKind {
    /// The scheduled loop or the trigger size: one batch.
    Scheduled,
    /// A flush: everything queued.
    All,
    /// A page going away: what fits the keepalive budget, whatever else is in flight.
    Keepalive,
}

/// Why no export may start now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// Another export is in flight.
    Busy,
    /// As many exports as the cap allows timed out and never settled: batches are dropped.
    AbandonedCap,
}

/// What happened to items the host reports on.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Settled {
    /// Items now counted delivered.
    pub exported: u64,
    /// Items now counted failed.
    pub failed: u64,
    /// Of `failed`, those whose export timed out.
    pub timed_out: u64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Flight {
    id: u32,
    /// Items handed out and not yet settled (0 once abandoned: they were counted failed).
    items: u64,
    keepalive: bool,
    abandoned: bool,
}

/// The exports in flight of one processor.
#[derive(Clone, Debug, Default)]
pub struct Flights {
    flights: Vec<Flight>,
    next_id: u32,
    max_abandoned: usize,
}

impl Flights {
    /// No export in flight; at most `max_abandoned` exports may time out without settling before
    /// batches are dropped instead of exported.
    pub fn new(max_abandoned: usize) -> Self {
        Flights {
            max_abandoned,
            ..Flights::default()
        }
    }

    /// Whether an export of `kind` may start now.
    pub fn check(&self, kind: ExportKind) -> Result<(), Refusal> {
        if kind == ExportKind::Keepalive {
            return Ok(());
        }
        if self.flights.iter().any(|f| !f.keepalive && !f.abandoned) {
            return Err(Refusal::Busy);
        }
        if self.abandoned() >= self.max_abandoned {
            return Err(Refusal::AbandonedCap);
        }
        Ok(())
    }

    /// Starts an export (the caller checked it may); returns its id.
    pub fn begin(&mut self, kind: ExportKind) -> u32 {
        let id = self.next_id;
        self.next_id = self.next_id.wrapping_add(1);
        self.flights.push(Flight {
            id,
            items: 0,
            keepalive: kind == ExportKind::Keepalive,
            abandoned: false,
        });
        id
    }

    /// Adds `items` handed out to export `id`.
    pub fn add(&mut self, id: u32, items: u64) {
        if let Some(flight) = self.find(id) {
            flight.items += items;
        }
    }

    /// The host reports `items` of export `id` delivered or not. Items of an abandoned export
    /// were already counted failed: a late answer changes nothing.
    pub fn settle(&mut self, id: u32, items: u64, delivered: bool) -> Settled {
        let Some(flight) = self.find(id) else {
            return Settled::default();
        };
        let items = items.min(flight.items);
        flight.items -= items;
        if delivered {
            Settled {
                exported: items,
                ..Settled::default()
            }
        } else {
            Settled {
                failed: items,
                ..Settled::default()
            }
        }
    }

    /// Export `id` is over (every batch sent, or the host stopped): items never reported count
    /// failed, and an abandoned export is forgotten.
    pub fn end(&mut self, id: u32) -> Settled {
        let Some(at) = self.flights.iter().position(|f| f.id == id) else {
            return Settled::default();
        };
        let flight = self.flights.swap_remove(at);
        Settled {
            failed: flight.items,
            ..Settled::default()
        }
    }

    /// Export `id` ran out of time: its unsettled items count failed (timed out), and it is
    /// abandoned (the next export may start). Keepalive exports have no time bound.
    pub fn time_out(&mut self, id: u32) -> Settled {
        let Some(flight) = self.find(id) else {
            return Settled::default();
        };
        if flight.keepalive || flight.abandoned {
            return Settled::default();
        }
        flight.abandoned = true;
        let items = std::mem::take(&mut flight.items);
        Settled {
            exported: 0,
            failed: items,
            timed_out: items,
        }
    }

    /// Items handed out and not settled (abandoned exports' items are counted failed already).
    pub fn in_flight(&self) -> u64 {
        self.flights.iter().map(|f| f.items).sum()
    }

    /// Whether any export is in flight (abandoned ones aside).
    pub fn busy(&self) -> bool {
        self.flights.iter().any(|f| !f.abandoned)
    }

    /// Exports that timed out and have not settled.
    pub fn abandoned(&self) -> usize {
        self.flights.iter().filter(|f| f.abandoned).count()
    }

    fn find(&mut self, id: u32) -> Option<&mut Flight> {
        self.flights.iter_mut().find(|f| f.id == id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_export_at_a_time_keepalive_aside() {
        let mut flights = Flights::new(2);
        assert_eq!(flights.check(ExportKind::Scheduled), Ok(()));
        let id = flights.begin(ExportKind::Scheduled);
        flights.add(id, 10);
        assert_eq!(flights.check(ExportKind::All), Err(Refusal::Busy));
        assert_eq!(flights.check(ExportKind::Keepalive), Ok(()));
        let page = flights.begin(ExportKind::Keepalive);
        flights.add(page, 3);
        assert_eq!(flights.in_flight(), 13);
        assert_eq!(flights.settle(id, 10, true).exported, 10);
        assert_eq!(flights.end(id), Settled::default());
        assert_eq!(flights.check(ExportKind::Scheduled), Ok(()));
        assert_eq!(
            flights.time_out(page),
            Settled::default(),
            "keepalive has no bound"
        );
    }

    #[test]
    fn a_timed_out_export_counts_failed_once_and_is_capped() {
        let mut flights = Flights::new(1);
        let id = flights.begin(ExportKind::Scheduled);
        flights.add(id, 5);
        let timed_out = flights.time_out(id);
        assert_eq!((timed_out.failed, timed_out.timed_out), (5, 5));
        assert_eq!(flights.in_flight(), 0);
        assert_eq!(
            flights.settle(id, 5, true),
            Settled::default(),
            "a late success"
        );
        assert_eq!(
            flights.check(ExportKind::Scheduled),
            Err(Refusal::AbandonedCap)
        );
        assert_eq!(flights.end(id), Settled::default());
        assert_eq!(flights.check(ExportKind::Scheduled), Ok(()));
    }

    #[test]
    fn items_never_reported_count_failed_at_the_end() {
        let mut flights = Flights::new(2);
        let id = flights.begin(ExportKind::All);
        flights.add(id, 4);
        flights.add(id, 6);
        assert_eq!(flights.settle(id, 4, false).failed, 4);
        assert_eq!(flights.end(id).failed, 6);
        assert!(!flights.busy());
    }
}
