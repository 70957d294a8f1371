//! The formatter behind `rampart fmt`: policy text in, the same policy in one canonical layout
//! out. It parses with [`crate::syntax::parse`] and prints the tree; it refuses a file with
//! syntax errors rather than guess at a broken tree. It reads no files (that is `cli::fmt`).
//!
//! Layout rules:
//! - Items are separated by one empty line, except runs of `use` items, of `pillar` and `stage`
//!   items, of `param` items and of `def` items, which keep the author's grouping: an empty line
//!   stays where the author left one or more, none is added. Inside blocks, one empty line is
//!   kept where the author left any, but never after `{` or before `}`.
//! - Blocks are indented by two spaces, one clause, field or source entry per line; norm and
//!   profile clause values start at column 11 (after the longest keyword, `severity` or
//!   `override`, and a space), source values at column 12; test clauses take one space.
//! - A `require`, `when`, `param` or `def` value wider than 100 columns is broken after the `:`
//!   of a quantifier (the body indented by two) and before each `and`/`or`/`implies` of a
//!   top-level chain; `else "message"` goes on its own line, indented by four, when it does not
//!   fit. Lists, calls and types stay on one line.
//! - Enums stay on one line when that fits; otherwise members fill lines of 100 columns; one
//!   member per line when any member has a doc comment or a comment sits inside the enum.
//! - Inline JSON is re-printed from its tokens (key order and spelling kept), broken at the
//!   outermost containers that do not fit.
//! - Strings are re-escaped (a `\uXXXX` escape of a visible character becomes the character;
//!   invisible ones, such as a no-break space, stay escaped); numbers, dates and durations are
//!   printed as written; parentheses
//!   are kept exactly where written.
//!
//! Comments: doc comments are printed from the tree. Every `//` comment (and any `///` line
//! the parser did not attach) is written before the first token that followed it in the source:
//! at the end of that token's predecessor's line when it trailed a token there, on its own line
//! otherwise. So no comment is lost and none leaves the item it was in.

mod expr;
mod items;
mod json;
mod printer;

use std::borrow::Cow;

use crate::diagnostics::{Diagnostic, Severity};
use crate::syntax::{self, FileId, Span, TokenKind, ast};

/// Why a text could not be formatted.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum FormatError {
    /// The text has syntax errors; the formatter only prints complete trees.
    #[error("cannot format a file with {count} syntax error(s)")]
    #[diagnostic(
        code(rampart::fmt::syntax_errors),
        help("fix the syntax errors shown, then format again")
    )]
    SyntaxErrors {
        /// How many errors.
        count: usize,
        /// Every diagnostic the parser reported (file id 0).
        diagnostics: Vec<Diagnostic>,
    },
}

/// Formats one policy file's text; fails when it has syntax errors.
pub fn format_source(text: &str) -> Result<String, FormatError> {
    let text = &*without_lone_carriage_returns(text);
    let parsed = syntax::parse(FileId(0), text);
    let count = parsed
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    if count > 0 {
        return Err(FormatError::SyntaxErrors {
            count,
            diagnostics: parsed.diagnostics,
        });
    }
    let comments = comments(text, &parsed.file);
    let mut printer = printer::Printer::new(text, comments);
    items::file(&mut printer, &parsed.file);
    Ok(printer.finish())
}

/// `text` with each lone `\r` line break (old Mac files) written as `\n`, so that the printer,
/// which looks for `\n` (and takes `\r\n` in its stride), keeps blank lines and comments on
/// their own lines. One byte for one: spans into the result are spans into `text`.
fn without_lone_carriage_returns(text: &str) -> Cow<'_, str> {
    let bytes = text.as_bytes();
    let is_lone = |at: &usize| bytes.get(at + 1) != Some(&b'\n');
    if !memchr::memchr_iter(b'\r', bytes).any(|at| is_lone(&at)) {
        return Cow::Borrowed(text);
    }
    let mut out = bytes.to_vec();
    for at in memchr::memchr_iter(b'\r', bytes).filter(is_lone) {
        out[at] = b'\n';
    }
    Cow::Owned(String::from_utf8(out).expect("one ASCII byte for another keeps UTF-8"))
}

/// The `//` comments of `file` and the `///` lines that no item, field or member took, in
/// source order.
fn comments(text: &str, file: &ast::File) -> Vec<Span> {
    let attached = attached_docs(file);
    let orphans = syntax::lex(FileId(0), text)
        .tokens
        .into_iter()
        .filter(|token| token.kind == TokenKind::DocComment)
        .map(|token| token.span)
        .filter(|span| {
            !attached
                .iter()
                .any(|doc| doc.start <= span.start && span.end <= doc.end)
        });
    let mut comments: Vec<Span> = file.comments.iter().copied().chain(orphans).collect();
    comments.sort_by_key(|span| span.start);
    comments
}

/// Spans of the doc comments the tree holds.
fn attached_docs(file: &ast::File) -> Vec<Span> {
    let mut docs = Vec::new();
    for item in &file.items {
        docs.extend(item.doc.as_ref().map(|doc| doc.span));
        let fields = match &item.kind {
            ast::ItemKind::Type(decl) => decl.fields.as_slice(),
            ast::ItemKind::Schema(decl) => decl.fields.as_slice(),
            ast::ItemKind::Enum(decl) => {
                let members = decl.members.iter().filter_map(|m| m.doc.as_ref());
                docs.extend(members.map(|doc| doc.span));
                &[]
            }
            _ => &[],
        };
        docs.extend(
            fields
                .iter()
                .filter_map(|f| f.doc.as_ref())
                .map(|doc| doc.span),
        );
    }
    docs
}

#[cfg(test)]
mod tests {
    use super::*;

    fn formats(input: &str, expected: &str) {
        let formatted = format_source(input).expect("input parses");
        assert_eq!(formatted, expected);
        assert_eq!(format_source(&formatted).expect("output parses"), formatted);
    }

    #[test]
    fn a_use_with_a_trailing_comment_keeps_it() {
        formats(
            "use   \"a.rampart\"   // why\n",
            "use \"a.rampart\" // why\n",
        );
    }

    #[test]
    fn syntax_errors_are_refused_with_their_count() {
        let Err(FormatError::SyntaxErrors { count, .. }) = format_source("norm {") else {
            panic!("a broken file must be refused");
        };
        assert_eq!(count, 1);
    }
}
