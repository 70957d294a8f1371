//! The documents `rampart check` and `rampart compare` read, in order and in bounded batches:
//! files (and directories of them), JSON-lines streams (`*.jsonl`, one jurisdiction per line,
//! also when found in a directory) and `-` for standard input (one JSON or YAML document, JSON
//! lines, or several JSON documents one after the other). A path that cannot be read is a
//! document with a read problem, so every report lists it. Streams are read lazily,
//! [`BATCH`] documents at a time, so memory stays flat.

use std::collections::VecDeque;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::ops::Range;
use std::path::{Path, PathBuf};

use crate::check::Program;
use crate::config::{self, Document, Format, Problem, ProblemKind};

/// Documents loaded and evaluated together: enough to keep every core busy, few enough that a
/// batch with its outcomes and its part of the report stays small (a 40 KiB document with 85
/// results takes about 300 KiB until its part of the report is written).
pub const BATCH: usize = 256;

/// Standard input's name in reports.
pub const STDIN_NAME: &str = "<stdin>";

/// One document to load.
#[derive(Debug)]
pub struct Source {
    /// The file it is in (or [`STDIN_NAME`]).
    pub path: PathBuf,
    /// Its 1-based line, for a document that starts inside a stream.
    pub line: Option<usize>,
    /// Its text, when already read (a line, standard input).
    pub text: Option<String>,
    /// Its notation, when its text is already read.
    pub format: Format,
    /// Why it could not be read, when it could not.
    pub unreadable: Option<Problem>,
}

impl Source {
    /// A document at `path`, read when it is loaded.
    fn file(path: PathBuf) -> Source {
        Source {
            format: Format::of_path(&path),
            path,
            line: None,
            text: None,
            unreadable: None,
        }
    }

    /// A document already read: `text`, starting at `line` of `path`.
    fn text(path: PathBuf, line: Option<usize>, text: String, format: Format) -> Source {
        Source {
            path,
            line,
            text: Some(text),
            format,
            unreadable: None,
        }
    }

    /// What stands for `path`, which could not be read (`why`).
    fn unreadable(path: PathBuf, why: String) -> Source {
        Source::failed(path, Problem::new(ProblemKind::Read, Vec::new(), why))
    }

    /// What stands for a line of the stream at `path` that is not UTF-8 (`why`): most often
    /// one cut short inside a character.
    fn not_utf8(path: PathBuf, why: String) -> Source {
        let help = "is the line cut short inside a character, or was the file saved in another \
                    encoding? Write it again as UTF-8";
        let problem = Problem::new(ProblemKind::Read, Vec::new(), why).with_help(help);
        Source::failed(path, problem)
    }

    /// What stands for `path`, which could not be read, as `problem` says.
    fn failed(path: PathBuf, problem: Problem) -> Source {
        Source {
            format: Format::of_path(&path),
            path,
            line: None,
            text: None,
            unreadable: Some(problem),
        }
    }

    /// Reads (if needed), parses and validates the document; positions of problems are lines
    /// of the whole file.
    pub fn load(&self, program: &Program) -> Document {
        self.load_placing(program, true)
    }

    /// [`Source::load`], leaving the warnings of a document that reads cleanly without
    /// positions ([`config::from_text_unplaced`]): `check` places them when it writes them.
    pub fn load_unplaced(&self, program: &Program) -> Document {
        self.load_placing(program, false)
    }

    fn load_placing(&self, program: &Program, place_warnings: bool) -> Document {
        if let Some(problem) = &self.unreadable {
            return Document {
                path: self.path.clone(),
                format: self.format,
                doc: None,
                problems: vec![problem.clone()],
                line: self.line,
            };
        }
        let Some(text) = &self.text else {
            return match place_warnings {
                true => config::load(program, &self.path),
                false => config::load_unplaced(program, &self.path),
            };
        };
        let mut document = match place_warnings {
            true => config::from_text(program, &self.path, text, self.format),
            false => config::from_text_unplaced(program, &self.path, text, self.format),
        };
        if let Some(line) = self.line {
            for problem in &mut document.problems {
                problem.position = problem.position.map(|(l, c)| (l + line - 1, c));
            }
        }
        document.line = self.line;
        document
    }
}

/// Where documents come from.
enum Input {
    File(PathBuf),
    Lines(PathBuf),
    Stdin,
    Unreadable(PathBuf, String),
}

/// `inputs` with every file after its first mention left out (`check states/ states/a.json`
/// would check `a.json` twice), saying so.
fn without_repeats(inputs: Vec<Input>) -> Vec<Input> {
    let mut seen = std::collections::HashSet::new();
    inputs
        .into_iter()
        .filter(|input| {
            let (Input::File(path) | Input::Lines(path)) = input else {
                return true;
            };
            let key = std::fs::canonicalize(path).unwrap_or_else(|_| path.clone());
            let first = seen.insert(key);
            if !first {
                let shown = crate::report::columns::escape_unsafe(&path.display().to_string());
                say!("note: {shown} is named more than once; it is checked once");
            }
            first
        })
        .collect()
}

/// Why a directory named on the command line is an error.
const NO_DOCUMENTS: &str = "no jurisdiction documents in this directory (rampart check reads \
                            *.json, *.yaml, *.yml and *.jsonl files, in subdirectories too, \
                            skipping hidden ones: names that start with `.`)";

/// Yields the documents of every input in order, in batches of at most [`BATCH`].
pub struct Batches {
    inputs: std::vec::IntoIter<Input>,
    lines: Option<Lines>,
    /// Documents already cut out of standard input, waiting their turn.
    pending: VecDeque<Source>,
}

/// A JSON-lines stream being read.
struct Lines {
    path: PathBuf,
    reader: Box<dyn BufRead>,
    line: usize,
}

impl Batches {
    /// The batches of the documents named by `paths` (`-` is standard input).
    pub fn new(paths: &[PathBuf]) -> Batches {
        let mut inputs = Vec::new();
        for path in paths {
            if path.as_os_str() == "-" {
                inputs.push(Input::Stdin);
            } else if is_lines_file(path) && path.is_file() {
                inputs.push(Input::Lines(path.clone()));
            } else {
                let (found, errors) = config::find_documents(std::slice::from_ref(path));
                if found.is_empty() && errors.is_empty() {
                    // A folder named but empty must not pass unseen among other inputs (a CI
                    // job pointed at the wrong folder): it is a document that is not evaluated.
                    inputs.push(Input::Unreadable(path.clone(), NO_DOCUMENTS.to_string()));
                }
                inputs.extend(found.into_iter().map(|path| match is_lines_file(&path) {
                    true => Input::Lines(path),
                    false => Input::File(path),
                }));
                inputs.extend(errors.into_iter().map(|(p, why)| Input::Unreadable(p, why)));
            }
        }
        Batches {
            inputs: without_repeats(inputs).into_iter(),
            lines: None,
            pending: VecDeque::new(),
        }
    }

    /// How many documents the run holds, when every input is one document (a stream's count is
    /// known only once it is read).
    pub fn known_total(&self) -> Option<usize> {
        let inputs = self.inputs.as_slice();
        let single = |input: &Input| matches!(input, Input::File(_) | Input::Unreadable(..));
        inputs.iter().all(single).then_some(inputs.len())
    }

    /// The next line of the open stream, if any; a stream that stops being readable ends
    /// with a document saying why.
    fn next_line(&mut self) -> Option<Source> {
        let lines = self.lines.as_mut()?;
        loop {
            let mut bytes = Vec::new();
            lines.line += 1;
            let limit = config::MAX_DOCUMENT_BYTES + 1;
            match lines
                .reader
                .by_ref()
                .take(limit)
                .read_until(b'\n', &mut bytes)
            {
                Ok(0) => break,
                Ok(read) if read as u64 == limit && !bytes.ends_with(b"\n") => {
                    // The rest of the line is skipped, unread; the next line is a document.
                    let skipped = lines.reader.skip_until(b'\n');
                    let why = format!(
                        "line {}: the line is longer than {} bytes",
                        lines.line,
                        config::MAX_DOCUMENT_BYTES
                    );
                    let source = Source::unreadable(lines.path.clone(), why);
                    if skipped.is_err() {
                        self.lines = None;
                    }
                    return Some(source);
                }
                Ok(_) => match String::from_utf8(bytes) {
                    Ok(text) if text.trim().is_empty() => continue,
                    Ok(mut text) => {
                        text.truncate(text.trim_end_matches(['\n', '\r']).len());
                        let path = lines.path.clone();
                        return Some(Source::text(path, Some(lines.line), text, Format::Json));
                    }
                    // One line that is not UTF-8 is one unreadable document; the next is read.
                    Err(error) => {
                        let why = format!(
                            "line {}: not valid UTF-8 (byte {} of the line)",
                            lines.line,
                            error.utf8_error().valid_up_to() + 1
                        );
                        return Some(Source::not_utf8(lines.path.clone(), why));
                    }
                },
                Err(error) => {
                    let why = format!("line {}: {error}", lines.line);
                    let source = Source::unreadable(lines.path.clone(), why);
                    self.lines = None;
                    return Some(source);
                }
            }
        }
        self.lines = None;
        None
    }

    /// The next document of any input.
    fn next_source(&mut self) -> Option<Source> {
        loop {
            if let Some(source) = self.pending.pop_front() {
                return Some(source);
            }
            if let Some(source) = self.next_line() {
                return Some(source);
            }
            match self.inputs.next()? {
                Input::File(path) if Format::of_path(&path) == Format::Yaml => self.open_yaml(path),
                Input::File(path) => return Some(Source::file(path)),
                Input::Unreadable(path, why) => return Some(Source::unreadable(path, why)),
                Input::Lines(path) => match File::open(&path) {
                    Ok(file) => self.open_lines(path, Box::new(BufReader::new(file))),
                    Err(error) => return Some(Source::unreadable(path, error.to_string())),
                },
                Input::Stdin => self.open_stdin(),
            }
        }
    }

    fn open_lines(&mut self, path: PathBuf, reader: Box<dyn BufRead>) {
        self.lines = Some(Lines {
            path,
            reader,
            line: 0,
        });
    }

    /// Reads standard input and queues its documents (see [`stdin_shape`]). JSON lines are
    /// read lazily like a file's, so a long stream takes no more memory than a batch; any
    /// other input is read whole.
    fn open_stdin(&mut self) {
        let path = PathBuf::from(STDIN_NAME);
        let mut reader = BufReader::new(io::stdin());
        let read = read_head(&mut reader).and_then(|head| {
            if stdin_shape(&head) == Shape::Lines {
                return Ok((head, true));
            }
            let mut text = head;
            let limit = MAX_STDIN_BYTES.saturating_sub(text.len() as u64);
            reader.by_ref().take(limit + 1).read_to_string(&mut text)?;
            if text.len() as u64 > MAX_STDIN_BYTES {
                return Err(io::Error::other(format!(
                    "standard input holds more than {MAX_STDIN_BYTES} bytes that are not JSON \
                     lines; pass files, or one document per line"
                )));
            }
            Ok((text, false))
        });
        let text = match read {
            Ok((head, true)) => {
                let rest = io::Cursor::new(head.into_bytes()).chain(reader);
                return self.open_lines(path, Box::new(BufReader::new(rest)));
            }
            Ok((text, false)) => text,
            Err(error) => {
                let source = Source::unreadable(path, error.to_string());
                return self.pending.push_back(source);
            }
        };
        match stdin_shape(&text) {
            Shape::Lines => self.open_lines(path, Box::new(io::Cursor::new(text.into_bytes()))),
            Shape::Values(starts) => {
                let parts = runs_between(&starts, text.len());
                self.queue_parts(&path, &text, &parts, Format::Json)
            }
            Shape::One(Format::Yaml) => self.queue_yaml(path, text),
            Shape::One(format) => self
                .pending
                .push_back(Source::text(path, None, text, format)),
        }
    }

    /// Reads a YAML file and queues its documents (see [`yaml_document_starts`]).
    fn open_yaml(&mut self, path: PathBuf) {
        let too_large = std::fs::metadata(&path)
            .is_ok_and(|metadata| metadata.len() > config::MAX_DOCUMENT_BYTES);
        if too_large {
            // Not read here: loading reports the size like any other file's.
            return self.pending.push_back(Source::file(path));
        }
        match config::read_bytes(&path).map(String::from_utf8) {
            Ok(Ok(text)) => self.queue_yaml(path, text),
            // Not UTF-8: loading says so, with the same words as for any other file.
            Ok(Err(_)) => self.pending.push_back(Source::file(path)),
            Err(why) => self.pending.push_back(Source::unreadable(path, why)),
        }
    }

    /// Queues the documents of a YAML stream: one, or each between `---` markers.
    fn queue_yaml(&mut self, path: PathBuf, text: String) {
        let parts = yaml_documents(&text);
        match parts.as_slice() {
            // One document: the text up to its end (what follows holds no document, only
            // markers and comments), so positions in it are the file's.
            [one] => {
                let mut text = text;
                text.truncate(one.end);
                self.pending
                    .push_back(Source::text(path, None, text, Format::Yaml));
            }
            [] => self
                .pending
                .push_back(Source::text(path, None, text, Format::Yaml)),
            parts => self.queue_parts(&path, &text, parts, Format::Yaml),
        }
    }

    /// Queues the documents of `text` at `parts`, with their first lines.
    fn queue_parts(&mut self, path: &Path, text: &str, parts: &[Range<usize>], format: Format) {
        // Lines are counted from one document's start to the next, once over the text.
        let (mut line, mut counted_to) = (1, 0);
        for part in parts {
            line += text
                .get(counted_to..part.start)
                .map_or(0, |s| s.matches('\n').count());
            counted_to = part.start;
            let part = text.get(part.clone()).unwrap_or_default().to_string();
            let source = Source::text(path.to_path_buf(), Some(line), part, format);
            self.pending.push_back(source);
        }
    }
}

/// The parts of `text` that start at `starts`, each running to the next start.
fn runs_between(starts: &[usize], len: usize) -> Vec<Range<usize>> {
    let ends = starts.iter().skip(1).copied().chain([len]);
    starts
        .iter()
        .copied()
        .zip(ends)
        .map(|(s, e)| s..e)
        .collect()
}

/// Where each document of a YAML stream is: from the start of the text or a `---` line (YAML
/// reserves `---` at the start of a line for document markers, so it never belongs to a value)
/// to the next one, keeping only parts with content. A file that begins with `---` holds one
/// document, not an empty one and another; a marker with nothing after it (a trailing `---`,
/// or two in a row) starts no document, and the document before it ends at it.
fn yaml_documents(text: &str) -> Vec<Range<usize>> {
    let mut cuts = vec![0];
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let marker = line.strip_prefix("---");
        if offset > 0
            && marker.is_some_and(|rest| rest.is_empty() || rest.starts_with(char::is_whitespace))
        {
            cuts.push(offset);
        }
        offset += line.len();
    }
    let has_content = |part: &str| {
        part.lines().any(|line| {
            let line = line.trim();
            let line = line.strip_prefix("---").unwrap_or(line).trim();
            !(line.is_empty() || line.starts_with('#') || line.starts_with('%') || line == "...")
        })
    };
    runs_between(&cuts, text.len())
        .into_iter()
        .filter(|part| has_content(text.get(part.clone()).unwrap_or_default()))
        .collect()
}

/// The first lines of `reader`, up to [`SNIFFED_LINES`] that are not blank: enough for
/// [`stdin_shape`] to tell JSON lines.
fn read_head(reader: &mut impl BufRead) -> io::Result<String> {
    let mut head = String::new();
    let mut non_blank = 0;
    while non_blank < SNIFFED_LINES {
        let start = head.len();
        // A line is read up to the size of a document: endless input without line breaks
        // is then read whole, and refused at the limit of standard input.
        if reader
            .take(config::MAX_DOCUMENT_BYTES)
            .read_line(&mut head)?
            == 0
        {
            break;
        }
        non_blank += usize::from(!head.get(start..).unwrap_or_default().trim().is_empty());
    }
    Ok(head)
}

impl Iterator for Batches {
    type Item = Vec<Source>;

    fn next(&mut self) -> Option<Vec<Source>> {
        let batch: Vec<Source> = std::iter::from_fn(|| self.next_source())
            .take(BATCH)
            .collect();
        (!batch.is_empty()).then_some(batch)
    }
}

/// What standard input holds.
#[derive(Debug, PartialEq, Eq)]
enum Shape {
    /// One document, in this notation.
    One(Format),
    /// JSON lines: one document per line (a broken line is one invalid document).
    Lines,
    /// Several JSON documents one after the other, starting at these byte offsets (the last
    /// one runs to the end, and holds whatever did not parse).
    Values(Vec<usize>),
}

/// Lines looked at to tell JSON lines from pretty-printed JSON.
const SNIFFED_LINES: usize = 3;

/// Most bytes of standard input read at once when it is not JSON lines (which are read line
/// by line): one document, or pretty documents one after another.
const MAX_STDIN_BYTES: u64 = 4 * config::MAX_DOCUMENT_BYTES;

/// Tells what standard input holds: YAML when it does not start like JSON; JSON lines when one
/// of its first non-blank lines (at least two) is a whole JSON value on its own (a line of a
/// pretty-printed document never is, but for `{}` or `[]`); several documents when it holds more
/// than one JSON value; else one JSON document.
fn stdin_shape(text: &str) -> Shape {
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    if !trimmed.starts_with(['{', '[']) && !trimmed.is_empty() {
        return Shape::One(Format::Yaml);
    }
    let lines: Vec<&str> = (text.lines().map(str::trim))
        .filter(|line| !line.is_empty())
        .take(SNIFFED_LINES)
        .collect();
    let whole_value = |line: &&str| {
        !matches!(*line, "{}" | "[]") && serde_json::from_str::<serde::de::IgnoredAny>(line).is_ok()
    };
    if lines.len() > 1 && lines.iter().any(whole_value) {
        return Shape::Lines;
    }
    let starts = value_starts(text);
    if starts.len() > 1 {
        Shape::Values(starts)
    } else {
        Shape::One(Format::Json)
    }
}

/// Where each top-level JSON value of `text` starts. A value that does not parse runs to the
/// next line that starts with `{` (where pretty-printed documents and JSON lines start), so
/// the documents after a broken one are still found; its loading reports its error.
fn value_starts(text: &str) -> Vec<usize> {
    let skip_space = |at: usize| {
        let rest = text.get(at..).unwrap_or_default();
        at + (rest.len() - rest.trim_start().len())
    };
    let mut starts = Vec::new();
    let mut start = skip_space(0);
    while start < text.len() {
        starts.push(start);
        let rest = text.get(start..).unwrap_or_default();
        let mut values =
            serde_json::Deserializer::from_str(rest).into_iter::<serde::de::IgnoredAny>();
        start = match values.next() {
            Some(Ok(_)) => skip_space(start + values.byte_offset()),
            _ => rest.find("\n{").map_or(text.len(), |at| start + at + 1),
        };
    }
    starts
}

/// The paths of a command line, for messages.
pub fn describe(paths: &[PathBuf]) -> String {
    let names: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    names.join(", ")
}

fn is_lines_file(path: &Path) -> bool {
    config::is_lines_file(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_total_is_known_for_files_and_not_for_streams() {
        let files = [
            PathBuf::from("examples/castellan.json"),
            PathBuf::from("examples/tavaro.yaml"),
        ];
        assert_eq!(Batches::new(&files).known_total(), Some(2));
        assert_eq!(
            Batches::new(&[PathBuf::from("examples")]).known_total(),
            Some(6)
        );
        assert_eq!(Batches::new(&[PathBuf::from("-")]).known_total(), None);
    }

    #[test]
    fn standard_input_is_told_apart_by_its_shape() {
        let pretty = "{\n  \"a\": {\n    \"b\": 1\n  }\n}\n";
        assert_eq!(stdin_shape(pretty), Shape::One(Format::Json));
        assert_eq!(stdin_shape("a: 1\nb: [2]\n"), Shape::One(Format::Yaml));
        assert_eq!(stdin_shape("{\"a\": 1}\n{\"a\": 2}\n"), Shape::Lines);
        // A broken first or second line does not hide the lines that parse.
        assert_eq!(
            stdin_shape("{\"a\": 1}\n{\"a\": \n{\"a\": 3}\n"),
            Shape::Lines
        );
        assert_eq!(stdin_shape("{\"a\": \n{\"a\": 2}\n"), Shape::Lines);
        let two = format!("{pretty}{pretty}");
        assert_eq!(stdin_shape(&two), Shape::Values(vec![0, pretty.len()]));
        // Truncated: one document, whose loading reports where it breaks.
        assert_eq!(stdin_shape("{\n  \"a\": [1,\n"), Shape::One(Format::Json));
        assert_eq!(stdin_shape(""), Shape::One(Format::Json));
    }

    #[test]
    fn a_yaml_stream_is_cut_at_its_document_markers() {
        let two = "a: 1\n---\nb: 2\n--- # third\nc: 3\n";
        assert_eq!(yaml_documents(two), vec![0..5, 5..14, 14..two.len()]);
        // A leading marker, a comment header or a closing marker is not a document.
        assert_eq!(yaml_documents("---\na: 1\n"), vec![0..9]);
        assert_eq!(yaml_documents("# head\n---\na: 1\n...\n"), vec![7..20]);
        // A marker with nothing after it ends the document before it and starts none.
        assert_eq!(yaml_documents("a: 1\n---\n\n"), vec![0..5]);
        let gap = "---\na: 1\n---\n# none\n---\nb: 2\n---\n";
        assert_eq!(yaml_documents(gap), vec![0..9, 20..29]);
        // `---` inside a line, or indented, or followed by more dashes, is not a marker.
        let one = "a: \"x --- y\"\nb: |\n  ---\n----: 1\n";
        assert_eq!(yaml_documents(one), vec![0..one.len()]);
        assert_eq!(
            yaml_documents("--- {a: 1}\n--- {b: 2}\n"),
            vec![0..11, 11..22]
        );
    }

    #[test]
    fn a_document_that_does_not_parse_runs_to_the_next_line_starting_a_document() {
        let text = "{\n\"a\": 1\n}\nxx\n{\n\"a\": oops,\n  \"b\": {\n}\n}\n{\n}\n";
        let starts: Vec<&str> = value_starts(text)
            .into_iter()
            .map(|start| text.get(start..start + 4).unwrap_or_default())
            .collect();
        assert_eq!(starts, ["{\n\"a", "xx\n{", "{\n\"a", "{\n}\n"]);
        // Broken JSON lines at the start do not hide the whole lines after them.
        let lines = "{\"a\":\n{\"b\":\n{\"c\":\n{\"d\": 1}\n{\"e\": 2}\n";
        assert_eq!(value_starts(lines).len(), 5);
    }
}
