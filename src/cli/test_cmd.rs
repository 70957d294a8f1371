//! `rampart test`: runs every `test` block of a policy set and prints cargo-test-style lines.
//! Exit 0 when all pass, 1 when one fails, 2 when the policy set is invalid.

use std::fmt::Write;
use std::path::PathBuf;

use super::check::write_evidence;
use super::policy::{PolicySource, load_program};
use super::{EXIT_FAILED, EXIT_INVALID, EXIT_OK};
use crate::check::Program;
use crate::eval::testing::{DateSource, TestOutcome, TestRun, run_tests};
use crate::workspace::Workspace;

/// Arguments of `rampart test`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Policy directory (entry `main.rampart`) or file; the built-in library when omitted.
    #[arg(long, value_name = "PATH")]
    policy: Option<PathBuf>,
}

/// Runs `test`; returns the exit code.
pub fn run(args: &Args) -> u8 {
    let Some(source) = PolicySource::from_arg(args.policy.as_deref()) else {
        return EXIT_INVALID;
    };
    let Some((workspace, program)) = load_program(&source) else {
        return EXIT_INVALID;
    };
    // The tests of a file that is not imported would not run: say so before the others do.
    let unimported = super::policy::unimported_files(&source, &workspace);
    if !unimported.is_empty() {
        use crate::diagnostics::{HumanStyle, render_human};
        say_part!(
            "{}",
            render_human(&unimported, &workspace, HumanStyle::Plain)
        );
    }
    let runs = run_tests(&program, source.files());
    print!("{}", render(&program, &workspace, &runs));
    if runs.iter().all(TestRun::passed) {
        EXIT_OK
    } else {
        EXIT_FAILED
    }
}

/// The report of a test run, as printed.
pub fn render(program: &Program, workspace: &Workspace, runs: &[TestRun]) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "running {} test(s)", runs.len());
    for run in runs {
        let verdict = if run.passed() { "ok" } else { "FAILED" };
        let _ = writeln!(
            out,
            "test {} ... {verdict}",
            test_name(program, workspace, run)
        );
        write_document_problems(&mut out, run);
    }
    let failed: Vec<&TestRun> = runs.iter().filter(|run| !run.passed()).collect();
    if !failed.is_empty() {
        let _ = writeln!(out, "\nfailures:");
        for run in &failed {
            let _ = writeln!(out, "\n---- {} ----", test_name(program, workspace, run));
            write_failure(&mut out, program, workspace, run);
        }
    }
    let passed = runs.len() - failed.len();
    let summary = if failed.is_empty() { "ok" } else { "FAILED" };
    let _ = writeln!(
        out,
        "\ntest result: {summary}. {passed} passed; {} failed",
        failed.len()
    );
    out
}

/// Notes what in a test's document the schema does not declare (an unknown field is usually
/// a typo that leaves the intended field missing). Errors fail the test instead.
fn write_document_problems(out: &mut String, run: &TestRun) {
    let TestOutcome::Ran { warnings, .. } = &run.outcome else {
        return;
    };
    for problem in warnings {
        let _ = writeln!(out, "  note: the test's document: {problem}");
    }
}

fn test_name(program: &Program, workspace: &Workspace, run: &TestRun) -> String {
    let test = &program.tests[run.test];
    let file = workspace
        .files
        .get(test.file.0 as usize)
        .map_or("?", |f| f.path.as_str());
    format!("{file}: {:?}", test.name)
}

fn write_failure(out: &mut String, program: &Program, workspace: &Workspace, run: &TestRun) {
    match &run.outcome {
        TestOutcome::Fixture(error) => {
            let _ = writeln!(
                out,
                "  {error} ({})",
                super::check::location(workspace, error.span())
            );
        }
        TestOutcome::Invalid(problems) => {
            let test = &program.tests[run.test];
            let _ = writeln!(
                out,
                "  the test's document is one `rampart check` would refuse, so it was not evaluated ({}):",
                super::check::location(workspace, test.span)
            );
            for problem in problems {
                let _ = writeln!(out, "    {problem}");
            }
        }
        TestOutcome::Ran {
            mismatches,
            evaluated_on: (date, source),
            ..
        } => {
            let why = match source {
                DateSource::Document => "the document's jurisdiction.evaluated_on",
                DateSource::TestDate => {
                    "the fixed test date: the document has no jurisdiction.evaluated_on"
                }
            };
            let _ = writeln!(out, "  evaluated on {date} ({why})");
            for mismatch in mismatches {
                let norm = &program.norms[mismatch.actual.norm];
                let _ = writeln!(
                    out,
                    "  expected {} {}, found {} ({})",
                    mismatch.expected.as_str(),
                    norm.id,
                    mismatch.actual.status.as_str(),
                    super::check::location(workspace, mismatch.span)
                );
                write_evidence(out, program, workspace, &mismatch.actual, "    ");
            }
        }
    }
}
