//! One analysed policy set: its workspace, the checker's output, the name index and a line
//! index per file, with the conversions between byte spans and LSP locations. A location names
//! its file by the URI the client opened it with, when it did ([`ClientUris`]).
//!
//! The name index serves hover, navigation and semantic tokens, not diagnostics, so it is built
//! on the first request that needs it rather than after every edit.

use std::cell::OnceCell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

use lsp_types::{Location, Position, Range, Url};

use super::convert;
use super::index::Index;
use crate::check::{self, Checked};
use crate::syntax::{FileId, LineIndex, Span};
use crate::workspace::{PolicyFiles, SourceFile, Workspace};

/// A policy set as last checked.
#[derive(Debug)]
pub(crate) struct Analysis {
    /// The policy root.
    pub root: PathBuf,
    /// Parsed files.
    pub workspace: Workspace,
    /// The checker's output.
    pub checked: Checked,
    /// Declarations and uses of every name, built on first use (see [`Analysis::index`]).
    index: OnceCell<Index>,
    line_indexes: Vec<LineIndex>,
    /// The URIs the client named files under the root with.
    client_uris: ClientUris,
}

/// The URI the client named each file with when it opened it. Clients percent-encode paths in
/// their own ways (`%3A` for a drive's colon, lowercase hex, characters that need no escape),
/// and many compare URIs as strings: answers about a file name it the client's way, not with
/// the `file:` URI the server would write for the path.
#[derive(Clone, Debug, Default)]
pub(crate) struct ClientUris(HashMap<PathBuf, Url>);

impl ClientUris {
    /// Remembers that the client named the file at `path` `uri`.
    pub(crate) fn insert(&mut self, path: PathBuf, uri: Url) {
        self.0.insert(path, uri);
    }

    /// Forgets the client's URI of the file at `path`; returns it.
    pub(crate) fn remove(&mut self, path: &Path) -> Option<Url> {
        self.0.remove(path)
    }

    /// How many files the client named.
    pub(crate) fn len(&self) -> usize {
        self.0.len()
    }

    /// The URI of the file at the absolute `path`: the client's, else its own `file:` URI.
    pub(crate) fn uri(&self, path: &Path) -> Option<Url> {
        match self.0.get(path) {
            Some(uri) => Some(uri.clone()),
            None => Url::from_file_path(path).ok(),
        }
    }

    /// The URIs of the files under `root`.
    pub(crate) fn under(&self, root: &Path) -> ClientUris {
        let under = self.0.iter().filter(|(path, _)| path.starts_with(root));
        ClientUris(
            under
                .map(|(path, uri)| (path.clone(), uri.clone()))
                .collect(),
        )
    }
}

impl Analysis {
    /// Loads, parses and checks the set whose entry is `entry`; its locations name files as in
    /// `client_uris`.
    pub(crate) fn load(
        files: &dyn PolicyFiles,
        root: PathBuf,
        entry: &str,
        client_uris: &ClientUris,
    ) -> Analysis {
        let workspace = Workspace::load(files, entry);
        let checked = check::check(&workspace);
        let line_indexes = workspace
            .files
            .iter()
            .map(|f| LineIndex::new(&f.text))
            .collect();
        Analysis {
            client_uris: client_uris.under(&root),
            root,
            workspace,
            checked,
            index: OnceCell::new(),
            line_indexes,
        }
    }

    /// Declarations and uses of every name (built on the first call).
    pub(crate) fn index(&self) -> &Index {
        self.index
            .get_or_init(|| Index::build(&self.workspace, &self.checked.program))
    }

    /// True when the set holds the root-relative `path`.
    pub(crate) fn contains(&self, path: &str) -> bool {
        self.file_id(path).is_some()
    }

    /// The id of the root-relative `path` in this set.
    pub(crate) fn file_id(&self, path: &str) -> Option<FileId> {
        self.workspace
            .files
            .iter()
            .find(|f| f.path == path)
            .map(|f| f.id)
    }

    /// The file with id `file`, if the set has it.
    pub(crate) fn file(&self, file: FileId) -> Option<&SourceFile> {
        self.workspace.files.get(file.0 as usize)
    }

    /// The text of `file` as checked.
    pub(crate) fn text(&self, file: FileId) -> &str {
        self.file(file).map_or("", |f| f.text.as_str())
    }

    /// The absolute path of `file`.
    pub(crate) fn path(&self, file: FileId) -> Option<PathBuf> {
        Some(self.root.join(&self.file(file)?.path))
    }

    /// The URI of `file`.
    pub(crate) fn uri(&self, file: FileId) -> Option<Url> {
        self.uri_of(&self.path(file)?)
    }

    /// The URI of the file at the absolute `path`, which need not be in the set.
    pub(crate) fn uri_of(&self, path: &Path) -> Option<Url> {
        self.client_uris.uri(path)
    }

    /// The byte offset of `position` in `file`, or `None` when it is past the last line.
    pub(crate) fn offset(&self, file: FileId, position: Position) -> Option<usize> {
        let line_index = self.line_indexes.get(file.0 as usize)?;
        convert::offset(line_index, self.text(file), position)
    }

    /// The LSP range of `span`.
    pub(crate) fn range(&self, span: Span) -> Range {
        match self.line_indexes.get(span.file.0 as usize) {
            Some(line_index) => convert::range(line_index, self.text(span.file), span),
            None => Range::default(),
        }
    }

    /// The LSP location of `span`.
    pub(crate) fn location(&self, span: Span) -> Option<Location> {
        Some(Location {
            uri: self.uri(span.file)?,
            range: self.range(span),
        })
    }

    /// The text covered by `span`.
    pub(crate) fn slice(&self, span: Span) -> &str {
        self.text(span.file).get(span.range()).unwrap_or("")
    }

    /// Every diagnostic of the set, grouped by file, with an entry for each file.
    pub(crate) fn diagnostics_by_file(&self) -> Vec<(PathBuf, Vec<lsp_types::Diagnostic>)> {
        let mut by_file: Vec<Vec<lsp_types::Diagnostic>> =
            vec![Vec::new(); self.workspace.files.len()];
        let all = self
            .workspace
            .syntax_diagnostics()
            .chain(&self.checked.diagnostics);
        for diagnostic in all {
            if let Some(list) = by_file.get_mut(diagnostic.primary.span.file.0 as usize) {
                list.push(convert::diagnostic(self, diagnostic));
            }
        }
        self.workspace
            .files
            .iter()
            .zip(by_file)
            .filter_map(|(file, list)| Some((self.path(file.id)?, list)))
            .collect()
    }
}
