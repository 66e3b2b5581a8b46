//! Requests for kit, and what a student is told about them in plain words.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::student::Language;
use super::FieldError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RequestKind {
    Laptop,
    /// A wi-fi dongle with a data plan.
    Connectivity,
    /// A seat of a software licence (`product` says which).
    Licence,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RequestState {
    /// Waiting in the queue.
    Pending,
    /// Kit is set aside for the student.
    Allocated,
    /// The student has the kit.
    Fulfilled,
    Cancelled,
    /// The programme ended before kit could be found.
    Expired,
}

impl RequestKind {
    pub const ALL: [RequestKind; 3] = [RequestKind::Laptop, RequestKind::Connectivity, RequestKind::Licence];

    pub fn as_str(self) -> &'static str {
        match self {
            RequestKind::Laptop => "laptop",
            RequestKind::Connectivity => "connectivity",
            RequestKind::Licence => "licence",
        }
    }

    pub fn parse(s: &str) -> Option<RequestKind> {
        RequestKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

impl RequestState {
    pub const ALL: [RequestState; 5] = [
        RequestState::Pending,
        RequestState::Allocated,
        RequestState::Fulfilled,
        RequestState::Cancelled,
        RequestState::Expired,
    ];
    /// States in which a request still holds its place: one per student and kind.
    pub const OPEN: [RequestState; 2] = [RequestState::Pending, RequestState::Allocated];

    pub fn as_str(self) -> &'static str {
        match self {
            RequestState::Pending => "pending",
            RequestState::Allocated => "allocated",
            RequestState::Fulfilled => "fulfilled",
            RequestState::Cancelled => "cancelled",
            RequestState::Expired => "expired",
        }
    }

    pub fn parse(s: &str) -> Option<RequestState> {
        RequestState::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn is_open(self) -> bool {
        RequestState::OPEN.contains(&self)
    }
}

/// What the student lacks, as their school flagged it.
#[derive(Debug, Clone, Copy, Default)]
pub struct Lacks {
    pub laptop: bool,
    pub connectivity: bool,
    pub software: bool,
}

impl Lacks {
    /// How many prerequisites the student lacks (0 to 3); the priority formula uses it.
    pub fn count(self) -> u8 {
        u8::from(self.laptop) + u8::from(self.connectivity) + u8::from(self.software)
    }
}

/// A school may ask only for what the student is flagged as lacking, and a licence request
/// must name its product (and only a licence request may).
pub fn check_request(kind: RequestKind, product: Option<&str>, lacks: Lacks) -> Result<(), FieldError> {
    let (flagged, flag) = match kind {
        RequestKind::Laptop => (lacks.laptop, "lacks_laptop"),
        RequestKind::Connectivity => (lacks.connectivity, "lacks_connectivity"),
        RequestKind::Licence => (lacks.software, "lacks_software"),
    };
    if !flagged {
        return Err(FieldError::new("kind", crate::phrase!("field-not-flagged", flag = flag)));
    }
    match (kind, product) {
        (RequestKind::Licence, None) => {
            Err(FieldError::new("product", crate::phrase!("field-product-required")))
        }
        (RequestKind::Laptop | RequestKind::Connectivity, Some(_)) => {
            Err(FieldError::new("product", crate::phrase!("field-product-only-licence")))
        }
        _ => Ok(()),
    }
}

/// Whole days from `from` to `to` (zero if `to` is earlier).
pub fn days_between(from: NaiveDate, to: NaiveDate) -> i64 {
    (to - from).num_days().max(0)
}

fn software(product: Option<&str>) -> String {
    product.map_or_else(|| "software".to_owned(), super::licence::product_name)
}

pub fn thing(kind: RequestKind, product: Option<&str>, lang: Language) -> String {
    match (kind, lang) {
        (RequestKind::Laptop, Language::En) => "a laptop".into(),
        (RequestKind::Laptop, Language::Nl) => "een laptop".into(),
        (RequestKind::Connectivity, Language::En) => "internet (a wi-fi dongle)".into(),
        (RequestKind::Connectivity, Language::Nl) => "internet (een wifi-dongle)".into(),
        (RequestKind::Licence, Language::En) => format!("a {} licence", software(product)),
        (RequestKind::Licence, Language::Nl) => format!("een licentie voor {}", software(product)),
    }
}

/// One or two short sentences that tell a student where their request stands.
pub fn status_text(
    kind: RequestKind,
    product: Option<&str>,
    state: RequestState,
    queue_position: Option<i64>,
    lang: Language,
) -> String {
    let what = thing(kind, product, lang);
    match (state, lang) {
        (RequestState::Pending, Language::En) => match queue_position {
            Some(1) => format!("You asked for {what}. You are next in line."),
            Some(n) => format!("You asked for {what}. You are number {n} in line."),
            None => format!("You asked for {what}. You are in line."),
        },
        (RequestState::Pending, Language::Nl) => match queue_position {
            Some(1) => format!("Je hebt {what} gevraagd. Jij bent de volgende."),
            Some(n) => format!("Je hebt {what} gevraagd. Je bent nummer {n} in de rij."),
            None => format!("Je hebt {what} gevraagd. Je staat in de rij."),
        },
        (RequestState::Allocated, Language::En) => {
            format!("Good news: {what} is set aside for you. We will tell you where to pick it up.")
        }
        (RequestState::Allocated, Language::Nl) => {
            format!("Goed nieuws: {what} ligt voor je klaar. We laten je weten waar je het ophaalt.")
        }
        (RequestState::Fulfilled, Language::En) => format!("You have {what} from us."),
        (RequestState::Fulfilled, Language::Nl) => format!("Je hebt {what} van ons."),
        (RequestState::Cancelled, Language::En) => format!("Your request for {what} was stopped."),
        (RequestState::Cancelled, Language::Nl) => format!("Je aanvraag voor {what} is gestopt."),
        (RequestState::Expired, Language::En) => {
            format!(
                "Your programme ended before we had {what} for you. Ask your school if you still need it."
            )
        }
        (RequestState::Expired, Language::Nl) => {
            format!("Je opleiding was klaar voordat we {what} voor je hadden. Vraag je school als je het nog nodig hebt.")
        }
    }
}

/// What a loan's status text needs to know.
#[derive(Debug, Clone, Copy)]
pub struct LoanTextFacts<'a> {
    pub kind: RequestKind,
    pub product: Option<&'a str>,
    pub state: &'a str,
    pub accepted: bool,
    pub due_on: NaiveDate,
    pub pick_up_by: Option<NaiveDate>,
    /// Where to pick it up and bring it back.
    pub hub: Option<&'a str>,
    /// `pending`, `approved` or `refused`, with the date asked for.
    pub extension: Option<(&'a str, NaiveDate)>,
}

/// Where a loan stands, for its student: what to do next, where and by when.
pub fn loan_status_text(f: &LoanTextFacts, today: NaiveDate, lang: Language) -> String {
    let what = thing(f.kind, f.product, lang);
    let date = |d: NaiveDate| d.format("%d-%m-%Y").to_string();
    let due = date(f.due_on);
    let at = match (f.hub, lang) {
        (Some(h), Language::En) => format!(" at {h}"),
        (Some(h), Language::Nl) => format!(" bij {h}"),
        (None, _) => String::new(),
    };
    let to = match (f.hub, lang) {
        (Some(h), Language::En) => format!(" to {h}"),
        (Some(h), Language::Nl) => format!(" naar {h}"),
        (None, _) => String::new(),
    };
    let pick_up = match (f.pick_up_by, lang) {
        (Some(d), Language::En) => format!(" Pick it up by {}.", date(d)),
        (Some(d), Language::Nl) => format!(" Haal het uiterlijk {} op.", date(d)),
        (None, Language::En) => " Pick it up soon.".to_owned(),
        (None, Language::Nl) => " Haal het snel op.".to_owned(),
    };
    let main = match (f.state, f.accepted, lang) {
        ("reserved", false, Language::En) => {
            format!("{} is ready for you{at}. First accept the loan agreement.{pick_up}", capital(&what))
        }
        ("reserved", false, Language::Nl) => {
            format!("Er ligt {what} voor je klaar{at}. Accepteer eerst de leenovereenkomst.{pick_up}")
        }
        ("reserved", true, Language::En) => format!("{} is ready for you{at}.{pick_up}", capital(&what)),
        ("reserved", true, Language::Nl) => format!("Er ligt {what} voor je klaar{at}.{pick_up}"),
        ("active", _, Language::En) if f.due_on < today => {
            format!("You have {what}. It was due on {due}. Please bring it back{to}.")
        }
        ("active", _, Language::Nl) if f.due_on < today => {
            format!(
                "Je hebt {what}. Je moest het op {due} terugbrengen. Breng het zo snel mogelijk terug{to}."
            )
        }
        ("active", _, Language::En) => format!("You have {what}. Bring it back{to} by {due}."),
        ("active", _, Language::Nl) => format!("Je hebt {what}. Breng het uiterlijk {due} terug{to}."),
        ("lapsed", _, Language::En) => {
            format!("You did not pick up {what} in time. Your request is back in the queue.")
        }
        ("lapsed", _, Language::Nl) => {
            format!("Je hebt {what} niet op tijd opgehaald. Je aanvraag staat weer in de wachtrij.")
        }
        ("gifted", _, Language::En) => format!("{} is yours now. It is a gift: enjoy it!", capital(&what)),
        ("gifted", _, Language::Nl) => {
            format!("{} is nu van jou. Het is een cadeau: veel plezier ermee!", capital(&what))
        }
        (_, _, Language::En) => format!("This loan of {what} is closed."),
        (_, _, Language::Nl) => format!("Deze lening van {what} is afgesloten."),
    };
    let open = matches!(f.state, "reserved" | "active");
    let extension = match (f.extension, lang) {
        (Some(("pending", asked)), Language::En) if open => {
            format!(" You asked to keep it until {}. We will let you know.", date(asked))
        }
        (Some(("pending", asked)), Language::Nl) if open => {
            format!(" Je vroeg om het tot {} te houden. We laten het je weten.", date(asked))
        }
        (Some(("refused", _)), Language::En) if open => " Your request for more time was refused.".to_owned(),
        (Some(("refused", _)), Language::Nl) if open => {
            " Je vroeg om meer tijd. Dat kan helaas niet.".to_owned()
        }
        _ => String::new(),
    };
    main + &extension
}

/// The text with its first letter in upper case ("een laptop" → "Een laptop").
pub fn capital(s: &str) -> String {
    let mut chars = s.chars();
    chars.next().map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
}

/// Where a request stands for the school that made it: from the queue to the kit's return.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FollowStep {
    /// In the queue.
    Waiting,
    /// The matching proposed kit; staff have not confirmed it yet.
    Proposed,
    /// Set aside at the hub for the student to pick up.
    ReadyAtHub,
    /// The student has it.
    PickedUp,
    Returned,
    /// Lost, stolen or written off.
    Lost,
    Cancelled,
    /// The programme ended before kit was found.
    Expired,
}

impl FollowStep {
    /// The step of a request in `state`, whose loan (if kit was lent for it) is in `loan_state`.
    /// The loan knows more than the request once there is one.
    pub fn of(state: RequestState, loan_state: Option<&str>) -> FollowStep {
        match (loan_state, state) {
            (Some("reserved"), _) => FollowStep::ReadyAtHub,
            (Some("active"), _) => FollowStep::PickedUp,
            (Some("returned"), _) => FollowStep::Returned,
            (Some("lost" | "written_off"), _) => FollowStep::Lost,
            (_, RequestState::Pending) => FollowStep::Waiting,
            (_, RequestState::Allocated) => FollowStep::Proposed,
            (_, RequestState::Fulfilled) => FollowStep::PickedUp,
            (_, RequestState::Cancelled) => FollowStep::Cancelled,
            (_, RequestState::Expired) => FollowStep::Expired,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            FollowStep::Waiting => "waiting",
            FollowStep::Proposed => "proposed",
            FollowStep::ReadyAtHub => "ready_at_hub",
            FollowStep::PickedUp => "picked_up",
            FollowStep::Returned => "returned",
            FollowStep::Lost => "lost",
            FollowStep::Cancelled => "cancelled",
            FollowStep::Expired => "expired",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_flagged_needs_can_be_requested() {
        let lacks = Lacks { laptop: true, connectivity: false, software: true };
        assert!(check_request(RequestKind::Laptop, None, lacks).is_ok());
        assert_eq!(
            check_request(RequestKind::Connectivity, None, lacks).map_err(|e| e.field),
            Err("kind".into())
        );
        assert_eq!(
            check_request(RequestKind::Licence, None, lacks).map_err(|e| e.field),
            Err("product".into())
        );
        assert!(check_request(RequestKind::Licence, Some("figma"), lacks).is_ok());
        assert_eq!(
            check_request(RequestKind::Laptop, Some("figma"), lacks).map_err(|e| e.field),
            Err("product".into())
        );
        assert_eq!(lacks.count(), 2);
    }

    #[test]
    fn every_status_text_is_short_and_in_the_readers_language() {
        for kind in RequestKind::ALL {
            for state in RequestState::ALL {
                for (lang, word) in [(Language::En, "you"), (Language::Nl, "je")] {
                    let text = status_text(kind, Some("figma"), state, Some(3), lang);
                    assert!(text.to_lowercase().contains(word), "{text}");
                    for sentence in text.split(['.', ':']).filter(|s| !s.trim().is_empty()) {
                        assert!(sentence.split_whitespace().count() <= 16, "too long: {sentence}");
                    }
                }
            }
        }
        assert_eq!(
            status_text(RequestKind::Laptop, None, RequestState::Pending, Some(4), Language::Nl),
            "Je hebt een laptop gevraagd. Je bent nummer 4 in de rij."
        );
    }

    fn loan(state: &'static str, accepted: bool, due_on: NaiveDate) -> LoanTextFacts<'static> {
        LoanTextFacts {
            kind: RequestKind::Laptop,
            product: None,
            state,
            accepted,
            due_on,
            pick_up_by: Some(due_on),
            hub: Some("Hub Noord"),
            extension: None,
        }
    }

    #[test]
    fn loan_texts_say_what_to_do_next_where_and_by_when() {
        let d = |day| NaiveDate::from_ymd_opt(2027, 6, day).expect("date");
        assert_eq!(
            loan_status_text(&loan("active", true, d(30)), d(1), Language::Nl),
            "Je hebt een laptop. Breng het uiterlijk 30-06-2027 terug naar Hub Noord."
        );
        assert_eq!(
            loan_status_text(&loan("reserved", false, d(14)), d(1), Language::En),
            "A laptop is ready for you at Hub Noord. First accept the loan agreement. Pick it up by 14-06-2027."
        );
        assert!(loan_status_text(&loan("active", true, d(1)), d(2), Language::En).contains("was due"));
        assert!(loan_status_text(&loan("lapsed", true, d(1)), d(2), Language::Nl).contains("wachtrij"));
        let asked = LoanTextFacts { extension: Some(("pending", d(30))), ..loan("active", true, d(10)) };
        assert!(
            loan_status_text(&asked, d(1), Language::En).ends_with("until 30-06-2027. We will let you know.")
        );
    }

    #[test]
    fn every_loan_text_is_short_and_in_the_readers_language() {
        let d = |day| NaiveDate::from_ymd_opt(2027, 6, day).expect("date");
        for state in ["reserved", "active", "returned", "lost", "written_off", "lapsed"] {
            for accepted in [false, true] {
                for extension in [None, Some(("pending", d(30))), Some(("refused", d(30)))] {
                    for (lang, words) in [(Language::En, ["you", "this"]), (Language::Nl, ["je", "deze"])] {
                        for today in [d(1), d(20)] {
                            let f = LoanTextFacts { extension, ..loan(state, accepted, d(10)) };
                            let text = loan_status_text(&f, today, lang);
                            let lower = text.to_lowercase();
                            assert!(words.iter().any(|w| lower.contains(w)), "{text}");
                            for sentence in text.split(". ").filter(|s| !s.trim().is_empty()) {
                                assert!(sentence.split_whitespace().count() <= 16, "too long: {sentence}");
                            }
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn days_never_go_negative() {
        let d = |day| NaiveDate::from_ymd_opt(2026, 11, day).expect("date");
        assert_eq!(days_between(d(1), d(25)), 24);
        assert_eq!(days_between(d(25), d(1)), 0);
    }

    #[test]
    fn a_request_is_followed_from_the_queue_to_the_return() {
        use FollowStep as F;
        use RequestState as R;
        assert_eq!(F::of(R::Pending, None), F::Waiting);
        assert_eq!(F::of(R::Allocated, None), F::Proposed);
        assert_eq!(F::of(R::Allocated, Some("reserved")), F::ReadyAtHub);
        assert_eq!(F::of(R::Fulfilled, Some("active")), F::PickedUp);
        assert_eq!(F::of(R::Fulfilled, Some("returned")), F::Returned);
        assert_eq!(F::of(R::Fulfilled, Some("lost")), F::Lost);
        assert_eq!(F::of(R::Fulfilled, Some("written_off")), F::Lost);
        assert_eq!(F::of(R::Fulfilled, None), F::PickedUp);
        assert_eq!(F::of(R::Cancelled, None), F::Cancelled);
        assert_eq!(F::of(R::Expired, None), F::Expired);
        // A reservation that lapsed puts the request back in the queue: the queue wins then.
        assert_eq!(F::of(R::Pending, Some("lapsed")), F::Waiting);
    }
}
