//! The environmental figures of the impact report: what reusing donated kit avoided, as an
//! estimate with a range, worked out from a versioned factor set (`[reports.environment]` in
//! the configuration) that names its sources.
//!
//! Every loan cycle counts as one reuse: a student who borrows a laptop does not buy one, so
//! the share `displacement` of a new laptop's embodied emissions is not caused. The figure is
//! emissions avoided in the world, never a cut in the donor's own (scope 1–3) emissions: the
//! report says so next to it.

use serde::{Deserialize, Serialize};

use super::device::DeviceKind;

/// The factors, as configured. A changed factor gets a new `version`, so a report always
/// names the numbers it was worked out with.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct FactorSet {
    pub version: String,
    /// Where the factors come from, one line each, as a reader can look them up.
    pub sources: Vec<String>,
    /// Share of a new device's embodied emissions that one reuse avoids (0 to 1).
    pub displacement: f64,
    pub laptop: KindFactors,
    pub wifi_dongle: KindFactors,
}

/// The factors of one kind of device.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct KindFactors {
    /// The weight used where a device was not weighed.
    pub default_weight_kg: f64,
    /// Embodied emissions of making a new one, kg CO2e, the low and high end of the sources'
    /// range. Absent: the sources give none, and this kind adds nothing to the CO2e estimate.
    pub embodied_kg_co2e_low: Option<f64>,
    pub embodied_kg_co2e_high: Option<f64>,
}

impl FactorSet {
    pub fn of(&self, kind: DeviceKind) -> &KindFactors {
        match kind {
            DeviceKind::Laptop => &self.laptop,
            DeviceKind::WifiDongle => &self.wifi_dongle,
        }
    }

    /// What is wrong with the set, if anything (checked when the configuration is read).
    pub fn problem(&self) -> Option<String> {
        if self.version.trim().is_empty() || self.sources.iter().all(|s| s.trim().is_empty()) {
            return Some("reports.environment.version and reports.environment.sources must be set".into());
        }
        if !(0.0..=1.0).contains(&self.displacement) {
            return Some("reports.environment.displacement must be between 0 and 1".into());
        }
        for (name, k) in [("laptop", &self.laptop), ("wifi_dongle", &self.wifi_dongle)] {
            if !(k.default_weight_kg > 0.0 && k.default_weight_kg <= 20.0) {
                return Some(format!(
                    "reports.environment.{name}.default_weight_kg must be above 0 and at most 20"
                ));
            }
            match (k.embodied_kg_co2e_low, k.embodied_kg_co2e_high) {
                (None, None) => {}
                (Some(low), Some(high)) if 0.0 <= low && low <= high && high <= 10_000.0 => {}
                _ => {
                    return Some(format!(
                        "reports.environment.{name}: embodied_kg_co2e_low and _high go together, low ≤ high, at most 10000"
                    ))
                }
            }
        }
        None
    }
}

/// Loan cycles of one kind of device begun in one month, with the weight of the devices lent
/// summed per cycle.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct MonthReuse {
    pub loan_cycles: i64,
    /// Summed over the cycles whose device was weighed.
    pub weighed_kg: f64,
    /// Cycles whose device was not weighed.
    pub unweighed: i64,
}

/// Devices of one kind sent to certified recycling in the period.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Recycled {
    pub devices: i64,
    pub weighed_kg: f64,
    pub unweighed: i64,
}

/// What the kit's reuse avoided: loan cycles, their kg and the CO2e range. Hidden as a whole
/// where it would count fewer than the minimum of hand-overs (see [`figures`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Reuse {
    pub loan_cycles: i64,
    /// One decimal.
    pub kg: f64,
    /// How much of `kg` is the default weight, for devices nobody weighed.
    pub kg_by_default: f64,
    /// Low and high end, whole kg; `None` where the factor set gives no emissions for the kind.
    pub co2e_avoided_kg: Option<(f64, f64)>,
}

/// The figures of one kind of device.
#[derive(Debug, Clone, PartialEq)]
pub struct KindFigures {
    pub kind: DeviceKind,
    /// `None`: hidden.
    pub reuse: Option<Reuse>,
    pub devices_recycled: i64,
    /// One decimal.
    pub kg_recycled: f64,
}

/// The report's figures: a line per kind with anything to count, and their totals.
#[derive(Debug, Clone, PartialEq)]
pub struct Figures {
    pub kinds: Vec<KindFigures>,
    /// The kinds' reuse added up; `None` if any kind's is hidden (a total less a shown kind
    /// would give the hidden one). The CO2e range adds up the kinds that have one.
    pub reuse: Option<Reuse>,
    pub devices_recycled: i64,
    pub kg_recycled: f64,
}

/// Rounded to one decimal; `+ 0.0` turns the -0.0 that an empty sum gives into 0.0, so no
/// page says "-0.0 kg".
fn one_decimal(kg: f64) -> f64 {
    (kg * 10.0).round() / 10.0 + 0.0
}

/// Works out the figures of a period from each month's loan cycles by kind and the devices
/// recycled in it. A loan cycle is a hand-over to a student, so a month's cycles of a kind are
/// a count of students: like the reach figures, each month is published on its own, shown if
/// it is 0 or at least `min`, and a kind's figure over the period is hidden if any of its
/// months is. Recycling counts devices, not people, and is always shown.
pub fn figures(
    factors: &FactorSet,
    reuse: &[(String, DeviceKind, MonthReuse)],
    recycled: &[(DeviceKind, Recycled)],
    min: i64,
) -> Figures {
    let mut kinds = Vec::new();
    for kind in [DeviceKind::Laptop, DeviceKind::WifiDongle] {
        let months: Vec<&MonthReuse> = reuse.iter().filter(|r| r.1 == kind).map(|r| &r.2).collect();
        let gone =
            recycled.iter().filter(|r| r.0 == kind).map(|r| r.1).fold(Recycled::default(), |a, b| Recycled {
                devices: a.devices + b.devices,
                weighed_kg: a.weighed_kg + b.weighed_kg,
                unweighed: a.unweighed + b.unweighed,
            });
        let cycles: i64 = months.iter().map(|m| m.loan_cycles).sum();
        if cycles == 0 && gone.devices == 0 {
            continue;
        }
        let f = factors.of(kind);
        let hidden = months.iter().any(|m| m.loan_cycles > 0 && m.loan_cycles < min);
        let reuse = (!hidden).then(|| {
            let by_default = months.iter().map(|m| m.unweighed).sum::<i64>() as f64 * f.default_weight_kg;
            let weighed: f64 = months.iter().map(|m| m.weighed_kg).sum();
            let co2e = match (f.embodied_kg_co2e_low, f.embodied_kg_co2e_high) {
                (Some(low), Some(high)) => {
                    let avoided = |kg: f64| (cycles as f64 * kg * factors.displacement).round();
                    Some((avoided(low), avoided(high)))
                }
                _ => None,
            };
            Reuse {
                loan_cycles: cycles,
                kg: one_decimal(weighed + by_default),
                kg_by_default: one_decimal(by_default),
                co2e_avoided_kg: co2e,
            }
        });
        kinds.push(KindFigures {
            kind,
            reuse,
            devices_recycled: gone.devices,
            kg_recycled: one_decimal(gone.weighed_kg + gone.unweighed as f64 * f.default_weight_kg),
        });
    }
    let total = kinds.iter().try_fold(
        Reuse { loan_cycles: 0, kg: 0.0, kg_by_default: 0.0, co2e_avoided_kg: Some((0.0, 0.0)) },
        |sum, k| {
            let r = k.reuse?;
            let co2e = match (sum.co2e_avoided_kg, r.co2e_avoided_kg) {
                (Some(a), Some(b)) => Some((a.0 + b.0, a.1 + b.1)),
                (a, None) => a,
                (None, b) => b,
            };
            Some(Reuse {
                loan_cycles: sum.loan_cycles + r.loan_cycles,
                kg: one_decimal(sum.kg + r.kg),
                kg_by_default: one_decimal(sum.kg_by_default + r.kg_by_default),
                co2e_avoided_kg: co2e,
            })
        },
    );
    Figures {
        reuse: total,
        devices_recycled: kinds.iter().map(|k| k.devices_recycled).sum(),
        kg_recycled: one_decimal(kinds.iter().map(|k| k.kg_recycled).sum()),
        kinds,
    }
}

/// Devices counted by kind (gifts, say) and their weight: weighed, or the factor set's default
/// weight of the kind for those nobody weighed; one decimal.
pub fn devices_and_kg(factors: &FactorSet, counts: &[(DeviceKind, Recycled)]) -> (i64, f64) {
    let devices = counts.iter().map(|c| c.1.devices).sum();
    let kg = counts
        .iter()
        .map(|(kind, c)| c.weighed_kg + c.unweighed as f64 * factors.of(*kind).default_weight_kg)
        .sum();
    (devices, one_decimal(kg))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn factors() -> FactorSet {
        FactorSet {
            version: "test-1".into(),
            sources: vec!["A study".into()],
            displacement: 0.5,
            laptop: KindFactors {
                default_weight_kg: 1.8,
                embodied_kg_co2e_low: Some(214.0),
                embodied_kg_co2e_high: Some(260.0),
            },
            wifi_dongle: KindFactors {
                default_weight_kg: 0.1,
                embodied_kg_co2e_low: None,
                embodied_kg_co2e_high: None,
            },
        }
    }

    fn month(
        month: &str,
        kind: DeviceKind,
        cycles: i64,
        weighed_kg: f64,
        unweighed: i64,
    ) -> (String, DeviceKind, MonthReuse) {
        (month.to_owned(), kind, MonthReuse { loan_cycles: cycles, weighed_kg, unweighed })
    }

    #[test]
    fn gifts_weigh_what_was_weighed_and_the_default_for_the_rest() {
        let f = factors();
        assert_eq!(devices_and_kg(&f, &[]), (0, 0.0));
        let counts = [
            (DeviceKind::Laptop, Recycled { devices: 3, weighed_kg: 2.5, unweighed: 2 }),
            (DeviceKind::WifiDongle, Recycled { devices: 1, weighed_kg: 0.0, unweighed: 1 }),
        ];
        let expected = 2.5
            + 2.0 * f.of(DeviceKind::Laptop).default_weight_kg
            + f.of(DeviceKind::WifiDongle).default_weight_kg;
        assert_eq!(devices_and_kg(&f, &counts), (4, (expected * 10.0).round() / 10.0));
    }

    #[test]
    fn a_period_with_nothing_recycled_weighs_plus_zero() {
        let f = figures(&factors(), &[], &[], 5);
        assert_eq!(f.devices_recycled, 0);
        assert!(f.kg_recycled == 0.0 && f.kg_recycled.is_sign_positive(), "not -0.0: {}", f.kg_recycled);
        assert_eq!(format!("{:.1}", one_decimal(-0.0)), "0.0");
    }

    #[test]
    fn each_loan_cycle_avoids_the_displaced_share_of_a_new_laptop() {
        // March: five cycles, two of them of a laptop weighed at 2.0 kg; April: six unweighed.
        let reuse = [
            month("2026-03", DeviceKind::Laptop, 5, 4.0, 3),
            month("2026-04", DeviceKind::Laptop, 6, 0.0, 6),
        ];
        let recycled = [(DeviceKind::Laptop, Recycled { devices: 2, weighed_kg: 2.5, unweighed: 1 })];
        let f = figures(&factors(), &reuse, &recycled, 5);
        assert_eq!(f.kinds.len(), 1);
        let r = f.kinds[0].reuse.expect("shown");
        assert_eq!(r.loan_cycles, 11);
        // 4.0 weighed + 9 × 1.8 = 20.2 kg, 16.2 of them by default.
        assert_eq!((r.kg, r.kg_by_default), (20.2, 16.2));
        // 11 × 214 × 0.5 = 1177 and 11 × 260 × 0.5 = 1430.
        assert_eq!(r.co2e_avoided_kg, Some((1177.0, 1430.0)));
        assert_eq!((f.kinds[0].devices_recycled, f.kinds[0].kg_recycled), (2, 4.3));
        assert_eq!(f.reuse, Some(r));
        assert_eq!((f.devices_recycled, f.kg_recycled), (2, 4.3));
    }

    #[test]
    fn a_kind_without_embodied_emissions_counts_kg_but_no_co2e() {
        let reuse = [
            month("2026-03", DeviceKind::WifiDongle, 5, 0.0, 5),
            month("2026-03", DeviceKind::Laptop, 5, 0.0, 5),
        ];
        let recycled = [(DeviceKind::WifiDongle, Recycled { devices: 2, weighed_kg: 0.0, unweighed: 2 })];
        let f = figures(&factors(), &reuse, &recycled, 5);
        assert_eq!(
            f.kinds.iter().map(|k| k.kind).collect::<Vec<_>>(),
            [DeviceKind::Laptop, DeviceKind::WifiDongle]
        );
        let dongles = &f.kinds[1];
        assert_eq!(dongles.reuse.map(|r| (r.kg, r.co2e_avoided_kg)), Some((0.5, None)));
        assert_eq!(dongles.kg_recycled, 0.2);
        let total = f.reuse.expect("shown");
        assert_eq!((total.loan_cycles, total.kg, total.kg_by_default), (10, 9.5, 9.5));
        assert_eq!(total.co2e_avoided_kg, Some((535.0, 650.0)), "the laptops' only");
    }

    #[test]
    fn a_month_with_fewer_hand_overs_than_the_minimum_hides_its_kind_and_the_total() {
        let reuse = [
            month("2026-03", DeviceKind::Laptop, 7, 0.0, 7),
            month("2026-04", DeviceKind::Laptop, 0, 0.0, 0),
            month("2026-03", DeviceKind::WifiDongle, 1, 0.0, 1),
        ];
        let recycled = [(DeviceKind::Laptop, Recycled { devices: 1, weighed_kg: 0.0, unweighed: 1 })];
        let f = figures(&factors(), &reuse, &recycled, 5);
        assert!(f.kinds[0].reuse.is_some(), "seven laptops and an empty month are shown");
        assert_eq!(f.kinds[1].reuse, None, "one dongle is a student");
        assert_eq!(f.reuse, None, "the total less the laptops would give the dongle");
        assert_eq!((f.devices_recycled, f.kg_recycled), (1, 1.8), "recycling counts no people");
    }

    #[test]
    fn nothing_lent_or_recycled_gives_no_lines_and_zero_totals() {
        let f = figures(&factors(), &[month("2026-03", DeviceKind::Laptop, 0, 0.0, 0)], &[], 5);
        assert!(f.kinds.is_empty());
        assert_eq!(
            f.reuse.map(|r| (r.loan_cycles, r.kg, r.co2e_avoided_kg)),
            Some((0, 0.0, Some((0.0, 0.0))))
        );
    }

    #[test]
    fn a_factor_set_with_a_broken_range_or_no_sources_is_refused() {
        assert_eq!(factors().problem(), None);
        let mut f = factors();
        f.laptop.embodied_kg_co2e_high = Some(100.0);
        assert!(f.problem().is_some(), "low above high");
        let mut f = factors();
        f.wifi_dongle.embodied_kg_co2e_low = Some(1.0);
        assert!(f.problem().is_some(), "low without high");
        let mut f = factors();
        f.sources = vec![" ".into()];
        assert!(f.problem().is_some());
        let mut f = factors();
        f.displacement = 1.5;
        assert!(f.problem().is_some());
        let mut f = factors();
        f.laptop.default_weight_kg = 0.0;
        assert!(f.problem().is_some());
    }
}
