//! A step at the staff's desk read from its small form: the action from the address, its
//! details from the fields (wipe: level, certificate, tool, verification; grade; hub; reason;
//! lock reason; recycler's reference), every mistake at once, into the same
//! `TransitionRequest` the API takes.

use super::form::PageForm;
use super::student_form::parse_day;
use crate::domain::device::{DeviceAction, Grade, LockReason, Verification, WipeMethod};
use crate::domain::FieldError;
use crate::phrase;
use crate::workflows::devices::TransitionRequest;

/// Accessories a returned device may have had replaced at inspection.
pub const ACCESSORIES: [&str; 3] = ["charger", "bag", "mouse"];

fn note(form: &PageForm) -> Option<String> {
    Some(form.get("note").trim().to_owned()).filter(|n| !n.is_empty())
}

/// A field that may be left empty.
fn optional(form: &PageForm, name: &str) -> Option<String> {
    Some(form.get(name).trim().to_owned()).filter(|v| !v.is_empty())
}

/// A field the step needs.
fn required(form: &PageForm, name: &str, errors: &mut Vec<FieldError>) -> String {
    let value = form.get(name).trim().to_owned();
    if value.is_empty() {
        errors.push(FieldError::new(name, phrase!("field-required")));
    }
    value
}

/// A wipe: the level and certificate, and the verification the pages always ask for.
fn wipe(form: &PageForm, errors: &mut Vec<FieldError>) -> Option<TransitionRequest> {
    let method = WipeMethod::parse(form.get("method"));
    if method.is_none() {
        errors.push(FieldError::new("method", phrase!("field-required")));
    }
    let certificate_ref = required(form, "certificate_ref", errors);
    let verification_result = Verification::parse(form.get("verification_result"));
    if verification_result.is_none() {
        errors.push(FieldError::new("verification_result", phrase!("field-choose-verification")));
    }
    Some(TransitionRequest::Wipe {
        method: method?,
        certificate_ref,
        tool: optional(form, "tool"),
        tool_version: optional(form, "tool_version"),
        technique: optional(form, "technique"),
        verification_method: optional(form, "verification_method"),
        verification_result,
        media_serial: optional(form, "media_serial"),
        note: note(form),
    })
}

fn hub(form: &PageForm, required: bool, errors: &mut Vec<FieldError>) -> Option<uuid::Uuid> {
    match form.get("hub_id").trim() {
        "" if required => {
            errors.push(FieldError::new("hub_id", phrase!("field-required")));
            None
        }
        "" => None,
        typed => uuid::Uuid::parse_str(typed)
            .map_err(|_| errors.push(FieldError::new("hub_id", phrase!("field-invalid"))))
            .ok(),
    }
}

/// A reason, which a repair or a retirement needs.
fn reason(form: &PageForm, errors: &mut Vec<FieldError>) -> Option<String> {
    let given = note(form);
    if given.is_none() {
        errors.push(FieldError::new("note", phrase!("field-required")));
    }
    given
}

/// `action`'s request from `form`; `None` for a step the desk does not take (a loan's own).
pub fn parse(action: DeviceAction, form: &PageForm) -> Option<Result<TransitionRequest, Vec<FieldError>>> {
    use DeviceAction as A;
    let mut errors = Vec::new();
    let request = match action {
        A::Receive => TransitionRequest::Receive { hub_id: hub(form, false, &mut errors), note: note(form) },
        A::Wipe => match wipe(form, &mut errors) {
            Some(request) => request,
            None => return Some(Err(errors)),
        },
        A::Grade => match Grade::parse(form.get("grade")) {
            Some(grade) => TransitionRequest::Grade { grade, note: note(form) },
            None => return Some(Err(vec![FieldError::new("grade", phrase!("field-required"))])),
        },
        A::Release => TransitionRequest::Release { note: note(form) },
        A::Reserve => TransitionRequest::Reserve { note: note(form) },
        A::Inspect => {
            let replaced: Vec<String> = ACCESSORIES
                .iter()
                .filter(|a| form.get(&format!("replaced_{a}")) == "yes")
                .map(|a| (*a).to_owned())
                .collect();
            TransitionRequest::Inspect {
                accessories_replaced: Some(replaced).filter(|r| !r.is_empty()),
                note: note(form),
            }
        }
        A::Repair => TransitionRequest::Repair { note: reason(form, &mut errors) },
        A::Retire => TransitionRequest::Retire { note: reason(form, &mut errors) },
        A::MarkLost => TransitionRequest::MarkLost { note: note(form) },
        A::Found => TransitionRequest::Found { note: note(form) },
        A::Move => match hub(form, true, &mut errors) {
            Some(hub_id) => TransitionRequest::Move { hub_id, note: note(form) },
            None => return Some(Err(errors)),
        },
        A::RenewPlan => match parse_day("plan_ends_on", form.get("plan_ends_on")) {
            Ok(plan_ends_on) => TransitionRequest::RenewPlan { plan_ends_on, note: note(form) },
            Err(e) => return Some(Err(vec![e])),
        },
        A::MarkLocked => match LockReason::parse(form.get("reason")) {
            Some(reason) => TransitionRequest::MarkLocked { reason, note: note(form) },
            None => return Some(Err(vec![FieldError::new("reason", phrase!("field-choose-lock-reason"))])),
        },
        A::Unlock => TransitionRequest::Unlock { note: note(form) },
        A::Destroy => TransitionRequest::Destroy {
            recycler_ref: required(form, "recycler_ref", &mut errors),
            note: note(form),
        },
        A::HandOver | A::Return | A::ReportLost | A::WriteOff | A::Gift => return None,
    };
    Some(if errors.is_empty() { Ok(request) } else { Err(errors) })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(pairs: &[(&str, &str)]) -> PageForm {
        PageForm(pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect())
    }

    fn fields(result: Option<Result<TransitionRequest, Vec<FieldError>>>) -> Vec<String> {
        result.expect("a desk step").expect_err("mistakes").into_iter().map(|e| e.field).collect()
    }

    #[test]
    fn a_wipe_needs_its_method_and_certificate() {
        let ok = parse(
            DeviceAction::Wipe,
            &form(&[
                ("method", "nist_purge"),
                ("certificate_ref", " BL-1 "),
                ("tool", "Blancco 7"),
                ("verification_result", "failed"),
                ("media_serial", " "),
            ]),
        );
        match ok {
            Some(Ok(TransitionRequest::Wipe {
                method,
                certificate_ref,
                tool,
                verification_result,
                media_serial,
                note,
                ..
            })) => {
                assert_eq!((method, certificate_ref.as_str()), (WipeMethod::NistPurge, "BL-1"));
                assert_eq!((tool.as_deref(), note), (Some("Blancco 7"), None));
                assert_eq!((verification_result, media_serial), (Some(Verification::Failed), None));
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(
            fields(parse(DeviceAction::Wipe, &form(&[]))),
            vec!["method", "certificate_ref", "verification_result"]
        );
    }

    #[test]
    fn a_lock_needs_its_reason_and_a_destruction_the_recyclers_reference() {
        assert_eq!(fields(parse(DeviceAction::MarkLocked, &form(&[("reason", "forgot")]))), vec!["reason"]);
        assert!(matches!(
            parse(DeviceAction::MarkLocked, &form(&[("reason", "activation_lock")])),
            Some(Ok(TransitionRequest::MarkLocked { reason: LockReason::ActivationLock, .. }))
        ));
        assert_eq!(
            fields(parse(DeviceAction::Destroy, &form(&[("recycler_ref", " ")]))),
            vec!["recycler_ref"]
        );
        assert!(matches!(
            parse(DeviceAction::Unlock, &form(&[])),
            Some(Ok(TransitionRequest::Unlock { .. }))
        ));
    }

    #[test]
    fn grade_hub_date_and_reason_are_asked_where_the_step_needs_them() {
        assert_eq!(fields(parse(DeviceAction::Grade, &form(&[("grade", "D")]))), vec!["grade"]);
        assert!(matches!(
            parse(DeviceAction::Grade, &form(&[("grade", "B")])),
            Some(Ok(TransitionRequest::Grade { grade: Grade::B, .. }))
        ));
        assert_eq!(fields(parse(DeviceAction::Move, &form(&[]))), vec!["hub_id"]);
        assert_eq!(fields(parse(DeviceAction::Receive, &form(&[("hub_id", "x")]))), vec!["hub_id"]);
        assert!(matches!(
            parse(DeviceAction::Receive, &form(&[])),
            Some(Ok(TransitionRequest::Receive { hub_id: None, note: None }))
        ));
        assert_eq!(
            fields(parse(DeviceAction::RenewPlan, &form(&[("plan_ends_on", "soon")]))),
            vec!["plan_ends_on"]
        );
        assert_eq!(fields(parse(DeviceAction::Retire, &form(&[("note", "  ")]))), vec!["note"]);
        assert_eq!(fields(parse(DeviceAction::Repair, &form(&[]))), vec!["note"]);
        assert!(matches!(
            parse(DeviceAction::Retire, &form(&[("note", "Screen cracked")])),
            Some(Ok(TransitionRequest::Retire { note: Some(_) }))
        ));
    }

    #[test]
    fn inspection_lists_what_was_replaced_and_loan_steps_are_not_the_desks() {
        match parse(DeviceAction::Inspect, &form(&[("replaced_charger", "yes"), ("replaced_bag", "")])) {
            Some(Ok(TransitionRequest::Inspect { accessories_replaced, .. })) => {
                assert_eq!(accessories_replaced, Some(vec!["charger".to_owned()]));
            }
            other => panic!("{other:?}"),
        }
        for action in
            [DeviceAction::HandOver, DeviceAction::Return, DeviceAction::ReportLost, DeviceAction::WriteOff]
        {
            assert!(parse(action, &form(&[])).is_none(), "{action:?}");
        }
    }
}
