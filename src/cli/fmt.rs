//! `rampart fmt`: format policy files in place, or with `--check` list the files that are not
//! formatted. The layout itself is [`crate::fmt::format_source`]; this shell finds the files,
//! reads and writes them (atomically, as reports are: [`super::output::write_atomically`]),
//! keeps their line endings (LF or CRLF) and chooses the exit code.

use std::path::{Path, PathBuf};

use super::output::{write_atomically, write_stdout};
use super::{EXIT_FAILED, EXIT_INVALID, EXIT_OK};
use crate::diagnostics::{HumanStyle, SourceLookup, render_human};
use crate::fmt::{FormatError, format_source};
use crate::syntax::FileId;

/// Arguments of `rampart fmt`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// List the files that are not formatted and exit with 1, without changing them.
    #[arg(long)]
    check: bool,
    /// Policy files or directories (searched recursively for `*.rampart`); the current
    /// directory when omitted.
    #[arg(value_name = "PATH")]
    paths: Vec<PathBuf>,
}

/// What happened to one file.
enum FileOutcome {
    /// Already formatted.
    Unchanged,
    /// Rewritten, or (with `--check`) would be.
    Changed,
    /// Unreadable, unwritable or with syntax errors; reported already.
    Invalid,
}

/// Runs `fmt`; returns the exit code: 0 when every file is formatted (or was rewritten), 1 when
/// `--check` found files to format, 2 when a file could not be read or has syntax errors.
pub fn run(args: &Args) -> u8 {
    let roots = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    let mut files = Vec::new();
    let mut invalid = false;
    for root in &roots {
        if is_data_file(root) {
            say!(
                "error: {} is a jurisdiction document, not a policy file: fmt formats *.rampart files\n  help: `rampart check` reads jurisdiction documents",
                root.display()
            );
            invalid = true;
            continue;
        }
        if let Err(error) = super::policy::collect_policy_files(root, &mut files) {
            say!("error: cannot read {}: {error}", root.display());
            invalid = true;
        }
    }
    files.sort();
    files.dedup();
    let mut changed = false;
    for path in &files {
        match format_file(path, args.check) {
            FileOutcome::Unchanged => {}
            FileOutcome::Changed => changed = true,
            FileOutcome::Invalid => invalid = true,
        }
    }
    if invalid {
        EXIT_INVALID
    } else if changed && args.check {
        EXIT_FAILED
    } else {
        EXIT_OK
    }
}

/// True for a file named as a JSON, YAML or JSON-lines document, which fmt would otherwise
/// read as a policy and bury in syntax errors.
fn is_data_file(path: &Path) -> bool {
    let extension = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase());
    matches!(
        extension.as_deref(),
        Some("json" | "yaml" | "yml" | "jsonl" | "ndjson")
    )
}

fn format_file(path: &Path, check: bool) -> FileOutcome {
    // Read as a document is: a pipe is refused rather than waited on, and the size is
    // bounded (a policy file's limit, `syntax::MAX_FILE_BYTES`, is the same 64 MiB).
    let text = match crate::config::read_text(path) {
        Ok(text) => text,
        Err(why) => {
            say!("error: cannot read {}: {why}", path.display());
            return FileOutcome::Invalid;
        }
    };
    let formatted = match format_source(&text) {
        Ok(formatted) => formatted,
        Err(FormatError::SyntaxErrors { count, diagnostics }) => {
            let file = OneFile { path, text: &text };
            say_part!("{}", render_human(&diagnostics, &file, HumanStyle::Plain));
            say!(
                "error: {}: {count} syntax error(s); not formatted",
                path.display()
            );
            return FileOutcome::Invalid;
        }
    };
    // A file written with CRLF line endings (on Windows, or with git's autocrlf) keeps them.
    let formatted = match text.find('\n') {
        Some(end) if text[..end].ends_with('\r') => formatted.replace('\n', "\r\n"),
        _ => formatted,
    };
    if formatted == text {
        return FileOutcome::Unchanged;
    }
    if check {
        // A reader that stopped reading the list (`| head`) is not an error.
        let _ = write_stdout(&format!("{}\n", path.display()));
        return FileOutcome::Changed;
    }
    match write_atomically(path, &formatted) {
        Ok(()) => FileOutcome::Changed,
        Err(error) => {
            say!("error: cannot write {}: {error}", path.display());
            FileOutcome::Invalid
        }
    }
}

/// The one file whose diagnostics are rendered.
struct OneFile<'a> {
    path: &'a Path,
    text: &'a str,
}

impl SourceLookup for OneFile<'_> {
    fn file_name(&self, _file: FileId) -> &str {
        self.path.to_str().unwrap_or("<policy file>")
    }

    fn file_text(&self, _file: FileId) -> &str {
        self.text
    }
}
