//! Expressions, message templates, string literals and types, in their canonical layout: one
//! space around binary operators and after commas, none inside brackets, parentheses exactly
//! where the author wrote them, number, date and duration literals as written.
//!
//! Only clause values are broken across lines ([`expr_broken`]); everything nested is flat.

use super::printer::{MAX_WIDTH, Printer};
use crate::syntax::Span;
use crate::syntax::ast::{
    BinaryOp, Binder, CollectKind, Expr, ExprKind, Literal, Quantifier, Segment, Template,
    TypeExpr, UnaryOp,
};

/// Writes `expr` on one line (comments in it still break the line).
pub fn expr(p: &mut Printer, expr_node: &Expr) {
    match &expr_node.kind {
        ExprKind::Literal(literal) => self::literal(p, literal, expr_node.span),
        ExprKind::Today => p.token("today", expr_node.span),
        ExprKind::Name(ident) => p.token(&ident.name, ident.span),
        ExprKind::Field(base, field) => {
            expr(p, base);
            p.punct(".");
            p.token(&field.name, field.span);
        }
        ExprKind::Index(base, index) => {
            expr(p, base);
            p.punct("[");
            expr(p, index);
            p.punct("]");
        }
        ExprKind::Call(callee, args) => {
            p.token(&callee.name, callee.span);
            p.punct("(");
            comma_separated(p, args);
            p.punct(")");
        }
        ExprKind::Collect(kind, binder, key) => {
            collect(p, *kind, binder, key.as_deref(), expr_node)
        }
        ExprKind::Quantified(quantifier, binder, body) => {
            quantifier_head(p, *quantifier, binder, expr_node.span);
            p.space();
            expr(p, body);
        }
        ExprKind::Unary(op, operand) => unary(p, *op, operand, expr_node.span),
        ExprKind::Binary(op, lhs, rhs) => {
            expr(p, lhs);
            p.space();
            operator(p, *op);
            p.space();
            expr(p, rhs);
        }
        ExprKind::List(items) => {
            p.token("[", word_at(expr_node.span, "["));
            comma_separated(p, items);
            p.punct("]");
        }
        ExprKind::Paren(inner) => {
            p.token("(", word_at(expr_node.span, "("));
            expr(p, inner);
            p.punct(")");
        }
        ExprKind::Missing => {}
    }
}

/// Writes a clause value starting at the current position, broken when it does not fit in
/// [`MAX_WIDTH`]: after the `:` of a quantifier (body indented two columns more than the
/// quantifier), before each `and`, `or` or `implies` of a top-level chain (aligned with its
/// first operand), before a comparison operator (indented by two), inside parentheses, and
/// between call arguments (aligned after the `(`). What still does not fit stays on one line.
pub fn expr_broken(p: &mut Printer, expr_node: &Expr) {
    let start = p.next_column();
    if p.flat || start + width(p.source(), expr_node) <= MAX_WIDTH {
        return expr(p, expr_node);
    }
    match &expr_node.kind {
        ExprKind::Quantified(quantifier, binder, body) => {
            let saved = p.indent;
            quantifier_head(p, *quantifier, binder, expr_node.span);
            p.indent = start + 2;
            p.newline();
            expr_broken(p, body);
            p.indent = saved;
        }
        ExprKind::Binary(op @ (BinaryOp::And | BinaryOp::Or | BinaryOp::Implies), ..) => {
            chain(p, *op, expr_node, start)
        }
        ExprKind::Paren(inner) => {
            p.token("(", word_at(expr_node.span, "("));
            expr_broken(p, inner);
            p.punct(")");
        }
        ExprKind::Call(callee, args) => {
            p.token(&callee.name, callee.span);
            p.punct("(");
            filled_args(p, args, start + callee.name.chars().count() + 1);
            p.punct(")");
        }
        ExprKind::Binary(op, lhs, rhs) if op.is_comparison() => {
            let saved = p.indent;
            expr_broken(p, lhs);
            p.indent = start + 2;
            p.newline();
            operator(p, *op);
            p.space();
            expr_broken(p, rhs);
            p.indent = saved;
        }
        _ => expr(p, expr_node),
    }
}

/// Writes call arguments filling lines that start at `column`, each argument flat.
fn filled_args(p: &mut Printer, args: &[Expr], column: usize) {
    let saved = p.indent;
    p.indent = column;
    for (idx, arg) in args.iter().enumerate() {
        let trail = if idx + 1 == args.len() { 1 } else { 0 };
        let needed = width(p.source(), arg) + 1 + trail;
        if idx > 0 {
            p.punct(",");
            if p.next_column() + 1 + needed > MAX_WIDTH {
                p.newline();
            } else {
                p.space();
            }
        }
        expr(p, arg);
    }
    p.indent = saved;
}

/// Writes a chain of one logical operator with a break before each operator.
fn chain(p: &mut Printer, op: BinaryOp, expr_node: &Expr, start: usize) {
    let mut operands = Vec::new();
    flatten(op, expr_node, &mut operands);
    let saved = p.indent;
    let mut operands = operands.into_iter();
    if let Some(first) = operands.next() {
        expr_broken(p, first);
    }
    for operand in operands {
        p.indent = start;
        p.newline();
        operator(p, op);
        p.space();
        expr_broken(p, operand);
    }
    p.indent = saved;
}

/// The operands of a chain of `op` (left-associative, except `implies`).
fn flatten<'e>(op: BinaryOp, expr_node: &'e Expr, acc: &mut Vec<&'e Expr>) {
    match &expr_node.kind {
        ExprKind::Binary(inner, lhs, rhs) if *inner == op => {
            if op == BinaryOp::Implies {
                acc.push(lhs);
                flatten(op, rhs, acc);
            } else {
                flatten(op, lhs, acc);
                acc.push(rhs);
            }
        }
        _ => acc.push(expr_node),
    }
}

/// Width of `expr` laid out on one line.
pub fn width(text: &str, expr_node: &Expr) -> usize {
    let mut measure = Printer::measuring(text);
    expr(&mut measure, expr_node);
    measure.written().chars().count()
}

fn comma_separated(p: &mut Printer, items: &[Expr]) {
    for (idx, item) in items.iter().enumerate() {
        if idx > 0 {
            p.punct(",");
            p.space();
        }
        expr(p, item);
    }
}

fn quantifier_head(p: &mut Printer, quantifier: Quantifier, binder: &Binder, span: Span) {
    let word = match quantifier {
        Quantifier::All => "all",
        Quantifier::Any => "any",
        Quantifier::None => "none",
    };
    p.token(word, word_at(span, word));
    p.space();
    self::binder(p, binder);
    p.punct(":");
}

fn binder(p: &mut Printer, binder: &Binder) {
    p.token(&binder.var.name, binder.var.span);
    p.space();
    p.punct("in");
    p.space();
    expr(p, &binder.list);
    if let Some(filter) = &binder.filter {
        p.space();
        p.punct("where");
        p.space();
        expr(p, filter);
    }
}

fn collect(p: &mut Printer, kind: CollectKind, binder: &Binder, key: Option<&Expr>, node: &Expr) {
    let name = match kind {
        CollectKind::Count => "count",
        CollectKind::Filter => "filter",
        CollectKind::Latest => "latest",
    };
    p.token(name, word_at(node.span, name));
    p.punct("(");
    self::binder(p, binder);
    if let Some(key) = key {
        p.space();
        p.punct("by");
        p.space();
        expr(p, key);
    }
    p.punct(")");
}

fn unary(p: &mut Printer, op: UnaryOp, operand: &Expr, span: Span) {
    match op {
        UnaryOp::Not => {
            p.token("not", word_at(span, "not"));
            p.space();
        }
        UnaryOp::Neg => p.token("-", word_at(span, "-")),
    }
    expr(p, operand);
}

fn operator(p: &mut Printer, op: BinaryOp) {
    if op == BinaryOp::NotIn {
        p.punct("not");
        p.space();
        p.punct("in");
    } else {
        p.punct(op.as_str());
    }
}

fn literal(p: &mut Printer, literal: &Literal, span: Span) {
    match literal {
        Literal::Str(value) => p.token(&quote(value, Quoting::Plain), span),
        Literal::Bool(value) => p.token(if *value { "true" } else { "false" }, span),
        Literal::Number(_) | Literal::Date(_) | Literal::Duration(_) => {
            let raw = p.source().get(span.range()).unwrap_or_default().to_string();
            p.token(&raw, span);
        }
    }
}

/// The span of `word` at the start of `node`, for a token the tree knows only by where its
/// node starts.
pub fn word_at(node: Span, word: &str) -> Span {
    let len = u32::try_from(word.len()).unwrap_or(u32::MAX);
    Span {
        file: node.file,
        start: node.start,
        end: node.start.saturating_add(len).min(node.end),
    }
}

/// Which characters a string literal escapes.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Quoting {
    /// A plain string: quotes, backslashes and line breaks.
    Plain,
    /// A message template: braces too, since they open interpolations.
    Template,
}

/// `value` as a string literal, quotes included.
pub fn quote(value: &str, quoting: Quoting) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    push_escaped(&mut out, value, quoting);
    out.push('"');
    out
}

fn push_escaped(out: &mut String, value: &str, quoting: Quoting) {
    for ch in value.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '{' if quoting == Quoting::Template => out.push_str("\\{"),
            '}' if quoting == Quoting::Template => out.push_str("\\}"),
            ch if is_invisible(ch) && u32::from(ch) <= 0xFFFF => {
                let _ = std::fmt::Write::write_fmt(out, format_args!("\\u{:04x}", u32::from(ch)));
            }
            _ => out.push(ch),
        }
    }
}

/// A character that shows as nothing, or as a space that is not one, on a screen: a control
/// character, a no-break or other special space, a zero-width or direction mark. A string
/// keeps it as a `\uXXXX` escape, so that formatting never hides it in plain-looking text.
fn is_invisible(ch: char) -> bool {
    crate::report::columns::is_unsafe_char(ch)
        || matches!(
            ch,
            '\u{00a0}'
                | '\u{00ad}'
                | '\u{2000}'..='\u{200f}'
                | '\u{2028}'..='\u{202f}'
                | '\u{205f}'..='\u{206f}'
                | '\u{3000}'
                | '\u{feff}'
        )
}

/// Writes a message template: its text re-escaped and each `{expr}` re-printed flat. A
/// template whose source holds `//` is kept as written, since an interpolation may end in a
/// comment that re-printing would drop.
pub fn template(p: &mut Printer, template: &Template) {
    let raw = p.source().get(template.span.range()).unwrap_or_default();
    if raw.contains("//") {
        let raw = raw.to_string();
        return p.token(&raw, template.span);
    }
    let mut out = String::from("\"");
    for segment in &template.segments {
        match segment {
            Segment::Text(text) => push_escaped(&mut out, text, Quoting::Template),
            Segment::Interpolation(inner) => {
                let mut measure = Printer::measuring(p.source());
                expr(&mut measure, inner);
                out.push('{');
                out.push_str(measure.written());
                out.push('}');
            }
        }
    }
    out.push('"');
    p.token(&out, template.span);
}

/// Width of a template as [`template`] writes it.
pub fn template_width(text: &str, template: &Template) -> usize {
    let mut measure = Printer::measuring(text);
    self::template(&mut measure, template);
    measure.written().chars().count()
}

/// Writes a type: `string`, `[System]`, `ref contacts`.
pub fn type_expr(p: &mut Printer, ty: &TypeExpr) {
    match ty {
        TypeExpr::Named(ident) => p.token(&ident.name, ident.span),
        TypeExpr::List(inner, span) => {
            p.token("[", word_at(*span, "["));
            type_expr(p, inner);
            p.punct("]");
        }
        TypeExpr::Ref(target, span) => {
            p.token("ref", word_at(*span, "ref"));
            p.space();
            p.token(&target.name, target.span);
        }
        TypeExpr::Missing(_) => {}
    }
}
