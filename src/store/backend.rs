//! What an engine gives the one SQL store: reads, write transactions that
//! are serialised with every other writer of the board, and word of other
//! people's changes. The embedded file and the team's server each are one
//! [`Backend`]; everything a store operation means is written once above
//! it, over [`Db`].

use super::Result;
use super::sql::Db;

pub trait Backend {
    /// Runs reads outside a write: each statement sees what was committed
    /// before it.
    fn read<T>(&self, f: impl FnOnce(&dyn Db) -> Result<T>) -> Result<T>;

    /// Runs reads that all see one state of the board, while others write
    /// (an export).
    fn snapshot<T>(&self, f: impl FnOnce(&dyn Db) -> Result<T>) -> Result<T>;

    /// Runs `f` in one write transaction that holds the board's write lock
    /// from its start to its commit: all of it is saved, or none, and the
    /// rules it checks still hold when it commits. Refused on a read-only
    /// board.
    fn transaction<T>(&mut self, f: impl FnOnce(&dyn Db) -> Result<T>) -> Result<T>;

    /// A transaction that writes anonymous rows: the engine does what it
    /// must so that nothing outside the rows (a log, a page's history)
    /// pairs the write with a person.
    fn anonymous_transaction<T>(&mut self, f: impl FnOnce(&dyn Db) -> Result<T>) -> Result<T> {
        self.transaction(f)
    }

    /// True when someone else (another process or host) changed the board
    /// since the last call. A heartbeat of presence is not a change of the
    /// board: it is told by [`Backend::presence_changed`].
    fn changed(&mut self) -> Result<bool>;

    /// Runs `f` in a write of presence alone (who has the board open, see
    /// `store::presence`): the others are not told the board changed, only
    /// that who is here may have.
    fn presence_transaction<T>(&mut self, f: impl FnOnce(&dyn Db) -> Result<T>) -> Result<T>;

    /// True once when someone else's presence changed (or may have) since
    /// the last call, as the last [`Backend::changed`] found.
    fn presence_changed(&mut self) -> bool;

    /// Where the board is, as shown to the user (never with a password).
    fn location(&self) -> String;

    fn is_read_only(&self) -> bool;
}
