//! Trends: what changed between a baseline comparison and the current one, per jurisdiction
//! (matched by key): the change in overall and pillar compliance, the norms newly failing and
//! newly passing, and the jurisdictions that appeared or disappeared.

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use super::{Comparison, Jurisdiction, Ratio};
use crate::check::Status;

/// Changes between a baseline and the current comparison.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Trend {
    /// One entry per jurisdiction present in both, in the current rank order.
    pub changes: Vec<JurisdictionChange>,
    /// Keys of the jurisdictions only in the current comparison.
    pub appeared: Vec<String>,
    /// Keys of the jurisdictions only in the baseline.
    pub disappeared: Vec<String>,
}

/// What changed for one jurisdiction.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct JurisdictionChange {
    /// Its key.
    pub jurisdiction: String,
    /// Overall compliance before and after.
    pub overall: Delta,
    /// Compliance per pillar of the current comparison, before and after.
    pub pillars: Vec<Delta>,
    /// Norms that fail now and did not in the baseline (where they were reported).
    pub newly_failing: Vec<String>,
    /// Norms that pass now and did not in the baseline (where they were reported).
    pub newly_passing: Vec<String>,
    /// Whether it crossed the baseline (a critical norm failing) since the baseline.
    pub baseline: BaselineChange,
}

/// How a jurisdiction's standing against the baseline changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum BaselineChange {
    /// As it was.
    Same,
    /// It fails a critical norm now and did not then.
    NowBelow,
    /// It failed a critical norm then and fails none now.
    NoLongerBelow,
}

impl BaselineChange {
    /// The change in words, when there is one.
    pub fn text(self) -> Option<&'static str> {
        match self {
            BaselineChange::Same => None,
            BaselineChange::NowBelow => Some("now below baseline"),
            BaselineChange::NoLongerBelow => Some("no longer below baseline"),
        }
    }
}

/// A score before and after.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Delta {
    /// In the baseline.
    pub before: Option<Ratio>,
    /// Now.
    pub after: Option<Ratio>,
}

impl Delta {
    /// The change in percentage points, rounded to tenths, when both scores exist.
    pub fn points(self) -> Option<f64> {
        let before = self.before?.tenths_of_percent() as f64;
        let after = self.after?.tenths_of_percent() as f64;
        Some((after - before) / 10.0)
    }

    /// The change as text: `+1.5`, `-0.3`, `0.0` or `–`.
    pub fn text(self) -> String {
        match self.points() {
            None => "–".to_string(),
            Some(points) if points > 0.0 => format!("+{points:.1}"),
            Some(points) => format!("{points:.1}"),
        }
    }
}

/// The changes from `before` to `after`.
pub fn trend(before: &Comparison, after: &Comparison) -> Trend {
    let previous: HashMap<&str, &Jurisdiction> = before
        .jurisdictions
        .iter()
        .map(|j| (j.key.as_str(), j))
        .collect();
    let mut changes = Vec::new();
    let mut appeared = Vec::new();
    for jurisdiction in &after.jurisdictions {
        match previous.get(jurisdiction.key.as_str()) {
            Some(old) => changes.push(change(before, old, after, jurisdiction)),
            None => appeared.push(jurisdiction.key.clone()),
        }
    }
    let current: HashSet<&str> = after.jurisdictions.iter().map(|j| j.key.as_str()).collect();
    let mut disappeared: Vec<String> = before
        .jurisdictions
        .iter()
        .filter(|j| !current.contains(j.key.as_str()))
        .map(|j| j.key.clone())
        .collect();
    disappeared.sort();
    Trend {
        changes,
        appeared,
        disappeared,
    }
}

fn change(
    before: &Comparison,
    old: &Jurisdiction,
    after: &Comparison,
    new: &Jurisdiction,
) -> JurisdictionChange {
    let pillars = after
        .pillars
        .iter()
        .enumerate()
        .map(|(index, pillar)| Delta {
            before: before
                .pillars
                .iter()
                .position(|p| p.id == pillar.id)
                .and_then(|p| old.pillars.get(p))
                .and_then(|s| s.compliance),
            after: new.pillars.get(index).and_then(|s| s.compliance),
        })
        .collect();
    let old_status: HashMap<&str, Status> = before
        .norms
        .iter()
        .zip(&old.statuses)
        .filter_map(|(norm, status)| Some((norm.id.as_str(), (*status)?)))
        .collect();
    let mut newly_failing = Vec::new();
    let mut newly_passing = Vec::new();
    for (norm, status) in after.norms.iter().zip(&new.statuses) {
        let (Some(now), Some(&then)) = (status, old_status.get(norm.id.as_str())) else {
            continue;
        };
        if *now == Status::Fail && then != Status::Fail {
            newly_failing.push(norm.id.clone());
        }
        if *now == Status::Pass && then != Status::Pass {
            newly_passing.push(norm.id.clone());
        }
    }
    JurisdictionChange {
        jurisdiction: new.key.clone(),
        overall: Delta {
            before: old.overall.compliance,
            after: new.overall.compliance,
        },
        pillars,
        newly_failing,
        newly_passing,
        baseline: match (old.below_baseline(), new.below_baseline()) {
            (false, true) => BaselineChange::NowBelow,
            (true, false) => BaselineChange::NoLongerBelow,
            _ => BaselineChange::Same,
        },
    }
}
