//! `rampart check` output formats end to end: golden snapshots of each format on the fixture
//! jurisdictions of `tests/data/`, SARIF validated against the official 2.1.0 schema (read from
//! the `serde-sarif` crate source in the cargo registry), JUnit counts per suite.

use std::path::PathBuf;
use std::process::{Command, Output};

use serde_json::Value as Json;

/// The fixture documents, evaluated on a fixed date with the embedded library.
const FIXTURES: [&str; 2] = ["tests/data/kestria.json", "tests/data/tavaro.yaml"];
const TODAY: &str = "2027-03-08";

fn rampart(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rampart"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("the binary runs")
}

/// `check --format FORMAT` over the fixtures: its exit code and standard output.
fn check_fixtures(format: &str) -> (Option<i32>, String) {
    let mut args = vec!["check", "--today", TODAY, "--format", format];
    args.extend(FIXTURES);
    let output = rampart(&args);
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
    )
}

/// The SARIF 2.1.0 schema shipped in the `serde-sarif` package this build resolved.
fn sarif_schema() -> Json {
    let output = Command::new(env!("CARGO"))
        .args(["metadata", "--format-version", "1"])
        .output()
        .expect("cargo metadata runs");
    let metadata: Json = serde_json::from_slice(&output.stdout).expect("cargo metadata is JSON");
    let manifest = metadata["packages"]
        .as_array()
        .expect("packages is a list")
        .iter()
        .find(|p| p["name"] == "serde-sarif")
        .and_then(|p| p["manifest_path"].as_str())
        .expect("serde-sarif is a dependency");
    let path = PathBuf::from(manifest)
        .parent()
        .expect("a manifest has a directory")
        .join("src/schema.json");
    let text = std::fs::read_to_string(&path).expect("serde-sarif ships src/schema.json");
    let mut schema: Json = serde_json::from_str(&text).expect("the SARIF schema is JSON");
    fix_language_pattern(&mut schema);
    schema
}

/// The official schema's `language` patterns (of `run` and `toolComponent`) have a stray `]`
/// (`^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$`), which the meta-schema's `regex` format check
/// refuses, so the schema would not compile. The intended pattern (a language tag such as `en`
/// or `en-US`) replaces it in memory; Rampart writes no `language`.
fn fix_language_pattern(schema: &mut Json) {
    const BROKEN: &str = "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$";
    match schema {
        Json::Object(object) => {
            for (key, value) in object.iter_mut() {
                if key == "pattern" && *value == BROKEN {
                    *value = Json::from("^[a-zA-Z]{2}(-[a-zA-Z]{2})?$");
                } else {
                    fix_language_pattern(value);
                }
            }
        }
        Json::Array(items) => items.iter_mut().for_each(fix_language_pattern),
        _ => {}
    }
}

#[test]
fn sarif_output_matches_the_snapshot() {
    let (code, text) = check_fixtures("sarif");
    assert_eq!(code, Some(1));
    insta::assert_snapshot!(text);
}

#[test]
fn sarif_output_validates_against_the_sarif_2_1_0_schema() {
    let (_, text) = check_fixtures("sarif");
    let log: Json = serde_json::from_str(&text).expect("SARIF output is JSON");
    let validator = jsonschema::draft7::new(&sarif_schema()).expect("the SARIF schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(&log)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let results = log["runs"][0]["results"].as_array().expect("results");
    assert!(!results.is_empty());
}

#[test]
fn sarif_reports_a_document_that_cannot_be_evaluated_at_its_problem() {
    let dir = temp_dir();
    let broken = dir.path().join("broken.json");
    std::fs::write(
        &broken,
        "{\n  \"jurisdiction\": {\"id\": \"x\"},\n  \"legal\": [1,\n",
    )
    .expect("a file");
    let args = ["check", "--today", TODAY, "--format", "sarif", FIXTURES[0]];
    let output = rampart(&[&args[..], &[&*broken.to_string_lossy()]].concat());
    assert_eq!(output.status.code(), Some(2));
    let log: Json = serde_json::from_slice(&output.stdout).expect("SARIF output is JSON");
    let validator = jsonschema::draft7::new(&sarif_schema()).expect("the SARIF schema compiles");
    assert!(validator.is_valid(&log));
    let run = &log["runs"][0];
    let results = run["results"].as_array().expect("results");
    let problem = (results.iter())
        .find(|r| r["ruleId"] == "rampart::config::syntax")
        .expect("the syntax error is a result");
    assert_eq!(problem["level"], "error");
    let location = &problem["locations"][0]["physicalLocation"];
    assert!(
        location["artifactLocation"]["uri"]
            .as_str()
            .is_some_and(|u| u.ends_with("broken.json"))
    );
    assert_eq!(location["region"]["startLine"], 4);
    let index = problem["ruleIndex"].as_u64().expect("a rule index") as usize;
    assert_eq!(
        run["tool"]["driver"]["rules"][index]["id"],
        "rampart::config::syntax"
    );
}

#[test]
fn a_sarif_message_quotes_a_dozen_evidence_lines_and_counts_the_rest() {
    let dir = temp_dir();
    let policy = "source s { title \"S\" }\npillar p \"P\"\nschema { systems: [System] }\ntype System { id: string  ok: bool }\nnorm all-ok {\n  title \"Every system is ok\"  pillar p  severity high  cites s\n  require all s in systems: s.ok\n}\n";
    std::fs::write(dir.path().join("main.rampart"), policy).expect("a policy");
    let systems: Vec<Json> = (0..30)
        .map(|i| serde_json::json!({ "id": format!("s{i}"), "ok": false }))
        .collect();
    let document = dir.path().join("many.json");
    let text = serde_json::to_string(&serde_json::json!({ "systems": systems })).expect("JSON");
    std::fs::write(&document, text).expect("a document");
    let policy = dir.path().to_string_lossy();
    let args = ["check", "--format", "sarif", "--policy", &policy];
    let output = rampart(&[&args[..], &[&*document.to_string_lossy()]].concat());
    let log: Json = serde_json::from_slice(&output.stdout).expect("SARIF output is JSON");
    let message = log["runs"][0]["results"][0]["message"]["text"]
        .as_str()
        .expect("a message");
    assert!(
        message.contains("systems[11]") && !message.contains("systems[12]"),
        "{message}"
    );
    assert!(
        message.ends_with("; and 18 more (the JSON and human reports list them)"),
        "{message}"
    );
}

#[test]
fn sarif_results_point_at_the_evidence_value() {
    let (_, text) = check_fixtures("sarif");
    let log: Json = serde_json::from_str(&text).expect("SARIF output is JSON");
    let located: Vec<String> = log["runs"][0]["results"]
        .as_array()
        .expect("results")
        .iter()
        .filter(|r| r["ruleId"] == "risk-register-owners")
        .map(|r| {
            let at = &r["locations"][0]["physicalLocation"];
            format!(
                "{}:{}:{} {}",
                at["artifactLocation"]["uri"].as_str().unwrap_or("?"),
                at["region"]["startLine"],
                at["region"]["startColumn"],
                r["level"].as_str().unwrap_or("?"),
            )
        })
        .collect();
    insta::assert_debug_snapshot!(located);
}

/// `uri:line:column message` of each related location of a SARIF result.
fn related(result: &Json) -> Vec<String> {
    let list = result["relatedLocations"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    (list.iter().enumerate())
        .map(|(i, location)| {
            assert_eq!(location["id"], i + 1, "ids from 1");
            let at = &location["physicalLocation"];
            format!(
                "{}:{}:{} {}",
                at["artifactLocation"]["uri"].as_str().unwrap_or("?"),
                at["region"]["startLine"],
                at["region"]["startColumn"],
                location["message"]["text"].as_str().unwrap_or("?"),
            )
        })
        .collect()
}

/// `uri:line:column` of a result's primary location.
fn primary(result: &Json) -> String {
    let at = &result["locations"][0]["physicalLocation"];
    let uri = at["artifactLocation"]["uri"].as_str().unwrap_or("?");
    format!(
        "{uri}:{}:{}",
        at["region"]["startLine"], at["region"]["startColumn"]
    )
}

#[test]
fn sarif_results_relate_the_other_evidence_values_they_quote() {
    let (_, text) = check_fixtures("sarif");
    let log: Json = serde_json::from_str(&text).expect("SARIF output is JSON");
    let results = log["runs"][0]["results"].as_array().expect("results");
    let mut with_related = 0;
    for result in results {
        let related = related(result);
        let here = primary(result);
        assert!(
            related.iter().all(|r| !r.starts_with(&format!("{here} "))),
            "{related:?}"
        );
        assert!(
            related.iter().all(|r| !r.contains(".rampart:")),
            "no policy file of the embedded library"
        );
        with_related += usize::from(!related.is_empty());
    }
    assert!(with_related > 0, "some result quotes several values");
    let owners = (results.iter())
        .find(|r| r["ruleId"] == "risk-register-owners")
        .expect("the risk register fails in kestria");
    insta::assert_debug_snapshot!((primary(owners), related(owners)));
}

#[test]
fn sarif_results_relate_the_norm_declared_in_a_policy_on_disk() {
    let mut args = vec![
        "check", "--policy", "policies", "--today", TODAY, "--format", "sarif",
    ];
    args.extend(FIXTURES);
    let output = rampart(&args);
    let log: Json = serde_json::from_slice(&output.stdout).expect("SARIF output is JSON");
    let validator = jsonschema::draft7::new(&sarif_schema()).expect("the SARIF schema compiles");
    assert!(validator.is_valid(&log));
    let results = log["runs"][0]["results"].as_array().expect("results");
    let (_, embedded) = check_fixtures("sarif");
    let embedded: Json = serde_json::from_str(&embedded).expect("SARIF output is JSON");
    assert_eq!(
        results.len(),
        embedded["runs"][0]["results"]
            .as_array()
            .map_or(0, Vec::len)
    );
    for result in results.iter().filter(|r| {
        r["ruleId"]
            .as_str()
            .is_some_and(|id| !id.starts_with("rampart::"))
    }) {
        let norm = result["ruleId"].as_str().expect("a norm id");
        let related = result["relatedLocations"]
            .as_array()
            .expect("related locations");
        let declared = related.last().expect("the declaration comes last");
        assert_eq!(
            declared["message"]["text"],
            format!("norm {norm} is declared here")
        );
        let at = &declared["physicalLocation"];
        let uri = at["artifactLocation"]["uri"].as_str().expect("a URI");
        assert!(uri.starts_with("policies/pillars/"), "{uri}");
        let line = at["region"]["startLine"].as_u64().expect("a line") as usize;
        let column = at["region"]["startColumn"].as_u64().expect("a column") as usize;
        let text = std::fs::read_to_string(uri).expect("the policy file");
        let line_text = text.lines().nth(line - 1).expect("the line");
        assert_eq!(
            line_text.get(column - 1..),
            Some(&format!("{norm} {{")[..]),
            "{uri}:{line}"
        );
    }
}

/// Per suite: (name, tests, failures, errors, skipped).
type SuiteCounts = (String, usize, usize, usize, usize);

fn junit_counts(xml: &str) -> Vec<SuiteCounts> {
    let document = roxmltree::Document::parse(xml).expect("JUnit output is XML");
    document
        .descendants()
        .filter(|n| n.has_tag_name("testsuite"))
        .map(|suite| {
            let cases: Vec<_> = suite
                .children()
                .filter(|n| n.has_tag_name("testcase"))
                .collect();
            let with = |tag: &str| {
                cases
                    .iter()
                    .filter(|c| c.children().any(|n| n.has_tag_name(tag)))
                    .count()
            };
            (
                suite.attribute("name").unwrap_or("?").to_string(),
                cases.len(),
                with("failure"),
                with("error"),
                with("skipped"),
            )
        })
        .collect()
}

#[test]
fn junit_output_matches_the_snapshot() {
    let (code, text) = check_fixtures("junit");
    assert_eq!(code, Some(1));
    insta::assert_snapshot!(text);
}

#[test]
fn junit_output_has_a_suite_per_jurisdiction_with_counts_matching_the_json_report() {
    let (_, xml) = check_fixtures("junit");
    let (_, json) = check_fixtures("json");
    let report: Json = serde_json::from_str(&json).expect("JSON report");
    let expected: Vec<SuiteCounts> = report["documents"]
        .as_array()
        .expect("documents")
        .iter()
        .map(|d| {
            let n = |key: &str| d["summary"][key].as_u64().unwrap_or(0) as usize;
            let total = d["results"].as_array().map_or(0, Vec::len);
            let skipped = n("not-applicable") + n("waived") + n("unknown");
            let name = d["jurisdiction"].as_str().unwrap_or("?").to_string();
            (name, total, n("fail"), n("error"), skipped)
        })
        .collect();
    assert_eq!(junit_counts(&xml), expected);
    insta::assert_debug_snapshot!(junit_counts(&xml));
}

#[test]
fn junit_suites_and_cases_carry_a_time() {
    let (_, xml) = check_fixtures("junit");
    let document = roxmltree::Document::parse(&xml).expect("JUnit output is XML");
    let elements: Vec<_> = (document.descendants())
        .filter(|n| ["testsuites", "testsuite", "testcase"].contains(&n.tag_name().name()))
        .collect();
    assert!(elements.len() > 3, "{xml}");
    for element in elements {
        assert_eq!(
            element.attribute("time"),
            Some("0.000"),
            "{:?} {:?}",
            element.tag_name().name(),
            element.attribute("name")
        );
    }
}

/// A fresh temporary directory.
fn temp_dir() -> tempfile::TempDir {
    tempfile::tempdir().expect("a temporary directory")
}

/// Writes `n` documents into `dir`, varying the JSON examples (id and name), named so that
/// their sorted order is their generation order.
fn generate_documents(dir: &std::path::Path, n: usize) -> Vec<PathBuf> {
    let mut examples: Vec<Json> = ["castellan", "kestria", "lumeira", "norrvale", "ossmark"]
        .iter()
        .map(|name| {
            let text = std::fs::read_to_string(format!("examples/{name}.json")).expect("example");
            serde_json::from_str(&text).expect("example is JSON")
        })
        .collect();
    (0..n)
        .map(|index| {
            let n_examples = examples.len();
            let doc = &mut examples[index % n_examples];
            let base = doc["jurisdiction"]["id"]
                .as_str()
                .unwrap_or("j")
                .to_string();
            let base = base.split('-').next().unwrap_or("j").to_string();
            doc["jurisdiction"]["id"] = Json::from(format!("{base}-{index:05}"));
            doc["jurisdiction"]["name"] = Json::from(format!("Generated {index}"));
            let path = dir.join(format!("doc-{index:05}.json"));
            let text = serde_json::to_string_pretty(doc).expect("serialisable");
            std::fs::write(&path, text).expect("a generated document");
            path
        })
        .collect()
}

#[test]
fn json_report_is_byte_identical_with_one_and_two_threads() {
    let dir = temp_dir();
    let docs = dir.path().join("docs");
    std::fs::create_dir(&docs).expect("a docs directory");
    generate_documents(&docs, 2000);
    let report = |jobs: &str| {
        let out = dir.path().join(format!("report-{jobs}.json"));
        let docs = docs.to_string_lossy();
        let out_arg = out.to_string_lossy();
        let args = [
            "check", "--today", TODAY, "--format", "json", "--jobs", jobs,
        ];
        let output = rampart(&[&args[..], &["-o", &out_arg, &docs]].concat());
        assert_eq!(output.status.code(), Some(1), "{output:?}");
        std::fs::read(&out).expect("the report was written")
    };
    let one = report("1");
    let two = report("2");
    assert!(one == two, "reports differ between --jobs 1 and --jobs 2");
    let parsed: Json = serde_json::from_slice(&one).expect("JSON report");
    assert_eq!(parsed["documents"].as_array().map(Vec::len), Some(2000));
}

#[test]
fn one_truncated_document_among_a_thousand_is_located_and_the_others_are_evaluated() {
    let dir = temp_dir();
    let paths = generate_documents(dir.path(), 1000);
    let broken = &paths[500];
    let text = std::fs::read_to_string(broken).expect("generated");
    std::fs::write(broken, &text[..text.len() / 2]).expect("truncated");
    let dir_arg = dir.path().to_string_lossy();
    let output = rampart(&["check", "--today", TODAY, "--format", "json", &dir_arg]);
    assert_eq!(output.status.code(), Some(2));
    let report: Json = serde_json::from_slice(&output.stdout).expect("JSON report");
    let documents = report["documents"].as_array().expect("documents");
    assert_eq!(documents.len(), 1000);
    let evaluated = documents.iter().filter(|d| d["evaluated"] == true).count();
    assert_eq!(evaluated, 999);
    let problems: Vec<String> = documents
        .iter()
        .flat_map(|d| {
            let path = d["path"].as_str().unwrap_or("?").to_string();
            // The errors: the generated documents keep the examples' deliberate dangling
            // references, each a warning.
            d["problems"]
                .as_array()
                .into_iter()
                .flatten()
                .filter(|p| p["severity"] == "error")
                .map(move |p| {
                    let file = path.rsplit('/').next().unwrap_or("?");
                    format!("{file}:{}:{} {}", p["line"], p["column"], p["code"])
                })
        })
        .collect();
    let expected_line = text[..text.len() / 2].lines().count();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(
        problems[0].starts_with(&format!("doc-00500.json:{expected_line}:")),
        "{problems:?}"
    );
}

/// Exit code of `check --fail-on LEVEL` on one document, evaluated on its own date
/// (`jurisdiction.evaluated_on`).
fn fail_on(document: &str, level: &str) -> Option<i32> {
    let args = ["check", "--format", "json", "--fail-on", level];
    rampart(&[&args[..], &[document]].concat()).status.code()
}

#[test]
fn fail_on_exits_1_only_for_failures_at_or_above_the_threshold() {
    // On its own evaluation date (2027-10-28), kestria fails high and medium norms but no
    // critical one. (At TODAY, 2027-03-08, much of its pre-election evidence is dated after
    // today and does not count, so it fails critical norms too.)
    let codes: Vec<(&str, Option<i32>)> = ["low", "medium", "high", "critical"]
        .into_iter()
        .map(|level| (level, fail_on("tests/data/kestria.json", level)))
        .collect();
    insta::assert_debug_snapshot!(codes);
}

#[test]
fn strict_fails_unknown_norms_and_documents_with_warnings() {
    let dir = temp_dir();
    let policy = "source s { title \"S\" }\npillar p \"P\"\nschema { staff?: Staff }\ntype Staff { trained?: int }\nnorm staff-trained {\n  title \"Staff are trained\"  pillar p  severity high  cites s\n  require staff.trained >= 3\n}\n";
    std::fs::write(dir.path().join("main.rampart"), policy).expect("a policy");
    let unknown = dir.path().join("unknown.json");
    std::fs::write(&unknown, r#"{"staff": {}}"#).expect("a document");
    let misspelt = dir.path().join("misspelt.json");
    std::fs::write(&misspelt, r#"{"staff": {"trained": 5, "traned": 1}}"#).expect("a document");
    let code = |document: &std::path::Path, extra: &[&str]| {
        let policy = dir.path().to_string_lossy();
        let args = ["check", "--policy", &policy, &document.to_string_lossy()];
        rampart(&[&args[..], extra].concat()).status.code()
    };
    assert_eq!(
        code(&unknown, &[]),
        Some(0),
        "unknown does not fail by default"
    );
    assert_eq!(code(&unknown, &["--strict"]), Some(1));
    assert_eq!(
        code(&unknown, &["--strict", "--fail-on", "critical"]),
        Some(0)
    );
    assert_eq!(
        code(&misspelt, &[]),
        Some(0),
        "a warning does not fail by default"
    );
    assert_eq!(code(&misspelt, &["--strict"]), Some(2));
    // The human report shows where the missing evidence would be: its closest parent.
    let policy = dir.path().to_string_lossy();
    let output = rampart(&["check", "--policy", &policy, &unknown.to_string_lossy()]);
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains("unknown.json:1:11"), "{text}");
    assert!(text.contains("^ missing: staff.trained"), "{text}");
    // Every format tells the same story as the exit code: the misspelt document is invalid
    // input, not evaluated; the unknown norm is a failure.
    let report = |document: &std::path::Path, format: &str| {
        let args = ["check", "--policy", &policy, "--strict", "--format", format];
        let output = rampart(&[&args[..], &[&*document.to_string_lossy()]].concat());
        String::from_utf8_lossy(&output.stdout).into_owned()
    };
    let json: serde_json::Value =
        serde_json::from_str(&report(&misspelt, "json")).expect("a JSON report");
    let document = &json["documents"][0];
    assert_eq!(document["evaluated"], false, "{document}");
    assert_eq!(document["problems"][0]["severity"], "error", "{document}");
    let help = document["problems"][0]["help"].as_str().unwrap_or_default();
    assert!(
        help.contains("--strict treats this warning as an error"),
        "{help}"
    );
    let junit = report(&misspelt, "junit");
    assert!(junit.contains("errors=\"1\""), "{junit}");
    let junit = report(&unknown, "junit");
    assert!(junit.contains("failures=\"1\""), "{junit}");
    assert!(
        junit.contains("unknown (a failure under --strict)"),
        "{junit}"
    );
    let sarif: serde_json::Value =
        serde_json::from_str(&report(&unknown, "sarif")).expect("a SARIF log");
    let result = &sarif["runs"][0]["results"][0];
    assert_eq!(result["level"], "error", "{result}");
    // Without --strict the unknown norm is skipped and only a note.
    let args = ["check", "--policy", &policy, "--format", "sarif"];
    let output = rampart(&[&args[..], &[&*unknown.to_string_lossy()]].concat());
    let sarif: serde_json::Value = serde_json::from_slice(&output.stdout).expect("a SARIF log");
    assert_eq!(sarif["runs"][0]["results"][0]["level"], "note");
}

#[test]
fn the_output_file_name_chooses_the_format_unless_format_is_given() {
    let dir = temp_dir();
    let report = |name: &str, extra: &[&str]| {
        let path = dir.path().join(name);
        let path_arg = path.to_string_lossy();
        let args = ["check", "--today", TODAY, "-o", &path_arg, FIXTURES[0]];
        let output = rampart(&[&args[..], extra].concat());
        assert_eq!(output.status.code(), Some(1), "{output:?}");
        std::fs::read_to_string(&path).expect("the report is written")
    };
    assert!(report("r.json", &[]).starts_with("{\n  \"version\""));
    assert!(report("r.sarif", &[]).contains("\"$schema\""));
    assert!(report("r.sarif.json", &[]).contains("sarif-2.1.0.json"));
    assert!(report("r.XML", &[]).starts_with("<?xml"));
    assert!(report("r.txt", &[]).starts_with("== "));
    assert!(report("r.json", &["--format", "human"]).starts_with("== "));
}

#[test]
fn one_run_writes_further_reports_identical_to_runs_of_their_own_format() {
    let dir = temp_dir();
    let (sarif, junit, human, summary) = (
        dir.path().join("r.sarif"),
        dir.path().join("r.xml"),
        dir.path().join("r.txt"),
        dir.path().join("summary.txt"),
    );
    let reports = [
        format!("sarif={}", sarif.display()),
        format!("junit={}", junit.display()),
        format!("HUMAN={}", human.display()),
        format!("summary={}", summary.display()),
    ];
    let mut args = vec!["check", "--today", TODAY, "--format", "json"];
    for report in &reports {
        args.extend(["--report", report]);
    }
    args.extend(FIXTURES);
    let output = rampart(&args);
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    let read = |path: &PathBuf| std::fs::read_to_string(path).expect("the report is written");
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        check_fixtures("json").1
    );
    assert_eq!(read(&sarif), check_fixtures("sarif").1);
    assert_eq!(read(&junit), check_fixtures("junit").1);
    assert_eq!(read(&human), check_fixtures("human").1);
    assert_eq!(read(&summary), check_fixtures("summary").1);
}

/// The human report's summary table and the note after it.
fn summary_table(human: &str) -> &str {
    let start = human.find("\njurisdiction ").expect("a summary table") + 1;
    &human[start..]
}

#[test]
fn summary_output_matches_the_snapshot() {
    let (code, text) = check_fixtures("summary");
    assert_eq!(code, Some(1));
    insta::assert_snapshot!(text);
}

#[test]
fn the_summary_is_the_human_reports_table_with_the_documents_problems() {
    let dir = temp_dir();
    let paths = generate_documents(dir.path(), 60);
    let text = std::fs::read_to_string(&paths[7]).expect("generated");
    std::fs::write(&paths[7], &text[..text.len() / 3]).expect("truncated");
    let dir_arg = dir.path().to_string_lossy();
    let run = |format: &str| {
        let output = rampart(&["check", "--today", TODAY, "--format", format, &dir_arg]);
        assert_eq!(output.status.code(), Some(2), "{output:?}");
        String::from_utf8(output.stdout).expect("UTF-8")
    };
    let (summary, human) = (run("summary"), run("human"));
    assert_eq!(summary_table(&summary), summary_table(&human));
    assert_eq!(summary_table(&summary).lines().count(), 1 + 60 + 1);
    // Before the table: only the documents with problems, as the human report shows them.
    let sections: Vec<&str> = summary.split("\n\n").collect();
    let problem_line = |line: &&str| {
        ["  error[", "  warning[", "    help: "]
            .iter()
            .any(|start| line.starts_with(start))
    };
    let with_problems: Vec<String> = (human.split("\n\n"))
        .filter(|section| section.starts_with("== "))
        .filter_map(|section| {
            let mut lines = section.lines();
            let heading = lines.next()?;
            let problems: Vec<&str> = lines.take_while(problem_line).collect();
            (!problems.is_empty()).then(|| [&[heading][..], &problems].concat().join("\n"))
        })
        .collect();
    assert_eq!(&sections[..sections.len() - 1], with_problems.as_slice());
    let broken = "doc-00007.json: not evaluated\n  error[rampart::config::syntax]";
    assert!(sections.iter().any(|s| s.contains(broken)), "{summary}");
}

#[test]
fn a_malformed_or_clashing_report_request_is_a_usage_error_before_any_work() {
    let dir = temp_dir();
    let target = dir.path().join("r.sarif");
    let target = target.to_string_lossy();
    let cases: [(Vec<String>, &str); 5] = [
        (
            vec!["--report".into(), "sarif".into()],
            "expected FORMAT=FILE",
        ),
        (
            vec!["--report".into(), "pdf=r.pdf".into()],
            "unknown format `pdf`",
        ),
        (
            vec!["--report".into(), "json=".into()],
            "the file is missing",
        ),
        (
            vec!["--report".into(), "json=-".into()],
            "standard output is --format",
        ),
        (
            vec![
                "-o".into(),
                target.to_string(),
                "--report".into(),
                format!("junit={target}"),
            ],
            "two reports would be written to",
        ),
    ];
    for (extra, expected) in cases {
        let mut args: Vec<&str> = vec!["check"];
        args.extend(extra.iter().map(String::as_str));
        args.push(FIXTURES[0]);
        let output = rampart(&args);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{extra:?}: {stderr}");
        assert!(stderr.contains(expected), "{extra:?}: {stderr}");
        assert!(output.stdout.is_empty(), "{extra:?}");
    }
    assert!(!dir.path().join("r.sarif").exists());
}

#[test]
fn an_unwritable_output_names_its_directory_not_a_temporary_file() {
    let output = rampart(&["check", "-o", "/nonexistent-dir/r.json", FIXTURES[0]]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("cannot create a file in /nonexistent-dir: No such file or directory"),
        "{stderr}"
    );
    assert!(!stderr.contains(".tmp"), "{stderr}");
}

#[test]
fn each_document_of_a_yaml_stream_is_checked_and_located_in_the_stream() {
    let dir = temp_dir();
    let yaml = std::fs::read_to_string("examples/tavaro.yaml").expect("the example");
    let lines = yaml.lines().count();
    let stream = format!("{yaml}---\n{yaml}--- # a broken one\nsystems: [\n");
    let path = dir.path().join("stream.yaml");
    std::fs::write(&path, &stream).expect("a stream");
    let path_arg = path.to_string_lossy();
    let output = rampart(&["check", "--format", "json", &path_arg]);
    assert_eq!(
        output.status.code(),
        Some(2),
        "the broken document is invalid input"
    );
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("a report");
    let documents = report["documents"].as_array().expect("documents");
    let places: Vec<(bool, u64)> = documents
        .iter()
        .map(|d| (d["evaluated"] == true, d["line"].as_u64().unwrap_or(0)))
        .collect();
    let second = lines as u64 + 1;
    let third = 2 * lines as u64 + 2;
    assert_eq!(places, [(true, 1), (true, second), (false, third)]);
    // The two copies give the same results, each located in its own part of the file.
    assert_eq!(documents[0]["results"], documents[1]["results"]);
    let problem = &documents[2]["problems"][0];
    assert_eq!(problem["line"], third + 1, "{problem}");
    let output = rampart(&["check", "--format", "sarif", &path_arg]);
    let sarif: serde_json::Value = serde_json::from_slice(&output.stdout).expect("a SARIF log");
    let lines_of = |from: u64, to: u64| {
        sarif["runs"][0]["results"]
            .as_array()
            .expect("results")
            .iter()
            .filter_map(|r| r["locations"][0]["physicalLocation"]["region"]["startLine"].as_u64())
            .filter(|line| (from..to).contains(line))
            .count()
    };
    assert!(lines_of(1, second) > 0 && lines_of(1, second) == lines_of(second, third));
}

#[test]
fn empty_documents_of_a_yaml_stream_are_skipped_and_take_no_document_with_them() {
    let dir = temp_dir();
    let yaml = std::fs::read_to_string("examples/tavaro.yaml").expect("the example");
    let lines = yaml.lines().count() as u64;
    let evaluated = |stream: String| {
        let path = dir.path().join("stream.yaml");
        std::fs::write(&path, stream).expect("a stream");
        let output = rampart(&["check", "--format", "json", &path.to_string_lossy()]);
        assert_eq!(output.status.code(), Some(1), "{output:?}");
        let report: Json = serde_json::from_slice(&output.stdout).expect("a report");
        (report["documents"].as_array().expect("documents").iter())
            .map(|d| (d["evaluated"] == true, d["line"].as_u64().unwrap_or(0)))
            .collect::<Vec<_>>()
    };
    // A trailing marker, or one followed only by a comment, starts no document.
    assert_eq!(evaluated(format!("{yaml}---\n")), [(true, 0)]);
    assert_eq!(
        evaluated(format!("{yaml}---\n# nothing more\n")),
        [(true, 0)]
    );
    // An empty document between two keeps each of them whole.
    let stream = format!("{yaml}---\n---\n{yaml}---\n");
    assert_eq!(evaluated(stream), [(true, 1), (true, lines + 2)]);
}

#[test]
fn a_human_section_is_headed_by_the_jurisdiction_name_or_else_the_path_once() {
    let dir = temp_dir();
    let policy = "source s { title \"S\" }\npillar p \"P\"\nschema { jurisdiction?: J  n?: int }\ntype J { id?: string  name?: string }\nnorm big {\n  title \"Big\"  pillar p  severity high  cites s\n  require n >= 3\n}\n";
    std::fs::write(dir.path().join("main.rampart"), policy).expect("a policy");
    let policy = dir.path().to_string_lossy();
    let heading = |json: &str| {
        let path = dir.path().join("doc.json");
        std::fs::write(&path, json).expect("a document");
        let args = ["check", "--today", TODAY, "--policy", &policy];
        let output = rampart(&[&args[..], &[&*path.to_string_lossy()]].concat());
        let text = String::from_utf8_lossy(&output.stdout).into_owned();
        let first = text.lines().next().unwrap_or_default().to_string();
        let first = first.replace(&format!(", evaluated on {TODAY}"), "");
        first.replace(&*path.to_string_lossy(), "PATH")
    };
    assert_eq!(
        heading(r#"{"jurisdiction": {"id": "v", "name": "Valoria"}, "n": 1}"#),
        "== v (Valoria) — PATH"
    );
    assert_eq!(
        heading(r#"{"jurisdiction": {"name": "Valoria"}, "n": 1}"#),
        "== Valoria — PATH"
    );
    assert_eq!(heading(r#"{"n": 1}"#), "== PATH");
}

#[test]
fn an_id_repeated_in_a_list_that_references_point_into_is_a_located_warning() {
    let dir = temp_dir();
    let mut document: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(FIXTURES[0]).expect("a fixture"))
            .expect("JSON");
    let contacts = document["contacts"].as_array_mut().expect("contacts");
    let first = contacts[0].clone();
    contacts.push(first);
    let repeated = contacts.len() - 1;
    let text = serde_json::to_string_pretty(&document).expect("JSON");
    let json = dir.path().join("repeated.json");
    std::fs::write(&json, &text).expect("a document");
    // The same document as YAML (JSON is YAML) takes the full validation path.
    let yaml = dir.path().join("repeated.yaml");
    std::fs::write(&yaml, &text).expect("a document");
    for path in [&json, &yaml] {
        let output = rampart(&[
            "check",
            "--today",
            TODAY,
            "--format",
            "json",
            &path.to_string_lossy(),
        ]);
        let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("a report");
        let document = &report["documents"][0];
        assert_eq!(
            document["evaluated"], true,
            "a warning does not stop evaluation"
        );
        let problems: Vec<&Json> = (document["problems"].as_array().expect("problems").iter())
            .filter(|p| p["code"] != "rampart::config::dangling-reference")
            .collect();
        let [problem] = problems.as_slice() else {
            panic!("one problem expected: {problems:#?}")
        };
        assert_eq!(problem["code"], "rampart::config::duplicate-id");
        assert_eq!(problem["severity"], "warning");
        assert_eq!(problem["path"], format!("contacts[{repeated}].id"));
        assert!(problem["line"].as_u64().unwrap_or(0) > 1, "{problem}");
    }
    let strict = rampart(&[
        "check",
        "--today",
        TODAY,
        "--strict",
        &json.to_string_lossy(),
    ]);
    assert_eq!(strict.status.code(), Some(2));
}

#[test]
fn fail_on_does_not_hide_invalid_input() {
    let dir = temp_dir();
    let broken = dir.path().join("broken.json");
    std::fs::write(&broken, "{").expect("a broken document");
    assert_eq!(fail_on(&broken.to_string_lossy(), "critical"), Some(2));
}

#[test]
fn output_writes_the_report_to_a_file_and_nothing_to_stdout() {
    let dir = temp_dir();
    let out = dir.path().join("report.json");
    let out_arg = out.to_string_lossy();
    let output = rampart(&[
        "check",
        "--today",
        TODAY,
        "--format",
        "json",
        "-o",
        &out_arg,
        FIXTURES[0],
    ]);
    assert_eq!(output.status.code(), Some(1));
    assert!(output.stdout.is_empty());
    let (_, expected) = {
        let output = rampart(&["check", "--today", TODAY, "--format", "json", FIXTURES[0]]);
        (
            output.status.code(),
            String::from_utf8_lossy(&output.stdout).into_owned(),
        )
    };
    assert_eq!(std::fs::read_to_string(&out).expect("written"), expected);
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .expect("readable")
        .filter_map(Result::ok)
        .map(|e| e.file_name())
        .collect();
    assert_eq!(leftovers, vec![std::ffi::OsString::from("report.json")]);
}

#[test]
fn output_replaces_a_file_atomically_while_a_reader_watches() {
    let dir = temp_dir();
    let out = dir.path().join("report.json");
    std::fs::write(&out, "old").expect("an old report");
    let out_arg = out.to_string_lossy().into_owned();
    let writer = std::thread::spawn(move || {
        let args = [
            "check", "--today", TODAY, "--format", "json", "-o", &out_arg,
        ];
        rampart(&[&args[..], &FIXTURES[..]].concat()).status.code()
    });
    let mut seen = std::collections::BTreeSet::new();
    while !writer.is_finished() {
        let text = std::fs::read_to_string(&out).expect("the target always exists");
        let state = if text == "old" {
            "old"
        } else if serde_json::from_str::<Json>(&text).is_ok() {
            "complete"
        } else {
            panic!("a partial report was visible ({} bytes)", text.len())
        };
        seen.insert(state);
    }
    assert_eq!(writer.join().expect("the writer ran"), Some(1));
    let text = std::fs::read_to_string(&out).expect("written");
    assert!(serde_json::from_str::<Json>(&text).is_ok());
}

#[test]
fn output_to_a_full_device_is_an_error_with_exit_2() {
    if !std::path::Path::new("/dev/full").exists() {
        return;
    }
    let output = rampart(&["check", "--today", TODAY, "-o", "/dev/full", FIXTURES[0]]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("cannot write the report to /dev/full"),
        "{stderr}"
    );
    let full = std::fs::File::options()
        .write(true)
        .open("/dev/full")
        .expect("/dev/full opens");
    let output = Command::new(env!("CARGO_BIN_EXE_rampart"))
        .args(["check", "--today", TODAY, FIXTURES[0]])
        .stdout(full)
        .output()
        .expect("the binary runs");
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn a_closed_pipe_ends_the_output_quietly() {
    use std::io::Read;
    let mut child = Command::new(env!("CARGO_BIN_EXE_rampart"))
        .args(["check", "--today", TODAY, "--format", "json"])
        .args(FIXTURES)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let mut stdout = child.stdout.take().expect("piped");
    let mut first = [0u8; 16];
    stdout.read_exact(&mut first).expect("some output");
    drop(stdout);
    let output = child.wait_with_output().expect("it ends");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(output.status.code(), Some(1), "{stderr}");
}

/// Per document of a JSON report: path, jurisdiction, evaluated, problems as `line:column code`.
fn document_lines(report: &[u8]) -> Vec<String> {
    let report: Json = serde_json::from_slice(report).expect("JSON report");
    report["documents"]
        .as_array()
        .expect("documents")
        .iter()
        .map(|d| {
            let path = d["path"].as_str().unwrap_or("?");
            let file = path.rsplit('/').next().unwrap_or(path);
            let problems: Vec<String> = d["problems"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|p| format!("{}:{} {}", p["line"], p["column"], p["code"]))
                .collect();
            format!(
                "{file} {} evaluated={} {problems:?}",
                d["jurisdiction"], d["evaluated"]
            )
        })
        .collect()
}

/// Two documents on lines 1 and 3 (line 2 blank), and a truncated one on line 4.
fn json_lines() -> String {
    let kestria = std::fs::read_to_string(FIXTURES[0]).expect("fixture");
    let value: Json = serde_json::from_str(&kestria).expect("JSON");
    let line = serde_json::to_string(&value).expect("serialisable");
    let mut other = value.clone();
    other["jurisdiction"]["id"] = Json::from("kestria-2");
    let other = serde_json::to_string(&other).expect("serialisable");
    format!("{line}\n\n{other}\n{}\n", &line[..100])
}

#[test]
fn json_lines_files_give_one_document_per_line_located_by_line() {
    let dir = temp_dir();
    let path = dir.path().join("states.jsonl");
    std::fs::write(&path, json_lines()).expect("a JSON-lines file");
    let args = ["check", "--today", TODAY, "--format", "json"];
    let output = rampart(&[&args[..], &[&*path.to_string_lossy()]].concat());
    assert_eq!(output.status.code(), Some(2));
    insta::assert_debug_snapshot!(document_lines(&output.stdout));
}

#[test]
fn documents_of_a_stream_are_named_by_their_line_in_every_report() {
    let dir = temp_dir();
    let path = dir.path().join("states.jsonl");
    std::fs::write(&path, json_lines()).expect("a JSON-lines file");
    let path = path.to_string_lossy();
    let args = ["check", "--today", TODAY, &path, "--format"];
    let json = rampart(&[&args[..], &["json"]].concat());
    let report: Json = serde_json::from_slice(&json.stdout).expect("JSON report");
    let lines: Vec<&Json> = (report["documents"].as_array().expect("documents").iter())
        .map(|d| &d["line"])
        .collect();
    assert_eq!(lines, [1, 3, 4]);
    let human =
        String::from_utf8_lossy(&rampart(&[&args[..], &["human"]].concat()).stdout).into_owned();
    assert!(human.contains("states.jsonl:3"), "{human}");
    let junit =
        String::from_utf8_lossy(&rampart(&[&args[..], &["junit"]].concat()).stdout).into_owned();
    assert!(
        junit.contains("<property name=\"line\" value=\"3\"/>"),
        "{junit}"
    );
}

#[test]
fn a_json_lines_file_found_in_a_directory_is_read_line_by_line() {
    let dir = temp_dir();
    std::fs::create_dir(dir.path().join("nested")).expect("a directory");
    std::fs::write(dir.path().join("nested/states.jsonl"), json_lines()).expect("a stream");
    let args = ["check", "--today", TODAY, "--format", "json"];
    let output = rampart(&[&args[..], &[&*dir.path().to_string_lossy()]].concat());
    assert_eq!(output.status.code(), Some(2));
    let from_directory = document_lines(&output.stdout);
    let path = dir.path().join("nested/states.jsonl");
    let output = rampart(&[&args[..], &[&*path.to_string_lossy()]].concat());
    assert_eq!(from_directory, document_lines(&output.stdout));
    assert_eq!(from_directory.len(), 3, "{from_directory:?}");
}

#[test]
fn compare_reads_json_lines_streams_too() {
    let dir = temp_dir();
    let path = dir.path().join("states.jsonl");
    let kestria = std::fs::read_to_string("examples/kestria.json").expect("an example");
    let value: Json = serde_json::from_str(&kestria).expect("JSON");
    let mut other = value.clone();
    other["jurisdiction"]["id"] = Json::from("kestria-2");
    let lines = [&value, &other].map(|v| serde_json::to_string(v).expect("serialisable"));
    std::fs::write(&path, lines.join("\n")).expect("a stream");
    let args = ["compare", "--today", TODAY, "--format", "csv"];
    let output = rampart(&[&args[..], &[&*path.to_string_lossy()]].concat());
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let table = String::from_utf8_lossy(&output.stdout);
    assert!(table.contains("kestria-2"), "{table}");
    assert_eq!(
        table.lines().filter(|l| l.contains("kestria")).count(),
        2,
        "{table}"
    );
}

/// Runs `check` with `input` on standard input.
fn check_stdin(input: &str) -> Output {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_rampart"))
        .args(["check", "--today", TODAY, "--format", "json", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let mut stdin = child.stdin.take().expect("piped");
    stdin.write_all(input.as_bytes()).expect("input written");
    drop(stdin);
    child.wait_with_output().expect("it ends")
}

#[test]
fn stdin_holds_one_pretty_document() {
    let text = std::fs::read_to_string(FIXTURES[0]).expect("fixture");
    let output = check_stdin(&text);
    assert_eq!(output.status.code(), Some(1));
    insta::assert_debug_snapshot!(document_lines(&output.stdout));
}

#[test]
fn stdin_with_several_values_is_read_as_json_lines() {
    let output = check_stdin(&json_lines());
    assert_eq!(output.status.code(), Some(2));
    insta::assert_debug_snapshot!(document_lines(&output.stdout));
}

#[test]
fn stdin_json_lines_with_a_broken_first_line_keep_the_lines_that_parse() {
    let lines = json_lines();
    let last = lines.trim_end().lines().last().expect("a truncated line");
    let broken_first = format!("{last}\n{lines}");
    let output = check_stdin(&broken_first);
    assert_eq!(output.status.code(), Some(2));
    let documents = document_lines(&output.stdout);
    assert_eq!(documents.len(), 4, "{documents:?}");
    assert!(
        documents[0].contains("evaluated=false [\"1:100"),
        "{documents:?}"
    );
    assert!(
        documents[1].contains("\"kestria\" evaluated=true"),
        "{documents:?}"
    );
}

#[test]
fn stdin_with_pretty_documents_one_after_another_reads_each() {
    let text = std::fs::read_to_string(FIXTURES[0]).expect("fixture");
    let output = check_stdin(&format!("{text}{text}"));
    assert_eq!(output.status.code(), Some(1));
    let documents = document_lines(&output.stdout);
    assert_eq!(documents.len(), 2, "{documents:?}");
    assert!(
        documents
            .iter()
            .all(|d| d.contains("\"kestria\" evaluated=true"))
    );
    // A broken second document is one invalid document, located in the input.
    let truncated = &text[..text.len() / 2];
    let output = check_stdin(&format!("{text}{truncated}"));
    assert_eq!(output.status.code(), Some(2));
    let documents = document_lines(&output.stdout);
    assert_eq!(documents.len(), 2, "{documents:?}");
    assert!(documents[1].contains("evaluated=false"), "{documents:?}");
    let line: usize = (documents[1].split("[\"").nth(1))
        .and_then(|problem| problem.split(':').next()?.parse().ok())
        .unwrap_or_else(|| panic!("a located problem: {documents:?}"));
    assert!(line > text.lines().count(), "{documents:?}");
}

#[test]
fn stdin_documents_after_a_broken_one_are_each_read() {
    let text = std::fs::read_to_string(FIXTURES[0]).expect("fixture");
    // Stray text between pretty documents is one invalid document.
    let output = check_stdin(&format!("{text}xx\n{text}"));
    let documents = document_lines(&output.stdout);
    assert_eq!(documents.len(), 3, "{documents:?}");
    assert!(documents[1].contains("evaluated=false"), "{documents:?}");
    assert!(
        documents[2].contains("\"kestria\" evaluated=true"),
        "{documents:?}"
    );
    // Broken JSON lines first, too many to sniff the stream as JSON lines.
    let line = serde_json::to_string(&serde_json::from_str::<Json>(&text).expect("JSON"))
        .expect("one line");
    let output = check_stdin(&format!("{{\"a\":\n{{\"b\":\n{{\"c\":\n{line}\n{line}\n"));
    let documents = document_lines(&output.stdout);
    assert_eq!(documents.len(), 5, "{documents:?}");
    assert!(
        documents[4].contains("\"kestria\" evaluated=true"),
        "{documents:?}"
    );
}

#[test]
fn stdin_holding_yaml_is_read_as_yaml() {
    let text = std::fs::read_to_string(FIXTURES[1]).expect("fixture");
    let output = check_stdin(&text);
    assert_eq!(output.status.code(), Some(1));
    let documents = document_lines(&output.stdout);
    assert_eq!(documents, ["<stdin> \"tavaro\" evaluated=true []"]);
}

#[test]
fn a_path_that_cannot_be_read_is_a_document_in_every_report() {
    let args = [
        "check",
        "--today",
        TODAY,
        "/nonexistent/state.json",
        FIXTURES[0],
    ];
    let output = rampart(&[&args[..], &["--format", "json"]].concat());
    assert_eq!(output.status.code(), Some(2));
    let documents = document_lines(&output.stdout);
    assert_eq!(documents.len(), 2, "{documents:?}");
    assert!(
        documents[0].contains(
            "state.json null evaluated=false [\"null:null \\\"rampart::config::unreadable"
        ),
        "{documents:?}"
    );
    let junit = rampart(&[&args[..], &["--format", "junit"]].concat());
    let xml = String::from_utf8_lossy(&junit.stdout);
    assert!(xml.contains("errors=\"1\""), "{xml}");
    let human = rampart(&args);
    let text = String::from_utf8_lossy(&human.stdout);
    assert!(
        text.contains("/nonexistent/state.json: not evaluated"),
        "{text}"
    );
}

#[test]
fn a_run_that_finds_no_document_is_invalid_input() {
    let dir = temp_dir();
    std::fs::write(dir.path().join("notes.txt"), "not a jurisdiction").expect("a file");
    let output = rampart(&["check", &dir.path().to_string_lossy()]);
    assert_eq!(output.status.code(), Some(2));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("no jurisdiction documents in this directory"),
        "{stdout}"
    );
    // Next to a document that passes, an empty folder still makes the run invalid input, and
    // a dashboard reading the SARIF log sees why.
    let args = [
        "check",
        &dir.path().to_string_lossy(),
        "examples/norrvale.json",
    ];
    let output = rampart(&[&args[..], &["--fail-on", "critical", "--format", "sarif"]].concat());
    assert_eq!(output.status.code(), Some(2));
    let log: Json = serde_json::from_slice(&output.stdout).expect("a SARIF log");
    let first = &log["runs"][0]["results"][0];
    assert_eq!(first["level"], "error", "{first}");
    // An empty JSON-lines stream: no document at all, so no empty summary table, and the
    // SARIF log says why the run failed in its invocation.
    let stream = dir.path().join("states.jsonl");
    std::fs::write(&stream, "").expect("a file");
    let output = rampart(&["check", &stream.to_string_lossy()]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("no jurisdiction documents found"),
        "{stderr}"
    );
    assert!(output.stdout.is_empty(), "{output:?}");
    let output = rampart(&["check", &stream.to_string_lossy(), "--format", "sarif"]);
    let log: Json = serde_json::from_slice(&output.stdout).expect("a SARIF log");
    let invocation = &log["runs"][0]["invocations"][0];
    assert_eq!(invocation["exitCode"], 2, "{invocation}");
    assert_eq!(invocation["executionSuccessful"], false, "{invocation}");
    let notice = &invocation["toolExecutionNotifications"][0]["message"]["text"];
    assert!(
        notice
            .as_str()
            .is_some_and(|t| t.starts_with("no jurisdiction documents found"))
    );
}

#[test]
fn json_output_matches_the_snapshot() {
    let (code, text) = check_fixtures("json");
    assert_eq!(code, Some(1));
    insta::assert_snapshot!(text);
}

#[test]
fn human_output_matches_the_snapshot() {
    let (code, text) = check_fixtures("human");
    assert_eq!(code, Some(1));
    insta::assert_snapshot!(text);
}

#[test]
fn group_by_pillar_puts_results_under_pillar_headings() {
    let args = [
        "check",
        "--today",
        TODAY,
        "--group-by",
        "pillar",
        FIXTURES[0],
    ];
    let text = String::from_utf8_lossy(&rampart(&args).stdout).into_owned();
    let outline: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with("  -- ") || l.starts_with("  FAIL") || l.starts_with("  UNKNOWN"))
        .collect();
    insta::assert_debug_snapshot!(outline);
}

#[test]
fn stage_pillar_and_severity_filters_select_the_norms_evaluated() {
    let args = [
        "check",
        "--today",
        TODAY,
        "--format",
        "json",
        "--stage",
        "voting",
        "--pillar",
        "governance",
        "--pillar",
        "risk",
        "--severity",
        "high",
        "--severity",
        "critical",
        FIXTURES[0],
    ];
    let report: Json = serde_json::from_slice(&rampart(&args).stdout).expect("JSON report");
    let norms: Vec<String> = report["documents"][0]["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|r| {
            format!(
                "{} {} {} {}",
                r["norm"], r["pillar"], r["severity"], r["stages"]
            )
        })
        .collect();
    insta::assert_debug_snapshot!(norms);
}

#[test]
fn unknown_filter_values_are_refused_with_a_suggestion() {
    let args = [
        "check",
        "--stage",
        "votng",
        "--pillar",
        "risks",
        "--severity",
        "hihg",
        FIXTURES[0],
    ];
    let output = rampart(&args);
    assert_eq!(output.status.code(), Some(2));
    insta::assert_snapshot!(String::from_utf8_lossy(&output.stderr));
}

#[test]
fn json_output_validates_against_the_documented_report_schema() {
    let text = std::fs::read_to_string("docs/report.schema.json").expect("the report schema");
    let schema: Json = serde_json::from_str(&text).expect("the report schema is JSON");
    let validator = jsonschema::draft202012::new(&schema).expect("the report schema compiles");
    let dir = temp_dir();
    let broken = dir.path().join("broken.json");
    std::fs::write(&broken, "{\"jurisdiction\": ").expect("a broken document");
    let mut args = vec![
        "check",
        "--today",
        TODAY,
        "--format",
        "json",
        "--profile",
        "baseline",
    ];
    args.extend(FIXTURES);
    let broken_arg = broken.to_string_lossy();
    args.push(&broken_arg);
    let output = rampart(&args);
    let report: Json = serde_json::from_slice(&output.stdout).expect("JSON report");
    let errors: Vec<String> = validator
        .iter_errors(&report)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    assert!(validator.is_valid(&serde_json::from_str(&check_fixtures("json").1).expect("JSON")));
}

#[test]
fn junit_stays_well_formed_and_keeps_ids_apart_whatever_characters_they_hold() {
    let dir = temp_dir();
    let text = std::fs::read_to_string("examples/ossmark.json").expect("an example");
    let mut doc: Json = serde_json::from_str(&text).expect("JSON");
    for (file, id) in [
        ("a.json", "a\u{fffe}b"),
        ("b.json", "a\u{1}b"),
        ("c.json", "ab"),
    ] {
        doc["jurisdiction"]["id"] = Json::from(id);
        let path = dir.path().join(file);
        std::fs::write(&path, doc.to_string()).expect("a document");
    }
    let output = rampart(&["check", &dir.path().to_string_lossy(), "--format", "junit"]);
    let xml = String::from_utf8(output.stdout).expect("UTF-8");
    let parsed = roxmltree::Document::parse(&xml).expect("well-formed XML");
    let suites: Vec<&str> = (parsed.descendants())
        .filter(|node| node.has_tag_name("testsuite"))
        .filter_map(|suite| suite.attribute("name"))
        .collect();
    assert_eq!(suites, ["a\\u{fffe}b", "a\\u{1}b", "ab"]);
    let classname = (parsed.descendants())
        .find(|node| node.has_tag_name("testcase"))
        .and_then(|case| case.attribute("classname"));
    assert_eq!(classname, Some("a\\u{fffe}b.governance"));
}

#[cfg(unix)]
#[test]
fn output_through_a_link_replaces_the_linked_file_and_keeps_its_permissions() {
    use std::os::unix::fs::PermissionsExt;
    let dir = temp_dir();
    let target = dir.path().join("report.json");
    std::fs::write(&target, "old").expect("a file");
    std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o640)).expect("chmod");
    let link = dir.path().join("latest.json");
    std::os::unix::fs::symlink(&target, &link).expect("a link");
    let output = rampart(&[
        "check",
        "examples/norrvale.json",
        "--output",
        &link.to_string_lossy(),
    ]);
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    let link_meta = std::fs::symlink_metadata(&link).expect("the link");
    assert!(link_meta.file_type().is_symlink(), "the link is kept");
    let report = std::fs::read_to_string(&target).expect("the report");
    assert!(report.starts_with('{'), "{report}");
    let mode = std::fs::metadata(&target)
        .expect("the file")
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o640);
}

#[test]
fn a_file_named_twice_is_checked_once_and_a_repeated_jurisdiction_is_warned_about() {
    let dir = temp_dir();
    let copy = dir.path().join("copy.json");
    std::fs::copy("examples/norrvale.json", &copy).expect("a copy");
    let output = rampart(&[
        "check",
        "examples/norrvale.json",
        "./examples/norrvale.json",
        &copy.to_string_lossy(),
        "--format",
        "json",
    ]);
    let report: Json = serde_json::from_slice(&output.stdout).expect("a report");
    let documents = report["documents"].as_array().expect("documents");
    assert_eq!(documents.len(), 2, "the file named twice is checked once");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("./examples/norrvale.json is named more than once"),
        "{stderr}"
    );
    assert!(
        stderr.contains("jurisdiction `norrvale` is described by 2 documents"),
        "{stderr}"
    );
}

#[test]
fn group_by_without_a_human_report_is_a_warning() {
    let json = rampart(&[
        "check",
        "examples/norrvale.json",
        "--group-by",
        "stage",
        "--format",
        "json",
    ]);
    let stderr = String::from_utf8_lossy(&json.stderr);
    assert!(
        stderr.contains("warning: --group-by arranges the human report, and this run writes none"),
        "{stderr}"
    );
    let dir = temp_dir();
    let human = dir.path().join("human.txt");
    let report = format!("human={}", human.display());
    let both = rampart(&[
        "check",
        "examples/norrvale.json",
        "--group-by",
        "stage",
        "--format",
        "json",
        "--report",
        &report,
    ]);
    assert!(!String::from_utf8_lossy(&both.stderr).contains("--group-by"));
    let text = std::fs::read_to_string(&human).expect("the human report");
    assert!(
        text.contains("(campaign) --"),
        "grouped under stage headings: {text}"
    );
}

#[test]
fn the_human_summary_says_when_unknown_results_do_not_fail_the_run() {
    let dir = temp_dir();
    let path = dir.path().join("bare.json");
    std::fs::write(
        &path,
        r#"{"jurisdiction": {"id": "bare", "name": "Bare"}, "election": {"date": "2027-05-16"}}"#,
    )
    .expect("a document");
    let path = path.to_string_lossy();
    let output = rampart(&["check", &path]);
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let note = stdout.lines().last().unwrap_or_default();
    assert!(
        note.starts_with("note: ") && note.contains(" results are unknown (evidence missing) and do not fail this run; --strict fails unknown results"),
        "{stdout}"
    );
    let strict = rampart(&["check", "--strict", &path]);
    assert_eq!(strict.status.code(), Some(1), "{strict:?}");
    assert!(!String::from_utf8_lossy(&strict.stdout).contains("note: "));
}

#[test]
fn a_jurisdiction_in_many_documents_is_one_short_warning() {
    let dir = temp_dir();
    for n in 0..12 {
        let copy = dir.path().join(format!("copy-{n:02}.json"));
        std::fs::copy("examples/norrvale.json", &copy).expect("a copy");
    }
    let output = rampart(&["check", &dir.path().to_string_lossy(), "--format", "json"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    let warning = stderr
        .lines()
        .find(|line| line.contains("jurisdiction `norrvale` is described by 12 documents"))
        .unwrap_or_else(|| panic!("no warning in {stderr}"));
    assert!(warning.contains("copy-04.json and 7 more)"), "{warning}");
    assert!(!warning.contains("copy-05.json"), "{warning}");
}

#[test]
fn sarif_uris_are_relative_inside_the_current_directory_and_file_uris_outside() {
    let dir = temp_dir();
    let outside = dir.path().join("state one.json");
    std::fs::copy("examples/norrvale.json", &outside).expect("a copy");
    let uris = |path: &str| {
        let output = rampart(&["check", path, "--format", "sarif"]);
        let log: Json = serde_json::from_slice(&output.stdout).expect("a SARIF log");
        let location = &log["runs"][0]["results"][0]["locations"][0]["physicalLocation"];
        location["artifactLocation"]["uri"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    };
    assert_eq!(
        uris("./examples/../examples/norrvale.json"),
        "examples/norrvale.json"
    );
    let absolute = uris(&outside.to_string_lossy());
    assert!(absolute.starts_with("file:///"), "{absolute}");
    assert!(absolute.ends_with("/state%20one.json"), "{absolute}");
}

/// Castellan with the platforms of the systems at `out_of_support` (indices into `systems`)
/// out of support on polling day, and a waiver limited to each of the first two (tabulation,
/// 4, and results transmission, 3), written into `dir`.
fn castellan_with_scoped_waivers(dir: &std::path::Path, out_of_support: &[usize]) -> PathBuf {
    let text = std::fs::read_to_string("examples/castellan.json").expect("an example");
    let mut doc: Json = serde_json::from_str(&text).expect("JSON");
    for &index in out_of_support {
        doc["systems"][index]["platform"]["support_ends"] = Json::from("2027-04-16");
    }
    let mut second = doc["waivers"][0].clone();
    second["scope"] = Json::from("ca-rts");
    second["reason"] = Json::from("Extended support until the results are certified");
    doc["waivers"].as_array_mut().expect("waivers").push(second);
    let path = dir.join("castellan.json");
    std::fs::write(&path, doc.to_string()).expect("a document");
    path
}

/// The output of `check --format FORMAT` for `path`.
fn check_output(path: &std::path::Path, format: &str) -> String {
    let output = rampart(&["check", &path.to_string_lossy(), "--format", format]);
    String::from_utf8(output.stdout).expect("UTF-8")
}

/// The JSON result of `sec-supported-software` for `path`.
fn supported_software_result(path: &std::path::Path) -> Json {
    let report: Json = serde_json::from_str(&check_output(path, "json")).expect("a report");
    let results = report["documents"][0]["results"]
        .as_array()
        .expect("results");
    (results.iter())
        .find(|r| r["norm"] == "sec-supported-software")
        .cloned()
        .expect("the result")
}

#[test]
fn scoped_waivers_that_cover_every_failing_system_are_each_reported_active() {
    let dir = temp_dir();
    let path = castellan_with_scoped_waivers(dir.path(), &[3, 4]);
    let result = supported_software_result(&path);
    assert_eq!(result["status"], "waived");
    let states: Vec<&Json> = (result["waivers"].as_array().expect("waivers").iter())
        .map(|w| &w["state"])
        .collect();
    assert_eq!(states, ["active", "active"]);
    assert_eq!(result["waiver"], result["waivers"][0]);
    let human = check_output(&path, "human");
    for line in [
        "waiver waivers[0] (approved by ca-c-chair, expires 2027-07-15): active",
        "waiver waivers[1] (approved by ca-c-chair, expires 2027-07-15): active",
    ] {
        assert!(human.contains(line), "{line}\n{human}");
    }
    let sarif: Json = serde_json::from_str(&check_output(&path, "sarif")).expect("SARIF");
    let results = sarif["runs"][0]["results"].as_array().expect("results");
    let waived = (results.iter())
        .find(|r| r["ruleId"] == "sec-supported-software")
        .expect("the waived result");
    assert_eq!(waived["suppressions"].as_array().map(Vec::len), Some(2));
    let junit = check_output(&path, "junit");
    assert!(
        junit.contains("; Extended support until the results are certified\""),
        "{junit}"
    );
}

#[test]
fn scoped_waivers_that_leave_a_failing_system_uncovered_name_it_in_every_format() {
    let dir = temp_dir();
    let path = castellan_with_scoped_waivers(dir.path(), &[3, 4, 5]);
    let result = supported_software_result(&path);
    assert_eq!(result["status"], "fail");
    let uncovered = "systems[5] (id \"ca-publication\") fails and no valid waiver covers it";
    for (waiver, scope) in result["waivers"]
        .as_array()
        .expect("waivers")
        .iter()
        .zip(["ca-tabulation", "ca-rts"])
    {
        assert_eq!(waiver["state"], "out-of-scope");
        assert_eq!(
            waiver["state_text"],
            format!("is limited to {scope}, but {uncovered}, so it does not apply")
        );
    }
    for format in ["human", "sarif", "junit"] {
        let text = check_output(&path, format)
            .replace("\\\"", "\"")
            .replace("&quot;", "\"");
        assert!(text.contains(uncovered), "{format}:\n{text}");
    }
}
