//! Formatting: the whole document through [`crate::fmt::format_source`], as one edit. A text
//! with syntax errors is left alone (the formatter refuses it).

use lsp_types::{DocumentFormattingParams, TextEdit};

use super::world::World;
use crate::syntax::Span;

/// Answers `textDocument/formatting`.
pub(crate) fn format(world: &World, params: DocumentFormattingParams) -> Option<Vec<TextEdit>> {
    let (analysis, file) = world.analysis(&params.text_document.uri)?;
    let text = analysis.text(file);
    let formatted = match crate::fmt::format_source(text) {
        Ok(formatted) => formatted,
        Err(error) => {
            say!("rampart lsp: not formatting: {error}");
            return None;
        }
    };
    if formatted == text {
        return Some(Vec::new());
    }
    let range = analysis.range(Span::new(file, 0, text.len()));
    Some(vec![TextEdit {
        range,
        new_text: formatted,
    }])
}
