//! The command-line shell: parses arguments with clap, calls the core, renders its results and
//! chooses the exit code. No rule of the language or of evaluation lives here.

mod check;
mod check_report;
mod compare;
mod evaluation;
mod explain;
mod fmt;
mod init;
mod inputs;
mod lsp;
mod norms;
mod output;
pub(crate) mod policy;
mod schema;
mod test_cmd;
mod validate;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Exit code: everything passed.
pub const EXIT_OK: u8 = 0;
/// Exit code: a norm failed (or warnings were denied).
pub const EXIT_FAILED: u8 = 1;
/// Exit code: invalid input or usage.
pub const EXIT_INVALID: u8 = 2;

/// Rampart: policy-as-code compliance checks for the cyber-resilience of elections.
#[derive(Debug, Parser)]
#[command(name = "rampart", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Parse and check a policy set and report every diagnostic.
    Validate(validate::Args),
    /// Run the `test` blocks of a policy set.
    Test(test_cmd::Args),
    /// Run the language server over standard input and output.
    Lsp(lsp::Args),
    /// Evaluate jurisdiction documents against the policy set.
    Check(check::Args),
    /// Compare jurisdictions (documents or saved reports): scores, ranks, groups, trends.
    Compare(compare::Args),
    /// Format policy files in place (`--check`: list the files that are not formatted).
    Fmt(fmt::Args),
    /// List the norms of the policy set, with filters (table, JSON or Markdown).
    Norms(norms::Args),
    /// Explain one norm: doc, citations, evidence read, requirements, fix.
    Explain(explain::Args),
    /// Export the jurisdiction document's schema (`--json-schema`).
    Schema(schema::Args),
    /// Write a starting jurisdiction document with every field of the schema.
    Init(init::Args),
}

/// Runs the command line and returns the process exit code.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            let code = if error.use_stderr() {
                EXIT_INVALID
            } else {
                EXIT_OK
            };
            let _ = error.print();
            return ExitCode::from(code);
        }
    };
    let code = match cli.command {
        Command::Validate(args) => validate::run(&args),
        Command::Test(args) => test_cmd::run(&args),
        Command::Lsp(args) => lsp::run(&args),
        Command::Check(args) => check::run(&args),
        Command::Compare(args) => compare::run(&args),
        Command::Fmt(args) => fmt::run(&args),
        Command::Norms(args) => norms::run(&args),
        Command::Explain(args) => explain::run(&args),
        Command::Schema(args) => schema::run(&args),
        Command::Init(args) => init::run(&args),
    };
    ExitCode::from(code)
}

/// Output format of diagnostics.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum DiagnosticFormat {
    /// Rendered for people, in colour on a terminal.
    Human,
    /// A JSON array.
    Json,
}

/// Most names a warning lists before it counts the rest.
const NAMES_LISTED: usize = 5;

/// The first few of `names`, comma-separated, then how many more there are
/// (`a.json, b.json, c.json, d.json, e.json and 161 more`): a warning about a large run stays
/// one readable line.
pub fn first_few<S: AsRef<str>>(names: &[S]) -> String {
    let shown: Vec<&str> = names.iter().take(NAMES_LISTED).map(AsRef::as_ref).collect();
    let mut text = shown.join(", ");
    if names.len() > NAMES_LISTED {
        text.push_str(&format!(" and {} more", names.len() - NAMES_LISTED));
    }
    text
}

/// True when standard output is a terminal that accepts colour (honours `NO_COLOR`).
pub fn stdout_is_colour_terminal() -> bool {
    use std::io::IsTerminal;
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

#[cfg(test)]
mod tests {
    use super::first_few;

    #[test]
    fn first_few_lists_five_names_and_counts_the_rest() {
        let names: Vec<String> = (1..=8).map(|n| format!("{n}.json")).collect();
        assert_eq!(
            first_few(&names),
            "1.json, 2.json, 3.json, 4.json, 5.json and 3 more"
        );
        assert_eq!(
            first_few(&names[..5]),
            "1.json, 2.json, 3.json, 4.json, 5.json"
        );
        assert_eq!(first_few(&names[..1]), "1.json");
    }
}
