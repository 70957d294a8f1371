//! The server's state: open buffers, and the analysed policy sets they belong to.
//!
//! A file belongs to the policy set of its *policy root*: the nearest ancestor directory with a
//! `rampart.toml` or a `main.rampart`, else the file's own directory. The set is loaded from the
//! root's `main.rampart` when that file reaches the edited file through `use`, otherwise from
//! the edited file itself. Open buffers shadow the disk; the disk is read only inside the root.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use lsp_types::{
    DidChangeTextDocumentParams, DidCloseTextDocumentParams, DidOpenTextDocumentParams,
    DidSaveTextDocumentParams, PublishDiagnosticsParams, Url,
};

use super::analysis::Analysis;
use crate::syntax::{ColumnUnit, LineCol, LineIndex};
use crate::workspace::{DiskFiles, PolicyFiles, ReadError};

/// The entry file looked for at a policy root.
pub(crate) const ENTRY: &str = "main.rampart";

/// An open buffer.
#[derive(Debug)]
pub(crate) struct Document {
    /// The current text.
    pub text: String,
    /// The client's version of it.
    pub version: i32,
}

/// Which policy set an analysis is of.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct SetKey {
    /// The policy root.
    pub root: PathBuf,
    /// The entry file, root-relative.
    pub entry: String,
}

/// Open buffers and analyses.
#[derive(Debug, Default)]
pub(crate) struct World {
    docs: HashMap<PathBuf, Document>,
    analyses: HashMap<SetKey, Analysis>,
    /// Files changed since the last refresh.
    dirty: BTreeSet<PathBuf>,
    /// Files each set last published diagnostics for.
    published: HashMap<SetKey, Vec<PathBuf>>,
    folders: Vec<PathBuf>,
}

impl World {
    /// An empty world for a client with these workspace folders.
    /// The policy set of each folder with a `main.rampart` is checked at the first refresh, so
    /// its diagnostics and symbols are there before any file is opened.
    pub(crate) fn new(folders: Vec<Url>) -> Self {
        let folders: Vec<PathBuf> = folders
            .iter()
            .filter_map(|uri| uri.to_file_path().ok())
            .collect();
        let dirty = folders
            .iter()
            .map(|folder| folder.join(ENTRY))
            .filter(|entry| entry.is_file())
            .collect();
        World {
            folders,
            dirty,
            ..World::default()
        }
    }

    /// Starts overlaying the disk with an opened buffer.
    pub(crate) fn open(&mut self, params: DidOpenTextDocumentParams) {
        let Ok(path) = params.text_document.uri.to_file_path() else {
            return;
        };
        let text = params.text_document.text;
        let version = params.text_document.version;
        self.docs.insert(path.clone(), Document { text, version });
        self.dirty.insert(path);
    }

    /// Applies full or incremental (UTF-16 range) changes to an open buffer.
    pub(crate) fn change(&mut self, params: DidChangeTextDocumentParams) {
        let Ok(path) = params.text_document.uri.to_file_path() else {
            return;
        };
        let Some(doc) = self.docs.get_mut(&path) else {
            eprintln!(
                "rampart lsp: change to a document that is not open: {}",
                path.display()
            );
            return;
        };
        doc.version = params.text_document.version;
        for change in params.content_changes {
            match change.range {
                Some(range) => apply_edit(&mut doc.text, range, &change.text),
                None => doc.text = change.text,
            }
        }
        self.dirty.insert(path);
    }

    /// Stops overlaying the disk with a closed buffer.
    pub(crate) fn close(&mut self, params: DidCloseTextDocumentParams) {
        let Ok(path) = params.text_document.uri.to_file_path() else {
            return;
        };
        self.docs.remove(&path);
        self.dirty.insert(path);
    }

    /// Marks a saved file as changed.
    pub(crate) fn saved(&mut self, params: DidSaveTextDocumentParams) {
        if let Ok(path) = params.text_document.uri.to_file_path() {
            self.dirty.insert(path);
        }
    }

    /// Marks every open document as changed (files changed on disk).
    pub(crate) fn touch_all(&mut self) {
        self.dirty.extend(self.docs.keys().cloned());
    }

    /// Re-checks the policy sets of the changed files; returns the diagnostics to publish.
    pub(crate) fn refresh(&mut self) -> Vec<PublishDiagnosticsParams> {
        let dirty = std::mem::take(&mut self.dirty);
        let mut done: BTreeSet<SetKey> = BTreeSet::new();
        let mut out = Vec::new();
        for path in dirty {
            for key in self.reanalyse(&path, &done) {
                if done.insert(key.clone()) {
                    out.extend(self.publish(&key));
                }
            }
        }
        out
    }

    /// Loads the sets containing `path` unless already loaded in this refresh; returns their keys
    /// in the order their diagnostics should be published.
    fn reanalyse(&mut self, path: &Path, done: &BTreeSet<SetKey>) -> Vec<SetKey> {
        let root = self.policy_root(path);
        let Some(relative) = relative_path(&root, path) else {
            return Vec::new();
        };
        let main = SetKey {
            root: root.clone(),
            entry: ENTRY.to_string(),
        };
        let own = SetKey {
            root: root.clone(),
            entry: relative.clone(),
        };
        if self.exists(&root.join(ENTRY)) {
            if !done.contains(&main) {
                let analysis = self.load(&main);
                self.analyses.insert(main.clone(), analysis);
            }
            if self
                .analyses
                .get(&main)
                .is_some_and(|a| a.contains(&relative))
            {
                if own != main && self.analyses.remove(&own).is_some() {
                    return vec![own, main];
                }
                return vec![main];
            }
        }
        if !self.docs.contains_key(path) {
            self.analyses.remove(&own);
        } else if !done.contains(&own) {
            let analysis = self.load(&own);
            self.analyses.insert(own.clone(), analysis);
        }
        if self.exists(&root.join(ENTRY)) && own != main {
            return vec![own, main];
        }
        vec![own]
    }

    fn load(&self, key: &SetKey) -> Analysis {
        let files = OverlayFiles::new(&key.root, &self.docs);
        Analysis::load(&files, key.root.clone(), &key.entry)
    }

    /// Diagnostics for every file of the set, and empty lists for files it no longer holds.
    fn publish(&mut self, key: &SetKey) -> Vec<PublishDiagnosticsParams> {
        let mut out = Vec::new();
        let mut now = Vec::new();
        if let Some(analysis) = self.analyses.get(key) {
            for (path, diagnostics) in analysis.diagnostics_by_file() {
                if self.belongs_to_main_set(key, &path) {
                    continue;
                }
                if let Ok(uri) = Url::from_file_path(&path) {
                    let version = self.docs.get(&path).map(|doc| doc.version);
                    out.push(PublishDiagnosticsParams {
                        uri,
                        diagnostics,
                        version,
                    });
                }
                now.push(path);
            }
        }
        let before = self
            .published
            .insert(key.clone(), now.clone())
            .unwrap_or_default();
        for path in before.into_iter().filter(|p| !now.contains(p)) {
            if let Ok(uri) = Url::from_file_path(&path) {
                let version = self.docs.get(&path).map(|doc| doc.version);
                out.push(PublishDiagnosticsParams {
                    uri,
                    diagnostics: Vec::new(),
                    version,
                });
            }
        }
        out
    }

    /// True when `key` is a set of its own and the root's main set also holds `path`: the main
    /// set publishes that file's diagnostics (its lints see every norm).
    fn belongs_to_main_set(&self, key: &SetKey, path: &Path) -> bool {
        let main = SetKey {
            root: key.root.clone(),
            entry: ENTRY.to_string(),
        };
        *key != main
            && relative_path(&key.root, path).is_some_and(|relative| {
                self.analyses
                    .get(&main)
                    .is_some_and(|analysis| analysis.contains(&relative))
            })
    }

    /// The analysis of the set that holds the file at `uri`, and its file id there.
    pub(crate) fn analysis(&self, uri: &Url) -> Option<(&Analysis, crate::syntax::FileId)> {
        let path = uri.to_file_path().ok()?;
        let root = self.policy_root(&path);
        let relative = relative_path(&root, &path)?;
        let main = SetKey {
            root: root.clone(),
            entry: ENTRY.to_string(),
        };
        let own = SetKey {
            root,
            entry: relative.clone(),
        };
        [main, own]
            .iter()
            .filter_map(|key| self.analyses.get(key))
            .find_map(|analysis| Some((analysis, analysis.file_id(&relative)?)))
    }

    /// Every analysed set.
    pub(crate) fn analyses(&self) -> impl Iterator<Item = &Analysis> {
        self.analyses.values()
    }

    fn exists(&self, path: &Path) -> bool {
        self.docs.contains_key(path) || path.is_file()
    }

    /// The policy root of the file at `path`.
    fn policy_root(&self, path: &Path) -> PathBuf {
        let Some(dir) = path.parent() else {
            return PathBuf::from("/");
        };
        dir.ancestors()
            .take_while(|ancestor| !self.is_above_folders(ancestor))
            .find(|ancestor| {
                ancestor.join("rampart.toml").is_file() || self.exists(&ancestor.join(ENTRY))
            })
            .unwrap_or(dir)
            .to_path_buf()
    }

    /// True when `dir` is strictly above every workspace folder that contains the file.
    fn is_above_folders(&self, dir: &Path) -> bool {
        !self.folders.is_empty()
            && self
                .folders
                .iter()
                .all(|folder| folder != dir && folder.starts_with(dir))
    }
}

/// The root-relative, `/`-separated path of `path`.
pub(crate) fn relative_path(root: &Path, path: &Path) -> Option<String> {
    let relative = path.strip_prefix(root).ok()?;
    let parts: Option<Vec<&str>> = relative
        .components()
        .map(|c| c.as_os_str().to_str())
        .collect();
    Some(parts?.join("/"))
}

/// Replaces the text in `range` (UTF-16 positions, clamped to the text) with `new_text`.
fn apply_edit(text: &mut String, range: lsp_types::Range, new_text: &str) {
    let line_index = LineIndex::new(text);
    let offset = |pos: lsp_types::Position| {
        let pos = LineCol {
            line: pos.line,
            col: pos.character,
        };
        line_index.offset(text, pos, ColumnUnit::Utf16)
    };
    let (start, end) = (offset(range.start), offset(range.end));
    let (start, end) = (start.min(end), start.max(end));
    text.replace_range(start..end, new_text);
}

/// Policy files of one root: open buffers first, then the disk (confined to the root).
struct OverlayFiles<'a> {
    root: &'a Path,
    disk: DiskFiles,
    docs: &'a HashMap<PathBuf, Document>,
}

impl<'a> OverlayFiles<'a> {
    fn new(root: &'a Path, docs: &'a HashMap<PathBuf, Document>) -> Self {
        OverlayFiles {
            root,
            disk: DiskFiles::new(root),
            docs,
        }
    }
}

impl PolicyFiles for OverlayFiles<'_> {
    fn read(&self, path: &str) -> Result<Vec<u8>, ReadError> {
        let full = self.root.join(path);
        match self.docs.get(&full) {
            Some(doc) => Ok(doc.text.as_bytes().to_vec()),
            None => self.disk.read(path),
        }
    }

    fn display(&self, path: &str) -> String {
        path.to_string()
    }
}
