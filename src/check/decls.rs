//! First pass: registers every declaration of every file under its namespace, reporting
//! duplicates (kept aside: uses of the name resolve to the first declaration; a repeated
//! `schema` block is kept aside too, the first is the schema), and records sources, pillars
//! and stages in the program.

use super::program::{Category, Source};
use super::{Checker, DefState, Namespace};
use crate::diagnostics::{Code, Diagnostic};
use crate::syntax::ast::{self, ItemKind, Literal};

impl<'w> Checker<'w> {
    pub(super) fn collect_declarations(&mut self) {
        let workspace = self.workspace;
        let mut schema_seen: Option<crate::syntax::Span> = None;
        for file in &workspace.files {
            for item in &file.parse.file.items {
                let id = file.id;
                match &item.kind {
                    ItemKind::Use(_) => {}
                    ItemKind::Source(source) => {
                        if self.declare(id, item, self.program.sources.len()) {
                            self.program.sources.push(source_info(source));
                        }
                    }
                    ItemKind::Pillar(label) => {
                        if self.declare(id, item, self.program.pillars.len()) {
                            self.program.pillars.push(category(label));
                        }
                    }
                    ItemKind::Stage(label) => {
                        if self.declare(id, item, self.program.stages.len()) {
                            self.program.stages.push(category(label));
                        }
                    }
                    ItemKind::Enum(decl) => {
                        if self.declare(id, item, self.type_refs.len()) {
                            self.type_refs
                                .push(super::TypeRef::Enum(self.enum_decls.len()));
                            self.enum_decls.push((id, decl, item.doc.as_ref()));
                        }
                    }
                    ItemKind::Type(decl) => {
                        if self.declare(id, item, self.type_refs.len()) {
                            self.type_refs
                                .push(super::TypeRef::Object(self.type_decls.len()));
                            self.type_decls.push((id, decl, item.doc.as_ref()));
                        }
                    }
                    ItemKind::Schema(decl) => match schema_seen {
                        Some(first) => {
                            self.report(
                                Diagnostic::new(
                                    Code::Duplicate,
                                    decl.keyword,
                                    "a policy set has one `schema` block",
                                )
                                .with_label("second schema")
                                .with_secondary(first, "first schema here")
                                .with_help("move its fields into the first block; declare nested objects with `type`"),
                            );
                            self.duplicates.push((id, item));
                        }
                        None => schema_seen = Some(decl.keyword),
                    },
                    ItemKind::Param(param) => {
                        if self.declare(id, item, self.param_decls.len()) {
                            self.param_decls.push((id, param));
                        }
                    }
                    ItemKind::Def(def) => {
                        if self.declare(id, item, self.def_decls.len()) {
                            self.def_decls.push((id, def));
                            self.def_states.push(DefState::Pending);
                        }
                    }
                    ItemKind::Norm(norm) => {
                        if self.declare(id, item, self.norm_decls.len()) {
                            self.norm_decls.push((id, item, norm));
                        }
                    }
                    ItemKind::Profile(profile) => {
                        if self.declare(id, item, self.profile_decls.len()) {
                            self.profile_decls.push((id, profile));
                        }
                    }
                    ItemKind::Test(test) => self.test_decls.push((id, test)),
                }
            }
        }
        let n_defs = self.def_decls.len();
        self.def_reads = vec![Vec::new(); n_defs];
        self.def_norms = vec![Vec::new(); n_defs];
        self.def_params_used = vec![Vec::new(); n_defs];
        self.used_defs = vec![false; n_defs];
        self.used_params = vec![false; self.param_decls.len()];
    }
}

/// The namespace and name that `item` declares, if it declares a name.
pub(super) fn declared(item: &ast::Item) -> Option<(Namespace, &ast::Ident)> {
    Some(match &item.kind {
        ItemKind::Source(source) => (Namespace::Source, &source.id),
        ItemKind::Pillar(label) => (Namespace::Pillar, &label.id),
        ItemKind::Stage(label) => (Namespace::Stage, &label.id),
        ItemKind::Enum(decl) => (Namespace::Type, &decl.name),
        ItemKind::Type(decl) => (Namespace::Type, &decl.name),
        ItemKind::Param(param) => (Namespace::Param, &param.name),
        ItemKind::Def(def) => (Namespace::Def, &def.name),
        ItemKind::Norm(norm) => (Namespace::Norm, &norm.id),
        ItemKind::Profile(profile) => (Namespace::Profile, &profile.id),
        ItemKind::Use(_) | ItemKind::Schema(_) | ItemKind::Test(_) => return None,
    })
}

fn source_info(source: &ast::Source) -> Source {
    let text = |key: &str| {
        source
            .fields
            .iter()
            .find(|f| f.key.name == key)
            .and_then(|f| match &f.value {
                Literal::Str(s) => Some(s.clone()),
                _ => None,
            })
    };
    let year = source
        .fields
        .iter()
        .find(|f| f.key.name == "year")
        .and_then(|f| match f.value {
            Literal::Number(n) => Some(n as i64),
            _ => None,
        });
    Source {
        id: source.id.name.clone(),
        title: text("title"),
        publisher: text("publisher"),
        year,
        url: text("url"),
        note: text("note"),
    }
}

fn category(label: &ast::Label) -> Category {
    Category {
        id: label.id.name.clone(),
        title: label
            .title
            .as_ref()
            .map_or_else(|| label.id.name.clone(), |t| t.value.clone()),
    }
}
