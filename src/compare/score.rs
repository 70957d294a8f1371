//! Scores: severity weights, exact ratios and the weighted tally of a set of results.
//!
//! Every figure is a ratio of integer weight sums, compared exactly (cross-multiplied), so
//! ranks and ties never depend on floating-point rounding.

use std::cmp::Ordering;

use serde::Serialize;

use crate::check::Status;
use crate::syntax::ast::Severity;

/// The weight of each severity in scores.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Weights {
    /// Weight of a low-severity norm.
    pub low: u64,
    /// Weight of a medium-severity norm.
    pub medium: u64,
    /// Weight of a high-severity norm.
    pub high: u64,
    /// Weight of a critical norm.
    pub critical: u64,
}

impl Default for Weights {
    /// Linear weights 1, 2, 3, 4 (docs/scoring.md says why).
    fn default() -> Self {
        Weights {
            low: 1,
            medium: 2,
            high: 3,
            critical: 4,
        }
    }
}

impl Weights {
    /// The weight of `severity`.
    pub fn of(&self, severity: Severity) -> u64 {
        match severity {
            Severity::Low => self.low,
            Severity::Medium => self.medium,
            Severity::High => self.high,
            Severity::Critical => self.critical,
        }
    }
}

/// An exact ratio `num / den` with `den > 0`.
#[derive(Clone, Copy, Debug, Eq)]
pub struct Ratio {
    /// Numerator.
    pub num: u64,
    /// Denominator, never zero.
    pub den: u64,
}

impl Ratio {
    /// `num / den`, or `None` when `den` is zero.
    pub fn new(num: u64, den: u64) -> Option<Ratio> {
        (den > 0).then_some(Ratio { num, den })
    }

    /// The value as a float, for display and statistics.
    pub fn value(self) -> f64 {
        self.num as f64 / self.den as f64
    }

    /// The percentage in tenths of a point, rounded half up (`962` for 96.2 %).
    pub fn tenths_of_percent(self) -> u64 {
        tenths_of_percent(u128::from(self.num), u128::from(self.den))
    }

    /// The percentage with one decimal, e.g. `96.2`.
    pub fn percent_text(self) -> String {
        tenths_text(self.tenths_of_percent())
    }

    /// The value as shown: the fraction of the percentage rounded to one decimal (`0.962`),
    /// for output whose reader formats it again, so that it shows the same figure.
    pub fn shown_value(self) -> f64 {
        self.tenths_of_percent() as f64 / 1000.0
    }

    /// Half the sum of two ratios (the median of an even count), in tenths of a percent
    /// rounded half up.
    pub fn midpoint_tenths(self, other: Ratio) -> u64 {
        let (a, b) = (u128::from(self.den), u128::from(other.den));
        let num = u128::from(self.num) * b + u128::from(other.num) * a;
        tenths_of_percent(num, 2 * a * b)
    }

    /// The whole percentage, rounded half up.
    pub fn whole_percent(self) -> u64 {
        let scaled = u128::from(self.num) * 200 + u128::from(self.den);
        u64::try_from(scaled / (2 * u128::from(self.den))).unwrap_or(u64::MAX)
    }
}

impl PartialEq for Ratio {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl PartialOrd for Ratio {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Ratio {
    fn cmp(&self, other: &Self) -> Ordering {
        let left = u128::from(self.num) * u128::from(other.den);
        let right = u128::from(other.num) * u128::from(self.den);
        left.cmp(&right)
    }
}

impl Serialize for Ratio {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        // Four decimals: enough to order by eye; the weights beside it give the exact value.
        let rounded = (self.value() * 10_000.0).round() / 10_000.0;
        serializer.serialize_f64(rounded)
    }
}

/// Weight sums per status of a set of results, and the count of errors.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Tally {
    /// Weight of the norms that pass.
    pub pass: u64,
    /// Weight of the norms that fail.
    pub fail: u64,
    /// Weight of the failures excused by an active waiver.
    pub waived: u64,
    /// Weight of the norms without evidence, errors included.
    pub unknown: u64,
    /// Weight of the norms that do not apply.
    pub not_applicable: u64,
    /// Number of results that could not be evaluated (counted in `unknown`).
    pub errors: u64,
}

impl Tally {
    /// Adds one result of `status` weighing `weight`.
    pub fn add(&mut self, status: Status, weight: u64) {
        match status {
            Status::Pass => self.pass += weight,
            Status::Fail => self.fail += weight,
            Status::Waived => self.waived += weight,
            Status::Unknown => self.unknown += weight,
            Status::NotApplicable => self.not_applicable += weight,
            Status::Error => {
                self.unknown += weight;
                self.errors += 1;
            }
        }
    }

    /// The weight of decided results: pass, fail and waived.
    pub fn decided(&self) -> u64 {
        self.pass + self.fail + self.waived
    }

    /// The weight of applicable results: everything but not-applicable.
    pub fn applicable(&self) -> u64 {
        self.decided() + self.unknown
    }

    /// The scores of this tally.
    pub fn score(self) -> Score {
        Score {
            compliance: Ratio::new(self.pass, self.pass + self.fail),
            coverage: Ratio::new(self.decided(), self.applicable()),
            waived: Ratio::new(self.waived, self.decided()),
            weights: self,
        }
    }
}

/// The scores of a jurisdiction (overall, or in one pillar or stage).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Score {
    /// Weighted passes over weighted passes and fails; `None` when nothing passed or failed.
    pub compliance: Option<Ratio>,
    /// Weighted decided results over weighted applicable ones; `None` when nothing applies.
    pub coverage: Option<Ratio>,
    /// Weighted waived results over weighted decided ones, shown apart from compliance.
    pub waived: Option<Ratio>,
    /// The weight sums behind the ratios.
    pub weights: Tally,
}

impl Default for Score {
    fn default() -> Self {
        Tally::default().score()
    }
}

/// `num / den` as a percentage in tenths of a point, rounded half up; `den` is not zero.
fn tenths_of_percent(num: u128, den: u128) -> u64 {
    let scaled = num.saturating_mul(2000).saturating_add(den);
    u64::try_from(scaled / (2 * den)).unwrap_or(u64::MAX)
}

/// A percentage given in tenths of a point, with one decimal: `962` is `96.2`.
pub fn tenths_text(tenths: u64) -> String {
    format!("{}.{}", tenths / 10, tenths % 10)
}

/// The percentage of an optional ratio with one decimal, or `–` when there is none.
pub fn percent_or_dash(ratio: Option<Ratio>) -> String {
    ratio.map_or_else(|| "–".to_string(), Ratio::percent_text)
}
