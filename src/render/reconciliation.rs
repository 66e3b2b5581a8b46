//! A reconciled asset list as CSV, for the donor's own asset register: one serial a row, with
//! the donor's reference, its status and, once received, the pool's asset tag and its stage.

use super::certificate::{say, stage_key};
use super::csv::spreadsheet_safe;
use crate::domain::student::Language;
use crate::workflows::asset_lists::Reconciliation;

/// The reconciliation as CSV; statuses are the API's words, stages in the reader's language.
pub fn csv(r: &Reconciliation, lang: Language) -> Option<String> {
    let mut w = ::csv::Writer::from_writer(Vec::new());
    w.write_record(["serial_number", "reference", "model", "status", "asset_tag", "stage"]).ok()?;
    for a in &r.assets {
        let stage = a.stage.map(|s| say(lang, stage_key(s), &[])).unwrap_or_default();
        let cells = [
            a.serial_number.as_str(),
            a.reference.as_deref().unwrap_or(""),
            a.model.as_deref().unwrap_or(""),
            a.status.as_str(),
            a.asset_tag.as_deref().unwrap_or(""),
            &stage,
        ];
        w.write_record(cells.iter().map(|c| spreadsheet_safe(c).into_owned())).ok()?;
    }
    String::from_utf8(w.into_inner().ok()?).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::asset_list::{ReconciledAsset, ReconciliationCounts, ReconciliationStatus};
    use crate::domain::device::DonorStage;

    #[test]
    fn each_serial_is_a_row_and_no_cell_runs_as_a_formula() {
        let asset =
            |serial: &str, reference: Option<&str>, status, tag: Option<&str>, stage| ReconciledAsset {
                serial_number: serial.into(),
                reference: reference.map(Into::into),
                model: None,
                status,
                device_id: tag.map(|t| format!("id-{t}")),
                asset_tag: tag.map(Into::into),
                stage,
            };
        let r = Reconciliation {
            donation_id: "d".into(),
            uploaded_at: None,
            donation_received: true,
            counts: ReconciliationCounts::default(),
            assets: vec![
                asset(
                    "A1",
                    Some("=HYPERLINK(\"x\")"),
                    ReconciliationStatus::Matched,
                    Some("DPL-000001"),
                    Some(DonorStage::InService),
                ),
                asset("B2", None, ReconciliationStatus::Missing, None, None),
            ],
        };
        let text = csv(&r, Language::En).expect("csv");
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "serial_number,reference,model,status,asset_tag,stage");
        assert_eq!(lines[1], "A1,\"'=HYPERLINK(\"\"x\"\")\",,matched,DPL-000001,In service");
        assert_eq!(lines[2], "B2,,,missing,,");
        assert_eq!(lines.len(), 3);
    }
}
