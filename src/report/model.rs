//! The check report, version 1: one [`DocumentReport`] per jurisdiction document with its
//! problems, summary and one [`ResultRecord`] per reported norm. Field names are the JSON keys
//! of `rampart check --format json`; the fields added after the first release (`metadata`,
//! `stages`, `citations`, `waivers`, a waiver's `state_text`, top-level `pillars` and
//! `stages`) are optional when reading, so older reports still load.

use serde::{Deserialize, Serialize};
use serde_json::Value as Json;

use crate::check::{Program, Status};
use crate::config::{self, Document};
use crate::eval::{self, NormResult, Outcome};
use crate::syntax::Span;
use crate::syntax::ast::Severity;
use crate::workspace::Workspace;

/// The version written in every report; readers refuse other versions.
pub const REPORT_VERSION: u32 = 1;

/// A whole report: every document of one run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// Always [`REPORT_VERSION`].
    pub version: u32,
    /// The profile evaluated, if any.
    pub profile: Option<String>,
    /// One entry per document, in the order found.
    pub documents: Vec<DocumentReport>,
    /// The pillars of the policy set, in declaration order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pillars: Vec<Category>,
    /// The electoral-cycle stages of the policy set, in cycle order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub stages: Vec<Category>,
}

/// A pillar or a stage: its id and title.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Category {
    /// Its id, as in results.
    pub id: String,
    /// Its title.
    pub title: String,
}

/// The report of one jurisdiction document.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DocumentReport {
    /// The path as given or found.
    pub path: String,
    /// The line of the file it starts at, for a document of a stream (JSON lines, or one of
    /// several documents on standard input).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// `jurisdiction.id`, if present.
    pub jurisdiction: Option<String>,
    /// `jurisdiction.name`, if present.
    pub name: Option<String>,
    /// False when the document had errors and was not evaluated.
    pub evaluated: bool,
    /// The date used as `today`, `YYYY-MM-DD`.
    pub today: Option<String>,
    /// Problems found while loading the document.
    pub problems: Vec<ProblemRecord>,
    /// Counts per status, when evaluated.
    pub summary: Option<Summary>,
    /// One result per reported norm, when evaluated.
    pub results: Option<Vec<ResultRecord>>,
    /// The document's `jurisdiction` object.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<Metadata>,
}

/// The `jurisdiction` object of a document: the fields comparisons group by. It is read
/// leniently, from a document as from a report: `id`, `name` and `region` are kept when they
/// are text and `memberships` when it is a list of texts; a value of another type (which the
/// document's checks report) is left out, so that every report written reads back and meets
/// its schema.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(from = "serde_json::Map<String, Json>")]
pub struct Metadata {
    /// Its id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Its name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Its region.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// The regional and international bodies it belongs to.
    pub memberships: Vec<String>,
    /// Every other field, as written.
    #[serde(flatten)]
    pub other: serde_json::Map<String, Json>,
}

impl From<serde_json::Map<String, Json>> for Metadata {
    fn from(mut object: serde_json::Map<String, Json>) -> Self {
        let mut text = |key: &str| match object.remove(key) {
            Some(Json::String(text)) => Some(text),
            _ => None,
        };
        let (id, name, region) = (text("id"), text("name"), text("region"));
        let memberships = match object.remove("memberships") {
            Some(Json::Array(items)) => items
                .into_iter()
                .filter_map(|item| match item {
                    Json::String(text) => Some(text),
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        };
        Metadata {
            id,
            name,
            region,
            memberships,
            other: object,
        }
    }
}

impl Metadata {
    /// The metadata of a document's `jurisdiction` value, when it is an object.
    pub fn from_value(value: &Json) -> Option<Metadata> {
        value.as_object().cloned().map(Metadata::from)
    }

    /// The values at a dotted `path` (`region`, `memberships`, `address.country`): one per
    /// element of a list, one for a scalar, none when absent or null.
    pub fn values_at(&self, path: &str) -> Vec<String> {
        let mut value = match serde_json::to_value(self) {
            Ok(value) => value,
            Err(_) => return Vec::new(),
        };
        for key in path.split('.') {
            value = match value {
                Json::Object(mut object) => object.remove(key).unwrap_or(Json::Null),
                _ => Json::Null,
            };
        }
        match value {
            Json::Array(items) => items.iter().filter_map(scalar_text).collect(),
            other => scalar_text(&other).into_iter().collect(),
        }
    }
}

fn scalar_text(value: &Json) -> Option<String> {
    match value {
        Json::String(text) => Some(text.clone()),
        Json::Number(n) => Some(n.to_string()),
        Json::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// A problem of a document, placed at its JSON path.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProblemRecord {
    /// `error`, `warning` or `info`.
    pub severity: ProblemSeverity,
    /// The stable code, e.g. `rampart::config::missing-field`.
    pub code: String,
    /// The JSON path, e.g. `systems[2].owner`.
    pub path: String,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// 1-based column, when known.
    pub column: Option<usize>,
    /// One sentence.
    pub message: String,
    /// How to fix it.
    pub help: Option<String>,
}

/// How serious a document problem is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ProblemSeverity {
    /// The document is not evaluated.
    Error,
    /// Reported; the document is still evaluated.
    Warning,
    /// For information.
    Info,
}

/// Counts of results per status.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct Summary {
    /// Norms that pass.
    pub pass: usize,
    /// Norms that fail.
    pub fail: usize,
    /// Failures excused by an active waiver.
    pub waived: usize,
    /// Norms whose evidence is missing.
    pub unknown: usize,
    /// Norms that do not apply.
    pub not_applicable: usize,
    /// Norms that could not be evaluated.
    pub error: usize,
    /// Failing norms of critical severity.
    pub critical_fails: usize,
}

impl Summary {
    /// The counts of `results`.
    pub fn of(results: &[ResultRecord]) -> Summary {
        let mut summary = Summary::default();
        for result in results {
            let slot = match result.status {
                Status::Pass => &mut summary.pass,
                Status::Fail => &mut summary.fail,
                Status::Waived => &mut summary.waived,
                Status::Unknown => &mut summary.unknown,
                Status::NotApplicable => &mut summary.not_applicable,
                Status::Error => &mut summary.error,
            };
            *slot += 1;
            if result.status == Status::Fail && result.severity == Severity::Critical {
                summary.critical_fails += 1;
            }
        }
        summary
    }
}

/// The result of one norm for one document.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ResultRecord {
    /// The norm's id.
    pub norm: String,
    /// The norm's title.
    pub title: String,
    /// The norm's pillar id.
    pub pillar: Option<String>,
    /// Its severity, after the profile's overrides.
    pub severity: Severity,
    /// Its status.
    pub status: Status,
    /// Why it failed or is unknown (kept for a waived failure).
    pub evidence: Vec<EvidenceRecord>,
    /// The waiver that decides, when the norm failed: the first active one of `waivers`,
    /// else the first (kept for readers written before `waivers`).
    pub waiver: Option<WaiverRecord>,
    /// Every waiver that names the norm, in document order, when it failed; the active ones
    /// excuse it together (absent when none; taken from `waiver` in older reports).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub waivers: Vec<WaiverRecord>,
    /// The electoral-cycle stage ids of the norm.
    #[serde(default)]
    pub stages: Vec<String>,
    /// The guidance the norm cites.
    #[serde(default)]
    pub citations: Vec<CitationRecord>,
}

/// A citation of a norm.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CitationRecord {
    /// The source id.
    pub source: String,
    /// The source's title.
    pub title: Option<String>,
    /// Where in the source (section, page).
    pub locator: Option<String>,
}

/// Why a norm did not pass: one requirement, or one item of its outermost quantifier.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EvidenceRecord {
    /// Index of the requirement in the norm; `None` for the `when` condition or a fault.
    pub requirement: Option<usize>,
    /// The item of the outermost quantifier this evidence is about.
    pub item: Option<ItemRecord>,
    /// The smallest parts that failed or lacked evidence.
    pub findings: Vec<FindingRecord>,
    /// The requirement's `else` message, interpolated.
    pub message: Option<String>,
}

/// An item of a list that a quantifier ranged over.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemRecord {
    /// Its evidence path, such as `systems[3]`.
    pub path: String,
    /// Its `id` field, if it has one.
    pub id: Option<String>,
}

/// One smallest failing part.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FindingRecord {
    /// What kind.
    pub kind: FindingKind,
    /// Items of inner quantifiers leading to it, outermost first.
    pub within: Vec<ItemRecord>,
    /// The values or path involved.
    pub text: String,
    /// The evidence path of the document value it is about, such as
    /// `systems[3].certification.date` (absent in reports written before it was added).
    #[serde(default)]
    pub path: Option<String>,
    /// Where in the policy, as `file:line`.
    #[serde(default)]
    pub at: Option<String>,
    /// True when it starts another alternative of a failing `or` (absent when false).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub alternative: bool,
}

/// What kind of finding: the evaluator's kinds, serialised in kebab case both ways.
pub use crate::eval::FindingKind;

/// A waiver of the document that names the norm.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WaiverRecord {
    /// Index in the document's `waivers`.
    pub index: usize,
    /// Whether it applies, and if not why.
    pub state: WaiverState,
    /// Its justification.
    pub reason: Option<String>,
    /// Its approver's contact id.
    pub approved_by: Option<String>,
    /// Its last day, as written.
    pub expires: Option<String>,
    /// The id of the item (such as a system) it is limited to.
    pub scope: Option<String>,
    /// Words for `state`: why it does not apply, naming the failing items that the valid
    /// waivers leave uncovered (absent in reports written before it was added).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state_text: Option<String>,
}

/// Whether a waiver applies (as [`eval::WaiverState`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum WaiverState {
    /// It excuses the failure.
    Active,
    /// Its expiry date is before today.
    Expired,
    /// It has no valid expiry date.
    NoExpiry,
    /// `approved_by` is missing or names no contact.
    NotApproved,
    /// Its item does not fail, or the valid waivers leave a failing item uncovered.
    OutOfScope,
}

/// Builds the report of a run: `checked` pairs each document with its outcome (`None` when it
/// was not evaluated).
pub fn build(
    program: &Program,
    workspace: &Workspace,
    profile: Option<&str>,
    checked: &[(&Document, Option<&Outcome>)],
) -> Report {
    use rayon::prelude::*;
    // Everything that depends on the norm or the policy text alone is worked out once, not
    // once per result: a population of thousands repeats each norm thousands of times.
    let ctx = BuildContext::new(program, workspace);
    let documents = checked
        .par_iter()
        .map(|(document, outcome)| document_report(&ctx, document, *outcome))
        .collect();
    Report {
        version: REPORT_VERSION,
        profile: profile.map(str::to_string),
        documents,
        pillars: program.pillars.iter().map(category).collect(),
        stages: program.stages.iter().map(category).collect(),
    }
}

/// The per-norm parts of results, computed once, and the policy files.
struct BuildContext<'w> {
    norms: Vec<NormParts>,
    workspace: &'w Workspace,
}

/// The fields of a result that depend only on its norm.
struct NormParts {
    id: String,
    title: String,
    pillar: Option<String>,
    stages: Vec<String>,
    citations: Vec<CitationRecord>,
}

impl<'w> BuildContext<'w> {
    fn new(program: &Program, workspace: &'w Workspace) -> BuildContext<'w> {
        let norms = program
            .norms
            .iter()
            .map(|norm| NormParts {
                id: norm.id.clone(),
                title: norm.title.clone(),
                pillar: program.pillars.get(norm.pillar).map(|p| p.id.clone()),
                stages: norm
                    .stages
                    .iter()
                    .filter_map(|&s| program.stages.get(s))
                    .map(|s| s.id.clone())
                    .collect(),
                citations: norm
                    .citations
                    .iter()
                    .filter_map(|c| {
                        let source = program.sources.get(c.source)?;
                        Some(CitationRecord {
                            source: source.id.clone(),
                            title: source.title.clone(),
                            locator: c.locator.clone(),
                        })
                    })
                    .collect(),
            })
            .collect();
        BuildContext { norms, workspace }
    }

    /// `file:line` of a policy span.
    fn location(&self, span: Span) -> String {
        location(self.workspace, span)
    }
}

fn category(category: &crate::check::Category) -> Category {
    Category {
        id: category.id.clone(),
        title: category.title.clone(),
    }
}

fn document_report(
    ctx: &BuildContext,
    document: &Document,
    outcome: Option<&Outcome>,
) -> DocumentReport {
    let results: Option<Vec<ResultRecord>> =
        outcome.map(|o| o.results.iter().map(|r| result_record(ctx, r)).collect());
    DocumentReport {
        path: document.path.display().to_string(),
        line: document.line,
        jurisdiction: document.jurisdiction_id().map(str::to_string),
        name: document.jurisdiction_name().map(str::to_string),
        evaluated: outcome.is_some(),
        today: outcome.map(|o| o.today.to_string()),
        problems: document.problems.iter().map(problem_record).collect(),
        summary: results.as_deref().map(Summary::of),
        results,
        metadata: document.jurisdiction().and_then(Metadata::from_value),
    }
}

fn problem_record(problem: &config::Problem) -> ProblemRecord {
    use crate::diagnostics::Severity as Level;
    ProblemRecord {
        severity: match problem.severity() {
            Level::Error => ProblemSeverity::Error,
            Level::Warning => ProblemSeverity::Warning,
            Level::Info => ProblemSeverity::Info,
        },
        code: problem.kind.code().to_string(),
        path: config::display_path(&problem.path),
        line: problem.position.map(|(line, _)| line),
        column: problem.position.map(|(_, column)| column),
        message: problem.message.clone(),
        help: problem.help.clone(),
    }
}

fn result_record(ctx: &BuildContext, result: &NormResult) -> ResultRecord {
    let norm = &ctx.norms[result.norm];
    let waivers: Vec<WaiverRecord> = (result.waivers.iter())
        .map(|w| waiver_record(w, result))
        .collect();
    ResultRecord {
        norm: norm.id.clone(),
        title: norm.title.clone(),
        pillar: norm.pillar.clone(),
        severity: result.severity,
        status: result.status,
        evidence: result
            .evidence
            .iter()
            .map(|e| evidence_record(ctx, e))
            .collect(),
        waiver: deciding_waiver(&waivers).cloned(),
        waivers,
        stages: norm.stages.clone(),
        citations: norm.citations.clone(),
    }
}

fn evidence_record(ctx: &BuildContext, evidence: &eval::Evidence) -> EvidenceRecord {
    EvidenceRecord {
        requirement: evidence.requirement,
        item: evidence.item.as_ref().map(item_record),
        findings: evidence
            .findings
            .iter()
            .map(|f| FindingRecord {
                kind: f.kind,
                within: f.within.iter().map(item_record).collect(),
                text: f.text.clone(),
                path: f.path().map(str::to_string),
                at: Some(ctx.location(f.span)),
                alternative: f.alternative,
            })
            .collect(),
        message: evidence.message.clone(),
    }
}

fn item_record(item: &eval::Item) -> ItemRecord {
    ItemRecord {
        path: item.path.clone(),
        id: item.id.clone(),
    }
}

/// The waiver a version-1 reader sees as the result's `waiver`: the first active one, else
/// the first.
fn deciding_waiver(waivers: &[WaiverRecord]) -> Option<&WaiverRecord> {
    (waivers.iter())
        .find(|w| w.state == WaiverState::Active)
        .or_else(|| waivers.first())
}

/// The record of `waiver`, one of `result`'s.
fn waiver_record(waiver: &eval::WaiverUse, result: &NormResult) -> WaiverRecord {
    WaiverRecord {
        index: waiver.index,
        state: match waiver.state {
            eval::WaiverState::Active => WaiverState::Active,
            eval::WaiverState::Expired => WaiverState::Expired,
            eval::WaiverState::NoExpiry => WaiverState::NoExpiry,
            eval::WaiverState::NotApproved => WaiverState::NotApproved,
            eval::WaiverState::OutOfScope => WaiverState::OutOfScope,
        },
        reason: waiver.reason.clone(),
        approved_by: waiver.approved_by.clone(),
        expires: waiver.expires.clone(),
        scope: waiver.scope.clone(),
        state_text: Some(waiver.state_text(&result.evidence, &result.waivers)),
    }
}

/// `file:line` of a policy span.
pub fn location(workspace: &Workspace, span: Span) -> String {
    let Some(file) = workspace.files.get(span.file.0 as usize) else {
        return "?".into();
    };
    format!("{}:{}", file.display, file.line_of(span.start as usize))
}

/// Why a saved report could not be read.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum ReadError {
    /// The text is not JSON.
    #[error("not JSON: {0}")]
    #[diagnostic(
        code(rampart::report::not_json),
        help("give a report written by `rampart check --format json`")
    )]
    NotJson(serde_json::Error),
    /// The JSON has no `version` and `documents` at the top level.
    #[error("not a Rampart report: it has no top-level `version` and `documents`")]
    #[diagnostic(
        code(rampart::report::not_a_report),
        help("give a report written by `rampart check --format json`")
    )]
    NotAReport,
    /// The report's version is not [`REPORT_VERSION`].
    #[error("report version {0} is not supported (this Rampart reads version {REPORT_VERSION})")]
    #[diagnostic(
        code(rampart::report::version),
        help("re-run `rampart check --format json` with this version of Rampart")
    )]
    Version(u64),
    /// A field has the wrong shape.
    #[error("malformed report: {0}")]
    #[diagnostic(
        code(rampart::report::malformed),
        help("the report must follow docs/report-schema.md")
    )]
    Malformed(serde_json::Error),
}

/// True when `value` looks like a saved report: an object with `version` and `documents`.
pub fn is_report(value: &Json) -> bool {
    value.get("version").is_some() && value.get("documents").is_some()
}

impl Report {
    /// Reads a saved report from its JSON text.
    pub fn from_json(text: &str) -> Result<Report, ReadError> {
        let value: Json = serde_json::from_str(text).map_err(ReadError::NotJson)?;
        Report::from_value(value)
    }

    /// Reads a saved report from a parsed JSON value.
    pub fn from_value(value: Json) -> Result<Report, ReadError> {
        if !is_report(&value) {
            return Err(ReadError::NotAReport);
        }
        match value.get("version").and_then(Json::as_u64) {
            Some(version) if version == u64::from(REPORT_VERSION) => {}
            Some(version) => return Err(ReadError::Version(version)),
            None => return Err(ReadError::NotAReport),
        }
        let mut report: Report = serde_json::from_value(value).map_err(ReadError::Malformed)?;
        report.fill_waivers();
        Ok(report)
    }

    /// Gives each result of a report written before `waivers` its `waiver` as `waivers`.
    fn fill_waivers(&mut self) {
        let results = (self.documents.iter_mut()).filter_map(|d| d.results.as_mut());
        for result in results.flatten() {
            if result.waivers.is_empty() {
                result.waivers.extend(result.waiver.clone());
            }
        }
    }

    /// Appends the documents of `other`; pillars and stages are taken from the first report
    /// that declares them.
    pub fn merge(&mut self, other: Report) {
        self.documents.extend(other.documents);
        if self.pillars.is_empty() {
            self.pillars = other.pillars;
        }
        if self.stages.is_empty() {
            self.stages = other.stages;
        }
        if self.profile.is_none() {
            self.profile = other.profile;
        }
    }
}
