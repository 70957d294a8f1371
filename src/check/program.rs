//! The checked program: every name resolved to an index, every expression typed. This is what
//! the evaluator compiles; it is only produced for a policy set without errors.

use std::sync::Arc;

use super::types::{Schema, Type};
use crate::date::Date;
use crate::syntax::ast::{BinaryOp, CollectKind, Quantifier, Severity, UnaryOp};
use crate::syntax::{FileId, Span};

/// Index of a norm in [`Program::norms`].
pub type NormId = usize;
/// Index of a parameter in [`Program::params`].
pub type ParamId = usize;
/// Index of a definition in [`Program::defs`].
pub type DefId = usize;

/// A constant value (literals, parameter values).
#[derive(Clone, Debug, PartialEq)]
pub enum Const {
    /// A boolean.
    Bool(bool),
    /// A number.
    Number(f64),
    /// Text.
    Str(Arc<str>),
    /// A date.
    Date(Date),
    /// A number of days.
    Duration(i64),
    /// A list of constants.
    List(Vec<Const>),
}

impl std::fmt::Display for Const {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Const::Bool(b) => write!(f, "{b}"),
            Const::Number(n) => write!(f, "{}", format_number(*n)),
            Const::Str(s) => write!(f, "{s:?}"),
            Const::Date(d) => write!(f, "{d}"),
            Const::Duration(days) => write!(f, "{days}d"),
            Const::List(items) => {
                f.write_str("[")?;
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{item}")?;
                }
                f.write_str("]")
            }
        }
    }
}

/// Formats a number without a trailing `.0` when it is whole.
pub fn format_number(n: f64) -> String {
    let mut text = String::new();
    write_number(n, &mut text);
    text
}

/// Appends `n` as [`format_number`] writes it.
pub fn write_number(n: f64, out: &mut String) {
    use std::fmt::Write;
    if n.fract() == 0.0 && n.abs() < 1e15 {
        out.push_str(itoa::Buffer::new().format(n as i64));
    } else {
        let _ = write!(out, "{n}");
    }
}

/// A typed, resolved expression.
#[derive(Clone, Debug)]
pub struct Expr {
    /// What it computes.
    pub kind: ExprKind,
    /// Its type.
    pub ty: Type,
    /// Where it was written.
    pub span: Span,
}

impl Expr {
    /// Calls `f` on this expression and on every expression inside it, depth first (the
    /// filter, condition and key of a quantifier included; not the bodies of definitions it
    /// calls).
    pub fn walk(&self, f: &mut dyn FnMut(&Expr)) {
        f(self);
        match &self.kind {
            ExprKind::Field(base, _, _) | ExprKind::Deref(base, _) | ExprKind::Unary(_, base) => {
                base.walk(f)
            }
            ExprKind::Call(_, args) | ExprKind::Builtin(_, args) | ExprKind::List(args) => {
                args.iter().for_each(|arg| arg.walk(f));
            }
            ExprKind::Binary(_, lhs, rhs) | ExprKind::Index(lhs, rhs) => {
                lhs.walk(f);
                rhs.walk(f);
            }
            ExprKind::Quantified {
                list, filter, body, ..
            } => {
                list.walk(f);
                filter.iter().for_each(|e| e.walk(f));
                body.walk(f);
            }
            ExprKind::Collect {
                list, filter, key, ..
            } => {
                list.walk(f);
                filter.iter().chain(key).for_each(|e| e.walk(f));
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
    }
}

/// Built-in functions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Builtin {
    Count,
    Exists,
    Resolves,
    IsEmpty,
    Days,
    DaysBetween,
    Min,
    Max,
    Lower,
    Upper,
    Trim,
    Len,
    StartsWith,
    EndsWith,
    Contains,
    Union,
    Intersection,
    Difference,
    Subset,
}

impl Builtin {
    /// Every built-in with its name and its signature for help texts.
    pub const ALL: &'static [(Builtin, &'static str, &'static str)] = &[
        (
            Builtin::Count,
            "count",
            "count(list) -> int, or count(x in list where condition) -> int",
        ),
        (
            Builtin::Exists,
            "exists",
            "exists(value) -> bool: present and not null",
        ),
        (
            Builtin::Resolves,
            "resolves",
            "resolves(reference) -> bool: names an existing element",
        ),
        (
            Builtin::IsEmpty,
            "is_empty",
            "is_empty(list or string) -> bool",
        ),
        (Builtin::Days, "days", "days(duration) -> int"),
        (
            Builtin::DaysBetween,
            "days_between",
            "days_between(from: date, to: date) -> int",
        ),
        (
            Builtin::Min,
            "min",
            "min(a, b): the smaller of two numbers, dates or durations",
        ),
        (
            Builtin::Max,
            "max",
            "max(a, b): the larger of two numbers, dates or durations",
        ),
        (Builtin::Lower, "lower", "lower(string) -> string"),
        (Builtin::Upper, "upper", "upper(string) -> string"),
        (Builtin::Trim, "trim", "trim(string) -> string"),
        (
            Builtin::Len,
            "len",
            "len(string) -> int: number of characters",
        ),
        (
            Builtin::StartsWith,
            "starts_with",
            "starts_with(string, prefix) -> bool",
        ),
        (
            Builtin::EndsWith,
            "ends_with",
            "ends_with(string, suffix) -> bool",
        ),
        (
            Builtin::Contains,
            "contains",
            "contains(string, part) or contains(list, item) -> bool",
        ),
        (Builtin::Union, "union", "union(list, list) -> list"),
        (
            Builtin::Intersection,
            "intersection",
            "intersection(list, list) -> list",
        ),
        (
            Builtin::Difference,
            "difference",
            "difference(list, list) -> list: items of the first not in the second",
        ),
        (
            Builtin::Subset,
            "subset",
            "subset(list, list) -> bool: every item of the first is in the second",
        ),
    ];

    /// The built-in called `name`.
    pub fn by_name(name: &str) -> Option<Builtin> {
        Builtin::ALL
            .iter()
            .find(|(_, n, _)| *n == name)
            .map(|(b, _, _)| *b)
    }

    /// Its name.
    pub fn name(self) -> &'static str {
        Builtin::ALL
            .iter()
            .find(|(b, _, _)| *b == self)
            .map_or("?", |(_, n, _)| n)
    }

    /// Its signature for help texts.
    pub fn signature(self) -> &'static str {
        Builtin::ALL
            .iter()
            .find(|(b, _, _)| *b == self)
            .map_or("?", |(_, _, s)| s)
    }
}

/// What a reference to another norm's result asks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NormQuery {
    /// `passes(x)`
    Passes,
    /// `fails(x)`
    Fails,
}

/// The kinds of checked expression.
#[derive(Clone, Debug)]
pub enum ExprKind {
    /// A constant.
    Const(Const),
    /// The evaluation date.
    Today,
    /// A root field of the document, by index in the root object.
    Root(usize),
    /// A field of an object value: the field's name and its index in the object type.
    Field(Box<Expr>, Arc<str>, usize),
    /// Follows a reference to the element of the root list with this root-field index.
    Deref(Box<Expr>, usize),
    /// A variable slot (quantifier variable or definition parameter).
    Local(u32),
    /// A parameter's value.
    Param(ParamId),
    /// A value definition.
    DefValue(DefId),
    /// A call of a definition with parameters.
    Call(DefId, Vec<Expr>),
    /// A built-in function.
    Builtin(Builtin, Vec<Expr>),
    /// `not x`, `-x`.
    Unary(UnaryOp, Box<Expr>),
    /// `a op b`.
    Binary(BinaryOp, Box<Expr>, Box<Expr>),
    /// `all/any/none var in list where filter: body`.
    Quantified {
        /// Which quantifier.
        quantifier: Quantifier,
        /// The variable's slot.
        var: u32,
        /// The variable's name, for evidence.
        var_name: Arc<str>,
        /// The list.
        list: Box<Expr>,
        /// The optional filter.
        filter: Option<Box<Expr>>,
        /// The condition.
        body: Box<Expr>,
    },
    /// `count/filter/latest(var in list where filter [by key])`.
    Collect {
        /// Which function.
        kind: CollectKind,
        /// The variable's slot.
        var: u32,
        /// The list.
        list: Box<Expr>,
        /// The optional filter.
        filter: Option<Box<Expr>>,
        /// The key for `latest`.
        key: Option<Box<Expr>>,
    },
    /// `[a, b]`.
    List(Vec<Expr>),
    /// `list[index]`.
    Index(Box<Expr>, Box<Expr>),
    /// `passes(norm)` / `fails(norm)`.
    NormStatus(NormQuery, NormId),
    /// Left by an error; never reaches the evaluator.
    Error,
}

/// A message template, checked.
#[derive(Clone, Debug)]
pub enum Segment {
    /// Literal text.
    Text(String),
    /// A value.
    Value(Expr),
}

/// A cited source.
#[derive(Clone, Debug)]
pub struct Source {
    /// Its id.
    pub id: String,
    /// Title, if given.
    pub title: Option<String>,
    /// Publisher, if given.
    pub publisher: Option<String>,
    /// Year, if given.
    pub year: Option<i64>,
    /// Web address, if given.
    pub url: Option<String>,
    /// Remarks, e.g. which parts were read.
    pub note: Option<String>,
}

/// A pillar or a stage.
#[derive(Clone, Debug)]
pub struct Category {
    /// Its id.
    pub id: String,
    /// Its title.
    pub title: String,
}

/// A citation of a norm.
#[derive(Clone, Debug)]
pub struct Citation {
    /// Index into [`Program::sources`].
    pub source: usize,
    /// The section or recommendation, only where read.
    pub locator: Option<String>,
}

/// A requirement of a norm.
#[derive(Clone, Debug)]
pub struct Requirement {
    /// The condition that must hold.
    pub condition: Expr,
    /// The failure message, if any.
    pub message: Option<Vec<Segment>>,
    /// From `require` to the end of the message.
    pub span: Span,
}

/// A checked norm.
#[derive(Clone, Debug)]
pub struct Norm {
    /// Its id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// Its doc comment.
    pub doc: Option<String>,
    /// Index into [`Program::pillars`].
    pub pillar: usize,
    /// Indexes into [`Program::stages`], in cycle order.
    pub stages: Vec<usize>,
    /// How severe a failure is.
    pub severity: Severity,
    /// Free tags.
    pub tags: Vec<String>,
    /// Its citations.
    pub citations: Vec<Citation>,
    /// Applicability condition.
    pub when: Option<Expr>,
    /// Requirements, all of which must hold.
    pub requires: Vec<Requirement>,
    /// How to fix a failure.
    pub fix: Option<String>,
    /// Evidence fields it reads, as paths like `systems[].certification.date`.
    pub reads: Vec<String>,
    /// Parameters it uses.
    pub params: Vec<ParamId>,
    /// Norms whose results it uses.
    pub depends_on: Vec<NormId>,
    /// Number of variable slots its expressions need.
    pub locals: u32,
    /// The file it is declared in.
    pub file: FileId,
    /// Its id's span.
    pub span: Span,
}

/// A checked parameter.
#[derive(Clone, Debug)]
pub struct Param {
    /// Its name.
    pub name: String,
    /// Its type.
    pub ty: Type,
    /// Its default value.
    pub default: Const,
    /// Its doc comment.
    pub doc: Option<String>,
    /// Its name's span.
    pub span: Span,
}

/// A checked definition.
#[derive(Clone, Debug)]
pub struct Def {
    /// Its name.
    pub name: String,
    /// Parameter names and types (empty for a value definition).
    pub params: Vec<(String, Type)>,
    /// True when declared with parentheses.
    pub callable: bool,
    /// The body.
    pub body: Expr,
    /// Number of variable slots the body needs (parameters first).
    pub locals: u32,
    /// Its name's span.
    pub span: Span,
}

/// A checked profile.
#[derive(Clone, Debug)]
pub struct Profile {
    /// Its id.
    pub id: String,
    /// Its title.
    pub title: Option<String>,
    /// The norms it selects, in program order.
    pub norms: Vec<NormId>,
    /// Severity overrides.
    pub severities: Vec<(NormId, Severity)>,
    /// Parameter values it sets.
    pub settings: Vec<(ParamId, Const)>,
    /// Its id's span.
    pub span: Span,
}

/// Where a test's document comes from.
#[derive(Clone, Debug)]
pub enum Given {
    /// A fixture file, root-relative.
    File(String, Span),
    /// Inline JSON.
    Inline(serde_json::Value),
}

/// The statuses a norm can have for a jurisdiction.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// Every requirement holds.
    Pass,
    /// A requirement does not hold.
    Fail,
    /// A failure excused by an active waiver.
    Waived,
    /// Evidence is missing.
    Unknown,
    /// The norm does not apply.
    NotApplicable,
    /// The norm could not be evaluated.
    Error,
}

impl Status {
    /// Every status.
    pub const ALL: [Status; 6] = [
        Status::Pass,
        Status::Fail,
        Status::Waived,
        Status::Unknown,
        Status::NotApplicable,
        Status::Error,
    ];

    /// The keyword.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Fail => "fail",
            Status::Waived => "waived",
            Status::Unknown => "unknown",
            Status::NotApplicable => "not-applicable",
            Status::Error => "error",
        }
    }

    /// Parses the keyword.
    pub fn parse(word: &str) -> Option<Status> {
        Status::ALL
            .into_iter()
            .find(|status| status.as_str() == word)
    }
}

/// A checked test.
#[derive(Clone, Debug)]
pub struct Test {
    /// Its name.
    pub name: String,
    /// The file it is in (fixture paths are relative to it).
    pub file: FileId,
    /// Documents merged in order.
    pub givens: Vec<Given>,
    /// Profile to evaluate under.
    pub profile: Option<usize>,
    /// Parameter values set for this test.
    pub settings: Vec<(ParamId, Const)>,
    /// Expected statuses.
    pub expects: Vec<(Status, NormId, Span)>,
    /// Its name's span.
    pub span: Span,
}

/// A checked policy set, ready to compile and evaluate.
#[derive(Clone, Debug, Default)]
pub struct Program {
    /// The jurisdiction document's schema.
    pub schema: Schema,
    /// Cited sources.
    pub sources: Vec<Source>,
    /// Pillars in declaration order.
    pub pillars: Vec<Category>,
    /// Electoral-cycle stages in cycle order.
    pub stages: Vec<Category>,
    /// Parameters.
    pub params: Vec<Param>,
    /// Definitions.
    pub defs: Vec<Def>,
    /// Norms in declaration order.
    pub norms: Vec<Norm>,
    /// Norms ordered so that each comes after the norms it depends on.
    pub evaluation_order: Vec<NormId>,
    /// Profiles.
    pub profiles: Vec<Profile>,
    /// Tests.
    pub tests: Vec<Test>,
}

impl Program {
    /// The norm with id `id`.
    pub fn norm_index(&self, id: &str) -> Option<NormId> {
        self.norms.iter().position(|norm| norm.id == id)
    }

    /// The profile with id `id`.
    pub fn profile_index(&self, id: &str) -> Option<usize> {
        self.profiles.iter().position(|profile| profile.id == id)
    }

    /// The parameter called `name`.
    pub fn param_index(&self, name: &str) -> Option<ParamId> {
        self.params.iter().position(|param| param.name == name)
    }
}
