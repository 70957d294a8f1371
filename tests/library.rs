//! The norm library's own tests: every `test` block of `policies/` passes, and every norm has
//! at least one test expecting it to pass and one expecting it to fail.

mod common;

use std::path::Path;

use rampart::check::Status;

fn library() -> common::Outcome {
    let outcome = common::load_fixture(Path::new("policies"));
    assert_eq!(
        outcome.errors(),
        0,
        "the norm library has errors; run `rampart validate --policy policies`"
    );
    outcome
}

#[test]
fn every_library_test_passes() {
    let outcome = library();
    let runs = common::run_policy_tests(Path::new("policies"), &outcome.program);
    assert!(runs.len() >= 85, "expected a test per norm at least");
    let failures: Vec<String> = runs
        .iter()
        .filter(|run| !run.passed())
        .map(|run| common::test_run_line(&outcome, run))
        .collect();
    assert!(
        failures.is_empty(),
        "failing library tests:\n{}",
        failures.join("\n")
    );
}

#[test]
fn every_norm_has_a_passing_and_a_failing_expectation() {
    let program = library().program;
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
