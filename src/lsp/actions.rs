//! Code actions: a diagnostic's suggestion as a quick fix, a `cites` skeleton for a norm that
//! cites nothing, and a test skeleton for a norm that no test expects anything of; in a
//! jurisdiction document, "Explain norm X" for each norm diagnostic.

use std::collections::HashMap;

use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CodeActionParams, CodeActionResponse,
    Position, Range, TextEdit, Url, WorkspaceEdit,
};

use super::analysis::Analysis;
use super::world::World;
use crate::syntax::{FileId, Span, ast};

/// Answers `textDocument/codeAction`.
pub(crate) fn code_actions(world: &World, params: CodeActionParams) -> Option<CodeActionResponse> {
    let uri = params.text_document.uri;
    if let Some(analysis) = world.jurisdiction_analysis(&uri) {
        let diagnostics = &params.context.diagnostics;
        return Some(super::jurisdiction::explain_actions(
            analysis,
            &uri,
            diagnostics,
        ));
    }
    let (analysis, file) = world.analysis(&uri)?;
    let start = analysis.offset(file, params.range.start)?;
    let end = analysis.offset(file, params.range.end).unwrap_or(start);
    let mut actions = quick_fixes(analysis, file, start, end);
    if let Some((item, norm)) = norm_at(analysis, file, start) {
        actions.extend(add_citation(analysis, &uri, item, norm));
        actions.extend(add_test(analysis, &uri, file, norm));
    }
    Some(
        actions
            .into_iter()
            .map(CodeActionOrCommand::CodeAction)
            .collect(),
    )
}

/// The suggestions of the diagnostics overlapping `start..end`.
fn quick_fixes(analysis: &Analysis, file: FileId, start: usize, end: usize) -> Vec<CodeAction> {
    let all = analysis
        .workspace
        .syntax_diagnostics()
        .chain(&analysis.checked.diagnostics);
    all.filter(|d| d.primary.span.file == file)
        .filter(|d| d.primary.span.start as usize <= end && start <= d.primary.span.end as usize)
        .filter_map(|d| {
            let suggestion = d.suggestion.as_ref()?;
            let edit = edit(analysis, suggestion.span, suggestion.replacement.clone())?;
            Some(CodeAction {
                title: format!("Replace with `{}`", suggestion.replacement),
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![super::convert::diagnostic(analysis, d)]),
                edit: Some(edit),
                is_preferred: Some(true),
                ..CodeAction::default()
            })
        })
        .collect()
}

/// A workspace edit replacing `span` with `new_text`.
fn edit(analysis: &Analysis, span: Span, new_text: String) -> Option<WorkspaceEdit> {
    let location = analysis.location(span)?;
    let changes = HashMap::from([(
        location.uri,
        vec![TextEdit {
            range: location.range,
            new_text,
        }],
    )]);
    Some(WorkspaceEdit {
        changes: Some(changes),
        ..WorkspaceEdit::default()
    })
}

/// The norm item around `offset`.
fn norm_at(analysis: &Analysis, file: FileId, offset: usize) -> Option<(&ast::Item, &ast::Norm)> {
    let items = &analysis.file(file)?.parse.file.items;
    items.iter().find_map(|item| match &item.kind {
        ast::ItemKind::Norm(norm) if item.span.contains(offset) => Some((item, norm)),
        _ => None,
    })
}

fn add_citation(
    analysis: &Analysis,
    uri: &Url,
    item: &ast::Item,
    norm: &ast::Norm,
) -> Option<CodeAction> {
    let cites = norm
        .clauses
        .iter()
        .any(|c| matches!(c.kind, ast::NormClauseKind::Cites { .. }));
    let text = analysis.text(item.span.file);
    if cites || !text.get(item.span.range())?.ends_with('}') {
        return None;
    }
    let source = analysis
        .checked
        .program
        .sources
        .first()
        .map_or("source-id", |s| s.id.as_str());
    let close = analysis
        .range(Span::new(
            item.span.file,
            item.span.end as usize - 1,
            item.span.end as usize,
        ))
        .start;
    let new_text = format!("  cites    {source} \"§\"\n");
    let at = Position::new(close.line, 0);
    let (at, new_text) = if close.character == 0 {
        (at, new_text)
    } else {
        (close, format!("\n{new_text}"))
    };
    Some(insert_action(
        uri,
        format!("Add a `cites` clause to `{}`", norm.id.name),
        at,
        new_text,
    ))
}

fn add_test(analysis: &Analysis, uri: &Url, file: FileId, norm: &ast::Norm) -> Option<CodeAction> {
    let program = &analysis.checked.program;
    let norm_id = program.norm_index(&norm.id.name)?;
    if program
        .tests
        .iter()
        .any(|t| t.expects.iter().any(|(_, n, _)| *n == norm_id))
    {
        return None;
    }
    let text = analysis.text(file);
    let end = analysis.range(Span::new(file, text.len(), text.len())).end;
    let separator = if text.ends_with('\n') { "\n" } else { "\n\n" };
    let id = &norm.id.name;
    let new_text =
        format!("{separator}test \"{id} passes\" {{\n  given {{ }}\n  expect pass {id}\n}}\n");
    Some(insert_action(
        uri,
        format!("Add a test for `{id}`"),
        end,
        new_text,
    ))
}

fn insert_action(uri: &Url, title: String, at: Position, new_text: String) -> CodeAction {
    let edit = TextEdit {
        range: Range::new(at, at),
        new_text,
    };
    let changes = HashMap::from([(uri.clone(), vec![edit])]);
    CodeAction {
        title,
        kind: Some(CodeActionKind::REFACTOR_REWRITE),
        edit: Some(WorkspaceEdit {
            changes: Some(changes),
            ..WorkspaceEdit::default()
        }),
        ..CodeAction::default()
    }
}
