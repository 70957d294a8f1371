//! Checks the items that hold expressions: parameters, definitions, norms, profiles and tests;
//! orders norms so that referenced norms are evaluated first.

use std::collections::BTreeSet;
use std::fmt;

use super::expr::Scope;
use super::program::{
    Citation, Const, Def, ExprKind, Given, Norm, Param, Profile, Requirement, Status, Test,
};
use super::schema::TypeContext;
use super::types::{Type, WrittenWhole};
use super::{Checker, DefState, Namespace};
use crate::diagnostics::{Code, Diagnostic, did_you_mean};
use crate::syntax::ast::{
    self, NormClauseKind, ProfileClauseKind, Selector, Severity, StageList, TestClauseKind,
};
use crate::syntax::{FileId, Span};

impl<'w> Checker<'w> {
    pub(super) fn check_params(&mut self) {
        for (file, param) in self.param_decls.clone() {
            let ty = self.resolve_type(file, &param.ty, TypeContext::Value);
            let default = self.constant(
                file,
                &param.default,
                &ty,
                &format!("the default of `{}`", param.name.name),
            );
            self.program.params.push(Param {
                name: param.name.name.clone(),
                ty,
                default: default.unwrap_or(Const::Bool(false)),
                doc: self.doc_of(file, param.name.span),
                span: param.name.span,
            });
        }
    }

    /// The doc comment of the item whose name is at `span`.
    fn doc_of(&self, file: FileId, span: Span) -> Option<String> {
        self.workspace
            .file(file)
            .parse
            .file
            .items
            .iter()
            .find(|item| item.span.contains(span.start as usize))
            .and_then(|item| item.doc.as_ref().map(ast::Doc::text))
    }

    /// Checks a constant expression of type `ty` (parameter defaults and settings).
    pub(super) fn constant(
        &mut self,
        file: FileId,
        expr: &ast::Expr,
        ty: &Type,
        what: &str,
    ) -> Option<Const> {
        let mut scope = Scope::new(file);
        scope.allow_document = false;
        let checked = self.expr(&mut scope, expr);
        let Some(value) = fold_constant(&checked) else {
            if !matches!(checked.kind, ExprKind::Error) {
                self.report(
                    Diagnostic::new(Code::NotConstant, expr.span, format!("{what} must be a constant"))
                        .with_help("write a literal such as `90`, `0.9`, `30d`, `2027-01-01` or `[\"a\", \"b\"]`"),
                );
            }
            return None;
        };
        let inexact = self.inexact_whole(file, expr, ty);
        if let Some((span, WrittenWhole::TooLarge, _)) = inexact {
            let largest = super::LARGEST_WHOLE;
            self.report(
                Diagnostic::new(
                    Code::TypeMismatch,
                    span,
                    format!(
                        "{what} is too large: whole numbers must lie between -{largest} and \
                         {largest}"
                    ),
                )
                .with_label("too large to be exact")
                .with_help(super::TOO_LARGE_HELP),
            );
            return None;
        }
        if !const_fits(&value, ty) {
            let expected = ty.display(&self.program.schema).to_string();
            let help = match ty {
                Type::Ratio => "a ratio is a number from 0 to 1, e.g. `0.9`".to_string(),
                Type::Int => "an int is a whole number".to_string(),
                Type::Count => "a count is a whole number, 0 or more".to_string(),
                Type::Duration => match value {
                    Const::Number(n) if n.fract() == 0.0 => {
                        format!(
                            "a duration has a unit: write `{n}d` for {n} days, or weeks as `2w`"
                        )
                    }
                    _ => "a duration has a unit, e.g. `90d` or `2w`".to_string(),
                },
                Type::Date => {
                    "a date is written YYYY-MM-DD, without quotes, e.g. `2027-01-31`".to_string()
                }
                _ => format!("write a {expected} value"),
            };
            self.report(
                Diagnostic::new(
                    Code::TypeMismatch,
                    expr.span,
                    format!(
                        "{what} must be {} {expected}, found {value}",
                        super::types::article(&expected)
                    ),
                )
                .with_label(format!(
                    "not {} {expected}",
                    super::types::article(&expected)
                ))
                .with_help(help),
            );
            return None;
        }
        if let Some((span, _, written)) = inexact {
            // Not whole as written, though its `f64` is.
            let expected = ty.display(&self.program.schema).to_string();
            let article = super::types::article(&expected);
            self.report(
                Diagnostic::new(
                    Code::TypeMismatch,
                    span,
                    format!("{what} must be {article} {expected}, found {written}"),
                )
                .with_label("not whole as written")
                .with_help(
                    "a whole number has no fraction: this one would be rounded to a whole \
                     number only by the precision of the `f64` it is evaluated as",
                ),
            );
            return None;
        }
        self.check_enum_constant(&value, ty, expr.span);
        Some(value)
    }

    /// The first number of the constant `expr` of type `ty` that an `int` or `count` cannot
    /// hold as written in `file`, with how it stands and its text: beyond
    /// [`super::LARGEST_WHOLE`], or not whole, which its `f64` may hide (`9007199254740993`
    /// reads as 2^53, `4503599627370496.5` as a whole number).
    fn inexact_whole(
        &self,
        file: FileId,
        expr: &ast::Expr,
        ty: &Type,
    ) -> Option<(Span, WrittenWhole, String)> {
        match (&expr.kind, ty) {
            (ast::ExprKind::Literal(ast::Literal::Number(_)), Type::Int | Type::Count) => {
                let text = (self.workspace.file(file).text)
                    .get(expr.span.start as usize..expr.span.end as usize)?;
                let digits: String = text.chars().filter(|&c| c != '_').collect();
                let judged = super::written_whole(&digits)?;
                (judged != WrittenWhole::Exact).then(|| (expr.span, judged, text.to_string()))
            }
            (ast::ExprKind::Unary(_, inner) | ast::ExprKind::Paren(inner), _) => {
                self.inexact_whole(file, inner, ty)
            }
            (ast::ExprKind::List(items), Type::List(element)) => {
                (items.iter()).find_map(|item| self.inexact_whole(file, item, element))
            }
            _ => None,
        }
    }

    /// Reports strings of an enum-typed constant that are not members of the enum.
    fn check_enum_constant(&mut self, value: &Const, ty: &Type, span: Span) {
        match (value, ty) {
            (Const::Str(_), Type::Enum(_)) => {
                let literal = super::program::Expr {
                    kind: ExprKind::Const(value.clone()),
                    ty: Type::String,
                    span,
                };
                self.check_enum_literal(ty, &literal);
            }
            (Const::List(items), Type::List(element)) => {
                for item in items {
                    self.check_enum_constant(item, element, span);
                }
            }
            _ => {}
        }
    }

    pub(super) fn check_defs(&mut self) {
        for def in 0..self.def_decls.len() {
            if matches!(self.def_states[def], DefState::Pending) {
                self.check_def(def);
            }
        }
        debug_assert_eq!(
            self.program.defs.len(),
            self.def_decls.len(),
            "every definition is checked exactly once"
        );
    }

    /// Types definition `def` (called lazily from uses, so dependencies come first).
    pub(super) fn check_def(&mut self, def: usize) {
        self.def_states[def] = DefState::InProgress;
        let (file, decl) = self.def_decls[def];
        let (mut scope, params) = self.def_scope(file, decl);
        // Reserve the slot so that recursive uses find a placeholder of the right index.
        let placeholder = Def {
            name: decl.name.name.clone(),
            params: params.clone(),
            callable: decl.params.is_some(),
            body: super::program::Expr {
                kind: ExprKind::Error,
                ty: Type::Any,
                span: decl.body.span,
            },
            locals: 0,
            span: decl.name.span,
        };
        self.ensure_def_slot(def, placeholder);
        self.def_stack.push(def);
        let body = self.expr(&mut scope, &decl.body);
        self.def_stack.pop();
        self.lint_unused_arguments(decl, &body);
        let ty = body.ty.clone();
        self.def_reads[def] = scope.reads.into_iter().collect();
        self.def_norms[def] = scope.norms.into_iter().collect();
        self.def_params_used[def] = scope.params.into_iter().collect();
        let checked = &mut self.program.defs[def];
        checked.body = body;
        checked.locals = scope.next_slot;
        self.def_states[def] = DefState::Done(ty);
    }

    /// A scope for the body of `decl` with its parameters bound, and their names and types.
    fn def_scope(&mut self, file: FileId, decl: &ast::Def) -> (Scope, Vec<(String, Type)>) {
        let mut scope = Scope::new(file);
        let mut params = Vec::new();
        for (i, param) in decl.params.iter().flatten().enumerate() {
            let ty = self.resolve_type(file, &param.ty, TypeContext::Value);
            scope.bind(&param.name.name, ty.clone(), Some(format!("${i}")));
            params.push((param.name.name.clone(), ty));
        }
        (scope, params)
    }

    /// Checks the body of each duplicate declaration for its own errors and for the definitions
    /// and parameters it uses (so that they are not called unused); the program keeps only the
    /// first declaration of a name.
    pub(super) fn check_duplicates(&mut self) {
        for (file, item) in self.duplicates.clone() {
            match &item.kind {
                ast::ItemKind::Norm(norm) => {
                    self.norm(file, item, norm);
                }
                ast::ItemKind::Def(def) => {
                    let (mut scope, _) = self.def_scope(file, def);
                    let body = self.expr(&mut scope, &def.body);
                    self.lint_unused_arguments(def, &body);
                }
                ast::ItemKind::Param(param) => {
                    let ty = self.resolve_type(file, &param.ty, TypeContext::Value);
                    let what = format!("the default of `{}`", param.name.name);
                    self.constant(file, &param.default, &ty, &what);
                }
                ast::ItemKind::Profile(profile) => {
                    self.profile(file, profile);
                }
                ast::ItemKind::Schema(decl) => {
                    self.fields(file, &decl.fields);
                }
                _ => {}
            }
        }
    }

    fn ensure_def_slot(&mut self, def: usize, placeholder: Def) {
        while self.program.defs.len() <= def {
            let (_, decl) = self.def_decls[self.program.defs.len()];
            self.program.defs.push(Def {
                name: decl.name.name.clone(),
                params: Vec::new(),
                callable: decl.params.is_some(),
                body: super::program::Expr {
                    kind: ExprKind::Error,
                    ty: Type::Any,
                    span: decl.body.span,
                },
                locals: 0,
                span: decl.name.span,
            });
        }
        self.program.defs[def] = placeholder;
    }

    pub(super) fn check_norms(&mut self) {
        for (file, item, norm) in self.norm_decls.clone() {
            let checked = self.norm(file, item, norm);
            self.program.norms.push(checked);
        }
    }

    fn norm(&mut self, file: FileId, item: &ast::Item, norm: &ast::Norm) -> Norm {
        let mut scope = Scope::new(file);
        let mut checked = Norm {
            id: norm.id.name.clone(),
            title: String::new(),
            doc: item.doc.as_ref().map(ast::Doc::text),
            pillar: 0,
            stages: Vec::new(),
            severity: Severity::Medium,
            tags: Vec::new(),
            citations: Vec::new(),
            when: None,
            requires: Vec::new(),
            fix: None,
            reads: Vec::new(),
            params: Vec::new(),
            depends_on: Vec::new(),
            locals: 0,
            file,
            span: norm.id.span,
        };
        let mut seen = Vec::new();
        let (mut has_title, mut has_pillar, mut has_severity) = (false, false, false);
        for clause in &norm.clauses {
            let keyword = self.keyword_at(file, clause.keyword);
            if keyword != "cites"
                && keyword != "require"
                && self.repeated(
                    &mut seen,
                    keyword,
                    clause.keyword,
                    format_args!("norm `{}`", norm.id.name),
                )
            {
                continue;
            }
            match &clause.kind {
                NormClauseKind::Title(title) => {
                    has_title = true;
                    checked.title = title.value.clone();
                }
                NormClauseKind::Pillar(pillar) => {
                    has_pillar = true;
                    checked.pillar = self.lookup(Namespace::Pillar, pillar, file).unwrap_or(0);
                }
                NormClauseKind::Stages(StageList::All(_)) => {
                    checked.stages = (0..self.program.stages.len()).collect()
                }
                NormClauseKind::Stages(StageList::List(stages)) => {
                    checked.stages = stages
                        .iter()
                        .filter_map(|s| self.lookup(Namespace::Stage, s, file))
                        .collect();
                    checked.stages.sort_unstable();
                    checked.stages.dedup();
                }
                NormClauseKind::Severity(severity) => {
                    has_severity = true;
                    checked.severity = severity.level;
                }
                NormClauseKind::Tags(tags) => {
                    checked.tags = tags.iter().map(|t| t.name.clone()).collect()
                }
                NormClauseKind::Cites { source, locator } => {
                    if let Some(index) = self.lookup(Namespace::Source, source, file) {
                        checked.citations.push(Citation {
                            source: index,
                            locator: locator.as_ref().map(|l| l.value.clone()),
                        });
                    }
                }
                NormClauseKind::When(condition) => {
                    checked.when =
                        Some(self.condition(&mut scope, condition, "a `when` condition"));
                }
                NormClauseKind::Require { condition, message } => {
                    let requirement =
                        self.requirement(&mut scope, clause.keyword, condition, message.as_ref());
                    checked.requires.push(requirement);
                }
                NormClauseKind::Fix(fix) => checked.fix = Some(fix.value.clone()),
            }
        }
        let missing: Vec<&str> = [
            (has_title, "title"),
            (has_pillar, "pillar"),
            (has_severity, "severity"),
            (!checked.requires.is_empty(), "require"),
        ]
        .into_iter()
        .filter(|(present, name)| !present && !norm.broken.iter().any(|b| b == name))
        .map(|(_, name)| name)
        .collect();
        let has_require_clause = norm
            .clauses
            .iter()
            .any(|c| matches!(c.kind, NormClauseKind::Require { .. }));
        let missing: Vec<&str> = missing
            .into_iter()
            .filter(|m| *m != "require" || !has_require_clause)
            .collect();
        if !missing.is_empty() {
            self.report(
                Diagnostic::new(
                    Code::MissingClause,
                    norm.id.span,
                    format!("norm `{}` has no {}", norm.id.name, missing.join(", no ")),
                )
                .with_label("incomplete norm")
                .with_help(format!(
                    "add {}",
                    missing
                        .iter()
                        .map(|m| format!("`{m} …`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
            );
        }
        if checked.citations.is_empty()
            && !norm
                .clauses
                .iter()
                .any(|c| matches!(c.kind, NormClauseKind::Cites { .. }))
        {
            self.report(
                Diagnostic::new(
                    Code::MissingCitation,
                    norm.id.span,
                    format!("norm `{}` cites no source", norm.id.name),
                )
                .with_label("no `cites`")
                .with_help("add `cites SOURCE-ID` naming the guidance this norm comes from"),
            );
        }
        checked.reads = leaf_paths(scope.reads);
        checked.params = scope.params.into_iter().collect();
        checked.depends_on = scope.norms.into_iter().collect();
        checked.locals = scope.next_slot;
        checked
    }

    /// The text of the clause keyword at `span`.
    fn keyword_at(&self, file: FileId, span: Span) -> &'w str {
        let workspace = self.workspace;
        workspace.file(file).text.get(span.range()).unwrap_or("")
    }

    /// Records a once-only clause; reports and returns true when it was seen before.
    fn repeated<'k>(
        &mut self,
        seen: &mut Vec<(&'k str, Span)>,
        keyword: &'k str,
        span: Span,
        owner: impl fmt::Display,
    ) -> bool {
        if let Some((_, first)) = seen.iter().find(|(k, _)| *k == keyword) {
            let first = *first;
            self.report(
                Diagnostic::new(
                    Code::RepeatedClause,
                    span,
                    format!("`{keyword}` appears twice in {owner}"),
                )
                .with_secondary(first, "first here")
                .with_help("keep one of them"),
            );
            return true;
        }
        seen.push((keyword, span));
        false
    }

    fn requirement(
        &mut self,
        scope: &mut Scope,
        keyword: Span,
        condition: &ast::Expr,
        message: Option<&ast::Template>,
    ) -> Requirement {
        let mark = scope.locals.len();
        let checked = self.condition(scope, condition, "a requirement");
        // A message may name the variable of the requirement's outermost quantifier.
        let mut any_var = None;
        if let (
            ExprKind::Quantified {
                quantifier,
                var,
                var_name,
                list,
                ..
            },
            ast::ExprKind::Quantified(..),
        ) = (&checked.kind, &strip_parens(condition).kind)
        {
            let element = list.ty.element().cloned().unwrap_or(Type::Any);
            let list_path = self.path_of(scope, list);
            let path = list_path.as_ref().map(|p| format!("{p}[]"));
            scope.locals.push(super::expr::Local {
                name: var_name.to_string(),
                ty: element,
                slot: *var,
                path,
            });
            if *quantifier == ast::Quantifier::Any {
                any_var = Some((*var, var_name.clone(), list_path));
            }
        }
        let message = message.map(|template| self.template(scope, template));
        scope.locals.truncate(mark);
        if let (Some((slot, name, list)), Some(segments)) = (any_var, &message) {
            self.lint_any_variable_in_message((slot, &name), list.as_deref(), segments);
        }
        let end = message.as_ref().map_or(condition.span, |_| condition.span);
        Requirement {
            condition: checked,
            message,
            span: keyword.to(end),
        }
    }

    /// Orders norms so that each follows those it references; reports cycles.
    pub(super) fn order_norms(&mut self) {
        let n = self.program.norms.len();
        let mut state = vec![0u8; n];
        let mut order = Vec::with_capacity(n);
        for start in 0..n {
            let mut stack: Vec<(usize, usize)> = vec![(start, 0)];
            if state[start] != 0 {
                continue;
            }
            state[start] = 1;
            while let Some(&mut (norm, ref mut next)) = stack.last_mut() {
                if let Some(&dep) = self.program.norms[norm].depends_on.get(*next) {
                    *next += 1;
                    match state[dep] {
                        0 => {
                            state[dep] = 1;
                            stack.push((dep, 0));
                        }
                        1 => {
                            let span = self.program.norms[norm].span;
                            let (from, to) = (
                                self.program.norms[norm].id.clone(),
                                self.program.norms[dep].id.clone(),
                            );
                            self.report(
                                Diagnostic::new(Code::NormCycle, span, if from == to {
                                    format!("norm `{from}` depends on its own result")
                                } else {
                                    format!("norms `{from}` and `{to}` depend on each other's results")
                                })
                                    .with_secondary(self.program.norms[dep].span, "part of the cycle")
                                    .with_help("a norm may use `passes(…)`/`fails(…)` of another only if that one does not, directly or not, use it"),
                            );
                        }
                        _ => {}
                    }
                } else {
                    state[norm] = 2;
                    order.push(norm);
                    stack.pop();
                }
            }
        }
        self.program.evaluation_order = order;
    }

    pub(super) fn check_profiles(&mut self) {
        for (file, profile) in self.profile_decls.clone() {
            let checked = self.profile(file, profile);
            self.program.profiles.push(checked);
        }
        self.resolve_extends();
    }

    fn profile(&mut self, file: FileId, profile: &ast::Profile) -> Profile {
        let n = self.program.norms.len();
        let mut included = vec![false; n];
        let mut excluded = vec![false; n];
        let mut any_include = false;
        let mut checked = Profile {
            id: profile.id.name.clone(),
            title: None,
            norms: Vec::new(),
            severities: Vec::new(),
            settings: Vec::new(),
            span: profile.id.span,
        };
        let mut seen = Vec::new();
        for clause in &profile.clauses {
            let keyword = self.keyword_at(file, clause.keyword);
            if matches!(keyword, "title" | "extends")
                && self.repeated(
                    &mut seen,
                    keyword,
                    clause.keyword,
                    format_args!("profile `{}`", profile.id.name),
                )
            {
                continue;
            }
            match &clause.kind {
                ProfileClauseKind::Title(title) => checked.title = Some(title.value.clone()),
                ProfileClauseKind::Extends(parent) => {
                    self.lookup(Namespace::Profile, parent, file);
                }
                ProfileClauseKind::Include(selectors) => {
                    any_include = true;
                    for selector in selectors {
                        self.select(file, selector, &mut included);
                    }
                }
                ProfileClauseKind::Exclude(selectors) => {
                    for selector in selectors {
                        self.select(file, selector, &mut excluded);
                    }
                }
                ProfileClauseKind::Override { norm, severity } => {
                    if let (Some(index), Some(severity)) =
                        (self.lookup(Namespace::Norm, norm, file), severity)
                    {
                        checked.severities.push((index, severity.level));
                    }
                }
                ProfileClauseKind::Set(setting) => {
                    if let Some(value) = self.setting(file, setting) {
                        checked.settings.push(value);
                    }
                }
            }
        }
        if !any_include
            && !profile
                .clauses
                .iter()
                .any(|c| matches!(c.kind, ProfileClauseKind::Extends(_)))
        {
            included.iter_mut().for_each(|i| *i = true);
        }
        checked.norms = (0..n).filter(|&i| included[i] && !excluded[i]).collect();
        checked
    }

    /// A profile with `extends` starts from its parent's norms, severities and settings.
    fn resolve_extends(&mut self) {
        for (index, (file, profile)) in self.profile_decls.clone().into_iter().enumerate() {
            let mut chain = vec![index];
            let mut current = profile;
            while let Some(parent) = current.clauses.iter().find_map(|c| match &c.kind {
                ProfileClauseKind::Extends(parent) => Some(parent),
                _ => None,
            }) {
                let Some(parent_index) = self.lookup_quiet(Namespace::Profile, &parent.name, file)
                else {
                    break;
                };
                if chain.contains(&parent_index) {
                    // Each profile on the cycle reports it once, at its own `extends`.
                    if parent_index == index {
                        let names: Vec<&str> = chain
                            .iter()
                            .map(|&p| self.profile_decls[p].1.id.name.as_str())
                            .collect();
                        let own_extends = profile.clauses.iter().find_map(|c| match &c.kind {
                            ProfileClauseKind::Extends(parent) => Some(parent.span),
                            _ => None,
                        });
                        self.report(
                            Diagnostic::new(
                                Code::ProfileCycle,
                                own_extends.unwrap_or(profile.id.span),
                                format!(
                                    "profile `{}` extends itself: {} → {}",
                                    profile.id.name,
                                    names.join(" → "),
                                    profile.id.name
                                ),
                            )
                            .with_help("remove one `extends` from the cycle"),
                        );
                    }
                    break;
                }
                chain.push(parent_index);
                current = self.profile_decls[parent_index].1;
            }
            if chain.len() == 1 {
                continue;
            }
            // Apply from the oldest ancestor to the profile itself.
            let mut norms: BTreeSet<usize> = BTreeSet::new();
            let mut severities = Vec::new();
            let mut settings = Vec::new();
            for &ancestor in chain.iter().rev() {
                let own = &self.program.profiles[ancestor];
                let own_decl = self.profile_decls[ancestor].1;
                let has_selection = own_decl.clauses.iter().any(|c| {
                    matches!(
                        c.kind,
                        ProfileClauseKind::Include(_) | ProfileClauseKind::Exclude(_)
                    )
                });
                if ancestor == chain[chain.len() - 1] || has_selection {
                    let excluded = self.excluded_by(ancestor);
                    norms.extend(own.norms.iter().copied());
                    norms.retain(|n| !excluded.contains(n));
                }
                severities.extend(own.severities.iter().copied());
                settings.extend(own.settings.iter().cloned());
            }
            let profile = &mut self.program.profiles[index];
            profile.norms = norms.into_iter().collect();
            profile.severities = severities;
            profile.settings = settings;
        }
    }

    fn excluded_by(&self, profile: usize) -> Vec<usize> {
        let (file, decl) = self.profile_decls[profile];
        let mut excluded = vec![false; self.program.norms.len()];
        for clause in &decl.clauses {
            if let ProfileClauseKind::Exclude(selectors) = &clause.kind {
                for selector in selectors {
                    self.select_quiet(file, selector, &mut excluded);
                }
            }
        }
        (0..excluded.len()).filter(|&i| excluded[i]).collect()
    }

    fn select(&mut self, file: FileId, selector: &Selector, marks: &mut [bool]) {
        match selector {
            Selector::Norm(id) => {
                if let Some(index) = self.lookup(Namespace::Norm, id, file) {
                    marks[index] = true;
                }
            }
            Selector::Pillar(id) => {
                if self.lookup(Namespace::Pillar, id, file).is_some() {
                    self.select_quiet(file, selector, marks);
                }
            }
            Selector::Stage(id) => {
                if self.lookup(Namespace::Stage, id, file).is_some() {
                    self.select_quiet(file, selector, marks);
                }
            }
            _ => self.select_quiet(file, selector, marks),
        }
    }

    fn select_quiet(&self, file: FileId, selector: &Selector, marks: &mut [bool]) {
        for (index, norm) in self.program.norms.iter().enumerate() {
            let selected = match selector {
                Selector::All(_) => true,
                Selector::Norm(id) => norm.id == id.name,
                Selector::Pillar(id) => {
                    self.lookup_quiet(Namespace::Pillar, &id.name, file) == Some(norm.pillar)
                }
                Selector::Stage(id) => self
                    .lookup_quiet(Namespace::Stage, &id.name, file)
                    .is_some_and(|s| norm.stages.contains(&s)),
                Selector::Severity(level) => norm.severity == level.level,
                Selector::Tag(tag) => norm.tags.contains(&tag.name),
            };
            if selected {
                marks[index] = true;
            }
        }
    }

    fn setting(&mut self, file: FileId, setting: &ast::Setting) -> Option<(usize, Const)> {
        let param = self.lookup(Namespace::Param, &setting.param, file)?;
        let ty = self.program.params[param].ty.clone();
        let value = self.constant(
            file,
            &setting.value,
            &ty,
            &format!("the value of `{}`", setting.param.name),
        )?;
        Some((param, value))
    }

    pub(super) fn check_tests(&mut self) {
        let mut names: std::collections::HashMap<&str, Span> = std::collections::HashMap::new();
        for (_, test) in self.test_decls.clone() {
            if let Some(first) = names.insert(&test.name.value, test.name.span) {
                self.report(
                    Diagnostic::new(
                        Code::Duplicate,
                        test.name.span,
                        format!("test \"{}\" is declared twice", test.name.value),
                    )
                    .with_secondary(first, "first declared here")
                    .with_help("give each test a name that says the behaviour it checks"),
                );
            }
        }
        for (file, test) in self.test_decls.clone() {
            let checked = self.test(file, test);
            self.program.tests.push(checked);
        }
    }

    fn test(&mut self, file: FileId, test: &ast::Test) -> Test {
        let mut checked = Test {
            name: test.name.value.clone(),
            file,
            givens: Vec::new(),
            profile: None,
            settings: Vec::new(),
            expects: Vec::new(),
            span: test.name.span,
        };
        let mut seen = Vec::new();
        for clause in &test.clauses {
            match &clause.kind {
                TestClauseKind::GivenFile(path) => {
                    let from = &self.workspace.file(file).path;
                    match crate::workspace::resolve_path(from, &path.value) {
                        Ok(resolved) => checked.givens.push(Given::File(resolved, path.span)),
                        Err(_) => self.report(
                            Diagnostic::new(Code::ImportOutsideRoot, path.span, format!("fixture \"{}\" is outside the policy root", path.value))
                                .with_help("fixture paths are relative to the test's file and stay inside the policy root"),
                        ),
                    }
                }
                TestClauseKind::GivenInline(value, span) => {
                    if value.is_object() {
                        checked.givens.push(Given::Inline(value.clone()));
                    } else {
                        self.report(
                            Diagnostic::new(
                                Code::InvalidJson,
                                *span,
                                "an inline document must be a JSON object",
                            )
                            .with_help("write `given { \"field\": value }`"),
                        );
                    }
                }
                TestClauseKind::Profile(profile) => {
                    let owner = format!("test \"{}\"", test.name.value);
                    if !self.repeated(&mut seen, "profile", clause.keyword, &owner) {
                        checked.profile = self.lookup(Namespace::Profile, profile, file);
                    }
                }
                TestClauseKind::Set(setting) => {
                    if let Some(value) = self.setting(file, setting) {
                        checked.settings.push(value);
                    }
                }
                TestClauseKind::Expect { status, norms } => {
                    let Some(expected) = Status::parse(&status.name) else {
                        let words: Vec<&str> = Status::ALL.iter().map(|s| s.as_str()).collect();
                        let mut diagnostic = Diagnostic::new(
                            Code::UnknownStatus,
                            status.span,
                            format!("unknown status `{}`", status.name),
                        );
                        diagnostic = match did_you_mean(&status.name, words.iter().copied()) {
                            Some(close) => diagnostic
                                .with_help(format!("did you mean `{close}`?"))
                                .with_suggestion(status.span, close),
                            None => {
                                diagnostic.with_help(format!("statuses are {}", words.join(", ")))
                            }
                        };
                        self.report(diagnostic);
                        continue;
                    };
                    for norm in norms {
                        if let Some(index) = self.lookup(Namespace::Norm, norm, file) {
                            self.lint_conflicting_expectation(&checked, (expected, index), norm);
                            checked.expects.push((expected, index, norm.span));
                        }
                    }
                }
            }
        }
        let expects_any = (test.clauses.iter())
            .any(|clause| matches!(clause.kind, TestClauseKind::Expect { .. }));
        if !expects_any {
            self.report(
                Diagnostic::new(
                    Code::TestWithoutExpectation,
                    test.name.span,
                    format!(
                        "test \"{}\" expects nothing, so it passes whatever the norms do",
                        test.name.value
                    ),
                )
                .with_help(format!(
                    "add `expect STATUS NORM`, such as `expect fail {}`",
                    self.example_norm(&test.name.value)
                )),
            );
        }
        checked
    }

    /// A norm of the policy set for a test's help: the one the test's name mentions, else the
    /// first declared, else a placeholder.
    fn example_norm(&self, test_name: &str) -> &str {
        let ids = || {
            self.norm_decls
                .iter()
                .map(|(_, _, norm)| norm.id.name.as_str())
        };
        let mentioned = ids().find(|id| {
            let words = test_name.split(|c: char| c.is_whitespace() || c == '"' || c == '`');
            words.into_iter().any(|word| word == *id)
        });
        mentioned.or_else(|| ids().next()).unwrap_or("NORM-ID")
    }

    /// Reports an `expect` of `norm` with another status than an earlier `expect` of the same
    /// test: the test could never pass.
    fn lint_conflicting_expectation(
        &mut self,
        test: &Test,
        (expected, index): (Status, usize),
        norm: &ast::Ident,
    ) {
        let earlier =
            (test.expects.iter()).find(|(status, other, _)| *other == index && *status != expected);
        if let Some((status, _, span)) = earlier {
            self.report(
                Diagnostic::new(
                    Code::ConflictingExpectations,
                    norm.span,
                    format!(
                        "test \"{}\" expects norm {} to be both {} and {}",
                        test.name,
                        norm.name,
                        status.as_str(),
                        expected.as_str()
                    ),
                )
                .with_secondary(*span, "expected here")
                .with_help(
                    "a norm has one status per document: keep the expectation that is meant",
                ),
            );
        }
    }
}

fn strip_parens(expr: &ast::Expr) -> &ast::Expr {
    match &expr.kind {
        ast::ExprKind::Paren(inner) => strip_parens(inner),
        _ => expr,
    }
}

/// Keeps only the paths that are not a prefix of another path. In sorted order the paths that
/// extend one come right after it, so only those are looked at.
fn leaf_paths(paths: BTreeSet<String>) -> Vec<String> {
    let all: Vec<String> = paths.into_iter().collect();
    let is_leaf: Vec<bool> = all
        .iter()
        .enumerate()
        .map(|(i, path)| {
            !all[i + 1..]
                .iter()
                .take_while(|other| other.starts_with(path.as_str()))
                .any(|other| {
                    other.len() > path.len() && matches!(other.as_bytes()[path.len()], b'.' | b'[')
                })
        })
        .collect();
    all.into_iter()
        .zip(is_leaf)
        .filter_map(|(path, leaf)| leaf.then_some(path))
        .collect()
}

/// True when a constant is a valid value of `ty`.
pub(super) fn const_fits(value: &Const, ty: &Type) -> bool {
    match (value, ty) {
        (_, Type::Any) => true,
        (Const::Bool(_), Type::Bool) => true,
        (Const::Number(n), Type::Int) => n.fract() == 0.0,
        (Const::Number(n), Type::Count) => n.fract() == 0.0 && *n >= 0.0,
        (Const::Number(_), Type::Number) => true,
        (Const::Number(n), Type::Ratio) => (0.0..=1.0).contains(n),
        (Const::Str(_), Type::String) => true,
        (Const::Str(_), Type::Enum(_)) => true,
        (Const::Date(_), Type::Date) => true,
        (Const::Duration(_), Type::Duration) => true,
        (Const::List(items), Type::List(element)) => {
            items.iter().all(|item| const_fits(item, element))
        }
        _ => false,
    }
}

/// The constant value of a literal, a list of constants, or a negated number.
fn fold_constant(expr: &super::program::Expr) -> Option<Const> {
    match &expr.kind {
        ExprKind::Const(value) => Some(value.clone()),
        ExprKind::List(items) => items
            .iter()
            .map(fold_constant)
            .collect::<Option<Vec<Const>>>()
            .map(Const::List),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leaf_paths_drop_the_paths_that_others_extend() {
        let paths: BTreeSet<String> = [
            "a", "a.b", "a.b[]", "a.b[].c", "a.bc", "a[]", "ab", "b", "b.c", "c[]",
        ]
        .map(String::from)
        .into();
        assert_eq!(
            leaf_paths(paths),
            ["a.b[].c", "a.bc", "a[]", "ab", "b.c", "c[]"]
        );
    }
}
