//! `rampart lsp`: runs the language server over standard input and output.

use super::{EXIT_INVALID, EXIT_OK};

/// Arguments of `rampart lsp`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Accepted for editors that pass it; stdio is the only transport.
    #[arg(long)]
    stdio: bool,
}

/// Serves one editor until it exits.
pub fn run(args: &Args) -> u8 {
    let _ = args.stdio;
    match crate::lsp::run_stdio() {
        Ok(()) => EXIT_OK,
        Err(error) => {
            say!("rampart lsp: {error}");
            EXIT_INVALID
        }
    }
}
