//! The parser: tokens → [`ast::File`] plus diagnostics. It never fails: a broken clause or item
//! is reported, skipped to the next synchronising token (a clause keyword, `}`, or an item
//! keyword at the top level) and parsing goes on, so later errors are still found.
//!
//! Expressions live in `expr.rs`, inline JSON in `json.rs`; the cursor and recovery helpers
//! they share are here.

use super::ast::{self, Ident, Item, ItemKind, StrLit};
use super::lexer::{self, Lexed};
use super::span::{FileId, Span};
use super::token::{Token, TokenKind};
use crate::diagnostics::{Code, Diagnostic, did_you_mean};

/// How deeply expressions, types and inline JSON may nest.
pub const MAX_DEPTH: u32 = 128;

/// Words that start a top-level item.
pub const ITEM_KEYWORDS: &[&str] = &[
    "use", "source", "pillar", "stage", "enum", "type", "schema", "param", "def", "norm",
    "profile", "test",
];
/// Clauses of a norm.
pub const NORM_CLAUSES: &[&str] = &[
    "title", "pillar", "stages", "severity", "tags", "cites", "when", "require", "fix",
];
/// Clauses of a profile.
pub const PROFILE_CLAUSES: &[&str] = &["title", "extends", "include", "exclude", "override", "set"];
/// Clauses of a test.
pub const TEST_CLAUSES: &[&str] = &["given", "profile", "set", "expect"];
/// Fields of a source.
pub const SOURCE_FIELDS: &[&str] = &["title", "publisher", "url", "note", "year"];

/// The result of parsing one file: a tree (possibly partial) and every problem found.
#[derive(Debug)]
pub struct Parse {
    /// The tree; broken parts are left out or replaced by placeholders.
    pub file: ast::File,
    /// Lexical and syntax errors, in source order.
    pub diagnostics: Vec<Diagnostic>,
}

/// Parses one policy file.
pub fn parse(file: FileId, text: &str) -> Parse {
    let Lexed {
        tokens,
        diagnostics,
    } = lexer::lex(file, text);
    let mut parser = Parser::new(file, text, tokens, diagnostics);
    let items = parser.items();
    let mut diagnostics = parser.diagnostics;
    diagnostics.sort_by_key(|d| (d.primary.span.start, d.primary.span.end));
    Parse {
        file: ast::File {
            items,
            comments: parser.comments,
        },
        diagnostics,
    }
}

/// Cursor over the significant tokens of one text.
pub(super) struct Parser<'t> {
    pub(super) file: FileId,
    pub(super) text: &'t str,
    tokens: Vec<Token>,
    /// Doc comments by the index of the token they precede, in token order.
    docs: Vec<(usize, ast::Doc)>,
    comments: Vec<Span>,
    pos: usize,
    pub(super) diagnostics: Vec<Diagnostic>,
    pub(super) depth: u32,
    /// Set after a "too deep" error so that the clause it broke is skipped silently.
    pub(super) silence_next_recovery: bool,
    /// The clause keywords that unknown words of the last block were taken for (`tilte` →
    /// `title`), so that a norm does not also call those clauses missing.
    misspelt_clauses: Vec<String>,
}

impl<'t> Parser<'t> {
    pub(super) fn new(
        file: FileId,
        text: &'t str,
        all_tokens: Vec<Token>,
        diagnostics: Vec<Diagnostic>,
    ) -> Self {
        let mut tokens = Vec::with_capacity(all_tokens.len());
        let mut docs = Vec::new();
        let mut comments = Vec::new();
        let mut pending_doc: Option<ast::Doc> = None;
        for token in all_tokens {
            match token.kind {
                TokenKind::Comment => comments.push(token.span),
                TokenKind::DocComment => {
                    let line = doc_line(&text[token.span.range()]);
                    let doc = pending_doc.get_or_insert_with(|| ast::Doc {
                        lines: Vec::new(),
                        span: token.span,
                    });
                    doc.lines.push(line);
                    doc.span = doc.span.to(token.span);
                }
                // A comma separates; it is not documented: a doc comment before one documents
                // what follows it (`a: int /// b's doc` then `, b: int`).
                TokenKind::Comma => tokens.push(token),
                _ => {
                    if let Some(doc) = pending_doc.take() {
                        docs.push((tokens.len(), doc));
                    }
                    tokens.push(token);
                }
            }
        }
        Parser {
            file,
            text,
            tokens,
            docs,
            comments,
            pos: 0,
            diagnostics,
            depth: 0,
            silence_next_recovery: false,
            misspelt_clauses: Vec::new(),
        }
    }

    // ----- cursor -----

    pub(super) fn peek(&self) -> Token {
        self.nth(0)
    }

    pub(super) fn nth(&self, n: usize) -> Token {
        let last = self.tokens.len() - 1;
        self.tokens[(self.pos + n).min(last)]
    }

    pub(super) fn at(&self, kind: TokenKind) -> bool {
        self.peek().kind == kind
    }

    pub(super) fn text_of(&self, token: Token) -> &'t str {
        &self.text[token.span.range()]
    }

    /// True when the token `n` ahead is the word `word`.
    pub(super) fn nth_is_word(&self, n: usize, word: &str) -> bool {
        let token = self.nth(n);
        token.kind == TokenKind::Ident && self.text_of(token) == word
    }

    pub(super) fn at_word(&self, word: &str) -> bool {
        self.nth_is_word(0, word)
    }

    pub(super) fn at_any_word(&self, words: &[&str]) -> bool {
        self.peek().kind == TokenKind::Ident && words.contains(&self.text_of(self.peek()))
    }

    pub(super) fn bump(&mut self) -> Token {
        let token = self.peek();
        if token.kind != TokenKind::Eof {
            self.pos += 1;
        }
        token
    }

    pub(super) fn eat(&mut self, kind: TokenKind) -> Option<Token> {
        self.at(kind).then(|| self.bump())
    }

    pub(super) fn eat_word(&mut self, word: &str) -> Option<Token> {
        self.at_word(word).then(|| self.bump())
    }

    /// Span of the previous significant token (or an empty span at the start).
    pub(super) fn prev_span(&self) -> Span {
        match self.pos.checked_sub(1) {
            Some(prev) => self.tokens[prev].span,
            None => Span::new(self.file, 0, 0),
        }
    }

    fn take_doc(&mut self) -> Option<ast::Doc> {
        let index = self
            .docs
            .binary_search_by_key(&self.pos, |(token, _)| *token)
            .ok()?;
        Some(std::mem::take(&mut self.docs[index].1))
    }

    // ----- reporting -----

    pub(super) fn report(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    /// Describes the current token for "found …".
    pub(super) fn found(&self) -> String {
        let token = self.peek();
        match token.kind {
            TokenKind::Ident | TokenKind::Number | TokenKind::Date | TokenKind::Duration => {
                format!("`{}`", self.text_of(token))
            }
            kind => kind.describe().to_string(),
        }
    }

    /// Reports "expected `what`, found …" at the current token (or just after the previous
    /// one, when the current one is on a later line or the end of the file).
    pub(super) fn expected(&mut self, what: &str) {
        let span = self.error_span();
        let message = format!("expected {what}, found {}", self.found());
        self.report(
            Diagnostic::new(Code::Expected, span, message).with_label(format!("expected {what}")),
        );
    }

    fn error_span(&self) -> Span {
        let token = self.peek();
        let prev = self.prev_span();
        let on_later_line = self
            .text
            .get(prev.end as usize..token.span.start as usize)
            .is_some_and(|gap| gap.contains(['\n', '\r']));
        if token.kind == TokenKind::Eof || on_later_line && self.pos > 0 {
            Span::new(self.file, prev.end as usize, prev.end as usize)
        } else {
            token.span
        }
    }

    pub(super) fn expect(&mut self, kind: TokenKind) -> Option<Token> {
        let token = self.eat(kind);
        if token.is_none() {
            self.expected(kind.describe());
        }
        token
    }

    pub(super) fn ident(&mut self, what: &str) -> Option<Ident> {
        if self.at(TokenKind::Error) && self.nth(1).kind == TokenKind::Ident {
            // A stray character glued to a name (`$name`): the lexer reported it already.
            self.bump();
        }
        if self.at(TokenKind::Ident) {
            let token = self.bump();
            Some(Ident {
                name: self.text_of(token).to_string(),
                span: token.span,
            })
        } else {
            self.expected(what);
            None
        }
    }

    pub(super) fn string(&mut self, what: &str) -> Option<StrLit> {
        if self.at(TokenKind::Str) {
            let token = self.bump();
            Some(StrLit {
                value: lexer::unescape(self.text_of(token)),
                span: token.span,
            })
        } else {
            self.expected(what);
            None
        }
    }

    /// Skips tokens until one of `stops` (a word) or `}` at nesting level zero, or the end.
    /// Nested brackets are skipped whole, so a `}` that closes an inner block does not stop it.
    pub(super) fn recover(&mut self, stop_words: &[&str], stop_at_item: bool) {
        let mut depth = 0usize;
        loop {
            let token = self.peek();
            match token.kind {
                TokenKind::Eof => return,
                TokenKind::LBrace | TokenKind::LParen | TokenKind::LBracket => depth += 1,
                TokenKind::RBrace if depth == 0 => return,
                TokenKind::RBrace | TokenKind::RParen | TokenKind::RBracket => {
                    depth = depth.saturating_sub(1)
                }
                TokenKind::Ident if depth == 0 => {
                    let word = self.text_of(token);
                    if stop_words.contains(&word) || stop_at_item && self.starts_item() {
                        return;
                    }
                }
                _ => {}
            }
            self.bump();
        }
    }

    /// True when the current word is an item keyword at the start of a line.
    fn starts_item(&self) -> bool {
        let token = self.peek();
        token.kind == TokenKind::Ident
            && ITEM_KEYWORDS.contains(&self.text_of(token))
            && self.at_line_start()
    }

    /// True when only blanks stand between the current token and the start of its line (or of
    /// the file).
    fn at_line_start(&self) -> bool {
        let before = self.text[..self.peek().span.start as usize].trim_end_matches([' ', '\t']);
        before.is_empty() || before.ends_with(['\n', '\r'])
    }

    // ----- items -----

    fn items(&mut self) -> Vec<Item> {
        let mut items = Vec::new();
        while !self.at(TokenKind::Eof) {
            if self.at_any_word(ITEM_KEYWORDS) {
                let keyword = self.text_of(self.peek());
                if let Some(item) = self.item(keyword) {
                    items.push(item);
                }
                continue;
            }
            // A misspelt keyword (`nrom`) is reported, then its item is read as the keyword's,
            // so that what it declares is known and its uses do not cascade into errors.
            if let Some(keyword) = self.unknown_item() {
                if let Some(item) = self.item(keyword) {
                    items.push(item);
                }
            }
        }
        items
    }

    /// Reports the token that starts no item. When it is a misspelt item keyword at the start
    /// of a line, followed by a name or a block, returns that keyword with the token still to
    /// read; else skips to the next item.
    fn unknown_item(&mut self) -> Option<&'static str> {
        let token = self.peek();
        let found = self.found();
        let mut diagnostic = Diagnostic::new(
            Code::UnknownItem,
            token.span,
            format!("expected an item, found {found}"),
        )
        .with_label("not a declaration");
        let suggestion = (token.kind == TokenKind::Ident)
            .then(|| did_you_mean(self.text_of(token), ITEM_KEYWORDS.iter().copied()))
            .flatten();
        diagnostic = match suggestion {
            Some(keyword) => diagnostic
                .with_help(format!("did you mean `{keyword}`?"))
                .with_suggestion(token.span, keyword),
            None => {
                diagnostic.with_help(format!("a file holds items: {}", ITEM_KEYWORDS.join(", ")))
            }
        };
        if token.kind == TokenKind::RBrace {
            diagnostic = diagnostic.with_help("this `}` closes nothing; remove it");
        }
        if token.kind != TokenKind::Error {
            self.report(diagnostic);
        }
        let next = self.nth(1).kind;
        let item_follows = matches!(next, TokenKind::Ident | TokenKind::Str | TokenKind::LBrace);
        if let Some(keyword) = suggestion.filter(|_| item_follows && self.at_line_start()) {
            return Some(keyword);
        }
        self.bump();
        self.recover_to_item();
        None
    }

    fn recover_to_item(&mut self) {
        loop {
            self.recover(&[], true);
            if self.at(TokenKind::Eof) || self.starts_item() || self.at_any_word(ITEM_KEYWORDS) {
                return;
            }
            self.bump();
        }
    }

    /// Reads the item that the current token starts, as an item of `keyword` (the token's own
    /// text, or the keyword it misspells).
    fn item(&mut self, keyword: &str) -> Option<Item> {
        let doc = self.take_doc();
        let start = self.bump().span;
        let kind = match keyword {
            "use" => self
                .string("a path string like \"schema.rampart\"")
                .map(ItemKind::Use),
            "source" => self.source().map(ItemKind::Source),
            "pillar" => self.label().map(ItemKind::Pillar),
            "stage" => self.label().map(ItemKind::Stage),
            "enum" => self.enum_decl().map(ItemKind::Enum),
            "type" => self.type_decl().map(ItemKind::Type),
            "schema" => Some(ItemKind::Schema(ast::SchemaDecl {
                keyword: start,
                fields: self.fields(),
            })),
            "param" => self.param().map(ItemKind::Param),
            "def" => self.def().map(ItemKind::Def),
            "norm" => self.norm().map(ItemKind::Norm),
            "profile" => self.profile().map(ItemKind::Profile),
            "test" => self.test().map(ItemKind::Test),
            other => unreachable!("`{other}` is in ITEM_KEYWORDS"),
        };
        let span = start.to(self.prev_span());
        if kind.is_none() {
            self.recover_to_item();
        }
        kind.map(|kind| Item { doc, kind, span })
    }

    fn label(&mut self) -> Option<ast::Label> {
        let id = self.ident("an id")?;
        let title = self
            .at(TokenKind::Str)
            .then(|| self.string("a title"))
            .flatten();
        Some(ast::Label { id, title })
    }

    fn source(&mut self) -> Option<ast::Source> {
        let id = self.ident("a source id such as `idea-interagency-2019`")?;
        let fields = self.block("source", SOURCE_FIELDS, |p, key| {
            let value = match p.text_of(key) {
                "year" => p.literal_number()?,
                _ => ast::Literal::Str(p.string("a string")?.value),
            };
            Some(ast::SourceField {
                key: Ident {
                    name: p.text_of(key).to_string(),
                    span: key.span,
                },
                value,
            })
        })?;
        Some(ast::Source { id, fields })
    }

    fn literal_number(&mut self) -> Option<ast::Literal> {
        if self.at(TokenKind::Number) {
            let token = self.bump();
            let value: f64 = self.text_of(token).replace('_', "").parse().ok()?;
            Some(ast::Literal::Number(value))
        } else {
            self.expected("a number");
            None
        }
    }

    fn enum_decl(&mut self) -> Option<ast::EnumDecl> {
        let name = self.ident("a type name")?;
        let open = self.expect(TokenKind::LBrace)?;
        let mut members = Vec::new();
        loop {
            let doc = self.take_doc();
            match self.peek().kind {
                TokenKind::Str => {
                    let value = self.string("a member")?;
                    members.push(ast::EnumMember { doc, value });
                    self.eat(TokenKind::Comma);
                }
                TokenKind::RBrace => {
                    self.bump();
                    break;
                }
                _ => {
                    if self.close_missing(open) {
                        break;
                    }
                    self.expected("a member string such as \"e-voting\" or `}`");
                    self.bump();
                }
            }
        }
        Some(ast::EnumDecl { name, members })
    }

    fn type_decl(&mut self) -> Option<ast::TypeDecl> {
        let name = self.ident("a type name")?;
        Some(ast::TypeDecl {
            name,
            fields: self.fields(),
        })
    }

    /// `{ field… }` of a type or the schema.
    fn fields(&mut self) -> Vec<ast::Field> {
        let Some(open) = self.expect(TokenKind::LBrace) else {
            return Vec::new();
        };
        let mut fields = Vec::new();
        loop {
            match self.peek().kind {
                TokenKind::RBrace => {
                    self.bump();
                    break;
                }
                TokenKind::Ident
                    if matches!(self.nth(1).kind, TokenKind::Colon | TokenKind::Question) =>
                {
                    match self.field() {
                        Some(field) => fields.push(field),
                        None => self.recover_field(),
                    }
                }
                _ => {
                    if self.close_missing(open) {
                        break;
                    }
                    self.expected("a field such as `name: string` or `}`");
                    self.bump();
                    self.recover_field();
                }
            }
        }
        fields
    }

    fn recover_field(&mut self) {
        loop {
            let at_field = self.at(TokenKind::Ident)
                && matches!(self.nth(1).kind, TokenKind::Colon | TokenKind::Question);
            if at_field
                || matches!(self.peek().kind, TokenKind::RBrace | TokenKind::Eof)
                || self.starts_item()
            {
                return;
            }
            self.bump();
        }
    }

    fn field(&mut self) -> Option<ast::Field> {
        let doc = self.take_doc();
        let name = self.ident("a field name")?;
        let optional = self.eat(TokenKind::Question).is_some();
        self.expect(TokenKind::Colon)?;
        let ty = self.type_expr();
        self.eat(TokenKind::Comma);
        let span = name.span.to(ty.span());
        Some(ast::Field {
            doc,
            name,
            optional,
            ty,
            span,
        })
    }

    pub(super) fn type_expr(&mut self) -> ast::TypeExpr {
        if self.depth >= MAX_DEPTH {
            return self.too_deep();
        }
        match self.peek().kind {
            TokenKind::LBracket => {
                let open = self.bump();
                self.depth += 1;
                let inner = self.type_expr();
                self.depth -= 1;
                let close = self
                    .expect(TokenKind::RBracket)
                    .map_or(inner.span(), |t| t.span);
                ast::TypeExpr::List(Box::new(inner), open.span.to(close))
            }
            TokenKind::Ident if self.at_word("ref") && self.nth(1).kind == TokenKind::Ident => {
                let keyword = self.bump();
                let target = self
                    .ident("a root list such as `contacts`")
                    .expect("checked above");
                let span = keyword.span.to(target.span);
                ast::TypeExpr::Ref(target, span)
            }
            TokenKind::Ident => {
                let token = self.bump();
                ast::TypeExpr::Named(Ident {
                    name: self.text_of(token).to_string(),
                    span: token.span,
                })
            }
            _ => {
                self.expected("a type such as `string`, `[System]` or `ref contacts`");
                ast::TypeExpr::Missing(self.error_span())
            }
        }
    }

    /// Reports nesting beyond [`MAX_DEPTH`] once, skips the nested group, and returns a placeholder.
    fn too_deep(&mut self) -> ast::TypeExpr {
        let span = self.peek().span;
        self.report_too_deep(span);
        self.skip_group();
        ast::TypeExpr::Missing(span)
    }

    pub(super) fn report_too_deep(&mut self, span: Span) {
        if !self.silence_next_recovery {
            self.report(
                Diagnostic::new(Code::TooDeep, span, "nesting is too deep")
                    .with_label(format!("more than {MAX_DEPTH} levels deep"))
                    .with_help("split the expression with `def` definitions"),
            );
        }
        self.silence_next_recovery = true;
    }

    /// Skips one token, or a whole bracketed group when at an opening bracket.
    pub(super) fn skip_group(&mut self) {
        let mut depth = 0usize;
        loop {
            let token = self.bump();
            match token.kind {
                TokenKind::LBrace | TokenKind::LParen | TokenKind::LBracket => depth += 1,
                TokenKind::RBrace | TokenKind::RParen | TokenKind::RBracket => {
                    depth = depth.saturating_sub(1)
                }
                TokenKind::Eof => return,
                _ => {}
            }
            if depth == 0 {
                return;
            }
        }
    }

    fn param(&mut self) -> Option<ast::Param> {
        let name = self.ident("a parameter name")?;
        self.expect(TokenKind::Colon)?;
        let ty = self.type_expr();
        self.expect(TokenKind::Assign)?;
        let default = self.expr();
        Some(ast::Param { name, ty, default })
    }

    fn def(&mut self) -> Option<ast::Def> {
        let name = self.ident("a definition name")?;
        let params = if self.eat(TokenKind::LParen).is_some() {
            let mut params = Vec::new();
            while !self.at(TokenKind::RParen) {
                let param_name = self.ident("a parameter name")?;
                self.expect(TokenKind::Colon)?;
                let ty = self.type_expr();
                params.push(ast::DefParam {
                    name: param_name,
                    ty,
                });
                if self.eat(TokenKind::Comma).is_none() {
                    break;
                }
            }
            self.expect(TokenKind::RParen)?;
            Some(params)
        } else {
            None
        };
        self.expect(TokenKind::Assign)?;
        let body = self.expr();
        Some(ast::Def { name, params, body })
    }

    /// True (after reporting) when the block opened at `open` is evidently unclosed: the end
    /// of the file, or a new item at the start of a line.
    fn close_missing(&mut self, open: Token) -> bool {
        if self.at(TokenKind::Eof) || self.starts_item() {
            let span = self.error_span();
            self.report(
                Diagnostic::new(
                    Code::UnclosedDelimiter,
                    span,
                    "expected `}` to close this block",
                )
                .with_label("block not closed before here")
                .with_secondary(open.span, "opened here")
                .with_help("add the missing `}`"),
            );
            return true;
        }
        false
    }

    /// Parses `{ clause… }` where each clause starts with one of `clauses`; `clause` parses the
    /// rest of a clause after its keyword. Returns `None` when there is no `{` at all.
    pub(super) fn block<C>(
        &mut self,
        context: &str,
        clauses: &[&str],
        mut clause: impl FnMut(&mut Self, Token) -> Option<C>,
    ) -> Option<Vec<C>> {
        let open = match self.eat(TokenKind::LBrace) {
            Some(open) => open,
            None => {
                self.expected("`{`");
                if !self.at_any_word(clauses) {
                    return None;
                }
                // The body is there without its `{`: parse it anyway.
                Token {
                    kind: TokenKind::LBrace,
                    span: self.prev_span(),
                }
            }
        };
        let mut parsed = Vec::new();
        self.misspelt_clauses.clear();
        loop {
            if self.eat(TokenKind::RBrace).is_some() {
                break;
            }
            if self.at_any_word(clauses) {
                let keyword = self.bump();
                match clause(self, keyword) {
                    Some(c) => parsed.push(c),
                    None => self.recover(clauses, true),
                }
                self.silence_next_recovery = false;
                continue;
            }
            if self.close_missing(open) {
                break;
            }
            self.unknown_clause(context, clauses);
        }
        Some(parsed)
    }

    fn unknown_clause(&mut self, context: &str, clauses: &[&str]) {
        let token = self.peek();
        if !std::mem::take(&mut self.silence_next_recovery) && token.kind != TokenKind::Error {
            let found = self.found();
            let mut diagnostic = Diagnostic::new(
                Code::UnknownClause,
                token.span,
                format!("unexpected {found} in {context}"),
            )
            .with_label(format!("not a {context} clause"));
            let suggestion = (token.kind == TokenKind::Ident)
                .then(|| did_you_mean(self.text_of(token), clauses.iter().copied()))
                .flatten();
            diagnostic = match suggestion {
                Some(word) => {
                    self.misspelt_clauses.push(word.to_string());
                    diagnostic
                        .with_help(format!("did you mean `{word}`?"))
                        .with_suggestion(token.span, word)
                }
                None => {
                    diagnostic.with_help(format!("a {context} has clauses: {}", clauses.join(", ")))
                }
            };
            self.report(diagnostic);
        }
        self.bump();
        self.recover(clauses, true);
    }

    fn severity(&mut self) -> Option<ast::SeverityLit> {
        let token = self.peek();
        let word = if token.kind == TokenKind::Ident {
            self.text_of(token)
        } else {
            ""
        };
        match ast::Severity::parse(word) {
            Some(level) => {
                self.bump();
                Some(ast::SeverityLit {
                    level,
                    span: token.span,
                })
            }
            None => {
                self.expected("a severity: critical, high, medium or low");
                if let Some(close) = did_you_mean(word, ["critical", "high", "medium", "low"]) {
                    if let Some(last) = self.diagnostics.last_mut() {
                        last.help = Some(format!("did you mean `{close}`?"));
                        last.suggestion = Some(crate::diagnostics::Suggestion {
                            span: token.span,
                            replacement: close.into(),
                        });
                    }
                }
                None
            }
        }
    }

    /// `[a, b, c]` of identifiers.
    fn ident_list(&mut self, what: &str) -> Option<Vec<Ident>> {
        self.expect(TokenKind::LBracket)?;
        let mut idents = Vec::new();
        while !self.at(TokenKind::RBracket) {
            idents.push(self.ident(what)?);
            if self.eat(TokenKind::Comma).is_none() {
                break;
            }
        }
        self.expect(TokenKind::RBracket)?;
        Some(idents)
    }

    fn norm(&mut self) -> Option<ast::Norm> {
        let id = self.ident("a norm id such as `gov-ci-designation`")?;
        let mut broken = Vec::new();
        let clauses = self.block("norm", NORM_CLAUSES, |p, keyword| {
            let Some(kind) = p.norm_clause(keyword) else {
                broken.push(p.text_of(keyword).to_string());
                return None;
            };
            Some(ast::NormClause {
                keyword: keyword.span,
                kind,
            })
        })?;
        broken.append(&mut self.misspelt_clauses);
        Some(ast::Norm {
            id,
            clauses,
            broken,
        })
    }

    fn norm_clause(&mut self, keyword: Token) -> Option<ast::NormClauseKind> {
        use ast::NormClauseKind as K;
        Some(match self.text_of(keyword) {
            "title" => K::Title(self.string("a title string")?),
            "pillar" => K::Pillar(self.ident("a pillar id")?),
            "stages" => K::Stages(self.stage_list()?),
            "severity" => K::Severity(self.severity()?),
            "tags" => K::Tags(self.ident_list("a tag")?),
            "cites" => {
                let source = self.ident("a source id")?;
                let locator = self
                    .at(TokenKind::Str)
                    .then(|| self.string("a locator"))
                    .flatten();
                K::Cites { source, locator }
            }
            "when" => K::When(self.expr()),
            "require" => {
                let condition = self.expr();
                let message = match self.eat_word("else") {
                    Some(_) if self.at(TokenKind::Str) => Some(self.template()),
                    Some(_) => {
                        self.expected("a message string after `else`");
                        return None;
                    }
                    None => None,
                };
                K::Require { condition, message }
            }
            "fix" => K::Fix(self.string("a string describing the fix")?),
            other => unreachable!("`{other}` is in NORM_CLAUSES"),
        })
    }

    /// `all` or `[a, b]` after `stages`. Bare ids (`stages planning, voting`) are reported with
    /// the bracketed list as the fix and kept, so the stages are still checked.
    fn stage_list(&mut self) -> Option<ast::StageList> {
        if let Some(all) = self.eat_word("all") {
            return Some(ast::StageList::All(all.span));
        }
        if !self.at(TokenKind::Ident) || self.at_any_word(NORM_CLAUSES) || self.starts_item() {
            return self.ident_list("a stage id").map(ast::StageList::List);
        }
        let mut ids = vec![self.ident("a stage id")?];
        while self.eat(TokenKind::Comma).is_some() {
            ids.push(self.ident("a stage id")?);
        }
        let span = ids[0].span.to(ids[ids.len() - 1].span);
        let message = format!(
            "expected `[` or `all` after `stages`, found `{}`",
            ids[0].name
        );
        let (fix, label, list) = match ids.as_slice() {
            [only] if only.name.eq_ignore_ascii_case("all") => {
                let label = "`all` is written in lower case";
                ("all".to_string(), label, ast::StageList::All(span))
            }
            _ => {
                let names: Vec<&str> = ids.iter().map(|id| id.name.as_str()).collect();
                let label = "stage ids go in brackets";
                (
                    format!("[{}]", names.join(", ")),
                    label,
                    ast::StageList::List(ids),
                )
            }
        };
        self.report(
            Diagnostic::new(Code::Expected, span, message)
                .with_label(label)
                .with_help(format!("did you mean `stages {fix}`?"))
                .with_suggestion(span, fix),
        );
        Some(list)
    }

    fn profile(&mut self) -> Option<ast::Profile> {
        let id = self.ident("a profile id")?;
        let clauses = self.block("profile", PROFILE_CLAUSES, |p, keyword| {
            let kind = p.profile_clause(keyword)?;
            Some(ast::ProfileClause {
                keyword: keyword.span,
                kind,
            })
        })?;
        Some(ast::Profile { id, clauses })
    }

    fn profile_clause(&mut self, keyword: Token) -> Option<ast::ProfileClauseKind> {
        use ast::ProfileClauseKind as K;
        Some(match self.text_of(keyword) {
            "title" => K::Title(self.string("a title string")?),
            "extends" => K::Extends(self.ident("a profile id")?),
            "include" => K::Include(self.selectors()?),
            "exclude" => K::Exclude(self.selectors()?),
            "override" => {
                let norm = self.ident("a norm id")?;
                self.expect(TokenKind::LBrace)?;
                let severity = match self.eat_word("severity") {
                    Some(_) => Some(self.severity()?),
                    None => {
                        self.expected("`severity`");
                        None
                    }
                };
                self.expect(TokenKind::RBrace)?;
                K::Override { norm, severity }
            }
            "set" => K::Set(self.setting()?),
            other => unreachable!("`{other}` is in PROFILE_CLAUSES"),
        })
    }

    fn setting(&mut self) -> Option<ast::Setting> {
        let param = self.ident("a parameter name")?;
        self.expect(TokenKind::Assign)?;
        Some(ast::Setting {
            param,
            value: self.expr(),
        })
    }

    fn selectors(&mut self) -> Option<Vec<ast::Selector>> {
        let mut selectors = vec![self.selector()?];
        while self.eat(TokenKind::Comma).is_some() {
            selectors.push(self.selector()?);
        }
        Some(selectors)
    }

    fn selector(&mut self) -> Option<ast::Selector> {
        use ast::Selector as S;
        let word = self.peek();
        let kind = if word.kind == TokenKind::Ident {
            self.text_of(word)
        } else {
            ""
        };
        if !matches!(
            kind,
            "all" | "norm" | "pillar" | "stage" | "severity" | "tag"
        ) {
            self.expected(
                "a selector: all, norm ID, pillar ID, stage ID, severity LEVEL or tag ID",
            );
            return None;
        }
        self.bump();
        Some(match kind {
            "all" => S::All(word.span),
            "norm" => S::Norm(self.ident("a norm id")?),
            "pillar" => S::Pillar(self.ident("a pillar id")?),
            "stage" => S::Stage(self.ident("a stage id")?),
            "severity" => S::Severity(self.severity()?),
            _ => S::Tag(self.ident("a tag")?),
        })
    }

    fn test(&mut self) -> Option<ast::Test> {
        let name = self.string("a test name string")?;
        let clauses = self.block("test", TEST_CLAUSES, |p, keyword| {
            let kind = p.test_clause(keyword)?;
            Some(ast::TestClause {
                keyword: keyword.span,
                kind,
            })
        })?;
        Some(ast::Test { name, clauses })
    }

    fn test_clause(&mut self, keyword: Token) -> Option<ast::TestClauseKind> {
        use ast::TestClauseKind as K;
        Some(match self.text_of(keyword) {
            "given" if self.at(TokenKind::LBrace) => {
                let start = self.peek().span;
                let start_pos = self.pos;
                let Some(value) = self.json_value() else {
                    // Skip the whole object so that its `}` does not end the test block.
                    self.pos = start_pos;
                    self.skip_group();
                    return None;
                };
                K::GivenInline(value, start.to(self.prev_span()))
            }
            "given" => K::GivenFile(self.string("a fixture path or an inline JSON object")?),
            "profile" => K::Profile(self.ident("a profile id")?),
            "set" => K::Set(self.setting()?),
            "expect" => {
                let status =
                    self.ident("a status: pass, fail, unknown, not-applicable, waived or error")?;
                let mut norms = vec![self.ident("a norm id")?];
                while self.eat(TokenKind::Comma).is_some() {
                    norms.push(self.ident("a norm id")?);
                }
                K::Expect { status, norms }
            }
            other => unreachable!("`{other}` is in TEST_CLAUSES"),
        })
    }
}

/// The text of a `///` line without the slashes and one following space.
fn doc_line(raw: &str) -> String {
    let body = raw.strip_prefix("///").unwrap_or(raw);
    body.strip_prefix(' ')
        .unwrap_or(body)
        .trim_end()
        .to_string()
}
