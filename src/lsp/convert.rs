//! Conversions between the core's byte spans and diagnostics and the protocol's UTF-16
//! positions and diagnostics.

use lsp_types::{
    DiagnosticRelatedInformation, DiagnosticSeverity, DiagnosticTag, NumberOrString, Position,
    Range,
};

use super::analysis::Analysis;
use crate::diagnostics::{Code, Diagnostic, Severity};
use crate::syntax::{ColumnUnit, LineCol, LineIndex, Span};

/// The position of byte `offset` in `text`.
pub(crate) fn position(line_index: &LineIndex, text: &str, offset: usize) -> Position {
    let LineCol { line, col } = line_index.line_col(text, offset, ColumnUnit::Utf16);
    Position::new(line, col)
}

/// The range of `span` in `text`.
pub(crate) fn range(line_index: &LineIndex, text: &str, span: Span) -> Range {
    let start = position(line_index, text, span.start as usize);
    let end = position(line_index, text, span.end as usize);
    Range::new(start, end)
}

/// The byte offset of `position`; `None` past the last line, a column past the end of its line
/// clamps to the line's end (as the protocol asks).
pub(crate) fn offset(line_index: &LineIndex, text: &str, position: Position) -> Option<usize> {
    if position.line as usize >= line_index.line_count() {
        return None;
    }
    let pos = LineCol {
        line: position.line,
        col: position.character,
    };
    Some(line_index.offset(text, pos, ColumnUnit::Utf16))
}

/// The protocol form of `diagnostic`: code, severity, help appended to the message, secondary
/// labels as related information, and the "unnecessary" tag for unused things.
pub(crate) fn diagnostic(analysis: &Analysis, diagnostic: &Diagnostic) -> lsp_types::Diagnostic {
    let mut message = diagnostic.message.clone();
    if let Some(help) = &diagnostic.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    let related: Vec<DiagnosticRelatedInformation> = diagnostic
        .secondary
        .iter()
        .filter_map(|label| {
            Some(DiagnosticRelatedInformation {
                location: analysis.location(label.span)?,
                message: label.text.clone().unwrap_or_default(),
            })
        })
        .collect();
    let unnecessary = matches!(
        diagnostic.code,
        Code::UnusedDefinition | Code::UnusedParam | Code::UnusedArgument
    );
    lsp_types::Diagnostic {
        range: analysis.range(diagnostic.primary.span),
        severity: Some(severity(diagnostic.severity)),
        code: Some(NumberOrString::String(diagnostic.code.as_str().to_string())),
        source: Some("rampart".to_string()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        tags: unnecessary.then(|| vec![DiagnosticTag::UNNECESSARY]),
        ..lsp_types::Diagnostic::default()
    }
}

fn severity(severity: Severity) -> DiagnosticSeverity {
    match severity {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Info => DiagnosticSeverity::INFORMATION,
    }
}
