//! Snapshot tests of the diagnostics for every invalid fixture, and a check that every valid
//! fixture is clean. Review changed snapshots with `cargo insta review`.

mod common;

use common::{fixture_name, fixtures, load_fixture};

#[test]
fn invalid_fixtures_report_their_diagnostics() {
    let cases = fixtures("tests/fixtures/invalid");
    assert!(
        cases.len() >= 40,
        "expected at least 40 invalid fixtures, found {}",
        cases.len()
    );
    for path in cases {
        let outcome = load_fixture(&path);
        assert!(
            outcome.errors() + outcome.warnings() > 0,
            "{} produced no diagnostic",
            path.display()
        );
        insta::with_settings!({ snapshot_path => "snapshots/invalid", prepend_module_to_snapshot => false, omit_expression => true }, {
            insta::assert_snapshot!(fixture_name(&path), outcome.render());
        });
    }
}

#[test]
fn valid_fixtures_have_no_diagnostics() {
    let cases = fixtures("tests/fixtures/valid");
    assert!(
        cases.len() >= 15,
        "expected at least 15 valid fixtures, found {}",
        cases.len()
    );
    for path in cases {
        let outcome = load_fixture(&path);
        assert_eq!(
            outcome.errors() + outcome.warnings(),
            0,
            "{}:\n{}",
            path.display(),
            outcome.render()
        );
    }
}

#[test]
fn five_independent_errors_are_all_reported() {
    let outcome = load_fixture(std::path::Path::new(
        "tests/fixtures/invalid/99-five-independent-errors.rampart",
    ));
    assert_eq!(outcome.errors(), 5, "{}", outcome.render());
}

#[test]
fn the_norm_library_is_clean() {
    let outcome = load_fixture(std::path::Path::new("policies"));
    assert_eq!(
        outcome.errors() + outcome.warnings(),
        0,
        "{}",
        outcome.render()
    );
    assert!(outcome.program.norms.len() >= 80);
}
