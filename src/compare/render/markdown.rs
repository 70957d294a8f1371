//! Markdown: the ranking, scores per pillar and stage, jurisdictions below the baseline,
//! groups and trends as GitHub-flavoured tables and lists. Text from documents is escaped
//! ([`escape`]) so that it can open no link, image, HTML tag or table cell.

use std::fmt::Write;

use super::{count, flags, rank_text};
use crate::check::Status;
use crate::compare::score::percent_or_dash;
use crate::compare::{Comparison, Grouping, Jurisdiction, Score, Trend};
use crate::report::Category;

/// Renders the Markdown document.
pub fn render(comparison: &Comparison) -> String {
    let mut out = String::new();
    write_heading(&mut out, comparison);
    write_ranking(&mut out, comparison);
    write_matrix(
        &mut out,
        comparison,
        "Compliance by pillar (%)",
        &comparison.pillars,
        |j| &j.pillars,
    );
    write_matrix(
        &mut out,
        comparison,
        "Compliance by electoral-cycle stage (%)",
        &comparison.stages,
        |j| &j.stages,
    );
    write_below_baseline(&mut out, comparison);
    if let Some(grouping) = &comparison.grouping {
        write_groups(&mut out, grouping);
    }
    if let Some(trend) = &comparison.trend {
        write_trend(&mut out, comparison, trend);
    }
    out
}

/// Escapes Markdown and HTML syntax; line breaks become spaces.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '~' | '!' | '#' | '(' | ')' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            c if crate::report::columns::is_unsafe_char(c) => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

fn write_heading(out: &mut String, comparison: &Comparison) {
    let w = comparison.weights;
    let _ = writeln!(
        out,
        "# Comparison of {}\n",
        super::jurisdictions_counted(comparison)
    );
    let profile = comparison.profile.as_deref().map_or_else(
        || "all norms".to_string(),
        |p| format!("profile {}", escape(p)),
    );
    let _ = writeln!(
        out,
        "{} norms ({profile}). Weights: critical {}, high {}, medium {}, low {}. Compliance = \
         weighted pass / (pass + fail); coverage = weighted decided / applicable; waived is shown \
         apart. A jurisdiction that fails a critical norm is **below baseline** whatever its \
         average. See docs/scoring.md.\n",
        comparison.norms.len(),
        w.critical,
        w.high,
        w.medium,
        w.low
    );
}

fn write_ranking(out: &mut String, comparison: &Comparison) {
    let _ = writeln!(out, "## Ranking\n");
    let _ = writeln!(
        out,
        "| Rank | Jurisdiction | Id | Compliance | Coverage | Waived | Fails | Critical fails | Flags |"
    );
    let _ = writeln!(out, "|---|---|---|---:|---:|---:|---:|---:|---|");
    for jurisdiction in &comparison.jurisdictions {
        let flags: Vec<String> = flags(jurisdiction)
            .iter()
            .map(|f| format!("**{}**", f.to_uppercase()))
            .collect();
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            rank_text(jurisdiction),
            escape(&jurisdiction.name),
            escape(&jurisdiction.key),
            percent_or_dash(jurisdiction.overall.compliance),
            percent_or_dash(jurisdiction.overall.coverage),
            percent_or_dash(jurisdiction.overall.waived),
            count(jurisdiction, Status::Fail),
            jurisdiction.critical_fails.len(),
            flags.join(", ")
        );
    }
    out.push('\n');
}

fn write_matrix(
    out: &mut String,
    comparison: &Comparison,
    title: &str,
    columns: &[Category],
    scores: fn(&Jurisdiction) -> &[Score],
) {
    if columns.is_empty() {
        return;
    }
    let _ = writeln!(out, "## {title}\n");
    let mut head = "| Jurisdiction |".to_string();
    let mut rule = "|---|".to_string();
    for column in columns {
        let _ = write!(head, " {} |", escape(&column.id));
        rule.push_str("---:|");
    }
    let _ = writeln!(out, "{head}\n{rule}");
    for jurisdiction in &comparison.jurisdictions {
        let mut line = format!("| {} |", escape(&jurisdiction.name));
        for score in scores(jurisdiction) {
            let _ = write!(line, " {} |", percent_or_dash(score.compliance));
        }
        let _ = writeln!(out, "{line}");
    }
    out.push('\n');
}

fn write_below_baseline(out: &mut String, comparison: &Comparison) {
    let _ = writeln!(out, "## Below baseline\n");
    let below: Vec<_> = comparison
        .jurisdictions
        .iter()
        .filter(|j| j.below_baseline())
        .collect();
    if below.is_empty() {
        let _ = writeln!(out, "None: no jurisdiction fails a critical norm.\n");
        return;
    }
    for jurisdiction in below {
        let norms: Vec<String> = jurisdiction
            .critical_fails
            .iter()
            .map(|n| escape(n))
            .collect();
        let _ = writeln!(
            out,
            "- **{}** ({}): fails {}",
            escape(&jurisdiction.name),
            escape(&jurisdiction.key),
            norms.join(", ")
        );
    }
    out.push('\n');
}

fn write_groups(out: &mut String, grouping: &Grouping) {
    let _ = writeln!(out, "## Groups by {}\n", escape(&grouping.path));
    let _ = writeln!(
        out,
        "| Group | Members | Mean | Min | Median | Max | Most failed |"
    );
    let _ = writeln!(out, "|---|---|---:|---:|---:|---:|---|");
    for group in &grouping.groups {
        let members: Vec<String> = group.members.iter().map(|m| escape(m)).collect();
        let failed: Vec<String> = group
            .most_failed
            .iter()
            .map(|(norm, n)| format!("{} ({n})", escape(norm)))
            .collect();
        let [mean, min, median, max] =
            crate::compare::Stats::percent_texts(group.compliance.as_ref());
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} |",
            escape(&group.value),
            members.join(", "),
            mean,
            min,
            median,
            max,
            failed.join(", ")
        );
    }
    if let Some(note) = grouping.unscored_note() {
        let _ = writeln!(out, "\n{}", escape(&note));
    }
    out.push('\n');
    let _ = writeln!(out, "### Peers that pass what a member fails\n");
    for group in &grouping.groups {
        for peer in &group.peers {
            let mut passed: Vec<String> = peer.passed_by.iter().map(|p| escape(p)).collect();
            if peer.more > 0 {
                passed.push(format!("{} more", peer.more));
            }
            let _ = writeln!(
                out,
                "- {}: {} fails {}; passed by {}",
                escape(&group.value),
                escape(&peer.jurisdiction),
                escape(&peer.norm),
                passed.join(", ")
            );
        }
    }
    out.push('\n');
}

fn write_trend(out: &mut String, comparison: &Comparison, trend: &Trend) {
    let _ = writeln!(out, "## Changes since the baseline\n");
    let _ = writeln!(
        out,
        "| Jurisdiction | Before | After | Change | Newly failing | Newly passing |"
    );
    let _ = writeln!(out, "|---|---:|---:|---:|---|---|");
    for change in &trend.changes {
        let list = |norms: &[String]| {
            norms
                .iter()
                .map(|n| escape(n))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} |",
            escape(&change.jurisdiction),
            percent_or_dash(change.overall.before),
            percent_or_dash(change.overall.after),
            match change.baseline.text() {
                Some(text) => format!("{}, {text}", change.overall.text()),
                None => change.overall.text(),
            },
            list(&change.newly_failing),
            list(&change.newly_passing)
        );
    }
    out.push('\n');
    write_pillar_changes(out, comparison, trend);
    let keys = |list: &[String]| {
        list.iter()
            .map(|k| escape(k))
            .collect::<Vec<_>>()
            .join(", ")
    };
    if !trend.appeared.is_empty() {
        let _ = writeln!(out, "Appeared: {}\n", keys(&trend.appeared));
    }
    if !trend.disappeared.is_empty() {
        let _ = writeln!(out, "Disappeared: {}\n", keys(&trend.disappeared));
    }
}

fn write_pillar_changes(out: &mut String, comparison: &Comparison, trend: &Trend) {
    let _ = writeln!(out, "### Change in compliance by pillar (points)\n");
    let mut head = "| Jurisdiction |".to_string();
    let mut rule = "|---|".to_string();
    for pillar in &comparison.pillars {
        let _ = write!(head, " {} |", escape(&pillar.id));
        rule.push_str("---:|");
    }
    let _ = writeln!(out, "{head}\n{rule}");
    for change in &trend.changes {
        let mut line = format!("| {} |", escape(&change.jurisdiction));
        for delta in &change.pillars {
            let _ = write!(line, " {} |", delta.text());
        }
        let _ = writeln!(out, "{line}");
    }
    out.push('\n');
}
