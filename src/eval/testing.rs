//! Runs the `test` blocks of a program: builds each test's document by merging its givens in
//! order (JSON merge patch, RFC 7396; fixture files read through a [`PolicyFiles`] provider),
//! evaluates it under the test's profile and settings, and compares each expectation.

use serde_json::Value as Json;

use crate::config::{Problem, ProblemKind};
use crate::diagnostics::{Code, Diagnostic, Severity};

use super::{Evaluator, JURISDICTION_FIELD, NormResult, Options};
use crate::check::{Given, NormId, Program, Status};
use crate::date::Date;
use crate::syntax::Span;
use crate::workspace::{PolicyFiles, ReadError};

/// The result of one test.
#[derive(Clone, Debug)]
pub struct TestRun {
    /// Index into [`Program::tests`].
    pub test: usize,
    /// What happened.
    pub outcome: TestOutcome,
}

/// What happened to a test.
#[derive(Clone, Debug)]
pub enum TestOutcome {
    /// The test ran; it passed when `mismatches` is empty.
    Ran {
        /// Expectations that did not hold.
        mismatches: Vec<Mismatch>,
        /// Number of expectations checked.
        expectations: usize,
        /// The warnings of the document the test built from its givens (a field the schema
        /// does not declare is usually a typo that leaves the intended field missing).
        warnings: Vec<Problem>,
        /// The date the document was evaluated on, and where it came from.
        evaluated_on: (Date, DateSource),
    },
    /// A fixture could not be read or parsed.
    Fixture(FixtureError),
    /// The document the givens build is one `rampart check` would refuse (see
    /// [`document_problems`]), so it is not evaluated.
    Invalid(Vec<Problem>),
}

/// Where the date a test's document was evaluated on came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DateSource {
    /// The document's `jurisdiction.evaluated_on`.
    Document,
    /// [`TEST_DATE`], as the document has no `jurisdiction.evaluated_on`.
    TestDate,
}

impl TestRun {
    /// True when every expectation held.
    pub fn passed(&self) -> bool {
        matches!(&self.outcome, TestOutcome::Ran { mismatches, .. } if mismatches.is_empty())
    }
}

/// An expectation that did not hold.
#[derive(Clone, Debug)]
pub struct Mismatch {
    /// The status expected.
    pub expected: Status,
    /// The norm's actual result.
    pub actual: NormResult,
    /// Where the expectation is written.
    pub span: Span,
}

/// Why a fixture file cannot be used.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum FixtureError {
    /// The file cannot be read.
    #[error("cannot read fixture \"{path}\": {error}")]
    Read {
        /// Root-relative path.
        path: String,
        /// Why.
        error: ReadError,
        /// Where the test names it.
        span: Span,
    },
    /// The file is not a JSON object.
    #[error("fixture \"{path}\" is not a valid JSON object: {message}")]
    Invalid {
        /// Root-relative path.
        path: String,
        /// The parser's message, with line and column.
        message: String,
        /// Where the test names it.
        span: Span,
    },
}

impl FixtureError {
    /// Where the test names the fixture.
    pub fn span(&self) -> Span {
        match self {
            FixtureError::Read { span, .. } | FixtureError::Invalid { span, .. } => *span,
        }
    }
}

impl FixtureError {
    /// The problem as a located diagnostic (`rampart::check::fixture-path`).
    pub fn to_diagnostic(&self) -> Diagnostic {
        Diagnostic::new(Code::FixturePath, self.span(), self.to_string())
            .with_label("fixture named here")
            .with_help(
                "fixture paths are relative to the test's file; a fixture is one JSON object",
            )
    }
}

/// Every fixture file the tests name that cannot be read or is not a JSON object, as
/// diagnostics; `rampart validate` reports them without running the tests.
pub fn fixture_problems(program: &Program, files: &dyn PolicyFiles) -> Vec<Diagnostic> {
    let mut seen = std::collections::HashSet::new();
    program
        .tests
        .iter()
        .flat_map(|test| &test.givens)
        .filter(|given| matches!(given, Given::File(..)))
        .filter(|given| match given {
            Given::File(path, span) => seen.insert((path.clone(), *span)),
            Given::Inline(_) => false,
        })
        .filter_map(|given| build_document(std::slice::from_ref(given), files).err())
        .map(|error| error.to_diagnostic())
        .collect()
}

/// The date a test's document is evaluated on when it has no `jurisdiction.evaluated_on`
/// (docs/language.md, "Tests"): fixed, not the day of the run, so that a test gives the same
/// result on every day it is run.
pub const TEST_DATE: &str = "2027-03-01";

/// Runs every test of `program`, reading fixtures from `files`; `today` is the document's
/// `jurisdiction.evaluated_on`, else [`TEST_DATE`].
pub fn run_tests(program: &Program, files: &dyn PolicyFiles) -> Vec<TestRun> {
    let test_date = Date::parse(TEST_DATE).expect("TEST_DATE is a date");
    (0..program.tests.len())
        .map(|test| TestRun {
            test,
            outcome: run_test(program, files, test, test_date),
        })
        .collect()
}

fn run_test(
    program: &Program,
    files: &dyn PolicyFiles,
    test: usize,
    test_date: Date,
) -> TestOutcome {
    let test = &program.tests[test];
    let doc = match build_document(&test.givens, files) {
        Ok(doc) => doc,
        Err(error) => return TestOutcome::Fixture(error),
    };
    let (refused, warnings) = document_problems(program, &doc);
    if !refused.is_empty() {
        return TestOutcome::Invalid(refused);
    }
    let norms: Vec<NormId> = test.expects.iter().map(|(_, norm, _)| *norm).collect();
    let options = Options {
        profile: test.profile,
        settings: test.settings.clone(),
        today: None,
        run_date: Some(test_date),
        norms: Some(norms),
        statuses_only: false,
    };
    let evaluator = Evaluator::new(program, options);
    let outcome = evaluator.evaluate(&doc);
    let dated = (doc.get(JURISDICTION_FIELD)).and_then(super::doc::evaluated_on);
    let source = if dated.is_some() {
        DateSource::Document
    } else {
        DateSource::TestDate
    };
    let mismatches = test
        .expects
        .iter()
        .filter_map(|(expected, norm, span)| {
            let actual = outcome.results.iter().find(|r| r.norm == *norm)?;
            (actual.status != *expected).then(|| Mismatch {
                expected: *expected,
                actual: actual.clone(),
                span: *span,
            })
        })
        .collect();
    TestOutcome::Ran {
        mismatches,
        expectations: test.expects.len(),
        warnings,
        evaluated_on: (outcome.today, source),
    }
}

/// A test's document validated once: the errors that would make `rampart check` refuse it (a
/// wrong type, an invalid date, an unknown enum member), then its warnings. A missing required
/// field is neither: tests leave fields out on purpose to exercise `unknown`.
fn document_problems(program: &Program, doc: &Json) -> (Vec<Problem>, Vec<Problem>) {
    let mut problems = crate::config::validate(program, doc);
    problems.retain(|p| p.kind != ProblemKind::MissingField);
    problems
        .into_iter()
        .partition(|p| p.severity() == Severity::Error)
}

/// The document of a test: its givens merged in order.
pub fn build_document(givens: &[Given], files: &dyn PolicyFiles) -> Result<Json, FixtureError> {
    let mut doc = Json::Object(serde_json::Map::new());
    for given in givens {
        match given {
            Given::Inline(patch) => merge_patch(&mut doc, patch),
            Given::File(path, span) => {
                let bytes = files.read(path).map_err(|error| FixtureError::Read {
                    path: path.clone(),
                    error,
                    span: *span,
                })?;
                let invalid = |message: String| FixtureError::Invalid {
                    path: path.clone(),
                    message,
                    span: *span,
                };
                let text = String::from_utf8(bytes)
                    .map_err(|e| invalid(format!("not valid UTF-8: {}", e.utf8_error())))?;
                // Read as `check` reads a document: repeated keys and deep nesting are errors.
                let text = crate::config::without_byte_order_mark(&text);
                let patch =
                    crate::config::parse(&text, crate::config::Format::Json).map_err(|error| {
                        match error.position {
                            Some((line, column)) => {
                                invalid(format!("{} (line {line}, column {column})", error.message))
                            }
                            None => invalid(error.message),
                        }
                    })?;
                if !patch.is_object() {
                    return Err(FixtureError::Invalid {
                        path: path.clone(),
                        message: "the top level is not an object".into(),
                        span: *span,
                    });
                }
                merge_patch(&mut doc, &patch);
            }
        }
    }
    Ok(doc)
}

/// Applies `patch` to `target` (RFC 7396): objects merge key by key, `null` removes a key,
/// anything else replaces.
pub fn merge_patch(target: &mut Json, patch: &Json) {
    let Json::Object(patch) = patch else {
        *target = patch.clone();
        return;
    };
    if !target.is_object() {
        *target = Json::Object(serde_json::Map::new());
    }
    let Json::Object(object) = target else {
        return;
    };
    for (key, value) in patch {
        if value.is_null() {
            object.remove(key);
        } else {
            merge_patch(object.entry(key.clone()).or_insert(Json::Null), value);
        }
    }
}
