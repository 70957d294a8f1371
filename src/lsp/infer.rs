//! The type of an AST expression written as a path (`s.certification.date`, `filter(…)`,
//! `xs[0]`), read from the checked program's schema, parameters and definitions. Completion
//! needs it on text that does not check yet, so it works on the AST directly; anything that is
//! not a path has no type here.

use super::syntax_at::{Local, Node, locals};
use crate::check::{Program, Type};
use crate::syntax::ast;

/// How deep a chain of variables may go (`x in y.items`, `y in z.items`, …).
const MAX_DEPTH: u32 = 32;

/// The type of `expr` in the scope of `path` (the nodes around it).
pub(crate) fn type_of(program: &Program, path: &[Node<'_>], expr: &ast::Expr) -> Option<Type> {
    let locals = locals(path);
    Infer {
        program,
        locals: &locals,
    }
    .expr(expr, 0)
}

struct Infer<'a, 'p> {
    program: &'p Program,
    locals: &'a [(&'p ast::Ident, Local<'p>)],
}

impl Infer<'_, '_> {
    fn expr(&self, expr: &ast::Expr, depth: u32) -> Option<Type> {
        use ast::ExprKind as E;
        if depth > MAX_DEPTH {
            return None;
        }
        match &expr.kind {
            E::Name(ident) => self.name(ident, depth),
            E::Field(base, field) => {
                let base = self.deref(self.expr(base, depth + 1)?);
                let Type::Object(object) = base else {
                    return None;
                };
                let object = self.program.schema.objects.get(object)?;
                Some(
                    object
                        .fields
                        .get(object.field_index(&field.name)?)?
                        .ty
                        .clone(),
                )
            }
            E::Index(base, _) => self.expr(base, depth + 1)?.element().cloned(),
            E::Paren(inner) => self.expr(inner, depth + 1),
            E::Collect(ast::CollectKind::Filter, binder, _) => self.expr(&binder.list, depth + 1),
            E::Collect(ast::CollectKind::Latest, binder, _) => {
                self.expr(&binder.list, depth + 1)?.element().cloned()
            }
            E::Call(callee, args) => self.call(callee, args, depth),
            _ => None,
        }
    }

    /// Follows a reference to the object it names.
    pub(crate) fn deref(&self, ty: Type) -> Type {
        match ty {
            Type::Ref(root_field) => self
                .program
                .schema
                .ref_target(root_field)
                .map_or(Type::Any, Type::Object),
            other => other,
        }
    }

    fn name(&self, ident: &ast::Ident, depth: u32) -> Option<Type> {
        let name = ident.name.as_str();
        if let Some((_, local)) = self.locals.iter().rev().find(|(n, _)| n.name == name) {
            return match local {
                Local::Param(ty) => self.type_expr(ty),
                Local::Element(list) => self.expr(list, depth + 1)?.element().cloned(),
            };
        }
        let program = self.program;
        if let Some(param) = program.params.iter().find(|p| p.name == name) {
            return Some(param.ty.clone());
        }
        if let Some(def) = program.defs.iter().find(|d| d.name == name && !d.callable) {
            return Some(def.body.ty.clone());
        }
        let root = program.schema.objects.get(program.schema.root)?;
        Some(root.fields.get(root.field_index(name)?)?.ty.clone())
    }

    fn call(&self, callee: &ast::Ident, args: &[ast::Expr], depth: u32) -> Option<Type> {
        match callee.name.as_str() {
            "union" | "intersection" | "difference" => self.expr(args.first()?, depth + 1),
            name => {
                let def = self.program.defs.iter().find(|d| d.name == name)?;
                Some(def.body.ty.clone())
            }
        }
    }

    fn type_expr(&self, ty: &ast::TypeExpr) -> Option<Type> {
        let schema = &self.program.schema;
        match ty {
            ast::TypeExpr::Named(ident) => Some(match Type::document_primitive(&ident.name) {
                Some(primitive) => primitive,
                None => match schema.objects.iter().position(|o| o.name == ident.name) {
                    Some(object) => Type::Object(object),
                    None => Type::Enum(schema.enums.iter().position(|e| e.name == ident.name)?),
                },
            }),
            ast::TypeExpr::List(inner, _) => Some(Type::List(Box::new(self.type_expr(inner)?))),
            ast::TypeExpr::Ref(ident, _) => {
                let root = schema.objects.get(schema.root)?;
                Some(Type::Ref(root.field_index(&ident.name)?))
            }
            ast::TypeExpr::Missing(_) => None,
        }
    }
}

/// Follows a reference type to the object type it names.
pub(crate) fn deref(program: &Program, ty: Type) -> Type {
    Infer {
        program,
        locals: &[],
    }
    .deref(ty)
}
