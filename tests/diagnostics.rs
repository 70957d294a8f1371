//! Snapshot tests of the diagnostics for every invalid fixture, and checks that every valid
//! fixture is clean and that its `test` blocks pass (with a snapshot of the tests that ran).
//! Review changed snapshots with `cargo insta review`.

mod common;

use common::{fixture_name, fixtures, load_fixture, render_test_runs, run_policy_tests};
use rampart::eval::testing::TestRun;

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
fn valid_fixtures_pass_their_tests() {
    for path in fixtures("tests/fixtures/valid") {
        let outcome = load_fixture(&path);
        let runs = run_policy_tests(&path, &outcome.program);
        let report = render_test_runs(&outcome, &runs);
        assert!(!runs.is_empty(), "{} has no test", path.display());
        assert!(
            runs.iter().all(TestRun::passed),
            "{}:\n{report}",
            path.display()
        );
        insta::with_settings!({ snapshot_path => "snapshots/valid", prepend_module_to_snapshot => false, omit_expression => true }, {
            insta::assert_snapshot!(fixture_name(&path), report);
        });
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
fn a_clause_that_does_not_parse_is_not_also_called_missing() {
    let outcome = load_fixture(std::path::Path::new(
        "tests/fixtures/invalid/77-misspelt-severity.rampart",
    ));
    assert_eq!(outcome.errors(), 1, "{}", outcome.render());
}

#[test]
fn a_block_comment_is_one_error_and_its_text_is_not_read() {
    let outcome = load_fixture(std::path::Path::new(
        "tests/fixtures/invalid/80-block-comment.rampart",
    ));
    assert_eq!(outcome.errors(), 1, "{}", outcome.render());
}

#[test]
fn a_repeated_declaration_is_one_error_and_its_uses_resolve_to_the_first() {
    for (fixture, repeated) in [
        ("54-duplicate-norm-id.rampart", 1),
        ("57-duplicate-schema.rampart", 1),
        ("87-duplicate-norm-id-used.rampart", 1),
        ("88-duplicate-declarations.rampart", 8),
        ("89-duplicate-norm-in-two-files", 1),
        ("90-duplicate-schema-used.rampart", 1),
        ("91-duplicate-schema-in-two-files", 1),
    ] {
        let outcome = load_fixture(&std::path::Path::new("tests/fixtures/invalid").join(fixture));
        let codes: Vec<_> = outcome.diagnostics.iter().map(|d| d.code).collect();
        assert_eq!(
            codes,
            vec![rampart::diagnostics::Code::Duplicate; repeated],
            "{fixture}:\n{}",
            outcome.render()
        );
    }
}

#[test]
fn a_repeated_schema_block_is_still_checked() {
    let outcome = common::load_text(
        b"schema { n: int }\nschema { staff: Stafff }\ntype Staff { trained: int }\n",
    );
    let codes: Vec<_> = outcome.diagnostics.iter().map(|d| d.code).collect();
    use rampart::diagnostics::Code;
    assert_eq!(
        codes,
        [Code::Duplicate, Code::UnknownType],
        "{}",
        outcome.render()
    );
}

#[test]
fn a_misspelt_keyword_is_one_error_with_the_right_one_as_the_fix() {
    for (fixture, fixes) in [
        ("84-misspelt-item-keyword.rampart", &["norm"][..]),
        (
            "85-stages-without-brackets.rampart",
            &["[planning, voting]", "all"],
        ),
        ("86-swapped-letters-in-clause.rampart", &["title"]),
    ] {
        let outcome = load_fixture(&std::path::Path::new("tests/fixtures/invalid").join(fixture));
        let found: Vec<&str> = (outcome.diagnostics.iter())
            .filter_map(|d| d.suggestion.as_ref().map(|s| s.replacement.as_str()))
            .collect();
        assert_eq!(
            outcome.diagnostics.len(),
            fixes.len(),
            "{}",
            outcome.render()
        );
        assert_eq!(found, fixes, "{fixture}:\n{}", outcome.render());
    }
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

/// The ```rampart blocks of a Markdown file, with the line each starts on.
fn rampart_blocks(markdown: &str) -> Vec<(usize, String)> {
    let mut blocks = Vec::new();
    let mut current: Option<(usize, String)> = None;
    for (number, line) in markdown.lines().enumerate() {
        match &mut current {
            None if line.trim_start().starts_with("```rampart") => {
                current = Some((number + 1, String::new()))
            }
            Some(_) if line.trim_start().starts_with("```") => {
                blocks.push(current.take().expect("inside a block"))
            }
            Some((_, text)) => {
                text.push_str(line);
                text.push('\n');
            }
            None => {}
        }
    }
    blocks
}

#[test]
fn every_example_in_the_language_reference_checks_cleanly() {
    let reference = std::fs::read_to_string("docs/language.md").expect("docs/language.md exists");
    let blocks = rampart_blocks(&reference);
    let all_text: String = blocks.iter().map(|(_, text)| text.as_str()).collect();
    let words: std::collections::HashSet<&str> = all_text
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
        .collect();
    let constructs = rampart::syntax::ITEM_KEYWORDS
        .iter()
        .chain(rampart::syntax::NORM_CLAUSES)
        .chain(rampart::syntax::PROFILE_CLAUSES)
        .chain(rampart::syntax::TEST_CLAUSES)
        .chain(&[
            "all", "any", "none", "count", "filter", "latest", "implies", "ref", "else",
        ]);
    for construct in constructs {
        // A single-file example cannot import another file.
        if *construct != "use" {
            assert!(
                words.contains(construct),
                "no example in docs/language.md uses `{construct}`"
            );
        }
    }
    for (line, text) in blocks {
        let outcome = common::load_text(text.as_bytes());
        assert_eq!(
            outcome.errors() + outcome.warnings(),
            0,
            "docs/language.md block at line {line}:\n{}",
            outcome.render()
        );
    }
}

#[test]
fn the_readme_examples_parse() {
    let readme = std::fs::read_to_string("README.md").expect("README.md exists");
    for (line, text) in rampart_blocks(&readme) {
        let parsed = rampart::syntax::parse(rampart::syntax::FileId(0), &text);
        assert!(
            parsed.diagnostics.is_empty(),
            "README.md block at line {line}: {:?}",
            parsed.diagnostics
        );
    }
}

#[test]
fn the_language_reference_lists_every_diagnostic_code() {
    let reference = std::fs::read_to_string("docs/language.md").expect("docs/language.md exists");
    for code in rampart::diagnostics::Code::ALL {
        let short = code.as_str().trim_start_matches("rampart::");
        assert!(
            reference.contains(&format!("`{short}`")),
            "docs/language.md does not list `{short}`"
        );
    }
}
