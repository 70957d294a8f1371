//! `rampart compare`: compares jurisdictions against the same guidance. Each PATH is a
//! jurisdiction document or directory (evaluated as by `check`, with `--policy`, `--profile`,
//! `--set`, `--today`) or a saved report (`check --format json`), so a secretariat can compare
//! without re-running. Prints or writes (atomically) a table, CSV, Markdown, JSON or one HTML
//! page; documents are evaluated for statuses only unless the HTML page, which shows evidence,
//! is written. Inputs evaluated under different profiles or norms (`--policy` and `--profile`
//! included, with or without documents), a baseline under another profile, and `--set` or
//! `--today` with a saved report (which keeps what it was evaluated with) are refused
//! ([`compare::basis`]). A path that cannot be read is an error and no jurisdiction. Exit 0
//! when the comparison was written, 2 for invalid input or usage; without any evaluated
//! jurisdiction nothing but the errors is written.

use std::path::{Path, PathBuf};

use super::evaluation::EvalArgs;
use super::inputs::Batches;
use super::policy::{PolicySource, load_program};
use super::{EXIT_INVALID, EXIT_OK};
use crate::check::Program;
use crate::compare::{self, Basis, Colour, Comparison, Format};
use crate::config::{Document, ProblemKind};
use crate::eval::{Doc, Evaluator, Outcome};
use crate::report::{self, Report};

/// Output format of `compare`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    /// A table for the terminal (at most 100 columns).
    Table,
    /// One row per jurisdiction, one column per pillar and stage score.
    Csv,
    /// Markdown tables and lists.
    Markdown,
    /// The comparison as versioned JSON (docs/report-schema.md).
    Json,
    /// One self-contained HTML page: heatmap, filters, evidence, charts, trends.
    Html,
}

impl OutputFormat {
    /// The format an output file's name asks for: `.html`, `.csv`, `.md`, `.json`.
    fn from_extension(path: &std::path::Path) -> Option<OutputFormat> {
        match super::output::extension(path).rsplit('.').next()? {
            "html" | "htm" => Some(OutputFormat::Html),
            "csv" => Some(OutputFormat::Csv),
            "md" | "markdown" => Some(OutputFormat::Markdown),
            "json" => Some(OutputFormat::Json),
            _ => None,
        }
    }

    fn core(self) -> Format {
        match self {
            OutputFormat::Table => Format::Table,
            OutputFormat::Csv => Format::Csv,
            OutputFormat::Markdown => Format::Markdown,
            OutputFormat::Json => Format::Json,
            OutputFormat::Html => Format::Html,
        }
    }
}

/// Arguments of `rampart compare`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Policy directory (entry `main.rampart`) or file; the built-in library when omitted.
    #[arg(long, value_name = "PATH")]
    policy: Option<PathBuf>,
    #[command(flatten)]
    eval: EvalArgs,
    /// How to print the comparison [default: from the --output file's extension (.html, .csv,
    /// .md, .json), else table]
    #[arg(long, value_enum)]
    format: Option<OutputFormat>,
    /// Write to this file (atomically) instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Group by a field of the jurisdiction metadata, e.g. `region` or `memberships`.
    #[arg(long, value_name = "FIELD")]
    group_by: Option<String>,
    /// An earlier report (`check --format json`) to show changes against.
    #[arg(long, value_name = "FILE")]
    baseline: Option<PathBuf>,
    /// Jurisdiction documents, directories of them (searched as `check` searches them), or
    /// saved reports (`.json`).
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
}

/// Runs `compare`; returns the exit code.
pub fn run(args: &Args) -> u8 {
    let format = output_format(args);
    let Some((report, ok)) = gather(args, format) else {
        return EXIT_INVALID;
    };
    if !report.documents.iter().any(|d| d.evaluated) {
        // The inputs' errors say why; a comparison of nothing would only hide them.
        if ok {
            say!(
                "error: no jurisdiction to compare in {}",
                super::inputs::describe(&args.paths)
            );
        }
        return EXIT_INVALID;
    }
    let Some(comparison) = comparison(args, &report) else {
        return EXIT_INVALID;
    };
    warn_repeated_jurisdictions(&comparison.jurisdictions);
    if let Some(problem) = (args.group_by.as_deref())
        .and_then(|path| unknown_group_path(path, &comparison.jurisdictions))
    {
        say!("{problem}");
        return EXIT_INVALID;
    }
    let written = write(args, format, &comparison, &report);
    if ok && written { EXIT_OK } else { EXIT_INVALID }
}

/// The report of every input (saved reports as written, documents evaluated now), and false
/// when an input is invalid. `None` when nothing can be compared: the policy set or an option
/// is invalid, or the inputs were not evaluated alike.
fn gather(args: &Args, format: OutputFormat) -> Option<(Report, bool)> {
    let (saved, documents, mut ok) = split_paths(&args.paths);
    refuse_for_saved_reports(args, &saved)?;
    let mut report = empty_report();
    let mut bases: Vec<(String, Basis)> = Vec::new();
    if !documents.is_empty() || args.names_basis() {
        // Only the HTML page shows evidence.
        let evaluated = evaluate(args, &documents, format != OutputFormat::Html)?;
        ok &= evaluated.ok;
        report = evaluated.report;
        let name = match documents.is_empty() {
            true => args.basis_options(),
            false => format!("{} (evaluated now)", super::inputs::describe(&documents)),
        };
        bases.extend(evaluated.basis.map(|basis| (name, basis)));
    }
    for (path, saved) in &saved {
        bases.extend(Basis::of(saved).map(|basis| (path.display().to_string(), basis)));
    }
    if !compare::basis::alike(&bases) {
        say_bases(&bases);
        return None;
    }
    for (_, saved) in saved {
        report.merge(saved);
    }
    Some((report, ok))
}

impl Args {
    /// True when `--policy` or `--profile` says what the comparison is evaluated under, which
    /// saved reports are then held to even when no document is evaluated now.
    fn names_basis(&self) -> bool {
        self.policy.is_some() || self.eval.profile.is_some()
    }

    /// `--policy` and `--profile`, as written.
    fn basis_options(&self) -> String {
        let policy = (self.policy.as_ref()).map(|path| format!("--policy {}", path.display()));
        let profile = (self.eval.profile.as_ref()).map(|name| format!("--profile {name}"));
        policy
            .into_iter()
            .chain(profile)
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// Refuses `--set` and `--today` when an input is a saved report: it keeps the parameter
/// values and dates it was evaluated with, so they would change only the documents evaluated
/// now.
fn refuse_for_saved_reports(args: &Args, saved: &[(PathBuf, Report)]) -> Option<()> {
    let settings = (!args.eval.settings.is_empty()).then_some("--set");
    let today = args.eval.today.is_some().then_some("--today");
    let given: Vec<&str> = settings.into_iter().chain(today).collect();
    if saved.is_empty() || given.is_empty() {
        return Some(());
    }
    let (options, verb) = (
        given.join(" and "),
        if given.len() > 1 { "do" } else { "does" },
    );
    let paths: Vec<String> = (saved.iter())
        .map(|(path, _)| path.display().to_string())
        .collect();
    let line = format!(
        "error: {options} {verb} not apply to saved reports ({}): they keep what they were \
         evaluated with",
        super::first_few(&paths)
    );
    say!("{}", crate::report::columns::escape_unsafe(&line));
    say!(
        "  help: check their documents again with {options} and compare the new reports, or \
         compare the documents themselves"
    );
    None
}

/// `1 norm`, `2 norms`.
fn norm_count(n: usize) -> String {
    match n {
        1 => "1 norm".to_string(),
        _ => format!("{n} norms"),
    }
}

/// Says which input was evaluated under which profile and norms; for an input under the
/// first one's profile, the norms that differ from the first one's, which its count may not
/// show.
fn say_bases(bases: &[(String, Basis)]) {
    say!(
        "error: the inputs were not evaluated under the same profile and norms, so they cannot \
         be ranked together:"
    );
    let first = bases.first().map(|(_, basis)| basis);
    for (name, basis) in bases {
        let mut lines = vec![format!("  {name}: {basis}")];
        if let Some(first) = first.filter(|first| first.profile == basis.profile) {
            let (lacking, extra) = first.norms_apart(basis);
            if !lacking.is_empty() {
                let (count, listed) = (norm_count(lacking.len()), super::first_few(&lacking));
                lines.push(format!("    lacks {count} of the first input: {listed}"));
            }
            if !extra.is_empty() {
                let (count, listed) = (norm_count(extra.len()), super::first_few(&extra));
                lines.push(format!("    has {count} the first input lacks: {listed}"));
            }
        }
        for line in lines {
            say!("{}", crate::report::columns::escape_unsafe(&line));
        }
    }
    say!(
        "  help: check them again with the same --profile (and --policy), or compare the \
         documents themselves"
    );
}

/// The comparison of `report`, with the changes since `--baseline`; `None` when the baseline
/// cannot be read or was evaluated under another profile.
fn comparison(args: &Args, report: &Report) -> Option<Comparison> {
    let options = compare::Options {
        group_by: args.group_by.clone(),
        ..compare::Options::default()
    };
    let Some(path) = &args.baseline else {
        return Some(compare::compare(report, &options));
    };
    let baseline = read_report(path).ok()?;
    if baseline.profile != report.profile {
        let line = format!(
            "error: the baseline {} was evaluated under {} and the comparison under {}: their \
             scores cannot be set against each other",
            path.display(),
            compare::basis::describe_profile(baseline.profile.as_deref()),
            compare::basis::describe_profile(report.profile.as_deref()),
        );
        say!("{}", crate::report::columns::escape_unsafe(&line));
        say!("  help: check them again with the same --profile");
        return None;
    }
    Some(compare::compare_with_baseline(report, &baseline, &options))
}

/// The format asked for: `--format`, else the one the `--output` file's extension asks for,
/// else the table.
fn output_format(args: &Args) -> OutputFormat {
    (args.format)
        .or_else(|| {
            args.output
                .as_deref()
                .and_then(OutputFormat::from_extension)
        })
        .unwrap_or_else(|| {
            let known = ".html, .csv, .md, .json";
            super::output::warn_unchosen_format(args.output.as_deref(), known, "text table");
            OutputFormat::Table
        })
}

/// Prints or writes the comparison in `format`; false when it cannot be written.
fn write(args: &Args, format: OutputFormat, comparison: &Comparison, report: &Report) -> bool {
    let colour = if args.output.is_none() && super::stdout_is_colour_terminal() {
        Colour::Ansi
    } else {
        Colour::Never
    };
    let text = compare::render(comparison, report, format.core(), colour);
    match &args.output {
        None => super::output::write_stdout(&text)
            .map_err(|error| say!("error: cannot write the output: {error}"))
            .is_ok(),
        Some(path) => super::output::write_atomically(path, &text)
            .map_err(|error| say!("error: cannot write {}: {error}", path.display()))
            .is_ok(),
    }
}

/// Warns about a jurisdiction id given by several documents (the same file twice, or an old
/// and a new version): each is still compared as its own row.
fn warn_repeated_jurisdictions(jurisdictions: &[compare::Jurisdiction]) {
    let mut paths: std::collections::BTreeMap<&str, Vec<&str>> = Default::default();
    for jurisdiction in jurisdictions {
        if let Some(id) = jurisdiction.metadata.as_ref().and_then(|m| m.id.as_deref()) {
            paths.entry(id).or_default().push(&jurisdiction.path);
        }
    }
    for (id, paths) in paths.iter().filter(|(_, paths)| paths.len() > 1) {
        say!(
            "warning: jurisdiction `{id}` is described by {} documents ({}); each is compared as its own row",
            paths.len(),
            super::first_few(paths)
        );
    }
}

/// Why `--group-by PATH` groups nothing: no jurisdiction has a value there (usually a
/// misspelt field), with the closest field of their metadata; `None` when one has a value.
/// Called with at least one jurisdiction.
fn unknown_group_path(path: &str, jurisdictions: &[compare::Jurisdiction]) -> Option<String> {
    let metadata: Vec<&report::Metadata> = jurisdictions
        .iter()
        .filter_map(|j| j.metadata.as_ref())
        .collect();
    if metadata.iter().any(|m| !m.values_at(path).is_empty()) {
        return None;
    }
    let mut fields: Vec<&str> = vec!["id", "name", "region", "memberships"];
    fields.extend(
        metadata
            .iter()
            .flat_map(|m| m.other.keys().map(String::as_str)),
    );
    let first = path.split('.').next().unwrap_or(path);
    let help = match crate::diagnostics::did_you_mean(first, fields.iter().copied()) {
        Some(close) if close != first => format!("did you mean `{close}`?"),
        _ => "--group-by takes a dotted path into each document's `jurisdiction` object, such as `region` or `memberships`".to_string(),
    };
    Some(format!(
        "error: --group-by {path}: no jurisdiction has a value at `jurisdiction.{path}`\n  help: {help}"
    ))
}

fn empty_report() -> Report {
    Report {
        version: report::REPORT_VERSION,
        profile: None,
        documents: Vec::new(),
        pillars: Vec::new(),
        stages: Vec::new(),
    }
}

/// Saved reports (read now, with their paths) and document paths; false when a saved report
/// is unreadable.
fn split_paths(paths: &[PathBuf]) -> (Vec<(PathBuf, Report)>, Vec<PathBuf>, bool) {
    let mut reports = Vec::new();
    let mut documents = Vec::new();
    let mut ok = true;
    for path in paths {
        let Some(value) = saved_report_value(path) else {
            documents.push(path.clone());
            continue;
        };
        match Report::from_value(value) {
            Ok(report) => reports.push((path.clone(), report)),
            Err(error) => {
                say!("error: {}: {error}", path.display());
                ok = false;
            }
        }
    }
    (reports, documents, ok)
}

/// The JSON of `path` when it is a `.json` file whose top level has `version` and `documents`.
fn saved_report_value(path: &Path) -> Option<serde_json::Value> {
    let is_json = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"));
    if !is_json || !path.is_file() {
        return None;
    }
    let text = std::fs::read_to_string(path).ok()?;
    let value: serde_json::Value = serde_json::from_str(&text).ok()?;
    report::is_report(&value).then_some(value)
}

fn read_report(path: &Path) -> Result<Report, ()> {
    if path.exists() && !path.is_file() {
        say!("error: cannot read {}: not a regular file", path.display());
        return Err(());
    }
    let text = std::fs::read_to_string(path)
        .map_err(|error| say!("error: cannot read {}: {error}", path.display()))?;
    Report::from_json(&text).map_err(|error| {
        say!("error: {}: {error}", path.display());
        if let Some(help) = miette::Diagnostic::help(&error) {
            say!("  help: {help}");
        }
    })
}

/// Documents evaluated now: their report, what they were evaluated under (`None` when none was
/// evaluated and no option names it), and false when a path is missing or a document invalid.
struct Evaluated {
    report: Report,
    basis: Option<Basis>,
    ok: bool,
}

/// Evaluates the documents at `paths` (`statuses_only`: without evidence); `None` when the
/// policy set or the options are invalid.
fn evaluate(args: &Args, paths: &[PathBuf], statuses_only: bool) -> Option<Evaluated> {
    let source = PolicySource::from_arg(args.policy.as_deref())?;
    let (workspace, program) = load_program(&source)?;
    let mut options = args.eval.options(&program)?;
    options.statuses_only = statuses_only;
    let (documents, mut ok) = load_documents(&program, paths);
    let evaluator = Evaluator::new(&program, options);
    let valid: Vec<&Doc> = documents
        .iter()
        .filter(|d| !d.has_errors())
        .filter_map(|d| d.doc.as_ref())
        .collect();
    let outcomes: Vec<Outcome> = evaluator.evaluate_all(&valid);
    let mut next = outcomes.iter();
    let checked: Vec<(&Document, Option<&Outcome>)> = documents
        .iter()
        .map(|d| {
            let evaluated = !d.has_errors() && d.doc.is_some();
            (d, evaluated.then(|| next.next()).flatten())
        })
        .collect();
    for document in documents.iter().filter(|d| d.has_errors()) {
        let why = (document.first_error())
            .map_or_else(String::new, |p| report::human::problem_lines(document, p));
        let text = format!(
            "error: {}: invalid document, not evaluated (`rampart check` lists all its problems)\n{}",
            document.place(),
            why.trim_end()
        );
        for line in text.lines() {
            say!("{}", crate::report::columns::escape_unsafe(line));
        }
        ok = false;
    }
    let profile = args.eval.profile.as_deref();
    let basis = (!outcomes.is_empty() || args.names_basis())
        .then(|| Basis::of_evaluation(&program, &evaluator, profile));
    let report = report::build(&program, &workspace, profile, &checked);
    Some(Evaluated { report, basis, ok })
}

/// The documents at `paths`, read and validated, without those that cannot be read; false when
/// the paths name no document or one cannot be read.
fn load_documents(program: &Program, paths: &[PathBuf]) -> (Vec<Document>, bool) {
    let mut documents: Vec<Document> = Vec::new();
    for batch in Batches::new(paths) {
        use rayon::prelude::*;
        let loaded: Vec<Document> = batch.par_iter().map(|s| s.load(program)).collect();
        documents.extend(loaded);
    }
    let found = !documents.is_empty() || paths.is_empty();
    if !found {
        say!(
            "error: no jurisdiction documents found in {}",
            super::inputs::describe(paths)
        );
    }
    let readable = drop_unreadable(&mut documents);
    (documents, found && readable)
}

/// Says why each document that could not be read was not, and leaves it out: a path that
/// cannot be read is no jurisdiction. False when there was one.
fn drop_unreadable(documents: &mut Vec<Document>) -> bool {
    let before = documents.len();
    documents.retain(|document| {
        let mut problems = document.problems.iter();
        let Some(problem) = problems.find(|p| p.kind == ProblemKind::Read) else {
            return true;
        };
        let line = format!(
            "error: cannot read {}: {}",
            document.path.display(),
            problem.message
        );
        say!("{}", crate::report::columns::escape_unsafe(&line));
        false
    });
    documents.len() == before
}
