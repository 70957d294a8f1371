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
mod request_ids;
mod retire;
mod semantic;
mod signature;
mod syntax_at;
mod transport;
mod world;

use lsp_server::Connection;

/// Why the language server stopped abnormally.
#[derive(Debug, thiserror::Error)]
pub enum LspError {
    /// Reading or writing the transport failed.
    #[error("transport error: {0}")]
    Io(#[from] std::io::Error),
    /// The server's own messages could not be encoded.
    #[error("cannot encode a message: {0}")]
    Json(#[from] serde_json::Error),
}

/// How a session ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ending {
    /// `exit` (or the end of the input) after `shutdown`: exit status 0.
    Clean,
    /// `exit` or the end of the input without `shutdown` first: exit status 1, as the protocol
    /// asks.
    WithoutShutdown,
}

/// Serves one client over standard input and output until it exits.
pub fn run_stdio() -> Result<Ending, LspError> {
    let (connection, transport) = transport::stdio();
    let result = run(&connection);
    drop(connection);
    transport.join();
    result
}

/// Serves one client over `connection`: the `initialize` handshake, then the main loop until
/// `exit` or until the client disconnects. The loop starts as soon as `initialize` is
/// answered: the `initialized` notification needs no wait (a client may send `$/setTrace`
/// before it), and it changes nothing when it comes.
pub fn run(connection: &Connection) -> Result<Ending, LspError> {
    let capabilities = serde_json::to_value(main_loop::capabilities())?;
    let Some((id, params)) = await_initialize(connection)? else {
        return Ok(Ending::WithoutShutdown);
    };
    let result = serde_json::json!({
        "capabilities": capabilities,
        "serverInfo": { "name": "rampart", "version": env!("CARGO_PKG_VERSION") },
    });
    let response = lsp_server::Response::new_ok(id, result);
    if connection.sender.send(response.into()).is_err() {
        return Ok(Ending::WithoutShutdown);
    }
    main_loop::run(connection, main_loop::client_setup(params))
}

/// Waits for `initialize`, refusing every other request with "server not initialized" and
/// ignoring notifications; `None` when the client exits or goes away first.
fn await_initialize(
    connection: &Connection,
) -> Result<Option<(lsp_server::RequestId, serde_json::Value)>, LspError> {
    use lsp_server::{ErrorCode, Message, Response};
    for message in &connection.receiver {
        match message {
            Message::Request(request) if request.method == "initialize" => {
                return Ok(Some((request.id, request.params)));
            }
            Message::Request(request) => {
                let code = ErrorCode::ServerNotInitialized as i32;
                let text = format!(
                    "the server is not initialized: `{}` must follow `initialize`",
                    request.method
                );
                let refusal = Response::new_err(request.id, code, text);
                if connection.sender.send(refusal.into()).is_err() {
                    return Ok(None);
                }
            }
            Message::Notification(notification) if notification.method == "exit" => {
                return Ok(None);
            }
            Message::Notification(_) | Message::Response(_) => {}
        }
    }
    Ok(None)
}
