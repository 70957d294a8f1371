//! Document links: the files named by `use` paths and by `given "fixture"` paths, resolved
//! against the importing file and confined to the policy root like the loader does.

use lsp_types::{DocumentLink, DocumentLinkParams};

use super::analysis::Analysis;
use super::world::World;
use crate::syntax::{Span, ast};
use crate::workspace::{DiskFiles, ReadError, resolve_path};

/// Answers `textDocument/documentLink`.
pub(crate) fn document_links(
    world: &World,
    params: DocumentLinkParams,
) -> Option<Vec<DocumentLink>> {
    let (analysis, file) = world.analysis(&params.text_document.uri)?;
    let source = analysis.file(file)?;
    let mut out = Vec::new();
    for item in &source.parse.file.items {
        match &item.kind {
            ast::ItemKind::Use(path) => out.extend(link(analysis, &source.path, path)),
            ast::ItemKind::Test(test) => {
                for clause in &test.clauses {
                    if let ast::TestClauseKind::GivenFile(path) = &clause.kind {
                        out.extend(link(analysis, &source.path, path));
                    }
                }
            }
            _ => {}
        }
    }
    Some(out)
}

/// A link over the inside of the string `path`, to the file it names; none for a path the
/// loader refuses (outside the root, also through a symbolic link).
fn link(analysis: &Analysis, from: &str, path: &ast::StrLit) -> Option<DocumentLink> {
    let target = resolve_path(from, &path.value).ok()?;
    if let Err(ReadError::OutsideRoot) = DiskFiles::new(&analysis.root).confined(&target) {
        return None;
    }
    let uri = analysis.uri_of(&analysis.root.join(target))?;
    let inside = Span::new(
        path.span.file,
        path.span.start as usize + 1,
        (path.span.end as usize).saturating_sub(1),
    );
    Some(DocumentLink {
        range: analysis.range(inside),
        target: Some(uri),
        tooltip: Some(path.value.clone()),
        data: None,
    })
}
