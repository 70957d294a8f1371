//! The explanation of one norm for `rampart explain`: what it asks and why (doc, citations with
//! their sources), where it sits (pillar, stages, severity), what it reads (parameters, evidence
//! fields with their schema types and docs), its applicability condition and requirements as
//! written in the policy file, what passing means, and the example fix.

use crate::check::{Category, Norm, Param, Program, Segment, Source};
use crate::diagnostics::did_you_mean;
use crate::syntax::Span;
use crate::workspace::Workspace;

use super::evidence::{EvidenceField, resolve_path};

/// Width prose is wrapped at.
const WIDTH: usize = 100;

/// No norm has the id asked for.
#[derive(Clone, Debug, PartialEq, thiserror::Error, miette::Diagnostic)]
#[error("unknown norm `{name}`")]
#[diagnostic(code(rampart::reference::unknown_norm))]
pub struct UnknownNorm {
    /// The id given.
    pub name: String,
    /// "did you mean …?" when a norm id is close, or how to list them.
    #[help]
    pub help: String,
}

/// Everything `rampart explain` shows about one norm.
#[derive(Clone, Debug)]
pub struct Explanation<'a> {
    /// The norm.
    pub norm: &'a Norm,
    /// Where it is declared: root-relative file path and 1-based line.
    pub location: (&'a str, usize),
    /// Its pillar.
    pub pillar: Option<&'a Category>,
    /// Its stages, in cycle order.
    pub stages: Vec<&'a Category>,
    /// Its citations: the source and the locator, if any.
    pub citations: Vec<(&'a Source, Option<&'a str>)>,
    /// The parameters it uses.
    pub params: Vec<&'a Param>,
    /// The evidence paths it reads, with the schema field each ends at when it resolves.
    pub evidence: Vec<(&'a str, Option<EvidenceField<'a>>)>,
    /// The applicability condition as written.
    pub when: Option<String>,
    /// Each requirement as written: its condition and its failure message template, if any.
    pub requirements: Vec<(String, Option<String>)>,
}

/// The explanation of the norm `id`.
pub fn explain<'a>(
    program: &'a Program,
    workspace: &'a Workspace,
    id: &str,
) -> Result<Explanation<'a>, UnknownNorm> {
    let Some(norm) = program.norms.iter().find(|norm| norm.id == id) else {
        let ids = program.norms.iter().map(|norm| norm.id.as_str());
        let help = match did_you_mean(id, ids) {
            Some(close) => format!("did you mean `{close}`?"),
            None => "`rampart norms` lists every norm".to_string(),
        };
        return Err(UnknownNorm {
            name: id.to_string(),
            help,
        });
    };
    Ok(Explanation {
        norm,
        location: location(workspace, norm.span),
        pillar: program.pillars.get(norm.pillar),
        stages: norm
            .stages
            .iter()
            .filter_map(|&stage| program.stages.get(stage))
            .collect(),
        citations: norm
            .citations
            .iter()
            .filter_map(|c| Some((program.sources.get(c.source)?, c.locator.as_deref())))
            .collect(),
        params: norm
            .params
            .iter()
            .filter_map(|&param| program.params.get(param))
            .collect(),
        evidence: norm
            .reads
            .iter()
            .map(|path| (path.as_str(), resolve_path(&program.schema, path)))
            .collect(),
        when: norm
            .when
            .as_ref()
            .map(|when| source_text(workspace, when.span)),
        requirements: norm
            .requires
            .iter()
            .map(|r| {
                let condition = source_text(workspace, r.condition.span);
                let message = r.message.as_deref().map(|m| template_text(workspace, m));
                (condition, message)
            })
            .collect(),
    })
}

/// Root-relative path and 1-based line of `span`.
fn location(workspace: &Workspace, span: Span) -> (&str, usize) {
    let Some(file) = workspace.files.get(span.file.0 as usize) else {
        return ("?", 0);
    };
    (file.path.as_str(), file.line_of(span.start as usize))
}

/// The text of `span`, with continuation lines dedented by the column it starts at.
pub(super) fn source_text(workspace: &Workspace, span: Span) -> String {
    let Some(file) = workspace.files.get(span.file.0 as usize) else {
        return String::new();
    };
    let Some(text) = file.text.get(span.range()) else {
        return String::new();
    };
    let before = file.text.get(..span.start as usize).unwrap_or("");
    let column = before.len() - before.rfind('\n').map_or(0, |i| i + 1);
    let mut lines = text.lines();
    let mut out = lines.next().unwrap_or("").trim_end().to_string();
    for line in lines {
        let indent = line.len() - line.trim_start().len();
        out.push('\n');
        out.push_str(line.get(indent.min(column)..).unwrap_or(line).trim_end());
    }
    out
}

/// A message template as written: text, with `{expr}` for each interpolated value.
fn template_text(workspace: &Workspace, segments: &[Segment]) -> String {
    let mut out = String::from("\"");
    for segment in segments {
        match segment {
            Segment::Text(text) => out.push_str(&text.replace('\\', "\\\\").replace('"', "\\\"")),
            Segment::Value(expr) => {
                out.push('{');
                out.push_str(&source_text(workspace, expr.span));
                out.push('}');
            }
        }
    }
    out.push('"');
    out
}

/// Renders `explanation` as plain text for a terminal.
pub fn render_explanation(program: &Program, explanation: &Explanation<'_>) -> String {
    let mut out = String::new();
    render_header(&mut out, explanation);
    render_citations(&mut out, explanation);
    render_params(&mut out, program, explanation);
    render_evidence(&mut out, program, explanation);
    render_logic(&mut out, explanation);
    if let Some(fix) = &explanation.norm.fix {
        section(&mut out, "Example fix");
        push_wrapped(&mut out, fix, "  ", "  ");
    }
    out
}

fn section(out: &mut String, title: &str) {
    out.push('\n');
    out.push_str(title);
    out.push('\n');
}

/// Appends every line of `text` prefixed with `prefix`.
fn push_indented(out: &mut String, text: &str, prefix: &str) {
    for line in text.lines() {
        if line.is_empty() {
            out.push('\n');
        } else {
            out.push_str(prefix);
            out.push_str(line);
            out.push('\n');
        }
    }
}

/// Appends `text` as one paragraph wrapped at [`WIDTH`] columns, the first line after `first`,
/// the others after `rest`.
fn push_wrapped(out: &mut String, text: &str, first: &str, rest: &str) {
    let mut line = first.to_string();
    let mut line_has_word = false;
    for word in text.split_whitespace() {
        if line_has_word && line.chars().count() + 1 + word.chars().count() > WIDTH {
            out.push_str(&line);
            out.push('\n');
            line = rest.to_string();
            line_has_word = false;
        }
        if line_has_word {
            line.push(' ');
        }
        line.push_str(word);
        line_has_word = true;
    }
    out.push_str(&line);
    out.push('\n');
}

fn render_header(out: &mut String, explanation: &Explanation<'_>) {
    let norm = explanation.norm;
    out.push_str(&format!("{}: {}\n", norm.id, norm.title));
    let (path, line) = explanation.location;
    out.push_str(&format!("declared in {path}:{line}\n"));
    if let Some(doc) = &norm.doc {
        out.push('\n');
        push_indented(out, doc, "");
    }
    out.push('\n');
    if let Some(pillar) = explanation.pillar {
        out.push_str(&format!("Pillar:    {} ({})\n", pillar.id, pillar.title));
    }
    let mut label = "Stages:   ";
    for stage in &explanation.stages {
        out.push_str(&format!("{label} {} ({})\n", stage.id, stage.title));
        label = "          ";
    }
    out.push_str(&format!("Severity:  {}\n", norm.severity.as_str()));
}

/// "Title. Publisher, year." with whichever parts the source declares.
pub(super) fn source_reference(source: &Source) -> String {
    let mut out = source.title.clone().unwrap_or_else(|| source.id.clone());
    let imprint: Vec<String> = source
        .publisher
        .iter()
        .cloned()
        .chain(source.year.map(|year| year.to_string()))
        .collect();
    if !imprint.is_empty() {
        out.push_str(&format!(". {}", imprint.join(", ")));
    }
    out.push('.');
    out
}

fn render_citations(out: &mut String, explanation: &Explanation<'_>) {
    section(out, "Citations");
    for (source, locator) in &explanation.citations {
        let reference = format!("[{}] {}", source.id, source_reference(source));
        push_wrapped(out, &reference, "  - ", "    ");
        let at = locator.unwrap_or("(general: no section cited)");
        out.push_str(&format!("    at: {at}\n"));
        if let Some(url) = &source.url {
            out.push_str(&format!("    {url}\n"));
        }
    }
}

fn render_params(out: &mut String, program: &Program, explanation: &Explanation<'_>) {
    if explanation.params.is_empty() {
        return;
    }
    section(
        out,
        "Parameters (change with a profile or `--set NAME=VALUE`)",
    );
    for param in &explanation.params {
        let ty = param.ty.display(&program.schema);
        out.push_str(&format!("  {}: {ty} = {}\n", param.name, param.default));
        if let Some(doc) = &param.doc {
            push_indented(out, doc, "      ");
        }
    }
}

fn render_evidence(out: &mut String, program: &Program, explanation: &Explanation<'_>) {
    if explanation.evidence.is_empty() {
        return;
    }
    section(out, "Evidence read (fields of the jurisdiction document)");
    for (path, field) in &explanation.evidence {
        let Some(field) = field else {
            out.push_str(&format!("  {path}\n"));
            continue;
        };
        let ty = field.ty.display(&program.schema);
        let presence = if field.field.required {
            "required"
        } else {
            "optional"
        };
        out.push_str(&format!("  {path}: {ty}, {presence}\n"));
        if let Some(doc) = &field.field.doc {
            push_indented(out, doc, "      ");
        }
    }
}

fn render_logic(out: &mut String, explanation: &Explanation<'_>) {
    section(out, "Applies when");
    match &explanation.when {
        Some(when) => push_indented(out, when, "  "),
        None => out.push_str("  always (no `when` condition)\n"),
    }
    section(out, "Requirements");
    for (index, (condition, message)) in explanation.requirements.iter().enumerate() {
        let mut lines = condition.lines();
        out.push_str(&format!(
            "  {}. require {}\n",
            index + 1,
            lines.next().unwrap_or("")
        ));
        for line in lines {
            out.push_str(&format!("             {line}\n"));
        }
        if let Some(message) = message {
            out.push_str(&format!("       else {message}\n"));
        }
    }
    section(out, "Passing");
    push_indented(out, &passing_in_words(explanation), "  ");
}

/// What passing means, in words.
fn passing_in_words(explanation: &Explanation<'_>) -> String {
    let mut out = String::new();
    if let Some(when) = &explanation.when {
        out.push_str(&format!(
            "The norm applies when {}; otherwise it is not applicable.\n",
            one_line(when)
        ));
    }
    out.push_str("It passes when every requirement holds:\n");
    for (index, (condition, _)) in explanation.requirements.iter().enumerate() {
        out.push_str(&format!("  ({}) {}\n", index + 1, one_line(condition)));
    }
    out.push_str(
        "A requirement that does not hold fails the norm with its message; missing evidence\n\
         makes it unknown.\n",
    );
    out
}

/// `text` with its line breaks and runs of spaces collapsed into single spaces.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
