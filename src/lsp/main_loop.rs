//! The main loop: receive a message, drain every message already waiting (so a burst of edits
//! is checked once), apply notifications to the [`World`], re-check the policy sets that
//! changed and publish their diagnostics, then answer the requests in order.
//!
//! Messages are read from the connection into an [`Inbox`] as soon as they have arrived, and
//! before each request is answered: a `$/cancelRequest` among them marks its request, which is
//! then answered with `RequestCancelled` instead of being run. A cancellation of a request that
//! is unknown or already answered is ignored.
//!
//! The dispatch is a closed `match` on method names; a request with unreadable parameters gets
//! an `InvalidParams` error and an unknown method `MethodNotFound`, never a crash.

use std::collections::{HashSet, VecDeque};
use std::io;

use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::Notification as _;
use lsp_types::request::Request as _;
use lsp_types::{
    CodeActionProviderCapability, CompletionOptions, HoverProviderCapability, InitializeParams,
    OneOf, RenameOptions, SemanticTokensFullOptions, SemanticTokensOptions,
    SemanticTokensServerCapabilities, ServerCapabilities, SignatureHelpOptions,
    TextDocumentSyncCapability, TextDocumentSyncKind, TextDocumentSyncOptions,
    TextDocumentSyncSaveOptions, Url, notification as notif, request as req,
};
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::world::World;
use super::{
    Ending, LspError, actions, completion, folding, format, hover, jurisdiction, links, navigation,
    semantic, signature,
};

/// A request of our own: the server's retained state ([`World::retained`]), for tests and
/// benchmarks that watch memory stay flat.
pub(crate) const RETAINED_METHOD: &str = "rampart/retained";

/// What the server can do, announced in the `initialize` response.
pub(crate) fn capabilities() -> ServerCapabilities {
    ServerCapabilities {
        text_document_sync: Some(TextDocumentSyncCapability::Options(
            TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::INCREMENTAL),
                save: Some(TextDocumentSyncSaveOptions::Supported(true)),
                ..TextDocumentSyncOptions::default()
            },
        )),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(vec![".".into(), "\"".into(), " ".into()]),
            ..CompletionOptions::default()
        }),
        signature_help_provider: Some(SignatureHelpOptions {
            trigger_characters: Some(vec!["(".into(), ",".into()]),
            ..SignatureHelpOptions::default()
        }),
        definition_provider: Some(OneOf::Left(true)),
        references_provider: Some(OneOf::Left(true)),
        rename_provider: Some(OneOf::Right(RenameOptions {
            prepare_provider: Some(true),
            work_done_progress_options: Default::default(),
        })),
        document_symbol_provider: Some(OneOf::Left(true)),
        workspace_symbol_provider: Some(OneOf::Left(true)),
        code_action_provider: Some(CodeActionProviderCapability::Simple(true)),
        semantic_tokens_provider: Some(SemanticTokensServerCapabilities::SemanticTokensOptions(
            SemanticTokensOptions {
                legend: semantic::legend(),
                full: Some(SemanticTokensFullOptions::Bool(true)),
                range: None,
                ..SemanticTokensOptions::default()
            },
        )),
        document_formatting_provider: Some(OneOf::Left(true)),
        folding_range_provider: Some(lsp_types::FoldingRangeProviderCapability::Simple(true)),
        document_link_provider: Some(lsp_types::DocumentLinkOptions {
            resolve_provider: Some(false),
            work_done_progress_options: Default::default(),
        }),
        execute_command_provider: Some(lsp_types::ExecuteCommandOptions {
            commands: vec![jurisdiction::EXPLAIN_COMMAND.to_string()],
            work_done_progress_options: Default::default(),
        }),
        ..ServerCapabilities::default()
    }
}

/// What the client said it supports, among what the server would otherwise assume.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct ClientSupport {
    /// Completion items may be snippets (`${1:id}` placeholders).
    pub snippets: bool,
    /// The server may ask the client to open a document (`window/showDocument`).
    pub show_document: bool,
    /// The server may ask the client to watch files (`client/registerCapability`).
    pub register_watchers: bool,
}

/// The workspace folders named in the `initialize` parameters, and what the client supports
/// (unreadable parameters: no folder, no support).
pub(crate) fn client_setup(params: serde_json::Value) -> (Vec<Url>, ClientSupport) {
    let Ok(params) = serde_json::from_value::<InitializeParams>(params) else {
        return (Vec::new(), ClientSupport::default());
    };
    let capabilities = &params.capabilities;
    let snippets = (capabilities.text_document.as_ref()).and_then(|text| {
        text.completion
            .as_ref()?
            .completion_item
            .as_ref()?
            .snippet_support
    });
    let show_document = (capabilities.window.as_ref())
        .and_then(|window| Some(window.show_document.as_ref()?.support));
    let register_watchers = (capabilities.workspace.as_ref())
        .and_then(|workspace| workspace.did_change_watched_files?.dynamic_registration);
    let support = ClientSupport {
        snippets: snippets.unwrap_or(false),
        show_document: show_document.unwrap_or(false),
        register_watchers: register_watchers.unwrap_or(false),
    };
    let mut folders: Vec<Url> = params
        .workspace_folders
        .unwrap_or_default()
        .into_iter()
        .map(|folder| folder.uri)
        .collect();
    #[allow(deprecated)]
    if let Some(root) = params.root_uri {
        folders.push(root);
    }
    (folders, support)
}

/// Runs the loop until `exit` or until the client disconnects; says whether `shutdown` came
/// first.
pub(crate) fn run(
    connection: &Connection,
    (folders, support): (Vec<Url>, ClientSupport),
) -> Result<Ending, LspError> {
    let mut world = World::new(folders, support);
    if support.register_watchers {
        send(connection, watch_policy_files())?;
    }
    let mut shutting_down = false;
    // The workspace folders' policy sets are checked before the first message arrives.
    publish_diagnostics(connection, &mut world)?;
    let mut inbox = Inbox::new(connection);
    while let Some(batch) = Batch::drain(&mut inbox, &mut world) {
        publish_diagnostics(connection, &mut world)?;
        for request in batch.requests {
            if inbox.answering(&request.id) {
                let text = "the request was cancelled";
                send(
                    connection,
                    error(request.id, ErrorCode::RequestCanceled, text),
                )?;
                continue;
            }
            if let Some(show) = show_norm(&world, &request) {
                send(connection, show)?;
            }
            send(connection, answer(&world, request, &mut shutting_down))?;
        }
        if batch.exit {
            break;
        }
    }
    Ok(if shutting_down {
        Ending::Clean
    } else {
        Ending::WithoutShutdown
    })
}

/// Asks the client to report changes to policy files and jurisdiction documents on disk (a
/// file changed by git or another editor), for clients that do not watch them on their own.
fn watch_policy_files() -> Request {
    let watchers: Vec<lsp_types::FileSystemWatcher> = ["**/*.rampart", "**/*.{json,yaml,yml}"]
        .into_iter()
        .map(|pattern| lsp_types::FileSystemWatcher {
            glob_pattern: lsp_types::GlobPattern::String(pattern.to_string()),
            kind: None,
        })
        .collect();
    let options = lsp_types::DidChangeWatchedFilesRegistrationOptions { watchers };
    let registration = lsp_types::Registration {
        id: "rampart-watch-files".to_string(),
        method: notif::DidChangeWatchedFiles::METHOD.to_string(),
        register_options: serde_json::to_value(options).ok(),
    };
    let params = lsp_types::RegistrationParams {
        registrations: vec![registration],
    };
    Request::new(
        RequestId::from("rampart-watch-files".to_string()),
        req::RegisterCapability::METHOD.to_string(),
        params,
    )
}

/// Re-checks what changed and publishes the diagnostics.
fn publish_diagnostics(connection: &Connection, world: &mut World) -> Result<(), LspError> {
    for params in world.refresh() {
        let method = notif::PublishDiagnostics::METHOD.to_string();
        send(connection, Notification::new(method, params))?;
    }
    world.release();
    Ok(())
}

/// The messages read from the connection and not handled yet, and the requests among them (or
/// taken from them) that are not answered yet and those the client cancelled.
struct Inbox<'a> {
    connection: &'a Connection,
    waiting: VecDeque<Message>,
    /// Requests read and not answered yet.
    unanswered: HashSet<RequestId>,
    /// The requests of `unanswered` that a `$/cancelRequest` named.
    cancelled: HashSet<RequestId>,
}

impl<'a> Inbox<'a> {
    fn new(connection: &'a Connection) -> Self {
        Inbox {
            connection,
            waiting: VecDeque::new(),
            unanswered: HashSet::new(),
            cancelled: HashSet::new(),
        }
    }

    /// The first waiting message, else the next to arrive; `None` once the client has gone.
    fn next(&mut self) -> Option<Message> {
        loop {
            if let Some(message) = self.waiting.pop_front() {
                return Some(message);
            }
            let message = self.connection.receiver.recv().ok()?;
            self.take(message);
        }
    }

    /// Reads every message that has already arrived.
    fn read_available(&mut self) {
        while let Ok(message) = self.connection.receiver.try_recv() {
            self.take(message);
        }
    }

    /// Queues `message`; a cancellation is applied at once instead.
    fn take(&mut self, message: Message) {
        match message {
            Message::Notification(notification) if notification.method == notif::Cancel::METHOD => {
                self.cancel(notification);
            }
            Message::Request(request) => {
                // The id is kept apart from the request, which goes on to be answered.
                self.unanswered.insert(request.id.clone());
                self.waiting.push_back(Message::Request(request));
            }
            message => self.waiting.push_back(message),
        }
    }

    /// Marks the request a `$/cancelRequest` names, when it is read and not answered yet.
    fn cancel(&mut self, notification: Notification) {
        let Ok(params) = params::<lsp_types::CancelParams>(notification) else {
            return;
        };
        let id = match params.id {
            lsp_types::NumberOrString::Number(number) => RequestId::from(number),
            lsp_types::NumberOrString::String(text) => RequestId::from(text),
        };
        if self.unanswered.contains(&id) {
            self.cancelled.insert(id);
        }
    }

    /// True when the request `id`, about to be answered, was cancelled, counting the
    /// cancellations that have arrived by now; it is no longer waiting for an answer after this.
    fn answering(&mut self, id: &RequestId) -> bool {
        self.read_available();
        self.unanswered.remove(id);
        self.cancelled.remove(id)
    }
}

/// The messages that arrived together, with their notifications already applied.
struct Batch {
    requests: Vec<Request>,
    exit: bool,
}

impl Batch {
    /// Takes the next message and those already waiting, applying notifications to `world`, up
    /// to a notification that follows a request: that one stays first in the inbox, to start
    /// the next batch, so that each request is answered on the text it was asked about (the
    /// edits before it applied, none after it). Edits that arrive together are still checked
    /// once. `None` once the client has gone.
    fn drain(inbox: &mut Inbox, world: &mut World) -> Option<Batch> {
        let mut message = inbox.next()?;
        inbox.read_available();
        let mut batch = Batch {
            requests: Vec::new(),
            exit: false,
        };
        loop {
            match message {
                Message::Request(request) => batch.requests.push(request),
                Message::Notification(n) if n.method == notif::Exit::METHOD => batch.exit = true,
                Message::Notification(notification) if !batch.requests.is_empty() => {
                    inbox
                        .waiting
                        .push_front(Message::Notification(notification));
                    break;
                }
                Message::Notification(notification) => on_notification(world, notification),
                Message::Response(_) => {}
            }
            let Some(next) = inbox.waiting.pop_front() else {
                break;
            };
            message = next;
        }
        Some(batch)
    }
}

/// The response to `request`; after `shutdown`, every request is refused.
fn answer(world: &World, request: Request, shutting_down: &mut bool) -> Response {
    if *shutting_down {
        return error(
            request.id,
            ErrorCode::InvalidRequest,
            "the server is shutting down",
        );
    }
    if request.method == req::Shutdown::METHOD {
        *shutting_down = true;
        return Response::new_ok(request.id, ());
    }
    if request.method == req::Initialize::METHOD {
        let text = "the server is already initialized";
        return error(request.id, ErrorCode::InvalidRequest, text);
    }
    on_request(world, request)
}

fn send(connection: &Connection, message: impl Into<Message>) -> Result<(), LspError> {
    connection
        .sender
        .send(message.into())
        .map_err(|_| io::Error::new(io::ErrorKind::BrokenPipe, "the client went away").into())
}

fn on_notification(world: &mut World, notification: Notification) {
    let method = notification.method.clone();
    let result = match method.as_str() {
        notif::DidOpenTextDocument::METHOD => params(notification).map(|p| world.open(p)),
        notif::DidChangeTextDocument::METHOD => params(notification).map(|p| world.change(p)),
        notif::DidCloseTextDocument::METHOD => params(notification).map(|p| world.close(p)),
        notif::DidSaveTextDocument::METHOD => params(notification).map(|p| world.saved(p)),
        notif::DidChangeWatchedFiles::METHOD => {
            params::<lsp_types::DidChangeWatchedFilesParams>(notification)
                .map(|p| world.files_changed(p))
        }
        _ => Ok(()),
    };
    if let Err(error) = result {
        say!("rampart lsp: ignoring `{method}`: {error}");
    }
}

fn params<P: DeserializeOwned>(notification: Notification) -> Result<P, serde_json::Error> {
    serde_json::from_value(notification.params)
}

fn on_request(world: &World, request: Request) -> Response {
    match request.method.as_str() {
        req::HoverRequest::METHOD => handle::<req::HoverRequest>(world, request, hover::hover),
        req::GotoDefinition::METHOD => {
            handle::<req::GotoDefinition>(world, request, navigation::definition)
        }
        req::References::METHOD => {
            handle::<req::References>(world, request, navigation::references)
        }
        req::PrepareRenameRequest::METHOD => {
            handle::<req::PrepareRenameRequest>(world, request, navigation::prepare_rename)
        }
        req::Rename::METHOD => handle_fallible::<req::Rename>(world, request, navigation::rename),
        req::DocumentSymbolRequest::METHOD => {
            handle::<req::DocumentSymbolRequest>(world, request, navigation::document_symbols)
        }
        req::WorkspaceSymbolRequest::METHOD => {
            handle::<req::WorkspaceSymbolRequest>(world, request, navigation::workspace_symbols)
        }
        req::Completion::METHOD => handle::<req::Completion>(world, request, completion::complete),
        req::SignatureHelpRequest::METHOD => {
            handle::<req::SignatureHelpRequest>(world, request, signature::signature_help)
        }
        req::SemanticTokensFullRequest::METHOD => {
            handle::<req::SemanticTokensFullRequest>(world, request, semantic::full)
        }
        req::FoldingRangeRequest::METHOD => {
            handle::<req::FoldingRangeRequest>(world, request, folding::folding_ranges)
        }
        req::DocumentLinkRequest::METHOD => {
            handle::<req::DocumentLinkRequest>(world, request, links::document_links)
        }
        req::Formatting::METHOD => handle::<req::Formatting>(world, request, format::format),
        req::CodeActionRequest::METHOD => {
            handle::<req::CodeActionRequest>(world, request, actions::code_actions)
        }
        req::ExecuteCommand::METHOD => {
            handle_fallible::<req::ExecuteCommand>(world, request, execute_command)
        }
        RETAINED_METHOD => Response::new_ok(request.id, world.retained()),
        _ => error(request.id, ErrorCode::MethodNotFound, "unknown method"),
    }
}

/// Decodes the parameters of `request`, runs `handler` and encodes its result.
fn handle<R>(
    world: &World,
    request: Request,
    handler: fn(&World, R::Params) -> R::Result,
) -> Response
where
    R: req::Request,
    R::Params: DeserializeOwned,
    R::Result: Serialize,
{
    handle_fallible::<R>(world, request, |world, params| Ok(handler(world, params)))
}

/// Like [`handle`] for handlers that can refuse a request with a message.
fn handle_fallible<R>(
    world: &World,
    request: Request,
    handler: impl Fn(&World, R::Params) -> Result<R::Result, String>,
) -> Response
where
    R: req::Request,
    R::Params: DeserializeOwned,
    R::Result: Serialize,
{
    let params = match serde_json::from_value::<R::Params>(request.params) {
        Ok(params) => params,
        Err(err) => return error(request.id, ErrorCode::InvalidParams, &err.to_string()),
    };
    match handler(world, params) {
        Ok(result) => Response::new_ok(request.id, result),
        Err(message) => error(request.id, ErrorCode::InvalidRequest, &message),
    }
}

/// The norm an `Explain norm` command names, and the jurisdiction document it came from.
fn explain_arguments(params: &lsp_types::ExecuteCommandParams) -> Option<(&str, Url)> {
    if params.command != jurisdiction::EXPLAIN_COMMAND {
        return None;
    }
    let id = params.arguments.first()?.as_str()?;
    let uri = Url::parse(params.arguments.get(1)?.as_str()?).ok()?;
    Some((id, uri))
}

/// Answers `workspace/executeCommand`: the explanation of a norm, as `rampart explain` prints it.
fn execute_command(
    world: &World,
    params: lsp_types::ExecuteCommandParams,
) -> Result<Option<serde_json::Value>, String> {
    let (id, uri) = explain_arguments(&params).ok_or("unknown command or arguments")?;
    let analysis = world
        .jurisdiction_analysis(&uri)
        .ok_or("not an open jurisdiction document")?;
    let (text, _, _) = jurisdiction::explain(analysis, id).ok_or("unknown norm")?;
    Ok(Some(serde_json::Value::String(text)))
}

/// For an `Explain norm` command whose norm is declared in a file on disk, a
/// `window/showDocument` request that opens the declaration.
fn show_norm(world: &World, request: &Request) -> Option<Request> {
    if request.method != req::ExecuteCommand::METHOD || !world.client.show_document {
        return None;
    }
    let params: lsp_types::ExecuteCommandParams =
        serde_json::from_value(request.params.clone()).ok()?;
    let (id, uri) = explain_arguments(&params)?;
    let analysis = world.jurisdiction_analysis(&uri)?;
    let (_, norm_uri, range) = jurisdiction::explain(analysis, id)?;
    let show = lsp_types::ShowDocumentParams {
        uri: norm_uri?,
        external: Some(false),
        take_focus: Some(true),
        selection: Some(range),
    };
    let id = RequestId::from(format!("rampart-show-{}", request.id));
    Some(Request::new(
        id,
        req::ShowDocument::METHOD.to_string(),
        show,
    ))
}

fn error(id: RequestId, code: ErrorCode, message: &str) -> Response {
    Response::new_err(id, code as i32, message.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(version: i32) -> Message {
        let params = serde_json::json!({
            "textDocument": { "uri": "file:///nowhere/main.rampart", "version": version },
            "contentChanges": [{ "text": "" }] });
        Notification::new(notif::DidChangeTextDocument::METHOD.into(), params).into()
    }

    fn hover(id: i32) -> Message {
        let params = serde_json::json!({ "textDocument": { "uri": "file:///nowhere/main.rampart" },
            "position": { "line": 0, "character": 0 } });
        Request::new(id.into(), req::HoverRequest::METHOD.into(), params).into()
    }

    #[test]
    fn a_batch_ends_at_a_notification_that_follows_a_request() {
        let (server, client) = Connection::memory();
        for message in [
            change(2),
            change(3),
            hover(1),
            hover(2),
            change(4),
            hover(3),
        ] {
            client.sender.send(message).expect("the channel is open");
        }
        let mut world = World::new(Vec::new(), ClientSupport::default());
        let mut inbox = Inbox::new(&server);
        let batch = Batch::drain(&mut inbox, &mut world).expect("a batch");
        // Both edits before the hovers are applied together; the edit after them waits.
        let ids: Vec<RequestId> = batch.requests.into_iter().map(|r| r.id).collect();
        assert_eq!(ids, [RequestId::from(1), RequestId::from(2)]);
        assert!(
            matches!(inbox.waiting.front(), Some(Message::Notification(n)) if n.params["textDocument"]["version"] == 4)
        );
        let next = Batch::drain(&mut inbox, &mut world).expect("a batch");
        assert_eq!(next.requests.len(), 1);
        assert!(inbox.waiting.is_empty());
    }

    fn cancel(id: i32) -> Message {
        let params = serde_json::json!({ "id": id });
        Notification::new(notif::Cancel::METHOD.into(), params).into()
    }

    #[test]
    fn a_cancellation_that_arrives_before_its_request_is_answered_counts() {
        let (server, client) = Connection::memory();
        let send = |message: Message| client.sender.send(message).expect("the channel is open");
        send(hover(1));
        send(hover(2));
        let mut world = World::new(Vec::new(), ClientSupport::default());
        let mut inbox = Inbox::new(&server);
        let batch = Batch::drain(&mut inbox, &mut world).expect("a batch");
        assert_eq!(batch.requests.len(), 2);
        // Both arrive while the batch is being answered: one names a request of the batch, the
        // other a request never sent, which is not remembered.
        send(cancel(2));
        send(cancel(7));
        assert!(!inbox.answering(&RequestId::from(1)));
        assert!(inbox.answering(&RequestId::from(2)));
        assert!(inbox.unanswered.is_empty() && inbox.cancelled.is_empty());
        // Once answered, a request cannot be cancelled.
        send(cancel(1));
        inbox.read_available();
        assert!(inbox.cancelled.is_empty() && inbox.waiting.is_empty());
    }
}
