//! What the service tells people, queued in the outbox in the transaction of the event that
//! causes it: a request received, kit ready to pick up, kit back, an extension decided; and
//! the reminders the housekeeping run queues once per loan and milestone.

use chrono::NaiveDate;
use serde_json::{json, Value};

use crate::configuration::ReminderSettings;
use crate::domain::request::{thing, RequestKind};
use crate::domain::student::Language;
use crate::error::ApiError;
use crate::store::{self, hubs, loans, outbox, students, DbConnection};
use crate::workflows::devices::parse_list;

fn day(d: NaiveDate) -> String {
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

fn capital(s: &str) -> String {
    let mut c = s.chars();
    c.next().map_or_else(String::new, |f| f.to_uppercase().chain(c).collect())
}

/// Queues `template` about `loan` to its student, with where, by when and what comes with it.
pub fn about_loan(
    conn: &mut DbConnection,
    loan: &loans::Loan,
    template: &str,
    extra: Value,
    dedupe_key: Option<&str>,
) -> Result<bool, ApiError> {
    let kind = RequestKind::parse(&loan.kind).ok_or_else(|| ApiError::internal("unknown loan kind"))?;
    let hub = loan.hub_id.as_deref().map(|h| hubs::find(conn, h)).transpose()?;
    let mut values = json!({
        "hub": hub.as_ref().map(|h| h.name.clone()),
        "address": hub.as_ref().map(|h| h.address.clone()),
        "opening_hours": hub.as_ref().and_then(|h| h.opening_hours.clone()),
        "due_on": day(loan.due_on),
        "pick_up_by": loan.pick_up_by.map(day),
        "accessories": parse_list(&loan.accessories)?.join(", "),
    });
    if let (Some(map), Some(more)) = (values.as_object_mut(), extra.as_object()) {
        map.extend(more.clone());
    }
    to_student(conn, &loan.student_id, template, kind, loan.product.as_deref(), values, dedupe_key)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_loan_gets_the_latest_milestone_it_reached() {
        let r = ReminderSettings { due_soon_days: 7, pick_up_days: 2 };
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
