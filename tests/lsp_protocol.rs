//! The language server driven in process over `lsp_server::Connection::memory()`: the
//! handshake, diagnostics that appear and clear, hover, completion, definition, rename across
//! files, and robustness against garbage, unknown methods, closed documents, out-of-range
//! positions, bursts of edits and non-ASCII text.

use std::path::{Path, PathBuf};
use std::thread;
use std::time::Duration;

use lsp_server::{Connection, Message, Notification, Request, RequestId, ResponseError};
use proptest::strategy::Strategy as _;
use serde_json::{Value, json};

/// A client connected to a server running on its own thread.
struct Client {
    connection: Connection,
    server: Option<thread::JoinHandle<()>>,
    next_id: i32,
    /// Notifications received while waiting for responses.
    notifications: Vec<Notification>,
    /// Requests from the server received while waiting for responses.
    server_requests: Vec<Request>,
    root: PathBuf,
}

impl Client {
    /// Starts a server on `root` and completes the handshake, as a client that takes snippets
    /// and may be asked to show documents.
    fn start(root: &Path) -> Client {
        let capabilities = json!({
            "textDocument": { "completion": { "completionItem": { "snippetSupport": true } } },
            "window": { "showDocument": { "support": true } } });
        Client::start_with(root, capabilities)
    }

    /// Starts a server on `root` and completes the handshake, as a client with `capabilities`.
    fn start_with(root: &Path, capabilities: Value) -> Client {
        let (server, client) = Connection::memory();
        let handle = thread::spawn(move || {
            let ending = rampart::lsp::run(&server).expect("the server runs");
            assert_eq!(ending, rampart::lsp::Ending::Clean, "shutdown, then exit");
        });
        let mut client = Client {
            connection: client,
            server: Some(handle),
            next_id: 0,
            notifications: Vec::new(),
            server_requests: Vec::new(),
            root: root.to_path_buf(),
        };
        let root_uri = uri(root);
        let result = client.request(
            "initialize",
            json!({ "capabilities": capabilities, "rootUri": root_uri, "workspaceFolders": [{ "uri": root_uri, "name": "test" }] }),
        );
        assert!(
            result["capabilities"]["hoverProvider"]
                .as_bool()
                .unwrap_or(false)
        );
        assert_eq!(result["serverInfo"]["name"], "rampart", "{result}");
        client.notify("initialized", json!({}));
        client
    }

    fn notify(&self, method: &str, params: Value) {
        let notification = Notification::new(method.to_string(), params);
        self.connection
            .sender
            .send(notification.into())
            .expect("server is running");
    }

    /// Sends a request without waiting; returns its id.
    fn send_request(&mut self, method: &str, params: Value) -> RequestId {
        self.next_id += 1;
        let id = RequestId::from(self.next_id);
        let request = Request::new(id.clone(), method.to_string(), params);
        self.connection
            .sender
            .send(request.into())
            .expect("server is running");
        id
    }

    /// Waits until every request of `ids` is answered; returns the responses in arrival order.
    fn responses(&mut self, ids: &[RequestId]) -> Vec<lsp_server::Response> {
        let mut answered = Vec::new();
        while answered.len() < ids.len() {
            match self.receive() {
                Message::Response(response) => {
                    assert!(ids.contains(&response.id), "unexpected {response:?}");
                    assert!(
                        !answered
                            .iter()
                            .any(|r: &lsp_server::Response| r.id == response.id),
                        "answered twice: {response:?}"
                    );
                    answered.push(response);
                }
                Message::Notification(notification) => self.notifications.push(notification),
                Message::Request(request) => self.server_requests.push(request),
            }
        }
        answered
    }

    /// Sends a request and waits for its response.
    fn request_raw(&mut self, method: &str, params: Value) -> Result<Value, ResponseError> {
        let id = self.send_request(method, params);
        loop {
            match self.receive() {
                Message::Response(response) if response.id == id => {
                    return response.response_result;
                }
                Message::Notification(notification) => self.notifications.push(notification),
                Message::Request(request) => self.server_requests.push(request),
                Message::Response(_) => {}
            }
        }
    }

    /// Sends a request and returns its result, failing on an error response.
    fn request(&mut self, method: &str, params: Value) -> Value {
        match self.request_raw(method, params) {
            Ok(result) => result,
            Err(error) => panic!("{method} failed: {error:?}"),
        }
    }

    fn receive(&self) -> Message {
        self.connection
            .receiver
            .recv_timeout(Duration::from_secs(30))
            .expect("the server answers within 30 s")
    }

    fn open(&self, name: &str, text: &str) {
        self.open_as(name, "rampart", text);
    }

    fn open_as(&self, name: &str, language_id: &str, text: &str) {
        let params = json!({ "textDocument": {
            "uri": self.uri(name), "languageId": language_id, "version": 1, "text": text } });
        self.notify("textDocument/didOpen", params);
    }

    fn change_all(&self, name: &str, version: i32, text: &str) {
        let params = json!({ "textDocument": { "uri": self.uri(name), "version": version },
            "contentChanges": [{ "text": text }] });
        self.notify("textDocument/didChange", params);
    }

    fn uri(&self, name: &str) -> String {
        uri(&self.root.join(name))
    }

    /// The latest diagnostics published for `name`, waiting for them when needed.
    fn diagnostics(&mut self, name: &str) -> Vec<Value> {
        let published = self.published(name);
        published["diagnostics"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    }

    /// The parameters of the latest `publishDiagnostics` for `name`.
    fn published(&mut self, name: &str) -> Value {
        // A round trip guarantees every notification of earlier messages has arrived.
        self.request("workspace/symbol", json!({ "query": "" }));
        let uri = self.uri(name);
        let latest = self.notifications.iter().rev().find(|n| {
            n.method == "textDocument/publishDiagnostics" && n.params["uri"] == uri.as_str()
        });
        let latest = latest.unwrap_or_else(|| panic!("no diagnostics published for {name}"));
        latest.params.clone()
    }

    fn position(&mut self, method: &str, name: &str, line: u32, character: u32) -> Value {
        let params = json!({ "textDocument": { "uri": self.uri(name) },
            "position": { "line": line, "character": character } });
        self.request(method, params)
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        if thread::panicking() {
            return;
        }
        let _ = self.request_raw("shutdown", Value::Null);
        self.notify("exit", Value::Null);
        if let Some(server) = self.server.take() {
            server.join().expect("the server thread does not panic");
        }
        let _ = std::fs::remove_dir_all(&self.root);
    }
}

/// Line and UTF-16 column of `needle` (plus `delta` characters) on the first line of `text` that
/// contains `line_needle`.
fn at(text: &str, line_needle: &str, needle: &str, delta: u32) -> (u32, u32) {
    let (line, line_text) = text
        .lines()
        .enumerate()
        .find(|(_, l)| l.contains(line_needle))
        .unwrap_or_else(|| panic!("no line contains {line_needle:?}"));
    let byte = line_text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not on its line"));
    let column = line_text[..byte].encode_utf16().count() as u32 + delta;
    (line as u32, column)
}

fn uri(path: &Path) -> String {
    format!("file://{}", path.display())
}

/// A fresh directory with the given files.
fn policy_dir(name: &str, files: &[(&str, &str)]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("rampart-lsp-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    for (path, text) in files {
        std::fs::write(dir.join(path), text).expect("write policy file");
    }
    dir
}

const SCHEMA: &str = r#"source handbook {
  title "Example Handbook"
}

pillar governance "Governance"
stage voting "Voting"

enum Level { "basic", "advanced" }

/// The election.
type Election {
  /// Polling day.
  date: date
  level: Level
}

schema {
  election: Election
  systems: [System]
}

type System {
  id: string
  certified: bool
}

/// Minimum number of systems.
param min_systems: int = 1
"#;

const MAIN: &str = r#"use "schema.rampart"

def certified_all = all s in systems: s.certified

/// Polling day must be recent.
norm gov-date {
  title    "The polling day is recent"
  pillar   governance
  stages   [voting]
  severity medium
  cites    handbook "§1"
  require  election.date >= 2020-01-01 and certified_all and count(systems) >= min_systems
}
"#;

/// A fresh directory holding the two-file policy set (`schema.rampart` and `main.rampart`).
fn two_file_dir(name: &str) -> PathBuf {
    policy_dir(name, &[("schema.rampart", SCHEMA), ("main.rampart", MAIN)])
}

/// True when one of `diagnostics` has the code `code`.
fn has_code(diagnostics: &[Value], code: &str) -> bool {
    diagnostics.iter().any(|d| d["code"] == code)
}

fn two_file_client(name: &str) -> Client {
    let dir = two_file_dir(name);
    let client = Client::start(&dir);
    client.open("main.rampart", MAIN);
    client
}

#[test]
fn diagnostics_appear_and_clear() {
    let mut client = two_file_client("diagnostics");
    assert_eq!(client.diagnostics("main.rampart"), Vec::<Value>::new());
    let broken = MAIN.replace("election.date", "election.dat");
    client.change_all("main.rampart", 2, &broken);
    let diagnostics = client.diagnostics("main.rampart");
    assert_eq!(diagnostics.len(), 1, "{diagnostics:#?}");
    assert_eq!(diagnostics[0]["code"], "rampart::check::unknown-field");
    assert_eq!(diagnostics[0]["severity"], 1);
    client.change_all("main.rampart", 3, MAIN);
    assert_eq!(client.diagnostics("main.rampart"), Vec::<Value>::new());
    assert_eq!(client.published("main.rampart")["version"], 3);
}

#[test]
fn a_document_of_another_scheme_leaves_the_open_file_alone() {
    let mut client = two_file_client("other-scheme");
    // The same path under `git:` (a diff view) and `untitled:`, opened and closed.
    let file_uri = client.uri("main.rampart");
    for scheme in ["git", "untitled"] {
        let other = file_uri.replacen("file", scheme, 1) + "?%7B%22ref%22%3A%22HEAD%22%7D";
        let open = json!({ "textDocument": {
            "uri": other, "languageId": "rampart", "version": 1, "text": "norm {" } });
        client.notify("textDocument/didOpen", open);
        client.notify(
            "textDocument/didClose",
            json!({ "textDocument": { "uri": other } }),
        );
    }
    // The file's buffer is still open: an edit to it is seen, and so is its repair.
    let broken = MAIN.replace("election.date", "election.dat");
    client.change_all("main.rampart", 2, &broken);
    assert_eq!(client.diagnostics("main.rampart").len(), 1);
    client.change_all("main.rampart", 3, MAIN);
    assert_eq!(client.diagnostics("main.rampart"), Vec::<Value>::new());
    let foreign = client.notifications.iter().filter(|n| {
        n.method == "textDocument/publishDiagnostics"
            && !n.params["uri"].as_str().unwrap_or("").starts_with("file:")
    });
    assert_eq!(foreign.count(), 0);
}

#[test]
fn a_file_no_longer_imported_keeps_its_own_diagnostics() {
    let mut client = two_file_client("orphan");
    let extra = "use \"schema.rampart\"\ndef broken = election.dat\n";
    client.open("extra.rampart", extra);
    let own = client.diagnostics("extra.rampart");
    assert!(has_code(&own, "rampart::check::unknown-field"), "{own:#?}");
    // Imported by main, then no longer: its error is shown all along.
    let importing = format!("use \"extra.rampart\"\n{MAIN}");
    client.change_all("main.rampart", 2, &importing);
    let shared = client.diagnostics("extra.rampart");
    assert!(
        has_code(&shared, "rampart::check::unknown-field"),
        "{shared:#?}"
    );
    client.change_all("main.rampart", 3, MAIN);
    let again = client.diagnostics("extra.rampart");
    assert!(
        has_code(&again, "rampart::check::unknown-field"),
        "{again:#?}"
    );
}

#[test]
fn a_change_on_disk_is_checked_with_no_file_open_and_watchers_are_requested() {
    let dir = two_file_dir("watched");
    let capabilities = json!({ "workspace": {
        "didChangeWatchedFiles": { "dynamicRegistration": true } } });
    let mut client = Client::start_with(&dir, capabilities);
    assert_eq!(client.diagnostics("main.rampart"), Vec::<Value>::new());
    let register = client
        .server_requests
        .iter()
        .find(|r| r.method == "client/registerCapability");
    let watchers = &register.expect("watchers are requested").params["registrations"][0];
    assert_eq!(watchers["method"], "workspace/didChangeWatchedFiles");
    // Another program breaks main.rampart on disk; no file is open in the editor.
    let broken = MAIN.replace("election.date", "election.dat");
    std::fs::write(dir.join("main.rampart"), broken).expect("write");
    let changes = json!({ "changes": [{ "uri": client.uri("main.rampart"), "type": 2 }] });
    client.notify("workspace/didChangeWatchedFiles", changes);
    let diagnostics = client.diagnostics("main.rampart");
    assert_eq!(diagnostics.len(), 1, "{diagnostics:#?}");
}

#[test]
fn an_edit_republishes_only_the_documents_whose_diagnostics_changed() {
    let mut client = two_file_client("publish-news");
    assert_eq!(client.diagnostics("schema.rampart"), Vec::<Value>::new());
    let published = |client: &Client, name: &str| {
        let uri = client.uri(name);
        (client.notifications.iter())
            .filter(|n| n.method == "textDocument/publishDiagnostics" && n.params["uri"] == uri)
            .count()
    };
    let (schema, main) = (
        published(&client, "schema.rampart"),
        published(&client, "main.rampart"),
    );
    client.change_all("main.rampart", 2, &MAIN.replace("is recent", "is near"));
    assert_eq!(client.published("main.rampart")["version"], 2);
    assert_eq!(published(&client, "main.rampart"), main + 1);
    assert_eq!(
        published(&client, "schema.rampart"),
        schema,
        "schema.rampart is unchanged"
    );
}

#[test]
fn diagnostics_cover_every_file_of_the_set() {
    let mut client = two_file_client("every-file");
    assert_eq!(client.diagnostics("schema.rampart"), Vec::<Value>::new());
}

#[test]
fn unused_definitions_are_tagged_unnecessary() {
    let mut client = two_file_client("unused");
    let text = format!("{MAIN}\ndef spare = 1\n");
    client.change_all("main.rampart", 2, &text);
    let diagnostics = client.diagnostics("main.rampart");
    let unused = diagnostics
        .iter()
        .find(|d| d["code"] == "rampart::lint::unused-definition")
        .expect("an unused-definition lint");
    assert_eq!(unused["tags"], json!([1]));
}

#[test]
fn hover_on_a_norm_shows_title_severity_and_citation() {
    let mut client = two_file_client("hover-norm");
    let hover = client.position("textDocument/hover", "main.rampart", 5, 7);
    let value = hover["contents"]["value"].as_str().unwrap_or_default();
    assert!(value.contains("The polling day is recent"), "{value}");
    assert!(value.contains("severity: **medium**"), "{value}");
    assert!(value.contains("Example Handbook, §1"), "{value}");
    assert!(value.contains("Polling day must be recent."), "{value}");
}

#[test]
fn hover_on_a_definition_shows_its_code_and_doc_comment() {
    let mut client = two_file_client("hover-def");
    let text = MAIN.replace(
        "def certified_all",
        "/// Every system is certified.\ndef certified_all",
    );
    client.change_all("main.rampart", 2, &text);
    let (line, column) = at(&text, "require", "certified_all", 2);
    let hover = client.position("textDocument/hover", "main.rampart", line, column);
    let value = hover["contents"]["value"].as_str().unwrap_or_default();
    assert!(
        value.contains("def certified_all = all s in systems"),
        "{value}"
    );
    assert!(
        value.ends_with("def\n\nEvery system is certified."),
        "{value}"
    );
}

#[test]
fn hover_on_a_field_shows_type_and_doc() {
    let mut client = two_file_client("hover-field");
    // `election.date` on the require line: hover over `date`.
    let (line, column) = at(MAIN, "require", ".date", 2);
    let hover = client.position("textDocument/hover", "main.rampart", line, column);
    let value = hover["contents"]["value"].as_str().unwrap_or_default();
    assert!(value.contains("date: date"), "{value}");
    assert!(value.contains("Polling day."), "{value}");
}

#[test]
fn hover_on_a_builtin_shows_its_signature() {
    let mut client = two_file_client("hover-builtin");
    let (line, column) = at(MAIN, "require", "count", 1);
    let hover = client.position("textDocument/hover", "main.rampart", line, column);
    let value = hover["contents"]["value"].as_str().unwrap_or_default();
    assert!(value.contains("count(list) -> int"), "{value}");
}

#[test]
fn definition_jumps_across_files() {
    let mut client = two_file_client("definition");
    // `governance` in `pillar governance` of the norm.
    let result = client.position("textDocument/definition", "main.rampart", 7, 12);
    assert_eq!(result[0]["uri"], client.uri("schema.rampart"));
    assert_eq!(
        result[0]["range"]["start"],
        json!({ "line": 4, "character": 7 })
    );
}

#[test]
fn definition_of_a_use_path_is_the_file() {
    let mut client = two_file_client("definition-use");
    let result = client.position("textDocument/definition", "main.rampart", 0, 8);
    assert_eq!(result["uri"], client.uri("schema.rampart"));
}

#[test]
fn references_include_uses_in_every_file() {
    let mut client = two_file_client("references");
    // `systems` in the definition: declared in schema.rampart, used twice in main.rampart.
    let params = json!({ "textDocument": { "uri": client.uri("main.rampart") },
        "position": { "line": 2, "character": 30 }, "context": { "includeDeclaration": true } });
    let result = client.request("textDocument/references", params);
    let uris: Vec<&str> = result
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|l| l["uri"].as_str())
        .collect();
    assert_eq!(uris.len(), 3, "{result:#}");
    assert!(uris.contains(&client.uri("schema.rampart").as_str()));
}

#[test]
fn rename_a_param_edits_both_files() {
    let mut client = two_file_client("rename");
    let (line, column) = at(MAIN, "require", "min_systems", 0);
    let params = json!({ "textDocument": { "uri": client.uri("main.rampart") },
        "position": { "line": line, "character": column }, "newName": "least_systems" });
    let result = client.request("textDocument/rename", params);
    let changes = result["changes"].as_object().cloned().unwrap_or_default();
    assert_eq!(changes.len(), 2, "{result:#}");
    for edits in changes.values() {
        assert_eq!(edits[0]["newText"], "least_systems");
    }
}

#[test]
fn rename_refuses_an_invalid_name() {
    let mut client = two_file_client("rename-invalid");
    let params = json!({ "textDocument": { "uri": client.uri("main.rampart") },
        "position": { "line": 2, "character": 5 }, "newName": "not valid" });
    let response = client.request_raw("textDocument/rename", params);
    assert!(response.is_err());
}

#[test]
fn rename_refuses_a_name_that_would_break_the_policy() {
    let mut client = two_file_client("rename-breaking");
    let mut rename = |new_name: &str| {
        let params = json!({ "textDocument": { "uri": client.uri("main.rampart") },
            "position": { "line": 2, "character": 5 }, "newName": new_name });
        client.request_raw("textDocument/rename", params)
    };
    for taken in ["all", "true", "min_systems"] {
        let refused = rename(taken).expect_err(taken);
        assert!(
            refused
                .message
                .starts_with(&format!("renaming to `{taken}` would break the policy: ")),
            "{taken}: {}",
            refused.message
        );
    }
    let edit = rename("every_certified").expect("a fresh name is accepted");
    let edits: usize = (edit["changes"].as_object().expect("changes").values())
        .map(|edits| edits.as_array().map_or(0, Vec::len))
        .sum();
    assert_eq!(edits, 2, "{edit}");
}

fn labels(result: &Value) -> Vec<String> {
    let items = result.as_array().or_else(|| result["items"].as_array());
    items
        .into_iter()
        .flatten()
        .filter_map(|i| i["label"].as_str().map(str::to_string))
        .collect()
}

#[test]
fn completion_offers_fields_after_a_dot() {
    let mut client = two_file_client("complete-field");
    let text = MAIN.replace("election.date >= 2020-01-01", "election.");
    client.change_all("main.rampart", 2, &text);
    let (line, column) = at(&text, "require", "election.", 9);
    let result = client.position("textDocument/completion", "main.rampart", line, column);
    assert_eq!(labels(&result), ["date", "level"]);
}

#[test]
fn completion_offers_fields_of_a_quantified_variable() {
    let mut client = two_file_client("complete-variable");
    let text = MAIN.replace("s.certified", "s.");
    client.change_all("main.rampart", 2, &text);
    let column = text.lines().nth(2).unwrap_or("").find("s.").unwrap_or(0) as u32 + 2;
    let result = client.position("textDocument/completion", "main.rampart", 2, column);
    assert_eq!(labels(&result), ["id", "certified"]);
}

#[test]
fn completion_offers_enum_members_in_a_string() {
    let mut client = two_file_client("complete-enum");
    let text = MAIN.replace("election.date >= 2020-01-01", "election.level == \"\"");
    client.change_all("main.rampart", 2, &text);
    let (line, column) = at(&text, "require", "\"\"", 1);
    let result = client.position("textDocument/completion", "main.rampart", line, column);
    assert_eq!(labels(&result), ["basic", "advanced"]);
}

#[test]
fn completion_offers_pillars_after_the_pillar_clause() {
    let mut client = two_file_client("complete-pillar");
    let text = MAIN.replace("pillar   governance", "pillar   ");
    client.change_all("main.rampart", 2, &text);
    let result = client.position("textDocument/completion", "main.rampart", 7, 11);
    assert_eq!(labels(&result), ["governance"]);
}

#[test]
fn completion_offers_item_keywords_at_the_top_level() {
    let mut client = two_file_client("complete-items");
    let result = client.position("textDocument/completion", "main.rampart", 1, 0);
    let labels = labels(&result);
    assert!(labels.contains(&"norm".to_string()), "{labels:?}");
    assert!(labels.contains(&"norm …".to_string()), "{labels:?}");
    assert!(labels.contains(&"test …".to_string()), "{labels:?}");
}

#[test]
fn a_client_without_snippets_gets_plain_names_and_no_skeletons() {
    let dir = two_file_dir("complete-plain");
    let mut client = Client::start_with(&dir, json!({}));
    client.open("main.rampart", MAIN);
    let items = client.position("textDocument/completion", "main.rampart", 1, 0);
    let labels = labels(&items);
    assert!(labels.contains(&"norm".to_string()), "{labels:?}");
    assert!(
        !labels.iter().any(|label| label.ends_with(" …")),
        "{labels:?}"
    );
    let items = client.position("textDocument/completion", "main.rampart", 12, 11);
    let items = items.as_array().cloned().unwrap_or_default();
    assert!(!items.is_empty());
    for item in items {
        assert_ne!(item["insertTextFormat"], 2, "{item}");
        assert!(
            !item["insertText"].as_str().unwrap_or("").contains('$'),
            "{item}"
        );
    }
}

#[test]
fn positions_count_utf16_after_non_ascii_text() {
    let text = MAIN
        .replace("The polling day is recent", "Ημέρα 🗳 recent")
        .replace(
            "require  election.date",
            "require  \"🗳é\" == \"x\" or election.date",
        );
    let dir = policy_dir(
        "utf16",
        &[("schema.rampart", SCHEMA), ("main.rampart", &text)],
    );
    let mut client = Client::start(&dir);
    client.open("main.rampart", &text);
    let line = text
        .lines()
        .position(|l| l.contains("require"))
        .unwrap_or(0) as u32;
    let line_text = text.lines().nth(line as usize).unwrap_or("");
    let byte = line_text.find(".date").unwrap_or(0) + 2;
    let utf16 = line_text[..byte].encode_utf16().count() as u32;
    let hover = client.position("textDocument/hover", "main.rampart", line, utf16);
    let value = hover["contents"]["value"].as_str().unwrap_or_default();
    assert!(value.contains("date: date"), "{value}");
    let start = line_text[..line_text.find("date").unwrap_or(0)]
        .encode_utf16()
        .count() as u32;
    assert_eq!(
        hover["range"]["start"],
        json!({ "line": line, "character": start })
    );
    // Completion right after `election.`, past the emoji and the accent.
    let completion = client.position("textDocument/completion", "main.rampart", line, start);
    assert_eq!(labels(&completion), ["date", "level"]);
}

/// The next response the server sends, skipping its notifications.
fn next_response(client: &Connection) -> lsp_server::Response {
    loop {
        let message = (client.receiver)
            .recv_timeout(Duration::from_secs(30))
            .expect("the server answers within 30 s");
        if let Message::Response(response) = message {
            return response;
        }
    }
}

#[test]
fn the_handshake_tolerates_notifications_and_refuses_early_or_repeated_requests() {
    let (server, client) = Connection::memory();
    let handle = thread::spawn(move || rampart::lsp::run(&server).expect("the server runs"));
    let send = |message: Message| client.sender.send(message).expect("the server listens");
    let request = |id: i32, method: &str| Request::new(id.into(), method.into(), json!({}));
    // A request before `initialize`: refused in words, not with a dump of the request.
    send(request(1, "workspace/symbol").into());
    let refused = next_response(&client)
        .response_result
        .expect_err("an error");
    assert_eq!(refused.code, -32002);
    assert_eq!(
        refused.message,
        "the server is not initialized: `workspace/symbol` must follow `initialize`"
    );
    send(request(2, "initialize").into());
    assert!(next_response(&client).response_result.is_ok());
    // A notification before `initialized` does not end the session.
    send(Notification::new("$/setTrace".into(), json!({ "value": "off" })).into());
    send(request(3, "initialize").into());
    let again = next_response(&client);
    assert_eq!(
        again.response_result.map_err(|e| e.code),
        Err(-32600),
        "initialize twice"
    );
    send(Notification::new("initialized".into(), json!({})).into());
    send(Request::new(4.into(), "workspace/symbol".into(), json!({ "query": "" })).into());
    assert!(next_response(&client).response_result.is_ok());
    // `exit` without `shutdown`: the session ends, as one the protocol calls unclean.
    send(Notification::new("exit".into(), json!(null)).into());
    let ending = handle.join().expect("the server thread does not panic");
    assert_eq!(ending, rampart::lsp::Ending::WithoutShutdown);
}

#[test]
fn a_request_cancelled_before_it_is_answered_gets_request_cancelled() {
    let dir = two_file_dir("cancel");
    let (server, client) = Connection::memory();
    let send = |message: Message| client.sender.send(message).expect("the server listens");
    let symbols =
        |id: RequestId| Request::new(id, "workspace/symbol".into(), json!({ "query": "" }));
    let cancel = |id: Value| Notification::new("$/cancelRequest".into(), json!({ "id": id }));
    let root = uri(&dir);
    send(
        Request::new(
            0.into(),
            "initialize".into(),
            json!({ "capabilities": {}, "rootUri": root }),
        )
        .into(),
    );
    send(Notification::new("initialized".into(), json!({})).into());
    // Everything is queued before the server starts, so each cancellation has arrived when the
    // server gets to the request it names.
    send(symbols(1.into()).into());
    send(symbols(2.into()).into());
    send(cancel(json!(1)).into());
    // An edit after a request ends its batch; the cancellation behind the edit still counts.
    send(symbols("three".to_string().into()).into());
    let main_uri = uri(&dir.join("main.rampart"));
    let open = json!({ "textDocument": {
        "uri": main_uri, "languageId": "rampart", "version": 1, "text": MAIN } });
    send(Notification::new("textDocument/didOpen".into(), open).into());
    send(cancel(json!("three")).into());
    // Cancellations of requests never sent are ignored.
    send(cancel(json!(99)).into());
    send(cancel(json!("nobody")).into());
    send(cancel(json!({ "not": "an id" })).into());
    let handle = thread::spawn(move || rampart::lsp::run(&server).expect("the server runs"));
    let outcome = |response: lsp_server::Response| {
        let outcome = response.response_result.map(|_| ()).map_err(|e| e.code);
        (response.id, outcome)
    };
    let answered: Vec<_> = (0..4).map(|_| outcome(next_response(&client))).collect();
    assert_eq!(
        answered,
        [
            (RequestId::from(0), Ok(())),
            (RequestId::from(1), Err(-32800)),
            (RequestId::from(2), Ok(())),
            (RequestId::from("three".to_string()), Err(-32800)),
        ]
    );
    // A cancellation of a request already answered is ignored: the next answer is the next
    // request's.
    send(cancel(json!(2)).into());
    send(symbols(4.into()).into());
    assert_eq!(
        outcome(next_response(&client)),
        (RequestId::from(4), Ok(()))
    );
    send(Request::new(5.into(), "shutdown".into(), Value::Null).into());
    assert_eq!(
        outcome(next_response(&client)),
        (RequestId::from(5), Ok(()))
    );
    send(Notification::new("exit".into(), Value::Null).into());
    let ending = handle.join().expect("the server thread does not panic");
    assert_eq!(ending, rampart::lsp::Ending::Clean);
    let extra: Vec<lsp_server::Response> = (client.receiver.try_iter())
        .filter_map(|message| match message {
            Message::Response(response) => Some(response),
            _ => None,
        })
        .collect();
    assert!(extra.is_empty(), "{extra:?}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn unknown_methods_get_method_not_found() {
    let mut client = two_file_client("unknown-method");
    let response = client.request_raw("rampart/doesNotExist", json!({}));
    assert_eq!(response.err().map(|e| e.code), Some(-32601));
}

#[test]
fn garbage_parameters_get_invalid_params() {
    let mut client = two_file_client("garbage");
    let response = client.request_raw("textDocument/hover", json!({ "nonsense": [1, 2, 3] }));
    assert_eq!(response.err().map(|e| e.code), Some(-32602));
    client.notify("textDocument/didChange", json!("garbage"));
    client.notify("textDocument/didOpen", json!({ "textDocument": 5 }));
    // Still answering.
    assert!(
        client
            .position("textDocument/hover", "main.rampart", 5, 7)
            .is_object()
    );
}

#[test]
fn requests_on_closed_documents_and_out_of_range_positions_get_null() {
    let mut client = two_file_client("closed");
    assert_eq!(
        client.position("textDocument/hover", "nowhere.rampart", 0, 0),
        Value::Null
    );
    assert_eq!(
        client.position("textDocument/hover", "main.rampart", 9999, 0),
        Value::Null
    );
    assert_eq!(
        client.position("textDocument/definition", "main.rampart", 5, 9999),
        Value::Null
    );
    let completion = client.position("textDocument/completion", "main.rampart", 9999, 9999);
    assert_eq!(completion, Value::Null);
}

#[test]
fn a_thousand_rapid_edits_are_answered() {
    let mut client = two_file_client("rapid");
    for version in 0..1000 {
        let params = json!({ "textDocument": { "uri": client.uri("main.rampart"), "version": version + 2 },
            "contentChanges": [{ "range": { "start": { "line": 1, "character": 0 },
                "end": { "line": 1, "character": 0 } }, "text": "x" }] });
        client.notify("textDocument/didChange", params);
    }
    let diagnostics = client.diagnostics("main.rampart");
    assert!(!diagnostics.is_empty());
    // The thousand `x`s are one unknown item on line 1.
    let hover = client.position("textDocument/hover", "main.rampart", 5, 7);
    assert!(hover.is_object());
}

#[test]
fn incremental_edits_use_utf16_ranges() {
    let mut client = two_file_client("incremental");
    let text = MAIN.replace("election.date", "election.dat");
    client.change_all("main.rampart", 2, &text);
    let (line, column) = at(&text, "election.dat", ".dat", 4);
    let params = json!({ "textDocument": { "uri": client.uri("main.rampart"), "version": 3 },
        "contentChanges": [{ "range": { "start": { "line": line, "character": column },
            "end": { "line": line, "character": column } }, "text": "e" }] });
    client.notify("textDocument/didChange", params);
    assert_eq!(client.diagnostics("main.rampart"), Vec::<Value>::new());
}

/// `text` with its line breaks written in turn as `\r` (old Mac), `\r\n` and `\n`.
fn mixed_line_endings(text: &str) -> String {
    let breaks = ["\r", "\r\n", "\n"].into_iter().cycle();
    let mut out = String::new();
    for (line, line_break) in text.split_inclusive('\n').zip(breaks) {
        out.push_str(line.strip_suffix('\n').unwrap_or(line));
        out.push_str(if line.ends_with('\n') { line_break } else { "" });
    }
    out
}

#[test]
fn lone_carriage_returns_end_lines_as_the_protocol_says() {
    let main = mixed_line_endings(MAIN);
    let schema = mixed_line_endings(SCHEMA);
    let dir = policy_dir(
        "carriage-returns",
        &[("schema.rampart", &schema), ("main.rampart", &main)],
    );
    let mut client = Client::start(&dir);
    let broken = main.replace("election.date", "election.dat");
    client.open("main.rampart", &broken);
    // Positions are those of the same lines with `\n` endings.
    let (line, column) = at(MAIN, "require", ".date", 1);
    let diagnostics = client.diagnostics("main.rampart");
    assert_eq!(diagnostics.len(), 1, "{diagnostics:#?}");
    let start = json!({ "line": line, "character": column });
    assert_eq!(diagnostics[0]["range"]["start"], start);
    // An edit at the end of `dat` repairs it.
    let end = json!({ "line": line, "character": column + 3 });
    let params = json!({ "textDocument": { "uri": client.uri("main.rampart"), "version": 2 },
        "contentChanges": [{ "range": { "start": end, "end": end }, "text": "e" }] });
    client.notify("textDocument/didChange", params);
    assert_eq!(client.diagnostics("main.rampart"), Vec::<Value>::new());
    let hover = client.position("textDocument/hover", "main.rampart", line, column + 1);
    assert_eq!(hover["range"]["start"], start, "{hover}");
    let definition = client.position("textDocument/definition", "main.rampart", line, column);
    let (date_line, date_column) = at(SCHEMA, "date: date", "date", 0);
    assert_eq!(
        definition[0]["range"]["start"],
        json!({ "line": date_line, "character": date_column })
    );
}

/// `path` as a file URI spelled the way some clients do: every byte but lowercase letters,
/// digits, `.` and `/` percent-encoded, in lowercase hex (`%20`, `%2d` for `-`, `%c3%a9`).
fn unusually_encoded_uri(path: &Path) -> String {
    let path = path.to_str().expect("a UTF-8 temporary path");
    let encoded: String = (path.bytes())
        .map(|byte| match byte {
            b'a'..=b'z' | b'0'..=b'9' | b'.' | b'/' => char::from(byte).to_string(),
            _ => format!("%{byte:02x}"),
        })
        .collect();
    format!("file://{encoded}")
}

#[test]
fn answers_name_documents_by_the_uris_the_client_opened_them_with() {
    let broken = MAIN.replace("election.date", "election.dat");
    let dir = policy_dir(
        "URI encoding é",
        &[("schema.rampart", SCHEMA), ("main.rampart", &broken)],
    );
    let mut client = Client::start(&dir);
    let main_uri = unusually_encoded_uri(&dir.join("main.rampart"));
    let schema_uri = unusually_encoded_uri(&dir.join("schema.rampart"));
    for (uri, text) in [(&main_uri, broken.as_str()), (&schema_uri, SCHEMA)] {
        let params = json!({ "textDocument": {
            "uri": uri, "languageId": "rampart", "version": 1, "text": text } });
        client.notify("textDocument/didOpen", params);
    }
    let position = |line: u32, character: u32| {
        json!({ "textDocument": { "uri": main_uri },
            "position": { "line": line, "character": character } })
    };
    // `governance` in `pillar governance`, declared in schema.rampart.
    let definition = client.request("textDocument/definition", position(7, 12));
    assert_eq!(definition[0]["uri"], schema_uri);
    let mut rename = position(2, 5);
    rename["newName"] = json!("every_certified");
    let edit = client.request("textDocument/rename", rename);
    let edited: Vec<&String> = edit["changes"]
        .as_object()
        .expect("changes")
        .keys()
        .collect();
    assert_eq!(edited, [&main_uri]);
    // The diagnostics published before the client opened the files, under the server's
    // spelling of their URIs, are cleared.
    let latest = |uri: &str| {
        let published = (client.notifications.iter().rev())
            .find(|n| n.method == "textDocument/publishDiagnostics" && n.params["uri"] == uri);
        published.map_or(0, |n| {
            n.params["diagnostics"].as_array().map_or(0, Vec::len)
        })
    };
    assert_eq!(latest(&main_uri), 1);
    for name in ["main.rampart", "schema.rampart"] {
        let own_spelling = lsp_types::Url::from_file_path(dir.join(name)).expect("a file URI");
        assert_eq!(latest(own_spelling.as_str()), 0, "{name}");
    }
}

#[test]
fn the_uris_of_closed_files_are_forgotten_once_no_set_holds_them() {
    let dir = two_file_dir("closed-uris");
    let mut client = Client::start(&dir);
    client.open("main.rampart", MAIN);
    let named = |client: &mut Client| {
        client.request("rampart/retained", Value::Null)["named_files"].clone()
    };
    assert_eq!(named(&mut client), 1);
    let close = |client: &Client, uri: &str| {
        client.notify(
            "textDocument/didClose",
            json!({ "textDocument": { "uri": uri } }),
        );
    };
    // Files checked on their own and jurisdiction documents: forgotten when closed.
    for n in 0..20 {
        let name = format!("scratch-{n}.rampart");
        client.open(&name, "def scratch = 1\n");
        client.open_as(
            &format!("state-{n}.json"),
            "json",
            "{ \"jurisdiction\": {} }",
        );
        assert_eq!(named(&mut client), 3);
        close(&client, &client.uri(&name));
        close(&client, &client.uri(&format!("state-{n}.json")));
        assert_eq!(named(&mut client), 1, "after closing {name}");
    }
    // A file of the main set keeps the client's spelling after it is closed, since the set's
    // diagnostics go on naming it, until the set stops importing it.
    let schema_uri = unusually_encoded_uri(&dir.join("schema.rampart"));
    let params = json!({ "textDocument": {
        "uri": schema_uri, "languageId": "rampart", "version": 1, "text": SCHEMA } });
    client.notify("textDocument/didOpen", params);
    close(&client, &schema_uri);
    assert_eq!(named(&mut client), 2);
    client.change_all(
        "main.rampart",
        2,
        &MAIN.replace("use \"schema.rampart\"", ""),
    );
    assert_eq!(named(&mut client), 1);
    let cleared = (client.notifications.iter().rev())
        .find(|n| {
            n.method == "textDocument/publishDiagnostics" && n.params["uri"] == schema_uri.as_str()
        })
        .map(|n| n.params["diagnostics"].clone());
    assert_eq!(cleared, Some(json!([])));
}

#[test]
fn signature_help_names_the_active_argument_of_a_builtin() {
    let mut client = two_file_client("signature");
    let text = MAIN.replace("count(systems)", "days_between(election.date, ");
    client.change_all("main.rampart", 2, &text);
    let (line, column) = at(&text, "days_between", ", ", 2);
    let result = client.position("textDocument/signatureHelp", "main.rampart", line, column);
    assert_eq!(
        result["signatures"][0]["label"],
        "days_between(from: date, to: date) -> int"
    );
    assert_eq!(result["activeParameter"], 1);
}

#[test]
fn code_actions_offer_the_diagnostic_suggestion() {
    let mut client = two_file_client("quick-fix");
    let text = MAIN.replace("election.date", "election.dat");
    client.change_all("main.rampart", 2, &text);
    let (line, column) = at(&text, "election.dat", ".dat", 2);
    let position = json!({ "line": line, "character": column });
    let params = json!({ "textDocument": { "uri": client.uri("main.rampart") },
        "range": { "start": position, "end": position }, "context": { "diagnostics": [] } });
    let actions = client.request("textDocument/codeAction", params);
    let titles: Vec<&str> = actions
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|a| a["title"].as_str())
        .collect();
    assert_eq!(titles, ["Replace with `date`", "Add a test for `gov-date`"]);
    let edit = &actions[0]["edit"]["changes"][client.uri("main.rampart")][0];
    assert_eq!(edit["newText"], "date");
}

#[test]
fn code_actions_add_a_cites_skeleton_to_a_norm_without_citation() {
    let mut client = two_file_client("add-cites");
    let text = MAIN.replace("  cites    handbook \"§1\"\n", "");
    client.change_all("main.rampart", 2, &text);
    let position = json!({ "line": 5, "character": 6 });
    let params = json!({ "textDocument": { "uri": client.uri("main.rampart") },
        "range": { "start": position, "end": position }, "context": { "diagnostics": [] } });
    let actions = client.request("textDocument/codeAction", params);
    let cites = actions
        .as_array()
        .into_iter()
        .flatten()
        .find(|a| a["title"] == "Add a `cites` clause to `gov-date`")
        .expect("a cites action");
    let edit = &cites["edit"]["changes"][client.uri("main.rampart")][0];
    assert_eq!(edit["newText"], "  cites    handbook \"§\"\n");
    let closing = text.lines().position(|l| l == "}").unwrap_or(0);
    assert_eq!(
        edit["range"]["start"],
        json!({ "line": closing, "character": 0 })
    );
}

#[test]
fn document_symbols_list_items_and_fields() {
    let mut client = two_file_client("symbols");
    client.open("schema.rampart", SCHEMA);
    let params = json!({ "textDocument": { "uri": client.uri("schema.rampart") } });
    let result = client.request("textDocument/documentSymbol", params);
    let names: Vec<&str> = result
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|s| s["name"].as_str())
        .collect();
    assert_eq!(
        names,
        [
            "handbook",
            "governance",
            "voting",
            "Level",
            "Election",
            "schema",
            "System",
            "min_systems"
        ]
    );
    assert_eq!(result[4]["children"][0]["name"], "date");
    assert_eq!(result[3]["children"][1]["name"], "advanced");
    assert_eq!(result[1]["detail"], "Governance");
}

#[test]
fn workspace_symbols_match_by_substring() {
    let mut client = two_file_client("workspace-symbols");
    let result = client.request("workspace/symbol", json!({ "query": "certif" }));
    let names: Vec<&str> = result
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|s| s["name"].as_str())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
    assert!(names.contains(&"certified") && names.contains(&"certified_all"));
}

#[test]
fn document_links_point_at_imported_files() {
    let mut client = two_file_client("links");
    let params = json!({ "textDocument": { "uri": client.uri("main.rampart") } });
    let result = client.request("textDocument/documentLink", params);
    assert_eq!(result[0]["target"], client.uri("schema.rampart"));
    assert_eq!(
        result[0]["range"],
        json!({ "start": { "line": 0, "character": 5 }, "end": { "line": 0, "character": 19 } })
    );
}

#[test]
fn folding_ranges_cover_multi_line_items() {
    let mut client = two_file_client("folding");
    let params = json!({ "textDocument": { "uri": client.uri("main.rampart") } });
    let result = client.request("textDocument/foldingRange", params);
    let ranges: Vec<(u64, u64)> = result
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|r| Some((r["startLine"].as_u64()?, r["endLine"].as_u64()?)))
        .collect();
    assert_eq!(ranges, [(5, 12)]);
}

#[test]
fn semantic_tokens_classify_keywords_and_names() {
    let mut client = two_file_client("semantic");
    let params = json!({ "textDocument": { "uri": client.uri("main.rampart") } });
    let result = client.request("textDocument/semanticTokens/full", params);
    let data: Vec<u64> = result["data"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_u64)
        .collect();
    // `use` (keyword, 3 long), then the path string on the same line.
    assert_eq!(data[..10], [0, 0, 3, 0, 0, 0, 4, 16, 1, 0]);
}

#[test]
fn completion_offers_sources_after_cites_and_norms_after_expect() {
    let mut client = two_file_client("complete-lists");
    let text = MAIN.replace("cites    handbook \"§1\"", "cites    ");
    let text = format!("{text}\ntest \"t\" {{\n  given {{ }}\n  expect pass \n}}\n");
    client.change_all("main.rampart", 2, &text);
    let cites = text
        .lines()
        .position(|l| l.starts_with("  cites"))
        .unwrap_or(0) as u32;
    let result = client.position("textDocument/completion", "main.rampart", cites, 11);
    assert_eq!(labels(&result), ["handbook"]);
    let expect = text
        .lines()
        .position(|l| l.contains("expect pass"))
        .unwrap_or(0) as u32;
    let result = client.position("textDocument/completion", "main.rampart", expect, 14);
    assert_eq!(labels(&result), ["gov-date"]);
}

#[test]
fn formatting_returns_one_edit_with_the_canonical_layout() {
    let mut client = two_file_client("formatting");
    let messy = MAIN.replace("severity medium", "severity    medium");
    client.change_all("main.rampart", 2, &messy);
    let params = json!({ "textDocument": { "uri": client.uri("main.rampart") },
        "options": { "tabSize": 2, "insertSpaces": true } });
    let result = client.request("textDocument/formatting", params);
    let formatted = rampart::fmt::format_source(&messy).expect("the policy formats");
    assert_eq!(result[0]["newText"], formatted.as_str());
    assert!(formatted.contains("  severity medium\n"));
}

#[test]
fn duplicates_carry_the_first_declaration_as_related_information() {
    let mut client = two_file_client("related");
    let text = format!("{MAIN}\npillar governance \"Again\"\n");
    client.change_all("main.rampart", 2, &text);
    // The checker reports the declaration it meets second: the one in schema.rampart.
    let diagnostics = client.diagnostics("schema.rampart");
    let duplicate = diagnostics
        .iter()
        .find(|d| d["code"] == "rampart::check::duplicate")
        .expect("a duplicate diagnostic");
    let related = &duplicate["relatedInformation"][0];
    assert_eq!(related["location"]["uri"], client.uri("main.rampart"));
    assert_eq!(related["message"], "first declared here");
}

#[test]
fn hover_on_a_definition_shows_its_body() {
    let mut client = two_file_client("hover-def");
    let (line, column) = at(MAIN, "require", "certified_all", 0);
    let hover = client.position("textDocument/hover", "main.rampart", line, column);
    assert_eq!(
        hover["contents"]["value"],
        "```rampart\ndef certified_all = all s in systems: s.certified\n```\ndef"
    );
}

#[test]
fn completion_offers_norms_inside_passes() {
    let mut client = two_file_client("complete-passes");
    let text = MAIN.replace("certified_all and", "passes() and");
    client.change_all("main.rampart", 2, &text);
    let (line, column) = at(&text, "passes(", "passes(", 7);
    let result = client.position("textDocument/completion", "main.rampart", line, column);
    assert_eq!(labels(&result), ["gov-date"]);
}

#[test]
fn every_position_of_a_broken_file_is_answered() {
    let broken = "use \"schema.rampart\"\n/// ü\nnorm x-🗳 {\n  title \"é\n  pillar \n  stages [voting,\n  require all s in systems: s. and count(\n  cites\n}\ndef f(a: [System]) = a[0].\ntest \"t\" { given { \"a\": [1, } expect pass }\nprofile p { include norm , set min_systems = \n";
    let dir = policy_dir(
        "every-position",
        &[("schema.rampart", SCHEMA), ("main.rampart", broken)],
    );
    let mut client = Client::start(&dir);
    client.open("main.rampart", broken);
    let methods = [
        "textDocument/hover",
        "textDocument/completion",
        "textDocument/definition",
        "textDocument/signatureHelp",
        "textDocument/prepareRename",
    ];
    for (line, text) in broken.lines().enumerate() {
        let width = text.encode_utf16().count() as u32;
        for character in 0..=width + 1 {
            for method in methods {
                client.position(method, "main.rampart", line as u32, character);
            }
        }
    }
    for method in [
        "textDocument/semanticTokens/full",
        "textDocument/foldingRange",
        "textDocument/documentSymbol",
        "textDocument/documentLink",
    ] {
        client.request(
            method,
            json!({ "textDocument": { "uri": client.uri("main.rampart") } }),
        );
    }
}

#[test]
fn rename_a_field_edits_the_schema_and_its_uses() {
    let mut client = two_file_client("rename-field");
    let column = MAIN
        .lines()
        .nth(2)
        .unwrap_or("")
        .find("s.certified")
        .unwrap_or(0) as u32
        + 3;
    let params = json!({ "textDocument": { "uri": client.uri("main.rampart") },
        "position": { "line": 2, "character": column }, "newName": "approved" });
    let result = client.request("textDocument/rename", params);
    let schema_edits = &result["changes"][client.uri("schema.rampart")];
    let main_edits = &result["changes"][client.uri("main.rampart")];
    assert_eq!(schema_edits.as_array().map(Vec::len), Some(1));
    assert_eq!(main_edits.as_array().map(Vec::len), Some(1));
    let declared = SCHEMA.lines().position(|l| l.contains("certified:"));
    assert_eq!(
        schema_edits[0]["range"]["start"]["line"].as_u64(),
        declared.map(|l| l as u64)
    );
}

#[test]
fn rename_a_field_edits_the_keys_that_hold_it_in_given_documents() {
    // Only the key inside a `systems` element is a `System`'s `certified`.
    let text = format!(
        "{MAIN}\ntest \"t\" {{\n  given {{ \"systems\": [{{ \"id\": \"a\", \"certified\": true }}],\n    \"election\": {{ \"certified\": 1 }}, \"certified\": 2 }}\n  expect pass gov-date\n}}\n"
    );
    let dir = policy_dir(
        "rename-given",
        &[("schema.rampart", SCHEMA), ("main.rampart", &text)],
    );
    let mut client = Client::start(&dir);
    client.open("main.rampart", &text);
    let (line, column) = at(SCHEMA, "certified: bool", "certified", 0);
    let params = json!({ "textDocument": { "uri": client.uri("schema.rampart") },
        "position": { "line": line, "character": column }, "newName": "approved" });
    let result = client.request("textDocument/rename", params);
    let starts: Vec<&Value> = (result["changes"][client.uri("main.rampart")].as_array())
        .into_iter()
        .flatten()
        .map(|edit| &edit["range"]["start"])
        .collect();
    let (use_line, use_column) = at(&text, "def certified_all", "s.certified", 2);
    let (key_line, key_column) = at(&text, "given", "certified\"", 0);
    assert_eq!(
        starts,
        [
            &json!({ "line": use_line, "character": use_column }),
            &json!({ "line": key_line, "character": key_column })
        ]
    );
}

#[test]
fn signature_help_shows_a_definition_with_parameters() {
    let text = format!(
        "{MAIN}\ndef newer(d: date, limit: date) = d >= limit\ndef use_it = newer(election.date, \n"
    );
    let dir = policy_dir(
        "signature-def",
        &[("schema.rampart", SCHEMA), ("main.rampart", &text)],
    );
    let mut client = Client::start(&dir);
    client.open("main.rampart", &text);
    let line = text.lines().count() as u32 - 1;
    let column = text.lines().last().unwrap_or("").len() as u32;
    let result = client.position("textDocument/signatureHelp", "main.rampart", line, column);
    assert_eq!(
        result["signatures"][0]["label"],
        "newer(d: date, limit: date) -> bool"
    );
    assert_eq!(result["activeParameter"], 1);
}

#[test]
fn hover_on_a_variable_shows_its_type() {
    let mut client = two_file_client("hover-variable");
    let column = MAIN
        .lines()
        .nth(2)
        .unwrap_or("")
        .find("s.certified")
        .unwrap_or(0) as u32;
    let hover = client.position("textDocument/hover", "main.rampart", 2, column);
    assert_eq!(
        hover["contents"]["value"],
        "```rampart\ns: System\n```\nvariable"
    );
}

#[test]
fn completion_after_a_closed_string_is_not_inside_it() {
    let mut client = two_file_client("closed-string");
    let text = MAIN.replace("election.date >= 2020-01-01", "election.level == \"basic\"");
    client.change_all("main.rampart", 2, &text);
    let (line, column) = at(&text, "require", "\"basic\"", 0);
    let inside = client.position("textDocument/completion", "main.rampart", line, column + 1);
    assert_eq!(labels(&inside), ["basic", "advanced"]);
    let after = client.position("textDocument/completion", "main.rampart", line, column + 7);
    assert!(!labels(&after).contains(&"advanced".to_string()));
}

#[test]
fn completion_offers_policy_files_inside_a_use_path() {
    let mut client = two_file_client("complete-use");
    let text = MAIN.replace("use \"schema.rampart\"", "use \"sch\"");
    client.change_all("main.rampart", 2, &text);
    let result = client.position("textDocument/completion", "main.rampart", 0, 8);
    assert_eq!(labels(&result), ["schema.rampart"]);
    assert_eq!(
        result[0]["textEdit"]["range"],
        json!({ "start": { "line": 0, "character": 5 }, "end": { "line": 0, "character": 8 } })
    );
}

#[test]
fn enum_member_strings_hover_and_jump_to_the_enum() {
    let mut client = two_file_client("enum-member");
    let text = MAIN.replace("election.date >= 2020-01-01", "election.level == \"basic\"");
    client.change_all("main.rampart", 2, &text);
    let (line, column) = at(&text, "require", "\"basic\"", 2);
    let hover = client.position("textDocument/hover", "main.rampart", line, column);
    assert_eq!(
        hover["contents"]["value"],
        "`\"basic\"`: member of enum `Level`"
    );
    let definition = client.position("textDocument/definition", "main.rampart", line, column);
    assert_eq!(definition[0]["uri"], client.uri("schema.rampart"));
    let enum_line = SCHEMA
        .lines()
        .position(|l| l.starts_with("enum Level"))
        .map(|l| l as u64);
    assert_eq!(definition[0]["range"]["start"]["line"].as_u64(), enum_line);
}

#[test]
fn a_file_outside_the_main_set_is_checked_on_its_own() {
    let mut client = two_file_client("standalone");
    let extra = "use \"schema.rampart\"\n\ndef late = election.dat\n";
    client.open("extra.rampart", extra);
    let diagnostics = client.diagnostics("extra.rampart");
    let codes: Vec<&str> = diagnostics
        .iter()
        .filter_map(|d| d["code"].as_str())
        .collect();
    assert_eq!(
        codes,
        [
            "rampart::lint::unused-definition",
            "rampart::check::unknown-field"
        ]
    );
    // Only the main set, where `min_systems` is used, publishes for schema.rampart: it never
    // flickers to the extra set's "unused parameter".
    let schema = client.uri("schema.rampart");
    let schema_publishes: Vec<&Value> = client
        .notifications
        .iter()
        .filter(|n| n.params["uri"] == schema.as_str())
        .map(|n| &n.params["diagnostics"])
        .collect();
    assert!(!schema_publishes.is_empty());
    assert!(
        schema_publishes.iter().all(|d| *d == &json!([])),
        "{schema_publishes:?}"
    );
    let hover = client.position("textDocument/hover", "extra.rampart", 2, 13);
    assert_eq!(
        hover["contents"]["value"]
            .as_str()
            .map(|v| v.starts_with("```rampart\nelection: Election")),
        Some(true)
    );
}

/// Pieces of policy text, broken and whole, that random documents are made of.
const PIECES: &[&str] = &[
    "norm ",
    "a-b ",
    "{",
    "}",
    "(",
    ")",
    "[",
    "]",
    "\"",
    "\"x\"",
    "title ",
    "pillar ",
    "stages ",
    "require ",
    "when ",
    "cites ",
    "all ",
    "s ",
    "in ",
    "systems",
    ".",
    "certified",
    "election",
    "date",
    "level",
    " == ",
    " and ",
    ",",
    ":",
    "count(",
    "passes(",
    "def ",
    "= ",
    "param ",
    "test ",
    "given ",
    "expect ",
    "pass ",
    "profile ",
    "include ",
    "use ",
    "\n",
    "  ",
    "// c\n",
    "/// d\n",
    "é",
    "🗳",
    "\r\n",
    "2026-01-01",
    "30d",
    "0.5",
    "-",
    "?",
];

fn random_document() -> impl proptest::strategy::Strategy<Value = String> {
    proptest::collection::vec(proptest::sample::select(PIECES), 0..60).prop_map(|p| p.concat())
}

proptest::proptest! {
    #![proptest_config(proptest::test_runner::Config { cases: 48, ..Default::default() })]

    #[test]
    fn random_documents_are_answered_everywhere(text in random_document(), at in 0usize..400) {
        let dir = policy_dir("random", &[("schema.rampart", SCHEMA), ("main.rampart", MAIN)]);
        let mut client = Client::start(&dir);
        client.open("main.rampart", &text);
        let line_count = text.lines().count().max(1);
        let line = (at % line_count) as u32;
        let width = text.lines().nth(line as usize).map_or(0, |l| l.encode_utf16().count());
        let character = (at % (width + 2)) as u32;
        for method in ["textDocument/hover", "textDocument/completion", "textDocument/definition",
            "textDocument/signatureHelp", "textDocument/prepareRename"] {
            client.position(method, "main.rampart", line, character);
        }
        for method in ["textDocument/semanticTokens/full", "textDocument/foldingRange",
            "textDocument/documentSymbol", "textDocument/documentLink", "textDocument/formatting"] {
            let params = json!({ "textDocument": { "uri": client.uri("main.rampart") },
                "options": { "tabSize": 2, "insertSpaces": true } });
            client.request(method, params);
        }
        client.diagnostics("main.rampart");
    }
}

#[test]
fn rename_a_norm_edits_its_tests_and_profiles() {
    let text = format!(
        "{MAIN}\nprofile basic {{\n  include norm gov-date\n}}\n\ntest \"t\" {{\n  given {{ }}\n  expect unknown gov-date\n}}\n"
    );
    let dir = policy_dir(
        "rename-norm",
        &[("schema.rampart", SCHEMA), ("main.rampart", &text)],
    );
    let mut client = Client::start(&dir);
    client.open("main.rampart", &text);
    let params = json!({ "textDocument": { "uri": client.uri("main.rampart") },
        "position": { "line": 5, "character": 6 }, "newName": "gov-polling-date" });
    let result = client.request("textDocument/rename", params);
    let edits = &result["changes"][client.uri("main.rampart")];
    let lines: Vec<u64> = edits
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| e["range"]["start"]["line"].as_u64())
        .collect();
    assert_eq!(lines, [5, 15, 20]);
}

#[test]
fn completion_in_a_norm_offers_clauses_names_and_builtins() {
    let mut client = two_file_client("complete-expression");
    let text = MAIN.replace(
        "require  election.date >= 2020-01-01 and certified_all and count(systems) >= min_systems",
        "require  ",
    );
    client.change_all("main.rampart", 2, &text);
    let (line, column) = at(&text, "require", "require", 9);
    let result = client.position("textDocument/completion", "main.rampart", line, column);
    let labels = labels(&result);
    for expected in [
        "title",
        "cites",
        "election",
        "systems",
        "min_systems",
        "certified_all",
        "count",
        "passes",
        "all",
    ] {
        assert!(
            labels.contains(&expected.to_string()),
            "{expected} missing from {labels:?}"
        );
    }
    let count = result
        .as_array()
        .into_iter()
        .flatten()
        .find(|i| i["label"] == "count")
        .cloned()
        .unwrap_or_default();
    assert_eq!(count["insertText"], "count($1)");
    assert_eq!(
        count["detail"],
        "count(list) -> int, or count(x in list where condition) -> int"
    );
}

#[test]
fn the_workspace_folder_is_checked_before_any_file_is_opened() {
    let dir = two_file_dir("eager");
    let mut client = Client::start(&dir);
    let result = client.request("workspace/symbol", json!({ "query": "gov-" }));
    let names: Vec<&str> = result
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|s| s["name"].as_str())
        .collect();
    assert_eq!(names, ["gov-date"]);
    assert_eq!(client.diagnostics("schema.rampart"), Vec::<Value>::new());
}

const STAFF_POLICY: &str = r#"source handbook {
  title "Example Handbook"
}

pillar governance "Governance"

schema {
  jurisdiction: Jurisdiction
  staff: Staff
}

type Jurisdiction {
  id: string
  name: string
}

type Staff {
  trained: int
}

/// Staff trained at least.
param min_trained: int = 3

norm staff-trained {
  title    "Staff are trained"
  pillar   governance
  severity high
  cites    handbook "§2"
  require  staff.trained >= min_trained
}
"#;

const STAFF_DOC: &str = r#"{
  "jurisdiction": { "id": "xx", "name": "Exampleland" },
  "staff": {
    "trained": 2
  }
}
"#;

/// A policy set and an open jurisdiction document (`doc.json`) evaluated against it.
fn jurisdiction_client(name: &str) -> Client {
    let dir = policy_dir(name, &[("main.rampart", STAFF_POLICY)]);
    let client = Client::start(&dir);
    client.open_as("doc.json", "json", STAFF_DOC);
    client
}

/// The (code, severity, start line, start character) of each diagnostic.
fn placed(diagnostics: &[Value]) -> Vec<(String, u64, u64, u64)> {
    diagnostics
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap_or("").to_string(),
                d["severity"].as_u64().unwrap_or(0),
                d["range"]["start"]["line"].as_u64().unwrap_or(0),
                d["range"]["start"]["character"].as_u64().unwrap_or(0),
            )
        })
        .collect()
}

#[test]
fn a_failing_norm_sits_on_its_evidence_value_in_a_jurisdiction_document() {
    let mut client = jurisdiction_client("jurisdiction-fail");
    let diagnostics = client.diagnostics("doc.json");
    assert_eq!(
        placed(&diagnostics),
        [("staff-trained".to_string(), 1, 3, 4)]
    );
    let range = &diagnostics[0]["range"];
    assert_eq!(range["end"], json!({ "line": 3, "character": 16 }));
    assert_eq!(
        diagnostics[0]["message"],
        "staff-trained (fail, high): Staff are trained\n- staff.trained is 2; required >= min_trained (3)\ncites: Example Handbook §2"
    );
    let related = &diagnostics[0]["relatedInformation"][0]["location"];
    assert_eq!(related["uri"], client.uri("main.rampart").as_str());
    assert_eq!(related["range"]["start"]["line"], 23);
    assert_eq!(
        diagnostics[0]["codeDescription"]["href"],
        client.uri("main.rampart").as_str()
    );
}

#[test]
fn fixing_the_evidence_value_clears_the_norm_diagnostic() {
    let mut client = jurisdiction_client("jurisdiction-fix");
    assert_eq!(client.diagnostics("doc.json").len(), 1);
    client.change_all(
        "doc.json",
        2,
        &STAFF_DOC.replace("\"trained\": 2", "\"trained\": 4"),
    );
    assert_eq!(client.diagnostics("doc.json"), Vec::<Value>::new());
    assert_eq!(client.published("doc.json")["version"], 2);
}

#[test]
fn editing_the_policy_threshold_re_evaluates_open_jurisdiction_documents() {
    let mut client = jurisdiction_client("jurisdiction-threshold");
    assert_eq!(client.diagnostics("doc.json").len(), 1);
    client.open("main.rampart", STAFF_POLICY);
    let lower = STAFF_POLICY.replace("min_trained: int = 3", "min_trained: int = 2");
    client.change_all("main.rampart", 2, &lower);
    assert_eq!(client.diagnostics("doc.json"), Vec::<Value>::new());
    let higher = STAFF_POLICY.replace("min_trained: int = 3", "min_trained: int = 9");
    client.change_all("main.rampart", 3, &higher);
    let diagnostics = client.diagnostics("doc.json");
    assert_eq!(
        placed(&diagnostics),
        [("staff-trained".to_string(), 1, 3, 4)]
    );
    assert!(
        diagnostics[0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("required >= min_trained (9)")),
        "{diagnostics:#?}"
    );
}

#[test]
fn schema_problems_of_a_jurisdiction_document_sit_at_their_value() {
    let mut client = jurisdiction_client("jurisdiction-schema");
    let text = STAFF_DOC
        .replace("\"trained\": 2", "\"trained\": \"many\"")
        .replace("\"name\": \"Exampleland\"", "\"nme\": \"Exampleland\"");
    client.change_all("doc.json", 2, &text);
    let diagnostics = client.diagnostics("doc.json");
    assert_eq!(
        placed(&diagnostics),
        [
            ("rampart::config::missing-field".to_string(), 1, 1, 18),
            ("rampart::config::unknown-field".to_string(), 2, 1, 32),
            ("rampart::config::wrong-type".to_string(), 1, 3, 4),
        ],
        "{diagnostics:#?}"
    );
}

#[test]
fn closing_a_jurisdiction_document_clears_its_diagnostics() {
    let mut client = jurisdiction_client("jurisdiction-close");
    assert_eq!(client.diagnostics("doc.json").len(), 1);
    let params = json!({ "textDocument": { "uri": client.uri("doc.json") } });
    client.notify("textDocument/didClose", params);
    assert_eq!(client.diagnostics("doc.json"), Vec::<Value>::new());
}

#[test]
fn data_files_that_are_not_jurisdictions_get_no_diagnostics() {
    let mut client = jurisdiction_client("jurisdiction-other");
    client.open_as("package.json", "json", "{ \"name\": \"x\" }");
    client.request("workspace/symbol", json!({ "query": "" }));
    let uri = client.uri("package.json");
    assert!(
        !client
            .notifications
            .iter()
            .any(|n| n.params["uri"] == uri.as_str())
    );
}

#[test]
fn explain_norm_code_action_explains_and_shows_the_declaration() {
    let mut client = jurisdiction_client("jurisdiction-explain");
    let diagnostics = client.diagnostics("doc.json");
    let params = json!({ "textDocument": { "uri": client.uri("doc.json") },
        "range": diagnostics[0]["range"], "context": { "diagnostics": diagnostics } });
    let actions = client.request("textDocument/codeAction", params);
    assert_eq!(actions[0]["title"], "Explain norm staff-trained");
    let command = &actions[0]["command"];
    assert_eq!(command["command"], "rampart.explainNorm");
    let params = json!({ "command": command["command"], "arguments": command["arguments"] });
    let explanation = client.request("workspace/executeCommand", params);
    assert!(
        explanation
            .as_str()
            .is_some_and(|text| text.contains("staff-trained")),
        "{explanation}"
    );
    let show = client
        .server_requests
        .iter()
        .find(|r| r.method == "window/showDocument")
        .map(|r| r.params.clone())
        .unwrap_or_default();
    assert_eq!(show["uri"], client.uri("main.rampart").as_str());
    assert_eq!(show["selection"]["start"]["line"], 23);
}

#[test]
fn a_client_that_cannot_show_documents_is_not_asked_to() {
    let dir = policy_dir("jurisdiction-no-show", &[("main.rampart", STAFF_POLICY)]);
    let mut client = Client::start_with(&dir, json!({}));
    client.open_as("doc.json", "json", STAFF_DOC);
    let diagnostics = client.diagnostics("doc.json");
    let params = json!({ "textDocument": { "uri": client.uri("doc.json") },
        "range": diagnostics[0]["range"], "context": { "diagnostics": diagnostics } });
    let command = client.request("textDocument/codeAction", params)[0]["command"].clone();
    let params = json!({ "command": command["command"], "arguments": command["arguments"] });
    assert!(
        client
            .request("workspace/executeCommand", params)
            .is_string()
    );
    assert!(
        client.server_requests.is_empty(),
        "{:?}",
        client.server_requests
    );
}

/// A policy of at least `bytes` bytes: clean norms over the two-file schema, nine lines each.
fn generated_policy(bytes: usize) -> String {
    let mut text = String::from("use \"schema.rampart\"\n");
    let mut n = 0;
    while text.len() < bytes {
        text.push_str(&format!(
            "\nnorm gen-{n} {{\n  title    \"Generated norm {n}\"\n  pillar   governance\n  \
             stages   [voting]\n  severity medium\n  cites    handbook \"§{n}\"\n  \
             require  election.date >= 2020-01-01 and count(systems) >= min_systems\n}}\n"
        ));
        n += 1;
    }
    text
}

/// An incremental edit of `name` inserting (or, with `delete`, removing) one `x` inside the
/// first norm's title.
fn title_edit(client: &Client, name: &str, version: i32, delete: bool) -> Value {
    let (line, column) = (3, 12);
    let end = if delete { column + 1 } else { column };
    json!({ "textDocument": { "uri": client.uri(name), "version": version },
        "contentChanges": [{ "range": { "start": { "line": line, "character": column },
            "end": { "line": line, "character": end } }, "text": if delete { "" } else { "x" } }] })
}

/// Requests a robust server must answer with a result or an error, never silence or a crash.
fn awkward_requests(client: &mut Client) -> Vec<RequestId> {
    let main = client.uri("main.rampart");
    let closed = client.uri("closed.rampart");
    let at = |uri: &str, line: u32, character: u32| json!({ "textDocument": { "uri": uri }, "position": { "line": line, "character": character } });
    vec![
        client.send_request("textDocument/hover", at(&closed, 0, 0)),
        client.send_request("textDocument/hover", at(&main, u32::MAX, u32::MAX)),
        client.send_request("textDocument/completion", at(&main, 3, 99_999)),
        client.send_request("textDocument/definition", at(&main, 99_999_999, 0)),
        client.send_request("textDocument/hover", json!("not an object")),
        client.send_request("textDocument/references", Value::Null),
        client.send_request(
            "textDocument/semanticTokens/full",
            json!({ "textDocument": 7 }),
        ),
        client.send_request("", json!({})),
        client.send_request("rampart/doesNotExist", json!([1, 2])),
    ]
}

/// Sends what the in-process transport can carry of malformed JSON-RPC: notifications with
/// unreadable parameters, a response to nothing, and edits to documents that are not open.
fn malformed_messages(client: &Client) {
    client.notify("textDocument/didChange", json!("garbage"));
    client.notify("textDocument/didOpen", json!({ "textDocument": null }));
    client.notify("textDocument/didClose", json!([]));
    client.notify("$/unknownNotification", Value::Null);
    let stray = lsp_server::Response::new_ok(RequestId::from("nobody-asked".to_string()), 1);
    client
        .connection
        .sender
        .send(stray.into())
        .expect("server is running");
    let params = title_edit(client, "closed.rampart", 1, false);
    client.notify("textDocument/didChange", params);
    let past_the_end = json!({ "textDocument": { "uri": client.uri("main.rampart"), "version": 0 },
        "contentChanges": [{ "range": { "start": { "line": 99_999_999, "character": 5 },
            "end": { "line": 99_999_999, "character": 9 } }, "text": "" }] });
    client.notify("textDocument/didChange", past_the_end);
}

#[test]
fn a_scripted_session_on_a_five_megabyte_policy_answers_every_request() {
    let policy = generated_policy(5 * 1024 * 1024);
    let dir = policy_dir(
        "five-megabytes",
        &[("schema.rampart", SCHEMA), ("main.rampart", &policy)],
    );
    let mut client = Client::start(&dir);
    client.open("main.rampart", &policy);
    let mut ids = Vec::new();
    for version in 0..1000 {
        let params = title_edit(&client, "main.rampart", version + 2, false);
        client.notify("textDocument/didChange", params);
        if version % 100 == 0 {
            ids.extend(awkward_requests(&mut client));
            malformed_messages(&client);
        }
    }
    let responses = client.responses(&ids);
    assert_eq!(responses.len(), ids.len());
    assert!(client.diagnostics("main.rampart").is_empty());
    let hover = client.position("textDocument/hover", "main.rampart", 2, 7);
    assert!(
        hover["contents"]["value"]
            .as_str()
            .is_some_and(|v| v.contains(&format!("{}Generated norm 0", "x".repeat(1000)))),
        "{hover}"
    );
}

/// Resident memory of this process in bytes, from `/proc/self/statm` (Linux only).
fn resident_bytes() -> Option<u64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * 4096)
}

#[test]
fn ten_thousand_edits_keep_the_retained_state_flat() {
    let policy = generated_policy(100 * 1024);
    let dir = policy_dir(
        "retained",
        &[("schema.rampart", SCHEMA), ("main.rampart", &policy)],
    );
    let mut client = Client::start(&dir);
    client.open("main.rampart", &policy);
    client.open_as("doc.json", "json", "{ \"jurisdiction\": {} }");
    let baseline = client.request("rampart/retained", Value::Null);
    let rss_before = resident_bytes();
    let mut version = 1;
    for _ in 0..100 {
        for _ in 0..50 {
            for delete in [false, true] {
                version += 1;
                let params = title_edit(&client, "main.rampart", version, delete);
                client.notify("textDocument/didChange", params);
            }
        }
        assert_eq!(client.request("rampart/retained", Value::Null), baseline);
    }
    let rss_after = resident_bytes();
    eprintln!(
        "retained state: {baseline}; resident memory before {rss_before:?}, after {rss_after:?}"
    );
    assert_eq!(baseline["documents"], 2);
    assert_eq!(baseline["analyses"], 1);
    assert_eq!(baseline["jurisdictions"], 1);
    assert_eq!(
        baseline["overlay_bytes"].as_u64(),
        Some((policy.len() + "{ \"jurisdiction\": {} }".len()) as u64)
    );
    if let (Some(before), Some(after)) = (rss_before, rss_after) {
        assert!(after < before + 512 * 1024 * 1024, "{before} -> {after}");
    }
}

#[test]
fn the_server_reads_nothing_outside_the_policy_root() {
    let dir = policy_dir("confined", &[("schema.rampart", SCHEMA)]);
    let outside = dir.with_extension("outside.rampart");
    std::fs::write(&outside, "def leaked_outside_secret = 1\n").expect("an outside file");
    let escape = format!(
        "../{}",
        outside.file_name().expect("a name").to_string_lossy()
    );
    #[cfg(unix)]
    std::os::unix::fs::symlink(&outside, dir.join("link.rampart")).expect("a link");
    let mut client = Client::start(&dir);
    let text = MAIN.replacen(
        "use \"schema.rampart\"\n",
        &format!("use \"schema.rampart\"\nuse \"{escape}\"\nuse \"link.rampart\"\n"),
        1,
    );
    client.open("main.rampart", &text);
    let diagnostics = client.diagnostics("main.rampart");
    let refused: Vec<&Value> = diagnostics
        .iter()
        .filter(|d| d["code"] == "rampart::workspace::import-outside-root")
        .collect();
    assert_eq!(
        refused.len(),
        if cfg!(unix) { 2 } else { 1 },
        "{diagnostics:#?}"
    );
    let symbols = client.request("workspace/symbol", json!({ "query": "leaked" }));
    assert_eq!(symbols, json!([]), "{symbols:#?}");
    let links = client.request(
        "textDocument/documentLink",
        json!({ "textDocument": { "uri": client.uri("main.rampart") } }),
    );
    let targets: Vec<&str> = links
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|link| link["target"].as_str())
        .collect();
    assert!(
        targets.iter().all(|t| t.ends_with("/schema.rampart")),
        "{targets:?}"
    );
    let published = format!("{:?}", client.notifications);
    assert!(!published.contains("leaked_outside_secret"), "{published}");
    let _ = std::fs::remove_file(&outside);
}
