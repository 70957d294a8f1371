//! Position → syntax: the chain of AST nodes whose spans contain a byte offset, from the item
//! down to the innermost expression (through the clause holding it), with the variables bound
//! there.

use crate::syntax::{Span, ast};

/// A node on the path to an offset.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Node<'a> {
    Item(&'a ast::Item),
    Expr(&'a ast::Expr),
    /// A quantifier's or collection's binder whose variable is in scope at the offset.
    Binder(&'a ast::Binder),
}

/// The nodes containing `offset`, outermost first.
pub(crate) fn path_at(file: &ast::File, offset: usize) -> Vec<Node<'_>> {
    let mut path = Vec::new();
    let Some(item) = file.items.iter().find(|item| item.span.contains(offset)) else {
        return path;
    };
    path.push(Node::Item(item));
    let end = item.span.end as usize;
    match &item.kind {
        ast::ItemKind::Norm(norm) => {
            let keywords: Vec<Span> = norm.clauses.iter().map(|c| c.keyword).collect();
            if let Some(i) = clause_at(&keywords, offset, end) {
                norm_clause_exprs(&norm.clauses[i], offset, &mut path);
            }
        }
        ast::ItemKind::Profile(profile) => {
            let keywords: Vec<Span> = profile.clauses.iter().map(|c| c.keyword).collect();
            if let Some(i) = clause_at(&keywords, offset, end) {
                if let ast::ProfileClauseKind::Set(setting) = &profile.clauses[i].kind {
                    expr_path(&setting.value, offset, &mut path);
                }
            }
        }
        ast::ItemKind::Test(test) => {
            let keywords: Vec<Span> = test.clauses.iter().map(|c| c.keyword).collect();
            if let Some(i) = clause_at(&keywords, offset, end) {
                if let ast::TestClauseKind::Set(setting) = &test.clauses[i].kind {
                    expr_path(&setting.value, offset, &mut path);
                }
            }
        }
        ast::ItemKind::Def(def) => expr_path(&def.body, offset, &mut path),
        ast::ItemKind::Param(param) => expr_path(&param.default, offset, &mut path),
        _ => {}
    }
    path
}

/// The clause whose extent (its keyword up to the next keyword or `end`) holds `offset`.
fn clause_at(keywords: &[Span], offset: usize, end: usize) -> Option<usize> {
    (0..keywords.len()).rev().find(|&i| {
        let start = keywords[i].start as usize;
        let stop = keywords.get(i + 1).map_or(end, |next| next.start as usize);
        (start..=stop).contains(&offset)
    })
}

fn norm_clause_exprs<'a>(clause: &'a ast::NormClause, offset: usize, path: &mut Vec<Node<'a>>) {
    match &clause.kind {
        ast::NormClauseKind::When(expr) => expr_path(expr, offset, path),
        ast::NormClauseKind::Require { condition, message } => {
            expr_path(condition, offset, path);
            for segment in message.iter().flat_map(|m| &m.segments) {
                if let ast::Segment::Interpolation(expr) = segment {
                    expr_path(expr, offset, path);
                }
            }
        }
        _ => {}
    }
}

/// Pushes `expr` and its descendants that contain `offset`.
fn expr_path<'a>(expr: &'a ast::Expr, offset: usize, path: &mut Vec<Node<'a>>) {
    use ast::ExprKind as E;
    if !expr.span.contains(offset) {
        return;
    }
    path.push(Node::Expr(expr));
    match &expr.kind {
        E::Field(base, _) | E::Unary(_, base) | E::Paren(base) => expr_path(base, offset, path),
        E::Index(lhs, rhs) | E::Binary(_, lhs, rhs) => {
            expr_path(lhs, offset, path);
            expr_path(rhs, offset, path);
        }
        E::Call(_, args) | E::List(args) => args.iter().for_each(|a| expr_path(a, offset, path)),
        E::Collect(_, binder, key) => {
            binder_path(binder, offset, path);
            binder
                .filter
                .iter()
                .chain(key.as_deref())
                .for_each(|e| expr_path(e, offset, path));
        }
        E::Quantified(_, binder, body) => {
            binder_path(binder, offset, path);
            binder
                .filter
                .iter()
                .for_each(|e| expr_path(e, offset, path));
            expr_path(body, offset, path);
        }
        E::Literal(_) | E::Today | E::Name(_) | E::Missing => {}
    }
}

/// Pushes the binder's list, then the binder itself once `offset` is past its variable.
fn binder_path<'a>(binder: &'a ast::Binder, offset: usize, path: &mut Vec<Node<'a>>) {
    expr_path(&binder.list, offset, path);
    if offset >= binder.var.span.start as usize {
        path.push(Node::Binder(binder));
    }
}

/// The variables in scope at the end of `path`: binders and, in a definition, its parameters.
pub(crate) fn locals<'a>(path: &[Node<'a>]) -> Vec<(&'a ast::Ident, Local<'a>)> {
    let mut out = Vec::new();
    for node in path {
        match node {
            Node::Item(ast::Item {
                kind: ast::ItemKind::Def(def),
                ..
            }) => {
                for param in def.params.iter().flatten() {
                    out.push((&param.name, Local::Param(&param.ty)));
                }
            }
            Node::Binder(binder) => out.push((&binder.var, Local::Element(&binder.list))),
            _ => {}
        }
    }
    out
}

/// How a variable gets its type.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Local<'a> {
    /// A definition's parameter, typed as written.
    Param(&'a ast::TypeExpr),
    /// A binder's variable: an element of this list.
    Element(&'a ast::Expr),
}
