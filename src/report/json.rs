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

/// Pretty JSON of `value` as if nested `depth` levels deep (two spaces a level): serde_json's
/// pretty printer, with every line after the first indented as it is written.
pub(super) fn pretty<T: Serialize>(value: &T, depth: usize) -> String {
    let mut out = Vec::with_capacity(1024);
    let mut writer = Indenting {
        out: &mut out,
        indent: 2 * depth,
    };
    let serialized = value.serialize(&mut serde_json::Serializer::pretty(&mut writer));
    match serialized {
        Ok(()) => String::from_utf8(out).unwrap_or_default(),
        Err(_) => String::new(),
    }
}

/// Appends what serde_json's pretty printer writes to `out`, with `indent` more spaces after
/// every line break. The printer writes a line break only at the end of a piece (`"\n"` or
/// `",\n"`, before the indentation of the next line), and strings never hold a raw one, so
/// looking at the last byte of each piece is exact.
struct Indenting<'o> {
    out: &'o mut Vec<u8>,
    indent: usize,
}

impl std::io::Write for Indenting<'_> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.out.extend_from_slice(bytes);
        if bytes.last() == Some(&b'\n') {
            self.out.resize(self.out.len() + self.indent, b' ');
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
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
    fn nested_pretty_printing_indents_lines_but_not_strings() {
        let value = serde_json::json!({"a": ["x\ny", {"b": 1}], "c": {}});
        let whole = serde_json::to_string_pretty(&value).expect("serialisable");
        assert_eq!(pretty(&value, 2), whole.replace('\n', "\n    "));
        assert!(
            pretty(&value, 2).contains("x\\ny"),
            "a line break in a string stays escaped"
        );
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
