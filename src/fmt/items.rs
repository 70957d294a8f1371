//! Items and their blocks in the canonical layout: two-space indentation, one clause, field or
//! source entry per line, clause values aligned in a column (norms at 11, profiles at 10,
//! sources at 12), doc comments printed from the tree.

use super::expr::{self, Quoting, expr_broken, quote, template_width, type_expr, word_at};
use super::json;
use super::printer::{MAX_WIDTH, Printer};
use crate::syntax::Span;
use crate::syntax::ast::{
    self, Doc, EnumDecl, Field, Ident, Item, ItemKind, NormClauseKind, ProfileClauseKind, Selector,
    StageList, StrLit, TestClauseKind,
};

/// Indentation of a block's lines.
const BLOCK: usize = 2;
/// Column of a norm clause's value.
const NORM_VALUE: usize = BLOCK + 9;
/// Column of a profile clause's value: after the longest keyword, `override`, and a space.
const PROFILE_VALUE: usize = BLOCK + 9;
/// Column of a source entry's value.
const SOURCE_VALUE: usize = BLOCK + 10;
/// Where a line broken by a comment goes on inside a block.
const CONTINUATION: usize = BLOCK + 4;

/// Writes every item of `file`.
pub fn file(p: &mut Printer, file: &ast::File) {
    let mut previous: Option<&ItemKind> = None;
    for item in &file.items {
        if let Some(previous) = previous {
            if separated(previous, &item.kind) {
                p.blank_line();
            }
        }
        self::item(p, item);
        previous = Some(&item.kind);
    }
    p.indent = 0;
    p.newline();
}

/// True when two consecutive items always get an empty line between them: everything but a
/// run of items of one group (`use`; `pillar` and `stage`; `param`; `def`), which keeps
/// the author's grouping.
fn separated(previous: &ItemKind, next: &ItemKind) -> bool {
    let group = |kind: &ItemKind| match kind {
        ItemKind::Use(_) => Some(0),
        ItemKind::Pillar(_) | ItemKind::Stage(_) => Some(1),
        ItemKind::Param(_) => Some(2),
        ItemKind::Def(_) => Some(3),
        _ => None,
    };
    group(previous).is_none() || group(previous) != group(next)
}

fn item(p: &mut Printer, item: &Item) {
    documented_line(p, item.doc.as_ref(), item.span.start, 0);
    p.token(item.kind.keyword(), word_at(item.span, item.kind.keyword()));
    p.indent = BLOCK;
    match &item.kind {
        ItemKind::Use(path) => {
            p.space();
            string(p, path);
        }
        ItemKind::Source(source) => self::source(p, source, item.span),
        ItemKind::Pillar(label) | ItemKind::Stage(label) => self::label(p, label),
        ItemKind::Enum(decl) => enum_decl(p, decl, item.span),
        ItemKind::Type(decl) => {
            p.space();
            ident(p, &decl.name);
            fields(p, &decl.fields, item.span);
        }
        ItemKind::Schema(decl) => fields(p, &decl.fields, item.span),
        ItemKind::Param(param) => self::param(p, param),
        ItemKind::Def(def) => self::def(p, def),
        ItemKind::Norm(norm) => self::norm(p, norm, item.span),
        ItemKind::Profile(profile) => self::profile(p, profile, item.span),
        ItemKind::Test(test) => self::test(p, test, item.span),
    }
}

/// Starts a line at `indent` for syntax at `start` with an optional doc comment before it.
fn documented_line(p: &mut Printer, doc: Option<&Doc>, start: u32, indent: usize) {
    if let Some(doc) = doc {
        p.begin_line(doc.span.start, indent);
        doc_lines(p, doc);
    }
    p.begin_line(start, indent);
}

fn doc_lines(p: &mut Printer, doc: &Doc) {
    for (idx, line) in doc.lines.iter().enumerate() {
        let text = if line.is_empty() {
            "///".to_string()
        } else {
            format!("/// {line}")
        };
        if idx == 0 {
            p.token(&text, doc.span);
        } else {
            p.newline();
            p.write(&text);
        }
    }
    p.newline();
    p.suppress_blank();
}

fn ident(p: &mut Printer, ident: &Ident) {
    p.token(&ident.name, ident.span);
}

fn string(p: &mut Printer, string: &StrLit) {
    p.token(&quote(&string.value, Quoting::Plain), string.span);
}

/// ` {` and a line break.
fn open_block(p: &mut Printer) {
    p.space();
    p.punct("{");
    p.newline();
    p.suppress_blank();
}

/// The `}` that ends the item at `item_span`, after the comments before it.
fn close_block(p: &mut Printer, item_span: Span) {
    let brace = Span {
        start: item_span.end.saturating_sub(1),
        ..item_span
    };
    p.begin_line(brace.start, BLOCK);
    p.no_blank_line();
    p.indent = 0;
    p.token("}", brace);
}

/// `[a, b]` of names.
fn ident_list(p: &mut Printer, idents: &[Ident]) {
    p.punct("[");
    for (idx, name) in idents.iter().enumerate() {
        if idx > 0 {
            p.punct(",");
            p.space();
        }
        ident(p, name);
    }
    p.punct("]");
}

fn source(p: &mut Printer, source: &ast::Source, span: Span) {
    p.space();
    ident(p, &source.id);
    open_block(p);
    for field in &source.fields {
        p.begin_line(field.key.span.start, BLOCK);
        ident(p, &field.key);
        p.pad_to(SOURCE_VALUE);
        p.indent = CONTINUATION;
        match &field.value {
            ast::Literal::Str(value) => p.next_token_as(&quote(value, Quoting::Plain)),
            _ => p.next_token_raw(),
        }
    }
    close_block(p, span);
}

fn label(p: &mut Printer, label: &ast::Label) {
    p.space();
    ident(p, &label.id);
    if let Some(title) = &label.title {
        p.space();
        string(p, title);
    }
}

fn enum_decl(p: &mut Printer, decl: &EnumDecl, span: Span) {
    p.space();
    ident(p, &decl.name);
    p.space();
    p.punct("{");
    let documented = decl.members.iter().any(|member| member.doc.is_some());
    if documented || p.has_comment_in(span) {
        return enum_one_per_line(p, decl, span);
    }
    let widths: Vec<usize> = decl.members.iter().map(member_width).collect();
    let one_line = p.next_column() + widths.iter().map(|w| w + 2).sum::<usize>() + 2;
    if one_line <= MAX_WIDTH {
        for (idx, member) in decl.members.iter().enumerate() {
            if idx > 0 {
                p.punct(",");
            }
            p.space();
            string(p, &member.value);
        }
        p.space();
        p.punct("}");
        return;
    }
    enum_filled(p, decl, &widths, span);
}

fn member_width(member: &ast::EnumMember) -> usize {
    quote(&member.value.value, Quoting::Plain).chars().count()
}

/// Members packed onto lines of at most [`MAX_WIDTH`] columns.
fn enum_filled(p: &mut Printer, decl: &EnumDecl, widths: &[usize], span: Span) {
    p.newline();
    p.suppress_blank();
    p.indent = BLOCK;
    for (idx, (member, width)) in decl.members.iter().zip(widths).enumerate() {
        let last = idx + 1 == decl.members.len();
        let needed = width + usize::from(!last);
        if idx > 0 && p.next_column() + 1 + needed > MAX_WIDTH {
            p.newline();
        } else if idx > 0 {
            p.space();
        }
        string(p, &member.value);
        if !last {
            p.punct(",");
        }
    }
    close_block(p, span);
}

fn enum_one_per_line(p: &mut Printer, decl: &EnumDecl, span: Span) {
    p.newline();
    p.suppress_blank();
    for (idx, member) in decl.members.iter().enumerate() {
        documented_line(p, member.doc.as_ref(), member.value.span.start, BLOCK);
        string(p, &member.value);
        if idx + 1 < decl.members.len() {
            p.punct(",");
        }
    }
    close_block(p, span);
}

fn fields(p: &mut Printer, fields: &[Field], span: Span) {
    open_block(p);
    for field in fields {
        documented_line(p, field.doc.as_ref(), field.name.span.start, BLOCK);
        ident(p, &field.name);
        p.indent = CONTINUATION;
        if field.optional {
            p.punct("?");
        }
        p.punct(":");
        p.space();
        type_expr(p, &field.ty);
    }
    close_block(p, span);
}

fn param(p: &mut Printer, param: &ast::Param) {
    p.space();
    ident(p, &param.name);
    p.punct(":");
    p.space();
    type_expr(p, &param.ty);
    p.space();
    p.punct("=");
    value_after_equals(p, &param.default);
}

fn def(p: &mut Printer, def: &ast::Def) {
    p.space();
    ident(p, &def.name);
    if let Some(params) = &def.params {
        p.punct("(");
        for (idx, param) in params.iter().enumerate() {
            if idx > 0 {
                p.punct(",");
                p.space();
            }
            ident(p, &param.name);
            p.punct(":");
            p.space();
            type_expr(p, &param.ty);
        }
        p.punct(")");
    }
    p.space();
    p.punct("=");
    value_after_equals(p, &def.body);
}

/// The value of a `param` or `def`: after ` = ` when it fits, else on the next line.
fn value_after_equals(p: &mut Printer, value: &ast::Expr) {
    let fits = p.next_column() + 1 + expr::width(p.source(), value) <= MAX_WIDTH;
    if fits || p.at_line_start() {
        p.space();
    } else {
        p.indent = BLOCK;
        p.newline();
    }
    expr_broken(p, value);
}

fn norm(p: &mut Printer, norm: &ast::Norm, span: Span) {
    p.space();
    ident(p, &norm.id);
    open_block(p);
    for clause in &norm.clauses {
        norm_clause(p, clause);
    }
    close_block(p, span);
}

fn norm_clause(p: &mut Printer, clause: &ast::NormClause) {
    use NormClauseKind as K;
    let keyword = match &clause.kind {
        K::Title(_) => "title",
        K::Pillar(_) => "pillar",
        K::Stages(_) => "stages",
        K::Severity(_) => "severity",
        K::Tags(_) => "tags",
        K::Cites { .. } => "cites",
        K::When(_) => "when",
        K::Require { .. } => "require",
        K::Fix(_) => "fix",
    };
    p.begin_line(clause.keyword.start, BLOCK);
    p.token(keyword, clause.keyword);
    p.pad_to(NORM_VALUE);
    p.indent = NORM_VALUE + 2;
    match &clause.kind {
        K::Title(text) | K::Fix(text) => string(p, text),
        K::Pillar(id) => ident(p, id),
        K::Stages(StageList::All(span)) => p.token("all", *span),
        K::Stages(StageList::List(ids)) | K::Tags(ids) => ident_list(p, ids),
        K::Severity(level) => p.token(level.level.as_str(), level.span),
        K::Cites { source, locator } => {
            ident(p, source);
            if let Some(locator) = locator {
                p.space();
                string(p, locator);
            }
        }
        K::When(condition) => expr_broken(p, condition),
        K::Require { condition, message } => {
            expr_broken(p, condition);
            if let Some(message) = message {
                else_message(p, message);
            }
        }
    }
}

/// ` else "message"`, on its own line (indented under the clause) when it does not fit.
fn else_message(p: &mut Printer, message: &ast::Template) {
    let width = "else ".len() + template_width(p.source(), message);
    p.indent = BLOCK + 2;
    p.flush_comments();
    if !p.at_line_start() && p.next_column() + 1 + width <= MAX_WIDTH {
        p.space();
    } else {
        p.newline();
    }
    p.punct("else");
    p.space();
    expr::template(p, message);
}

fn profile(p: &mut Printer, profile: &ast::Profile, span: Span) {
    p.space();
    ident(p, &profile.id);
    open_block(p);
    for clause in &profile.clauses {
        profile_clause(p, clause);
    }
    close_block(p, span);
}

fn profile_clause(p: &mut Printer, clause: &ast::ProfileClause) {
    use ProfileClauseKind as K;
    p.begin_line(clause.keyword.start, BLOCK);
    let keyword = match &clause.kind {
        K::Title(_) => "title",
        K::Extends(_) => "extends",
        K::Include(_) => "include",
        K::Exclude(_) => "exclude",
        K::Override { .. } => "override",
        K::Set(_) => "set",
    };
    p.token(keyword, clause.keyword);
    p.pad_to(PROFILE_VALUE);
    p.indent = CONTINUATION;
    match &clause.kind {
        K::Title(title) => string(p, title),
        K::Extends(id) => ident(p, id),
        K::Include(selectors) | K::Exclude(selectors) => self::selectors(p, selectors),
        K::Override { norm, severity } => {
            ident(p, norm);
            p.space();
            p.punct("{");
            if let Some(severity) = severity {
                p.space();
                p.punct("severity");
                p.space();
                p.token(severity.level.as_str(), severity.span);
            }
            p.space();
            p.punct("}");
        }
        K::Set(setting) => self::setting(p, setting),
    }
}

fn selectors(p: &mut Printer, selectors: &[Selector]) {
    for (idx, selector) in selectors.iter().enumerate() {
        if idx > 0 {
            p.punct(",");
            p.space();
        }
        let (word, name) = match selector {
            Selector::All(span) => {
                p.token("all", *span);
                continue;
            }
            Selector::Severity(level) => {
                p.punct("severity");
                p.space();
                p.token(level.level.as_str(), level.span);
                continue;
            }
            Selector::Norm(id) => ("norm", id),
            Selector::Pillar(id) => ("pillar", id),
            Selector::Stage(id) => ("stage", id),
            Selector::Tag(id) => ("tag", id),
        };
        p.punct(word);
        p.space();
        ident(p, name);
    }
}

fn setting(p: &mut Printer, setting: &ast::Setting) {
    ident(p, &setting.param);
    p.space();
    p.punct("=");
    p.space();
    expr::expr(p, &setting.value);
}

fn test(p: &mut Printer, test: &ast::Test, span: Span) {
    p.space();
    string(p, &test.name);
    open_block(p);
    for clause in &test.clauses {
        test_clause(p, clause);
    }
    close_block(p, span);
}

fn test_clause(p: &mut Printer, clause: &ast::TestClause) {
    use TestClauseKind as K;
    p.begin_line(clause.keyword.start, BLOCK);
    let keyword = match &clause.kind {
        K::GivenFile(_) | K::GivenInline(..) => "given",
        K::Profile(_) => "profile",
        K::Set(_) => "set",
        K::Expect { .. } => "expect",
    };
    p.token(keyword, clause.keyword);
    p.space();
    p.indent = CONTINUATION;
    match &clause.kind {
        K::GivenFile(path) => string(p, path),
        K::GivenInline(_, span) => json::inline(p, *span),
        K::Profile(id) => ident(p, id),
        K::Set(setting) => self::setting(p, setting),
        K::Expect { status, norms } => {
            ident(p, status);
            p.space();
            for (idx, norm) in norms.iter().enumerate() {
                if idx > 0 {
                    p.punct(",");
                    p.space();
                }
                ident(p, norm);
            }
        }
    }
}
