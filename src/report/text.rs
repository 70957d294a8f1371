//! Plain-text pieces of a report shared by the formats (SARIF messages, JUnit bodies, the human
//! report): one line per piece of evidence or citation, and where in a jurisdiction document a
//! result points.
//!
//! Takes [`ResultRecord`]s; gives strings and JSON paths. Reads no files.

use std::borrow::Cow;

use super::model::{EvidenceRecord, ResultRecord, WaiverRecord, WaiverState};
use crate::check::{Norm, Program};
use crate::config::{Path, PathSegment};

/// One line per citation of `norm`: `source-id — Source title, locator`.
pub fn citation_lines(program: &Program, norm: &Norm) -> Vec<String> {
    (norm.citations.iter())
        .filter_map(|citation| {
            let source = program.sources.get(citation.source)?;
            let mut line = source.id.clone();
            if let Some(title) = &source.title {
                line.push_str(" — ");
                line.push_str(title);
            }
            if let Some(locator) = &citation.locator {
                line.push_str(", ");
                line.push_str(locator);
            }
            Some(line)
        })
        .collect()
}

/// One line of a result's evidence and the evidence path of the document value it is about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EvidenceLine<'r> {
    /// The line as the formats print it.
    pub text: String,
    /// What the line is about: a finding's `path`; for a requirement's message, its evidence's
    /// first finding's (as [`evidence_path`]); else the evidence item's; `waivers[i]` for the
    /// waiver's line; `None` when the line is about no value of the document.
    pub path: Option<Cow<'r, str>>,
}

/// The evidence of a result as lines: each requirement's message (or its findings), then each
/// waiver that names the norm with its justification, and why when it does not apply.
pub fn evidence_lines(result: &ResultRecord) -> Vec<String> {
    located_evidence_lines(result)
        .into_iter()
        .map(|line| line.text)
        .collect()
}

/// [`evidence_lines`], each with the evidence path of the value it is about.
pub fn located_evidence_lines(result: &ResultRecord) -> Vec<EvidenceLine<'_>> {
    let mut lines = Vec::new();
    for evidence in &result.evidence {
        push_evidence(&mut lines, evidence);
    }
    lines.extend(result.waivers.iter().map(waiver_line));
    lines
}

/// `waiver waivers[i]: justification`, then why in parentheses when it does not apply; about
/// `waivers[i]`.
fn waiver_line<'r>(waiver: &WaiverRecord) -> EvidenceLine<'r> {
    let reason = waiver.reason.as_deref().unwrap_or("no justification given");
    let line = format!("waiver waivers[{}]: {reason}", waiver.index);
    let text = match waiver.state {
        WaiverState::Active => line,
        _ => format!(
            "{line} ({})",
            waiver.state_text.as_deref().unwrap_or("it does not apply")
        ),
    };
    EvidenceLine {
        text,
        path: Some(Cow::Owned(format!("waivers[{}]", waiver.index))),
    }
}

/// The justifications of the active waivers of a result, joined by `; `.
pub fn active_waiver_reasons(result: &ResultRecord) -> String {
    let reasons: Vec<&str> = (result.waivers.iter())
        .filter(|w| w.state == WaiverState::Active)
        .map(|w| w.reason.as_deref().unwrap_or("no justification given"))
        .collect();
    reasons.join("; ")
}

fn push_evidence<'r>(lines: &mut Vec<EvidenceLine<'r>>, evidence: &'r EvidenceRecord) {
    let item = evidence.item.as_ref();
    let prefix = item.map_or_else(String::new, |item| match &item.id {
        Some(id) => format!("{} (id \"{id}\"): ", item.path),
        None => format!("{}: ", item.path),
    });
    let item_path = item.map(|item| Cow::Borrowed(item.path.as_str()));
    if let Some(message) = &evidence.message {
        let first = evidence.findings.iter().find_map(|f| f.path.as_deref());
        lines.push(EvidenceLine {
            text: format!("{prefix}{message}"),
            path: first.map(Cow::Borrowed).or_else(|| item_path.clone()),
        });
    }
    for finding in &evidence.findings {
        let label = finding.kind.label_as(finding.alternative);
        let path = finding.path.as_deref().map(Cow::Borrowed);
        lines.push(EvidenceLine {
            text: format!("{prefix}{label}: {}", finding.text),
            path: path.or_else(|| item_path.clone()),
        });
    }
}

/// The JSON path in the document that a result is about: the first evidence path found
/// reading its evidence in order (for each, the first finding's path, else its item's path);
/// `None` when none names one.
pub fn evidence_path(result: &ResultRecord) -> Option<Path> {
    first_path(result.evidence.iter().map(|evidence| {
        let item = evidence.item.as_ref().map(|item| item.path.as_str());
        (item, evidence.findings.iter().map(|f| f.path.as_deref()))
    }))
}

/// The JSON path that evaluator evidence is about, as [`evidence_path`] for a record.
pub fn evaluated_evidence_path(evidence: &[crate::eval::Evidence]) -> Option<Path> {
    first_path(evidence.iter().map(|evidence| {
        let item = evidence.item.as_ref().map(|item| item.path.as_str());
        (item, evidence.findings.iter().map(|f| f.path()))
    }))
}

/// The first path of a sequence of (item path, finding paths): a finding's, else the item's.
fn first_path<'t, F>(mut evidence: impl Iterator<Item = (Option<&'t str>, F)>) -> Option<Path>
where
    F: Iterator<Item = Option<&'t str>>,
{
    evidence.find_map(|(item, mut findings)| findings.find_map(|p| p).or(item).and_then(parse_path))
}

/// Parses an evidence path as displayed (`systems[2].certification.date`); `None` when the
/// text is not one.
pub fn parse_path(text: &str) -> Option<Path> {
    let mut path = Vec::new();
    for part in text.split('.') {
        let (key, mut rest) = match part.find('[') {
            Some(at) => part.split_at(at),
            None => (part, ""),
        };
        if !is_key(key) {
            return None;
        }
        path.push(PathSegment::Key(key.to_string()));
        while let Some(after) = rest.strip_prefix('[') {
            let (digits, tail) = after.split_once(']')?;
            path.push(PathSegment::Index(digits.parse().ok()?));
            rest = tail;
        }
        if !rest.is_empty() {
            return None;
        }
    }
    Some(path)
}

fn is_key(key: &str) -> bool {
    !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_path_reads_keys_and_indexes() {
        assert_eq!(
            parse_path("systems[2].certification.date"),
            Some(vec![
                PathSegment::Key("systems".into()),
                PathSegment::Index(2),
                PathSegment::Key("certification".into()),
                PathSegment::Key("date".into()),
            ])
        );
    }

    #[test]
    fn parse_path_refuses_prose() {
        assert_eq!(parse_path("no (such) path"), None);
        assert_eq!(parse_path("a[x]"), None);
        assert_eq!(parse_path(""), None);
    }
}
