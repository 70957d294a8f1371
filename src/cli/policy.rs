//! Finds the policy set a command works on: `--policy DIR` (entry `DIR/main.rampart`),
//! `--policy FILE`, or the norm library embedded in the binary.

use std::path::{Path, PathBuf};

use include_dir::{Dir, include_dir};

use crate::diagnostics::{Code, Diagnostic};
use crate::workspace::{DiskFiles, EmbeddedFiles, PolicyFiles, Workspace};

/// The norm library compiled into the binary.
static LIBRARY: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/policies");

/// Entry file of a policy directory.
pub const ENTRY_FILE: &str = "main.rampart";

/// Where policy files are read from.
pub enum PolicySource {
    /// A directory or file on disk.
    Disk(DiskFiles, String),
    /// The embedded library.
    Embedded(EmbeddedFiles),
}

impl PolicySource {
    /// The norm library embedded in the binary.
    pub fn library() -> PolicySource {
        PolicySource::Embedded(EmbeddedFiles::new(&LIBRARY, "<builtin>"))
    }

    /// `--policy PATH` if given, else the embedded library; `None` (with the error printed to
    /// standard error) when `PATH` names no policy set.
    pub fn from_arg(policy: Option<&Path>) -> Option<PolicySource> {
        if let Some(problem) = missing_policy(policy) {
            say!("{problem}");
            return None;
        }
        Some(PolicySource::at(policy))
    }

    fn at(policy: Option<&Path>) -> PolicySource {
        match policy {
            None => PolicySource::library(),
            Some(path) if path.is_file() => {
                let root = path
                    .parent()
                    .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
                let root = if root.as_os_str().is_empty() {
                    PathBuf::from(".")
                } else {
                    root
                };
                let entry = path
                    .file_name()
                    .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
                PolicySource::Disk(DiskFiles::new(&root), entry)
            }
            Some(path) => PolicySource::Disk(DiskFiles::new(path), ENTRY_FILE.to_string()),
        }
    }

    /// Loads and parses the policy set.
    pub fn load(&self) -> Workspace {
        match self {
            PolicySource::Disk(files, entry) => Workspace::load(files, entry),
            PolicySource::Embedded(files) => Workspace::load(files, ENTRY_FILE),
        }
    }

    /// The provider of the policy set's files (fixtures are read through it too).
    pub fn files(&self) -> &dyn PolicyFiles {
        match self {
            PolicySource::Disk(files, _) => files,
            PolicySource::Embedded(files) => files,
        }
    }
}

/// Why `--policy PATH` names no policy set, with a hint: the directory does not exist or has
/// no entry file. `None` when it names one (or when the library is used).
fn missing_policy(policy: Option<&Path>) -> Option<String> {
    let path = policy?;
    let entry = path.join(ENTRY_FILE);
    if path.is_file() || entry.is_file() {
        return None;
    }
    let what = if path.is_dir() {
        format!("{} has no {ENTRY_FILE}", path.display())
    } else {
        format!("{} does not exist", path.display())
    };
    Some(format!(
        "error: no policy set at {}: {what}\n  help: --policy takes a directory holding {ENTRY_FILE} (its entry file), or a policy file; without --policy the built-in norm library is used",
        path.display()
    ))
}

/// Adds `path` (a file) or the `*.rampart` files under it (a directory) to `files`. Inside
/// directories, hidden entries (`.git`) and symbolic links are skipped.
pub(super) fn collect_policy_files(path: &Path, files: &mut Vec<PathBuf>) -> std::io::Result<()> {
    if !std::fs::metadata(path)?.is_dir() {
        files.push(path.to_path_buf());
        return Ok(());
    }
    for entry in std::fs::read_dir(path)? {
        let entry = entry?;
        let file_type = entry.file_type()?;
        let entry_path = entry.path();
        let hidden = entry.file_name().to_string_lossy().starts_with('.');
        let is_policy = entry_path.extension().is_some_and(|ext| ext == "rampart");
        if hidden || file_type.is_symlink() {
            continue;
        }
        if file_type.is_dir() {
            collect_policy_files(&entry_path, files)?;
        } else if is_policy {
            files.push(entry_path);
        }
    }
    Ok(())
}

/// A warning for each `*.rampart` file of a policy directory that its `main.rampart` does not
/// reach through its imports: its norms and tests would be left out without a word. Pointed at
/// the start of the entry file, where a `use` is missing. None for the embedded library or a
/// policy given as another file than `main.rampart`.
pub fn unimported_files(source: &PolicySource, workspace: &Workspace) -> Vec<Diagnostic> {
    let PolicySource::Disk(files, entry) = source else {
        return Vec::new();
    };
    let Some(entry_file) = workspace.files.first().filter(|_| entry == ENTRY_FILE) else {
        return Vec::new();
    };
    let mut found = Vec::new();
    if collect_policy_files(files.root(), &mut found).is_err() {
        return Vec::new();
    }
    let loaded: Vec<&str> = workspace.files.iter().map(|f| f.path.as_str()).collect();
    let mut unimported: Vec<String> = (found.iter())
        .filter_map(|path| path.strip_prefix(files.root()).ok())
        .map(|relative| relative.to_string_lossy().replace('\\', "/"))
        .filter(|relative| !loaded.contains(&relative.as_str()))
        .collect();
    unimported.sort();
    let at = crate::syntax::Span::new(entry_file.id, 0, 0);
    (unimported.into_iter())
        .map(|path| {
            Diagnostic::new(
                Code::NotImported,
                at,
                format!(
                    "{path} is in the policy directory, but {ENTRY_FILE} does not import it \
                     (nor does any file it imports): its norms and tests are left out"
                ),
            )
            .with_help(format!(
                "add `use \"{path}\"` to {ENTRY_FILE} or a file it imports, or move the file out of the policy directory"
            ))
        })
        .collect()
}

/// Loads and checks the policy set; prints its diagnostics to standard error when it has
/// errors and returns `None` then.
pub fn load_program(source: &PolicySource) -> Option<(Workspace, crate::check::Program)> {
    use crate::diagnostics::{HumanStyle, render_human};
    let workspace = source.load();
    let checked = crate::check::check(&workspace);
    if !checked.has_errors(&workspace) {
        return Some((workspace, checked.program));
    }
    let diagnostics: Vec<Diagnostic> = workspace
        .syntax_diagnostics()
        .cloned()
        .chain(checked.diagnostics)
        .filter(Diagnostic::is_error)
        .collect();
    say_part!(
        "{}",
        render_human(&diagnostics, &workspace, HumanStyle::Plain)
    );
    say!("the policy set has errors; run `rampart validate` for every diagnostic");
    None
}
