//! The name-resolution index of a policy set: every declaration and every use of a name, with
//! its span, as a flat list of [`Occurrence`]s. Hover, go to definition, references, rename and
//! semantic tokens all read it.
//!
//! Names are resolved the way the checker resolves them (variables, then parameters, then
//! definitions, then root fields); the object type behind `base.field` is taken from the
//! checker's typed expressions, so the index never guesses a field's owner. The keys of inline
//! `given` documents are fields' occurrences where the schema types put them (`given`).

mod given;

use std::collections::{HashMap, HashSet};

use crate::check::{self, Builtin, Program};
use crate::syntax::{FileId, Span, ast};
use crate::workspace::{Workspace, resolve_path};

/// The primitive type names, which are not declared anywhere.
pub(crate) const PRIMITIVES: &[&str] =
    &["string", "bool", "int", "count", "number", "ratio", "date"];

/// What a name refers to.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Symbol {
    Norm(String),
    Def(String),
    Param(String),
    /// An object type or an enum.
    Type(String),
    /// A field of the object type with this index in the schema.
    Field {
        object: usize,
        name: String,
    },
    Pillar(String),
    Stage(String),
    Source(String),
    Profile(String),
    /// A quantifier variable or a definition's parameter, by the span of its declaration.
    Local {
        decl: Span,
    },
    Builtin(&'static str),
    /// A member of the enum with this index in the schema, by its string.
    EnumMember {
        enum_id: usize,
        value: String,
    },
    /// A policy file, root-relative (the target of a `use`).
    File(String),
}

/// One place where a name is declared or used.
#[derive(Clone, Debug)]
pub(crate) struct Occurrence {
    /// The name's span.
    pub span: Span,
    /// What it refers to.
    pub symbol: Symbol,
    /// True at the declaration.
    pub is_decl: bool,
    /// At a declaration: the whole declaring item or field.
    pub item: Option<Span>,
}

/// Every occurrence of every name in a policy set, in file and source order.
#[derive(Debug, Default)]
pub(crate) struct Index {
    /// The occurrences.
    pub occurrences: Vec<Occurrence>,
}

impl Index {
    /// Indexes every file of `workspace`, resolving against the checked `program`.
    pub(crate) fn build(workspace: &Workspace, program: &Program) -> Index {
        let mut builder = Builder::new(program);
        for file in &workspace.files {
            builder.path = file.path.clone();
            builder.text = &file.text;
            for item in &file.parse.file.items {
                builder.item(item);
            }
        }
        let mut occurrences = builder.occurrences;
        occurrences.extend(enum_member_uses(program));
        occurrences.sort_by_key(|o| (o.span.file, o.span.start));
        Index { occurrences }
    }

    /// The innermost occurrence whose name covers `offset` in `file`.
    pub(crate) fn at(&self, file: FileId, offset: usize) -> Option<&Occurrence> {
        self.occurrences
            .iter()
            .filter(|o| o.span.file == file && o.span.contains(offset))
            .min_by_key(|o| o.span.len())
    }

    /// Every occurrence of `symbol`.
    pub(crate) fn of<'a>(&'a self, symbol: &'a Symbol) -> impl Iterator<Item = &'a Occurrence> {
        self.occurrences.iter().filter(move |o| o.symbol == *symbol)
    }

    /// The declarations of `symbol` (more than one only for duplicates).
    pub(crate) fn declarations<'a>(
        &'a self,
        symbol: &'a Symbol,
    ) -> impl Iterator<Item = &'a Occurrence> {
        self.of(symbol).filter(|o| o.is_decl)
    }
}

/// Walks the AST of each file, collecting occurrences.
struct Builder<'p> {
    program: &'p Program,
    params: HashSet<&'p str>,
    defs: HashSet<&'p str>,
    /// Object type of the base of each checked `base.field`, by the span of the field access.
    field_owners: HashMap<Span, usize>,
    /// Root-relative path of the file being walked.
    path: String,
    /// Text of the file being walked.
    text: &'p str,
    occurrences: Vec<Occurrence>,
}

impl<'p> Builder<'p> {
    fn new(program: &'p Program) -> Self {
        let mut field_owners = HashMap::new();
        for_each_checked_expr(program, &mut |expr| {
            if let check::ExprKind::Field(base, _, _) = &expr.kind
                && let check::Type::Object(object) = base.ty
            {
                field_owners.insert(expr.span, object);
            }
        });
        Builder {
            program,
            params: program.params.iter().map(|p| p.name.as_str()).collect(),
            defs: program.defs.iter().map(|d| d.name.as_str()).collect(),
            field_owners,
            path: String::new(),
            text: "",
            occurrences: Vec::new(),
        }
    }

    fn push(&mut self, ident: &ast::Ident, symbol: Symbol) {
        self.occurrences.push(Occurrence {
            span: ident.span,
            symbol,
            is_decl: false,
            item: None,
        });
    }

    fn declare(&mut self, ident: &ast::Ident, symbol: Symbol, item: Span) {
        let occurrence = Occurrence {
            span: ident.span,
            symbol,
            is_decl: true,
            item: Some(item),
        };
        self.occurrences.push(occurrence);
    }

    fn item(&mut self, item: &ast::Item) {
        use ast::ItemKind as K;
        match &item.kind {
            K::Use(path) => {
                if let Ok(target) = resolve_path(&self.path, &path.value) {
                    let occurrence = Occurrence {
                        span: path.span,
                        symbol: Symbol::File(target),
                        is_decl: false,
                        item: None,
                    };
                    self.occurrences.push(occurrence);
                }
            }
            K::Source(source) => self.declare(
                &source.id,
                Symbol::Source(source.id.name.clone()),
                item.span,
            ),
            K::Pillar(label) => {
                self.declare(&label.id, Symbol::Pillar(label.id.name.clone()), item.span)
            }
            K::Stage(label) => {
                self.declare(&label.id, Symbol::Stage(label.id.name.clone()), item.span)
            }
            K::Enum(decl) => {
                self.declare(&decl.name, Symbol::Type(decl.name.name.clone()), item.span);
                self.enum_members(decl);
            }
            K::Type(decl) => {
                self.declare(&decl.name, Symbol::Type(decl.name.name.clone()), item.span);
                let object = self.object_named(&decl.name.name);
                self.fields(object, &decl.fields);
            }
            K::Schema(schema) => self.fields(Some(self.program.schema.root), &schema.fields),
            K::Param(param) => {
                self.declare(
                    &param.name,
                    Symbol::Param(param.name.name.clone()),
                    item.span,
                );
                self.type_expr(&param.ty);
                self.expr(&param.default, &mut Vec::new());
            }
            K::Def(def) => self.def(def, item.span),
            K::Norm(norm) => self.norm(norm, item.span),
            K::Profile(profile) => self.profile(profile, item.span),
            K::Test(test) => self.test(test),
        }
    }

    fn enum_members(&mut self, decl: &ast::EnumDecl) {
        let enums = &self.program.schema.enums;
        let Some(enum_id) = enums.iter().position(|e| e.name == decl.name.name) else {
            return;
        };
        for member in &decl.members {
            let value = member.value.value.clone();
            self.occurrences.push(Occurrence {
                span: member.value.span,
                symbol: Symbol::EnumMember { enum_id, value },
                is_decl: true,
                item: Some(member.value.span),
            });
        }
    }

    fn object_named(&self, name: &str) -> Option<usize> {
        let objects = &self.program.schema.objects;
        objects.iter().position(|object| object.name == name)
    }

    fn fields(&mut self, object: Option<usize>, fields: &[ast::Field]) {
        for field in fields {
            if let Some(object) = object {
                let symbol = Symbol::Field {
                    object,
                    name: field.name.name.clone(),
                };
                self.declare(&field.name, symbol, field.span);
            }
            self.type_expr(&field.ty);
        }
    }

    fn type_expr(&mut self, ty: &ast::TypeExpr) {
        match ty {
            ast::TypeExpr::Named(ident) if !PRIMITIVES.contains(&ident.name.as_str()) => {
                self.push(ident, Symbol::Type(ident.name.clone()));
            }
            ast::TypeExpr::List(inner, _) => self.type_expr(inner),
            ast::TypeExpr::Ref(ident, _) => {
                let object = self.program.schema.root;
                if !self.program.schema.objects.is_empty() {
                    self.push(
                        ident,
                        Symbol::Field {
                            object,
                            name: ident.name.clone(),
                        },
                    );
                }
            }
            _ => {}
        }
    }

    fn def(&mut self, def: &ast::Def, item: Span) {
        self.declare(&def.name, Symbol::Def(def.name.name.clone()), item);
        let mut scope = Vec::new();
        for param in def.params.iter().flatten() {
            let symbol = Symbol::Local {
                decl: param.name.span,
            };
            self.declare(&param.name, symbol, param.name.span.to(param.ty.span()));
            self.type_expr(&param.ty);
            scope.push((param.name.name.clone(), param.name.span));
        }
        self.expr(&def.body, &mut scope);
    }

    fn norm(&mut self, norm: &ast::Norm, item: Span) {
        use ast::NormClauseKind as C;
        self.declare(&norm.id, Symbol::Norm(norm.id.name.clone()), item);
        for clause in &norm.clauses {
            match &clause.kind {
                C::Pillar(id) => self.push(id, Symbol::Pillar(id.name.clone())),
                C::Stages(ast::StageList::List(ids)) => {
                    for id in ids {
                        self.push(id, Symbol::Stage(id.name.clone()));
                    }
                }
                C::Cites { source, .. } => self.push(source, Symbol::Source(source.name.clone())),
                C::When(expr) => self.expr(expr, &mut Vec::new()),
                C::Require { condition, message } => {
                    self.expr(condition, &mut Vec::new());
                    for segment in message.iter().flat_map(|m| &m.segments) {
                        if let ast::Segment::Interpolation(expr) = segment {
                            self.expr(expr, &mut Vec::new());
                        }
                    }
                }
                _ => {}
            }
        }
    }

    fn profile(&mut self, profile: &ast::Profile, item: Span) {
        use ast::ProfileClauseKind as C;
        self.declare(&profile.id, Symbol::Profile(profile.id.name.clone()), item);
        for clause in &profile.clauses {
            match &clause.kind {
                C::Extends(id) => self.push(id, Symbol::Profile(id.name.clone())),
                C::Include(selectors) | C::Exclude(selectors) => {
                    for selector in selectors {
                        self.selector(selector);
                    }
                }
                C::Override { norm, .. } => self.push(norm, Symbol::Norm(norm.name.clone())),
                C::Set(setting) => self.setting(setting),
                C::Title(_) => {}
            }
        }
    }

    fn selector(&mut self, selector: &ast::Selector) {
        match selector {
            ast::Selector::Norm(id) => self.push(id, Symbol::Norm(id.name.clone())),
            ast::Selector::Pillar(id) => self.push(id, Symbol::Pillar(id.name.clone())),
            ast::Selector::Stage(id) => self.push(id, Symbol::Stage(id.name.clone())),
            _ => {}
        }
    }

    fn setting(&mut self, setting: &ast::Setting) {
        self.push(&setting.param, Symbol::Param(setting.param.name.clone()));
        self.expr(&setting.value, &mut Vec::new());
    }

    fn test(&mut self, test: &ast::Test) {
        use ast::TestClauseKind as C;
        for clause in &test.clauses {
            match &clause.kind {
                C::Profile(id) => self.push(id, Symbol::Profile(id.name.clone())),
                C::Set(setting) => self.setting(setting),
                C::Expect { norms, .. } => {
                    for id in norms {
                        self.push(id, Symbol::Norm(id.name.clone()));
                    }
                }
                C::GivenInline(_, span) => self.given(*span),
                C::GivenFile(_) => {}
            }
        }
    }

    /// The keys of the inline document at `span` that name schema fields.
    fn given(&mut self, span: Span) {
        for key in given::field_keys(&self.program.schema, self.text, span) {
            self.occurrences.push(Occurrence {
                span: key.span,
                symbol: Symbol::Field {
                    object: key.object,
                    name: key.name,
                },
                is_decl: false,
                item: None,
            });
        }
    }

    fn expr(&mut self, expr: &ast::Expr, scope: &mut Vec<(String, Span)>) {
        use ast::ExprKind as E;
        match &expr.kind {
            E::Literal(_) | E::Today | E::Missing => {}
            E::Name(ident) => self.name(ident, scope),
            E::Field(base, ident) => {
                self.expr(base, scope);
                if let Some(&object) = self.field_owners.get(&expr.span) {
                    self.push(
                        ident,
                        Symbol::Field {
                            object,
                            name: ident.name.clone(),
                        },
                    );
                }
            }
            E::Index(base, index) => {
                self.expr(base, scope);
                self.expr(index, scope);
            }
            E::Call(callee, args) => self.call(callee, args, scope),
            E::Collect(_, binder, key) => {
                let mark = scope.len();
                self.binder(binder, scope);
                if let Some(key) = key {
                    self.expr(key, scope);
                }
                scope.truncate(mark);
            }
            E::Quantified(_, binder, body) => {
                let mark = scope.len();
                self.binder(binder, scope);
                self.expr(body, scope);
                scope.truncate(mark);
            }
            E::Unary(_, operand) | E::Paren(operand) => self.expr(operand, scope),
            E::Binary(_, lhs, rhs) => {
                self.expr(lhs, scope);
                self.expr(rhs, scope);
            }
            E::List(items) => {
                for item in items {
                    self.expr(item, scope);
                }
            }
        }
    }

    fn binder(&mut self, binder: &ast::Binder, scope: &mut Vec<(String, Span)>) {
        self.expr(&binder.list, scope);
        let var = &binder.var;
        self.declare(var, Symbol::Local { decl: var.span }, var.span);
        scope.push((var.name.clone(), var.span));
        if let Some(filter) = &binder.filter {
            self.expr(filter, scope);
        }
    }

    fn call(&mut self, callee: &ast::Ident, args: &[ast::Expr], scope: &mut Vec<(String, Span)>) {
        if matches!(callee.name.as_str(), "passes" | "fails") {
            for arg in args {
                if let ast::ExprKind::Name(id) = &arg.kind {
                    self.push(id, Symbol::Norm(id.name.clone()));
                }
            }
            return;
        }
        if let Some(builtin) = Builtin::by_name(&callee.name) {
            self.push(callee, Symbol::Builtin(builtin.name()));
        } else if self.defs.contains(callee.name.as_str()) {
            self.push(callee, Symbol::Def(callee.name.clone()));
        }
        for arg in args {
            self.expr(arg, scope);
        }
    }

    fn name(&mut self, ident: &ast::Ident, scope: &[(String, Span)]) {
        let name = ident.name.as_str();
        let symbol = if let Some((_, decl)) = scope.iter().rev().find(|(n, _)| n == name) {
            Symbol::Local { decl: *decl }
        } else if self.params.contains(name) {
            Symbol::Param(ident.name.clone())
        } else if self.defs.contains(name) {
            Symbol::Def(ident.name.clone())
        } else if let Some(root) = self.program.schema.objects.get(self.program.schema.root)
            && root.field_index(name).is_some()
        {
            Symbol::Field {
                object: self.program.schema.root,
                name: ident.name.clone(),
            }
        } else {
            return;
        };
        self.push(ident, symbol);
    }
}

/// Strings compared with an enum (`x == "member"`, `x in ["a", "b"]`) as uses of its members.
fn enum_member_uses(program: &Program) -> Vec<Occurrence> {
    let mut out = Vec::new();
    for_each_checked_expr(program, &mut |expr| {
        let check::ExprKind::Binary(op, lhs, rhs) = &expr.kind else {
            return;
        };
        if !op.is_comparison() {
            return;
        }
        for (typed, other) in [(lhs, rhs), (rhs, lhs)] {
            let Some(enum_id) = enum_of(&typed.ty) else {
                continue;
            };
            let strings: Vec<&check::Expr> = match &other.kind {
                check::ExprKind::List(items) => items.iter().collect(),
                _ => vec![&**other],
            };
            for string in strings {
                if let check::ExprKind::Const(check::Const::Str(value)) = &string.kind {
                    let symbol = Symbol::EnumMember {
                        enum_id,
                        value: value.to_string(),
                    };
                    out.push(Occurrence {
                        span: string.span,
                        symbol,
                        is_decl: false,
                        item: None,
                    });
                }
            }
        }
    });
    out
}

/// The enum a value of type `ty` (or each element of it) belongs to.
fn enum_of(ty: &check::Type) -> Option<usize> {
    match ty {
        check::Type::Enum(id) => Some(*id),
        check::Type::List(element) => enum_of(element),
        _ => None,
    }
}

/// Calls `f` on every checked expression of `program`, subexpressions included.
pub(crate) fn for_each_checked_expr(program: &Program, f: &mut dyn FnMut(&check::Expr)) {
    for norm in &program.norms {
        for expr in norm
            .when
            .iter()
            .chain(norm.requires.iter().map(|r| &r.condition))
        {
            expr.walk(f);
        }
        for require in &norm.requires {
            for segment in require.message.iter().flatten() {
                if let check::Segment::Value(expr) = segment {
                    expr.walk(f);
                }
            }
        }
    }
    for def in &program.defs {
        def.body.walk(f);
    }
}
