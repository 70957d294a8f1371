//! Sequences of JSON-RPC messages fed to the language server in process over
//! `Connection::memory()`: open, change with arbitrary ranges, close, position requests at
//! arbitrary positions, rename, formatting, and garbage (unknown methods, wrong parameters).
//! No panic; every request is answered exactly once; the server exits cleanly.
#![no_main]

use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::OnceLock;
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

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let mut messages = Vec::new();
    let (mut next_id, mut versions) = (1, 1);
    while !u.is_empty() && messages.len() < 24 {
        match message(&mut u, &mut next_id, &mut versions) {
            Ok(m) => messages.push(m),
            Err(_) => break,
        }
    }
    let (server, client) = Connection::memory();
    let handle = std::thread::spawn(move || rampart::lsp::run(&server));
    let receive = || {
        client
            .receiver
            .recv_timeout(Duration::from_secs(60))
            .expect("the server answers within 60 s")
    };
    let root_uri = format!("file://{}", root().display());
    client
        .sender
        .send(
            Request::new(
                RequestId::from(1),
                "initialize".into(),
                json!({ "capabilities": {}, "rootUri": root_uri }),
            )
            .into(),
        )
        .expect("server running");
    loop {
        if let Message::Response(response) = receive() {
            assert!(response.response_result.is_ok(), "{response:?}");
            break;
        }
    }
    client
        .sender
        .send(Notification::new("initialized".into(), json!({})).into())
        .expect("server running");
    let mut pending = HashSet::new();
    for (message, sent) in messages {
        if let Sent::Request(id) = sent {
            pending.insert(id);
        }
        client.sender.send(message).expect("server running");
    }
    next_id += 1;
    let shutdown = RequestId::from(next_id);
    client
        .sender
        .send(Request::new(shutdown.clone(), "shutdown".into(), Value::Null).into())
        .expect("server running");
    loop {
        match receive() {
            Message::Response(response) if response.id == shutdown => break,
            Message::Response(response) => {
                assert!(
                    pending.remove(&response.id),
                    "unexpected or repeated answer {response:?}"
                );
            }
            _ => {}
        }
    }
    // A cancelled request may be answered with an error, but it must be answered.
    assert!(pending.is_empty(), "requests left unanswered: {pending:?}");
    client
        .sender
        .send(Notification::new("exit".into(), Value::Null).into())
        .expect("server running");
    let result = handle.join().expect("the server thread does not panic");
    assert!(result.is_ok(), "{result:?}");
});
