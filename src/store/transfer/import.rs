//! `teamloop import`: a JSON export into a new or empty database, all or
//! nothing, read as a stream. Rows go into the new file as they are parsed,
//! so memory stays flat whatever the document's size; the file is built
//! beside the target under a scratch name (removed if the import fails or
//! is killed, see `files::Scratch`), checked, and only then put in place.
//! The same reading loads an empty database of either engine, in its own
//! transaction ([`import_into`]).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;
use std::io::Read;
use std::path::Path;

use rusqlite::Connection;
use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};

use super::{FORMAT, FORMAT_VERSION, Imported, bad, clear, fill, holds_nothing, holds_nothing_in};
use crate::files::{Scratch, create_new};
use crate::store::open::{migrate_to, schema_version};
use crate::store::sql::schema::{self, Table};
use crate::store::sql::{Db, DbExt, Value};
use crate::store::{Result, StoreError};

/// Imports the document read from `source` into the database file at
/// `target`, which must hold nothing yet: all or nothing.
pub fn import_from(target: &Path, source: impl Read) -> Result<Imported> {
    if let Some(why) = crate::files::refuse_database(target) {
        return Err(StoreError::Refused(why));
    }
    if !holds_nothing(target)? {
        return Err(bad(format!(
            "{} already holds a team's data: import goes into a new or empty database",
            target.display()
        )));
    }
    let scratch = Scratch::beside(target, "import");
    crate::files::remove_with_side_files(&scratch.path);
    let imported = build(&scratch.path, source)?;
    if target.exists() {
        fill(target, &scratch.path)?;
        // An empty file that became the board becomes the team's only.
        crate::files::set_team_mode(target);
    } else {
        // Side files left beside the target would be applied to the new
        // file: they go first (or, in use, the import is refused).
        crate::files::clear_stale_side_files(target).map_err(StoreError::Refused)?;
        std::fs::rename(&scratch.path, target).map_err(|e| StoreError::CannotCreate {
            path: target.to_path_buf(),
            reason: e.to_string(),
        })?;
    }
    Ok(imported)
}

/// The same, from a document in memory.
pub fn import_json(target: &Path, text: &str) -> Result<Imported> {
    import_from(target, text.as_bytes())
}

/// Imports the document read from `source` into a database of either
/// engine at this build's schema that holds nothing of a team's yet (its
/// starter board gives way), as one write: run it in a transaction, kept
/// if it succeeds and rolled back if not, so a refused import leaves the
/// database as it was. Every row and every reference is checked as in a
/// file's import; the numbering of new rows goes on after the ids
/// imported. (An export of an older schema goes into a new file, which the
/// migrations bring up to date: export that one again.)
pub fn import_into(db: &dyn Db, source: impl Read) -> Result<Imported> {
    if !holds_nothing_in(db)? {
        return Err(bad(
            "this database already holds a team's data: import goes into a new or empty database",
        ));
    }
    crate::store::kept::clear(db)?;
    clear(db, &schema::tables(schema::version_of(db)?)?)?;
    let (from_schema, rows) = load(&mut Empty(db), source)?;
    crate::store::kept::rebuild(db)?;
    Ok(Imported {
        rows,
        from_schema,
        schema: from_schema,
    })
}

/// Where an import's rows go.
trait Target {
    fn db(&self) -> &dyn Db;
    /// Made ready for the rows of a document of schema `schema`, in one
    /// transaction.
    fn prepare(&mut self, schema: i64) -> Result<()>;
}

/// A new file, made at the document's schema (then brought to this
/// build's), in a transaction of its own.
struct NewFile(Connection);

impl Target for NewFile {
    fn db(&self) -> &dyn Db {
        &self.0
    }

    fn prepare(&mut self, schema: i64) -> Result<()> {
        migrate_to(&mut self.0, schema)?;
        self.0.pragma_update(None, "foreign_keys", true)?;
        self.0.execute_batch("BEGIN")?;
        Ok(())
    }
}

/// An empty database at this build's schema, in its caller's transaction.
struct Empty<'d>(&'d dyn Db);

impl Target for Empty<'_> {
    fn db(&self) -> &dyn Db {
        self.0
    }

    fn prepare(&mut self, schema: i64) -> Result<()> {
        let at = schema::version_of(self.0)?;
        if schema != at {
            return Err(bad(format!(
                "schema {schema}: this database takes an export of schema {at} (import an older export into a new file, and export that)"
            )));
        }
        Ok(())
    }
}

/// What has gone into the target.
struct Builder<'t> {
    target: &'t mut dyn Target,
    /// The document's schema, once its header is read.
    schema: i64,
    known: BTreeMap<String, Table>,
    seen: HashSet<String>,
    counts: Vec<(String, usize)>,
    /// The keys of each table's rows in document order, to name a row in
    /// an error (for a table whose rows are known by one integer).
    keys: HashMap<String, Vec<i64>>,
    /// The store's own error behind a parse that was stopped.
    failed: Option<StoreError>,
}

impl Builder<'_> {
    /// Keeps `e` and gives the parser an error that stops it.
    fn stop<E: de::Error>(&mut self, e: StoreError) -> E {
        let text = e.to_string();
        self.failed = Some(e);
        E::custom(text)
    }

    fn header(
        &mut self,
        format: Option<String>,
        version: Option<i64>,
        schema: Option<i64>,
    ) -> Result<()> {
        let format = format.ok_or_else(|| bad("\"format\" must come first"))?;
        if format != FORMAT {
            return Err(bad(format!("\"format\" is \"{format}\", not \"{FORMAT}\"")));
        }
        let version = version.ok_or_else(|| bad("\"version\" must come before \"tables\""))?;
        if version != FORMAT_VERSION {
            return Err(bad(format!(
                "export format version {version} (this teamloop reads version {FORMAT_VERSION})"
            )));
        }
        let schema = schema.ok_or_else(|| bad("\"schema\" must come before \"tables\""))?;
        if schema < 1 || schema > schema_version() {
            return Err(bad(format!(
                "schema {schema} (this teamloop knows 1 to {})",
                schema_version()
            )));
        }
        self.target.prepare(schema)?;
        let db = self.target.db();
        // Rows may come before the rows they point at: every reference is
        // checked once all are in.
        db.execute(db.engine().defer_references(), &[])?;
        self.known = schema::tables(schema)?
            .into_iter()
            .map(|t| (t.name.clone(), t))
            .collect();
        self.schema = schema;
        Ok(())
    }

    fn table(&mut self, name: &str, columns: &[String]) -> Result<()> {
        let Some(known) = self.known.get(name) else {
            return Err(bad(format!(
                "table \"{name}\" is not in schema {}",
                self.schema
            )));
        };
        if !self.seen.insert(name.to_string()) {
            return Err(bad(format!("table \"{name}\" is there twice")));
        }
        for c in columns {
            if !known.columns.iter().any(|(k, _)| k == c) {
                return Err(bad(format!(
                    "{name}: column \"{c}\" is not in schema {}",
                    self.schema
                )));
            }
        }
        let distinct: HashSet<&String> = columns.iter().collect();
        if distinct.len() != columns.len() {
            return Err(bad(format!("{name}: a column is named twice")));
        }
        self.counts.push((name.to_string(), 0));
        Ok(())
    }

    fn row(&mut self, name: &str, columns: &[String], row: &[serde_json::Value]) -> Result<()> {
        let n = self.counts.last().map_or(0, |(_, n)| *n) + 1;
        let at = format!("{name} row {n}");
        if row.len() != columns.len() {
            return Err(bad(format!(
                "{at}: {} values for {} columns",
                row.len(),
                columns.len()
            )));
        }
        let values = row
            .iter()
            .zip(columns)
            .map(|(v, c)| sql_of(v, &format!("{at}, {c}")))
            .collect::<Result<Vec<Value>>>()?;
        let marks = crate::store::sql::numbered_marks(columns.len());
        let insert = format!(
            "INSERT INTO \"{name}\" ({}) VALUES ({marks})",
            crate::store::sql::quoted_columns(columns)
        );
        let refused = |e: StoreError| match e {
            StoreError::Unique(why) => bad(format!("{at}: a duplicate ({why})")),
            StoreError::Sqlite(e) => bad(format!("{at}: {e}")),
            StoreError::Server(why) => bad(format!("{at}: {why}")),
            e => bad(format!("{at}: {e}")),
        };
        let db = self.target.db();
        match self.known.get(name).and_then(Table::integer_key) {
            Some(key) => {
                let id: i64 = db
                    .one(&format!("{insert} RETURNING \"{key}\""), &values)
                    .map_err(refused)?;
                self.keys.entry(name.to_string()).or_default().push(id);
            }
            None => {
                db.execute(&insert, &values).map_err(refused)?;
            }
        }
        if let Some((_, count)) = self.counts.last_mut() {
            *count = n;
        }
        Ok(())
    }

    /// Every reference, checked before anything is kept: the first row
    /// that points at no row, named by its place in the document.
    fn check_references(&self) -> Result<()> {
        let db = self.target.db();
        for table in self.known.values() {
            let name = &table.name;
            for r in &table.references {
                let (column, _) = &r.columns[0];
                let sql = dangling_sql(table, r);
                let broken = db.row(&sql, &[], |row| {
                    Ok((row.0[0].clone(), row.get::<Option<i64>>(1)?))
                })?;
                let Some((value, id)) = broken else {
                    continue;
                };
                let row = id
                    .and_then(|id| self.keys.get(name)?.iter().position(|k| *k == id))
                    .map_or(String::new(), |n| format!(" row {}", n + 1));
                return Err(bad(format!(
                    "{name}{row}: {column} {} points at no {} row",
                    quote(&value),
                    r.parent
                )));
            }
        }
        Ok(())
    }

    /// New rows numbered after the ids imported.
    fn renumber(&self) -> Result<()> {
        let db = self.target.db();
        for table in self.known.values() {
            if table.integer_key() != Some("id") {
                continue;
            }
            if let Some(sql) = db.engine().renumber_after_ids(&table.name) {
                db.rows(&sql, &[], |_| Ok(()))?;
            }
        }
        Ok(())
    }
}

/// A value as SQL would write it.
fn quote(v: &Value) -> String {
    match v {
        Value::Null => "NULL".into(),
        Value::Int(i) => i.to_string(),
        Value::Real(f) => f.to_string(),
        Value::Text(t) => format!("'{}'", t.replace('\'', "''")),
        Value::Blob(b) => {
            let hex: String = b.iter().map(|byte| format!("{byte:02X}")).collect();
            format!("X'{hex}'")
        }
    }
}

fn sql_of(v: &serde_json::Value, at: &str) -> Result<Value> {
    Ok(match v {
        serde_json::Value::Null => Value::Null,
        serde_json::Value::Bool(b) => {
            return Err(bad(format!(
                "{at}: {b} is not a value a teamloop export holds (a number or text)"
            )));
        }
        serde_json::Value::Number(n) => match (n.as_i64(), n.as_f64()) {
            (Some(i), _) => Value::Int(i),
            (None, Some(f)) if n.is_f64() => Value::Real(f),
            _ => return Err(bad(format!("{at}: {n} is out of range"))),
        },
        serde_json::Value::String(s) => Value::Text(s.clone()),
        serde_json::Value::Object(o) => match (o.get("blob"), o.len()) {
            (Some(serde_json::Value::String(hex)), 1) => {
                let bytes: Option<Vec<u8>> = (0..hex.len())
                    .step_by(2)
                    .map(|i| {
                        hex.get(i..i + 2)
                            .and_then(|h| u8::from_str_radix(h, 16).ok())
                    })
                    .collect();
                Value::Blob(bytes.ok_or_else(|| bad(format!("{at}: a blob that is not hex")))?)
            }
            _ => return Err(bad(format!("{at}: an object is not a value"))),
        },
        serde_json::Value::Array(_) => return Err(bad(format!("{at}: a list is not a value"))),
    })
}

/// Reads the document from `source` into `target`: its schema, and the
/// rows per table, once every row and every reference is checked.
fn load(target: &mut dyn Target, source: impl Read) -> Result<(i64, Vec<(String, usize)>)> {
    let mut b = Builder {
        target,
        schema: 0,
        known: BTreeMap::new(),
        seen: HashSet::new(),
        counts: Vec::new(),
        keys: HashMap::new(),
        failed: None,
    };
    let reader = std::io::BufReader::with_capacity(1 << 16, source);
    let mut de = serde_json::Deserializer::from_reader(reader);
    let parsed = Doc(&mut b).deserialize(&mut de).and_then(|()| de.end());
    if let Err(e) = parsed {
        return Err(b
            .failed
            .take()
            .unwrap_or_else(|| bad(format!("not a teamloop export: {e}"))));
    }
    if b.schema == 0 {
        return Err(bad("not a teamloop export: it has no \"tables\""));
    }
    b.check_references()?;
    b.renumber()?;
    Ok((b.schema, b.counts))
}

fn build(path: &Path, source: impl Read) -> Result<Imported> {
    create_new(path).map_err(|e| StoreError::CannotCreate {
        path: path.to_path_buf(),
        reason: e.to_string(),
    })?;
    let conn = Connection::open(path).map_err(|e| StoreError::CannotCreate {
        path: path.to_path_buf(),
        reason: e.to_string(),
    })?;
    // A scratch file: if this is killed it is thrown away, so it needs no
    // journal on disk and no wait for the disk at every page.
    conn.execute_batch("PRAGMA journal_mode = MEMORY; PRAGMA synchronous = OFF;")?;
    let mut file = NewFile(conn);
    let (from_schema, counts) = load(&mut file, source)?;
    let mut conn = file.0;
    conn.execute_batch("COMMIT")?;
    // What a migration drops (a name an older schema kept) is overwritten,
    // and the new file is written compact: no freed page keeps anything.
    conn.pragma_update(None, "secure_delete", true)?;
    migrate_to(&mut conn, schema_version())?;
    crate::store::kept::rebuild(&conn)?;
    conn.execute_batch("VACUUM; PRAGMA synchronous = FULL;")?;
    let problems: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
    if problems != "ok" {
        return Err(bad(format!(
            "the imported file fails its check: {problems}"
        )));
    }
    // On disk before it takes the target's name.
    std::fs::File::open(path).and_then(|f| f.sync_all()).ok();
    drop(conn);
    Ok(Imported {
        rows: counts,
        from_schema,
        schema: schema_version(),
    })
}

/// The document: its header, then its tables.
struct Doc<'b, 't>(&'b mut Builder<'t>);

impl<'de> DeserializeSeed<'de> for Doc<'_, '_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> std::result::Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Doc<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a teamloop export (an object with format, version, schema and tables)")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<(), A::Error> {
        let b = self.0;
        let (mut format, mut version, mut schema) = (None, None, None);
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "format" => format = Some(map.next_value::<String>()?),
                "version" => version = Some(map.next_value::<i64>()?),
                "schema" => schema = Some(map.next_value::<i64>()?),
                "tables" if b.schema == 0 => {
                    if let Err(e) = b.header(format.take(), version, schema) {
                        return Err(b.stop(e));
                    }
                    map.next_value_seed(Tables(b))?;
                }
                other => {
                    return Err(de::Error::custom(format!("unknown field `{other}`")));
                }
            }
        }
        Ok(())
    }
}

struct Tables<'b, 't>(&'b mut Builder<'t>);

impl<'de> DeserializeSeed<'de> for Tables<'_, '_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> std::result::Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for Tables<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of tables")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<(), A::Error> {
        while seq.next_element_seed(TableDoc(&mut *self.0))?.is_some() {}
        Ok(())
    }
}

/// One table: its name and columns, then its rows.
struct TableDoc<'b, 't>(&'b mut Builder<'t>);

impl<'de> DeserializeSeed<'de> for TableDoc<'_, '_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> std::result::Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for TableDoc<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a table (an object with name, columns and rows)")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<(), A::Error> {
        let b = self.0;
        let (mut name, mut columns): (Option<String>, Option<Vec<String>>) = (None, None);
        let mut rows = false;
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "name" => name = Some(map.next_value()?),
                "columns" => columns = Some(map.next_value()?),
                "rows" => {
                    let (Some(n), Some(c)) = (name.as_deref(), columns.as_deref()) else {
                        return Err(de::Error::custom(
                            "a table's \"name\" and \"columns\" come before its \"rows\"",
                        ));
                    };
                    if let Err(e) = b.table(n, c) {
                        return Err(b.stop(e));
                    }
                    map.next_value_seed(Rows {
                        b: &mut *b,
                        name: n,
                        columns: c,
                    })?;
                    rows = true;
                }
                other => {
                    return Err(de::Error::custom(format!("unknown field `{other}`")));
                }
            }
        }
        if !rows {
            return Err(de::Error::custom("a table without \"rows\""));
        }
        Ok(())
    }
}

struct Rows<'b, 't, 'n> {
    b: &'b mut Builder<'t>,
    name: &'n str,
    columns: &'n [String],
}

impl<'de> DeserializeSeed<'de> for Rows<'_, '_, '_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> std::result::Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for Rows<'_, '_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of rows")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<(), A::Error> {
        while let Some(row) = seq.next_element::<Vec<serde_json::Value>>()? {
            if let Err(e) = self.b.row(self.name, self.columns, &row) {
                return Err(self.b.stop(e));
            }
        }
        Ok(())
    }
}

/// The first row of `table` whose reference `r` points at no row: the
/// referring column's value, then the row's integer key (or NULL).
pub(crate) fn dangling_sql(table: &schema::Table, r: &schema::Reference) -> String {
    let (column, _) = &r.columns[0];
    let present = r
        .columns
        .iter()
        .map(|(c, _)| format!("c.\"{c}\" IS NOT NULL"))
        .collect::<Vec<_>>()
        .join(" AND ");
    let joined = r
        .columns
        .iter()
        .map(|(c, p)| format!("p.\"{p}\" = c.\"{c}\""))
        .collect::<Vec<_>>()
        .join(" AND ");
    format!(
        "SELECT c.\"{column}\", {} FROM \"{}\" c
         WHERE {present} AND NOT EXISTS (SELECT 1 FROM \"{}\" p WHERE {joined})
         LIMIT 1",
        table
            .integer_key()
            .map_or("NULL".to_string(), |k| format!("c.\"{k}\"")),
        table.name,
        r.parent
    )
}
