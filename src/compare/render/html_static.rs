//! The parts of the HTML page written as markup, so that the page reads without JavaScript:
//! the heading's summary, the table of scores (one row per jurisdiction: rank, overall
//! compliance, coverage, compliance per pillar, results by status, flags and critical
//! failures) and, when asked for, the tables of groups (`--group-by`) and of changes since the
//! baseline (`--baseline`). The page's script only filters and sorts the scores table's rows
//! (`data-j` is the jurisdiction's index in the page data) and shows one pillar's column
//! (`data-p` on the headings). Cells carry no attributes, so that the table of 1,000 jurisdictions stays small
//! to parse; the style sheet aligns them by column.
//!
//! Every text from a document is escaped ([`escape`]): it can open no tag or attribute, and its
//! control and bidirectional characters become U+FFFD, as in Markdown.

use std::collections::HashMap;
use std::fmt::Write;

use super::{count, flags, rank_text};
use crate::check::Status;
use crate::compare::groups::Group;
use crate::compare::score::{percent_or_dash, tenths_text};
use crate::compare::trend::JurisdictionChange;
use crate::compare::{Comparison, Jurisdiction, Ratio, Stats};

/// The statuses the results column counts, in its order, with their words.
const STATUSES: [(Status, &str); 6] = [
    (Status::Pass, "pass"),
    (Status::Fail, "fail"),
    (Status::Waived, "waived"),
    (Status::Unknown, "unknown"),
    (Status::NotApplicable, "not applicable"),
    (Status::Error, "error"),
];

/// `text` with the characters HTML gives a meaning to written as references, and control and
/// bidirectional characters replaced.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if crate::report::columns::is_unsafe_char(c) => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

/// The heading's sentence: how many jurisdictions and norms, the profile, the weights and how
/// many jurisdictions are below the baseline.
pub fn summary(comparison: &Comparison) -> String {
    let w = comparison.weights;
    let below = (comparison.jurisdictions.iter())
        .filter(|j| j.below_baseline())
        .count();
    let profile = (comparison.profile.as_deref())
        .map_or_else(String::new, |p| format!(", profile {}", escape(p)));
    format!(
        "{}, {} norms{profile}. Weights: critical {}, high {}, medium {}, low {}. {below} below \
         baseline (a critical norm fails).",
        super::jurisdictions_counted(comparison),
        comparison.norms.len(),
        w.critical,
        w.high,
        w.medium,
        w.low,
    )
}

/// The section with the table of scores.
pub fn scores(comparison: &Comparison) -> String {
    let mut out = String::from(
        "<section id=\"scores-section\" aria-labelledby=\"scores-title\">\
         <h2 id=\"scores-title\">Scores by jurisdiction</h2>\n\
         <p class=\"hint\">Compliance is the severity-weighted share of passes among passes and \
         failures, overall and per pillar; coverage is the weighted share of applicable norms \
         with evidence (docs/scoring.md).</p>\n\
         <div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-label=\"Scores table\">\
         <table class=\"plain scores\" id=\"scores\">\n",
    );
    write_head(&mut out, comparison);
    out.push_str("<tbody>\n");
    for (index, jurisdiction) in comparison.jurisdictions.iter().enumerate() {
        write_row(&mut out, index, jurisdiction);
    }
    out.push_str("</tbody></table></div></section>\n");
    out
}

fn write_head(out: &mut String, comparison: &Comparison) {
    out.push_str(
        "<thead><tr><th scope=\"col\">Rank</th><th scope=\"col\">Jurisdiction</th>\
         <th scope=\"col\">Overall compliance</th><th scope=\"col\">Coverage</th>",
    );
    for (index, pillar) in comparison.pillars.iter().enumerate() {
        let _ = write!(
            out,
            "<th scope=\"col\" data-p=\"{index}\" title=\"{}\">{}</th>",
            escape(&pillar.title),
            escape(&pillar.id)
        );
    }
    out.push_str(
        "<th scope=\"col\">Results</th><th scope=\"col\">Flags</th>\
         <th scope=\"col\">Critical fails</th></tr></thead>\n",
    );
}

fn write_row(out: &mut String, index: usize, jurisdiction: &Jurisdiction) {
    let _ = write!(
        out,
        "<tr data-j=\"{index}\"><td>{}</td><th scope=\"row\" dir=\"auto\" title=\"{}\">{}</th>\
         <td>{}</td><td>{}</td>",
        rank_text(jurisdiction),
        escape(&jurisdiction.key),
        escape(&jurisdiction.name),
        percent(jurisdiction.overall.compliance),
        percent(jurisdiction.overall.coverage),
    );
    for score in &jurisdiction.pillars {
        let _ = write!(out, "<td>{}</td>", percent(score.compliance));
    }
    let critical: Vec<String> = jurisdiction
        .critical_fails
        .iter()
        .map(|n| escape(n))
        .collect();
    let _ = writeln!(
        out,
        "<td>{}</td><td>{}</td><td>{}</td></tr>",
        results(jurisdiction),
        flags(jurisdiction).join(", "),
        critical.join(", "),
    );
}

/// The results of a jurisdiction counted by status (`70 pass, 3 fail`), leaving out the
/// statuses it has none of; `not evaluated` when it has no result.
fn results(jurisdiction: &Jurisdiction) -> String {
    if !jurisdiction.evaluated {
        return "not evaluated".to_string();
    }
    let counts = STATUSES.iter().filter_map(|&(status, word)| {
        let n = count(jurisdiction, status);
        (n > 0).then(|| format!("{n} {word}"))
    });
    counts.collect::<Vec<_>>().join(", ")
}

/// A ratio as a percentage with one decimal and its sign (`96.2%`), or `–`.
fn percent(ratio: Option<Ratio>) -> String {
    let text = percent_or_dash(ratio);
    if ratio.is_some() { text + "%" } else { text }
}

/// The section of groups, with `--group-by`: each group's members (by name), the statistics
/// of their overall compliance and the norms most of them fail. Empty without a grouping.
pub fn groups(comparison: &Comparison) -> String {
    let Some(grouping) = &comparison.grouping else {
        return String::new();
    };
    let names = names_by_key(comparison);
    let mut out = format!(
        "<section id=\"groups-section\" aria-labelledby=\"groups-title\">\
         <h2 id=\"groups-title\">Groups by {}</h2>\n",
        escape(&grouping.path)
    );
    open_table(
        &mut out,
        ("groups-table", "Groups table"),
        &[
            "Group",
            "Members",
            "Mean",
            "Min",
            "Median",
            "Max",
            "Most failed",
        ],
    );
    for group in &grouping.groups {
        write_group(&mut out, &names, group);
    }
    out.push_str("</tbody></table></div></section>\n");
    out
}

fn write_group(out: &mut String, names: &HashMap<&str, &str>, group: &Group) {
    let members: Vec<String> = (group.members.iter())
        .map(|key| escape(name_of(names, key)))
        .collect();
    let unscored = match group.unscored() {
        0 => String::new(),
        n => format!(" ({n} without a score, left out of the statistics)"),
    };
    let stats = stat_cells(group.compliance.as_ref());
    let most_failed: Vec<String> = (group.most_failed.iter())
        .map(|(norm, n)| format!("{} ({n})", escape(norm)))
        .collect();
    let _ = writeln!(
        out,
        "<tr><td dir=\"auto\">{}</td><td>{}{unscored}</td>{stats}<td>{}</td></tr>",
        escape(&group.value),
        members.join(", "),
        most_failed.join(", "),
    );
}

/// The cells of a group's mean, min, median and max compliance (`96.2%`, or `–`).
fn stat_cells(stats: Option<&Stats>) -> String {
    let texts = match stats {
        Some(stats) => stats.shown.map(|tenths| tenths_text(tenths) + "%"),
        None => Stats::percent_texts(None),
    };
    texts
        .iter()
        .map(|text| format!("<td>{text}</td>"))
        .collect()
}

/// The section of changes since the baseline, with `--baseline`: each jurisdiction's overall
/// compliance before and after, the change in points (and across the baseline), the norms
/// newly failing and newly passing; then the jurisdictions that appeared and disappeared.
/// Empty without a baseline.
pub fn trend(comparison: &Comparison) -> String {
    let Some(trend) = &comparison.trend else {
        return String::new();
    };
    let names = names_by_key(comparison);
    let mut out = String::from(
        "<section id=\"trend-section\" aria-labelledby=\"trend-title\">\
         <h2 id=\"trend-title\">Changes since the baseline</h2>\n<div id=\"trend\">",
    );
    open_table(
        &mut out,
        ("trend-table", "Changes table"),
        &[
            "Jurisdiction",
            "Before",
            "After",
            "Change (points)",
            "Newly failing",
            "Newly passing",
        ],
    );
    for change in &trend.changes {
        write_change(&mut out, &names, change);
    }
    out.push_str("</tbody></table></div>\n");
    if !trend.appeared.is_empty() {
        let appeared: Vec<&str> = (trend.appeared.iter())
            .map(|key| name_of(&names, key))
            .collect();
        let _ = writeln!(out, "<p>Appeared: {}</p>", escape(&appeared.join(", ")));
    }
    if !trend.disappeared.is_empty() {
        let disappeared = escape(&trend.disappeared.join(", "));
        let _ = writeln!(out, "<p>Disappeared: {disappeared}</p>");
    }
    out.push_str("</div></section>\n");
    out
}

fn write_change(out: &mut String, names: &HashMap<&str, &str>, change: &JurisdictionChange) {
    let points = match change.baseline.text() {
        Some(crossing) => format!("{}, {crossing}", change.overall.text()),
        None => change.overall.text(),
    };
    let norms = |norms: &[String]| match norms {
        [] => "–".to_string(),
        norms => escape(&norms.join(", ")),
    };
    let _ = writeln!(
        out,
        "<tr><th scope=\"row\" dir=\"auto\">{}</th><td>{}</td><td>{}</td><td>{points}</td>\
         <td>{}</td><td>{}</td></tr>",
        escape(name_of(names, &change.jurisdiction)),
        percent(change.overall.before),
        percent(change.overall.after),
        norms(&change.newly_failing),
        norms(&change.newly_passing),
    );
}

/// Opens a table in a box that scrolls sideways on a narrow screen (and that the keyboard can
/// reach to scroll it), with its head row and an open body.
fn open_table(out: &mut String, (id, label): (&str, &str), columns: &[&str]) {
    let _ = write!(
        out,
        "<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-label=\"{label}\">\
         <table class=\"plain\" id=\"{id}\">\n<thead><tr>"
    );
    for column in columns {
        let _ = write!(out, "<th scope=\"col\">{column}</th>");
    }
    out.push_str("</tr></thead>\n<tbody>\n");
}

/// Each jurisdiction's name by its key (groups and trends list keys).
fn names_by_key(comparison: &Comparison) -> HashMap<&str, &str> {
    (comparison.jurisdictions.iter())
        .map(|j| (j.key.as_str(), j.name.as_str()))
        .collect()
}

/// A jurisdiction's name from its key; the key when the comparison has no such jurisdiction
/// (one that disappeared since the baseline).
fn name_of<'n>(names: &HashMap<&str, &'n str>, key: &'n str) -> &'n str {
    names.get(key).copied().unwrap_or(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_leaves_no_markup_or_control_character() {
        let text = "<img src=x onerror=\"a('&')\">\u{1b}[31m\u{202e}";
        assert_eq!(
            escape(text),
            "&lt;img src=x onerror=&quot;a(&#39;&amp;&#39;)&quot;&gt;\u{fffd}[31m\u{fffd}"
        );
    }
}
