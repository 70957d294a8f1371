//! The workspace: the set of policy files reachable from an entry file through `use` imports,
//! read through a [`PolicyFiles`] provider (the disk, the library embedded in the binary, or an
//! editor's unsaved buffers) and parsed once each.
//!
//! This module owns path confinement: a `use` or fixture path is resolved lexically against
//! the importing file, must stay inside the policy root, and (on disk) must not reach outside
//! it through a symbolic link. It owns no language rules beyond reading `use` items.

mod files;

pub use files::{DiskFiles, EmbeddedFiles, MemoryFiles, PolicyFiles, ReadError};

use std::collections::HashMap;

use crate::diagnostics::{Code, Diagnostic, SourceLookup};
use crate::syntax::{self, ColumnUnit, FileId, LineIndex, Parse, Span, ast};

/// One loaded policy file.
#[derive(Debug)]
pub struct SourceFile {
    /// Its id in the workspace.
    pub id: FileId,
    /// Path relative to the policy root, `/`-separated.
    pub path: String,
    /// Path as shown to users.
    pub display: String,
    /// The text (invalid UTF-8 replaced).
    pub text: String,
    /// The parsed tree and syntax diagnostics.
    pub parse: Parse,
    /// Files this one imports, in `use` order.
    pub imports: Vec<FileId>,
    /// Where the lines of `text` start, for locating spans in reports.
    line_index: LineIndex,
}

impl SourceFile {
    /// The 1-based line and column (in characters) of byte `offset` of the text.
    pub fn line_column(&self, offset: usize) -> (usize, usize) {
        let at = (self.line_index).line_col(&self.text, offset, ColumnUnit::Char);
        (at.line as usize + 1, at.col as usize + 1)
    }

    /// The 1-based line of byte `offset` of the text.
    pub fn line_of(&self, offset: usize) -> usize {
        self.line_column(offset).0
    }

    /// The text of 1-based `line`, without its line break; empty past the end.
    pub fn line_text(&self, line: usize) -> &str {
        let index = line.checked_sub(1).unwrap_or(usize::MAX);
        self.line_index.line_text(&self.text, index)
    }
}

/// The policy files of one policy set.
#[derive(Debug, Default)]
pub struct Workspace {
    /// Every loaded file; index = `FileId`.
    pub files: Vec<SourceFile>,
    /// Problems with imports and reading (syntax problems stay in each file's parse).
    pub diagnostics: Vec<Diagnostic>,
}

/// Why a path cannot be used as an import or fixture.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathError {
    /// The path is absolute.
    Absolute,
    /// `..` climbs above the policy root.
    Escapes,
    /// The path is empty.
    Empty,
}

impl PathError {
    fn describe(&self) -> &'static str {
        match self {
            PathError::Absolute => "absolute paths are not allowed",
            PathError::Escapes => "the path leaves the policy root",
            PathError::Empty => "the path is empty",
        }
    }
}

/// True when an import written `written`, resolved to `resolved`, names a directory by its
/// form (`.`, `..`, `sub/`, or the policy root itself), which no file read could satisfy.
fn names_directory(resolved: &str, written: &str) -> bool {
    let last = written.rsplit(['/', '\\']).next().unwrap_or_default();
    resolved.is_empty() || matches!(last, "" | "." | "..")
}

/// Resolves `relative` against the directory of `from` (both root-relative, `/`-separated),
/// refusing absolute paths and paths that climb out of the root.
pub fn resolve_path(from: &str, relative: &str) -> Result<String, PathError> {
    if relative.is_empty() {
        return Err(PathError::Empty);
    }
    let is_windows_absolute = relative.len() >= 2 && relative.as_bytes()[1] == b':';
    if relative.starts_with('/') || relative.starts_with('\\') || is_windows_absolute {
        return Err(PathError::Absolute);
    }
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for part in relative.split(['/', '\\']) {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop().ok_or(PathError::Escapes)?;
            }
            other => parts.push(other),
        }
    }
    Ok(parts.join("/"))
}

impl Workspace {
    /// Loads `entry` (root-relative) and everything it imports, transitively.
    pub fn load(files: &dyn PolicyFiles, entry: &str) -> Workspace {
        let mut workspace = Workspace::default();
        let mut by_path: HashMap<String, FileId> = HashMap::new();
        let entry_id = workspace.add_file(files, entry.to_string(), None, &mut by_path);
        if entry_id.is_none() {
            return workspace;
        }
        let mut next = 0;
        while next < workspace.files.len() {
            workspace.load_imports(files, FileId(next as u32), &mut by_path);
            next += 1;
        }
        workspace.report_cycles();
        workspace
    }

    fn load_imports(
        &mut self,
        files: &dyn PolicyFiles,
        id: FileId,
        by_path: &mut HashMap<String, FileId>,
    ) {
        let uses: Vec<ast::StrLit> = self.files[id.0 as usize]
            .parse
            .file
            .items
            .iter()
            .filter_map(|item| match &item.kind {
                ast::ItemKind::Use(path) => Some(path.clone()),
                _ => None,
            })
            .collect();
        let from = self.files[id.0 as usize].path.clone();
        for path in uses {
            let resolved = match resolve_path(&from, &path.value) {
                Ok(resolved) if names_directory(&resolved, &path.value) => {
                    let shown = crate::report::columns::escape_unsafe(&path.value);
                    self.diagnostics.push(
                        Diagnostic::new(
                            Code::ImportNotFound,
                            path.span,
                            format!(
                                "cannot import \"{shown}\": it names a directory, not a policy file"
                            ),
                        )
                        .with_label("a directory")
                        .with_help("name a `.rampart` file, such as \"schema.rampart\""),
                    );
                    continue;
                }
                Ok(resolved) => resolved,
                Err(error) => {
                    self.diagnostics.push(
                        Diagnostic::new(Code::ImportOutsideRoot, path.span, format!("cannot import \"{}\": {}", path.value, error.describe()))
                            .with_label("outside the policy root")
                            .with_help("imports are relative to the importing file and stay inside the policy root"),
                    );
                    continue;
                }
            };
            let imported = match by_path.get(&resolved) {
                Some(&existing) => Some(existing),
                None => self.add_file(files, resolved, Some(path.span), by_path),
            };
            if let Some(imported) = imported {
                self.files[id.0 as usize].imports.push(imported);
            }
        }
    }

    fn add_file(
        &mut self,
        files: &dyn PolicyFiles,
        path: String,
        used_at: Option<Span>,
        by_path: &mut HashMap<String, FileId>,
    ) -> Option<FileId> {
        let bytes = match files.read(&path) {
            Ok(bytes) => bytes,
            Err(error) => {
                let span = used_at.unwrap_or_default();
                let code = if matches!(error, ReadError::OutsideRoot) {
                    Code::ImportOutsideRoot
                } else {
                    Code::ImportNotFound
                };
                let shown = crate::report::columns::escape_unsafe(&path);
                let message = format!("cannot read \"{shown}\": {error}");
                let mut diagnostic = Diagnostic::new(code, span, message);
                if used_at.is_some() {
                    let help = match error {
                        ReadError::OutsideRoot => {
                            "a symbolic link takes this import outside the policy root, which policies may not read; copy the file into the policy directory"
                        }
                        ReadError::TooLarge => "split the file into smaller ones",
                        ReadError::NotFound | ReadError::Io(_) => {
                            "check the path; it is relative to the importing file"
                        }
                    };
                    diagnostic = diagnostic.with_label("imported here").with_help(help);
                }
                self.diagnostics.push(diagnostic);
                return None;
            }
        };
        let id = FileId(self.files.len() as u32);
        let display = files.display(&path);
        self.files
            .push(parse_file(id, path.clone(), display, bytes));
        by_path.insert(path, id);
        Some(id)
    }

    fn report_cycles(&mut self) {
        let mut state = vec![0u8; self.files.len()];
        for start in 0..self.files.len() {
            self.visit_for_cycles(start, &mut state, &mut Vec::new());
        }
    }

    fn visit_for_cycles(&mut self, file: usize, state: &mut [u8], stack: &mut Vec<usize>) {
        if state[file] == 2 {
            return;
        }
        if state[file] == 1 {
            let cycle_start = stack.iter().position(|&f| f == file).unwrap_or(0);
            let names: Vec<&str> = stack[cycle_start..]
                .iter()
                .map(|&f| self.files[f].path.as_str())
                .collect();
            let message = format!(
                "import cycle: {} → {}",
                names.join(" → "),
                self.files[file].path
            );
            let importer = *stack.last().expect("a cycle has an importer");
            let span = self.use_span(importer, file);
            self.diagnostics.push(
                Diagnostic::new(Code::ImportCycle, span, message)
                    .with_label("this import closes the cycle")
                    .with_help("move shared declarations into a file that both import"),
            );
            return;
        }
        state[file] = 1;
        stack.push(file);
        for imported in self.files[file].imports.clone() {
            self.visit_for_cycles(imported.0 as usize, state, stack);
        }
        stack.pop();
        state[file] = 2;
    }

    fn use_span(&self, importer: usize, imported: usize) -> Span {
        let target = &self.files[imported].path;
        let from = &self.files[importer].path;
        self.files[importer]
            .parse
            .file
            .items
            .iter()
            .find_map(|item| match &item.kind {
                ast::ItemKind::Use(path)
                    if resolve_path(from, &path.value).as_ref() == Ok(target) =>
                {
                    Some(path.span)
                }
                _ => None,
            })
            .unwrap_or_default()
    }

    /// The file with id `id`.
    pub fn file(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }

    /// For each file, the files whose declarations it can see: itself and its imports,
    /// transitively.
    pub fn visibility(&self) -> Vec<Vec<bool>> {
        let n = self.files.len();
        let mut visible = vec![vec![false; n]; n];
        for (start, row) in visible.iter_mut().enumerate() {
            let mut stack = vec![start];
            while let Some(file) = stack.pop() {
                if !std::mem::replace(&mut row[file], true) {
                    stack.extend(self.files[file].imports.iter().map(|id| id.0 as usize));
                }
            }
        }
        visible
    }

    /// Every syntax and import diagnostic.
    pub fn syntax_diagnostics(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics.iter().chain(
            self.files
                .iter()
                .flat_map(|file| file.parse.diagnostics.iter()),
        )
    }
}

/// Decodes and parses one file; invalid UTF-8 is reported and replaced.
fn parse_file(id: FileId, path: String, display: String, bytes: Vec<u8>) -> SourceFile {
    let (text, utf8_error) = match String::from_utf8(bytes) {
        Ok(text) => (text, None),
        Err(error) => {
            let offset = error.utf8_error().valid_up_to();
            (
                String::from_utf8_lossy(error.as_bytes()).into_owned(),
                Some(offset),
            )
        }
    };
    let mut parse = syntax::parse(id, &text);
    if let Some(offset) = utf8_error {
        let span = Span::new(id, offset, offset + 1);
        parse.diagnostics.insert(
            0,
            Diagnostic::new(Code::InvalidUtf8, span, "the file is not valid UTF-8")
                .with_label("invalid byte here")
                .with_help("save the file as UTF-8"),
        );
    }
    let line_index = LineIndex::new(&text);
    SourceFile {
        id,
        path,
        display,
        text,
        parse,
        imports: Vec::new(),
        line_index,
    }
}

impl SourceLookup for Workspace {
    fn file_name(&self, file: FileId) -> &str {
        self.files
            .get(file.0 as usize)
            .map_or("<unknown>", |f| f.display.as_str())
    }

    fn file_text(&self, file: FileId) -> &str {
        self.files
            .get(file.0 as usize)
            .map_or("", |f| f.text.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_relative_paths_inside_the_root() {
        assert_eq!(
            resolve_path("pillars/a.rampart", "../schema.rampart"),
            Ok("schema.rampart".into())
        );
        assert_eq!(
            resolve_path("main.rampart", "./pillars/b.rampart"),
            Ok("pillars/b.rampart".into())
        );
    }

    #[test]
    fn refuses_paths_that_leave_the_root() {
        assert_eq!(
            resolve_path("main.rampart", "../x.rampart"),
            Err(PathError::Escapes)
        );
        assert_eq!(
            resolve_path("a/main.rampart", "../../etc/passwd"),
            Err(PathError::Escapes)
        );
        assert_eq!(
            resolve_path("main.rampart", "/etc/passwd"),
            Err(PathError::Absolute)
        );
        assert_eq!(
            resolve_path("main.rampart", "C:\\x"),
            Err(PathError::Absolute)
        );
    }
}
