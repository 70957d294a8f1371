//! Jurisdiction documents in the editor: an open JSON or YAML document that describes a
//! jurisdiction is validated and evaluated against its policy set on every change, and each
//! schema problem and each failing or unknown norm becomes a diagnostic placed on the value it is
//! about.
//!
//! It takes an [`Analysis`] (the policy set on disk, or the embedded library) and the document's
//! text; it gives protocol diagnostics and code actions. Validation, evaluation and the JSON
//! path → line:column locator are the core's (`config`, `eval`); this module only decides what
//! is a jurisdiction document, reads evidence paths back out of findings and converts positions.

use std::path::Path;

use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CodeDescription, Command, Diagnostic,
    DiagnosticRelatedInformation, DiagnosticSeverity, NumberOrString, Position, Range, Url,
};
use serde_json::Value as Json;

use super::analysis::Analysis;
use crate::check::{Norm, Program, Status};
use crate::config::{self, Format, PathSegment, Problem};
use crate::eval::{Doc, Evaluator, Evidence, Node, NormResult, Options};
use crate::report::text::parse_path;
use crate::syntax::ast::Severity;
use crate::syntax::{ColumnUnit, LineCol, LineIndex};

/// The command the "Explain norm" code action runs.
pub(crate) const EXPLAIN_COMMAND: &str = "rampart.explainNorm";

/// Evidence entries of one norm shown as separate diagnostics, at most.
const MAX_EVIDENCE_PER_NORM: usize = 20;

/// True when a document is JSON or YAML data rather than policy text.
pub(crate) fn is_data(path: &Path, language_id: Option<&str>) -> bool {
    if matches!(language_id, Some("json" | "jsonc" | "yaml")) {
        return true;
    }
    matches!(
        path.extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref(),
        Some("json" | "yaml" | "yml")
    )
}

/// The notation of a data document.
pub(crate) fn format(path: &Path, language_id: Option<&str>) -> Format {
    match language_id {
        Some("yaml") => Format::Yaml,
        Some("json" | "jsonc") => Format::Json,
        _ => Format::of_path(path),
    }
}

/// True when a data document describes a jurisdiction: an object with a `jurisdiction` key, or
/// any document under a `jurisdictions/` or `examples/` folder.
pub(crate) fn is_jurisdiction(path: &Path, text: &str, format: Format) -> bool {
    let in_folder = path.parent().is_some_and(|dir| {
        dir.components()
            .any(|c| matches!(c.as_os_str().to_str(), Some("jurisdictions" | "examples")))
    });
    in_folder || config::parse(text, format).is_ok_and(|value| value.get("jurisdiction").is_some())
}

/// Every diagnostic of the jurisdiction document `text`: its schema problems, then, when it has
/// no errors, one per failing or unknown norm's evidence.
pub(crate) fn diagnostics(
    analysis: &Analysis,
    path: &Path,
    text: &str,
    format: Format,
) -> Vec<Diagnostic> {
    let line_index = LineIndex::new(text);
    if analysis.checked.has_errors(&analysis.workspace) {
        let message = "the policy set has errors, so norms are not evaluated; fix the policy first";
        return vec![plain(
            first_line(&line_index, text),
            message,
            "rampart::lsp::policy-errors",
        )];
    }
    let program = &analysis.checked.program;
    let document = config::from_text(program, path, text, format);
    let mut out: Vec<Diagnostic> = document
        .problems
        .iter()
        .map(|problem| problem_diagnostic(&line_index, text, problem))
        .collect();
    let Some(doc) = document.doc.as_ref().filter(|_| !document.has_errors()) else {
        return out;
    };
    let locator = Locator::new(text, format, &line_index);
    let evaluator = Evaluator::new(program, Options::default());
    for result in evaluator.evaluate_doc(doc).results {
        out.extend(norm_diagnostics(analysis, &locator, doc, &result));
    }
    out
}

/// A schema problem at its line and column.
fn problem_diagnostic(line_index: &LineIndex, text: &str, problem: &Problem) -> Diagnostic {
    let range = problem.position.map_or_else(
        || first_line(line_index, text),
        |p| value_range(line_index, text, p),
    );
    let mut message = format!(
        "{}: {}",
        config::display_path(&problem.path),
        problem.message
    );
    if let Some(help) = &problem.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    let severity = match problem.severity() {
        crate::diagnostics::Severity::Error => DiagnosticSeverity::ERROR,
        crate::diagnostics::Severity::Warning => DiagnosticSeverity::WARNING,
        crate::diagnostics::Severity::Info => DiagnosticSeverity::INFORMATION,
    };
    Diagnostic {
        severity: Some(severity),
        ..plain(range, &message, problem.kind.code())
    }
}

/// Finds where evidence paths are written in the document.
struct Locator<'t> {
    text: &'t str,
    line_index: &'t LineIndex,
    yaml: Option<config::YamlPositions>,
}

impl<'t> Locator<'t> {
    fn new(text: &'t str, format: Format, line_index: &'t LineIndex) -> Self {
        let yaml = match format {
            Format::Yaml => config::YamlPositions::parse(text),
            Format::Json => None,
        };
        Locator {
            text,
            line_index,
            yaml,
        }
    }

    /// The range of the value at `path`, or of the document's first line.
    fn range(&self, path: Option<&[PathSegment]>) -> Range {
        let position = path.and_then(|path| match &self.yaml {
            Some(yaml) => yaml.locate(path),
            None => config::locate(self.text, path),
        });
        match position {
            Some(position) => value_range(self.line_index, self.text, position),
            None => first_line(self.line_index, self.text),
        }
    }
}

/// The diagnostics of one norm result: one per evidence entry of a failing or unknown norm.
fn norm_diagnostics(
    analysis: &Analysis,
    locator: &Locator<'_>,
    doc: &Doc,
    result: &NormResult,
) -> Vec<Diagnostic> {
    let program = &analysis.checked.program;
    let Some(norm) = program.norms.get(result.norm) else {
        return Vec::new();
    };
    let Some(severity) = severity(result.status, result.severity) else {
        return Vec::new();
    };
    let declaration = analysis.location(norm.span);
    let mut out = Vec::new();
    let evidence = result.evidence.iter().take(MAX_EVIDENCE_PER_NORM);
    for evidence in evidence {
        let path = evidence_path(program, norm, evidence, doc);
        let message = message(program, norm, result, evidence);
        out.push(Diagnostic {
            severity: Some(severity),
            code_description: declaration.as_ref().map(|location| CodeDescription {
                href: location.uri.clone(),
            }),
            related_information: declaration.as_ref().map(|location| {
                vec![DiagnosticRelatedInformation {
                    location: location.clone(),
                    message: format!("norm {} is declared here", norm.id),
                }]
            }),
            ..plain(locator.range(path.as_deref()), &message, &norm.id)
        });
    }
    if out.is_empty() {
        let message = format!("{}: {}", norm.title, result.status.as_str());
        out.push(Diagnostic {
            severity: Some(severity),
            ..plain(locator.range(None), &message, &norm.id)
        });
    }
    out
}

/// Error for a failing critical or high norm, warning for other failures and errors,
/// information for unknown; `None` for statuses that need no diagnostic.
fn severity(status: Status, severity: Severity) -> Option<DiagnosticSeverity> {
    match status {
        Status::Fail if matches!(severity, Severity::Critical | Severity::High) => {
            Some(DiagnosticSeverity::ERROR)
        }
        Status::Fail | Status::Error => Some(DiagnosticSeverity::WARNING),
        Status::Unknown => Some(DiagnosticSeverity::INFORMATION),
        Status::Pass | Status::Waived | Status::NotApplicable => None,
    }
}

/// The norm's message (or title), the findings, and the citations.
fn message(program: &Program, norm: &Norm, result: &NormResult, evidence: &Evidence) -> String {
    let mut out = format!(
        "{} ({}, {}): {}",
        norm.id,
        result.status.as_str(),
        result.severity.as_str(),
        evidence.message.as_deref().unwrap_or(&norm.title)
    );
    if let Some(item) = &evidence.item {
        out.push_str(&format!("\nitem: {item}"));
    }
    for finding in &evidence.findings {
        out.push_str(if finding.alternative {
            "\n- or "
        } else {
            "\n- "
        });
        out.push_str(&finding.text);
    }
    let citations: Vec<String> = norm
        .citations
        .iter()
        .filter_map(|citation| {
            let source = program.sources.get(citation.source)?;
            let title = source.title.as_deref().unwrap_or(&source.id);
            Some(match &citation.locator {
                Some(locator) => format!("{title} {locator}"),
                None => title.to_string(),
            })
        })
        .collect();
    if !citations.is_empty() {
        out.push_str("\ncites: ");
        out.push_str(&citations.join("; "));
    }
    out
}

/// The JSON path of the value an evidence entry is about: the first finding's path, else the
/// item it is about, else the first path the norm reads (up to its first list).
fn evidence_path(
    program: &Program,
    norm: &Norm,
    evidence: &Evidence,
    doc: &Doc,
) -> Option<config::Path> {
    let in_document = |path: &config::Path| starts_in(program, path, doc);
    let findings = evidence.findings.iter();
    let item = evidence.item.iter().map(|item| item.path.as_str());
    findings
        .filter_map(|finding| finding.path())
        .chain(item)
        .filter_map(parse_path)
        .find(in_document)
        .or_else(|| {
            norm.reads
                .iter()
                .filter_map(|read| parse_path(read.split("[]").next().unwrap_or("")))
                .find(in_document)
        })
}

/// True when the first key of `path` is a field of the document.
fn starts_in(program: &Program, path: &[PathSegment], doc: &Doc) -> bool {
    let Some(PathSegment::Key(key)) = path.first() else {
        return false;
    };
    let root = program.schema.root_object();
    root.field_index(key)
        .is_some_and(|index| doc.root_field(index) != Node::Missing)
}

/// From a 1-based line and character column to the end of the member or value written there:
/// `"key": value` in JSON (a nested object or list up to its opening bracket), else the rest of
/// the line without trailing commas and spaces.
fn value_range(line_index: &LineIndex, text: &str, (line, column): (usize, usize)) -> Range {
    let start = LineCol {
        line: line.saturating_sub(1) as u32,
        col: column.saturating_sub(1) as u32,
    };
    let start_offset = line_index.offset(text, start, ColumnUnit::Char);
    let rest = text.get(start_offset..).unwrap_or("");
    let line_rest = rest.split('\n').next().unwrap_or("");
    let length = json_member_length(line_rest).unwrap_or_else(|| {
        let value = line_rest.trim_end().trim_end_matches(',').trim_end();
        value.len().max(1).min(line_rest.len())
    });
    Range::new(
        position(line_index, text, start_offset),
        position(line_index, text, start_offset + length),
    )
}

/// The byte length of the JSON `"key": value` or value at the start of `line`, when it ends on
/// that line.
fn json_member_length(line: &str) -> Option<usize> {
    let mut end = json_token_length(line)?;
    let after_key = line.get(end..)?.trim_start();
    if let Some(value) = after_key.strip_prefix(':') {
        let value_start = line.len() - value.trim_start().len();
        end = value_start + json_token_length(line.get(value_start..)?)?;
    }
    Some(end)
}

/// The byte length of the string, opening bracket or scalar at the start of `text`.
fn json_token_length(text: &str) -> Option<usize> {
    let mut chars = text.char_indices();
    match chars.next()? {
        (_, '"') => {
            let mut escaped = false;
            for (i, c) in chars {
                match c {
                    '\\' if !escaped => escaped = true,
                    '"' if !escaped => return Some(i + 1),
                    _ => escaped = false,
                }
            }
            None
        }
        (_, '{' | '[') => Some(1),
        _ => {
            let end = text
                .find(|c: char| c.is_whitespace() || matches!(c, ',' | '}' | ']'))
                .unwrap_or(text.len());
            (end > 0).then_some(end)
        }
    }
}

/// The document's first line.
fn first_line(line_index: &LineIndex, text: &str) -> Range {
    let end = text.find('\n').unwrap_or(text.len());
    let end = text.get(..end).map_or(0, |line| line.trim_end().len());
    Range::new(Position::new(0, 0), position(line_index, text, end))
}

fn position(line_index: &LineIndex, text: &str, offset: usize) -> Position {
    let LineCol { line, col } = line_index.line_col(text, offset, ColumnUnit::Utf16);
    Position::new(line, col)
}

fn plain(range: Range, message: &str, code: &str) -> Diagnostic {
    Diagnostic {
        range,
        severity: Some(DiagnosticSeverity::WARNING),
        code: Some(NumberOrString::String(code.to_string())),
        source: Some("rampart".to_string()),
        message: message.to_string(),
        ..Diagnostic::default()
    }
}

/// "Explain norm X" for each norm diagnostic of `diagnostics` (those the client sends back with
/// the code-action request).
pub(crate) fn explain_actions(
    analysis: &Analysis,
    uri: &Url,
    diagnostics: &[Diagnostic],
) -> Vec<CodeActionOrCommand> {
    let program = &analysis.checked.program;
    let mut ids: Vec<&str> = diagnostics
        .iter()
        .filter_map(|d| match &d.code {
            Some(NumberOrString::String(code)) => Some(code.as_str()),
            _ => None,
        })
        .filter(|code| program.norm_index(code).is_some())
        .collect();
    ids.dedup();
    ids.into_iter()
        .map(|id| {
            CodeActionOrCommand::CodeAction(CodeAction {
                title: format!("Explain norm {id}"),
                kind: Some(CodeActionKind::EMPTY),
                command: Some(Command {
                    title: format!("Explain norm {id}"),
                    command: EXPLAIN_COMMAND.to_string(),
                    arguments: Some(vec![
                        Json::String(id.to_string()),
                        Json::String(uri.to_string()),
                    ]),
                }),
                ..CodeAction::default()
            })
        })
        .collect()
}

/// The explanation of norm `id` (as `rampart explain` prints it) and where it is declared, when
/// the policy file is on disk.
pub(crate) fn explain(analysis: &Analysis, id: &str) -> Option<(String, Option<Url>, Range)> {
    let program = &analysis.checked.program;
    let explanation = crate::reference::explain(program, &analysis.workspace, id).ok()?;
    let text = crate::reference::render_explanation(program, &explanation);
    let norm = program.norms.iter().find(|norm| norm.id == id)?;
    let location = analysis.location(norm.span);
    let range = analysis.range(norm.span);
    Some((text, location.map(|l| l.uri), range))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn value_ranges_end_before_the_comma_and_count_utf16() {
        let text = "{\n  \"é\": \"🗳\",\n  \"a\": { \"b\": 1, \"c\": \"\\\"\" }\n}";
        let line_index = LineIndex::new(text);
        let range = value_range(&line_index, text, (2, 3));
        assert_eq!(range, Range::new(Position::new(1, 2), Position::new(1, 11)));
        let nested = value_range(&line_index, text, (3, 3));
        assert_eq!(nested, Range::new(Position::new(2, 2), Position::new(2, 8)));
        let inner = value_range(&line_index, text, (3, 18));
        assert_eq!(
            inner,
            Range::new(Position::new(2, 17), Position::new(2, 26))
        );
    }
}
