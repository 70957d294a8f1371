//! Diagnostics shared by every stage of the pipeline: what went wrong, where, and how to fix it.
//!
//! The parser, the checker and the loaders produce [`Diagnostic`] values; the CLI renders them
//! with miette (human) or as JSON, and the language server converts them to LSP diagnostics.
//! This module owns the registry of stable codes ([`Code`]) and knows nothing about files on disk.

mod codes;
mod render;

pub use codes::Code;
pub use render::{HumanStyle, SourceLookup, render_human, render_json};

use crate::syntax::Span;

/// How serious a diagnostic is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// A note attached to a norm, informational only.
    Info,
    /// Something probably wrong that does not stop evaluation.
    Warning,
    /// The input cannot be used as written.
    Error,
}

/// A span with an optional short text shown next to it.
#[derive(Clone, Debug, PartialEq)]
pub struct Label {
    /// Where the label points.
    pub span: Span,
    /// What it says there.
    pub text: Option<String>,
}

/// A replacement that fixes the problem, offered as a quick fix in editors.
#[derive(Clone, Debug, PartialEq)]
pub struct Suggestion {
    /// The text to replace.
    pub span: Span,
    /// What to put there.
    pub replacement: String,
}

/// One problem found in the input.
#[derive(Clone, Debug, PartialEq)]
pub struct Diagnostic {
    /// The stable code of the kind of problem.
    pub code: Code,
    /// Error or warning.
    pub severity: Severity,
    /// One sentence saying what is wrong.
    pub message: String,
    /// The main location.
    pub primary: Label,
    /// Related locations (the other duplicate, the declaration, …).
    pub secondary: Vec<Label>,
    /// How to fix it.
    pub help: Option<String>,
    /// A mechanical fix, when there is exactly one obvious one.
    pub suggestion: Option<Suggestion>,
}

impl Diagnostic {
    /// A diagnostic of `code` at `span`, with the code's default severity.
    pub fn new(code: Code, span: Span, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            severity: code.default_severity(),
            message: message.into(),
            primary: Label { span, text: None },
            secondary: Vec::new(),
            help: None,
            suggestion: None,
        }
    }

    /// Sets the text shown at the primary location.
    pub fn with_label(mut self, text: impl Into<String>) -> Self {
        self.primary.text = Some(text.into());
        self
    }

    /// Adds a related location.
    pub fn with_secondary(mut self, span: Span, text: impl Into<String>) -> Self {
        self.secondary.push(Label {
            span,
            text: Some(text.into()),
        });
        self
    }

    /// Sets the help text.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Offers `replacement` for the text at `span` as the fix.
    pub fn with_suggestion(mut self, span: Span, replacement: impl Into<String>) -> Self {
        self.suggestion = Some(Suggestion {
            span,
            replacement: replacement.into(),
        });
        self
    }

    /// True for errors.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// "did you mean `x`?" for the id of `ids` closest to `name`, or the list of them when none is
/// close: the help for a name given on the command line that names nothing.
pub fn suggestion<'a, I>(name: &str, ids: impl Fn() -> I) -> String
where
    I: Iterator<Item = &'a str>,
{
    match did_you_mean(name, ids()) {
        Some(close) => format!("did you mean `{close}`?"),
        None => format!("expected one of: {}", ids().collect::<Vec<_>>().join(", ")),
    }
}

/// "did you mean `x`?" for the candidate closest to `name`, if any is close enough: at most a
/// third of its length in edits, or a longer name it starts (from three characters).
pub fn did_you_mean<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let lowered = lowercase(name);
    let max_distance = (name.chars().count() / 3).max(1);
    let extends_name = |candidate: &str| candidate.starts_with(name) && name.len() >= 3;
    candidates
        .into_iter()
        .filter(|candidate| *candidate != name)
        .filter_map(|candidate| {
            let other = lowercase(candidate);
            // Each edit changes the length by one at most: a candidate whose length differs
            // by more is too far, without working out by how much.
            let too_far = lowered.len().abs_diff(other.len()) > max_distance;
            if too_far && !extends_name(candidate) {
                return None;
            }
            let distance = edit_distance(&lowered, &other);
            (distance <= max_distance || extends_name(candidate)).then_some((distance, candidate))
        })
        .min_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(b.1)))
        .map(|(_, candidate)| candidate)
}

/// The characters of `text`, lower-cased.
fn lowercase(text: &str) -> Vec<char> {
    text.chars().flat_map(char::to_lowercase).collect()
}

/// Edit distance between two lower-cased strings, by characters: insertions, deletions,
/// substitutions and swaps of two neighbouring characters (`nrom` is one edit from `norm`)
/// each count one (the optimal string alignment distance).
fn edit_distance(a: &[char], b: &[char]) -> usize {
    // Rows i - 2, i - 1 and i of the distance table.
    let mut before: Vec<usize> = Vec::new();
    let mut above: Vec<usize> = (0..=b.len()).collect();
    for i in 1..=a.len() {
        let mut row = vec![i; b.len() + 1];
        for j in 1..=b.len() {
            let substitution = above[j - 1] + usize::from(a[i - 1] != b[j - 1]);
            row[j] = substitution.min(above[j] + 1).min(row[j - 1] + 1);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                row[j] = row[j].min(before[j - 2] + 1);
            }
        }
        before = std::mem::replace(&mut above, row);
    }
    above[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edit_distance(a: &str, b: &str) -> usize {
        super::edit_distance(&lowercase(a), &lowercase(b))
    }

    #[test]
    fn suggests_the_nearest_candidate() {
        let fields = ["systems", "staff", "stakeholders"];
        assert_eq!(did_you_mean("sytems", fields), Some("systems"));
        assert_eq!(did_you_mean("budget", fields), None);
    }

    #[test]
    fn a_longer_name_that_starts_with_the_word_is_suggested_whatever_its_length() {
        let fields = ["election", "elections_held_before", "staff"];
        assert_eq!(did_you_mean("elect", fields), Some("election"));
        assert_eq!(
            did_you_mean("elections_held", fields),
            Some("elections_held_before")
        );
        assert_eq!(
            did_you_mean("el", fields),
            None,
            "too short to count as a start"
        );
    }

    #[test]
    fn edit_distance_counts_insertions_deletions_and_substitutions() {
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("Élection", "élection"), 0);
    }

    #[test]
    fn a_swap_of_two_neighbouring_letters_is_one_edit() {
        assert_eq!(edit_distance("nrom", "norm"), 1);
        assert_eq!(edit_distance("tilte", "title"), 1);
        assert_eq!(edit_distance("ab", "ba"), 1);
        assert_eq!(did_you_mean("nrom", ["norm", "def", "type"]), Some("norm"));
        assert_eq!(
            did_you_mean("sevreity", ["severity", "stages"]),
            Some("severity")
        );
    }
}
