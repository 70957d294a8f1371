//! The report of `rampart check`, written batch by batch as the documents are evaluated, in
//! every format: a batch's documents, outcomes and texts are dropped once its part of the report
//! is written, so memory stays flat however many documents a run reads. What a format can only
//! write at the end goes to a temporary file meanwhile: the human report's summary rows (the
//! table's columns are as wide as their widest cell) and the JUnit test suites (the root
//! element carries the totals).
//!
//! The parts put together are the report of the whole run, byte for byte; the renderers in
//! `report` say how each format is cut.

use std::collections::HashMap;

use rayon::prelude::*;
use std::io::{self, BufRead, Read, Seek, Write};

use super::output::Output;
use crate::check::{Program, Status};
use crate::config::{self, Document, PathSegment};
use crate::eval::{Evaluator, Outcome};
use crate::report::human::{SummaryRow, SummaryTable};
use crate::report::text::{evaluated_evidence_path, evidence_path};
use crate::report::{self, junit, sarif::SarifWriter};
use crate::syntax::LineIndex;
use crate::workspace::Workspace;

/// A document with its outcome (`None` when it was not evaluated).
pub type Evaluated = (Document, Option<Outcome>);

/// What a report is written with.
pub struct Context<'a> {
    pub program: &'a Program,
    pub workspace: &'a Workspace,
    pub evaluator: &'a Evaluator<'a>,
    pub profile: Option<&'a str>,
    pub group_by: Option<report::human::GroupBy>,
}

/// A report being written, in one of the formats.
pub enum ReportWriter<'a> {
    /// The human report: each document's section, then the summary table, whose rows go to
    /// `rows` (one JSON line each) until the widths of its columns are known.
    Human {
        ctx: Context<'a>,
        table: SummaryTable,
        rows: io::BufWriter<std::fs::File>,
    },
    /// The JSON report.
    Json { ctx: Context<'a>, any: bool },
    /// SARIF 2.1.0.
    Sarif {
        ctx: Context<'a>,
        sarif: SarifWriter<'a>,
    },
    /// JUnit XML: the suites go to `spool` until the totals are known.
    Junit {
        ctx: Context<'a>,
        totals: junit::Totals,
        spool: std::fs::File,
    },
}

impl<'a> ReportWriter<'a> {
    /// Starts a report in `format` and writes what comes before the first document.
    pub fn start(
        format: super::check::ReportFormat,
        ctx: Context<'a>,
        out: &mut Output,
    ) -> io::Result<ReportWriter<'a>> {
        use super::check::ReportFormat;
        Ok(match format {
            ReportFormat::Human => ReportWriter::Human {
                ctx,
                table: SummaryTable::default(),
                rows: io::BufWriter::new(tempfile::tempfile()?),
            },
            ReportFormat::Json => {
                out.write(&report::json::head(&ctx.frame()))?;
                ReportWriter::Json { ctx, any: false }
            }
            ReportFormat::Sarif => {
                let sarif = SarifWriter::new(ctx.program, ctx.evaluator.reported());
                out.write(&sarif.head())?;
                ReportWriter::Sarif { ctx, sarif }
            }
            ReportFormat::Junit => ReportWriter::Junit {
                ctx,
                totals: junit::Totals::default(),
                spool: tempfile::tempfile()?,
            },
        })
    }

    /// Writes the part of the report for a batch of documents (`origins` says where each came
    /// from, to locate evidence in it).
    pub fn batch(
        &mut self,
        out: &mut Output,
        evaluated: &[Evaluated],
        origins: &[Origin],
    ) -> io::Result<()> {
        let locator = Locator::new(evaluated, origins);
        match self {
            ReportWriter::Human { ctx, table, rows } => {
                let source_line =
                    |index: usize, path: &[PathSegment]| locator.source_line(index, path);
                for (index, (document, outcome)) in evaluated.iter().enumerate() {
                    let failed = outcome.iter().flat_map(|o| &o.results);
                    let paths: Vec<config::Path> = failed
                        .filter(|result| result.status == Status::Fail)
                        .filter_map(|result| evaluated_evidence_path(&result.evidence))
                        .collect();
                    locator.prefetch(index, &paths);
                    out.write(&report::human::document(
                        ctx.program,
                        ctx.workspace,
                        (document, outcome.as_ref()),
                        (index, ctx.group_by),
                        &source_line,
                    ))?;
                    let row = SummaryRow::new(document, outcome.as_ref());
                    table.fit(&row);
                    serde_json::to_writer(&mut *rows, &row)?;
                    rows.write_all(b"\n")?;
                }
                Ok(())
            }
            ReportWriter::Json { ctx, any } => {
                // Documents are printed in parallel, then written in order.
                let first = !*any;
                let texts: Vec<String> = (ctx.part(evaluated).documents.par_iter())
                    .enumerate()
                    .map(|(index, document)| report::json::document(document, first && index == 0))
                    .collect();
                for text in &texts {
                    out.write(text)?;
                }
                *any |= !texts.is_empty();
                Ok(())
            }
            ReportWriter::Sarif { ctx, sarif } => {
                for (index, document) in ctx.part(evaluated).documents.iter().enumerate() {
                    let results = document.results.iter().flatten();
                    let paths: Vec<config::Path> = results.filter_map(evidence_path).collect();
                    locator.prefetch(index, &paths);
                    let at = |path: &[PathSegment]| locator.locate(index, path);
                    out.write(&sarif.results(document, &at))?;
                }
                Ok(())
            }
            ReportWriter::Junit { ctx, totals, spool } => {
                let suites = junit::suites(&ctx.part(evaluated), totals);
                spool.write_all(suites.as_bytes())
            }
        }
    }

    /// Writes what comes after the last document.
    pub fn finish(self, out: &mut Output) -> io::Result<()> {
        match self {
            ReportWriter::Human { table, rows, .. } => {
                out.write(&table.heading())?;
                let mut rows = rows.into_inner().map_err(io::IntoInnerError::into_error)?;
                rows.rewind()?;
                for line in io::BufReader::new(rows).lines() {
                    let row: SummaryRow = serde_json::from_str(&line?)?;
                    out.write(&table.line(&row))?;
                }
                Ok(())
            }
            ReportWriter::Json { ctx, any } => out.write(&report::json::tail(&ctx.frame(), any)),
            ReportWriter::Sarif { sarif, .. } => out.write(&sarif.tail()),
            ReportWriter::Junit {
                totals, mut spool, ..
            } => {
                let (head, tail) = junit::frame(totals);
                out.write(&head)?;
                spool.rewind()?;
                copy_to(&mut spool, out)?;
                out.write(&tail)
            }
        }
    }
}

impl Context<'_> {
    /// The report's frame: version, profile, pillars and stages, with no document.
    fn frame(&self) -> report::Report {
        report::build(self.program, self.workspace, self.profile, &[])
    }

    /// The report of a batch of documents.
    fn part(&self, evaluated: &[Evaluated]) -> report::Report {
        let pairs: Vec<(&Document, Option<&Outcome>)> =
            evaluated.iter().map(|(d, o)| (d, o.as_ref())).collect();
        report::build(self.program, self.workspace, self.profile, &pairs)
    }
}

/// Copies what `from` holds to `out`, a block at a time.
fn copy_to(from: &mut impl Read, out: &mut Output) -> io::Result<()> {
    let mut block = vec![0; 1 << 16];
    loop {
        match from.read(&mut block)? {
            0 => return Ok(()),
            read => out.write_bytes(block.get(..read).unwrap_or_default())?,
        }
    }
}

/// Where a document came from, kept to locate evidence in it later: its line in a stream, and
/// its text when it was not in a file of its own.
pub struct Origin {
    line: Option<usize>,
    text: Option<String>,
}

impl From<super::inputs::Source> for Origin {
    fn from(source: super::inputs::Source) -> Origin {
        Origin {
            line: source.line,
            text: source.text,
        }
    }
}

/// Finds evidence values in the documents of a batch. Results are located in document order,
/// so only the current document's text is held: it is read once, and so are its positions
/// (every path its results ask for, found in one scan with [`Locator::prefetch`]; a YAML
/// document parsed once) and where its lines start.
struct Locator<'d> {
    documents: Vec<(&'d Document, &'d Origin)>,
    current: std::cell::RefCell<Option<Current<'d>>>,
}

/// The document being located in.
struct Current<'d> {
    index: usize,
    /// Its text (`None` when it cannot be read).
    text: Option<std::borrow::Cow<'d, str>>,
    /// The line of the input its text starts at.
    first_line: usize,
    /// Where its lines start.
    line_index: LineIndex,
    /// The positions found so far (JSON), by path.
    found: HashMap<Vec<PathSegment>, Option<(usize, usize)>>,
    /// The positions of a YAML document.
    yaml: Option<config::YamlPositions>,
}

impl<'d> Current<'d> {
    fn new(index: usize, document: &Document, origin: &'d Origin) -> Current<'d> {
        let text = match &origin.text {
            Some(text) => Some(std::borrow::Cow::Borrowed(text.as_str())),
            None => std::fs::read_to_string(&document.path)
                .ok()
                .map(std::borrow::Cow::Owned),
        };
        let text_str = text.as_deref().unwrap_or_default();
        let line_index = LineIndex::new(text_str);
        let yaml = match document.format {
            config::Format::Yaml => config::YamlPositions::parse(text_str),
            config::Format::Json => None,
        };
        Current {
            index,
            text,
            first_line: origin.line.unwrap_or(1),
            line_index,
            found: HashMap::new(),
            yaml,
        }
    }

    /// Finds `paths` in one scan of the text (JSON; a YAML document is already parsed).
    fn find_all(&mut self, paths: &[&[PathSegment]]) {
        let Some(text) = self.text.as_deref() else {
            return;
        };
        if self.yaml.is_some() {
            return;
        }
        let positions = config::locate_all(text, paths);
        for (path, position) in paths.iter().zip(positions) {
            self.found.insert(path.to_vec(), position);
        }
    }

    /// The 1-based line and column of `path` in the text.
    fn locate(&mut self, path: &[PathSegment]) -> Option<(usize, usize)> {
        if let Some(yaml) = &self.yaml {
            return yaml.locate(path);
        }
        if !self.found.contains_key(path) {
            self.find_all(&[path]);
        }
        self.found.get(path).copied().flatten()
    }

    /// The text of 1-based `line` of the text.
    fn line(&self, line: usize) -> Option<String> {
        let text = self.text.as_deref()?;
        Some(
            self.line_index
                .line_text(text, line.checked_sub(1)?)
                .to_string(),
        )
    }
}

impl<'d> Locator<'d> {
    fn new(checked: &'d [Evaluated], origins: &'d [Origin]) -> Self {
        Locator {
            documents: checked.iter().map(|(d, _)| d).zip(origins).collect(),
            current: std::cell::RefCell::new(None),
        }
    }

    /// Runs `run` on document `index` as the current one (reading it when it is not).
    fn with<T>(&self, index: usize, run: impl FnOnce(&mut Current<'d>) -> T) -> Option<T> {
        let mut current = self.current.borrow_mut();
        if current.as_ref().is_none_or(|c| c.index != index) {
            let (document, origin) = self.documents.get(index)?;
            *current = Some(Current::new(index, document, origin));
        }
        current.as_mut().map(run)
    }

    /// Finds the positions of `paths` in document `index` in one scan, ahead of the calls to
    /// [`Locator::locate`] that ask for them.
    fn prefetch(&self, index: usize, paths: &[config::Path]) {
        let paths: Vec<&[PathSegment]> = paths.iter().map(Vec::as_slice).collect();
        self.with(index, |current| current.find_all(&paths));
    }

    /// The 1-based line and column of `path` in document `index`, and the text of that line.
    fn source_line(&self, index: usize, path: &[PathSegment]) -> Option<(usize, usize, String)> {
        self.with(index, |current| {
            let (line, column) = current.locate(path)?;
            let text = current.line(line)?;
            Some((line + current.first_line - 1, column, text))
        })?
    }

    /// The 1-based line and column of `path` in document `index` (in its input, for a document
    /// of a stream).
    fn locate(&self, index: usize, path: &[PathSegment]) -> Option<(usize, usize)> {
        self.with(index, |current| {
            let (line, column) = current.locate(path)?;
            Some((line + current.first_line - 1, column))
        })?
    }
}
