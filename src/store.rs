//! The database: open (create if missing), back up, migrate, and hand out write transactions.

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use chrono::Utc;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Sqlite, SqlitePool, Transaction};
use tracing::instrument;

use crate::actor::Actor;
use crate::error::{Error, Result};
use crate::history::FieldChange;
use crate::paths::{BACKUP_DIR, DB_FILE};
use crate::settings::Language;

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// Where opening the database stands, for a window that shows it while it waits: an upgrade of
/// an existing database (a backup, then the migrations) can take a minute on a big one.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
#[ts(export)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum OpenStatus {
    #[default]
    Opening,
    /// Backing up and migrating an existing database, whose users chose `language` (the window
    /// says so in it before the database can be asked anything else).
    Upgrading {
        language: Language,
    },
    Ready,
    /// It could not be opened (the app says why in a message box and quits).
    Failed {
        message: String,
    },
}

/// The last migration applied to an existing database that has migrations still to run; None
/// when it is up to date or new (no tables yet: creating it is quick and needs no backup).
async fn upgrade_from(conn: &mut sqlx::SqliteConnection) -> Result<Option<i64>> {
    let user_tables: i64 =
        sqlx::query_scalar("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
            .fetch_one(&mut *conn)
            .await?;
    if user_tables == 0 {
        return Ok(None);
    }
    let has_table: Option<i64> =
        sqlx::query_scalar("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_sqlx_migrations'")
            .fetch_optional(&mut *conn)
            .await?;
    let applied: Vec<i64> = if has_table.is_some() {
        sqlx::query_scalar("SELECT version FROM _sqlx_migrations WHERE success = 1").fetch_all(&mut *conn).await?
    } else {
        Vec::new()
    };
    let pending = MIGRATOR.iter().any(|m| !applied.contains(&m.version));
    Ok(pending.then(|| applied.iter().max().copied().unwrap_or(0)))
}

/// Owns the connection pool. Cheap to clone.
#[derive(Clone, Debug)]
pub struct Store {
    pool: SqlitePool,
    data_dir: PathBuf,
}

impl Store {
    /// Open the database in `data_dir` (created if missing). When the database already exists and
    /// migrations are pending, it is first copied to `data_dir/backups/` with `VACUUM INTO`.
    #[instrument]
    pub async fn open(data_dir: &Path) -> Result<Store> {
        std::fs::create_dir_all(data_dir)?;
        let path = data_dir.join(DB_FILE);
        let existed = path.exists();
        let options = SqliteConnectOptions::new()
            .filename(&path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10))
            // Pages of 16 KiB instead of SQLite's 4 KiB (for a new database; an existing one
            // keeps its own): a million-row import writes a quarter as many pages to the WAL, one
            // write call each, and its transaction's WAL index is searched a quarter as long (100k
            // import median 4.73 → 4.28 s against 4 KiB pages). Reads that jump around the table
            // copy more per row; the 1M export measured the same within noise.
            .page_size(16384)
            .pragma("temp_store", "memory")
            .pragma("cache_size", "-65536");
        let pool = SqlitePoolOptions::new().max_connections(4).min_connections(1).connect_with(options).await?;
        let store = Store { pool, data_dir: data_dir.to_path_buf() };
        if existed {
            store.backup_if_migrations_pending().await?;
        }
        MIGRATOR.run(&store.pool).await?;
        Ok(store)
    }

    /// Whether opening the database in `data_dir` will upgrade an existing database (back it up
    /// and run migrations), and then in which language its users work. None when it is up to
    /// date, or when there is no database yet.
    pub async fn upgrade_pending(data_dir: &Path) -> Result<Option<Language>> {
        use sqlx::{ConnectOptions, Connection};
        let path = data_dir.join(DB_FILE);
        if !path.exists() {
            return Ok(None);
        }
        let mut conn = SqliteConnectOptions::new()
            .filename(&path)
            .read_only(true)
            .busy_timeout(Duration::from_secs(10))
            .connect()
            .await?;
        let language = match upgrade_from(&mut conn).await? {
            // A database of any version has the settings table (0001).
            Some(_) => Some(crate::settings::language_in(&mut conn).await.unwrap_or_default()),
            None => None,
        };
        conn.close().await?;
        Ok(language)
    }

    /// A private in-memory database (unit tests).
    pub async fn open_in_memory() -> Result<Store> {
        let options = SqliteConnectOptions::from_str("sqlite::memory:")?.foreign_keys(true);
        // One connection: every connection to ":memory:" would be its own database.
        let pool = SqlitePoolOptions::new()
            .max_connections(1)
            .min_connections(1)
            .idle_timeout(None)
            .max_lifetime(None)
            .connect_with(options)
            .await?;
        MIGRATOR.run(&pool).await?;
        Ok(Store { pool, data_dir: PathBuf::from(":memory:") })
    }

    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }

    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    pub fn db_path(&self) -> PathBuf {
        self.data_dir.join(DB_FILE)
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }

    async fn backup_if_migrations_pending(&self) -> Result<Option<PathBuf>> {
        let from = upgrade_from(&mut *self.pool.acquire().await?).await?;
        let Some(to) = from else { return Ok(None) };
        let path = self.backup(&format!("before-migration-from-v{to}")).await?;
        Ok(Some(path))
    }

    /// Copy the whole database to `backups/clientele-<UTC time>-<label>.db` (consistent snapshot).
    #[instrument(skip(self))]
    pub async fn backup(&self, label: &str) -> Result<PathBuf> {
        let dir = self.data_dir.join(BACKUP_DIR);
        std::fs::create_dir_all(&dir)?;
        let stamp = Utc::now().format("%Y%m%d-%H%M%S%.3f");
        let safe: String = label.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '_' }).collect();
        let path = dir.join(format!("clientele-{stamp}-{safe}.db"));
        sqlx::query("VACUUM INTO ?").bind(path.to_string_lossy().into_owned()).execute(&self.pool).await?;
        Ok(path)
    }

    /// Begin a write: `BEGIN IMMEDIATE` takes the write lock up front, so a transaction never
    /// fails half-way on a lock upgrade. Changes and their history commit together.
    pub async fn write<'a>(&self, actor: &'a Actor) -> Result<WriteTx<'a>> {
        let tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        Ok(WriteTx {
            tx,
            actor,
            now: Utc::now(),
            batch_id: None,
            foreign_keys_checked: Vec::new(),
            inserts_only: false,
        })
    }

    /// Begin a write that only inserts (a bulk of new customers: an import that updates nothing,
    /// demo data). SQLite checks foreign keys row by row, and for a statement that inserts many
    /// rows into a table others refer to (customers), it also searches every referring table for
    /// each new row: that was a quarter of a bulk insert's time in SQLite. Here the row-by-row
    /// enforcement is off, and `commit` checks each table of `checked` as a whole
    /// (`PRAGMA foreign_key_check`) instead, rolling everything back on any violation; an insert
    /// cannot break a reference to an existing row, so what the inserted rows refer to is all
    /// there is to check. Nothing in such a transaction may delete or update a row that others
    /// refer to (their ON DELETE actions would not run). Its connection is closed afterwards,
    /// never returned to the pool with enforcement off, whatever ends the transaction.
    pub async fn write_inserts<'a>(&self, actor: &'a Actor, checked: &[&'static str]) -> Result<WriteTx<'a>> {
        let mut conn = self.pool.acquire().await?;
        conn.close_on_drop();
        sqlx::query("PRAGMA foreign_keys = OFF").execute(&mut *conn).await?;
        // A bulk ends by building indexes from the whole table (sorts of a million keys): their
        // runs go to temporary files, not memory, so that a bulk's memory stays bounded by the
        // page cache whatever its size (a million-row import peaked ~120 MiB higher in memory).
        sqlx::query("PRAGMA temp_store = FILE").execute(&mut *conn).await?;
        let tx = Transaction::begin(conn, Some(sqlx::SqlSafeStr::into_sql_str("BEGIN IMMEDIATE"))).await?;
        Ok(WriteTx {
            tx,
            actor,
            now: Utc::now(),
            batch_id: None,
            foreign_keys_checked: checked.to_vec(),
            inserts_only: true,
        })
    }
}

/// A write transaction on behalf of an actor. Dropped without `commit`, it rolls back.
pub struct WriteTx<'a> {
    pub tx: Transaction<'static, Sqlite>,
    pub actor: &'a Actor,
    /// One timestamp for the whole transaction.
    pub now: chrono::DateTime<Utc>,
    /// The import batch this transaction belongs to; history entries carry it (revert uses it).
    pub batch_id: Option<i64>,
    /// For `Store::write_inserts`: the tables whose references `commit` checks.
    foreign_keys_checked: Vec<&'static str>,
    /// Begun by `Store::write_inserts`: its connection is closed afterwards.
    inserts_only: bool,
}

impl WriteTx<'_> {
    pub fn conn(&mut self) -> &mut sqlx::SqliteConnection {
        &mut self.tx
    }

    /// How a bulk statement that inserts many rows begins. In a transaction of
    /// `Store::write_inserts`, `INSERT OR ROLLBACK`: a failing row ends the whole transaction
    /// (which an all-or-nothing bulk does anyway), so SQLite keeps no statement journal, the
    /// copy of every page a statement touches that it would need to undo that statement alone.
    /// Those copies were most of what a 100k import wrote (0.9 GB to a temporary file, the
    /// database being 0.16 GB). After such a failure the transaction is gone: the caller must
    /// stop and return the error (the connection, closed afterwards, runs nothing more).
    /// Elsewhere, plain `INSERT` (a pooled connection's transaction must stay in step).
    pub fn bulk_insert(&self) -> &'static str {
        if self.inserts_only { "INSERT OR ROLLBACK" } else { "INSERT" }
    }

    /// Record a history entry in this transaction.
    pub async fn history(&mut self, entity: &str, entity_id: i64, action: &str, changes: &[FieldChange]) -> Result<()> {
        let changes = serde_json::to_string(changes).map_err(|e| Error::Database(e.to_string()))?;
        sqlx::query(
            "INSERT INTO history (entity, entity_id, action, changes, actor_id, at, batch_id) VALUES (?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(entity)
        .bind(entity_id)
        .bind(action)
        .bind(changes)
        .bind(self.actor.staff_id)
        .bind(self.now)
        .bind(self.batch_id)
            .execute(&mut *self.tx)
            .await?;
        Ok(())
    }

    pub async fn commit(mut self) -> Result<()> {
        for table in std::mem::take(&mut self.foreign_keys_checked) {
            let violation: Option<(String, Option<i64>, String, i64)> =
                sqlx::query_as(sqlx::AssertSqlSafe(format!("PRAGMA foreign_key_check({table})")))
                    .fetch_optional(&mut *self.tx)
                    .await?;
            if let Some((table, row, parent, _)) = violation {
                // Dropped, the transaction rolls back.
                return Err(Error::Database(format!(
                    "row {} of {table} refers to a {parent} row that does not exist",
                    row.map_or_else(|| "?".to_owned(), |r| r.to_string())
                )));
            }
        }
        self.tx.commit().await?;
        Ok(())
    }
}
