//! Sequences of JSON-RPC messages fed to the language server in process over
//! `Connection::memory()`: open, change with arbitrary ranges, close, position requests at
//! arbitrary positions, rename, formatting, and garbage (unknown methods, wrong parameters).
//! No panic; every request is answered exactly once; closing every document brings the
//! server's retained state back to where it started; the server exits cleanly.
//!
//! One server thread serves many inputs (starting one per input cost more than the input):
//! each input ends by closing every document it opened and asking for the retained
//! state (`rampart/retained`), which must hold no document, no open text and no jurisdiction,
//! so the next input meets the same server as the first did. One input in 32 (by its first
//! byte) then sends `shutdown` and `exit`, checks that the thread ends cleanly, and the next
//! input starts a new server.
#![no_main]

use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::{Mutex, OnceLock};
use std::thread::JoinHandle;
use std::time::Duration;

use arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;
use lsp_server::{Connection, Message, Notification, Request, RequestId};
use serde_json::{Value, json};

/// A policy root on disk shared by every run (the server only reads it).
fn root() -> &'static PathBuf {
    static ROOT: OnceLock<PathBuf> = OnceLock::new();
    ROOT.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("rampart-fuzz-lsp-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("fixtures")).expect("a temp dir");
        std::fs::write(dir.join("main.rampart"), SEED).expect("write main.rampart");
        std::fs::write(dir.join("other.rampart"), "pillar q \"Q\"\n").expect("write other");
        std::fs::write(
            dir.join("fixtures/base.json"),
            "{\"staff\": {\"total\": 3}}",
        )
        .expect("write fixture");
        dir
    })
}

const SEED: &str = "use \"other.rampart\"\nsource s { title \"S\" }\npillar p \"P\"\nschema { staff: Staff  systems?: [System] }\ntype Staff { total: int  trained?: int }\ntype System { id: string  owner?: ref systems }\nparam min: int = 2\ndef ok = staff.total >= min\nnorm n-one {\n  title \"T\"\n  pillar p\n  severity low\n  cites s\n  require ok and all s in systems: exists(s.owner)\n    else \"{staff.total} é\"\n}\ntest \"t\" {\n  given \"fixtures/base.json\"\n  expect pass n-one\n}\n";

const FILES: &[&str] = &[
    "main.rampart",
    "other.rampart",
    "new.rampart",
    "doc.json",
    "../outside.rampart",
];
const METHODS: &[&str] = &[
    "textDocument/hover",
    "textDocument/completion",
    "textDocument/definition",
    "textDocument/references",
    "textDocument/documentHighlight",
    "textDocument/signatureHelp",
    "textDocument/prepareRename",
    "textDocument/rename",
    "textDocument/formatting",
    "textDocument/documentSymbol",
    "textDocument/foldingRange",
    "textDocument/semanticTokens/full",
    "textDocument/documentLink",
    "textDocument/codeAction",
    "workspace/symbol",
    "completionItem/resolve",
    "rampart/unknown",
    "$/cancelRequest",
];

fn uri(name: &str) -> String {
    format!("file://{}/{name}", root().display())
}

fn position(u: &mut Unstructured<'_>) -> Result<Value> {
    let line = if u.ratio(1, 8)? {
        u.arbitrary::<u32>()?
    } else {
        u.int_in_range(0..=25u32)?
    };
    let character = if u.ratio(1, 8)? {
        u.arbitrary::<u32>()?
    } else {
        u.int_in_range(0..=40u32)?
    };
    Ok(json!({ "line": line, "character": character }))
}

fn text(u: &mut Unstructured<'_>) -> Result<String> {
    Ok(match u.int_in_range(0..=3u8)? {
        0 => SEED.to_string(),
        1 => rampart_fuzz::policy_gen::policy(u)?,
        2 => {
            let at = u.int_in_range(0..=SEED.len())?;
            let mut s = SEED.to_string();
            while !s.is_char_boundary(at.min(s.len())) {
                s.pop();
            }
            s.truncate(at.min(s.len()));
            s.push_str(&u.arbitrary::<String>()?);
            s
        }
        _ => u.arbitrary()?,
    })
}

enum Sent {
    Request(RequestId),
    Notification,
}

fn message(
    u: &mut Unstructured<'_>,
    next_id: &mut i32,
    versions: &mut i32,
) -> Result<(Message, Sent)> {
    let name = *u.choose(FILES)?;
    let document = json!({ "uri": uri(name) });
    let notify = |method: &str, params: Value| {
        (
            Message::Notification(Notification::new(method.to_string(), params)),
            Sent::Notification,
        )
    };
    Ok(match u.int_in_range(0..=9u8)? {
        0 | 1 => notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": uri(name), "languageId": "rampart", "version": 1, "text": text(u)? } }),
        ),
        2 | 3 => {
            *versions += 1;
            let change = if u.ratio(1, 3)? {
                json!({ "text": text(u)? })
            } else {
                json!({ "range": { "start": position(u)?, "end": position(u)? }, "text": u.arbitrary::<String>()? })
            };
            notify(
                "textDocument/didChange",
                json!({ "textDocument": { "uri": uri(name), "version": *versions }, "contentChanges": [change] }),
            )
        }
        4 => notify("textDocument/didClose", json!({ "textDocument": document })),
        5 => {
            // Garbage: a notification or request with arbitrary parameters.
            let params: Value =
                serde_json::from_str(&u.arbitrary::<String>()?).unwrap_or(Value::Null);
            let method = *u.choose(METHODS)?;
            if u.arbitrary()? {
                notify(method, params)
            } else {
                *next_id += 1;
                let id = RequestId::from(*next_id);
                (
                    Message::Request(Request::new(id.clone(), method.to_string(), params)),
                    Sent::Request(id),
                )
            }
        }
        _ => {
            let method = *u.choose(METHODS)?;
            let mut params = json!({ "textDocument": document, "position": position(u)?,
                "query": u.arbitrary::<String>()?, "newName": u.choose(&["x", "n-two", "", "1bad", "é"])?,
                "options": { "tabSize": 2, "insertSpaces": true },
                "context": { "includeDeclaration": true, "diagnostics": [] },
                "range": { "start": position(u)?, "end": position(u)? } });
            if method == "completionItem/resolve" {
                params = json!({ "label": "x" });
            }
            *next_id += 1;
            let id = RequestId::from(*next_id);
            (
                Message::Request(Request::new(id.clone(), method.to_string(), params)),
                Sent::Request(id),
            )
        }
    })
}

/// The running server: the client's end of the connection, the thread, the next request id and
/// the retained state right after `initialize`.
struct Server {
    client: Connection,
    handle: JoinHandle<std::result::Result<rampart::lsp::Ending, rampart::lsp::LspError>>,
    next_id: i32,
    baseline: Value,
}

static SERVER: Mutex<Option<Server>> = Mutex::new(None);

impl Server {
    fn start() -> Server {
        let (server, client) = Connection::memory();
        let handle = std::thread::spawn(move || rampart::lsp::run(&server));
        let mut server = Server {
            client,
            handle,
            next_id: 1,
            baseline: Value::Null,
        };
        let root_uri = format!("file://{}", root().display());
        let id = server.request(
            "initialize",
            json!({ "capabilities": {}, "rootUri": root_uri }),
        );
        let response = server.response_to(&id, &mut HashSet::new());
        assert!(response.is_ok(), "{response:?}");
        server.notify("initialized", json!({}));
        server.baseline = server.retained(&mut HashSet::new());
        server
    }

    fn id(&mut self) -> RequestId {
        self.next_id += 1;
        RequestId::from(self.next_id)
    }

    fn send(&self, message: Message) {
        self.client.sender.send(message).expect("server running");
    }

    fn notify(&self, method: &str, params: Value) {
        self.send(Notification::new(method.into(), params).into());
    }

    fn request(&mut self, method: &str, params: Value) -> RequestId {
        let id = self.id();
        self.send(Request::new(id.clone(), method.into(), params).into());
        id
    }

    /// Receives until the response to `id`; every other response must answer one of
    /// `pending` (and is removed from it). The server answers requests in order.
    fn response_to(
        &self,
        id: &RequestId,
        pending: &mut HashSet<RequestId>,
    ) -> std::result::Result<Value, lsp_server::ResponseError> {
        loop {
            let message = self
                .client
                .receiver
                .recv_timeout(Duration::from_secs(60))
                .expect("the server answers within 60 s");
            match message {
                Message::Response(response) if response.id == *id => {
                    return response.response_result;
                }
                Message::Response(response) => assert!(
                    pending.remove(&response.id),
                    "unexpected or repeated answer {response:?}"
                ),
                _ => {}
            }
        }
    }

    /// The server's retained state (`rampart/retained`).
    fn retained(&mut self, pending: &mut HashSet<RequestId>) -> Value {
        let id = self.request("rampart/retained", Value::Null);
        self.response_to(&id, pending)
            .expect("rampart/retained is answered")
    }
}

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let mut guard = SERVER
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let server = guard.get_or_insert_with(Server::start);
    let mut messages = Vec::new();
    let mut versions = 1;
    while !u.is_empty() && messages.len() < 24 {
        match message(&mut u, &mut server.next_id, &mut versions) {
            Ok(m) => messages.push(m),
            Err(_) => break,
        }
    }
    // The documents this input opens (closing only those: a close re-checks the policy set).
    let opened: HashSet<String> = messages
        .iter()
        .filter_map(|(message, _)| match message {
            Message::Notification(n) if n.method == "textDocument/didOpen" => {
                n.params["textDocument"]["uri"].as_str().map(str::to_string)
            }
            _ => None,
        })
        .collect();
    let mut pending = HashSet::new();
    for (message, sent) in messages {
        if let Sent::Request(id) = sent {
            pending.insert(id);
        }
        server.send(message);
    }
    // Every request is answered before the answer to this one (the server answers in order),
    // so the input's messages are handled before the documents are closed below.
    let _ = server.retained(&mut pending);
    // A cancelled request may be answered with an error, but it must be answered.
    assert!(pending.is_empty(), "requests left unanswered: {pending:?}");
    // Close whatever this input opened; the server must be back where it started.
    for uri in opened {
        server.notify(
            "textDocument/didClose",
            json!({ "textDocument": { "uri": uri } }),
        );
    }
    let retained = server.retained(&mut pending);
    for (field, expected) in [("documents", 0), ("overlay_bytes", 0), ("jurisdictions", 0)] {
        assert_eq!(
            retained[field], expected,
            "{field} retained after closing everything: {retained}"
        );
    }
    assert!(
        retained["analyses"].as_u64()
            <= server.baseline["analyses"]
                .as_u64()
                .map(|n| n + FILES.len() as u64),
        "analyses pile up: {retained} (at the start: {})",
        server.baseline
    );
    if data.first().is_some_and(|byte| byte % 32 == 0) {
        let server = guard.take().expect("a server");
        let mut server = server;
        let shutdown = server.request("shutdown", Value::Null);
        let response = server.response_to(&shutdown, &mut HashSet::new());
        assert!(response.is_ok(), "{response:?}");
        server.notify("exit", Value::Null);
        let Server { client, handle, .. } = server;
        drop(client);
        let result = handle.join().expect("the server thread does not panic");
        assert!(
            matches!(result, Ok(rampart::lsp::Ending::Clean)),
            "{result:?}"
        );
    }
});
