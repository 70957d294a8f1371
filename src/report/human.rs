//! The human report of `rampart check`: per jurisdiction document its problems and the norms
//! that fail, are unknown, waived or erroneous, with their evidence, optionally grouped under
//! electoral-cycle stage or pillar headings, then a summary table. The summary format is
//! that table with only the documents' problems before it ([`problems_section`]).
//!
//! Takes the program, its workspace (to quote policy text) and the documents with their
//! outcomes; gives plain text (no colour, so it can go to a file). Reads no files.

use std::fmt::Write;

use crate::check::{Program, Status};
use crate::config::{self, Document, PathSegment};
use crate::eval::{self, FindingKind, NormResult, Outcome};
use crate::report::columns;
use crate::syntax::Span;
use crate::workspace::Workspace;

/// Finds the line of a JSON path in the document: its 1-based line and column and the text of
/// that line.
pub type SourceLine<'a> = dyn Fn(&[PathSegment]) -> Option<(usize, usize, String)> + 'a;

/// How results are grouped under headings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GroupBy {
    /// Under each electoral-cycle stage the norm applies at (a norm may appear more than once).
    Stage,
    /// Under the norm's pillar.
    Pillar,
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

fn document_name(document: &Document) -> Option<String> {
    match (document.jurisdiction_id(), document.jurisdiction_name()) {
        (Some(id), Some(name)) => Some(format!("{id} ({name})")),
        (Some(name), None) | (None, Some(name)) => Some(name.to_string()),
        (None, None) => None,
    }
}

/// The part of the human report for one document: its problems and the norms that do not
/// pass, with evidence, results grouped under stage or pillar headings with `group_by`.
pub fn document(
    program: &Program,
    workspace: &Workspace,
    (document, outcome): (&Document, Option<&Outcome>),
    group_by: Option<GroupBy>,
    source_line: &SourceLine<'_>,
) -> String {
    let mut out = String::new();
    write_heading_and_problems(&mut out, document, outcome);
    if let Some(outcome) = outcome {
        let ctx = Ctx {
            program,
            workspace,
            document,
            source_line,
        };
        write_results(&mut out, &ctx, outcome, group_by);
    }
    out.push('\n');
    printable(out)
}

/// The part of the summary (the human report without results) for one document: its heading
/// and problems, or nothing when it has none.
pub fn problems_section(document: &Document, outcome: Option<&Outcome>) -> String {
    if document.problems.is_empty() {
        return String::new();
    }
    let mut out = String::new();
    write_heading_and_problems(&mut out, document, outcome);
    out.push('\n');
    printable(out)
}

/// A document's heading (its name and place, and the date it was evaluated on) and problems.
fn write_heading_and_problems(out: &mut String, document: &Document, outcome: Option<&Outcome>) {
    let _ = match document_name(document) {
        Some(name) => write!(out, "== {name} — {}", document.place()),
        None => write!(out, "== {}", document.place()),
    };
    match outcome {
        Some(outcome) => {
            let _ = writeln!(out, ", evaluated on {}", outcome.today);
        }
        None => {
            let _ = writeln!(out, ": not evaluated");
        }
    }
    for problem in &document.problems {
        write_problem(out, document, problem);
    }
}

/// `text` with every control character but the line break shown as an escape (`\u{1b}`), so a
/// document cannot drive the terminal; a tab becomes a space to keep carets aligned.
fn printable(text: String) -> String {
    if !text.chars().any(|c| c.is_control() && c != '\n') {
        return text;
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\n' => out.push(c),
            '\t' => out.push(' '),
            c if c.is_control() => {
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out
}

fn write_problem(out: &mut String, document: &Document, problem: &config::Problem) {
    out.push_str(&problem_lines(document, problem));
}

/// A problem of `document` as the human report shows it: its line, with its code, path and
/// position, then its help, indented under a document's heading.
pub fn problem_lines(document: &Document, problem: &config::Problem) -> String {
    let at = problem.position.map_or_else(String::new, |(line, column)| {
        format!(" ({}:{line}:{column})", document.path.display())
    });
    let mut out = format!("  {problem}{at}\n");
    if let Some(help) = &problem.help {
        let _ = writeln!(out, "    help: {help}");
    }
    out
}

/// What rendering one document's results needs.
struct Ctx<'a> {
    program: &'a Program,
    workspace: &'a Workspace,
    document: &'a Document,
    source_line: &'a SourceLine<'a>,
}

fn write_results(out: &mut String, ctx: &Ctx<'_>, outcome: &Outcome, group_by: Option<GroupBy>) {
    let program = ctx.program;
    let reported = |r: &&NormResult| !matches!(r.status, Status::Pass | Status::NotApplicable);
    match group_by {
        None => {
            for result in outcome.results.iter().filter(reported) {
                write_result(out, ctx, result);
            }
        }
        Some(group_by) => {
            for (heading, members) in groups(program, outcome, group_by) {
                let members: Vec<&NormResult> = members.into_iter().filter(reported).collect();
                if members.is_empty() {
                    continue;
                }
                let _ = writeln!(out, "  -- {heading} --");
                for result in members {
                    write_result(out, ctx, result);
                }
            }
        }
    }
    let [pass, fail, waived, unknown, na, error] = counts(outcome);
    let _ = writeln!(
        out,
        "  {pass} pass, {fail} fail, {waived} waived, {unknown} unknown, {na} n/a, {error} error"
    );
}

/// The results under each stage (in cycle order) or pillar (in declaration order), headed
/// `Title (id)`; results of norms without a stage come last under `(no stage)`.
fn groups<'o>(
    program: &Program,
    outcome: &'o Outcome,
    group_by: GroupBy,
) -> Vec<(String, Vec<&'o NormResult>)> {
    let categories = match group_by {
        GroupBy::Stage => &program.stages,
        GroupBy::Pillar => &program.pillars,
    };
    let member_of = |result: &NormResult, index: usize| {
        program
            .norms
            .get(result.norm)
            .is_some_and(|norm| match group_by {
                GroupBy::Stage => norm.stages.contains(&index),
                GroupBy::Pillar => norm.pillar == index,
            })
    };
    let mut groups: Vec<(String, Vec<&NormResult>)> = categories
        .iter()
        .enumerate()
        .map(|(index, category)| {
            let members = outcome
                .results
                .iter()
                .filter(|r| member_of(r, index))
                .collect();
            (format!("{} ({})", category.title, category.id), members)
        })
        .collect();
    if group_by == GroupBy::Stage {
        let unstaged = outcome
            .results
            .iter()
            .filter(|r| {
                program
                    .norms
                    .get(r.norm)
                    .is_some_and(|n| n.stages.is_empty())
            })
            .collect();
        groups.push(("(no stage)".to_string(), unstaged));
    }
    groups
}

fn write_result(out: &mut String, ctx: &Ctx<'_>, result: &NormResult) {
    let (program, workspace) = (ctx.program, ctx.workspace);
    let label = match result.status {
        Status::Fail => "FAIL",
        Status::Error => "ERROR",
        Status::Unknown => "UNKNOWN",
        Status::Waived => "WAIVED",
        Status::Pass | Status::NotApplicable => return,
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
    if matches!(result.status, Status::Fail | Status::Unknown) {
        write_config_snippet(out, ctx, result);
        write_norm_snippet(out, ctx, result);
        write_fix_and_citations(out, program, norm);
    }
}

/// How to mend a failure (the norm's `fix`) and the guidance it rests on, one citation a line.
fn write_fix_and_citations(out: &mut String, program: &Program, norm: &crate::check::Norm) {
    if let Some(fix) = &norm.fix {
        let _ = writeln!(out, "    fix: {fix}");
    }
    for citation in super::text::citation_lines(program, norm) {
        let _ = writeln!(out, "    cites: {citation}");
    }
}

/// The line of the jurisdiction document holding the evidence value, with a caret under it.
fn write_config_snippet(out: &mut String, ctx: &Ctx<'_>, result: &NormResult) {
    let Some(path) = super::text::evaluated_evidence_path(&result.evidence) else {
        return;
    };
    let Some((line, column, text)) = (ctx.source_line)(&path) else {
        return;
    };
    let at = format!("{}:{line}:{column}", ctx.document.path.display());
    // Missing evidence is shown at its closest parent that is present.
    let label = match result.status {
        Status::Unknown => format!("missing: {}", config::display_path(&path)),
        _ => config::display_path(&path),
    };
    write_snippet(out, &at, line, column, &text, &label);
}

/// The line of the norm's first failing requirement that holds its first finding (the
/// smallest part that failed or lacked evidence), with a caret under that part; the `require`
/// line when the finding is written elsewhere (inside a definition the requirement calls).
fn write_norm_snippet(out: &mut String, ctx: &Ctx<'_>, result: &NormResult) {
    let norm = &ctx.program.norms[result.norm];
    let Some((evidence, requirement)) = result.evidence.iter().find_map(|evidence| {
        let requirement = norm.requires.get(evidence.requirement?)?;
        Some((evidence, requirement))
    }) else {
        return;
    };
    let span = evidence
        .findings
        .first()
        .map(|finding| finding.span)
        .filter(|part| within(*part, requirement.span))
        .unwrap_or(requirement.span);
    let Some(file) = ctx.workspace.files.get(span.file.0 as usize) else {
        return;
    };
    let (line, column) = file.line_column(span.start as usize);
    let text = file.line_text(line);
    let at = format!("{}:{line}:{column}", file.display);
    write_snippet(out, &at, line, column, text, "required here");
}

/// True when `part` is written inside `whole`, in the same file.
fn within(part: Span, whole: Span) -> bool {
    part.file == whole.file && part.start >= whole.start && part.end <= whole.end
}

/// Widest part of a source line a snippet shows, in characters.
const SNIPPET_WIDTH: usize = 120;

/// How many characters a snippet keeps before its caret when the line is cut at the left.
const SNIPPET_LEAD: usize = 40;

/// A miette-style snippet: `--> at`, the numbered line and a caret at `column` with `label`.
/// A long line (a minified document is one line) is cut to a window around the caret.
fn write_snippet(out: &mut String, at: &str, line: usize, column: usize, text: &str, label: &str) {
    let number = line.to_string();
    let gutter = " ".repeat(number.len());
    let (shown, caret) = snippet_window(text, column);
    let pad = " ".repeat(caret);
    let _ = writeln!(out, "    {gutter}--> {at}");
    let _ = writeln!(out, "    {number} | {}", shown.trim_end());
    let _ = writeln!(out, "    {gutter} | {pad}^ {label}");
}

/// At most [`SNIPPET_WIDTH`] characters of `text` around 1-based `column`, and the caret's
/// offset in them; a cut at the left is marked with `…`.
fn snippet_window(text: &str, column: usize) -> (String, usize) {
    let before = column.saturating_sub(1);
    if before < SNIPPET_WIDTH - SNIPPET_LEAD {
        return (text.chars().take(SNIPPET_WIDTH).collect(), before);
    }
    let skip = before - SNIPPET_LEAD;
    let shown: String = std::iter::once('…')
        .chain(text.chars().skip(skip).take(SNIPPET_WIDTH - 1))
        .collect();
    (shown, SNIPPET_LEAD + 1)
}

/// A row of the summary table that ends the human report: jurisdiction id, file, and the
/// counts and critical fails of an evaluated document. Rows serialise, so that a long run can
/// keep them out of memory until the table is written.
#[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SummaryRow {
    id: String,
    file: String,
    numbers: Option<([usize; 6], usize)>,
}

impl SummaryRow {
    /// The row of a document and its outcome (`None` when it was not evaluated).
    pub fn new(document: &Document, outcome: Option<&Outcome>) -> SummaryRow {
        // Kept as shown: cut to their widest, without unsafe characters.
        let id = document.jurisdiction_id().unwrap_or("?");
        let file = columns::cell(&document.place(), usize::MAX);
        SummaryRow {
            id: columns::cell(id, MAX_ID_COLUMNS),
            file: columns::tail(&file, MAX_FILE_COLUMNS),
            numbers: outcome.map(|o| (counts(o), critical_fails(o))),
        }
    }

    /// How many of its results are unknown (none when it was not evaluated).
    pub fn unknown(&self) -> usize {
        self.numbers
            .map_or(0, |([_, _, _, unknown, _, _], _)| unknown)
    }
}

/// The line after the summary table when `unknown` results do not fail the run (without
/// `--strict`): a document with no evidence at all would otherwise pass a gate in silence.
pub fn unknown_note(unknown: usize) -> String {
    match unknown {
        0 => String::new(),
        1 => "note: 1 result is unknown (evidence missing) and does not fail this run; \
              --strict fails unknown results\n"
            .to_string(),
        n => format!(
            "note: {n} results are unknown (evidence missing) and do not fail this run; \
             --strict fails unknown results\n"
        ),
    }
}

/// The summary table, written row by row once every row has been seen ([`SummaryTable::fit`])
/// so that its columns are as wide as their widest cell.
#[derive(Debug)]
pub struct SummaryTable {
    id_width: usize,
    file_width: usize,
}

impl Default for SummaryTable {
    fn default() -> SummaryTable {
        SummaryTable {
            id_width: "jurisdiction".len(),
            file_width: "file".len(),
        }
    }
}

/// Widest id shown in the summary table; a longer one is cut.
const MAX_ID_COLUMNS: usize = 40;

/// Widest file shown in the summary table; a longer path keeps its end.
const MAX_FILE_COLUMNS: usize = 60;

impl SummaryTable {
    /// Widens the columns for `row`.
    pub fn fit(&mut self, row: &SummaryRow) {
        self.id_width = self.id_width.max(columns::width(&row.id));
        self.file_width = self.file_width.max(columns::width(&row.file));
    }

    /// The heading line.
    pub fn heading(&self) -> String {
        format!(
            "{}  {}  {:>5} {:>5} {:>6} {:>7} {:>5} {:>5} {:>14}\n",
            columns::pad("jurisdiction", self.id_width),
            columns::pad("file", self.file_width),
            "pass",
            "fail",
            "waived",
            "unknown",
            "n/a",
            "error",
            "critical fails"
        )
    }

    /// The line of `row`.
    pub fn line(&self, row: &SummaryRow) -> String {
        let (id, file) = (
            columns::pad(&row.id, self.id_width),
            columns::pad(&row.file, self.file_width),
        );
        match row.numbers {
            Some(([pass, fail, waived, unknown, na, error], critical)) => format!(
                "{id}  {file}  {pass:>5} {fail:>5} {waived:>6} {unknown:>7} {na:>5} {error:>5} {critical:>14}\n"
            ),
            None => format!("{id}  {file}  invalid document, not evaluated\n"),
        }
    }
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

/// Writes the evidence and waivers of a result, each line starting with `indent`.
pub fn write_evidence(
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
                let at = span.map_or_else(String::new, |s| {
                    format!(" ({})", super::location(workspace, s))
                });
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
    for waiver in &result.waivers {
        let state = waiver.state_text(&result.evidence, &result.waivers);
        let _ = writeln!(
            out,
            "{indent}waiver waivers[{}] (approved by {}, expires {}): {state}",
            waiver.index,
            waiver.approved_by.as_deref().unwrap_or("nobody"),
            waiver.expires.as_deref().unwrap_or("never"),
        );
    }
}

fn write_finding(out: &mut String, workspace: &Workspace, finding: &eval::Finding, indent: &str) {
    let mut line = format!(
        "{indent}  - {}: ",
        finding.kind.label_as(finding.alternative)
    );
    // A missing path already names the items it lies in.
    if finding.kind != FindingKind::Missing {
        for item in &finding.within {
            let _ = write!(line, "{item}: ");
        }
    }
    line.push_str(&finding.text);
    if !matches!(finding.kind, FindingKind::Missing | FindingKind::Omitted) {
        let _ = write!(line, "  [`{}`]", snippet(workspace, finding.span));
    }
    let _ = writeln!(out, "{line}");
}

#[cfg(test)]
mod tests {
    use super::{SNIPPET_WIDTH, printable, snippet_window};

    #[test]
    fn a_snippet_of_a_long_line_is_cut_around_its_caret() {
        let line: String = (0..5_000)
            .map(|i| char::from(b'a' + (i % 26) as u8))
            .collect();
        let (shown, caret) = snippet_window(&line, 4_001);
        assert_eq!(shown.chars().count(), SNIPPET_WIDTH);
        assert!(shown.starts_with('…'));
        assert_eq!(shown.chars().nth(caret), line.chars().nth(4_000));
        let (shown, caret) = snippet_window("short line", 7);
        assert_eq!((shown.as_str(), caret), ("short line", 6));
    }

    #[test]
    fn printable_escapes_control_characters_but_keeps_line_breaks() {
        let text = "a\u{1b}[2J\tb\r\n".to_string();
        assert_eq!(printable(text), "a\\u{1b}[2J b\\u{d}\n");
    }
}
