//! The Pulse tab's state.

use chrono::{DateTime, NaiveDate, Utc};

use crate::domain::pulse::{Instrument, Pulse, PulseId, PulseResults, TrendPoint};

/// Everything the Pulse tab shows, loaded in one go.
#[derive(Debug, Clone, PartialEq)]
pub struct PulseData {
    pub today: NaiveDate,
    pub now: DateTime<Utc>,
    /// The board's pulses, newest first.
    pub pulses: Vec<Pulse>,
    /// Whether this person has responded, per pulse.
    pub responded: Vec<bool>,
    /// The selected pulse's results, or why they are not shown.
    pub results: Option<Result<PulseResults, String>>,
    pub trend: Vec<TrendPoint>,
    pub instruments: Vec<Instrument>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct PulseTabState {
    pub data: Option<Box<PulseData>>,
    /// The selected pulse: its row, and its id (which the row follows when
    /// another terminal opens a pulse).
    pub row: usize,
    pub selected_id: Option<PulseId>,
    /// How far the results are scrolled (a small terminal shows part).
    pub scroll: u16,
}

impl PulseTabState {
    pub fn selected(&self) -> Option<&Pulse> {
        self.data.as_deref()?.pulses.get(self.row)
    }
}
