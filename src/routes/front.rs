//! The front door until the web pages exist: `/` names the service and points to the API
//! documentation, in Dutch or English (`Accept-Language`), and `/docs` without its slash goes
//! to the documentation page.

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};

use crate::domain::report::language_of;
use crate::domain::student::Language;

pub fn config(cfg: &mut web::ServiceConfig) {
    cfg.route("/", web::get().to(front_page)).route("/docs", web::get().to(to_docs));
}

async fn front_page(req: HttpRequest) -> HttpResponse {
    let language = language_of(req.headers().get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()));
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header((header::VARY, "Accept-Language"))
        .body(page(language))
}

async fn to_docs() -> HttpResponse {
    HttpResponse::PermanentRedirect().insert_header((header::LOCATION, "/docs/")).finish()
}

/// The page: short, plain, readable without styles or scripts.
fn page(language: Language) -> String {
    let (lang, title, what, docs, api) = match language {
        Language::Nl => (
            "nl",
            "devicepool",
            "devicepool leent gedoneerde laptops, wifi-dongles en licenties uit aan studenten van tech-opleidingen.",
            "Lees hoe de API werkt",
            "De pagina's om in te loggen komen binnenkort.",
        ),
        Language::En => (
            "en",
            "devicepool",
            "devicepool lends donated laptops, wi-fi dongles and licences to students of tech courses.",
            "Read how the API works",
            "The pages to sign in are coming soon.",
        ),
    };
    format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title}</title></head><body><main><h1>{title}</h1><p>{what}</p><p>{api}</p>\
         <p><a href=\"/docs/\">{docs}</a></p></main></body></html>\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_front_page_speaks_the_readers_language_and_links_to_the_docs() {
        for (language, lang, words) in [(Language::Nl, "nl", "Lees hoe"), (Language::En, "en", "Read how")] {
            let html = page(language);
            assert!(html.contains(&format!("<html lang=\"{lang}\">")), "{html}");
            assert!(html.contains(words) && html.contains("href=\"/docs/\""), "{html}");
        }
    }
}
