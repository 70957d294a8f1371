//! Jurisdiction documents: finding them (files, and directories recursively in sorted order,
//! hidden entries skipped), reading JSON and YAML into `serde_json::Value`, validating them
//! against the program's schema, and placing each problem at its JSON path and, for JSON, its
//! line and column.
//!
//! It owns no evaluation: a document with errors is reported here and not evaluated; a valid
//! one goes to [`crate::eval`] as a value.

mod locate;
mod parse;
mod stream;
mod validate;
mod yaml12;

pub use locate::{YamlPositions, line_col, locate, locate_all, locate_offsets, position_in};
pub use parse::{Format, MAX_DEPTH, SyntaxError, parse};
pub use stream::fast_path_agrees;
pub use validate::{Written, validate, validate_written};

use std::fmt;
use std::io::Read;
use std::path::{Path as FsPath, PathBuf};

use serde_json::Value as Json;

use crate::check::Program;
use crate::diagnostics::{Code, Severity};
use crate::eval::Doc;

/// Documents larger than this are refused.
pub const MAX_DOCUMENT_BYTES: u64 = 64 * 1024 * 1024;

/// One step of a JSON path.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum PathSegment {
    /// A key of an object.
    Key(String),
    /// An index of an array.
    Index(usize),
}

/// A JSON path, from the document root.
pub type Path = Vec<PathSegment>;

/// Shows a path as in evidence: `systems[2].certification.date`.
pub fn display_path(path: &[PathSegment]) -> String {
    let mut out = String::new();
    for segment in path {
        match segment {
            PathSegment::Key(key) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(key);
            }
            PathSegment::Index(index) => {
                out.push('[');
                out.push_str(&index.to_string());
                out.push(']');
            }
        }
    }
    if out.is_empty() {
        out.push_str("(document)");
    }
    out
}

/// The kinds of document problem, each with a stable code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProblemKind {
    /// The file cannot be read.
    Read,
    /// The text is not valid JSON or YAML (or repeats a key).
    Syntax,
    /// A value has the wrong type.
    WrongType,
    /// A required field is absent or null.
    MissingField,
    /// A field the schema does not declare.
    UnknownField,
    /// A date that is not a real `YYYY-MM-DD` date.
    InvalidDate,
    /// A string that is not a member of its enum.
    UnknownEnumMember,
    /// A waiver naming a norm the policy set does not have.
    UnknownWaivedNorm,
    /// An id repeated in a root list that references point into.
    DuplicateId,
    /// A reference naming no item of the list it points into.
    DanglingReference,
}

impl ProblemKind {
    /// Every kind, in the order reports list them.
    pub const ALL: [ProblemKind; 10] = [
        ProblemKind::Read,
        ProblemKind::Syntax,
        ProblemKind::WrongType,
        ProblemKind::MissingField,
        ProblemKind::UnknownField,
        ProblemKind::InvalidDate,
        ProblemKind::UnknownEnumMember,
        ProblemKind::UnknownWaivedNorm,
        ProblemKind::DuplicateId,
        ProblemKind::DanglingReference,
    ];

    /// The stable code.
    pub fn code(self) -> &'static str {
        self.registry_code().as_str()
    }

    /// The code in the diagnostics registry.
    pub fn registry_code(self) -> Code {
        match self {
            ProblemKind::Read => Code::ConfigUnreadable,
            ProblemKind::Syntax => Code::ConfigSyntax,
            ProblemKind::WrongType => Code::ConfigWrongType,
            ProblemKind::MissingField => Code::ConfigMissingField,
            ProblemKind::UnknownField => Code::ConfigUnknownField,
            ProblemKind::InvalidDate => Code::ConfigInvalidDate,
            ProblemKind::UnknownEnumMember => Code::ConfigUnknownEnumMember,
            ProblemKind::UnknownWaivedNorm => Code::ConfigUnknownWaivedNorm,
            ProblemKind::DuplicateId => Code::ConfigDuplicateId,
            ProblemKind::DanglingReference => Code::ConfigDanglingReference,
        }
    }

    /// Error or warning.
    pub fn severity(self) -> Severity {
        self.registry_code().default_severity()
    }
}

/// One problem of a document.
#[derive(Clone, Debug, PartialEq)]
pub struct Problem {
    /// What kind.
    pub kind: ProblemKind,
    /// Where in the document.
    pub path: Path,
    /// One sentence.
    pub message: String,
    /// How to fix it.
    pub help: Option<String>,
    /// 1-based line and column, when known.
    pub position: Option<(usize, usize)>,
    /// Error or warning: its kind's, unless a strict run made a warning an error.
    severity: Severity,
}

impl Problem {
    /// A problem of `kind` at `path`.
    pub fn new(kind: ProblemKind, path: Path, message: impl Into<String>) -> Self {
        Problem {
            kind,
            path,
            message: message.into(),
            help: None,
            position: None,
            severity: kind.severity(),
        }
    }

    /// Adds how to fix it.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Error or warning.
    pub fn severity(&self) -> Severity {
        self.severity
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let severity = match self.severity() {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        };
        write!(f, "{severity}[{}]: ", self.kind.code())?;
        if !self.path.is_empty() {
            write!(f, "{}: ", display_path(&self.path))?;
        }
        f.write_str(&self.message)
    }
}

/// A loaded jurisdiction document.
#[derive(Clone, Debug)]
pub struct Document {
    /// The path as given or found.
    pub path: PathBuf,
    /// Its notation.
    pub format: Format,
    /// Its value read through the schema, when it could be parsed.
    pub doc: Option<Doc>,
    /// Its problems, in document order.
    pub problems: Vec<Problem>,
    /// The line of its input it starts at, for a document of a stream (JSON lines, or one of
    /// several documents on standard input).
    pub line: Option<usize>,
}

impl Document {
    /// Where it is, as reports name it: its path, and its line for a document of a stream.
    pub fn place(&self) -> String {
        match self.line {
            Some(line) => format!("{}:{line}", self.path.display()),
            None => self.path.display().to_string(),
        }
    }

    /// True when a problem is an error: the document is not evaluated.
    pub fn has_errors(&self) -> bool {
        self.first_error().is_some()
    }

    /// Makes every warning an error (`check --strict`), so that the document is reported as
    /// invalid input and not evaluated in every format.
    pub fn treat_warnings_as_errors(&mut self) {
        for problem in &mut self.problems {
            if problem.severity == Severity::Warning {
                problem.severity = Severity::Error;
                let help = problem.help.take();
                let strict = "--strict treats this warning as an error";
                problem.help =
                    Some(help.map_or_else(|| strict.to_string(), |h| format!("{h} ({strict})")));
            }
        }
    }

    /// Its first problem that is an error.
    pub fn first_error(&self) -> Option<&Problem> {
        self.problems
            .iter()
            .find(|p| p.severity() == Severity::Error)
    }

    /// `jurisdiction`, as written, if present.
    pub fn jurisdiction(&self) -> Option<&Json> {
        self.doc.as_ref()?.jurisdiction()
    }

    /// `jurisdiction.id`, if present and not blank.
    pub fn jurisdiction_id(&self) -> Option<&str> {
        self.jurisdiction_text("id")
    }

    /// `jurisdiction.name`, if present and not blank.
    pub fn jurisdiction_name(&self) -> Option<&str> {
        self.jurisdiction_text("name")
    }

    fn jurisdiction_text(&self, field: &str) -> Option<&str> {
        let text = self.jurisdiction()?.get(field)?.as_str()?;
        (!text.trim().is_empty()).then_some(text)
    }
}

/// The document files named by `paths`: files as given, directories searched recursively for
/// `.json`, `.yaml`, `.yml` and JSON-lines (`.jsonl`, `.ndjson`) files in sorted order. A
/// search skips hidden files and directories (`.github/`, `.vscode/settings.json`): they hold
/// tools' settings, not jurisdictions; a hidden path named in `paths` is read. A path that does
/// not exist is returned as an error.
pub fn find_documents(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<(PathBuf, String)>) {
    let mut found = Vec::new();
    let mut errors = Vec::new();
    for path in paths {
        if path.is_dir() {
            let mut visited = std::collections::HashSet::new();
            walk(path, &mut found, &mut errors, &mut visited, 0);
        } else if path.is_file() {
            found.push(path.clone());
        } else if path.exists() {
            errors.push((path.clone(), NOT_A_FILE.to_string()));
        } else {
            errors.push((path.clone(), "no such file or directory".to_string()));
        }
    }
    (found, errors)
}

/// Why a pipe, a socket or a device among the documents is not read.
const NOT_A_FILE: &str = "not a regular file (a pipe or a device is not read)";

/// Directory depth followed at most (guards against link loops).
const MAX_WALK_DEPTH: usize = 32;

/// Walks `dir`; `visited` holds the canonical directories already walked, so a directory reached
/// again through a symbolic link (a loop, or two links to one place) is skipped: without it,
/// links such as `here -> .` make the walk exponential.
fn walk(
    dir: &FsPath,
    found: &mut Vec<PathBuf>,
    errors: &mut Vec<(PathBuf, String)>,
    visited: &mut std::collections::HashSet<PathBuf>,
    depth: usize,
) {
    if depth > MAX_WALK_DEPTH {
        errors.push((dir.to_path_buf(), "directories nested too deeply".into()));
        return;
    }
    match std::fs::canonicalize(dir) {
        Ok(canonical) => {
            if !visited.insert(canonical) {
                return;
            }
        }
        Err(error) => {
            errors.push((dir.to_path_buf(), error.to_string()));
            return;
        }
    }
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(error) => {
            errors.push((dir.to_path_buf(), error.to_string()));
            return;
        }
    };
    let mut paths: Vec<PathBuf> = (entries.filter_map(Result::ok))
        .filter(|entry| !is_hidden(&entry.file_name()))
        .map(|entry| entry.path())
        .collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            walk(&path, found, errors, visited, depth + 1);
        } else if is_document_file(&path) {
            if path.is_file() || !path.exists() {
                // A link that leads nowhere is found, and loading says so.
                found.push(path);
            } else {
                errors.push((path, NOT_A_FILE.to_string()));
            }
        }
    }
}

/// True for a name that starts with a dot, which directory searches skip.
fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.as_encoded_bytes().starts_with(b".")
}

fn is_document_file(path: &FsPath) -> bool {
    is_lines_file(path) || matches!(extension(path).as_deref(), Some("json" | "yaml" | "yml"))
}

/// True for a JSON-lines stream (`.jsonl`, `.ndjson`): one document per line.
pub fn is_lines_file(path: &FsPath) -> bool {
    matches!(extension(path).as_deref(), Some("jsonl" | "ndjson"))
}

fn extension(path: &FsPath) -> Option<String> {
    path.extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
}

/// Reads, parses and validates the document at `path`.
pub fn load(program: &Program, path: &FsPath) -> Document {
    let format = Format::of_path(path);
    let text = match read_text(path) {
        Ok(text) => text,
        Err(message) => {
            return Document {
                path: path.to_path_buf(),
                format,
                doc: None,
                problems: vec![Problem::new(ProblemKind::Read, Vec::new(), message)],
                line: None,
            };
        }
    };
    from_text(program, path, &text, format)
}

/// [`load`], leaving the warnings of a document that reads cleanly without positions (see
/// [`from_text_unplaced`]).
pub fn load_unplaced(program: &Program, path: &FsPath) -> Document {
    match read_text(path) {
        Ok(text) => from_text_unplaced(program, path, &text, Format::of_path(path)),
        Err(_) => load(program, path),
    }
}

/// The bytes of the document file at `path`, refused with a reason when it is not a regular
/// file (a pipe or a device could be read for ever) or holds more than
/// [`MAX_DOCUMENT_BYTES`]: decided from its metadata before reading, and again while reading,
/// should it grow.
pub fn read_bytes(path: &FsPath) -> Result<Vec<u8>, String> {
    let metadata = std::fs::metadata(path).map_err(|e| e.to_string())?;
    if !metadata.is_file() {
        return Err(NOT_A_FILE.to_string());
    }
    let too_large = || format!("the file is larger than {MAX_DOCUMENT_BYTES} bytes");
    if metadata.len() > MAX_DOCUMENT_BYTES {
        return Err(too_large());
    }
    let mut bytes = Vec::with_capacity(metadata.len() as usize);
    let file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    file.take(MAX_DOCUMENT_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| e.to_string())?;
    if bytes.len() as u64 > MAX_DOCUMENT_BYTES {
        return Err(too_large());
    }
    Ok(bytes)
}

/// The text of the file at `path`, read as [`read_bytes`] reads it; refused, with the line
/// and column, when it is not UTF-8.
pub fn read_text(path: &FsPath) -> Result<String, String> {
    let bytes = read_bytes(path)?;
    String::from_utf8(bytes).map_err(|e| {
        let (line, column) = line_col(
            &String::from_utf8_lossy(e.as_bytes()),
            e.utf8_error().valid_up_to(),
        );
        format!("the file is not valid UTF-8 (line {line}, column {column})")
    })
}

/// `text` with a leading byte-order mark, which some editors write and JSON does not allow,
/// replaced by as many spaces, so that every offset stays where it was.
pub fn without_byte_order_mark(text: &str) -> std::borrow::Cow<'_, str> {
    match text.strip_prefix('\u{feff}') {
        Some(rest) => std::borrow::Cow::Owned(format!("   {rest}")),
        None => std::borrow::Cow::Borrowed(text),
    }
}

/// Parses and validates a document's text.
pub fn from_text(program: &Program, path: &FsPath, text: &str, format: Format) -> Document {
    read_document(program, (path, text, format), true)
}

/// [`from_text`], except that the warnings of a document that reads cleanly (repeated ids,
/// references to no item) are left without positions: finding them takes a second pass over
/// the text, which a caller that shows only some documents' problems does later, with
/// [`place_problems`]. Errors are always placed.
pub fn from_text_unplaced(
    program: &Program,
    path: &FsPath,
    text: &str,
    format: Format,
) -> Document {
    read_document(program, (path, text, format), false)
}

fn read_document(
    program: &Program,
    (path, text, format): (&FsPath, &str, Format),
    place_warnings: bool,
) -> Document {
    let text = &*without_byte_order_mark(text);
    let mut document = Document {
        path: path.to_path_buf(),
        format,
        doc: None,
        problems: Vec::new(),
        line: None,
    };
    if text.trim().is_empty() {
        document.problems.push(empty_file());
        return document;
    }
    if format == Format::Json {
        if let Some(doc) = stream::load_valid(program, text) {
            document.problems = validate::repeated_ids(program, &doc);
            document
                .problems
                .extend(validate::dangling_references(program, &doc));
            if place_warnings {
                place(&mut document.problems, text, format);
            }
            document.doc = Some(doc);
            return document;
        }
    }
    match parse(text, format) {
        Ok(value) => {
            let doc = Doc::from_json(program, &value);
            let numbers = WrittenNumbers::new(text, format);
            document.problems = validate_written(program, &value, &|path| numbers.at(path));
            document
                .problems
                .extend(validate::repeated_ids(program, &doc));
            document
                .problems
                .extend(validate::dangling_references(program, &doc));
            place(&mut document.problems, text, format);
            document.doc = Some(doc);
        }
        Err(error) => {
            let (message, help) = syntax_message(&error.message, format);
            let mut problem =
                Problem::new(ProblemKind::Syntax, Vec::new(), message).with_help(help);
            problem.position = error.position;
            document.problems.push(problem);
        }
    }
    document
}

/// Where a document's numbers are written in its text, for judging whole numbers as written
/// ([`validate_written`]): found by a scan of the JSON text, or in the YAML text read again
/// with positions (once, on the first number asked for: most documents ask for none).
struct WrittenNumbers<'t> {
    text: &'t str,
    format: Format,
    yaml: std::cell::OnceCell<Option<YamlPositions>>,
}

impl<'t> WrittenNumbers<'t> {
    fn new(text: &'t str, format: Format) -> Self {
        WrittenNumbers {
            text,
            format,
            yaml: std::cell::OnceCell::new(),
        }
    }

    /// The text of the number at `path`.
    fn at(&self, path: &[PathSegment]) -> Option<String> {
        let written = match self.format {
            Format::Json => locate::written_at(self.text, path),
            Format::Yaml => (self.yaml.get_or_init(|| YamlPositions::parse(self.text)))
                .as_ref()?
                .written_at(self.text, path),
        };
        written.map(str::to_string)
    }
}

/// The problem of a file that holds nothing but white space, which JSON would call cut short
/// and YAML a null document.
fn empty_file() -> Problem {
    let help = "a jurisdiction document is an object; `rampart init --output FILE` writes one \
                with every field explained";
    let mut problem =
        Problem::new(ProblemKind::Syntax, Vec::new(), "the file is empty").with_help(help);
    problem.position = Some((1, 1));
    problem
}

/// A syntax error as the user should read it, and how to mend it: the parsers' words, with
/// the ones that name their internals (`budget breached: Depth { depth: 65 }`) rewritten.
fn syntax_message(message: &str, format: Format) -> (String, String) {
    let nested = message.contains("recursion limit exceeded")
        || message.contains("budget breached: Depth")
        || message.contains("nested more than");
    if nested {
        // serde-saphyr's own depth budget, lower than ours, stops YAML first.
        let message = match format {
            Format::Json => format!("the document is nested more than {MAX_DEPTH} levels deep"),
            Format::Yaml => "the document is nested too deeply".to_string(),
        };
        let help = "a jurisdiction document needs only a few levels: look for brackets that \
                    are never closed, or indentation that keeps growing";
        return (message, help.into());
    }
    if message.contains("non-finite float") {
        return (
            "NaN and infinity are not numbers a document may hold".into(),
            "write the number, or leave the field out when it is not known".into(),
        );
    }
    let help = match message {
        m if m.starts_with("duplicate key") || m.starts_with("duplicate mapping key") => {
            "each key may appear once in an object: a repeated key can hide evidence, so keep one"
        }
        m if m.starts_with("EOF while parsing") => {
            "the document ends early: is the file cut short, or a closing bracket or quote missing?"
        }
        m if m.starts_with("expected `,` or") => {
            "a comma, or the closing bracket, is missing before this point"
        }
        m if m.starts_with("trailing comma") => "JSON allows no comma after the last item",
        m if m.starts_with("key must be a string") => "keys take double quotes in JSON",
        m if m.starts_with("trailing characters") => {
            "the document ended before this text: a `.json` file holds one document, and a \
             JSON-lines file (`.jsonl`) one per line, each whole on its line"
        }
        m if m.starts_with("expected value") || m.starts_with("expected ident") => {
            "a value is missing or is not JSON here: strings take double quotes, and JSON has no comments"
        }
        m if m.contains("tagged scalar") => {
            "remove the YAML tag (such as `!!float`): Rampart reads each value by its field's type"
        }
        _ if format == Format::Yaml => "check the indentation and quoting around this position",
        _ => "check the JSON syntax around this position",
    };
    (message.to_string(), help.to_string())
}

/// Gives each problem of `problems` without a position its line and column in `text` (the
/// document's whole text, as read), for documents read with [`from_text_unplaced`].
pub fn place_problems(problems: &mut [Problem], text: &str, format: Format) {
    let mut unplaced: Vec<Problem> = (problems.iter())
        .filter(|p| p.position.is_none())
        .cloned()
        .collect();
    place(&mut unplaced, &without_byte_order_mark(text), format);
    let mut placed = unplaced.into_iter();
    for problem in problems.iter_mut().filter(|p| p.position.is_none()) {
        problem.position = placed.next().and_then(|p| p.position);
    }
}

/// Finds the line and column of each problem (YAML is parsed again, only when there are
/// problems).
fn place(problems: &mut [Problem], text: &str, format: Format) {
    if problems.is_empty() {
        return;
    }
    match format {
        Format::Json => {
            let paths: Vec<&[PathSegment]> = problems.iter().map(|p| p.path.as_slice()).collect();
            let positions = locate_all(text, &paths);
            for (problem, position) in problems.iter_mut().zip(positions) {
                problem.position = position;
            }
        }
        Format::Yaml => {
            let Some(positions) = YamlPositions::parse(text) else {
                return;
            };
            for problem in problems {
                problem.position = positions.locate(&problem.path);
            }
        }
    }
}
