//! Which norms can meet a dangling reference. Only following a reference and `resolves`
//! produce one, so a norm that does neither, itself or in a definition it uses, needs no
//! search for dangling references when it is explained. Computed once per evaluator.

use crate::check::{Builtin, DefId, Expr, ExprKind, Program};

/// For each norm of `program`, whether its `when` or a requirement can meet a dangling
/// reference.
pub(super) fn norms_that_may_dangle(program: &Program) -> Vec<bool> {
    let mut defs: Vec<Option<bool>> = vec![None; program.defs.len()];
    program
        .norms
        .iter()
        .map(|norm| {
            let mut conditions = norm
                .when
                .iter()
                .chain(norm.requires.iter().map(|r| &r.condition));
            conditions.any(|condition| may_dangle(program, condition, &mut defs))
        })
        .collect()
}

/// Whether `expr` follows a reference or asks whether one resolves, itself, in a part or in a
/// definition it uses; `defs` remembers the answer for each definition.
fn may_dangle(program: &Program, expr: &Expr, defs: &mut [Option<bool>]) -> bool {
    match &expr.kind {
        ExprKind::Deref(..) | ExprKind::Builtin(Builtin::Resolves, _) => true,
        ExprKind::DefValue(def) => def_may_dangle(program, *def, defs),
        ExprKind::Call(def, args) => {
            def_may_dangle(program, *def, defs)
                || args.iter().any(|arg| may_dangle(program, arg, defs))
        }
        _ => parts(expr).any(|part| may_dangle(program, part, defs)),
    }
}

fn def_may_dangle(program: &Program, def: DefId, defs: &mut [Option<bool>]) -> bool {
    match defs.get(def) {
        Some(Some(known)) => return *known,
        Some(None) => {}
        None => return true,
    }
    // Assume the worst while the body is looked at, should definitions ever call each other.
    defs[def] = Some(true);
    let answer = program
        .defs
        .get(def)
        .is_none_or(|definition| may_dangle(program, &definition.body, defs));
    defs[def] = Some(answer);
    answer
}

/// Every direct part of `expr`, the filter, condition and key of a quantifier included.
fn parts(expr: &Expr) -> impl Iterator<Item = &Expr> {
    let mut found: Vec<&Expr> = Vec::new();
    match &expr.kind {
        ExprKind::Field(base, _, _) | ExprKind::Deref(base, _) | ExprKind::Unary(_, base) => {
            found.push(base)
        }
        ExprKind::Binary(_, lhs, rhs) | ExprKind::Index(lhs, rhs) => found.extend([&**lhs, rhs]),
        ExprKind::Builtin(_, args) | ExprKind::List(args) | ExprKind::Call(_, args) => {
            found.extend(args.iter())
        }
        ExprKind::Quantified {
            list, filter, body, ..
        } => {
            found.push(list);
            found.extend(filter.as_deref());
            found.push(body);
        }
        ExprKind::Collect {
            list, filter, key, ..
        } => {
            found.push(list);
            found.extend(filter.as_deref());
            found.extend(key.as_deref());
        }
        ExprKind::Const(_)
        | ExprKind::Today
        | ExprKind::Root(_)
        | ExprKind::Local(_)
        | ExprKind::Param(_)
        | ExprKind::DefValue(_)
        | ExprKind::NormStatus(..)
        | ExprKind::Error => {}
    }
    found.into_iter()
}
