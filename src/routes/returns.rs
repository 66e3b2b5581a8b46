//! `POST /api/v1/returns`: a stack of kit taken back at the counter, each item on its own.

use actix_web::{post, web, HttpRequest};
use chrono::Utc;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::domain::Role;
use crate::error::{ApiError, Problem};
use crate::extract::{ApiJson, AuthUser};
use crate::middleware::readers_language;
use crate::openapi::answers::*;
use crate::state::AppState;
use crate::workflows::loans::ReturnCondition;
use crate::workflows::returns::{take_back_each, StackItem, Which};

pub fn config(cfg: &mut ServiceConfig) {
    cfg.service(take_back_stack);
}

/// The most items one request takes back.
pub const MAX_ITEMS: usize = 500;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReturnItem {
    /// The device; or give its `asset_tag`.
    pub device_id: Option<uuid::Uuid>,
    #[schema(max_length = 40)]
    pub asset_tag: Option<String>,
    pub condition: ReturnCondition,
    /// The accessories that came back, ticked off from those handed over; required when any were.
    #[schema(schema_with = crate::openapi::lists::accessory_names)]
    pub accessories_returned: Option<Vec<String>>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReturnStack {
    #[schema(min_items = 1, max_items = 500)]
    pub items: Vec<ReturnItem>,
}

/// How one item of the stack went.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReturnResult {
    /// The item's place in the list, from 0.
    pub index: usize,
    /// `returned` or `refused`.
    pub outcome: String,
    pub loan_id: Option<uuid::Uuid>,
    /// Set when the device was out with a class set (then `loan_id` is the set loan).
    pub class_set_id: Option<uuid::Uuid>,
    pub device_id: Option<uuid::Uuid>,
    /// Handed over and not back.
    pub missing_accessories: Vec<String>,
    /// Why it was refused, as the single-item endpoints would say it.
    pub problem: Option<Problem>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReturnResults {
    pub results: Vec<ReturnResult>,
}

/// Take back a stack of kit: each item is returned and waits in inspection, on its own. A bad
/// item (unknown, not on loan, accessories not ticked off) is refused with its problem; the
/// others are still taken back.
#[utoipa::path(
    tag = "loans",
    request_body = ReturnStack,
    responses(
        SignedIn, JsonBody,
        (status = 200, description = "Each item's outcome, in the list's order", body = ReturnResults),
        (status = 403, description = "Pool staff only", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The list is empty, too long or not readable", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/returns")]
async fn take_back_stack(
    state: web::Data<AppState>,
    auth: AuthUser,
    request: HttpRequest,
    body: ApiJson<ReturnStack>,
) -> Result<web::Json<ReturnResults>, ApiError> {
    auth.require(&[Role::Admin, Role::Staff])?;
    let lang = readers_language(&request).await;
    let mut refused: Vec<(usize, ApiError)> = Vec::new();
    let mut items = Vec::new();
    for (index, item) in body.0.items.into_iter().enumerate() {
        let device = match (item.device_id, item.asset_tag.map(|t| t.trim().to_uppercase())) {
            (Some(id), _) => Which::Id(id.to_string()),
            (None, Some(tag)) if !tag.is_empty() => Which::AssetTag(tag),
            _ => {
                refused.push((index, ApiError::invalid("device_id", crate::phrase!("field-device-or-tag"))));
                continue;
            }
        };
        items.push((
            index,
            StackItem { device, condition: item.condition, accessories_returned: item.accessories_returned },
        ));
    }
    let (settings, actor, today) = (state.settings.loans.clone(), auth.id.clone(), Utc::now().date_naive());
    let stack: Vec<StackItem> = items.iter().map(|(_, i)| i.clone()).collect();
    let answers = state.db(move |conn| take_back_each(conn, &settings, &stack, &actor, today)).await?;
    let mut results: Vec<ReturnResult> =
        refused.into_iter().map(|(index, e)| result_of(index, Err(e), lang)).collect::<Result<_, _>>()?;
    for ((index, _), answer) in items.iter().zip(answers) {
        results.push(result_of(*index, answer, lang)?);
    }
    results.sort_by_key(|r| r.index);
    Ok(web::Json(ReturnResults { results }))
}

fn result_of(
    index: usize,
    answer: Result<crate::workflows::returns::TakenBack, ApiError>,
    lang: crate::domain::student::Language,
) -> Result<ReturnResult, ApiError> {
    Ok(match answer {
        Ok(t) => ReturnResult {
            index,
            outcome: "returned".into(),
            loan_id: Some(super::stored_id(&t.loan_id)?),
            class_set_id: t.class_set_id.as_deref().map(super::stored_id).transpose()?,
            device_id: Some(super::stored_id(&t.device_id)?),
            missing_accessories: t.missing_accessories,
            problem: None,
        },
        Err(e) => ReturnResult {
            index,
            outcome: "refused".into(),
            loan_id: None,
            class_set_id: None,
            device_id: None,
            missing_accessories: vec![],
            problem: Some(e.problem(lang)),
        },
    })
}
