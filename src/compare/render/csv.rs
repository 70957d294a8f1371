//! CSV: one row per jurisdiction in rank order; columns for the rank, identity, flags, overall
//! scores, then one compliance column per pillar (`pillar:ID`) and per stage (`stage:ID`),
//! the groups with `--group-by` and the change with `--baseline`. Scores are percentages with
//! one decimal. Text cells that a spreadsheet would read as a formula (starting with `=`, `+`,
//! `-`, `@`, tab or carriage return) are prefixed with `'`.

use std::fmt::Write;

use super::{count, rank_text};
use crate::check::Status;
use crate::compare::score::Ratio;
use crate::compare::{Comparison, Jurisdiction};

/// Renders the CSV (RFC 4180, `\n` line ends).
pub fn render(comparison: &Comparison) -> String {
    let mut out = String::new();
    write_row(&mut out, &header(comparison));
    for jurisdiction in &comparison.jurisdictions {
        write_row(&mut out, &row(comparison, jurisdiction));
    }
    out
}

/// A cell: text from documents (neutralised) or a number we wrote.
enum Cell {
    Text(String),
    Number(String),
}

fn header(comparison: &Comparison) -> Vec<Cell> {
    let mut cells: Vec<Cell> = [
        "rank",
        "jurisdiction",
        "name",
        "path",
        "evaluated",
        "below_baseline",
        "critical_fails",
        "fails",
        "errors",
        "compliance",
        "coverage",
        "waived",
    ]
    .iter()
    .map(|h| Cell::Text((*h).to_string()))
    .collect();
    cells.extend(
        comparison
            .pillars
            .iter()
            .map(|p| Cell::Text(format!("pillar:{}", p.id))),
    );
    cells.extend(
        comparison
            .stages
            .iter()
            .map(|s| Cell::Text(format!("stage:{}", s.id))),
    );
    if let Some(grouping) = &comparison.grouping {
        cells.push(Cell::Text(format!("group:{}", grouping.path)));
    }
    if comparison.trend.is_some() {
        cells.push(Cell::Text("compliance_change".to_string()));
    }
    cells
}

fn percent(ratio: Option<Ratio>) -> Cell {
    Cell::Number(ratio.map_or_else(String::new, Ratio::percent_text))
}

fn row(comparison: &Comparison, jurisdiction: &Jurisdiction) -> Vec<Cell> {
    let mut cells = vec![
        Cell::Number(
            jurisdiction
                .rank
                .map_or_else(String::new, |_| rank_text(jurisdiction)),
        ),
        Cell::Text(jurisdiction.key.clone()),
        Cell::Text(jurisdiction.name.clone()),
        Cell::Text(jurisdiction.path.clone()),
        Cell::Number(jurisdiction.evaluated.to_string()),
        Cell::Number(jurisdiction.below_baseline().to_string()),
        Cell::Text(jurisdiction.critical_fails.join(" ")),
        Cell::Number(count(jurisdiction, Status::Fail).to_string()),
        Cell::Number(jurisdiction.errors.len().to_string()),
        percent(jurisdiction.overall.compliance),
        percent(jurisdiction.overall.coverage),
        percent(jurisdiction.overall.waived),
    ];
    cells.extend(jurisdiction.pillars.iter().map(|s| percent(s.compliance)));
    cells.extend(jurisdiction.stages.iter().map(|s| percent(s.compliance)));
    if let Some(grouping) = &comparison.grouping {
        let groups: Vec<&str> = grouping
            .groups
            .iter()
            .filter(|g| g.members.contains(&jurisdiction.key))
            .map(|g| g.value.as_str())
            .collect();
        cells.push(Cell::Text(groups.join(";")));
    }
    if let Some(trend) = &comparison.trend {
        let change = trend
            .changes
            .iter()
            .find(|c| c.jurisdiction == jurisdiction.key)
            .and_then(|c| c.overall.points())
            .map_or_else(String::new, |p| format!("{p:.1}"));
        cells.push(Cell::Number(change));
    }
    cells
}

fn write_row(out: &mut String, cells: &[Cell]) {
    for (index, cell) in cells.iter().enumerate() {
        if index > 0 {
            out.push(',');
        }
        let text = match cell {
            Cell::Text(text) => neutralise(text),
            Cell::Number(text) => text.clone(),
        };
        let _ = write!(out, "{}", quote(&text));
    }
    out.push('\n');
}

/// Prefixes `'` to text a spreadsheet would evaluate as a formula.
pub fn neutralise(text: &str) -> String {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{text}"),
        _ => text.to_string(),
    }
}

/// Quotes a field when it holds a comma, quote or line break (RFC 4180).
fn quote(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}
