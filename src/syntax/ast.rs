//! The abstract syntax tree of one policy file, as written: every node keeps its span, names are
//! not yet resolved and types are not yet checked. The parser may leave `Missing`/`Error`
//! placeholders where the text was broken, so every consumer must accept a partial tree.

use super::span::Span;
use crate::date::Date;

/// A parsed policy file.
#[derive(Clone, Debug, Default)]
pub struct File {
    /// Top-level items in source order.
    pub items: Vec<Item>,
    /// Every `//` comment (not doc comments), for the formatter.
    pub comments: Vec<Span>,
}

/// A name as written, with its span.
#[derive(Clone, Debug, PartialEq)]
pub struct Ident {
    /// The text of the name.
    pub name: String,
    /// Where it was written.
    pub span: Span,
}

/// A string literal, escapes resolved.
#[derive(Clone, Debug, PartialEq)]
pub struct StrLit {
    /// The string's value.
    pub value: String,
    /// Where it was written, quotes included.
    pub span: Span,
}

/// The `///` lines before an item, field or enum member.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Doc {
    /// Each line's text without the `///` and one following space.
    pub lines: Vec<String>,
    /// From the first `///` to the end of the last line.
    pub span: Span,
}

impl Doc {
    /// The lines joined with newlines.
    pub fn text(&self) -> String {
        self.lines.join("\n")
    }
}

/// A top-level declaration.
#[derive(Clone, Debug)]
pub struct Item {
    /// Doc comment before it, if any.
    pub doc: Option<Doc>,
    /// What it declares.
    pub kind: ItemKind,
    /// From its keyword to its end.
    pub span: Span,
}

/// The kinds of top-level declaration.
#[derive(Clone, Debug)]
pub enum ItemKind {
    /// `use "path"`
    Use(StrLit),
    /// `source id { … }`
    Source(Source),
    /// `pillar id "title"`
    Pillar(Label),
    /// `stage id "title"`
    Stage(Label),
    /// `enum Name { … }`
    Enum(EnumDecl),
    /// `type Name { … }`
    Type(TypeDecl),
    /// `schema { … }`
    Schema(SchemaDecl),
    /// `param name: type = value`
    Param(Param),
    /// `def name(params) = body`
    Def(Def),
    /// `norm id { … }`
    Norm(Norm),
    /// `profile id { … }`
    Profile(Profile),
    /// `test "name" { … }`
    Test(Test),
}

impl ItemKind {
    /// The keyword that introduces the item.
    pub fn keyword(&self) -> &'static str {
        match self {
            ItemKind::Use(_) => "use",
            ItemKind::Source(_) => "source",
            ItemKind::Pillar(_) => "pillar",
            ItemKind::Stage(_) => "stage",
            ItemKind::Enum(_) => "enum",
            ItemKind::Type(_) => "type",
            ItemKind::Schema(_) => "schema",
            ItemKind::Param(_) => "param",
            ItemKind::Def(_) => "def",
            ItemKind::Norm(_) => "norm",
            ItemKind::Profile(_) => "profile",
            ItemKind::Test(_) => "test",
        }
    }
}

/// A cited document.
#[derive(Clone, Debug)]
pub struct Source {
    /// Its id, e.g. `idea-interagency-2019`.
    pub id: Ident,
    /// `title`, `publisher`, `url`, `note`, `year` entries.
    pub fields: Vec<SourceField>,
}

/// One `key value` line of a source.
#[derive(Clone, Debug)]
pub struct SourceField {
    /// The key word.
    pub key: Ident,
    /// The value.
    pub value: Literal,
}

/// A pillar or stage: an id and a title.
#[derive(Clone, Debug)]
pub struct Label {
    /// The id.
    pub id: Ident,
    /// The display title.
    pub title: Option<StrLit>,
}

/// An enumeration of allowed strings.
#[derive(Clone, Debug)]
pub struct EnumDecl {
    /// The type name.
    pub name: Ident,
    /// Members in order.
    pub members: Vec<EnumMember>,
}

/// One allowed string of an enum.
#[derive(Clone, Debug)]
pub struct EnumMember {
    /// Its doc comment.
    pub doc: Option<Doc>,
    /// The string.
    pub value: StrLit,
}

/// An object type of the document.
#[derive(Clone, Debug)]
pub struct TypeDecl {
    /// The type name.
    pub name: Ident,
    /// Its fields.
    pub fields: Vec<Field>,
}

/// The root object of a jurisdiction document.
#[derive(Clone, Debug)]
pub struct SchemaDecl {
    /// The `schema` keyword.
    pub keyword: Span,
    /// The root fields.
    pub fields: Vec<Field>,
}

/// A field of an object type.
#[derive(Clone, Debug)]
pub struct Field {
    /// Its doc comment.
    pub doc: Option<Doc>,
    /// The field name.
    pub name: Ident,
    /// True when written `name?:`.
    pub optional: bool,
    /// Its type.
    pub ty: TypeExpr,
    /// From name to type.
    pub span: Span,
}

/// A type as written.
#[derive(Clone, Debug, PartialEq)]
pub enum TypeExpr {
    /// A primitive (`string`, `int`, …) or a declared type name.
    Named(Ident),
    /// `[T]`
    List(Box<TypeExpr>, Span),
    /// `ref contacts`
    Ref(Ident, Span),
    /// Nothing usable was written.
    Missing(Span),
}

impl TypeExpr {
    /// Where the type was written.
    pub fn span(&self) -> Span {
        match self {
            TypeExpr::Named(ident) => ident.span,
            TypeExpr::List(_, span) | TypeExpr::Ref(_, span) | TypeExpr::Missing(span) => *span,
        }
    }
}

/// A named, typed threshold with a default.
#[derive(Clone, Debug)]
pub struct Param {
    /// Its name.
    pub name: Ident,
    /// Its declared type.
    pub ty: TypeExpr,
    /// The default value.
    pub default: Expr,
}

/// A named value or function.
#[derive(Clone, Debug)]
pub struct Def {
    /// Its name.
    pub name: Ident,
    /// Parameters, when written with parentheses.
    pub params: Option<Vec<DefParam>>,
    /// The body.
    pub body: Expr,
}

/// One typed parameter of a definition.
#[derive(Clone, Debug)]
pub struct DefParam {
    /// Its name.
    pub name: Ident,
    /// Its type.
    pub ty: TypeExpr,
}

/// How severe a norm's failure is.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Maturity or improvement practice.
    Low,
    /// An important good practice.
    Medium,
    /// A major control gap.
    High,
    /// Can change or discredit the outcome or the register.
    Critical,
}

impl Severity {
    /// Every level from the lowest.
    pub const ALL: [Severity; 4] = [
        Severity::Low,
        Severity::Medium,
        Severity::High,
        Severity::Critical,
    ];

    /// The keyword.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }

    /// Parses the keyword.
    pub fn parse(word: &str) -> Option<Severity> {
        Severity::ALL
            .into_iter()
            .find(|level| level.as_str() == word)
    }
}

/// A severity keyword as written.
#[derive(Clone, Debug, PartialEq)]
pub struct SeverityLit {
    /// The level.
    pub level: Severity,
    /// Where it was written.
    pub span: Span,
}

/// A norm: metadata, applicability and requirements.
#[derive(Clone, Debug)]
pub struct Norm {
    /// Its id.
    pub id: Ident,
    /// Clauses in source order.
    pub clauses: Vec<NormClause>,
    /// The keywords of clauses that did not parse or were misspelt (`tilte`; their syntax error
    /// is reported), so that the checker does not also call them missing.
    pub broken: Vec<String>,
}

/// One clause of a norm, with the span of its keyword.
#[derive(Clone, Debug)]
pub struct NormClause {
    /// The clause keyword's span.
    pub keyword: Span,
    /// The clause.
    pub kind: NormClauseKind,
}

/// The clauses a norm can have.
#[derive(Clone, Debug)]
pub enum NormClauseKind {
    /// `title "…"`
    Title(StrLit),
    /// `pillar id`
    Pillar(Ident),
    /// `stages [a, b]` or `stages all`
    Stages(StageList),
    /// `severity level`
    Severity(SeverityLit),
    /// `tags [a, b]`
    Tags(Vec<Ident>),
    /// `cites source "locator"`
    Cites {
        /// The source id.
        source: Ident,
        /// Section, recommendation or page, only where it was read.
        locator: Option<StrLit>,
    },
    /// `when condition`
    When(Expr),
    /// `require condition else "message"`
    Require {
        /// The condition.
        condition: Expr,
        /// The failure message.
        message: Option<Template>,
    },
    /// `fix "…"`
    Fix(StrLit),
}

/// The stages a norm is tagged with.
#[derive(Clone, Debug)]
pub enum StageList {
    /// `stages all`
    All(Span),
    /// `stages [a, b]`
    List(Vec<Ident>),
}

/// A message with `{expr}` interpolations.
#[derive(Clone, Debug)]
pub struct Template {
    /// Literal text and interpolations in order.
    pub segments: Vec<Segment>,
    /// The whole string literal.
    pub span: Span,
}

/// A piece of a message template.
#[derive(Clone, Debug)]
pub enum Segment {
    /// Text shown as is.
    Text(String),
    /// A value shown in its place.
    Interpolation(Expr),
}

/// A selection of norms.
#[derive(Clone, Debug)]
pub struct Profile {
    /// Its id.
    pub id: Ident,
    /// Clauses in source order.
    pub clauses: Vec<ProfileClause>,
}

/// One clause of a profile, with the span of its keyword.
#[derive(Clone, Debug)]
pub struct ProfileClause {
    /// The clause keyword's span.
    pub keyword: Span,
    /// The clause.
    pub kind: ProfileClauseKind,
}

/// The clauses a profile can have.
#[derive(Clone, Debug)]
pub enum ProfileClauseKind {
    /// `title "…"`
    Title(StrLit),
    /// `extends other-profile`
    Extends(Ident),
    /// `include selector, …`
    Include(Vec<Selector>),
    /// `exclude selector, …`
    Exclude(Vec<Selector>),
    /// `override norm { severity level }`
    Override {
        /// The norm.
        norm: Ident,
        /// Its severity in this profile.
        severity: Option<SeverityLit>,
    },
    /// `set param = value`
    Set(Setting),
}

/// `set name = value`, in a profile or a test.
#[derive(Clone, Debug)]
pub struct Setting {
    /// The parameter.
    pub param: Ident,
    /// Its value.
    pub value: Expr,
}

/// Which norms a profile clause selects.
#[derive(Clone, Debug)]
pub enum Selector {
    /// Every norm.
    All(Span),
    /// One norm by id.
    Norm(Ident),
    /// The norms of a pillar.
    Pillar(Ident),
    /// The norms tagged with a stage.
    Stage(Ident),
    /// The norms of a severity.
    Severity(SeverityLit),
    /// The norms with a tag.
    Tag(Ident),
}

/// A test of norms against a document.
#[derive(Clone, Debug)]
pub struct Test {
    /// Its name.
    pub name: StrLit,
    /// Clauses in source order.
    pub clauses: Vec<TestClause>,
}

/// One clause of a test, with the span of its keyword.
#[derive(Clone, Debug)]
pub struct TestClause {
    /// The clause keyword's span.
    pub keyword: Span,
    /// The clause.
    pub kind: TestClauseKind,
}

/// The clauses a test can have.
#[derive(Clone, Debug)]
pub enum TestClauseKind {
    /// `given "fixture.json"`
    GivenFile(StrLit),
    /// `given { inline JSON }`
    GivenInline(serde_json::Value, Span),
    /// `profile id`
    Profile(Ident),
    /// `set name = value`
    Set(Setting),
    /// `expect status norm, …`
    Expect {
        /// The expected status.
        status: Ident,
        /// The norms.
        norms: Vec<Ident>,
    },
}

/// An expression with its span.
#[derive(Clone, Debug)]
pub struct Expr {
    /// What kind of expression.
    pub kind: ExprKind,
    /// Where it was written.
    pub span: Span,
}

/// The kinds of expression.
#[derive(Clone, Debug)]
pub enum ExprKind {
    /// A literal value.
    Literal(Literal),
    /// `today`
    Today,
    /// A name: root field, variable, definition or parameter.
    Name(Ident),
    /// `base.field`
    Field(Box<Expr>, Ident),
    /// `base[index]`
    Index(Box<Expr>, Box<Expr>),
    /// `f(args)`
    Call(Ident, Vec<Expr>),
    /// `count(x in xs where c)`, `filter(…)`, `latest(x in xs by key)`
    Collect(CollectKind, Box<Binder>, Option<Box<Expr>>),
    /// `all x in xs where c: body`
    Quantified(Quantifier, Box<Binder>, Box<Expr>),
    /// `not x`, `-x`
    Unary(UnaryOp, Box<Expr>),
    /// `a op b`
    Binary(BinaryOp, Box<Expr>, Box<Expr>),
    /// `[a, b]`
    List(Vec<Expr>),
    /// `(e)`
    Paren(Box<Expr>),
    /// Nothing usable was written here; a diagnostic was reported.
    Missing,
}

/// A literal as written.
#[derive(Clone, Debug, PartialEq)]
pub enum Literal {
    /// `"text"`
    Str(String),
    /// `42`, `0.05`
    Number(f64),
    /// `true`, `false`
    Bool(bool),
    /// `2026-11-10`
    Date(Date),
    /// `90d`, `2w`, in days
    Duration(i64),
}

/// `x in xs where c`
#[derive(Clone, Debug)]
pub struct Binder {
    /// The variable.
    pub var: Ident,
    /// The list it ranges over.
    pub list: Expr,
    /// Optional filter.
    pub filter: Option<Expr>,
}

/// The three quantifiers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Quantifier {
    /// Every item satisfies the body.
    All,
    /// Some item satisfies the body.
    Any,
    /// No item satisfies the body.
    None,
}

/// Functions written with a binder.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CollectKind {
    /// How many items satisfy the filter.
    Count,
    /// The items that satisfy the filter.
    Filter,
    /// The item with the greatest key.
    Latest,
}

/// Prefix operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnaryOp {
    /// `not`
    Not,
    /// `-`
    Neg,
}

/// Infix operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinaryOp {
    Implies,
    Or,
    And,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    In,
    NotIn,
    Add,
    Sub,
    Mul,
    Div,
}

impl BinaryOp {
    /// The operator as written.
    pub fn as_str(self) -> &'static str {
        use BinaryOp::*;
        match self {
            Implies => "implies",
            Or => "or",
            And => "and",
            Eq => "==",
            Ne => "!=",
            Lt => "<",
            Le => "<=",
            Gt => ">",
            Ge => ">=",
            In => "in",
            NotIn => "not in",
            Add => "+",
            Sub => "-",
            Mul => "*",
            Div => "/",
        }
    }

    /// True for `==`, `<`, `in` and the like.
    pub fn is_comparison(self) -> bool {
        use BinaryOp::*;
        matches!(self, Eq | Ne | Lt | Le | Gt | Ge | In | NotIn)
    }
}
