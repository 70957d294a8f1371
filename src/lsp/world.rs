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

use super::analysis::{Analysis, ClientUris};
use super::jurisdiction;
use super::retire::Retirement;
use crate::config::Format;
use crate::syntax::line_starts;
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
    /// The notation of a JSON or YAML data document; `None` for policy text.
    pub data: Option<Format>,
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
    /// What the client supports.
    pub client: super::main_loop::ClientSupport,
    /// The diagnostics (and document version) last published for each document.
    last_published: HashMap<Url, (Vec<lsp_types::Diagnostic>, Option<i32>)>,
    docs: HashMap<PathBuf, Document>,
    analyses: HashMap<SetKey, Analysis>,
    /// Files changed since the last refresh.
    dirty: BTreeSet<PathBuf>,
    /// Files each set last published diagnostics for.
    published: HashMap<SetKey, Vec<PathBuf>>,
    folders: Vec<PathBuf>,
    /// Open jurisdiction documents and the policy set each was last evaluated against (`None`:
    /// the embedded library).
    jurisdictions: HashMap<PathBuf, Option<SetKey>>,
    /// The embedded norm library, loaded when a jurisdiction document first needs it.
    embedded: Option<Analysis>,
    /// Analyses replaced in this refresh, handed to `retirement` once its diagnostics are sent
    /// (freeing a large tree takes a good part of a re-check).
    retired: Vec<Analysis>,
    /// Frees retired analyses off the loop.
    retirement: Retirement,
    /// The URI the client named each file it opened with. Kept after it closes one while a
    /// policy set holds the file or diagnostics are shown under it, so that the diagnostics
    /// published then replace those the client has, then forgotten ([`World::forget_names`]).
    client_uris: ClientUris,
    /// Closed files, and files a set stopped holding, since the last refresh: their names may
    /// be forgotten at its end.
    unneeded_names: Vec<PathBuf>,
    /// URIs diagnostics were published under before the client named their file otherwise:
    /// their diagnostics are cleared at the next refresh.
    renamed: Vec<Url>,
}

impl World {
    /// An empty world for a client with these workspace folders.
    /// The policy set of each folder with a `main.rampart` is checked at the first refresh, so
    /// its diagnostics and symbols are there before any file is opened.
    pub(crate) fn new(folders: Vec<Url>, client: super::main_loop::ClientSupport) -> Self {
        let folders: Vec<PathBuf> = folders.iter().filter_map(file_path).collect();
        let dirty = folders
            .iter()
            .map(|folder| folder.join(ENTRY))
            .filter(|entry| entry.is_file())
            .collect();
        World {
            client,
            folders,
            dirty,
            ..World::default()
        }
    }

    /// Starts overlaying the disk with an opened buffer.
    pub(crate) fn open(&mut self, params: DidOpenTextDocumentParams) {
        let Some(path) = file_path(&params.text_document.uri) else {
            return;
        };
        let language_id = Some(params.text_document.language_id.as_str());
        let data = jurisdiction::is_data(&path, language_id)
            .then(|| jurisdiction::format(&path, language_id));
        let text = params.text_document.text;
        let version = params.text_document.version;
        let document = Document {
            text,
            version,
            data,
        };
        self.docs.insert(path.clone(), document);
        self.name_file(path.clone(), params.text_document.uri);
        self.dirty.insert(path);
    }

    /// Takes `uri` as the client's name for the file at `path`.
    fn name_file(&mut self, path: PathBuf, uri: Url) {
        if let Some(before) = self.client_uris.uri(&path)
            && before != uri
            && self.last_published.remove(&before).is_some()
        {
            self.renamed.push(before);
        }
        self.client_uris.insert(path, uri);
    }

    /// Applies full or incremental (UTF-16 range) changes to an open buffer.
    pub(crate) fn change(&mut self, params: DidChangeTextDocumentParams) {
        let Some(path) = file_path(&params.text_document.uri) else {
            return;
        };
        let Some(doc) = self.docs.get_mut(&path) else {
            say!(
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
        let Some(path) = file_path(&params.text_document.uri) else {
            return;
        };
        self.docs.remove(&path);
        self.unneeded_names.push(path.clone());
        self.dirty.insert(path);
    }

    /// Marks a saved file as changed.
    pub(crate) fn saved(&mut self, params: DidSaveTextDocumentParams) {
        if let Some(path) = file_path(&params.text_document.uri) {
            self.dirty.insert(path);
        }
    }

    /// Marks the files changed on disk as changed, and every open document (a changed file
    /// may be imported by one, or hold the policy it is evaluated against).
    pub(crate) fn files_changed(&mut self, params: lsp_types::DidChangeWatchedFilesParams) {
        let changed = params
            .changes
            .iter()
            .filter_map(|change| file_path(&change.uri));
        self.dirty.extend(changed);
        self.dirty.extend(self.docs.keys().cloned());
    }

    /// Re-checks the policy sets of the changed files; returns the diagnostics to publish.
    pub(crate) fn refresh(&mut self) -> Vec<PublishDiagnosticsParams> {
        let mut done: BTreeSet<SetKey> = BTreeSet::new();
        let mut out: Vec<PublishDiagnosticsParams> = (self.renamed.drain(..))
            .map(|uri| PublishDiagnosticsParams::new(uri, Vec::new(), None))
            .collect();
        let mut data_dirty = BTreeSet::new();
        // Two rounds: the second re-checks, on their own, the open files that the first round's
        // sets stopped importing (see [`World::publish`], which marks them).
        for _round in 0..2 {
            for path in std::mem::take(&mut self.dirty) {
                if self.is_data(&path) {
                    data_dirty.insert(path);
                    continue;
                }
                for key in self.reanalyse(&path, &done) {
                    if done.insert(key.clone()) {
                        out.extend(self.publish(&key));
                    }
                }
            }
        }
        out.extend(self.refresh_jurisdictions(&data_dirty, &mut done));
        out.retain(|params| self.is_news(params));
        self.forget_names();
        out
    }

    /// Forgets the client's URI of each closed file of [`World::unneeded_names`] that no policy
    /// set holds and that shows no diagnostics: what the server publishes about it next is
    /// news to the client under any name. The names kept are those of open files, of files of
    /// analysed sets and of files whose diagnostics are shown, however many files were opened.
    fn forget_names(&mut self) {
        for path in std::mem::take(&mut self.unneeded_names) {
            if self.docs.contains_key(&path) || self.is_held(&path) {
                continue;
            }
            let shown = (self.client_uris.uri(&path))
                .and_then(|uri| self.last_published.get(&uri))
                .is_some_and(|(diagnostics, _)| !diagnostics.is_empty());
            if shown {
                continue;
            }
            if let Some(uri) = self.client_uris.remove(&path) {
                self.last_published.remove(&uri);
            }
        }
    }

    /// True when an analysed policy set holds the file at `path`.
    fn is_held(&self, path: &Path) -> bool {
        self.analyses.values().any(|analysis| {
            relative_path(&analysis.root, path).is_some_and(|relative| analysis.contains(&relative))
        })
    }

    /// True when `params` differ from what was last published for their document (and it is
    /// remembered as published): a keystroke in one file of a set of hundreds re-publishes only
    /// what changed, not every file of the set.
    fn is_news(&mut self, params: &PublishDiagnosticsParams) -> bool {
        match self.last_published.get(&params.uri) {
            Some((diagnostics, version))
                if *diagnostics == params.diagnostics && *version == params.version =>
            {
                false
            }
            _ => {
                let last = (params.diagnostics.clone(), params.version);
                self.last_published.insert(params.uri.clone(), last);
                true
            }
        }
    }

    /// Stores the new analysis of `key`; the one it replaces is dropped by [`World::release`].
    fn replace_analysis(&mut self, key: SetKey, analysis: Analysis) {
        if let Some(old) = self.analyses.insert(key, analysis) {
            self.retired.push(old);
        }
    }

    /// Frees the analyses replaced since the last call, on the freeing thread.
    pub(crate) fn release(&mut self) {
        self.retirement.retire(self.retired.drain(..));
    }

    /// True when `path` is (or, closed, was) a JSON or YAML data document.
    fn is_data(&self, path: &Path) -> bool {
        match self.docs.get(path) {
            Some(doc) => doc.data.is_some(),
            None => self.jurisdictions.contains_key(path) || jurisdiction::is_data(path, None),
        }
    }

    /// Re-evaluates the open jurisdiction documents that changed or whose policy set was
    /// re-checked in this refresh; clears the diagnostics of closed ones.
    fn refresh_jurisdictions(
        &mut self,
        dirty: &BTreeSet<PathBuf>,
        done: &mut BTreeSet<SetKey>,
    ) -> Vec<PublishDiagnosticsParams> {
        let mut out = Vec::new();
        for path in dirty {
            if !self.docs.contains_key(path) && self.jurisdictions.remove(path).is_some() {
                out.extend(self.publish_params(path, Vec::new(), None));
            }
        }
        let mut open: Vec<PathBuf> = self
            .docs
            .iter()
            .filter(|(_, doc)| doc.data.is_some())
            .map(|(path, _)| path.clone())
            .collect();
        open.sort();
        for path in open {
            let set = self.jurisdiction_set(&path);
            let changed = dirty.contains(&path)
                || self.jurisdictions.get(&path).is_some_and(|before| {
                    *before != set || set.as_ref().is_some_and(|key| done.contains(key))
                });
            if changed {
                out.extend(self.evaluate_jurisdiction(&path, set, done));
            }
        }
        out
    }

    /// The policy set a jurisdiction document is evaluated against: the set of its policy
    /// root's `main.rampart`, else (`None`) the embedded library.
    fn jurisdiction_set(&self, path: &Path) -> Option<SetKey> {
        let root = self.policy_root(path);
        self.exists(&root.join(ENTRY)).then(|| SetKey {
            root,
            entry: ENTRY.to_string(),
        })
    }

    /// Validates and evaluates the open data document at `path` when it is a jurisdiction
    /// document; loads its policy set first when no refresh has.
    fn evaluate_jurisdiction(
        &mut self,
        path: &Path,
        set: Option<SetKey>,
        done: &mut BTreeSet<SetKey>,
    ) -> Vec<PublishDiagnosticsParams> {
        let mut out = Vec::new();
        let Some(doc) = self.docs.get(path) else {
            return out;
        };
        let format = doc.data.unwrap_or(Format::Json);
        let tracked = self.jurisdictions.contains_key(path);
        if !tracked && !jurisdiction::is_jurisdiction(path, &doc.text, format) {
            return out;
        }
        match &set {
            Some(key) if !self.analyses.contains_key(key) => {
                let analysis = self.load(key);
                self.replace_analysis(key.clone(), analysis);
                if done.insert(key.clone()) {
                    out.extend(self.publish(key));
                }
            }
            Some(_) => {}
            None => {
                self.embedded.get_or_insert_with(load_embedded);
            }
        }
        let analysis = match &set {
            Some(key) => self.analyses.get(key),
            None => self.embedded.as_ref(),
        };
        let (Some(analysis), Some(doc)) = (analysis, self.docs.get(path)) else {
            return out;
        };
        let diagnostics = jurisdiction::diagnostics(analysis, path, &doc.text, format);
        out.extend(self.publish_params(path, diagnostics, Some(doc.version)));
        self.jurisdictions.insert(path.to_path_buf(), set);
        out
    }

    /// Diagnostics for the file at `path`, when it has a URI.
    fn publish_params(
        &self,
        path: &Path,
        diagnostics: Vec<lsp_types::Diagnostic>,
        version: Option<i32>,
    ) -> Option<PublishDiagnosticsParams> {
        Some(PublishDiagnosticsParams {
            uri: self.client_uris.uri(path)?,
            diagnostics,
            version,
        })
    }

    /// The policy set the open jurisdiction document at `uri` was last evaluated against.
    pub(crate) fn jurisdiction_analysis(&self, uri: &Url) -> Option<&Analysis> {
        let path = file_path(uri)?;
        match self.jurisdictions.get(&path)? {
            Some(key) => self.analyses.get(key),
            None => self.embedded.as_ref(),
        }
    }

    /// How many documents, analyses, jurisdiction documents and client URIs the server holds,
    /// and the bytes of open text: the retained state, for tests that watch it stay flat.
    pub(crate) fn retained(&self) -> Retained {
        Retained {
            documents: self.docs.len(),
            analyses: self.analyses.len()
                + usize::from(self.embedded.is_some())
                + self.retired.len(),
            jurisdictions: self.jurisdictions.len(),
            overlay_bytes: self.docs.values().map(|doc| doc.text.len()).sum(),
            published_sets: self.published.len(),
            named_files: self.client_uris.len(),
        }
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
                self.replace_analysis(main.clone(), analysis);
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
            self.replace_analysis(own.clone(), analysis);
        }
        if self.exists(&root.join(ENTRY)) && own != main {
            return vec![own, main];
        }
        vec![own]
    }

    fn load(&self, key: &SetKey) -> Analysis {
        let files = OverlayFiles::new(&key.root, &self.docs);
        Analysis::load(&files, key.root.clone(), &key.entry, &self.client_uris)
    }

    /// Diagnostics for every file of the set, and empty lists for files it no longer holds
    /// (an open one is marked to be checked on its own).
    fn publish(&mut self, key: &SetKey) -> Vec<PublishDiagnosticsParams> {
        let mut out = Vec::new();
        let mut now = Vec::new();
        if let Some(analysis) = self.analyses.get(key) {
            for (path, diagnostics) in analysis.diagnostics_by_file() {
                if self.belongs_to_main_set(key, &path) {
                    continue;
                }
                let version = self.docs.get(&path).map(|doc| doc.version);
                out.extend(self.publish_params(&path, diagnostics, version));
                now.push(path);
            }
        }
        let before = self
            .published
            .insert(key.clone(), now.clone())
            .unwrap_or_default();
        for path in before.into_iter().filter(|p| !now.contains(p)) {
            // An open file the set no longer imports is checked on its own instead.
            if self.docs.contains_key(&path) {
                self.dirty.insert(path);
                continue;
            }
            out.extend(self.publish_params(&path, Vec::new(), None));
            self.unneeded_names.push(path);
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
        let path = file_path(uri)?;
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

/// The retained state of a [`World`] (see [`World::retained`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub(crate) struct Retained {
    /// Open documents.
    pub documents: usize,
    /// Analysed policy sets (the embedded library included once loaded).
    pub analyses: usize,
    /// Open jurisdiction documents.
    pub jurisdictions: usize,
    /// Bytes of open text.
    pub overlay_bytes: usize,
    /// Policy sets with published diagnostics.
    pub published_sets: usize,
    /// Files named by the URI the client opened them with.
    pub named_files: usize,
}

/// Loads and checks the norm library embedded in the binary.
fn load_embedded() -> Analysis {
    let source = crate::cli::policy::PolicySource::library();
    let no_uris = ClientUris::default();
    Analysis::load(source.files(), PathBuf::from("<builtin>"), ENTRY, &no_uris)
}

/// The file at `uri` when it is a `file:` URI. A document of another scheme (a version shown by
/// git, an unsaved buffer) has no place on disk: it is left alone rather than taken for the file
/// whose path it happens to hold, whose buffer it would otherwise replace or close.
fn file_path(uri: &Url) -> Option<PathBuf> {
    (uri.scheme() == "file")
        .then(|| uri.to_file_path().ok())
        .flatten()
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
    let (start, end) = (offset(text, range.start), offset(text, range.end));
    let (start, end) = (start.min(end), start.max(end));
    text.replace_range(start..end, new_text);
}

/// The byte offset of a UTF-16 `position`: a line past the end clamps to the end of the text, a
/// column past the end of its line to the line's end (before its line break). Scans only up to
/// the position, so an edit near the top of a large buffer stays cheap.
fn offset(text: &str, position: lsp_types::Position) -> usize {
    let Some(line_start) = line_starts(text).nth(position.line as usize) else {
        return text.len();
    };
    let rest = text.get(line_start..).unwrap_or("");
    let line = &rest[..rest.find(['\n', '\r']).unwrap_or(rest.len())];
    let mut units = 0;
    for (index, c) in line.char_indices() {
        if units >= position.character {
            return line_start + index;
        }
        units += c.len_utf16() as u32;
    }
    line_start + line.len()
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::{ColumnUnit, LineCol, LineIndex};

    #[test]
    fn edit_offsets_agree_with_the_line_index() {
        let text = "a\u{e9}\u{1F5F3}b\r\n\tc\n\nl\ra\r\rst";
        let line_index = LineIndex::new(text);
        for line in 0..9 {
            for character in 0..8 {
                let position = lsp_types::Position::new(line, character);
                let pos = LineCol {
                    line,
                    col: character,
                };
                let expected = line_index.offset(text, pos, ColumnUnit::Utf16);
                assert_eq!(offset(text, position), expected, "{line}:{character}");
            }
        }
    }
}
