//! `rampart lsp`: runs the language server over standard input and output. Exit 0 after
//! `shutdown` then `exit`, 1 when the client leaves without `shutdown` (as the protocol asks),
//! 2 when the transport fails.

use super::{EXIT_FAILED, EXIT_INVALID, EXIT_OK};

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
        Ok(crate::lsp::Ending::Clean) => EXIT_OK,
        Ok(crate::lsp::Ending::WithoutShutdown) => {
            say!("rampart lsp: the client left without asking the server to shut down");
            EXIT_FAILED
        }
        Err(error) => {
            say!("rampart lsp: {error}");
            EXIT_INVALID
        }
    }
}
