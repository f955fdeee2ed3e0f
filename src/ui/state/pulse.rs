//! The Pulse tab's state.

use chrono::NaiveDate;

use crate::domain::pulse::{Instrument, Pulse, PulseResults, TrendPoint};

/// Everything the Pulse tab shows, loaded in one go.
#[derive(Debug, Clone, PartialEq)]
pub struct PulseData {
    pub today: NaiveDate,
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
    /// The selected pulse.
    pub row: usize,
}

impl PulseTabState {
    pub fn selected(&self) -> Option<&Pulse> {
        self.data.as_deref()?.pulses.get(self.row)
    }
}
