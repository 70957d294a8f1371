//! Inputs shared by the unit tests of several modules: the norm library in `policies/`, the
//! example jurisdictions in `examples/`, and the JSON pointers of a document (for degrading
//! it field by field).

use std::path::Path;

use serde_json::Value as Json;

use crate::check::{self, Program};
use crate::workspace::{DiskFiles, Workspace};

/// The norm library, checked.
pub fn library() -> Program {
    let files = DiskFiles::new(Path::new("policies"));
    check::check(&Workspace::load(&files, "main.rampart")).program
}

/// The JSON example jurisdictions, in file-name order.
pub fn examples() -> Vec<Json> {
    let mut paths: Vec<_> = std::fs::read_dir("examples")
        .expect("examples/")
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|e| e == "json"))
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|path| {
            let text = std::fs::read_to_string(path).expect("readable");
            serde_json::from_str(&text).expect("an example is JSON")
        })
        .collect()
}

/// Appends the JSON pointer of every value inside `value` (which is at `at`), depth first.
pub fn pointers(value: &Json, at: String, out: &mut Vec<String>) {
    let children: Vec<(String, &Json)> = match value {
        Json::Object(map) => map.iter().map(|(k, v)| (k.clone(), v)).collect(),
        Json::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, v)| (i.to_string(), v))
            .collect(),
        _ => Vec::new(),
    };
    for (key, child) in children {
        let child_at = format!("{at}/{key}");
        out.push(child_at.clone());
        pointers(child, child_at, out);
    }
}
