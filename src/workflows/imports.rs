//! What the spreadsheet imports (devices, class lists) share. An upload is spooled to a
//! temporary file and read twice: first every row is parsed and checked (against the file
//! itself and, read-only, against the database), keeping the first bad rows and a count;
//! only if all are good is the file read again and written in one short transaction. So
//! memory stays flat whatever the file's size, a bad file writes nothing, and on SQLite the
//! write lock is held for the inserts only, never while a large file is being parsed.

use std::fs::File;
use std::io::{BufReader, Seek, SeekFrom};

use crate::domain::csv_file::RowError;
use crate::domain::csv_file::{serial_twice, FirstRows, RowLimit};
use crate::error::ApiError;
use crate::store::DbConnection;

/// An uploaded file, spooled to disk, and the most rows it may have (`imports.max_*_rows`).
pub struct Upload {
    pub file: File,
    pub max_rows: usize,
}

/// Rows checked, or inserted, at a time.
pub const BATCH: usize = 1000;
/// At most this many bad rows are listed; the total counts them all.
pub const MAX_LISTED_ERRORS: usize = 100;

/// The bad rows of an upload: the lowest-numbered ones, and how many in all. It never holds
/// more than twice the listed number, however many rows are bad.
#[derive(Debug, Default)]
pub struct BadRows {
    listed: Vec<RowError>,
    total: usize,
}

impl BadRows {
    pub fn push(&mut self, e: RowError) {
        self.total += 1;
        self.listed.push(e);
        if self.listed.len() > 2 * MAX_LISTED_ERRORS {
            self.trim();
        }
    }

    pub fn extend(&mut self, errors: impl IntoIterator<Item = RowError>) {
        errors.into_iter().for_each(|e| self.push(e));
    }

    /// The error of `errors` alone.
    pub fn from_errors(errors: Vec<RowError>) -> ApiError {
        let mut bad = BadRows::default();
        bad.extend(errors);
        bad.into_result().err().unwrap_or_else(|| ApiError::internal("a bad row without an error"))
    }

    pub fn is_empty(&self) -> bool {
        self.total == 0
    }

    fn trim(&mut self) {
        self.listed.sort_by_key(|e| e.row);
        self.listed.truncate(MAX_LISTED_ERRORS);
    }

    /// `Ok` if no row was bad, else the 422 listing the first of them.
    pub fn into_result(mut self) -> Result<(), ApiError> {
        if self.total == 0 {
            return Ok(());
        }
        self.trim();
        Err(ApiError::BadRows { errors: self.listed, total: self.total })
    }
}

/// A file that cannot be read as a table at all (no header, a missing column): one bad row.
pub fn unreadable(e: RowError) -> ApiError {
    ApiError::BadRows { errors: vec![e], total: 1 }
}

/// Checks a file of serials (an asset list, an erasure report) read row by row with `next`,
/// holding only a batch of rows: every row, good or bad, counts against `max_rows` (past it the
/// whole file is refused, unread beyond that row); a serial on two rows is a bad row; each
/// batch of good rows goes to `check_batch` (against the database), which returns their
/// mistakes. The number of rows, or the first bad ones.
pub fn check_serial_rows<T>(
    mut next: impl FnMut() -> Option<Result<T, Vec<RowError>>>,
    max_rows: usize,
    serial_of: impl Fn(&T) -> (&str, u64),
    mut check_batch: impl FnMut(&[T]) -> Result<Vec<RowError>, ApiError>,
) -> Result<usize, ApiError> {
    let mut limit = RowLimit::new(max_rows);
    let mut first = FirstRows::default();
    let mut bad = BadRows::default();
    let (mut batch, mut rows) = (Vec::with_capacity(BATCH), 0);
    loop {
        let next = next();
        let at_end = next.is_none();
        if next.is_some() {
            limit.count().map_err(unreadable)?;
        }
        match next {
            Some(Ok(item)) => {
                let (serial, row) = serial_of(&item);
                match first.seen_before(serial.to_owned(), row) {
                    Some(f) => bad.push(serial_twice(row, "serial", serial, f)),
                    None => batch.push(item),
                }
            }
            Some(Err(errors)) => bad.extend(errors),
            None => {}
        }
        if batch.len() >= BATCH || (at_end && !batch.is_empty()) {
            bad.extend(check_batch(&batch)?);
            rows += batch.len();
            batch.clear();
        }
        if at_end {
            break;
        }
    }
    bad.into_result()?;
    Ok(rows)
}

/// Prepares the checks of an import. On PostgreSQL a statement run many times on one
/// connection gets a generic plan, cached; one made while a table was small (a sequential
/// scan, comparing every row with a list of a thousand serials) makes a big import quadratic,
/// so the checks plan each statement afresh. The inserts must not: PostgreSQL would then plan
/// its foreign-key check again for every row, which doubled the insert time (BENCHMARKS.md).
fn plan_afresh(conn: &mut DbConnection) -> Result<(), ApiError> {
    if let DbConnection::Pg(pg) = conn {
        use diesel::connection::SimpleConnection;
        pg.batch_execute("SET LOCAL plan_cache_mode = force_custom_plan")?;
    }
    Ok(())
}

/// The second reading of a checked file: takes its rows (`next`, until `None`) a batch at a
/// time and hands each batch to `insert`; the number inserted. A bad row now means the file
/// changed since it was checked, which a spooled upload cannot: it is refused all the same.
pub fn write_in_batches<T>(
    mut next: impl FnMut() -> Option<Result<T, Vec<RowError>>>,
    mut insert: impl FnMut(Vec<T>) -> Result<usize, ApiError>,
) -> Result<usize, ApiError> {
    let mut written = 0;
    loop {
        let mut batch = Vec::with_capacity(BATCH);
        while batch.len() < BATCH {
            match next() {
                Some(Ok(row)) => batch.push(row),
                Some(Err(errors)) => return Err(BadRows::from_errors(errors)),
                None => break,
            }
        }
        if batch.is_empty() {
            return Ok(written);
        }
        written += insert(batch)?;
    }
}

/// Runs the checks of an import in one read-only transaction that plans afresh (see
/// [`plan_afresh`]); on SQLite it takes no write lock.
pub fn checking<T>(
    conn: &mut DbConnection,
    check: impl FnOnce(&mut DbConnection) -> Result<T, ApiError>,
) -> Result<T, ApiError> {
    use diesel::Connection;
    conn.transaction(|conn| {
        plan_afresh(conn)?;
        check(conn)
    })
}

/// The spooled upload, read from its start.
pub fn read_from_start(file: &mut File) -> Result<BufReader<&File>, ApiError> {
    file.seek(SeekFrom::Start(0)).map_err(|e| ApiError::internal(format!("rewinding the upload: {e}")))?;
    Ok(BufReader::new(&*file))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_rows_keep_the_first_hundred_and_count_them_all() {
        let mut bad = BadRows::default();
        for row in (2..100_002).rev() {
            bad.push(RowError { row, field: None, message: crate::phrase!("row-unreadable") });
            assert!(bad.listed.len() <= 2 * MAX_LISTED_ERRORS);
        }
        let Err(ApiError::BadRows { errors, total }) = bad.into_result() else { panic!("bad rows") };
        assert_eq!(total, 100_000);
        assert_eq!(errors.len(), MAX_LISTED_ERRORS);
        assert_eq!(errors.first().map(|e| e.row), Some(2));
        assert_eq!(errors.last().map(|e| e.row), Some(101));
        assert!(BadRows::default().into_result().is_ok());
    }
}
