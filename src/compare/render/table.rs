//! The terminal table: ranking, scores per pillar and per stage, jurisdictions below the
//! baseline, groups and trends, in at most [`WIDTH`] columns. Control characters in names are
//! replaced so that a document cannot drive the terminal; colour only when asked.

use std::fmt::Write;

use super::{Colour, count, flags, rank_text};
use crate::check::Status;
use crate::compare::score::percent_or_dash;
use crate::compare::{Comparison, Grouping, Jurisdiction, Ratio, Score, Trend};
use crate::report::Category;
use crate::report::columns::{self, cell, pad};

/// The widest line written.
pub const WIDTH: usize = 100;

const NAME_WIDTH: usize = 28;
const MATRIX_NAME_WIDTH: usize = 24;
const CELL_WIDTH: usize = 5;

/// Renders the table.
pub fn render(comparison: &Comparison, colour: Colour) -> String {
    let mut out = String::new();
    write_heading(&mut out, comparison);
    write_ranking(&mut out, comparison, colour);
    let pillars = Matrix {
        title: "Compliance by pillar (%)",
        prefix: "P",
        columns: &comparison.pillars,
        scores: pillar_scores,
    };
    write_matrix(&mut out, comparison, &pillars);
    let stages = Matrix {
        title: "Compliance by electoral-cycle stage (%)",
        prefix: "S",
        columns: &comparison.stages,
        scores: stage_scores,
    };
    write_matrix(&mut out, comparison, &stages);
    write_below_baseline(&mut out, comparison, colour);
    if let Some(grouping) = &comparison.grouping {
        write_groups(&mut out, grouping);
    }
    if let Some(trend) = &comparison.trend {
        write_trend(&mut out, trend);
    }
    out
}

/// Words joined with `separator` and wrapped at [`WIDTH`], continuation lines indented.
fn wrap(out: &mut String, first: &str, words: &[String], indent: usize) {
    let mut line = first.to_string();
    for (index, word) in words.iter().enumerate() {
        let word = cell(word, WIDTH - indent - 2);
        let sep = if index + 1 < words.len() { "," } else { "" };
        if columns::width(&line) + columns::width(&word) + 2 > WIDTH {
            let _ = writeln!(out, "{}", line.trim_end());
            line = " ".repeat(indent);
        }
        let _ = write!(line, "{word}{sep} ");
    }
    let _ = writeln!(out, "{}", line.trim_end());
}

fn write_heading(out: &mut String, comparison: &Comparison) {
    let profile = comparison.profile.as_deref().map_or_else(
        || "all norms".to_string(),
        |p| format!("profile {}", cell(p, 30)),
    );
    let _ = writeln!(
        out,
        "Comparison of {} on {} norms ({profile})",
        super::jurisdictions_counted(comparison),
        comparison.norms.len()
    );
    let w = comparison.weights;
    let _ = writeln!(
        out,
        "Weights: critical {}, high {}, medium {}, low {}. Compliance = pass / (pass + fail);",
        w.critical, w.high, w.medium, w.low
    );
    let _ = writeln!(
        out,
        "coverage = decided / applicable; waived shown apart. See docs/scoring.md.\n"
    );
}

fn paint(text: &str, colour: Colour, code: &str) -> String {
    match colour {
        Colour::Never => text.to_string(),
        Colour::Ansi => format!("\x1b[{code}m{text}\x1b[0m"),
    }
}

fn write_ranking(out: &mut String, comparison: &Comparison, colour: Colour) {
    let _ = writeln!(
        out,
        "{:<5} {}  {:>10} {:>8} {:>7} {:>5} {:>8}  Flags",
        "Rank",
        pad("Jurisdiction", NAME_WIDTH),
        "Compliance",
        "Coverage",
        "Waived",
        "Fails",
        "Critical"
    );
    for jurisdiction in &comparison.jurisdictions {
        let flags = flags(jurisdiction).join(", ").to_uppercase();
        let line = format!(
            "{:<5} {}  {:>10} {:>8} {:>7} {:>5} {:>8}  {}",
            rank_text(jurisdiction),
            pad(&cell(&jurisdiction.name, NAME_WIDTH), NAME_WIDTH),
            percent_or_dash(jurisdiction.overall.compliance),
            percent_or_dash(jurisdiction.overall.coverage),
            percent_or_dash(jurisdiction.overall.waived),
            count(jurisdiction, Status::Fail),
            jurisdiction.critical_fails.len(),
            paint(&flags, colour, "1;31")
        );
        let _ = writeln!(out, "{}", line.trim_end());
    }
    out.push('\n');
}

fn whole(ratio: Option<Ratio>) -> String {
    ratio.map_or_else(|| "–".to_string(), |r| r.whole_percent().to_string())
}

fn pillar_scores(jurisdiction: &Jurisdiction) -> &[Score] {
    &jurisdiction.pillars
}

fn stage_scores(jurisdiction: &Jurisdiction) -> &[Score] {
    &jurisdiction.stages
}

/// A matrix of scores: one row per jurisdiction, one column per category.
struct Matrix<'c> {
    title: &'c str,
    prefix: &'c str,
    columns: &'c [Category],
    scores: fn(&Jurisdiction) -> &[Score],
}

/// A matrix of whole percentages, columns split into blocks that fit [`WIDTH`].
fn write_matrix(out: &mut String, comparison: &Comparison, matrix: &Matrix<'_>) {
    let Matrix {
        title,
        prefix,
        columns,
        scores,
    } = *matrix;
    if columns.is_empty() {
        return;
    }
    let per_block = (WIDTH - 6 - MATRIX_NAME_WIDTH) / CELL_WIDTH;
    let _ = writeln!(out, "{title}");
    let indices: Vec<usize> = (0..columns.len()).collect();
    for block in indices.chunks(per_block.max(1)) {
        let mut head = format!("{:<5} {}", "Rank", pad("Jurisdiction", MATRIX_NAME_WIDTH));
        for &c in block {
            let _ = write!(head, "{:>CELL_WIDTH$}", format!("{prefix}{}", c + 1));
        }
        let _ = writeln!(out, "{head}");
        for jurisdiction in &comparison.jurisdictions {
            let row_scores = scores(jurisdiction);
            let mut line = format!(
                "{:<5} {}",
                rank_text(jurisdiction),
                pad(
                    &cell(&jurisdiction.name, MATRIX_NAME_WIDTH),
                    MATRIX_NAME_WIDTH
                )
            );
            for &c in block {
                let value = whole(row_scores.get(c).and_then(|s| s.compliance));
                let _ = write!(line, "{value:>CELL_WIDTH$}");
            }
            let _ = writeln!(out, "{}", line.trim_end());
        }
    }
    let legend: Vec<String> = columns
        .iter()
        .enumerate()
        .map(|(i, c)| format!("{prefix}{} {}", i + 1, cell(&c.id, 40)))
        .collect();
    wrap(out, "", &legend, 0);
    out.push('\n');
}

fn write_below_baseline(out: &mut String, comparison: &Comparison, colour: Colour) {
    let below: Vec<_> = comparison
        .jurisdictions
        .iter()
        .filter(|j| j.below_baseline())
        .collect();
    if below.is_empty() {
        let _ = writeln!(out, "Below baseline: none (no critical norm fails).\n");
        return;
    }
    let _ = writeln!(
        out,
        "{}",
        paint(
            "Below baseline (a critical norm fails, whatever the average):",
            colour,
            "1;31"
        )
    );
    for jurisdiction in below {
        let first = format!(
            "  {} ({}): ",
            cell(&jurisdiction.name, 40),
            cell(&jurisdiction.key, 30)
        );
        wrap(out, &first, &jurisdiction.critical_fails, 4);
    }
    out.push('\n');
}

fn write_groups(out: &mut String, grouping: &Grouping) {
    let _ = writeln!(out, "Groups by {}", cell(&grouping.path, 60));
    let _ = writeln!(
        out,
        "{}  {:>7} {:>6} {:>6} {:>6} {:>6}  Most failed",
        pad("Group", 20),
        "Members",
        "Mean",
        "Min",
        "Median",
        "Max"
    );
    for group in &grouping.groups {
        let [mean, min, median, max] =
            crate::compare::Stats::percent_texts(group.compliance.as_ref());
        let failed: Vec<String> = group
            .most_failed
            .iter()
            .map(|(norm, n)| format!("{norm} ({n})"))
            .collect();
        let _ = writeln!(
            out,
            "{}  {:>7} {:>6} {:>6} {:>6} {:>6}  {}",
            pad(&cell(&group.value, 20), 20),
            group.members.len(),
            mean,
            min,
            median,
            max,
            cell(&failed.join(", "), WIDTH - 59)
        );
    }
    if let Some(note) = grouping.unscored_note() {
        for line in textwrap::wrap(&cell(&note, usize::MAX), WIDTH) {
            let _ = writeln!(out, "{line}");
        }
    }
    out.push('\n');
    write_peers(out, grouping);
}

/// How many failed norms with passing peers the table shows per member and group.
const PEERS_SHOWN: usize = 3;

fn write_peers(out: &mut String, grouping: &Grouping) {
    let _ = writeln!(out, "Peers in the same group that pass what a member fails");
    for group in &grouping.groups {
        // Peers are listed member by member, in the members' order: one run per member.
        for own in group
            .peers
            .chunk_by(|a, b| a.jurisdiction == b.jurisdiction)
        {
            let member = &own[0].jurisdiction;
            let _ = writeln!(out, "  [{}] {}:", cell(&group.value, 20), cell(member, 40));
            for peer in own.iter().take(PEERS_SHOWN) {
                let mut passed: Vec<String> = peer.passed_by.iter().map(|p| cell(p, 30)).collect();
                if peer.more > 0 {
                    passed.push(format!("{} more", peer.more));
                }
                let first = format!("    {} passed by ", cell(&peer.norm, 40));
                wrap(out, &first, &passed, 6);
            }
            if own.len() > PEERS_SHOWN {
                let _ = writeln!(out, "    … {} more norms", own.len() - PEERS_SHOWN);
            }
        }
    }
    out.push('\n');
}

fn write_trend(out: &mut String, trend: &Trend) {
    let _ = writeln!(out, "Changes since the baseline");
    let _ = writeln!(
        out,
        "{}  {:>8} {:>8} {:>7}  Newly failing / passing",
        pad("Jurisdiction", NAME_WIDTH),
        "Before",
        "After",
        "Change"
    );
    for change in &trend.changes {
        let _ = writeln!(
            out,
            "{}  {:>8} {:>8} {:>7}  {} / {}",
            pad(&cell(&change.jurisdiction, NAME_WIDTH), NAME_WIDTH),
            percent_or_dash(change.overall.before),
            percent_or_dash(change.overall.after),
            change.overall.text(),
            change.newly_failing.len(),
            change.newly_passing.len()
        );
        if !change.newly_failing.is_empty() {
            wrap(out, "    newly failing: ", &change.newly_failing, 6);
        }
        if !change.newly_passing.is_empty() {
            wrap(out, "    newly passing: ", &change.newly_passing, 6);
        }
        if let Some(text) = change.baseline.text() {
            let _ = writeln!(out, "    {text}");
        }
    }
    let keys = |list: &[String]| list.iter().map(|k| cell(k, 40)).collect::<Vec<_>>();
    if !trend.appeared.is_empty() {
        wrap(out, "Appeared: ", &keys(&trend.appeared), 4);
    }
    if !trend.disappeared.is_empty() {
        wrap(out, "Disappeared: ", &keys(&trend.disappeared), 4);
    }
}
