//! A spreadsheet sent from a page (`multipart/form-data`): the same checks against cross-site
//! requests as every page form, the file spooled to a temporary file (so a large one never
//! sits in memory) with the server's import limit, and the bad rows of an import turned into
//! sentences a coordinator or donor reads ("Row 4, email address: this is not …").

use std::collections::HashMap;
use std::future::Future;
use std::io::{Seek, SeekFrom, Write};
use std::pin::Pin;

use actix_multipart::Multipart;
use actix_web::{dev::Payload, web, FromRequest, HttpRequest};
use futures_util::StreamExt;
use subtle::ConstantTimeEq;

use super::form::same_site;
use super::page::{quick_language, PageError, PageFailure, SESSION_COOKIE};
use crate::domain::device_import::RowError;
use crate::domain::student::Language;
use crate::i18n;
use crate::state::AppState;

/// The most a text field of an upload form may hold.
const FIELD_BYTES: usize = 4 * 1024;

/// What an upload form sent.
pub struct UploadForm {
    pub fields: HashMap<String, String>,
    /// The file, rewound; `None` if none was chosen (or it was empty).
    pub file: Option<std::fs::File>,
    /// The file was larger than the server takes: nothing of it is kept.
    pub too_large: bool,
}

impl UploadForm {
    pub fn get(&self, name: &str) -> &str {
        self.fields.get(name).map_or("", String::as_str)
    }
}

async fn read(mut parts: Multipart, limit: usize, lang: Language) -> Result<UploadForm, PageError> {
    let bad = || PageError::new(lang, PageFailure::BadRequest);
    let mut form = UploadForm { fields: HashMap::new(), file: None, too_large: false };
    while let Some(part) = parts.next().await {
        let mut part = part.map_err(|_| bad())?;
        let name = part.name().unwrap_or("").to_owned();
        if name == "file" {
            let mut spool = tempfile::tempfile().map_err(|_| PageError::new(lang, PageFailure::Internal))?;
            let mut size = 0usize;
            while let Some(chunk) = part.next().await {
                let chunk = chunk.map_err(|_| bad())?;
                size += chunk.len();
                if size > limit {
                    form.too_large = true;
                    continue; // read on to the end of the part, keep nothing
                }
                spool.write_all(&chunk).map_err(|_| PageError::new(lang, PageFailure::Internal))?;
            }
            spool.seek(SeekFrom::Start(0)).map_err(|_| PageError::new(lang, PageFailure::Internal))?;
            form.file = (size > 0 && !form.too_large).then_some(spool);
        } else {
            let mut value = Vec::new();
            while let Some(chunk) = part.next().await {
                let chunk = chunk.map_err(|_| bad())?;
                if value.len() + chunk.len() > FIELD_BYTES {
                    return Err(bad());
                }
                value.extend_from_slice(&chunk);
            }
            form.fields.insert(name, String::from_utf8_lossy(&value).replace('\0', ""));
        }
    }
    Ok(form)
}

impl FromRequest for UploadForm {
    type Error = PageError;
    type Future = Pin<Box<dyn Future<Output = Result<UploadForm, PageError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let lang = quick_language(req);
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let allowed = state.as_ref().is_some_and(|s| same_site(req, &s.settings.server.public_base_url));
        let expected = match (&state, req.cookie(SESSION_COOKIE)) {
            (Some(state), Some(cookie)) => Some(state.keys.form_token(cookie.value())),
            _ => None,
        };
        let limit = state.as_ref().map_or(0, |s| s.settings.server.max_import_bytes);
        let parts = Multipart::new(req.headers(), payload.take());
        Box::pin(async move {
            if !allowed {
                return Err(PageError::new(lang, PageFailure::Forbidden));
            }
            let form = read(parts, limit, lang).await?;
            // Every upload form is for signed-in people: it always carries the session's token.
            let given = form.get("csrf").as_bytes().to_vec();
            match expected {
                Some(expected) if bool::from(given.ct_eq(expected.as_bytes())) => Ok(form),
                Some(_) => Err(PageError::new(lang, PageFailure::Forbidden)),
                None => Err(PageError::new(lang, PageFailure::SignInFirst)),
            }
        })
    }
}

/// A message after "Row 4, email address:" starts with a small letter, unless it starts with
/// a name or a value the reader typed (its second letter is not a small one).
fn continue_sentence(message: &str) -> String {
    let mut chars = message.chars();
    match (chars.next(), chars.next()) {
        (Some(first), Some(second)) if first.is_uppercase() && second.is_lowercase() => {
            first.to_lowercase().chain(message.chars().skip(1)).collect()
        }
        _ => message.to_owned(),
    }
}

/// The words for column `field` of an import file, if the catalogue has them.
pub fn column_name(field: &str, lang: Language) -> String {
    let key = format!("column-{}", field.replace('_', "-"));
    let said = i18n::say_key(&key, [], lang);
    if said == key {
        field.to_owned()
    } else {
        said
    }
}

/// Each bad row as one sentence: the row, the column in words, and what is wrong.
pub fn row_sentences(errors: &[RowError], lang: Language) -> Vec<String> {
    errors
        .iter()
        .map(|e| {
            let message = continue_sentence(&i18n::say(&e.message, lang));
            match &e.field {
                Some(field) => i18n::say(
                    &crate::phrase!(
                        "upload-row-column",
                        row = e.row,
                        column = column_name(field, lang),
                        message = message
                    ),
                    lang,
                ),
                None => i18n::say(&crate::phrase!("upload-row", row = e.row, message = message), lang),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::phrase;

    #[test]
    fn a_bad_row_reads_as_one_sentence_in_the_readers_language() {
        let errors = [
            RowError { row: 4, field: Some("email".into()), message: phrase!("field-email") },
            RowError { row: 1, field: None, message: phrase!("file-column-missing", column = "email") },
            RowError {
                row: 7,
                field: Some("serial_number".into()),
                message: phrase!("row-serial-in-pool", serial = "SN-1"),
            },
        ];
        let nl = row_sentences(&errors, Language::Nl);
        assert!(nl[0].starts_with("Rij 4, e-mailadres: dit is geen e-mailadres"), "{nl:?}");
        assert!(nl[1].starts_with("Rij 1: de eerste regel"), "{nl:?}");
        assert!(nl[2].starts_with("Rij 7, serienummer: SN-1"), "a value keeps its capitals: {nl:?}");
        let en = row_sentences(&errors, Language::En);
        assert!(en[0].starts_with("Row 4, email address: this is not an email address"), "{en:?}");
    }

    #[test]
    fn an_unknown_column_is_named_as_it_is() {
        assert_eq!(column_name("colour", Language::En), "colour");
    }
}
