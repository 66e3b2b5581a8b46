//! The language catalogue: every sentence the service says to a person, in Dutch and in
//! English, one Fluent file per language and subject under `locales/`. Phrases are compiled
//! into the binary; a test holds both languages to the same keys, the same placeholders and
//! the readability rules the mail already follows.

use std::borrow::Cow;
use std::collections::HashMap;

use fluent_bundle::FluentValue;
use fluent_templates::{langid, static_loader, LanguageIdentifier};

use crate::domain::phrase::{Arg, Phrase};
use crate::domain::student::Language;

static_loader! {
    static CATALOGUE = {
        locales: "./locales",
        fallback_language: "en",
        // Without this Fluent wraps each value in invisible Unicode marks, which end up in
        // copied text and in what screen readers read.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

static DUTCH: LanguageIdentifier = langid!("nl");
static ENGLISH: LanguageIdentifier = langid!("en");

fn identifier(lang: Language) -> &'static LanguageIdentifier {
    match lang {
        Language::Nl => &DUTCH,
        Language::En => &ENGLISH,
    }
}

/// `phrase` in `lang`. A key missing from the catalogue (a test forbids it) reads as the key.
pub fn say(phrase: &Phrase, lang: Language) -> String {
    say_key(phrase.id, phrase.args.iter().map(|(name, value)| (Cow::Borrowed(*name), value)), lang)
}

/// Several phrases said one after another, as one text.
pub fn say_all(phrases: &[Phrase], lang: Language) -> String {
    phrases.iter().map(|p| say(p, lang)).collect::<Vec<_>>().join(" ")
}

/// Phrases stored as JSON (a list of `Phrase`s as serde writes them) said in `lang`; `None`
/// when the value is not such a list (a row written before reasons were stored this way).
pub fn say_stored(stored: &serde_json::Value, lang: Language) -> Option<String> {
    let mut said = Vec::new();
    for phrase in stored.as_array()? {
        let id = phrase["id"].as_str()?;
        let mut args: Vec<(Cow<'static, str>, Arg)> = Vec::new();
        for pair in phrase["args"].as_array()? {
            let name = pair[0].as_str()?.to_owned();
            args.push((Cow::Owned(name), serde_json::from_value(pair[1].clone()).ok()?));
        }
        said.push(say_key(id, args.iter().map(|(n, v)| (n.clone(), v)), lang));
    }
    Some(said.join(" "))
}

/// The text of catalogue key `id` with `args`, in `lang`: for templates, whose keys are
/// strings (a test checks them against the catalogue too).
pub fn say_key<'a>(
    id: &str,
    args: impl IntoIterator<Item = (Cow<'static, str>, &'a Arg)>,
    lang: Language,
) -> String {
    let args: HashMap<Cow<'static, str>, FluentValue> = args
        .into_iter()
        .map(|(name, value)| {
            let value = match value {
                Arg::Text(s) => FluentValue::from(s.clone()),
                Arg::Number(n) => FluentValue::from(*n),
            };
            (name, value)
        })
        .collect();
    CATALOGUE.lookup_single_language(identifier(lang), id, Some(&args)).unwrap_or_else(|_| id.to_owned())
}

/// An accessory that goes with a loan (`charger`, `bag`, `mouse`), named in `lang`; a code
/// the catalogue does not know is shown as it is.
pub fn accessory(code: &str, lang: Language) -> String {
    let key = format!("accessory-{code}");
    let said = say_key(&key, [], lang);
    if said == key {
        code.to_owned()
    } else {
        said.to_lowercase()
    }
}

/// Accessories as one phrase in `lang`: "oplader, tas en muis".
pub fn accessories(codes: &[String], lang: Language) -> String {
    let names: Vec<String> = codes.iter().map(|c| accessory(c, lang)).collect();
    match names.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => {
            let and = match lang {
                Language::Nl => "en",
                Language::En => "and",
            };
            format!("{} {and} {last}", rest.join(", "))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::readability::measure;
    use std::collections::{BTreeMap, BTreeSet};

    const LANGUAGES: [Language; 2] = [Language::Nl, Language::En];

    /// Each catalogue file, per language: its message ids and the placeholders each one uses.
    fn catalogue(lang: Language) -> BTreeMap<String, BTreeSet<String>> {
        use fluent_syntax::ast;
        let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("locales").join(match lang {
            Language::Nl => "nl",
            Language::En => "en",
        });
        let mut out = BTreeMap::new();
        for entry in std::fs::read_dir(&folder).expect("locales folder") {
            let path = entry.expect("entry").path();
            let source = std::fs::read_to_string(&path).expect("readable");
            let resource = fluent_syntax::parser::parse(source.as_str())
                .unwrap_or_else(|(_, errors)| panic!("{}: {errors:?}", path.display()));
            for entry in resource.body {
                if let ast::Entry::Message(m) = entry {
                    let mut variables = BTreeSet::new();
                    if let Some(value) = &m.value {
                        pattern_variables(value, &mut variables);
                    }
                    assert!(
                        out.insert(m.id.name.to_owned(), variables).is_none(),
                        "{} is defined twice in {lang:?}",
                        m.id.name
                    );
                }
            }
        }
        out
    }

    fn pattern_variables(pattern: &fluent_syntax::ast::Pattern<&str>, out: &mut BTreeSet<String>) {
        use fluent_syntax::ast::{Expression, InlineExpression, PatternElement};
        fn inline(e: &InlineExpression<&str>, out: &mut BTreeSet<String>) {
            if let InlineExpression::VariableReference { id } = e {
                out.insert(id.name.to_owned());
            }
        }
        for element in &pattern.elements {
            if let PatternElement::Placeable { expression } = element {
                match expression {
                    Expression::Inline(e) => inline(e, out),
                    Expression::Select { selector, variants } => {
                        inline(selector, out);
                        for v in variants {
                            pattern_variables(&v.value, out);
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn both_languages_have_the_same_keys_and_placeholders() {
        let (nl, en) = (catalogue(Language::Nl), catalogue(Language::En));
        let only_nl: Vec<_> = nl.keys().filter(|k| !en.contains_key(*k)).collect();
        let only_en: Vec<_> = en.keys().filter(|k| !nl.contains_key(*k)).collect();
        assert!(only_nl.is_empty() && only_en.is_empty(), "only in nl: {only_nl:?}; only in en: {only_en:?}");
        for (id, vars) in &nl {
            assert_eq!(Some(vars), en.get(id), "{id}: the languages use different placeholders");
        }
        assert!(nl.len() > 100, "the catalogue is loaded: {} keys", nl.len());
    }

    /// Every phrase the code names with `phrase!` is a key that both languages have.
    #[test]
    fn every_phrase_in_the_code_is_in_the_catalogue() {
        let catalogues = LANGUAGES.map(|lang| (lang, catalogue(lang)));
        let mut missing = Vec::new();
        let mut seen = 0;
        let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut folders = vec![src];
        while let Some(folder) = folders.pop() {
            for entry in std::fs::read_dir(&folder).expect("src") {
                let path = entry.expect("entry").path();
                if path.is_dir() {
                    folders.push(path);
                    continue;
                }
                let code = std::fs::read_to_string(&path).expect("readable");
                for piece in code.split("phrase!(\"").skip(1) {
                    let id = piece.split('"').next().unwrap_or("");
                    seen += 1;
                    for (lang, keys) in &catalogues {
                        if !keys.contains_key(id) {
                            missing.push(format!("{id} ({lang:?}) in {}", path.display()));
                        }
                    }
                }
            }
        }
        // The pages name their words with `t("…")`.
        let pages = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/web");
        for entry in std::fs::read_dir(&pages).expect("templates/web") {
            let path = entry.expect("entry").path();
            let html = std::fs::read_to_string(&path).expect("readable");
            for quote in ['"', '\''] {
                let call = format!("t({quote}");
                // `t(` itself, not the end of another name such as `select(`.
                let calls = html.match_indices(&call).filter(|(at, _)| {
                    !html[..*at].ends_with(|c: char| c.is_alphanumeric() || c == '_' || c == '.')
                });
                for (at, _) in calls {
                    let id = html[at + call.len()..].split(quote).next().unwrap_or("");
                    seen += 1;
                    for (lang, keys) in &catalogues {
                        if !keys.contains_key(id) {
                            missing.push(format!("{id} ({lang:?}) in {}", path.display()));
                        }
                    }
                }
            }
        }
        assert!(seen > 100, "the scan found the phrases: {seen}");
        assert!(missing.is_empty(), "not in the catalogue: {missing:#?}");
    }

    /// A phrase as a reader sees it: placeholders filled with typical values.
    fn sample(id: &str, vars: &BTreeSet<String>, lang: Language) -> String {
        let mut phrase = Phrase { id: Box::leak(id.to_owned().into_boxed_str()), args: Vec::new() };
        for var in vars {
            let name: &'static str = Box::leak(var.clone().into_boxed_str());
            let value = match var.as_str() {
                "field" => Arg::from("name"),
                "options" => Arg::from("laptop, wifi_dongle"),
                "expected" => Arg::from("number"),
                "state" | "action" => Arg::from("reserved"),
                "allowed" => Arg::from("accept, cancel"),
                _ => Arg::Number(5),
            };
            phrase = phrase.with(name, value);
        }
        say(&phrase, lang)
    }

    /// Short sentences in plain words: each sentence at most 20 words, and the catalogue as a
    /// whole as easy to read as the mail (reading ease 60 or more).
    #[test]
    fn every_phrase_is_easy_to_read() {
        for lang in LANGUAGES {
            let mut all = String::new();
            for (id, vars) in catalogue(lang) {
                let text = sample(&id, &vars, lang);
                assert!(!text.trim().is_empty(), "{id} {lang:?} is empty");
                assert!(!text.contains("Unknown localization key"), "{id} {lang:?}: {text}");
                let m = measure(&text, lang);
                assert!(m.longest_sentence <= 20, "{id} {lang:?}: {m:?}\n{text}");
                all.push_str(&text);
                all.push('\n');
            }
            let m = measure(&all, lang);
            assert!(m.reading_ease >= 60.0, "{lang:?}: reading ease {:.0}", m.reading_ease);
            assert!(m.average_sentence() <= 12.0, "{lang:?}: {m:?}");
        }
    }

    /// What a person reads about their own input holds no programmer's words.
    #[test]
    fn field_messages_hold_no_jargon() {
        const JARGON: [&str; 9] =
            ["variant", "serde", "null", "enum", "struct", "u32", "i64", "deserial", "expected `"];
        for lang in LANGUAGES {
            for (id, vars) in catalogue(lang) {
                if !id.starts_with("field-") {
                    continue;
                }
                let text = sample(&id, &vars, lang).to_lowercase();
                for word in JARGON {
                    assert!(!text.contains(word), "{id} {lang:?} says {word:?}: {text}");
                }
            }
        }
    }

    #[test]
    fn placeholders_are_filled_in() {
        let p = Phrase::new("field-at-most-chars").with("max", 200);
        assert_eq!(say(&p, Language::En), "Use at most 200 characters.");
        assert_eq!(say(&p, Language::Nl), "Gebruik hoogstens 200 tekens.");
    }

    #[test]
    fn accessories_are_named_in_the_readers_language() {
        let all: Vec<String> = ["charger", "bag", "mouse"].map(String::from).to_vec();
        assert_eq!(accessories(&all, Language::Nl), "oplader, tas en muis");
        assert_eq!(accessories(&all, Language::En), "charger, bag and mouse");
        assert_eq!(accessories(&all[..1], Language::Nl), "oplader");
        assert_eq!(accessories(&[], Language::Nl), "");
        assert_eq!(accessory("stylus", Language::Nl), "stylus", "an unknown code is shown as it is");
    }
}
