//! Small-cell suppression for published counts of students: a cell that describes between 1
//! and `min - 1` people is hidden, and so many more cells (complementary suppression) that the
//! total minus the published cells cannot give a hidden one back.
//!
//! One breakdown at a time (by track, by target group, by school): each is a list of cells
//! that add up to its total. The rules, checked by the tests for every input:
//! - no published cell counts 1 to `min - 1` people;
//! - hidden cells are never alone: at least two are hidden, or none;
//! - what the hidden cells add up to (the total minus the published cells) is 0 or at least
//!   `min`, so even the sum an attacker can work out describes a group big enough;
//! - where that cannot be reached, the total is hidden too.

use serde::Serialize;

/// A published figure, or a hidden one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Cell {
    Count(i64),
    /// Hidden: too few people, or hidden so that a small one cannot be worked out.
    Suppressed,
}

impl Cell {
    pub fn count(self) -> Option<i64> {
        match self {
            Cell::Count(n) => Some(n),
            Cell::Suppressed => None,
        }
    }
}

/// One count on its own (not part of a breakdown): hidden when it describes 1 to `min - 1`
/// people.
pub fn single(n: i64, min: i64) -> Cell {
    if n > 0 && n < min {
        Cell::Suppressed
    } else {
        Cell::Count(n)
    }
}

/// A breakdown ready to publish.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Breakdown {
    pub cells: Vec<(String, Cell)>,
    pub total: Cell,
}

/// Applies primary and complementary suppression to `cells`, whose counts add up to the total.
pub fn suppress(cells: &[(String, i64)], min: i64) -> Breakdown {
    let total: i64 = cells.iter().map(|(_, n)| *n).sum();
    let small = |n: i64| n > 0 && n < min;
    let mut hidden: Vec<bool> = cells.iter().map(|(_, n)| small(*n)).collect();
    loop {
        let count = hidden.iter().filter(|h| **h).count();
        let hidden_sum: i64 = cells.iter().zip(&hidden).filter(|(_, h)| **h).map(|((_, n), _)| *n).sum();
        let safe = count == 0 || (count >= 2 && !small(hidden_sum));
        if safe {
            break;
        }
        // Hide the smallest cell still shown that has people in it: it gives away least.
        let next = cells
            .iter()
            .enumerate()
            .filter(|(i, (_, n))| !hidden[*i] && *n > 0)
            .min_by_key(|(i, (_, n))| (*n, *i))
            .map(|(i, _)| i);
        match next {
            Some(i) => hidden[i] = true,
            None => {
                // Nothing left to hide beside it: the total would give the group away.
                let published = cells
                    .iter()
                    .zip(&hidden)
                    .map(|((k, n), h)| (k.clone(), if *h { Cell::Suppressed } else { Cell::Count(*n) }));
                return Breakdown { cells: published.collect(), total: Cell::Suppressed };
            }
        }
    }
    let published = cells
        .iter()
        .zip(&hidden)
        .map(|((k, n), h)| (k.clone(), if *h { Cell::Suppressed } else { Cell::Count(*n) }));
    let total = if small(total) { Cell::Suppressed } else { Cell::Count(total) };
    Breakdown { cells: published.collect(), total }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn named(counts: &[i64]) -> Vec<(String, i64)> {
        counts.iter().enumerate().map(|(i, n)| (format!("c{i}"), *n)).collect()
    }

    fn shown(b: &Breakdown) -> Vec<Option<i64>> {
        b.cells.iter().map(|(_, c)| c.count()).collect()
    }

    #[test]
    fn large_cells_are_shown_as_they_are() {
        let b = suppress(&named(&[12, 7, 30]), 5);
        assert_eq!(shown(&b), vec![Some(12), Some(7), Some(30)]);
        assert_eq!(b.total, Cell::Count(49));
    }

    #[test]
    fn one_small_cell_takes_the_next_smallest_with_it() {
        // The 3 alone could be worked out from the total, so the 4 is hidden with it; what
        // the two add up to, 7, is a group big enough to show.
        let b = suppress(&named(&[12, 3, 30, 4]), 5);
        assert_eq!(shown(&b), vec![Some(12), None, Some(30), None]);
        assert_eq!(b.total, Cell::Count(49));
    }

    #[test]
    fn hidden_cells_that_add_up_to_a_small_group_take_another() {
        // 1 and 2 hidden add up to 3 < 5: the 6 is hidden too (sum 9).
        let b = suppress(&named(&[1, 2, 6, 40]), 5);
        assert_eq!(shown(&b), vec![None, None, None, Some(40)]);
    }

    #[test]
    fn a_single_count_is_hidden_only_when_small() {
        assert_eq!(single(0, 5), Cell::Count(0));
        assert_eq!(single(1, 5), Cell::Suppressed);
        assert_eq!(single(4, 5), Cell::Suppressed);
        assert_eq!(single(5, 5), Cell::Count(5));
    }

    #[test]
    fn zeros_describe_nobody_and_are_shown() {
        let b = suppress(&named(&[0, 10, 0]), 5);
        assert_eq!(shown(&b), vec![Some(0), Some(10), Some(0)]);
    }

    #[test]
    fn a_small_total_is_hidden_with_its_cells() {
        let b = suppress(&named(&[2, 1]), 5);
        assert_eq!(shown(&b), vec![None, None]);
        assert_eq!(b.total, Cell::Suppressed);
        let b = suppress(&named(&[3]), 5);
        assert_eq!((shown(&b), b.total), (vec![None], Cell::Suppressed));
    }

    proptest! {
        /// Whatever the counts: no small cell is shown, and subtracting the shown cells from
        /// the shown total never isolates one hidden cell or a small group.
        #[test]
        fn the_subtraction_attack_never_reveals_a_small_group(
            counts in proptest::collection::vec(0_i64..40, 1..8),
            min in 2_i64..11,
        ) {
            let b = suppress(&named(&counts), min);
            for c in shown(&b).into_iter().flatten() {
                prop_assert!(c == 0 || c >= min, "small cell shown: {c}");
            }
            let hidden: Vec<i64> = counts.iter().zip(shown(&b)).filter(|(_, s)| s.is_none()).map(|(n, _)| *n).collect();
            if let Cell::Count(total) = b.total {
                let published: i64 = shown(&b).into_iter().flatten().sum();
                let recovered = total - published;
                prop_assert_eq!(recovered, hidden.iter().sum::<i64>());
                prop_assert!(hidden.is_empty() || hidden.len() >= 2, "a hidden cell alone: {:?}", counts);
                prop_assert!(recovered == 0 || recovered >= min, "hidden cells add up to {}", recovered);
                prop_assert!(total == 0 || total >= min);
            }
        }
    }
}
