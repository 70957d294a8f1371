//! Renders a [`Comparison`] for people and programs: a terminal table ([`table`]), CSV
//! ([`csv`]), Markdown ([`markdown`]), versioned JSON ([`json`]) and one self-contained HTML
//! page ([`html`]). Every string taken from documents is escaped for its format here: control
//! characters for terminals, formula prefixes for spreadsheets, Markdown and HTML syntax.

pub mod csv;
pub mod html;
pub mod html_static;
pub mod json;
pub mod markdown;
pub mod table;

use super::{Comparison, Jurisdiction};
use crate::report::Report;

/// Output formats of `rampart compare`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// A table for a terminal, at most 100 columns wide.
    Table,
    /// One row per jurisdiction, one column per score.
    Csv,
    /// Tables and lists in Markdown.
    Markdown,
    /// The comparison as versioned JSON (docs/report-schema.md).
    Json,
    /// One self-contained page with a heatmap, charts and trends.
    Html,
}

/// Whether the table may use terminal colours.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Colour {
    /// Plain text.
    Never,
    /// ANSI colours.
    Ansi,
}

/// The heading's count of jurisdictions: "1 jurisdiction", "6 jurisdictions".
pub fn jurisdictions_counted(comparison: &Comparison) -> String {
    match comparison.jurisdictions.len() {
        1 => "1 jurisdiction".to_string(),
        n => format!("{n} jurisdictions"),
    }
}

/// Renders `comparison` (of `report`) in `format`.
pub fn render(comparison: &Comparison, report: &Report, format: Format, colour: Colour) -> String {
    match format {
        Format::Table => table::render(comparison, colour),
        Format::Csv => csv::render(comparison),
        Format::Markdown => markdown::render(comparison),
        Format::Json => json::render(comparison),
        Format::Html => html::render(comparison, report),
    }
}

/// The flags of a jurisdiction in words, for every format.
pub fn flags(jurisdiction: &Jurisdiction) -> Vec<String> {
    let mut flags = Vec::new();
    if !jurisdiction.evaluated {
        flags.push("not evaluated".to_string());
    }
    if jurisdiction.below_baseline() {
        flags.push("below baseline".to_string());
    }
    if jurisdiction.low_coverage() {
        flags.push("low coverage".to_string());
    }
    if !jurisdiction.errors.is_empty() {
        flags.push(format!("errors: {}", jurisdiction.errors.len()));
    }
    flags
}

/// The number of results of a jurisdiction with `status`.
pub fn count(jurisdiction: &Jurisdiction, status: crate::check::Status) -> usize {
    jurisdiction
        .statuses
        .iter()
        .filter(|s| **s == Some(status))
        .count()
}

/// The rank as text, or `–` when unranked.
pub fn rank_text(jurisdiction: &Jurisdiction) -> String {
    jurisdiction
        .rank
        .map_or_else(|| "–".to_string(), |r| r.to_string())
}
