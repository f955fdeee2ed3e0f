//! A board on the team's server: one connection for reads and writes, a
//! second that listens for other people's changes, and both made again on
//! their own when the server or the network drops them.
//!
//! Every write takes the board's advisory lock first, so writers queue as
//! they do on the file and a rule checked in a write (a WIP limit, a
//! phase) still holds when it commits; its `NOTIFY` reaches every other
//! terminal when, and only when, it commits. A notification carries the
//! session that wrote it, so that a terminal's own writes are not news to
//! it (as on the file). A heartbeat of presence takes no lock and
//! notifies with a payload of its own ([`PRESENCE`] and the session), which
//! the others count apart: who is here is read again, not the board. While
//! the connection is down,
//! reads and writes are refused with [`StoreError::Disconnected`]: nothing
//! is queued or half-applied, and the next call after the connection is
//! back sees everything as it is.

use std::cell::RefCell;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use postgres::Client;
use postgres::fallible_iterator::FallibleIterator;

use super::{Address, connect};
use crate::store::backend::Backend;
use crate::store::sql::Db;
use crate::store::sql::postgres::{PgDb, Statements, server_error};
use crate::store::{Result, StoreError};

/// The channel every write notifies and every terminal listens on.
pub const CHANNEL: &str = "teamloop_changes";

/// What a heartbeat's notification begins with, before its session.
pub const PRESENCE: &str = "presence:";

/// The advisory lock every write holds (one board per database).
pub(super) const WRITE_LOCK: i64 = 0x7465_616d_6c6f_6f70; // "teamloop"

/// How long to wait between tries to reach a server that is gone.
const RETRY: Duration = Duration::from_millis(500);

/// A connection with its prepared statements.
struct Live {
    client: Client,
    statements: Statements,
}

impl Live {
    fn new(client: Client) -> Self {
        Self {
            client,
            statements: Statements::default(),
        }
    }
}

/// What the background threads tell the session.
#[derive(Default)]
struct Shared {
    /// Grows with every notification heard (and when the listener comes
    /// back, since changes may have been missed while it was away).
    heard: AtomicU64,
    /// Grows with every heartbeat (or quit) of another session heard.
    presence: AtomicU64,
    /// A new main connection, made in the background after one was lost.
    replacement: Mutex<Option<Client>>,
    /// A thread is trying to reconnect the main connection.
    reconnecting: AtomicBool,
    /// The listening connection is lost and being made again: the server
    /// may be gone for the main connection too.
    deaf: AtomicBool,
    /// The session is gone: the threads end.
    closed: AtomicBool,
}

pub struct ServerBackend {
    address: Address,
    /// What this session's notifications carry, for its listener to know
    /// them as its own.
    me: String,
    live: RefCell<Option<Live>>,
    shared: Arc<Shared>,
    seen: u64,
    presence_seen: u64,
    read_only: bool,
    /// The listening connection is made at the first look for changes: a
    /// command that never looks (the command line) never makes it.
    listening: bool,
}

impl ServerBackend {
    /// Connects (refused with one line if the server cannot be reached).
    pub fn open(address: Address, read_only: bool) -> Result<Self> {
        let client = connect(&address)?;
        let me = format!("{:x}", crate::store::random_id());
        Ok(Self {
            address,
            me,
            live: RefCell::new(Some(Live::new(client))),
            shared: Arc::new(Shared::default()),
            seen: 0,
            presence_seen: 0,
            read_only,
            listening: false,
        })
    }

    /// The connection, once one is there: a replacement made in the
    /// background is taken up here.
    fn ensure_live(&self) -> Result<()> {
        let mut live = self.live.borrow_mut();
        if live.is_none()
            && let Some(client) = self
                .shared
                .replacement
                .lock()
                .ok()
                .and_then(|mut r| r.take())
        {
            *live = Some(Live::new(client));
        }
        if live.is_none() {
            self.reconnect_in_background();
            return Err(StoreError::Disconnected);
        }
        Ok(())
    }

    /// Drops a connection that failed, and starts making a new one.
    fn lost(&self, e: StoreError) -> StoreError {
        let closed = self
            .live
            .borrow()
            .as_ref()
            .is_none_or(|l| l.client.is_closed());
        if matches!(e, StoreError::Disconnected) || closed {
            *self.live.borrow_mut() = None;
            self.reconnect_in_background();
            return StoreError::Disconnected;
        }
        e
    }

    fn reconnect_in_background(&self) {
        if self.shared.reconnecting.swap(true, Ordering::SeqCst) {
            return;
        }
        let address = self.address.clone();
        let shared = Arc::clone(&self.shared);
        std::thread::spawn(move || {
            while !shared.closed.load(Ordering::SeqCst) {
                if let Ok(client) = connect(&address) {
                    if let Ok(mut r) = shared.replacement.lock() {
                        *r = Some(client);
                    }
                    // Everything may have changed while the connection was
                    // down: the screens read it all again.
                    shared.heard.fetch_add(1, Ordering::SeqCst);
                    break;
                }
                std::thread::sleep(RETRY);
            }
            shared.reconnecting.store(false, Ordering::SeqCst);
        });
    }

    /// Runs `f` on the connection; a connection that fails is dropped.
    fn with_live<T>(&self, f: impl FnOnce(&mut Live) -> Result<T>) -> Result<T> {
        self.ensure_live()?;
        let out = {
            let mut live = self.live.borrow_mut();
            let live = live.as_mut().ok_or(StoreError::Disconnected)?;
            f(live)
        };
        out.map_err(|e| self.lost(e))
    }

    /// Whether the main connection is up now.
    pub fn is_connected(&self) -> bool {
        self.live
            .borrow()
            .as_ref()
            .is_some_and(|l| !l.client.is_closed())
    }
}

impl Drop for ServerBackend {
    fn drop(&mut self) {
        self.shared.closed.store(true, Ordering::SeqCst);
    }
}

impl Backend for ServerBackend {
    fn read<T>(&self, f: impl FnOnce(&dyn Db) -> Result<T>) -> Result<T> {
        self.with_live(|live| {
            let db = PgDb::cached(&mut live.client, &live.statements);
            f(&db)
        })
    }

    fn snapshot<T>(&self, f: impl FnOnce(&dyn Db) -> Result<T>) -> Result<T> {
        self.with_live(|live| {
            let mut tx = live
                .client
                .build_transaction()
                .isolation_level(postgres::IsolationLevel::RepeatableRead)
                .read_only(true)
                .start()
                .map_err(server_error)?;
            let out = {
                let db = PgDb::cached(&mut tx, &live.statements);
                f(&db)?
            };
            tx.commit().map_err(server_error)?;
            Ok(out)
        })
    }

    fn transaction<T>(&mut self, f: impl FnOnce(&dyn Db) -> Result<T>) -> Result<T> {
        if self.read_only {
            return Err(StoreError::ReadOnly);
        }
        self.with_live(|live| {
            let mut tx = live.client.transaction().map_err(server_error)?;
            tx.execute("SELECT pg_advisory_xact_lock($1)", &[&WRITE_LOCK])
                .map_err(server_error)?;
            let out = {
                let db = PgDb::cached(&mut tx, &live.statements);
                f(&db)?
            };
            tx.execute("SELECT pg_notify($1, $2)", &[&CHANNEL, &self.me])
                .map_err(server_error)?;
            tx.commit().map_err(server_error)?;
            Ok(out)
        })
    }

    fn presence_transaction<T>(&mut self, f: impl FnOnce(&dyn Db) -> Result<T>) -> Result<T> {
        if self.read_only {
            return Err(StoreError::ReadOnly);
        }
        let payload = format!("{PRESENCE}{}", self.me);
        self.with_live(|live| {
            // No write lock: a heartbeat writes its own row only, and never
            // waits behind the board's writes.
            let mut tx = live.client.transaction().map_err(server_error)?;
            let out = {
                let db = PgDb::cached(&mut tx, &live.statements);
                f(&db)?
            };
            tx.execute("SELECT pg_notify($1, $2)", &[&CHANNEL, &payload])
                .map_err(server_error)?;
            tx.commit().map_err(server_error)?;
            Ok(out)
        })
    }

    fn presence_changed(&mut self) -> bool {
        let heard = self.shared.presence.load(Ordering::SeqCst);
        let changed = heard != self.presence_seen;
        self.presence_seen = heard;
        changed
    }

    fn changed(&mut self) -> Result<bool> {
        if !self.listening {
            // The first look: what comes after it is heard from now on.
            listen(
                self.address.clone(),
                self.me.clone(),
                Arc::clone(&self.shared),
            )?;
            self.listening = true;
            self.seen = self.shared.heard.load(Ordering::SeqCst);
            return Ok(false);
        }
        // A connection the server or the network closed is given up now
        // (not at the next write), and one made again in the background
        // is taken up.
        if !self.is_connected() {
            if self.live.borrow().is_some() {
                return Err(self.lost(StoreError::Disconnected));
            }
            self.ensure_live()?;
        } else if self.shared.deaf.load(Ordering::SeqCst) {
            // The listener lost the server; a connection learns that it
            // did too only when it is used, so it is used now.
            self.read(|db| db.execute("SELECT 1", &[]))?;
        }
        let heard = self.shared.heard.load(Ordering::SeqCst);
        let changed = heard != self.seen;
        self.seen = heard;
        Ok(changed)
    }

    fn location(&self) -> String {
        self.address.shown().to_string()
    }

    fn is_read_only(&self) -> bool {
        self.read_only
    }
}

/// Listens for changes on a connection of its own, counting every
/// notification but the session's own (`me`), and makes the connection
/// again when it is lost.
fn listen(address: Address, me: String, shared: Arc<Shared>) -> Result<()> {
    let mut client = connect(&address)?;
    client
        .batch_execute(&format!("LISTEN {CHANNEL}"))
        .map_err(server_error)?;
    std::thread::spawn(move || {
        loop {
            if shared.closed.load(Ordering::SeqCst) {
                return;
            }
            let mut lost = false;
            {
                let mut notes = client.notifications();
                let mut waiting = notes.timeout_iter(Duration::from_millis(200));
                loop {
                    match waiting.next() {
                        Ok(Some(note)) => match note.payload().strip_prefix(PRESENCE) {
                            Some(session) if session != me => {
                                shared.presence.fetch_add(1, Ordering::SeqCst);
                            }
                            Some(_) => {}
                            None if note.payload() != me => {
                                shared.heard.fetch_add(1, Ordering::SeqCst);
                            }
                            None => {}
                        },
                        Ok(None) => break,
                        Err(_) => {
                            lost = true;
                            break;
                        }
                    }
                }
            }
            if !lost && !client.is_closed() {
                continue;
            }
            // Gone: made again, and everything read again once it is back.
            shared.deaf.store(true, Ordering::SeqCst);
            loop {
                if shared.closed.load(Ordering::SeqCst) {
                    return;
                }
                std::thread::sleep(RETRY);
                if let Ok(mut c) = connect(&address)
                    && c.batch_execute(&format!("LISTEN {CHANNEL}")).is_ok()
                {
                    client = c;
                    shared.deaf.store(false, Ordering::SeqCst);
                    shared.heard.fetch_add(1, Ordering::SeqCst);
                    break;
                }
            }
        }
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::sql::DbExt;

    use super::super::ScratchDatabase as Scratch;

    fn open(scratch: &Scratch) -> ServerBackend {
        ServerBackend::open(super::super::parse(&scratch.address).unwrap(), false).unwrap()
    }

    fn until(what: &str, mut f: impl FnMut() -> bool) {
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        while !f() {
            assert!(
                std::time::Instant::now() < deadline,
                "{what}: not within 10 s"
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    #[test]
    fn a_sessions_own_write_is_no_news_to_it() {
        let Some(scratch) = Scratch::new() else {
            return;
        };
        let mut ana = open(&scratch);
        let mut ben = open(&scratch);
        // Each starts listening at its first look.
        assert!(!ana.changed().unwrap() && !ben.changed().unwrap());
        ana.transaction(|db| db.execute("CREATE TABLE notes (text TEXT NOT NULL)", &[]))
            .unwrap();
        until("Ben hears Ana's write", || ben.changed().unwrap());
        // Ben heard it, so Ana's listener has had as long to hear it too.
        std::thread::sleep(Duration::from_millis(300));
        assert!(!ana.changed().unwrap(), "her own write is not news to Ana");
        ben.transaction(|db| db.execute("INSERT INTO notes VALUES ('from ben')", &[]))
            .unwrap();
        until("Ana hears Ben's write", || ana.changed().unwrap());
        std::thread::sleep(Duration::from_millis(300));
        assert!(!ben.changed().unwrap(), "his own write is not news to Ben");
    }

    #[test]
    fn a_write_on_one_connection_is_heard_on_another_and_a_dropped_one_comes_back() {
        let Some(mut scratch) = Scratch::new() else {
            return;
        };
        let mut ana = open(&scratch);
        let mut ben = open(&scratch);
        assert!(!ben.changed().unwrap());
        ana.transaction(|db| {
            db.execute("CREATE TABLE notes (text TEXT NOT NULL)", &[])?;
            db.execute("INSERT INTO notes VALUES (?1)", crate::sql_params!["hello"])
        })
        .unwrap();
        let started = std::time::Instant::now();
        until("Ben hears Ana's write", || ben.changed().unwrap());
        assert!(started.elapsed() < Duration::from_secs(1));
        let n: i64 = ben
            .read(|db| db.one("SELECT count(*) FROM notes", &[]))
            .unwrap();
        assert_eq!(n, 1);

        // A write that fails leaves nothing behind, and nobody is told.
        let failed = ana.transaction(|db| {
            db.execute("INSERT INTO notes VALUES (?1)", crate::sql_params!["half"])?;
            db.execute("INSERT INTO nowhere VALUES (1)", &[])
        });
        assert!(failed.is_err());
        std::thread::sleep(Duration::from_millis(300));
        assert!(
            !ben.changed().unwrap(),
            "a rolled-back write notifies nobody"
        );
        let n: i64 = ana
            .read(|db| db.one("SELECT count(*) FROM notes", &[]))
            .unwrap();
        assert_eq!(n, 1, "nothing of a failed write is kept");

        // The server drops Ben's connections: he is told, refused, and back.
        let name = scratch.name.clone();
        scratch.admin(&format!(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
             WHERE datname = '{name}' AND pid <> pg_backend_pid()"
        ));
        let e = ben
            .transaction(|db| db.execute("INSERT INTO notes VALUES ('lost')", &[]))
            .unwrap_err();
        assert!(matches!(e, StoreError::Disconnected), "{e}");
        until("Ben's connection comes back", || {
            ben.read(|db| db.one::<i64>("SELECT count(*) FROM notes", &[]))
                .is_ok()
        });
        let n: i64 = ben
            .read(|db| db.one("SELECT count(*) FROM notes", &[]))
            .unwrap();
        assert_eq!(n, 1, "the refused write was not queued");
        // Ana's connections were dropped too; once back, Ben hears her again.
        until("Ana writes again", || {
            ana.transaction(|db| db.execute("INSERT INTO notes VALUES ('again')", &[]))
                .is_ok()
        });
        until("Ben hears it", || ben.changed().unwrap_or(false));
    }
}
