//! Lints: warnings about policies that are valid but probably wrong — unused definitions and
//! parameters, norms without citations or docs, conditions that can never hold.

use std::collections::HashMap;

use super::Checker;
use super::expr::Scope;
use super::program::{Const, Expr, ExprKind, Segment};
use crate::diagnostics::{Code, Diagnostic};
use crate::syntax::ast::{self, BinaryOp};

/// What the conjuncts of one `and` chain say about one path.
#[derive(Default)]
struct Facts {
    equal_to: Option<String>,
    lower: Option<(f64, bool)>,
    upper: Option<(f64, bool)>,
}

impl Checker<'_> {
    pub(super) fn lint_unused(&mut self) {
        for (def, used) in self.used_defs.clone().into_iter().enumerate() {
            if !used {
                let name = &self.def_decls[def].1.name;
                self.report(
                    Diagnostic::new(
                        Code::UnusedDefinition,
                        name.span,
                        format!("definition `{}` is never used", name.name),
                    )
                    .with_label("unused")
                    .with_help("remove it, or use it in a norm"),
                );
            }
        }
        for (param, used) in self.used_params.clone().into_iter().enumerate() {
            if !used {
                let name = &self.param_decls[param].1.name;
                self.report(
                    Diagnostic::new(
                        Code::UnusedParam,
                        name.span,
                        format!("parameter `{}` is never used", name.name),
                    )
                    .with_label("unused")
                    .with_help("remove it, or use it in a norm"),
                );
            }
        }
    }

    /// Warns about parameters of a definition that its body never reads.
    pub(super) fn lint_unused_arguments(&mut self, decl: &ast::Def, body: &Expr) {
        let Some(params) = &decl.params else { return };
        let mut used = vec![false; params.len()];
        let mut has_error = false;
        mark_locals(body, &mut used, &mut has_error);
        if has_error {
            return;
        }
        for (param, used) in params.iter().zip(used) {
            if !used {
                self.report(
                    Diagnostic::new(
                        Code::UnusedArgument,
                        param.name.span,
                        format!(
                            "parameter `{}` of `{}` is never used",
                            param.name.name, decl.name.name
                        ),
                    )
                    .with_label("unused")
                    .with_help("remove it, or use it in the definition's body"),
                );
            }
        }
    }

    /// An `any` requirement fails when no item satisfies it, so its variable names no item in
    /// the failure message; the help counts `list` (its path, when it has one).
    pub(super) fn lint_any_variable_in_message(
        &mut self,
        (slot, name): (u32, &str),
        list: Option<&str>,
        segments: &[Segment],
    ) {
        for segment in segments {
            let Segment::Value(expr) = segment else {
                continue;
            };
            let mut used = vec![false; slot as usize + 1];
            let mut has_error = false;
            mark_locals(expr, &mut used, &mut has_error);
            if used[slot as usize] {
                let example = match list {
                    Some(list) => format!(", e.g. `{{count({list})}}`"),
                    None => String::new(),
                };
                self.report(
                    Diagnostic::new(Code::UnknownName, expr.span, format!("`{name}` names no item in this message"))
                        .with_label("no single item fails an `any`")
                        .with_help(format!("an `any` requirement fails when no item satisfies it; report a count of the list instead{example}")),
                );
            }
        }
    }

    /// Warns when the conjuncts of an `and` chain contradict each other on one path.
    pub(super) fn lint_never_holds(&mut self, scope: &Scope, and: &Expr) {
        let mut conjuncts = Vec::new();
        flatten_and(and, &mut conjuncts);
        let mut facts: HashMap<String, Facts> = HashMap::new();
        let mut contradiction = None;
        for conjunct in conjuncts {
            let ExprKind::Binary(op, lhs, rhs) = &conjunct.kind else {
                continue;
            };
            let Some((path, constant, op)) = self.fact_of(scope, *op, lhs, rhs) else {
                continue;
            };
            let entry = facts.entry(path.clone()).or_default();
            if let Some(reason) = add_fact(entry, op, constant) {
                contradiction = Some((path, reason));
                break;
            }
        }
        if let Some((path, reason)) = contradiction {
            self.report(
                Diagnostic::new(
                    Code::NeverHolds,
                    and.span,
                    format!("this condition can never be true: `{path}` {reason}"),
                )
                .with_label("always false")
                .with_help("did you mean `or`, or a different value?"),
            );
        }
    }

    /// `path op constant` when one side of a comparison is a path and the other a constant that
    /// [`add_fact`] can use (the path is only built then).
    fn fact_of<'e>(
        &self,
        scope: &Scope,
        op: BinaryOp,
        lhs: &'e Expr,
        rhs: &'e Expr,
    ) -> Option<(String, &'e Const, BinaryOp)> {
        if let ExprKind::Const(c) = &rhs.kind
            && is_fact(op, c)
            && let Some(path) = self.atom_key(scope, lhs)
        {
            return Some((path, c, op));
        }
        let ExprKind::Const(c) = &lhs.kind else {
            return None;
        };
        let op = flip(op);
        if !is_fact(op, c) {
            return None;
        }
        Some((self.atom_key(scope, rhs)?, c, op))
    }

    /// A readable key for a path expression (`s.kind`, `election.date`), if it is one.
    fn atom_key(&self, scope: &Scope, expr: &Expr) -> Option<String> {
        match &expr.kind {
            ExprKind::Local(_)
            | ExprKind::Root(_)
            | ExprKind::Field(..)
            | ExprKind::Deref(..)
            | ExprKind::Param(_) => self.readable_key(scope, expr),
            _ => None,
        }
    }

    fn readable_key(&self, scope: &Scope, expr: &Expr) -> Option<String> {
        match &expr.kind {
            ExprKind::Local(slot) => scope
                .locals
                .iter()
                .find(|l| l.slot == *slot)
                .map(|l| l.name.clone()),
            ExprKind::Field(base, name, _) => {
                Some(format!("{}.{name}", self.readable_key(scope, base)?))
            }
            ExprKind::Deref(base, _) => self.readable_key(scope, base),
            ExprKind::Param(param) => self.program.params.get(*param).map(|p| p.name.clone()),
            _ => self.path_of(scope, expr),
        }
    }
}

fn flatten_and<'e>(expr: &'e Expr, out: &mut Vec<&'e Expr>) {
    match &expr.kind {
        ExprKind::Binary(BinaryOp::And, lhs, rhs) => {
            flatten_and(lhs, out);
            flatten_and(rhs, out);
        }
        _ => out.push(expr),
    }
}

fn flip(op: BinaryOp) -> BinaryOp {
    match op {
        BinaryOp::Lt => BinaryOp::Gt,
        BinaryOp::Le => BinaryOp::Ge,
        BinaryOp::Gt => BinaryOp::Lt,
        BinaryOp::Ge => BinaryOp::Le,
        other => other,
    }
}

/// True when [`add_fact`] learns something from `path op constant`.
fn is_fact(op: BinaryOp, constant: &Const) -> bool {
    match constant {
        Const::Str(_) => op == BinaryOp::Eq,
        Const::Number(_) => matches!(
            op,
            BinaryOp::Lt | BinaryOp::Le | BinaryOp::Gt | BinaryOp::Ge | BinaryOp::Eq
        ),
        _ => false,
    }
}

/// Adds `path op constant` to `facts`; returns why it contradicts them, if it does.
fn add_fact(facts: &mut Facts, op: BinaryOp, constant: &Const) -> Option<String> {
    match (op, constant) {
        (BinaryOp::Eq, Const::Str(value)) => {
            if let Some(previous) = &facts.equal_to {
                if previous != value.as_ref() {
                    return Some(format!("cannot equal both \"{previous}\" and \"{value}\""));
                }
            }
            facts.equal_to = Some(value.to_string());
            None
        }
        (
            BinaryOp::Lt | BinaryOp::Le | BinaryOp::Gt | BinaryOp::Ge | BinaryOp::Eq,
            Const::Number(n),
        ) => {
            let n = *n;
            if matches!(op, BinaryOp::Gt | BinaryOp::Ge | BinaryOp::Eq) {
                let strict = op == BinaryOp::Gt;
                facts.lower = Some(match facts.lower {
                    Some((m, s)) if m > n || m == n && s => (m, s),
                    _ => (n, strict),
                });
            }
            if matches!(op, BinaryOp::Lt | BinaryOp::Le | BinaryOp::Eq) {
                let strict = op == BinaryOp::Lt;
                facts.upper = Some(match facts.upper {
                    Some((m, s)) if m < n || m == n && s => (m, s),
                    _ => (n, strict),
                });
            }
            match (facts.lower, facts.upper) {
                (Some((low, low_strict)), Some((high, high_strict)))
                    if low > high || low == high && (low_strict || high_strict) =>
                {
                    Some(format!(
                        "cannot be both {} {} and {} {}",
                        if low_strict { ">" } else { ">=" },
                        fmt(low),
                        if high_strict { "<" } else { "<=" },
                        fmt(high)
                    ))
                }
                _ => None,
            }
        }
        _ => None,
    }
}

fn fmt(n: f64) -> String {
    super::program::format_number(n)
}

/// Marks the variable slots below `used.len()` that `expr` reads, and notes error nodes.
fn mark_locals(expr: &Expr, used: &mut [bool], has_error: &mut bool) {
    use ExprKind::*;
    let mut visit = |child: &Expr| mark_locals(child, used, has_error);
    match &expr.kind {
        Local(slot) => {
            if let Some(flag) = used.get_mut(*slot as usize) {
                *flag = true;
            }
        }
        Field(base, _, _) | Deref(base, _) | Unary(_, base) => visit(base),
        Call(_, args) | Builtin(_, args) | List(args) => args.iter().for_each(visit),
        Binary(_, lhs, rhs) | Index(lhs, rhs) => {
            visit(lhs);
            visit(rhs);
        }
        Quantified {
            list, filter, body, ..
        } => {
            visit(list);
            filter.iter().for_each(|f| visit(f));
            visit(body);
        }
        Collect {
            list, filter, key, ..
        } => {
            visit(list);
            filter.iter().for_each(|f| visit(f));
            key.iter().for_each(|k| visit(k));
        }
        Error => *has_error = true,
        Const(_) | Today | Root(_) | Param(_) | DefValue(_) | NormStatus(..) => {}
    }
}
