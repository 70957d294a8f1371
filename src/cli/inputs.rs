//! The documents `rampart check` and `rampart compare` read, in order and in bounded batches:
//! files (and directories of them), JSON-lines streams (`*.jsonl`, one jurisdiction per line,
//! also when found in a directory) and `-` for standard input (one JSON document, or JSON lines
//! when it holds more than one top-level value).
//! Streams are read lazily, [`BATCH`] documents at a time, so memory stays flat.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use crate::check::Program;
use crate::config::{self, Document, Format};

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
    /// Its 1-based line, for a line of a stream.
    pub line: Option<usize>,
    /// Its text, when already read (a line, standard input).
    pub text: Option<String>,
}

impl Source {
    /// Reads (if needed), parses and validates the document; positions of problems are lines
    /// of the whole file.
    pub fn load(&self, program: &Program) -> Document {
        let Some(text) = &self.text else {
            return config::load(program, &self.path);
        };
        let mut document = config::from_text(program, &self.path, text, Format::Json);
        if let Some(line) = self.line {
            for problem in &mut document.problems {
                problem.position = problem.position.map(|(l, c)| (l + line - 1, c));
            }
        }
        document
    }
}

/// Where documents come from.
enum Input {
    File(PathBuf),
    Lines(PathBuf),
    Stdin,
}

/// Yields the documents of every input in order, in batches of at most [`BATCH`]; inputs that
/// cannot be read are collected in [`Batches::unreadable`].
pub struct Batches {
    inputs: std::vec::IntoIter<Input>,
    lines: Option<Lines>,
    /// Paths that could not be read, with why.
    pub unreadable: Vec<(PathBuf, String)>,
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
        let mut unreadable = Vec::new();
        for path in paths {
            if path.as_os_str() == "-" {
                inputs.push(Input::Stdin);
            } else if is_lines_file(path) && path.is_file() {
                inputs.push(Input::Lines(path.clone()));
            } else {
                let (found, errors) = config::find_documents(std::slice::from_ref(path));
                inputs.extend(found.into_iter().map(|path| match is_lines_file(&path) {
                    true => Input::Lines(path),
                    false => Input::File(path),
                }));
                unreadable.extend(errors);
            }
        }
        Batches {
            inputs: inputs.into_iter(),
            lines: None,
            unreadable,
        }
    }

    /// The next line of the open stream, if any.
    fn next_line(&mut self) -> Option<Source> {
        let lines = self.lines.as_mut()?;
        loop {
            let mut text = String::new();
            lines.line += 1;
            match lines.reader.read_line(&mut text) {
                Ok(0) => break,
                Ok(_) if text.trim().is_empty() => continue,
                Ok(_) => {
                    text.truncate(text.trim_end_matches(['\n', '\r']).len());
                    return Some(Source {
                        path: lines.path.clone(),
                        line: Some(lines.line),
                        text: Some(text),
                    });
                }
                Err(error) => {
                    let at = format!("line {}: {error}", lines.line);
                    self.unreadable.push((lines.path.clone(), at));
                    break;
                }
            }
        }
        self.lines = None;
        None
    }

    /// The next document of any input.
    fn next_source(&mut self) -> Option<Source> {
        loop {
            if let Some(source) = self.next_line() {
                return Some(source);
            }
            match self.inputs.next()? {
                Input::File(path) => {
                    return Some(Source {
                        path,
                        line: None,
                        text: None,
                    });
                }
                Input::Lines(path) => match File::open(&path) {
                    Ok(file) => self.open_lines(path, Box::new(BufReader::new(file))),
                    Err(error) => self.unreadable.push((path, error.to_string())),
                },
                Input::Stdin => {
                    if let Some(source) = self.open_stdin() {
                        return Some(source);
                    }
                }
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

    /// Reads standard input: one document, or opens it as JSON lines when it holds more than
    /// one top-level JSON value.
    fn open_stdin(&mut self) -> Option<Source> {
        let mut text = String::new();
        if let Err(error) = io::stdin().lock().read_to_string(&mut text) {
            self.unreadable
                .push((PathBuf::from(STDIN_NAME), error.to_string()));
            return None;
        }
        let path = PathBuf::from(STDIN_NAME);
        if count_values(&text) > 1 {
            self.open_lines(path, Box::new(io::Cursor::new(text.into_bytes())));
            return None;
        }
        Some(Source {
            path,
            line: None,
            text: Some(text),
        })
    }
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

/// How many top-level JSON values `text` starts with, counting at most two.
fn count_values(text: &str) -> usize {
    serde_json::Deserializer::from_str(text)
        .into_iter::<serde::de::IgnoredAny>()
        .take(2)
        .take_while(Result::is_ok)
        .count()
}

fn is_lines_file(path: &Path) -> bool {
    config::is_lines_file(path)
}
