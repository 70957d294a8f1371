//! Expression parsing (precedence climbing) and message templates with `{expr}` interpolation.
//! Every recursive entry goes through a depth guard, so hostile nesting becomes one diagnostic
//! instead of a stack overflow; long operator chains count towards the same limit.

use super::ast::{
    self, BinaryOp, CollectKind, Expr, ExprKind, Ident, Literal, Quantifier, UnaryOp,
};
use super::lexer;
use super::parser::{MAX_DEPTH, Parser};
use super::span::Span;
use super::token::TokenKind;
use crate::date::Date;
use crate::diagnostics::{Code, Diagnostic};

/// Words that cannot be used as names inside expressions.
pub const RESERVED: &[&str] = &[
    "all", "any", "none", "in", "not", "and", "or", "implies", "where", "by", "true", "false",
    "today",
];

impl Parser<'_> {
    /// Parses an expression; reports and returns a `Missing` placeholder when there is none.
    pub(super) fn expr(&mut self) -> Expr {
        self.nested(|p| {
            if p.at_any_word(&["all", "any", "none"])
                && p.nth(1).kind == TokenKind::Ident
                && p.nth_is_word(2, "in")
            {
                let keyword = p.bump();
                p.quantified(keyword)
            } else {
                p.implication()
            }
        })
    }

    /// Runs `parse` one level deeper, or reports "too deep" and skips the nested group.
    fn nested(&mut self, parse: impl FnOnce(&mut Self) -> Expr) -> Expr {
        if self.depth >= MAX_DEPTH {
            let span = self.peek().span;
            self.report_too_deep(span);
            self.skip_group();
            return Expr {
                kind: ExprKind::Missing,
                span,
            };
        }
        self.depth += 1;
        let expr = parse(self);
        self.depth -= 1;
        expr
    }

    fn quantified(&mut self, keyword: super::token::Token) -> Expr {
        let quantifier = match self.text_of(keyword) {
            "all" => Quantifier::All,
            "any" => Quantifier::Any,
            _ => Quantifier::None,
        };
        let binder = self.binder();
        if self.expect(TokenKind::Colon).is_none() {
            if let Some(last) = self.diagnostics.last_mut() {
                last.help = Some("a quantifier reads `all x in list: condition`".into());
            }
        }
        let body = self.expr();
        let span = keyword.span.to(body.span);
        Expr {
            kind: ExprKind::Quantified(quantifier, Box::new(binder), Box::new(body)),
            span,
        }
    }

    fn binder(&mut self) -> ast::Binder {
        let var = self.ident("a variable name").unwrap_or_else(|| Ident {
            name: String::new(),
            span: self.prev_span(),
        });
        if self.eat_word("in").is_none() {
            self.expected("`in`");
        }
        let list = self.implication();
        let filter = self.eat_word("where").map(|_| self.implication());
        ast::Binder { var, list, filter }
    }

    fn implication(&mut self) -> Expr {
        let lhs = self.disjunction();
        if self.eat_word("implies").is_some() {
            let rhs = self.expr();
            return binary(BinaryOp::Implies, lhs, rhs);
        }
        lhs
    }

    fn disjunction(&mut self) -> Expr {
        self.left_assoc(
            |p| p.conjunction(),
            |p| p.eat_word("or").map(|_| BinaryOp::Or),
        )
    }

    fn conjunction(&mut self) -> Expr {
        self.left_assoc(
            |p| p.negation(),
            |p| p.eat_word("and").map(|_| BinaryOp::And),
        )
    }

    /// A chain `a op b op c`, left-associative; its length counts towards the depth limit.
    fn left_assoc(
        &mut self,
        mut operand: impl FnMut(&mut Self) -> Expr,
        mut operator: impl FnMut(&mut Self) -> Option<BinaryOp>,
    ) -> Expr {
        let mut lhs = operand(self);
        let mut chain = 0;
        while let Some(op) = operator(self) {
            chain += 1;
            if self.depth + chain >= MAX_DEPTH {
                let span = self.peek().span;
                self.report_too_deep(span);
                return lhs;
            }
            let rhs = operand(self);
            lhs = binary(op, lhs, rhs);
        }
        lhs
    }

    fn negation(&mut self) -> Expr {
        if self.at_word("not") {
            return self.nested(|p| {
                let keyword = p.bump();
                let operand = p.negation();
                let span = keyword.span.to(operand.span);
                Expr {
                    kind: ExprKind::Unary(UnaryOp::Not, Box::new(operand)),
                    span,
                }
            });
        }
        self.comparison()
    }

    fn comparison_op(&mut self) -> Option<BinaryOp> {
        let op = match self.peek().kind {
            TokenKind::EqEq => BinaryOp::Eq,
            TokenKind::NotEq => BinaryOp::Ne,
            TokenKind::Lt => BinaryOp::Lt,
            TokenKind::Le => BinaryOp::Le,
            TokenKind::Gt => BinaryOp::Gt,
            TokenKind::Ge => BinaryOp::Ge,
            TokenKind::Assign => {
                let span = self.peek().span;
                self.report(
                    Diagnostic::new(Code::Expected, span, "`=` is not a comparison")
                        .with_label("use `==` to compare")
                        .with_suggestion(span, "=="),
                );
                BinaryOp::Eq
            }
            TokenKind::Ident if self.at_word("in") => BinaryOp::In,
            TokenKind::Ident if self.at_word("not") && self.nth_is_word(1, "in") => {
                self.bump();
                BinaryOp::NotIn
            }
            _ => return None,
        };
        self.bump();
        Some(op)
    }

    fn comparison(&mut self) -> Expr {
        let lhs = self.additive();
        let Some(op) = self.comparison_op() else {
            return lhs;
        };
        let rhs = self.additive();
        let mut expr = binary(op, lhs, rhs);
        while let Some(extra) = self.comparison_op() {
            let rhs = self.additive();
            let span = expr.span.to(rhs.span);
            self.report(
                Diagnostic::new(
                    Code::ChainedComparison,
                    span,
                    format!(
                        "comparisons cannot be chained (`{}` after a comparison)",
                        extra.as_str()
                    ),
                )
                .with_help("join the two comparisons with `and`, e.g. `a < b and b < c`"),
            );
            // Read it as the author meant (`a < b and b < c`) so that checking goes on cleanly.
            let middle = last_comparand(&expr).clone();
            expr = binary(BinaryOp::And, expr, binary(extra, middle, rhs));
        }
        expr
    }

    fn additive(&mut self) -> Expr {
        self.left_assoc(
            |p| p.multiplicative(),
            |p| match p.peek().kind {
                TokenKind::Plus => p.bump_as(BinaryOp::Add),
                TokenKind::Minus => p.bump_as(BinaryOp::Sub),
                _ => None,
            },
        )
    }

    fn multiplicative(&mut self) -> Expr {
        self.left_assoc(
            |p| p.unary(),
            |p| match p.peek().kind {
                TokenKind::Star => p.bump_as(BinaryOp::Mul),
                TokenKind::Slash => p.bump_as(BinaryOp::Div),
                _ => None,
            },
        )
    }

    fn bump_as(&mut self, op: BinaryOp) -> Option<BinaryOp> {
        self.bump();
        Some(op)
    }

    fn unary(&mut self) -> Expr {
        if self.at(TokenKind::Minus) {
            return self.nested(|p| {
                let minus = p.bump();
                let operand = p.unary();
                let span = minus.span.to(operand.span);
                Expr {
                    kind: ExprKind::Unary(UnaryOp::Neg, Box::new(operand)),
                    span,
                }
            });
        }
        self.postfix()
    }

    fn postfix(&mut self) -> Expr {
        let mut expr = self.primary();
        let mut chain = 0;
        loop {
            if matches!(self.peek().kind, TokenKind::Dot | TokenKind::LBracket) {
                chain += 1;
                if self.depth + chain >= MAX_DEPTH {
                    let span = self.peek().span;
                    self.report_too_deep(span);
                    return expr;
                }
            }
            match self.peek().kind {
                TokenKind::Dot => {
                    self.bump();
                    let Some(field) = self.ident("a field name after `.`") else {
                        return expr;
                    };
                    let span = expr.span.to(field.span);
                    expr = Expr {
                        kind: ExprKind::Field(Box::new(expr), field),
                        span,
                    };
                }
                TokenKind::LBracket => {
                    self.bump();
                    let index = self.expr();
                    let close = self
                        .expect(TokenKind::RBracket)
                        .map_or(index.span, |t| t.span);
                    let span = expr.span.to(close);
                    expr = Expr {
                        kind: ExprKind::Index(Box::new(expr), Box::new(index)),
                        span,
                    };
                }
                _ => return expr,
            }
        }
    }

    fn primary(&mut self) -> Expr {
        let token = self.peek();
        let literal = |p: &mut Self, literal: Literal| {
            p.bump();
            Expr {
                kind: ExprKind::Literal(literal),
                span: token.span,
            }
        };
        match token.kind {
            TokenKind::Str => literal(self, Literal::Str(lexer::unescape(self.text_of(token)))),
            TokenKind::Number => match self.text_of(token).replace('_', "").parse::<f64>() {
                Ok(value) if value.is_finite() => literal(self, Literal::Number(value)),
                _ => {
                    self.report(
                        Diagnostic::new(Code::InvalidNumber, token.span, "number is too large")
                            .with_help("numbers must fit in a 64-bit float"),
                    );
                    literal(self, Literal::Number(0.0))
                }
            },
            TokenKind::Date => match Date::parse(self.text_of(token)) {
                Some(date) => literal(self, Literal::Date(date)),
                None => {
                    self.bump();
                    Expr {
                        kind: ExprKind::Missing,
                        span: token.span,
                    }
                }
            },
            TokenKind::Duration => {
                let text = self.text_of(token);
                let (digits, unit) = text.split_at(text.len() - 1);
                let per_unit = if unit == "w" { 7 } else { 1 };
                match digits
                    .replace('_', "")
                    .parse::<i64>()
                    .ok()
                    .and_then(|n| n.checked_mul(per_unit))
                    .filter(|n| *n <= 3_650_000)
                {
                    Some(days) => literal(self, Literal::Duration(days)),
                    None => {
                        self.report(
                            Diagnostic::new(
                                Code::InvalidNumber,
                                token.span,
                                "duration is too long",
                            )
                            .with_help("durations are limited to 10,000 years"),
                        );
                        literal(self, Literal::Duration(0))
                    }
                }
            }
            TokenKind::Ident => self.word(),
            TokenKind::LParen => self.nested(|p| {
                let open = p.bump();
                let inner = p.expr();
                let close = p.close(TokenKind::RParen, open.span, "`)`");
                Expr {
                    kind: ExprKind::Paren(Box::new(inner)),
                    span: open.span.to(close),
                }
            }),
            TokenKind::LBracket => self.nested(|p| p.list()),
            TokenKind::Error => {
                // The lexer reported it; read on as if it were not there.
                self.bump();
                if matches!(self.peek().kind, TokenKind::RBrace | TokenKind::Eof) {
                    return Expr {
                        kind: ExprKind::Missing,
                        span: token.span,
                    };
                }
                self.primary()
            }
            _ => {
                self.expected("an expression");
                Expr {
                    kind: ExprKind::Missing,
                    span: token.span,
                }
            }
        }
    }

    /// Expects the closing delimiter of a group opened at `open`; returns the span to end at.
    fn close(&mut self, kind: TokenKind, open: Span, what: &str) -> Span {
        if let Some(token) = self.eat(kind) {
            return token.span;
        }
        let found = self.found();
        let span = self.peek().span;
        if !self.silence_next_recovery {
            self.report(
                Diagnostic::new(
                    Code::UnclosedDelimiter,
                    span,
                    format!("expected {what}, found {found}"),
                )
                .with_label(format!("expected {what}"))
                .with_secondary(open, "to close this"),
            );
        }
        self.prev_span()
    }

    fn list(&mut self) -> Expr {
        let open = self.bump();
        let mut items = Vec::new();
        while !self.at(TokenKind::RBracket) && !self.at(TokenKind::Eof) {
            items.push(self.expr());
            if self.eat(TokenKind::Comma).is_none() {
                if !self.at(TokenKind::RBracket)
                    && !matches!(self.peek().kind, TokenKind::RBrace | TokenKind::Eof)
                {
                    self.expected("`,` or `]`");
                    if self.at(TokenKind::Ident)
                        || self.at(TokenKind::Str)
                        || self.at(TokenKind::Number)
                    {
                        continue;
                    }
                }
                break;
            }
        }
        let close = self.close(TokenKind::RBracket, open.span, "`]`");
        Expr {
            kind: ExprKind::List(items),
            span: open.span.to(close),
        }
    }

    /// A word in expression position: literal keyword, call, binder function or name.
    fn word(&mut self) -> Expr {
        let token = self.bump();
        let name = self.text_of(token);
        let span = token.span;
        match name {
            "true" => {
                return Expr {
                    kind: ExprKind::Literal(Literal::Bool(true)),
                    span,
                };
            }
            "false" => {
                return Expr {
                    kind: ExprKind::Literal(Literal::Bool(false)),
                    span,
                };
            }
            "today" => {
                return Expr {
                    kind: ExprKind::Today,
                    span,
                };
            }
            _ => {}
        }
        let ident = Ident {
            name: name.to_string(),
            span,
        };
        if matches!(name, "all" | "any" | "none")
            && self.at(TokenKind::Ident)
            && self.nth_is_word(1, "in")
        {
            // A quantifier as an operand (`a and all x in xs: c`): its body extends to the right.
            return self.nested(|p| p.quantified(token));
        }
        if RESERVED.contains(&name) {
            self.report(
                Diagnostic::new(
                    Code::Expected,
                    span,
                    format!("expected an expression, found keyword `{name}`"),
                )
                .with_label("a keyword cannot stand here"),
            );
            return Expr {
                kind: ExprKind::Missing,
                span,
            };
        }
        if !self.at(TokenKind::LParen) {
            return Expr {
                kind: ExprKind::Name(ident),
                span,
            };
        }
        let collect = match name {
            "count" => Some(CollectKind::Count),
            "filter" => Some(CollectKind::Filter),
            "latest" => Some(CollectKind::Latest),
            _ => None,
        };
        let is_binder = self.nth(1).kind == TokenKind::Ident && self.nth_is_word(2, "in");
        self.nested(|p| match collect {
            Some(kind) if is_binder || kind != CollectKind::Count => p.collect(kind, span),
            _ => p.call(ident),
        })
    }

    fn call(&mut self, callee: Ident) -> Expr {
        let open = self.bump();
        let mut args = Vec::new();
        while !self.at(TokenKind::RParen) && !self.at(TokenKind::Eof) {
            args.push(self.expr());
            if self.eat(TokenKind::Comma).is_none() {
                break;
            }
        }
        let close = self.close(TokenKind::RParen, open.span, "`)`");
        let span = callee.span.to(close);
        Expr {
            kind: ExprKind::Call(callee, args),
            span,
        }
    }

    fn collect(&mut self, kind: CollectKind, start: Span) -> Expr {
        let open = self.bump();
        let binder = self.binder();
        let key = match kind {
            CollectKind::Latest => {
                if self.eat_word("by").is_none() {
                    self.expected(
                        "`by` and the key to order by, as in `latest(a in audits by a.date)`",
                    );
                }
                Some(Box::new(self.expr()))
            }
            _ => None,
        };
        let close = self.close(TokenKind::RParen, open.span, "`)`");
        Expr {
            kind: ExprKind::Collect(kind, Box::new(binder), key),
            span: start.to(close),
        }
    }

    /// The message after `else`: text with `{expr}` interpolations.
    pub(super) fn template(&mut self) -> ast::Template {
        let token = self.bump();
        let raw = self.text_of(token);
        let base = token.span.start as usize;
        let mut segments = Vec::new();
        let mut text = String::new();
        let inner_end = if raw.len() >= 2 && raw.ends_with('"') {
            raw.len() - 1
        } else {
            raw.len()
        };
        let mut i = 1;
        while i < inner_end {
            let rest = &raw[i..inner_end];
            if rest.starts_with('\\') {
                let escape_len = escape_len(rest);
                text.push_str(&lexer::unescape(&format!("\"{}\"", &rest[..escape_len])));
                i += escape_len;
            } else if rest.starts_with('{') {
                let Some(close) = matching_brace(rest) else {
                    let span = Span::new(self.file, base + i, base + inner_end);
                    self.report(
                        Diagnostic::new(
                            Code::BadInterpolation,
                            span,
                            "`{` in a message is not closed",
                        )
                        .with_help(
                            "close the interpolation with `}`, or write `\\{` for a literal brace",
                        ),
                    );
                    break;
                };
                if !text.is_empty() {
                    segments.push(ast::Segment::Text(std::mem::take(&mut text)));
                }
                let expr = self.interpolation(base + i + 1, base + i + close);
                segments.push(ast::Segment::Interpolation(expr));
                i += close + 1;
            } else {
                let ch = rest.chars().next().expect("rest is not empty");
                text.push(ch);
                i += ch.len_utf8();
            }
        }
        if !text.is_empty() {
            segments.push(ast::Segment::Text(text));
        }
        ast::Template {
            segments,
            span: token.span,
        }
    }

    /// Parses the expression between `start` and `end` (byte offsets of this file).
    fn interpolation(&mut self, start: usize, end: usize) -> Expr {
        let span = Span::new(self.file, start, end);
        let lexed = lexer::lex_slice(self.file, self.text, start, end);
        let mut sub = Parser::new(self.file, self.text, lexed.tokens, lexed.diagnostics);
        sub.depth = self.depth;
        let expr = if sub.at(TokenKind::Eof) {
            sub.report(
                Diagnostic::new(Code::BadInterpolation, span, "empty interpolation `{}`")
                    .with_help("put a value inside, e.g. `{s.id}`"),
            );
            Expr {
                kind: ExprKind::Missing,
                span,
            }
        } else {
            sub.expr()
        };
        if !sub.at(TokenKind::Eof) {
            let rest = Span::new(self.file, sub.peek().span.start as usize, end);
            sub.report(
                Diagnostic::new(
                    Code::BadInterpolation,
                    rest,
                    "unexpected text in interpolation",
                )
                .with_help("an interpolation holds one expression, e.g. `{s.certification.date}`"),
            );
        }
        for mut diagnostic in sub.diagnostics {
            diagnostic.message = diagnostic
                .message
                .replace("the end of the file", "the end of the interpolation");
            self.diagnostics.push(diagnostic);
        }
        expr
    }
}

fn binary(op: BinaryOp, lhs: Expr, rhs: Expr) -> Expr {
    let span = lhs.span.to(rhs.span);
    Expr {
        kind: ExprKind::Binary(op, Box::new(lhs), Box::new(rhs)),
        span,
    }
}

/// The right operand of the last comparison of a chain built by `comparison`: `b` in `a < b`,
/// `c` in `a < b and b < c`.
fn last_comparand(chain: &Expr) -> &Expr {
    match &chain.kind {
        ExprKind::Binary(BinaryOp::And, _, last) => last_comparand(last),
        ExprKind::Binary(_, _, rhs) => rhs,
        _ => chain,
    }
}

/// Length of the escape at the start of `rest` (which starts with a backslash).
fn escape_len(rest: &str) -> usize {
    match rest[1..].chars().next() {
        Some('u')
            if rest
                .get(2..6)
                .is_some_and(|hex| hex.bytes().all(|b| b.is_ascii_hexdigit())) =>
        {
            6
        }
        Some(c) => 1 + c.len_utf8(),
        None => 1,
    }
}

/// Offset of the `}` matching the `{` at the start of `text`, if any.
fn matching_brace(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (i, b) in text.bytes().enumerate() {
        match b {
            b'{' => depth += 1,
            b'}' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}
