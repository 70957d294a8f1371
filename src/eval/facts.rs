//! What the evaluator knows about a program before reading any document, computed once per
//! [`super::Evaluator`]:
//!
//! - which norms can meet a dangling reference: only following a reference and `resolves`
//!   produce one, so a norm that does neither, itself or in a definition it uses, needs no
//!   search for dangling references when it is explained;
//! - which definitions' calls can be remembered for a document: a definition with parameters
//!   that reads no norm's status gives the same value for the same arguments wherever it is
//!   called (it depends only on the document, the parameters and the date).

use crate::check::{Builtin, DefId, Expr, ExprKind, Program};

/// Facts about a program's norms and definitions.
#[derive(Debug)]
pub(super) struct Facts {
    /// For each norm, whether its `when` or a requirement can meet a dangling reference.
    pub norm_may_dangle: Vec<bool>,
    /// For each definition, whether the value of a call can be remembered per document.
    pub def_memoizable: Vec<bool>,
}

impl Facts {
    /// The facts of `program`.
    pub fn of(program: &Program) -> Self {
        let mut dangles = Search::new(program, |expr| {
            matches!(
                expr.kind,
                ExprKind::Deref(..) | ExprKind::Builtin(Builtin::Resolves, _)
            )
        });
        let norm_may_dangle = program
            .norms
            .iter()
            .map(|norm| {
                let mut conditions = norm
                    .when
                    .iter()
                    .chain(norm.requires.iter().map(|r| &r.condition));
                conditions.any(|condition| dangles.finds(condition))
            })
            .collect();
        let mut reads_status = Search::new(program, |expr| {
            matches!(expr.kind, ExprKind::NormStatus(..))
        });
        let def_memoizable = (0..program.defs.len())
            .map(|def| program.defs[def].callable && !reads_status.in_def(def))
            .collect();
        Facts {
            norm_may_dangle,
            def_memoizable,
        }
    }
}

/// A search for a kind of expression in an expression, its parts and the definitions it
/// uses; remembers the answer for each definition.
struct Search<'p> {
    program: &'p Program,
    wanted: fn(&Expr) -> bool,
    defs: Vec<Option<bool>>,
}

impl<'p> Search<'p> {
    fn new(program: &'p Program, wanted: fn(&Expr) -> bool) -> Self {
        Search {
            program,
            wanted,
            defs: vec![None; program.defs.len()],
        }
    }

    /// Whether `expr` is wanted, has a wanted part or uses a definition that has one.
    fn finds(&mut self, expr: &Expr) -> bool {
        let wanted = self.wanted;
        let (mut found, mut uses) = (false, Vec::new());
        expr.walk(&mut |part| {
            found |= wanted(part);
            if let ExprKind::DefValue(def) | ExprKind::Call(def, _) = &part.kind {
                uses.push(*def);
            }
        });
        found || uses.into_iter().any(|def| self.in_def(def))
    }

    /// Whether the body of definition `def` has a wanted part.
    fn in_def(&mut self, def: DefId) -> bool {
        match self.defs.get(def) {
            Some(Some(known)) => return *known,
            Some(None) => {}
            None => return true,
        }
        // Assume the worst while the body is looked at, should definitions ever call each other.
        self.defs[def] = Some(true);
        let program = self.program;
        let answer = program
            .defs
            .get(def)
            .is_none_or(|definition| self.finds(&definition.body));
        self.defs[def] = Some(answer);
        answer
    }
}
