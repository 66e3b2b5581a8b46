//! What the service tells people, queued in the outbox in the transaction of the event that
//! causes it: a request received, kit ready to pick up, kit back, an extension decided; and
//! the reminders the housekeeping run queues once per loan and milestone.

use chrono::NaiveDate;
use serde_json::{json, Value};

use std::collections::BTreeMap;

use crate::configuration::{ReminderSettings, Settings};
use crate::domain::request::{capital, thing, RequestKind};
use crate::domain::student::Language;
use crate::error::ApiError;
use crate::store::json_list;
use crate::store::{
    self, class_sets, devices, donations, hubs, licences, loans, outbox, students, users, DbConnection,
};

/// A date as readers in the Netherlands write it: 30-06-2027.
pub fn day(d: NaiveDate) -> String {
    d.format("%d-%m-%Y").to_string()
}

/// The short name of a kind, for subjects: "your laptop".
fn short(kind: RequestKind, lang: Language) -> &'static str {
    match (kind, lang) {
        (RequestKind::Laptop, _) => "laptop",
        (RequestKind::Connectivity, Language::En) => "wi-fi dongle",
        (RequestKind::Connectivity, Language::Nl) => "wifi-dongle",
        (RequestKind::Licence, Language::En) => "licence",
        (RequestKind::Licence, Language::Nl) => "licentie",
    }
}

/// Queues `template` to a student (if they have an address), with their name and the words
/// for the kit in their language; once per `dedupe_key` if one is given. True if queued.
pub fn to_student(
    conn: &mut DbConnection,
    student_id: &str,
    template: &str,
    kind: RequestKind,
    product: Option<&str>,
    extra: Value,
    dedupe_key: Option<&str>,
) -> Result<bool, ApiError> {
    queue_to_student(conn, student_id, (template, kind, product), extra, dedupe_key, None)
}

/// [`to_student`] with values sealed in the message (a one-time link), once per `dedupe_key`.
fn queue_to_student(
    conn: &mut DbConnection,
    student_id: &str,
    (template, kind, product): (&str, RequestKind, Option<&str>),
    extra: Value,
    dedupe_key: Option<&str>,
    secret: Option<outbox::MessageSecret>,
) -> Result<bool, ApiError> {
    let student = students::find(conn, student_id)?;
    let (Some(email), None) = (student.email.as_deref(), student.erased_at) else {
        return Ok(false);
    };
    let lang = Language::parse(&student.preferred_language).unwrap_or(Language::En);
    let what = thing(kind, product, lang);
    let mut payload = json!({
        "name": student.name.split_whitespace().next().unwrap_or(&student.name),
        "thing": what,
        "thing_capital": capital(&what),
        "short": short(kind, lang),
    });
    if let (Some(map), Some(more)) = (payload.as_object_mut(), extra.as_object()) {
        map.extend(more.clone());
    }
    let m = outbox::NewMessage {
        recipient: email,
        language: lang.as_str(),
        template,
        payload,
        student_id: Some(student_id),
        secret,
    };
    let now = store::now();
    Ok(match dedupe_key {
        Some(key) => outbox::enqueue_once(conn, &m, key, now)?,
        None => {
            outbox::enqueue(conn, &m, now)?;
            true
        }
    })
}

/// Queues `template` about `loan` to its student, with where, by when and what comes with it.
pub fn about_loan(
    conn: &mut DbConnection,
    loan: &loans::Loan,
    template: &str,
    extra: Value,
    dedupe_key: Option<&str>,
) -> Result<bool, ApiError> {
    about_loan_sealed(conn, loan, template, extra, dedupe_key, None)
}

/// [`about_loan`] with values sealed in the message, such as a one-time link.
pub fn about_loan_sealed(
    conn: &mut DbConnection,
    loan: &loans::Loan,
    template: &str,
    extra: Value,
    dedupe_key: Option<&str>,
    secret: Option<outbox::MessageSecret>,
) -> Result<bool, ApiError> {
    let kind = RequestKind::parse(&loan.kind).ok_or_else(|| ApiError::internal("unknown loan kind"))?;
    let hub = loan.hub_id.as_deref().map(|h| hubs::find(conn, h)).transpose()?;
    let lang =
        Language::parse(&students::find(conn, &loan.student_id)?.preferred_language).unwrap_or(Language::En);
    let mut values = json!({
        "hub": hub.as_ref().map(|h| h.name.clone()),
        "address": hub.as_ref().map(|h| h.address.clone()),
        "opening_hours": hub.as_ref().and_then(|h| h.opening_hours.clone()),
        "due_on": day(loan.due_on),
        "pick_up_by": loan.pick_up_by.map(day),
        "pick_up_code": crate::domain::loan::pick_up_code(&loan.id),
        "accessories": crate::i18n::accessories(&json_list::parse(&loan.accessories)?, lang),
    });
    if let (Some(map), Some(more)) = (values.as_object_mut(), extra.as_object()) {
        map.extend(more.clone());
    }
    let what = (template, kind, loan.product.as_deref());
    queue_to_student(conn, &loan.student_id, what, values, dedupe_key, secret)
}

/// A reminder milestone of a loan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Milestone {
    PickUp,
    DueSoon,
    Overdue1,
    Overdue7,
}

impl Milestone {
    fn key(self) -> &'static str {
        match self {
            Milestone::PickUp => "pick_up",
            Milestone::DueSoon => "due_soon",
            Milestone::Overdue1 => "overdue_1",
            Milestone::Overdue7 => "overdue_7",
        }
    }

    fn template(self) -> &'static str {
        match self {
            Milestone::PickUp => "reservation_lapsing",
            Milestone::DueSoon => "due_soon",
            Milestone::Overdue1 | Milestone::Overdue7 => "overdue",
        }
    }
}

/// The reminder a loan is due for today, if any: only the latest milestone reached, so a
/// first run after a long pause sends one message, not a backlog.
pub fn milestone(
    state: &str,
    due_on: NaiveDate,
    pick_up_by: Option<NaiveDate>,
    today: NaiveDate,
    r: &ReminderSettings,
) -> Option<Milestone> {
    match state {
        "reserved" => pick_up_by
            .filter(|by| today <= *by && *by - chrono::Duration::days(r.pick_up_days) <= today)
            .map(|_| Milestone::PickUp),
        "active" if today >= due_on + chrono::Duration::days(7) => Some(Milestone::Overdue7),
        "active" if today >= due_on + chrono::Duration::days(1) => Some(Milestone::Overdue1),
        "active" if due_on - chrono::Duration::days(r.due_soon_days) <= today => Some(Milestone::DueSoon),
        _ => None,
    }
}

/// Queues the reminders due today, each at most once per loan and milestone (a unique key in
/// the outbox), whatever the number of runs or instances. Returns how many were queued.
pub fn queue_reminders(
    conn: &mut DbConnection,
    r: &ReminderSettings,
    today: NaiveDate,
) -> Result<usize, ApiError> {
    let candidates = loans::reminder_candidates(
        conn,
        today + chrono::Duration::days(r.due_soon_days),
        today + chrono::Duration::days(r.pick_up_days),
    )?;
    let mut queued = 0;
    for loan in candidates {
        let Some(m) = milestone(&loan.state, loan.due_on, loan.pick_up_by, today, r) else {
            continue;
        };
        let key = format!("loan:{}:{}", loan.id, m.key());
        let done =
            store::write_tx(conn, |conn| about_loan(conn, &loan, m.template(), json!({}), Some(&key)))?;
        queued += usize::from(done);
    }
    Ok(queued)
}

/// Each student with kit whose programme ends within `programme_end.notice_days` is told what
/// happens next (bring it back by the due date, or say yes to a gift staff offered), once per
/// loan whatever the number of runs or instances. Returns how many were queued.
pub fn queue_programme_end(
    conn: &mut DbConnection,
    settings: &Settings,
    today: NaiveDate,
) -> Result<usize, ApiError> {
    let until = today + chrono::Duration::days(settings.programme_end.notice_days);
    let mut queued = 0;
    for loan in loans::programme_ending(conn, today, until)? {
        let key = format!("loan:{}:programme_end", loan.id);
        let ends = students::find(conn, &loan.student_id)?.programme_end;
        let news = json!({ "programme_end": day(ends), "gift_offered": loan.gift_offered_at.is_some() });
        queued += usize::from(store::write_tx(conn, |conn| {
            about_loan(conn, &loan, "programme_ending", news.clone(), Some(&key))
        })?);
    }
    Ok(queued)
}

/// Warns the pool's mailbox of licences and dongle data plans that end within
/// `reminders.expiry_warning_days`: one message per kind and end date, listing the items.
pub fn queue_expiry_warnings(
    conn: &mut DbConnection,
    settings: &Settings,
    today: NaiveDate,
) -> Result<usize, ApiError> {
    let until = today + chrono::Duration::days(settings.reminders.expiry_warning_days);
    let lang = settings.email.default_language;
    let mut groups: BTreeMap<(&str, NaiveDate), Vec<String>> = BTreeMap::new();
    for (product, seats, ends) in licences::expiring(conn, today, until)? {
        groups.entry(("licences", ends)).or_default().push(match lang {
            Language::En => format!("{product} ({seats} seats)"),
            Language::Nl => format!("{product} ({seats} plaatsen)"),
        });
    }
    for (tag, carrier, ends) in devices::plans_ending(conn, today, until)? {
        groups.entry(("dongles", ends)).or_default().push(format!("{tag} ({})", carrier.unwrap_or_default()));
    }
    let mut queued = 0;
    for ((kind, ends), items) in groups {
        let one = items.len() == 1;
        let what = match (kind, lang, one) {
            ("licences", Language::En, true) => "licence",
            ("licences", Language::En, false) => "licences",
            ("licences", Language::Nl, true) => "licentie",
            ("licences", Language::Nl, false) => "licenties",
            (_, Language::En, true) => "dongle data plan",
            (_, Language::En, false) => "dongle data plans",
            (_, Language::Nl, true) => "databundel van een dongle",
            (_, Language::Nl, false) => "databundels van dongles",
        };
        let m = outbox::NewMessage {
            recipient: &settings.email.pool_address,
            language: lang.as_str(),
            template: "kit_expiring",
            payload: json!({ "count": items.len(), "what": what, "ends_on": day(ends), "items": items }),
            student_id: None,
            secret: None,
        };
        let key = format!("expiring:{kind}:{ends}");
        queued += usize::from(store::write_tx(conn, |conn| {
            Ok::<_, ApiError>(outbox::enqueue_once(conn, &m, &key, store::now())?)
        })?);
    }
    Ok(queued)
}

/// The first time kit from a donation reaches a student, its donor hears of it (once per
/// donor account and donation). Never who has it.
pub fn donation_in_service(
    conn: &mut DbConnection,
    settings: &Settings,
    device_id: &str,
) -> Result<(), ApiError> {
    let device = devices::find(conn, device_id)?;
    let donation = donations::find(conn, &device.donation_id)?;
    let (in_service, total) = devices::in_service_of_donation(conn, &donation.id)?;
    let lang = settings.email.default_language;
    for account in users::active_of_organisation(conn, &donation.donor_id)? {
        let m = outbox::NewMessage {
            recipient: &account.email,
            language: lang.as_str(),
            template: "donation_in_service",
            payload: json!({ "donated_on": day(donation.created_at.date()), "in_service": in_service, "total": total }),
            student_id: None,
            secret: None,
        };
        outbox::enqueue_once(
            conn,
            &m,
            &format!("donation:{}:in_service:{}", donation.id, account.id),
            store::now(),
        )?;
    }
    Ok(())
}

/// A device was found locked at intake: each contact of its donor is asked, in their own
/// language, to free it (once per device and lock, so marking it twice does not mail twice).
pub fn device_locked(
    conn: &mut DbConnection,
    device: &devices::Device,
    reason: crate::domain::device::LockReason,
) -> Result<(), ApiError> {
    let locked_at = store::now();
    for account in users::active_of_organisation(conn, &device.donor_id)? {
        let lang = account.preferred_language.as_deref().and_then(Language::parse).unwrap_or(Language::Nl);
        let m = outbox::NewMessage {
            recipient: &account.email,
            language: lang.as_str(),
            template: "device_locked",
            payload: json!({
                "model": device.model, "serial": device.serial_number, "asset_tag": device.asset_tag,
                "reason": reason.as_str(),
            }),
            student_id: None,
            secret: None,
        };
        let key = format!("locked:{}:{}:{}", device.id, account.id, locked_at.and_utc().timestamp());
        outbox::enqueue_once(conn, &m, &key, locked_at)?;
    }
    Ok(())
}

/// Queues `template` about a class set to the coordinator who asked for it (or, if that
/// account is disabled, to the school's other accounts), in their language, with the course,
/// the hub and the days; once per `dedupe_key` if one is given.
pub fn about_class_set(
    conn: &mut DbConnection,
    set: &class_sets::ClassSet,
    template: &str,
    extra: Value,
    dedupe_key: Option<&str>,
) -> Result<usize, ApiError> {
    let asker = users::find(conn, &set.created_by)?;
    let readers = match asker.disabled_at {
        None => vec![asker],
        Some(_) => users::active_of_organisation(conn, &set.school_id)?,
    };
    let hub = hubs::find(conn, &set.hub_id)?;
    let now = store::now();
    let mut queued = 0;
    for account in readers {
        let lang = account.preferred_language.as_deref().and_then(Language::parse).unwrap_or(Language::Nl);
        let what = match (set.kind.as_str(), lang) {
            ("laptop", _) => "laptops",
            (_, Language::Nl) => "wifi-dongles",
            (_, Language::En) => "wi-fi dongles",
        };
        let mut payload = json!({
            "course": set.course, "count": set.count, "what": what,
            "starts_on": day(set.starts_on), "ends_on": day(set.ends_on),
            "hub": hub.name, "address": hub.address, "opening_hours": hub.opening_hours,
        });
        if let (Some(map), Some(more)) = (payload.as_object_mut(), extra.as_object()) {
            map.extend(more.clone());
        }
        let m = outbox::NewMessage {
            recipient: &account.email,
            language: lang.as_str(),
            template,
            payload,
            student_id: None,
            secret: None,
        };
        queued += usize::from(match dedupe_key {
            Some(key) => outbox::enqueue_once(conn, &m, &format!("{key}:{}", account.id), now)?,
            None => {
                outbox::enqueue(conn, &m, now)?;
                true
            }
        });
    }
    Ok(queued)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_loan_gets_the_latest_milestone_it_reached() {
        let r = ReminderSettings { due_soon_days: 7, pick_up_days: 2, expiry_warning_days: 30 };
        let d = |day| NaiveDate::from_ymd_opt(2027, 3, day).expect("date");
        let due = d(20);
        assert_eq!(milestone("active", due, None, d(12), &r), None);
        assert_eq!(milestone("active", due, None, d(13), &r), Some(Milestone::DueSoon));
        assert_eq!(milestone("active", due, None, d(20), &r), Some(Milestone::DueSoon), "due today");
        assert_eq!(milestone("active", due, None, d(21), &r), Some(Milestone::Overdue1));
        assert_eq!(milestone("active", due, None, d(27), &r), Some(Milestone::Overdue7));
        assert_eq!(milestone("returned", due, None, d(27), &r), None);
        assert_eq!(milestone("reserved", due, Some(d(10)), d(7), &r), None);
        assert_eq!(milestone("reserved", due, Some(d(10)), d(8), &r), Some(Milestone::PickUp));
        assert_eq!(milestone("reserved", due, Some(d(10)), d(11), &r), None, "lapsed, not reminded");
    }
}
