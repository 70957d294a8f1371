//! Type rules of the built-in functions.

use super::Checker;
use super::program::{Builtin, Expr};
use super::types::Type;
use crate::diagnostics::{Code, Diagnostic};
use crate::syntax::{Span, ast};

impl Checker<'_> {
    pub(super) fn builtin_type(
        &mut self,
        builtin: Builtin,
        args: &[Expr],
        callee: &ast::Ident,
        span: Span,
    ) -> Type {
        use Builtin::*;
        let arity = match builtin {
            DaysBetween | Min | Max | StartsWith | EndsWith | Contains | Union | Intersection
            | Difference | Subset => 2,
            _ => 1,
        };
        if args.len() != arity {
            self.report(
                Diagnostic::new(
                    Code::WrongArity,
                    span,
                    format!(
                        "`{}` takes {arity} argument(s), but {} were given",
                        callee.name,
                        args.len()
                    ),
                )
                .with_help(format!("signature: {}", builtin.signature())),
            );
            return Type::Any;
        }
        let name = builtin.name();
        match builtin {
            Count => {
                self.want_list(&args[0], name);
                Type::Int
            }
            Exists => Type::Bool,
            Resolves => {
                if !matches!(args[0].ty, Type::Ref(_) | Type::Any) {
                    self.mismatch(args[0].span, "`resolves`", "a `ref` field", &args[0].ty);
                }
                Type::Bool
            }
            IsEmpty => {
                if !matches!(args[0].ty, Type::List(_) | Type::String | Type::Any) {
                    self.mismatch(
                        args[0].span,
                        "`is_empty`",
                        "a list or a string",
                        &args[0].ty,
                    );
                }
                Type::Bool
            }
            Days => {
                self.want(&args[0], name, "a duration", |t| *t == Type::Duration);
                Type::Int
            }
            DaysBetween => {
                self.want(&args[0], name, "a date", |t| *t == Type::Date);
                self.want(&args[1], name, "a date", |t| *t == Type::Date);
                Type::Int
            }
            Min | Max => {
                if !args[0].ty.orderable_with(&args[1].ty) || args[0].ty == Type::String {
                    self.mismatch(
                        args[1].span,
                        &format!("`{name}`"),
                        "two numbers, dates or durations",
                        &args[1].ty,
                    );
                    return Type::Any;
                }
                match (&args[0].ty, &args[1].ty) {
                    (a, b) if a.is_whole() && b.is_whole() => Type::Int,
                    (a, b) if a.is_numeric() && b.is_numeric() => Type::Number,
                    (Type::Any, b) => b.clone(),
                    (a, _) => a.clone(),
                }
            }
            Lower | Upper | Trim => {
                self.want_text(&args[0], name);
                Type::String
            }
            Len => {
                self.want_text(&args[0], name);
                Type::Int
            }
            StartsWith | EndsWith => {
                self.want_text(&args[0], name);
                self.want_text(&args[1], name);
                Type::Bool
            }
            Contains => {
                match args[0].ty.element() {
                    Some(element) if args[0].ty != Type::Any => {
                        if !args[1].ty.comparable_with(element) {
                            let element = element.display(&self.program.schema).to_string();
                            self.mismatch(args[1].span, "`contains`", &element, &args[1].ty);
                        }
                    }
                    _ => {
                        self.want_text(&args[0], name);
                        self.want_text(&args[1], name);
                    }
                }
                Type::Bool
            }
            Union | Intersection | Difference => {
                self.want_list(&args[0], name);
                self.want_list(&args[1], name);
                if !args[0].ty.comparable_with(&args[1].ty) {
                    let expected = args[0].ty.display(&self.program.schema).to_string();
                    self.mismatch(args[1].span, &format!("`{name}`"), &expected, &args[1].ty);
                }
                args[0].ty.clone()
            }
            Subset => {
                self.want_list(&args[0], name);
                self.want_list(&args[1], name);
                Type::Bool
            }
        }
    }

    fn want(&mut self, arg: &Expr, name: &str, expected: &str, ok: impl Fn(&Type) -> bool) {
        if !ok(&arg.ty) && arg.ty != Type::Any {
            self.mismatch(arg.span, &format!("`{name}`"), expected, &arg.ty);
        }
    }

    fn want_list(&mut self, arg: &Expr, name: &str) {
        if arg.ty.element().is_none() {
            let found = arg.ty.display(&self.program.schema).to_string();
            self.report(
                Diagnostic::new(
                    Code::NotAList,
                    arg.span,
                    format!("`{name}` needs a list, found {found}"),
                )
                .with_label(format!("{found}, not a list")),
            );
        }
    }

    fn want_text(&mut self, arg: &Expr, name: &str) {
        self.want(arg, name, "text", Type::is_textual);
    }
}
