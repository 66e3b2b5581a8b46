//! A report as one CSV table, so it opens in a spreadsheet and can be filtered by section.
//!
//! Every report is a JSON object whose members are sections: an object (one row, such as the
//! report's header) or a list of flat objects (one row each). The CSV has a `section` column
//! and then one column for every field that occurs in any section, in the order first seen;
//! a field a section does not have, and a JSON `null`, are empty cells; a list of texts (a
//! report's sources) is one cell, a line each. Reading the rows of a
//! section back gives the JSON figures again (the tests in `tests/api/reports.rs` check it).
//!
//! Text cells that a spreadsheet would run as a formula (OWASP's CSV injection rule: a cell
//! starting with `=`, `+`, `-`, `@`, tab or carriage return) get a leading `'`: names typed by
//! schools reach staff spreadsheets. Numbers are written as numbers and left alone.

use std::borrow::Cow;

use serde_json::Value;

/// The CSV of `report`; `None` if it is not shaped as above (a bug, not bad input).
pub fn report_csv(report: &Value) -> Option<String> {
    let sections = report.as_object()?;
    let mut rows: Vec<(&str, &serde_json::Map<String, Value>)> = Vec::new();
    for (name, value) in sections {
        match value {
            Value::Object(row) => rows.push((name, row)),
            Value::Array(items) => {
                for item in items {
                    rows.push((name, item.as_object()?));
                }
            }
            _ => return None,
        }
    }
    let mut columns: Vec<&str> = Vec::new();
    for (_, row) in &rows {
        for key in row.keys() {
            if !columns.contains(&key.as_str()) {
                columns.push(key);
            }
        }
    }
    let mut out = ::csv::Writer::from_writer(Vec::new());
    out.write_record(std::iter::once("section").chain(columns.iter().copied())).ok()?;
    for (section, row) in rows {
        let mut record = vec![section.to_owned()];
        for column in &columns {
            record.push(match row.get(*column) {
                None | Some(Value::Null) => String::new(),
                Some(Value::String(s)) => spreadsheet_safe(s).into_owned(),
                Some(Value::Bool(b)) => b.to_string(),
                Some(Value::Number(n)) => n.to_string(),
                Some(Value::Array(items)) => {
                    let lines: Option<Vec<String>> =
                        items.iter().map(|i| i.as_str().map(|s| spreadsheet_safe(s).into_owned())).collect();
                    lines?.join("\n")
                }
                // Sections are flat: a nested value is a bug in the report's shape.
                Some(Value::Object(_)) => return None,
            });
        }
        out.write_record(&record).ok()?;
    }
    String::from_utf8(out.into_inner().ok()?).ok()
}

/// `text` as a spreadsheet shows it and never runs it: a leading `'` where it would start a formula.
pub fn spreadsheet_safe(text: &str) -> Cow<'_, str> {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => Cow::Owned(format!("'{text}")),
        _ => Cow::Borrowed(text),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn sections_become_rows_with_a_shared_header() {
        let report = json!({
            "report": {"name": "pool", "from": "2026-01-01"},
            "devices": [
                {"kind": "laptop", "grade": null, "count": 3},
                {"kind": "wifi_dongle", "grade": "A", "count": 1}
            ],
            "empty": [],
            "shares": [{"kind": "laptop, refurbished", "share": 0.5, "suppressed": true}]
        });
        let csv = report_csv(&report).expect("csv");
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(
            lines,
            vec![
                "section,name,from,kind,grade,count,share,suppressed",
                "report,pool,2026-01-01,,,,,",
                "devices,,,laptop,,3,,",
                "devices,,,wifi_dongle,A,1,,",
                "shares,,,\"laptop, refurbished\",,,0.5,true",
            ]
        );
    }

    #[test]
    fn text_that_would_be_a_formula_is_neutralised_and_numbers_are_not() {
        for (text, cell) in [
            ("=1+1", "'=1+1"),
            ("+31 6 1234", "'+31 6 1234"),
            ("-2", "'-2"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("\rx", "'\rx"),
            ("Ayla =1", "Ayla =1"),
            ("", ""),
        ] {
            assert_eq!(spreadsheet_safe(text), cell, "{text:?}");
        }
        let csv = report_csv(&json!({"rows": [{"name": "=HYPERLINK(\"x\")", "n": -3}]})).expect("csv");
        assert_eq!(csv.lines().nth(1), Some("rows,\"'=HYPERLINK(\"\"x\"\")\",-3"));
    }

    #[test]
    fn a_list_of_texts_is_one_cell_with_a_line_each() {
        let csv = report_csv(&json!({"about": {"sources": ["A study", "=B"]}})).expect("csv");
        assert_eq!(csv, "section,sources\nabout,\"A study\n'=B\"\n");
    }

    #[test]
    fn nested_values_are_refused() {
        assert_eq!(report_csv(&json!({"a": [{"b": [1]}]})), None);
        assert_eq!(report_csv(&json!({"a": 1})), None);
        assert_eq!(report_csv(&json!([1])), None);
    }
}
