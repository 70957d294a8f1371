//! Syntax: text → tokens → a partial AST with byte spans, plus diagnostics.
//!
//! `syntax` knows nothing about schemas, names or types (that is `check`) and never reads
//! files (that is `workspace`). [`parse`] never fails: it always returns a tree, with
//! placeholders where the text was broken, and every problem it found.

pub mod ast;
mod expr;
mod json;
mod lexer;
mod line_index;
mod parser;
mod span;
mod token;

pub use expr::RESERVED;
pub use lexer::{Lexed, MAX_FILE_BYTES, is_ident_char, lex, unescape};
pub use line_index::{ColumnUnit, LineCol, LineIndex, line_starts};
pub use parser::{
    ITEM_KEYWORDS, MAX_DEPTH, NORM_CLAUSES, PROFILE_CLAUSES, Parse, TEST_CLAUSES, parse,
};
pub use span::{FileId, Span, Spanned};
pub use token::{Token, TokenKind};
