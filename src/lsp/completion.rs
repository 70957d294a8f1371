//! Completion: item keywords and snippets at the top level, clause keywords inside blocks,
//! names after the keyword that expects them (`pillar`, `stages`, `cites`, `extends`, `expect`,
//! `set`, …), fields after `.`, enum members inside a string compared with an enum, and
//! parameters, definitions, variables and built-ins in expressions.
//!
//! The context comes from the tokens before the cursor (robust on broken text); types come from
//! re-parsing the text with a marker identifier at the cursor, so `s.` parses as a field access.

use lsp_types::{
    CompletionItem, CompletionItemKind, CompletionParams, CompletionResponse, CompletionTextEdit,
    Documentation, InsertTextFormat, MarkupContent, MarkupKind, Range, TextEdit,
};

use super::analysis::Analysis;
use super::infer::{deref, type_of};
use super::paths::{files_under, relative_to};
use super::syntax_at::{Node, locals, path_at};
use super::world::World;
use crate::check::{Builtin, Program, Status, Type};
use crate::syntax::ast::{self, BinaryOp, Severity};
use crate::syntax::{
    FileId, ITEM_KEYWORDS, NORM_CLAUSES, PROFILE_CLAUSES, RESERVED, TEST_CLAUSES, Token, TokenKind,
    is_ident_char, lex, parse,
};

/// The fields of a `source` block.
const SOURCE_FIELDS: &[&str] = &["title", "publisher", "url", "note", "year"];

/// An identifier inserted at the cursor so that incomplete text such as `s.` parses.
const MARKER: &str = "rampartCompletionMarker";

/// Answers `textDocument/completion`.
pub(crate) fn complete(world: &World, params: CompletionParams) -> Option<CompletionResponse> {
    let position = params.text_document_position;
    let (analysis, file) = world.analysis(&position.text_document.uri)?;
    let offset = analysis.offset(file, position.position)?;
    let mut items = Context::new(analysis, file, offset).items();
    if !world.client.snippets {
        items = items.into_iter().filter_map(without_snippet).collect();
    }
    Some(CompletionResponse::Array(items))
}

/// An item for a client that takes no snippets: a call inserts its name alone, and a skeleton
/// (a whole norm or test with placeholders) is left out.
fn without_snippet(mut item: CompletionItem) -> Option<CompletionItem> {
    if item.insert_text_format != Some(InsertTextFormat::SNIPPET) {
        return Some(item);
    }
    if item.kind == Some(CompletionItemKind::SNIPPET) {
        return None;
    }
    item.insert_text = Some(item.label.clone());
    item.insert_text_format = Some(InsertTextFormat::PLAIN_TEXT);
    Some(item)
}

/// What is around the cursor.
struct Context<'a> {
    analysis: &'a Analysis,
    program: &'a Program,
    file: FileId,
    text: &'a str,
    offset: usize,
    tokens: Vec<Token>,
    /// Index of the first token at or after the start of the word being typed.
    word_token: usize,
}

impl<'a> Context<'a> {
    fn new(analysis: &'a Analysis, file: FileId, offset: usize) -> Self {
        let text = analysis.text(file);
        let tokens: Vec<Token> = lex(file, text)
            .tokens
            .into_iter()
            .filter(|t| t.kind != TokenKind::Eof)
            .collect();
        let word_start = word_start(text, offset);
        let word_token = tokens.partition_point(|t| (t.span.end as usize) <= word_start);
        Context {
            analysis,
            program: &analysis.checked.program,
            file,
            text,
            offset,
            tokens,
            word_token,
        }
    }

    fn items(&self) -> Vec<CompletionItem> {
        if let Some(token) = self.token_around_cursor() {
            match token.kind {
                TokenKind::Comment | TokenKind::DocComment => return Vec::new(),
                TokenKind::Str => return self.string_items(token),
                _ => {}
            }
        }
        let previous = self.previous(0);
        if previous.is_some_and(|t| t.kind == TokenKind::Dot) {
            return self.field_items();
        }
        if let Some(items) = self.after_keyword() {
            return items;
        }
        self.block_items()
    }

    /// The string or comment token the cursor is inside (after its first character, and before
    /// the closing quote of a terminated string).
    fn token_around_cursor(&self) -> Option<Token> {
        let token = *self.tokens.iter().find(|t| {
            let (start, end) = (t.span.start as usize, t.span.end as usize);
            start < self.offset && self.offset <= end
        })?;
        let raw = self.token_text(token);
        let closed = token.kind == TokenKind::Str && raw.len() > 1 && raw.ends_with('"');
        let at_end = self.offset == token.span.end as usize;
        (!(closed && at_end)).then_some(token)
    }

    /// The `n`-th significant token before the word being typed.
    fn previous(&self, n: usize) -> Option<Token> {
        self.tokens[..self.word_token]
            .iter()
            .rev()
            .filter(|t| !t.kind.is_trivia())
            .nth(n)
            .copied()
    }

    fn token_text(&self, token: Token) -> &str {
        self.text.get(token.span.range()).unwrap_or("")
    }

    /// Names expected right after a keyword (or in its comma-separated list).
    fn after_keyword(&self) -> Option<Vec<CompletionItem>> {
        let keyword = self.list_keyword()?;
        let block = self.enclosing_block();
        let program = self.program;
        let items = match keyword.as_str() {
            "pillar" if block.as_deref() != Some("") => names(
                &program.pillars,
                |c| (&c.id, &c.title),
                CompletionItemKind::MODULE,
            ),
            "stages" => {
                let mut items = names(
                    &program.stages,
                    |c| (&c.id, &c.title),
                    CompletionItemKind::EVENT,
                );
                items.push(keyword_item("all"));
                items
            }
            "stage" if block.as_deref() == Some("profile") => names(
                &program.stages,
                |c| (&c.id, &c.title),
                CompletionItemKind::EVENT,
            ),
            "cites" => self.source_items(),
            "extends" => self.profile_items(),
            "profile" if block.as_deref() == Some("test") => self.profile_items(),
            "norm" | "override" if block.as_deref() == Some("profile") => self.norm_items(),
            "severity" if block.is_some() => Severity::ALL
                .iter()
                .map(|s| keyword_item(s.as_str()))
                .collect(),
            "passes" => self.norm_items(),
            "expect" => Status::ALL
                .iter()
                .map(|s| keyword_item(s.as_str()))
                .collect(),
            status if Status::parse(status).is_some() => self.norm_items(),
            "set" if block.is_some() => self.param_items(),
            "include" | "exclude" => ["all", "norm", "pillar", "stage", "severity", "tag"]
                .into_iter()
                .map(keyword_item)
                .collect(),
            _ => return None,
        };
        Some(items)
    }

    /// The keyword whose argument list the cursor is in: the previous token, or the word
    /// before a run of `[`, `,` and names (`stages [a, b, |`, `expect pass a, |`).
    fn list_keyword(&self) -> Option<String> {
        if self
            .previous(0)
            .is_some_and(|t| t.kind == TokenKind::LParen)
        {
            let callee = self.previous(1).map(|t| self.token_text(t));
            return matches!(callee, Some("passes" | "fails")).then(|| "passes".to_string());
        }
        let mut n = 0;
        while n < 256 {
            let token = self.previous(n)?;
            match token.kind {
                // A field such as `s.severity` is a name, not a keyword.
                TokenKind::Ident
                    if self
                        .previous(n + 1)
                        .is_some_and(|t| t.kind == TokenKind::Dot) =>
                {
                    return None;
                }
                TokenKind::Ident => return Some(self.token_text(token).to_string()),
                // Skip the comma and the name before it.
                TokenKind::Comma => n += 2,
                TokenKind::LBracket => n += 1,
                _ => return None,
            }
        }
        None
    }

    /// The item keyword of the outermost block around the cursor: `Some("")` at the top level,
    /// `Some("norm")` inside a norm's braces, `None` inside nested braces of other kinds.
    fn enclosing_block(&self) -> Option<String> {
        let mut stack: Vec<String> = Vec::new();
        let mut last_item = String::new();
        for token in &self.tokens[..self.word_token] {
            match token.kind {
                TokenKind::Ident if stack.is_empty() => {
                    let word = self.token_text(*token);
                    if ITEM_KEYWORDS.contains(&word) {
                        last_item = word.to_string();
                    }
                }
                TokenKind::LBrace => stack.push(if stack.is_empty() {
                    last_item.clone()
                } else {
                    "{".into()
                }),
                TokenKind::RBrace => {
                    stack.pop();
                }
                _ => {}
            }
        }
        match stack.as_slice() {
            [] => Some(String::new()),
            [block] => Some(block.clone()),
            [block, ..] if block == "test" => None,
            [block, ..] => Some(block.clone()),
        }
    }

    fn block_items(&self) -> Vec<CompletionItem> {
        let Some(block) = self.enclosing_block() else {
            return Vec::new();
        };
        match block.as_str() {
            "" if self.in_top_level_expression() => {
                let mut items = self.expression_items();
                items.extend(item_keywords());
                items
            }
            "" => item_keywords(),
            "norm" => {
                let mut items: Vec<CompletionItem> =
                    NORM_CLAUSES.iter().map(|k| keyword_item(k)).collect();
                items.extend(self.expression_items());
                items
            }
            "profile" => PROFILE_CLAUSES.iter().map(|k| keyword_item(k)).collect(),
            "test" => TEST_CLAUSES.iter().map(|k| keyword_item(k)).collect(),
            "source" => SOURCE_FIELDS.iter().map(|k| keyword_item(k)).collect(),
            "schema" | "type"
                if self.previous(0).is_some_and(|t| {
                    matches!(t.kind, TokenKind::Colon | TokenKind::LBracket)
                        || self.token_text(t) == "ref"
                }) =>
            {
                self.type_items()
            }
            _ => Vec::new(),
        }
    }

    /// True after the `=` of a top-level `def` or `param`.
    fn in_top_level_expression(&self) -> bool {
        let before = &self.tokens[..self.word_token];
        let item = before.iter().rposition(|t| {
            t.kind == TokenKind::Ident
                && ITEM_KEYWORDS.contains(&self.token_text(*t))
                && self.starts_line(*t)
        });
        let Some(item) = item else {
            return false;
        };
        let keyword = self.token_text(before[item]);
        matches!(keyword, "def" | "param")
            && before[item..].iter().any(|t| t.kind == TokenKind::Assign)
    }

    fn starts_line(&self, token: Token) -> bool {
        let line_start = self.text[..token.span.start as usize]
            .rfind(['\n', '\r'])
            .map_or(0, |i| i + 1);
        self.text[line_start..token.span.start as usize]
            .trim()
            .is_empty()
    }

    /// The item around the cursor with the marker inserted there, parsed; the text before the
    /// item is blanked (byte offsets stay those of the file), the text after it left out, so a
    /// completion in a large file parses one item. Outside any item, the whole file.
    fn marked_parse(&self) -> ast::File {
        let (start, end) = self.enclosing_item().unwrap_or((0, self.text.len()));
        let (Some(before), Some(after)) = (
            self.text.get(start..self.offset),
            self.text.get(self.offset..end),
        ) else {
            return ast::File::default();
        };
        let mut marked = String::with_capacity(end + MARKER.len());
        marked.extend(std::iter::repeat_n(' ', start));
        marked.push_str(before);
        marked.push_str(MARKER);
        marked.push_str(after);
        parse(FileId(0), &marked).file
    }

    /// The byte range of the top-level item around the cursor.
    fn enclosing_item(&self) -> Option<(usize, usize)> {
        let items = &self.analysis.file(self.file)?.parse.file.items;
        items.iter().find_map(|item| {
            let (start, end) = (item.span.start as usize, item.span.end as usize);
            (start <= self.offset && self.offset <= end).then_some((start, end))
        })
    }

    fn field_items(&self) -> Vec<CompletionItem> {
        let file = self.marked_parse();
        let path = path_at(&file, self.offset);
        let base = path.iter().rev().find_map(|node| match node {
            Node::Expr(ast::Expr {
                kind: ast::ExprKind::Field(base, field),
                ..
            }) if field.span.contains(self.offset) => Some(&**base),
            _ => None,
        });
        let Some(base) = base else {
            return Vec::new();
        };
        let ty = type_of(self.program, &path, base).map(|t| deref(self.program, t));
        match ty {
            Some(Type::Object(object)) => self.object_fields(object),
            _ => Vec::new(),
        }
    }

    /// The fields of the object type `object` (the root's when it is the schema's root).
    fn object_fields(&self, object: usize) -> Vec<CompletionItem> {
        let schema = &self.program.schema;
        let Some(object) = schema.objects.get(object) else {
            return Vec::new();
        };
        object
            .fields
            .iter()
            .map(|field| CompletionItem {
                label: field.name.clone(),
                kind: Some(CompletionItemKind::FIELD),
                detail: Some(field.ty.display(schema).to_string()),
                documentation: field.doc.clone().map(markdown),
                ..CompletionItem::default()
            })
            .collect()
    }

    /// Enum members inside a string compared with (or tested for membership in) an enum.
    fn string_items(&self, token: Token) -> Vec<CompletionItem> {
        let keyword = self.tokens[..self.word_token]
            .iter()
            .rev()
            .filter(|t| !t.kind.is_trivia() && t.span.end <= token.span.start)
            .map(|t| self.token_text(*t))
            .next();
        match keyword {
            Some("use") => return self.path_items(token, &[".rampart"]),
            Some("given") => return self.path_items(token, &[".json", ".yaml", ".yml"]),
            _ => {}
        }
        let file = parse(FileId(0), self.text).file;
        let path = path_at(&file, self.offset);
        let Some(ty) = self.compared_type(&path) else {
            return Vec::new();
        };
        let element = match ty {
            Type::List(element) => *element,
            other => other,
        };
        let Type::Enum(id) = element else {
            return Vec::new();
        };
        let Some(decl) = self.program.schema.enums.get(id) else {
            return Vec::new();
        };
        let content = self.string_content(token);
        decl.members
            .iter()
            .map(|(member, doc)| CompletionItem {
                label: member.clone(),
                kind: Some(CompletionItemKind::ENUM_MEMBER),
                detail: Some(decl.name.clone()),
                documentation: doc.clone().map(markdown),
                text_edit: Some(CompletionTextEdit::Edit(TextEdit {
                    range: content,
                    new_text: member.clone(),
                })),
                ..CompletionItem::default()
            })
            .collect()
    }

    /// Files under the policy root with one of `extensions`, relative to this file.
    fn path_items(&self, token: Token, extensions: &[&str]) -> Vec<CompletionItem> {
        let Some(file) = self.analysis.file(token.span.file) else {
            return Vec::new();
        };
        let content = self.string_content(token);
        files_under(&self.analysis.root, extensions)
            .into_iter()
            .filter(|path| *path != file.path)
            .map(|path| {
                let relative = relative_to(&file.path, &path);
                CompletionItem {
                    label: relative.clone(),
                    kind: Some(CompletionItemKind::FILE),
                    text_edit: Some(CompletionTextEdit::Edit(TextEdit {
                        range: content,
                        new_text: relative,
                    })),
                    ..CompletionItem::default()
                }
            })
            .collect()
    }

    /// The range between the quotes of a string token.
    fn string_content(&self, token: Token) -> Range {
        let raw = self.token_text(token);
        let end = if raw.len() > 1 && raw.ends_with('"') {
            token.span.end - 1
        } else {
            token.span.end
        };
        let start = (token.span.start + 1).min(end);
        let mut span = token.span;
        span.start = start;
        span.end = end;
        self.analysis.range(span)
    }

    /// The type a string literal at the cursor is compared with.
    fn compared_type(&self, path: &[Node<'_>]) -> Option<Type> {
        let exprs: Vec<&ast::Expr> = path
            .iter()
            .filter_map(|n| match n {
                Node::Expr(expr) => Some(*expr),
                _ => None,
            })
            .collect();
        let binary = exprs
            .iter()
            .rposition(|e| matches!(e.kind, ast::ExprKind::Binary(op, ..) if op.is_comparison()))?;
        let ast::ExprKind::Binary(op, lhs, rhs) = &exprs[binary].kind else {
            return None;
        };
        let prefix = &path[..path.len()];
        if rhs.span.contains(self.offset) {
            type_of(self.program, prefix, lhs)
        } else if matches!(op, BinaryOp::In | BinaryOp::NotIn) {
            type_of(self.program, prefix, rhs)?.element().cloned()
        } else {
            type_of(self.program, prefix, rhs)
        }
    }

    /// Variables, parameters, definitions, root fields, built-ins and expression keywords.
    fn expression_items(&self) -> Vec<CompletionItem> {
        let program = self.program;
        let schema = &program.schema;
        let file = self.marked_parse();
        let path = path_at(&file, self.offset);
        let mut items: Vec<CompletionItem> = locals(&path)
            .into_iter()
            .filter(|(ident, _)| !ident.name.contains(MARKER))
            .map(|(ident, _)| simple(&ident.name, CompletionItemKind::VARIABLE, None))
            .collect();
        items.extend(self.object_fields(schema.root));
        for param in &program.params {
            let detail = format!(
                "param {}: {} = {}",
                param.name,
                param.ty.display(schema),
                param.default
            );
            let mut item = simple(&param.name, CompletionItemKind::CONSTANT, Some(detail));
            item.documentation = param.doc.clone().map(markdown);
            items.push(item);
        }
        for def in &program.defs {
            items.push(def_item(program, def));
        }
        for (_, name, signature) in Builtin::ALL {
            items.push(call_item(name, signature, CompletionItemKind::FUNCTION));
        }
        items.push(call_item(
            "passes",
            "passes(norm) -> bool",
            CompletionItemKind::FUNCTION,
        ));
        items.push(call_item(
            "fails",
            "fails(norm) -> bool",
            CompletionItemKind::FUNCTION,
        ));
        items.extend(RESERVED.iter().map(|k| keyword_item(k)));
        items
    }

    fn type_items(&self) -> Vec<CompletionItem> {
        let schema = &self.program.schema;
        let mut items: Vec<CompletionItem> = super::index::PRIMITIVES
            .iter()
            .map(|p| simple(p, CompletionItemKind::KEYWORD, None))
            .collect();
        items.push(keyword_item("ref"));
        let objects = schema
            .objects
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != schema.root);
        items.extend(objects.map(|(_, o)| simple(&o.name, CompletionItemKind::STRUCT, None)));
        items.extend(
            schema
                .enums
                .iter()
                .map(|e| simple(&e.name, CompletionItemKind::ENUM, None)),
        );
        items
    }

    fn norm_items(&self) -> Vec<CompletionItem> {
        names(
            &self.program.norms,
            |n| (&n.id, &n.title),
            CompletionItemKind::CLASS,
        )
    }

    fn profile_items(&self) -> Vec<CompletionItem> {
        self.program
            .profiles
            .iter()
            .map(|p| simple(&p.id, CompletionItemKind::MODULE, p.title.clone()))
            .collect()
    }

    fn source_items(&self) -> Vec<CompletionItem> {
        self.program
            .sources
            .iter()
            .map(|s| simple(&s.id, CompletionItemKind::REFERENCE, s.title.clone()))
            .collect()
    }

    fn param_items(&self) -> Vec<CompletionItem> {
        let schema = &self.program.schema;
        self.program
            .params
            .iter()
            .map(|p| {
                simple(
                    &p.name,
                    CompletionItemKind::CONSTANT,
                    Some(p.ty.display(schema).to_string()),
                )
            })
            .collect()
    }
}

/// The start of the identifier being typed at `offset`.
fn word_start(text: &str, offset: usize) -> usize {
    let before = &text[..offset.min(text.len())];
    before
        .char_indices()
        .rev()
        .take_while(|&(_, c)| is_ident_char(c) || c == '-')
        .last()
        .map_or(offset, |(i, _)| i)
}

fn simple(label: &str, kind: CompletionItemKind, detail: Option<String>) -> CompletionItem {
    CompletionItem {
        label: label.to_string(),
        kind: Some(kind),
        detail,
        ..CompletionItem::default()
    }
}

fn keyword_item(keyword: &str) -> CompletionItem {
    simple(keyword, CompletionItemKind::KEYWORD, None)
}

fn markdown(text: String) -> Documentation {
    Documentation::MarkupContent(MarkupContent {
        kind: MarkupKind::Markdown,
        value: text,
    })
}

fn names<T>(
    list: &[T],
    id_and_title: impl Fn(&T) -> (&String, &String),
    kind: CompletionItemKind,
) -> Vec<CompletionItem> {
    list.iter()
        .map(|entry| {
            let (id, title) = id_and_title(entry);
            simple(id, kind, Some(title.clone()))
        })
        .collect()
}

/// A function inserted as `name($1)`.
fn call_item(name: &str, signature: &str, kind: CompletionItemKind) -> CompletionItem {
    CompletionItem {
        label: name.to_string(),
        kind: Some(kind),
        detail: Some(signature.to_string()),
        insert_text: Some(format!("{name}($1)")),
        insert_text_format: Some(InsertTextFormat::SNIPPET),
        ..CompletionItem::default()
    }
}

fn def_item(program: &Program, def: &crate::check::Def) -> CompletionItem {
    let schema = &program.schema;
    if !def.callable {
        let detail = format!("def {}: {}", def.name, def.body.ty.display(schema));
        return simple(&def.name, CompletionItemKind::VARIABLE, Some(detail));
    }
    let params: Vec<String> = def
        .params
        .iter()
        .map(|(n, t)| format!("{n}: {}", t.display(schema)))
        .collect();
    let signature = format!(
        "{}({}) -> {}",
        def.name,
        params.join(", "),
        def.body.ty.display(schema)
    );
    call_item(&def.name, &signature, CompletionItemKind::FUNCTION)
}

/// Item keywords, plus norm and test skeletons.
fn item_keywords() -> Vec<CompletionItem> {
    let mut items: Vec<CompletionItem> = ITEM_KEYWORDS.iter().map(|k| keyword_item(k)).collect();
    items.push(snippet("norm …", "a norm with a citation", NORM_SNIPPET));
    items.push(snippet("test …", "a test of a norm", TEST_SNIPPET));
    items
}

fn snippet(label: &str, detail: &str, body: &str) -> CompletionItem {
    CompletionItem {
        label: label.to_string(),
        kind: Some(CompletionItemKind::SNIPPET),
        detail: Some(detail.to_string()),
        insert_text: Some(body.to_string()),
        insert_text_format: Some(InsertTextFormat::SNIPPET),
        filter_text: Some(label.trim_end_matches(" …").to_string()),
        ..CompletionItem::default()
    }
}

const NORM_SNIPPET: &str = "norm ${1:id} {\n  title    \"${2:What must hold}\"\n  pillar   ${3:pillar}\n  stages   [${4:stage}]\n  severity ${5|critical,high,medium,low|}\n  cites    ${6:source} \"${7:§}\"\n  require  ${8:condition} else \"${9:message}\"\n}";

const TEST_SNIPPET: &str = "test \"${1:name}\" {\n  given { $2 }\n  expect ${3|pass,fail,unknown,not-applicable,waived,error|} ${4:norm}\n}";
