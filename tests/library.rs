//! The norm library's own tests: every `test` block of `policies/` passes, and every norm has
//! at least one test expecting it to pass and one expecting it to fail.

use std::path::Path;

use rampart::check::{self, Status};
use rampart::date::Date;
use rampart::eval::testing::{TestOutcome, run_tests};
use rampart::workspace::{DiskFiles, Workspace};

fn library() -> (DiskFiles, check::Program) {
    let files = DiskFiles::new(Path::new("policies"));
    let workspace = Workspace::load(&files, "main.rampart");
    let checked = check::check(&workspace);
    assert!(
        !checked.has_errors(&workspace),
        "the norm library has errors; run `rampart validate --policy policies`"
    );
    (files, checked.program)
}

#[test]
fn every_library_test_passes() {
    let (files, program) = library();
    // A fixed run date, so that a fixture without `evaluated_on` cannot pass today and fail
    // tomorrow.
    let today = Date::parse("2027-03-01");
    let runs = run_tests(&program, &files, today);
    assert!(runs.len() >= 85, "expected a test per norm at least");
    let failures: Vec<String> = runs
        .iter()
        .filter(|run| !run.passed())
        .map(|run| {
            let test = &program.tests[run.test];
            match &run.outcome {
                TestOutcome::Fixture(error) => format!("{:?}: {error}", test.name),
                TestOutcome::Invalid(problems) => {
                    let problems: Vec<String> = problems.iter().map(ToString::to_string).collect();
                    format!("{:?}: invalid document: {}", test.name, problems.join("; "))
                }
                TestOutcome::Ran { mismatches, .. } => {
                    let found: Vec<String> = mismatches
                        .iter()
                        .map(|m| {
                            format!(
                                "expected {} {}, found {}",
                                m.expected.as_str(),
                                program.norms[m.actual.norm].id,
                                m.actual.status.as_str()
                            )
                        })
                        .collect();
                    format!("{:?}: {}", test.name, found.join("; "))
                }
            }
        })
        .collect();
    assert!(
        failures.is_empty(),
        "failing library tests:\n{}",
        failures.join("\n")
    );
}

#[test]
fn every_norm_has_a_passing_and_a_failing_expectation() {
    let (_, program) = library();
    let expected = |status: Status, norm: usize| {
        program
            .tests
            .iter()
            .flat_map(|test| test.expects.iter())
            .any(|(s, n, _)| *s == status && *n == norm)
    };
    let lacking: Vec<String> = program
        .norms
        .iter()
        .enumerate()
        .filter_map(|(index, norm)| {
            let missing: Vec<&str> = [Status::Pass, Status::Fail]
                .into_iter()
                .filter(|status| !expected(*status, index))
                .map(Status::as_str)
                .collect();
            (!missing.is_empty())
                .then(|| format!("{}: no `expect {}`", norm.id, missing.join("`/`")))
        })
        .collect();
    assert_eq!(program.norms.len(), 85);
    assert!(lacking.is_empty(), "{}", lacking.join("\n"));
}
