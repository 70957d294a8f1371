//! `rampart schema --json-schema`: exports the jurisdiction document's schema as JSON Schema
//! (draft 2020-12) for editors and other validators.

use std::path::PathBuf;

use super::norms::print_stdout;
use super::policy::{PolicySource, load_program};
use super::{EXIT_INVALID, EXIT_OK};
use crate::reference;

/// Arguments of `rampart schema`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Print the schema as JSON Schema, draft 2020-12 (the only export so far).
    #[arg(long, required = true)]
    json_schema: bool,
    /// Policy directory (entry `main.rampart`) or file; the built-in library when omitted.
    #[arg(long, value_name = "PATH")]
    policy: Option<PathBuf>,
}

/// Runs `schema`; returns the exit code.
pub fn run(args: &Args) -> u8 {
    let Some(source) = PolicySource::from_arg(args.policy.as_deref()) else {
        return EXIT_INVALID;
    };
    let Some((_, program)) = load_program(&source) else {
        return EXIT_INVALID;
    };
    let schema = reference::json_schema(&program.schema);
    print_stdout(&(serde_json::to_string_pretty(&schema).unwrap_or_default() + "\n"));
    EXIT_OK
}
