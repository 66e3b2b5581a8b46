//! Reading a device spreadsheet (CSV) into checked device specs, with every bad row's line
//! number and reason. Accepts what corporate IT exports look like: a UTF-8 BOM, `;` as the
//! separator (Dutch Excel), CRLF line ends, quoted fields, Dutch or English column names,
//! "16 GB" for 16 and "15,6" for 15.6, and columns it does not know (ignored).

use std::collections::HashMap;
use std::io::Read;

use super::csv_file::{self, parse_bool, parse_date, RowError};
use super::device::DeviceKind;
use super::device_spec::{DeviceFields, DeviceSpec};
use super::phrase::Phrase;
use super::FieldError;

/// The outcome of reading a whole file.
#[derive(Debug, Default)]
pub struct ParsedImport {
    pub rows: Vec<(u64, DeviceSpec)>,
    pub errors: Vec<RowError>,
    pub ignored_columns: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Column {
    Kind,
    SerialNumber,
    Model,
    RamGb,
    StorageGb,
    Cpu,
    ScreenInches,
    Os,
    KeyboardLayout,
    ChargerIncluded,
    Carrier,
    DataAllowanceGb,
    PlanEndsOn,
    WeightKg,
}

/// Column names as exports write them (lower case, spaces and dashes as `_`).
fn column(name: &str) -> Option<Column> {
    let name = csv_file::normalise_header(name);
    let column = match name.as_str() {
        "kind" | "type" | "device_type" | "soort" | "apparaat" | "category" | "categorie" => Column::Kind,
        "serial_number" | "serial" | "serialnumber" | "serial_no" | "serienummer" | "sn" => {
            Column::SerialNumber
        }
        "model" | "model_name" | "modelnaam" | "product" | "product_name" => Column::Model,
        "ram_gb" | "ram" | "memory_gb" | "memory" | "geheugen" | "geheugen_gb" | "werkgeheugen" => {
            Column::RamGb
        }
        "storage_gb" | "storage" | "disk_gb" | "disk" | "ssd_gb" | "ssd" | "opslag" | "opslag_gb" => {
            Column::StorageGb
        }
        "cpu" | "processor" | "cpu_class" => Column::Cpu,
        "screen_inches" | "screen" | "screen_size" | "scherm" | "schermgrootte" | "display" => {
            Column::ScreenInches
        }
        "os" | "operating_system" | "besturingssysteem" => Column::Os,
        "keyboard_layout" | "keyboard" | "toetsenbord" => Column::KeyboardLayout,
        "charger_included" | "charger" | "oplader" | "lader" => Column::ChargerIncluded,
        "carrier" | "provider" | "network" | "netwerk" | "aanbieder" => Column::Carrier,
        "data_allowance_gb" | "data_gb" | "data" | "databundel" | "databundel_gb" => Column::DataAllowanceGb,
        "plan_ends_on" | "plan_end" | "contract_end" | "einddatum" | "einddatum_abonnement" => {
            Column::PlanEndsOn
        }
        "weight_kg" | "weight" | "gewicht" | "gewicht_kg" => Column::WeightKg,
        _ => return None,
    };
    Some(column)
}

impl Column {
    const ALL: [Column; 14] = [
        Column::Kind,
        Column::SerialNumber,
        Column::Model,
        Column::RamGb,
        Column::StorageGb,
        Column::Cpu,
        Column::ScreenInches,
        Column::Os,
        Column::KeyboardLayout,
        Column::ChargerIncluded,
        Column::Carrier,
        Column::DataAllowanceGb,
        Column::PlanEndsOn,
        Column::WeightKg,
    ];

    /// The field's name in the API and in forms.
    fn name(self) -> &'static str {
        match self {
            Column::Kind => "kind",
            Column::SerialNumber => "serial_number",
            Column::Model => "model",
            Column::RamGb => "ram_gb",
            Column::StorageGb => "storage_gb",
            Column::Cpu => "cpu",
            Column::ScreenInches => "screen_inches",
            Column::Os => "os",
            Column::KeyboardLayout => "keyboard_layout",
            Column::ChargerIncluded => "charger_included",
            Column::Carrier => "carrier",
            Column::DataAllowanceGb => "data_allowance_gb",
            Column::PlanEndsOn => "plan_ends_on",
            Column::WeightKg => "weight_kg",
        }
    }
}

/// The fields of a device, by name, in the order a form shows them.
pub fn field_names() -> impl Iterator<Item = &'static str> {
    Column::ALL.into_iter().map(Column::name)
}

/// A device typed into a form, looked up by field name (`serial_number`, `ram_gb`, …): each
/// value read as a spreadsheet cell is ("16 GB", "15,6", "ja"), then checked as every device
/// is. Every mistake at once, one per field.
pub fn parse_form<'a>(get: impl Fn(&str) -> Option<&'a str>) -> Result<DeviceSpec, Vec<FieldError>> {
    let lookup = |c: Column| get(c.name()).map(str::trim).filter(|v| !v.is_empty());
    let mut errors = Vec::new();
    let fields = read_fields(&lookup, None, &mut errors);
    let mut errors: Vec<FieldError> =
        errors.into_iter().filter_map(|e| Some(FieldError::new(&e.field?, e.message))).collect();
    match DeviceSpec::parse(&fields) {
        Ok(spec) if errors.is_empty() => Ok(spec),
        Ok(_) => Err(errors),
        Err(rule_errors) => {
            for e in rule_errors {
                if !errors.iter().any(|x| x.field == e.field) {
                    errors.push(e);
                }
            }
            Err(errors)
        }
    }
}

const REQUIRED: [(Column, &str); 2] = [(Column::SerialNumber, "serial_number"), (Column::Model, "model")];

/// A device spreadsheet being read one row at a time, so that a file of any size is never
/// held in memory: each call to [`DeviceCsv::next_row`] yields one checked row or its errors.
pub struct DeviceCsv<R: Read> {
    csv: csv_file::CsvReader<R>,
    columns: HashMap<Column, usize>,
    default_kind: Option<DeviceKind>,
    record: csv::StringRecord,
    /// Header columns that devicepool does not use.
    pub ignored_columns: Vec<String>,
}

/// One data row: a checked device, or everything wrong with it.
pub type Row = Result<(u64, DeviceSpec), Vec<RowError>>;

impl<R: Read> DeviceCsv<R> {
    /// Reads the header. A file that cannot be a device list at all is refused here, as row 1.
    pub fn open(input: R, default_kind: Option<DeviceKind>) -> Result<DeviceCsv<R>, RowError> {
        let mut csv = csv_file::open(input).map_err(file_error)?;
        let header = csv_file::read_header(&mut csv, column)?;
        if let Some(missing) = csv_file::missing_columns(&header.columns, &REQUIRED).into_iter().next() {
            return Err(missing);
        }
        let (columns, ignored_columns) = (header.columns, header.ignored);
        if !columns.contains_key(&Column::Kind) && default_kind.is_none() {
            return Err(file_error(crate::phrase!("file-kind-missing")));
        }
        Ok(DeviceCsv { csv, columns, default_kind, record: csv::StringRecord::new(), ignored_columns })
    }

    /// The next data row, skipping blank lines; `None` at the end of the file.
    pub fn next_row(&mut self) -> Option<Row> {
        Some(csv_file::next_record(&mut self.csv, &mut self.record)?.and_then(|row| self.check(row)))
    }

    fn check(&self, row: u64) -> Row {
        let record = &self.record;
        let get = |c: Column| self.columns.get(&c).and_then(|i| record.get(*i)).filter(|v| !v.is_empty());
        let mut errors = Vec::new();
        let fields = read_fields(&get, self.default_kind, &mut errors);
        match DeviceSpec::parse(&fields) {
            Ok(spec) if errors.is_empty() => return Ok((row, spec)),
            Ok(_) => {}
            Err(rule_errors) => {
                // A value that could not be read is reported once, not again as "missing".
                for e in rule_errors {
                    if !errors.iter().any(|x| x.field.as_deref() == Some(e.field.as_str())) {
                        errors.push(RowError { row, field: Some(e.field), message: e.message });
                    }
                }
            }
        }
        Err(errors.into_iter().map(|e| RowError { row, ..e }).collect())
    }
}

/// Reads a whole file into memory: for tests and small files.
pub fn parse_devices_csv<R: Read>(
    input: R,
    default_kind: Option<DeviceKind>,
) -> Result<ParsedImport, RowError> {
    let mut reader = DeviceCsv::open(input, default_kind)?;
    let mut parsed = ParsedImport::default();
    while let Some(row) = reader.next_row() {
        match row {
            Ok(ok) => parsed.rows.push(ok),
            Err(errors) => parsed.errors.extend(errors),
        }
    }
    parsed.ignored_columns = reader.ignored_columns;
    Ok(parsed)
}

use csv_file::file_error;

fn read_fields<'a>(
    get: &dyn Fn(Column) -> Option<&'a str>,
    default_kind: Option<DeviceKind>,
    errors: &mut Vec<RowError>,
) -> DeviceFields {
    let mut bad = |field: &str, message: Phrase| {
        errors.push(RowError { row: 0, field: Some(field.to_owned()), message })
    };
    let kind = match get(Column::Kind) {
        Some(v) => parse_kind(v).or_else(|| {
            bad("kind", crate::phrase!("row-not-device-kind", value = v));
            None
        }),
        None => default_kind,
    };
    let mut int = |col: Column, field: &str| {
        get(col).and_then(|v| {
            parse_quantity(v).or_else(|| {
                bad(field, crate::phrase!("row-not-whole-number", value = v));
                None
            })
        })
    };
    let ram_gb = int(Column::RamGb, "ram_gb");
    let storage_gb = int(Column::StorageGb, "storage_gb");
    let data_allowance_gb = int(Column::DataAllowanceGb, "data_allowance_gb");
    let screen_inches = get(Column::ScreenInches).and_then(|v| {
        parse_decimal(v).or_else(|| {
            bad("screen_inches", crate::phrase!("row-not-number", value = v));
            None
        })
    });
    let weight_kg = get(Column::WeightKg).and_then(|v| {
        parse_decimal(v).or_else(|| {
            bad("weight_kg", crate::phrase!("row-not-number", value = v));
            None
        })
    });
    let charger_included = get(Column::ChargerIncluded).and_then(|v| {
        parse_bool(v).or_else(|| {
            bad("charger_included", crate::phrase!("row-not-yes-no", value = v));
            None
        })
    });
    let plan_ends_on = get(Column::PlanEndsOn).and_then(|v| {
        parse_date(v).or_else(|| {
            bad("plan_ends_on", crate::phrase!("row-not-date", value = v));
            None
        })
    });
    let text = |c: Column| get(c).map(str::to_owned);
    DeviceFields {
        kind,
        serial_number: text(Column::SerialNumber),
        model: text(Column::Model),
        ram_gb,
        storage_gb,
        cpu: text(Column::Cpu),
        screen_inches,
        os: text(Column::Os),
        keyboard_layout: text(Column::KeyboardLayout),
        charger_included,
        carrier: text(Column::Carrier),
        data_allowance_gb,
        plan_ends_on,
        weight_kg,
    }
}

fn parse_kind(v: &str) -> Option<DeviceKind> {
    let v = v.to_lowercase();
    if v.contains("dongle") || v.contains("mifi") || v.contains("hotspot") || v.contains("router") {
        Some(DeviceKind::WifiDongle)
    } else if v.contains("laptop") || v.contains("notebook") {
        Some(DeviceKind::Laptop)
    } else {
        None
    }
}

/// "16", "16 GB", "16GB", "16 gb" → 16.
fn parse_quantity(v: &str) -> Option<i32> {
    let v = v.trim();
    let digits = v.trim_end_matches(|c: char| c.is_ascii_alphabetic() || c.is_whitespace());
    if digits.len() != v.len() && !v[digits.len()..].trim().eq_ignore_ascii_case("gb") {
        return None;
    }
    digits.trim().parse().ok()
}

/// "15.6" or "15,6" (Dutch), with an optional inch mark or "kg".
fn parse_decimal(v: &str) -> Option<f64> {
    let v = v.trim().trim_end_matches(['"', '\'']).trim_end_matches("inch").trim_end_matches("kg").trim();
    v.replace(',', ".").parse().ok().filter(|f: &f64| f.is_finite())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(pairs: &[(&'static str, &'static str)]) -> Result<DeviceSpec, Vec<FieldError>> {
        parse_form(|name| pairs.iter().find(|(n, _)| *n == name).map(|(_, v)| *v))
    }

    #[test]
    fn a_weight_reads_with_a_comma_or_kg() {
        for (typed, kg) in [("1,6", 1.6), ("1.6 kg", 1.6), ("2kg", 2.0)] {
            let spec = form(&[
                ("kind", "laptop"),
                ("serial_number", "S1"),
                ("model", "X"),
                ("ram_gb", "8"),
                ("storage_gb", "256"),
                ("weight_kg", typed),
            ])
            .expect(typed);
            assert_eq!(spec.weight_kg, Some(kg), "{typed}");
        }
        let errors =
            form(&[("kind", "wifi_dongle"), ("serial_number", "S1"), ("model", "X"), ("weight_kg", "zwaar")])
                .expect_err("not a number");
        assert_eq!(errors.iter().map(|e| e.field.as_str()).collect::<Vec<_>>(), ["weight_kg"]);
    }

    #[test]
    fn a_form_reads_its_values_as_cells_are_read() {
        let spec = form(&[
            ("kind", "laptop"),
            ("serial_number", " 5cg1 "),
            ("model", "HP ProBook 450"),
            ("ram_gb", "16 GB"),
            ("storage_gb", "256"),
            ("screen_inches", "15,6"),
            ("charger_included", "ja"),
            ("cpu", ""),
        ])
        .expect("a good laptop");
        assert_eq!(spec.serial_number, "5CG1");
        assert_eq!((spec.ram_gb, spec.storage_gb, spec.screen_inches), (Some(16), Some(256), Some(15.6)));
        assert_eq!((spec.charger_included, spec.cpu), (Some(true), None));
    }

    #[test]
    fn a_form_names_every_mistake_once() {
        let errors = form(&[("kind", "laptop"), ("serial_number", "a b"), ("ram_gb", "lots")])
            .expect_err("bad laptop");
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, vec!["ram_gb", "serial_number", "model", "storage_gb"]);
        assert_eq!(errors[0].message.id, "row-not-whole-number");
        let errors = form(&[]).expect_err("empty");
        assert!(errors.iter().any(|e| e.field == "kind"), "{errors:?}");
        assert_eq!(field_names().count(), 14);
    }

    fn parse(text: &str) -> ParsedImport {
        parse_devices_csv(text.as_bytes(), None).expect("readable")
    }

    #[test]
    fn a_plain_comma_file_parses() {
        let p = parse("kind,serial_number,model,ram_gb,storage_gb\nlaptop,abc1,ThinkPad T14,16,512\nwifi_dongle,d1,Huawei E5576,,\n");
        assert!(p.errors.is_empty(), "{:?}", p.errors);
        assert_eq!(p.rows.len(), 2);
        assert_eq!(p.rows[0].0, 2);
        assert_eq!(p.rows[0].1.serial_number, "ABC1");
        assert_eq!(p.rows[1].1.kind, DeviceKind::WifiDongle);
    }

    #[test]
    fn a_dutch_export_with_bom_semicolons_crlf_and_quotes_parses() {
        let text = "\u{feff}Soort;Serienummer;Model;Geheugen;Opslag;Scherm;Oplader;Afdeling\r\n\
                    Laptop;5CG1;\"HP ProBook 450; G8\";16 GB;256GB;15,6;ja;Finance\r\n\
                    Notebook;5CG2;Dell Latitude 5420;8;256;14;nee;HR\r\n";
        let p = parse(text);
        assert!(p.errors.is_empty(), "{:?}", p.errors);
        assert_eq!(p.rows.iter().map(|(row, _)| *row).collect::<Vec<_>>(), vec![2, 3], "line numbers");
        let first = &p.rows[0].1;
        assert_eq!(
            (first.model.as_str(), first.ram_gb, first.screen_inches, first.charger_included),
            ("HP ProBook 450; G8", Some(16), Some(15.6), Some(true))
        );
        assert_eq!(p.ignored_columns, vec!["Afdeling".to_owned()]);
    }

    #[test]
    fn every_bad_row_is_reported_with_its_line_and_reason() {
        let text = "kind,serial_number,model,ram_gb,storage_gb\n\
                    laptop,ok1,Good,8,256\n\
                    laptop,,No serial,8,256\n\
                    tablet,x2,Tablet,8,256\n\
                    laptop,x3,Bad ram,lots,256\n";
        let p = parse(text);
        let rows: Vec<(u64, Option<&str>)> = p.errors.iter().map(|e| (e.row, e.field.as_deref())).collect();
        assert_eq!(rows, vec![(3, Some("serial_number")), (4, Some("kind")), (5, Some("ram_gb"))]);
        assert_eq!(p.rows.len(), 1);
    }

    #[test]
    fn a_quoted_field_with_a_newline_keeps_the_line_numbers_right() {
        let text =
            "kind,serial_number,model,ram_gb,storage_gb,notes\nlaptop,a1,x,8,256,\"Two\nlines\"\nlaptop,,x,8,256,\n";
        let p = parse(text);
        assert_eq!(p.errors.iter().map(|e| e.row).collect::<Vec<_>>(), vec![4]);
    }

    #[test]
    fn a_file_without_required_columns_is_refused_as_a_whole() {
        let err = parse_devices_csv("kind,model\nlaptop,x\n".as_bytes(), None).expect_err("no serial column");
        assert_eq!(err.row, 1);
        assert_eq!(err.message, crate::phrase!("file-column-missing", column = "serial_number"));
        assert!(parse_devices_csv("".as_bytes(), None).is_err());
        let ok =
            parse_devices_csv("serial,model,ram,storage\nA1,X,8,128\n".as_bytes(), Some(DeviceKind::Laptop))
                .expect("kind given");
        assert_eq!(ok.rows.len(), 1);
    }

    #[test]
    fn quantities_dates_and_booleans_read_as_people_write_them() {
        assert_eq!(parse_quantity("16 GB"), Some(16));
        assert_eq!(parse_quantity("16gb"), Some(16));
        assert_eq!(parse_quantity("16 TB"), None);
        assert_eq!(parse_decimal("13,3\""), Some(13.3));
    }
}
