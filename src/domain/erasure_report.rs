//! Reading an erasure tool's report (CSV): one drive a row, with its device's serial number,
//! the result of the verification, the method, the tool and the time. Exports differ, so the
//! usual words are understood: "Passed"/"Success"/"Erased", "Failed"/"Error"; "Purge",
//! "Crypto erase", "Secure erase", "Sanitize" as purge and "Clear", "Overwrite", "Zero fill" as
//! clear; times in ISO 8601 or day-first. Pure: text in, checked rows or every mistake out.

use std::io::Read;

use chrono::NaiveDateTime;

use super::csv_file;
use super::csv_file::RowError;
use super::device::{Verification, WipeMethod};
use super::phrase::Phrase;

/// One checked row of the report.
#[derive(Debug, Clone, PartialEq)]
pub struct ErasureRow {
    /// Its line in the file (the header is line 1).
    pub row: u64,
    /// The device's serial number, in upper case as the pool stores codes.
    pub serial: String,
    pub result: Verification,
    pub method: WipeMethod,
    pub technique: String,
    pub tool: String,
    pub tool_version: Option<String>,
    pub verification_method: Option<String>,
    pub media_serial: Option<String>,
    pub certificate_ref: Option<String>,
    /// In UTC, as the tool wrote it (a time without a zone is taken as UTC).
    pub performed_at: NaiveDateTime,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Column {
    Serial,
    Result,
    Method,
    Tool,
    Time,
    ToolVersion,
    Verification,
    MediaSerial,
    Certificate,
}

fn column(name: &str) -> Option<Column> {
    Some(match csv_file::normalise_header(name).as_str() {
        "serial" | "serial_number" | "serienummer" | "system_serial" | "device_serial" => Column::Serial,
        "result" | "status" | "verification_result" | "uitkomst" | "resultaat" => Column::Result,
        "method" | "erasure_method" | "methode" | "technique" => Column::Method,
        "tool" | "software" | "programma" => Column::Tool,
        "time" | "date" | "timestamp" | "erased_at" | "tijd" | "datum" => Column::Time,
        "tool_version" | "version" | "versie" => Column::ToolVersion,
        "verification" | "verification_method" | "controle" => Column::Verification,
        "drive_serial" | "media_serial" | "disk_serial" => Column::MediaSerial,
        "certificate" | "certificate_ref" | "report_id" | "certificaat" => Column::Certificate,
        _ => return None,
    })
}

const REQUIRED: [(Column, &str); 5] = [
    (Column::Serial, "serial"),
    (Column::Result, "result"),
    (Column::Method, "method"),
    (Column::Tool, "tool"),
    (Column::Time, "time"),
];

/// "Passed", "success", "geslaagd" … or "failed", "error", "mislukt" ….
pub fn parse_result(v: &str) -> Option<Verification> {
    match v.trim().to_lowercase().as_str() {
        "passed" | "pass" | "success" | "successful" | "ok" | "erased" | "verified" | "geslaagd" | "goed" => {
            Some(Verification::Passed)
        }
        "failed" | "fail" | "failure" | "error" | "not erased" | "mislukt" | "fout" => {
            Some(Verification::Failed)
        }
        _ => None,
    }
}

/// The NIST level a tool's method name stands for.
pub fn parse_method(v: &str) -> Option<WipeMethod> {
    let v = v.trim().to_lowercase();
    let purge = ["purge", "crypto", "secure erase", "sanitize", "sanitise", "block erase", "format nvm"];
    let clear = ["clear", "overwrite", "zero", "pass", "dod", "nist 800-88 clear"];
    if purge.iter().any(|w| v.contains(w)) {
        Some(WipeMethod::NistPurge)
    } else if clear.iter().any(|w| v.contains(w)) {
        Some(WipeMethod::NistClear)
    } else {
        None
    }
}

/// ISO 8601 with or without a zone (taken to UTC), or a day-first date and time.
pub fn parse_time(v: &str) -> Option<NaiveDateTime> {
    let v = v.trim();
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(v) {
        return Some(t.naive_utc());
    }
    ["%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%d-%m-%Y %H:%M", "%d/%m/%Y %H:%M"]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(v, f).ok())
}

/// An erasure report read a row at a time (see [`csv_file::SerialCsv`]).
pub struct ErasureReportCsv<R: Read>(csv_file::SerialCsv<R, Column>);

impl<R: Read> ErasureReportCsv<R> {
    /// Opens the report: the mistakes of its first line (every missing column), if any.
    pub fn open(input: R) -> Result<ErasureReportCsv<R>, Vec<RowError>> {
        csv_file::SerialCsv::open(input, column, &REQUIRED).map(ErasureReportCsv)
    }

    /// The next row checked, or its mistakes; `None` at the end.
    pub fn next_row(&mut self) -> Option<Result<ErasureRow, Vec<RowError>>> {
        self.0.next_row(check)
    }
}

fn check(row: u64, get: &dyn Fn(Column) -> Option<String>) -> Result<ErasureRow, Vec<RowError>> {
    let mut errors = Vec::new();
    let mut bad = |field: &str, message: Phrase| {
        errors.push(RowError { row, field: Some(field.to_owned()), message });
    };
    let required = get;
    let serial = required(Column::Serial).map(|s| s.to_uppercase());
    if serial.is_none() {
        bad("serial", crate::phrase!("field-required"));
    }
    let result = get(Column::Result).as_deref().and_then(parse_result);
    if result.is_none() {
        let value = get(Column::Result).unwrap_or_default();
        bad("result", crate::phrase!("row-not-erasure-result", value = value.as_str()));
    }
    let technique = required(Column::Method);
    let method = technique.as_deref().and_then(parse_method);
    if method.is_none() {
        bad("method", crate::phrase!("row-not-erasure-method", value = technique.as_deref().unwrap_or("")));
    }
    let tool = required(Column::Tool);
    if tool.is_none() {
        bad("tool", crate::phrase!("field-required"));
    }
    let performed_at = get(Column::Time).as_deref().and_then(parse_time);
    if performed_at.is_none() {
        bad("time", crate::phrase!("row-not-time", value = get(Column::Time).unwrap_or_default().as_str()));
    }
    match (serial, result, method, technique, tool, performed_at) {
        (Some(serial), Some(result), Some(method), Some(technique), Some(tool), Some(performed_at)) => {
            Ok(ErasureRow {
                row,
                serial,
                result,
                method,
                technique,
                tool,
                tool_version: required(Column::ToolVersion),
                verification_method: required(Column::Verification),
                media_serial: required(Column::MediaSerial),
                certificate_ref: required(Column::Certificate),
                performed_at,
            })
        }
        _ => Err(errors),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The whole report, or every mistake, as an import sees it.
    fn parse(input: &[u8]) -> Result<Vec<ErasureRow>, Vec<RowError>> {
        let mut report = ErasureReportCsv::open(input)?;
        let (mut rows, mut errors, mut first) = (Vec::new(), Vec::new(), csv_file::FirstRows::default());
        while let Some(row) = report.next_row() {
            match row {
                Ok(r) => match first.seen_before(r.serial.clone(), r.row) {
                    Some(f) => errors.push(csv_file::serial_twice(r.row, "serial", &r.serial, f)),
                    None => rows.push(r),
                },
                Err(mut bad) => errors.append(&mut bad),
            }
        }
        if errors.is_empty() && !rows.is_empty() {
            Ok(rows)
        } else {
            Err(errors)
        }
    }

    #[test]
    fn a_tools_export_is_read_with_its_own_words() {
        let csv = "\u{feff}Serial;Status;Erasure method;Software;Version;Timestamp;Report ID\r\n\
                   5cg-1;Passed;NIST 800-88 Purge (crypto erase);Blancco Drive Eraser;7.9;2026-12-03T10:05:00+01:00;BL-9\r\n\
                   5CG-2;Failed;Overwrite 1 pass;Blancco Drive Eraser;7.9;03-12-2026 10:07;\r\n";
        let rows = parse(csv.as_bytes()).expect("rows");
        assert_eq!(rows.len(), 2);
        assert_eq!(
            (rows[0].serial.as_str(), rows[0].result, rows[0].method),
            ("5CG-1", Verification::Passed, WipeMethod::NistPurge)
        );
        assert_eq!(rows[0].performed_at.format("%H:%M").to_string(), "09:05", "to UTC");
        assert_eq!(rows[0].certificate_ref.as_deref(), Some("BL-9"));
        assert_eq!(
            (rows[1].result, rows[1].method, rows[1].row),
            (Verification::Failed, WipeMethod::NistClear, 3)
        );
        assert_eq!((rows[1].certificate_ref.as_ref(), rows[1].tool_version.as_deref()), (None, Some("7.9")));
    }

    #[test]
    fn every_bad_row_is_said_at_once_and_nothing_is_taken() {
        let csv = "serial,result,method,tool,time\n5CG-1,maybe,shred,Tool,yesterday\n,passed,purge,,2026-12-03 10:00\n5CG-1,passed,purge,T,2026-12-03 10:00\n5cg-1,passed,purge,T,2026-12-03 10:00\n";
        let errors = parse(csv.as_bytes()).expect_err("bad rows");
        let fields: Vec<(u64, Option<&str>)> = errors.iter().map(|e| (e.row, e.field.as_deref())).collect();
        assert_eq!(
            fields,
            [
                (2, Some("result")),
                (2, Some("method")),
                (2, Some("time")),
                (3, Some("serial")),
                (3, Some("tool")),
                (5, Some("serial"))
            ]
        );
        let missing = parse("serial,result\n1,passed\n".as_bytes()).expect_err("columns");
        assert_eq!(missing.len(), 3, "method, tool and time: {missing:?}");
        assert!(parse("serial,result,method,tool,time\n".as_bytes()).is_err(), "no rows is a mistake");
    }

    #[test]
    fn results_methods_and_times_in_the_usual_words() {
        for (v, r) in [
            ("Success", Verification::Passed),
            ("GESLAAGD", Verification::Passed),
            ("Error", Verification::Failed),
            ("mislukt", Verification::Failed),
        ] {
            assert_eq!(parse_result(v), Some(r), "{v}");
        }
        assert_eq!(parse_result("done?"), None);
        assert_eq!(parse_method("ATA Secure Erase"), Some(WipeMethod::NistPurge));
        assert_eq!(parse_method("Zero fill"), Some(WipeMethod::NistClear));
        assert_eq!(parse_method("degauss"), None);
        assert!(parse_time("2026-12-03T10:05:00Z").is_some() && parse_time("03/12/2026 10:05").is_some());
        assert_eq!(parse_time("tomorrow"), None);
    }
}
