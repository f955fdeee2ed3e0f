//! Who has the board open, and what is running on it: what the header's
//! presence, every tab's ritual line and `teamloop who` ask of the store.
//! A heartbeat is a write of its own kind (see
//! [`Backend::presence_transaction`](super::backend::Backend)): the others'
//! terminals read who is here again, never the whole board.

use super::Result;
use crate::domain::BoardId;
use crate::domain::presence::{Present, Running};

pub trait PresenceStore {
    /// This terminal (`session`, a random id of its own) has the board
    /// open on `tab`, now (the store's clock, to the second); terminals not
    /// heard of for long are forgotten. Refused on a read-only board.
    fn beat(&mut self, session: &str, tab: &str) -> Result<()>;
    /// This terminal has closed the board: its row goes.
    fn leave(&mut self, session: &str) -> Result<()>;
    /// Who has the board open now (heard of within
    /// [`SHOWN_FOR`](crate::domain::presence::SHOWN_FOR)), each person
    /// once, by name.
    fn present(&self) -> Result<Vec<Present>>;
    /// True once when someone's presence changed (or may have) since the
    /// last call: found by the last look for changes, which a heartbeat
    /// never makes true.
    fn presence_changed(&mut self) -> bool;
    /// The retros, pre-mortems and pulses not closed, today's standup if
    /// it has not ended, and the poker rounds not over, in that order.
    fn running(&self, board: BoardId) -> Result<Vec<Running>>;
}
