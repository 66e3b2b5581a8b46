//! What every spreadsheet upload shares: finding the separator (`,` or Dutch Excel's `;`),
//! skipping a UTF-8 BOM, and reading yes/no and dates the way people type them.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read};

use chrono::NaiveDate;

use super::device_import::RowError;
use super::phrase::Phrase;

/// Opens a CSV file: sniffs the separator from the header line and trims every field.
pub fn open<R: Read>(input: R) -> Result<csv::Reader<BufReader<R>>, Phrase> {
    let mut reader = BufReader::with_capacity(64 * 1024, input);
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
        _ => crate::phrase!("row-unreadable"),
    }
}

pub fn normalise_header(name: &str) -> String {
    name.trim().to_lowercase().replace([' ', '-', '.'], "_")
}

/// Picks `;`, `,` or tab from the header line (outside quotes), after skipping a UTF-8 BOM.
fn sniff_delimiter<R: Read>(reader: &mut BufReader<R>) -> Result<u8, Phrase> {
    let buf = reader.fill_buf().map_err(|_| crate::phrase!("row-unreadable"))?;
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
/// list): the header's columns found with `column`, `required` ones checked, then each line
/// read with `check` (given a way to get a column's non-empty cell), and a serial on two lines
/// refused. Every mistake of the file and of every line, or every line checked.
pub fn read_serial_rows<C, T, R>(
    input: R,
    column: impl Fn(&str) -> Option<C>,
    required: &[(C, &str)],
    mut check: impl FnMut(u64, &dyn Fn(C) -> Option<String>) -> Result<T, Vec<RowError>>,
    serial_of: impl Fn(&T) -> &str,
) -> Result<Vec<T>, Vec<RowError>>
where
    C: Copy + Eq + std::hash::Hash,
    R: Read,
{
    let file_error = |message| vec![RowError { row: 1, field: None, message }];
    let mut csv = open(input).map_err(file_error)?;
    let header = csv.headers().map_err(|e| file_error(unreadable(&e)))?.clone();
    let mut columns: HashMap<C, usize> = HashMap::new();
    for (i, name) in header.iter().enumerate() {
        if let Some(c) = column(name) {
            if columns.insert(c, i).is_some() {
                return Err(file_error(crate::phrase!("file-column-twice", column = name)));
            }
        }
    }
    let missing: Vec<RowError> = required
        .iter()
        .filter(|(c, _)| !columns.contains_key(c))
        .flat_map(|(_, name)| file_error(crate::phrase!("file-column-missing", column = *name)))
        .collect();
    if !missing.is_empty() {
        return Err(missing);
    }
    let (mut rows, mut errors) = (Vec::new(), Vec::new());
    let mut seen: HashMap<String, u64> = HashMap::new();
    for record in csv.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let row = e.position().map_or(0, csv::Position::line);
                errors.push(RowError { row, field: None, message: unreadable(&e) });
                continue;
            }
        };
        if record.iter().all(str::is_empty) {
            continue;
        }
        let row = record.position().map_or(0, csv::Position::line);
        if let Some(message) = nul_in(&record) {
            errors.push(RowError { row, field: None, message });
            continue;
        }
        let get =
            |c: C| columns.get(&c).and_then(|i| record.get(*i)).filter(|v| !v.is_empty()).map(str::to_owned);
        match check(row, &get) {
            Ok(item) => match seen.get(serial_of(&item)) {
                Some(first) => errors.push(RowError {
                    row,
                    field: Some("serial".into()),
                    message: crate::phrase!(
                        "row-serial-twice",
                        serial = serial_of(&item),
                        first = first.to_string()
                    ),
                }),
                None => {
                    seen.insert(serial_of(&item).to_owned(), row);
                    rows.push(item);
                }
            },
            Err(mut bad) => errors.append(&mut bad),
        }
    }
    if rows.is_empty() && errors.is_empty() {
        errors.extend(file_error(crate::phrase!("file-no-rows")));
    }
    if errors.is_empty() {
        Ok(rows)
    } else {
        Err(errors)
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
