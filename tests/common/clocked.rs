//! A database in a temporary folder whose store runs on a clock the test
//! moves by hand.

#![allow(dead_code)]

use std::path::PathBuf;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use teamloop::domain::FixedClock;
use teamloop::store::PersonKey;
use teamloop::store::{self, OpenOptions, SqliteStore};

pub struct Clocked {
    _dir: tempfile::TempDir,
    pub path: PathBuf,
    pub clock: FixedClock,
}

impl Clocked {
    /// A new database file named `file`, with the clock at `at`.
    pub fn new(file: &str, at: DateTime<Utc>) -> Self {
        let dir = tempfile::tempdir().unwrap();
        Self {
            path: dir.path().join(file),
            _dir: dir,
            clock: FixedClock::new(at),
        }
    }

    /// The store as `ana`, on the fixture's clock.
    pub fn store(&self) -> SqliteStore {
        self.as_user("ana")
    }

    /// The store as `who`, on the fixture's clock.
    pub fn as_user(&self, who: &str) -> SqliteStore {
        let opts = OpenOptions::new(who)
            .with_key(PersonKey::for_name(who))
            .with_clock(Arc::new(self.clock.clone()));
        store::open(&self.path, opts).unwrap()
    }
}
