//! A response that is a file: its content type and a `Content-Disposition` that names it, so the
//! reader's browser saves it under a useful name (or shows it, for inline files). One place, so
//! every download quotes its file name the same way.

use actix_web::http::header::{ContentDisposition, DispositionParam, DispositionType};
use actix_web::{HttpResponse, HttpResponseBuilder};

/// A file to save: `attachment; filename="name"`.
pub fn attachment(content_type: &str, filename: &str) -> HttpResponseBuilder {
    named(DispositionType::Attachment, content_type, filename)
}

/// A file the browser may show: `inline; filename="name"`.
pub fn inline(content_type: &str, filename: &str) -> HttpResponseBuilder {
    named(DispositionType::Inline, content_type, filename)
}

fn named(disposition: DispositionType, content_type: &str, filename: &str) -> HttpResponseBuilder {
    let mut res = HttpResponse::Ok();
    res.content_type(content_type).insert_header(ContentDisposition {
        disposition,
        parameters: vec![DispositionParam::Filename(filename.to_owned())],
    });
    res
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::http::header::{HeaderName, CONTENT_DISPOSITION, CONTENT_TYPE};

    fn header(res: &HttpResponse, name: HeaderName) -> &str {
        res.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or("")
    }

    #[test]
    fn a_download_is_named_and_typed() {
        let res = attachment("text/csv; charset=utf-8", "impact-2026-03-01-2026-03-31.csv").finish();
        assert_eq!(
            header(&res, CONTENT_DISPOSITION),
            "attachment; filename=\"impact-2026-03-01-2026-03-31.csv\""
        );
        assert_eq!(header(&res, CONTENT_TYPE), "text/csv; charset=utf-8");
        let res = inline("image/svg+xml", "DPL-000001.svg").finish();
        assert_eq!(header(&res, CONTENT_DISPOSITION), "inline; filename=\"DPL-000001.svg\"");
    }

    #[test]
    fn a_quote_in_a_name_cannot_end_the_header_value() {
        let res = attachment("application/pdf", "a\"b.pdf").finish();
        assert_eq!(header(&res, CONTENT_DISPOSITION), "attachment; filename=\"a\\\"b.pdf\"");
    }
}
