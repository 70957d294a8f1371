//! Semantic tokens (full document): each token of the lexer classified by the index (what a
//! name refers to) and by the tree (which words are item and clause keywords here).

use std::collections::{HashMap, HashSet};

use lsp_types::{
    SemanticToken, SemanticTokenModifier, SemanticTokenType, SemanticTokens, SemanticTokensLegend,
    SemanticTokensParams, SemanticTokensResult,
};

use super::analysis::Analysis;
use super::index::{PRIMITIVES, Symbol};
use super::world::World;
use crate::check::Status;
use crate::syntax::ast::Severity;
use crate::syntax::{RESERVED, Token, TokenKind, ast, lex};

/// Token types, in legend order.
const TYPES: &[SemanticTokenType] = &[
    SemanticTokenType::KEYWORD,
    SemanticTokenType::STRING,
    SemanticTokenType::NUMBER,
    SemanticTokenType::COMMENT,
    SemanticTokenType::OPERATOR,
    SemanticTokenType::CLASS,
    SemanticTokenType::FUNCTION,
    SemanticTokenType::PARAMETER,
    SemanticTokenType::TYPE,
    SemanticTokenType::PROPERTY,
    SemanticTokenType::NAMESPACE,
    SemanticTokenType::VARIABLE,
    SemanticTokenType::ENUM_MEMBER,
];

/// Token modifiers, in legend order (bit `i` is `MODIFIERS[i]`).
const MODIFIERS: &[SemanticTokenModifier] = &[
    SemanticTokenModifier::DECLARATION,
    SemanticTokenModifier::DEFAULT_LIBRARY,
    SemanticTokenModifier::DOCUMENTATION,
];

const DECLARATION: u32 = 1;
const DEFAULT_LIBRARY: u32 = 2;
const DOCUMENTATION: u32 = 4;

/// The legend announced in the server's capabilities.
pub(crate) fn legend() -> SemanticTokensLegend {
    SemanticTokensLegend {
        token_types: TYPES.to_vec(),
        token_modifiers: MODIFIERS.to_vec(),
    }
}

fn type_index(ty: &SemanticTokenType) -> u32 {
    TYPES.iter().position(|t| t == ty).unwrap_or(0) as u32
}

/// Answers `textDocument/semanticTokens/full`.
pub(crate) fn full(world: &World, params: SemanticTokensParams) -> Option<SemanticTokensResult> {
    let (analysis, file) = world.analysis(&params.text_document.uri)?;
    let keywords = keyword_offsets(&analysis.file(file)?.parse.file);
    let names: HashMap<u32, (&Symbol, bool)> = analysis
        .index()
        .occurrences
        .iter()
        .filter(|o| o.span.file == file)
        .map(|o| (o.span.start, (&o.symbol, o.is_decl)))
        .collect();
    let text = analysis.text(file);
    let mut encoder = Encoder {
        analysis,
        text,
        data: Vec::new(),
        line: 0,
        column: 0,
    };
    for token in lex(file, text).tokens {
        let word = text.get(token.span.range()).unwrap_or("");
        let class = classify(token, word, &keywords, &names);
        if let Some((ty, modifiers)) = class {
            encoder.push(token, type_index(&ty), modifiers);
        }
    }
    Some(SemanticTokensResult::Tokens(SemanticTokens {
        result_id: None,
        data: encoder.data,
    }))
}

/// The type and modifiers of one token, if it gets one.
fn classify(
    token: Token,
    word: &str,
    keywords: &HashSet<u32>,
    names: &HashMap<u32, (&Symbol, bool)>,
) -> Option<(SemanticTokenType, u32)> {
    use TokenKind as T;
    let class = match token.kind {
        T::Comment => (SemanticTokenType::COMMENT, 0),
        T::DocComment => (SemanticTokenType::COMMENT, DOCUMENTATION),
        T::Str => (SemanticTokenType::STRING, 0),
        T::Number | T::Date | T::Duration => (SemanticTokenType::NUMBER, 0),
        T::EqEq
        | T::NotEq
        | T::Lt
        | T::Le
        | T::Gt
        | T::Ge
        | T::Plus
        | T::Minus
        | T::Star
        | T::Slash => (SemanticTokenType::OPERATOR, 0),
        T::Ident => return ident_class(token, word, keywords, names),
        _ => return None,
    };
    Some(class)
}

fn ident_class(
    token: Token,
    word: &str,
    keywords: &HashSet<u32>,
    names: &HashMap<u32, (&Symbol, bool)>,
) -> Option<(SemanticTokenType, u32)> {
    if let Some(&(symbol, is_decl)) = names.get(&token.span.start) {
        let declaration = if is_decl { DECLARATION } else { 0 };
        let (ty, extra) = match symbol {
            Symbol::Norm(_) => (SemanticTokenType::CLASS, 0),
            Symbol::Def(_) => (SemanticTokenType::FUNCTION, 0),
            Symbol::Builtin(_) => (SemanticTokenType::FUNCTION, DEFAULT_LIBRARY),
            Symbol::Param(_) => (SemanticTokenType::PARAMETER, 0),
            Symbol::Type(_) => (SemanticTokenType::TYPE, 0),
            Symbol::Field { .. } => (SemanticTokenType::PROPERTY, 0),
            Symbol::Pillar(_) | Symbol::Stage(_) | Symbol::Source(_) | Symbol::Profile(_) => {
                (SemanticTokenType::NAMESPACE, 0)
            }
            Symbol::Local { .. } => (SemanticTokenType::VARIABLE, 0),
            Symbol::File(_) | Symbol::EnumMember { .. } => return None,
        };
        return Some((ty, declaration | extra));
    }
    if keywords.contains(&token.span.start) || RESERVED.contains(&word) || word == "else" {
        return Some((SemanticTokenType::KEYWORD, 0));
    }
    if Severity::parse(word).is_some() || Status::parse(word).is_some() {
        return Some((SemanticTokenType::ENUM_MEMBER, 0));
    }
    if PRIMITIVES.contains(&word) {
        return Some((SemanticTokenType::TYPE, DEFAULT_LIBRARY));
    }
    None
}

/// Start offsets of the item and clause keywords of `file`.
fn keyword_offsets(file: &ast::File) -> HashSet<u32> {
    let mut out = HashSet::new();
    for item in &file.items {
        out.insert(item.span.start);
        let clauses: Vec<u32> = match &item.kind {
            ast::ItemKind::Norm(norm) => norm.clauses.iter().map(|c| c.keyword.start).collect(),
            ast::ItemKind::Profile(p) => p.clauses.iter().map(|c| c.keyword.start).collect(),
            ast::ItemKind::Test(test) => test.clauses.iter().map(|c| c.keyword.start).collect(),
            ast::ItemKind::Schema(schema) => vec![schema.keyword.start],
            ast::ItemKind::Source(source) => {
                source.fields.iter().map(|f| f.key.span.start).collect()
            }
            _ => Vec::new(),
        };
        out.extend(clauses);
    }
    out
}

/// Builds the relative encoding of the protocol (delta line, delta start, length, type, modifiers).
struct Encoder<'a> {
    analysis: &'a Analysis,
    text: &'a str,
    data: Vec<SemanticToken>,
    line: u32,
    column: u32,
}

impl Encoder<'_> {
    fn push(&mut self, token: Token, token_type: u32, modifiers: u32) {
        let start = self.analysis.range(token.span).start;
        let word = self.text.get(token.span.range()).unwrap_or("");
        if word.contains(['\n', '\r']) {
            return;
        }
        let length = word.encode_utf16().count() as u32;
        let delta_line = start.line.saturating_sub(self.line);
        let delta_start = if delta_line == 0 {
            start.character.saturating_sub(self.column)
        } else {
            start.character
        };
        self.data.push(SemanticToken {
            delta_line,
            delta_start,
            length,
            token_type,
            token_modifiers_bitset: modifiers,
        });
        self.line = start.line;
        self.column = start.character;
    }
}
