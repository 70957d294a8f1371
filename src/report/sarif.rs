//! SARIF 2.1.0 (`rampart check --format sarif`), for code-scanning dashboards.
//!
//! One `reportingDescriptor` per norm the run reports (id, title, doc, citations as help,
//! pillar, stages and severity as properties) and one result per failing (`error` for critical
//! and high severity, `warning` otherwise), erroneous (`error`), unknown (`note`) or waived norm
//! (its level, with an `external` suppression per active waiver, carrying its justification).
//! Each result points at the jurisdiction document, at the evidence value when a [`Locator`] finds
//! it, else at the document's first line, with a fingerprint of jurisdiction and norm. Its
//! related locations are the other values its message quotes evidence about, each with its
//! evidence line as message, then the norm's declaration when the policy files are on disk
//! ([`SarifWriter::with_declarations`]). The run's invocation (exit code) ends the log. The log
//! is written piece by piece ([`SarifWriter`]), so a run of any size holds one document at a
//! time. Reads no files: the caller locates evidence.

use std::collections::BTreeMap;

use serde_json::{Value as Json, json};
use serde_sarif::sarif;

use super::model::{DocumentReport, ProblemRecord, ProblemSeverity, ResultRecord, WaiverState};
use super::text::{EvidenceLine, evidence_path, located_evidence_lines, parse_path};
use crate::check::{Norm, NormId, Program, Status};
use crate::config::{Path, PathSegment, ProblemKind};
use crate::syntax::ast::Severity;
use crate::workspace::Workspace;

/// Finds where JSON paths are in a document.
pub trait Locator {
    /// Told every path a document's results will look up, before the first look-up, so that
    /// they can be found together (in one pass over the text).
    fn prefetch(&self, paths: &[Path]);

    /// The 1-based line and column of the value at `path`, when it is found.
    fn at(&self, path: &[PathSegment]) -> Option<(usize, usize)>;
}

/// The SARIF log of a run written piece by piece as its documents are evaluated:
/// [`SarifWriter::head`], then [`SarifWriter::results`] for each part of the report, then
/// [`SarifWriter::tail`]. The pieces put together are the pretty JSON of the whole log plus a
/// newline. The rules are the norms the run reports, known before any document is read, so a
/// result's `ruleIndex` never depends on later documents.
pub struct SarifWriter<'p> {
    program: &'p Program,
    norms: Vec<&'p Norm>,
    rule_index: BTreeMap<&'p str, usize>,
    any_result: bool,
    /// `check --strict`: an unknown norm is reported at the level of a failure.
    unknown_fails: bool,
    /// Where each norm of `norms` is declared, when the policy files are on disk.
    declared: Vec<Option<sarif::Location>>,
}

/// The text that stands for the results while the frame of the log is printed.
const RESULTS_SLOT: &str = "\"results\": []";

/// Evidence lines a result's message quotes at most (a norm failing on hundreds of systems
/// would otherwise make a message of tens of kilobytes, which dashboards cut anyway).
const MAX_MESSAGE_LINES: usize = 12;

/// Indentation depth of a result in the pretty log (`runs[0].results[i]`).
const RESULT_DEPTH: usize = 4;

/// Indentation depth of a member of the run in the pretty log (`runs[0].invocations`).
const RUN_DEPTH: usize = 3;

impl<'p> SarifWriter<'p> {
    /// A writer whose rules are `reported`, in program order; with `unknown_fails` (`check
    /// --strict`), unknown norms are results at the level of failures, not notes.
    pub fn new(program: &'p Program, reported: &[NormId], unknown_fails: bool) -> SarifWriter<'p> {
        let mut ids = reported.to_vec();
        ids.sort_unstable();
        ids.dedup();
        let norms: Vec<&Norm> = ids.iter().filter_map(|&id| program.norms.get(id)).collect();
        // Norm ids and problem codes (`rampart::config::…`) cannot clash.
        let ids = norms.iter().map(|norm| norm.id.as_str());
        let codes = ProblemKind::ALL.iter().map(|kind| kind.code());
        let rule_index = ids
            .chain(codes)
            .enumerate()
            .map(|(i, id)| (id, i))
            .collect();
        SarifWriter {
            program,
            declared: vec![None; norms.len()],
            norms,
            rule_index,
            any_result: false,
            unknown_fails,
        }
    }

    /// The writer, with each result related to its norm's declaration in `workspace`, whose
    /// files are on disk (the embedded library has no file a reader of the log could open).
    pub fn with_declarations(mut self, workspace: &Workspace) -> SarifWriter<'p> {
        self.declared = (self.norms.iter())
            .map(|norm| declaration(workspace, norm))
            .collect();
        self
    }

    /// Everything before the first result.
    pub fn head(&self) -> String {
        self.frame().0
    }

    /// The results of one document, located in it with `at`, each printed as in the log (to
    /// be written with [`SarifWriter::list`]).
    pub fn results(&self, document: &DocumentReport, at: &dyn Locator) -> Vec<String> {
        let problems = (document.problems.iter())
            .map(|problem| problem_result(document, problem, &self.rule_index));
        let reported: Vec<Reported<'_>> = (document.results.iter().flatten())
            .filter_map(|record| {
                let level = level(record, self.unknown_fails)?;
                Some((record, level, located_evidence_lines(record)))
            })
            .collect();
        let paths: Vec<Path> = (reported.iter())
            .flat_map(|(record, _, lines)| located_paths(record, lines))
            .collect();
        at.prefetch(&paths);
        let results = (reported.iter()).map(|reported| self.result(document, reported, at));
        problems
            .chain(results)
            .map(|res| super::json::pretty(&res, RESULT_DEPTH))
            .collect()
    }

    /// The printed results of [`SarifWriter::results`] as the next items of the log's list.
    pub fn list(&mut self, printed: &[String]) -> String {
        let mut out = String::new();
        for result in printed {
            out.push_str(if self.any_result { ",\n" } else { "\n" });
            out.push_str(&"  ".repeat(RESULT_DEPTH));
            out.push_str(result);
            self.any_result = true;
        }
        out
    }

    /// Everything after the last result: the run's invocation (its exit code, and why it
    /// failed when `notice` says so), the tool and its rules.
    pub fn tail(&self, exit_code: u8, notice: Option<&str>) -> String {
        let close = if self.any_result {
            format!("\n{}", "  ".repeat(RESULT_DEPTH - 1))
        } else {
            String::new()
        };
        let rest = self.frame().1;
        // The invocation is known last, so it follows the results (members of a JSON object
        // may come in any order).
        let (bracket, rest) = rest.split_at(1);
        let invocation = super::json::pretty(&[invocation(exit_code, notice)], RUN_DEPTH);
        let indent = "  ".repeat(RUN_DEPTH);
        format!("{close}{bracket},\n{indent}\"invocations\": {invocation}{rest}\n")
    }

    /// The pretty log with no result, cut inside its empty list of results: up to its `[`, and
    /// from its `]`.
    fn frame(&self) -> (String, String) {
        let norm_rules = self.norms.iter().map(|norm| rule(self.program, norm));
        let problem_rules = ProblemKind::ALL.iter().map(|&kind| problem_rule(kind));
        let rules: Vec<sarif::ReportingDescriptor> = norm_rules.chain(problem_rules).collect();
        let driver = sarif::ToolComponent::builder()
            .name("rampart")
            .version(env!("CARGO_PKG_VERSION"))
            .semantic_version(env!("CARGO_PKG_VERSION"))
            .information_uri("https://github.com/rampart-elections/rampart")
            .rules(rules)
            .build();
        let run = sarif::Run::builder()
            .tool(sarif::Tool::builder().driver(driver).build())
            .column_kind(json!("unicodeCodePoints"))
            .results(Vec::new())
            .build();
        let log = sarif::Sarif::builder()
            .schema(sarif::SCHEMA_URL)
            .version(json!("2.1.0"))
            .runs(vec![run])
            .build();
        let text = serde_json::to_string_pretty(&log).unwrap_or_default();
        let at = (text.find(RESULTS_SLOT)).map_or(0, |at| at + RESULTS_SLOT.len() - 1);
        let (before, after) = text.split_at(at);
        (before.to_string(), after.to_string())
    }
}

fn rule(program: &Program, norm: &Norm) -> sarif::ReportingDescriptor {
    let mut properties = BTreeMap::new();
    let pillar = program.pillars.get(norm.pillar).map(|p| p.id.as_str());
    properties.insert("pillar".to_string(), json!(pillar));
    let stages: Vec<&str> = norm
        .stages
        .iter()
        .filter_map(|&s| program.stages.get(s))
        .map(|s| s.id.as_str())
        .collect();
    properties.insert("stages".to_string(), json!(stages));
    properties.insert("severity".to_string(), json!(norm.severity.as_str()));
    properties.insert(
        "security-severity".to_string(),
        json!(security_severity(norm.severity)),
    );
    let bag = sarif::PropertyBag::builder()
        .additional_properties(properties)
        .build();
    let mut descriptor = sarif::ReportingDescriptor::builder()
        .id(norm.id.as_str())
        .name(norm.id.as_str())
        .short_description(message_string(&norm.title))
        .help(message_string(&citations_text(program, norm)))
        .properties(bag)
        .build();
    if let Some(doc) = &norm.doc {
        descriptor.full_description = Some(message_string(doc));
    }
    descriptor
}

/// A severity as the score GitHub code scanning reads from `security-severity` (above 9.0 is
/// critical, 7.0 high, 4.0 medium, else low), so that its dashboard ranks failures as we do.
fn security_severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical => "9.5",
        Severity::High => "8.0",
        Severity::Medium => "5.5",
        Severity::Low => "3.0",
    }
}

/// How the run went: its exit code (2, invalid input, is an unsuccessful run) and, when
/// `notice` says why the run failed outside any document, that message.
fn invocation(exit_code: u8, notice: Option<&str>) -> sarif::Invocation {
    let mut invocation = sarif::Invocation::builder()
        .execution_successful(exit_code != 2)
        .exit_code(i64::from(exit_code))
        .build();
    invocation.tool_execution_notifications = notice.map(|text| {
        let notification = sarif::Notification::builder()
            .level(json!("error"))
            .message(sarif::Message::builder().text(text).build())
            .build();
        vec![notification]
    });
    invocation
}

/// The rule of a kind of document problem: a document that cannot be read, parsed or
/// validated is reported as a result of this rule, so a dashboard shows it.
fn problem_rule(kind: ProblemKind) -> sarif::ReportingDescriptor {
    let code = kind.registry_code();
    sarif::ReportingDescriptor::builder()
        .id(code.as_str())
        .name(code.as_str())
        .short_description(message_string(code.summary()))
        .help(message_string(
            "A problem of the jurisdiction document itself: it is not evaluated when the \
             problem is an error. docs/language.md §12 lists every code.",
        ))
        .build()
}

/// A problem of a document as a result: an error (the document was not evaluated) or a
/// warning, at the problem's position.
fn problem_result(
    document: &DocumentReport,
    problem: &ProblemRecord,
    rule_index: &BTreeMap<&str, usize>,
) -> sarif::Result {
    let level = match problem.severity {
        ProblemSeverity::Error => sarif::ResultLevel::Error,
        ProblemSeverity::Warning => sarif::ResultLevel::Warning,
        ProblemSeverity::Info => sarif::ResultLevel::Note,
    };
    let mut text = format!("{}: {}", problem.path, problem.message);
    if let Some(help) = &problem.help {
        text.push_str(" (help: ");
        text.push_str(help);
        text.push(')');
    }
    let position = (
        problem.line.unwrap_or(1),
        problem.column.unwrap_or(1).max(1),
    );
    let mut res = sarif::Result::builder()
        .rule_id(problem.code.as_str())
        .level(level)
        .message(sarif::Message::builder().text(text).build())
        .locations(vec![physical_location(&document.path, position)])
        .build();
    res.rule_index = (rule_index.get(problem.code.as_str())).and_then(|&i| i64::try_from(i).ok());
    res
}

fn message_string(text: &str) -> sarif::MultiformatMessageString {
    sarif::MultiformatMessageString::builder()
        .text(text)
        .build()
}

/// The citations of a norm, one per line: `source-id — Title, locator`.
fn citations_text(program: &Program, norm: &Norm) -> String {
    let lines = super::text::citation_lines(program, norm);
    if lines.is_empty() {
        "No citations.".to_string()
    } else {
        format!("Cites:\n{}", lines.join("\n"))
    }
}

fn level(record: &ResultRecord, unknown_fails: bool) -> Option<sarif::ResultLevel> {
    let serious = record.severity >= Severity::High;
    match record.status {
        Status::Fail | Status::Waived if serious => Some(sarif::ResultLevel::Error),
        Status::Fail | Status::Waived => Some(sarif::ResultLevel::Warning),
        Status::Unknown if unknown_fails && serious => Some(sarif::ResultLevel::Error),
        Status::Unknown if unknown_fails => Some(sarif::ResultLevel::Warning),
        Status::Error => Some(sarif::ResultLevel::Error),
        Status::Unknown => Some(sarif::ResultLevel::Note),
        Status::Pass | Status::NotApplicable => None,
    }
}

/// A result the log reports: its record, its level and its evidence lines.
type Reported<'r> = (&'r ResultRecord, sarif::ResultLevel, Vec<EvidenceLine<'r>>);

impl SarifWriter<'_> {
    fn result(
        &self,
        document: &DocumentReport,
        (record, level, lines): &Reported<'_>,
        at: &dyn Locator,
    ) -> sarif::Result {
        let shown = shown_lines(lines);
        let rule = self.rule_index.get(record.norm.as_str()).copied();
        let mut res = sarif::Result::builder()
            .rule_id(record.norm.as_str())
            .level(*level)
            .message(
                sarif::Message::builder()
                    .text(message(record, lines))
                    .build(),
            )
            .locations(vec![location(document, record, at)])
            .build();
        let mut related = related_locations(document, record, shown, at);
        let declared = rule.and_then(|i| self.declared.get(i)).cloned().flatten();
        related.extend(declared);
        number(&mut related);
        res.related_locations = Some(related).filter(|list| !list.is_empty());
        res.rule_index = rule.and_then(|i| i64::try_from(i).ok());
        res.properties = Some(result_properties(document, record));
        res.partial_fingerprints = Some(fingerprints(document, record));
        if record.status == Status::Waived {
            res.suppressions = Some(suppressions(record));
        }
        res
    }
}

/// The evidence `lines` a result's message quotes: at most [`MAX_MESSAGE_LINES`].
fn shown_lines<'l, 'r>(lines: &'l [EvidenceLine<'r>]) -> &'l [EvidenceLine<'r>] {
    lines
        .get(..lines.len().min(MAX_MESSAGE_LINES))
        .unwrap_or_default()
}

/// A result's message: its title, its status and at most [`MAX_MESSAGE_LINES`] of its evidence
/// `lines`, the rest counted.
fn message(record: &ResultRecord, lines: &[EvidenceLine<'_>]) -> String {
    let mut text = format!("{} ({})", record.title, record.status.as_str());
    let shown: Vec<&str> = (shown_lines(lines).iter())
        .map(|line| line.text.as_str())
        .collect();
    if !shown.is_empty() {
        text.push_str(": ");
        text.push_str(&shown.join("; "));
    }
    if lines.len() > MAX_MESSAGE_LINES {
        let more = lines.len() - MAX_MESSAGE_LINES;
        text.push_str(&format!(
            "; and {more} more (the JSON and human reports list them)"
        ));
    }
    text
}

/// A location in the document for each other value the `shown` evidence lines are about than
/// the one the result points at, found by `at`, in the order of the lines; each value once,
/// with its first line as the message.
fn related_locations(
    document: &DocumentReport,
    record: &ResultRecord,
    shown: &[EvidenceLine<'_>],
    at: &dyn Locator,
) -> Vec<sarif::Location> {
    let mut seen: Vec<Path> = evidence_path(record).into_iter().collect();
    let mut related = Vec::new();
    for line in shown {
        let Some(path) = line.path.as_deref().and_then(parse_path) else {
            continue;
        };
        if seen.contains(&path) {
            continue;
        }
        if let Some(position) = at.at(&path) {
            let mut location = physical_location(&document.path, position);
            location.message = Some(sarif::Message::builder().text(&line.text).build());
            related.push(location);
        }
        seen.push(path);
    }
    related
}

/// Gives each of a result's related locations its `id`, from 1.
fn number(related: &mut [sarif::Location]) {
    for (id, location) in (1..).zip(related.iter_mut()) {
        location.id = Some(id);
    }
}

/// Where `norm` is declared in `workspace`: its id in its file.
fn declaration(workspace: &Workspace, norm: &Norm) -> Option<sarif::Location> {
    let file = workspace.files.get(norm.span.file.0 as usize)?;
    let position = file.line_column(norm.span.start as usize);
    let mut location = physical_location(&file.display, position);
    let text = format!("norm {} is declared here", norm.id);
    location.message = Some(sarif::Message::builder().text(text).build());
    Some(location)
}

/// The evidence paths a result's locations are about: the one it points at, then those of the
/// evidence `lines` its message quotes (for finding them all in one pass over the document).
fn located_paths<'a>(
    record: &ResultRecord,
    lines: &'a [EvidenceLine<'_>],
) -> impl Iterator<Item = Path> + 'a {
    let paths =
        (shown_lines(lines).iter()).filter_map(|line| line.path.as_deref().and_then(parse_path));
    evidence_path(record).into_iter().chain(paths)
}

/// What identifies a result from one run to the next, wherever its evidence moves in the
/// file: the jurisdiction (else the document's path) and the norm.
fn fingerprints(document: &DocumentReport, record: &ResultRecord) -> BTreeMap<String, String> {
    let jurisdiction = document.jurisdiction.as_deref().unwrap_or(&document.path);
    let key = format!("{jurisdiction}/{}", record.norm);
    BTreeMap::from([("rampartNorm/v1".to_string(), key)])
}

fn result_properties(document: &DocumentReport, record: &ResultRecord) -> sarif::PropertyBag {
    let mut properties = BTreeMap::new();
    properties.insert("jurisdiction".to_string(), json!(document.jurisdiction));
    properties.insert("status".to_string(), json!(record.status.as_str()));
    properties.insert("severity".to_string(), json!(record.severity.as_str()));
    sarif::PropertyBag::builder()
        .additional_properties(properties)
        .build()
}

/// One `external` suppression per active waiver of a waived result, with its justification.
fn suppressions(record: &ResultRecord) -> Vec<sarif::Suppression> {
    (record.waivers.iter())
        .filter(|w| w.state == WaiverState::Active)
        .map(|w| {
            let justification = w.reason.clone().unwrap_or_else(|| "waived".to_string());
            sarif::Suppression::builder()
                .kind(Json::from("external"))
                .justification(justification)
                .build()
        })
        .collect()
}

fn location(document: &DocumentReport, record: &ResultRecord, at: &dyn Locator) -> sarif::Location {
    let position = evidence_path(record)
        .and_then(|path| at.at(&path))
        .or_else(|| at.at(&[]))
        .unwrap_or((1, 1));
    physical_location(&document.path, position)
}

/// Line and column `(line, column)` of the document at `path`.
fn physical_location(path: &str, (line, column): (usize, usize)) -> sarif::Location {
    let region = sarif::Region::builder()
        .start_line(i64::try_from(line).unwrap_or(1))
        .start_column(i64::try_from(column).unwrap_or(1))
        .build();
    let artifact = sarif::ArtifactLocation::builder().uri(uri(path)).build();
    let physical = sarif::PhysicalLocation::builder()
        .artifact_location(artifact)
        .region(region)
        .build();
    sarif::Location::builder()
        .physical_location(physical)
        .build()
}

/// A document path as a URI: relative to the current directory (where a code-scanning upload
/// runs) when the file is inside it, with `.` and `..` resolved; a `file://` URI otherwise. `/`
/// separators, and the characters a URI cannot hold percent-encoded.
pub fn uri(path: &str) -> String {
    use std::path::{Component, Path, PathBuf};
    let path = Path::new(path);
    let cwd = std::env::current_dir().unwrap_or_default();
    let absolute = if path.is_absolute() {
        path.to_path_buf()
    } else {
        cwd.join(path)
    };
    // Resolved by name, not on disk: a report names the file as the user did.
    let mut resolved = PathBuf::new();
    for component in absolute.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                resolved.pop();
            }
            other => resolved.push(other),
        }
    }
    match resolved.strip_prefix(&cwd) {
        Ok(relative) if !relative.as_os_str().is_empty() => encode(&relative.to_string_lossy()),
        // Standard input and other names that are not files stay as they are.
        _ if !path.is_absolute() && !absolute.exists() => encode(&path.to_string_lossy()),
        _ => {
            let text = resolved.to_string_lossy().replace('\\', "/");
            let rooted = if text.starts_with('/') {
                text
            } else {
                format!("/{text}")
            };
            format!("file://{}", encode(&rooted))
        }
    }
}

/// `text` with `/` separators and the characters a URI cannot hold percent-encoded.
fn encode(text: &str) -> String {
    let mut out = String::new();
    for c in text.replace('\\', "/").chars() {
        if c.is_ascii_alphanumeric() || "/-._~:@!$&'()*+,;=".contains(c) {
            out.push(c);
        } else {
            let mut buf = [0; 4];
            for byte in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{byte:02X}"));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use std::cell::RefCell;

    use super::*;
    use crate::report::Report;
    use crate::test_support::library;

    /// A locator that records what it is told and asked.
    #[derive(Default)]
    struct Recorder {
        prefetched: RefCell<Vec<Vec<Path>>>,
        asked_first: RefCell<Vec<Path>>,
    }

    impl Locator for Recorder {
        fn prefetch(&self, paths: &[Path]) {
            self.prefetched.borrow_mut().push(paths.to_vec());
        }

        fn at(&self, path: &[PathSegment]) -> Option<(usize, usize)> {
            let told = self.prefetched.borrow();
            if told
                .last()
                .is_none_or(|paths| !paths.iter().any(|p| p == path))
            {
                self.asked_first.borrow_mut().push(path.to_vec());
            }
            Some((1, 1))
        }
    }

    #[test]
    fn a_document_s_paths_are_all_prefetched_once_before_they_are_looked_up() {
        let snapshot = "tests/snapshots/check_formats__json_output_matches_the_snapshot.snap";
        let text = std::fs::read_to_string(snapshot).expect("the JSON report snapshot");
        let report = text.splitn(3, "---\n").nth(2).expect("the snapshot's body");
        let report = Report::from_json(report).expect("a report");
        let program = library();
        let norms: Vec<NormId> = (0..program.norms.len()).collect();
        let writer = SarifWriter::new(&program, &norms, false);
        for document in &report.documents {
            let recorder = Recorder::default();
            let results = writer.results(document, &recorder);
            assert!(!results.is_empty(), "{}", document.path);
            assert_eq!(recorder.prefetched.borrow().len(), 1, "{}", document.path);
            assert_eq!(*recorder.asked_first.borrow(), Vec::<Path>::new());
        }
    }
}
