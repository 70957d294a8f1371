//! Resolves the schema: object types, enums and the root `schema` block, with field types,
//! references and docs; and resolves type expressions written elsewhere (parameters,
//! definition parameters).

use super::types::{EnumType, FieldDef, ObjectType, Type};
use super::{Checker, Namespace, TypeRef};
use crate::diagnostics::{Code, Diagnostic, did_you_mean};
use crate::syntax::ast::{self, ItemKind, TypeExpr};
use crate::syntax::{FileId, Span};

/// Primitive type names.
pub(super) const PRIMITIVES: &[&str] = &[
    "string", "bool", "int", "count", "number", "ratio", "date", "duration",
];

/// Where a type expression is written, which decides whether `ref` and `duration` fit.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum TypeContext {
    /// A field of the document.
    Field,
    /// A parameter or a definition's parameter.
    Value,
}

impl Checker<'_> {
    pub(super) fn resolve_schema(&mut self) {
        let workspace = self.workspace;
        // Objects first (their ids are fixed), the root last.
        for (file, decl, doc) in &self.type_decls {
            let _ = file;
            self.program.schema.objects.push(ObjectType {
                name: decl.name.name.clone(),
                fields: Vec::new(),
                doc: doc.map(ast::Doc::text),
                span: decl.name.span,
            });
        }
        for (_, decl, doc) in self.enum_decls.clone() {
            let members = self.enum_members(decl);
            self.program.schema.enums.push(EnumType {
                name: decl.name.name.clone(),
                members,
                doc: doc.map(ast::Doc::text),
                span: decl.name.span,
            });
        }
        let schema_decl = workspace.files.iter().find_map(|file| {
            file.parse
                .file
                .items
                .iter()
                .find_map(|item| match &item.kind {
                    ItemKind::Schema(decl) => Some((file.id, decl, item.doc.as_ref())),
                    _ => None,
                })
        });
        let root = self.program.schema.objects.len();
        self.program.schema.root = root;
        self.program.schema.objects.push(ObjectType {
            name: "<root>".into(),
            fields: Vec::new(),
            doc: schema_decl.and_then(|(_, _, doc)| doc.map(ast::Doc::text)),
            span: schema_decl.map_or_else(Span::default, |(_, decl, _)| decl.keyword),
        });
        self.schema_file = schema_decl.map(|(file, _, _)| file);
        match schema_decl {
            Some((file, decl, _)) => {
                // Root field names must be known before `ref` types can be resolved, at the
                // indices `fields` gives them (a repeated name keeps its first place).
                let mut names: Vec<String> = Vec::new();
                for field in &decl.fields {
                    if !names.contains(&field.name.name) {
                        names.push(field.name.name.clone());
                    }
                }
                self.program.schema.objects[root].fields = names
                    .into_iter()
                    .map(|name| FieldDef {
                        name,
                        ty: Type::Any,
                        required: false,
                        doc: None,
                        span: Span::default(),
                    })
                    .collect();
                let fields = self.fields(file, &decl.fields);
                self.program.schema.objects[root].fields = fields;
            }
            None => {
                if let Some(first) = workspace.files.first() {
                    if !first.parse.file.items.is_empty() && self.needs_schema() {
                        self.report(
                            Diagnostic::new(Code::MissingSchema, Span::new(first.id, 0, 0), "the policy set has no `schema` block")
                                .with_help("declare the jurisdiction document with `schema { … }`, or `use` the file that does"),
                        );
                    }
                }
            }
        }
        for (index, (file, decl, _)) in self.type_decls.clone().into_iter().enumerate() {
            let fields = self.fields(file, &decl.fields);
            self.program.schema.objects[index].fields = fields;
        }
        self.validate_refs();
    }

    /// True when some norm, def, param or test exists, which all need a schema.
    fn needs_schema(&self) -> bool {
        !self.norm_decls.is_empty() || !self.def_decls.is_empty() || !self.test_decls.is_empty()
    }

    fn enum_members(&mut self, decl: &ast::EnumDecl) -> Vec<(String, Option<String>)> {
        let mut members: Vec<(String, Option<String>)> = Vec::new();
        let mut spans: Vec<Span> = Vec::new();
        for member in &decl.members {
            if let Some(first) = members
                .iter()
                .position(|(value, _)| *value == member.value.value)
            {
                self.report(
                    Diagnostic::new(
                        Code::Duplicate,
                        member.value.span,
                        format!("enum member \"{}\" is listed twice", member.value.value),
                    )
                    .with_label("second listing")
                    .with_secondary(spans[first], "first listed here")
                    .with_help("remove one of them"),
                );
                continue;
            }
            members.push((
                member.value.value.clone(),
                member.doc.as_ref().map(ast::Doc::text),
            ));
            spans.push(member.value.span);
        }
        members
    }

    pub(super) fn fields(&mut self, file: FileId, fields: &[ast::Field]) -> Vec<FieldDef> {
        let mut resolved: Vec<FieldDef> = Vec::new();
        for field in fields {
            if let Some(first) = resolved.iter().find(|f| f.name == field.name.name) {
                let first_span = first.span;
                self.report(
                    Diagnostic::new(
                        Code::Duplicate,
                        field.name.span,
                        format!("field `{}` is declared twice", field.name.name),
                    )
                    .with_label("second declaration")
                    .with_secondary(first_span, "first declared here")
                    .with_help("remove or rename one of them"),
                );
                continue;
            }
            let ty = self.resolve_type(file, &field.ty, TypeContext::Field);
            resolved.push(FieldDef {
                name: field.name.name.clone(),
                ty,
                required: !field.optional,
                doc: field.doc.as_ref().map(ast::Doc::text),
                span: field.name.span,
            });
        }
        resolved
    }

    /// Resolves a written type; reports unknown names and misplaced `ref`/`duration`.
    pub(super) fn resolve_type(
        &mut self,
        file: FileId,
        ty: &TypeExpr,
        context: TypeContext,
    ) -> Type {
        match ty {
            TypeExpr::Missing(_) => Type::Any,
            TypeExpr::List(inner, _) => {
                Type::List(Box::new(self.resolve_type(file, inner, context)))
            }
            TypeExpr::Ref(target, span) => {
                if context == TypeContext::Value {
                    self.report(
                        Diagnostic::new(Code::BadRef, *span, "`ref` types belong in the schema")
                            .with_help("a parameter or definition takes the referenced object's type or `string`"),
                    );
                    return Type::Any;
                }
                let root = self.program.schema.root_object();
                match root.field_index(&target.name) {
                    Some(index) => Type::Ref(index),
                    None if self.repeated_schema_declares(&target.name) => Type::Any,
                    None => {
                        let names: Vec<&str> =
                            root.fields.iter().map(|f| f.name.as_str()).collect();
                        let mut diagnostic = Diagnostic::new(
                            Code::BadRef,
                            target.span,
                            format!("`ref {}` names no root field", target.name),
                        )
                        .with_label("not a field of the schema block");
                        diagnostic = match did_you_mean(&target.name, names.iter().copied()) {
                            Some(close) => diagnostic.with_help(format!("did you mean `{close}`?")).with_suggestion(target.span, close),
                            None => diagnostic.with_help("a reference names a root-level list of objects with an `id`, e.g. `ref contacts`"),
                        };
                        self.report(diagnostic);
                        Type::Any
                    }
                }
            }
            TypeExpr::Named(name) => self.named_type(file, name, context),
        }
    }

    fn named_type(&mut self, file: FileId, name: &ast::Ident, context: TypeContext) -> Type {
        if let Some(primitive) = Type::document_primitive(&name.name) {
            return primitive;
        }
        match name.name.as_str() {
            "duration" if context == TypeContext::Value => return Type::Duration,
            "duration" => {
                self.report(
                    Diagnostic::new(
                        Code::TypeMismatch,
                        name.span,
                        "a document field cannot be a duration",
                    )
                    .with_help("JSON has no durations; store a number of days as `int`"),
                );
                return Type::Any;
            }
            _ => {}
        }
        if let Some(index) = self.lookup_quiet(Namespace::Type, &name.name, file) {
            return match self.type_refs[index] {
                TypeRef::Object(id) => Type::Object(id),
                TypeRef::Enum(id) => Type::Enum(id),
            };
        }
        if self.decl(Namespace::Type, &name.name).is_some() {
            self.report_unknown(Namespace::Type, name, file);
            return Type::Any;
        }
        let mut candidates = self.visible_names(Namespace::Type, file);
        candidates.extend(PRIMITIVES.iter().map(|p| p.to_string()));
        let mut diagnostic = Diagnostic::new(
            Code::UnknownType,
            name.span,
            format!("unknown type `{}`", name.name),
        )
        .with_label("no type has this name");
        diagnostic = match did_you_mean(&name.name, candidates.iter().map(String::as_str)) {
            Some(close) => diagnostic.with_help(format!("did you mean `{close}`?")).with_suggestion(name.span, close),
            None => diagnostic.with_help("types are string, bool, int, number, ratio, date, [T], ref LIST, or a declared `type`/`enum`"),
        };
        self.report(diagnostic);
        Type::Any
    }

    /// Every `ref x` must name a root list of objects that have an `id`.
    fn validate_refs(&mut self) {
        let schema = &self.program.schema;
        let mut problems = Vec::new();
        for object in &schema.objects {
            for field in &object.fields {
                let mut ty = &field.ty;
                while let Type::List(inner) = ty {
                    ty = inner;
                }
                if let Type::Ref(root_field) = ty {
                    let target_ok = schema
                        .ref_target(*root_field)
                        .is_some_and(|target| schema.objects[target].field_index("id").is_some());
                    if !target_ok {
                        let target = &schema.root_object().fields[*root_field].name;
                        problems.push((field.span, target.clone()));
                    }
                }
            }
        }
        for (span, target) in problems {
            self.report(
                Diagnostic::new(
                    Code::BadRef,
                    span,
                    format!(
                        "`ref {target}` needs `{target}` to be a list of objects with an `id` field"
                    ),
                )
                .with_label("reference declared here")
                .with_help(format!(
                    "declare `{target}: [T]` in the schema where type T has `id: string`"
                )),
            );
        }
    }
}

impl Checker<'_> {
    /// Parameters and definitions share expression names with each other and with root fields;
    /// a clash would silently hide one of them, so it is an error. Root fields named like a
    /// keyword could never be read.
    pub(super) fn check_name_clashes(&mut self) {
        let root_fields: Vec<(String, Span)> = self
            .program
            .schema
            .root_object()
            .fields
            .iter()
            .map(|f| (f.name.clone(), f.span))
            .collect();
        for (name, span) in &root_fields {
            if crate::syntax::RESERVED.contains(&name.as_str()) {
                self.report(
                    Diagnostic::new(
                        Code::Shadowing,
                        *span,
                        format!("root field `{name}` has the name of a keyword"),
                    )
                    .with_label("can never be read in an expression")
                    .with_help("rename the field; nested fields may use any name"),
                );
            }
        }
        let params: Vec<(String, Span)> = self
            .param_decls
            .iter()
            .map(|(_, p)| (p.name.name.clone(), p.name.span))
            .collect();
        let defs: Vec<(String, Span)> = self
            .def_decls
            .iter()
            .map(|(_, d)| (d.name.name.clone(), d.name.span))
            .collect();
        for (name, span) in params.iter().chain(&defs) {
            if let Some((_, field_span)) = root_fields.iter().find(|(field, _)| field == name) {
                self.report(
                    Diagnostic::new(
                        Code::Shadowing,
                        *span,
                        format!("`{name}` is also a root field of the schema"),
                    )
                    .with_label("would hide the document's field")
                    .with_secondary(*field_span, "root field declared here")
                    .with_help("rename the parameter or definition"),
                );
            }
        }
        for (name, span) in &defs {
            if let Some((_, param_span)) = params.iter().find(|(param, _)| param == name) {
                self.report(
                    Diagnostic::new(
                        Code::Shadowing,
                        *span,
                        format!("`{name}` is both a parameter and a definition"),
                    )
                    .with_label("definition")
                    .with_secondary(*param_span, "parameter declared here")
                    .with_help("rename one of them"),
                );
            }
        }
    }
}
