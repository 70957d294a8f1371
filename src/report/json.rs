//! The JSON report written piece by piece (`rampart check --format json` over large inputs):
//! [`head`], then [`document`] for each document as it is evaluated, then [`tail`]. The pieces
//! put together are byte for byte `serde_json::to_string_pretty` of the whole [`Report`] plus a
//! newline, so streaming changes nothing a reader can see.

use serde::Serialize;

use super::model::{DocumentReport, Report};

/// Everything before the first document: `report`'s version and profile (its documents are
/// ignored).
pub fn head(report: &Report) -> String {
    format!(
        "{{\n  \"version\": {},\n  \"profile\": {},\n  \"documents\": [",
        report.version,
        pretty(&report.profile, 1)
    )
}

/// One document of the list; `first` for the first one written.
pub fn document(document: &DocumentReport, first: bool) -> String {
    let separator = if first { "" } else { "," };
    format!("{separator}\n    {}", pretty(document, 2))
}

/// Everything after the last document: `report`'s pillars and stages; `any_document` when at
/// least one document was written.
pub fn tail(report: &Report, any_document: bool) -> String {
    let mut out = String::from(if any_document { "\n  ]" } else { "]" });
    if !report.pillars.is_empty() {
        out.push_str(",\n  \"pillars\": ");
        out.push_str(&pretty(&report.pillars, 1));
    }
    if !report.stages.is_empty() {
        out.push_str(",\n  \"stages\": ");
        out.push_str(&pretty(&report.stages, 1));
    }
    out.push_str("\n}\n");
    out
}

/// Pretty JSON of `value` as if nested `depth` levels deep (two spaces a level); strings hold
/// no raw newline, so indenting every line after the first is exact.
pub(super) fn pretty<T: Serialize>(value: &T, depth: usize) -> String {
    let text = serde_json::to_string_pretty(value).unwrap_or_default();
    let indent = "  ".repeat(depth);
    text.replace('\n', &format!("\n{indent}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{Category, REPORT_VERSION};

    fn pieces(report: &Report) -> String {
        let mut out = head(report);
        for (index, doc) in report.documents.iter().enumerate() {
            out.push_str(&document(doc, index == 0));
        }
        out.push_str(&tail(report, !report.documents.is_empty()));
        out
    }

    fn sample(n_documents: usize) -> Report {
        let text = r#"{"path": "a.json", "jurisdiction": "a", "name": null, "evaluated": false,
            "today": null, "problems": [], "summary": null, "results": null}"#;
        let doc: DocumentReport = serde_json::from_str(text).expect("a document report");
        Report {
            version: REPORT_VERSION,
            profile: Some("p".into()),
            documents: vec![doc; n_documents],
            pillars: vec![Category {
                id: "gov".into(),
                title: "Governance".into(),
            }],
            stages: Vec::new(),
        }
    }

    #[test]
    fn pieces_equal_the_whole_report_pretty_printed() {
        for n in [0, 1, 3] {
            let report = sample(n);
            let whole = serde_json::to_string_pretty(&report).expect("serialisable") + "\n";
            assert_eq!(pieces(&report), whole, "{n} documents");
        }
    }
}
