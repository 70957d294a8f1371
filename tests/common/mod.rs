//! Helpers shared by the integration tests: loading fixtures and rendering diagnostics.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use rampart::check;
use rampart::diagnostics::{Diagnostic, HumanStyle, Severity, render_human};
use rampart::eval::testing::{TestOutcome, TestRun, run_tests};
use rampart::workspace::{DiskFiles, MemoryFiles, PolicyFiles, Workspace};

/// The result of loading and checking one policy set.
pub struct Outcome {
    pub workspace: Workspace,
    pub diagnostics: Vec<Diagnostic>,
    pub program: check::Program,
}

impl Outcome {
    pub fn errors(&self) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count()
    }

    pub fn warnings(&self) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Warning)
            .count()
    }

    pub fn render(&self) -> String {
        render_human(&self.diagnostics, &self.workspace, HumanStyle::Plain)
    }
}

/// Runs the `test` blocks of a checked policy set whose files are under `root`.
pub fn run_policy_tests(root: &Path, program: &check::Program) -> Vec<TestRun> {
    let files = DiskFiles::new(root);
    run_tests(program, &files)
}

/// One line per test run (see [`test_run_line`]).
pub fn render_test_runs(outcome: &Outcome, runs: &[TestRun]) -> String {
    runs.iter()
        .map(|run| test_run_line(outcome, run) + "\n")
        .collect()
}

/// A test run's file and name, then `ok` or why it failed.
pub fn test_run_line(outcome: &Outcome, run: &TestRun) -> String {
    let test = &outcome.program.tests[run.test];
    let file = outcome
        .workspace
        .files
        .get(test.file.0 as usize)
        .map_or("?", |f| f.path.as_str());
    format!("{file}: {:?} ... {}", test.name, verdict(outcome, run))
}

/// `ok` with the number of expectations and any warnings of the test's document, or why
/// the test failed.
fn verdict(outcome: &Outcome, run: &TestRun) -> String {
    let program = &outcome.program;
    match &run.outcome {
        TestOutcome::Fixture(error) => format!("FAILED: {error}"),
        TestOutcome::Invalid(problems) => {
            let problems: Vec<String> = problems.iter().map(ToString::to_string).collect();
            format!("FAILED: invalid document: {}", problems.join("; "))
        }
        TestOutcome::Ran {
            mismatches,
            expectations,
            warnings,
            ..
        } if mismatches.is_empty() => {
            let notes: String = (warnings.iter())
                .map(|problem| format!("; note: the test's document: {problem}"))
                .collect();
            format!("ok (expectations: {expectations}){notes}")
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
            format!("FAILED: {}", found.join("; "))
        }
    }
}

fn finish(workspace: Workspace, files: &dyn PolicyFiles) -> Outcome {
    let checked = check::check(&workspace);
    let fixtures = rampart::eval::testing::fixture_problems(&checked.program, files);
    let diagnostics = workspace
        .syntax_diagnostics()
        .cloned()
        .chain(checked.diagnostics)
        .chain(fixtures)
        .collect();
    Outcome {
        workspace,
        diagnostics,
        program: checked.program,
    }
}

/// Loads a fixture: a `.rampart` file, or a directory whose entry is `main.rampart`.
/// Paths are shown relative to the crate root so snapshots are stable.
pub fn load_fixture(path: &Path) -> Outcome {
    let (root, entry) = if path.is_dir() {
        (path.to_path_buf(), "main.rampart".to_string())
    } else {
        (
            path.parent().expect("fixture has a parent").to_path_buf(),
            path.file_name().unwrap().to_string_lossy().into_owned(),
        )
    };
    let files = DiskFiles::new(&root);
    finish(Workspace::load(&files, &entry), &files)
}

/// Loads one in-memory file as a policy set.
pub fn load_text(text: &[u8]) -> Outcome {
    let mut files = MemoryFiles::new();
    files.insert("main.rampart", text.to_vec());
    finish(Workspace::load(&files, "main.rampart"), &files)
}

/// Fixture entries (files ending in `.rampart` and directories) of `dir`, sorted.
pub fn fixtures(dir: &str) -> Vec<PathBuf> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read {dir}: {e}"))
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.is_dir() || path.extension().is_some_and(|ext| ext == "rampart"))
        .collect();
    entries.sort();
    entries
}

/// The name of a fixture for its snapshot.
pub fn fixture_name(path: &Path) -> String {
    path.file_stem().unwrap().to_string_lossy().into_owned()
}
