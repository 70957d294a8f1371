//! JUnit XML (`rampart check --format junit`), for CI systems that show test results.
//!
//! One `<testsuite>` per jurisdiction document and one `<testcase>` per reported norm
//! (`classname` = pillar, `name` = norm id and title). A failing norm is a `<failure>` (message:
//! the first evidence line; body: all of it), an evaluation error an `<error>`; not-applicable,
//! waived and unknown norms are `<skipped>` with the reason. Unknown is skipped rather than
//! failed because it is not a proven failure and does not fail `rampart check` either (see
//! `docs/report-schema.md`). A document that could not be evaluated gets one `<error>` test
//! case listing its problems. Reads no files.

use quick_junit::{NonSuccessKind, TestCase, TestCaseStatus, TestSuite};

use super::model::{DocumentReport, Report, ResultRecord};
use super::text::evidence_lines;
use crate::check::Status;

/// The JUnit XML of a report.
pub fn render(report: &Report) -> String {
    let mut junit = quick_junit::Report::new("rampart check");
    for document in &report.documents {
        junit.add_test_suite(suite(document));
    }
    junit.to_string().unwrap_or_default()
}

fn suite(document: &DocumentReport) -> TestSuite {
    let name = document
        .jurisdiction
        .clone()
        .unwrap_or_else(|| document.path.clone());
    let mut suite = TestSuite::new(name);
    suite.add_property(("file", document.path.as_str()));
    match &document.results {
        Some(results) => {
            suite.add_test_cases(results.iter().map(test_case));
        }
        None => {
            suite.add_test_case(not_evaluated(document));
        }
    }
    suite
}

fn test_case(record: &ResultRecord) -> TestCase {
    let name = format!("{} {}", record.norm, record.title);
    let mut case = TestCase::new(name, status(record));
    case.set_classname(record.pillar.as_deref().unwrap_or("(no pillar)"));
    case
}

fn status(record: &ResultRecord) -> TestCaseStatus {
    let lines = evidence_lines(record);
    let first = lines.first().cloned().unwrap_or_default();
    let body = lines.join("\n");
    match record.status {
        Status::Pass => TestCaseStatus::success(),
        Status::Fail => non_success(NonSuccessKind::Failure, first, body),
        Status::Error => non_success(NonSuccessKind::Error, first, body),
        Status::NotApplicable => skipped("not applicable".to_string(), String::new()),
        Status::Waived => skipped(format!("waived: {}", waiver_reason(record)), body),
        Status::Unknown => skipped(format!("unknown: evidence missing: {first}"), body),
    }
}

fn waiver_reason(record: &ResultRecord) -> &str {
    record
        .waiver
        .as_ref()
        .and_then(|w| w.reason.as_deref())
        .unwrap_or("no justification given")
}

fn non_success(kind: NonSuccessKind, message: String, body: String) -> TestCaseStatus {
    let mut status = TestCaseStatus::non_success(kind);
    status.set_message(message);
    if !body.is_empty() {
        status.set_description(body);
    }
    status
}

fn skipped(message: String, body: String) -> TestCaseStatus {
    let mut status = TestCaseStatus::skipped();
    status.set_message(message);
    if !body.is_empty() {
        status.set_description(body);
    }
    status
}

fn not_evaluated(document: &DocumentReport) -> TestCase {
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
    case.set_classname("(document)");
    case
}
