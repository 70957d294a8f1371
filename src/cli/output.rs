//! Where a command's report goes: standard output, or a file written atomically (a temporary
//! file in the same directory, synced, then renamed over the target), so a reader never sees a
//! partial report; a link is followed (the file it names is replaced, the link stays) and a
//! replaced file keeps its permissions. A closed pipe on standard output (`rampart check … | head`) ends the output
//! quietly; any other write error is returned for the command to report and exit 2.

use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

/// An output being written: text goes in with [`Output::write`], and [`Output::finish`] makes
/// it visible (for a file, renames it over the target).
pub struct Output {
    target: Target,
}

enum Target {
    /// Standard output; `closed` once a reader went away.
    Stdout {
        out: BufWriter<io::Stdout>,
        closed: bool,
    },
    /// A temporary file renamed over `path` on finish.
    Temp {
        temp: BufWriter<tempfile::NamedTempFile>,
        path: PathBuf,
    },
    /// An existing non-regular file (a device, a pipe), written directly.
    Direct(BufWriter<fs::File>),
}

impl Output {
    /// Standard output when `path` is `None`, else a temporary file beside `path`.
    pub fn open(path: Option<&Path>) -> io::Result<Output> {
        let target = match path {
            None => Target::Stdout {
                out: BufWriter::new(io::stdout()),
                closed: false,
            },
            Some(path) if fs::metadata(path).is_ok_and(|m| !m.is_file()) => {
                let file = fs::OpenOptions::new().write(true).open(path)?;
                Target::Direct(BufWriter::new(file))
            }
            Some(path) => {
                let path = through_links(path);
                Target::Temp {
                    temp: BufWriter::new(temp_beside(&path)?),
                    path,
                }
            }
        };
        Ok(Output { target })
    }

    /// Appends `text`; after a reader closed standard output, does nothing.
    pub fn write(&mut self, text: &str) -> io::Result<()> {
        self.write_bytes(text.as_bytes())
    }

    /// Appends `bytes` (text already encoded); after a reader closed standard output, does
    /// nothing.
    pub fn write_bytes(&mut self, bytes: &[u8]) -> io::Result<()> {
        match &mut self.target {
            Target::Stdout { closed: true, .. } => Ok(()),
            Target::Stdout { out, closed } => quiet_on_broken_pipe(out.write_all(bytes), closed),
            Target::Temp { temp, .. } => temp.write_all(bytes),
            Target::Direct(file) => file.write_all(bytes),
        }
    }

    /// Flushes the text and, for a file, syncs it and renames it over the target.
    pub fn finish(self) -> io::Result<()> {
        match self.target {
            Target::Stdout { closed: true, .. } => Ok(()),
            Target::Stdout {
                mut out,
                mut closed,
            } => quiet_on_broken_pipe(out.flush(), &mut closed),
            Target::Direct(mut file) => file.flush(),
            Target::Temp { temp, path } => {
                let temp = temp.into_inner().map_err(io::IntoInnerError::into_error)?;
                temp.as_file().sync_all()?;
                temp.persist(&path).map_err(|error| error.error)?;
                sync_dir(parent(&path));
                Ok(())
            }
        }
    }
}

fn quiet_on_broken_pipe(result: io::Result<()>, closed: &mut bool) -> io::Result<()> {
    match result {
        Err(error) if error.kind() == io::ErrorKind::BrokenPipe => {
            *closed = true;
            Ok(())
        }
        other => other,
    }
}

/// Writes `text` to the file at `path` atomically, or to standard output when `path` is `None`.
pub fn write_output(path: Option<&Path>, text: &str) -> io::Result<()> {
    let mut output = Output::open(path)?;
    output.write(text)?;
    output.finish()
}

/// Writes `text` to standard output and flushes it; a broken pipe is not an error.
pub fn write_stdout(text: &str) -> io::Result<()> {
    write_output(None, text)
}

/// Writes `text` to a temporary file beside `path`, syncs it and renames it over `path`, so
/// `path` is either its old self (or absent) or complete. A target that exists and is not a
/// regular file (a device such as `/dev/full`, a pipe) cannot be replaced, so it is written
/// directly.
pub fn write_atomically(path: &Path, text: &str) -> io::Result<()> {
    write_output(Some(path), text)
}

fn parent(path: &Path) -> &Path {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    }
}

/// The file a symbolic link at `path` points to, so that the report replaces that file and the
/// link stays; `path` itself otherwise (a dangling link is replaced).
fn through_links(path: &Path) -> PathBuf {
    match fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => {
            fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
        }
        _ => path.to_path_buf(),
    }
}

/// A new temporary file in the directory of `path`, with the permissions of the file at `path`
/// when there is one (the report replaces it, and should not change who may read it).
fn temp_beside(path: &Path) -> io::Result<tempfile::NamedTempFile> {
    let mut builder = tempfile::Builder::new();
    builder.prefix(".rampart-").suffix(".tmp");
    // Like a file the shell creates: readable by others unless the umask says otherwise.
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
    let dir = parent(path);
    // The temporary file's name means nothing to the user: say which directory failed.
    let temp = builder.tempfile_in(dir).map_err(|error| {
        // tempfile appends " at path <the temporary file>".
        let text = error.to_string();
        let cause = text.split(" at path ").next().unwrap_or_default();
        let message = format!("cannot create a file in {}: {cause}", dir.display());
        io::Error::new(error.kind(), message)
    })?;
    if let Ok(existing) = fs::metadata(path) {
        temp.as_file().set_permissions(existing.permissions())?;
    }
    Ok(temp)
}

/// Warns when `--output` names a file whose extension chooses no format (say `.xlsx`) and
/// `--format` was not given, so the `plain` text is written to it: `known` lists the
/// extensions that do choose one.
pub fn warn_unchosen_format(path: Option<&Path>, known: &str, plain: &str) {
    let Some(path) = path else { return };
    let extension = extension(path);
    let outer = extension.rsplit('.').next().unwrap_or_default();
    if !outer.is_empty() && !matches!(outer, "txt" | "text" | "log") {
        say!(
            "warning: writing the {plain} to {}: `.{outer}` names no format ({known}); pass --format to choose one",
            crate::report::columns::escape_unsafe(&path.display().to_string())
        );
    }
}

/// The lower-case extension of `path`'s file name (`sarif` for `out.sarif`), with the inner one
/// for a compound name (`sarif.json` for `out.sarif.json`).
pub fn extension(path: &Path) -> String {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let stem_ext = Path::new(&name)
        .file_stem()
        .and_then(|stem| Path::new(stem).extension());
    match (stem_ext, Path::new(&name).extension()) {
        (Some(inner), Some(outer)) => {
            format!("{}.{}", inner.to_string_lossy(), outer.to_string_lossy())
        }
        (None, Some(outer)) => outer.to_string_lossy().into_owned(),
        _ => String::new(),
    }
}

/// Syncs a directory so a rename in it survives a crash; best effort (not every platform or
/// file system can open a directory).
fn sync_dir(dir: &Path) {
    if let Ok(handle) = fs::File::open(dir) {
        let _ = handle.sync_all();
    }
}
