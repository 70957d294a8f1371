//! Providers of policy file contents: the disk (confined to a root directory, symbolic links
//! included) and the norm library embedded in the binary.

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

use include_dir::Dir;

/// Why a policy file could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadError {
    /// No such file.
    NotFound,
    /// The file resolves (through a link) to a place outside the policy root.
    OutsideRoot,
    /// Any other I/O failure, described.
    Io(String),
    /// The file is larger than a policy file may be.
    TooLarge,
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::NotFound => f.write_str("no such file"),
            ReadError::OutsideRoot => f.write_str("it resolves to a place outside the policy root"),
            ReadError::Io(message) => f.write_str(message),
            ReadError::TooLarge => f.write_str("the file is too large"),
        }
    }
}

/// Reads policy files by root-relative path.
pub trait PolicyFiles: Sync {
    /// The bytes of the file at `path` (root-relative, `/`-separated, already confined lexically).
    fn read(&self, path: &str) -> Result<Vec<u8>, ReadError>;
    /// How the file at `path` is shown to users.
    fn display(&self, path: &str) -> String;
}

/// Policy files in a directory on disk.
#[derive(Debug, Clone)]
pub struct DiskFiles {
    root: PathBuf,
    shown_root: String,
}

impl DiskFiles {
    /// Files under `root`, shown to users prefixed with `root` as given.
    pub fn new(root: &Path) -> Self {
        let shown_root = root.display().to_string();
        DiskFiles {
            root: root.to_path_buf(),
            shown_root,
        }
    }

    /// The root directory, as given.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The real path of the root-relative `path`, after symbolic links, refused when it is
    /// outside the (real) root.
    pub fn confined(&self, path: &str) -> Result<PathBuf, ReadError> {
        let canonical_root = self
            .root
            .canonicalize()
            .map_err(|e| ReadError::Io(e.to_string()))?;
        let canonical = self
            .root
            .join(path)
            .canonicalize()
            .map_err(|e| match e.kind() {
                std::io::ErrorKind::NotFound => ReadError::NotFound,
                _ => ReadError::Io(e.to_string()),
            })?;
        if !canonical.starts_with(&canonical_root) {
            return Err(ReadError::OutsideRoot);
        }
        Ok(canonical)
    }
}

impl PolicyFiles for DiskFiles {
    fn read(&self, path: &str) -> Result<Vec<u8>, ReadError> {
        let canonical = self.confined(path)?;
        let metadata = std::fs::metadata(&canonical).map_err(|e| ReadError::Io(e.to_string()))?;
        if !metadata.is_file() {
            return Err(ReadError::Io("not a regular file".into()));
        }
        if metadata.len() > crate::syntax::MAX_FILE_BYTES as u64 {
            return Err(ReadError::TooLarge);
        }
        std::fs::read(&canonical).map_err(|e| ReadError::Io(e.to_string()))
    }

    fn display(&self, path: &str) -> String {
        if self.shown_root.is_empty() || self.shown_root == "." {
            path.to_string()
        } else {
            format!("{}/{}", self.shown_root.trim_end_matches('/'), path)
        }
    }
}

/// Policy files compiled into the binary.
#[derive(Debug, Clone, Copy)]
pub struct EmbeddedFiles {
    dir: &'static Dir<'static>,
    shown_root: &'static str,
}

impl EmbeddedFiles {
    /// Files of `dir`, shown to users under `shown_root`.
    pub const fn new(dir: &'static Dir<'static>, shown_root: &'static str) -> Self {
        EmbeddedFiles { dir, shown_root }
    }
}

impl PolicyFiles for EmbeddedFiles {
    fn read(&self, path: &str) -> Result<Vec<u8>, ReadError> {
        self.dir
            .get_file(path)
            .map(|file| file.contents().to_vec())
            .ok_or(ReadError::NotFound)
    }

    fn display(&self, path: &str) -> String {
        format!("{}/{}", self.shown_root, path)
    }
}

/// Policy files held in memory (tests, fuzzing, an editor's unsaved buffers).
#[derive(Debug, Clone, Default)]
pub struct MemoryFiles {
    files: HashMap<String, Vec<u8>>,
}

impl MemoryFiles {
    /// No files.
    pub fn new() -> Self {
        MemoryFiles::default()
    }

    /// Adds or replaces the file at root-relative `path`.
    pub fn insert(&mut self, path: impl Into<String>, contents: impl Into<Vec<u8>>) {
        self.files.insert(path.into(), contents.into());
    }
}

impl PolicyFiles for MemoryFiles {
    fn read(&self, path: &str) -> Result<Vec<u8>, ReadError> {
        self.files.get(path).cloned().ok_or(ReadError::NotFound)
    }

    fn display(&self, path: &str) -> String {
        path.to_string()
    }
}
