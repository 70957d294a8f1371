//! `rampart check`: evaluates jurisdiction documents against the policy set and prints, per
//! jurisdiction, the norms that fail, are unknown or are waived, with their evidence, and a
//! summary table (or a stable JSON report). Exit 0 when no norm fails, 1 when one fails or
//! could not be evaluated (`error`), 2 for invalid input (a document that cannot be read, is
//! not valid JSON/YAML or breaks the schema is reported and not evaluated; the others still
//! are). The human renderer of evidence lives here until a `report` module takes it.

use std::fmt::Write;
use std::path::PathBuf;

use serde_json::Value as Json;

use super::policy::{PolicySource, load_program};
use super::{EXIT_FAILED, EXIT_INVALID, EXIT_OK};
use crate::check::{Const, ParamId, Program, Status};
use crate::config::{self, Document};
use crate::date::Date;
use crate::diagnostics::did_you_mean;
use crate::eval::{self, Evaluator, FindingKind, NormResult, Options, Outcome};
use crate::report;
use crate::syntax::Span;
use crate::workspace::Workspace;

/// Output format of `check`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportFormat {
    /// Failing, unknown and waived norms with evidence, and a summary table.
    Human,
    /// A stable JSON report of every result.
    Json,
}

/// Arguments of `rampart check`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Policy directory (entry `main.rampart`) or file; the built-in library when omitted.
    #[arg(long, value_name = "PATH")]
    policy: Option<PathBuf>,
    /// Evaluate the norms of this profile, with its severities and parameter values.
    #[arg(long, value_name = "NAME")]
    profile: Option<String>,
    /// Set a parameter, e.g. `--set min_meetings_per_year=6` (repeatable; wins over the profile).
    #[arg(long = "set", value_name = "NAME=VALUE")]
    settings: Vec<String>,
    /// Evaluate as of this date instead of each document's `jurisdiction.evaluated_on`.
    #[arg(long, value_name = "YYYY-MM-DD")]
    today: Option<String>,
    /// How to print the results.
    #[arg(long, value_enum, default_value_t = ReportFormat::Human)]
    format: ReportFormat,
    /// Jurisdiction documents (JSON or YAML) or directories of them.
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
}

/// Runs `check`; returns the exit code.
pub fn run(args: &Args) -> u8 {
    let source = PolicySource::from_arg(args.policy.as_deref());
    let Some((workspace, program)) = load_program(&source) else {
        return EXIT_INVALID;
    };
    let Some(options) = options(&program, args) else {
        return EXIT_INVALID;
    };
    let (paths, missing) = config::find_documents(&args.paths);
    let documents: Vec<Document> = {
        use rayon::prelude::*;
        paths
            .par_iter()
            .map(|path| config::load(&program, path))
            .collect()
    };
    let evaluator = Evaluator::new(&program, options);
    let valid: Vec<&Json> = documents
        .iter()
        .filter(|d| !d.has_errors())
        .filter_map(|d| d.value.as_ref())
        .collect();
    let mut outcomes = evaluator.evaluate_all(&valid).into_iter();
    let checked: Vec<(&Document, Option<Outcome>)> = documents
        .iter()
        .map(|d| {
            let outcome = (!d.has_errors() && d.value.is_some())
                .then(|| outcomes.next())
                .flatten();
            (d, outcome)
        })
        .collect();
    for (path, error) in &missing {
        eprintln!("error: cannot read {}: {error}", path.display());
    }
    match args.format {
        ReportFormat::Human => print!("{}", render_human(&program, &workspace, &checked)),
        ReportFormat::Json => {
            let pairs: Vec<(&Document, Option<&Outcome>)> =
                checked.iter().map(|(d, o)| (*d, o.as_ref())).collect();
            let report = report::build(&program, &workspace, args.profile.as_deref(), &pairs);
            println!(
                "{}",
                serde_json::to_string_pretty(&report).unwrap_or_default()
            );
        }
    }
    exit_code(&checked, !missing.is_empty())
}

fn exit_code(checked: &[(&Document, Option<Outcome>)], missing: bool) -> u8 {
    if missing || checked.iter().any(|(d, _)| d.has_errors()) {
        return EXIT_INVALID;
    }
    let failed = checked.iter().filter_map(|(_, o)| o.as_ref()).any(|o| {
        o.results
            .iter()
            .any(|r| matches!(r.status, Status::Fail | Status::Error))
    });
    if failed { EXIT_FAILED } else { EXIT_OK }
}

/// The evaluation options from the arguments; prints the problem and returns `None` when a
/// profile, setting or date is invalid.
fn options(program: &Program, args: &Args) -> Option<Options> {
    let profile = match &args.profile {
        None => None,
        Some(name) => match program.profile_index(name) {
            Some(index) => Some(index),
            None => {
                let ids = program.profiles.iter().map(|p| p.id.as_str());
                let help = did_you_mean(name, ids)
                    .map_or_else(String::new, |close| format!("; did you mean `{close}`?"));
                eprintln!("error: unknown profile `{name}`{help}");
                return None;
            }
        },
    };
    let mut settings: Vec<(ParamId, Const)> = Vec::new();
    let mut ok = true;
    for text in &args.settings {
        match eval::parse_setting(program, text) {
            Ok(setting) => settings.push(setting),
            Err(error) => {
                let help = match &error {
                    eval::SettingError::UnknownParam {
                        suggestion: Some(h),
                        ..
                    }
                    | eval::SettingError::Value { help: Some(h), .. } => format!(" ({h})"),
                    _ => String::new(),
                };
                eprintln!("error: --set {text}: {error}{help}");
                ok = false;
            }
        }
    }
    let today = match &args.today {
        None => None,
        Some(text) => match Date::parse(text) {
            Some(date) => Some(date),
            None => {
                eprintln!("error: --today {text}: not a date (write YYYY-MM-DD)");
                ok = false;
                None
            }
        },
    };
    ok.then_some(Options {
        profile,
        settings,
        today,
        ..Options::default()
    })
}

/// Statuses in the order of summary columns.
const COLUMNS: [Status; 6] = [
    Status::Pass,
    Status::Fail,
    Status::Waived,
    Status::Unknown,
    Status::NotApplicable,
    Status::Error,
];

fn counts(outcome: &Outcome) -> [usize; 6] {
    let mut counts = [0; 6];
    for result in &outcome.results {
        if let Some(column) = COLUMNS.iter().position(|s| *s == result.status) {
            counts[column] += 1;
        }
    }
    counts
}

fn critical_fails(outcome: &Outcome) -> usize {
    outcome
        .results
        .iter()
        .filter(|r| {
            r.status == Status::Fail && r.severity == crate::syntax::ast::Severity::Critical
        })
        .count()
}

fn document_name(document: &Document) -> String {
    match (document.jurisdiction_id(), document.jurisdiction_name()) {
        (Some(id), Some(name)) => format!("{id} ({name})"),
        (Some(id), None) => id.to_string(),
        _ => document.path.display().to_string(),
    }
}

fn render_human(
    program: &Program,
    workspace: &Workspace,
    checked: &[(&Document, Option<Outcome>)],
) -> String {
    let mut out = String::new();
    for (document, outcome) in checked {
        let _ = write!(
            out,
            "== {} — {}",
            document_name(document),
            document.path.display()
        );
        match outcome {
            Some(outcome) => {
                let _ = writeln!(out, ", evaluated on {}", outcome.today);
            }
            None => {
                let _ = writeln!(out, ": not evaluated");
            }
        }
        for problem in &document.problems {
            write_problem(&mut out, document, problem);
        }
        if let Some(outcome) = outcome {
            write_results(&mut out, program, workspace, outcome);
        }
        out.push('\n');
    }
    write_summary(&mut out, checked);
    out
}

fn write_problem(out: &mut String, document: &Document, problem: &config::Problem) {
    let at = problem.position.map_or_else(String::new, |(line, column)| {
        format!(" ({}:{line}:{column})", document.path.display())
    });
    let _ = writeln!(out, "  {problem}{at}");
    if let Some(help) = &problem.help {
        let _ = writeln!(out, "    help: {help}");
    }
}

fn write_results(out: &mut String, program: &Program, workspace: &Workspace, outcome: &Outcome) {
    for result in &outcome.results {
        let label = match result.status {
            Status::Fail => "FAIL",
            Status::Error => "ERROR",
            Status::Unknown => "UNKNOWN",
            Status::Waived => "WAIVED",
            Status::Pass | Status::NotApplicable => continue,
        };
        let norm = &program.norms[result.norm];
        let _ = writeln!(
            out,
            "  {label:<8} {} [{}] {}",
            norm.id,
            result.severity.as_str(),
            norm.title
        );
        write_evidence(out, program, workspace, result, "    ");
    }
    let [pass, fail, waived, unknown, na, error] = counts(outcome);
    let _ = writeln!(
        out,
        "  {pass} pass, {fail} fail, {waived} waived, {unknown} unknown, {na} n/a, {error} error"
    );
}

/// A row of the summary table: jurisdiction id, file, and the counts and critical fails of an
/// evaluated document.
type SummaryRow = (String, String, Option<([usize; 6], usize)>);

fn write_summary(out: &mut String, checked: &[(&Document, Option<Outcome>)]) {
    let rows: Vec<SummaryRow> = checked
        .iter()
        .map(|(document, outcome)| {
            let id = document.jurisdiction_id().unwrap_or("?").to_string();
            let file = document.path.display().to_string();
            (
                id,
                file,
                outcome.as_ref().map(|o| (counts(o), critical_fails(o))),
            )
        })
        .collect();
    let id_width = rows
        .iter()
        .map(|r| r.0.chars().count())
        .max()
        .unwrap_or(0)
        .max(12);
    let file_width = rows
        .iter()
        .map(|r| r.1.chars().count())
        .max()
        .unwrap_or(0)
        .max(4);
    let _ = writeln!(
        out,
        "{:<id_width$}  {:<file_width$}  {:>5} {:>5} {:>6} {:>7} {:>5} {:>5} {:>14}",
        "jurisdiction",
        "file",
        "pass",
        "fail",
        "waived",
        "unknown",
        "n/a",
        "error",
        "critical fails"
    );
    for (id, file, numbers) in rows {
        match numbers {
            Some(([pass, fail, waived, unknown, na, error], critical)) => {
                let _ = writeln!(
                    out,
                    "{id:<id_width$}  {file:<file_width$}  {pass:>5} {fail:>5} {waived:>6} {unknown:>7} {na:>5} {error:>5} {critical:>14}"
                );
            }
            None => {
                let _ = writeln!(
                    out,
                    "{id:<id_width$}  {file:<file_width$}  invalid document, not evaluated"
                );
            }
        }
    }
}

/// `file:line` of a policy span.
pub(super) fn location(workspace: &Workspace, span: Span) -> String {
    report::location(workspace, span)
}

/// The policy text of a span on one line, shortened.
fn snippet(workspace: &Workspace, span: Span) -> String {
    let text = workspace
        .files
        .get(span.file.0 as usize)
        .and_then(|file| file.text.get(span.range()))
        .unwrap_or("");
    let collapsed: Vec<&str> = text.split_whitespace().collect();
    let mut line = collapsed.join(" ");
    if line.chars().count() > 90 {
        line = line.chars().take(87).collect::<String>() + "...";
    }
    line
}

/// Writes the evidence and waiver of a result, each line starting with `indent`.
pub(super) fn write_evidence(
    out: &mut String,
    program: &Program,
    workspace: &Workspace,
    result: &NormResult,
    indent: &str,
) {
    let norm = &program.norms[result.norm];
    for evidence in &result.evidence {
        let mut head = match evidence.requirement {
            Some(index) => {
                let span = norm.requires.get(index).map(|r| r.span);
                let at =
                    span.map_or_else(String::new, |s| format!(" ({})", location(workspace, s)));
                format!("requirement {}{at}", index + 1)
            }
            None if evidence
                .findings
                .iter()
                .any(|f| f.kind == FindingKind::Fault) =>
            {
                "evaluation".to_string()
            }
            None => "applicability (`when`)".to_string(),
        };
        if let Some(item) = &evidence.item {
            let _ = write!(head, ", {item}");
        }
        let _ = writeln!(out, "{indent}{head}:");
        if let Some(message) = &evidence.message {
            let _ = writeln!(out, "{indent}  {message}");
        }
        for finding in &evidence.findings {
            write_finding(out, workspace, finding, indent);
        }
    }
    if let Some(waiver) = &result.waiver {
        let _ = writeln!(
            out,
            "{indent}waiver waivers[{}] (approved by {}, expires {}): {}",
            waiver.index,
            waiver.approved_by.as_deref().unwrap_or("nobody"),
            waiver.expires.as_deref().unwrap_or("never"),
            waiver.state.describe()
        );
    }
}

fn write_finding(out: &mut String, workspace: &Workspace, finding: &eval::Finding, indent: &str) {
    let kind = match finding.kind {
        FindingKind::Failed => "failed",
        FindingKind::Missing => "missing",
        FindingKind::Dangling => "dangling",
        FindingKind::Fault => "error",
    };
    let mut line = format!("{indent}  - {kind}: ");
    // A missing path already names the items it lies in.
    if finding.kind != FindingKind::Missing {
        for item in &finding.within {
            let _ = write!(line, "{item}: ");
        }
    }
    line.push_str(&finding.text);
    if finding.kind != FindingKind::Missing {
        let _ = write!(line, "  [`{}`]", snippet(workspace, finding.span));
    }
    let _ = writeln!(out, "{line}");
}
