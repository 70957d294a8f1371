//! Benchmark: the language server driven in process over `lsp_server::Connection::memory()`.
//! Prints the median and 95th percentile of: diagnostics after a one-character edit in a
//! 10,000-line policy, hover and completion on it, server start to the first diagnostics of the
//! norm library (`policies/`), and an edit of an open jurisdiction document (`ossmark.json`,
//! evaluated against the embedded library), and semantic tokens of a policy whose test holds
//! one line of 16,000 JSON objects (positions on a long line must not cost its length each).
//!
//! Run with `cargo bench --bench lsp`.

use std::path::{Path, PathBuf};
use std::thread;
use std::time::{Duration, Instant};

use lsp_server::{Connection, Message, Notification, Request, RequestId};
use serde_json::{Value, json};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const LINES: usize = 10_000;
const EDITS: usize = 60;
const QUERIES: usize = 200;
const STARTS: usize = 15;

const HEADER: &str = r#"source handbook { title "Example Handbook" }
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
def certified_all = all s in systems: s.certified
"#;

/// A policy of at least `lines` lines: the header, then ten-line norms.
fn policy(lines: usize) -> String {
    let mut text = HEADER.to_string();
    let mut n = 0;
    while text.lines().count() < lines {
        text.push_str(&format!(
            "\n/// Norm {n}.\nnorm gen-{n} {{\n  title    \"Generated norm {n}\"\n  pillar   \
             governance\n  stages   [voting]\n  severity medium\n  cites    handbook \"§{n}\"\n  \
             require  election.date >= 2020-01-01 and certified_all and count(systems) >= \
             min_systems\n}}\n"
        ));
        n += 1;
    }
    text
}

/// A client connected to a server on its own thread.
struct Client {
    connection: Connection,
    server: Option<thread::JoinHandle<()>>,
    next_id: i32,
}

impl Client {
    fn start(root: &Path) -> Client {
        let (server, connection) = Connection::memory();
        let handle = thread::spawn(move || {
            rampart::lsp::run(&server).expect("the server exits cleanly");
        });
        let mut client = Client {
            connection,
            server: Some(handle),
            next_id: 0,
        };
        let root_uri = uri(root);
        client.request(
            "initialize",
            json!({ "capabilities": {}, "rootUri": root_uri,
                "workspaceFolders": [{ "uri": root_uri, "name": "bench" }] }),
        );
        client.notify("initialized", json!({}));
        client
    }

    fn notify(&self, method: &str, params: Value) {
        let notification = Notification::new(method.to_string(), params);
        self.connection
            .sender
            .send(notification.into())
            .expect("the server is running");
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = RequestId::from(self.next_id);
        let request = Request::new(id.clone(), method.to_string(), params);
        self.connection
            .sender
            .send(request.into())
            .expect("the server is running");
        loop {
            if let Message::Response(response) = self.receive() {
                if response.id == id {
                    return response.response_result.unwrap_or(Value::Null);
                }
            }
        }
    }

    fn receive(&self) -> Message {
        self.connection
            .receiver
            .recv_timeout(Duration::from_secs(120))
            .expect("the server answers")
    }

    /// Waits for the next `publishDiagnostics` for `uri`.
    fn diagnostics_for(&self, uri: &str) -> Value {
        loop {
            if let Message::Notification(n) = self.receive() {
                if n.method == "textDocument/publishDiagnostics" && n.params["uri"] == uri {
                    return n.params;
                }
            }
        }
    }

    fn open(&self, uri: &str, language_id: &str, text: &str) {
        let params = json!({ "textDocument": {
            "uri": uri, "languageId": language_id, "version": 1, "text": text } });
        self.notify("textDocument/didOpen", params);
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        self.request("shutdown", Value::Null);
        self.notify("exit", Value::Null);
        if let Some(server) = self.server.take() {
            let _ = server.join();
        }
    }
}

fn uri(path: &Path) -> String {
    format!("file://{}", path.display())
}

/// Median and 95th percentile.
fn summary(mut times: Vec<Duration>) -> (Duration, Duration) {
    times.sort();
    let at = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize];
    (at(0.5), at(0.95))
}

fn print(name: &str, times: Vec<Duration>) {
    let runs = times.len();
    let (median, p95) = summary(times);
    println!(
        "{name:<48} median {:>9.3} ms   p95 {:>9.3} ms   ({runs} runs)",
        median.as_secs_f64() * 1e3,
        p95.as_secs_f64() * 1e3
    );
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("rampart-bench-lsp-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

/// One character inserted into (or removed from) the title of norm `gen-0`.
fn title_edit(uri: &str, version: i32, delete: bool) -> Value {
    let line = HEADER.lines().count() as u32 + 3;
    let end = if delete { 13 } else { 12 };
    json!({ "textDocument": { "uri": uri, "version": version },
        "contentChanges": [{ "range": { "start": { "line": line, "character": 12 },
            "end": { "line": line, "character": end } }, "text": if delete { "" } else { "x" } }] })
}

/// A fresh directory named after `name` holding `text` as `main.rampart`, and a server started
/// on it with the file open and its first diagnostics received: the directory, the file's URI
/// and the client.
fn open_policy(name: &str, text: &str) -> (PathBuf, String, Client) {
    let dir = temp_dir(name);
    let path = dir.join("main.rampart");
    std::fs::write(&path, text).expect("write the policy");
    let main = uri(&path);
    let client = Client::start(&dir);
    client.diagnostics_for(&main);
    client.open(&main, "rampart", text);
    client.diagnostics_for(&main);
    (dir, main, client)
}

fn edits_and_queries() {
    let text = policy(LINES);
    let (dir, main, mut client) = open_policy("edits", &text);
    println!(
        "policy: {} lines, {} bytes, {} norms",
        text.lines().count(),
        text.len(),
        text.matches("\nnorm ").count()
    );
    let mut times = Vec::with_capacity(EDITS);
    for version in 0..EDITS as i32 {
        let started = Instant::now();
        client.notify(
            "textDocument/didChange",
            title_edit(&main, version + 2, version % 2 == 1),
        );
        client.diagnostics_for(&main);
        times.push(started.elapsed());
    }
    print("diagnostics after a one-character edit", times);
    let last = text.lines().count() as u32 - 2;
    let require_line = text
        .lines()
        .position(|l| l.contains("require"))
        .unwrap_or(0) as u32;
    let queries = [
        (
            "hover on a norm id (first norm)",
            "textDocument/hover",
            HEADER.lines().count() as u32 + 2,
            7,
        ),
        (
            "hover on a field (first norm)",
            "textDocument/hover",
            require_line,
            21,
        ),
        (
            "completion after `election.` (first norm)",
            "textDocument/completion",
            require_line,
            20,
        ),
        (
            "hover on a field (last norm)",
            "textDocument/hover",
            last,
            21,
        ),
    ];
    for (name, method, line, character) in queries {
        let params = json!({ "textDocument": { "uri": main },
            "position": { "line": line, "character": character } });
        let result = client.request(method, params.clone());
        assert!(!result.is_null(), "{name}: no result");
        let times = (0..QUERIES)
            .map(|_| {
                let started = Instant::now();
                client.request(method, params.clone());
                started.elapsed()
            })
            .collect();
        print(name, times);
    }
    let _ = std::fs::remove_dir_all(&dir);
}

fn library_start() {
    let library = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("policies");
    let main = uri(&library.join("main.rampart"));
    let times = (0..STARTS)
        .map(|_| {
            let started = Instant::now();
            let client = Client::start(&library);
            client.diagnostics_for(&main);
            let elapsed = started.elapsed();
            drop(client);
            elapsed
        })
        .collect();
    print("start to first diagnostics (norm library)", times);
}

fn jurisdiction_edits() {
    let examples = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples");
    let text = std::fs::read_to_string(examples.join("ossmark.json")).expect("read ossmark.json");
    let dir = temp_dir("jurisdiction");
    let doc = uri(&dir.join("ossmark.json"));
    let client = Client::start(&dir);
    let started = Instant::now();
    client.open(&doc, "json", &text);
    client.diagnostics_for(&doc);
    print(
        "open ossmark.json to first diagnostics",
        vec![started.elapsed()],
    );
    let times = (0..EDITS as i32)
        .map(|version| {
            let started = Instant::now();
            let changed = if version % 2 == 0 {
                text.replace("\"Republic", "\"republic")
            } else {
                text.clone()
            };
            let params = json!({ "textDocument": { "uri": doc, "version": version + 2 },
                "contentChanges": [{ "text": changed }] });
            client.notify("textDocument/didChange", params);
            client.diagnostics_for(&doc);
            started.elapsed()
        })
        .collect();
    print("jurisdiction diagnostics after an edit (ossmark)", times);
    drop(client);
    let _ = std::fs::remove_dir_all(&dir);
}

/// The core's share of a re-check: loading (parsing) and checking the same policy, without the
/// server (the rest of the edit latency is the name index, line indexes and the protocol).
fn core_stages() {
    use rampart::workspace::{MemoryFiles, Workspace};
    let text = policy(LINES);
    let mut files = MemoryFiles::new();
    files.insert("main.rampart", text.as_str());
    let mut parse_times = Vec::new();
    let mut check_times = Vec::new();
    for _ in 0..EDITS {
        let started = Instant::now();
        let workspace = Workspace::load(&files, "main.rampart");
        parse_times.push(started.elapsed());
        let started = Instant::now();
        let checked = rampart::check::check(&workspace);
        check_times.push(started.elapsed());
        assert!(checked.diagnostics.is_empty());
    }
    print("  core: Workspace::load (parse)", parse_times);
    print("  core: check::check", check_times);
}

/// Objects on the one long line of [`long_line`].
const LONG_LINE_OBJECTS: usize = 16_000;

/// Semantic tokens and diagnostics of a policy with one long line: a test whose inline
/// document holds [`LONG_LINE_OBJECTS`] objects (about half a megabyte) on one line.
fn long_line() {
    let items: Vec<String> = (0..LONG_LINE_OBJECTS)
        .map(|i| format!("{{\"id\":\"s{i}\",\"certified\":true}}"))
        .collect();
    let text = format!(
        "{HEADER}\nnorm one {{ title \"t\" pillar governance severity low cites handbook require \
         certified_all }}\ntest \"big\" {{ given {{ \"election\": {{ \"date\": \"2027-01-01\", \
         \"level\": \"basic\" }}, \"systems\": [{}] }} expect pass one }}\n",
        items.join(",")
    );
    let (dir, main, mut client) = open_policy("long-line", &text);
    let longest = text.lines().map(str::len).max().unwrap_or(0);
    println!("policy with one {longest}-byte line ({LONG_LINE_OBJECTS} objects)");
    let params = json!({ "textDocument": { "uri": main } });
    let tokens = client.request("textDocument/semanticTokens/full", params.clone());
    let count = tokens["data"].as_array().map_or(0, Vec::len) / 5;
    assert!(count > LONG_LINE_OBJECTS, "{count} semantic tokens");
    let times = (0..10)
        .map(|_| {
            let started = Instant::now();
            client.request("textDocument/semanticTokens/full", params.clone());
            started.elapsed()
        })
        .collect();
    print("semantic tokens of the long-line policy", times);
    let _ = std::fs::remove_dir_all(&dir);
}

fn main() {
    println!("load average: {}", load_average());
    long_line();
    edits_and_queries();
    core_stages();
    library_start();
    jurisdiction_edits();
    println!("load average: {}", load_average());
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .unwrap_or_default()
        .trim()
        .to_string()
}
