//! Reading a school's class list (CSV) into checked students, one row at a time, with every
//! bad row's line number and reason. Dutch or English column names; `,` or `;`.

use std::collections::HashMap;
use std::io::Read;

use super::csv_file::RowError;
use super::csv_file::{self, parse_bool, parse_date};
use super::phrase::Phrase;
use super::student::{Language, StudentFields, StudentSpec, TargetGroup, Track};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Column {
    Name,
    Email,
    Language,
    Track,
    Start,
    End,
    Hub,
    LacksLaptop,
    LacksConnectivity,
    LacksSoftware,
    TargetGroup,
}

fn column(name: &str) -> Option<Column> {
    let column = match csv_file::normalise_header(name).as_str() {
        "name" | "naam" | "full_name" | "student" | "volledige_naam" => Column::Name,
        "email" | "e_mail" | "mail" | "e_mailadres" | "emailadres" => Column::Email,
        "preferred_language" | "language" | "taal" | "voorkeurstaal" => Column::Language,
        "track" | "programme" | "program" | "opleiding" | "richting" => Column::Track,
        "programme_start" | "start" | "start_date" | "startdatum" | "begindatum" => Column::Start,
        "programme_end" | "end" | "end_date" | "einddatum" => Column::End,
        "hub" | "hub_name" | "locatie" | "location" => Column::Hub,
        "lacks_laptop" | "needs_laptop" | "geen_laptop" => Column::LacksLaptop,
        "lacks_connectivity" | "needs_internet" | "geen_internet" => Column::LacksConnectivity,
        "lacks_software" | "needs_software" | "geen_software" => Column::LacksSoftware,
        "target_group" | "doelgroep" => Column::TargetGroup,
        _ => return None,
    };
    Some(column)
}

/// One checked row: the student and the name of their preferred hub, if given (the caller
/// looks hubs up by name).
pub type Row = Result<(u64, StudentSpec, Option<String>), Vec<RowError>>;

pub struct StudentCsv<R: Read> {
    csv: csv_file::CsvReader<R>,
    columns: HashMap<Column, usize>,
    record: csv::StringRecord,
    pub ignored_columns: Vec<String>,
}

use csv_file::file_error;

fn parse_language(v: &str) -> Option<Language> {
    match v.trim().to_lowercase().as_str() {
        "nl" | "nederlands" | "dutch" | "nld" => Some(Language::Nl),
        "en" | "english" | "engels" | "eng" => Some(Language::En),
        _ => None,
    }
}

fn parse_track(v: &str) -> Option<Track> {
    Track::parse(&csv_file::normalise_header(v))
}

fn parse_target_group(v: &str) -> Option<TargetGroup> {
    TargetGroup::parse(&csv_file::normalise_header(v))
}

impl<R: Read> StudentCsv<R> {
    pub fn open(input: R) -> Result<StudentCsv<R>, RowError> {
        let mut csv = csv_file::open(input).map_err(file_error)?;
        let header = csv_file::read_header(&mut csv, column)?;
        let required = [
            (Column::Name, "name"),
            (Column::Email, "email"),
            (Column::Language, "preferred_language"),
            (Column::Track, "track"),
            (Column::Start, "programme_start"),
            (Column::End, "programme_end"),
        ];
        if let Some(missing) = csv_file::missing_columns(&header.columns, &required).into_iter().next() {
            return Err(missing);
        }
        let (columns, ignored_columns) = (header.columns, header.ignored);
        Ok(StudentCsv { csv, columns, record: csv::StringRecord::new(), ignored_columns })
    }

    /// The next data row, skipping blank lines; `None` at the end of the file.
    pub fn next_row(&mut self) -> Option<Row> {
        Some(csv_file::next_record(&mut self.csv, &mut self.record)?.and_then(|row| self.check(row)))
    }

    fn check(&self, row: u64) -> Row {
        let record = &self.record;
        let get = |c: Column| self.columns.get(&c).and_then(|i| record.get(*i)).filter(|v| !v.is_empty());
        let mut errors: Vec<RowError> = Vec::new();
        let mut typed = |col: Column, field: &str, what: Phrase, parse: &dyn Fn(&str) -> Option<()>| {
            if let Some(v) = get(col) {
                if parse(v).is_none() {
                    errors.push(RowError {
                        row,
                        field: Some(field.to_owned()),
                        message: what.with("value", v),
                    });
                }
            }
        };
        typed(Column::Language, "preferred_language", crate::phrase!("row-not-language"), &|v| {
            parse_language(v).map(drop)
        });
        typed(Column::Track, "track", crate::phrase!("row-not-track"), &|v| parse_track(v).map(drop));
        typed(Column::Start, "programme_start", crate::phrase!("row-not-date"), &|v| parse_date(v).map(drop));
        typed(Column::End, "programme_end", crate::phrase!("row-not-date"), &|v| parse_date(v).map(drop));
        typed(Column::TargetGroup, "target_group", crate::phrase!("row-not-target-group"), &|v| {
            parse_target_group(v).map(drop)
        });
        for (col, field) in [
            (Column::LacksLaptop, "lacks_laptop"),
            (Column::LacksConnectivity, "lacks_connectivity"),
            (Column::LacksSoftware, "lacks_software"),
        ] {
            typed(col, field, crate::phrase!("row-not-yes-no"), &|v| parse_bool(v).map(drop));
        }
        let fields = StudentFields {
            name: get(Column::Name).map(str::to_owned),
            email: get(Column::Email).map(str::to_owned),
            preferred_language: get(Column::Language).and_then(parse_language),
            track: get(Column::Track).and_then(parse_track),
            programme_start: get(Column::Start).and_then(parse_date),
            programme_end: get(Column::End).and_then(parse_date),
            lacks_laptop: get(Column::LacksLaptop).and_then(parse_bool),
            lacks_connectivity: get(Column::LacksConnectivity).and_then(parse_bool),
            lacks_software: get(Column::LacksSoftware).and_then(parse_bool),
            target_group: get(Column::TargetGroup).and_then(parse_target_group),
        };
        match StudentSpec::parse(&fields) {
            Ok(spec) if errors.is_empty() => return Ok((row, spec, get(Column::Hub).map(str::to_owned))),
            Ok(_) => {}
            Err(rule_errors) => {
                for e in rule_errors {
                    if !errors.iter().any(|x| x.field.as_deref() == Some(e.field.as_str())) {
                        errors.push(RowError { row, field: Some(e.field), message: e.message });
                    }
                }
            }
        }
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(text: &str) -> Vec<Row> {
        let mut csv = StudentCsv::open(text.as_bytes()).expect("opens");
        std::iter::from_fn(|| csv.next_row()).collect()
    }

    #[test]
    fn a_dutch_class_list_reads() {
        let text = "\u{feff}Naam;E-mailadres;Taal;Opleiding;Startdatum;Einddatum;Locatie;Geen laptop;Geen internet;Doelgroep\r\n\
                    Ayla Demir;ayla@example.org;Nederlands;Data analyst;01-02-2027;31-07-2027;Hub Zuidoost;ja;nee;unemployed\r\n";
        let rows = rows(text);
        let (row, spec, hub) = rows[0].clone().expect("valid");
        assert_eq!(row, 2);
        assert_eq!((spec.preferred_language, spec.track), (Language::Nl, Track::DataAnalyst));
        assert!(spec.lacks_laptop && !spec.lacks_connectivity);
        assert_eq!(spec.target_group, Some(TargetGroup::Unemployed));
        assert_eq!(hub.as_deref(), Some("Hub Zuidoost"));
    }

    #[test]
    fn bad_rows_name_their_fields_once() {
        let text = "name,email,preferred_language,track,programme_start,programme_end\n\
                    Bo,not-an-email,fr,astronaut,2027-02-01,2027-01-01\n";
        let errors = rows(text).remove(0).expect_err("invalid");
        let fields: Vec<&str> = errors.iter().filter_map(|e| e.field.as_deref()).collect();
        assert_eq!(fields, ["preferred_language", "track", "email", "programme_end"]);
        assert!(errors.iter().all(|e| e.row == 2));
    }

    #[test]
    fn a_list_without_required_columns_is_refused() {
        assert!(StudentCsv::open("name,email\nBo,bo@example.org\n".as_bytes()).is_err());
    }
}
