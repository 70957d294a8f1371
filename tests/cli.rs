//! The `test` and `check` commands end to end: output and exit codes.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn rampart(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rampart"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("the binary runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// A fresh scratch directory for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("rampart-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a scratch directory");
    dir
}

fn write(path: &Path, text: &str) {
    std::fs::write(path, text).expect("a scratch file");
}

const POLICY: &str = r#"
source s { title "S" }
pillar p "P"
schema { staff: Staff }
type Staff { trained: int }
norm staff-trained {
  title "Staff are trained"  pillar p  severity high  cites s
  require staff.trained >= 3 else "only {staff.trained} trained"
}
test "three trained staff pass" {
  given { "staff": { "trained": 3 } }
  expect pass staff-trained
}
test "a wrong expectation" {
  given { "staff": { "trained": 1 } }
  expect pass staff-trained
}
"#;

#[test]
fn test_command_passes_on_the_norm_library() {
    let output = rampart(&["test", "--policy", "policies"]);
    let text = stdout(&output);
    assert_eq!(output.status.code(), Some(0), "{text}");
    let last = text.lines().last().unwrap_or("");
    assert!(
        last.starts_with("test result: ok. ") && last.ends_with(" passed; 0 failed"),
        "{last}"
    );
}

#[test]
fn test_command_reports_a_failing_expectation_with_its_evidence() {
    let dir = scratch("failing-test");
    write(&dir.join("main.rampart"), POLICY);
    let output = rampart(&["test", "--policy", dir.to_str().expect("a UTF-8 path")]);
    assert_eq!(output.status.code(), Some(1));
    let text = stdout(&output).replace(dir.to_str().unwrap_or(""), "DIR");
    insta::assert_snapshot!(text, @r#"
    running 2 test(s)
    test main.rampart: "three trained staff pass" ... ok
    test main.rampart: "a wrong expectation" ... FAILED

    failures:

    ---- main.rampart: "a wrong expectation" ----
      evaluated on 2027-03-01 (the fixed test date: the document has no jurisdiction.evaluated_on)
      expected pass staff-trained, found fail (DIR/main.rampart:16)
        requirement 1 (DIR/main.rampart:8):
          only 1 trained
          - failed: staff.trained is 1; required >= 3  [`staff.trained >= 3`]

    test result: FAILED. 1 passed; 1 failed
    "#);
}

#[test]
fn a_failing_test_names_the_date_it_was_evaluated_on_and_where_that_came_from() {
    let dir = scratch("failing-test-dated");
    let dated = POLICY.replace(
        r#"given { "staff": { "trained": 1 } }"#,
        r#"given { "staff": { "trained": 1 }, "jurisdiction": { "evaluated_on": "2026-05-01" } }"#,
    );
    write(&dir.join("main.rampart"), &dated);
    let output = rampart(&["test", "--policy", dir.to_str().expect("a UTF-8 path")]);
    assert_eq!(output.status.code(), Some(1));
    let text = stdout(&output);
    assert!(
        text.contains("  evaluated on 2026-05-01 (the document's jurisdiction.evaluated_on)\n"),
        "{text}"
    );
    assert!(!text.contains("fixed test date"), "{text}");
}

#[test]
fn a_policy_path_that_names_no_policy_set_is_one_clear_error() {
    let empty = scratch("empty-policy");
    let empty = empty.to_str().expect("a UTF-8 path");
    for (path, why) in [
        ("/nonexistent-policy", "/nonexistent-policy does not exist"),
        (empty, "has no main.rampart"),
    ] {
        for command in ["check", "test", "validate", "compare"] {
            let mut args = vec![command, "--policy", path];
            if matches!(command, "check" | "compare") {
                args.push("examples/castellan.json");
            }
            let output = rampart(&args);
            assert_eq!(output.status.code(), Some(2), "{command} {path}");
            let stderr = String::from_utf8_lossy(&output.stderr);
            assert!(
                stderr.starts_with(&format!("error: no policy set at {path}: "))
                    && stderr.contains(why)
                    && stderr.contains("help: --policy takes a directory holding main.rampart"),
                "{command}: {stderr}"
            );
        }
    }
}

#[test]
fn test_command_exits_2_on_an_invalid_policy() {
    let dir = scratch("invalid-policy");
    write(&dir.join("main.rampart"), "norm {");
    let output = rampart(&["test", "--policy", dir.to_str().expect("a UTF-8 path")]);
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn check_exits_1_when_a_norm_fails() {
    let output = rampart(&["check", "--policy", "policies", "examples/norrvale.json"]);
    assert_eq!(output.status.code(), Some(1));
    let text = stdout(&output);
    assert!(
        text.contains("  FAIL     com-platform-channels [low]"),
        "{text}"
    );
}

#[test]
fn check_reports_a_broken_document_and_still_evaluates_the_others() {
    let dir = scratch("broken-document");
    write(
        &dir.join("a.json"),
        "{ \"jurisdiction\": { \"id\": \"a\", \"id\": \"b\" } }",
    );
    write(
        &dir.join("b.json"),
        r#"{ "jurisdiction": { "id": "b", "name": "B", "evaluated_on": "2027-01-01" },
             "election": { "date": "2027-03-01", "typ": "general" } }"#,
    );
    let output = rampart(&[
        "check",
        "--policy",
        "policies",
        dir.to_str().expect("a UTF-8 path"),
    ]);
    assert_eq!(output.status.code(), Some(2));
    let text = stdout(&output).replace(dir.to_str().unwrap_or(""), "DIR");
    assert!(
        text.contains("  error[rampart::config::syntax]: duplicate key \"id\" (DIR/a.json:1:35)"),
        "{text}"
    );
    assert!(
        text.contains(
            "  warning[rampart::config::unknown-field]: election.typ: `Election` has no field `typ`; no norm reads it (DIR/b.json:2:50)\n    help: did you mean `type`?"
        ),
        "{text}"
    );
    assert!(
        text.contains("DIR/a.json  invalid document, not evaluated"),
        "{text}"
    );
    assert!(text.contains("\nb "), "{text}");
}

#[test]
fn check_refuses_an_unknown_profile_or_setting() {
    let output = rampart(&["check", "--profile", "fulll", "examples/norrvale.json"]);
    assert_eq!(output.status.code(), Some(2));
    let errors = String::from_utf8_lossy(&output.stderr);
    assert_eq!(
        errors,
        "error: unknown profile `fulll`\n  help: did you mean `full`?\n"
    );
    let output = rampart(&["check", "--profile", "bogus", "examples/norrvale.json"]);
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "error: unknown profile `bogus`\n  help: expected one of: full, baseline, election-day, institutional, technical, operational, trust\n"
    );
    let output = rampart(&[
        "check",
        "--set",
        "min_meetings_per_year=many",
        "examples/norrvale.json",
    ]);
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn a_share_exactly_at_its_threshold_meets_it() {
    let dir = scratch("share-at-threshold");
    let mut doc: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string("examples/norrvale.json").expect("the example is readable"),
    )
    .expect("the example is JSON");
    doc["staff"]["total"] = 100.into();
    let mut status = |trained: u32| {
        doc["staff"]["trained_awareness"] = trained.into();
        let path = dir.join(format!("trained-{trained}.json"));
        write(&path, &doc.to_string());
        let path = path.to_str().expect("a UTF-8 path");
        // 0.07 * 100 is 7.000000000000001 in binary floating point: 7 trained would fail.
        let args = [
            "check",
            "--format",
            "json",
            "--set",
            "min_trained_ratio=0.07",
            path,
        ];
        let report: serde_json::Value =
            serde_json::from_str(&stdout(&rampart(&args))).expect("the report is JSON");
        let results = report["documents"][0]["results"].as_array().cloned();
        let result = results
            .unwrap_or_default()
            .into_iter()
            .find(|r| r["norm"] == "staff-awareness-training")
            .expect("the norm is reported");
        result["status"].as_str().unwrap_or_default().to_string()
    };
    assert_eq!(status(7), "pass");
    assert_eq!(status(6), "fail");
}

#[test]
fn validate_and_test_warn_of_a_policy_file_that_nothing_imports() {
    let dir = scratch("not-imported");
    write(&dir.join("main.rampart"), POLICY);
    let orphan =
        "norm lost {\n  title \"t\"\n  pillar p\n  severity low\n  cites s\n  require true\n}\n";
    std::fs::create_dir_all(dir.join("extra")).expect("a directory");
    write(&dir.join("extra/lost.rampart"), orphan);
    std::fs::create_dir_all(dir.join(".git")).expect("a hidden directory");
    write(&dir.join(".git/ignored.rampart"), orphan);
    let policy = dir.to_str().expect("a UTF-8 path");
    let output = rampart(&["validate", policy]);
    assert_eq!(output.status.code(), Some(0));
    let text = stdout(&output);
    assert!(
        text.contains(
            "extra/lost.rampart is in the policy directory, but main.rampart does not import it"
        ),
        "{text}"
    );
    assert!(!text.contains("ignored.rampart"), "{text}");
    assert!(text.contains("0 error(s), 1 warning(s)"), "{text}");
    assert_eq!(
        rampart(&["validate", "--deny-warnings", policy])
            .status
            .code(),
        Some(1)
    );
    let tested = rampart(&["test", "--policy", policy]);
    let errors = String::from_utf8_lossy(&tested.stderr);
    assert!(
        errors.contains("rampart::workspace::not-imported"),
        "{errors}"
    );
}

#[test]
fn check_json_report_is_stable() {
    let output = rampart(&[
        "check",
        "--policy",
        "policies",
        "--format",
        "json",
        "examples/norrvale.json",
    ]);
    assert_eq!(output.status.code(), Some(1));
    insta::assert_snapshot!("check_norrvale_json", stdout(&output));
}

#[test]
fn test_command_fails_a_test_whose_document_check_would_refuse() {
    let dir = scratch("wrong-type-in-given");
    let policy = POLICY.replace(
        "given { \"staff\": { \"trained\": 3 } }",
        "given { \"staff\": { \"trained\": \"three\" } }",
    );
    write(&dir.join("main.rampart"), &policy);
    let output = rampart(&["test", "--policy", dir.to_str().expect("a UTF-8 path")]);
    assert_eq!(output.status.code(), Some(1));
    let text = stdout(&output).replace(dir.to_str().unwrap_or(""), "DIR");
    assert!(
        text.contains("test main.rampart: \"three trained staff pass\" ... FAILED\n"),
        "{text}"
    );
    assert!(
        text.contains(
            "  the test's document is one `rampart check` would refuse, so it was not evaluated (DIR/main.rampart:"
        ),
        "{text}"
    );
    assert!(
        text.contains(
            "    error[rampart::config::wrong-type]: staff.trained: expected a whole number, found the string \"three\"\n"
        ),
        "{text}"
    );
}

#[test]
fn test_command_notes_a_field_the_schema_does_not_have() {
    let dir = scratch("typo-in-given");
    let policy = POLICY.replace(
        "given { \"staff\": { \"trained\": 3 } }",
        "given { \"staff\": { \"trained\": 3, \"trianed\": 4 } }",
    );
    write(&dir.join("main.rampart"), &policy);
    let output = rampart(&["test", "--policy", dir.to_str().expect("a UTF-8 path")]);
    let text = stdout(&output);
    assert!(
        text.contains(
            "test main.rampart: \"three trained staff pass\" ... ok\n  note: the test's document: warning[rampart::config::unknown-field]: staff.trianed: `Staff` has no field `trianed`; no norm reads it\n"
        ),
        "{text}"
    );
}

/// A test whose document has no `jurisdiction.evaluated_on` is evaluated on the documented test
/// date, not on the day of the run, so its result cannot change with the calendar; a document
/// that has one is evaluated on it.
#[test]
fn test_command_evaluates_on_the_test_date_unless_the_document_has_one() {
    let dir = scratch("test-date");
    let policy = r#"
source s { title "S" }
pillar p "P"
schema { jurisdiction?: Jurisdiction }
type Jurisdiction { evaluated_on?: date }
norm on-the-test-date {
  title "Evaluated on the test date"  pillar p  severity low  cites s
  require today == 2027-03-01
}
test "without evaluated_on" {
  given { }
  expect pass on-the-test-date
}
test "with evaluated_on" {
  given { "jurisdiction": { "evaluated_on": "2030-01-01" } }
  expect fail on-the-test-date
}
"#;
    write(&dir.join("main.rampart"), policy);
    let output = rampart(&["test", "--policy", dir.to_str().expect("a UTF-8 path")]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
}

#[test]
fn a_today_that_is_not_a_date_says_whether_its_form_or_its_day_is_wrong() {
    let message = |today: &str| {
        let output = rampart(&["check", "--today", today, "examples/castellan.json"]);
        assert_eq!(output.status.code(), Some(2), "{today}");
        String::from_utf8_lossy(&output.stderr).into_owned()
    };
    assert!(
        message("2027-02-30").contains("--today 2027-02-30: there is no such day in the calendar"),
    );
    assert!(message("27-2-3").contains("--today 27-2-3: not a date (write YYYY-MM-DD)"));
}

#[test]
fn validate_takes_the_policy_path_as_an_argument_too() {
    let output = rampart(&["validate", "policies"]);
    assert_eq!(output.status.code(), Some(0));
    assert!(stdout(&output).contains("85 norm(s): 0 error(s), 0 warning(s)"));
    let both = rampart(&["validate", "--policy", "policies", "policies"]);
    assert_eq!(both.status.code(), Some(2));
}

#[test]
fn jobs_outside_1_to_256_is_a_usage_error() {
    for jobs in ["0", "257", "65535"] {
        let output = rampart(&["check", "--jobs", jobs, "examples/norrvale.json"]);
        assert_eq!(output.status.code(), Some(2), "--jobs {jobs}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains("1..=256"), "{stderr}");
    }
    let output = rampart(&["check", "--jobs", "256", "examples/norrvale.json"]);
    assert_eq!(output.status.code(), Some(1), "256 threads is allowed");
}

#[test]
fn a_fixture_file_is_read_as_check_reads_a_document() {
    let dir = scratch("fixture-keys");
    let policy = POLICY.replace(
        "given { \"staff\": { \"trained\": 3 } }",
        "given \"three.json\"",
    );
    write(&dir.join("main.rampart"), &policy);
    // A byte-order mark is allowed, as in a document.
    write(
        &dir.join("three.json"),
        "\u{feff}{ \"staff\": { \"trained\": 3 } }",
    );
    let dir_arg = dir.to_str().expect("a UTF-8 path");
    let output = rampart(&["test", "--policy", dir_arg]);
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(
        text.contains("\"three trained staff pass\" ... ok"),
        "{text}"
    );
    // A repeated key could hide the value a test means: it is an error, as in `check`.
    write(
        &dir.join("three.json"),
        "{ \"staff\": { \"trained\": 1 }, \"staff\": { \"trained\": 3 } }",
    );
    let output = rampart(&["validate", "--policy", dir_arg]);
    assert_eq!(output.status.code(), Some(2));
    let printed = String::from_utf8_lossy(&output.stdout);
    assert!(
        printed.contains("duplicate key \"staff\" (line 1, column 36)"),
        "{printed}"
    );
}

#[test]
fn an_output_extension_that_names_no_format_is_warned_about() {
    let dir = scratch("unchosen-format");
    let sheet = dir.join("region.xlsx");
    let sheet_arg = sheet.to_str().expect("a UTF-8 path");
    let output = rampart(&["compare", "examples/castellan.json", "-o", sheet_arg]);
    assert_eq!(output.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("`.xlsx` names no format"), "{stderr}");
    let text = dir.join("report.txt");
    let text_arg = text.to_str().expect("a UTF-8 path");
    let output = rampart(&["check", "examples/castellan.json", "-o", text_arg]);
    assert_eq!(output.status.code(), Some(1));
    assert!(output.stderr.is_empty(), "{output:?}");
    assert!(std::fs::read_to_string(&text).is_ok_and(|t| t.contains("castellan")));
}

#[test]
fn a_directory_search_skips_hidden_entries_but_reads_those_named() {
    let dir = scratch("hidden");
    std::fs::create_dir_all(dir.join("states/.vscode")).expect("a scratch directory");
    write(&dir.join("policy.rampart"), POLICY);
    write(&dir.join("states/a.json"), r#"{"staff": {"trained": 3}}"#);
    write(&dir.join("states/.draft.json"), "{");
    write(&dir.join("states/.vscode/settings.json"), "{}");
    let check = |path: &str| {
        let policy = dir.join("policy.rampart");
        let path = dir.join(path);
        let args = [
            "--policy",
            policy.to_str().expect("UTF-8"),
            "--today",
            "2027-01-01",
        ];
        let output = rampart(&[&["check"], &args[..], &[path.to_str().expect("UTF-8")]].concat());
        let text = stdout(&output).replace(dir.to_str().expect("UTF-8"), "DIR");
        (output.status.code(), text)
    };
    let (code, text) = check("states");
    assert_eq!(code, Some(0), "{text}");
    assert!(!text.contains("DIR/states/."), "{text}");
    assert_eq!(check("states/.draft.json").0, Some(2));
    assert_eq!(check("states/.vscode").0, Some(2));
}

#[test]
fn an_empty_file_is_reported_as_empty_whatever_its_notation() {
    let dir = scratch("empty");
    write(&dir.join("a.json"), "");
    write(&dir.join("b.yaml"), "\n  \n");
    let output = rampart(&["check", dir.to_str().expect("UTF-8")]);
    assert_eq!(output.status.code(), Some(2));
    let text = stdout(&output).replace(dir.to_str().expect("UTF-8"), "DIR");
    for name in ["a.json", "b.yaml"] {
        let expected = format!(
            "== DIR/{name}: not evaluated\n  error[rampart::config::syntax]: the file is empty (DIR/{name}:1:1)\n    help: {}\n",
            "a jurisdiction document is an object; `rampart init --output FILE` writes one with every field explained"
        );
        assert!(text.contains(&expected), "{text}");
    }
}

#[test]
fn init_refuses_to_overwrite_a_file_and_says_how_to_proceed() {
    let dir = scratch("init-exists");
    let path = dir.join("new.json");
    write(&path, "mine");
    let output = rampart(&["init", "--output", path.to_str().expect("UTF-8")]);
    assert_eq!(output.status.code(), Some(2));
    let errors =
        String::from_utf8_lossy(&output.stderr).replace(dir.to_str().expect("UTF-8"), "DIR");
    assert_eq!(
        errors,
        "error: DIR/new.json already exists; rampart init refuses to overwrite it\n  help: name a new file with --output, or remove this one first\n"
    );
    assert_eq!(std::fs::read_to_string(&path).expect("kept"), "mine");
}
