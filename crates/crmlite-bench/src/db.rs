//! Where a crmlite side runs: a SQLite file in the scratch folder, or a schema on the
//! PostgreSQL server named by `CRMLITE_BENCH_POSTGRES`.

use crate::ops::BenchResult;
use crmlite::{OpenOptions, Synchronous};
use std::path::{Path, PathBuf};

/// A database crmlite opens.
#[derive(Clone, Debug)]
pub enum Db {
    /// A SQLite file.
    File(PathBuf),
    /// A schema of a PostgreSQL database (`url` is the server's database URL).
    Pg {
        /// The server URL without a search path.
        url: String,
        /// The schema holding crmlite's tables.
        schema: String,
    },
}

/// Removes a SQLite file with its journal files.
pub fn remove_db(path: &Path) {
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let mut p = path.as_os_str().to_owned();
        p.push(suffix);
        let _ = std::fs::remove_file(p);
    }
}

impl Db {
    /// What `OpenOptions::open` is given.
    pub fn target(&self) -> String {
        match self {
            Self::File(p) => p.to_string_lossy().into_owned(),
            Self::Pg { url, schema } => {
                let sep = if url.contains('?') { '&' } else { '?' };
                format!("{url}{sep}options=-csearch_path%3D{schema}%2Cpublic")
            }
        }
    }

    /// Opens crmlite on it (`sync` applies to SQLite only).
    pub fn open(&self, sync: Synchronous) -> BenchResult<crmlite::Crm> {
        Ok(self.options(sync).open(self.target())?)
    }

    /// The options [`Db::open`] uses, to add to.
    pub fn options(&self, sync: Synchronous) -> OpenOptions {
        OpenOptions::new().synchronous(sync)
    }

    /// Makes it empty, then lets crmlite create its schema.
    pub fn fresh(&self) -> BenchResult<()> {
        match self {
            Self::File(p) => remove_db(p),
            Self::Pg { url, schema } => {
                pg_client(url)?.batch_execute(&format!(
                    "DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}"
                ))?;
            }
        }
        drop(self.open(Synchronous::Full)?);
        Ok(())
    }

    /// Drops a PostgreSQL schema (SQLite files stay until the scratch folder goes).
    pub fn discard(&self) -> BenchResult<()> {
        if let Self::Pg { url, schema } = self {
            pg_client(url)?.batch_execute(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"))?;
        }
        Ok(())
    }

    /// The first column of the one row `sql` (unqualified table names) returns, as an integer.
    pub fn scalar(&self, sql: &str) -> BenchResult<i64> {
        match self {
            Self::File(p) => Ok(rusqlite::Connection::open(p)?.query_row(sql, [], |r| r.get(0))?),
            Self::Pg { url, schema } => {
                let mut client = pg_client(url)?;
                client.batch_execute(&format!("SET search_path TO {schema}, public"))?;
                let row = client.query_one(&format!("SELECT CAST(({sql}) AS BIGINT)"), &[])?;
                Ok(row.try_get::<_, Option<i64>>(0)?.unwrap_or(0))
            }
        }
    }

    /// The file of a SQLite database; raw sides run on SQLite only.
    pub fn path_of(db: &Self) -> BenchResult<PathBuf> {
        match db {
            Self::File(p) => Ok(p.clone()),
            Self::Pg { .. } => Err("a raw side runs on SQLite only".into()),
        }
    }

    /// Copies a closed SQLite database (and its WAL, if any) to `to`.
    pub fn copy_file(from: &Path, to: &Path) -> BenchResult<()> {
        remove_db(to);
        std::fs::copy(from, to)?;
        let mut wal = from.as_os_str().to_owned();
        wal.push("-wal");
        if Path::new(&wal).exists() {
            let mut to_wal = to.as_os_str().to_owned();
            to_wal.push("-wal");
            std::fs::copy(&wal, &to_wal)?;
        }
        Ok(())
    }
}

fn pg_client(url: &str) -> BenchResult<postgres::Client> {
    Ok(postgres::Client::connect(url, postgres::NoTls)?)
}
