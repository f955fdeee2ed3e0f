//! What the Pulse tab and `teamloop pulse` ask of the store.

use chrono::NaiveDate;

use super::Result;
use crate::domain::BoardId;
use crate::domain::pulse::{Instrument, Pulse, PulseId, PulseResults, TrendPoint};

/// A pulse about to open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPulse {
    pub title: String,
    pub instrument: Instrument,
    pub closes: Option<NaiveDate>,
    pub min_responses: u32,
    pub min_comments: u32,
}

pub trait PulseStore {
    /// The board's pulses, newest first, with how many responded.
    fn pulses(&self, board: BoardId) -> Result<Vec<Pulse>>;
    fn pulse(&self, id: PulseId) -> Result<Pulse>;
    /// Whether the actor has responded (their token is among the pulse's).
    fn has_responded(&self, id: PulseId) -> Result<bool>;
    /// A closed pulse's results; refused while it is open and below its
    /// threshold, with the reason.
    fn pulse_results(&self, id: PulseId) -> Result<PulseResults>;
    /// Every closed pulse of the board, oldest first, with its score where
    /// it may show.
    fn pulse_trend(&self, board: BoardId) -> Result<Vec<TrendPoint>>;

    /// Opens a pulse; the actor opened it.
    fn open_pulse(&mut self, board: BoardId, pulse: NewPulse) -> Result<PulseId>;
    /// The actor's response: once per pulse, stored with no name.
    fn respond(&mut self, id: PulseId, answers: &[u32], comment: Option<&str>) -> Result<()>;
    /// Closes the pulse by hand (whoever opened it).
    fn close_pulse(&mut self, id: PulseId) -> Result<()>;
}
