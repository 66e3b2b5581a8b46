//! The coordinator's students table as a view-model: filter, search and page the class list.
//! Pure, so every filter and edge of paging is unit-tested; the page handler only renders it.

use std::collections::HashMap;

use serde::Serialize;

use crate::workflows::class_list::Entry;

/// Rows on one page of the table.
pub const PER_PAGE: usize = 25;

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
    pub q: String,
    pub lacks: Option<Need>,
    pub standing: Option<Standing>,
    /// 1 is the first page.
    pub page: usize,
}

impl Need {
    fn parse(s: &str) -> Option<Need> {
        match s {
            "laptop" => Some(Need::Laptop),
            "connectivity" => Some(Need::Connectivity),
            "software" => Some(Need::Software),
            _ => None,
        }
    }

    fn as_str(self) -> &'static str {
        match self {
            Need::Laptop => "laptop",
            Need::Connectivity => "connectivity",
            Need::Software => "software",
        }
    }

    fn of(self, e: &Entry) -> bool {
        match self {
            Need::Laptop => e.lacks_laptop,
            Need::Connectivity => e.lacks_connectivity,
            Need::Software => e.lacks_software,
        }
    }
}

impl Standing {
    fn parse(s: &str) -> Option<Standing> {
        match s {
            "waiting" => Some(Standing::Waiting),
            "has_kit" => Some(Standing::HasKit),
            "overdue" => Some(Standing::Overdue),
            _ => None,
        }
    }

    fn as_str(self) -> &'static str {
        match self {
            Standing::Waiting => "waiting",
            Standing::HasKit => "has_kit",
            Standing::Overdue => "overdue",
        }
    }

    fn of(self, e: &Entry) -> bool {
        match self {
            Standing::Waiting => !e.waiting.is_empty(),
            Standing::HasKit => !e.kit.is_empty(),
            Standing::Overdue => e.kit.iter().any(|k| k.days_overdue.is_some()),
        }
    }
}

impl Filter {
    pub fn from_query(query: &HashMap<String, String>) -> Filter {
        let get = |name: &str| query.get(name).map_or("", |v| v.trim());
        Filter {
            q: get("q").chars().take(100).collect(),
            lacks: Need::parse(get("lacks")),
            standing: Standing::parse(get("standing")),
            page: get("page").parse().unwrap_or(1).max(1),
        }
    }

    fn keeps(&self, e: &Entry) -> bool {
        let q = self.q.to_lowercase();
        let found = q.is_empty()
            || e.name.to_lowercase().contains(&q)
            || e.email.as_deref().is_some_and(|m| m.to_lowercase().contains(&q));
        found && self.lacks.is_none_or(|n| n.of(e)) && self.standing.is_none_or(|s| s.of(e))
    }

    /// The address of page `page` with the same filters.
    fn href(&self, page: usize) -> String {
        let mut pairs: Vec<(&str, String)> = Vec::new();
        if !self.q.is_empty() {
            pairs.push(("q", self.q.clone()));
        }
        if let Some(n) = self.lacks {
            pairs.push(("lacks", n.as_str().to_owned()));
        }
        if let Some(s) = self.standing {
            pairs.push(("standing", s.as_str().to_owned()));
        }
        pairs.push(("page", page.to_string()));
        format!("/students?{}", serde_urlencoded::to_string(&pairs).unwrap_or_default())
    }
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

/// The page of `entries` that `filter` asks for; a page past the end shows the last one.
pub fn table(entries: Vec<Entry>, filter: &Filter) -> Table {
    let all = entries.len();
    let matching: Vec<Entry> = entries.into_iter().filter(|e| filter.keeps(e)).collect();
    let pages = matching.len().div_ceil(PER_PAGE).max(1);
    let page = filter.page.clamp(1, pages);
    let skip = (page - 1) * PER_PAGE;
    let count = matching.len();
    let rows: Vec<Entry> = matching.into_iter().skip(skip).take(PER_PAGE).collect();
    Table {
        first: if rows.is_empty() { 0 } else { skip + 1 },
        last: skip + rows.len(),
        matching: count,
        all,
        page,
        pages,
        previous: (page > 1).then(|| filter.href(page - 1)),
        next: (page < pages).then(|| filter.href(page + 1)),
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
    use crate::domain::request::FollowStep;
    use crate::workflows::class_list::{Kit, Waiting};
    use chrono::NaiveDate;

    fn student(name: &str) -> Entry {
        Entry {
            id: format!("id-{name}"),
            name: name.to_owned(),
            email: Some(format!("{}@school.example", name.to_lowercase())),
            lacks_laptop: false,
            lacks_connectivity: false,
            lacks_software: false,
            waiting: vec![],
            kit: vec![],
        }
    }

    fn kit(days_overdue: Option<i64>) -> Kit {
        Kit {
            loan_id: "l".into(),
            kind: "laptop".into(),
            product: None,
            step: FollowStep::PickedUp,
            due_on: NaiveDate::from_ymd_opt(2027, 6, 30).expect("date"),
            days_overdue,
        }
    }

    fn class() -> Vec<Entry> {
        let mut ayla = student("Ayla");
        ayla.lacks_laptop = true;
        ayla.waiting.push(Waiting {
            request_id: "r".into(),
            kind: "laptop".into(),
            product: None,
            step: FollowStep::Waiting,
            queue_position: Some(3),
            days_waiting: 12,
        });
        let mut bram = student("Bram");
        bram.lacks_connectivity = true;
        bram.kit.push(kit(None));
        let mut chidi = student("Chidi");
        chidi.lacks_software = true;
        chidi.kit.push(kit(Some(4)));
        vec![ayla, bram, chidi, student("Daan")]
    }

    fn query(pairs: &[(&str, &str)]) -> Filter {
        Filter::from_query(&pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect())
    }

    fn names(t: &Table) -> Vec<&str> {
        t.rows.iter().map(|e| e.name.as_str()).collect()
    }

    #[test]
    fn no_filter_shows_everyone_by_name() {
        let t = table(class(), &query(&[]));
        assert_eq!(names(&t), ["Ayla", "Bram", "Chidi", "Daan"]);
        assert_eq!((t.matching, t.all, t.page, t.pages, t.first, t.last), (4, 4, 1, 1, 1, 4));
        assert_eq!((t.previous, t.next), (None, None));
    }

    #[test]
    fn each_need_filters_on_what_the_student_lacks() {
        assert_eq!(names(&table(class(), &query(&[("lacks", "laptop")]))), ["Ayla"]);
        assert_eq!(names(&table(class(), &query(&[("lacks", "connectivity")]))), ["Bram"]);
        assert_eq!(names(&table(class(), &query(&[("lacks", "software")]))), ["Chidi"]);
    }

    #[test]
    fn standing_filters_on_waiting_kit_and_overdue() {
        assert_eq!(names(&table(class(), &query(&[("standing", "waiting")]))), ["Ayla"]);
        assert_eq!(names(&table(class(), &query(&[("standing", "has_kit")]))), ["Bram", "Chidi"]);
        assert_eq!(names(&table(class(), &query(&[("standing", "overdue")]))), ["Chidi"]);
        let both = query(&[("standing", "has_kit"), ("lacks", "connectivity")]);
        assert_eq!(names(&table(class(), &both)), ["Bram"]);
    }

    #[test]
    fn search_finds_a_name_or_address_in_any_case() {
        assert_eq!(names(&table(class(), &query(&[("q", "  cHI ")]))), ["Chidi"]);
        assert_eq!(names(&table(class(), &query(&[("q", "daan@school")]))), ["Daan"]);
        let none = table(class(), &query(&[("q", "zz")]));
        assert!(none.rows.is_empty());
        assert_eq!((none.matching, none.all, none.first, none.last, none.pages), (0, 4, 0, 0, 1));
    }

    #[test]
    fn unknown_filter_values_filter_nothing() {
        let f = query(&[("lacks", "pony"), ("standing", "<b>"), ("page", "-3")]);
        assert_eq!(f, Filter { page: 1, ..Filter::default() });
        assert_eq!(table(class(), &f).rows.len(), 4);
    }

    #[test]
    fn pages_hold_25_rows_and_their_links_keep_the_filters() {
        let many: Vec<Entry> = (0..60)
            .map(|i| {
                let mut s = student(&format!("Student {i:02}"));
                s.lacks_laptop = true;
                s
            })
            .collect();
        let f = query(&[("lacks", "laptop"), ("q", "student"), ("page", "2")]);
        let t = table(many.clone(), &f);
        assert_eq!((t.page, t.pages, t.first, t.last, t.rows.len()), (2, 3, 26, 50, 25));
        assert_eq!(t.previous.as_deref(), Some("/students?q=student&lacks=laptop&page=1"));
        assert_eq!(t.next.as_deref(), Some("/students?q=student&lacks=laptop&page=3"));
        let last = table(many.clone(), &query(&[("page", "3")]));
        assert_eq!((last.first, last.last, last.next), (51, 60, None));
        let past = table(many, &query(&[("page", "99")]));
        assert_eq!(past.page, 3, "a page past the end shows the last");
    }
}
