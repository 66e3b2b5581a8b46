//! Students: who they are (as little as matching and reporting need) and what they lack.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{BoundedText, EmailAddress, FieldError};

/// The language a student reads their messages in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Language {
    Nl,
    En,
}

/// The programme a student follows; each track has minimum laptop requirements.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Track {
    Coder,
    DataAnalyst,
    GrowthHacker,
    UxDesigner,
    TechAdministrator,
    Other,
}

/// The programme's target groups, recorded only for anonymised reporting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TargetGroup {
    Corporate40Plus,
    UnderrepresentedAcademy,
    Unemployed,
    SmeOwner,
    Overqualified,
}

macro_rules! names {
    ($ty:ident { $($variant:ident => $name:literal),+ $(,)? }) => {
        impl $ty {
            pub const ALL: &'static [$ty] = &[$($ty::$variant),+];
            pub fn as_str(self) -> &'static str {
                match self { $($ty::$variant => $name),+ }
            }
            pub fn parse(s: &str) -> Option<$ty> {
                match s { $($name => Some($ty::$variant),)+ _ => None }
            }
        }
    };
}

names!(Language { Nl => "nl", En => "en" });

impl Language {
    /// The language an `Accept-Language` header asks for first among those we speak, if any.
    /// `nl-BE;q=0.8, en;q=0.5` → Dutch; `de, fr` → none; `q=0` means "not this one".
    pub fn from_accept_language(header: &str) -> Option<Language> {
        let mut best: Option<(f32, usize, Language)> = None;
        for (position, item) in header.split(',').enumerate() {
            let mut parts = item.split(';');
            let tag = parts.next().unwrap_or("").trim().to_ascii_lowercase();
            let quality = parts
                .filter_map(|p| p.trim().strip_prefix("q="))
                .find_map(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            let primary = tag.split('-').next().unwrap_or("");
            let lang = match primary {
                "nl" => Language::Nl,
                "en" => Language::En,
                _ => continue,
            };
            if !(quality > 0.0 && quality <= 1.0) {
                continue;
            }
            // Higher quality wins; on a tie the one listed first.
            let better = match best {
                None => true,
                Some((q, p, _)) => quality > q || (quality == q && position < p),
            };
            if better {
                best = Some((quality, position, lang));
            }
        }
        best.map(|(_, _, lang)| lang)
    }
}
names!(Track {
    Coder => "coder", DataAnalyst => "data_analyst", GrowthHacker => "growth_hacker",
    UxDesigner => "ux_designer", TechAdministrator => "tech_administrator", Other => "other",
});
names!(TargetGroup {
    Corporate40Plus => "corporate_40_plus", UnderrepresentedAcademy => "underrepresented_academy",
    Unemployed => "unemployed", SmeOwner => "sme_owner", Overqualified => "overqualified",
});

/// Student fields as given, typed but not yet checked.
#[derive(Debug, Clone, Default)]
pub struct StudentFields {
    pub name: Option<String>,
    pub email: Option<String>,
    pub preferred_language: Option<Language>,
    pub track: Option<Track>,
    pub programme_start: Option<NaiveDate>,
    pub programme_end: Option<NaiveDate>,
    pub lacks_laptop: Option<bool>,
    pub lacks_connectivity: Option<bool>,
    pub lacks_software: Option<bool>,
    pub target_group: Option<TargetGroup>,
}

/// A student record that passed every rule.
#[derive(Debug, Clone, PartialEq)]
pub struct StudentSpec {
    pub name: String,
    pub email: String,
    pub preferred_language: Language,
    pub track: Track,
    pub programme_start: NaiveDate,
    pub programme_end: NaiveDate,
    pub lacks_laptop: bool,
    pub lacks_connectivity: bool,
    pub lacks_software: bool,
    pub target_group: Option<TargetGroup>,
}

fn required<T>(field: &str, value: Option<T>, errors: &mut Vec<FieldError>) -> Option<T> {
    if value.is_none() {
        errors.push(FieldError::new(field, crate::phrase!("field-required")));
    }
    value
}

impl StudentSpec {
    pub fn parse(f: &StudentFields) -> Result<StudentSpec, Vec<FieldError>> {
        let mut errors = Vec::new();
        let name = required("name", f.name.as_deref(), &mut errors)
            .and_then(|n| BoundedText::parse("name", n, 200).map_err(|e| errors.push(e)).ok());
        let email = required("email", f.email.as_deref(), &mut errors)
            .and_then(|e| EmailAddress::parse("email", e).map_err(|e| errors.push(e)).ok());
        let language = required("preferred_language", f.preferred_language, &mut errors);
        let track = required("track", f.track, &mut errors);
        let start = required("programme_start", f.programme_start, &mut errors);
        let end = required("programme_end", f.programme_end, &mut errors);
        if let (Some(start), Some(end)) = (start, end) {
            if end < start {
                errors.push(FieldError::new("programme_end", crate::phrase!("field-end-before-start")));
            }
        }
        match (name, email, language, track, start, end) {
            (
                Some(name),
                Some(email),
                Some(preferred_language),
                Some(track),
                Some(programme_start),
                Some(programme_end),
            ) if errors.is_empty() => Ok(StudentSpec {
                name: name.into_inner(),
                email: email.into_inner(),
                preferred_language,
                track,
                programme_start,
                programme_end,
                lacks_laptop: f.lacks_laptop.unwrap_or(false),
                lacks_connectivity: f.lacks_connectivity.unwrap_or(false),
                lacks_software: f.lacks_software.unwrap_or(false),
                target_group: f.target_group,
            }),
            _ => Err(errors),
        }
    }
}

/// What an erased student is called from then on: stable, and says nothing about them.
pub fn pseudonym(student_id: &str) -> String {
    let tail: String = student_id.chars().filter(char::is_ascii_hexdigit).rev().take(8).collect();
    format!("Erased student {}", tail.chars().rev().collect::<String>().to_uppercase())
}

/// Whether a student's programme ended more than `retention_months` before `today`.
pub fn past_retention(programme_end: NaiveDate, retention_months: u32, today: NaiveDate) -> bool {
    programme_end.checked_add_months(chrono::Months::new(retention_months)).is_some_and(|until| until < today)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_picks_the_best_language_we_speak() {
        assert_eq!(Language::from_accept_language("nl"), Some(Language::Nl));
        assert_eq!(Language::from_accept_language("nl-BE, en;q=0.5"), Some(Language::Nl));
        assert_eq!(Language::from_accept_language("en-GB,en;q=0.9,nl;q=0.8"), Some(Language::En));
        assert_eq!(Language::from_accept_language("de, nl;q=0.3, en;q=0.7"), Some(Language::En));
        assert_eq!(Language::from_accept_language("EN, NL"), Some(Language::En));
        assert_eq!(Language::from_accept_language("de, fr"), None);
        assert_eq!(Language::from_accept_language("nl;q=0, en;q=0.1"), Some(Language::En));
        assert_eq!(Language::from_accept_language("*"), None);
        assert_eq!(Language::from_accept_language(""), None);
        assert_eq!(Language::from_accept_language("nl;q=abc"), Some(Language::Nl));
    }

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("date")
    }

    fn fields() -> StudentFields {
        StudentFields {
            name: Some(" Ayla Demir ".into()),
            email: Some("Ayla.Demir@Example.org".into()),
            preferred_language: Some(Language::Nl),
            track: Some(Track::DataAnalyst),
            programme_start: Some(date(2027, 2, 1)),
            programme_end: Some(date(2027, 7, 31)),
            lacks_laptop: Some(true),
            ..StudentFields::default()
        }
    }

    #[test]
    fn a_student_parses_with_tidy_name_and_email() {
        let s = StudentSpec::parse(&fields()).expect("valid");
        assert_eq!((s.name.as_str(), s.email.as_str()), ("Ayla Demir", "ayla.demir@example.org"));
        assert!(s.lacks_laptop && !s.lacks_connectivity && !s.lacks_software);
    }

    #[test]
    fn every_missing_or_bad_field_is_named() {
        let f = StudentFields {
            programme_end: Some(date(2026, 1, 1)),
            email: Some("nope".into()),
            name: None,
            ..fields()
        };
        let fields: Vec<String> =
            StudentSpec::parse(&f).expect_err("invalid").into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["name", "email", "programme_end"]);
        let empty: Vec<String> = StudentSpec::parse(&StudentFields::default())
            .expect_err("invalid")
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(
            empty,
            ["name", "email", "preferred_language", "track", "programme_start", "programme_end"]
        );
    }

    #[test]
    fn a_pseudonym_holds_nothing_of_the_person() {
        let p = pseudonym("01a21088-a595-72ed-8bb8-365595e11ee9");
        assert_eq!(p, "Erased student 95E11EE9");
    }

    #[test]
    fn retention_counts_whole_months_after_the_programme() {
        let end = date(2025, 1, 31);
        assert!(!past_retention(end, 24, date(2027, 1, 31)));
        assert!(past_retention(end, 24, date(2027, 2, 1)));
    }

    #[test]
    fn names_round_trip() {
        for t in Track::ALL {
            assert_eq!(Track::parse(t.as_str()), Some(*t));
        }
        for g in TargetGroup::ALL {
            assert_eq!(TargetGroup::parse(g.as_str()), Some(*g));
        }
    }
}
