//! A gift at the programme's end: staff offer the device of an active loan to the student who
//! holds it (only where its donation allows gifts), the student accepts the transfer text of a
//! version, and the loan closes as `gifted` with the device `gifted`, out of the pool for good.
//! Each step is one guarded update, so two desks offering at once offer once, and an offer and
//! an acceptance racing each other leave one consistent state.

use crate::configuration::Settings;
use crate::domain::device::DeviceAction;
use crate::domain::loan::LoanAction;
use crate::domain::BoundedText;
use crate::error::ApiError;
use crate::notify::messages;
use crate::store::{self, devices, donations, loans, DbConnection};
use crate::workflows::devices::apply_loan_action;
use crate::workflows::loans::{check, lost_race, record};

/// The longest reason staff may give, in characters.
pub const REASON_MAX: usize = 200;

/// Staff's reason, checked: one line of at most `REASON_MAX` characters.
pub fn parse_reason(typed: &str) -> Result<String, ApiError> {
    Ok(BoundedText::parse("reason", typed, REASON_MAX)?.into_inner())
}

/// Staff offer loan `loan_id`'s device as a gift: 409 `gift_not_allowed` when it is a licence
/// seat or its donation does not allow gifts, 409 when the loan is not active or a gift was
/// offered already. The student is mailed; the reason stays on the loan, not in its history.
pub fn offer(
    conn: &mut DbConnection,
    loan_id: &str,
    actor: &str,
    reason: &str,
) -> Result<loans::Loan, ApiError> {
    store::write_tx(conn, |conn| {
        let l = loans::find(conn, loan_id)?;
        check(&l, LoanAction::OfferGift)?;
        let Some(device_id) = &l.device_id else {
            return Err(not_allowed(crate::phrase!("conflict-gift-only-devices")));
        };
        let device = devices::find(conn, device_id)?;
        if !donations::find(conn, &device.donation_id)?.gifts_allowed {
            return Err(not_allowed(crate::phrase!("conflict-gift-not-allowed")));
        }
        if !loans::offer_gift(conn, loan_id, reason, actor, store::now())? {
            return Err(lost_race(conn, loan_id, LoanAction::OfferGift));
        }
        record(conn, loan_id, Some(actor), LoanAction::OfferGift, serde_json::json!({}))?;
        let offered = loans::find(conn, loan_id)?;
        messages::about_loan(conn, &offered, "gift_offered", serde_json::json!({}), None)?;
        Ok(offered)
    })
}

fn not_allowed(detail: crate::domain::phrase::Phrase) -> ApiError {
    ApiError::Refused { code: "gift_not_allowed", detail }
}

/// The student accepts the gift on a loan `scope` lets them see, with the transfer text of
/// `version` (the current one, else 422): the loan closes as `gifted` and the device leaves the
/// pool for good, its history naming who and which version.
pub fn accept(
    conn: &mut DbConnection,
    settings: &Settings,
    scope: &loans::LoanScope,
    loan_id: &str,
    actor: &str,
    version: &str,
) -> Result<loans::Loan, ApiError> {
    if version != settings.programme_end.gift_agreement_version {
        return Err(ApiError::invalid("agreement_version", crate::phrase!("field-agreement-not-current")));
    }
    store::write_tx(conn, |conn| {
        let l = loans::find_visible(conn, loan_id, scope)?;
        check(&l, LoanAction::AcceptGift)?;
        let device_id = l.device_id.clone().ok_or_else(|| ApiError::internal("a gift offered on a seat"))?;
        if !loans::close_gifted(conn, loan_id, version, store::now())? {
            return Err(lost_race(conn, loan_id, LoanAction::AcceptGift));
        }
        let details = serde_json::json!({ "loan_id": loan_id, "agreement_version": version });
        apply_loan_action(conn, &device_id, actor, DeviceAction::Gift, details)?;
        let details = serde_json::json!({ "agreement_version": version });
        record(conn, loan_id, Some(actor), LoanAction::AcceptGift, details)?;
        Ok(loans::find(conn, loan_id)?)
    })
}
