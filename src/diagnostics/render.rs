//! Renders diagnostics for people (miette's graphical report, colour only on a terminal) and for
//! machines (a JSON array with line/column positions).

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource};

use super::{Diagnostic, Severity};
use crate::syntax::{ColumnUnit, FileId, LineIndex};

/// Gives renderers the display name and text of a file.
pub trait SourceLookup {
    /// Path or name of the file as the user should see it.
    fn file_name(&self, file: FileId) -> &str;
    /// The file's text.
    fn file_text(&self, file: FileId) -> &str;
}

/// Whether human output uses colour and Unicode art.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HumanStyle {
    /// Colours and Unicode box drawing, for terminals.
    Colour,
    /// Plain ASCII-safe text, for pipes and files.
    Plain,
}

/// Renders every diagnostic as a miette report, in order.
pub fn render_human(
    diagnostics: &[Diagnostic],
    sources: &dyn SourceLookup,
    style: HumanStyle,
) -> String {
    let theme = match style {
        HumanStyle::Colour => GraphicalTheme::unicode(),
        HumanStyle::Plain => GraphicalTheme::unicode_nocolor(),
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(100)
        .with_links(false);
    let mut cache: HashMap<FileId, Arc<str>> = HashMap::new();
    let mut out = String::new();
    for diagnostic in diagnostics {
        let file = diagnostic.primary.span.file;
        let text = cache
            .entry(file)
            .or_insert_with(|| Arc::from(sources.file_text(file)))
            .clone();
        let report = Report::new(diagnostic, sources, text);
        if handler.render_report(&mut out, &report).is_err() {
            out.push_str(&diagnostic.message);
        }
        out.push('\n');
    }
    out
}

/// Renders diagnostics as a JSON array (stable field names; lines and columns are 1-based,
/// columns count Unicode characters).
pub fn render_json(diagnostics: &[Diagnostic], sources: &dyn SourceLookup) -> serde_json::Value {
    let mut indexes: HashMap<FileId, LineIndex> = HashMap::new();
    let mut position = |span: crate::syntax::Span| {
        let text = sources.file_text(span.file);
        let index = indexes
            .entry(span.file)
            .or_insert_with(|| LineIndex::new(text));
        let start = index.line_col(text, span.start as usize, ColumnUnit::Char);
        let end = index.line_col(text, span.end as usize, ColumnUnit::Char);
        serde_json::json!({
            "file": sources.file_name(span.file),
            "start": span.start, "end": span.end,
            "line": start.line + 1, "column": start.col + 1,
            "end_line": end.line + 1, "end_column": end.col + 1,
        })
    };
    let items: Vec<serde_json::Value> = diagnostics
        .iter()
        .map(|d| {
            let labels: Vec<serde_json::Value> = d
                .secondary
                .iter()
                .map(|label| serde_json::json!({"location": position(label.span), "text": label.text}))
                .collect();
            serde_json::json!({
                "code": d.code.as_str(),
                "severity": d.severity,
                "message": d.message,
                "location": position(d.primary.span),
                "label": d.primary.text,
                "related": labels,
                "help": d.help,
                "suggestion": d.suggestion.as_ref().map(|s| serde_json::json!({
                    "location": position(s.span), "replacement": s.replacement,
                })),
            })
        })
        .collect();
    serde_json::Value::Array(items)
}

/// Adapts one [`Diagnostic`] to miette's `Diagnostic` trait.
struct Report<'a> {
    diagnostic: &'a Diagnostic,
    source: NamedSource<Arc<str>>,
    labels: Vec<LabeledSpan>,
    help: Option<String>,
}

impl<'a> Report<'a> {
    fn new(diagnostic: &'a Diagnostic, sources: &dyn SourceLookup, text: Arc<str>) -> Self {
        let file = diagnostic.primary.span.file;
        let text_len = text.len();
        let clamp = |span: crate::syntax::Span| {
            let start = (span.start as usize).min(text_len);
            let end = (span.end as usize).min(text_len).max(start);
            (start, end - start)
        };
        // An unlabelled primary span around labelled parts (the operands of a mismatched
        // operator) would be drawn over them, and miette then hangs their labels off its end:
        // the parts alone show the problem.
        let primary = diagnostic.primary.span;
        let parts_inside = diagnostic.secondary.iter().any(|label| {
            label.span.file == file
                && label.span.start >= primary.start
                && label.span.end <= primary.end
        });
        let mut labels = Vec::new();
        if diagnostic.primary.text.is_some() || !parts_inside {
            labels.push(LabeledSpan::new_primary_with_span(
                diagnostic.primary.text.clone(),
                clamp(primary),
            ));
        }
        let mut elsewhere = Vec::new();
        for label in &diagnostic.secondary {
            if label.span.file == file {
                labels.push(LabeledSpan::new_with_span(
                    label.text.clone(),
                    clamp(label.span),
                ));
            } else {
                let other = sources.file_text(label.span.file);
                let index = LineIndex::new(other);
                let at = index.line_col(other, label.span.start as usize, ColumnUnit::Char);
                elsewhere.push(format!(
                    "{} at {}:{}:{}",
                    label.text.as_deref().unwrap_or("see"),
                    sources.file_name(label.span.file),
                    at.line + 1,
                    at.col + 1
                ));
            }
        }
        let help = match (&diagnostic.help, elsewhere.is_empty()) {
            (help, true) => help.clone(),
            (Some(help), false) => Some(format!("{help}\n{}", elsewhere.join("\n"))),
            (None, false) => Some(elsewhere.join("\n")),
        };
        let source = NamedSource::new(sources.file_name(file), text);
        Report {
            diagnostic,
            source,
            labels,
            help,
        }
    }
}

impl fmt::Debug for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.diagnostic.message)
    }
}

impl fmt::Display for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.diagnostic.message)
    }
}

impl std::error::Error for Report<'_> {}

impl miette::Diagnostic for Report<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(self.diagnostic.code.as_str()))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.diagnostic.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Info => miette::Severity::Advice,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.help
            .as_ref()
            .map(|help| Box::new(help) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(&self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(self.labels.iter().cloned()))
    }
}
