//! `rampart validate`: parse and check a policy set, print every diagnostic.

use std::path::PathBuf;

use super::policy::PolicySource;
use super::{DiagnosticFormat, EXIT_FAILED, EXIT_INVALID, EXIT_OK, stdout_is_colour_terminal};
use crate::check;
use crate::diagnostics::{Diagnostic, HumanStyle, Severity, render_human, render_json};

/// Arguments of `rampart validate`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Policy directory (entry `main.rampart`) or file; the built-in library when omitted.
    #[arg(long, value_name = "PATH")]
    policy: Option<PathBuf>,
    /// How to print diagnostics.
    #[arg(long, value_enum, default_value_t = DiagnosticFormat::Human)]
    format: DiagnosticFormat,
    /// Exit with 1 when there are warnings.
    #[arg(long)]
    deny_warnings: bool,
    /// The policy directory or file, as with --policy.
    #[arg(value_name = "PATH", conflicts_with = "policy")]
    path: Option<PathBuf>,
}

/// Runs `validate`; returns the exit code.
pub fn run(args: &Args) -> u8 {
    let policy = args.policy.as_deref().or(args.path.as_deref());
    let Some(source) = PolicySource::from_arg(policy) else {
        return EXIT_INVALID;
    };
    let workspace = source.load();
    let checked = check::check(&workspace);
    let fixtures = crate::eval::testing::fixture_problems(&checked.program, source.files());
    let unimported = super::policy::unimported_files(&source, &workspace);
    let diagnostics: Vec<Diagnostic> = workspace
        .syntax_diagnostics()
        .cloned()
        .chain(checked.diagnostics)
        .chain(fixtures)
        .chain(unimported)
        .collect();
    let errors = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    let warnings = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Warning)
        .count();
    match args.format {
        DiagnosticFormat::Json => {
            let json = render_json(&diagnostics, &workspace);
            let text = serde_json::to_string_pretty(&json).unwrap_or_default();
            // A reader that went away (`| head`) is not an error: the exit code still tells.
            let _ = super::output::write_stdout(&format!("{text}\n"));
        }
        DiagnosticFormat::Human => {
            let style = if stdout_is_colour_terminal() {
                HumanStyle::Colour
            } else {
                HumanStyle::Plain
            };
            let norms = checked.program.norms.len();
            let files = workspace.files.len();
            let text = format!(
                "{}{files} file(s), {norms} norm(s): {errors} error(s), {warnings} warning(s)\n",
                render_human(&diagnostics, &workspace, style)
            );
            let _ = super::output::write_stdout(&text);
        }
    }
    if errors > 0 {
        EXIT_INVALID
    } else if warnings > 0 && args.deny_warnings {
        EXIT_FAILED
    } else {
        EXIT_OK
    }
}
