//! The interpreter: computes the value of a checked expression for one document, with the
//! three-valued logic of the language. It records nothing but the value; [`super::explain`]
//! re-walks failing and unknown conditions to say why.

use std::borrow::Cow;
use std::cell::OnceCell;
use std::cmp::Ordering;
use std::collections::HashMap;
use std::rc::Rc;

use super::bounds;
use super::doc::{Doc, Node};
use super::value::{self, Identity, List, Truth, Value, from_const, from_node};
use crate::check::{Builtin, Const, Expr, ExprKind, NormId, NormQuery, Program, Status, Type};
use crate::date::Date;
use crate::syntax::Span;
use crate::syntax::ast::{BinaryOp, CollectKind, Quantifier, UnaryOp};

/// Where the evidence path of a variable comes from; kept only while explaining.
#[derive(Clone, Debug, Default)]
pub(super) enum VarPath<'a> {
    /// Not known (or not needed: the variable was bound while not explaining).
    #[default]
    Unknown,
    /// An item of a list being explained, such as `systems[3]`.
    Item(String),
    /// A definition's parameter: the path of its argument expression, read in the caller's
    /// frame, which starts at this base (built only when evidence names the parameter).
    Argument(&'a Expr, usize),
}

/// A run-time fault: the norm being evaluated gets the status `error`.
#[derive(Clone, Debug, PartialEq)]
pub enum Fault {
    /// A division by zero.
    DivisionByZero(Span),
    /// Date arithmetic left the supported range of years.
    DateOutOfRange(Span),
    /// `passes`/`fails` of a norm whose status is `error`.
    DependsOnError(NormId, Span),
    /// Definitions call each other more deeply than evaluation allows.
    TooDeep(Span),
    /// Evaluating the norm called definitions more than [`MAX_DEF_CALLS`] times (definitions
    /// that use another more than once branch exponentially).
    TooCostly(Span),
    /// The program broke an invariant of the checker (a bug, reported rather than panicking).
    Internal(Span),
}

impl Fault {
    /// Where in the policy it happened.
    pub fn span(&self) -> Span {
        match self {
            Fault::DivisionByZero(span)
            | Fault::DateOutOfRange(span)
            | Fault::DependsOnError(_, span)
            | Fault::TooDeep(span)
            | Fault::TooCostly(span)
            | Fault::Internal(span) => *span,
        }
    }
}

/// Deepest nesting of expressions evaluated at once, definition bodies included.
pub const MAX_EVAL_DEPTH: u32 = 256;

/// Most definition bodies evaluated for one norm on one document (calls answered from the
/// memo are free): far above what a norm over thousands of items needs, and a bound on a
/// policy whose definitions branch exponentially (without calls, the work of a norm grows
/// only with its size and the lists it ranges over).
pub const MAX_DEF_CALLS: u64 = 10_000_000;

/// Root lists longer than this are indexed by id for following references.
const INDEX_FROM: usize = 16;

/// Result of evaluating an expression.
pub type Eval<'a> = Result<Value<'a>, Fault>;

/// The state of evaluating one document: the inputs, the statuses of the norms evaluated so
/// far and the variable slots.
pub struct Ctx<'a> {
    /// The checked program.
    pub program: &'a Program,
    /// The jurisdiction document.
    pub doc: &'a Doc,
    /// The value of every parameter.
    pub params: &'a [Const],
    /// The evaluation date.
    pub today: Date,
    /// Status of each norm evaluated so far.
    pub statuses: Vec<Option<Status>>,
    /// Where the root object's fields start, when the document is an object.
    root_fields: Option<u32>,
    /// For each root list that references point into, its elements by id (built on first use,
    /// for lists longer than [`INDEX_FROM`]).
    ref_index: Vec<OnceCell<HashMap<&'a str, usize>>>,
    /// Variable slots of every active frame.
    pub(super) locals: Vec<Value<'a>>,
    /// Where the evidence paths of the variables come from (filled only while explaining).
    pub(super) paths: Vec<VarPath<'a>>,
    /// Start of the current frame in `locals`.
    pub(super) base: usize,
    /// True while explaining: variables carry their evidence paths.
    pub(super) tracing: bool,
    /// Nesting of expressions being evaluated, across definition calls.
    pub(super) depth: u32,
    /// Definition bodies evaluated for the current norm (see [`MAX_DEF_CALLS`]).
    pub(super) calls_made: u64,
    /// Conditions the explanation of the current requirement may still look into (see
    /// [`super::explain`]); when none is left, it stops and says so.
    pub(super) explain_left: u32,
    /// True when the explanation of the current requirement stopped for want of them.
    pub(super) explain_cut: bool,
    /// False when the norm being evaluated can meet no dangling reference (see
    /// [`super::facts`]): explaining it then skips the search for one.
    pub(super) may_dangle: bool,
    /// The value of each definition without parameters, once computed: it depends only on
    /// the document and the parameters, so it is the same wherever it is used.
    def_values: Vec<Option<Value<'a>>>,
    /// The missing evidence inside each definition without parameters, once collected (for
    /// explaining): like its value, it is the same wherever the definition is used.
    pub(super) def_missing: HashMap<usize, Rc<[super::explain::Finding]>>,
    /// For each definition, whether its calls are remembered (see [`super::facts`]).
    memoizable: &'a [bool],
    /// The value of each remembered call, by definition and arguments.
    calls: HashMap<CallKey, Value<'a>, foldhash::fast::FixedState>,
}

/// Room for remembered calls made at the start of a document (a document with 20 systems
/// and a few definitions per system makes about a hundred).
const MEMO_CAPACITY: usize = 256;

/// Most arguments a remembered call may have.
const MAX_MEMO_ARGS: usize = 3;

/// A call of a definition, identified by the definition and its arguments' identities.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
struct CallKey {
    def: usize,
    args: [Identity; MAX_MEMO_ARGS],
}

impl<'a> Ctx<'a> {
    /// A context for `doc`; calls of the definitions marked in `memoizable` are remembered.
    pub fn new(
        program: &'a Program,
        doc: &'a Doc,
        params: &'a [Const],
        memoizable: &'a [bool],
        today: Date,
    ) -> Self {
        Ctx {
            program,
            doc,
            params,
            today,
            statuses: vec![None; program.norms.len()],
            root_fields: match doc.root() {
                Some(Node::Object { first, .. }) => Some(first),
                _ => None,
            },
            ref_index: program
                .schema
                .root_object()
                .fields
                .iter()
                .map(|_| OnceCell::new())
                .collect(),
            locals: Vec::new(),
            paths: Vec::new(),
            base: 0,
            tracing: false,
            depth: 0,
            calls_made: 0,
            explain_left: 0,
            explain_cut: false,
            may_dangle: true,
            def_values: vec![None; program.defs.len()],
            def_missing: HashMap::new(),
            memoizable,
            calls: HashMap::with_capacity_and_hasher(MEMO_CAPACITY, Default::default()),
        }
    }

    /// Starts a frame of `slots` variables for a norm; returns the previous base.
    pub(super) fn enter(&mut self, slots: u32) -> usize {
        let previous = self.base;
        self.base = self.locals.len();
        let size = self.base + slots as usize;
        self.locals.resize(size, Value::Missing);
        previous
    }

    /// Ends the current frame.
    pub(super) fn leave(&mut self, previous: usize) {
        self.locals.truncate(self.base);
        self.paths.truncate(self.base);
        self.base = previous;
    }

    /// Sets variable `slot` of the current frame (and, while explaining, where its path comes
    /// from).
    pub(super) fn bind(&mut self, slot: u32, value: Value<'a>, path: VarPath<'a>) {
        let index = self.base + slot as usize;
        if let Some(cell) = self.locals.get_mut(index) {
            *cell = value;
        }
        if self.tracing {
            self.set_path(index, path);
        }
    }

    /// Records where the path of the variable at `index` of the slot stack comes from. The
    /// paths are kept only while explaining, so the list grows here as needed (and never
    /// reaches past the slot stack: [`Ctx::leave`] cuts both).
    fn set_path(&mut self, index: usize, path: VarPath<'a>) {
        if self.paths.len() <= index {
            self.paths.resize(index + 1, VarPath::Unknown);
        }
        self.paths[index] = path;
    }

    /// The truth of a condition.
    #[inline]
    pub fn truth(&mut self, expr: &'a Expr) -> Result<Truth, Fault> {
        // Conditions that compute a truth are asked for it directly, without the round trip
        // through a `Value` (the same truth: see [`Ctx::binary`] and [`Ctx::eval_inner`]).
        let direct = match &expr.kind {
            ExprKind::Binary(op @ (BinaryOp::And | BinaryOp::Or | BinaryOp::Implies), lhs, rhs) => {
                Direct::Logic(*op, lhs, rhs)
            }
            ExprKind::Binary(op, lhs, rhs) if op.is_comparison() => {
                Direct::Comparison(*op, lhs, rhs)
            }
            _ => return in_place(&self.eval(expr)).map(Value::truth),
        };
        self.descend(expr.span)?;
        let truth = match direct {
            Direct::Logic(op, lhs, rhs) => self.logic(op, lhs, rhs),
            Direct::Comparison(op, lhs, rhs) => self
                .comparison(op, lhs, rhs)
                .map(|truth| truth.unwrap_or(Truth::False)),
        };
        self.depth -= 1;
        truth
    }

    /// The value of `expr`.
    pub fn eval(&mut self, expr: &'a Expr) -> Eval<'a> {
        self.descend(expr.span)?;
        let value = self.eval_inner(expr);
        self.depth -= 1;
        value
    }

    /// Counts one more level of nesting; refuses past [`MAX_EVAL_DEPTH`] so that no policy
    /// overflows the stack (each definition body may be nested as deeply as the parser allows,
    /// and definitions may call each other in long chains).
    pub(super) fn descend(&mut self, span: Span) -> Result<(), Fault> {
        if self.depth >= MAX_EVAL_DEPTH {
            return Err(Fault::TooDeep(span));
        }
        self.depth += 1;
        Ok(())
    }

    fn eval_inner(&mut self, expr: &'a Expr) -> Eval<'a> {
        match &expr.kind {
            ExprKind::Const(constant) => Ok(from_const(constant)),
            ExprKind::Today => Ok(Value::Date(self.today)),
            ExprKind::Root(index) => Ok(self.root(*index)),
            // Matched in place (see [`in_place`]).
            ExprKind::Field(base, _, index) => match self.eval(base) {
                Ok(Value::Object(object)) => Ok(object.field(*index)),
                Ok(Value::Dangling) => Ok(Value::Dangling),
                Ok(_) => Ok(Value::Missing),
                Err(fault) => Err(fault),
            },
            ExprKind::Deref(base, root_field) => {
                let id = self.eval(base);
                Ok(self.deref(in_place(&id)?, *root_field).0)
            }
            ExprKind::Local(slot) => self
                .locals
                .get(self.base + *slot as usize)
                .cloned()
                .ok_or(Fault::Internal(expr.span)),
            ExprKind::Param(param) => self
                .params
                .get(*param)
                .map(from_const)
                .ok_or(Fault::Internal(expr.span)),
            ExprKind::DefValue(def) => self.def_value(*def, expr.span),
            ExprKind::Call(def, args) => self.call(*def, args, expr.span),
            ExprKind::Builtin(builtin, args) => self.builtin(*builtin, args, expr.span),
            ExprKind::Unary(op, operand) => self.unary(*op, operand, expr.span),
            ExprKind::Binary(op, lhs, rhs) => self.binary(*op, lhs, rhs, expr.span),
            ExprKind::Quantified {
                quantifier,
                var,
                list,
                filter,
                body,
                ..
            } => {
                let parts = (list.as_ref(), filter.as_deref(), body.as_ref());
                let truth = self.quantified(*quantifier, *var, parts, None)?;
                Ok(truth.value())
            }
            ExprKind::Collect {
                kind,
                var,
                list,
                filter,
                key,
            } => self.collect(*kind, *var, list, filter.as_deref(), key.as_deref()),
            ExprKind::List(items) => {
                let values = items
                    .iter()
                    .map(|item| self.eval(item))
                    .collect::<Result<Vec<_>, _>>()?;
                Ok(Value::List(List::Values(Rc::from(values))))
            }
            ExprKind::Index(base, index) => {
                let base = self.eval(base);
                let base = in_place(&base)?;
                let index = self.eval(index);
                Ok(index_value(base, in_place(&index)?))
            }
            ExprKind::NormStatus(query, norm) => self.norm_status(*query, *norm, expr.span),
            ExprKind::Error => Err(Fault::Internal(expr.span)),
        }
    }

    /// The root field with index `index`.
    pub(super) fn root(&self, index: usize) -> Value<'a> {
        from_node(self.doc, self.root_node(index))
    }

    fn root_node(&self, index: usize) -> Node {
        self.root_fields
            .map_or(Node::Missing, |first| self.doc.field(first, index))
    }

    /// Follows a reference: the element of root list `root_field` whose `id` is `id`, and its
    /// index; dangling when none has it.
    pub(super) fn deref(&self, id: &Value<'a>, root_field: usize) -> (Value<'a>, Option<usize>) {
        let id = match id {
            Value::Str(id) => id,
            Value::Dangling => return (Value::Dangling, None),
            _ => return (Value::Missing, None),
        };
        let Node::List { first, len } = self.root_node(root_field) else {
            return (Value::Dangling, None);
        };
        let doc = self.doc;
        let items = (first..first.saturating_add(len)).map(|index| doc.node(index));
        let found = if len as usize <= INDEX_FROM {
            items
                .clone()
                .position(|item| doc.id_of(item) == Some(id.as_ref()))
        } else {
            let index = self.ref_index.get(root_field).map(|cell| {
                cell.get_or_init(|| {
                    let mut map = HashMap::with_capacity(len as usize);
                    for (index, item) in items.clone().enumerate() {
                        if let Some(id) = doc.id_of(item) {
                            map.entry(id).or_insert(index);
                        }
                    }
                    map
                })
            });
            index.and_then(|map| map.get(id.as_ref()).copied())
        };
        let found = found.map(|index| (doc.node(first + index as u32), index));
        match found {
            Some((node @ Node::Object { .. }, index)) => (from_node(doc, node), Some(index)),
            _ => (Value::Dangling, None),
        }
    }

    /// The value of definition `def`, which has no parameters: computed once per document.
    fn def_value(&mut self, def: usize, span: Span) -> Eval<'a> {
        if let Some(Some(value)) = self.def_values.get(def) {
            return Ok(value.clone());
        }
        let value = self.call(def, &[], span)?;
        if let Some(slot) = self.def_values.get_mut(def) {
            *slot = Some(value.clone());
        }
        Ok(value)
    }

    /// Counts one more evaluation of a definition's body; refuses past [`MAX_DEF_CALLS`].
    fn count_call(&mut self, span: Span) -> Result<(), Fault> {
        self.calls_made += 1;
        if self.calls_made > MAX_DEF_CALLS {
            return Err(Fault::TooCostly(span));
        }
        Ok(())
    }

    fn call(&mut self, def: usize, args: &'a [Expr], span: Span) -> Eval<'a> {
        let program = self.program;
        let definition = program.defs.get(def).ok_or(Fault::Internal(span))?;
        let memoizable = self.memoizable.get(def).copied().unwrap_or(false);
        if !memoizable || args.len() > MAX_MEMO_ARGS {
            self.count_call(span)?;
            let previous = self.push_arguments(args, definition.locals)?;
            let result = self.eval(&definition.body);
            self.leave(previous);
            return result;
        }
        // The arguments first: a call made before with the same ones is answered from the
        // memo, without a frame.
        let mut values = [Value::Missing, Value::Missing, Value::Missing];
        let mut key = Some(CallKey {
            def,
            args: [(0, 0, 0); MAX_MEMO_ARGS],
        });
        for (index, arg) in args.iter().enumerate() {
            let value = self.eval(arg)?;
            match (&mut key, value::identity(&value)) {
                (Some(key), Some(identity)) => key.args[index] = identity,
                _ => key = None,
            }
            values[index] = value;
        }
        if let Some(value) = key.as_ref().and_then(|key| self.calls.get(key)) {
            return Ok(value.clone());
        }
        self.count_call(span)?;
        let start = self.locals.len();
        self.locals.extend(values.into_iter().take(args.len()));
        let previous = self.start_frame(start, args, definition.locals);
        let result = self.eval(&definition.body);
        self.leave(previous);
        if let (Some(key), Ok(value)) = (key, &result) {
            self.calls.insert(key, value.clone());
        }
        result
    }

    /// Evaluates `args` in the current frame and starts a frame whose first slots hold them
    /// (the callee's frame is sized when the checker's slot count is larger); returns the
    /// previous base for [`Ctx::leave`]. The values go straight onto the slot stack, so a call
    /// allocates nothing once the stack has grown.
    pub(super) fn push_arguments(&mut self, args: &'a [Expr], slots: u32) -> Result<usize, Fault> {
        let start = self.locals.len();
        for arg in args {
            match self.eval(arg) {
                Ok(value) => self.locals.push(value),
                Err(fault) => {
                    self.locals.truncate(start);
                    self.paths.truncate(start);
                    return Err(fault);
                }
            }
        }
        Ok(self.start_frame(start, args, slots))
    }

    /// Starts a frame at `start` of the slot stack, whose first slots (already pushed) hold
    /// the values of `args`; returns the previous base. While explaining, each parameter keeps
    /// its argument expression and the caller's frame, so that its path is built only if
    /// evidence names it.
    fn start_frame(&mut self, start: usize, args: &'a [Expr], slots: u32) -> usize {
        if self.tracing {
            let caller = self.base;
            self.paths.resize(start, VarPath::Unknown);
            (self.paths).extend(args.iter().map(|arg| VarPath::Argument(arg, caller)));
        }
        let previous = self.base;
        self.base = start;
        if slots as usize > args.len() {
            self.locals.resize(start + slots as usize, Value::Missing);
        }
        previous
    }

    fn unary(&mut self, op: UnaryOp, operand: &'a Expr, span: Span) -> Eval<'a> {
        let value = self.eval(operand);
        Ok(match (op, in_place(&value)?) {
            // A condition that is false because it read a reference naming nothing stays
            // false under `not`: the reference must be mended, whichever way the test goes.
            (UnaryOp::Not, Value::Dangling) => Value::Dangling,
            (UnaryOp::Not, value) => value.truth().not().value(),
            (UnaryOp::Neg, Value::Number(n)) => Value::Number(-n),
            (UnaryOp::Neg, Value::Duration(days)) => Value::Duration(-days),
            (UnaryOp::Neg, Value::Between(low, high)) => Value::Between(-high, -low),
            (UnaryOp::Neg, Value::Missing) => Value::Missing,
            (UnaryOp::Neg, Value::Dangling) => Value::Dangling,
            (UnaryOp::Neg, _) => return Err(Fault::Internal(span)),
        })
    }

    fn binary(&mut self, op: BinaryOp, lhs: &'a Expr, rhs: &'a Expr, span: Span) -> Eval<'a> {
        use BinaryOp::*;
        match op {
            And | Or | Implies => Ok(self.logic(op, lhs, rhs)?.value()),
            Eq | Ne | Lt | Le | Gt | Ge | In | NotIn => Ok(self
                .comparison(op, lhs, rhs)?
                .map_or(Value::Dangling, Truth::value)),
            Add | Sub | Mul | Div => {
                let a = self.eval(lhs);
                let a = in_place(&a)?;
                let b = self.eval(rhs);
                arithmetic(op, a, in_place(&b)?, span)
            }
        }
    }

    /// The truth of a comparison; `None` when either side reads a dangling reference (false,
    /// and still false under `not`: see [`Ctx::unary`]).
    fn comparison(
        &mut self,
        op: BinaryOp,
        lhs: &'a Expr,
        rhs: &'a Expr,
    ) -> Result<Option<Truth>, Fault> {
        let a = self.eval(lhs);
        let a = in_place(&a)?;
        let b = self.eval(rhs);
        let b = in_place(&b)?;
        if matches!(a, Value::Dangling) || matches!(b, Value::Dangling) {
            return Ok(None);
        }
        Ok(Some(compare(op, a, b)))
    }

    /// `and`, `or`, `implies`, short-circuiting on a deciding left side.
    pub(super) fn logic(
        &mut self,
        op: BinaryOp,
        lhs: &'a Expr,
        rhs: &'a Expr,
    ) -> Result<Truth, Fault> {
        let left = self.truth(lhs)?;
        let left = if op == BinaryOp::Implies {
            left.not()
        } else {
            left
        };
        let decisive = if op == BinaryOp::And {
            Truth::False
        } else {
            Truth::True
        };
        if left == decisive {
            return Ok(decisive);
        }
        let right = self.truth(rhs)?;
        Ok(if right == decisive {
            decisive
        } else if left == Truth::Unknown || right == Truth::Unknown {
            Truth::Unknown
        } else {
            right
        })
    }

    /// The truth of item `index` of a quantifier: its filter, then its body.
    /// The truth of the current item of a quantifier (its variable is bound): `None` when its
    /// filter excludes it. `all x where f: c` reads `all x: f implies c`, and `any`/`none x
    /// where f: c` read `any`/`none x: f and c`, so an item whose filter is unknown is unknown
    /// unless its condition alone decides it.
    pub(super) fn item_truth(
        &mut self,
        quantifier: Quantifier,
        filter: Option<&'a Expr>,
        body: &'a Expr,
    ) -> Result<Option<Truth>, Fault> {
        let filter = match filter {
            Some(filter) => self.truth(filter)?,
            None => Truth::True,
        };
        if filter == Truth::False {
            return Ok(None);
        }
        let mut truth = self.truth(body)?;
        if quantifier == Quantifier::None {
            truth = truth.not();
        }
        if filter == Truth::Unknown {
            // Only the value that does not decide the quantifier survives an unknown filter.
            let survives = if quantifier == Quantifier::Any {
                Truth::False
            } else {
                Truth::True
            };
            if truth != survives {
                truth = Truth::Unknown;
            }
        }
        Ok(Some(truth))
    }

    /// The truth of a quantifier. With `record`, each item's truth is pushed onto it (`None`
    /// where the filter excludes the item), and `all`/`none` look at every item instead of
    /// stopping at the first failing one (see [`Ctx::requirement_truth`]).
    fn quantified(
        &mut self,
        quantifier: Quantifier,
        var: u32,
        (list, filter, body): (&'a Expr, Option<&'a Expr>, &'a Expr),
        mut record: Option<&mut Vec<Option<Truth>>>,
    ) -> Result<Truth, Fault> {
        let items = match self.eval(list)? {
            Value::List(items) => items,
            // A list reached through a reference that names nothing: false, like a
            // comparison on such a value, whatever the quantifier.
            Value::Dangling => return Ok(Truth::False),
            _ => return Ok(Truth::Unknown),
        };
        // `all` and `none` look for a failing item, `any` for a passing one.
        let decisive = if quantifier == Quantifier::Any {
            Truth::True
        } else {
            Truth::False
        };
        if let Some(truths) = record.as_deref_mut() {
            truths.reserve(items.len());
        }
        let stop_at_decisive = record.is_none() || quantifier == Quantifier::Any;
        let (mut acc, mut decided) = (decisive.not(), false);
        for item in items.iter() {
            self.bind(var, item, VarPath::Unknown);
            let truth = match self.item_truth(quantifier, filter, body) {
                Ok(truth) => truth,
                // Past the deciding item, items are evaluated only to be explained: a fault
                // there is met again, and reported, by the explanation.
                Err(_) if decided => break,
                Err(fault) => return Err(fault),
            };
            if let Some(truths) = record.as_deref_mut() {
                truths.push(truth);
            }
            match truth {
                Some(truth) if truth == decisive => {
                    decided = true;
                    if stop_at_decisive {
                        break;
                    }
                }
                Some(Truth::Unknown) => acc = Truth::Unknown,
                _ => {}
            }
        }
        Ok(if decided { decisive } else { acc })
    }

    /// The truth of a requirement. When it is a quantifier over a list, the truth of each item
    /// is also recorded in `items` (`None` where the filter excludes it), so that explaining it
    /// does not evaluate the items again; for that, `all` and `none` look at every item rather
    /// than stopping at the first failing one, up to a fault (which only the explanation meets:
    /// the truth is [`Ctx::truth`]'s).
    pub(super) fn requirement_truth(
        &mut self,
        condition: &'a Expr,
        items: &mut Vec<Option<Truth>>,
    ) -> Result<Truth, Fault> {
        items.clear();
        let ExprKind::Quantified {
            quantifier,
            var,
            list,
            filter,
            body,
            ..
        } = &condition.kind
        else {
            return self.truth(condition);
        };
        self.descend(condition.span)?;
        let truth = self.quantified(
            *quantifier,
            *var,
            (list, filter.as_deref(), body),
            Some(items),
        );
        self.depth -= 1;
        truth
    }

    fn collect(
        &mut self,
        kind: CollectKind,
        var: u32,
        list: &'a Expr,
        filter: Option<&'a Expr>,
        key: Option<&'a Expr>,
    ) -> Eval<'a> {
        let items = match self.eval(list)? {
            Value::List(items) => items,
            // A list reached through a reference that names nothing: what is made of it
            // dangles too, as a quantifier over it is false.
            Value::Dangling => return Ok(Value::Dangling),
            _ => return Ok(Value::Missing),
        };
        if kind == CollectKind::Count && filter.is_none() {
            return Ok(Value::Number(items.len() as f64));
        }
        let mut kept: Vec<Value<'a>> = Vec::new();
        // A count goes on past an item whose filter is unknown: it is then known only
        // between the items that pass and those plus the unknown ones.
        let (mut count, mut unknown) = (0usize, 0usize);
        let mut latest: Option<(Value<'a>, Value<'a>)> = None;
        for item in items.iter() {
            self.bind(var, item.clone(), VarPath::Unknown);
            if let Some(filter) = filter {
                match self.truth(filter)? {
                    Truth::False => continue,
                    Truth::Unknown if kind == CollectKind::Count => {
                        unknown += 1;
                        continue;
                    }
                    Truth::Unknown => return Ok(Value::Missing),
                    Truth::True => {}
                }
            }
            match kind {
                CollectKind::Count => count += 1,
                CollectKind::Filter => kept.push(item),
                CollectKind::Latest => {
                    let Some(key) = key else { continue };
                    let value = self.eval(key)?;
                    if matches!(value, Value::Missing | Value::Dangling | Value::Between(..)) {
                        return Ok(Value::Missing);
                    }
                    let newer = match &latest {
                        None => true,
                        Some((best, _)) => value::order(&value, best) == Some(Ordering::Greater),
                    };
                    if newer {
                        latest = Some((value, item));
                    }
                }
            }
        }
        Ok(match kind {
            CollectKind::Count => bounds::between(count as f64, (count + unknown) as f64),
            CollectKind::Filter => Value::List(List::Values(Rc::from(kept))),
            CollectKind::Latest => latest.map_or(Value::Missing, |(_, item)| item),
        })
    }

    fn norm_status(&self, query: NormQuery, norm: NormId, span: Span) -> Eval<'a> {
        let status = self
            .statuses
            .get(norm)
            .copied()
            .flatten()
            .ok_or(Fault::Internal(span))?;
        let truth = match (query, status) {
            (_, Status::Error) => return Err(Fault::DependsOnError(norm, span)),
            (_, Status::Unknown) => Truth::Unknown,
            (NormQuery::Passes, status) => Truth::from_bool(status == Status::Pass),
            // A waived norm failed: its waiver excuses the failure, it does not mend it.
            (NormQuery::Fails, status) => {
                Truth::from_bool(matches!(status, Status::Fail | Status::Waived))
            }
        };
        Ok(truth.value())
    }

    fn builtin(&mut self, builtin: Builtin, args: &'a [Expr], span: Span) -> Eval<'a> {
        let mut values: [Value<'a>; 2] = [Value::Missing, Value::Missing];
        for (slot, arg) in values.iter_mut().zip(args) {
            *slot = self.eval(arg)?;
        }
        let [a, b] = values;
        if builtin == Builtin::Exists {
            return Ok(Value::Bool(!matches!(a, Value::Missing | Value::Dangling)));
        }
        if builtin == Builtin::Resolves {
            return Ok(self.resolves(args.first(), &a));
        }
        if matches!(a, Value::Dangling) || matches!(b, Value::Dangling) {
            return Ok(Value::Dangling);
        }
        if a.is_missing() || (args.len() > 1 && b.is_missing()) {
            return Ok(Value::Missing);
        }
        if bounds::either(&a, &b) {
            return Ok(bounds::builtin(builtin, &a, &b));
        }
        apply_builtin(builtin, a, b).ok_or(Fault::Internal(span))
    }

    fn resolves(&self, arg: Option<&'a Expr>, value: &Value<'a>) -> Value<'a> {
        let Some(Type::Ref(root_field)) = arg.map(|arg| &arg.ty) else {
            return Value::Missing;
        };
        match self.deref(value, *root_field).0 {
            Value::Object(_) => Value::Bool(true),
            Value::Dangling => Value::Bool(false),
            _ => Value::Missing,
        }
    }
}

/// The value of an evaluation, read where it was returned. Moving a `Value` out of its
/// `Result` (as `?` does) copies it in two wide loads that the processor cannot forward from
/// the narrower stores that just wrote it, a stall on every node; references read each part
/// where it was stored.
fn in_place<'r, 'a>(result: &'r Eval<'a>) -> Result<&'r Value<'a>, Fault> {
    result.as_ref().map_err(Fault::clone)
}

/// Item `index` of a list value.
fn index_value<'a>(base: &Value<'a>, index: &Value<'a>) -> Value<'a> {
    match (base, index) {
        (Value::Dangling, _) | (_, Value::Dangling) => Value::Dangling,
        (Value::List(list), Value::Number(n)) if *n >= 0.0 && n.fract() == 0.0 => {
            list.get(*n as usize).unwrap_or(Value::Missing)
        }
        _ => Value::Missing,
    }
}

/// A comparison or membership test: false on a dangling reference, unknown on a missing value.
pub(super) fn compare(op: BinaryOp, a: &Value<'_>, b: &Value<'_>) -> Truth {
    use BinaryOp::*;
    if matches!(a, Value::Dangling) || matches!(b, Value::Dangling) {
        return Truth::False;
    }
    if a.is_missing() || b.is_missing() {
        return Truth::Unknown;
    }
    let decided = match op {
        Eq => value::equal(a, b),
        Ne => value::equal(a, b).map(|equal| !equal),
        In | NotIn => {
            let Value::List(list) = b else {
                return Truth::Unknown;
            };
            let truth = value::member(a, list);
            return if op == In { truth } else { truth.not() };
        }
        Lt | Le | Gt | Ge if bounds::either(a, b) => return bounds::order(op, a, b),
        Lt | Le | Gt | Ge => value::order(a, b).map(|ordering| match op {
            Lt => ordering == Ordering::Less,
            Le => ordering != Ordering::Greater,
            Gt => ordering == Ordering::Greater,
            _ => ordering != Ordering::Less,
        }),
        _ => None,
    };
    decided.map_or(Truth::Unknown, Truth::from_bool)
}

fn arithmetic<'a>(op: BinaryOp, a: &Value<'a>, b: &Value<'a>, span: Span) -> Eval<'a> {
    use BinaryOp::*;
    use Value::{Date as D, Duration as Dur, Number as N};
    let date = |days: Option<i64>| {
        days.and_then(Date::from_days)
            .map(Value::Date)
            .ok_or(Fault::DateOutOfRange(span))
    };
    match (op, a, b) {
        (_, Value::Dangling, _) | (_, _, Value::Dangling) => Ok(Value::Dangling),
        (_, Value::Missing, _) | (_, _, Value::Missing) => Ok(Value::Missing),
        (Div, _, N(0.0)) => Err(Fault::DivisionByZero(span)),
        (Div, _, Dur(0)) => Err(Fault::DivisionByZero(span)),
        (Add, N(x), N(y)) => Ok(N(decimal(x + y))),
        (Sub, N(x), N(y)) => Ok(N(decimal(x - y))),
        (Mul, N(x), N(y)) => Ok(N(decimal(x * y))),
        (Div, N(x), N(y)) => Ok(N(decimal(x / y))),
        (Add, D(d), Dur(n)) | (Add, Dur(n), D(d)) => date(d.days().checked_add(*n)),
        (Sub, D(d), Dur(n)) => date(d.days().checked_sub(*n)),
        (Sub, D(x), D(y)) => Ok(Dur(x.days() - y.days())),
        (Add, Dur(x), Dur(y)) => Ok(Dur(x.saturating_add(*y))),
        (Sub, Dur(x), Dur(y)) => Ok(Dur(x.saturating_sub(*y))),
        (Mul, Dur(x), N(n)) | (Mul, N(n), Dur(x)) => Ok(Dur((*x as f64 * n).round() as i64)),
        (Div, Dur(x), N(n)) => Ok(Dur((*x as f64 / n).round() as i64)),
        (Div, Dur(x), Dur(y)) => Ok(N(decimal(*x as f64 / *y as f64))),
        (Add, Value::Str(x), Value::Str(y)) => Ok(Value::Str(Cow::Owned(format!("{x}{y}")))),
        (_, Value::Between(..), _) | (_, _, Value::Between(..)) => {
            bounds::arithmetic(op, a, b, span)
        }
        _ => Err(Fault::Internal(span)),
    }
}

/// Significant decimal digits that every `f64` holds exactly.
const DECIMAL_DIGITS: i32 = 15;

/// `x` rounded to [`DECIMAL_DIGITS`] significant decimal digits. Numbers are binary floating
/// point, in which decimal fractions are inexact: unrounded, `100 * 0.57` is 56.99999999999999
/// and `0.1 + 0.2` is 0.30000000000000004, so a share exactly at its threshold would pass or
/// fail by accident. Rounding each result makes arithmetic on decimals come out as written.
/// Numbers too large or too small to scale by an exact power of ten are left as they are.
pub(super) fn decimal(x: f64) -> f64 {
    if x == 0.0 || !x.is_finite() {
        return x;
    }
    let shift = DECIMAL_DIGITS - 1 - x.abs().log10().floor() as i32;
    // Powers of ten up to 10^22 are exact in an f64, so the rounded integer is divided (or
    // multiplied) exactly and the result is the f64 nearest to the decimal.
    let rounded = match shift {
        0..=22 => {
            let scale = 10f64.powi(shift);
            (x * scale).round() / scale
        }
        -22..0 => {
            let scale = 10f64.powi(-shift);
            (x / scale).round() * scale
        }
        _ => x,
    };
    if rounded.is_finite() { rounded } else { x }
}

/// A built-in applied to present arguments; `None` when the checker let through a type it
/// should not have.
fn apply_builtin<'a>(builtin: Builtin, a: Value<'a>, b: Value<'a>) -> Option<Value<'a>> {
    use Builtin::*;
    Some(match (builtin, a, b) {
        (Count, Value::List(list), _) => Value::Number(list.len() as f64),
        (IsEmpty, Value::List(list), _) => Value::Bool(list.is_empty()),
        (IsEmpty, Value::Str(s), _) => Value::Bool(s.is_empty()),
        (Days, Value::Duration(days), _) => Value::Number(days as f64),
        (DaysBetween, Value::Date(from), Value::Date(to)) => {
            Value::Number((to.days() - from.days()) as f64)
        }
        (Min | Max, a, b) => {
            let ordering = value::order(&a, &b)?;
            let first = (builtin == Min) == (ordering != Ordering::Greater);
            if first { a } else { b }
        }
        (Lower, Value::Str(s), _) => Value::Str(Cow::Owned(s.to_lowercase())),
        (Upper, Value::Str(s), _) => Value::Str(Cow::Owned(s.to_uppercase())),
        (Trim, Value::Str(Cow::Borrowed(s)), _) => Value::Str(Cow::Borrowed(s.trim())),
        (Trim, Value::Str(s), _) => Value::Str(Cow::Owned(s.trim().to_string())),
        (Len, Value::Str(s), _) => Value::Number(s.chars().count() as f64),
        (StartsWith, Value::Str(s), Value::Str(p)) => Value::Bool(s.starts_with(p.as_ref())),
        (EndsWith, Value::Str(s), Value::Str(p)) => Value::Bool(s.ends_with(p.as_ref())),
        (Contains, Value::Str(s), Value::Str(p)) => Value::Bool(s.contains(p.as_ref())),
        (Contains, Value::List(list), item) => value::member(&item, &list).value(),
        (Subset, Value::List(a), Value::List(b)) => subset(&a, &b).value(),
        (Union, Value::List(a), Value::List(b)) => {
            let mut items: Vec<Value<'a>> = a.iter().collect();
            for item in b.iter() {
                if !items.iter().any(|x| value::equal(x, &item) == Some(true)) {
                    items.push(item);
                }
            }
            Value::List(List::Values(Rc::from(items)))
        }
        (Intersection | Difference, Value::List(a), Value::List(b)) => {
            let keep = builtin == Intersection;
            let mut items = Vec::new();
            for item in a.iter() {
                match value::member(&item, &b) {
                    Truth::Unknown => return Some(Value::Missing),
                    truth => {
                        if (truth == Truth::True) == keep {
                            items.push(item);
                        }
                    }
                }
            }
            Value::List(List::Values(Rc::from(items)))
        }
        _ => return None,
    })
}

/// Every item of `a` is in `b`, three-valued.
fn subset(a: &List<'_>, b: &List<'_>) -> Truth {
    let mut acc = Truth::True;
    for item in a.iter() {
        match value::member(&item, b) {
            Truth::False => return Truth::False,
            Truth::Unknown => acc = Truth::Unknown,
            Truth::True => {}
        }
    }
    acc
}

/// A condition whose truth [`Ctx::truth`] computes without building its value.
enum Direct<'a> {
    /// `and`, `or` or `implies`.
    Logic(BinaryOp, &'a Expr, &'a Expr),
    /// A comparison.
    Comparison(BinaryOp, &'a Expr, &'a Expr),
}
