//! Hover: what the name under the cursor is — a norm's title, doc, citations, stages and
//! severity; a field's type, doc and enum members; a parameter's type, default and doc; a
//! definition's body; a built-in's signature.

use std::fmt::Write;

use lsp_types::{Hover, HoverContents, HoverParams, MarkupContent, MarkupKind};

use super::analysis::Analysis;
use super::index::{Occurrence, Symbol};
use super::infer::type_of;
use super::syntax_at::path_at;
use super::world::World;
use crate::check::{Builtin, Program, Type};
use crate::syntax::{Span, ast};

/// Answers `textDocument/hover`.
pub(crate) fn hover(world: &World, params: HoverParams) -> Option<Hover> {
    let position = params.text_document_position_params;
    let (analysis, file) = world.analysis(&position.text_document.uri)?;
    let offset = analysis.offset(file, position.position)?;
    let occurrence = analysis.index().at(file, offset)?;
    let value = describe(analysis, occurrence)?;
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value,
        }),
        range: Some(analysis.range(occurrence.span)),
    })
}

/// Markdown describing the symbol of `occurrence`.
fn describe(analysis: &Analysis, occurrence: &Occurrence) -> Option<String> {
    let program = &analysis.checked.program;
    match &occurrence.symbol {
        Symbol::Norm(id) => norm(program, id),
        Symbol::Field { object, name } => field(program, *object, name),
        Symbol::Type(name) => type_decl(program, name),
        Symbol::Param(name) => param(program, name),
        Symbol::Def(_) => declaration_text(analysis, &occurrence.symbol, "def"),
        Symbol::Builtin(name) => {
            let builtin = Builtin::by_name(name)?;
            Some(format!(
                "```rampart\n{}\n```\nbuilt-in function",
                builtin.signature()
            ))
        }
        Symbol::Pillar(id) => category(&program.pillars, id, "pillar"),
        Symbol::Stage(id) => category(&program.stages, id, "stage"),
        Symbol::Source(id) => source(program, id),
        Symbol::Profile(id) => {
            let profile = program.profiles.iter().find(|p| p.id == *id)?;
            let title = profile.title.as_deref().unwrap_or("");
            Some(format!(
                "**profile** `{id}` {title}\n\n{} norms",
                profile.norms.len()
            ))
        }
        Symbol::Local { decl } => Some(local(analysis, *decl)),
        Symbol::File(path) => Some(format!("policy file `{path}`")),
        Symbol::EnumMember { enum_id, value } => {
            let decl = program.schema.enums.get(*enum_id)?;
            let doc = decl
                .members
                .iter()
                .find(|(m, _)| m == value)
                .and_then(|(_, d)| d.clone());
            let doc = doc.map_or(String::new(), |d| format!("\n\n{d}"));
            Some(format!(
                "`\"{value}\"`: member of enum `{}`{doc}",
                decl.name
            ))
        }
    }
}

/// A variable with its type, when the text around its declaration gives one.
fn local(analysis: &Analysis, decl: Span) -> String {
    let name = analysis.slice(decl);
    let ty = analysis.file(decl.file).and_then(|file| {
        let path = path_at(&file.parse.file, decl.start as usize);
        let ident = ast::Ident {
            name: name.to_string(),
            span: decl,
        };
        let expr = ast::Expr {
            kind: ast::ExprKind::Name(ident),
            span: decl,
        };
        type_of(&analysis.checked.program, &path, &expr)
    });
    match ty {
        Some(ty) => {
            let ty = ty.display(&analysis.checked.program.schema);
            format!("```rampart\n{name}: {ty}\n```\nvariable")
        }
        None => format!("variable `{name}`"),
    }
}

fn norm(program: &Program, id: &str) -> Option<String> {
    let norm = program.norms.iter().find(|n| n.id == id)?;
    let mut out = format!("**norm** `{}` — {}\n\n", norm.id, norm.title);
    if let Some(doc) = &norm.doc {
        let _ = write!(out, "{doc}\n\n");
    }
    let _ = writeln!(out, "- severity: **{}**", norm.severity.as_str());
    if let Some(pillar) = program.pillars.get(norm.pillar) {
        let _ = writeln!(out, "- pillar: {} ({})", pillar.id, pillar.title);
    }
    let stages: Vec<&str> = norm
        .stages
        .iter()
        .filter_map(|&s| program.stages.get(s).map(|s| s.id.as_str()))
        .collect();
    let _ = writeln!(out, "- stages: {}", stages.join(", "));
    for citation in &norm.citations {
        let Some(source) = program.sources.get(citation.source) else {
            continue;
        };
        let title = source.title.as_deref().unwrap_or(&source.id);
        let locator = citation
            .locator
            .as_deref()
            .map_or(String::new(), |l| format!(", {l}"));
        let _ = writeln!(out, "- cites: {title}{locator}");
    }
    Some(out)
}

fn field(program: &Program, object: usize, name: &str) -> Option<String> {
    let schema = &program.schema;
    let owner = schema.objects.get(object)?;
    let field = owner.fields.iter().find(|f| f.name == name)?;
    let optional = if field.required { "" } else { "?" };
    let owner_name = if object == schema.root {
        "schema"
    } else {
        owner.name.as_str()
    };
    let mut out = format!(
        "```rampart\n{name}{optional}: {}\n```\nfield of `{owner_name}`\n",
        field.ty.display(schema)
    );
    if let Some(doc) = &field.doc {
        let _ = write!(out, "\n{doc}\n");
    }
    if let Some(members) = enum_members(program, &field.ty) {
        let _ = write!(out, "\none of: {members}\n");
    }
    Some(out)
}

/// The members of the enum `ty` is (or is a list of), quoted and joined.
fn enum_members(program: &Program, ty: &Type) -> Option<String> {
    let id = match ty {
        Type::Enum(id) => *id,
        Type::List(element) => match **element {
            Type::Enum(id) => id,
            _ => return None,
        },
        _ => return None,
    };
    let members = &program.schema.enums.get(id)?.members;
    let quoted: Vec<String> = members.iter().map(|(m, _)| format!("`\"{m}\"`")).collect();
    Some(quoted.join(", "))
}

fn type_decl(program: &Program, name: &str) -> Option<String> {
    let schema = &program.schema;
    if let Some(id) = schema.enums.iter().position(|e| e.name == name) {
        let decl = &schema.enums[id];
        let members = enum_members(program, &Type::Enum(id)).unwrap_or_default();
        let doc = decl.doc.as_deref().unwrap_or("");
        return Some(format!("**enum** `{name}`\n\n{doc}\n\none of: {members}"));
    }
    let object = schema.objects.iter().find(|o| o.name == name)?;
    let mut out = format!("**type** `{name}`\n\n");
    if let Some(doc) = &object.doc {
        let _ = write!(out, "{doc}\n\n");
    }
    out.push_str("```rampart\n");
    for field in &object.fields {
        let optional = if field.required { "" } else { "?" };
        let _ = writeln!(
            out,
            "{}{optional}: {}",
            field.name,
            field.ty.display(schema)
        );
    }
    out.push_str("```");
    Some(out)
}

fn param(program: &Program, name: &str) -> Option<String> {
    let param = program.params.iter().find(|p| p.name == name)?;
    let mut out = format!(
        "```rampart\nparam {}: {} = {}\n```\n",
        param.name,
        param.ty.display(&program.schema),
        param.default
    );
    if let Some(doc) = &param.doc {
        let _ = write!(out, "\n{doc}\n");
    }
    Some(out)
}

/// The text of the item that declares `symbol`, in a code block, then its doc comment.
fn declaration_text(analysis: &Analysis, symbol: &Symbol, what: &str) -> Option<String> {
    let decl = analysis.index().declarations(symbol).next()?;
    let item = decl.item?;
    let text = analysis.slice(item);
    let doc = (analysis.file(item.file))
        .and_then(|file| file.parse.file.items.iter().find(|i| i.span == item))
        .and_then(|i| i.doc.as_ref())
        .map_or(String::new(), |doc| format!("\n\n{}", doc.text()));
    Some(format!("```rampart\n{text}\n```\n{what}{doc}"))
}

fn category(categories: &[crate::check::Category], id: &str, what: &str) -> Option<String> {
    let category = categories.iter().find(|c| c.id == id)?;
    Some(format!("**{what}** `{}` — {}", category.id, category.title))
}

fn source(program: &Program, id: &str) -> Option<String> {
    let source = program.sources.iter().find(|s| s.id == id)?;
    let mut out = format!("**source** `{id}`\n\n");
    let fields = [
        ("title", source.title.clone()),
        ("publisher", source.publisher.clone()),
        ("year", source.year.map(|y| y.to_string())),
        ("url", source.url.clone()),
        ("note", source.note.clone()),
    ];
    for (key, value) in fields {
        if let Some(value) = value {
            let _ = writeln!(out, "- {key}: {value}");
        }
    }
    Some(out)
}
