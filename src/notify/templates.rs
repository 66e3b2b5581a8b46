//! Message templates: one per message and language (`templates/email/{name}.{nl,en}.txt`),
//! rendered with minijinja. The first line is `Subject: …`; the rest is the plain text, from
//! which a simple HTML part is made. Pure: no I/O.

use std::sync::OnceLock;

use minijinja::Environment;
use serde_json::{json, Value};

use crate::domain::student::Language;

macro_rules! templates {
    ($($name:literal),+ $(,)?) => {
        /// Every message the service sends, by name.
        pub const NAMES: &[&str] = &[$($name),+];
        const SOURCES: &[(&str, &str)] = &[
            $(
                (concat!($name, ".en"), include_str!(concat!("../../templates/email/", $name, ".en.txt"))),
                (concat!($name, ".nl"), include_str!(concat!("../../templates/email/", $name, ".nl.txt"))),
            )+
        ];
    };
}

templates!(
    "magic_link",
    "request_received",
    "kit_ready",
    "reservation_lapsing",
    "due_soon",
    "overdue",
    "returned",
    "extension_decided",
    "kit_expiring",
    "donation_in_service",
    "invitation",
    "impact_summary",
    "password_reset",
    "device_locked",
    "class_set_offered",
    "class_set_ready",
    "class_set_ending",
    "class_set_overdue",
    "class_set_missing",
    "gift_offered",
    "programme_ending",
    "in_use_round",
    "kit_recalled",
);

fn environment() -> &'static Environment<'static> {
    static ENV: OnceLock<Environment<'static>> = OnceLock::new();
    ENV.get_or_init(|| {
        let mut env = Environment::new();
        env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
        env.set_trim_blocks(true);
        for (name, source) in SOURCES {
            // The sources are compiled in and checked by the tests: a syntax error is a bug.
            if let Err(e) = env.add_template(name, source) {
                tracing::error!(template = name, error = %e, "message template does not parse");
            }
        }
        env
    })
}

/// A message ready to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// Renders template `name` in `lang` with `payload` (a JSON object) and the contact address.
pub fn render(name: &str, lang: Language, payload: &Value, contact: &str) -> Result<Rendered, String> {
    let mut values = payload.clone();
    let Some(map) = values.as_object_mut() else {
        return Err("the payload is not a JSON object".into());
    };
    map.insert("contact".into(), contact.into());
    let key = format!("{name}.{}", lang.as_str());
    let template = environment().get_template(&key).map_err(|e| format!("{key}: {e}"))?;
    let out = template.render(&values).map_err(|e| format!("{key}: {e}"))?;
    let (first, rest) = out.split_once('\n').ok_or_else(|| format!("{key}: no body"))?;
    let subject = first
        .strip_prefix("Subject: ")
        .ok_or_else(|| format!("{key}: the first line must be 'Subject: …'"))?
        .trim()
        .to_owned();
    let text = tidy(rest);
    let html = to_html(&text);
    Ok(Rendered { subject, text, html })
}

/// At most one blank line in a row, none at the ends, no trailing spaces.
fn tidy(text: &str) -> String {
    let mut out: Vec<&str> = Vec::new();
    for line in text.lines().map(str::trim_end) {
        if line.is_empty() && out.last().is_none_or(|l| l.is_empty()) {
            continue;
        }
        out.push(line);
    }
    while out.last().is_some_and(|l| l.is_empty()) {
        out.pop();
    }
    out.join("\n") + "\n"
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// Paragraphs at blank lines, line breaks kept, links clickable; nothing else.
fn to_html(text: &str) -> String {
    let paragraphs: Vec<String> = text
        .split("\n\n")
        .map(|p| {
            let lines: Vec<String> = p
                .lines()
                .map(|line| {
                    let l = line.trim();
                    if l.starts_with("https://") || l.starts_with("http://") {
                        format!("<a href=\"{0}\">{0}</a>", escape(l))
                    } else {
                        escape(line)
                    }
                })
                .collect();
            format!("<p>{}</p>", lines.join("<br>\n"))
        })
        .collect();
    format!(
        "<!DOCTYPE html>\n<html><body style=\"font-family: sans-serif; font-size: 16px; line-height: 1.5\">\n{}\n</body></html>\n",
        paragraphs.join("\n")
    )
}

/// A realistic payload for each template (tests and previews).
pub fn sample_payload(name: &str, lang: Language) -> Value {
    let (thing, short, thing_capital) = match lang {
        Language::En => ("a laptop", "laptop", "A laptop"),
        Language::Nl => ("een laptop", "laptop", "Een laptop"),
    };
    let base = json!({
        "name": "Ayla", "thing": thing, "short": short, "thing_capital": thing_capital,
        "hub": "Hub Zuidoost", "address": "Bijlmerplein 1, Amsterdam",
        "opening_hours": "ma-vr 10:00-17:00", "pick_up_by": "09-12-2026", "pick_up_code": "1B2C-3D4E",
        "due_on": "30-06-2027",
        "date": "25-11-2026",
    });
    let extra = match name {
        "magic_link" => {
            json!({"link": "https://devicepool.example/sign-in?token=abc", "code": "123456", "valid_minutes": 15})
        }
        "request_received" => json!({"position": 4}),
        "due_soon" => json!({"accessories": "charger, bag"}),
        "returned" => json!({"missing": "bag"}),
        "in_use_round" => json!({"link": "https://devicepool.example/in-use?token=abc"}),
        "kit_recalled" => json!({"seat": false, "accessories": "charger, bag"}),
        "programme_ending" => {
            json!({"programme_end": "30-06-2027", "gift_offered": false, "accessories": "charger, bag"})
        }
        "extension_decided" => json!({"approved": false, "answer": "We need it for a new student."}),
        "kit_expiring" => json!({
            "count": 2, "what": if lang == Language::Nl { "licenties" } else { "licences" },
            "ends_on": "31-12-2026", "items": ["Figma (5 seats)", "Power BI Pro (10 seats)"],
        }),
        "donation_in_service" => json!({"donated_on": "01-11-2026", "in_service": 3, "total": 12}),
        "impact_summary" => {
            json!({"month": "10-2026", "donated": 40, "in_service": 31, "students": 52, "min": 5,
                   "reused": 14, "recycled": 1, "gifted": 2, "co2e": "1498–1820", "factor_set": "2026-12"})
        }
        "invitation" => json!({
            "role": if lang == Language::Nl { "coördinator van een school" } else { "school coordinator" },
            "organisation": "Codeschool Zuidoost",
            "link": "https://devicepool.example/accept-invitation?token=abc", "valid_days": 7,
        }),
        "password_reset" => {
            json!({"link": "https://devicepool.example/reset-password?token=abc", "valid_minutes": 30})
        }
        "device_locked" => {
            json!({"model": "HP EliteBook 840 G8", "serial": "5CG1234XYZ", "asset_tag": "DPL-000042", "reason": "device_management"})
        }
        "class_set_offered" | "class_set_ready" | "class_set_ending" | "class_set_overdue"
        | "class_set_missing" => {
            json!({
                "course": "Coderen 1", "count": 16, "reserved": 12, "back": 14, "out": 2,
                "what": "laptops",
                "starts_on": "01-02-2027", "ends_on": "12-04-2027", "missing": ["DPL-000042", "DPL-000043"],
            })
        }
        _ => json!({}),
    };
    let mut v = base;
    if let (Some(map), Some(more)) = (v.as_object_mut(), extra.as_object()) {
        map.extend(more.clone());
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::readability::measure;

    const CONTACT: &str = "help@devicepool.example";

    #[test]
    fn a_donor_summary_says_fewer_than_the_minimum_for_hidden_counts() {
        let payload = json!({"month": "10-2026", "donated": 3, "in_service": 2, "students": null, "min": 5,
                             "reused": null, "recycled": 0, "gifted": 0, "co2e": null, "factor_set": "2026-12"});
        let en = render("impact_summary", Language::En, &payload, CONTACT).expect("renders");
        assert!(en.text.contains("Students who got your kit in 10-2026: fewer than 5\n"), "{}", en.text);
        let nl = render("impact_summary", Language::Nl, &payload, CONTACT).expect("renders");
        assert!(
            nl.text.contains("Studenten die in 10-2026 je spullen kregen: minder dan 5\n"),
            "{}",
            nl.text
        );
        assert!(nl.text.contains("elke lening één keer: minder dan 5\n"), "{}", nl.text);
        assert!(!nl.text.contains("CO2e vermeden"), "no estimate where the reuse is hidden: {}", nl.text);
        let shown = json!({"month": "10-2026", "donated": 30, "in_service": 20, "students": 12, "min": 5,
                           "reused": 14, "recycled": 1, "gifted": 2, "co2e": "1498–1820", "factor_set": "2026-12"});
        let en = render("impact_summary", Language::En, &shown, CONTACT).expect("renders");
        assert!(en.text.contains("Students who got your kit in 10-2026: 12\n"), "{}", en.text);
        assert!(en.text.contains("CO2e avoided, an estimate: 1498–1820 kg\n"), "{}", en.text);
        assert!(en.text.contains("to keep: 2\n"), "gifts are counted: {}", en.text);
        assert!(!nl.text.contains("Cadeau"), "no line for no gifts: {}", nl.text);
        assert!(
            en.text.contains("factor set 2026-12") && en.text.contains("not a cut in your own"),
            "{}",
            en.text
        );
    }

    #[test]
    fn every_template_renders_in_both_languages() {
        for name in NAMES {
            for lang in [Language::Nl, Language::En] {
                let r = render(name, lang, &sample_payload(name, lang), CONTACT).expect("renders");
                assert!(!r.subject.is_empty() && r.subject.len() <= 78, "{name} {lang:?}: {}", r.subject);
                let to_staff_or_donor = matches!(
                    *name,
                    "kit_expiring"
                        | "donation_in_service"
                        | "invitation"
                        | "impact_summary"
                        | "password_reset"
                        | "device_locked"
                ) || name.starts_with("class_set_");
                assert!(to_staff_or_donor || r.text.contains("Ayla"), "{name} {lang:?} greets the reader");
                assert!(r.html.contains("<p>"), "{name}");
                assert!(!r.text.contains("{{"), "{name}: nothing left unrendered");
            }
        }
    }

    /// Every message reads like a helpful person wrote it: short sentences, plain words.
    #[test]
    fn every_template_is_easy_to_read() {
        for name in NAMES {
            for lang in [Language::Nl, Language::En] {
                let r = render(name, lang, &sample_payload(name, lang), CONTACT).expect("renders");
                let m = measure(&r.text, lang);
                assert!(m.average_sentence() <= 20.0, "{name} {lang:?}: {m:?}\n{}", r.text);
                assert!(m.longest_sentence <= 30, "{name} {lang:?}: {m:?}");
                assert!(
                    m.reading_ease >= 60.0,
                    "{name} {lang:?}: reading ease {:.0}\n{}",
                    m.reading_ease,
                    r.text
                );
            }
        }
    }

    #[test]
    fn a_missing_value_is_an_error_not_a_blank() {
        let err =
            render("magic_link", Language::En, &json!({"name": "Ayla"}), CONTACT).expect_err("link missing");
        assert!(err.contains("magic_link.en"), "{err}");
        assert!(render("no_such", Language::En, &json!({}), CONTACT).is_err());
    }

    #[test]
    fn html_is_escaped_and_links_clickable() {
        let mut payload = sample_payload("magic_link", Language::En);
        payload["name"] = json!("<b>Ayla</b>");
        let r = render("magic_link", Language::En, &payload, CONTACT).expect("renders");
        assert!(r.html.contains("&lt;b&gt;Ayla&lt;/b&gt;"));
        assert!(r.html.contains("<a href=\"https://devicepool.example/sign-in?token=abc\">"));
    }
}
