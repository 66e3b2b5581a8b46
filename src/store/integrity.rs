//! The rules that tie devices, seats, requests, allocations and loans together, checked by
//! the database over every row: after a crash, a restore or a fault test, each rule must find
//! nothing. Each check counts the rows that break it and keeps a few of their ids to look at.
//!
//! A device is reserved by one proposed allocation or one reserved loan, and on loan by one
//! active loan; a seat is in use for each proposed allocation and each open loan of its
//! licence; a request is allocated while it has exactly one of those.

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};

use super::DbConnection;
use crate::with_backend;

/// One rule and what breaks it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub rule: &'static str,
    pub rows: i64,
    /// Up to five ids of rows that break it.
    pub examples: Vec<String>,
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    broken_rows: i64,
}

#[derive(QueryableByName)]
struct Id {
    #[diesel(sql_type = Text)]
    id: String,
}

/// Each rule: its name and a query for the ids that break it.
const RULES: [(&str, &str); 11] = [
    (
        "a reserved device has exactly one proposed allocation, reserved loan or reserved set loan",
        "SELECT d.id FROM devices d WHERE d.state = 'reserved' AND \
         (SELECT COUNT(*) FROM allocations a WHERE a.device_id = d.id AND a.state = 'proposed') + \
         (SELECT COUNT(*) FROM loans l WHERE l.device_id = d.id AND l.state = 'reserved') + \
         (SELECT COUNT(*) FROM class_set_loans s WHERE s.device_id = d.id AND s.state = 'reserved') <> 1",
    ),
    (
        "a device on loan has exactly one active loan or active set loan",
        "SELECT d.id FROM devices d WHERE d.state = 'on_loan' AND \
         (SELECT COUNT(*) FROM loans l WHERE l.device_id = d.id AND l.state = 'active') + \
         (SELECT COUNT(*) FROM class_set_loans s WHERE s.device_id = d.id AND s.state = 'active') <> 1",
    ),
    (
        "a proposed allocation or open loan holds a device that is reserved or on loan",
        "SELECT a.id FROM allocations a JOIN devices d ON d.id = a.device_id \
         WHERE a.state = 'proposed' AND d.state <> 'reserved' \
         UNION ALL SELECT l.id FROM loans l JOIN devices d ON d.id = l.device_id \
         WHERE (l.state = 'reserved' AND d.state <> 'reserved') OR (l.state = 'active' AND d.state <> 'on_loan') \
         UNION ALL SELECT s.id FROM class_set_loans s JOIN devices d ON d.id = s.device_id \
         WHERE (s.state = 'reserved' AND d.state <> 'reserved') OR (s.state = 'active' AND d.state <> 'on_loan')",
    ),
    (
        "an open class set's loans match its state: held before the hand-over, out or closed after it",
        "SELECT s.id FROM class_set_loans s JOIN class_sets c ON c.id = s.class_set_id \
         WHERE (c.state IN ('requested', 'offered', 'accepted') AND s.state NOT IN ('reserved')) \
         OR (c.state IN ('on_loan', 'returned') AND s.state IN ('reserved', 'released')) \
         OR (c.state = 'returned' AND s.state = 'active') \
         OR (c.state = 'cancelled' AND s.state <> 'released')",
    ),
    (
        "a class set on loan has a device out or back",
        "SELECT c.id FROM class_sets c WHERE c.state IN ('on_loan', 'returned') AND NOT EXISTS \
         (SELECT 1 FROM class_set_loans s WHERE s.class_set_id = c.id AND s.state <> 'released')",
    ),
    (
        "a licence's seats in use are its proposed allocations and open loans",
        "SELECT c.id FROM licences c WHERE c.seats_in_use <> \
         (SELECT COUNT(*) FROM allocations a WHERE a.licence_id = c.id AND a.state = 'proposed') + \
         (SELECT COUNT(*) FROM loans l WHERE l.licence_id = c.id AND l.state IN ('reserved', 'active', 'lost'))",
    ),
    (
        "an allocated request has exactly one proposed allocation or reserved loan",
        "SELECT r.id FROM requests r WHERE r.state = 'allocated' AND \
         (SELECT COUNT(*) FROM allocations a WHERE a.request_id = r.id AND a.state = 'proposed') + \
         (SELECT COUNT(*) FROM loans l WHERE l.request_id = r.id AND l.state = 'reserved') <> 1",
    ),
    (
        "a proposed allocation's request is allocated",
        "SELECT a.id FROM allocations a JOIN requests r ON r.id = a.request_id \
         WHERE a.state = 'proposed' AND r.state <> 'allocated'",
    ),
    (
        "a confirmed allocation has exactly one loan",
        "SELECT a.id FROM allocations a WHERE a.state = 'confirmed' AND \
         (SELECT COUNT(*) FROM loans l WHERE l.allocation_id = a.id) <> 1",
    ),
    (
        "a gifted device has its one gifted loan, and a gifted loan's device is gifted",
        "SELECT d.id FROM devices d WHERE d.state = 'gifted' AND \
         (SELECT COUNT(*) FROM loans l WHERE l.device_id = d.id AND l.state = 'gifted') <> 1 \
         UNION ALL SELECT l.id FROM loans l JOIN devices d ON d.id = l.device_id \
         WHERE l.state = 'gifted' AND d.state <> 'gifted'",
    ),
    (
        "a loan has its confirmed allocation",
        "SELECT l.id FROM loans l LEFT JOIN allocations a ON a.id = l.allocation_id \
         WHERE a.id IS NULL OR a.state <> 'confirmed'",
    ),
];

/// Every rule that some row breaks (empty: all is well).
pub fn check(conn: &mut DbConnection) -> QueryResult<Vec<Finding>> {
    let mut findings = Vec::new();
    for (rule, ids) in RULES {
        let count = format!("SELECT COUNT(*) AS broken_rows FROM ({ids}) AS broken");
        let broken: Count = with_backend!(conn, c => diesel::sql_query(&count).get_result::<Count>(c))?;
        if broken.broken_rows == 0 {
            continue;
        }
        let some = format!("SELECT id FROM ({ids}) AS broken ORDER BY id LIMIT 5");
        let examples: Vec<Id> = with_backend!(conn, c => diesel::sql_query(&some).load::<Id>(c))?;
        findings.push(Finding {
            rule,
            rows: broken.broken_rows,
            examples: examples.into_iter().map(|r| r.id).collect(),
        });
    }
    Ok(findings)
}
