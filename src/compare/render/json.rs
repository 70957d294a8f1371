//! JSON: the whole comparison, versioned (`"kind": "rampart-comparison"`, `"version": 1`), with
//! the fields described in docs/report-schema.md. Scores are fractions rounded to four
//! decimals, with the integer weight sums beside them for exact recomputation; scores per
//! pillar and stage are lists of objects naming their pillar or stage.

use std::collections::BTreeMap;

use serde::Serialize;

use super::flags;
use crate::check::Status;
use crate::compare::{
    BaselineChange, Comparison, Delta, Group, Grouping, Jurisdiction, NormInfo, Score, Stats,
    Trend, Weights,
};
use crate::report::{Category, Metadata};

/// The version of the comparison JSON.
pub const COMPARISON_VERSION: u32 = 1;

/// Renders the comparison as pretty-printed JSON with a final newline.
pub fn render(comparison: &Comparison) -> String {
    let document = Document {
        kind: "rampart-comparison",
        version: COMPARISON_VERSION,
        profile: comparison.profile.as_deref(),
        weights: comparison.weights,
        pillars: &comparison.pillars,
        stages: &comparison.stages,
        norms: &comparison.norms,
        jurisdictions: comparison
            .jurisdictions
            .iter()
            .map(|j| jurisdiction(comparison, j))
            .collect(),
        grouping: comparison
            .grouping
            .as_ref()
            .map(|g| grouping(comparison, g)),
        trend: comparison.trend.as_ref().map(|t| trend(comparison, t)),
    };
    let mut text = serde_json::to_string_pretty(&document)
        .expect("a comparison has string keys and finite numbers");
    text.push('\n');
    text
}

#[derive(Serialize)]
struct Document<'c> {
    kind: &'static str,
    version: u32,
    profile: Option<&'c str>,
    weights: Weights,
    pillars: &'c [Category],
    stages: &'c [Category],
    norms: &'c [NormInfo],
    jurisdictions: Vec<JurisdictionView<'c>>,
    grouping: Option<GroupingView<'c>>,
    trend: Option<TrendView<'c>>,
}

#[derive(Serialize)]
struct JurisdictionView<'c> {
    rank: Option<String>,
    position: Option<usize>,
    key: &'c str,
    name: &'c str,
    path: &'c str,
    evaluated: bool,
    below_baseline: bool,
    flags: Vec<String>,
    critical_fails: &'c [String],
    errors: &'c [String],
    overall: Score,
    pillars: Vec<Named<'c, Score>>,
    stages: Vec<Named<'c, Score>>,
    statuses: BTreeMap<&'c str, Status>,
    metadata: Option<&'c Metadata>,
}

/// A value for one pillar or stage, with its id.
#[derive(Serialize)]
struct Named<'c, T: Serialize> {
    id: &'c str,
    #[serde(flatten)]
    value: T,
}

fn named<'c, T: Serialize + Copy>(categories: &'c [Category], values: &[T]) -> Vec<Named<'c, T>> {
    categories
        .iter()
        .zip(values)
        .map(|(c, v)| Named {
            id: &c.id,
            value: *v,
        })
        .collect()
}

fn jurisdiction<'c>(comparison: &'c Comparison, j: &'c Jurisdiction) -> JurisdictionView<'c> {
    JurisdictionView {
        rank: j.rank.map(|r| r.to_string()),
        position: j.rank.map(|r| r.position),
        key: &j.key,
        name: &j.name,
        path: &j.path,
        evaluated: j.evaluated,
        below_baseline: j.below_baseline(),
        flags: flags(j),
        critical_fails: &j.critical_fails,
        errors: &j.errors,
        overall: j.overall,
        pillars: named(&comparison.pillars, &j.pillars),
        stages: named(&comparison.stages, &j.stages),
        statuses: comparison
            .norms
            .iter()
            .zip(&j.statuses)
            .filter_map(|(n, s)| Some((n.id.as_str(), (*s)?)))
            .collect(),
        metadata: j.metadata.as_ref(),
    }
}

#[derive(Serialize)]
struct GroupingView<'c> {
    path: &'c str,
    groups: Vec<GroupView<'c>>,
}

#[derive(Serialize)]
struct GroupView<'c> {
    value: &'c str,
    members: &'c [String],
    compliance: Option<Stats>,
    pillars: Vec<Named<'c, Option<Stats>>>,
    most_failed: Vec<MostFailed<'c>>,
    peers: &'c [crate::compare::PeerPass],
}

#[derive(Serialize)]
struct MostFailed<'c> {
    norm: &'c str,
    failing: usize,
}

fn grouping<'c>(comparison: &'c Comparison, grouping: &'c Grouping) -> GroupingView<'c> {
    let group = |g: &'c Group| GroupView {
        value: &g.value,
        members: &g.members,
        compliance: g.compliance,
        pillars: named(&comparison.pillars, &g.pillars),
        most_failed: g
            .most_failed
            .iter()
            .map(|(norm, failing)| MostFailed {
                norm,
                failing: *failing,
            })
            .collect(),
        peers: &g.peers,
    };
    GroupingView {
        path: &grouping.path,
        groups: grouping.groups.iter().map(group).collect(),
    }
}

#[derive(Serialize)]
struct TrendView<'c> {
    changes: Vec<ChangeView<'c>>,
    appeared: &'c [String],
    disappeared: &'c [String],
}

#[derive(Serialize)]
struct ChangeView<'c> {
    jurisdiction: &'c str,
    overall: DeltaView,
    pillars: Vec<Named<'c, DeltaView>>,
    newly_failing: &'c [String],
    newly_passing: &'c [String],
    baseline_change: BaselineChange,
}

/// A delta with its change in percentage points.
#[derive(Clone, Copy, Serialize)]
struct DeltaView {
    #[serde(flatten)]
    delta: Delta,
    points: Option<f64>,
}

fn delta(delta: Delta) -> DeltaView {
    DeltaView {
        delta,
        points: delta.points(),
    }
}

fn trend<'c>(comparison: &'c Comparison, trend: &'c Trend) -> TrendView<'c> {
    TrendView {
        changes: trend
            .changes
            .iter()
            .map(|c| {
                let pillars: Vec<DeltaView> = c.pillars.iter().copied().map(delta).collect();
                ChangeView {
                    jurisdiction: &c.jurisdiction,
                    overall: delta(c.overall),
                    pillars: named(&comparison.pillars, &pillars),
                    newly_failing: &c.newly_failing,
                    newly_passing: &c.newly_passing,
                    baseline_change: c.baseline,
                }
            })
            .collect(),
        appeared: &trend.appeared,
        disappeared: &trend.disappeared,
    }
}
