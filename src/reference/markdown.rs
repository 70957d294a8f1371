//! The Markdown norm reference (`docs/norms.md`): per pillar, each norm with its id, title,
//! severity, stages, doc, citations, parameters with defaults, evidence fields and fix. Opens
//! with a description of the JSON rendering of `rampart norms`.

use crate::check::{Norm, Program};

use super::catalog::{Filter, escape_cell};
use super::evidence::resolve_path;
use super::explain::source_reference;

/// How to regenerate the reference; printed in its header and by the staleness test.
pub const REGENERATE: &str = "rampart norms --format markdown --full > docs/norms.md";

/// The full reference of the norms passing `filter`, grouped by pillar in declaration order.
pub fn norm_reference(program: &Program, filter: &Filter) -> String {
    let mut out = String::new();
    push_header(&mut out, program, filter);
    for (pillar_idx, pillar) in program.pillars.iter().enumerate() {
        let norms: Vec<&Norm> = program
            .norms
            .iter()
            .filter(|norm| norm.pillar == pillar_idx && filter.accepts(norm))
            .collect();
        if norms.is_empty() {
            continue;
        }
        out.push_str(&format!("\n## {} (`{}`)\n", pillar.title, pillar.id));
        for norm in norms {
            push_norm(&mut out, program, norm);
        }
    }
    out
}

/// The title, the pillar table and (for the whole library, which is `docs/norms.md`) the
/// banner and the JSON section. A filtered reference counts and lists only what passes.
fn push_header(out: &mut String, program: &Program, filter: &Filter) {
    let whole = *filter == Filter::default();
    let n_norms = program.norms.iter().filter(|n| filter.accepts(n)).count();
    let pillars: Vec<(&crate::check::Category, usize)> = (program.pillars.iter().enumerate())
        .map(|(index, pillar)| {
            let norms = program.norms.iter();
            let n = norms
                .filter(|n| n.pillar == index && filter.accepts(n))
                .count();
            (pillar, n)
        })
        .filter(|&(_, n)| whole || n > 0)
        .collect();
    out.push_str("# Norm reference\n\n");
    if whole {
        out.push_str(&format!(
            "<!-- Generated from the norm library; do not edit. Regenerate with `{REGENERATE}`. -->\n\n"
        ));
    }
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    out.push_str(&format!(
        "{} in {}{}. `rampart explain ID` shows one norm with its \
         applicability condition and requirements as written.\n",
        plural(n_norms, "norm"),
        plural(pillars.len(), "pillar"),
        if whole {
            ""
        } else {
            " (the norms the filters select)"
        }
    ));
    if pillars.is_empty() {
        return;
    }
    out.push_str("\n| Pillar | Id | Norms |\n|---|---|---|\n");
    for (pillar, n_norms) in pillars {
        out.push_str(&format!(
            "| {} | `{}` | {n_norms} |\n",
            escape_cell(&pillar.title),
            pillar.id
        ));
    }
    if whole {
        out.push_str(JSON_FORMAT_SECTION);
    }
}

/// Describes the stable JSON rendering of `rampart norms --format json`.
const JSON_FORMAT_SECTION: &str = "
## JSON listing

`rampart norms --format json` prints one object, stable across releases of format version 1:

- `format_version` (integer): 1. Raised only when a field changes meaning or disappears; new
  fields may be added without raising it.
- `norms` (array, in declaration order), each with:
  - `id` (string): the norm id, as used by `rampart explain`, waivers and profiles.
  - `title` (string).
  - `pillar` (string): the pillar id.
  - `stages` (array of strings): stage ids in electoral-cycle order.
  - `severity` (string): `low`, `medium`, `high` or `critical`.
  - `citations` (array): each `{\"source\": source id, \"locator\": section or null}`.

The filters `--pillar`, `--stage` and `--severity` apply to every format.
";

fn push_norm(out: &mut String, program: &Program, norm: &Norm) {
    out.push_str(&format!("\n### `{}`: {}\n\n", norm.id, norm.title));
    let stages: Vec<String> = norm
        .stages
        .iter()
        .filter_map(|&stage| program.stages.get(stage))
        .map(|stage| format!("`{}`", stage.id))
        .collect();
    out.push_str(&format!(
        "- Severity: {}\n- Stages: {}\n",
        norm.severity.as_str(),
        stages.join(", ")
    ));
    if let Some(doc) = &norm.doc {
        out.push('\n');
        out.push_str(doc.trim_end());
        out.push('\n');
    }
    push_citations(out, program, norm);
    push_params(out, program, norm);
    push_evidence(out, program, norm);
    if let Some(fix) = &norm.fix {
        out.push_str(&format!("\nFix: {fix}\n"));
    }
}

fn push_citations(out: &mut String, program: &Program, norm: &Norm) {
    out.push_str("\nCitations:\n\n");
    for citation in &norm.citations {
        let Some(source) = program.sources.get(citation.source) else {
            continue;
        };
        let at = citation.locator.as_deref().unwrap_or("general");
        out.push_str(&format!(
            "- `{}`: {} ({at})\n",
            source.id,
            source_reference(source).trim_end_matches('.')
        ));
    }
}

fn push_params(out: &mut String, program: &Program, norm: &Norm) {
    if norm.params.is_empty() {
        return;
    }
    out.push_str("\nParameters:\n\n| Parameter | Type | Default | Meaning |\n|---|---|---|---|\n");
    for param in norm.params.iter().filter_map(|&p| program.params.get(p)) {
        out.push_str(&format!(
            "| `{}` | `{}` | `{}` | {} |\n",
            param.name,
            param.ty.display(&program.schema),
            param.default,
            escape_cell(param.doc.as_deref().unwrap_or(""))
        ));
    }
}

fn push_evidence(out: &mut String, program: &Program, norm: &Norm) {
    if norm.reads.is_empty() {
        return;
    }
    out.push_str("\nEvidence:\n\n| Field | Type | Meaning |\n|---|---|---|\n");
    for path in &norm.reads {
        let (ty, doc) = match resolve_path(&program.schema, path) {
            Some(field) => (
                format!("`{}`", field.ty.display(&program.schema)),
                field.field.doc.as_deref().unwrap_or(""),
            ),
            None => (String::new(), ""),
        };
        out.push_str(&format!(
            "| `{path}` | {} | {} |\n",
            escape_cell(&ty),
            escape_cell(doc)
        ));
    }
}
