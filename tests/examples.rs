//! The example jurisdictions of `examples/` give exactly the outcomes of `examples/EXPECTED.md`
//! under the norm library with default parameters, and evaluation does not depend on the
//! number of threads.

use std::path::{Path, PathBuf};

use rampart::check::{self, Program, Status};
use rampart::config;
use rampart::eval::{Doc, Evaluator, Options, Outcome};
use rampart::workspace::{DiskFiles, Workspace};

fn library() -> Program {
    let files = DiskFiles::new(Path::new("policies"));
    let workspace = Workspace::load(&files, "main.rampart");
    let checked = check::check(&workspace);
    assert!(
        !checked.has_errors(&workspace),
        "the norm library has errors"
    );
    checked.program
}

/// The example documents, by jurisdiction id, in file order.
fn examples(program: &Program) -> Vec<(String, Doc)> {
    let (paths, errors) = config::find_documents(&[PathBuf::from("examples")]);
    assert!(errors.is_empty(), "{errors:?}");
    paths
        .iter()
        .map(|path| {
            let document = config::load(program, path);
            // Kestria names a spokesperson missing from its contacts, on purpose (EXPECTED.md):
            // that one warning, and no other problem, is expected.
            let problems: Vec<String> = (document.problems.iter())
                .map(|p| format!("{} {}", p.kind.code(), config::display_path(&p.path)))
                .collect();
            let expected: &[&str] = match path.file_stem().and_then(|s| s.to_str()) {
                Some("kestria") => {
                    &["rampart::config::dangling-reference communication.crisis_plan.spokesperson"]
                }
                _ => &[],
            };
            assert_eq!(problems, expected, "{}", path.display());
            let id = document.jurisdiction_id().expect("an id").to_string();
            (id, document.doc.expect("a parsed document"))
        })
        .collect()
}

/// The outcome table of EXPECTED.md: (norm, jurisdiction, status).
fn expected_table() -> Vec<(String, String, Status)> {
    let text = std::fs::read_to_string("examples/EXPECTED.md").expect("EXPECTED.md is readable");
    let mut columns: Vec<String> = Vec::new();
    let mut cells = Vec::new();
    for line in text.lines() {
        let row: Vec<&str> = line
            .trim()
            .trim_matches('|')
            .split('|')
            .map(str::trim)
            .collect();
        if line.starts_with("| norm |") {
            columns = row[2..].iter().map(|c| c.to_string()).collect();
            continue;
        }
        if columns.is_empty() || !line.starts_with("| ") || row.len() != columns.len() + 2 {
            if !cells.is_empty() && !line.starts_with('|') {
                break;
            }
            continue;
        }
        for (jurisdiction, status) in columns.iter().zip(&row[2..]) {
            let status = match *status {
                "n/a" => Status::NotApplicable,
                other => Status::parse(other).expect("a status keyword"),
            };
            cells.push((row[0].to_string(), jurisdiction.clone(), status));
        }
    }
    cells
}

#[test]
fn examples_give_the_expected_outcomes() {
    let program = library();
    let evaluator = Evaluator::new(&program, Options::default());
    let outcomes: Vec<(String, Outcome)> = examples(&program)
        .into_iter()
        .map(|(id, doc)| (id, evaluator.evaluate_doc(&doc)))
        .collect();
    let table = expected_table();
    assert_eq!(
        table.len(),
        85 * 6,
        "EXPECTED.md lists every norm for six jurisdictions"
    );
    let differences: Vec<String> = table
        .iter()
        .filter_map(|(norm, jurisdiction, expected)| {
            let outcome = &outcomes.iter().find(|(id, _)| id == jurisdiction)?.1;
            let index = program.norm_index(norm)?;
            let actual = outcome.results.iter().find(|r| r.norm == index)?.status;
            (actual != *expected).then(|| {
                format!(
                    "{norm} {jurisdiction}: expected {}, found {}",
                    expected.as_str(),
                    actual.as_str()
                )
            })
        })
        .collect();
    assert!(differences.is_empty(), "{}", differences.join("\n"));
}

#[test]
fn results_do_not_depend_on_the_number_of_threads() {
    let program = library();
    let evaluator = Evaluator::new(&program, Options::default());
    let docs = examples(&program);
    let values: Vec<&Doc> = docs.iter().map(|(_, doc)| doc).collect();
    let run = |threads: usize| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .expect("a thread pool")
            .install(|| evaluator.evaluate_all(&values))
    };
    assert_eq!(run(1), run(4));
}

#[test]
fn check_from_another_directory_uses_the_embedded_library() {
    let examples = std::fs::canonicalize("examples").expect("examples/ exists");
    let elsewhere = std::env::temp_dir();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_rampart"))
        .args(["check", "--format", "json"])
        .arg(&examples)
        .current_dir(&elsewhere)
        .output()
        .expect("rampart runs");
    assert_eq!(
        output.status.code(),
        Some(1),
        "some example norms fail by design"
    );
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("a JSON report");
    let documents = report["documents"].as_array().expect("documents");
    assert_eq!(documents.len(), 6, "every example is reported");
    let norrvale = documents
        .iter()
        .find(|d| d["jurisdiction"] == "norrvale")
        .expect("Norrvale is reported");
    let critical_not_passing: Vec<&str> = norrvale["results"]
        .as_array()
        .expect("results")
        .iter()
        .filter(|r| {
            r["severity"] == "critical" && r["status"] != "pass" && r["status"] != "not-applicable"
        })
        .map(|r| r["norm"].as_str().unwrap_or("?"))
        .collect();
    assert!(
        critical_not_passing.is_empty(),
        "Norrvale misses critical norms: {critical_not_passing:?}"
    );
}
