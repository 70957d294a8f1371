//! Go to definition, find references, rename, document and workspace symbols — all answered
//! from the [`Index`](super::index::Index) of the policy set holding the document.

use std::collections::HashMap;

use lsp_types::{
    DocumentSymbol, DocumentSymbolParams, DocumentSymbolResponse, GotoDefinitionParams,
    GotoDefinitionResponse, Location, PrepareRenameResponse, Range, ReferenceParams, RenameParams,
    SymbolInformation, SymbolKind, TextDocumentPositionParams, TextEdit, Url, WorkspaceEdit,
    WorkspaceSymbolParams, WorkspaceSymbolResponse,
};

use super::analysis::Analysis;
use super::index::{Occurrence, Symbol};
use super::world::World;
use crate::check::{self, Checked};
use crate::syntax::{Span, ast, is_ident_char};
use crate::workspace::{MemoryFiles, Workspace};

/// The analysis and the occurrence under the cursor.
fn occurrence_at<'w>(
    world: &'w World,
    position: &TextDocumentPositionParams,
) -> Option<(&'w Analysis, &'w Occurrence)> {
    let (analysis, file) = world.analysis(&position.text_document.uri)?;
    let offset = analysis.offset(file, position.position)?;
    Some((analysis, analysis.index().at(file, offset)?))
}

/// Answers `textDocument/definition`.
pub(crate) fn definition(
    world: &World,
    params: GotoDefinitionParams,
) -> Option<GotoDefinitionResponse> {
    let (analysis, occurrence) = occurrence_at(world, &params.text_document_position_params)?;
    if let Symbol::File(path) = &occurrence.symbol {
        let uri = analysis.uri_of(&analysis.root.join(path))?;
        return Some(GotoDefinitionResponse::Scalar(Location {
            uri,
            range: Range::default(),
        }));
    }
    let locations: Vec<Location> = analysis
        .index()
        .declarations(&occurrence.symbol)
        .filter_map(|decl| analysis.location(decl.span))
        .collect();
    (!locations.is_empty()).then_some(GotoDefinitionResponse::Array(locations))
}

/// Answers `textDocument/references`.
pub(crate) fn references(world: &World, params: ReferenceParams) -> Option<Vec<Location>> {
    let (analysis, occurrence) = occurrence_at(world, &params.text_document_position)?;
    let include_declaration = params.context.include_declaration;
    let locations = analysis
        .index()
        .of(&occurrence.symbol)
        .filter(|o| include_declaration || !o.is_decl)
        .filter_map(|o| analysis.location(o.span))
        .collect();
    Some(locations)
}

/// Answers `textDocument/prepareRename`: the range of a renamable name, or nothing.
pub(crate) fn prepare_rename(
    world: &World,
    params: TextDocumentPositionParams,
) -> Option<PrepareRenameResponse> {
    let (analysis, occurrence) = occurrence_at(world, &params)?;
    renamable(&occurrence.symbol).then(|| PrepareRenameResponse::RangeWithPlaceholder {
        range: analysis.range(occurrence.span),
        placeholder: analysis.slice(occurrence.span).to_string(),
    })
}

/// Answers `textDocument/rename`: every occurrence of the name, in every file of the set.
pub(crate) fn rename(world: &World, params: RenameParams) -> Result<Option<WorkspaceEdit>, String> {
    let Some((analysis, occurrence)) = occurrence_at(world, &params.text_document_position) else {
        return Ok(None);
    };
    let symbol = &occurrence.symbol;
    if !renamable(symbol) {
        return Err("this name cannot be renamed".to_string());
    }
    let new_name = params.new_name;
    if !is_valid_name(symbol, &new_name) {
        return Err(format!("`{new_name}` is not a valid name here"));
    }
    let spans: Vec<Span> = (analysis.index().of(symbol))
        .map(|occurrence| occurrence.span)
        .collect();
    if let Some(problem) = problem_after_rename(analysis, &spans, &new_name) {
        return Err(format!(
            "renaming to `{new_name}` would break the policy: {problem}"
        ));
    }
    let mut changes: HashMap<Url, Vec<TextEdit>> = HashMap::new();
    for occurrence in analysis.index().of(symbol) {
        let Some(location) = analysis.location(occurrence.span) else {
            continue;
        };
        let edit = TextEdit {
            range: location.range,
            new_text: new_name.clone(),
        };
        changes.entry(location.uri).or_default().push(edit);
    }
    Ok(Some(WorkspaceEdit {
        changes: Some(changes),
        ..WorkspaceEdit::default()
    }))
}

/// The first problem that writing `new_name` at `spans` would bring into the set: a keyword
/// (an error, or worse, a use read as `true` that leaves the definition unused), a name
/// declared already, a definition that shadows a field… The set is checked again in memory
/// with the edits made, and a diagnostic it did not have before is the answer.
fn problem_after_rename(analysis: &Analysis, spans: &[Span], new_name: &str) -> Option<String> {
    let mut files = MemoryFiles::new();
    for file in &analysis.workspace.files {
        let mut text = file.text.clone();
        let mut ranges: Vec<std::ops::Range<usize>> = (spans.iter())
            .filter(|span| span.file == file.id)
            .map(|span| span.range())
            .collect();
        ranges.sort_by_key(|range| std::cmp::Reverse(range.start));
        for range in ranges {
            if text.get(range.clone()).is_some() {
                text.replace_range(range, new_name);
            }
        }
        files.insert(file.path.clone(), text);
    }
    let entry = &analysis.workspace.files.first()?.path;
    let workspace = Workspace::load(&files, entry);
    let checked = check::check(&workspace);
    let messages = |workspace: &Workspace, checked: &Checked| -> Vec<String> {
        (workspace.syntax_diagnostics().chain(&checked.diagnostics))
            .map(|diagnostic| diagnostic.message.clone())
            .collect()
    };
    let before = messages(&analysis.workspace, &analysis.checked);
    let after = messages(&workspace, &checked);
    (after.len() > before.len())
        .then(|| after.into_iter().find(|message| !before.contains(message)))
        .flatten()
}

fn renamable(symbol: &Symbol) -> bool {
    !matches!(
        symbol,
        Symbol::Builtin(_) | Symbol::File(_) | Symbol::EnumMember { .. }
    )
}

/// True when `name` is an identifier; hyphens only where ids allow them.
fn is_valid_name(symbol: &Symbol, name: &str) -> bool {
    let hyphen_allowed = matches!(
        symbol,
        Symbol::Norm(_)
            | Symbol::Pillar(_)
            | Symbol::Stage(_)
            | Symbol::Source(_)
            | Symbol::Profile(_)
    );
    let starts_well = name
        .chars()
        .next()
        .is_some_and(|c| c.is_alphabetic() || c == '_');
    let hyphens_ok =
        !name.contains('-') || hyphen_allowed && !name.ends_with('-') && !name.contains("--");
    starts_well && hyphens_ok && name.chars().all(|c| is_ident_char(c) || c == '-')
}

/// Answers `textDocument/documentSymbol` with the items of the file and the fields of types.
pub(crate) fn document_symbols(
    world: &World,
    params: DocumentSymbolParams,
) -> Option<DocumentSymbolResponse> {
    let (analysis, file) = world.analysis(&params.text_document.uri)?;
    let items = &analysis.file(file)?.parse.file.items;
    let symbols = items
        .iter()
        .filter_map(|item| item_symbol(analysis, item))
        .collect();
    Some(DocumentSymbolResponse::Nested(symbols))
}

fn item_symbol(analysis: &Analysis, item: &ast::Item) -> Option<DocumentSymbol> {
    use ast::ItemKind as K;
    let (name, selection, kind, children) = match &item.kind {
        K::Use(path) => (path.value.clone(), path.span, SymbolKind::FILE, None),
        K::Source(s) => (s.id.name.clone(), s.id.span, SymbolKind::OBJECT, None),
        K::Pillar(l) => (l.id.name.clone(), l.id.span, SymbolKind::NAMESPACE, None),
        K::Stage(l) => (l.id.name.clone(), l.id.span, SymbolKind::EVENT, None),
        K::Enum(e) => {
            let members = member_symbols(analysis, &e.members);
            (
                e.name.name.clone(),
                e.name.span,
                SymbolKind::ENUM,
                Some(members),
            )
        }
        K::Type(t) => {
            let fields = field_symbols(analysis, &t.fields);
            (
                t.name.name.clone(),
                t.name.span,
                SymbolKind::STRUCT,
                Some(fields),
            )
        }
        K::Schema(s) => {
            let fields = field_symbols(analysis, &s.fields);
            (
                "schema".to_string(),
                s.keyword,
                SymbolKind::MODULE,
                Some(fields),
            )
        }
        K::Param(p) => (p.name.name.clone(), p.name.span, SymbolKind::CONSTANT, None),
        K::Def(d) => (d.name.name.clone(), d.name.span, SymbolKind::FUNCTION, None),
        K::Norm(n) => (n.id.name.clone(), n.id.span, SymbolKind::CLASS, None),
        K::Profile(p) => (p.id.name.clone(), p.id.span, SymbolKind::PACKAGE, None),
        K::Test(t) => (t.name.value.clone(), t.name.span, SymbolKind::METHOD, None),
    };
    let mut symbol = symbol(analysis, name, kind, item.span, selection, children);
    symbol.detail = detail(item);
    Some(symbol)
}

/// The title of a norm, pillar, stage or profile, shown next to its id.
fn detail(item: &ast::Item) -> Option<String> {
    match &item.kind {
        ast::ItemKind::Norm(norm) => norm.clauses.iter().find_map(|c| match &c.kind {
            ast::NormClauseKind::Title(title) => Some(title.value.clone()),
            _ => None,
        }),
        ast::ItemKind::Profile(profile) => profile.clauses.iter().find_map(|c| match &c.kind {
            ast::ProfileClauseKind::Title(title) => Some(title.value.clone()),
            _ => None,
        }),
        ast::ItemKind::Pillar(label) | ast::ItemKind::Stage(label) => {
            label.title.as_ref().map(|t| t.value.clone())
        }
        _ => None,
    }
}

fn member_symbols(analysis: &Analysis, members: &[ast::EnumMember]) -> Vec<DocumentSymbol> {
    members
        .iter()
        .map(|m| {
            let name = m.value.value.clone();
            let span = m.value.span;
            symbol(analysis, name, SymbolKind::ENUM_MEMBER, span, span, None)
        })
        .collect()
}

fn field_symbols(analysis: &Analysis, fields: &[ast::Field]) -> Vec<DocumentSymbol> {
    fields
        .iter()
        .map(|f| {
            let name = f.name.name.clone();
            symbol(analysis, name, SymbolKind::FIELD, f.span, f.name.span, None)
        })
        .collect()
}

fn symbol(
    analysis: &Analysis,
    name: String,
    kind: SymbolKind,
    span: Span,
    selection: Span,
    children: Option<Vec<DocumentSymbol>>,
) -> DocumentSymbol {
    let name = if name.is_empty() {
        "?".to_string()
    } else {
        name
    };
    #[allow(deprecated)]
    DocumentSymbol {
        name,
        detail: None,
        kind,
        tags: None,
        deprecated: None,
        range: analysis.range(span),
        selection_range: analysis.range(selection),
        children,
    }
}

/// Answers `workspace/symbol`: declarations of every analysed set whose name contains the query.
pub(crate) fn workspace_symbols(
    world: &World,
    params: WorkspaceSymbolParams,
) -> Option<WorkspaceSymbolResponse> {
    let query = params.query.to_lowercase();
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    for analysis in world.analyses() {
        for decl in analysis.index().occurrences.iter().filter(|o| o.is_decl) {
            if matches!(decl.symbol, Symbol::Local { .. }) {
                continue;
            }
            let name = analysis.slice(decl.span);
            if !name.to_lowercase().contains(&query) {
                continue;
            }
            let Some(location) = analysis.location(decl.span) else {
                continue;
            };
            if !seen.insert((location.uri.clone(), location.range.start)) {
                continue;
            }
            out.push(symbol_information(name, &decl.symbol, location));
        }
    }
    Some(WorkspaceSymbolResponse::Flat(out))
}

fn symbol_information(name: &str, symbol: &Symbol, location: Location) -> SymbolInformation {
    let kind = match symbol {
        Symbol::Norm(_) => SymbolKind::CLASS,
        Symbol::Def(_) => SymbolKind::FUNCTION,
        Symbol::Param(_) => SymbolKind::CONSTANT,
        Symbol::Type(_) => SymbolKind::STRUCT,
        Symbol::Field { .. } => SymbolKind::FIELD,
        Symbol::Pillar(_) | Symbol::Stage(_) | Symbol::Profile(_) => SymbolKind::NAMESPACE,
        Symbol::Source(_) => SymbolKind::OBJECT,
        Symbol::Local { .. } => SymbolKind::VARIABLE,
        Symbol::Builtin(_) => SymbolKind::FUNCTION,
        Symbol::File(_) => SymbolKind::FILE,
        Symbol::EnumMember { .. } => SymbolKind::ENUM_MEMBER,
    };
    #[allow(deprecated)]
    SymbolInformation {
        name: name.to_string(),
        kind,
        tags: None,
        deprecated: None,
        location,
        container_name: None,
    }
}
