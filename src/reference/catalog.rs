//! The norm catalogue: a summary of each norm (id, title, pillar, stages, severity, citations),
//! filters by pillar, stage and severity, and its renderings as a 100-column table, as JSON and
//! as a Markdown table.

use serde::Serialize;

use crate::check::{Norm, Program};
use crate::diagnostics::suggestion;
use crate::syntax::ast::Severity;

/// Width of the table rendering, in characters.
pub const TABLE_WIDTH: usize = 100;

/// Version of the JSON rendering; raised when a field changes meaning or disappears.
pub const JSON_FORMAT_VERSION: u32 = 1;

/// One norm as listed in the catalogue.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NormSummary<'a> {
    /// The norm's id.
    pub id: &'a str,
    /// Its title.
    pub title: &'a str,
    /// The id of its pillar.
    pub pillar: &'a str,
    /// The ids of its stages, in cycle order.
    pub stages: Vec<&'a str>,
    /// Its severity keyword.
    pub severity: &'static str,
    /// Its citations, in the order written.
    pub citations: Vec<CitationSummary<'a>>,
}

/// One citation of a norm.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CitationSummary<'a> {
    /// The id of the cited source.
    pub source: &'a str,
    /// The section or recommendation cited, if any.
    pub locator: Option<&'a str>,
}

/// Which norms to list; an empty filter lists every norm.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Filter {
    /// Only norms of this pillar (index into `Program::pillars`).
    pub pillar: Option<usize>,
    /// Only norms that apply at this stage (index into `Program::stages`).
    pub stage: Option<usize>,
    /// Only norms of exactly this severity.
    pub severity: Option<Severity>,
}

/// Why a filter cannot be built.
#[derive(Clone, Debug, PartialEq, thiserror::Error, miette::Diagnostic)]
pub enum FilterError {
    /// No pillar has this id.
    #[error("unknown pillar `{name}`")]
    #[diagnostic(code(rampart::reference::unknown_pillar))]
    UnknownPillar {
        /// The id given.
        name: String,
        /// A suggestion naming the closest pillar, or listing them.
        #[help]
        help: String,
    },
    /// No stage has this id.
    #[error("unknown stage `{name}`")]
    #[diagnostic(code(rampart::reference::unknown_stage))]
    UnknownStage {
        /// The id given.
        name: String,
        /// A suggestion naming the closest stage, or listing them.
        #[help]
        help: String,
    },
    /// Not a severity keyword.
    #[error("unknown severity `{name}`")]
    #[diagnostic(code(rampart::reference::unknown_severity))]
    UnknownSeverity {
        /// The word given.
        name: String,
        /// A suggestion naming the closest severity, or listing them.
        #[help]
        help: String,
    },
}

impl Filter {
    /// A filter from the ids given on the command line; reports every unknown id.
    pub fn new(
        program: &Program,
        pillar: Option<&str>,
        stage: Option<&str>,
        severity: Option<&str>,
    ) -> Result<Filter, Vec<FilterError>> {
        let mut errors = Vec::new();
        let pillar_ids = || program.pillars.iter().map(|p| p.id.as_str());
        let stage_ids = || program.stages.iter().map(|s| s.id.as_str());
        let severity_ids = || Severity::ALL.iter().map(|s| s.as_str());
        let pillar = pillar.and_then(|name| {
            let found = pillar_ids().position(|id| id == name);
            if found.is_none() {
                let help = suggestion(name, pillar_ids);
                errors.push(FilterError::UnknownPillar {
                    name: name.into(),
                    help,
                });
            }
            found
        });
        let stage = stage.and_then(|name| {
            let found = stage_ids().position(|id| id == name);
            if found.is_none() {
                let help = suggestion(name, stage_ids);
                errors.push(FilterError::UnknownStage {
                    name: name.into(),
                    help,
                });
            }
            found
        });
        let severity = severity.and_then(|name| {
            let found = Severity::ALL.into_iter().find(|s| s.as_str() == name);
            if found.is_none() {
                let help = suggestion(name, severity_ids);
                errors.push(FilterError::UnknownSeverity {
                    name: name.into(),
                    help,
                });
            }
            found
        });
        if errors.is_empty() {
            Ok(Filter {
                pillar,
                stage,
                severity,
            })
        } else {
            Err(errors)
        }
    }

    /// True when `norm` passes the filter.
    pub fn accepts(&self, norm: &Norm) -> bool {
        self.pillar.is_none_or(|pillar| norm.pillar == pillar)
            && self.stage.is_none_or(|stage| norm.stages.contains(&stage))
            && self
                .severity
                .is_none_or(|severity| norm.severity == severity)
    }
}

/// The norms passing `filter`, in declaration order.
pub fn list_norms<'a>(program: &'a Program, filter: &Filter) -> Vec<NormSummary<'a>> {
    program
        .norms
        .iter()
        .filter(|norm| filter.accepts(norm))
        .map(|norm| summarise(program, norm))
        .collect()
}

fn summarise<'a>(program: &'a Program, norm: &'a Norm) -> NormSummary<'a> {
    let category = |list: &'a [crate::check::Category], index: usize| {
        list.get(index).map_or("?", |c| c.id.as_str())
    };
    NormSummary {
        id: &norm.id,
        title: &norm.title,
        pillar: category(&program.pillars, norm.pillar),
        stages: norm
            .stages
            .iter()
            .map(|&stage| category(&program.stages, stage))
            .collect(),
        severity: norm.severity.as_str(),
        citations: norm
            .citations
            .iter()
            .map(|citation| CitationSummary {
                source: program
                    .sources
                    .get(citation.source)
                    .map_or("?", |s| s.id.as_str()),
                locator: citation.locator.as_deref(),
            })
            .collect(),
    }
}

/// The stages column: `all` when a norm applies at every stage of the program.
fn stages_cell(summary: &NormSummary<'_>, n_stages: usize) -> String {
    if n_stages > 1 && summary.stages.len() == n_stages {
        "all".to_string()
    } else {
        summary.stages.join(",")
    }
}

/// A plain-text table no wider than [`TABLE_WIDTH`]: a row per norm with its id, severity,
/// pillar, stages and number of citations, and its title on an indented line below (shortened
/// with `…` when it does not fit).
pub fn render_table(program: &Program, norms: &[NormSummary<'_>]) -> String {
    let header = ["ID", "SEVERITY", "PILLAR", "STAGES", "CITES"];
    let rows: Vec<([String; 5], &str)> = norms
        .iter()
        .map(|summary| {
            let cells = [
                summary.id.to_string(),
                summary.severity.to_string(),
                summary.pillar.to_string(),
                stages_cell(summary, program.stages.len()),
                summary.citations.len().to_string(),
            ];
            (cells, summary.title)
        })
        .collect();
    let mut widths = header.map(str::len);
    for (cells, _) in &rows {
        for (width, cell) in widths.iter_mut().zip(cells) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    push_row(&mut out, &header.map(String::from), &widths, "TITLE");
    for (cells, title) in &rows {
        push_row(&mut out, cells, &widths, title);
    }
    out.push_str(&format!(
        "{} norm(s); `rampart explain ID` shows a norm's citations, evidence and requirements\n",
        rows.len()
    ));
    out
}

/// Appends a row and its title line.
fn push_row(out: &mut String, cells: &[String; 5], widths: &[usize; 5], title: &str) {
    let mut line = String::new();
    for (index, (cell, width)) in cells.iter().zip(widths).enumerate() {
        // Padded by hand: `format!` widths stop at 65,535, and a policy's ids may be longer.
        let padding = " ".repeat(width.saturating_sub(cell.chars().count()));
        if index == 4 {
            line.push_str(&padding);
            line.push_str(cell);
        } else {
            line.push_str(cell);
            line.push_str(&padding);
            line.push_str("  ");
        }
    }
    out.push_str(&truncate(line.trim_end(), TABLE_WIDTH));
    out.push_str("\n  ");
    out.push_str(&truncate(title, TABLE_WIDTH - 2));
    out.push('\n');
}

/// `text` cut to `width` characters, ending in `…` when cut.
pub(super) fn truncate(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        return text.to_string();
    }
    let kept: String = text.chars().take(width.saturating_sub(1)).collect();
    format!("{}…", kept.trim_end())
}

/// The stable JSON rendering: `{"format_version": 1, "norms": [NormSummary…]}`.
pub fn render_json(norms: &[NormSummary<'_>]) -> serde_json::Value {
    serde_json::json!({
        "format_version": JSON_FORMAT_VERSION,
        "norms": norms,
    })
}

/// A Markdown table with one row per norm.
pub fn render_markdown(program: &Program, norms: &[NormSummary<'_>]) -> String {
    let mut out = String::from("| Id | Title | Pillar | Stages | Severity | Citations |\n");
    out.push_str("|---|---|---|---|---|---|\n");
    for summary in norms {
        let citations: Vec<String> = summary
            .citations
            .iter()
            .map(|c| match c.locator {
                Some(locator) => format!("{} {locator}", c.source),
                None => c.source.to_string(),
            })
            .collect();
        out.push_str(&format!(
            "| `{}` | {} | {} | {} | {} | {} |\n",
            summary.id,
            escape_cell(summary.title),
            summary.pillar,
            stages_cell(summary, program.stages.len()),
            summary.severity,
            escape_cell(&citations.join("; ")),
        ));
    }
    out
}

/// Escapes the characters that would break a Markdown table cell.
pub(super) fn escape_cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}
