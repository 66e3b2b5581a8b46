//! A spreadsheet sent from a page (`multipart/form-data`), read only once the service knows
//! who sent it: a cross-site post or a request without a live session is refused before a
//! byte of its body is read; a body that says it is larger than the import limit is refused
//! unread (413); the form token, the first part of every upload form, is checked before the
//! file is spooled; and the body may hold a few parts and `server.max_import_bytes` in all.
//! The file is spooled to a temporary file, so a large one never sits in memory. Also here:
//! the bad rows of an import as sentences a coordinator or donor reads ("Row 4, email
//! address: this is not …").

use std::future::Future;
use std::io::{Seek, SeekFrom, Write};
use std::pin::Pin;

use actix_multipart::Multipart;
use actix_web::http::header::{self, HeaderMap};
use actix_web::{dev::Payload, web, FromRequest, HttpRequest};
use futures_util::StreamExt;
use subtle::ConstantTimeEq;

use super::form::same_site;
use super::page::{quick_language, PageError, PageFailure, SESSION_COOKIE};
use crate::domain::csv_file::RowError;
use crate::domain::student::Language;
use crate::i18n;
use crate::state::AppState;

/// The most a text part of an upload form may hold (the form token is 64 characters).
const FIELD_BYTES: usize = 1024;
/// The most parts an upload form may send: the form token, the file, and a little room.
const MAX_PARTS: usize = 4;
/// What the form's other parts and the multipart boundaries may add to the file's size.
const ENVELOPE_BYTES: usize = 16 * 1024;

/// What an upload form sent.
pub struct UploadForm {
    /// The file, rewound; `None` if none was chosen (or it was empty).
    pub file: Option<std::fs::File>,
    /// The body was larger than the server takes: nothing of it was kept, and the rest of it
    /// was not read.
    pub too_large: bool,
}

impl UploadForm {
    fn too_large() -> UploadForm {
        UploadForm { file: None, too_large: true }
    }
}

/// One part of an upload form, read.
enum Part {
    Text(Vec<u8>),
    /// The spooled file, rewound; `None` when it was empty.
    File(Option<std::fs::File>),
    /// The part or the body went past the limit: the rest was not read.
    TooLarge,
}

/// Reads the parts of a signed-in upload: the form token `expected` first, then the file of
/// at most `limit` bytes (and a few small parts besides).
async fn read(
    mut parts: Multipart,
    limit: usize,
    expected: String,
    lang: Language,
) -> Result<UploadForm, PageError> {
    let bad = || PageError::new(lang, PageFailure::BadRequest);
    let forbidden = || PageError::new(lang, PageFailure::Forbidden);
    let mut form = UploadForm { file: None, too_large: false };
    let (mut count, mut total, mut token_checked) = (0usize, 0usize, false);
    while let Some(part) = parts.next().await {
        let mut part = part.map_err(|_| bad())?;
        count += 1;
        let is_file = part.name() == Some("file");
        if count > MAX_PARTS || (is_file && form.file.is_some()) {
            return Err(bad());
        }
        // The token comes first in every upload form: nothing else is read without it.
        if !token_checked && part.name() != Some("csrf") {
            return Err(forbidden());
        }
        match read_part(&mut part, is_file, limit, &mut total, lang).await? {
            Part::TooLarge => return Ok(UploadForm::too_large()),
            Part::Text(value) if !token_checked => {
                if !bool::from(value.ct_eq(expected.as_bytes())) {
                    return Err(forbidden());
                }
                token_checked = true;
            }
            Part::Text(_) => {}
            Part::File(file) => form.file = file,
        }
    }
    if !token_checked {
        return Err(forbidden());
    }
    Ok(form)
}

/// Reads one part: a file is spooled to a temporary file, a text part kept if it is small;
/// `total` counts the bytes of the whole body so far.
async fn read_part(
    part: &mut actix_multipart::Field,
    is_file: bool,
    limit: usize,
    total: &mut usize,
    lang: Language,
) -> Result<Part, PageError> {
    let bad = || PageError::new(lang, PageFailure::BadRequest);
    let internal = || PageError::new(lang, PageFailure::Internal);
    let mut spool = if is_file { Some(tempfile::tempfile().map_err(|_| internal())?) } else { None };
    let (mut value, mut size) = (Vec::new(), 0usize);
    while let Some(chunk) = part.next().await {
        let chunk = chunk.map_err(|_| bad())?;
        size += chunk.len();
        *total += chunk.len();
        if size > limit || *total > limit + ENVELOPE_BYTES {
            return Ok(Part::TooLarge);
        }
        match spool.as_mut() {
            Some(spool) => spool.write_all(&chunk).map_err(|_| internal())?,
            None if value.len() + chunk.len() > FIELD_BYTES => return Err(bad()),
            None => value.extend_from_slice(&chunk),
        }
    }
    match spool {
        None => Ok(Part::Text(value)),
        Some(_) if size == 0 => Ok(Part::File(None)),
        Some(mut spool) => {
            spool.seek(SeekFrom::Start(0)).map_err(|_| internal())?;
            Ok(Part::File(Some(spool)))
        }
    }
}

/// The body's length as the request declares it, if it does.
fn declared_length(headers: &HeaderMap) -> Option<usize> {
    headers.get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse().ok())
}

impl FromRequest for UploadForm {
    type Error = PageError;
    type Future = Pin<Box<dyn Future<Output = Result<UploadForm, PageError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let lang = quick_language(req);
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let allowed = state.as_ref().is_some_and(|s| same_site(req, &s.settings.server.public_base_url));
        let cookie = req.cookie(SESSION_COOKIE).map(|c| c.value().to_owned());
        let headers = req.headers().clone();
        // Taken, not read: whatever is refused below leaves the body unread.
        let payload = payload.take();
        Box::pin(async move {
            let state = state.ok_or_else(|| PageError::new(lang, PageFailure::Internal))?;
            if !allowed {
                return Err(PageError::new(lang, PageFailure::Forbidden));
            }
            // Every upload form is for signed-in people.
            let token = cookie.ok_or_else(|| PageError::new(lang, PageFailure::SignInFirst))?;
            let lookup = token.clone();
            let live = state
                .db(move |conn| crate::workflows::sessions::is_live(conn, &lookup))
                .await
                .map_err(|e| PageError::from_api(lang, &e))?;
            if !live {
                return Err(PageError::new(lang, PageFailure::SignInFirst));
            }
            let limit = state.settings.server.max_import_bytes;
            if declared_length(&headers).is_some_and(|n| n > limit + ENVELOPE_BYTES) {
                return Ok(UploadForm::too_large());
            }
            let expected = state.keys.form_token(&token);
            read(Multipart::new(&headers, payload), limit, expected, lang).await
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
