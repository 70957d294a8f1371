//! The parts of the HTML page written as markup, so that the page reads without JavaScript:
//! the heading's summary, and the table of scores (one row per jurisdiction: rank, overall
//! compliance, coverage, compliance per pillar, results by status, flags and critical
//! failures). The page's script only filters and sorts this table's rows (`data-j` is the
//! jurisdiction's index in the page data) and shows one pillar's column (`data-p` on the
//! headings). Cells carry no attributes, so that the table of 1,000 jurisdictions stays small
//! to parse; the style sheet aligns them by column.
//!
//! Every text from a document is escaped ([`escape`]): it can open no tag or attribute, and its
//! control and bidirectional characters become U+FFFD, as in Markdown.

use std::fmt::Write;

use super::{count, flags, rank_text};
use crate::check::Status;
use crate::compare::score::percent_or_dash;
use crate::compare::{Comparison, Jurisdiction, Ratio};

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
