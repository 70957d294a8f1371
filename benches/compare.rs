//! Benchmark: `rampart compare` over a large population. Generates N synthetic jurisdictions
//! (default 5,000; `RAMPART_BENCH_DOCS` overrides), evaluates them with the embedded-library
//! policy set, and times what comparison adds on top of evaluation: building the report,
//! scoring, ranking, grouping and rendering each format. Prints the HTML page's size at 1,000
//! jurisdictions and at N.
//!
//! Run with `cargo bench --bench compare`.

#[path = "support/mod.rs"]
mod support;

use std::path::Path;
use std::time::{Duration, Instant};

use rampart::compare::{self, Colour, Format};
use rampart::config::{self, Document};
use rampart::eval::{Doc, Evaluator, Options, Outcome};
use rampart::report::{self, Report};
use rampart::workspace::{DiskFiles, Workspace};
use rampart::{check, check::Program};
use rayon::prelude::*;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let n: usize = std::env::var("RAMPART_BENCH_DOCS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5_000);
    let dir = std::env::temp_dir().join("rampart-bench-compare");
    let population = support::generate(n, 2026, &dir);
    let files = DiskFiles::new(Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/policies")));
    let workspace = Workspace::load(&files, "main.rampart");
    let checked = check::check(&workspace);
    assert!(
        !checked.has_errors(&workspace),
        "the norm library has errors"
    );
    let program = checked.program;

    let start = Instant::now();
    let documents: Vec<Document> = population
        .files
        .par_iter()
        .map(|path| config::load(&program, path))
        .collect();
    let evaluator = Evaluator::new(&program, Options::default());
    let valid: Vec<&Doc> = documents.iter().filter_map(|d| d.doc.as_ref()).collect();
    let outcomes = evaluator.evaluate_all(&valid);
    let evaluation = start.elapsed();

    let start = Instant::now();
    let report = build_report(&program, &workspace, &documents, &outcomes);
    let built = start.elapsed();
    let options = compare::Options {
        group_by: Some("memberships".into()),
        ..compare::Options::default()
    };
    let start = Instant::now();
    let comparison = compare::compare(&report, &options);
    let compared = start.elapsed();
    println!(
        "compare: {n} jurisdictions x {} norms ({:.1} MiB of documents)",
        program.norms.len(),
        population.total_bytes() as f64 / 1048576.0
    );
    println!("  load + validate + evaluate  {:>9.1} ms", ms(evaluation));
    println!("  build report                {:>9.1} ms", ms(built));
    println!("  score, rank, group          {:>9.1} ms", ms(compared));
    let mut rendering = Duration::ZERO;
    for (name, format) in [
        ("table", Format::Table),
        ("csv", Format::Csv),
        ("markdown", Format::Markdown),
        ("json", Format::Json),
        ("html", Format::Html),
    ] {
        let start = Instant::now();
        let text = compare::render(&comparison, &report, format, Colour::Never);
        let elapsed = start.elapsed();
        rendering += elapsed;
        println!(
            "  render {name:<10}           {:>9.1} ms  ({:.2} MiB)",
            ms(elapsed),
            text.len() as f64 / 1048576.0
        );
    }
    let added = built + compared + rendering;
    println!(
        "  comparison adds {:.1} ms = {:.0}% of the evaluation",
        ms(added),
        100.0 * added.as_secs_f64() / evaluation.as_secs_f64()
    );
    let thousand = Report {
        documents: report.documents.iter().take(1_000).cloned().collect(),
        ..report.clone()
    };
    let page = compare::render(
        &compare::compare(&thousand, &options),
        &thousand,
        Format::Html,
        Colour::Never,
    );
    println!(
        "  HTML page at 1,000 jurisdictions: {:.2} MB = {:.2} MiB (target < 5 MB)",
        page.len() as f64 / 1e6,
        page.len() as f64 / 1048576.0
    );
    if let Some(path) = std::env::var_os("RAMPART_BENCH_PAGE") {
        std::fs::write(&path, &page).expect("RAMPART_BENCH_PAGE names a writable file");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

fn build_report(
    program: &Program,
    workspace: &Workspace,
    documents: &[Document],
    outcomes: &[Outcome],
) -> Report {
    let mut next = outcomes.iter();
    let checked: Vec<(&Document, Option<&Outcome>)> = documents
        .iter()
        .map(|d| (d, d.doc.as_ref().and_then(|_| next.next())))
        .collect();
    report::build(program, workspace, None, &checked)
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
