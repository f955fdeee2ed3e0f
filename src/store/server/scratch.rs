//! A database of its own on the test server (`TEAMLOOP_TEST_PG`), for the
//! tests of the library and of the binary; dropped afterwards.

use postgres::{Client, NoTls};

#[doc(hidden)]
pub struct ScratchDatabase {
    admin: Client,
    pub name: String,
    /// Its address, as `--db` takes it.
    pub address: String,
}

impl ScratchDatabase {
    /// A new, empty database; `None` without a test server.
    pub fn new() -> Option<Self> {
        let url = crate::store::sql::postgres::test_server()?;
        let mut admin = Client::connect(&url, NoTls).expect("the test server answers");
        let name = format!("t_{}", crate::store::random_id());
        admin
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .expect("a scratch database can be made");
        let address = url.replacen("/postgres?", &format!("/{name}?"), 1);
        Some(Self {
            admin,
            name,
            address,
        })
    }

    /// Runs statements as the server's administrator, on the server's
    /// own database (not this one).
    pub fn admin(&mut self, sql: &str) {
        self.admin.batch_execute(sql).expect("the statement runs");
    }

    /// The server drops every connection to this database, and lets none
    /// in until [`ScratchDatabase::let_in`]: as when it goes down.
    pub fn shut_out(&mut self) {
        let name = self.name.clone();
        self.admin(&format!(
            "ALTER DATABASE {name} ALLOW_CONNECTIONS false;
             SELECT pg_terminate_backend(pid) FROM pg_stat_activity
             WHERE datname = '{name}' AND pid <> pg_backend_pid();"
        ));
    }

    pub fn let_in(&mut self) {
        let name = self.name.clone();
        self.admin(&format!("ALTER DATABASE {name} ALLOW_CONNECTIONS true"));
    }
}

impl Drop for ScratchDatabase {
    fn drop(&mut self) {
        let _ = self.admin.batch_execute(&format!(
            "DROP DATABASE IF EXISTS {} WITH (FORCE)",
            self.name
        ));
    }
}
