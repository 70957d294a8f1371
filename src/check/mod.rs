//! The checker: resolves every name of a workspace (definitions, parameters, norms, profiles,
//! sources, pillars, stages, schema types and fields, across `use` imports), type-checks every
//! expression against the schema, and reports lints. Its output, [`Program`], is what the
//! evaluator compiles.
//!
//! `check` reads no files: it works on the parsed [`Workspace`]. It runs on partial trees too
//! (the language server checks as you type), so every rule tolerates missing pieces, and an
//! error never cascades into more errors about the same thing.

mod builtins;
mod decls;
mod expr;
mod items;
mod lints;
mod program;
mod schema;
mod types;

pub use program::*;
pub use types::{
    EnumId, EnumType, FieldDef, LARGEST_WHOLE, ObjectId, ObjectType, Schema, TOO_LARGE_HELP, Type,
    WrittenWhole, article, written_whole,
};

use std::collections::HashMap;

use crate::diagnostics::{Code, Diagnostic, did_you_mean};
use crate::syntax::{FileId, Span, ast};
use crate::workspace::Workspace;

/// The result of checking a workspace.
#[derive(Debug)]
pub struct Checked {
    /// The program; complete only when there are no errors.
    pub program: Program,
    /// Every name, type and lint diagnostic (syntax diagnostics stay in the workspace).
    pub diagnostics: Vec<Diagnostic>,
}

impl Checked {
    /// True when any diagnostic, here or in the workspace, is an error.
    pub fn has_errors(&self, workspace: &Workspace) -> bool {
        self.diagnostics
            .iter()
            .chain(workspace.syntax_diagnostics())
            .any(Diagnostic::is_error)
    }
}

/// Checks every file of `workspace`.
pub fn check(workspace: &Workspace) -> Checked {
    let mut checker = Checker::new(workspace);
    checker.run();
    let mut diagnostics = checker.diagnostics;
    diagnostics.sort_by(|a, b| {
        let key = |d: &Diagnostic| {
            (
                d.primary.span.file,
                d.primary.span.start,
                d.primary.span.end,
                d.code,
            )
        };
        key(a).cmp(&key(b)).then_with(|| a.message.cmp(&b.message))
    });
    // A problem in a shared definition is found once per use; report it once.
    diagnostics.dedup_by(|a, b| {
        a.code == b.code && a.primary.span == b.primary.span && a.message == b.message
    });
    Checked {
        program: checker.program,
        diagnostics,
    }
}

/// A declaration: where it is and its index in the program.
#[derive(Clone, Copy, Debug)]
struct Decl {
    file: FileId,
    index: usize,
    span: Span,
}

/// The kinds of named declaration, each with its own namespace.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Namespace {
    Source,
    Pillar,
    Stage,
    Type,
    Param,
    Def,
    Norm,
    Profile,
}

impl Namespace {
    /// How many namespaces there are.
    const COUNT: usize = 8;

    /// The index of the namespace's map in [`Checker::names`].
    fn slot(self) -> usize {
        self as usize
    }

    fn describe(self) -> &'static str {
        match self {
            Namespace::Source => "source",
            Namespace::Pillar => "pillar",
            Namespace::Stage => "stage",
            Namespace::Type => "type",
            Namespace::Param => "parameter",
            Namespace::Def => "definition",
            Namespace::Norm => "norm",
            Namespace::Profile => "profile",
        }
    }

    fn unknown_code(self) -> Code {
        match self {
            Namespace::Source => Code::UnknownSource,
            Namespace::Pillar => Code::UnknownPillar,
            Namespace::Stage => Code::UnknownStage,
            Namespace::Type => Code::UnknownType,
            Namespace::Param => Code::UnknownParam,
            Namespace::Def => Code::UnknownName,
            Namespace::Norm => Code::UnknownNorm,
            Namespace::Profile => Code::UnknownProfile,
        }
    }
}

/// What a type name refers to.
#[derive(Clone, Copy, Debug)]
enum TypeRef {
    Object(usize),
    Enum(usize),
}

/// Progress of typing a definition (to detect recursion).
#[derive(Clone, Debug)]
enum DefState {
    Pending,
    InProgress,
    Done(Type),
}

struct Checker<'w> {
    workspace: &'w Workspace,
    visible: Vec<Vec<bool>>,
    diagnostics: Vec<Diagnostic>,
    program: Program,
    /// Declarations by name, one map per namespace (indexed by [`Namespace::slot`]).
    names: [HashMap<String, Decl>; Namespace::COUNT],
    type_refs: Vec<TypeRef>,
    // The syntax behind each program entry, index for index.
    type_decls: Vec<(FileId, &'w ast::TypeDecl, Option<&'w ast::Doc>)>,
    enum_decls: Vec<(FileId, &'w ast::EnumDecl, Option<&'w ast::Doc>)>,
    param_decls: Vec<(FileId, &'w ast::Param)>,
    def_decls: Vec<(FileId, &'w ast::Def)>,
    def_states: Vec<DefState>,
    /// Definitions being checked, innermost last (to name recursion cycles).
    def_stack: Vec<usize>,
    /// The file holding the `schema` block, whose root fields only importers can see.
    schema_file: Option<FileId>,
    def_reads: Vec<Vec<String>>,
    def_norms: Vec<Vec<NormId>>,
    def_params_used: Vec<Vec<ParamId>>,
    norm_decls: Vec<(FileId, &'w ast::Item, &'w ast::Norm)>,
    profile_decls: Vec<(FileId, &'w ast::Profile)>,
    test_decls: Vec<(FileId, &'w ast::Test)>,
    used_defs: Vec<bool>,
    used_params: Vec<bool>,
    /// Declarations whose name an earlier one of their namespace already has, and `schema`
    /// blocks after the first, with their file: reported once; uses resolve to the first.
    duplicates: Vec<(FileId, &'w ast::Item)>,
}

impl<'w> Checker<'w> {
    fn new(workspace: &'w Workspace) -> Self {
        Checker {
            workspace,
            visible: workspace.visibility(),
            diagnostics: Vec::new(),
            program: Program::default(),
            names: Default::default(),
            type_refs: Vec::new(),
            type_decls: Vec::new(),
            enum_decls: Vec::new(),
            param_decls: Vec::new(),
            def_decls: Vec::new(),
            def_states: Vec::new(),
            def_stack: Vec::new(),
            schema_file: None,
            def_reads: Vec::new(),
            def_norms: Vec::new(),
            def_params_used: Vec::new(),
            norm_decls: Vec::new(),
            profile_decls: Vec::new(),
            test_decls: Vec::new(),
            used_defs: Vec::new(),
            used_params: Vec::new(),
            duplicates: Vec::new(),
        }
    }

    fn run(&mut self) {
        self.collect_declarations();
        self.resolve_schema();
        self.check_name_clashes();
        self.check_params();
        self.check_defs();
        self.check_norms();
        self.order_norms();
        self.check_profiles();
        self.check_tests();
        self.check_duplicates();
        self.lint_unused();
    }

    fn report(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    /// Declares the name of `item` (of `file`) at `index` of its namespace; reports a duplicate,
    /// keeps it aside and returns false if the name is taken.
    fn declare(&mut self, file: FileId, item: &'w ast::Item, index: usize) -> bool {
        let Some((namespace, name)) = decls::declared(item) else {
            return true;
        };
        if let Some(first) = self.decl(namespace, &name.name) {
            let first_span = first.span;
            self.report(
                Diagnostic::new(
                    Code::Duplicate,
                    name.span,
                    format!("{} `{}` is declared twice", namespace.describe(), name.name),
                )
                .with_label("second declaration")
                .with_secondary(first_span, "first declared here")
                .with_help(format!(
                    "rename one of them; {} ids must be unique in a policy set",
                    namespace.describe()
                )),
            );
            self.duplicates.push((file, item));
            return false;
        }
        let decl = Decl {
            file,
            index,
            span: name.span,
        };
        self.names[namespace.slot()].insert(name.name.clone(), decl);
        true
    }

    /// Resolves `name` in `namespace` as seen from `from`; reports and returns `None` when
    /// there is no such declaration or it is not imported.
    fn lookup(&mut self, namespace: Namespace, name: &ast::Ident, from: FileId) -> Option<usize> {
        if let Some(index) = self.lookup_quiet(namespace, &name.name, from) {
            return Some(index);
        }
        self.report_unknown(namespace, name, from);
        None
    }

    /// Like [`Checker::lookup`] without reporting. A file that sees a duplicate declaration of
    /// the name (its own, say) sees the first one: the duplicate is reported once, not at each
    /// use.
    fn lookup_quiet(&self, namespace: Namespace, name: &str, from: FileId) -> Option<usize> {
        let decl = self.decl(namespace, name)?;
        let visible = self.is_visible(from, decl.file)
            || self
                .duplicates_of(namespace, name)
                .any(|(file, _)| self.is_visible(from, file));
        visible.then_some(decl.index)
    }

    /// The duplicate declarations of `name` in `namespace`, with their files.
    fn duplicates_of<'a>(
        &'a self,
        namespace: Namespace,
        name: &'a str,
    ) -> impl Iterator<Item = (FileId, &'w ast::Item)> + 'a {
        self.duplicates.iter().copied().filter(move |(_, item)| {
            decls::declared(item).is_some_and(|(ns, id)| ns == namespace && id.name == name)
        })
    }

    /// The repeated `schema` blocks, with their files.
    fn repeated_schemas(&self) -> impl Iterator<Item = (FileId, &'w ast::SchemaDecl)> + '_ {
        (self.duplicates.iter()).filter_map(|(file, item)| match &item.kind {
            ast::ItemKind::Schema(decl) => Some((*file, decl)),
            _ => None,
        })
    }

    /// True when a repeated `schema` block declares the root field `name`: the repeat is
    /// reported, so a use of what only it declares is not reported again.
    fn repeated_schema_declares(&self, name: &str) -> bool {
        self.repeated_schemas()
            .any(|(_, decl)| decl.fields.iter().any(|field| field.name.name == name))
    }

    /// The declaration of `name` in `namespace`, visible or not.
    fn decl(&self, namespace: Namespace, name: &str) -> Option<&Decl> {
        self.names[namespace.slot()].get(name)
    }

    /// True when `from` sees the schema: its file, or that of a repeated `schema` block (the
    /// repeat is reported once, not at each use of a root field).
    fn sees_schema(&self, from: FileId) -> bool {
        self.schema_file
            .is_some_and(|file| self.is_visible(from, file))
            || self
                .repeated_schemas()
                .any(|(file, _)| self.is_visible(from, file))
    }

    fn is_visible(&self, from: FileId, declared_in: FileId) -> bool {
        self.visible
            .get(from.0 as usize)
            .and_then(|row| row.get(declared_in.0 as usize))
            .copied()
            .unwrap_or(false)
    }

    fn report_unknown(&mut self, namespace: Namespace, name: &ast::Ident, from: FileId) {
        let what = namespace.describe();
        if let Some(decl) = self.decl(namespace, &name.name).copied() {
            let declared_in = &self.workspace.file(decl.file).path;
            let importer = &self.workspace.file(from).path;
            let relative = relative_use_path(importer, declared_in);
            self.report(
                Diagnostic::new(
                    namespace.unknown_code(),
                    name.span,
                    format!("{what} `{}` is not imported here", name.name),
                )
                .with_label("declared in a file this one does not import")
                .with_secondary(decl.span, "declared here")
                .with_help(format!("add `use \"{relative}\"` at the top of this file")),
            );
            return;
        }
        let candidates: Vec<String> = self.visible_names(namespace, from);
        let suggestion =
            did_you_mean(&name.name, candidates.iter().map(String::as_str)).map(str::to_string);
        let mut diagnostic = Diagnostic::new(
            namespace.unknown_code(),
            name.span,
            format!("unknown {what} `{}`", name.name),
        )
        .with_label(format!("no {what} has this id"));
        diagnostic = match suggestion {
            Some(close) => diagnostic
                .with_help(format!("did you mean `{close}`?"))
                .with_suggestion(name.span, close),
            None if candidates.is_empty() => diagnostic.with_help(format!(
                "declare it with `{}` first",
                keyword_for(namespace)
            )),
            None => diagnostic.with_help(format!("known {what}s: {}", preview(&candidates))),
        };
        self.report(diagnostic);
    }

    /// Names of `namespace` visible from `from`, sorted.
    fn visible_names(&self, namespace: Namespace, from: FileId) -> Vec<String> {
        let mut names: Vec<String> = self.names[namespace.slot()]
            .iter()
            .filter(|(_, decl)| self.is_visible(from, decl.file))
            .map(|(name, _)| name.clone())
            .collect();
        names.sort();
        names
    }
}

fn keyword_for(namespace: Namespace) -> &'static str {
    match namespace {
        Namespace::Source => "source",
        Namespace::Pillar => "pillar",
        Namespace::Stage => "stage",
        Namespace::Type => "type",
        Namespace::Param => "param",
        Namespace::Def => "def",
        Namespace::Norm => "norm",
        Namespace::Profile => "profile",
    }
}

/// Up to eight names, then "…".
fn preview(names: &[String]) -> String {
    let mut shown: Vec<&str> = names.iter().take(8).map(String::as_str).collect();
    if names.len() > 8 {
        shown.push("…");
    }
    shown.join(", ")
}

/// The `use` path that imports `target` from `importer` (both root-relative).
fn relative_use_path(importer: &str, target: &str) -> String {
    let depth = importer.matches('/').count();
    format!("{}{}", "../".repeat(depth), target)
}
