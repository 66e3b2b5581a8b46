//! Scan sessions: one action (receive a donation's devices, wipe with one erasure run's report,
//! grade, put in the pool, take back kit that came back complete) for
//! device after device, without a mouse: the code field keeps the focus, each scan is applied
//! at once and answered with a line (done, or refused and why), and a summary ends it. The
//! session lives in the page (its settings, counts and last lines ride along in hidden
//! fields), so any desk and any instance takes the next scan; each scan is its own guarded
//! step (`workflows::scans`).

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use chrono::Utc;
use serde::Serialize;
use serde_json::{json, Value};

use super::desk::staff;
use super::device_step;
use super::form::PageForm;
use super::page::{PageContext, PageError, PageFailure};
use crate::domain::device::DeviceAction;
use crate::domain::FieldError;
use crate::error::ApiError;
use crate::i18n;
use crate::store::{devices::Device, donations};
use crate::workflows::class_sets;
use crate::workflows::loans::ReturnCondition;
use crate::workflows::scans::{scan, scan_for_set, scan_return, ScanRefusal};

pub fn config(cfg: &mut web::ServiceConfig) {
    cfg.route("/scan", web::get().to(start_page))
        .route("/scan/session", web::get().to(session_page))
        .route("/scan/session", web::post().to(scan_one))
        .route("/scan/end", web::post().to(end))
        .route("/scan/class-set", web::post().to(hand_over_set));
}

/// The actions a session takes.
const ACTIONS: [DeviceAction; 6] = [
    DeviceAction::Receive,
    DeviceAction::Wipe,
    DeviceAction::Grade,
    DeviceAction::Release,
    DeviceAction::Return,
    DeviceAction::HandOver,
];
/// Lines kept on the page; the counts cover the whole session.
const LINES: usize = 50;

/// A session's settings, as its hidden fields carry them.
fn settings_of(fields: &HashMap<String, String>) -> Value {
    let get = |k: &str| fields.get(k).map(|v| v.trim().to_owned()).unwrap_or_default();
    json!({
        "action": get("action"), "donation_id": get("donation_id"), "grade": get("grade"),
        "method": get("method"), "tool": get("tool"), "tool_version": get("tool_version"),
        "certificate_ref": get("certificate_ref"), "verification_method": get("verification_method"),
        // A session wipes only what its run verified; a failed check is taken at the desk.
        "verification_result": "passed",
        "condition": get("condition"),
        "class_set_id": get("class_set_id"),
    })
}

/// One scan's answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Line {
    pub done: bool,
    pub code: String,
    pub message: String,
}

/// The lines a page carried, newest first: one a line, `done|code|message`.
pub fn read_log(log: &str) -> Vec<Line> {
    log.lines()
        .filter_map(|l| {
            let mut parts = l.splitn(3, '|');
            let done = match parts.next()? {
                "done" => true,
                "refused" => false,
                _ => return None,
            };
            Some(Line { done, code: parts.next()?.to_owned(), message: parts.next()?.to_owned() })
        })
        .take(LINES)
        .collect()
}

/// `lines` as a hidden field carries them; a `|` or a line break in a message would not come
/// back, so they are made spaces.
pub fn write_log(lines: &[Line]) -> String {
    let clean = |s: &str| s.replace(['|', '\n', '\r'], " ");
    lines
        .iter()
        .take(LINES)
        .map(|l| {
            format!("{}|{}|{}", if l.done { "done" } else { "refused" }, clean(&l.code), clean(&l.message))
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn count(fields: &HashMap<String, String>, name: &str) -> u64 {
    fields.get(name).and_then(|v| v.parse().ok()).unwrap_or(0)
}

/// The condition a return session records for every device.
fn condition_of(fields: &HashMap<String, String>) -> Option<ReturnCondition> {
    ReturnCondition::parse(fields.get("condition").map_or("", |c| c.trim()))
}

/// The session's action, or none if the address or form names another.
fn action_of(fields: &HashMap<String, String>) -> Option<DeviceAction> {
    DeviceAction::parse(fields.get("action").map_or("", |a| a.trim())).filter(|a| ACTIONS.contains(a))
}

async fn choose_form(
    ctx: &PageContext,
    status: StatusCode,
    typed: Value,
    problems: &[FieldError],
) -> Result<HttpResponse, PageError> {
    let rows = ctx
        .state
        .db(|conn| Ok(donations::list(conn, None, Some("pledged"), None, 500)?))
        .await
        .map_err(|e| ctx.fail(e))?;
    let donors = ctx
        .state
        .db(move |conn| {
            let ids: Vec<String> = rows.iter().map(|d| d.donor_id.clone()).collect();
            let names = crate::store::organisations::names(conn, &ids)?;
            Ok(rows
                .into_iter()
                .map(|d| {
                    let donor = names.get(&d.donor_id).cloned().unwrap_or_default();
                    json!([d.id, format!("{donor}, {}", d.created_at.date())])
                })
                .collect::<Vec<_>>())
        })
        .await
        .map_err(|e| ctx.fail(e))?;
    let sets = ctx
        .state
        .db(|conn| class_sets::page(conn, None, Some(&["accepted"]), None, 500, Utc::now().date_naive()))
        .await
        .map_err(|e| ctx.fail(e))?;
    let sets: Vec<Value> =
        sets.items.into_iter().map(|s| json!([s.id, format!("{} ({})", s.course, s.reserved)])).collect();
    let values = json!({"typed": typed, "donations": donors, "class_sets": sets});
    ctx.render_form(status, "scan_start.html", values, problems)
}

async fn start_page(ctx: PageContext) -> Result<HttpResponse, PageError> {
    staff(&ctx)?;
    let blank = json!({
        "action": "receive", "donation_id": "", "grade": "", "method": "", "tool": "", "certificate_ref": "",
        "condition": "good", "class_set_id": "",
    });
    choose_form(&ctx, StatusCode::OK, blank, &[]).await
}

/// The session's settings checked as its first scan would be: what is missing, at its field.
fn check_settings(fields: &HashMap<String, String>) -> Vec<FieldError> {
    let Some(action) = action_of(fields) else {
        return vec![FieldError::new("action", crate::phrase!("field-required"))];
    };
    if action == DeviceAction::HandOver {
        return match uuid::Uuid::parse_str(fields.get("class_set_id").map_or("", |d| d.trim())) {
            Ok(_) => vec![],
            Err(_) => vec![FieldError::new("class_set_id", crate::phrase!("field-required"))],
        };
    }
    if action == DeviceAction::Return {
        return condition_of(fields).map_or_else(
            || vec![FieldError::new("condition", crate::phrase!("field-required"))],
            |_| vec![],
        );
    }
    // Checked with the settings the session will carry (a session wipes only verified runs).
    let carried: HashMap<String, String> = settings_of(fields)
        .as_object()
        .map(|o| o.iter().map(|(k, v)| (k.clone(), v.as_str().unwrap_or("").to_owned())).collect())
        .unwrap_or_default();
    let mut problems = match device_step::parse(action, &PageForm(carried)) {
        Some(Err(problems)) => problems,
        _ => Vec::new(),
    };
    if action == DeviceAction::Receive
        && uuid::Uuid::parse_str(fields.get("donation_id").map_or("", |d| d.trim())).is_err()
    {
        problems.push(FieldError::new("donation_id", crate::phrase!("field-required")));
    }
    problems
}

#[allow(clippy::too_many_arguments)]
fn session_view(
    ctx: &PageContext,
    status: StatusCode,
    fields: &HashMap<String, String>,
    lines: &[Line],
    done: u64,
    refused: u64,
    problems: &[FieldError],
    ended: bool,
) -> Result<HttpResponse, PageError> {
    let values = json!({
        "session": settings_of(fields), "lines": lines, "log": write_log(lines), "done": done, "refused": refused,
        "refused_lines": lines.iter().filter(|l| !l.done).collect::<Vec<_>>(), "ended": ended, "wide": true,
    });
    ctx.render_form(status, "scan_session.html", values, problems)
}

async fn session_page(
    ctx: PageContext,
    query: web::Query<HashMap<String, String>>,
) -> Result<HttpResponse, PageError> {
    staff(&ctx)?;
    let problems = check_settings(&query);
    if !problems.is_empty() {
        return choose_form(&ctx, StatusCode::UNPROCESSABLE_ENTITY, settings_of(&query), &problems).await;
    }
    session_view(&ctx, StatusCode::OK, &query, &[], 0, 0, &[], false)
}

/// A refused scan in words.
fn refusal_text(ctx: &PageContext, refusal: &ScanRefusal) -> String {
    let say = |p| i18n::say(&p, ctx.lang);
    match refusal {
        ScanRefusal::Unknown => say(crate::phrase!("scan-unknown")),
        ScanRefusal::Ambiguous => say(crate::phrase!("scan-ambiguous")),
        ScanRefusal::OtherDonation => say(crate::phrase!("scan-other-donation")),
        ScanRefusal::NotOnLoan => say(crate::phrase!("scan-not-on-loan")),
        ScanRefusal::NotInSet => say(crate::phrase!("scan-not-in-set")),
        ScanRefusal::Twice => say(crate::phrase!("scan-twice")),
        ScanRefusal::Step(ApiError::IllegalTransition { state, .. }) => {
            let state = i18n::say_key(&format!("device-state-{}", state.replace('_', "-")), [], ctx.lang);
            say(crate::phrase!("scan-not-now", state = state.to_lowercase()))
        }
        ScanRefusal::Step(ApiError::Conflict { detail }) => say(detail.clone()),
        ScanRefusal::Step(ApiError::Validation(problems)) => {
            problems.first().map(|p| say(p.message.clone())).unwrap_or_default()
        }
        ScanRefusal::Step(_) => say(crate::phrase!("scan-not-now-plain")),
    }
}

/// A session as a page brought it back: its settings, last lines and counts.
struct Carried {
    fields: HashMap<String, String>,
    lines: Vec<Line>,
    done: u64,
    refused: u64,
}

impl Carried {
    fn of(form: &PageForm) -> Carried {
        let fields = form.0.clone();
        let (done, refused) = (count(&fields, "done"), count(&fields, "refused"));
        Carried { lines: read_log(form.get("log")), fields, done, refused }
    }

    fn view(
        &self,
        ctx: &PageContext,
        status: StatusCode,
        problems: &[FieldError],
        ended: bool,
    ) -> Result<HttpResponse, PageError> {
        session_view(ctx, status, &self.fields, &self.lines, self.done, self.refused, problems, ended)
    }

    /// Puts the answer to one scan on top and counts it.
    fn add(&mut self, ctx: &PageContext, action: DeviceAction, code: String, outcome: ScanOutcome) {
        // A hand-over session counts each device once.
        let outcome = match outcome {
            Ok(device)
                if action == DeviceAction::HandOver
                    && self.lines.iter().any(|l| l.done && l.code == device.asset_tag) =>
            {
                Err((Some(device), ScanRefusal::Twice))
            }
            other => other,
        };
        let line = match outcome {
            Ok(device) => {
                self.done += 1;
                let key = format!("desk-done-{}", action.as_str().replace('_', "-"));
                Line { done: true, code: device.asset_tag, message: i18n::say_key(&key, [], ctx.lang) }
            }
            Err((device, refusal)) => {
                self.refused += 1;
                Line {
                    done: false,
                    code: device.map_or(code, |d| d.asset_tag),
                    message: refusal_text(ctx, &refusal),
                }
            }
        };
        self.lines.insert(0, line);
    }
}

type ScanOutcome = Result<Device, (Option<Device>, ScanRefusal)>;

async fn scan_one(ctx: PageContext, form: PageForm) -> Result<HttpResponse, PageError> {
    let actor = staff(&ctx)?;
    let mut session = Carried::of(&form);
    let action =
        action_of(&session.fields).ok_or_else(|| PageError::new(ctx.lang, PageFailure::BadRequest))?;
    let code = form.get("code").trim().to_uppercase();
    if code.is_empty() {
        let problem = FieldError::new("code", crate::phrase!("scan-code-empty"));
        return session.view(&ctx, StatusCode::UNPROCESSABLE_ENTITY, &[problem], false);
    }
    match apply_scan(&ctx, &form, action, code.clone(), actor).await? {
        Ok(outcome) => {
            session.add(&ctx, action, code, outcome);
            session.view(&ctx, StatusCode::OK, &[], false)
        }
        Err(problems) => session.view(&ctx, StatusCode::UNPROCESSABLE_ENTITY, &problems, false),
    }
}

/// One scan as the session's action takes it: checked for a class set's hand-over, taken back
/// in a return session, else the device step; the form's mistakes if the step cannot be read.
async fn apply_scan(
    ctx: &PageContext,
    form: &PageForm,
    action: DeviceAction,
    code: String,
    actor: String,
) -> Result<Result<ScanOutcome, Vec<FieldError>>, PageError> {
    let bad = || PageError::new(ctx.lang, PageFailure::BadRequest);
    let today = Utc::now().date_naive();
    let outcome = match action {
        DeviceAction::HandOver => {
            let set = form.get("class_set_id").trim().to_owned();
            ctx.state.db(move |conn| scan_for_set(conn, &set, &code)).await
        }
        DeviceAction::Return => {
            let condition = condition_of(&form.0).ok_or_else(bad)?;
            let settings = ctx.state.settings.loans.clone();
            ctx.state.db(move |conn| scan_return(conn, &settings, &code, condition, &actor, today)).await
        }
        _ => {
            let request = match device_step::parse(action, form).ok_or_else(bad)? {
                Ok(request) => request.checked().map_err(|e| ctx.fail(e))?,
                Err(problems) => return Ok(Err(problems)),
            };
            let donation =
                (action == DeviceAction::Receive).then(|| form.get("donation_id").trim().to_owned());
            let settings = ctx.state.settings.clone();
            ctx.state
                .db(move |conn| scan(conn, &settings, &code, donation.as_deref(), &request, &actor, today))
                .await
        }
    };
    Ok(Ok(outcome.map_err(|e| ctx.fail(e))?))
}

/// The end of a class set's hand-over session: the set goes on loan once every device held
/// for it was scanned (`class_sets::hand_over_scanned`).
async fn hand_over_set(ctx: PageContext, form: PageForm) -> Result<HttpResponse, PageError> {
    let actor = staff(&ctx)?;
    let session = Carried::of(&form);
    let set = ctx.object_id(form.get("class_set_id"))?;
    let scanned: Vec<String> = session.lines.iter().filter(|l| l.done).map(|l| l.code.clone()).collect();
    let id = set.clone();
    let today = Utc::now().date_naive();
    match ctx.state.db(move |conn| class_sets::hand_over_scanned(conn, &id, &actor, &scanned, today)).await {
        Ok(_) => Ok(ctx.see_other(&format!("/class-sets/{set}?done=handed_over"))),
        Err(
            e @ (ApiError::Validation(_) | ApiError::Conflict { .. } | ApiError::IllegalTransition { .. }),
        ) => {
            let problems = match e {
                ApiError::Validation(problems) => problems,
                _ => vec![FieldError::new("code", crate::phrase!("class-set-step-not-now"))],
            };
            session.view(&ctx, StatusCode::UNPROCESSABLE_ENTITY, &problems, false)
        }
        Err(e) => Err(ctx.fail(e)),
    }
}

async fn end(ctx: PageContext, form: PageForm) -> Result<HttpResponse, PageError> {
    staff(&ctx)?;
    Carried::of(&form).view(&ctx, StatusCode::OK, &[], true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_log_comes_back_as_it_went_out() {
        let lines = vec![
            Line {
                done: false,
                code: "DPL-000002".into(),
                message: "It is in the pool | not received".into(),
            },
            Line { done: true, code: "DPL-000001".into(), message: "Received.\nNow wipe".into() },
        ];
        let back = read_log(&write_log(&lines));
        assert_eq!(back.len(), 2);
        assert_eq!(
            back[0],
            Line {
                done: false,
                code: "DPL-000002".into(),
                message: "It is in the pool   not received".into()
            }
        );
        assert_eq!(back[1].message, "Received. Now wipe");
        assert!(read_log("garbage\nok|x").is_empty(), "lines that are not ours are dropped");
        let many: Vec<Line> =
            (0..80).map(|i| Line { done: true, code: format!("T{i}"), message: "ok".into() }).collect();
        assert_eq!(read_log(&write_log(&many)).len(), LINES);
    }

    #[test]
    fn a_session_needs_what_its_action_needs() {
        let fields = |pairs: &[(&str, &str)]| -> HashMap<String, String> {
            pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
        };
        let names = |problems: Vec<FieldError>| problems.into_iter().map(|p| p.field).collect::<Vec<_>>();
        assert_eq!(names(check_settings(&fields(&[("action", "receive")]))), vec!["donation_id"]);
        let donation = uuid::Uuid::new_v4().to_string();
        assert!(check_settings(&fields(&[("action", "receive"), ("donation_id", &donation)])).is_empty());
        assert_eq!(names(check_settings(&fields(&[("action", "wipe")]))), vec!["method", "certificate_ref"]);
        let wipe = fields(&[("action", "wipe"), ("method", "nist_clear"), ("certificate_ref", "BL-RUN-7")]);
        assert!(check_settings(&wipe).is_empty());
        assert_eq!(names(check_settings(&fields(&[("action", "grade")]))), vec!["grade"]);
        assert!(check_settings(&fields(&[("action", "release")])).is_empty());
        assert_eq!(names(check_settings(&fields(&[("action", "return")]))), vec!["condition"]);
        assert_eq!(
            names(check_settings(&fields(&[("action", "return"), ("condition", "new")]))),
            vec!["condition"]
        );
        assert!(check_settings(&fields(&[("action", "return"), ("condition", "worn")])).is_empty());
        assert_eq!(names(check_settings(&fields(&[("action", "hand_over")]))), vec!["class_set_id"]);
        let set = uuid::Uuid::new_v4().to_string();
        assert!(check_settings(&fields(&[("action", "hand_over"), ("class_set_id", &set)])).is_empty());
        assert_eq!(names(check_settings(&fields(&[("action", "lend")]))), vec!["action"]);
    }
}
