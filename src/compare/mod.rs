//! Comparison of jurisdictions against the same guidance: the regional body's view.
//!
//! It takes a [`crate::report::Report`] (freshly evaluated or read from a saved file) and gives
//! a [`Comparison`]: per jurisdiction a weighted score overall, per pillar and per stage
//! ([`score`]), a rank with explicit ties ([`rank`]), the critical failures that put it below
//! the baseline, optional groups over its metadata ([`groups`]) and changes since an earlier
//! report ([`trend`]); [`basis`] tells whether inputs were evaluated alike (the same profile
//! and norms), as ranking them together needs. [`render`] turns a comparison into a table,
//! CSV, Markdown, JSON or a self-contained HTML page. It evaluates nothing and reads no files;
//! the rules are in `docs/scoring.md`.

pub mod basis;
pub mod groups;
pub mod rank;
pub mod render;
pub mod score;
pub mod trend;

pub use basis::Basis;
pub use groups::{Group, Grouping, PeerPass, Stats};
pub use rank::Rank;
pub use render::{Colour, Format, render};
pub use score::{Ratio, Score, Tally, Weights};
pub use trend::{BaselineChange, Delta, JurisdictionChange, Trend};

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use crate::check::Status;
use crate::report::{Category, CitationRecord, DocumentReport, Metadata, Report, ResultRecord};
use crate::syntax::ast::Severity;

/// How to compare.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Severity weights.
    pub weights: Weights,
    /// A dotted path into the jurisdiction metadata to group by (`region`, `memberships`).
    pub group_by: Option<String>,
}

/// A norm as compared: the first result seen for it gives its metadata.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NormInfo {
    /// Its id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// Index into [`Comparison::pillars`].
    pub pillar: Option<usize>,
    /// Indices into [`Comparison::stages`].
    pub stages: Vec<usize>,
    /// Its severity in the first result seen.
    pub severity: Severity,
    /// The guidance it cites.
    pub citations: Vec<CitationRecord>,
}

/// One jurisdiction's place in the comparison.
#[derive(Clone, Debug, PartialEq)]
pub struct Jurisdiction {
    /// Its id, or its document's path when it has none; unique in the comparison.
    pub key: String,
    /// Its name, or its key.
    pub name: String,
    /// The document's path.
    pub path: String,
    /// Index of its document in the report.
    pub document: usize,
    /// Its metadata.
    pub metadata: Option<Metadata>,
    /// False when the document had errors and was not evaluated.
    pub evaluated: bool,
    /// Its rank, when it has a compliance score.
    pub rank: Option<Rank>,
    /// Its overall score.
    pub overall: Score,
    /// Its score per pillar, aligned with [`Comparison::pillars`].
    pub pillars: Vec<Score>,
    /// Its score per stage, aligned with [`Comparison::stages`].
    pub stages: Vec<Score>,
    /// Its status per norm, aligned with [`Comparison::norms`]; `None` when not reported.
    pub statuses: Vec<Option<Status>>,
    /// The critical norms it fails: any puts it below the baseline.
    pub critical_fails: Vec<String>,
    /// The norms that could not be evaluated (scored as unknown).
    pub errors: Vec<String>,
}

impl Jurisdiction {
    /// True when it fails a critical norm, whatever its average.
    pub fn below_baseline(&self) -> bool {
        !self.critical_fails.is_empty()
    }

    /// True when its score rests on less than half of the applicable weight (coverage under
    /// 50 %): most of its evidence is missing, so its compliance says little, and a
    /// document that leaves evidence out can score higher than one that gives it.
    pub fn low_coverage(&self) -> bool {
        let half = Ratio { num: 1, den: 2 };
        self.evaluated
            && self
                .overall
                .coverage
                .is_some_and(|coverage| coverage < half)
    }
}

/// The comparison of every jurisdiction of a report (serialised by [`render::json`]).
#[derive(Clone, Debug, PartialEq)]
pub struct Comparison {
    /// The profile evaluated.
    pub profile: Option<String>,
    /// The weights used.
    pub weights: Weights,
    /// Pillars in declaration order.
    pub pillars: Vec<Category>,
    /// Stages in cycle order.
    pub stages: Vec<Category>,
    /// Norms in report order.
    pub norms: Vec<NormInfo>,
    /// Jurisdictions in rank order, unranked ones last by key.
    pub jurisdictions: Vec<Jurisdiction>,
    /// Groups, with `--group-by`.
    pub grouping: Option<Grouping>,
    /// Changes since a baseline, with `--baseline`.
    pub trend: Option<Trend>,
}

/// Compares the jurisdictions of `report`.
pub fn compare(report: &Report, options: &Options) -> Comparison {
    let pillars = categories(&report.pillars, report, |r| r.pillar.as_slice());
    let stages = categories(&report.stages, report, |r| r.stages.as_slice());
    let norms = norm_infos(report, &pillars, &stages);
    let positions = norm_positions(&norms);
    let mut keys = KeyMaker::default();
    let mut jurisdictions: Vec<Jurisdiction> = report
        .documents
        .iter()
        .enumerate()
        .map(|(index, document)| {
            let key = keys.key(document);
            let layout = Layout {
                norms: &norms,
                positions: &positions,
                pillars: &pillars,
                stages: &stages,
            };
            jurisdiction(index, key, document, &layout, options)
        })
        .collect();
    rank::assign(&mut jurisdictions);
    let grouping = options
        .group_by
        .as_deref()
        .map(|path| groups::group(path, &jurisdictions, &norms));
    Comparison {
        profile: report.profile.clone(),
        weights: options.weights,
        pillars,
        stages,
        norms,
        jurisdictions,
        grouping,
        trend: None,
    }
}

/// Compares `report` and adds the changes since `baseline`.
pub fn compare_with_baseline(report: &Report, baseline: &Report, options: &Options) -> Comparison {
    let mut comparison = compare(report, options);
    let before = compare(baseline, options);
    comparison.trend = Some(trend::trend(&before, &comparison));
    comparison
}

/// The declared categories, then any other id met in results (older reports declare none).
fn categories(
    declared: &[Category],
    report: &Report,
    ids: impl Fn(&ResultRecord) -> &[String],
) -> Vec<Category> {
    let mut out = declared.to_vec();
    let mut known: HashSet<String> = out.iter().map(|c| c.id.clone()).collect();
    for result in all_results(report) {
        for id in ids(result) {
            if !known.contains(id) {
                known.insert(id.clone());
                out.push(Category {
                    title: id.clone(),
                    id: id.clone(),
                });
            }
        }
    }
    out
}

fn all_results(report: &Report) -> impl Iterator<Item = &ResultRecord> {
    report
        .documents
        .iter()
        .filter_map(|d| d.results.as_deref())
        .flatten()
}

/// Index of each norm id in `norms`, built once for every document.
fn norm_positions(norms: &[NormInfo]) -> HashMap<&str, usize> {
    norms
        .iter()
        .enumerate()
        .map(|(i, n)| (n.id.as_str(), i))
        .collect()
}

/// The norms, pillars and stages every jurisdiction is scored against.
struct Layout<'a> {
    norms: &'a [NormInfo],
    positions: &'a HashMap<&'a str, usize>,
    pillars: &'a [Category],
    stages: &'a [Category],
}

fn norm_infos(report: &Report, pillars: &[Category], stages: &[Category]) -> Vec<NormInfo> {
    let mut norms: Vec<NormInfo> = Vec::new();
    let mut seen: HashSet<&str> = HashSet::new();
    for result in all_results(report) {
        if !seen.insert(result.norm.as_str()) {
            continue;
        }
        norms.push(NormInfo {
            id: result.norm.clone(),
            title: result.title.clone(),
            pillar: result
                .pillar
                .as_ref()
                .and_then(|p| pillars.iter().position(|c| &c.id == p)),
            stages: result
                .stages
                .iter()
                .filter_map(|s| stages.iter().position(|c| &c.id == s))
                .collect(),
            severity: result.severity,
            citations: result.citations.clone(),
        });
    }
    norms
}

/// Gives each document a unique key: its jurisdiction id, else its path; repeats get `#2`…
#[derive(Default)]
struct KeyMaker {
    used: HashMap<String, usize>,
}

impl KeyMaker {
    fn key(&mut self, document: &DocumentReport) -> String {
        let base = document
            .jurisdiction
            .clone()
            .unwrap_or_else(|| document.path.clone());
        let count = self.used.entry(base.clone()).or_insert(0);
        *count += 1;
        if *count == 1 {
            base
        } else {
            format!("{base}#{count}")
        }
    }
}

fn jurisdiction(
    index: usize,
    key: String,
    document: &DocumentReport,
    layout: &Layout<'_>,
    options: &Options,
) -> Jurisdiction {
    let Layout {
        norms,
        positions,
        pillars,
        stages,
    } = layout;
    let mut overall = Tally::default();
    let mut by_pillar = vec![Tally::default(); pillars.len()];
    let mut by_stage = vec![Tally::default(); stages.len()];
    let mut statuses = vec![None; norms.len()];
    let mut critical_fails = Vec::new();
    let mut errors = Vec::new();
    for result in document.results.as_deref().unwrap_or(&[]) {
        let weight = options.weights.of(result.severity);
        overall.add(result.status, weight);
        let Some(&norm_idx) = positions.get(result.norm.as_str()) else {
            continue;
        };
        let norm = &norms[norm_idx];
        if let Some(slot) = norm.pillar.and_then(|p| by_pillar.get_mut(p)) {
            slot.add(result.status, weight);
        }
        for &stage in &norm.stages {
            if let Some(slot) = by_stage.get_mut(stage) {
                slot.add(result.status, weight);
            }
        }
        statuses[norm_idx] = Some(result.status);
        if result.status == Status::Fail && result.severity == Severity::Critical {
            critical_fails.push(result.norm.clone());
        }
        if result.status == Status::Error {
            errors.push(result.norm.clone());
        }
    }
    Jurisdiction {
        name: document.name.clone().unwrap_or_else(|| key.clone()),
        key,
        path: document.path.clone(),
        document: index,
        metadata: document.metadata.clone(),
        evaluated: document.evaluated,
        rank: None,
        overall: overall.score(),
        pillars: by_pillar.into_iter().map(Tally::score).collect(),
        stages: by_stage.into_iter().map(Tally::score).collect(),
        statuses,
        critical_fails,
        errors,
    }
}
