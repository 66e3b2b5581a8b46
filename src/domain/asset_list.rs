//! A donor's asset list: the serial numbers they hand over, from their own asset register, and
//! how it reconciles with what the pool received. Pure: the list is read from CSV here, and
//! reconciled against the donation's devices given to it.
//!
//! Each listed serial is `matched` (a device with it was received), `expected` (not received
//! yet) or `missing` (the donation was delivered and it was not in it); each received serial the
//! list does not name is `unexpected`. With those four the donor can close their register.

use std::collections::{HashMap, HashSet};
use std::io::Read;

use serde::Serialize;
use utoipa::ToSchema;

use super::csv_file;
use super::csv_file::RowError;
use super::device::{donor_stage, DeviceState, DonorStage};
use super::device_spec::parse_serial;
use super::phrase::Phrase;

/// The longest reference or model taken from a donor's list.
const MAX_TEXT: usize = 120;

/// One line of the list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListedAsset {
    /// Its line in the file (the header is line 1).
    pub row: u64,
    /// In upper case, as the pool stores serial numbers.
    pub serial: String,
    /// The donor's own asset number, to find the line in their register.
    pub reference: Option<String>,
    pub model: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Column {
    Serial,
    Reference,
    Model,
}

fn column(name: &str) -> Option<Column> {
    Some(match csv_file::normalise_header(name).as_str() {
        "serial" | "serial_number" | "serial_no" | "serialnumber" | "sn" | "serienummer"
        | "device_serial" | "system_serial" => Column::Serial,
        "reference" | "your_reference" | "asset_tag" | "asset_number" | "asset_id" | "asset"
        | "inventory_number" | "referentie" | "activanummer" | "inventarisnummer" => Column::Reference,
        "model" | "product" | "description" | "omschrijving" => Column::Model,
        _ => return None,
    })
}

/// An asset list read a line at a time (see [`csv_file::SerialCsv`]).
pub struct AssetListCsv<R: Read>(csv_file::SerialCsv<R, Column>);

impl<R: Read> AssetListCsv<R> {
    /// Opens the list: the mistakes of its first line, if any.
    pub fn open(input: R) -> Result<AssetListCsv<R>, Vec<RowError>> {
        csv_file::SerialCsv::open(input, column, &[(Column::Serial, "serial")]).map(AssetListCsv)
    }

    /// The next line checked, or its mistakes; `None` at the end.
    pub fn next_row(&mut self) -> Option<Result<ListedAsset, Vec<RowError>>> {
        self.0.next_row(check)
    }
}

fn check(row: u64, get: &dyn Fn(Column) -> Option<String>) -> Result<ListedAsset, Vec<RowError>> {
    let mut errors = Vec::new();
    let mut bad = |field: &str, message: Phrase| {
        errors.push(RowError { row, field: Some(field.to_owned()), message });
    };
    let serial = match get(Column::Serial).as_deref().map(parse_serial) {
        Some(Ok(s)) => Some(s),
        Some(Err(e)) => {
            bad("serial", e.message);
            None
        }
        None => {
            bad("serial", crate::phrase!("field-required"));
            None
        }
    };
    let mut text = |c: Column, field: &str| {
        let v = get(c)?;
        if v.chars().count() > MAX_TEXT {
            bad(field, crate::phrase!("field-at-most-chars", max = MAX_TEXT));
            return None;
        }
        Some(v)
    };
    let reference = text(Column::Reference, "reference");
    let model = text(Column::Model, "model");
    match serial {
        Some(serial) if errors.is_empty() => Ok(ListedAsset { row, serial, reference, model }),
        _ => Err(errors),
    }
}

/// A device of the donation, as reconciliation needs it.
#[derive(Debug, Clone, PartialEq)]
pub struct HeldDevice {
    pub device_id: String,
    pub asset_tag: String,
    pub serial: String,
    pub state: DeviceState,
}

/// Where a serial stands against the donor's list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReconciliationStatus {
    /// On the list and received.
    Matched,
    /// On the list, not received yet.
    Expected,
    /// On the list; the donation was delivered without it.
    Missing,
    /// Received, but not on the list.
    Unexpected,
}

impl ReconciliationStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ReconciliationStatus::Matched => "matched",
            ReconciliationStatus::Expected => "expected",
            ReconciliationStatus::Missing => "missing",
            ReconciliationStatus::Unexpected => "unexpected",
        }
    }
}

/// One serial of the reconciled list.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct ReconciledAsset {
    pub serial_number: String,
    /// The donor's own asset number, from their list.
    pub reference: Option<String>,
    /// The model as the donor's list names it.
    pub model: Option<String>,
    pub status: ReconciliationStatus,
    /// The pool's device with this serial, once it was received.
    pub device_id: Option<String>,
    pub asset_tag: Option<String>,
    /// The device's stage as its donor follows it (never who holds it).
    pub stage: Option<DonorStage>,
}

/// How many serials are at each status.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, ToSchema)]
pub struct ReconciliationCounts {
    pub listed: usize,
    pub matched: usize,
    pub expected: usize,
    pub missing: usize,
    pub unexpected: usize,
}

/// The list's serials in its order, then the received serials it does not name. A device still
/// `pledged` was registered but not received: it matches nothing yet and is never unexpected.
pub fn reconcile(
    listed: &[ListedAsset],
    held: &[HeldDevice],
    donation_received: bool,
) -> (Vec<ReconciledAsset>, ReconciliationCounts) {
    let received: HashMap<&str, &HeldDevice> =
        held.iter().filter(|d| d.state != DeviceState::Pledged).map(|d| (d.serial.as_str(), d)).collect();
    let mut counts = ReconciliationCounts { listed: listed.len(), ..ReconciliationCounts::default() };
    let mut rows = Vec::with_capacity(listed.len());
    for asset in listed {
        let device = received.get(asset.serial.as_str());
        let status = match device {
            Some(_) => ReconciliationStatus::Matched,
            None if donation_received => ReconciliationStatus::Missing,
            None => ReconciliationStatus::Expected,
        };
        rows.push(ReconciledAsset {
            serial_number: asset.serial.clone(),
            reference: asset.reference.clone(),
            model: asset.model.clone(),
            status,
            device_id: device.map(|d| d.device_id.clone()),
            asset_tag: device.map(|d| d.asset_tag.clone()),
            stage: device.map(|d| donor_stage(d.state)),
        });
    }
    let on_list: HashSet<&str> = listed.iter().map(|a| a.serial.as_str()).collect();
    for d in held.iter().filter(|d| d.state != DeviceState::Pledged && !on_list.contains(d.serial.as_str())) {
        rows.push(ReconciledAsset {
            serial_number: d.serial.clone(),
            reference: None,
            model: None,
            status: ReconciliationStatus::Unexpected,
            device_id: Some(d.device_id.clone()),
            asset_tag: Some(d.asset_tag.clone()),
            stage: Some(donor_stage(d.state)),
        });
    }
    for r in &rows {
        *match r.status {
            ReconciliationStatus::Matched => &mut counts.matched,
            ReconciliationStatus::Expected => &mut counts.expected,
            ReconciliationStatus::Missing => &mut counts.missing,
            ReconciliationStatus::Unexpected => &mut counts.unexpected,
        } += 1;
    }
    (rows, counts)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn listed(serial: &str) -> ListedAsset {
        ListedAsset { row: 2, serial: serial.into(), reference: None, model: None }
    }

    fn held(serial: &str, state: DeviceState) -> HeldDevice {
        HeldDevice {
            device_id: format!("id-{serial}"),
            asset_tag: format!("DPL-{serial}"),
            serial: serial.into(),
            state,
        }
    }

    /// The whole list, or every mistake, as an import sees it.
    fn parse(input: &[u8]) -> Result<Vec<ListedAsset>, Vec<RowError>> {
        let mut list = AssetListCsv::open(input)?;
        let (mut rows, mut errors, mut first) = (Vec::new(), Vec::new(), csv_file::FirstRows::default());
        while let Some(row) = list.next_row() {
            match row {
                Ok(a) => match first.seen_before(a.serial.clone(), a.row) {
                    Some(f) => errors.push(csv_file::serial_twice(a.row, "serial", &a.serial, f)),
                    None => rows.push(a),
                },
                Err(mut bad) => errors.append(&mut bad),
            }
        }
        if errors.is_empty() {
            Ok(rows)
        } else {
            Err(errors)
        }
    }

    #[test]
    fn a_register_export_is_read_with_its_own_words() {
        let csv = "\u{feff}Asset number;Serienummer;Omschrijving\r\nIT-001;5cg-1 ;ThinkPad T480\r\nIT-002;5CG-2;\r\n\r\n";
        let rows = parse(csv.as_bytes()).expect("rows");
        assert_eq!(
            rows,
            vec![
                ListedAsset {
                    row: 2,
                    serial: "5CG-1".into(),
                    reference: Some("IT-001".into()),
                    model: Some("ThinkPad T480".into())
                },
                ListedAsset { row: 3, serial: "5CG-2".into(), reference: Some("IT-002".into()), model: None },
            ]
        );
    }

    #[test]
    fn a_list_of_serials_alone_is_enough() {
        let rows = parse("serial\nA1\nb2\n".as_bytes()).expect("rows");
        let serials: Vec<&str> = rows.iter().map(|r| r.serial.as_str()).collect();
        assert_eq!(serials, ["A1", "B2"]);
    }

    #[test]
    fn every_bad_line_is_said_at_once() {
        let long = "x".repeat(MAX_TEXT + 1);
        let csv = format!("serial,reference\nA1,R1\n,R2\nbad serial!,R3\na1,R4\nB2,{long}\n");
        let errors = parse(csv.as_bytes()).expect_err("bad lines");
        let found: Vec<(u64, Option<&str>, &str)> =
            errors.iter().map(|e| (e.row, e.field.as_deref(), e.message.id)).collect();
        assert_eq!(
            found,
            vec![
                (3, Some("serial"), "field-required"),
                (4, Some("serial"), "field-serial-chars"),
                (5, Some("serial"), "row-serial-twice"),
                (6, Some("reference"), "field-at-most-chars"),
            ]
        );
    }

    #[test]
    fn a_file_without_a_serial_column_or_lines_is_refused() {
        let errors = parse("reference,model\nR1,T480\n".as_bytes()).expect_err("no serial column");
        assert_eq!(errors[0].message.id, "file-column-missing");
        assert!(parse("serial\n".as_bytes()).expect("no lines").is_empty(), "the import says so");
        let errors = parse("".as_bytes()).expect_err("empty");
        assert_eq!(errors[0].message.id, "file-empty");
        let errors = parse("serial,sn\nA,B\n".as_bytes()).expect_err("two serial columns");
        assert_eq!(errors[0].message.id, "file-column-twice");
    }

    #[test]
    fn before_delivery_what_is_not_received_is_expected() {
        let list = [listed("A"), listed("B"), listed("C")];
        let devices = [held("A", DeviceState::Received), held("B", DeviceState::Pledged)];
        let (rows, counts) = reconcile(&list, &devices, false);
        let statuses: Vec<_> = rows.iter().map(|r| (r.serial_number.as_str(), r.status)).collect();
        assert_eq!(
            statuses,
            [
                ("A", ReconciliationStatus::Matched),
                ("B", ReconciliationStatus::Expected),
                ("C", ReconciliationStatus::Expected),
            ]
        );
        assert_eq!(
            counts,
            ReconciliationCounts { listed: 3, matched: 1, expected: 2, missing: 0, unexpected: 0 }
        );
        assert_eq!(rows[0].asset_tag.as_deref(), Some("DPL-A"));
        assert_eq!(rows[0].stage, Some(DonorStage::Received));
        assert_eq!(
            (rows[1].device_id.as_ref(), rows[1].stage),
            (None, None),
            "a pledged device is not received"
        );
    }

    #[test]
    fn after_delivery_what_did_not_come_is_missing_and_extras_are_unexpected() {
        let list = [listed("A"), listed("B"), listed("C")];
        let devices = [
            held("A", DeviceState::OnLoan),
            held("B", DeviceState::Pledged),
            held("X", DeviceState::Retired),
            held("Y", DeviceState::Pledged),
        ];
        let (rows, counts) = reconcile(&list, &devices, true);
        let statuses: Vec<_> = rows.iter().map(|r| (r.serial_number.as_str(), r.status)).collect();
        assert_eq!(
            statuses,
            [
                ("A", ReconciliationStatus::Matched),
                ("B", ReconciliationStatus::Missing),
                ("C", ReconciliationStatus::Missing),
                ("X", ReconciliationStatus::Unexpected),
            ],
            "a pledged device not on the list is neither received nor unexpected"
        );
        assert_eq!(
            counts,
            ReconciliationCounts { listed: 3, matched: 1, expected: 0, missing: 2, unexpected: 1 }
        );
        assert_eq!(rows[0].stage, Some(DonorStage::InService), "a stage, never who holds it");
        assert_eq!(rows[3].stage, Some(DonorStage::Retired));
    }

    #[test]
    fn every_received_state_matches() {
        for &state in DeviceState::ALL {
            let (rows, _) = reconcile(&[listed("A")], &[held("A", state)], true);
            let want = if state == DeviceState::Pledged {
                ReconciliationStatus::Missing
            } else {
                ReconciliationStatus::Matched
            };
            assert_eq!(rows[0].status, want, "{state:?}");
        }
    }
}
