//! JUnit XML (`rampart check --format junit`), for CI systems that show test results.
//!
//! One `<testsuite>` per jurisdiction document and one `<testcase>` per reported norm
//! (`classname` = pillar, `name` = norm id and title). A failing norm is a `<failure>` (message:
//! the first evidence line; body: all of it), an evaluation error an `<error>`; not-applicable,
//! waived and unknown norms are `<skipped>` with the reason. Unknown is skipped rather than
//! failed because it is not a proven failure and does not fail `rampart check` either (see
//! `docs/report-schema.md`), except under `check --strict`, where it is a `<failure>`. A document that could not be evaluated gets one `<error>` test
//! case listing its problems. Every `<testsuites>`, `<testsuite>` and `<testcase>` has
//! `time="0.000"` ([`NOT_TIMED`]), which CI tools (GitLab, Jenkins) expect: norms are not
//! timed, since evaluating one takes microseconds (docs/PERFORMANCE.md), below the millisecond
//! that JUnit writes, and a measured time would make the report differ from run to run. Reads
//! no files.

use quick_junit::{NonSuccessKind, TestCase, TestCaseStatus, TestSuite};

use super::model::{DocumentReport, ResultRecord};
use super::text::{active_waiver_reasons, evidence_lines};
use crate::check::Status;

/// The name of the root `<testsuites>` element.
const REPORT_NAME: &str = "rampart check";

/// The `time` of every element: evaluation is not timed (see the module documentation).
const NOT_TIMED: std::time::Duration = std::time::Duration::ZERO;

/// The end tag of the root element.
const ROOT_END: &str = "</testsuites>";

/// The counts of test cases over a run, which the root element carries.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Totals {
    tests: usize,
    skipped: usize,
    failures: usize,
    errors: usize,
}

impl std::ops::AddAssign for Totals {
    fn add_assign(&mut self, other: Totals) {
        self.tests += other.tests;
        self.skipped += other.skipped;
        self.failures += other.failures;
        self.errors += other.errors;
    }
}

/// The `<testsuite>` element of one document, and its counts. A run's XML is written in parts
/// as its documents are evaluated: these, in document order, inside the [`frame`] of the run,
/// which is known last since the root element carries the totals. Put together, the parts are
/// the XML of one report of every document.
/// With `unknown_fails` (`check --strict`), an unknown norm is a failure.
pub fn suite_xml(document: &DocumentReport, unknown_fails: bool) -> (String, Totals) {
    let mut junit = quick_junit::Report::new(REPORT_NAME);
    junit.add_test_suite(suite(document, unknown_fails));
    let totals = Totals {
        tests: junit.tests,
        skipped: junit.skipped,
        failures: junit.failures,
        errors: junit.errors,
    };
    let text = junit.to_string().unwrap_or_default();
    let (start, end) = root_content(&text);
    (text.get(start..end).unwrap_or_default().to_string(), totals)
}

/// The text before and after the test suites of a run with these `totals`.
pub fn frame(totals: Totals) -> (String, String) {
    let mut junit = quick_junit::Report::new(REPORT_NAME);
    junit.tests = totals.tests;
    junit.skipped = totals.skipped;
    junit.failures = totals.failures;
    junit.errors = totals.errors;
    junit.set_time(NOT_TIMED);
    let text = junit.to_string().unwrap_or_default();
    let (start, end) = root_content(&text);
    let head = text.get(..start).unwrap_or_default().to_string();
    (head, text.get(end..).unwrap_or_default().to_string())
}

/// Where the content of the root element starts (after the line of its start tag) and ends
/// (at its end tag).
fn root_content(text: &str) -> (usize, usize) {
    let tag = text.find("<testsuites").unwrap_or(0);
    let after_tag = text
        .get(tag..)
        .and_then(|rest| rest.find('>'))
        .map_or(text.len(), |at| tag + at + 1);
    let start = match text.get(after_tag..) {
        Some(rest) if rest.starts_with('\n') => after_tag + 1,
        _ => after_tag,
    };
    let end = text.rfind(ROOT_END).unwrap_or(text.len()).max(start);
    (start, end)
}

fn suite(document: &DocumentReport, unknown_fails: bool) -> TestSuite {
    let name = document
        .jurisdiction
        .clone()
        .unwrap_or_else(|| document.path.clone());
    let mut suite = TestSuite::new(xml_line(&name));
    suite.set_time(NOT_TIMED);
    suite.add_property(("file", xml_line(&document.path).as_str()));
    if let Some(line) = document.line {
        suite.add_property(("line", line.to_string().as_str()));
    }
    match &document.results {
        Some(results) => {
            let cases = results.iter().map(|r| test_case(r, &name, unknown_fails));
            suite.add_test_cases(cases);
        }
        None => {
            suite.add_test_case(not_evaluated(document, &name));
        }
    }
    suite
}

/// A norm's test case; its class name is the jurisdiction's and the pillar's
/// (`kestria.governance`), so that tools that merge test suites keep jurisdictions apart.
fn test_case(record: &ResultRecord, suite: &str, unknown_fails: bool) -> TestCase {
    let name = format!("{} {}", record.norm, record.title);
    let mut case = TestCase::new(xml_line(&name), status(record, unknown_fails));
    case.set_time(NOT_TIMED);
    let pillar = record.pillar.as_deref().unwrap_or("(no pillar)");
    case.set_classname(xml_line(&format!("{suite}.{pillar}")));
    case
}

fn status(record: &ResultRecord, unknown_fails: bool) -> TestCaseStatus {
    let lines = evidence_lines(record);
    let first = lines.first().cloned().unwrap_or_default();
    let body = lines.join("\n");
    match record.status {
        Status::Pass => TestCaseStatus::success(),
        Status::Fail => non_success(NonSuccessKind::Failure, first, body),
        Status::Error => non_success(NonSuccessKind::Error, first, body),
        Status::NotApplicable => skipped("not applicable".to_string(), String::new()),
        Status::Waived => skipped(format!("waived: {}", active_waiver_reasons(record)), body),
        Status::Unknown if unknown_fails => {
            let message = format!("unknown (a failure under --strict): evidence missing: {first}");
            non_success(NonSuccessKind::Failure, message, body)
        }
        Status::Unknown => skipped(format!("unknown: evidence missing: {first}"), body),
    }
}

fn non_success(kind: NonSuccessKind, message: String, body: String) -> TestCaseStatus {
    let mut status = TestCaseStatus::non_success(kind);
    status.set_message(xml_line(&message));
    if !body.is_empty() {
        status.set_description(xml_text(&body, true));
    }
    status
}

fn skipped(message: String, body: String) -> TestCaseStatus {
    let mut status = TestCaseStatus::skipped();
    status.set_message(xml_line(&message));
    if !body.is_empty() {
        status.set_description(xml_text(&body, true));
    }
    status
}

/// `text` for an attribute: every character XML 1.0 cannot carry, and every line break or
/// other control character, written as an escape (`\u{1b}`), so that no two texts become one.
fn xml_line(text: &str) -> String {
    xml_text(text, false)
}

/// `text` with the characters XML 1.0 cannot carry (control characters but tab and line
/// breaks, U+FFFE and U+FFFF) written as escapes; with `keep_lines` false, tabs and line breaks
/// too.
fn xml_text(text: &str, keep_lines: bool) -> String {
    super::columns::escape_where(text, |c| match c {
        '\t' | '\n' | '\r' => !keep_lines,
        '\u{fffe}' | '\u{ffff}' => true,
        c => c.is_control(),
    })
}

fn not_evaluated(document: &DocumentReport, suite: &str) -> TestCase {
    let lines: Vec<String> = document
        .problems
        .iter()
        .map(|p| match (p.line, p.column) {
            (Some(line), Some(column)) => {
                format!("{}:{line}:{column}: {}", document.path, p.message)
            }
            _ => format!("{}: {}", document.path, p.message),
        })
        .collect();
    let first = lines
        .first()
        .cloned()
        .unwrap_or_else(|| "not evaluated".to_string());
    let status = non_success(NonSuccessKind::Error, first, lines.join("\n"));
    let mut case = TestCase::new("document", status);
    case.set_time(NOT_TIMED);
    case.set_classname(xml_line(&format!("{suite}.(document)")));
    case
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `n` documents that could not be evaluated (one error case each).
    fn sample(n: usize) -> Vec<DocumentReport> {
        let text = r#"{"path": "a.json", "jurisdiction": "a", "name": null, "evaluated": false,
            "today": null, "problems": [{"severity": "error", "code": "syntax", "path": "a.json",
            "line": 1, "column": 2, "message": "m", "help": null}], "summary": null,
            "results": null}"#;
        let doc: DocumentReport = serde_json::from_str(text).expect("a document report");
        vec![doc; n]
    }

    #[test]
    fn parts_equal_one_report_of_every_document() {
        for n in [0, 1, 3] {
            let documents = sample(n);
            let mut whole = quick_junit::Report::new(REPORT_NAME);
            whole.set_time(NOT_TIMED);
            whole.add_test_suites(documents.iter().map(|d| suite(d, false)));
            let whole = whole.to_string().expect("serialisable");
            let (mut body, mut totals) = (String::new(), Totals::default());
            for document in &documents {
                let (xml, counts) = suite_xml(document, false);
                body += &xml;
                totals += counts;
            }
            assert_eq!(totals.errors, n, "each document is an error case");
            let (head, tail) = frame(totals);
            assert_eq!(head + &body + &tail, whole, "{n} documents");
        }
    }
}
