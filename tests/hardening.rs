//! Hostile input and hostile environments: resource limits on documents (size, nesting, YAML
//! alias bombs), directory walks through symbolic-link loops and over files that cannot be read,
//! confinement of `use` and fixture paths to the policy root, escaping of document strings in
//! every output format, and faults (a full disk, a closed pipe, a killed or interrupted run).
//! Regression tests for fuzzing findings (docs/RELIABILITY.md) live here too, each named after
//! the behaviour and built from the minimised input.

mod common;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use rampart::check::Program;
use rampart::config::{self, Format, ProblemKind};
use rampart::diagnostics::Code;
use rampart::workspace::{DiskFiles, Workspace};

fn rampart(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rampart"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("the binary runs")
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("rampart-hardening-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a scratch directory");
    dir
}

fn write(path: &Path, text: &str) {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("a scratch directory");
    }
    std::fs::write(path, text).expect("a scratch file");
}

/// The norm library, checked.
fn library() -> Program {
    let files = DiskFiles::new(Path::new("policies"));
    let workspace = Workspace::load(&files, "main.rampart");
    let checked = rampart::check::check(&workspace);
    assert!(!checked.has_errors(&workspace));
    checked.program
}

const POLICY: &str = "source s { title \"S\" }\npillar p \"P\"\nschema { staff: Staff  name?: string }\ntype Staff { trained: int }\nnorm staff-trained {\n  title \"Staff are trained\"  pillar p  severity high  cites s\n  require staff.trained >= 3 else \"only {staff.trained} trained at {name}\"\n}\n";

// ----- resource limits -----

#[test]
fn a_document_over_the_size_limit_is_refused_without_reading_it() {
    let dir = scratch("size");
    let path = dir.join("huge.json");
    let file = std::fs::File::create(&path).expect("a scratch file");
    // Sparse: no disk space used, and never read.
    file.set_len(config::MAX_DOCUMENT_BYTES + 1)
        .expect("set the length");
    let started = Instant::now();
    let document = config::load(&library(), &path);
    assert!(started.elapsed() < Duration::from_secs(5));
    let messages: Vec<String> = document.problems.iter().map(ToString::to_string).collect();
    assert_eq!(
        messages,
        [format!(
            "error[rampart::config::unreadable]: the file is larger than {} bytes",
            config::MAX_DOCUMENT_BYTES
        )]
    );
}

#[test]
fn check_refuses_a_yaml_file_over_the_size_limit_without_reading_it() {
    let dir = scratch("size-yaml");
    let path = dir.join("huge.yaml");
    let file = std::fs::File::create(&path).expect("a scratch file");
    file.set_len(config::MAX_DOCUMENT_BYTES + 1)
        .expect("set the length");
    let started = Instant::now();
    let output = rampart(&["check", &path.to_string_lossy()]);
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(output.status.code(), Some(2));
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains("the file is larger than"), "{text}");
}

#[test]
fn json_and_yaml_nested_past_the_limit_are_syntax_errors_with_a_position() {
    let depth = config::MAX_DEPTH + 1;
    let json = format!("{{\"a\": {}1{}}}", "[".repeat(depth), "]".repeat(depth));
    let yaml = format!("a: {}1{}\n", "[".repeat(depth), "]".repeat(depth));
    for (text, format) in [(json, Format::Json), (yaml, Format::Yaml)] {
        let document = config::from_text(&library(), Path::new("deep"), &text, format);
        assert_eq!(
            document.problems.len(),
            1,
            "{format:?}: {:?}",
            document.problems
        );
        let problem = &document.problems[0];
        assert_eq!(problem.kind, ProblemKind::Syntax, "{format:?}: {problem}");
        assert!(problem.position.is_some(), "{format:?}: {problem:?}");
        // In words, not the parsers' internals ("budget breached: Depth { depth: 65 }").
        assert!(
            problem.message.starts_with("the document is nested"),
            "{problem:?}"
        );
        let help = problem.help.as_deref().unwrap_or_default();
        assert!(
            help.contains("brackets that are never closed"),
            "{problem:?}"
        );
    }
}

#[test]
fn every_syntax_error_has_a_hint() {
    let cases = [
        ("{\"a\": 1,}", Format::Json, "no comma after the last item"),
        ("{\"a\": 1", Format::Json, "the document ends early"),
        (
            "{\"a\": 1 \"b\": 2}",
            Format::Json,
            "a comma, or the closing bracket",
        ),
        ("{a: 1}", Format::Json, "keys take double quotes"),
        (
            "{\"a\": 1}{",
            Format::Json,
            "one per line, each whole on its line",
        ),
        ("a: .nan\n", Format::Yaml, "leave the field out"),
        ("a: [1\n", Format::Yaml, "indentation and quoting"),
        ("a: 1\na: 2\n", Format::Yaml, "each key may appear once"),
        ("{a: 1, a: 2}\n", Format::Yaml, "each key may appear once"),
    ];
    for (text, format, hint) in cases {
        let document = config::from_text(&library(), Path::new("bad"), text, format);
        let problem = &document.problems[0];
        assert_eq!(problem.kind, ProblemKind::Syntax, "{text}: {problem:?}");
        let help = problem.help.as_deref().unwrap_or_default();
        assert!(help.contains(hint), "{text}: {problem:?}");
    }
}

#[test]
fn nesting_just_under_the_limit_is_validated_and_evaluated_without_overflow() {
    // Deep values where the schema expects a scalar, an object, a list, and an unknown field.
    let program = library();
    let deep = format!(
        "{}1{}",
        "[".repeat(config::MAX_DEPTH - 4),
        "]".repeat(config::MAX_DEPTH - 4)
    );
    let base = std::fs::read_to_string("policies/fixtures/base.json").expect("base fixture");
    let mut value: serde_json::Value = serde_json::from_str(&base).expect("base is JSON");
    let deep_value: serde_json::Value = serde_json::from_str(&deep).expect("deep is JSON");
    for field in ["staff", "jurisdiction", "unknown_field", "systems"] {
        value[field] = deep_value.clone();
    }
    let text = serde_json::to_string(&value).expect("serialises");
    let document = config::from_text(&program, Path::new("deep.json"), &text, Format::Json);
    assert!(document.has_errors(), "wrong types are reported");
    let evaluator = rampart::eval::Evaluator::new(&program, rampart::eval::Options::default());
    let outcome = evaluator.evaluate(&value);
    assert_eq!(outcome.results.len(), program.norms.len());
}

#[test]
fn evidence_over_thousands_of_systems_is_bounded_per_requirement() {
    // The example's systems copied to 3,000 (new ids, so references between them dangle):
    // pairwise norms such as sec-supply-chain used to explain every pair (millions of lines).
    let dir = scratch("many-systems");
    let text = std::fs::read_to_string("examples/castellan.json").expect("the example");
    let mut value: serde_json::Value = serde_json::from_str(&text).expect("the example is JSON");
    let systems = value["systems"].as_array().expect("systems").clone();
    value["systems"] = (0..3_000)
        .map(|i| {
            let mut system = systems[i % systems.len()].clone();
            system["id"] = format!("sys-{i}").into();
            system
        })
        .collect();
    let path = dir.join("many.json");
    write(&path, &serde_json::to_string(&value).expect("serialises"));
    let output = rampart(&["check", "--format", "json", path.to_str().expect("UTF-8")]);
    assert_eq!(output.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let results = report["documents"][0]["results"]
        .as_array()
        .expect("results");
    let mut omitted = 0;
    for result in results {
        let evidence = result["evidence"].as_array().expect("evidence");
        let mut per_requirement = std::collections::HashMap::new();
        for entry in evidence {
            *per_requirement
                .entry(entry["requirement"].to_string())
                .or_insert(0) += 1;
            let findings = entry["findings"].as_array().expect("findings");
            omitted += findings.iter().filter(|f| f["kind"] == "omitted").count();
        }
        let most = per_requirement.values().max().copied().unwrap_or(0);
        assert!(
            most <= 201,
            "{} has {most} entries for one requirement",
            result["norm"]
        );
    }
    assert!(omitted > 0, "the items not explained are counted");
}

#[test]
fn a_yaml_alias_bomb_is_refused_quickly() {
    // "Billion laughs": ten levels of ten aliases each expand to 10^10 strings.
    let mut text = String::from(
        "a0: &a0 [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    for level in 1..=10 {
        let previous = format!("*a{}", level - 1);
        let items = [previous.as_str(); 10].join(",");
        text.push_str(&format!("a{level}: &a{level} [{items}]\n"));
    }
    let started = Instant::now();
    let error = config::parse(&text, Format::Yaml).expect_err("the bomb is refused");
    let elapsed = started.elapsed();
    assert!(elapsed < Duration::from_secs(2), "took {elapsed:?}");
    assert!(error.message.contains("alias"), "{error:?}");
}

#[test]
fn a_directory_walk_through_symlink_loops_finds_each_document_once() {
    let dir = scratch("loop");
    write(&dir.join("docs/a.json"), "{}");
    std::os::unix::fs::symlink("..", dir.join("docs/up")).expect("a link");
    std::os::unix::fs::symlink(".", dir.join("docs/here")).expect("a link");
    std::os::unix::fs::symlink(".", dir.join("docs/again")).expect("a link");
    let started = Instant::now();
    let (found, errors) = config::find_documents(std::slice::from_ref(&dir));
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(found, [dir.join("docs/a.json")], "errors: {errors:?}");
    assert!(errors.is_empty(), "{errors:?}");
}

#[test]
fn an_unreadable_or_vanished_document_is_a_located_error_and_the_run_goes_on() {
    let dir = scratch("vanish");
    write(&dir.join("a.json"), "{\"staff\": {\"trained\": 4}}");
    write(&dir.join("b.json"), "{\"staff\": {\"trained\": 1}}");
    std::os::unix::fs::symlink(dir.join("nowhere.json"), dir.join("broken.json")).expect("a link");
    std::fs::create_dir(dir.join("dir.json")).expect("a directory named like a document");
    write(&dir.join("policy.rampart"), POLICY);
    let (found, _) = config::find_documents(std::slice::from_ref(&dir));
    // b.json vanishes between the walk and the read.
    std::fs::remove_file(dir.join("b.json")).expect("remove");
    let files = DiskFiles::new(&dir);
    let workspace = Workspace::load(&files, "policy.rampart");
    let program = rampart::check::check(&workspace).program;
    let summary: Vec<(String, Vec<String>)> = found
        .iter()
        .map(|path| {
            let document = config::load(&program, path);
            let name = path
                .strip_prefix(&dir)
                .expect("inside")
                .display()
                .to_string();
            let kinds = document
                .problems
                .iter()
                .map(|p| p.kind.code().to_string())
                .collect();
            (name, kinds)
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("a.json".to_string(), vec![]),
            (
                "b.json".to_string(),
                vec!["rampart::config::unreadable".to_string()]
            ),
            (
                "broken.json".to_string(),
                vec!["rampart::config::unreadable".to_string()]
            ),
        ]
    );
    // End to end: the readable document is still checked, the others named, exit 2.
    let output = rampart(&[
        "check",
        "--policy",
        dir.join("policy.rampart").to_str().expect("UTF-8"),
        dir.to_str().expect("UTF-8"),
    ]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stdout}\n{stderr}");
    assert!(stdout.contains("a.json"), "{stdout}");
    assert!(
        format!("{stdout}{stderr}").contains("broken.json"),
        "{stdout}\n{stderr}"
    );
}

// ----- confinement -----

fn policy_set(dir: &Path, main: &str) -> Vec<(Code, String)> {
    write(&dir.join("root/main.rampart"), main);
    let files = DiskFiles::new(&dir.join("root"));
    let workspace = Workspace::load(&files, "main.rampart");
    let checked = rampart::check::check(&workspace);
    let fixtures = rampart::eval::testing::fixture_problems(&checked.program, &files);
    workspace
        .syntax_diagnostics()
        .cloned()
        .chain(checked.diagnostics)
        .chain(fixtures)
        .filter(|d| d.is_error())
        .map(|d| (d.code, d.message))
        .collect()
}

#[test]
fn use_cannot_leave_the_policy_root() {
    let dir = scratch("confine-use");
    write(&dir.join("outside.rampart"), "pillar q \"Q\"\n");
    write(&dir.join("root/sub/inner.rampart"), "pillar r \"R\"\n");
    std::os::unix::fs::symlink(dir.join("outside.rampart"), dir.join("root/link.rampart"))
        .expect("a link");
    std::os::unix::fs::symlink(&dir, dir.join("root/sub/up")).expect("a link");
    for path in [
        "../outside.rampart",
        "sub/../../outside.rampart",
        "/etc/passwd",
        "\\\\etc\\\\passwd",
        "C:/Windows/win.ini",
        "link.rampart",
        "sub/up/outside.rampart",
    ] {
        let errors = policy_set(&dir, &format!("use \"{path}\"\n{POLICY}"));
        assert_eq!(
            errors.iter().map(|e| e.0).collect::<Vec<_>>(),
            [Code::ImportOutsideRoot],
            "{path}: {errors:?}"
        );
    }
    // Inside the root, `..` that stays inside is fine.
    let errors = policy_set(&dir, &format!("use \"sub/../sub/inner.rampart\"\n{POLICY}"));
    assert!(errors.is_empty(), "{errors:?}");
    // A directory is not a policy file, and the message quotes the import as written.
    for path in [".", "sub/", "sub/.."] {
        let errors = policy_set(&dir, &format!("use \"{path}\"\n{POLICY}"));
        let expected = format!("cannot import \"{path}\": it names a directory, not a policy file");
        assert_eq!(errors, [(Code::ImportNotFound, expected)], "{path}");
    }
    // A link that leads outside is named as the cause.
    write(
        &dir.join("root/main.rampart"),
        &format!("use \"link.rampart\"\n{POLICY}"),
    );
    let workspace = Workspace::load(&DiskFiles::new(&dir.join("root")), "main.rampart");
    let help: Vec<&str> = (workspace.syntax_diagnostics())
        .filter_map(|d| d.help.as_deref())
        .collect();
    assert!(
        help.iter()
            .any(|h| h.contains("a symbolic link takes this import outside")),
        "{help:?}"
    );
}

#[test]
fn test_fixtures_cannot_leave_the_policy_root() {
    let dir = scratch("confine-given");
    write(&dir.join("secret.json"), "{\"staff\": {\"trained\": 9}}");
    write(
        &dir.join("root/fixtures/ok.json"),
        "{\"staff\": {\"trained\": 9}}",
    );
    std::os::unix::fs::symlink(dir.join("secret.json"), dir.join("root/fixtures/link.json"))
        .expect("a link");
    for path in [
        "../secret.json",
        "/etc/passwd",
        "fixtures/../../secret.json",
        "fixtures/link.json",
    ] {
        let main =
            format!("{POLICY}test \"t\" {{\n  given \"{path}\"\n  expect pass staff-trained\n}}\n");
        let errors = policy_set(&dir, &main);
        assert!(!errors.is_empty(), "{path}: no error");
        assert!(
            errors
                .iter()
                .all(|e| e.0 == Code::FixturePath || e.0 == Code::ImportOutsideRoot),
            "{path}: {errors:?}"
        );
        assert!(
            errors.iter().all(|e| !e.1.contains("\"trained\"")),
            "{path}: the fixture's content leaks: {errors:?}"
        );
    }
    let main = format!(
        "{POLICY}test \"t\" {{\n  given \"fixtures/ok.json\"\n  expect pass staff-trained\n}}\n"
    );
    assert!(policy_set(&dir, &main).is_empty());
}

// ----- injection -----

/// A document whose strings try to inject into every output format.
const HOSTILE_NAME: &str = "=HYPERLINK(\"http://x\") <script>alert(1)</script> | [a](javascript:x) ]]> \u{1b}[2J\u{1b}]0;pwn\u{7}\r\u{8}";

fn hostile_documents(dir: &Path) -> PathBuf {
    write(&dir.join("policy.rampart"), POLICY);
    let document = serde_json::json!({ "staff": { "trained": 1 }, "name": HOSTILE_NAME });
    write(&dir.join("docs/evil.json"), &document.to_string());
    dir.join("docs")
}

fn check_output(dir: &Path, format: &str) -> String {
    let policy = dir.join("policy.rampart");
    let docs = hostile_documents(dir);
    let output = rampart(&[
        "check",
        "--today",
        "2027-01-01",
        "--format",
        format,
        "--policy",
        policy.to_str().expect("UTF-8"),
        docs.to_str().expect("UTF-8"),
    ]);
    assert!(output.status.code().is_some_and(|c| c <= 1), "{output:?}");
    String::from_utf8(output.stdout).expect("UTF-8 output")
}

#[test]
fn human_check_output_does_not_replay_control_characters_from_a_document() {
    let text = check_output(&scratch("inject-human"), "human");
    assert!(text.contains("only 1 trained at"), "{text}");
    let controls: Vec<char> = text
        .chars()
        .filter(|c| c.is_control() && *c != '\n')
        .collect();
    assert!(
        controls.is_empty(),
        "control characters {controls:?} in:\n{text}"
    );
}

#[test]
fn junit_output_stays_well_formed_xml_with_hostile_strings() {
    let text = check_output(&scratch("inject-junit"), "junit");
    let parsed = roxmltree::Document::parse(&text);
    assert!(parsed.is_ok(), "{parsed:?}\n{text}");
}

fn hostile_comparison(format: &str) -> String {
    let dir = scratch(&format!("inject-compare-{format}"));
    let report = check_output(&dir, "json");
    let mut value: serde_json::Value = serde_json::from_str(&report).expect("a JSON report");
    value["documents"][0]["jurisdiction"] = HOSTILE_NAME.into();
    write(&dir.join("report.json"), &value.to_string());
    let output = rampart(&[
        "compare",
        "--format",
        format,
        dir.join("report.json").to_str().expect("UTF-8"),
    ]);
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    String::from_utf8(output.stdout).expect("UTF-8 output")
}

#[test]
fn compare_neutralises_formulas_in_csv_cells() {
    let text = hostile_comparison("csv");
    assert!(text.contains(",\"'=HYPERLINK("), "{text}");
    for prefix in ['=', '+', '-', '@'] {
        assert!(!text.contains(&format!(",{prefix}")), "{text}");
        assert!(!text.contains(&format!(",\"{prefix}")), "{text}");
    }
}

#[test]
fn compare_escapes_document_strings_in_html_markdown_and_the_table() {
    let html = hostile_comparison("html");
    assert!(!html.contains("<script>alert"), "raw script in the page");
    assert!(!html.contains('\u{1b}'));
    let markdown = hostile_comparison("markdown");
    assert!(!markdown.contains("<script>"), "{markdown}");
    assert!(!markdown.contains("](javascript:"), "{markdown}");
    assert!(!markdown.contains('\u{1b}'), "{markdown}");
    let table = hostile_comparison("table");
    assert!(
        !table.chars().any(|c| c.is_control() && c != '\n'),
        "{table:?}"
    );
}

// ----- faults -----

#[test]
fn a_full_disk_gives_a_clear_error_and_exit_2() {
    if !Path::new("/dev/full").exists() {
        return;
    }
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .expect("/dev/full opens");
    let output = Command::new(env!("CARGO_BIN_EXE_rampart"))
        .args([
            "compare",
            "--format",
            "json",
            "tests/fixtures/compare/worked.json",
        ])
        .stdout(full)
        .output()
        .expect("the binary runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.starts_with("error: cannot write"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn output_piped_into_a_reader_that_stops_early_ends_quietly() {
    for args in [
        &[
            "compare",
            "--format",
            "json",
            "tests/fixtures/compare/worked.json",
        ][..],
        &["norms", "--format", "json"][..],
        &[
            "check",
            "--today",
            "2027-01-01",
            "--format",
            "json",
            "examples",
        ][..],
    ] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_rampart"))
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the binary runs");
        let mut stdout = child.stdout.take().expect("piped");
        let mut first = [0u8; 16];
        let n = stdout.read(&mut first).expect("some output");
        assert!(n > 0, "{args:?}: no output");
        drop(stdout); // like `head -c 16`
        let output = child.wait_with_output().expect("it ends");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert!(!stderr.contains("Broken pipe"), "{args:?}: {stderr}");
    }
}

#[test]
fn a_killed_compare_leaves_the_old_output_or_the_complete_new_one() {
    let dir = scratch("killed");
    let target = dir.join("out.html");
    let old = "old report\n";
    let full = rampart(&[
        "compare",
        "--format",
        "html",
        "tests/fixtures/compare/worked.json",
    ]);
    assert_eq!(full.status.code(), Some(0));
    for delay_ms in [0, 1, 2, 5, 10, 20, 40] {
        write(&target, old);
        let mut child = Command::new(env!("CARGO_BIN_EXE_rampart"))
            .args(["compare", "--format", "html", "--output"])
            .arg(&target)
            .arg("tests/fixtures/compare/worked.json")
            .stderr(Stdio::null())
            .spawn()
            .expect("the binary runs");
        std::thread::sleep(Duration::from_millis(delay_ms));
        let _ = child.kill(); // SIGKILL: no clean-up runs
        let _ = child.wait();
        let now = std::fs::read(&target).expect("the target exists");
        assert!(
            now == old.as_bytes() || now == full.stdout,
            "after {delay_ms} ms: a partial file of {} bytes",
            now.len()
        );
    }
}

#[test]
fn sigint_stops_a_long_run_promptly() {
    let dir = scratch("sigint");
    let example = std::fs::read_to_string("examples/kestria.json").expect("an example");
    for i in 0..400 {
        write(&dir.join(format!("docs/{i:04}.json")), &example);
    }
    let child = Command::new(env!("CARGO_BIN_EXE_rampart"))
        .args(["check", "--today", "2027-01-01", "--format", "json"])
        .arg(dir.join("docs"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the binary runs");
    std::thread::sleep(Duration::from_millis(150));
    let sent = Instant::now();
    let status = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(status.success());
    let output = child.wait_with_output().expect("it ends");
    assert!(
        sent.elapsed() < Duration::from_secs(2),
        "took {:?}",
        sent.elapsed()
    );
    // Either it finished before the signal or the signal ended it.
    use std::os::unix::process::ExitStatusExt;
    assert!(
        output.status.signal() == Some(2) || output.status.code().is_some(),
        "{:?}",
        output.status
    );
}

// ----- fuzzing findings (docs/RELIABILITY.md) -----

/// `policy` target, minimised from `crash-3226699d…`: the invalid-UTF-8 diagnostic points at
/// the raw byte, whose shown text is the three-byte U+FFFD, so its span splits a character.
/// Rendering must still work and place it at line 1, column 1.
#[test]
fn an_invalid_utf8_span_inside_a_replacement_character_renders() {
    let outcome = common::load_text(b"\xff");
    assert_eq!(outcome.diagnostics[0].code, Code::InvalidUtf8);
    let human = outcome.render();
    assert!(human.contains("not valid UTF-8"), "{human}");
    let json = rampart::diagnostics::render_json(&outcome.diagnostics, &outcome.workspace);
    let text = json.to_string();
    assert!(text.contains("\"line\":1"), "{text}");
}

/// `config` target, minimised from `crash-a5cdebaa…`: YAML counts a lone carriage return as a
/// line break, so a syntax error after them is placed on a line the `\n` count does not reach.
/// The position stays within the YAML line count.
#[test]
fn yaml_positions_count_lone_carriage_returns_as_lines() {
    let text = "a: \"x\r\r\r\"\n  b: [\n";
    let error = config::parse(text, Format::Yaml).expect_err("not YAML");
    let (line, _) = error.position.expect("a position");
    assert!(
        (1..=text.matches(['\n', '\r']).count() + 1).contains(&line),
        "{error:?}"
    );
}

/// The line and column of each problem of `text` (a document whose lines end in `\n`) written
/// with its lines ending in `line_break` instead.
fn problem_positions(text: &str, format: Format, line_break: &str) -> Vec<(usize, usize)> {
    let text = text.replace('\n', line_break);
    let document = config::from_text(&library(), Path::new("doc"), &text, format);
    (document.problems.iter())
        .map(|p| {
            p.position
                .unwrap_or_else(|| panic!("{line_break:?}: {p} unplaced"))
        })
        .collect()
}

/// Old Mac files end their lines in a lone `\r`, which policy files, YAML and the language
/// server count as a line break: a document's problems are placed on the same line and column
/// whichever line break it is written with, a JSON syntax error too.
#[test]
fn document_positions_count_lone_carriage_returns_and_crlf_as_line_breaks() {
    let json = "{\n  \"jurisdiction\": {\"id\": \"x\", \"name\": \"X\"},\n  \"election\": {\"date\": \"2027-03-18\"},\n  \"staff\": {\n    \"security_specialists\": \"é\",\n    \"trainedd\": 1\n  }\n}\n";
    let yaml = "jurisdiction: {id: x, name: X}\nelection:\n  date: 2027-03-18\nstaff:\n  security_specialists: é\n  trainedd: 1\n";
    let broken = "{\n  \"jurisdiction\": {\"id\": \"é\",\n  \"name\" \"X\"}\n}\n";
    for (text, format, expected) in [
        (json, Format::Json, &[(5, 5), (6, 5)][..]),
        (yaml, Format::Yaml, &[(5, 3), (6, 3)][..]),
        (broken, Format::Json, &[(3, 10)][..]),
    ] {
        for line_break in ["\n", "\r\n", "\r"] {
            assert_eq!(
                problem_positions(text, format, line_break),
                expected,
                "{format:?} with {line_break:?}"
            );
        }
    }
}

/// `policy` target (smoke run), minimised from `crash-0d01ccf7…`: a `\u` escape whose next
/// four bytes end inside a non-ASCII character panicked the lexer (a string slice off a
/// character boundary). It is an invalid escape.
#[test]
fn a_unicode_escape_running_into_a_non_ascii_character_is_an_invalid_escape() {
    let outcome = common::load_text("pillar p \"\\u0ικ\"\n".as_bytes());
    assert_eq!(
        outcome
            .diagnostics
            .iter()
            .map(|d| d.code)
            .collect::<Vec<_>>(),
        [Code::InvalidEscape],
        "{}",
        outcome.render()
    );
}

/// `lsp` target, minimised from `crash-a26158c6…` to `fuzz-findings/7`: a root field declared
/// twice shifted the indices of the root fields after it, so a `ref` to a later root field
/// indexed past the end of the schema (index out of bounds in `validate_refs`). The duplicate
/// is reported and the `ref` still names its list.
#[test]
fn a_ref_after_a_duplicated_root_field_is_resolved_by_name() {
    let outcome =
        common::load_text(b"schema { a: int  a: int  t: ref s  s: [S] }\ntype S { id: string }\n");
    let codes: Vec<Code> = outcome.diagnostics.iter().map(|d| d.code).collect();
    assert!(codes.contains(&Code::Duplicate), "{}", outcome.render());
    assert!(!codes.contains(&Code::BadRef), "{}", outcome.render());
}

/// `config` target, minimised from `crash-6849c460…`: a duplicate key in a YAML flow mapping
/// whose first key is tagged (`!-`) passes serde-saphyr's own duplicate check and is refused
/// by ours, whose error carried no line and column. Every syntax error is located.
#[test]
fn a_duplicate_tagged_yaml_key_is_a_located_syntax_error() {
    for text in ["{!- b,b}", "{!x b: 1, b: 2}\n"] {
        let error = config::parse(text, Format::Yaml).expect_err("a duplicate key");
        assert!(error.message.contains("duplicate"), "{error:?}");
        let (line, column) = error.position.expect("a position");
        assert!(
            line == 1 && (1..=text.len() + 1).contains(&column),
            "{error:?}"
        );
    }
}

/// `config` target (third session), minimised from `crash-fd18b601…`: a repeated key in a flow
/// mapping whose keys are tagged and which ends in an empty tagged node: the positions reader
/// refuses the document, so the error had no position. It is found in the text.
#[test]
fn a_duplicate_key_the_positions_reader_refuses_is_located_in_the_text() {
    let text = "{t,of election i---tacions Act,!y of election i---tacions Act,!}";
    let error = config::parse(text, Format::Yaml).expect_err("a duplicate key");
    assert!(error.message.contains("duplicate"), "{error:?}");
    assert_eq!(error.position, Some((1, 35)), "{error:?}");
}

/// `policy_roundtrip` target, minimised from `crash-6d6245a4…`: a `///` line that no field
/// took (a comma stood between it and the next field) was written at the end of the previous
/// line, or on its own line, without the comma, and the next parse read it as the next field's
/// doc comment: formatting changed the tree and was not idempotent. A comma is now transparent
/// to doc comments, so the line documents the next field both before and after formatting.
#[test]
fn a_doc_comment_before_a_comma_documents_the_next_field_before_and_after_formatting() {
    fn tree(text: &str) -> String {
        let parsed = rampart::syntax::parse(rampart::syntax::FileId(0), text);
        let dump = format!("{:?}", parsed.file.items);
        let mut out = String::new();
        let mut rest = dump.as_str();
        while let Some(start) = rest.find("Span {") {
            out.push_str(&rest[..start]);
            let end = rest[start..]
                .find('}')
                .map_or(rest.len(), |close| start + close + 1);
            rest = &rest[end..];
        }
        out + rest
    }
    for input in ["type d{d:e///\n,i:i}", "type d{d:e\n/// x\n,i:i}\n"] {
        let once = rampart::fmt::format_source(input).expect("formats");
        let twice = rampart::fmt::format_source(&once).expect("the output formats");
        assert_eq!(once, twice, "not idempotent for {input:?}");
        assert_eq!(tree(input), tree(&once), "tree changed:\n{once}");
    }
}

#[test]
fn an_id_too_long_for_a_table_column_is_cut_and_every_document_is_reported() {
    let dir = scratch("long-id");
    let long = format!(
        r#"{{"jurisdiction": {{"id": "{}", "name": "Long"}}, "election": {{"date": "2027-01-01"}}}}"#,
        "x".repeat(70_000)
    );
    write(&dir.join("a-long.json"), &long);
    write(
        &dir.join("b-wide.json"),
        r#"{"jurisdiction": {"id": "桜国", "name": "Sakura"}, "election": {"date": "2027-01-01"}}"#,
    );
    let output = rampart(&["check", dir.to_str().expect("a UTF-8 path")]);
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let stdout = String::from_utf8_lossy(&output.stdout);
    // The last two rows of the table, before the note that unknown results do not fail the run.
    let rows: Vec<&str> = stdout.lines().rev().skip(1).take(2).collect();
    assert!(
        stdout.ends_with("--strict fails unknown results\n"),
        "{stdout}"
    );
    // Both rows are cut or padded to the same columns (桜国 takes four).
    assert!(
        rows[1].starts_with(&format!("{}…  ", "x".repeat(39))),
        "{stdout}"
    );
    assert!(
        rows[0].starts_with(&format!("桜国{}  ", " ".repeat(36))),
        "{stdout}"
    );
}

#[cfg(unix)]
#[test]
fn pipes_and_devices_among_the_documents_are_refused_unread_and_the_run_goes_on() {
    let dir = scratch("not-files");
    std::fs::copy("examples/castellan.json", dir.join("a.json")).expect("a copy");
    let fifo = dir.join("fifo.json");
    let made = Command::new("mkfifo").arg(&fifo).status();
    assert!(made.is_ok_and(|status| status.success()), "mkfifo");
    std::os::unix::fs::symlink("/dev/zero", dir.join("zero.yaml")).expect("a link");
    let dir_arg = dir.to_str().expect("a UTF-8 path");
    let output = Command::new(env!("CARGO_BIN_EXE_rampart"))
        .args(["check", dir_arg, "/dev/zero", "--format", "json"])
        .stdin(Stdio::null())
        .output()
        .expect("the binary runs");
    assert_eq!(output.status.code(), Some(2));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("a report");
    let documents = report["documents"].as_array().expect("documents");
    let refused: Vec<&str> = documents
        .iter()
        .filter(|d| {
            d["problems"][0]["message"].as_str()
                == Some("not a regular file (a pipe or a device is not read)")
        })
        .filter_map(|d| d["path"].as_str())
        .collect();
    assert_eq!(refused.len(), 3, "{refused:?}");
    assert!(documents.iter().any(|d| d["jurisdiction"] == "castellan"));
    // `fmt` does not wait on a pipe either.
    let policies = dir.join("policies");
    std::fs::create_dir_all(&policies).expect("a directory");
    let made = Command::new("mkfifo")
        .arg(policies.join("main.rampart"))
        .status();
    assert!(made.is_ok_and(|status| status.success()), "mkfifo");
    let output = rampart(&["fmt", "--check", policies.to_str().expect("a UTF-8 path")]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("not a regular file"));
}

#[test]
fn a_document_that_starts_with_a_byte_order_mark_is_read() {
    let dir = scratch("bom");
    let text = std::fs::read_to_string("examples/castellan.json").expect("an example");
    write(&dir.join("bom.json"), &format!("\u{feff}{text}"));
    let output = rampart(&["check", dir.to_str().expect("a UTF-8 path")]);
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("castellan  "), "{stdout}");
}

#[cfg(unix)]
#[test]
fn compare_does_not_replay_control_characters_from_a_file_name() {
    let dir = scratch("escape-name");
    write(
        &dir.join("bad\u{1b}]0;title\u{7}.json"),
        r#"{"jurisdiction": {"id": "x", "name": "X", "region": ["a"]}, "election": {"date": "2027-01-01"}}"#,
    );
    let output = rampart(&["compare", dir.to_str().expect("a UTF-8 path")]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("bad\\u{1b}]0;title\\u{7}.json"), "{stderr}");
    assert!(!stderr.contains(['\u{1b}', '\u{7}']), "{stderr}");
}

/// Castellan's example with `staff.security_specialists` (an int field of the schema, a
/// `count`) written as `number`, loaded through the library.
fn castellan_with_specialists(program: &Program, number: &str) -> config::Document {
    let text = std::fs::read_to_string("examples/castellan.json").expect("an example");
    let doc = text.replacen(
        "\"security_specialists\": 7",
        &format!("\"security_specialists\": {number}"),
        1,
    );
    assert!(doc != text, "the example has the field");
    config::from_text(program, Path::new("x.json"), &doc, Format::Json)
}

#[test]
fn an_int_field_refuses_numbers_too_large_to_be_exact() {
    let program = library();
    for (number, valid) in [
        ("9007199254740992", true),
        ("1e2", true),
        ("9007199254740993", false),
        ("-9007199254740993", false),
        ("9007199254740994", false),
        ("18446744073709551616", false),
        ("1e300", false),
        // Judged as written, not as the `f64` they round to (2^53).
        ("9007199254740993.0", false),
        ("9.007199254740993e15", false),
        ("-9007199254740993.0", false),
        ("9007199254740992.0", true),
        ("9.007199254740992E+15", true),
        ("4503599627370496.5", false),
    ] {
        let document = castellan_with_specialists(&program, number);
        let wrong = (document.problems.iter()).any(|p| p.kind == ProblemKind::WrongType);
        assert_eq!(wrong, !valid, "{number}: {:?}", document.problems);
    }
}

/// A whole number written with a decimal point or an exponent, in JSON or YAML, is refused as
/// an integer beyond 2^53 is: located, with the bound and why.
#[test]
fn an_int_field_refuses_a_decimal_point_or_exponent_hiding_a_number_too_large() {
    let program = library();
    let yaml = std::fs::read_to_string("examples/tavaro.yaml").expect("an example");
    let line = 1 + yaml[..yaml.find("security_specialists: 1").expect("the field")]
        .matches('\n')
        .count();
    for (document, position) in [
        (
            castellan_with_specialists(&program, "9007199254740993.0"),
            None,
        ),
        (
            config::from_text(
                &program,
                Path::new("x.yaml"),
                &yaml.replacen(
                    "security_specialists: 1",
                    "security_specialists: 9.007199254740993e15",
                    1,
                ),
                Format::Yaml,
            ),
            Some((line, 3)),
        ),
    ] {
        let errors: Vec<_> = (document.problems.iter())
            .filter(|p| p.severity() == rampart::diagnostics::Severity::Error)
            .collect();
        assert_eq!(errors.len(), 1, "{:?}", document.problems);
        let problem = errors[0];
        assert_eq!(
            problem.to_string(),
            "error[rampart::config::wrong-type]: staff.security_specialists: too large: a count must lie between 0 and 9007199254740992"
        );
        assert!(
            (problem.help.as_deref()).is_some_and(|h| h.contains("exactly only up to 2^53")),
            "{problem:?}"
        );
        assert!(problem.position.is_some(), "{problem:?}");
        if position.is_some() {
            assert_eq!(problem.position, position);
        }
    }
}

#[test]
fn a_json_lines_line_that_is_not_utf8_is_one_document_and_the_stream_goes_on() {
    let dir = scratch("jsonl-utf8");
    let text = std::fs::read_to_string("examples/castellan.json").expect("an example");
    let line = serde_json::to_string(&serde_json::from_str::<serde_json::Value>(&text).unwrap())
        .expect("one line");
    let mut stream = format!("{line}\n").into_bytes();
    stream.extend_from_slice(b"{\"jurisdiction\": \"\xff\"}\n");
    stream.extend_from_slice(format!("{line}\n").as_bytes());
    let path = dir.join("states.jsonl");
    std::fs::write(&path, stream).expect("a scratch file");
    let output = rampart(&[
        "check",
        path.to_str().expect("a UTF-8 path"),
        "--format",
        "json",
    ]);
    assert_eq!(output.status.code(), Some(2));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("a report");
    let documents = report["documents"].as_array().expect("documents");
    let evaluated: Vec<bool> = (documents.iter())
        .map(|d| d["evaluated"].as_bool().unwrap_or(false))
        .collect();
    assert_eq!(evaluated, [true, false, true], "{report}");
    let message = documents[1]["problems"][0]["message"]
        .as_str()
        .unwrap_or_default();
    assert!(message.contains("line 2: not valid UTF-8"), "{message}");
    assert_eq!(
        documents[1]["problems"][0]["help"],
        "is the line cut short inside a character, or was the file saved in another encoding? \
         Write it again as UTF-8"
    );
}

#[test]
fn a_count_field_refuses_a_negative_number_that_could_pass_a_norm() {
    let program = library();
    for (number, valid) in [("0", true), ("12", true), ("-1", false), ("2.5", false)] {
        let document = castellan_with_specialists(&program, number);
        let problem = (document.problems.iter()).find(|p| p.kind == ProblemKind::WrongType);
        assert_eq!(
            problem.is_none(),
            valid,
            "{number}: {:?}",
            document.problems
        );
        if let Some(problem) = problem {
            assert!(problem.message.contains("0 or more"), "{problem:?}");
        }
    }
}

#[test]
fn an_int_setting_refuses_a_decimal_point_or_exponent_hiding_a_number_too_large() {
    for (value, refused) in [
        ("9007199254740993.0", true),
        ("9.007199254740993e15", true),
        ("1e300", true),
        ("9007199254740992.0", false),
        ("1e3", false),
    ] {
        let set = format!("min_security_specialists={value}");
        let output = rampart(&[
            "check",
            "--set",
            &set,
            "--today",
            "2027-03-01",
            "examples/castellan.json",
        ]);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(
            output.status.code() == Some(2),
            refused,
            "{value}: {stderr}"
        );
        if refused {
            assert!(
                stderr.contains(&format!("`{value}` is not a valid count"))
                    && stderr.contains(
                        "whole numbers must lie between -9007199254740992 and 9007199254740992"
                    ),
                "{stderr}"
            );
        }
    }
}

#[test]
fn a_count_parameter_refuses_a_negative_setting() {
    let output = rampart(&[
        "check",
        "--set",
        "min_security_specialists=-1",
        "examples/castellan.json",
    ]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("not a valid count"), "{stderr}");
}

/// A pipe whose reading end is already closed: writing to the other end fails (`EPIPE`).
#[cfg(unix)]
fn pipe_without_reader() -> Stdio {
    use std::os::fd::FromRawFd;
    let mut ends = [0; 2];
    // SAFETY: `pipe` fills `ends` with two new descriptors, which are ours to close or own.
    unsafe {
        assert_eq!(libc::pipe(ends.as_mut_ptr()), 0, "a pipe");
        libc::close(ends[0]);
        Stdio::from(std::os::fd::OwnedFd::from_raw_fd(ends[1]))
    }
}

#[cfg(unix)]
#[test]
fn a_closed_standard_error_does_not_turn_the_exit_code_into_a_panic() {
    let dir = scratch("closed-stderr");
    let empty = dir.join("states.jsonl");
    write(&empty, "");
    let bad = dir.join("bad.rampart");
    write(&bad, "norm {");
    for args in [
        vec!["check", empty.to_str().expect("UTF-8")],
        vec!["validate", "--policy", bad.to_str().expect("UTF-8")],
        vec!["fmt", "--check", bad.to_str().expect("UTF-8")],
    ] {
        let output = Command::new(env!("CARGO_BIN_EXE_rampart"))
            .args(&args)
            .stderr(pipe_without_reader())
            .output()
            .expect("rampart runs");
        assert_eq!(output.status.code(), Some(2), "{args:?}: {output:?}");
    }
}

/// Thousands of items naming missing ids: each distinct id is looked up once, and only the
/// first 200 distinct ones are compared with every id of the list (the rest get the general
/// help), so the warnings of such a document take no longer than its evaluation.
#[test]
fn many_references_to_missing_ids_look_for_the_closest_id_a_bounded_number_of_times() {
    let text = std::fs::read_to_string("examples/castellan.json").expect("an example");
    let mut doc: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    let template = doc["systems"][0].clone();
    let systems: Vec<serde_json::Value> = (0..1000)
        .map(|i| {
            let mut system = template.clone();
            system["id"] = serde_json::json!(format!("sys-{i:04}"));
            // A typo of the next system's id, then a wrong id repeated by every system.
            let typo = format!("sys-{:04}x", i + 1);
            system["network"]["connected_to"] = serde_json::json!([typo, "sys-0000x"]);
            system
        })
        .collect();
    doc["systems"] = serde_json::json!(systems);
    let text = serde_json::to_string(&doc).expect("JSON");
    let document = config::from_text(&library(), Path::new("x.json"), &text, Format::Json);
    let helps: Vec<(String, String)> = (document.problems.iter())
        .filter(|p| p.kind == ProblemKind::DanglingReference)
        .filter(|p| config::display_path(&p.path).starts_with("systems["))
        .map(|p| {
            (
                config::display_path(&p.path),
                p.help.clone().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(helps.len(), 2000, "two warnings per system");
    let help_of = |path: &str| &helps.iter().find(|(p, _)| p == path).expect(path).1;
    assert_eq!(
        help_of("systems[0].network.connected_to[0]"),
        "did you mean \"sys-0001\"?"
    );
    assert_eq!(
        help_of("systems[0].network.connected_to[1]"),
        "did you mean \"sys-0000\"?"
    );
    assert_eq!(
        help_of("systems[998].network.connected_to[1]"),
        "did you mean \"sys-0000\"?"
    );
    assert_eq!(
        help_of("systems[998].network.connected_to[0]"),
        "add an item with this id to systems, or use one of its ids",
        "past 200 distinct missing ids, no search for the closest"
    );
}

#[test]
fn a_reference_to_no_item_is_a_located_warning_with_the_closest_id() {
    let text = std::fs::read_to_string("examples/castellan.json").expect("an example");
    let mut doc: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    doc["systems"][0]["vendor"] = serde_json::json!("ca-v-orisn");
    doc["systems"][1]["network"]["connected_to"] = serde_json::json!(["ghost"]);
    let text = serde_json::to_string_pretty(&doc).expect("JSON");
    let program = library();
    for format in [Format::Json, Format::Yaml] {
        let document = config::from_text(&program, Path::new("x.json"), &text, format);
        let found: Vec<(String, Option<String>)> = (document.problems.iter())
            .filter(|p| p.kind == ProblemKind::DanglingReference)
            .map(|p| (config::display_path(&p.path), p.help.clone()))
            .collect();
        assert_eq!(found.len(), 2, "{format:?}: {:?}", document.problems);
        assert_eq!(found[0].0, "systems[0].vendor");
        assert_eq!(found[0].1.as_deref(), Some("did you mean \"ca-v-orison\"?"));
        assert_eq!(found[1].0, "systems[1].network.connected_to[0]");
        assert!(document.doc.is_some(), "a warning does not stop evaluation");
    }
}
