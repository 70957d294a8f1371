//! Inline JSON of `given { … }` clauses, re-printed from its tokens so that key order, number
//! spelling and string escapes stay as written (the tree holds a `serde_json::Value`, which
//! sorts keys).
//!
//! Layout: on one line when it fits in [`MAX_WIDTH`]; otherwise the outermost containers that
//! do not fit put one member per line, aligned after their opening bracket. JSON holding a
//! comment is kept verbatim, so the comment stays where it was.

use super::printer::{MAX_WIDTH, Printer};
use crate::syntax::{FileId, Span, TokenKind, lex};

/// A JSON value as a tree of source texts.
enum Json {
    /// `{ "key": value, … }`, keys as written.
    Object(Vec<(String, Json)>),
    /// `[value, …]`
    Array(Vec<Json>),
    /// A string, number, `true`, `false` or `null`, as written.
    Atom(String),
}

/// Writes the inline JSON written at `span`.
pub fn inline(p: &mut Printer, span: Span) {
    let raw = p.source().get(span.range()).unwrap_or_default();
    let parsed = (!p.has_comment_in(span)).then(|| parse(raw)).flatten();
    match parsed {
        Some(json) => {
            let column = p.next_column();
            let text = render(&json, column, 0);
            p.token(&text, span);
        }
        None => p.verbatim(span),
    }
}

/// Reads the JSON tokens of `raw`; `None` when they are not the JSON the parser accepted.
fn parse(raw: &str) -> Option<Json> {
    let lexed = lex(FileId::default(), raw);
    let mut tokens = lexed
        .tokens
        .iter()
        .filter(|token| !token.kind.is_trivia() && token.kind != TokenKind::Eof)
        .map(|token| (token.kind, raw.get(token.span.range()).unwrap_or_default()))
        .peekable();
    let json = value(&mut tokens)?;
    tokens.next().is_none().then_some(json)
}

type Tokens<'r, I> = std::iter::Peekable<I>;

fn value<'r, I>(tokens: &mut Tokens<'r, I>) -> Option<Json>
where
    I: Iterator<Item = (TokenKind, &'r str)>,
{
    let (kind, text) = tokens.next()?;
    match kind {
        TokenKind::LBrace => object(tokens),
        TokenKind::LBracket => array(tokens),
        TokenKind::Minus => {
            let (kind, digits) = tokens.next()?;
            (kind == TokenKind::Number).then(|| Json::Atom(format!("-{digits}")))
        }
        TokenKind::Str | TokenKind::Number | TokenKind::Ident => Some(Json::Atom(text.to_string())),
        _ => None,
    }
}

fn object<'r, I>(tokens: &mut Tokens<'r, I>) -> Option<Json>
where
    I: Iterator<Item = (TokenKind, &'r str)>,
{
    let mut members = Vec::new();
    if tokens
        .next_if(|(kind, _)| *kind == TokenKind::RBrace)
        .is_some()
    {
        return Some(Json::Object(members));
    }
    loop {
        let (kind, key) = tokens.next()?;
        let (colon, _) = tokens.next()?;
        if kind != TokenKind::Str || colon != TokenKind::Colon {
            return None;
        }
        members.push((key.to_string(), value(tokens)?));
        match tokens.next()? {
            (TokenKind::Comma, _) => {}
            (TokenKind::RBrace, _) => return Some(Json::Object(members)),
            _ => return None,
        }
    }
}

fn array<'r, I>(tokens: &mut Tokens<'r, I>) -> Option<Json>
where
    I: Iterator<Item = (TokenKind, &'r str)>,
{
    let mut items = Vec::new();
    if tokens
        .next_if(|(kind, _)| *kind == TokenKind::RBracket)
        .is_some()
    {
        return Some(Json::Array(items));
    }
    loop {
        items.push(value(tokens)?);
        match tokens.next()? {
            (TokenKind::Comma, _) => {}
            (TokenKind::RBracket, _) => return Some(Json::Array(items)),
            _ => return None,
        }
    }
}

/// `json` laid out starting at `column`, with `trail` closing characters after it.
fn render(json: &Json, column: usize, trail: usize) -> String {
    let flat = flat(json);
    if column + flat.chars().count() + trail <= MAX_WIDTH {
        return flat;
    }
    match json {
        Json::Object(members) if !members.is_empty() => filled_object(members, column, trail),
        Json::Array(items) if !items.is_empty() => {
            let inner = column + 1;
            let mut out = String::from("[");
            for (idx, item) in items.iter().enumerate() {
                let last = idx + 1 == items.len();
                if idx > 0 {
                    out.push_str(",\n");
                    out.push_str(&" ".repeat(inner));
                }
                out.push_str(&render(item, inner, if last { trail + 1 } else { 1 }));
            }
            out.push(']');
            out
        }
        _ => flat,
    }
}

/// An object that does not fit on one line: members fill lines aligned after `{ `; a member
/// that fits on no line is broken itself, and the member after it starts a new line.
fn filled_object(members: &[(String, Json)], column: usize, trail: usize) -> String {
    let inner = column + 2;
    let mut out = String::from("{ ");
    let mut at = inner;
    let mut previous_broken = false;
    for (idx, (key, member)) in members.iter().enumerate() {
        let last = idx + 1 == members.len();
        let member_trail = if last { trail + 2 } else { 1 };
        let flat_member = format!("{key}: {}", flat(member));
        let width = flat_member.chars().count();
        if idx > 0 && !previous_broken && at + 1 + width + member_trail <= MAX_WIDTH {
            out.push(' ');
            at += 1;
        } else if idx > 0 {
            out.push('\n');
            out.push_str(&" ".repeat(inner));
            at = inner;
        }
        if at + width + member_trail <= MAX_WIDTH {
            out.push_str(&flat_member);
            previous_broken = false;
        } else {
            out.push_str(key);
            out.push_str(": ");
            let value_column = at + key.chars().count() + 2;
            let rendered = render(member, value_column, member_trail);
            previous_broken = rendered.contains('\n');
            out.push_str(&rendered);
        }
        at = last_line_end(&out, column);
        if !last {
            out.push(',');
            at += 1;
        }
    }
    out.push_str(" }");
    out
}

/// The column at which `out`, written from `column`, ends.
fn last_line_end(out: &str, column: usize) -> usize {
    match out.rsplit_once('\n') {
        Some((_, last)) => last.chars().count(),
        None => column + out.chars().count(),
    }
}

/// `json` on one line: `{ "a": [1, 2] }`.
fn flat(json: &Json) -> String {
    match json {
        Json::Object(members) if members.is_empty() => "{}".to_string(),
        Json::Object(members) => {
            let members: Vec<String> = members
                .iter()
                .map(|(key, member)| format!("{key}: {}", flat(member)))
                .collect();
            format!("{{ {} }}", members.join(", "))
        }
        Json::Array(items) => {
            let items: Vec<String> = items.iter().map(flat).collect();
            format!("[{}]", items.join(", "))
        }
        Json::Atom(text) => text.clone(),
    }
}
