//! Evidence: re-walks a requirement (or `when` condition) that came out false or unknown and
//! records its smallest failing parts: each failing item of a quantifier with its path and id,
//! each failing comparison with the values compared, each missing path, each dangling
//! reference. Runs only for norms that did not pass, so the interpreter stays allocation-light.

use std::fmt::{Arguments, Write as _};
use std::ops::Range;

use super::interp::{Ctx, Fault, VarPath};
use super::value::{self, Truth, Value, show, show_into};
use crate::check::{Expr, ExprKind, Segment};
use crate::syntax::Span;
use crate::syntax::ast::{BinaryOp, CollectKind, Quantifier, UnaryOp};

/// How many items of a failing `any` are explained one by one.
pub(super) const MAX_ANY_ITEMS: usize = 5;

/// How many failing (or unknown) items of an inner `all` or `none` are explained one by one;
/// the others are counted in one [`FindingKind::Omitted`] finding. A pairwise norm over a list
/// of n items would otherwise explain n² items.
pub const MAX_INNER_ITEMS: usize = 10;

/// How many items of a requirement's outermost quantifier get their own evidence entry; the
/// others are counted in one last entry, so a result's evidence stays bounded on huge lists.
pub const MAX_EVIDENCE_ITEMS: usize = 100;

/// Most conditions the explanation of one requirement looks into: far more than the items
/// above need, and a bound on definitions that branch (`def d2 = d1 or d1`), whose
/// explanation would otherwise double at every level.
pub const MAX_EXPLAIN_STEPS: u32 = 100_000;

/// Why a norm did not pass: one requirement, or one item of its outermost quantifier.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Evidence {
    /// Index of the requirement in the norm; `None` for the `when` condition or a fault.
    pub requirement: Option<usize>,
    /// The item of the requirement's outermost quantifier this evidence is about.
    pub item: Option<Item>,
    /// The smallest parts that failed or lacked evidence.
    pub findings: Vec<Finding>,
    /// The requirement's `else` message, interpolated (failures only).
    pub message: Option<String>,
}

/// An item of a list that a quantifier ranged over.
#[derive(Clone, Debug, PartialEq, Eq, Hash, serde::Serialize)]
pub struct Item {
    /// Its evidence path, such as `systems[3]`.
    pub path: String,
    /// Its `id` field, if it has one.
    pub id: Option<String>,
}

impl std::fmt::Display for Item {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.id {
            Some(id) => write!(f, "{} (id \"{id}\")", self.path),
            None => f.write_str(&self.path),
        }
    }
}

/// What kind of finding.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FindingKind {
    /// A condition on present evidence does not hold.
    Failed,
    /// Evidence is absent or null.
    Missing,
    /// A reference names no element.
    Dangling,
    /// Evaluation stopped with a fault.
    Fault,
    /// More items like the ones before it, counted rather than explained.
    Omitted,
}

impl FindingKind {
    /// The word reports use for it.
    pub fn label(self) -> &'static str {
        match self {
            FindingKind::Failed => "failed",
            FindingKind::Missing => "missing",
            FindingKind::Dangling => "dangling",
            FindingKind::Fault => "error",
            FindingKind::Omitted => "omitted",
        }
    }

    /// The word reports use for a finding of this kind, which is an `alternative` of a
    /// failing `or` when that is true (`or failed`: the findings before it would be mended
    /// as well by mending this one).
    pub fn label_as(self, alternative: bool) -> &'static str {
        if !alternative {
            return self.label();
        }
        match self {
            FindingKind::Failed => "or failed",
            FindingKind::Missing => "or missing",
            FindingKind::Dangling => "or dangling",
            FindingKind::Fault => "or error",
            FindingKind::Omitted => "or omitted",
        }
    }
}

/// One smallest failing part.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Finding {
    /// What kind.
    pub kind: FindingKind,
    /// Items of inner quantifiers leading to it, outermost first.
    pub within: Vec<Item>,
    /// The values or path involved, e.g. `systems[3].certification.date is 2026-09-30;
    /// required >= 2026-08-12`, or the missing path.
    pub text: String,
    /// Where in `text` the evidence path of the value it is about is (see [`Finding::path`]).
    #[serde(skip)]
    pub path_in_text: Option<Range<usize>>,
    /// True when it starts another alternative of a failing `or`: the findings before it
    /// and the ones from it on are each enough to mend the requirement, not all required.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub alternative: bool,
    /// The part of the policy it is about.
    #[serde(skip)]
    pub span: Span,
}

impl Finding {
    /// The evidence path of the value it is about (the operand read, the missing value, the
    /// reference, the list), such as `systems[3].certification.date`; `None` when it reads no
    /// value of the document. It is a part of the text, so a finding allocates it only once.
    pub fn path(&self) -> Option<&str> {
        self.path_in_text
            .clone()
            .and_then(|range| self.text.get(range))
    }
}

/// The text of a finding and where in it the path of its value is.
type Subject = (String, Option<Range<usize>>);

/// The text `before`, then `path` (or `unknown` when there is none), then `after`; with where
/// the path is in it.
fn framed(before: &str, (path, unknown): (Option<&str>, &str), after: Arguments<'_>) -> Subject {
    let mut text = String::with_capacity(before.len() + 64);
    text.push_str(before);
    let start = text.len();
    text.push_str(path.unwrap_or(unknown));
    let range = path.map(|_| start..text.len());
    let _ = text.write_fmt(after);
    (text, range)
}

impl<'a> Ctx<'a> {
    /// Evidence for a requirement or `when` condition whose truth is `observed` (false or
    /// unknown), with the truths of its items already recorded by
    /// [`Ctx::requirement_truth`] (empty when not recorded); the norm's frame is active.
    pub(super) fn explain_condition(
        &mut self,
        requirement: Option<usize>,
        condition: (&'a Expr, &[Option<Truth>]),
        message: Option<&'a [Segment]>,
        observed: Truth,
        out: &mut Vec<Evidence>,
    ) -> Result<(), Fault> {
        self.tracing = true;
        (self.explain_left, self.explain_cut) = (MAX_EXPLAIN_STEPS, false);
        let result = self.explain_outer(requirement, condition, message, observed, out);
        self.tracing = false;
        if self.explain_cut {
            let subject = (
                format!(
                    "the explanation stops after {MAX_EXPLAIN_STEPS} conditions: the definitions \
                     it goes through branch too often to explain in full"
                ),
                None,
            );
            out.push(Evidence {
                requirement,
                item: None,
                findings: vec![self.finding(FindingKind::Omitted, &[], subject, condition.0.span)],
                message: None,
            });
        }
        result
    }

    fn explain_outer(
        &mut self,
        requirement: Option<usize>,
        (condition, recorded): (&'a Expr, &[Option<Truth>]),
        message: Option<&'a [Segment]>,
        observed: Truth,
        out: &mut Vec<Evidence>,
    ) -> Result<(), Fault> {
        let message = message.filter(|_| observed == Truth::False);
        if let ExprKind::Quantified {
            quantifier,
            var,
            list,
            filter,
            body,
            ..
        } = &condition.kind
        {
            let per_item = *quantifier != Quantifier::Any || observed == Truth::Unknown;
            if let (Value::List(items), true) = (self.eval(list)?, per_item) {
                let list_path = self.path_of(list);
                let mut budget = Budget::new(MAX_EVIDENCE_ITEMS);
                for (index, item) in items.iter().enumerate() {
                    let truth = match recorded.get(index) {
                        Some(truth) => *truth,
                        None => {
                            self.bind(*var, item.clone(), VarPath::Unknown);
                            self.item_truth_untraced(*quantifier, filter.as_deref(), body)?
                        }
                    };
                    if truth != Some(observed) || !budget.admit() {
                        continue;
                    }
                    let item_ref = describe_item(list_path.as_deref(), index, &item);
                    self.bind(*var, item, VarPath::Item(item_ref.path.clone()));
                    let mut findings = Vec::new();
                    let explained = self.explain_item(
                        *quantifier,
                        filter.as_deref(),
                        body,
                        observed,
                        &mut Vec::new(),
                        &mut findings,
                    );
                    if explained.is_ok() || !findings.is_empty() {
                        self.push_evidence((requirement, Some(item_ref)), findings, message, out);
                    }
                    explained?;
                }
                if let Some(subject) = budget.omitted(list_path.as_deref(), observed) {
                    out.push(Evidence {
                        requirement,
                        item: None,
                        findings: vec![self.finding(FindingKind::Omitted, &[], subject, body.span)],
                        message: None,
                    });
                }
                return Ok(());
            }
        }
        let mut findings = Vec::new();
        let explained = self.explain(condition, observed, &mut Vec::new(), &mut findings);
        if explained.is_ok() || !findings.is_empty() {
            self.push_evidence((requirement, None), findings, message, out);
        }
        explained
    }

    /// Adds the evidence of a requirement (or of one of its items) made of `findings`; when a
    /// fault cut explaining short, what was found until then is kept this way.
    fn push_evidence(
        &mut self,
        (requirement, item): (Option<usize>, Option<Item>),
        mut findings: Vec<Finding>,
        message: Option<&'a [Segment]>,
        out: &mut Vec<Evidence>,
    ) {
        dedup(&mut findings);
        let message = message.map(|segments| self.render_message(segments));
        out.push(Evidence {
            requirement,
            item,
            findings,
            message,
        });
    }

    /// [`Ctx::item_truth`] without recording evidence paths: most items of a quantifier do
    /// not need explaining, so their paths are only built (and the variable re-bound with its
    /// path) for those that do.
    fn item_truth_untraced(
        &mut self,
        quantifier: Quantifier,
        filter: Option<&'a Expr>,
        body: &'a Expr,
    ) -> Result<Option<Truth>, Fault> {
        let tracing = std::mem::replace(&mut self.tracing, false);
        let truth = self.item_truth(quantifier, filter, body);
        self.tracing = tracing;
        truth
    }

    /// Explains one item of a quantifier whose variable is bound.
    fn explain_item(
        &mut self,
        quantifier: Quantifier,
        filter: Option<&'a Expr>,
        body: &'a Expr,
        observed: Truth,
        within: &mut Vec<Item>,
        out: &mut Vec<Finding>,
    ) -> Result<(), Fault> {
        if let Some(filter) = filter {
            if self.truth(filter)? == Truth::Unknown {
                self.explain(filter, Truth::Unknown, within, out)?;
                if self.truth(body)? == Truth::Unknown {
                    self.explain(body, Truth::Unknown, within, out)?;
                }
                return Ok(());
            }
        }
        match (quantifier, observed) {
            (Quantifier::None, Truth::False) => {
                self.leaf(body, Truth::True, within, out);
                Ok(())
            }
            _ => self.explain(body, observed, within, out),
        }
    }

    /// Counts one more condition looked into while explaining; false (and the explanation is
    /// marked as cut short) when [`MAX_EXPLAIN_STEPS`] are spent.
    fn explain_step(&mut self) -> bool {
        if self.explain_left == 0 {
            self.explain_cut = true;
            return false;
        }
        self.explain_left -= 1;
        true
    }

    /// Records why `expr` has the truth `observed` (false or unknown).
    fn explain(
        &mut self,
        expr: &'a Expr,
        observed: Truth,
        within: &mut Vec<Item>,
        out: &mut Vec<Finding>,
    ) -> Result<(), Fault> {
        if !self.explain_step() {
            return Ok(());
        }
        self.descend(expr.span)?;
        let result = self.explain_inner(expr, observed, within, out);
        self.depth -= 1;
        result
    }

    fn explain_inner(
        &mut self,
        expr: &'a Expr,
        observed: Truth,
        within: &mut Vec<Item>,
        out: &mut Vec<Finding>,
    ) -> Result<(), Fault> {
        match &expr.kind {
            ExprKind::Binary(op @ (BinaryOp::And | BinaryOp::Or | BinaryOp::Implies), lhs, rhs) => {
                // Evaluation may have stopped at the left side: a fault on the right is met
                // once the left side is explained.
                let (left, right) = (self.truth(lhs)?, self.truth(rhs));
                // `a implies b` is false only when a holds and b does not: b says why.
                let left_wanted = if *op == BinaryOp::Implies {
                    observed == Truth::Unknown && left == Truth::Unknown
                } else {
                    left == observed
                };
                let first_of_lhs = out.len();
                if left_wanted {
                    self.explain(lhs, observed, within, out)?;
                }
                if right? == observed {
                    let first_of_rhs = out.len();
                    self.explain(rhs, observed, within, out)?;
                    // Both sides of a false `or` fail: either one holding would mend it.
                    if *op == BinaryOp::Or && first_of_rhs > first_of_lhs {
                        if let Some(finding) = out.get_mut(first_of_rhs) {
                            finding.alternative = observed == Truth::False;
                        }
                    }
                }
                Ok(())
            }
            ExprKind::Unary(UnaryOp::Not, operand) if observed == Truth::Unknown => {
                self.explain(operand, observed, within, out)
            }
            ExprKind::Quantified {
                quantifier,
                var,
                list,
                filter,
                body,
                ..
            } => self.explain_quantified(
                *quantifier,
                *var,
                list,
                filter.as_deref(),
                body,
                observed,
                within,
                out,
            ),
            ExprKind::Call(def, args) => self.explain_call(*def, args, observed, within, out),
            ExprKind::DefValue(def) => self.explain_call(*def, &[], observed, within, out),
            _ => {
                self.leaf(expr, observed, within, out);
                Ok(())
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn explain_quantified(
        &mut self,
        quantifier: Quantifier,
        var: u32,
        list: &'a Expr,
        filter: Option<&'a Expr>,
        body: &'a Expr,
        observed: Truth,
        within: &mut Vec<Item>,
        out: &mut Vec<Finding>,
    ) -> Result<(), Fault> {
        let items = match self.eval(list)? {
            Value::List(items) => items,
            Value::Dangling => {
                self.leaf(list, observed, within, out);
                return Ok(());
            }
            _ => {
                self.collect_missing(list, within, out);
                return Ok(());
            }
        };
        let list_path = self.path_of(list);
        if quantifier == Quantifier::Any && observed == Truth::False {
            // The candidates are the items the `where` lets through (all, without one); as
            // none satisfies the condition, each of them fails.
            let (counted, candidates) = match filter {
                Some(filter) => {
                    let mut candidates = 0;
                    for item in items.iter() {
                        self.bind(var, item, VarPath::Unknown);
                        candidates += usize::from(self.truth(filter)? != Truth::False);
                    }
                    let counted = format!("{} item(s), {candidates} after `where`", items.len());
                    (counted, candidates)
                }
                None => (format!("{} item(s)", items.len()), items.len()),
            };
            let subject = framed(
                "no item of ",
                (list_path.as_deref(), "the list"),
                format_args!(" ({counted}) satisfies the condition"),
            );
            out.push(self.finding(FindingKind::Failed, within, subject, body.span));
            // Then why the first few candidates fail, item by item, and how many more do.
            let mut budget = Budget::new(MAX_ANY_ITEMS);
            for (index, item) in items.iter().enumerate() {
                if budget.is_spent() {
                    break;
                }
                self.bind(var, item.clone(), VarPath::Unknown);
                if self.item_truth_untraced(quantifier, filter, body)? != Some(Truth::False) {
                    continue;
                }
                budget.admit();
                let item_ref = describe_item(list_path.as_deref(), index, &item);
                self.bind(var, item, VarPath::Item(item_ref.path.clone()));
                within.push(item_ref);
                self.explain(body, Truth::False, within, out)?;
                within.pop();
            }
            budget.count_rest(candidates);
            if let Some(subject) = budget.omitted(list_path.as_deref(), observed) {
                out.push(self.finding(FindingKind::Omitted, within, subject, body.span));
            }
            return Ok(());
        }
        let mut budget = Budget::new(MAX_INNER_ITEMS);
        for (index, item) in items.iter().enumerate() {
            self.bind(var, item.clone(), VarPath::Unknown);
            let truth = self.item_truth_untraced(quantifier, filter, body)?;
            if truth != Some(observed) || !budget.admit() {
                continue;
            }
            let item_ref = describe_item(list_path.as_deref(), index, &item);
            self.bind(var, item, VarPath::Item(item_ref.path.clone()));
            within.push(item_ref);
            self.explain_item(quantifier, filter, body, observed, within, out)?;
            within.pop();
        }
        if let Some(subject) = budget.omitted(list_path.as_deref(), observed) {
            out.push(self.finding(FindingKind::Omitted, within, subject, body.span));
        }
        Ok(())
    }

    fn explain_call(
        &mut self,
        def: usize,
        args: &'a [Expr],
        observed: Truth,
        within: &mut Vec<Item>,
        out: &mut Vec<Finding>,
    ) -> Result<(), Fault> {
        let program = self.program;
        let Some(definition) = program.defs.get(def) else {
            return Ok(());
        };
        let previous = self.push_arguments(args, definition.locals)?;
        let result = self.explain(&definition.body, observed, within, out);
        self.leave(previous);
        result
    }

    /// A condition that cannot be split further.
    fn leaf(&mut self, expr: &'a Expr, observed: Truth, within: &[Item], out: &mut Vec<Finding>) {
        let before = out.len();
        self.find_dangling(expr, within, out);
        if out.len() > before {
            return;
        }
        if observed == Truth::Unknown {
            if let ExprKind::NormStatus(_, norm) = &expr.kind {
                let id = self.program.norms.get(*norm).map_or("?", |n| n.id.as_str());
                let subject = (format!("norm {id} is unknown"), None);
                out.push(self.finding(FindingKind::Missing, within, subject, expr.span));
                return;
            }
            self.collect_missing(expr, within, out);
            if out.len() == before {
                out.push(self.finding(
                    FindingKind::Missing,
                    within,
                    ("evidence is missing".into(), None),
                    expr.span,
                ));
            }
            return;
        }
        let subject = self.describe_failure(expr, observed);
        out.push(self.finding(FindingKind::Failed, within, subject, expr.span));
    }

    fn finding(
        &self,
        kind: FindingKind,
        within: &[Item],
        (text, path_in_text): Subject,
        span: Span,
    ) -> Finding {
        Finding {
            kind,
            within: within.to_vec(),
            text,
            path_in_text,
            alternative: false,
            span,
        }
    }

    /// The values behind a condition that does not hold (or, for `none`, that holds), and the
    /// evidence path of the value it is about.
    fn describe_failure(&mut self, expr: &'a Expr, observed: Truth) -> Subject {
        match &expr.kind {
            ExprKind::Binary(op, lhs, rhs) if op.is_comparison() => {
                self.describe_comparison(*op, (lhs, rhs), observed)
            }
            ExprKind::NormStatus(_, norm) => {
                let status = self.statuses.get(*norm).copied().flatten();
                let id = self.program.norms.get(*norm).map_or("?", |n| n.id.as_str());
                let status = status.map_or("not evaluated", |s| s.as_str());
                (format!("norm {id} is {status}"), None)
            }
            ExprKind::Unary(UnaryOp::Not, operand) => {
                self.describe_failure(operand, observed.not())
            }
            ExprKind::Builtin(crate::check::Builtin::Exists, args) => {
                let Some(arg) = args.first() else {
                    return ("the condition does not hold".into(), None);
                };
                let path = self.path_of(arg);
                let range = path.as_ref().map(|path| 0..path.len());
                let name = match &path {
                    Some(path) => path.clone(),
                    None => self.name_of(arg).unwrap_or_else(|| "the value".into()),
                };
                let text = match self.eval(arg) {
                    Ok(value) if observed == Truth::True => format!("{name} is {}", show(&value)),
                    _ => format!("{name} is missing"),
                };
                (text, range)
            }
            ExprKind::Builtin(builtin, args) => {
                // `name(path = value, value)`; the path is that of the first argument with one.
                let mut text = format!("{}(", builtin.name());
                let mut range = None;
                for (index, arg) in args.iter().enumerate() {
                    if index > 0 {
                        text.push_str(", ");
                    }
                    let start = text.len();
                    if self.write_path(arg, &mut text) {
                        range = range.or(Some(start..text.len()));
                        text.push_str(" = ");
                    } else {
                        text.truncate(start);
                        if self.write_name(arg, &mut text) {
                            text.push_str(" = ");
                        } else {
                            text.truncate(start);
                        }
                    }
                    match self.eval(arg) {
                        Ok(value) => show_into(&value, &mut text),
                        Err(_) => text.push('?'),
                    }
                }
                let verdict = if observed == Truth::True {
                    "true"
                } else {
                    "false"
                };
                let _ = write!(text, ") is {verdict}");
                (text, range)
            }
            _ => match (self.path_of(expr), self.eval(expr)) {
                (Some(path), Ok(value)) => {
                    let range = Some(0..path.len());
                    (format!("{path} is {}", show(&value)), range)
                }
                _ if observed == Truth::True => ("the condition holds".into(), None),
                _ => ("the condition does not hold".into(), None),
            },
        }
    }

    /// [`Ctx::describe_failure`] of a comparison: the left operand's path and value, then what
    /// was required (the right operand's name and value). The path is the left operand's, else
    /// the right one's.
    fn describe_comparison(
        &mut self,
        op: BinaryOp,
        (lhs, rhs): (&'a Expr, &'a Expr),
        observed: Truth,
    ) -> Subject {
        let (Ok(a), Ok(b)) = (self.eval(lhs), self.eval(rhs)) else {
            return ("the condition does not hold".into(), None);
        };
        let mut text = String::with_capacity(96);
        let lhs_path = if self.write_path(lhs, &mut text) {
            let range = 0..text.len();
            text.push_str(" is ");
            show_into(&a, &mut text);
            Some(range)
        } else {
            // A computed value (`days_between(a.date, today)`) says which value it is from.
            text.clear();
            text.push_str("found ");
            show_into(&a, &mut text);
            let mut sources = Vec::new();
            self.read_paths(lhs, &mut sources);
            let first = sources.first().map(|source| {
                let start = text.len() + " (from ".len();
                start..start + source.len()
            });
            if !sources.is_empty() {
                text.push_str(" (from ");
                text.push_str(&list_words(&sources));
                text.push(')');
            }
            first
        };
        // Under `none`, the item fails because the condition holds.
        text.push_str(if observed == Truth::True {
            ", which is "
        } else {
            "; required "
        });
        text.push_str(op.as_str());
        text.push(' ');
        let mark = text.len();
        if self.write_name(rhs, &mut text) {
            text.push_str(" (");
            show_into(&b, &mut text);
            text.push(')');
        } else {
            text.truncate(mark);
            show_into(&b, &mut text);
        }
        match lhs_path {
            Some(range) => (text, Some(range)),
            // The right operand's name, when it is its path.
            None => {
                let rhs_path = self.path_of(rhs);
                let end = mark + rhs_path.as_ref().map_or(0, String::len);
                let range = rhs_path.filter(|path| text.get(mark..end) == Some(path));
                (text, range.map(|_| mark..end))
            }
        }
    }

    /// Appends the paths of the document values `expr` reads, in order and each once, up to
    /// [`MAX_SOURCES`]: its own when it is a path, else those inside it, looking into the
    /// definitions it uses with their parameters bound to the arguments. Names the values a
    /// computed one comes from, such as `days_between(a.date, b.date)` or `phone_of(s)`.
    fn read_paths(&mut self, expr: &'a Expr, out: &mut Vec<String>) {
        if out.len() >= MAX_SOURCES {
            return;
        }
        if let Some(path) = self.path_of(expr) {
            if !out.contains(&path) {
                out.push(path);
            }
            return;
        }
        let (def, args) = match &expr.kind {
            ExprKind::Call(def, args) => (Some(*def), args.as_slice()),
            ExprKind::DefValue(def) => (Some(*def), &[][..]),
            _ => (None, &[][..]),
        };
        let program = self.program;
        match def.and_then(|def| program.defs.get(def)) {
            Some(definition) => self.in_def_frame(definition.locals, args, |ctx| {
                ctx.read_paths(&definition.body, out)
            }),
            None => {
                for child in children(expr) {
                    self.read_paths(child, out);
                }
            }
        }
    }

    /// How evidence names an operand: its path, or the parameter or definition it reads.
    fn name_of(&mut self, expr: &'a Expr) -> Option<String> {
        let mut name = String::new();
        self.write_name(expr, &mut name).then_some(name)
    }

    /// Appends [`Ctx::name_of`] to `out`; false (with `out` partly written) when the operand
    /// has no name.
    fn write_name(&mut self, expr: &'a Expr, out: &mut String) -> bool {
        let program = self.program;
        match &expr.kind {
            ExprKind::Param(param) => match program.params.get(*param) {
                Some(param) => {
                    out.push_str(&param.name);
                    true
                }
                None => false,
            },
            ExprKind::DefValue(def) => {
                let mark = out.len();
                if self.write_path(expr, out) {
                    return true;
                }
                out.truncate(mark);
                match program.defs.get(*def) {
                    Some(definition) => {
                        out.push_str(&definition.name);
                        true
                    }
                    None => false,
                }
            }
            ExprKind::Const(_) => false,
            // A definition's parameter is named as the caller named its argument, so that
            // evidence inside a definition still says which parameter of the policy it met.
            ExprKind::Local(slot) => match self.paths.get(self.base + *slot as usize) {
                Some(&VarPath::Argument(arg, caller_base)) => {
                    let callee_base = std::mem::replace(&mut self.base, caller_base);
                    let written = self.write_name(arg, out);
                    self.base = callee_base;
                    written
                }
                _ => self.write_path(expr, out),
            },
            _ => self.write_path(expr, out),
        }
    }

    /// Records every missing path `expr` reads.
    pub(super) fn collect_missing(
        &mut self,
        expr: &'a Expr,
        within: &[Item],
        out: &mut Vec<Finding>,
    ) {
        if !self.explain_step() {
            return;
        }
        let Ok(value) = self.eval(expr) else { return };
        // A count known only between bounds lacks the evidence of its unknown items.
        if !value.is_unknown() {
            return;
        }
        if let Some(path) = self.missing_path(expr) {
            let range = Some(0..path.len());
            let subject = (path, range);
            out.push(self.finding(FindingKind::Missing, within, subject, expr.span));
            return;
        }
        match &expr.kind {
            ExprKind::Call(def, args) => {
                let program = self.program;
                for arg in args {
                    self.collect_missing(arg, within, out);
                }
                if let Some(definition) = program.defs.get(*def) {
                    self.in_def_frame(definition.locals, args, |ctx| {
                        ctx.collect_missing(&definition.body, within, out)
                    });
                }
            }
            ExprKind::DefValue(def) => {
                let found = self.missing_in_def_value(*def);
                out.extend(found.iter().map(|finding| Finding {
                    within: within.to_vec(),
                    ..finding.clone()
                }));
            }
            ExprKind::Quantified {
                var,
                list,
                filter,
                body,
                ..
            } => self.missing_in_items(*var, list, filter.as_deref(), Some(body), within, out),
            ExprKind::Collect {
                kind,
                var,
                list,
                filter,
                key,
            } => {
                let key = key.as_deref();
                self.missing_in_items(*var, list, filter.as_deref(), key, within, out);
                if *kind == CollectKind::Latest {
                    if let Ok(Value::List(items)) = self.eval(list) {
                        if items.is_empty() {
                            let path = self.path_of(list);
                            let subject = framed(
                                "",
                                (path.as_deref(), "the list"),
                                format_args!(" has no item"),
                            );
                            out.push(self.finding(
                                FindingKind::Missing,
                                within,
                                subject,
                                expr.span,
                            ));
                        }
                    }
                }
            }
            _ => {
                for child in children(expr) {
                    self.collect_missing(child, within, out);
                }
            }
        }
    }

    fn missing_in_items(
        &mut self,
        var: u32,
        list: &'a Expr,
        filter: Option<&'a Expr>,
        body: Option<&'a Expr>,
        within: &[Item],
        out: &mut Vec<Finding>,
    ) {
        let Ok(Value::List(items)) = self.eval(list) else {
            self.collect_missing(list, within, out);
            return;
        };
        let list_path = self.path_of(list);
        let mut budget = Budget::new(MAX_INNER_ITEMS);
        for (index, item) in items.iter().enumerate() {
            // Decide first, without paths, whether the item lacks anything: most do not.
            self.bind(var, item.clone(), VarPath::Unknown);
            let filter_unknown = match filter.map(|filter| self.truth(filter)) {
                Some(Ok(Truth::False) | Err(_)) => continue,
                Some(Ok(Truth::Unknown)) => true,
                Some(Ok(Truth::True)) | None => false,
            };
            let body_missing = !filter_unknown
                && body.is_some_and(|body| self.eval(body).is_ok_and(|v| v.is_unknown()));
            if (!filter_unknown && !body_missing) || !budget.admit() {
                continue;
            }
            let item_ref = describe_item(list_path.as_deref(), index, &item);
            self.bind(var, item, VarPath::Item(item_ref.path));
            match (filter_unknown, filter, body) {
                (true, Some(filter), _) | (false, _, Some(filter)) => {
                    self.collect_missing(filter, within, out)
                }
                _ => {}
            }
        }
        if let Some(subject) = budget.omitted(list_path.as_deref(), Truth::Unknown) {
            out.push(self.finding(FindingKind::Omitted, within, subject, list.span));
        }
    }

    /// The missing evidence inside definition `def`, which has no parameters (with no items
    /// around it): collected once per document, since a definition read by every item of a
    /// long list would otherwise be re-explained for each.
    fn missing_in_def_value(&mut self, def: usize) -> std::rc::Rc<[Finding]> {
        if let Some(found) = self.def_missing.get(&def) {
            return found.clone();
        }
        let program = self.program;
        let mut found = Vec::new();
        if let Some(definition) = program.defs.get(def) {
            self.in_def_frame(definition.locals, &[], |ctx| {
                ctx.collect_missing(&definition.body, &[], &mut found)
            });
        }
        let found: std::rc::Rc<[Finding]> = found.into();
        // A list cut short is not the definition's: it is not remembered.
        if !self.explain_cut {
            self.def_missing.insert(def, found.clone());
        }
        found
    }

    /// Runs `run` in a frame for a definition called with `args`; does nothing past the
    /// nesting limit (evidence is then shorter, never a stack overflow).
    fn in_def_frame(&mut self, locals: u32, args: &'a [Expr], run: impl FnOnce(&mut Self)) {
        if self.depth >= super::interp::MAX_EVAL_DEPTH {
            return;
        }
        self.depth += 1;
        if let Ok(previous) = self.push_arguments(args, locals) {
            run(self);
            self.leave(previous);
        }
        self.depth -= 1;
    }

    /// The path of a missing value read by a path expression, down to the field asked for.
    fn missing_path(&mut self, expr: &'a Expr) -> Option<String> {
        match &expr.kind {
            ExprKind::Root(_) | ExprKind::Local(_) => self.path_of(expr),
            ExprKind::Field(base, name, _) => {
                let base_value = self.eval(base).ok()?;
                let mut path = if base_value.is_missing() {
                    self.missing_path(base)?
                } else {
                    self.path_of(base)?
                };
                path.push('.');
                path.push_str(name);
                Some(path)
            }
            ExprKind::Index(base, _) => self.path_of(expr).or_else(|| self.missing_path(base)),
            _ => None,
        }
    }

    /// Records every reference in `expr` that names no element.
    fn find_dangling(&mut self, expr: &'a Expr, within: &[Item], out: &mut Vec<Finding>) {
        if !self.may_dangle {
            return;
        }
        let Ok(value) = self.eval(expr) else { return };
        let is_resolves = matches!(
            &expr.kind,
            ExprKind::Builtin(crate::check::Builtin::Resolves, _)
        );
        let dangles = matches!(value, Value::Dangling)
            || (is_resolves && matches!(value, Value::Bool(false)));
        if !dangles && !children(expr).any(|child| self.is_dangling(child)) {
            return;
        }
        let target = match &expr.kind {
            ExprKind::Deref(base, root_field) => Some((base.as_ref(), *root_field)),
            ExprKind::Builtin(crate::check::Builtin::Resolves, args) => {
                args.first().and_then(|arg| match arg.ty {
                    crate::check::Type::Ref(root_field) => Some((arg, root_field)),
                    _ => None,
                })
            }
            _ => None,
        };
        if let Some((base, root_field)) = target {
            if let Ok(Value::Str(id)) = self.eval(base) {
                let list = self.root_field_name(root_field).unwrap_or("?");
                let path = self.path_of(base);
                // The finding's kind says it dangles; its text says which reference.
                let subject = framed(
                    "",
                    (path.as_deref(), "a reference"),
                    format_args!(" = \"{id}\" names no entry of {list}"),
                );
                out.push(self.finding(FindingKind::Dangling, within, subject, expr.span));
                return;
            }
        }
        let before = out.len();
        for child in children(expr) {
            self.find_dangling(child, within, out);
        }
        if out.len() == before {
            self.find_dangling_in_definition(expr, within, out);
        }
    }

    /// When `expr` uses a definition whose arguments do not dangle, the dangling reference is
    /// in its body: looks there, with the parameters bound (their paths are the arguments').
    fn find_dangling_in_definition(
        &mut self,
        expr: &'a Expr,
        within: &[Item],
        out: &mut Vec<Finding>,
    ) {
        let (def, args) = match &expr.kind {
            ExprKind::Call(def, args) => (*def, args.as_slice()),
            ExprKind::DefValue(def) => (*def, &[][..]),
            _ => return,
        };
        let program = self.program;
        if let Some(definition) = program.defs.get(def) {
            self.in_def_frame(definition.locals, args, |ctx| {
                ctx.find_dangling(&definition.body, within, out)
            });
        }
    }

    /// Whether `expr` or a part of it is a dangling reference (or a `resolves` that is false).
    /// Only the kinds of expression that can give a dangling value out of values that are not
    /// dangling are evaluated; every other kind is dangling only through a part, so it is not
    /// evaluated (that kept this walk linear in the size of `expr`).
    fn is_dangling(&mut self, expr: &'a Expr) -> bool {
        use crate::check::Builtin::Resolves;
        let source = matches!(
            &expr.kind,
            ExprKind::Deref(..)
                | ExprKind::Local(_)
                | ExprKind::Call(..)
                | ExprKind::DefValue(_)
                | ExprKind::Collect { .. }
                | ExprKind::Index(..)
                | ExprKind::Builtin(Resolves, _)
        );
        if source {
            match self.eval(expr) {
                Ok(Value::Dangling) => return true,
                Ok(Value::Bool(false)) if matches!(&expr.kind, ExprKind::Builtin(Resolves, _)) => {
                    return true;
                }
                _ => {}
            }
        }
        children(expr).any(|child| self.is_dangling(child))
    }

    /// The evidence path of a path expression, such as `systems[2].owner`.
    pub(super) fn path_of(&mut self, expr: &'a Expr) -> Option<String> {
        let mut path = String::new();
        self.write_path(expr, &mut path).then_some(path)
    }

    /// Appends the evidence path of `expr` to `out`; false (with `out` partly written) when
    /// `expr` is not a path or its path cannot be told.
    fn write_path(&mut self, expr: &'a Expr, out: &mut String) -> bool {
        match &expr.kind {
            ExprKind::Root(index) => match self.root_field_name(*index) {
                Some(name) => {
                    out.push_str(name);
                    true
                }
                None => false,
            },
            ExprKind::Field(base, name, _) => {
                let written = self.write_path(base, out);
                out.push('.');
                out.push_str(name);
                written
            }
            ExprKind::Deref(base, root_field) => {
                let Ok(id) = self.eval(base) else {
                    return false;
                };
                let (Some(index), Some(list)) = (
                    self.deref(&id, *root_field).1,
                    self.root_field_name(*root_field),
                ) else {
                    return false;
                };
                out.push_str(list);
                push_index(out, index);
                true
            }
            ExprKind::Local(slot) => self.write_variable_path(*slot, out),
            ExprKind::Index(base, index) => {
                // Only an index that names an item (a whole number from 0) is a path.
                let Ok(Value::Number(n)) = self.eval(index) else {
                    return false;
                };
                if n < 0.0 || n.fract() != 0.0 || n > u32::MAX as f64 {
                    return false;
                }
                let written = self.write_path(base, out);
                push_index(out, n as usize);
                written
            }
            ExprKind::DefValue(def) => {
                let program = self.program;
                let Some(definition) = program.defs.get(*def) else {
                    return false;
                };
                let mut written = false;
                self.in_def_frame(definition.locals, &[], |ctx| {
                    written = ctx.write_path(&definition.body, out)
                });
                written
            }
            ExprKind::Collect {
                kind: CollectKind::Latest,
                list,
                ..
            } => {
                let (Ok(Value::Object(chosen)), Ok(Value::List(items))) =
                    (self.eval(expr), self.eval(list))
                else {
                    return false;
                };
                let Some(index) = items
                    .iter()
                    .position(|item| matches!(item, Value::Object(o) if o.is(&chosen)))
                else {
                    return false;
                };
                let written = self.write_path(list, out);
                push_index(out, index);
                written
            }
            _ => false,
        }
    }

    /// Appends the evidence path of variable `slot` of the current frame; a parameter's is its
    /// argument's, read in the caller's frame.
    fn write_variable_path(&mut self, slot: u32, out: &mut String) -> bool {
        match self.paths.get(self.base + slot as usize) {
            Some(VarPath::Item(path)) => {
                out.push_str(path);
                true
            }
            Some(&VarPath::Argument(arg, caller_base)) => {
                let callee_base = std::mem::replace(&mut self.base, caller_base);
                let written = self.write_path(arg, out);
                self.base = callee_base;
                written
            }
            Some(VarPath::Unknown) | None => false,
        }
    }

    /// The name of root field `index`.
    fn root_field_name(&self, index: usize) -> Option<&'a str> {
        let program: &'a crate::check::Program = self.program;
        let field = program.schema.root_object().fields.get(index)?;
        Some(field.name.as_str())
    }

    /// The `else` message with its values filled in.
    pub(super) fn render_message(&mut self, segments: &'a [Segment]) -> String {
        let mut text = String::with_capacity(128);
        for segment in segments {
            match segment {
                Segment::Text(literal) => text.push_str(literal),
                Segment::Value(expr) => match self.eval(expr) {
                    Ok(value) => value::display(&value, &mut text),
                    Err(_) => text.push('?'),
                },
            }
        }
        text
    }
}

/// How many items of a list are explained one by one; the others are counted, and one
/// [`FindingKind::Omitted`] finding says how many.
struct Budget {
    limit: usize,
    explained: usize,
    omitted: usize,
}

impl Budget {
    fn new(limit: usize) -> Self {
        Budget {
            limit,
            explained: 0,
            omitted: 0,
        }
    }

    /// Takes one more item to explain: true when it is within the limit, false when it is
    /// only counted.
    fn admit(&mut self) -> bool {
        if self.explained < self.limit {
            self.explained += 1;
            true
        } else {
            self.omitted += 1;
            false
        }
    }

    /// True when no more item will be explained.
    fn is_spent(&self) -> bool {
        self.explained == self.limit
    }

    /// Counts as omitted the items of `total` not explained, when the rest of a list is not
    /// looked at once the budget is spent.
    fn count_rest(&mut self, total: usize) {
        self.omitted = total.saturating_sub(self.explained);
    }

    /// The text of the finding for the items not explained (that fail, or lack evidence,
    /// like those before them), when there are some.
    fn omitted(&self, list_path: Option<&str>, observed: Truth) -> Option<Subject> {
        let omitted = self.omitted;
        if omitted == 0 {
            return None;
        }
        let how = match (observed == Truth::False, omitted == 1) {
            (true, true) => "fails",
            (true, false) => "fail",
            (false, true) => "lacks evidence",
            (false, false) => "lack evidence",
        };
        let items = if omitted == 1 { "item" } else { "items" };
        Some(framed(
            &format!("{omitted} more {items} of "),
            (list_path, "the list"),
            format_args!(" {how} likewise (not listed)"),
        ))
    }
}

/// Drops findings equal (kind, items, text) to an earlier one.
fn dedup(findings: &mut Vec<Finding>) {
    if findings.len() < 2 {
        return;
    }
    let keep: Vec<bool> = {
        let mut seen: std::collections::HashSet<_, foldhash::fast::FixedState> =
            std::collections::HashSet::with_capacity_and_hasher(findings.len(), Default::default());
        findings
            .iter()
            .map(|f| seen.insert((f.kind, f.text.as_str(), f.within.as_slice())))
            .collect()
    };
    let mut keep = keep.into_iter();
    findings.retain(|_| keep.next().unwrap_or(true));
}

/// Most values a computed value is said to come from.
const MAX_SOURCES: usize = 3;

/// `a`, `a and b`, `a, b and c`.
fn list_words(words: &[String]) -> String {
    match words {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// Appends `[index]`.
fn push_index(out: &mut String, index: usize) {
    out.push('[');
    out.push_str(itoa::Buffer::new().format(index));
    out.push(']');
}

/// The item at `index` of a list with path `list_path`.
fn describe_item(list_path: Option<&str>, index: usize, item: &Value<'_>) -> Item {
    let base = list_path.unwrap_or("item");
    let mut path = String::with_capacity(base.len() + 6);
    path.push_str(base);
    push_index(&mut path, index);
    let id = match item {
        Value::Object(object) => object.id().map(str::to_string),
        // A list of references: the item is the id.
        Value::Str(id) => Some(id.to_string()),
        _ => None,
    };
    Item { path, id }
}

/// The direct subexpressions of `expr` (of a quantifier or collection, only its list).
fn children(expr: &Expr) -> impl Iterator<Item = &Expr> {
    let (pair, args): ([Option<&Expr>; 2], &[Expr]) = match &expr.kind {
        ExprKind::Field(base, _, _) | ExprKind::Deref(base, _) | ExprKind::Unary(_, base) => {
            ([Some(base), None], &[])
        }
        ExprKind::Binary(_, lhs, rhs) | ExprKind::Index(lhs, rhs) => ([Some(lhs), Some(rhs)], &[]),
        ExprKind::Builtin(_, args) | ExprKind::List(args) | ExprKind::Call(_, args) => {
            ([None, None], args)
        }
        ExprKind::Quantified { list, .. } | ExprKind::Collect { list, .. } => {
            ([Some(list), None], &[])
        }
        _ => ([None, None], &[]),
    };
    pair.into_iter().flatten().chain(args)
}
