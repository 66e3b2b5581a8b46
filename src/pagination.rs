//! Cursor pagination shared by every list: `limit` (default 50, at most 500) and an opaque
//! `cursor`. Lists are in id order; ids are UUID v7, so that is creation order and stable.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::error::ApiError;

pub const DEFAULT_LIMIT: i64 = 50;
pub const MAX_LIMIT: i64 = 500;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// How many items to return (1 to 500, default 50).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// One page of a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// Pass as `cursor` to get the next page; null on the last page.
    pub next_cursor: Option<String>,
}

impl PageQuery {
    pub fn limit(&self) -> Result<i64, ApiError> {
        match self.limit {
            None => Ok(DEFAULT_LIMIT),
            Some(n) if (1..=MAX_LIMIT).contains(&n) => Ok(n),
            Some(_) => {
                Err(ApiError::invalid("limit", crate::phrase!("field-between", min = 1, max = MAX_LIMIT)))
            }
        }
    }

    /// The id after which the page starts.
    pub fn after(&self) -> Result<Option<String>, ApiError> {
        let Some(cursor) = &self.cursor else {
            return Ok(None);
        };
        URL_SAFE_NO_PAD
            .decode(cursor)
            .ok()
            .and_then(|bytes| String::from_utf8(bytes).ok())
            .filter(|id| uuid::Uuid::parse_str(id).is_ok())
            .map(Some)
            .ok_or_else(|| ApiError::invalid("cursor", crate::phrase!("field-cursor")))
    }
}

/// Makes a page from up to `limit + 1` rows: the extra row only tells that there is more.
pub fn page<R, T>(mut rows: Vec<R>, limit: i64, id: impl Fn(&R) -> &str, view: impl Fn(R) -> T) -> Page<T> {
    let more = rows.len() as i64 > limit;
    rows.truncate(limit as usize);
    let next_cursor = if more { rows.last().map(|r| URL_SAFE_NO_PAD.encode(id(r))) } else { None };
    Page { items: rows.into_iter().map(view).collect(), next_cursor }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limit_defaults_and_bounds() {
        let q = |limit| PageQuery { limit, cursor: None };
        assert_eq!(q(None).limit().ok(), Some(50));
        assert_eq!(q(Some(500)).limit().ok(), Some(500));
        assert!(q(Some(0)).limit().is_err());
        assert!(q(Some(501)).limit().is_err());
    }

    #[test]
    fn a_cursor_round_trips_and_junk_is_refused() {
        let id = uuid::Uuid::now_v7().to_string();
        let p = page(vec![id.clone(), "z".into()], 1, |s| s.as_str(), |s| s);
        let cursor = p.next_cursor.expect("more rows");
        let q = PageQuery { limit: None, cursor: Some(cursor) };
        assert_eq!(q.after().ok().flatten(), Some(id));
        let junk = PageQuery { limit: None, cursor: Some("!!".into()) };
        assert!(junk.after().is_err());
    }

    #[test]
    fn the_last_page_has_no_cursor() {
        let p = page(vec!["a".to_string()], 1, |s| s.as_str(), |s| s);
        assert_eq!(p.next_cursor, None);
        assert_eq!(p.items, vec!["a".to_string()]);
    }
}
