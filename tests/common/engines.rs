//! One board on either engine: a temporary SQLite file, or a database of
//! its own on the test server. A story takes a [`BoardFixture`], opens a
//! terminal for each person on it, and reads the same on both engines;
//! [`on_both_engines`] runs it on a file and then, when a test server is
//! there (`.ci/postgres start`), on the server.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use teamloop::domain::FixedClock;
use teamloop::store::server::{ScratchDatabase, init_server, open_server};
use teamloop::store::{self, OpenOptions, PersonKey, Store};
use teamloop::ui::App;

/// How long the server may take to tell one terminal of another's commit.
const NOTICE: Duration = Duration::from_secs(5);

/// How long a terminal is watched to see that no word of a change comes.
const QUIET: Duration = Duration::from_millis(300);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    File,
    Server,
}

/// Where a board is, with the clock its terminals run on: enough to open
/// a terminal on it from any thread.
#[derive(Clone)]
pub struct Place {
    at: At,
    pub clock: FixedClock,
}

#[derive(Clone)]
enum At {
    File(PathBuf),
    Server(String),
}

impl Place {
    pub fn engine(&self) -> Engine {
        match self.at {
            At::File(_) => Engine::File,
            At::Server(_) => Engine::Server,
        }
    }

    /// What a person's terminal opens with: their name, their own key, the
    /// board's clock.
    pub fn options(&self, who: &str) -> OpenOptions {
        OpenOptions::new(who)
            .with_key(PersonKey::for_name(who))
            .with_clock(Arc::new(self.clock.clone()))
    }

    /// A terminal of `who` on the board.
    pub fn as_user(&self, who: &str) -> Box<dyn Store> {
        self.open(self.options(who))
    }

    /// A terminal opened with options of the story's own (a clock, read-only).
    pub fn open(&self, options: OpenOptions) -> Box<dyn Store> {
        match &self.at {
            At::File(path) => match store::open(path, options) {
                Ok(s) => Box::new(s),
                Err(e) => panic!("cannot open {}: {e}", path.display()),
            },
            At::Server(address) => match open_server(address, options) {
                Ok(s) => Box::new(s),
                Err(e) => panic!("cannot open the server board: {e}"),
            },
        }
    }
}

pub struct BoardFixture {
    place: Place,
    /// The clock every terminal of the story runs on; the story moves it.
    pub clock: FixedClock,
    /// A folder of the story's own, for what it writes besides the board.
    pub dir: tempfile::TempDir,
    _server: Option<ScratchDatabase>,
}

impl BoardFixture {
    /// A board in a new SQLite file, made at `at`.
    pub fn file(at: DateTime<Utc>) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let clock = FixedClock::new(at);
        let place = Place {
            at: At::File(dir.path().join("board.db")),
            clock: clock.clone(),
        };
        drop(place.as_user("ana"));
        Self {
            place,
            clock,
            dir,
            _server: None,
        }
    }

    /// A board in a new database on the test server, made at `at`; `None`
    /// without a server.
    pub fn server(at: DateTime<Utc>) -> Option<Self> {
        let db = ScratchDatabase::new()?;
        let clock = FixedClock::new(at);
        let place = Place {
            at: At::Server(db.address.clone()),
            clock: clock.clone(),
        };
        let (first, made) = init_server(&db.address, place.options("ana"))
            .unwrap_or_else(|e| panic!("cannot make the server board: {e}"));
        assert_eq!(
            made,
            teamloop::store::server::Setup::Made,
            "a scratch database is new"
        );
        drop(first);
        Some(Self {
            place,
            clock,
            dir: tempfile::tempdir().unwrap(),
            _server: Some(db),
        })
    }

    pub fn engine(&self) -> Engine {
        self.place.engine()
    }

    pub fn is_file(&self) -> bool {
        self.engine() == Engine::File
    }

    /// The board's SQLite file, for checks only a file allows.
    pub fn path(&self) -> Option<&Path> {
        match &self.place.at {
            At::File(path) => Some(path),
            At::Server(_) => None,
        }
    }

    /// The board, to open terminals on from other threads.
    pub fn place(&self) -> Place {
        self.place.clone()
    }

    pub fn options(&self, who: &str) -> OpenOptions {
        self.place.options(who)
    }

    /// Ana's terminal.
    pub fn store(&self) -> Box<dyn Store> {
        self.as_user("ana")
    }

    pub fn as_user(&self, who: &str) -> Box<dyn Store> {
        self.place.as_user(who)
    }

    pub fn open(&self, options: OpenOptions) -> Box<dyn Store> {
        self.place.open(options)
    }

    /// The app of `who` over a terminal of their own, `width`×`height`.
    pub fn app(&self, who: &str, width: u16, height: u16) -> App {
        let mut app = App::new(self.as_user(who), width, height);
        app.state.export_dir = self.dir.path().to_path_buf();
        app
    }

    /// Asserts that `seen` (a look for another terminal's change, such as
    /// `poll_changed` or an app's `tick`) comes true: at the first look on
    /// the file; on the server, whose word of a commit comes on a
    /// connection of its own, within a few seconds.
    pub fn notices(&self, what: &str, mut seen: impl FnMut() -> bool) {
        if self.is_file() {
            assert!(seen(), "{what}: not seen");
            return;
        }
        let deadline = Instant::now() + NOTICE;
        while !seen() {
            assert!(
                Instant::now() < deadline,
                "{what}: not seen within {NOTICE:?}"
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// Asserts that `seen` stays false: one look on the file; on the
    /// server, looks for a moment, long enough for word on its way to come.
    pub fn stays_quiet(&self, what: &str, mut seen: impl FnMut() -> bool) {
        let deadline = Instant::now() + QUIET;
        loop {
            assert!(!seen(), "{what}");
            if self.is_file() || Instant::now() >= deadline {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

/// Runs a story on a board in a new SQLite file, then on one on the test
/// server when there is one; each board is made at `at`.
pub fn on_both_engines_at(at: DateTime<Utc>, test: impl Fn(&BoardFixture)) {
    eprintln!("on a SQLite file:");
    test(&BoardFixture::file(at));
    if let Some(board) = BoardFixture::server(at) {
        eprintln!("on the server:");
        test(&board);
    }
}

/// [`on_both_engines_at`] with the clock stopped at the moment it starts.
pub fn on_both_engines(test: impl Fn(&BoardFixture)) {
    on_both_engines_at(Utc::now(), test);
}
