//! The page templates (`templates/web/`), compiled into the binary and rendered with
//! minijinja. One environment per language, each with its own `t(key, ...)`, the catalogue
//! lookup, so a template never holds a sentence and every sentence is in both languages.
//! Names end in `.html`, which makes minijinja escape every value.

use std::borrow::Cow;
use std::sync::LazyLock;

use minijinja::value::Kwargs;
use minijinja::{Environment, Value};

use crate::domain::phrase::Arg;
use crate::domain::student::Language;
use crate::i18n;

macro_rules! pages {
    ($($name:literal),+ $(,)?) => {
        /// Every page template, by name.
        pub const NAMES: &[&str] = &[$($name),+];
        const SOURCES: &[(&str, &str)] = &[
            $(($name, include_str!(concat!("../../templates/web/", $name))),)+
        ];
    };
}

pages!(
    "base.html",
    "macros.html",
    "front.html",
    "login.html",
    "start.html",
    "error.html",
    "sign_in.html",
    "check_mail.html",
    "sign_in_link.html",
    "link_used.html",
    "my_kit.html",
    "choose_password.html",
    "forgot_password.html",
    "accept.html",
    "gift.html",
    "returns_stack.html",
    "in_use_link.html",
    "in_use_done.html",
    "in_use_round.html",
    "more_time.html",
    "problem.html",
    "sent.html",
    "my_data.html",
    "account.html",
    "students.html",
    "student_form.html",
    "student.html",
    "erase_student.html",
    "request_kit.html",
    "student_import.html",
    "donations.html",
    "donation_form.html",
    "donation.html",
    "device_form.html",
    "licence_form.html",
    "device_import.html",
    "labels.html",
    "school_report.html",
    "impact.html",
    "find_device.html",
    "device_desk.html",
    "scan_start.html",
    "scan_session.html",
    "returns.html",
    "handovers.html",
    "handover.html",
    "matching.html",
    "proposals.html",
    "faults.html",
    "fault.html",
    "queues.html",
    "pool_report.html",
    "caps.html",
    "travel.html",
    "hubs.html",
    "hub_form.html",
    "organisations.html",
    "erasure_report.html",
    "reconciliation.html",
    "organisation_form.html",
    "organisation.html",
    "accounts.html",
    "account_disable.html",
    "class_sets.html",
    "class_set_form.html",
    "class_set.html",
);

fn environment(lang: Language) -> Environment<'static> {
    let mut env = Environment::new();
    env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
    env.set_trim_blocks(true);
    env.set_lstrip_blocks(true);
    for (name, source) in SOURCES {
        // Compiled in and rendered by the tests: a syntax error is a bug, reported at render.
        if let Err(e) = env.add_template(name, source) {
            tracing::error!(template = name, error = %e, "page template does not parse");
        }
    }
    // Dates as the reader writes them: 16-12-2026 in Dutch, 16 December 2026 in English.
    env.add_filter("day", move |value: &str| -> String {
        match chrono::NaiveDate::parse_from_str(value, "%Y-%m-%d") {
            Ok(day) => match lang {
                Language::Nl => day.format("%d-%m-%Y").to_string(),
                Language::En => day.format("%-d %B %Y").to_string(),
            },
            Err(_) => value.to_owned(),
        }
    });
    // What goes with a loan and which software, in words rather than codes.
    env.add_filter("accessory", move |code: &str| -> String { i18n::accessory(code, lang) });
    env.add_filter("accessories", move |codes: Vec<String>| -> String { i18n::accessories(&codes, lang) });
    env.add_filter("product", |key: &str| -> String { crate::domain::licence::product_name(key) });
    env.add_function("t", move |key: &str, kwargs: Kwargs| -> Result<String, minijinja::Error> {
        let mut args: Vec<(Cow<'static, str>, Arg)> = Vec::new();
        for name in kwargs.args() {
            let value: Value = kwargs.get(name)?;
            let arg = match value.as_i64() {
                Some(n) => Arg::Number(n),
                None => Arg::Text(value.to_string()),
            };
            args.push((Cow::Owned(name.to_owned()), arg));
        }
        Ok(i18n::say_key(key, args.iter().map(|(n, a)| (n.clone(), a)), lang))
    });
    env
}

static DUTCH: LazyLock<Environment<'static>> = LazyLock::new(|| environment(Language::Nl));
static ENGLISH: LazyLock<Environment<'static>> = LazyLock::new(|| environment(Language::En));

/// Renders page template `name` in `lang` with `context`.
pub fn render(name: &str, lang: Language, context: &Value) -> Result<String, minijinja::Error> {
    let env = match lang {
        Language::Nl => &*DUTCH,
        Language::En => &*ENGLISH,
    };
    env.get_template(name)?.render(context)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn base(lang: Language) -> serde_json::Value {
        json!({
            "lang": lang.as_str(), "other_lang": "en", "path": "/", "css": "/assets/site.x.css", "camera_js": "/assets/camera.x.js",
            "account": {"email": "ayla@example.org", "role": "school"}, "csrf": "token",
            "errors": [], "field_errors": {},
        })
    }

    /// Sample values for each page, on top of the base layout's.
    fn sample(name: &str) -> serde_json::Value {
        match name {
            "login.html" => json!({
                "email": "ayla@example.org",
                "errors": [{"field": "password", "message": "Vul dit in."}],
                "field_errors": {"password": "Vul dit in."},
            }),
            "error.html" => {
                json!({"title_key": "error-too-many-title", "text_key": "error-too-many-text", "minutes": 3})
            }
            "start.html" => json!({"next_key": "start-next-school"}),
            "sign_in.html" => json!({"email": ""}),
            "check_mail.html" => json!({"email": "ayla@example.org", "minutes": 15}),
            "sign_in_link.html" => json!({"token": "abc"}),
            "link_used.html" => json!({"again": "/sign-in", "text_key": "link-used-sign-in"}),
            "choose_password.html" => {
                json!({"title_key": "password-reset-title", "action": "/reset-password", "token": "abc"})
            }
            "forgot_password.html" => json!({"email": "", "sent": true, "minutes": 30}),
            "accept.html" => {
                json!({"agreement": [{"text": "Words.", "list": []}, {"text": "", "list": ["One.", "Two."]}], "action": "/loans/x/accept"})
            }
            "returns_stack.html" => json!({
                "default_condition": "good", "done": 3, "max": 40, "wide": true,
                "lines": [{"tag": "DPL-000042", "model": "HP ProBook", "lent": ["charger", "bag"], "back": ["bag"], "condition": "damaged"}],
                "errors": [{"field": "condition_0", "message": "Niet teruggenomen."}], "field_errors": {"condition_0": "Niet teruggenomen."},
            }),
            "in_use_link.html" => json!({
                "token": "abc", "answered": null, "note": "",
                "what": {"kind": "laptop", "product": null, "device": true, "thing": "een laptop"},
            }),
            "in_use_done.html" => json!({
                "answer": "not_used", "due_on": "2027-03-15", "again": false,
                "what": {"kind": "laptop", "product": null, "device": true, "thing": "een laptop"},
            }),
            "in_use_round.html" => json!({
                "staff": true, "late": true, "late_days": 14, "unanswered_only": false, "opened_on": "2027-03-01", "done": "answered",
                "round": {
                    "id": "r", "opened_at": "2027-03-01T09:00:00Z", "scheduled": true, "late_from": "2027-03-15T09:00:00Z",
                    "progress": {"in_use": 3, "not_used": 1, "broken": 0, "gone": 0, "unanswered": 2},
                    "next_cursor": "abc",
                    "items": [
                        {"loan_id": "l1", "student_id": "s1", "student_name": "Ayla Demir", "kind": "laptop", "product": null,
                         "asset_tag": "DPL-000042", "loan_state": "active", "answer": null, "answered_at": null, "late": true},
                        {"loan_id": "l2", "student_id": "s2", "student_name": "Sem de Vries", "kind": "licence", "product": "figma",
                         "asset_tag": null, "loan_state": "active", "answer": "in_use", "answered_at": "2027-03-02T09:00:00Z", "late": false},
                    ],
                },
                "errors": [{"field": "answer-l1", "message": "Kies een antwoord."}], "field_errors": {"answer-l1": "Kies een antwoord."},
            }),
            "gift.html" => {
                json!({"agreement": [{"text": "Words.", "list": []}, {"text": "", "list": ["One.", "Two."]}], "action": "/loans/x/gift"})
            }
            "more_time.html" => {
                json!({"action": "/loans/x/more-time", "due_on": "2027-06-30", "due_on_typed": "", "reason": "", "max_days": 90})
            }
            "problem.html" => json!({"action": "/loans/x/problem", "what": "broken", "description": ""}),
            "sent.html" => {
                json!({"title_key": "problem-broken-sent-title", "text_key": "problem-broken-sent-text"})
            }
            "my_data.html" => {
                json!({"held": {"student": {"name": "Ayla", "email": "ayla@example.org"}, "loans": [], "requests": [{"kind": "laptop"}]}})
            }
            "account.html" => json!({
                "role_key": "account-role-school", "organisation": "Codeschool Noord", "has_password": true,
                "done_key": "account-done-password",
            }),
            "students.html" => json!({
                "done_key": "students-done-imported", "count": 2, "wide": true,
                "table": {"rows": [
                    {"id": "s1", "name": "Ayla", "email": "ayla@example.org", "lacks_laptop": true, "lacks_connectivity": false, "lacks_software": true,
                     "waiting": [{"request_id": "r", "kind": "laptop", "product": null, "step": "waiting", "queue_position": 3, "days_waiting": 12}], "kit": []},
                    {"id": "s2", "name": "Bram", "email": null, "lacks_laptop": false, "lacks_connectivity": false, "lacks_software": false, "waiting": [],
                     "kit": [{"loan_id": "l", "kind": "connectivity", "product": null, "step": "picked_up", "due_on": "2027-06-30", "days_overdue": 4}]},
                ], "matching": 2, "all": 40, "page": 1, "pages": 2, "first": 1, "last": 2, "previous": null, "next": "/students?page=2",
                "filter": {"q": "a", "lacks": "laptop", "standing": ""}},
            }),
            "student_import.html" => json!({
                "columns": [{"name": "name", "needed": true, "key": "import-column-name"}, {"name": "hub", "needed": false, "key": "import-column-hub"}],
                "rows": ["Rij 4, e-mailadres: dit is geen e-mailadres."], "total": 3,
                "errors": [{"field": "file", "message": "3 rijen kloppen niet."}], "field_errors": {"file": "3 rijen kloppen niet."},
            }),
            "student_form.html" => json!({
                "action": "/students/new", "editing": false, "hubs": [["h1", "Hub Noord"]],
                "typed": {"name": "Ayla", "email": "ayla", "preferred_language": "nl", "track": "coder", "programme_start": "2026-09-01",
                          "programme_end": "", "hub_id": "h1", "lacks_laptop": "yes", "lacks_connectivity": "", "lacks_software": "", "target_group": ""},
                "choices": crate::web::student_form::choices(),
                "errors": [{"field": "email", "message": "Geen adres."}], "field_errors": {"email": "Geen adres."},
            }),
            "student.html" | "erase_student.html" | "request_kit.html" => json!({
                "done_key": "students-done-requested", "wide": true, "kinds": ["laptop", "licence"],
                "typed": {"kind": "laptop", "product": "", "needed_by": "", "travel_ok": "yes"},
                "file": {
                    "student": {"id": "s1", "name": "Ayla", "email": "ayla@example.org", "programme_start": "2026-09-01", "programme_end": "2027-06-30",
                                "lacks_laptop": true, "lacks_connectivity": false, "lacks_software": true, "erased": false},
                    "requests": [{"id": "r1", "kind": "laptop", "product": null, "state": "pending", "step": "waiting", "queue_position": 3,
                                  "days_waiting": 12, "created_at": "2026-11-20T10:00:00Z"}],
                    "loans": [{"loan_id": "l1", "kind": "licence", "product": "figma", "step": "picked_up", "state": "active", "due_on": "2027-06-30",
                               "days_overdue": null, "accepted_at": "2026-11-02T10:00:00", "history": [{"at": "2026-11-02T10:00:00", "action": "accept"}, {"at": "2026-11-03T10:00:00", "action": "handover"}]}],
                    "holds_kit": name == "erase_student.html",
                },
            }),
            "my_kit.html" => json!({
                "loans": [
                    {"id": "l1", "kind": "laptop", "product": null, "state": "reserved", "due_on": "2027-06-30",
                     "pick_up_by": "2026-12-09", "pick_up_code": "1B2C-3D4E", "hub": {"name": "Hub Noord", "address": "Buikslotermeerplein 2", "opening_hours": "ma-vr 10:00-17:00"},
                     "accessories": ["charger", "bag"], "status_text": "Ready for you.", "allowed_actions": ["accept"], "recalled": false},
                    {"id": "l2", "kind": "licence", "product": "figma", "state": "active", "due_on": "2027-06-30",
                     "pick_up_by": null, "pick_up_code": null, "hub": null, "accessories": [], "status_text": "Yours.", "allowed_actions": ["request_extension", "report_lost"], "recalled": true},
                    {"id": "l3", "kind": "laptop", "product": null, "state": "active", "due_on": "2027-06-30",
                     "pick_up_by": null, "pick_up_code": null, "hub": null, "accessories": ["charger"], "status_text": "Yours.", "allowed_actions": ["accept_gift", "report_lost"], "recalled": false},
                ],
                "requests": [{"kind": "connectivity", "product": null, "status_text": "Number 3 in line."}],
            }),
            "donations.html" => json!({
                "done_key": "donation-done-pledged", "wide": true,
                "donations": [
                    {"donation": {"id": "d1", "state": "pledged", "expected_date": "2027-01-15", "note": null, "pledged_on": "2026-12-01", "received_on": null},
                     "devices": 20, "contents": {"pledged": 20, "received": 0, "locked": 0, "being_prepared": 0, "in_service": 0, "retired": 0, "licences": 1}},
                    {"donation": {"id": "d2", "state": "received", "expected_date": null, "note": null, "pledged_on": "2026-10-01", "received_on": "2026-10-05"},
                     "devices": 1, "contents": {"pledged": 0, "received": 0, "locked": 0, "being_prepared": 0, "in_service": 1, "retired": 0, "licences": 0}},
                ],
            }),
            "donation_form.html" => json!({
                "hubs": [["h1", "Hub Noord"]], "typed": {"expected_hub_id": "h1", "expected_date": "soon", "note": "Bel Sanne"},
                "errors": [{"field": "expected_date", "message": "Geen datum."}], "field_errors": {"expected_date": "Geen datum."},
            }),
            "donation.html" => json!({
                "done_key": "donation-done-imported", "count": 20, "devices": 1, "wide": true,
                "file": {
                    "donation": {"id": "d1", "state": "received", "expected_date": "2027-01-15", "note": "Bel Sanne", "pledged_on": "2026-12-01", "received_on": "2026-12-05", "gifts_allowed": true},
                    "hub": "Hub Noord",
                    "contents": {"pledged": 0, "received": 0, "locked": 1, "being_prepared": 1, "in_service": 0, "retired": 0, "gifted": 1, "licences": 1},
                    "items": [{"id": "x", "asset_tag": "DPL-000042", "kind": "laptop", "model": "HP ProBook", "serial_number": "5CG1", "stage": "being_prepared"}],
                    "next": "x",
                    "licences": [{"product": "figma", "vendor": "Figma", "seats": 25, "seats_in_use": 3, "expires_on": null}],
                    "asset_list": {"listed": 3, "matched": 1, "expected": 0, "missing": 1, "unexpected": 1},
                },
            }),
            "device_form.html" => json!({
                "donation": {"id": "d1"}, "hubs": [["h1", "Hub Noord"]], "hub_id": "",
                "typed": crate::domain::device_import::field_names().map(|n| (n, if n == "kind" { "laptop" } else { "" })).collect::<std::collections::HashMap<_, _>>(),
                "errors": [{"field": "ram_gb", "message": "Vul dit in."}], "field_errors": {"ram_gb": "Vul dit in."},
            }),
            "licence_form.html" => json!({
                "donation": {"id": "d1"}, "typed": {"product": "figma", "vendor": "", "seats": "25", "expires_on": ""},
                "errors": [{"field": "vendor", "message": "Vul dit in."}], "field_errors": {"vendor": "Vul dit in."},
            }),
            "device_import.html" => json!({
                "donation_id": "d1",
                "columns": [{"name": "kind", "needed": true, "key": "device-column-kind"}, {"name": "ram_gb", "needed": true, "key": "device-column-ram-gb"}],
                "rows": ["Rij 4, serienummer: leeg."], "total": 2,
                "errors": [{"field": "file", "message": "2 rijen kloppen niet."}], "field_errors": {"file": "2 rijen kloppen niet."},
            }),
            "labels.html" => json!({
                "donation": {"id": "d1"}, "more": false, "wide": true,
                "labels": [{"tag": "DPL-000042", "svg": crate::render::label::asset_label_svg("DPL-000042", "HP", "5CG1")}],
            }),
            "school_report.html" => json!({
                "typed": {"from": "2026-01-01", "to": "2026-12-02"}, "csv": "/reports/school?format=csv", "wide": true,
                "report": {
                    "report": {"from": "2026-01-01", "to": "2026-12-02"},
                    "requests": [{"kind": "laptop", "state": "pending", "count": 3}],
                    "loans": [{"kind": "laptop", "started": 4, "returned": 1, "lost": 0, "written_off": 0, "active": 3, "overdue": 1}],
                    "overdue": [{"loan_id": "l", "student_id": "s", "student_name": "Ayla", "kind": "laptop", "due_on": "2026-11-30", "days_overdue": 2}],
                    "waiting": [{"request_id": "r", "student_id": "s2", "student_name": "Bram", "kind": "licence", "requested_on": "2026-11-01", "needed_by": "2026-12-01", "days_waiting": 31}],
                },
            }),
            "impact.html" => json!({
                "typed": {"from": "2025-12", "to": "2026-11"}, "period": {"from": "2025-12-01", "to": "2026-11-30"},
                "csv": "/reports/impact?format=csv", "min": 5, "wide": true,
                "chart": crate::render::chart::bar_chart("Kit", &[crate::render::chart::Bar { label: "Laptops", value: 18 }], "#1b7837"),
                "view": {
                    "reached": {"value": "12", "hidden": false}, "completed": {"value": null, "hidden": true}, "loan_months": "30.5",
                    "tracks": [{"name": "track-coder", "is_key": true, "students": {"value": null, "hidden": true}}],
                    "target_groups": [{"name": "group-not-recorded", "is_key": true, "students": {"value": "12", "hidden": false}}],
                    "schools": [{"name": "Codeschool Noord", "is_key": false, "students": {"value": "12", "hidden": false}}],
                    "any_hidden": true,
                },
                "environment": {
                    "loan_cycles": {"value": "14", "hidden": false}, "kg_reused": {"value": "25.4", "hidden": false},
                    "kg_by_default": "21.6", "co2e": {"value": "1498–1820", "hidden": false},
                    "devices_recycled": 2, "kg_recycled": "4.3", "devices_gifted": 1, "kg_gifted": "1.8", "in_use_confirmed": {"value": "12", "hidden": false}, "factor_set": "2026-12",
                    "sources": ["The Restart Project: one reuse displaces about 50% of a new purchase"],
                },
                "report": {
                    "kit": [{"kind": "laptop", "donated": 20, "received": 20, "in_service": 18, "with_students": 12, "retired": 1, "lost": 1}],
                    "licences": [{"product": "figma", "licences": 1, "seats": 25, "seats_in_use": 3, "expired_seats": 0}],
                },
            }),
            "find_device.html" => json!({
                "q": "DPL-9", "matches": [{"id": "x", "asset_tag": "DPL-000009", "model": "HP", "kind": "laptop"}],
                "errors": [{"field": "q", "message": "Geen apparaat."}], "field_errors": {"q": "Geen apparaat."},
            }),
            "device_desk.html" => json!({
                "done_key": "desk-done-receive", "wide": true, "hubs": [["h1", "Hub Noord"]], "accessories": ["charger", "bag", "mouse"],
                "failed_step": "wipe", "typed": {"certificate_ref": "", "tool": "Blancco"},
                "errors": [{"field": "wipe-certificate_ref", "message": "Vul dit in."}], "field_errors": {"wipe-certificate_ref": "Vul dit in."},
                "device": {
                    "id": "d1", "asset_tag": "DPL-000042", "kind": "laptop", "model": "HP ProBook", "serial_number": "5CG1", "state": "inspection",
                    "grade": "B", "hub": "Hub Noord", "donor": "Northwind", "ram_gb": 16, "storage_gb": 256, "plan_ends_on": null,
                    "missing_accessories": ["charger"], "locked_reason": "device_management",
                    "actions": ["wipe", "grade", "inspect", "repair", "retire", "move", "renew_plan", "receive", "mark_locked", "unlock", "destroy"],
                    "history": [{"at": "2026-12-01T10:00:00", "action": "register", "from_state": null, "to_state": "pledged", "details": {"source": "page"}},
                                {"at": "2026-12-02T10:00:00", "action": "wipe", "from_state": "received", "to_state": "wiped", "details": {"certificate_ref": "BL-1"}}],
                    "gift": {"loan_id": "l1", "allowed": true, "offered": false, "reason": null},
                },
            }),
            "scan_start.html" => json!({
                "typed": {"action": "wipe", "donation_id": "", "grade": "", "method": "", "tool": "", "certificate_ref": "", "condition": "good", "class_set_id": ""},
                "donations": [["d1", "Northwind, 2026-12-01"]], "class_sets": [["c1", "Coderen 1 (16)"]],
                "errors": [{"field": "method", "message": "Vul dit in."}], "field_errors": {"method": "Vul dit in."},
            }),
            "scan_session.html" => json!({
                "session": {"action": "hand_over", "donation_id": "", "grade": "", "method": "", "tool": "", "certificate_ref": "", "condition": "", "class_set_id": "c1"},
                "lines": [{"done": false, "code": "DPL-000003", "message": "Nu niet mogelijk."}, {"done": true, "code": "DPL-000002", "message": "Ontvangen."}],
                "refused_lines": [{"done": false, "code": "DPL-000003", "message": "Nu niet mogelijk."}],
                "log": "refused|DPL-000003|Nu niet mogelijk.\ndone|DPL-000002|Ontvangen.", "done": 1, "refused": 1, "ended": false, "wide": true,
            }),
            "returns.html" => json!({
                "code": "DPL-000042", "notice": {"tag": "DPL-000041", "missing": "charger,bag"},
                "loan": {"loan_id": "l1", "device_id": "d1", "asset_tag": "DPL-000042", "model": "HP", "due_on": "2027-06-30", "accessories": ["charger", "bag"]},
                "errors": [{"field": "condition", "message": "Kies er een."}], "field_errors": {"condition": "Kies er een."},
            }),
            "handovers.html" => json!({
                "q": "ayla", "handed": true,
                "matches": [{"loan_id": "l1", "student_name": "Ayla", "kind": "laptop", "asset_tag": "DPL-000042", "pick_up_by": "2026-12-09"},
                            {"loan_id": "l2", "student_name": "Ayla B", "kind": "licence", "asset_tag": null, "pick_up_by": null}],
                "errors": [{"field": "q", "message": "Niets."}], "field_errors": {"q": "Niets."},
            }),
            "handover.html" => json!({
                "loan": {"loan_id": "l1", "student_name": "Ayla", "student_language": "en", "kind": "laptop", "product": null,
                         "asset_tag": "DPL-000042", "model": "HP", "hub": "Hub Noord", "pick_up_by": "2026-12-09",
                         "pick_up_code": "1B2C-3D4E", "accepted": false, "accessories": ["charger", "bag"]},
                "agreement": [{"text": "Words.", "list": []}],
                "errors": [{"field": "agree", "message": "Zet het vinkje."}], "field_errors": {"agree": "Zet het vinkje."},
            }),
            "matching.html" => json!({
                "typed": {"kind": "laptop", "hub": "h1"}, "hubs": [["h1", "Hub Noord"]], "wide": true,
                "round": {
                    "served": 1,
                    "proposed": [{"hub_id": "h1", "hub": "Hub Noord", "kind": "laptop",
                                  "lines": [{"student": "Ayla", "school": "Codeschool", "item": "DPL-000001, HP", "reason_text": "Laptop met 16 GB RAM."}]}],
                    "unserved": [{"hub_id": null, "hub": null, "kind": "licence",
                                  "lines": [{"student": "Bram", "school": "Codeschool", "reason_text": "Geen vrije licentie."}]}],
                },
            }),
            "proposals.html" => json!({
                "notice": {"made": null, "done": 2, "skipped": 1, "decision": "confirm"}, "wide": true,
                "groups": [{"hub_id": "h1", "hub": "Hub Noord", "kind": "laptop",
                            "lines": [{"allocation_id": "a1", "student": "Ayla", "school": "Codeschool", "item": "DPL-000001, HP", "reason_text": "Laptop."}]},
                           {"hub_id": null, "hub": null, "kind": "licence",
                            "lines": [{"allocation_id": "a2", "student": "Bram", "school": "Codeschool", "item": "figma", "reason_text": "Licentie."}]}],
            }),
            "faults.html" => json!({
                "swapped": {"broken": "DPL-000001", "replacement": "DPL-000002"},
                "faults": [{"id": "f1", "loan_id": "l1", "student": "Ayla", "kind": "laptop", "asset_tag": "DPL-000001", "model": "HP",
                            "description": "Scherm flikkert.", "reported_at": "2026-12-01T10:00:00"}],
            }),
            "class_sets.html" => json!({
                "staff": true, "today": "2027-03-01", "hubs": {"h1": "Hub Noord"}, "done": "cancelled",
                "sets": [
                    {"id": "c1", "course": "Coderen 1", "kind": "laptop", "count": 16, "reserved": 12, "state": "requested",
                     "starts_on": "2027-02-01", "ends_on": "2027-04-12", "hub_id": "h1", "missing": []},
                    {"id": "c2", "course": "Data 2", "kind": "wifi_dongle", "count": 8, "reserved": 8, "state": "on_loan",
                     "starts_on": "2027-01-01", "ends_on": "2027-02-12", "hub_id": "h1", "missing": ["d1"]},
                ],
            }),
            "class_set_form.html" => json!({
                "typed": {"kind": "laptop", "count": "50", "starts_on": "", "ends_on": "", "hub_id": "h1", "course": ""},
                "hubs": [["h1", "Hub Noord"]], "max_count": 40, "max_weeks": 26,
                "errors": [{"field": "count", "message": "Kan niet."}], "field_errors": {"count": "Kan niet."},
            }),
            "class_set.html" => json!({
                "staff": false, "hub": "Hub Noord", "done": "class-set-done-offered", "reserved": 3, "reason": "Er zijn er 2 te weinig.",
                "agreement": {"version": "2026-12", "lines": ["Jullie school leent deze set."]},
                "set": {"id": "c1", "course": "Coderen 1", "kind": "laptop", "count": 16, "reserved": 2, "state": "offered",
                        "starts_on": "2027-02-01", "ends_on": "2027-04-12", "hub_id": "h1", "missing": ["d2"],
                        "devices": [
                            {"device_id": "d1", "asset_tag": "DPL-000001", "model": "HP", "state": "returned", "accessories": ["charger"], "missing_accessories": ["mouse"]},
                            {"device_id": "d2", "asset_tag": "DPL-000002", "model": "HP", "state": "active", "accessories": ["charger", "bag"], "missing_accessories": []},
                        ]},
                "errors": [{"field": "agree", "message": "Zet een vinkje."}], "field_errors": {"agree": "Zet een vinkje."},
            }),
            "fault.html" => json!({
                "code": "DPL-9",
                "fault": {"id": "f1", "loan_id": "l1", "student": "Ayla", "kind": "laptop", "asset_tag": "DPL-000001", "model": "HP",
                          "description": "", "reported_at": "2026-12-01T10:00:00"},
                "errors": [{"field": "code", "message": "Kan niet."}], "field_errors": {"code": "Kan niet."},
            }),
            "queues.html" => json!({
                "done": "gone", "wide": true,
                "lists": {
                    "class_sets": [{"id": "c1", "course": "Coderen 1", "state": "offered", "starts_on": "2027-02-01", "count": 16, "held": 12, "short": 4}],
                    "extensions": [{"loan_id": "l1", "student": "Ayla", "kind": "laptop", "asset_tag": "DPL-000001", "due_on": "2027-06-30",
                                    "pick_up_by": null, "asked_for": "2027-08-31", "reason": "Stage loopt door.", "days_overdue": 0}],
                    "overdue": [{"loan_id": "l2", "student": "Bram", "kind": "connectivity", "asset_tag": "DPL-000002", "due_on": "2026-11-30",
                                 "pick_up_by": null, "asked_for": null, "reason": null, "days_overdue": 2}],
                    "lapsing": [{"loan_id": "l3", "student": "Chen", "kind": "laptop", "asset_tag": null, "due_on": "2027-06-30",
                                 "pick_up_by": "2026-12-03", "asked_for": null, "reason": null, "days_overdue": 0}],
                    "dead_mail": [{"id": "m1", "recipient": "ayla@example.org", "template": "kit_ready", "attempts": 8, "last_error": "550 no such user"}],
                },
            }),
            "pool_report.html" => json!({
                "typed": {"from": "2026-01-01", "to": "2026-12-02"}, "csv": "/reports/pool?format=csv", "wide": true,
                "chart": "<svg role=\"img\" aria-label=\"Pool\"></svg>",
                "report": {
                    "report": {"from": "2026-01-01", "to": "2026-12-02"},
                    "queue_by_kind": [{"kind": "laptop", "waiting": 3, "p50_days": 4, "p90_days": null, "longest_days": 9}],
                    "loans": [{"kind": "laptop", "started": 4, "returned": 1, "lost": 0, "written_off": 0, "active": 3, "overdue": 1}],
                    "set_loans": [{"kind": "wifi_dongle", "started": 16, "returned": 2, "lost": 0, "written_off": 0, "active": 14, "overdue": 0}],
                    "devices": [{"kind": "laptop", "state": "available", "grade": "A", "hub_id": "h1", "hub": "Hub Noord", "count": 5}],
                    "licences": [{"product": "figma", "licences": 1, "seats": 25, "seats_in_use": 3, "expired_seats": 0}],
                },
            }),
            "caps.html" => json!({
                "caps": [{"school": "Codeschool", "kind": "laptop", "cap": 10, "in_use": 4}], "schools": [["s1", "Codeschool"]],
                "typed": {"school_id": "s1", "kind": "laptop", "cap": "x"},
                "errors": [{"field": "cap", "message": "Een getal."}], "field_errors": {"cap": "Een getal."},
            }),
            "travel.html" => json!({
                "travel": [{"from": "Hub Noord", "to": "Hub Zuid", "cost": 4}], "hubs": [["h1", "Hub Noord"], ["h2", "Hub Zuid"]],
                "typed": {"from_hub_id": "h1", "to_hub_id": "h1", "cost": "4"},
                "errors": [{"field": "to_hub_id", "message": "Een andere hub."}], "field_errors": {"to_hub_id": "Een andere hub."},
            }),
            "hubs.html" => {
                json!({"hubs": [{"id": "h1", "name": "Hub Noord", "address": "Plein 1", "opening_hours": "ma-vr 10-17"}]})
            }
            "hub_form.html" => json!({
                "action": "/hubs/new", "typed": {"name": "", "address": "Plein 1", "opening_hours": ""},
                "errors": [{"field": "name", "message": "Vul dit in."}], "field_errors": {"name": "Vul dit in."},
            }),
            "erasure_report.html" => json!({
                "result": {"passed": 2, "failed": 1, "devices": [{"device_id": "d1", "asset_tag": "DPL-000042", "serial_number": "5CG1", "verification_result": "failed", "state": "received"}]},
                "rows": ["Rij 3: geen apparaat."], "total": 1,
                "errors": [{"field": "file", "message": "1 rij klopt niet."}], "field_errors": {"file": "1 rij klopt niet."},
            }),
            "reconciliation.html" => json!({
                "sent": true, "wide": true, "rows": ["Regel 3: vul dit in."], "total": 1,
                "errors": [{"field": "file", "message": "1 regel klopt niet."}], "field_errors": {"file": "1 regel klopt niet."},
                "r": {"donation_id": "d1", "uploaded_at": "2026-12-03T10:00:00Z", "donation_received": true,
                      "counts": {"listed": 2, "matched": 1, "expected": 0, "missing": 1, "unexpected": 1},
                      "assets": [
                        {"serial_number": "5CG1", "reference": "IT-1", "model": null, "status": "matched", "device_id": "x", "asset_tag": "DPL-000042", "stage": "in_service"},
                        {"serial_number": "5CG2", "reference": null, "model": null, "status": "missing", "device_id": null, "asset_tag": null, "stage": null},
                        {"serial_number": "5CG9", "reference": null, "model": null, "status": "unexpected", "device_id": "y", "asset_tag": "DPL-000043", "stage": "retired"}]},
            }),
            "organisations.html" => json!({"schools": [{"id": "o1", "name": "ROC Noord"}], "donors": []}),
            "organisation_form.html" => json!({
                "typed": {"name": "", "kind": "school"},
                "errors": [{"field": "name", "message": "Vul dit in."}], "field_errors": {"name": "Vul dit in."},
            }),
            "organisation.html" => json!({
                "organisation": {"id": "o1", "name": "ROC Noord", "kind": "school"}, "typed_name": "ROC Noord",
                "people": [{"id": "u1", "email": "sanne@roc.nl", "role": "school", "state": "invited"}],
                "invite": {"email": "piet@", "language": "nl"}, "notice": "people-done-invited", "days": 7,
                "errors": [{"field": "email", "message": "Dit adres klopt niet."}], "field_errors": {"email": "Dit adres klopt niet."},
            }),
            "accounts.html" => json!({
                "people": [{"id": "u1", "email": "a@pool.nl", "role": "admin", "state": "active"},
                           {"id": "u2", "email": "b@pool.nl", "role": "staff", "state": "disabled"}],
                "me": "u1", "typed": {"email": "", "language": "en", "role": ""}, "notice": null, "days": 7,
            }),
            "account_disable.html" => json!({
                "person": {"id": "u2", "email": "b@pool.nl", "role": "staff", "state": "active"}, "back": "/accounts",
                "errors": [{"field": "disable", "message": "Dit is het laatste beheerdersaccount."}],
            }),
            _ => json!({}),
        }
    }

    fn page(name: &str, lang: Language) -> String {
        let mut context = base(lang);
        if let (Some(c), Some(extra)) = (context.as_object_mut(), sample(name).as_object()) {
            c.extend(extra.clone());
        }
        render(name, lang, &Value::from_serialize(&context))
            .unwrap_or_else(|e| panic!("{name} {lang:?}: {e:#}"))
    }

    /// The text a person reads: the page without its tags.
    fn text(html: &str) -> String {
        let mut out = String::new();
        let mut in_tag = false;
        for c in html.chars() {
            match c {
                '<' => in_tag = true,
                '>' => {
                    in_tag = false;
                    out.push(' ');
                }
                c if !in_tag => out.push(c),
                _ => {}
            }
        }
        out
    }

    #[test]
    fn every_page_renders_in_both_languages_with_every_word_from_the_catalogue() {
        for name in NAMES.iter().filter(|n| !matches!(**n, "base.html" | "macros.html")) {
            for lang in [Language::Nl, Language::En] {
                let html = page(name, lang);
                assert!(html.starts_with("<!DOCTYPE html>"), "{name}");
                assert!(html.contains(&format!("<html lang=\"{}\">", lang.as_str())), "{name}");
                let words = text(&html);
                for prefix in [
                    "page-",
                    "front-",
                    "login-",
                    "start-",
                    "error-",
                    "student-",
                    "check-",
                    "link-",
                    "my-kit-",
                    "kind-",
                    "account-",
                    "students-",
                    "student-",
                    "erase-",
                    "request-",
                    "step-",
                    "track-",
                    "group-",
                    "history-",
                    "import-",
                    "column-",
                    "donation-",
                    "donations-",
                    "device-",
                    "licence-",
                    "labels-",
                    "pledge-",
                    "impact-",
                    "report-",
                    "school-report-",
                    "stage-",
                    "desk-",
                    "device-state-",
                    "accessory-",
                    "scan-",
                    "returns-",
                    "handover-",
                    "matching-",
                    "proposals-",
                    "match-",
                    "faults-",
                    "fault-",
                    "swap-",
                    "queues-",
                    "pool-report-",
                    "caps-",
                    "travel-",
                    "rules-",
                    "hubs-",
                    "hub-form-",
                    "camera-",
                    "orgs-",
                    "erasure-report-",
                    "org-",
                    "people-",
                    "invite-",
                    "team-",
                    "disable-",
                    "reconciliation-",
                    "class-set-",
                    "class-sets-",
                    "set-loan-",
                    "gift-",
                    "gifts-",
                    "stack-",
                    "in-use-",
                ] {
                    assert!(
                        !words.split_whitespace().any(|w| w.starts_with(prefix)),
                        "{name} {lang:?} shows a key instead of its text: {words}"
                    );
                }
                assert!(html.len() < 20_000, "{name} is small");
            }
        }
    }

    #[test]
    fn a_code_field_offers_the_camera_in_the_readers_words() {
        for (lang, start) in [(Language::En, "Scan with the camera"), (Language::Nl, "Scan met de camera")] {
            let html = page("find_device.html", lang);
            assert!(html.contains(&format!("data-camera=\"{start}\"")), "{html}");
            assert!(!html.contains("=\"camera-"), "no key shown instead of its text: {html}");
            assert!(html.contains("<script src=\"&#x2f;assets&#x2f;camera.x.js\" defer>"), "{html}");
        }
        assert!(page("scan_session.html", Language::En).contains("data-camera-keep=\"yes\""));
    }

    #[test]
    fn a_form_with_a_mistake_says_so_in_the_title_the_summary_and_at_the_field() {
        let html = page("login.html", Language::Nl);
        assert!(html.contains("<title>Fout: Inloggen · devicepool</title>"), "{html}");
        assert!(html.contains("class=\"error-summary\"") && html.contains("href=\"#password\""), "{html}");
        assert!(
            html.contains("aria-invalid=\"true\"") && html.contains("aria-describedby=\"password-error\""),
            "{html}"
        );
        assert!(html.contains("value=\"ayla@example.org\""), "what was typed stays: {html}");
        assert!(html.contains("novalidate"), "the browser does not check the form itself");
    }

    #[test]
    fn every_role_is_told_what_comes_next_in_both_languages() {
        use crate::domain::Role;
        for role in [Role::Admin, Role::Staff, Role::School, Role::Donor, Role::Student] {
            for lang in [Language::Nl, Language::En] {
                let key = crate::web::start::next_key(role);
                let text = i18n::say_key(key, [], lang);
                assert_ne!(text, key, "{role:?} {lang:?}");
            }
        }
    }

    #[test]
    fn dates_are_written_the_readers_way() {
        let html = page("my_kit.html", Language::Nl);
        assert!(html.contains("30-06-2027") && !html.contains("2027-06-30"), "{html}");
        let html = page("my_kit.html", Language::En);
        assert!(html.contains("30 June 2027"), "{html}");
        assert!(html.contains("ma-vr 10:00-17:00"), "the hub's opening hours");
    }

    #[test]
    fn a_hidden_impact_figure_reads_fewer_than_five_and_says_why() {
        let html = page("impact.html", Language::En);
        assert!(html.contains("fewer than 5<a href=\"#why-hidden\""), "{html}");
        assert!(html.contains("id=\"why-hidden\""), "{html}");
        assert!(html.contains("<svg class=\"chart\" role=\"img\""), "the chart is drawn: {html}");
        let html = page("impact.html", Language::Nl);
        assert!(html.contains("minder dan 5"), "{html}");
    }

    #[test]
    fn the_environmental_figures_show_a_range_their_sources_and_what_they_are_not() {
        let html = page("impact.html", Language::En);
        assert!(html.contains("<td>1498–1820</td>"), "{html}");
        assert!(html.contains("21.6 kg of it is an estimate"), "{html}");
        assert!(html.contains("factor set 2026-12"), "{html}");
        assert!(html.contains("<li>The Restart Project: one reuse displaces"), "{html}");
        assert!(html.contains("not a cut in your own company"), "{html}");
        let html = page("impact.html", Language::Nl);
        assert!(html.contains("geen daling van de uitstoot van je eigen bedrijf"), "{html}");
    }

    #[test]
    fn the_licence_key_is_never_put_back_in_the_form() {
        let html = page("licence_form.html", Language::En);
        assert!(html.contains("type=\"password\" id=\"key\" name=\"key\" value=\"\""), "{html}");
    }

    #[test]
    fn values_are_escaped() {
        let mut context = base(Language::En);
        context["email"] = json!("\"><script>alert(1)</script>");
        let html = render("login.html", Language::En, &Value::from_serialize(&context)).expect("renders");
        assert!(!html.contains("<script>"), "{html}");
    }
}
