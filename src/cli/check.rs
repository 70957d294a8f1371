//! `rampart check`: evaluates jurisdiction documents against the policy set and reports, per
//! jurisdiction, the norms that fail, are unknown or are waived, with their evidence: for
//! people (`human`, or its table of counts alone: `summary`, for which the evaluator
//! computes statuses without evidence), as the JSON report, SARIF 2.1.0 or JUnit XML, on
//! standard output or atomically into `--output FILE`, and in further formats into files from
//! the same run (`--report FORMAT=FILE`, repeatable). Inputs are files, directories,
//! JSON-lines streams (`*.jsonl`), YAML streams (`---`) and `-` (standard input), read and evaluated in bounded
//! batches on a rayon pool of `--jobs` threads; every format is written batch by batch
//! (`check_report`). `--stage`, `--pillar` and `--severity` select the norms. Exit 0 when no
//! norm fails at `--fail-on` or above, 1 when one fails or could not be evaluated (`error`;
//! with `--strict`, also `unknown`), 2 for invalid input (a document that cannot be read, is
//! not valid JSON/YAML or breaks the schema is reported and not evaluated, the others still
//! are; with `--strict`, a document with a warning, which is then an error in every format and
//! not evaluated; a run that finds no document) or when the report cannot be written.
//! Renderers live in `report`; this module reads arguments and inputs and writes output.

use std::path::PathBuf;

use super::check_report::{Context, Evaluated, Origin, ReportWriter};
use super::evaluation::EvalArgs;
use super::output;
use super::policy::{PolicySource, load_program};
use super::{EXIT_FAILED, EXIT_INVALID, EXIT_OK};
use crate::check::{NormId, Program, Status};
use crate::eval::{Evaluator, Options, Outcome};
use crate::reference::{Filter, FilterError};
use crate::report;
use crate::syntax::Span;
use crate::syntax::ast::Severity;
use crate::workspace::Workspace;

/// Output format of `check`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportFormat {
    /// Failing, unknown and waived norms with evidence, and a summary table.
    Human,
    /// A stable JSON report of every result.
    Json,
    /// SARIF 2.1.0, for code-scanning dashboards.
    Sarif,
    /// JUnit XML, for CI test views.
    Junit,
    /// The human report's summary table alone (a row of counts per jurisdiction) and the
    /// documents' problems: statuses without evidence, about twice as fast to evaluate, for
    /// large populations.
    Summary,
}

impl ReportFormat {
    /// The format a report file's name asks for: `.json`, `.sarif` (or `.sarif.json`), `.xml`.
    fn from_extension(path: &std::path::Path) -> Option<ReportFormat> {
        let extension = output::extension(path);
        if extension == "sarif" || extension == "sarif.json" {
            return Some(ReportFormat::Sarif);
        }
        match extension.rsplit('.').next()? {
            "json" => Some(ReportFormat::Json),
            "xml" => Some(ReportFormat::Junit),
            _ => None,
        }
    }
}

/// How `--group-by` groups the human report.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum GroupBy {
    /// Under each electoral-cycle stage.
    Stage,
    /// Under each pillar.
    Pillar,
}

impl GroupBy {
    fn core(self) -> report::human::GroupBy {
        match self {
            GroupBy::Stage => report::human::GroupBy::Stage,
            GroupBy::Pillar => report::human::GroupBy::Pillar,
        }
    }
}

/// The lowest severity of failure that makes `check` exit 1.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum FailOn {
    /// Any failure.
    Low,
    /// Medium, high and critical failures.
    Medium,
    /// High and critical failures.
    High,
    /// Critical failures only.
    Critical,
}

impl FailOn {
    /// The severity it names.
    fn severity(self) -> Severity {
        match self {
            FailOn::Low => Severity::Low,
            FailOn::Medium => Severity::Medium,
            FailOn::High => Severity::High,
            FailOn::Critical => Severity::Critical,
        }
    }
}

/// Arguments of `rampart check`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Policy directory (entry `main.rampart`) or file; the built-in library when omitted.
    #[arg(long, value_name = "PATH")]
    policy: Option<PathBuf>,
    #[command(flatten)]
    eval: EvalArgs,
    /// How to print the results [default: from the --output file's extension (.json, .sarif,
    /// .xml), else human]
    #[arg(long, value_enum)]
    format: Option<ReportFormat>,
    /// Write the report to this file (atomically) instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    output: Option<PathBuf>,
    /// Also write the report in FORMAT (human, json, sarif, junit or summary) to FILE, from
    /// the same run (repeatable): `--report sarif=results.sarif --report junit=results.xml`.
    #[arg(long = "report", value_name = "FORMAT=FILE", value_parser = parse_extra_report)]
    reports: Vec<ExtraReport>,
    /// Exit 1 only when a norm fails or could not be evaluated (status `error`) at this
    /// severity or above; an `unknown` norm (evidence missing) counts only with --strict.
    #[arg(long, value_enum, value_name = "SEVERITY", default_value_t = FailOn::Low)]
    fail_on: FailOn,
    /// Strict: an `unknown` norm at the --fail-on severity or above exits 1 like a failure,
    /// and a document with a warning (such as a field the schema does not declare, often a
    /// misspelt one) is invalid input (exit 2).
    #[arg(long)]
    strict: bool,
    /// Number of worker threads, 1 to 256 (default: one per core).
    #[arg(long, short = 'j', value_name = "N", value_parser = clap::value_parser!(u16).range(1..=256))]
    jobs: Option<u16>,
    /// Only norms that apply at this electoral-cycle stage (repeatable).
    #[arg(long = "stage", value_name = "STAGE")]
    stages: Vec<String>,
    /// Only norms of this pillar (repeatable).
    #[arg(long = "pillar", value_name = "PILLAR")]
    pillars: Vec<String>,
    /// Only norms of this severity, after the profile's overrides (repeatable).
    #[arg(long = "severity", value_name = "SEVERITY")]
    severities: Vec<String>,
    /// Group the human report's results under stage or pillar headings.
    #[arg(long, value_enum, value_name = "BY")]
    group_by: Option<GroupBy>,
    /// Jurisdiction documents (JSON or YAML) or directories of them (searched recursively;
    /// hidden files and directories, named `.*`, are skipped unless named here).
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
}

/// A further report of the same run, asked for with `--report FORMAT=FILE`.
#[derive(Clone, Debug)]
pub struct ExtraReport {
    format: ReportFormat,
    path: PathBuf,
}

/// Reads `FORMAT=FILE`.
fn parse_extra_report(text: &str) -> Result<ExtraReport, String> {
    let example = "such as sarif=results.sarif";
    let (format, path) = text
        .split_once('=')
        .ok_or_else(|| format!("expected FORMAT=FILE, {example}"))?;
    let format =
        <ReportFormat as clap::ValueEnum>::from_str(format.trim(), true).map_err(|_| {
            format!("unknown format `{format}`: expected human, json, sarif, junit or summary")
        })?;
    match path {
        "" => Err(format!(
            "the file is missing after `=`: expected FORMAT=FILE, {example}"
        )),
        "-" => Err("a --report goes to a file; the report on standard output is --format".into()),
        path => Ok(ExtraReport {
            format,
            path: PathBuf::from(path),
        }),
    }
}

/// Refuses a run that would write two reports to one file (the last would silently win);
/// prints the problem.
fn distinct_targets(args: &Args) -> bool {
    let mut seen: Vec<(PathBuf, &std::path::Path)> = Vec::new();
    let targets = (args.output.iter()).chain(args.reports.iter().map(|report| &report.path));
    for path in targets {
        let absolute = std::path::absolute(path).unwrap_or_else(|_| path.clone());
        if let Some((_, first)) = seen.iter().find(|(other, _)| *other == absolute) {
            say!(
                "error: two reports would be written to {} (as {})\n  help: give each --output and --report its own file",
                path.display(),
                first.display()
            );
            return false;
        }
        seen.push((absolute, path));
    }
    true
}

/// Warns that `--group-by` changes nothing when the run writes no human report (`format` is
/// the main report's, and no `--report human=FILE` is asked for).
fn warn_unused_group_by(args: &Args, format: ReportFormat) {
    let human = std::iter::once(format)
        .chain(args.reports.iter().map(|report| report.format))
        .any(|format| format == ReportFormat::Human);
    if args.group_by.is_some() && !human {
        say!(
            "warning: --group-by arranges the human report, and this run writes none\n  help: \
             add --report human=FILE, or leave --group-by out"
        );
    }
}

/// Runs `check`; returns the exit code.
pub fn run(args: &Args) -> u8 {
    if !distinct_targets(args) {
        return EXIT_INVALID;
    }
    let Some(source) = PolicySource::from_arg(args.policy.as_deref()) else {
        return EXIT_INVALID;
    };
    let Some((workspace, program)) = load_program(&source) else {
        return EXIT_INVALID;
    };
    let Some(mut options) = options(&program, args) else {
        return EXIT_INVALID;
    };
    let format = main_format(args);
    warn_unused_group_by(args, format);
    // Only the summary shows no evidence.
    options.statuses_only = std::iter::once(format)
        .chain(args.reports.iter().map(|report| report.format))
        .all(|format| format == ReportFormat::Summary);
    let Some(pool) = thread_pool(args.jobs.map(usize::from)) else {
        return EXIT_INVALID;
    };
    let evaluator = Evaluator::new(&program, options);
    let run = Run {
        program: &program,
        workspace: &workspace,
        evaluator: &evaluator,
        args,
        format,
    };
    match pool.install(|| run.check()) {
        Ok(code) => code,
        Err((target, error)) => {
            say!("error: cannot write the report to {target}: {error}");
            EXIT_INVALID
        }
    }
}

/// The format of the report on standard output or `--output`: `--format`, else the one the
/// `--output` file's extension asks for, else human.
fn main_format(args: &Args) -> ReportFormat {
    let output = args.output.as_deref();
    (args.format)
        .or_else(|| output.and_then(ReportFormat::from_extension))
        .unwrap_or_else(|| {
            let known = ".json, .sarif, .xml";
            super::output::warn_unchosen_format(output, known, "human report");
            ReportFormat::Human
        })
}

/// A report that could not be written: where it was going, and why.
type WriteFailure = (String, std::io::Error);

/// One report being written by a run, and where it goes.
struct Sink<'a> {
    writer: ReportWriter<'a>,
    out: output::Output,
    target: String,
}

impl<'a> Sink<'a> {
    /// Opens `path` (standard output when `None`) and starts a report in `format`.
    fn open(
        format: ReportFormat,
        path: Option<&std::path::Path>,
        ctx: Context<'a>,
    ) -> Result<Sink<'a>, WriteFailure> {
        let target = path.map_or_else(|| "standard output".into(), |p| p.display().to_string());
        let started = output::Output::open(path).and_then(|mut out| {
            let writer = ReportWriter::start(format, ctx, &mut out)?;
            Ok((writer, out))
        });
        match started {
            Ok((writer, out)) => Ok(Sink {
                writer,
                out,
                target,
            }),
            Err(error) => Err((target, error)),
        }
    }

    /// Writes a batch's part of the report.
    fn batch(&mut self, evaluated: &[Evaluated], origins: &[Origin]) -> Result<(), WriteFailure> {
        (self.writer.batch(&mut self.out, evaluated, origins)).map_err(|e| (self.target.clone(), e))
    }

    /// Writes the end of the report and makes it visible.
    fn finish(self, exit_code: u8, notice: Option<&str>) -> Result<(), WriteFailure> {
        let Sink {
            writer,
            mut out,
            target,
        } = self;
        (writer.finish(&mut out, exit_code, notice))
            .and_then(|()| out.finish())
            .map_err(|e| (target, e))
    }
}

/// One `check` run: what it evaluates with and how it reports.
struct Run<'a> {
    program: &'a Program,
    workspace: &'a Workspace,
    evaluator: &'a Evaluator<'a>,
    args: &'a Args,
    /// The main report's format.
    format: ReportFormat,
}

/// Whether a run met invalid input or failing norms so far.
#[derive(Default)]
struct Verdict {
    invalid: bool,
    failed: bool,
}

impl Verdict {
    fn add(&mut self, evaluated: &[Evaluated], (fail_on, strict): (Severity, bool)) {
        for (document, outcome) in evaluated {
            self.invalid |= document.has_errors();
            self.failed |= outcome.as_ref().is_some_and(|o| fails(o, fail_on, strict));
        }
    }

    fn exit_code(&self) -> u8 {
        if self.invalid {
            EXIT_INVALID
        } else if self.failed {
            EXIT_FAILED
        } else {
            EXIT_OK
        }
    }
}

/// The documents of each jurisdiction id seen so far, to warn when two documents describe one
/// jurisdiction (its results would appear twice, under one name, in every report). At most
/// [`MAX_TRACKED_IDS`] ids are kept, so that a stream of millions of documents does not grow
/// memory by this alone.
#[derive(Default)]
struct JurisdictionIds {
    files: std::collections::BTreeMap<String, Vec<String>>,
}

/// Distinct jurisdiction ids a run remembers to find repeats.
const MAX_TRACKED_IDS: usize = 100_000;

impl JurisdictionIds {
    fn add(&mut self, evaluated: &[Evaluated]) {
        for (document, _) in evaluated {
            let Some(id) = document.jurisdiction_id() else {
                continue;
            };
            let file = match document.line {
                Some(line) => format!("{}:{line}", document.path.display()),
                None => document.path.display().to_string(),
            };
            let room = self.files.len() < MAX_TRACKED_IDS;
            match self.files.get_mut(id) {
                Some(files) => files.push(file),
                None if room => {
                    self.files.insert(id.to_string(), vec![file]);
                }
                None => {}
            }
        }
    }

    fn warn_repeats(&self) {
        for (id, files) in self.files.iter().filter(|(_, files)| files.len() > 1) {
            let line = format!(
                "warning: jurisdiction `{id}` is described by {} documents ({}); each is checked and reported on its own",
                files.len(),
                super::first_few(files)
            );
            say!("{}", crate::report::columns::escape_unsafe(&line));
        }
    }
}

impl Run<'_> {
    /// Evaluates every document in batches, writing each batch's part of every report before
    /// reading the next; the exit code, or the error that stopped the output.
    fn check(&self) -> Result<u8, WriteFailure> {
        let mut batches = super::inputs::Batches::new(&self.args.paths);
        let mut verdict = Verdict::default();
        let ctx = Context {
            program: self.program,
            workspace: self.workspace,
            evaluator: self.evaluator,
            profile: self.args.eval.profile.as_deref(),
            group_by: self.args.group_by.map(GroupBy::core),
            strict: self.args.strict,
            policy_on_disk: self.args.policy.is_some(),
        };
        let mut sinks = vec![Sink::open(self.format, self.args.output.as_deref(), ctx)?];
        for report in &self.args.reports {
            sinks.push(Sink::open(report.format, Some(&report.path), ctx)?);
        }
        let mut n_documents = 0;
        let mut ids = JurisdictionIds::default();
        let progress = progress_bar(batches.known_total());
        for batch in &mut batches {
            n_documents += batch.len();
            let mut evaluated = self.evaluate_batch(&batch, &progress);
            let origins: Vec<Origin> = batch.into_iter().map(Origin::from).collect();
            super::check_report::place_problems(&mut evaluated, &origins);
            ids.add(&evaluated);
            verdict.add(&evaluated, (self.args.fail_on.severity(), self.args.strict));
            for sink in &mut sinks {
                sink.batch(&evaluated, &origins)?;
            }
        }
        // A run that checked nothing must not pass (a CI job pointed at the wrong folder).
        let nothing = (n_documents == 0).then(|| {
            let found = format!(
                "no jurisdiction documents found in {}",
                super::inputs::describe(&self.args.paths)
            );
            say!(
                "error: {found}\n  help: rampart check reads *.json, *.yaml, *.yml and *.jsonl files (directories recursively, skipping hidden entries) and `-` for standard input"
            );
            verdict.invalid = true;
            found
        });
        progress.finish_and_clear();
        ids.warn_repeats();
        for sink in sinks {
            sink.finish(verdict.exit_code(), nothing.as_deref())?;
        }
        Ok(verdict.exit_code())
    }

    /// Loads and evaluates a batch in parallel, in order; a document with errors is not
    /// evaluated. Each document moves the run's `progress` bar on.
    fn evaluate_batch(
        &self,
        batch: &[super::inputs::Source],
        progress: &indicatif::ProgressBar,
    ) -> Vec<Evaluated> {
        use rayon::prelude::*;
        batch
            .par_iter()
            .map(|source| {
                let mut document = source.load_unplaced(self.program);
                if self.args.strict {
                    document.treat_warnings_as_errors();
                }
                let outcome = match (&document.doc, document.has_errors()) {
                    (Some(doc), false) => Some(self.evaluator.evaluate_doc(doc)),
                    _ => None,
                };
                progress.inc(1);
                (document, outcome)
            })
            .collect()
    }
}

/// A rayon pool of `jobs` threads (the number of cores when `None`).
fn thread_pool(jobs: Option<usize>) -> Option<rayon::ThreadPool> {
    let mut builder = rayon::ThreadPoolBuilder::new();
    if let Some(jobs) = jobs {
        builder = builder.num_threads(jobs);
    }
    builder
        .build()
        .map_err(|error| say!("error: cannot start {jobs:?} worker threads: {error}"))
        .ok()
}

/// Documents above which a progress bar is worth showing.
const PROGRESS_THRESHOLD: usize = 50;

/// The run's progress bar on standard error when it is a terminal: over `total` documents
/// when the inputs say how many (files), a count when they do not (streams); hidden for a
/// run of few documents, in a pipe, and on CI (`CI` set), where it would only fill the log.
fn progress_bar(total: Option<usize>) -> indicatif::ProgressBar {
    use std::io::IsTerminal;
    let on_ci = std::env::var_os("CI").is_some_and(|v| !v.is_empty() && v != "false");
    let few = total.is_some_and(|n| n <= PROGRESS_THRESHOLD);
    if few || on_ci || !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let (bar, template) = match total {
        Some(n) => (
            indicatif::ProgressBar::new(n as u64),
            "{spinner} checking {pos}/{len} documents [{bar:40}] {eta}",
        ),
        None => (
            indicatif::ProgressBar::new_spinner(),
            "{spinner} checked {pos} documents ({per_sec})",
        ),
    };
    if let Ok(style) = indicatif::ProgressStyle::with_template(template) {
        bar.set_style(style);
    }
    bar
}

/// True when a norm fails (or could not be evaluated, or with `strict` is unknown) at
/// `fail_on` or above, after the profile's overrides.
fn fails(outcome: &Outcome, fail_on: Severity, strict: bool) -> bool {
    let failing = |status: Status| match status {
        Status::Fail | Status::Error => true,
        Status::Unknown => strict,
        Status::Pass | Status::Waived | Status::NotApplicable => false,
    };
    (outcome.results.iter()).any(|r| failing(r.status) && r.severity >= fail_on)
}

/// The evaluation options from the arguments; prints the problem and returns `None` when a
/// profile, setting or date is invalid.
fn options(program: &Program, args: &Args) -> Option<Options> {
    let options = args.eval.options(program);
    let norms = selection(program, args, options.as_ref().and_then(|o| o.profile));
    let mut options = options?;
    options.norms = norms.ok()?;
    Some(options)
}

/// The stages, pillars and severities chosen on the command line.
#[derive(Default)]
struct Selection {
    stages: Vec<usize>,
    pillars: Vec<usize>,
    severities: Vec<Severity>,
}

/// The norms to evaluate under `--stage`, `--pillar` and `--severity` (each repeatable; a norm
/// is kept when it matches one value of every option given): `None` without filters. Prints
/// every unknown value with a suggestion and returns `Err`.
fn selection(
    program: &Program,
    args: &Args,
    profile: Option<usize>,
) -> Result<Option<Vec<NormId>>, ()> {
    if args.stages.is_empty() && args.pillars.is_empty() && args.severities.is_empty() {
        return Ok(None);
    }
    let mut chosen = Selection::default();
    let mut ok = true;
    let mut check = |result: Result<Filter, Vec<FilterError>>| match result {
        Ok(filter) => Some(filter),
        Err(errors) => {
            errors.iter().for_each(super::norms::print_error);
            ok = false;
            None
        }
    };
    for stage in &args.stages {
        let filter = check(Filter::new(program, None, Some(stage), None));
        chosen.stages.extend(filter.and_then(|f| f.stage));
    }
    for pillar in &args.pillars {
        let filter = check(Filter::new(program, Some(pillar), None, None));
        chosen.pillars.extend(filter.and_then(|f| f.pillar));
    }
    for severity in &args.severities {
        let filter = check(Filter::new(program, None, None, Some(severity)));
        chosen.severities.extend(filter.and_then(|f| f.severity));
    }
    if !ok {
        return Err(());
    }
    let profile = profile.and_then(|p| program.profiles.get(p));
    let base: Vec<NormId> = match profile {
        Some(profile) => profile.norms.clone(),
        None => (0..program.norms.len()).collect(),
    };
    let severity_of = |norm: NormId| {
        profile
            .and_then(|p| p.severities.iter().find(|(n, _)| *n == norm))
            .map(|(_, severity)| *severity)
            .or_else(|| program.norms.get(norm).map(|n| n.severity))
    };
    Ok(Some(
        base.into_iter()
            .filter(|&id| {
                let Some(norm) = program.norms.get(id) else {
                    return false;
                };
                (chosen.stages.is_empty() || norm.stages.iter().any(|s| chosen.stages.contains(s)))
                    && (chosen.pillars.is_empty() || chosen.pillars.contains(&norm.pillar))
                    && (chosen.severities.is_empty()
                        || severity_of(id).is_some_and(|s| chosen.severities.contains(&s)))
            })
            .collect(),
    ))
}

pub(super) use crate::report::human::write_evidence;

/// `file:line` of a policy span.
pub(super) fn location(workspace: &Workspace, span: Span) -> String {
    report::location(workspace, span)
}
