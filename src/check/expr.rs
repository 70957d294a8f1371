//! Type-checks expressions: resolves names (variables, parameters, definitions, root fields),
//! follows schema fields and references, checks operators, built-ins and enum literals, and
//! records the evidence paths, parameters and norms each expression reads.

use std::collections::BTreeSet;
use std::fmt;
use std::sync::Arc;

use super::program::{Builtin, Const, Expr, ExprKind, NormId, NormQuery, ParamId, Segment};
use super::types::Type;
use super::{Checker, DefState, Namespace};
use crate::diagnostics::{Code, Diagnostic, did_you_mean};
use crate::syntax::ast::{self, BinaryOp, CollectKind, ExprKind as A, Literal, UnaryOp};
use crate::syntax::{FileId, Span};

/// A variable in scope.
#[derive(Clone, Debug)]
pub(super) struct Local {
    pub name: String,
    pub ty: Type,
    pub slot: u32,
    /// The evidence path the variable stands for (`systems[]`, or `$0` for a def parameter).
    pub path: Option<String>,
}

/// The scope and bookkeeping of one norm, definition or parameter being checked.
#[derive(Debug)]
pub(super) struct Scope {
    pub file: FileId,
    pub locals: Vec<Local>,
    pub next_slot: u32,
    pub reads: BTreeSet<String>,
    pub params: BTreeSet<ParamId>,
    pub norms: BTreeSet<NormId>,
    /// False inside parameter defaults and settings, which must be constants.
    pub allow_document: bool,
}

impl Scope {
    pub fn new(file: FileId) -> Self {
        Scope {
            file,
            locals: Vec::new(),
            next_slot: 0,
            reads: BTreeSet::new(),
            params: BTreeSet::new(),
            norms: BTreeSet::new(),
            allow_document: true,
        }
    }

    /// Adds a variable; returns its slot.
    pub fn bind(&mut self, name: &str, ty: Type, path: Option<String>) -> u32 {
        let slot = self.next_slot;
        self.next_slot += 1;
        self.locals.push(Local {
            name: name.to_string(),
            ty,
            slot,
            path,
        });
        slot
    }

    fn find(&self, name: &str) -> Option<&Local> {
        self.locals.iter().rev().find(|local| local.name == name)
    }
}

/// "each side of `and`": what an operand of a logical operator is called in a message, only
/// formatted when one is reported.
struct EachSide(BinaryOp);

impl fmt::Display for EachSide {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "each side of `{}`", self.0.as_str())
    }
}

fn typed(kind: ExprKind, ty: Type, span: Span) -> Expr {
    Expr { kind, ty, span }
}

fn error(span: Span) -> Expr {
    typed(ExprKind::Error, Type::Any, span)
}

impl Checker<'_> {
    /// Checks `expr` and requires it to be boolean.
    /// `what` names the expression in the message; it is only formatted when reported.
    pub(super) fn condition(
        &mut self,
        scope: &mut Scope,
        expr: &ast::Expr,
        what: impl fmt::Display,
    ) -> Expr {
        let checked = self.expr(scope, expr);
        if !matches!(checked.ty, Type::Bool | Type::Any) {
            let found = checked.ty.display(&self.program.schema).to_string();
            self.report(
                Diagnostic::new(Code::NotBoolean, expr.span, format!("{what} must be true or false, but this is {} {found}", super::types::article(&found)))
                    .with_label(format!("{found}, not bool"))
                    .with_help("compare it with something, e.g. `x == \"value\"`, `x >= 90`, or test presence with `exists(x)`"),
            );
        }
        checked
    }

    pub(super) fn expr(&mut self, scope: &mut Scope, expr: &ast::Expr) -> Expr {
        let span = expr.span;
        match &expr.kind {
            A::Missing => error(span),
            A::Literal(literal) => literal_expr(literal, span),
            A::Today => typed(ExprKind::Today, Type::Date, span),
            A::Paren(inner) => self.expr(scope, inner),
            A::Name(ident) => self.name(scope, ident),
            A::Field(base, field) => self.field(scope, base, field, span),
            A::Index(base, index) => self.index(scope, base, index, span),
            A::Call(callee, args) => self.call(scope, callee, args, span),
            A::Collect(kind, binder, key) => {
                self.collect(scope, *kind, binder, key.as_deref(), span)
            }
            A::Quantified(quantifier, binder, body) => {
                let mark = scope.locals.len();
                let (var, var_name, list, filter) = self.binder(scope, binder);
                let body = self.condition(scope, body, "a quantifier's condition");
                scope.locals.truncate(mark);
                let kind = ExprKind::Quantified {
                    quantifier: *quantifier,
                    var,
                    var_name,
                    list: Box::new(list),
                    filter: filter.map(Box::new),
                    body: Box::new(body),
                };
                typed(kind, Type::Bool, span)
            }
            A::Unary(op, operand) => self.unary(scope, *op, operand, span),
            A::Binary(op, lhs, rhs) => self.binary(scope, *op, lhs, rhs, span),
            A::List(items) => self.list(scope, items, span),
        }
    }

    /// Checks `var in list where filter` and binds `var`; the caller truncates the scope.
    fn binder(
        &mut self,
        scope: &mut Scope,
        binder: &ast::Binder,
    ) -> (u32, Arc<str>, Expr, Option<Expr>) {
        let list = self.expr(scope, &binder.list);
        let element = match list.ty.element() {
            Some(element) => element.clone(),
            None => {
                let found = list.ty.display(&self.program.schema).to_string();
                self.report(
                    Diagnostic::new(
                        Code::NotAList,
                        binder.list.span,
                        format!(
                            "`{}` ranges over {} {found}, not a list",
                            binder.var.name,
                            super::types::article(&found)
                        ),
                    )
                    .with_label(format!("{found}, not a list"))
                    .with_help(
                        "quantifiers and count/filter/latest range over lists, such as `systems`",
                    ),
                );
                Type::Any
            }
        };
        let path = self.path_of(scope, &list).map(|p| format!("{p}[]"));
        let var = scope.bind(&binder.var.name, element, path);
        let filter = binder
            .filter
            .as_ref()
            .map(|f| self.condition(scope, f, "a `where` filter"));
        (var, Arc::from(binder.var.name.as_str()), list, filter)
    }

    fn collect(
        &mut self,
        scope: &mut Scope,
        kind: CollectKind,
        binder: &ast::Binder,
        key: Option<&ast::Expr>,
        span: Span,
    ) -> Expr {
        let mark = scope.locals.len();
        let (var, _, list, filter) = self.binder(scope, binder);
        let element = scope.locals.last().map_or(Type::Any, |l| l.ty.clone());
        let key = key.map(|key| {
            let checked = self.expr(scope, key);
            if !checked.ty.orderable_with(&checked.ty) {
                let found = checked.ty.display(&self.program.schema).to_string();
                self.report(
                    Diagnostic::new(
                        Code::TypeMismatch,
                        key.span,
                        format!("cannot order by a {found}"),
                    )
                    .with_help("`latest` orders by a date, a number or a string"),
                );
            }
            Box::new(checked)
        });
        scope.locals.truncate(mark);
        let ty = match kind {
            CollectKind::Count => Type::Int,
            CollectKind::Filter => list.ty.clone(),
            CollectKind::Latest => element,
        };
        let kind = ExprKind::Collect {
            kind,
            var,
            list: Box::new(list),
            filter: filter.map(Box::new),
            key,
        };
        typed(kind, ty, span)
    }

    fn name(&mut self, scope: &mut Scope, ident: &ast::Ident) -> Expr {
        let span = ident.span;
        if let Some(local) = scope.find(&ident.name) {
            return typed(ExprKind::Local(local.slot), local.ty.clone(), span);
        }
        if let Some(param) = self.lookup_quiet(Namespace::Param, &ident.name, scope.file) {
            self.used_params[param] = true;
            scope.params.insert(param);
            let ty = self
                .program
                .params
                .get(param)
                .map_or(Type::Any, |p| p.ty.clone());
            return typed(ExprKind::Param(param), ty, span);
        }
        if let Some(def) = self.lookup_quiet(Namespace::Def, &ident.name, scope.file) {
            return self.def_value(scope, def, ident);
        }
        let root = self.program.schema.root_object();
        if let Some(index) = root.field_index(&ident.name) {
            let ty = root.fields[index].ty.clone();
            if let Some(schema_file) = self.schema_file.filter(|_| !self.sees_schema(scope.file)) {
                let relative = super::relative_use_path(
                    &self.workspace.file(scope.file).path,
                    &self.workspace.file(schema_file).path,
                );
                self.report(
                    Diagnostic::new(
                        Code::UnknownName,
                        span,
                        format!("root field `{}` is not imported here", ident.name),
                    )
                    .with_label("the schema is declared in a file this one does not import")
                    .with_help(format!("add `use \"{relative}\"` at the top of this file")),
                );
                return error(span);
            }
            if !scope.allow_document {
                self.report(
                    Diagnostic::new(Code::NotConstant, span, format!("`{}` is read from the document, but a constant is needed here", ident.name))
                        .with_help("parameter values are literals such as `90`, `0.9`, `30d` or `[\"a\", \"b\"]`"),
                );
                return error(span);
            }
            scope.reads.insert(ident.name.clone());
            return typed(ExprKind::Root(index), ty, span);
        }
        self.unknown_name(scope, ident);
        error(span)
    }

    fn def_value(&mut self, scope: &mut Scope, def: usize, ident: &ast::Ident) -> Expr {
        self.used_defs[def] = true;
        let ty = self.def_type(def, ident.span);
        let callable = self.def_decls[def].1.params.is_some();
        if callable {
            let arity = self.def_decls[def].1.params.as_ref().map_or(0, Vec::len);
            self.report(
                Diagnostic::new(
                    Code::WrongArity,
                    ident.span,
                    format!(
                        "`{}` takes {arity} argument(s); call it with `{}(…)`",
                        ident.name, ident.name
                    ),
                )
                .with_label("definition with parameters used as a value"),
            );
            return error(ident.span);
        }
        self.absorb_def(scope, def, &[]);
        typed(ExprKind::DefValue(def), ty, ident.span)
    }

    /// Merges what definition `def` reads into `scope`, substituting argument paths.
    fn absorb_def(&mut self, scope: &mut Scope, def: usize, arg_paths: &[Option<String>]) {
        for read in &self.def_reads[def] {
            match read.strip_prefix('$') {
                Some(rest) => {
                    let (index, tail) = rest.split_at(
                        rest.find(|c: char| !c.is_ascii_digit())
                            .unwrap_or(rest.len()),
                    );
                    if let Some(Some(base)) =
                        index.parse::<usize>().ok().and_then(|i| arg_paths.get(i))
                    {
                        scope.reads.insert(format!("{base}{tail}"));
                    }
                }
                None => {
                    scope.reads.insert(read.clone());
                }
            }
        }
        scope.norms.extend(self.def_norms[def].iter().copied());
        scope
            .params
            .extend(self.def_params_used[def].iter().copied());
    }

    /// The result type of definition `def`, checking it first if needed.
    pub(super) fn def_type(&mut self, def: usize, used_at: Span) -> Type {
        match self.def_states[def].clone() {
            DefState::Done(ty) => ty,
            DefState::InProgress => {
                let name = self.def_decls[def].1.name.name.clone();
                let declared = self.def_decls[def].1.name.span;
                let start = self.def_stack.iter().position(|&d| d == def).unwrap_or(0);
                let chain: Vec<String> = self.def_stack[start..]
                    .iter()
                    .map(|&d| format!("`{}`", self.def_decls[d].1.name.name))
                    .collect();
                let message = if chain.len() > 1 {
                    format!(
                        "definitions {} use each other in a cycle",
                        chain.join(" → ")
                    )
                } else {
                    format!("definition `{name}` uses itself")
                };
                self.report(
                    Diagnostic::new(Code::RecursiveDefinition, used_at, message)
                        .with_label("recursive use")
                        .with_secondary(declared, "defined here")
                        .with_help("definitions cannot be recursive, so that every evaluation terminates; write the condition out"),
                );
                Type::Any
            }
            DefState::Pending => {
                self.check_def(def);
                match &self.def_states[def] {
                    DefState::Done(ty) => ty.clone(),
                    _ => Type::Any,
                }
            }
        }
    }

    fn unknown_name(&mut self, scope: &Scope, ident: &ast::Ident) {
        if self.repeated_schema_declares(&ident.name) {
            return;
        }
        if ident.name.contains('-') {
            let spaced = ident.name.replace('-', " - ");
            self.report(
                Diagnostic::new(
                    Code::HyphenInName,
                    ident.span,
                    format!("`{}` is one hyphenated name, not a subtraction", ident.name),
                )
                .with_label("no variable, definition or field has this name")
                .with_help(format!(
                    "to subtract, put spaces around the minus: `{spaced}`"
                ))
                .with_suggestion(ident.span, spaced),
            );
            return;
        }
        if let Some(param) = self.decl(Namespace::Param, &ident.name).map(|d| d.index) {
            // Used, though not imported here: one error, not an "unused" warning as well.
            self.used_params[param] = true;
        }
        for namespace in [Namespace::Def, Namespace::Param] {
            if self.decl(namespace, &ident.name).is_some() {
                self.report_unknown(namespace, ident, scope.file);
                return;
            }
        }
        let mut candidates: Vec<String> = scope.locals.iter().map(|l| l.name.clone()).collect();
        candidates.extend(self.visible_names(Namespace::Def, scope.file));
        candidates.extend(self.visible_names(Namespace::Param, scope.file));
        candidates.extend(
            self.program
                .schema
                .root_object()
                .fields
                .iter()
                .map(|f| f.name.clone()),
        );
        let mut diagnostic = Diagnostic::new(
            Code::UnknownName,
            ident.span,
            format!("unknown name `{}`", ident.name),
        )
        .with_label("not a variable, parameter, definition or root field");
        diagnostic = match did_you_mean(&ident.name, candidates.iter().map(String::as_str)) {
            Some(close) => diagnostic
                .with_help(format!("did you mean `{close}`?"))
                .with_suggestion(ident.span, close),
            None => diagnostic
                .with_help("paths start at a root field of the schema, such as `election.date`"),
        };
        self.report(diagnostic);
    }

    fn field(
        &mut self,
        scope: &mut Scope,
        base: &ast::Expr,
        field: &ast::Ident,
        span: Span,
    ) -> Expr {
        let mut base = self.expr(scope, base);
        if let Type::Ref(root_field) = base.ty {
            let target = self
                .program
                .schema
                .ref_target(root_field)
                .map_or(Type::Any, Type::Object);
            let base_span = base.span;
            base = typed(
                ExprKind::Deref(Box::new(base), root_field),
                target,
                base_span,
            );
        }
        match &base.ty {
            Type::Any => error(span),
            &Type::Object(object_id) => {
                let object = &self.program.schema.objects[object_id];
                match object.field_index(&field.name) {
                    Some(index) => {
                        let ty = object.fields[index].ty.clone();
                        let checked = typed(
                            ExprKind::Field(Box::new(base), Arc::from(field.name.as_str()), index),
                            ty,
                            span,
                        );
                        if let Some(path) = self.path_of(scope, &checked) {
                            scope.reads.insert(path);
                        }
                        checked
                    }
                    None => {
                        self.unknown_field(object_id, field);
                        error(span)
                    }
                }
            }
            Type::List(_) => {
                self.report(
                    Diagnostic::new(
                        Code::TypeMismatch,
                        field.span,
                        format!("`.{}` is asked of a list", field.name),
                    )
                    .with_label("the value before `.` is a list")
                    .with_help(format!(
                        "use a quantifier, e.g. `all x in list: x.{}`",
                        field.name
                    )),
                );
                error(span)
            }
            other => {
                let found = other.display(&self.program.schema).to_string();
                self.report(
                    Diagnostic::new(
                        Code::TypeMismatch,
                        field.span,
                        format!("{} {found} has no fields", super::types::article(&found)),
                    )
                    .with_label(format!(
                        "`.{}` on {} {found}",
                        field.name,
                        super::types::article(&found)
                    )),
                );
                error(span)
            }
        }
    }

    fn unknown_field(&mut self, object_id: usize, field: &ast::Ident) {
        let object = &self.program.schema.objects[object_id];
        let repeated = if object_id == self.program.schema.root {
            self.repeated_schema_declares(&field.name)
        } else {
            self.duplicate_declares(&object.name, &field.name)
        };
        if repeated {
            return;
        }
        let names: Vec<&str> = object.fields.iter().map(|f| f.name.as_str()).collect();
        let owner = if object_id == self.program.schema.root {
            "the schema".to_string()
        } else {
            format!("type `{}`", object.name)
        };
        let mut diagnostic = Diagnostic::new(
            Code::UnknownField,
            field.span,
            format!("{owner} has no field `{}`", field.name),
        )
        .with_label("unknown field");
        // `s.headcount-1`: a field followed by a subtraction written without spaces.
        let field_then_minus =
            (field.name.split_once('-')).is_some_and(|(first, _)| names.contains(&first));
        if field_then_minus {
            let spaced = field.name.replace('-', " - ");
            let help = format!(
                "`{}` is one hyphenated name; to subtract, put spaces around the minus: `{spaced}`",
                field.name
            );
            self.report(
                diagnostic
                    .with_help(help)
                    .with_suggestion(field.span, spaced),
            );
            return;
        }
        diagnostic = match did_you_mean(&field.name, names.iter().copied()) {
            Some(close) => diagnostic
                .with_help(format!("did you mean `{close}`?"))
                .with_suggestion(field.span, close),
            None => diagnostic.with_help(format!("its fields are: {}", names.join(", "))),
        };
        self.report(diagnostic);
    }

    fn index(
        &mut self,
        scope: &mut Scope,
        base: &ast::Expr,
        index: &ast::Expr,
        span: Span,
    ) -> Expr {
        let base = self.expr(scope, base);
        let index_expr = self.expr(scope, index);
        if !matches!(
            index_expr.ty,
            Type::Int | Type::Count | Type::Number | Type::Any
        ) {
            self.mismatch(index.span, "an index", "int", &index_expr.ty);
        }
        let ty = match base.ty.element() {
            Some(element) => element.clone(),
            None => {
                self.mismatch(base.span, "indexing", "a list", &base.ty);
                Type::Any
            }
        };
        typed(
            ExprKind::Index(Box::new(base), Box::new(index_expr)),
            ty,
            span,
        )
    }

    fn unary(&mut self, scope: &mut Scope, op: UnaryOp, operand: &ast::Expr, span: Span) -> Expr {
        let checked = match op {
            UnaryOp::Not => self.condition(scope, operand, "the operand of `not`"),
            UnaryOp::Neg => self.expr(scope, operand),
        };
        let ty = match op {
            UnaryOp::Not => Type::Bool,
            UnaryOp::Neg if checked.ty.is_numeric() => {
                if checked.ty.is_whole() {
                    Type::Int
                } else {
                    Type::Number
                }
            }
            UnaryOp::Neg if checked.ty == Type::Duration => Type::Duration,
            UnaryOp::Neg => {
                self.mismatch(operand.span, "`-`", "a number or duration", &checked.ty);
                Type::Any
            }
        };
        if let (UnaryOp::Neg, ExprKind::Const(Const::Number(n))) = (op, &checked.kind) {
            return typed(ExprKind::Const(Const::Number(-n)), ty, span);
        }
        if let (UnaryOp::Neg, ExprKind::Const(Const::Duration(d))) = (op, &checked.kind) {
            return typed(ExprKind::Const(Const::Duration(-d)), ty, span);
        }
        typed(ExprKind::Unary(op, Box::new(checked)), ty, span)
    }

    pub(super) fn mismatch(&mut self, span: Span, context: &str, expected: &str, found: &Type) {
        let found = found.display(&self.program.schema).to_string();
        self.report(
            Diagnostic::new(
                Code::TypeMismatch,
                span,
                format!("{context} needs {expected}, found {found}"),
            )
            .with_label(format!("this is {} {found}", super::types::article(&found))),
        );
    }

    fn binary(
        &mut self,
        scope: &mut Scope,
        op: BinaryOp,
        lhs_ast: &ast::Expr,
        rhs_ast: &ast::Expr,
        span: Span,
    ) -> Expr {
        use BinaryOp::*;
        let (lhs, rhs) = match op {
            And | Or | Implies => (
                self.condition(scope, lhs_ast, EachSide(op)),
                self.condition(scope, rhs_ast, EachSide(op)),
            ),
            _ => (self.expr(scope, lhs_ast), self.expr(scope, rhs_ast)),
        };
        let ty = match op {
            And | Or | Implies => Type::Bool,
            Eq | Ne => {
                if !lhs.ty.comparable_with(&rhs.ty) {
                    self.incomparable(op, &lhs, &rhs, span);
                }
                self.check_enum_literal(&lhs.ty, &rhs);
                self.check_enum_literal(&rhs.ty, &lhs);
                Type::Bool
            }
            Lt | Le | Gt | Ge => {
                if !lhs.ty.orderable_with(&rhs.ty) {
                    self.incomparable(op, &lhs, &rhs, span);
                }
                Type::Bool
            }
            In | NotIn => {
                self.membership(&lhs, &rhs);
                Type::Bool
            }
            Add | Sub | Mul | Div => self.arithmetic(op, &lhs, &rhs, span),
        };
        let checked = typed(ExprKind::Binary(op, Box::new(lhs), Box::new(rhs)), ty, span);
        if op == And {
            self.lint_never_holds(scope, &checked);
        }
        checked
    }

    fn incomparable(&mut self, op: BinaryOp, lhs: &Expr, rhs: &Expr, span: Span) {
        let schema = &self.program.schema;
        let (l, r) = (
            lhs.ty.display(schema).to_string(),
            rhs.ty.display(schema).to_string(),
        );
        let help = match (&lhs.ty, &rhs.ty) {
            (Type::Date, t) | (t, Type::Date) if t.is_numeric() => {
                "to compare a date with a number of days, use `days_between(a, b)` or add a duration such as `90d`"
            }
            _ => {
                "compare values of the same kind: numbers with numbers, dates with dates, text with text"
            }
        };
        let message = format!("cannot compare {l} with {r} using `{}`", op.as_str());
        self.report_operands(span, message, (lhs, l), (rhs, r), help);
    }

    /// Reports a type mismatch of a binary operator, labelling each operand with its type.
    fn report_operands(
        &mut self,
        span: Span,
        message: String,
        lhs: (&Expr, String),
        rhs: (&Expr, String),
        help: &str,
    ) {
        self.report(
            Diagnostic::new(Code::TypeMismatch, span, message)
                .with_secondary(lhs.0.span, lhs.1)
                .with_secondary(rhs.0.span, rhs.1)
                .with_help(help),
        );
    }

    fn membership(&mut self, item: &Expr, list: &Expr) {
        match list.ty.element() {
            Some(element) => {
                if !item.ty.comparable_with(element) {
                    let schema = &self.program.schema;
                    let message = format!(
                        "cannot look for a {} in a list of {}",
                        item.ty.display(schema),
                        element.display(schema)
                    );
                    self.report(Diagnostic::new(
                        Code::TypeMismatch,
                        item.span.to(list.span),
                        message,
                    ));
                }
                let element = element.clone();
                self.check_enum_literal(&item.ty, list);
                self.check_enum_literal(&element, item);
            }
            None => {
                let found = list.ty.display(&self.program.schema).to_string();
                self.report(
                    Diagnostic::new(Code::NotAList, list.span, format!("`in` needs a list on its right, found {found}"))
                        .with_help("write a list such as `[\"a\", \"b\"]`; for text, use `contains(text, part)`"),
                );
            }
        }
    }

    /// When `ty` is an enum, every string constant in `other` must be one of its members.
    pub(super) fn check_enum_literal(&mut self, ty: &Type, other: &Expr) {
        let Type::Enum(enum_id) = ty else { return };
        let mut literals = Vec::new();
        self.string_constants(other, &mut literals);
        let schema_enum = &self.program.schema.enums[*enum_id];
        let mut problems = Vec::new();
        for (value, span) in literals {
            if !schema_enum.has(&value) && !self.duplicate_declares(&schema_enum.name, &value) {
                let members: Vec<&str> = schema_enum
                    .members
                    .iter()
                    .map(|(m, _)| m.as_str())
                    .collect();
                let suggestion = did_you_mean(&value, members.iter().copied()).map(str::to_string);
                problems.push((
                    value,
                    span,
                    suggestion,
                    schema_enum.name.clone(),
                    members.join("\", \""),
                ));
            }
        }
        for (value, span, suggestion, enum_name, members) in problems {
            let mut diagnostic = Diagnostic::new(
                Code::UnknownEnumMember,
                span,
                format!("\"{value}\" is not a member of enum `{enum_name}`"),
            )
            .with_label("never equal to this field's values");
            diagnostic = match suggestion {
                Some(close) => diagnostic
                    .with_help(format!("did you mean \"{close}\"?"))
                    .with_suggestion(span, format!("\"{close}\"")),
                None => diagnostic.with_help(format!("members are \"{members}\"")),
            };
            self.report(diagnostic);
        }
    }

    /// True when a duplicate declaration of the type or enum `name` has the field or member
    /// `part`: the duplicate is reported, so a use of what only it declares is not reported again.
    fn duplicate_declares(&self, name: &str, part: &str) -> bool {
        (self.duplicates_of(Namespace::Type, name)).any(|(_, item)| match &item.kind {
            ast::ItemKind::Type(decl) => decl.fields.iter().any(|f| f.name.name == part),
            ast::ItemKind::Enum(decl) => decl.members.iter().any(|m| m.value.value == part),
            _ => false,
        })
    }

    /// String constants of a literal, a list literal, or a value definition that is one.
    fn string_constants(&self, expr: &Expr, out: &mut Vec<(String, Span)>) {
        match &expr.kind {
            ExprKind::Const(Const::Str(s)) => out.push((s.to_string(), expr.span)),
            ExprKind::List(items) => items
                .iter()
                .for_each(|item| self.string_constants(item, out)),
            ExprKind::DefValue(def) => {
                if let Some(body) = self.program.defs.get(*def).map(|d| &d.body) {
                    self.string_constants(body, out);
                }
            }
            _ => {}
        }
    }

    fn arithmetic(&mut self, op: BinaryOp, lhs: &Expr, rhs: &Expr, span: Span) -> Type {
        use BinaryOp::*;
        use Type::*;
        let result = match (op, &lhs.ty, &rhs.ty) {
            (_, Any, _) | (_, _, Any) => Some(Any),
            (Add | Sub | Mul, a, b) if a.is_whole() && b.is_whole() => Some(Int),
            (Add | Sub | Mul | Div, a, b) if a.is_numeric() && b.is_numeric() => Some(Number),
            (Add | Sub, Date, Duration) => Some(Date),
            (Add, Duration, Date) => Some(Date),
            (Sub, Date, Date) => Some(Duration),
            (Add | Sub, Duration, Duration) => Some(Duration),
            (Mul, Duration, n) | (Mul, n, Duration) if n.is_numeric() => Some(Duration),
            (Div, Duration, n) if n.is_numeric() => Some(Duration),
            (Div, Duration, Duration) => Some(Number),
            (Add, String, String) => Some(String),
            _ => None,
        };
        result.unwrap_or_else(|| {
            let schema = &self.program.schema;
            let (l, r) = (
                lhs.ty.display(schema).to_string(),
                rhs.ty.display(schema).to_string(),
            );
            let help = match (&lhs.ty, &rhs.ty) {
                (Date, n) | (n, Date) if n.is_numeric() => {
                    "add a duration to a date (`election.date - 90d`), or multiply days: `n * 1d`"
                }
                (String, _) | (_, String) => {
                    "text can only be joined with text; interpolate values in messages with `{…}`"
                }
                _ => "arithmetic works on numbers, and on dates with durations",
            };
            let message = format!("cannot apply `{}` to {l} and {r}", op.as_str());
            self.report_operands(span, message, (lhs, l), (rhs, r), help);
            Any
        })
    }

    fn list(&mut self, scope: &mut Scope, items: &[ast::Expr], span: Span) -> Expr {
        let checked: Vec<Expr> = items.iter().map(|item| self.expr(scope, item)).collect();
        let mut element = Type::Any;
        for item in &checked {
            element = match (&element, &item.ty) {
                (Type::Any, t) => t.clone(),
                (a, b) if a.is_numeric() && b.is_numeric() => {
                    if a.is_whole() && b.is_whole() {
                        Type::Int
                    } else {
                        Type::Number
                    }
                }
                (a, b) if a.is_textual() && b.is_textual() && a != b => Type::String,
                (a, b) if a == b => a.clone(),
                (a, b) => {
                    let schema = &self.program.schema;
                    let message = format!(
                        "a list mixes {} and {}",
                        a.display(schema),
                        b.display(schema)
                    );
                    self.report(
                        Diagnostic::new(Code::TypeMismatch, item.span, message)
                            .with_help("every item of a list has the same type"),
                    );
                    a.clone()
                }
            };
        }
        typed(ExprKind::List(checked), Type::List(Box::new(element)), span)
    }

    fn call(
        &mut self,
        scope: &mut Scope,
        callee: &ast::Ident,
        args: &[ast::Expr],
        span: Span,
    ) -> Expr {
        if matches!(callee.name.as_str(), "passes" | "fails") {
            return self.norm_status(scope, callee, args, span);
        }
        if let Some(builtin) = Builtin::by_name(&callee.name) {
            let checked: Vec<Expr> = args.iter().map(|a| self.expr(scope, a)).collect();
            let ty = self.builtin_type(builtin, &checked, callee, span);
            return typed(ExprKind::Builtin(builtin, checked), ty, span);
        }
        if let Some(def) = self.lookup_quiet(Namespace::Def, &callee.name, scope.file) {
            return self.call_def(scope, def, callee, args, span);
        }
        let mut candidates: Vec<String> =
            Builtin::ALL.iter().map(|(_, n, _)| n.to_string()).collect();
        candidates.extend(["passes".into(), "fails".into()]);
        candidates.extend(self.visible_names(Namespace::Def, scope.file));
        let mut diagnostic = Diagnostic::new(
            Code::UnknownFunction,
            callee.span,
            format!("unknown function `{}`", callee.name),
        )
        .with_label("not a built-in or a definition");
        diagnostic = match did_you_mean(&callee.name, candidates.iter().map(String::as_str)) {
            Some(close) => diagnostic
                .with_help(format!("did you mean `{close}`?"))
                .with_suggestion(callee.span, close),
            None => diagnostic.with_help("see the language reference for the built-in functions"),
        };
        self.report(diagnostic);
        for arg in args {
            self.expr(scope, arg);
        }
        error(span)
    }

    fn call_def(
        &mut self,
        scope: &mut Scope,
        def: usize,
        callee: &ast::Ident,
        args: &[ast::Expr],
        span: Span,
    ) -> Expr {
        self.used_defs[def] = true;
        let ty = self.def_type(def, callee.span);
        let Some(params) = self.def_decls[def].1.params.as_ref() else {
            self.report(
                Diagnostic::new(
                    Code::WrongArity,
                    callee.span,
                    format!("`{}` is a value, not a function", callee.name),
                )
                .with_help(format!("use it without parentheses: `{}`", callee.name)),
            );
            return error(span);
        };
        let arity = params.len();
        let checked: Vec<Expr> = args.iter().map(|a| self.expr(scope, a)).collect();
        if checked.len() != arity {
            self.report(
                Diagnostic::new(
                    Code::WrongArity,
                    span,
                    format!(
                        "`{}` takes {arity} argument(s), but {} were given",
                        callee.name,
                        checked.len()
                    ),
                )
                .with_secondary(self.def_decls[def].1.name.span, "defined here"),
            );
            return error(span);
        }
        let param_types: Vec<Type> = match self.program.defs.get(def) {
            Some(checked_def) => checked_def.params.iter().map(|(_, t)| t.clone()).collect(),
            None => vec![Type::Any; arity],
        };
        for (arg, expected) in checked.iter().zip(&param_types) {
            if !arg.ty.comparable_with(expected) {
                let expected = expected.display(&self.program.schema).to_string();
                self.mismatch(
                    arg.span,
                    &format!("argument of `{}`", callee.name),
                    &expected,
                    &arg.ty,
                );
            }
        }
        let arg_paths: Vec<Option<String>> =
            checked.iter().map(|a| self.path_of(scope, a)).collect();
        self.absorb_def(scope, def, &arg_paths);
        typed(ExprKind::Call(def, checked), ty, span)
    }

    fn norm_status(
        &mut self,
        scope: &mut Scope,
        callee: &ast::Ident,
        args: &[ast::Expr],
        span: Span,
    ) -> Expr {
        let query = if callee.name == "passes" {
            NormQuery::Passes
        } else {
            NormQuery::Fails
        };
        let [arg] = args else {
            self.report(
                Diagnostic::new(
                    Code::WrongArity,
                    span,
                    format!("`{}` takes one norm id", callee.name),
                )
                .with_help(format!("e.g. `{}(iac-forum-exists)`", callee.name)),
            );
            return error(span);
        };
        let A::Name(norm_id) = &arg.kind else {
            self.report(
                Diagnostic::new(
                    Code::TypeMismatch,
                    arg.span,
                    format!("`{}` takes a norm id", callee.name),
                )
                .with_help(format!("e.g. `{}(iac-forum-exists)`", callee.name)),
            );
            return error(span);
        };
        match self.lookup(Namespace::Norm, norm_id, scope.file) {
            Some(norm) => {
                scope.norms.insert(norm);
                typed(ExprKind::NormStatus(query, norm), Type::Bool, span)
            }
            None => error(span),
        }
    }

    /// The evidence path an expression stands for (`systems[].certification.date`), if any.
    pub(super) fn path_of(&self, scope: &Scope, expr: &Expr) -> Option<String> {
        let mut path = String::new();
        self.write_path(scope, expr, &mut path).then_some(path)
    }

    /// Appends the evidence path of `expr` to `out`; false when it has none.
    fn write_path(&self, scope: &Scope, expr: &Expr, out: &mut String) -> bool {
        let root = self.program.schema.root_object();
        let mut push = |text: &str| {
            out.push_str(text);
            true
        };
        match &expr.kind {
            ExprKind::Root(index) => root.fields.get(*index).is_some_and(|f| push(&f.name)),
            ExprKind::Field(base, name, _) => {
                self.write_path(scope, base, out) && {
                    out.push('.');
                    out.push_str(name);
                    true
                }
            }
            ExprKind::Deref(_, root_field) => root
                .fields
                .get(*root_field)
                .is_some_and(|f| push(&f.name) && push("[]")),
            ExprKind::Local(slot) => {
                let path = scope
                    .locals
                    .iter()
                    .rev()
                    .find(|l| l.slot == *slot)
                    .and_then(|l| l.path.as_deref());
                path.is_some_and(push)
            }
            ExprKind::Index(base, _)
            | ExprKind::Collect {
                kind: CollectKind::Latest,
                list: base,
                ..
            } => {
                self.write_path(scope, base, out) && {
                    out.push_str("[]");
                    true
                }
            }
            ExprKind::Collect {
                kind: CollectKind::Filter,
                list,
                ..
            } => self.write_path(scope, list, out),
            _ => false,
        }
    }

    /// Checks a message template in `scope`.
    pub(super) fn template(&mut self, scope: &mut Scope, template: &ast::Template) -> Vec<Segment> {
        template
            .segments
            .iter()
            .map(|segment| match segment {
                ast::Segment::Text(text) => Segment::Text(text.clone()),
                ast::Segment::Interpolation(expr) => Segment::Value(self.expr(scope, expr)),
            })
            .collect()
    }
}

fn literal_expr(literal: &Literal, span: Span) -> Expr {
    let (value, ty) = match literal {
        Literal::Str(s) => (Const::Str(Arc::from(s.as_str())), Type::String),
        Literal::Number(n) => (
            Const::Number(*n),
            if n.fract() == 0.0 {
                Type::Int
            } else {
                Type::Number
            },
        ),
        Literal::Bool(b) => (Const::Bool(*b), Type::Bool),
        Literal::Date(d) => (Const::Date(*d), Type::Date),
        Literal::Duration(days) => (Const::Duration(*days), Type::Duration),
    };
    typed(ExprKind::Const(value), ty, span)
}
