//! The evaluator: runs a checked [`Program`] against jurisdiction documents and gives each
//! (document, norm) pair a [`Status`] with the [`Evidence`] behind it.
//!
//! It takes a program without errors (from [`crate::check::check`]) and documents read
//! through its schema ([`Doc`], built by [`crate::config`]'s loader or from a
//! `serde_json::Value`); it reads no files and validates no documents (that is
//! [`crate::config`]'s job: a value of the wrong shape is simply missing here). Logic is
//! three-valued: a missing or null field is *unknown*, a reference naming no element is
//! *dangling* (comparisons on it are false, and so are quantifiers over a list reached
//! through it, whose `count`, `filter` and `latest` dangle too). Norms are evaluated in
//! [`Program::evaluation_order`], so `passes(x)` sees x's final status (after waivers).
//! Evidence is gathered only for norms that do not pass, by re-walking their conditions.
//!
//! ```
//! use rampart::{check, eval, workspace::{MemoryFiles, Workspace}};
//!
//! let mut files = MemoryFiles::new();
//! files.insert("main.rampart", r#"
//!     source s { title "A source" }
//!     pillar governance "Governance"
//!     schema { staff: Staff }
//!     type Staff { trained: int }
//!     norm staff-trained {
//!       title "Staff are trained"  pillar governance  severity high  cites s
//!       require staff.trained >= 3
//!     }"#);
//! let workspace = Workspace::load(&files, "main.rampart");
//! let checked = check::check(&workspace);
//! let evaluator = eval::Evaluator::new(&checked.program, eval::Options::default());
//! let doc = serde_json::json!({ "staff": { "trained": 2 } });
//! let outcome = evaluator.evaluate(&doc);
//! assert_eq!(outcome.results[0].status, check::Status::Fail);
//! ```

mod bounds;
mod doc;
mod explain;
mod facts;
mod interp;
mod params;
pub mod testing;
mod value;
mod waiver;

#[cfg(test)]
mod tests;

pub use doc::{Doc, DocBuilder, JURISDICTION_FIELD, Node};
pub use explain::{Evidence, Finding, FindingKind, Item};
pub use interp::Fault;
pub use params::{SettingError, parse_setting, resolve as resolve_params};
pub use waiver::{WAIVERS_FIELD, WaiverState, WaiverUse};

use serde_json::Value as Json;

use crate::check::{Const, Expr, NormId, ParamId, Program, Segment, Status};
use crate::date::Date;
use crate::syntax::ast::Severity;
use interp::Ctx;
use value::Truth;

/// How to evaluate: which profile, which parameter values, which date.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// The profile (index into [`Program::profiles`]): its norms, severities and settings.
    pub profile: Option<usize>,
    /// Parameter values set by the caller; they win over the profile's.
    pub settings: Vec<(ParamId, Const)>,
    /// The evaluation date, for every document; when `None`, each document's
    /// `jurisdiction.evaluated_on`, else the run date.
    pub today: Option<Date>,
    /// The run date, used for documents without `evaluated_on`; the system clock when `None`.
    pub run_date: Option<Date>,
    /// The norms to report; when `None`, the profile's (or every norm without a profile).
    pub norms: Option<Vec<NormId>>,
    /// Statuses only: results carry no evidence (an `error` keeps its fault), for reports
    /// that show counts; evaluation is about twice as fast. The statuses are the same, since a
    /// status is decided by evaluating alone (explaining never changes it); a failure that a
    /// waiver of the document names is still explained, since its waivers are weighed against
    /// its failing items (its evidence is then dropped).
    pub statuses_only: bool,
}

/// The result of one norm for one document.
#[derive(Clone, Debug, PartialEq)]
pub struct NormResult {
    /// The norm.
    pub norm: NormId,
    /// Its status.
    pub status: Status,
    /// Its severity, after the profile's overrides.
    pub severity: Severity,
    /// Why it failed or is unknown (kept for a waived failure).
    pub evidence: Vec<Evidence>,
    /// The waivers that name the norm, in document order, when it failed; the active ones
    /// excuse the failure together.
    pub waivers: Vec<WaiverUse>,
}

/// The results of one document.
#[derive(Clone, Debug, PartialEq)]
pub struct Outcome {
    /// The date used as `today`.
    pub today: Date,
    /// One result per reported norm, in program order.
    pub results: Vec<NormResult>,
}

/// A program prepared for evaluation under some options; shareable across threads.
#[derive(Debug)]
pub struct Evaluator<'p> {
    program: &'p Program,
    params: Vec<Const>,
    severities: Vec<Severity>,
    reported: Vec<NormId>,
    needed: Vec<bool>,
    facts: facts::Facts,
    today: Option<Date>,
    run_date: Option<Date>,
    statuses_only: bool,
}

impl<'p> Evaluator<'p> {
    /// Prepares `program` (which must have checked without errors) under `options`.
    pub fn new(program: &'p Program, options: Options) -> Self {
        let params = params::resolve(program, options.profile, &options.settings);
        let profile = options.profile.and_then(|p| program.profiles.get(p));
        let mut severities: Vec<Severity> = program.norms.iter().map(|n| n.severity).collect();
        for (norm, severity) in profile.map_or(&[][..], |p| p.severities.as_slice()) {
            if let Some(slot) = severities.get_mut(*norm) {
                *slot = *severity;
            }
        }
        let mut reported = match (options.norms, profile) {
            (Some(norms), _) => norms,
            (None, Some(profile)) => profile.norms.clone(),
            (None, None) => (0..program.norms.len()).collect(),
        };
        reported.retain(|&norm| norm < program.norms.len());
        reported.sort_unstable();
        reported.dedup();
        let needed = needed_norms(program, &reported);
        Evaluator {
            program,
            params,
            severities,
            reported,
            needed,
            facts: facts::Facts::of(program),
            today: options.today,
            run_date: options.run_date,
            statuses_only: options.statuses_only,
        }
    }

    /// The norms reported, in program order.
    pub fn reported(&self) -> &[NormId] {
        &self.reported
    }

    /// The date used as `today` for `doc`.
    pub fn today_for(&self, doc: &Doc) -> Date {
        self.today
            .or_else(|| doc.evaluated_on())
            .or(self.run_date)
            .unwrap_or_else(Date::today)
    }

    /// Evaluates every reported norm (and the norms they depend on) for the JSON document
    /// `doc`, read through the program's schema first (see [`Doc::from_json`]).
    pub fn evaluate(&self, doc: &Json) -> Outcome {
        self.evaluate_doc(&Doc::from_json(self.program, doc))
    }

    /// Evaluates every reported norm (and the norms they depend on) for `doc`.
    pub fn evaluate_doc(&self, doc: &Doc) -> Outcome {
        let today = self.today_for(doc);
        let memoizable = self.facts.def_memoizable.as_slice();
        let mut ctx = Ctx::new(self.program, doc, &self.params, memoizable, today);
        let mut results: Vec<Option<NormResult>> = vec![None; self.program.norms.len()];
        for &norm in &self.program.evaluation_order {
            if !self.needed.get(norm).copied().unwrap_or(false) {
                continue;
            }
            let result = self.evaluate_norm(&mut ctx, norm, &results);
            if let Some(slot) = ctx.statuses.get_mut(norm) {
                *slot = Some(result.status);
            }
            if let Some(slot) = results.get_mut(norm) {
                *slot = Some(result);
            }
        }
        let results = self
            .reported
            .iter()
            .filter_map(|&norm| results.get_mut(norm).and_then(Option::take))
            .collect();
        Outcome { today, results }
    }

    /// Evaluates every document in parallel; the outcomes are in the order of `docs`, and
    /// identical whatever the number of threads.
    pub fn evaluate_all(&self, docs: &[&Doc]) -> Vec<Outcome> {
        use rayon::prelude::*;
        docs.par_iter().map(|doc| self.evaluate_doc(doc)).collect()
    }

    /// The result of norm `norm_id`; `results` holds those of the norms evaluated before it.
    fn evaluate_norm<'a>(
        &self,
        ctx: &mut Ctx<'a>,
        norm_id: NormId,
        results: &[Option<NormResult>],
    ) -> NormResult
    where
        'p: 'a,
    {
        let norm = &self.program.norms[norm_id];
        let previous = ctx.enter(norm.locals);
        ctx.calls_made = 0;
        ctx.may_dangle = (self.facts.norm_may_dangle.get(norm_id))
            .copied()
            .unwrap_or(true);
        let mut evidence = Vec::new();
        let explain = !self.statuses_only || ctx.names_waiver_for(&norm.id);
        let status = match run_norm(ctx, (norm, explain), &mut evidence) {
            Ok(status) => status,
            Err(fault) => {
                evidence.clear();
                evidence.push(fault_evidence(self.program, &fault, results));
                Status::Error
            }
        };
        ctx.leave(previous);
        let mut result = NormResult {
            norm: norm_id,
            status,
            severity: self
                .severities
                .get(norm_id)
                .copied()
                .unwrap_or(norm.severity),
            evidence,
            waivers: Vec::new(),
        };
        if status == Status::Fail {
            self.apply_waivers(ctx, &mut result);
        }
        if self.statuses_only && result.status != Status::Error {
            result.evidence.clear();
        }
        result
    }

    /// Weighs the waivers of a failing result: with an active one it is `waived`, or
    /// `unknown` when every active waiver is limited to an item and other items lack evidence.
    fn apply_waivers<'a>(&self, ctx: &mut Ctx<'a>, result: &mut NormResult)
    where
        'p: 'a,
    {
        let norm = &self.program.norms[result.norm];
        result.waivers = ctx.waivers_for(&norm.id, &result.evidence);
        let mut active = (result.waivers.iter()).filter(|w| w.state == WaiverState::Active);
        let Some(first) = active.next() else {
            return;
        };
        result.status = Status::Waived;
        let scoped = first.scope.is_some() && active.all(|w| w.scope.is_some());
        if scoped && self.unknown_beside_failure(ctx, result.norm, &mut result.evidence) {
            result.status = Status::Unknown;
        }
    }

    /// Whether norm `norm_id`, which failed, also lacks evidence somewhere (an unknown
    /// requirement, or unknown items of a quantifier that failed on others); their evidence is
    /// added to `evidence`. Waivers limited to items excuse those items' failures only: with
    /// them excused, what is left is unknown (catalogue §4.1), not waived.
    fn unknown_beside_failure<'a>(
        &self,
        ctx: &mut Ctx<'a>,
        norm_id: NormId,
        evidence: &mut Vec<Evidence>,
    ) -> bool
    where
        'p: 'a,
    {
        let norm = &self.program.norms[norm_id];
        let previous = ctx.enter(norm.locals);
        let mut missing = Vec::new();
        let found = unknown_parts(ctx, norm, &mut missing);
        ctx.leave(previous);
        match found {
            Ok(true) => {
                evidence.extend(missing);
                true
            }
            // A fault here is in a requirement the failure did not depend on (the failing
            // one decides): it cannot show anything unknown.
            Ok(false) | Err(_) => false,
        }
    }
}

/// The status of a norm, with evidence when it does not pass and `explain` is set; the norm's
/// frame is active. The status is decided by evaluating alone: a fault met only while
/// explaining (on a side that evaluation did not need) ends the explanation, not the norm.
fn run_norm<'a>(
    ctx: &mut Ctx<'a>,
    (norm, explain): (&'a crate::check::Norm, bool),
    evidence: &mut Vec<Evidence>,
) -> Result<Status, Fault> {
    if let Some(when) = &norm.when {
        match ctx.truth(when)? {
            Truth::False => return Ok(Status::NotApplicable),
            Truth::Unknown => {
                if explain {
                    explain_or_stop(ctx, (None, (when, &[])), None, Truth::Unknown, evidence);
                }
                return Ok(Status::Unknown);
            }
            Truth::True => {}
        }
    }
    // The requirements hold together, and a false one decides whatever the others give (a
    // fault included): evaluating stops at it, and those after it are evaluated only to be
    // explained (a fail lists every failing one).
    let mut truths: Vec<Result<Truth, Fault>> = Vec::with_capacity(norm.requires.len());
    let mut items: Vec<Vec<Option<Truth>>> = Vec::with_capacity(norm.requires.len());
    for requirement in &norm.requires {
        let mut recorded = Vec::new();
        let truth = match explain {
            true => ctx.requirement_truth(&requirement.condition, &mut recorded),
            false => ctx.truth(&requirement.condition),
        };
        let decides = matches!(truth, Ok(Truth::False));
        truths.push(truth);
        items.push(recorded);
        if decides {
            break;
        }
    }
    let (overall, status) = if truths.iter().any(|t| matches!(t, Ok(Truth::False))) {
        (Truth::False, Status::Fail)
    } else if let Some(Err(fault)) = truths.iter().find(|t| t.is_err()) {
        return Err(fault.clone());
    } else if truths.iter().any(|t| matches!(t, Ok(Truth::Unknown))) {
        (Truth::Unknown, Status::Unknown)
    } else {
        return Ok(Status::Pass);
    };
    if explain {
        explain_requirements(ctx, norm, truths, items, overall, evidence);
    }
    Ok(status)
}

/// Explains every requirement of `norm` whose truth is `overall`; `truths` and `items` hold
/// those evaluated so far (up to the first false one), and the others are evaluated now,
/// recording their items for explaining. A requirement that met a fault is said to be one
/// that could not be evaluated.
fn explain_requirements<'a>(
    ctx: &mut Ctx<'a>,
    norm: &'a crate::check::Norm,
    mut truths: Vec<Result<Truth, Fault>>,
    mut items: Vec<Vec<Option<Truth>>>,
    overall: Truth,
    evidence: &mut Vec<Evidence>,
) {
    for (index, requirement) in norm.requires.iter().enumerate() {
        if index >= truths.len() {
            let mut recorded = Vec::new();
            truths.push(ctx.requirement_truth(&requirement.condition, &mut recorded));
            items.push(recorded);
        }
        match truths.get(index) {
            Some(Err(fault)) => {
                let lead = "this requirement could not be evaluated";
                evidence.push(fault_note(ctx.program, (Some(index), lead), fault));
            }
            Some(Ok(truth)) if *truth == overall => {
                let message = requirement.message.as_deref();
                let recorded = items.get(index).map_or(&[][..], Vec::as_slice);
                let condition = (&requirement.condition, recorded);
                explain_or_stop(ctx, (Some(index), condition), message, overall, evidence);
            }
            _ => {}
        }
    }
}

/// Explains `condition` (requirement `requirement`, or the `when` clause), which has truth
/// `observed`, into `evidence`; a fault met on the way ends the explanation with a finding that
/// names it.
fn explain_or_stop<'a>(
    ctx: &mut Ctx<'a>,
    (requirement, condition): (Option<usize>, (&'a Expr, &[Option<Truth>])),
    message: Option<&'a [Segment]>,
    observed: Truth,
    evidence: &mut Vec<Evidence>,
) {
    if let Err(fault) = ctx.explain_condition(requirement, condition, message, observed, evidence) {
        let lead = "the explanation stops here";
        evidence.push(fault_note(ctx.program, (requirement, lead), &fault));
    }
}

/// An `omitted` finding of requirement `requirement` (or of the `when` clause) that says
/// `lead` and names `fault`: the norm's status did not depend on it.
fn fault_note(
    program: &Program,
    (requirement, lead): (Option<usize>, &str),
    fault: &Fault,
) -> Evidence {
    let text = format!("{lead}: {}", fault_text(program, fault));
    Evidence {
        requirement,
        item: None,
        findings: vec![Finding {
            kind: FindingKind::Omitted,
            within: Vec::new(),
            text,
            path_in_text: None,
            alternative: false,
            span: fault.span(),
        }],
        message: None,
    }
}

/// Explains every requirement of `norm` that is unknown, or that holds unknown items beside
/// failing ones, into `out`; true when there is one. The norm's frame is active.
fn unknown_parts<'a>(
    ctx: &mut Ctx<'a>,
    norm: &'a crate::check::Norm,
    out: &mut Vec<Evidence>,
) -> Result<bool, Fault> {
    let mut any = false;
    for (index, requirement) in norm.requires.iter().enumerate() {
        let mut recorded = Vec::new();
        let truth = ctx.requirement_truth(&requirement.condition, &mut recorded)?;
        let unknown_items = recorded.contains(&Some(Truth::Unknown));
        if truth == Truth::Unknown || (truth == Truth::False && unknown_items) {
            any = true;
            let condition = (&requirement.condition, recorded.as_slice());
            ctx.explain_condition(Some(index), condition, None, Truth::Unknown, out)?;
        }
    }
    Ok(any)
}

/// The evidence of a fault; `results` holds the results of the norms evaluated before.
fn fault_evidence(program: &Program, fault: &Fault, results: &[Option<NormResult>]) -> Evidence {
    let mut findings = vec![Finding {
        kind: FindingKind::Fault,
        within: Vec::new(),
        text: fault_text(program, fault),
        path_in_text: None,
        alternative: false,
        span: fault.span(),
    }];
    if let Fault::DependsOnError(norm, _) = fault {
        add_cause(program, *norm, results, &mut findings);
    }
    Evidence {
        requirement: None,
        item: None,
        findings,
        message: None,
    }
}

/// What went wrong, in words.
fn fault_text(program: &Program, fault: &Fault) -> String {
    match fault {
        Fault::DivisionByZero(_) => "division by zero".to_string(),
        Fault::DateOutOfRange(_) => "date arithmetic left the years -9999..9999".to_string(),
        Fault::DependsOnError(norm, _) => format!(
            "norm {} it depends on could not be evaluated",
            program.norms.get(*norm).map_or("?", |n| n.id.as_str())
        ),
        Fault::TooDeep(_) => format!(
            "expressions and definition calls nest more than {} levels deep",
            interp::MAX_EVAL_DEPTH
        ),
        Fault::TooCostly(_) => format!(
            "evaluating this norm called definitions more than {} times: definitions that use \
             another definition more than once, in a chain, branch exponentially",
            interp::MAX_DEF_CALLS
        ),
        Fault::Internal(_) => "internal error: the checked program broke an invariant".to_string(),
    }
}

/// Appends the findings of the fault of `norm`, whose status is `error`: the cause, which a
/// report shows nowhere else when `norm` is outside the profile. Its own first finding is said
/// to be in `norm`; those after it are its own dependency's cause, already said where they are.
fn add_cause(
    program: &Program,
    norm: NormId,
    results: &[Option<NormResult>],
    out: &mut Vec<Finding>,
) {
    let Some(result) = results.get(norm).and_then(Option::as_ref) else {
        return;
    };
    let id = program.norms.get(norm).map_or("?", |n| n.id.as_str());
    let findings = result.evidence.iter().flat_map(|e| &e.findings);
    for (index, finding) in findings.enumerate() {
        let mut finding = finding.clone();
        if index == 0 {
            let prefix = format!("in norm {id}: ");
            finding.path_in_text = (finding.path_in_text)
                .map(|range| range.start + prefix.len()..range.end + prefix.len());
            finding.text.insert_str(0, &prefix);
        }
        out.push(finding);
    }
}

/// Marks the reported norms and every norm they depend on, transitively.
fn needed_norms(program: &Program, reported: &[NormId]) -> Vec<bool> {
    let mut needed = vec![false; program.norms.len()];
    let mut stack: Vec<NormId> = reported.to_vec();
    while let Some(norm) = stack.pop() {
        match needed.get_mut(norm) {
            Some(mark) if !*mark => *mark = true,
            _ => continue,
        }
        if let Some(n) = program.norms.get(norm) {
            stack.extend(n.depends_on.iter().copied());
        }
    }
    needed
}
