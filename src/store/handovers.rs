//! Facilitation taken over, for each ritual that has a facilitator: what
//! the "take over" confirmation and `teamloop … take-over` ask of the store.

use super::Result;
use crate::domain::handover::{Handover, Ritual};
use crate::domain::mortem::MortemId;
use crate::domain::pulse::PulseId;
use crate::domain::retro::RetroId;
use crate::domain::standup::StandupId;

/// Each takeover names the facilitator the taker saw (`seen`): refused if
/// someone else took over meanwhile, if the actor facilitates already, or
/// once the ritual is over. The facilitator becomes the actor, and the
/// takeover is recorded, in one transaction.
pub trait HandoverStore {
    /// Takes over a retro that is not closed.
    fn take_over_retro(&mut self, id: RetroId, seen: &str) -> Result<Handover>;
    /// Takes over a standup that has not ended.
    fn take_over_standup(&mut self, id: StandupId, seen: &str) -> Result<Handover>;
    /// Takes over a pre-mortem that is not closed.
    fn take_over_premortem(&mut self, id: MortemId, seen: &str) -> Result<Handover>;
    /// Takes over a pulse's close (whoever opened it closes it by hand):
    /// while it is open.
    fn take_over_pulse(&mut self, id: PulseId, seen: &str) -> Result<Handover>;
    /// A ritual's takeovers, oldest first (`id`: the retro's, standup's,
    /// mortem's or pulse's).
    fn handovers(&self, ritual: Ritual, id: i64) -> Result<Vec<Handover>>;
}
