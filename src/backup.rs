//! `devicepool backup` and `restore` for SQLite: a consistent copy of the database file while
//! the server runs, and putting such a copy back. PostgreSQL has its own tools for this
//! (`pg_dump` / `pg_restore`, shown in the README), which these commands point to.

use std::path::Path;

use anyhow::{bail, Context};
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::Text;

use crate::error::BadInput;

const USE_PG_TOOLS: &str = "PostgreSQL databases are backed up with pg_dump and restored with \
    pg_restore (see \"Backups\" in the README)";

/// Writes a copy of the SQLite database at `db` to `to`, which must not exist yet.
/// `VACUUM INTO` reads the database in one transaction, so the copy is one moment's state
/// even while the server writes, and it is compact and without a write-ahead log.
pub fn backup(db: &crate::store::DatabaseUrl, to: &Path) -> anyhow::Result<()> {
    let crate::store::DatabaseUrl::Sqlite(path) = db else {
        return Err(BadInput(USE_PG_TOOLS.to_owned()).into());
    };
    if to.exists() {
        return Err(
            BadInput(format!("{} exists already; a backup never overwrites a file", to.display())).into()
        );
    }
    let mut conn = SqliteConnection::establish(&path.to_string_lossy())
        .with_context(|| format!("cannot open the database {}", path.display()))?;
    conn.batch_execute("PRAGMA busy_timeout = 10000")?;
    // The copy holds everyone's personal data: it is made empty, readable by this user only,
    // before a byte goes in (`VACUUM INTO` fills an empty file and keeps its mode). Made new,
    // so an existing file is never written over.
    private_file(to).with_context(|| format!("cannot create the backup {}", to.display()))?;
    diesel::sql_query("VACUUM INTO ?")
        .bind::<Text, _>(to.to_string_lossy().into_owned())
        .execute(&mut conn)
        .with_context(|| format!("cannot write the backup to {}", to.display()))?;
    Ok(())
}

#[derive(QueryableByName)]
struct Check {
    #[diesel(sql_type = Text)]
    integrity_check: String,
}

/// Puts the backup `from` in place of the SQLite database at `db`. The server must be
/// stopped: its open connections would go on with the old file. The copy is checked first
/// (an intact SQLite file that devicepool made), written beside the database and renamed over
/// it, so a failure half-way leaves the old database as it was.
pub fn restore(db: &crate::store::DatabaseUrl, from: &Path) -> anyhow::Result<()> {
    let crate::store::DatabaseUrl::Sqlite(path) = db else {
        return Err(BadInput(USE_PG_TOOLS.to_owned()).into());
    };
    if !from.is_file() {
        return Err(BadInput(format!("{} is not a file", from.display())).into());
    }
    let mut copy = SqliteConnection::establish(&format!("file:{}?mode=ro", from.display()))
        .map_err(|e| BadInput(format!("{} cannot be opened as a database: {e}", from.display())))?;
    let checked: Result<Vec<Check>, _> = diesel::sql_query("PRAGMA integrity_check").load(&mut copy);
    match checked.as_deref() {
        Ok([one]) if one.integrity_check == "ok" => {}
        _ => return Err(BadInput(format!("{} is not an intact SQLite database", from.display())).into()),
    }
    let ours =
        copy.batch_execute("SELECT 1 FROM __diesel_schema_migrations LIMIT 1; SELECT 1 FROM devices LIMIT 1");
    if ours.is_err() {
        return Err(BadInput(format!("{} is not a devicepool database", from.display())).into());
    }
    drop(copy);
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let staged = path.with_extension("restoring");
    std::fs::copy(from, &staged).with_context(|| format!("cannot copy into {}", dir.display()))?;
    // `copy` takes the backup's mode; the database is for this user only, whatever that was.
    only_for_owner(&staged)?;
    std::fs::File::open(&staged)?.sync_all()?;
    // A write-ahead log left by the old database would be replayed into the restored one.
    for suffix in ["-wal", "-shm"] {
        let side = format!("{}{suffix}", path.display());
        match std::fs::remove_file(&side) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => bail!("cannot remove {side}: {e}"),
        }
    }
    std::fs::rename(&staged, path).with_context(|| format!("cannot put the backup at {}", path.display()))?;
    Ok(())
}

/// Creates `path`, which must not exist, empty and readable and writable by its owner only.
fn private_file(path: &Path) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path).map(drop)
}

/// Makes `path` readable and writable by its owner only.
fn only_for_owner(path: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))?;
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}
