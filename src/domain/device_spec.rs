//! What a device is, checked: the fields a match needs for a laptop, and the plan of a
//! dongle. The same rules serve a single JSON create and every row of a CSV import.

use chrono::NaiveDate;

use super::device::DeviceKind;
use super::{BoundedText, FieldError};

/// Device fields as given, typed but not yet checked.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DeviceFields {
    pub kind: Option<DeviceKind>,
    pub serial_number: Option<String>,
    pub model: Option<String>,
    pub ram_gb: Option<i32>,
    pub storage_gb: Option<i32>,
    pub cpu: Option<String>,
    pub screen_inches: Option<f64>,
    pub os: Option<String>,
    pub keyboard_layout: Option<String>,
    pub charger_included: Option<bool>,
    pub carrier: Option<String>,
    pub data_allowance_gb: Option<i32>,
    pub plan_ends_on: Option<NaiveDate>,
    pub weight_kg: Option<f64>,
}

/// A device description that passed every rule.
#[derive(Debug, Clone, PartialEq)]
pub struct DeviceSpec {
    pub kind: DeviceKind,
    /// Upper case, so that one serial is one device whatever the spreadsheet did to it.
    pub serial_number: String,
    pub model: String,
    pub ram_gb: Option<i32>,
    pub storage_gb: Option<i32>,
    pub cpu: Option<String>,
    pub screen_inches: Option<f64>,
    pub os: Option<String>,
    pub keyboard_layout: Option<String>,
    pub charger_included: Option<bool>,
    pub carrier: Option<String>,
    pub data_allowance_gb: Option<i32>,
    pub plan_ends_on: Option<NaiveDate>,
    /// Where it was weighed; otherwise the environmental figures use the factor set's default.
    pub weight_kg: Option<f64>,
}

pub fn parse_serial(value: &str) -> Result<String, FieldError> {
    let serial = value.trim().to_uppercase();
    if serial.is_empty() {
        return Err(FieldError::new("serial_number", crate::phrase!("field-empty")));
    }
    if serial.len() > 64 {
        return Err(FieldError::new("serial_number", crate::phrase!("field-at-most-chars", max = 64)));
    }
    if !serial.chars().all(|c| c.is_ascii_alphanumeric() || "-_./".contains(c)) {
        return Err(FieldError::new("serial_number", crate::phrase!("field-serial-chars")));
    }
    Ok(serial)
}

fn optional_text(
    field: &str,
    value: &Option<String>,
    max: usize,
    errors: &mut Vec<FieldError>,
) -> Option<String> {
    BoundedText::parse_optional(field, value.as_deref(), max).unwrap_or_else(|e| {
        errors.push(e);
        None
    })
}

fn in_range<T: PartialOrd + std::fmt::Display + Copy>(
    field: &str,
    value: Option<T>,
    min: T,
    max: T,
    errors: &mut Vec<FieldError>,
) -> Option<T> {
    match value {
        Some(v) if v < min || v > max => {
            errors.push(FieldError::new(
                field,
                crate::phrase!("field-between", min = min.to_string(), max = max.to_string()),
            ));
            None
        }
        other => other,
    }
}

impl DeviceSpec {
    /// Checks every field and returns all the problems at once.
    pub fn parse(f: &DeviceFields) -> Result<DeviceSpec, Vec<FieldError>> {
        let mut errors = Vec::new();
        let kind = f.kind;
        if kind.is_none() {
            errors.push(FieldError::new("kind", crate::phrase!("field-device-kind")));
        }
        let serial = match f.serial_number.as_deref() {
            Some(s) => parse_serial(s).map_err(|e| errors.push(e)).ok(),
            None => {
                errors.push(FieldError::new("serial_number", crate::phrase!("field-required")));
                None
            }
        };
        let model = match f.model.as_deref() {
            Some(m) => BoundedText::parse("model", m, 200)
                .map_err(|e| errors.push(e))
                .ok()
                .map(BoundedText::into_inner),
            None => {
                errors.push(FieldError::new("model", crate::phrase!("field-required")));
                None
            }
        };
        let cpu = optional_text("cpu", &f.cpu, 100, &mut errors);
        let os = optional_text("os", &f.os, 100, &mut errors);
        let keyboard_layout = optional_text("keyboard_layout", &f.keyboard_layout, 40, &mut errors);
        let carrier = optional_text("carrier", &f.carrier, 100, &mut errors);
        let ram_gb = in_range("ram_gb", f.ram_gb, 1, 1024, &mut errors);
        let storage_gb = in_range("storage_gb", f.storage_gb, 1, 65_536, &mut errors);
        let screen_inches = in_range("screen_inches", f.screen_inches, 7.0, 21.0, &mut errors);
        let data_allowance_gb = in_range("data_allowance_gb", f.data_allowance_gb, 0, 100_000, &mut errors);
        let weight_kg = in_range("weight_kg", f.weight_kg, 0.01, 20.0, &mut errors);

        match kind {
            Some(DeviceKind::Laptop) => {
                // Matching compares these with a track's minimum, so a laptop needs both.
                if f.ram_gb.is_none() {
                    errors.push(FieldError::new("ram_gb", crate::phrase!("field-required-for-laptop")));
                }
                if f.storage_gb.is_none() {
                    errors.push(FieldError::new("storage_gb", crate::phrase!("field-required-for-laptop")));
                }
                for (field, given) in [
                    ("carrier", carrier.is_some()),
                    ("data_allowance_gb", f.data_allowance_gb.is_some()),
                    ("plan_ends_on", f.plan_ends_on.is_some()),
                ] {
                    if given {
                        errors.push(FieldError::new(field, crate::phrase!("field-dongle-only")));
                    }
                }
            }
            Some(DeviceKind::WifiDongle) => {
                for (field, given) in [
                    ("ram_gb", f.ram_gb.is_some()),
                    ("storage_gb", f.storage_gb.is_some()),
                    ("cpu", cpu.is_some()),
                    ("screen_inches", f.screen_inches.is_some()),
                    ("os", os.is_some()),
                    ("keyboard_layout", keyboard_layout.is_some()),
                    ("charger_included", f.charger_included.is_some()),
                ] {
                    if given {
                        errors.push(FieldError::new(field, crate::phrase!("field-laptop-only")));
                    }
                }
            }
            None => {}
        }

        match (kind, serial, model) {
            (Some(kind), Some(serial_number), Some(model)) if errors.is_empty() => Ok(DeviceSpec {
                kind,
                serial_number,
                model,
                ram_gb,
                storage_gb,
                cpu,
                screen_inches,
                os,
                keyboard_layout,
                charger_included: f.charger_included,
                carrier,
                data_allowance_gb,
                plan_ends_on: f.plan_ends_on,
                weight_kg,
            }),
            _ => Err(errors),
        }
    }
}

/// The printable tag for the `n`-th device: `DPL-000042` for a laptop, `DPW-…` for a dongle.
pub fn asset_tag(kind: DeviceKind, n: i64) -> String {
    let letter = match kind {
        DeviceKind::Laptop => 'L',
        DeviceKind::WifiDongle => 'W',
    };
    format!("DP{letter}-{n:06}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn laptop() -> DeviceFields {
        DeviceFields {
            kind: Some(DeviceKind::Laptop),
            serial_number: Some(" 5cg1234xyz ".into()),
            model: Some("HP EliteBook 840 G7".into()),
            ram_gb: Some(16),
            storage_gb: Some(512),
            ..DeviceFields::default()
        }
    }

    fn fields_of(errors: Vec<FieldError>) -> Vec<String> {
        errors.into_iter().map(|e| e.field).collect()
    }

    #[test]
    fn a_laptop_parses_with_its_serial_upper_cased() {
        let spec = DeviceSpec::parse(&laptop()).expect("valid");
        assert_eq!(spec.serial_number, "5CG1234XYZ");
        assert_eq!(spec.ram_gb, Some(16));
    }

    #[test]
    fn a_laptop_needs_ram_and_storage_and_no_dongle_fields() {
        let f = DeviceFields { ram_gb: None, storage_gb: None, carrier: Some("KPN".into()), ..laptop() };
        assert_eq!(
            fields_of(DeviceSpec::parse(&f).expect_err("invalid")),
            ["ram_gb", "storage_gb", "carrier"]
        );
    }

    #[test]
    fn a_dongle_refuses_laptop_fields() {
        let f = DeviceFields {
            kind: Some(DeviceKind::WifiDongle),
            carrier: Some("Odido".into()),
            data_allowance_gb: Some(50),
            ..laptop()
        };
        assert_eq!(fields_of(DeviceSpec::parse(&f).expect_err("invalid")), ["ram_gb", "storage_gb"]);
        let ok = DeviceFields { ram_gb: None, storage_gb: None, ..f };
        assert!(DeviceSpec::parse(&ok).is_ok());
    }

    #[test]
    fn every_bad_field_is_named() {
        let f = DeviceFields {
            kind: None,
            serial_number: Some("has space!".into()),
            model: Some(" ".into()),
            ram_gb: Some(0),
            storage_gb: Some(-1),
            screen_inches: Some(40.0),
            ..DeviceFields::default()
        };
        let fields = fields_of(DeviceSpec::parse(&f).expect_err("invalid"));
        for field in ["kind", "serial_number", "model", "ram_gb", "storage_gb", "screen_inches"] {
            assert!(fields.contains(&field.to_owned()), "{field} in {fields:?}");
        }
    }

    #[test]
    fn asset_tags_are_short_and_printable() {
        assert_eq!(asset_tag(DeviceKind::Laptop, 42), "DPL-000042");
        assert_eq!(asset_tag(DeviceKind::WifiDongle, 1_234_567), "DPW-1234567");
    }
}
