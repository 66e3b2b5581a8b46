//! What every spreadsheet upload shares: finding the separator (`,` or Dutch Excel's `;`),
//! skipping a UTF-8 BOM, and reading yes/no and dates the way people type them.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read};

use chrono::NaiveDate;

use super::phrase::Phrase;

/// A bad row: its line in the file (the header is line 1) and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    pub row: u64,
    pub field: Option<String>,
    pub message: Phrase,
}

/// The longest record (line) a file may have, in bytes. No row of any import comes near it; a
/// file with a longer one is not a spreadsheet of ours, and reading it would hold it whole.
pub const MAX_RECORD_BYTES: usize = 64 * 1024;

/// A CSV file as every import reads it.
pub type CsvReader<R> = csv::Reader<BufReader<RecordLimit<R>>>;

/// Reads `R` until a record runs past [`MAX_RECORD_BYTES`]: then an error, then the end of the
/// file. Records end at a `\n` outside double quotes, as the csv reader reads them, so a quoted
/// cell cannot hide a long record in many short lines.
pub struct RecordLimit<R> {
    inner: R,
    in_record: usize,
    quoted: bool,
    /// The limit was passed: the next read fails, every read after it finds the end.
    over: bool,
    done: bool,
}

/// The error a too-long record gives (see [`unreadable`]).
#[derive(Debug)]
struct RecordTooLong;

impl std::fmt::Display for RecordTooLong {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "a record is longer than {MAX_RECORD_BYTES} bytes")
    }
}

impl std::error::Error for RecordTooLong {}

impl<R: Read> RecordLimit<R> {
    pub fn new(inner: R) -> RecordLimit<R> {
        RecordLimit { inner, in_record: 0, quoted: false, over: false, done: false }
    }
}

impl<R: Read> Read for RecordLimit<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.done {
            return Ok(0);
        }
        if self.over {
            self.done = true;
            return Err(std::io::Error::new(std::io::ErrorKind::InvalidData, RecordTooLong));
        }
        let n = self.inner.read(buf)?;
        for (i, b) in buf[..n].iter().enumerate() {
            match b {
                b'"' => self.quoted = !self.quoted,
                b'\n' if !self.quoted => {
                    self.in_record = 0;
                    continue;
                }
                _ => {}
            }
            self.in_record += 1;
            if self.in_record > MAX_RECORD_BYTES {
                // Hand over what came before the long record; the next read fails.
                self.over = true;
                return if i == 0 { self.read(buf) } else { Ok(i) };
            }
        }
        Ok(n)
    }
}

fn is_too_long(e: &std::io::Error) -> bool {
    e.get_ref().is_some_and(|inner| inner.is::<RecordTooLong>())
}

/// Opens a CSV file: sniffs the separator from the header line and trims every field.
pub fn open<R: Read>(input: R) -> Result<CsvReader<R>, Phrase> {
    let mut reader = BufReader::with_capacity(64 * 1024, RecordLimit::new(input));
    let delimiter = sniff_delimiter(&mut reader)?;
    // Records end at `\n` only: with CRLF as a terminator the csv crate reports each record one
    // line too early. The `\r` left at the end of a line is whitespace, which trimming removes.
    Ok(csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .trim(csv::Trim::All)
        .terminator(csv::Terminator::Any(b'\n'))
        .from_reader(reader))
}

/// Header names as exports write them: lower case, with spaces, dashes and dots as `_`.
/// A complaint if a field of `record` holds a NUL character, which no text may (PostgreSQL
/// cannot store it); it comes from saving a spreadsheet in a binary or UTF-16 format.
pub fn nul_in(record: &csv::StringRecord) -> Option<Phrase> {
    record.iter().any(|f| f.contains('\0')).then(|| crate::phrase!("row-nul"))
}

/// What a person can do about a line the csv reader could not read.
pub fn unreadable(e: &csv::Error) -> Phrase {
    match e.kind() {
        csv::ErrorKind::Utf8 { .. } => crate::phrase!("row-not-utf8"),
        csv::ErrorKind::Io(io) if is_too_long(io) => crate::phrase!("row-too-long", max = MAX_RECORD_BYTES),
        _ => crate::phrase!("row-unreadable"),
    }
}

pub fn normalise_header(name: &str) -> String {
    name.trim().to_lowercase().replace([' ', '-', '.'], "_")
}

/// Picks `;`, `,` or tab from the header line (outside quotes), after skipping a UTF-8 BOM.
fn sniff_delimiter<R: Read>(reader: &mut BufReader<RecordLimit<R>>) -> Result<u8, Phrase> {
    let buf = reader.fill_buf().map_err(|e| {
        if is_too_long(&e) {
            crate::phrase!("row-too-long", max = MAX_RECORD_BYTES)
        } else {
            crate::phrase!("row-unreadable")
        }
    })?;
    if buf.is_empty() {
        return Err(crate::phrase!("file-empty"));
    }
    let bom = if buf.starts_with(&[0xEF, 0xBB, 0xBF]) { 3 } else { 0 };
    let header = &buf[bom..];
    let end = header.iter().position(|b| *b == b'\n').unwrap_or(header.len());
    let (mut commas, mut semicolons, mut tabs, mut quoted) = (0, 0, 0, false);
    for b in &header[..end] {
        match b {
            b'"' => quoted = !quoted,
            b',' if !quoted => commas += 1,
            b';' if !quoted => semicolons += 1,
            b'\t' if !quoted => tabs += 1,
            _ => {}
        }
    }
    reader.consume(bom);
    Ok(if semicolons > commas && semicolons >= tabs {
        b';'
    } else if tabs > commas {
        b'\t'
    } else {
        b','
    })
}

pub fn parse_bool(v: &str) -> Option<bool> {
    match v.trim().to_lowercase().as_str() {
        "yes" | "y" | "true" | "1" | "ja" | "j" | "x" => Some(true),
        "no" | "n" | "false" | "0" | "nee" => Some(false),
        _ => None,
    }
}

/// A file of one thing a line, each named by a serial number (an erasure report, an asset
/// list), read a line at a time: the header's columns found with `column` and the `required`
/// ones checked on opening, then each line read with a check given a way to get a column's
/// non-empty cell. The caller counts the lines and finds repeated serials ([`RowLimit`],
/// [`FirstRows`]), so nothing but the current line is held.
pub struct SerialCsv<R: Read, C> {
    csv: CsvReader<R>,
    columns: HashMap<C, usize>,
    record: csv::StringRecord,
}

impl<R: Read, C: Copy + Eq + std::hash::Hash> SerialCsv<R, C> {
    /// Opens the file: the mistakes of its header (every missing column) or the reader.
    pub fn open(
        input: R,
        column: impl Fn(&str) -> Option<C>,
        required: &[(C, &str)],
    ) -> Result<SerialCsv<R, C>, Vec<RowError>> {
        let mut csv = open(input).map_err(|message| vec![file_error(message)])?;
        let header = read_header(&mut csv, column).map_err(|e| vec![e])?;
        let missing = missing_columns(&header.columns, required);
        if !missing.is_empty() {
            return Err(missing);
        }
        Ok(SerialCsv { csv, columns: header.columns, record: csv::StringRecord::new() })
    }

    /// The next line that is not empty, checked with `check`; `None` at the end of the file.
    pub fn next_row<T>(
        &mut self,
        check: impl FnOnce(u64, &dyn Fn(C) -> Option<String>) -> Result<T, Vec<RowError>>,
    ) -> Option<Result<T, Vec<RowError>>> {
        let row = match next_record(&mut self.csv, &mut self.record)? {
            Ok(row) => row,
            Err(errors) => return Some(Err(errors)),
        };
        let (columns, record) = (&self.columns, &self.record);
        let get =
            |c: C| columns.get(&c).and_then(|i| record.get(*i)).filter(|v| !v.is_empty()).map(str::to_owned);
        Some(check(row, &get))
    }
}

/// A mistake of the whole file, reported as its row 1 (the header).
pub fn file_error(message: Phrase) -> RowError {
    RowError { row: 1, field: None, message }
}

/// The columns a header names, by where they stand, and the names of those nobody uses.
#[derive(Debug)]
pub struct Header<C> {
    pub columns: HashMap<C, usize>,
    pub ignored: Vec<String>,
}

/// Reads the header with `column` naming each known column; a column named twice is refused.
pub fn read_header<R: Read, C: Copy + Eq + std::hash::Hash>(
    csv: &mut CsvReader<R>,
    column: impl Fn(&str) -> Option<C>,
) -> Result<Header<C>, RowError> {
    let names = csv.headers().map_err(|e| file_error(unreadable(&e)))?.clone();
    let mut header = Header { columns: HashMap::new(), ignored: Vec::new() };
    for (i, name) in names.iter().enumerate() {
        match column(name) {
            Some(c) if header.columns.insert(c, i).is_some() => {
                return Err(file_error(crate::phrase!("file-column-twice", column = name)));
            }
            Some(_) => {}
            None => header.ignored.push(name.to_owned()),
        }
    }
    Ok(header)
}

/// Every `required` column the header lacks, each said by its name.
pub fn missing_columns<C: Eq + std::hash::Hash>(
    columns: &HashMap<C, usize>,
    required: &[(C, &str)],
) -> Vec<RowError> {
    required
        .iter()
        .filter(|(c, _)| !columns.contains_key(c))
        .map(|(_, name)| file_error(crate::phrase!("file-column-missing", column = *name)))
        .collect()
}

/// Reads the next line that is not blank into `record` (spreadsheets end with blank lines):
/// its row number, or what makes it unreadable; `None` at the end of the file.
pub fn next_record<R: Read>(
    csv: &mut CsvReader<R>,
    record: &mut csv::StringRecord,
) -> Option<Result<u64, Vec<RowError>>> {
    loop {
        match csv.read_record(record) {
            Ok(false) => return None,
            Ok(true) => {}
            Err(e) => {
                let row = e.position().map_or(csv.position().line(), csv::Position::line);
                return Some(Err(vec![RowError { row, field: None, message: unreadable(&e) }]));
            }
        }
        if record.iter().all(str::is_empty) {
            continue;
        }
        let row = record.position().map_or(csv.position().line(), csv::Position::line);
        if let Some(message) = nul_in(record) {
            return Some(Err(vec![RowError { row, field: None, message }]));
        }
        return Some(Ok(row));
    }
}

/// Counts the rows of a file against the most it may have (`imports.max_*_rows`).
#[derive(Debug)]
pub struct RowLimit {
    max: usize,
    counted: usize,
}

impl RowLimit {
    pub fn new(max: usize) -> RowLimit {
        RowLimit { max, counted: 0 }
    }

    /// Counts one more row, good or bad: past the limit, the refusal of the whole file (the
    /// caller stops reading).
    pub fn count(&mut self) -> Result<(), RowError> {
        self.counted += 1;
        if self.counted > self.max {
            return Err(RowError {
                row: 1,
                field: None,
                message: crate::phrase!("file-too-many-rows", max = self.max),
            });
        }
        Ok(())
    }
}

/// The first row of each key (a serial number, an email address) of a file, to refuse the same
/// one on a later row. It holds one entry a good row, so [`RowLimit`] bounds it.
#[derive(Debug, Default)]
pub struct FirstRows<K: std::hash::Hash + Eq>(HashMap<K, u64>);

impl<K: std::hash::Hash + Eq> FirstRows<K> {
    /// `None` the first time `key` is seen (on `row`), else the row it was first on.
    pub fn seen_before(&mut self, key: K, row: u64) -> Option<u64> {
        match self.0.get(&key) {
            Some(first) => Some(*first),
            None => {
                self.0.insert(key, row);
                None
            }
        }
    }
}

/// The mistake of a serial on two rows.
pub fn serial_twice(row: u64, field: &str, serial: &str, first: u64) -> RowError {
    RowError {
        row,
        field: Some(field.to_owned()),
        message: crate::phrase!("row-serial-twice", serial = serial, first = first.to_string()),
    }
}

/// ISO dates, or Dutch day-first dates as Excel writes them (30-06-2027, 30/06/2027).
pub fn parse_date(v: &str) -> Option<NaiveDate> {
    let v = v.trim();
    NaiveDate::parse_from_str(v, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(v, "%d-%m-%Y"))
        .or_else(|_| NaiveDate::parse_from_str(v, "%d/%m/%Y"))
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_booleans_read_as_people_write_them() {
        assert_eq!(parse_date("30-06-2027"), NaiveDate::from_ymd_opt(2027, 6, 30));
        assert_eq!(parse_date("30/06/2027"), NaiveDate::from_ymd_opt(2027, 6, 30));
        assert_eq!(parse_date("2027-06-30"), NaiveDate::from_ymd_opt(2027, 6, 30));
        assert_eq!(parse_date("June"), None);
        assert_eq!(parse_bool("Ja"), Some(true));
        assert_eq!(parse_bool("nee"), Some(false));
        assert_eq!(parse_bool("maybe"), None);
    }

    #[test]
    fn line_numbers_are_right_with_crlf_line_ends() {
        for text in [
            "a;b\r\n1;2\r\n\"x\";\"y\"\r\n",
            "\u{feff}a;b\r\n1;2\r\n\"x\";\"y\"\r\n",
            "a;b\n1;2\n\"x\";\"y\"\n",
        ] {
            let mut r = open(text.as_bytes()).expect("opens");
            let lines: Vec<(u64, Vec<String>)> = r
                .records()
                .map(|rec| {
                    let rec = rec.expect("record");
                    (rec.position().map_or(0, |p| p.line()), rec.iter().map(str::to_owned).collect())
                })
                .collect();
            assert_eq!(
                lines,
                vec![(2, vec!["1".into(), "2".into()]), (3, vec!["x".into(), "y".into()])],
                "{text:?}"
            );
        }
    }

    #[test]
    fn the_separator_is_sniffed_outside_quotes() {
        let mut r = open("a;b;\"c,d\"\n1;2;3\n".as_bytes()).expect("opens");
        assert_eq!(r.headers().expect("header").len(), 3);
        let mut r = open("\u{feff}a,b\n1,2\n".as_bytes()).expect("opens");
        assert_eq!(r.headers().expect("header").get(0), Some("a"));
    }
}
