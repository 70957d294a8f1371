//! The language server: `rampart lsp` speaks the Language Server Protocol over stdio.
//!
//! It owns the editor-facing shell around the core: open buffers laid over the files of a policy
//! root (`world`), conversion between byte spans and LSP positions (`convert`), a
//! name-resolution index built from the AST and the checked program (`index`), and one small
//! module per feature (hover, navigation, completion, …). The loop (`main_loop`) is plain and
//! synchronous: receive, drain what is pending, re-check what changed, answer; only the freeing
//! of replaced analyses happens on a thread of its own (`retire`). Open jurisdiction
//! documents (JSON or YAML) are validated and evaluated against their policy set, or the embedded
//! library, and their failing norms shown where the evidence is written (`jurisdiction`).
//!
//! It does not parse, resolve or type anything itself beyond what editors need on top of the
//! core: it calls `syntax::parse`, `workspace::Workspace::load` and `check::check`. It is the only
//! module that imports `lsp_types`.

mod actions;
mod analysis;
mod completion;
mod convert;
mod folding;
mod format;
mod hover;
mod index;
mod infer;
mod jurisdiction;
mod links;
mod main_loop;
mod navigation;
mod paths;
mod retire;
mod semantic;
mod signature;
mod syntax_at;
mod transport;
mod world;

use lsp_server::{Connection, ProtocolError};

/// Why the language server stopped abnormally.
#[derive(Debug, thiserror::Error)]
pub enum LspError {
    /// The client broke the protocol (for example, no `initialize` first).
    #[error("protocol error: {0}")]
    Protocol(#[from] ProtocolError),
    /// Reading or writing the transport failed.
    #[error("transport error: {0}")]
    Io(#[from] std::io::Error),
    /// The server's own messages could not be encoded.
    #[error("cannot encode a message: {0}")]
    Json(#[from] serde_json::Error),
}

/// Serves one client over standard input and output until it exits.
pub fn run_stdio() -> Result<(), LspError> {
    let (connection, transport) = transport::stdio();
    let result = run(&connection);
    drop(connection);
    transport.join();
    result
}

/// Serves one client over `connection`: the `initialize` handshake, then the main loop until
/// `exit` or until the client disconnects.
pub fn run(connection: &Connection) -> Result<(), LspError> {
    let capabilities = serde_json::to_value(main_loop::capabilities())?;
    let (id, params) = connection.initialize_start()?;
    let result = serde_json::json!({
        "capabilities": capabilities,
        "serverInfo": { "name": "rampart", "version": env!("CARGO_PKG_VERSION") },
    });
    connection.initialize_finish(id, result)?;
    let folders = main_loop::workspace_folders(params);
    main_loop::run(connection, folders)
}
