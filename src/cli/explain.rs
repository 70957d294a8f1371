//! `rampart explain NORM`: everything about one norm, from its doc and citations to its
//! requirements as written and the evidence fields it reads.

use std::path::PathBuf;

use super::norms::{print_error, print_stdout};
use super::policy::{PolicySource, load_program};
use super::{EXIT_INVALID, EXIT_OK};
use crate::reference;

/// Arguments of `rampart explain`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The norm's id, such as `cert-required-by-law`.
    #[arg(value_name = "NORM")]
    norm: String,
    /// Policy directory (entry `main.rampart`) or file; the built-in library when omitted.
    #[arg(long, value_name = "PATH")]
    policy: Option<PathBuf>,
}

/// Runs `explain`; returns the exit code.
pub fn run(args: &Args) -> u8 {
    let Some(source) = PolicySource::from_arg(args.policy.as_deref()) else {
        return EXIT_INVALID;
    };
    let Some((workspace, program)) = load_program(&source) else {
        return EXIT_INVALID;
    };
    match reference::explain(&program, &workspace, &args.norm) {
        Ok(explanation) => {
            print_stdout(&reference::render_explanation(&program, &explanation));
            EXIT_OK
        }
        Err(error) => {
            print_error(&error);
            EXIT_INVALID
        }
    }
}
