//! The report of `rampart check`, written batch by batch as the documents are evaluated, in
//! every format: a batch's documents, outcomes and texts are dropped once its part of the report
//! is written, so memory stays flat however many documents a run reads. What a format can only
//! write at the end goes to a temporary file meanwhile: the human report's summary rows (the
//! table's columns are as wide as their widest cell) and the JUnit test suites (the root
//! element carries the totals).
//!
//! The parts put together are the report of the whole run, byte for byte; the renderers in
//! `report` say how each format is cut.

use std::cell::RefCell;
use std::collections::HashMap;
use std::io::{self, BufRead, Read, Seek, Write};

use rayon::prelude::*;

use super::output::Output;
use crate::check::{Program, Status};
use crate::config::{self, Document, PathSegment};
use crate::eval::{Evaluator, Outcome};
use crate::report::human::{SummaryRow, SummaryTable};
use crate::report::sarif::{Locator, SarifWriter};
use crate::report::text::evaluated_evidence_path;
use crate::report::{self, junit};
use crate::syntax::LineIndex;
use crate::workspace::Workspace;

/// A document with its outcome (`None` when it was not evaluated).
pub type Evaluated = (Document, Option<Outcome>);

/// What a report is written with.
#[derive(Clone, Copy)]
pub struct Context<'a> {
    /// The checked policy set.
    pub program: &'a Program,
    /// Its files, for quoting and locating policy text.
    pub workspace: &'a Workspace,
    /// The evaluator (its reported norms are the SARIF rules).
    pub evaluator: &'a Evaluator<'a>,
    /// The profile the run uses, if any.
    pub profile: Option<&'a str>,
    /// How the human report groups results.
    pub group_by: Option<report::human::GroupBy>,
    /// `--strict`: unknown norms count as failures (in SARIF levels and JUnit failures).
    pub strict: bool,
    /// The policy files are on disk (`--policy`), so reports may point at them; the embedded
    /// library has no file a reader of a report could open.
    pub policy_on_disk: bool,
}

/// A report being written, in one of the formats.
pub enum ReportWriter<'a> {
    /// The human report: each document's section, then the summary table, whose rows go to
    /// `rows` (one JSON line each) until the widths of its columns are known. The summary
    /// (`results` false) has sections only for documents with problems, and no results.
    Human {
        ctx: Context<'a>,
        results: bool,
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
            ReportFormat::Human | ReportFormat::Summary => ReportWriter::Human {
                ctx,
                results: format == ReportFormat::Human,
                table: SummaryTable::default(),
                rows: io::BufWriter::new(tempfile::tempfile()?),
            },
            ReportFormat::Json => {
                out.write(&report::json::head(&ctx.frame()))?;
                ReportWriter::Json { ctx, any: false }
            }
            ReportFormat::Sarif => {
                let mut sarif = SarifWriter::new(ctx.program, ctx.evaluator.reported(), ctx.strict);
                if ctx.policy_on_disk {
                    sarif = sarif.with_declarations(ctx.workspace);
                }
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
    /// from, to locate evidence in it). Each document's part is printed in parallel, then the
    /// parts are written in order.
    pub fn batch(
        &mut self,
        out: &mut Output,
        evaluated: &[Evaluated],
        origins: &[Origin],
    ) -> io::Result<()> {
        match self {
            ReportWriter::Human {
                ctx,
                results,
                table,
                rows,
            } => {
                let sections: Vec<String> = (evaluated.par_iter().zip(origins))
                    .map(|((document, outcome), origin)| {
                        if !*results {
                            return report::human::problems_section(document, outcome.as_ref());
                        }
                        let text = DocumentText::new(document, origin);
                        // The results the human report shows a snippet for.
                        let shown = (outcome.iter().flat_map(|o| &o.results))
                            .filter(|r| matches!(r.status, Status::Fail | Status::Unknown));
                        let paths: Vec<config::Path> = shown
                            .filter_map(|result| evaluated_evidence_path(&result.evidence))
                            .collect();
                        text.prefetch(&paths);
                        let source_line = |path: &[PathSegment]| text.source_line(path);
                        let parts = (document, outcome.as_ref());
                        report::human::document(
                            ctx.program,
                            ctx.workspace,
                            parts,
                            ctx.group_by,
                            &source_line,
                        )
                    })
                    .collect();
                for (section, (document, outcome)) in sections.iter().zip(evaluated) {
                    out.write(section)?;
                    let row = SummaryRow::new(document, outcome.as_ref());
                    table.fit(&row);
                    serde_json::to_writer(&mut *rows, &row)?;
                    rows.write_all(b"\n")?;
                }
                Ok(())
            }
            ReportWriter::Json { ctx, any } => {
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
                let part = ctx.part(evaluated);
                let printed: Vec<Vec<String>> = (part.documents.par_iter().zip(evaluated))
                    .zip(origins)
                    .map(|((document, (loaded, _)), origin)| {
                        sarif.results(document, &DocumentText::new(loaded, origin))
                    })
                    .collect();
                for results in &printed {
                    out.write(&sarif.list(results))?;
                }
                Ok(())
            }
            ReportWriter::Junit { ctx, totals, spool } => {
                let part = ctx.part(evaluated);
                let suites: Vec<(String, junit::Totals)> = (part.documents.par_iter())
                    .map(|document| junit::suite_xml(document, ctx.strict))
                    .collect();
                for (xml, counts) in suites {
                    spool.write_all(xml.as_bytes())?;
                    *totals += counts;
                }
                Ok(())
            }
        }
    }

    /// Writes what comes after the last document; `exit_code` is the run's, and `notice` says
    /// why it failed when no document does.
    pub fn finish(self, out: &mut Output, exit_code: u8, notice: Option<&str>) -> io::Result<()> {
        match self {
            ReportWriter::Human {
                ctx, table, rows, ..
            } => {
                let mut rows = rows.into_inner().map_err(io::IntoInnerError::into_error)?;
                // No document, no table: the run's error says why.
                if rows.stream_position()? == 0 {
                    return Ok(());
                }
                out.write(&table.heading())?;
                rows.rewind()?;
                let mut unknown = 0;
                for line in io::BufReader::new(rows).lines() {
                    let row: SummaryRow = serde_json::from_str(&line?)?;
                    unknown += row.unknown();
                    out.write(&table.line(&row))?;
                }
                match ctx.strict {
                    false => out.write(&report::human::unknown_note(unknown)),
                    true => Ok(()),
                }
            }
            ReportWriter::Json { ctx, any } => out.write(&report::json::tail(&ctx.frame(), any)),
            ReportWriter::Sarif { sarif, .. } => out.write(&sarif.tail(exit_code, notice)),
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

/// Gives the problems that loading left without a position (the warnings of documents that
/// read cleanly, [`crate::config::from_text_unplaced`]) their lines and columns, from each
/// document's text (kept for a stream, read again for a file): the second pass over a text is
/// made only for the documents that have a problem to show.
pub fn place_problems(evaluated: &mut [Evaluated], origins: &[Origin]) {
    (evaluated.par_iter_mut().zip(origins)).for_each(|((document, _), origin)| {
        if document.problems.iter().all(|p| p.position.is_some()) {
            return;
        }
        let text = match &origin.text {
            Some(text) => std::borrow::Cow::Borrowed(text.as_str()),
            None => match config::read_bytes(&document.path).map(String::from_utf8) {
                Ok(Ok(text)) => std::borrow::Cow::Owned(text),
                _ => return,
            },
        };
        let unplaced: Vec<bool> = (document.problems.iter())
            .map(|p| p.position.is_none())
            .collect();
        config::place_problems(&mut document.problems, &text, document.format);
        let first_line = document.line.unwrap_or(1);
        for (problem, _) in (document.problems.iter_mut().zip(unplaced)).filter(|(_, u)| *u) {
            problem.position = problem.position.map(|(line, c)| (line + first_line - 1, c));
        }
    });
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

/// What is kept of where a document came from, to locate evidence in it later: its text when
/// it was not in a file of its own (a line of a stream, standard input). The line it starts at
/// is the document's own ([`Document::line`]).
pub struct Origin {
    text: Option<String>,
}

impl From<super::inputs::Source> for Origin {
    fn from(source: super::inputs::Source) -> Origin {
        Origin { text: source.text }
    }
}

/// The 1-based line and column of each path looked for in a document (`None`: not found).
type Positions = HashMap<Vec<PathSegment>, Option<(usize, usize)>>;

/// The text of one document, for locating evidence values in it: read once (a file is read
/// again; a document of a stream kept its text), with where its lines start, and the positions
/// found so far (every path its results ask for is found in one scan with
/// [`Locator::prefetch`]; a YAML document is parsed once).
struct DocumentText<'d> {
    /// Its text (`None` when it cannot be read).
    text: Option<std::borrow::Cow<'d, str>>,
    /// The line of the input its text starts at.
    first_line: usize,
    /// Where its lines start.
    line_index: LineIndex,
    /// The positions found so far (JSON).
    found: RefCell<Positions>,
    /// The positions of a YAML document.
    yaml: Option<config::YamlPositions>,
}

impl<'d> DocumentText<'d> {
    fn new(document: &Document, origin: &'d Origin) -> DocumentText<'d> {
        let text = match &origin.text {
            Some(text) => Some(std::borrow::Cow::Borrowed(text.as_str())),
            None => config::read_bytes(&document.path)
                .ok()
                .and_then(|bytes| String::from_utf8(bytes).ok())
                .map(std::borrow::Cow::Owned),
        };
        let text_str = text.as_deref().unwrap_or_default();
        let line_index = LineIndex::new(text_str);
        let yaml = match document.format {
            config::Format::Yaml => config::YamlPositions::parse(text_str),
            config::Format::Json => None,
        };
        DocumentText {
            text,
            first_line: document.line.unwrap_or(1),
            line_index,
            found: RefCell::new(HashMap::new()),
            yaml,
        }
    }

    fn find_all(&self, paths: &[&[PathSegment]]) {
        let Some(text) = self.text.as_deref() else {
            return;
        };
        if self.yaml.is_some() || paths.is_empty() {
            return;
        }
        // The text's lines are indexed already: only the offsets are looked for.
        let offsets = config::locate_offsets(text, paths);
        let mut found = self.found.borrow_mut();
        for (path, offset) in paths.iter().zip(offsets) {
            let position = offset.map(|offset| config::position_in(&self.line_index, text, offset));
            found.insert(path.to_vec(), position);
        }
    }

    /// The 1-based line and column of `path` in the text.
    fn locate_in_text(&self, path: &[PathSegment]) -> Option<(usize, usize)> {
        if let Some(yaml) = &self.yaml {
            return yaml.locate(path);
        }
        if !self.found.borrow().contains_key(path) {
            self.find_all(&[path]);
        }
        self.found.borrow().get(path).copied().flatten()
    }

    /// The 1-based line and column of `path` in the input (for a document of a stream, its
    /// line in the stream), and the text of that line.
    fn source_line(&self, path: &[PathSegment]) -> Option<(usize, usize, String)> {
        let (line, column) = self.locate_in_text(path)?;
        let text = self
            .line_index
            .line_text(self.text.as_deref()?, line.checked_sub(1)?);
        Some((line + self.first_line - 1, column, text.to_string()))
    }
}

impl Locator for DocumentText<'_> {
    /// Finds `paths` in one scan of the text (JSON; a YAML document is already parsed), ahead
    /// of the look-ups that ask for them.
    fn prefetch(&self, paths: &[config::Path]) {
        let paths: Vec<&[PathSegment]> = paths.iter().map(Vec::as_slice).collect();
        self.find_all(&paths);
    }

    /// The 1-based line and column of `path` in the input (for a document of a stream, its
    /// line in the stream).
    fn at(&self, path: &[PathSegment]) -> Option<(usize, usize)> {
        let (line, column) = self.locate_in_text(path)?;
        Some((line + self.first_line - 1, column))
    }
}
