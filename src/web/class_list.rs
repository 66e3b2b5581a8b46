//! The coordinator's students table as a view-model: one page of the class list (filtered and
//! paged by the store, see `domain::class_list`) with its counts and the links to the pages
//! before and after it. Pure, so its edges are unit-tested; the page handler only renders it.

use serde::Serialize;

use crate::domain::class_list::{Filter, Need, Standing};
use crate::workflows::class_list::{ClassPage, Entry};

/// The address of page `page` with the same filters.
fn href(filter: &Filter, page: usize) -> String {
    let mut pairs: Vec<(&str, String)> = Vec::new();
    if !filter.q.is_empty() {
        pairs.push(("q", filter.q.clone()));
    }
    if let Some(n) = filter.lacks {
        pairs.push(("lacks", n.as_str().to_owned()));
    }
    if let Some(s) = filter.standing {
        pairs.push(("standing", s.as_str().to_owned()));
    }
    pairs.push(("page", page.to_string()));
    format!("/students?{}", serde_urlencoded::to_string(&pairs).unwrap_or_default())
}

/// The filters as the form shows them again.
#[derive(Debug, Serialize, PartialEq, Eq)]
pub struct FilterValues {
    pub q: String,
    pub lacks: &'static str,
    pub standing: &'static str,
}

/// One page of the table.
#[derive(Debug, Serialize)]
pub struct Table {
    pub rows: Vec<Entry>,
    /// Students that match the filters, and all students of the school.
    pub matching: usize,
    pub all: usize,
    pub page: usize,
    pub pages: usize,
    /// The numbers of the first and last row shown (1-based; 0 when none).
    pub first: usize,
    pub last: usize,
    pub previous: Option<String>,
    pub next: Option<String>,
    pub filter: FilterValues,
}

/// The table of `found`, the page that `filter` asked for.
pub fn table(found: ClassPage, filter: &Filter) -> Table {
    let w = found.window;
    let rows = found.entries;
    Table {
        first: if rows.is_empty() { 0 } else { w.offset + 1 },
        last: w.offset + rows.len(),
        matching: found.matching,
        all: found.all,
        page: w.page,
        pages: w.pages,
        previous: (w.page > 1).then(|| href(filter, w.page - 1)),
        next: (w.page < w.pages).then(|| href(filter, w.page + 1)),
        filter: FilterValues {
            q: filter.q.clone(),
            lacks: filter.lacks.map_or("", Need::as_str),
            standing: filter.standing.map_or("", Standing::as_str),
        },
        rows,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::class_list::{window, PER_PAGE};

    fn student(i: usize) -> Entry {
        Entry {
            id: format!("id-{i}"),
            name: format!("Student {i:02}"),
            email: None,
            lacks_laptop: true,
            lacks_connectivity: false,
            lacks_software: false,
            waiting: vec![],
            kit: vec![],
        }
    }

    /// Page `asked` of `matching` students, as the store would give it.
    fn found(matching: usize, all: usize, asked: usize) -> ClassPage {
        let window = window(matching, asked);
        let entries = (window.offset..matching.min(window.offset + PER_PAGE)).map(student).collect();
        ClassPage { entries, matching, all, window }
    }

    #[test]
    fn one_page_shows_its_rows_without_links() {
        let t = table(found(4, 4, 1), &Filter { page: 1, ..Filter::default() });
        assert_eq!((t.matching, t.all, t.page, t.pages, t.first, t.last), (4, 4, 1, 1, 1, 4));
        assert_eq!((t.previous, t.next), (None, None));
        assert_eq!(t.filter, FilterValues { q: String::new(), lacks: "", standing: "" });
    }

    #[test]
    fn nothing_found_shows_no_rows() {
        let f = Filter { q: "zz".into(), page: 1, ..Filter::default() };
        let t = table(found(0, 4, 1), &f);
        assert!(t.rows.is_empty());
        assert_eq!((t.matching, t.all, t.first, t.last, t.pages), (0, 4, 0, 0, 1));
        assert_eq!(t.filter.q, "zz");
    }

    #[test]
    fn links_to_the_pages_around_keep_the_filters() {
        let f = Filter {
            q: "student".into(),
            lacks: Some(Need::Laptop),
            standing: Some(Standing::Waiting),
            page: 2,
        };
        let t = table(found(60, 70, 2), &f);
        assert_eq!((t.page, t.pages, t.first, t.last, t.rows.len()), (2, 3, 26, 50, 25));
        assert_eq!(t.previous.as_deref(), Some("/students?q=student&lacks=laptop&standing=waiting&page=1"));
        assert_eq!(t.next.as_deref(), Some("/students?q=student&lacks=laptop&standing=waiting&page=3"));
        let last = table(found(60, 60, 99), &Filter { page: 99, ..Filter::default() });
        assert_eq!((last.page, last.first, last.last, last.next.is_none()), (3, 51, 60, true));
        assert_eq!(last.previous.as_deref(), Some("/students?page=2"));
    }
}
