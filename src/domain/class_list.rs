//! The coordinator's class list: what it filters on (a search, a need, where a student stands)
//! and how it is paged. Pure; the store turns a filter into one query for one page.

use std::collections::HashMap;

/// Rows on one page of the table.
pub const PER_PAGE: usize = 25;

/// The longest search taken from the page.
const MAX_SEARCH: usize = 100;

/// What a student lacks, to filter on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    Laptop,
    Connectivity,
    Software,
}

/// Where a student stands, to filter on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    /// Waits in the queue for kit.
    Waiting,
    /// Holds kit (or may pick it up).
    HasKit,
    /// Holds kit past its due date.
    Overdue,
}

/// The filters of the table, read from the page's query (an unknown value filters nothing).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// Part of a name or email address, in lower case.
    pub q: String,
    pub lacks: Option<Need>,
    pub standing: Option<Standing>,
    /// 1 is the first page.
    pub page: usize,
}

impl Need {
    pub fn parse(s: &str) -> Option<Need> {
        match s {
            "laptop" => Some(Need::Laptop),
            "connectivity" => Some(Need::Connectivity),
            "software" => Some(Need::Software),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Need::Laptop => "laptop",
            Need::Connectivity => "connectivity",
            Need::Software => "software",
        }
    }
}

impl Standing {
    pub fn parse(s: &str) -> Option<Standing> {
        match s {
            "waiting" => Some(Standing::Waiting),
            "has_kit" => Some(Standing::HasKit),
            "overdue" => Some(Standing::Overdue),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Standing::Waiting => "waiting",
            Standing::HasKit => "has_kit",
            Standing::Overdue => "overdue",
        }
    }
}

impl Filter {
    pub fn from_query(query: &HashMap<String, String>) -> Filter {
        let get = |name: &str| query.get(name).map_or("", |v| v.trim());
        Filter {
            q: get("q").chars().take(MAX_SEARCH).collect::<String>().to_lowercase(),
            lacks: Need::parse(get("lacks")),
            standing: Standing::parse(get("standing")),
            page: get("page").parse().unwrap_or(1).max(1),
        }
    }

    /// The search as a `LIKE` pattern: `%` and `_` typed by the reader match only themselves
    /// (escaped with `\`).
    pub fn like_pattern(&self) -> Option<String> {
        if self.q.is_empty() {
            return None;
        }
        let escaped = self.q.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
        Some(format!("%{escaped}%"))
    }
}

/// Where a page falls among `matching` rows: the page shown (one past the end shows the last),
/// how many pages there are, and how many rows come before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub page: usize,
    pub pages: usize,
    pub offset: usize,
}

pub fn window(matching: usize, asked: usize) -> Window {
    let pages = matching.div_ceil(PER_PAGE).max(1);
    let page = asked.clamp(1, pages);
    Window { page, pages, offset: (page - 1) * PER_PAGE }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(pairs: &[(&str, &str)]) -> Filter {
        Filter::from_query(&pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect())
    }

    #[test]
    fn the_query_is_read_as_typed_and_unknown_values_filter_nothing() {
        let f = query(&[("q", "  cHI "), ("lacks", "software"), ("standing", "overdue"), ("page", "2")]);
        assert_eq!(
            f,
            Filter {
                q: "chi".into(),
                lacks: Some(Need::Software),
                standing: Some(Standing::Overdue),
                page: 2
            }
        );
        let f = query(&[("lacks", "pony"), ("standing", "<b>"), ("page", "-3")]);
        assert_eq!(f, Filter { page: 1, ..Filter::default() });
        assert_eq!(query(&[("q", &"x".repeat(500))]).q.len(), MAX_SEARCH);
        for need in [Need::Laptop, Need::Connectivity, Need::Software] {
            assert_eq!(Need::parse(need.as_str()), Some(need));
        }
        for s in [Standing::Waiting, Standing::HasKit, Standing::Overdue] {
            assert_eq!(Standing::parse(s.as_str()), Some(s));
        }
    }

    #[test]
    fn a_search_matches_only_what_was_typed() {
        assert_eq!(query(&[]).like_pattern(), None);
        assert_eq!(query(&[("q", "Ayla")]).like_pattern().as_deref(), Some("%ayla%"));
        assert_eq!(query(&[("q", "50%_a\\b")]).like_pattern().as_deref(), Some("%50\\%\\_a\\\\b%"));
    }

    #[test]
    fn pages_hold_25_rows_and_a_page_past_the_end_shows_the_last() {
        assert_eq!(window(0, 1), Window { page: 1, pages: 1, offset: 0 });
        assert_eq!(window(25, 2), Window { page: 1, pages: 1, offset: 0 });
        assert_eq!(window(26, 2), Window { page: 2, pages: 2, offset: 25 });
        assert_eq!(window(60, 99), Window { page: 3, pages: 3, offset: 50 });
        assert_eq!(window(60, 0), Window { page: 1, pages: 3, offset: 0 });
    }
}
