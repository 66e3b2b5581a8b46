//! Kit coming back over the returns counter: one device (a student's loan or a class set's),
//! or a stack of them at a cohort's end, each taken back in its own transaction so one bad
//! item does not stop the others. Each item is the counter's own step: the loan closes, what
//! did not come back is recorded on the loan and the device, and the device waits in
//! inspection (`loans::take_back`, `class_sets::take_back`).

use chrono::NaiveDate;

use crate::configuration::LoanSettings;
use crate::error::ApiError;
use crate::store::{devices, DbConnection};
use crate::workflows::class_sets::{self, SetReturn};
use crate::workflows::loans::{on_loan_by_code, take_back, AtCounter, ReturnCondition, ReturnRecord};

/// Kit out on a student's loan, or else with a class set, whose tag or serial is `code`; 404
/// when no device has the code or it is not out.
pub fn out_by_code(conn: &mut DbConnection, code: &str) -> Result<AtCounter, ApiError> {
    match on_loan_by_code(conn, code) {
        Err(ApiError::NotFound) => class_sets::out_by_code(conn, code),
        found => found,
    }
}

/// Takes back the device at the counter (`at`, as `out_by_code` found it): the accessories
/// that did not come back with it.
pub fn take_back_one(
    conn: &mut DbConnection,
    settings: &LoanSettings,
    at: &AtCounter,
    record: ReturnRecord,
    actor: &str,
    today: NaiveDate,
) -> Result<Vec<String>, ApiError> {
    let Some(set) = &at.class_set_id else {
        return Ok(take_back(conn, settings, &at.loan_id, actor, &record, today)?.1);
    };
    let back = SetReturn {
        device_id: at.device_id.clone(),
        condition: record.condition,
        accessories_returned: record.accessories_returned,
    };
    let view = class_sets::take_back(conn, set, actor, &[back], today)?;
    Ok(view
        .devices
        .into_iter()
        .find(|d| d.device_id.to_string() == at.device_id)
        .map(|d| d.missing_accessories)
        .unwrap_or_default())
}

/// Which device an item of a stack is.
#[derive(Debug, Clone)]
pub enum Which {
    Id(String),
    AssetTag(String),
}

/// One device of a stack, as staff checked it.
#[derive(Debug, Clone)]
pub struct StackItem {
    pub device: Which,
    pub condition: ReturnCondition,
    /// Ticked off from what was handed over; required when anything was.
    pub accessories_returned: Option<Vec<String>>,
}

/// An item of a stack that was taken back.
#[derive(Debug, Clone)]
pub struct TakenBack {
    pub loan_id: String,
    pub class_set_id: Option<String>,
    pub device_id: String,
    pub asset_tag: String,
    pub missing_accessories: Vec<String>,
}

/// Takes back every item of a stack, each on its own: an item that cannot be taken back
/// (unknown, not out on a loan, accessories not ticked off) is answered with its error and
/// the others go on. Only a failing database stops the stack.
pub fn take_back_each(
    conn: &mut DbConnection,
    settings: &LoanSettings,
    items: &[StackItem],
    actor: &str,
    today: NaiveDate,
) -> Result<Vec<Result<TakenBack, ApiError>>, ApiError> {
    let mut answers = Vec::with_capacity(items.len());
    for item in items {
        let answer = one_of_stack(conn, settings, item, actor, today);
        match answer {
            Err(e @ (ApiError::Internal(_) | ApiError::DatabaseUnavailable)) => return Err(e),
            answer => answers.push(answer),
        }
    }
    Ok(answers)
}

fn one_of_stack(
    conn: &mut DbConnection,
    settings: &LoanSettings,
    item: &StackItem,
    actor: &str,
    today: NaiveDate,
) -> Result<TakenBack, ApiError> {
    let code = match &item.device {
        Which::Id(id) => devices::find(conn, id)?.asset_tag,
        Which::AssetTag(tag) => tag.clone(),
    };
    let at = match out_by_code(conn, &code) {
        Err(ApiError::NotFound) if !crate::workflows::devices::find_by_code(conn, &code)?.is_empty() => {
            return Err(ApiError::conflict(crate::phrase!("returns-not-on-loan", code = code.as_str())));
        }
        found => found?,
    };
    let record = ReturnRecord {
        condition: item.condition,
        notes: None,
        accessories_returned: item.accessories_returned.clone(),
    };
    let missing = take_back_one(conn, settings, &at, record, actor, today)?;
    Ok(TakenBack {
        loan_id: at.loan_id,
        class_set_id: at.class_set_id,
        device_id: at.device_id,
        asset_tag: at.asset_tag,
        missing_accessories: missing,
    })
}
