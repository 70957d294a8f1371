//! Folding ranges: blocks spanning several lines, runs of doc comments and of `//` comments.

use lsp_types::{FoldingRange, FoldingRangeKind, FoldingRangeParams};

use super::analysis::Analysis;
use super::world::World;
use crate::syntax::{FileId, Span};

/// Answers `textDocument/foldingRange`.
pub(crate) fn folding_ranges(
    world: &World,
    params: FoldingRangeParams,
) -> Option<Vec<FoldingRange>> {
    let (analysis, file) = world.analysis(&params.text_document.uri)?;
    let parsed = &analysis.file(file)?.parse.file;
    let mut out = Vec::new();
    for item in &parsed.items {
        if let Some(doc) = &item.doc {
            push(analysis, doc.span, FoldingRangeKind::Comment, &mut out);
        }
        push(analysis, item.span, FoldingRangeKind::Region, &mut out);
    }
    for run in comment_runs(analysis, file, &parsed.comments) {
        push(analysis, run, FoldingRangeKind::Comment, &mut out);
    }
    Some(out)
}

/// Pushes a range for `span` when it covers more than one line.
fn push(analysis: &Analysis, span: Span, kind: FoldingRangeKind, out: &mut Vec<FoldingRange>) {
    let range = analysis.range(span);
    if range.end.line > range.start.line {
        out.push(FoldingRange {
            start_line: range.start.line,
            start_character: None,
            end_line: range.end.line,
            end_character: None,
            kind: Some(kind),
            collapsed_text: None,
        });
    }
}

/// Comments on consecutive lines, merged into one span per run.
fn comment_runs(analysis: &Analysis, file: FileId, comments: &[Span]) -> Vec<Span> {
    let mut runs: Vec<(Span, u32)> = Vec::new();
    for &comment in comments.iter().filter(|c| c.file == file) {
        let line = analysis.range(comment).start.line;
        match runs.last_mut() {
            Some((run, last_line)) if *last_line + 1 == line => {
                *run = run.to(comment);
                *last_line = line;
            }
            _ => runs.push((comment, line)),
        }
    }
    runs.into_iter().map(|(run, _)| run).collect()
}
