//! `rampart norms`: lists the norms of a policy set (id, title, pillar, stages, severity,
//! citations), filtered by pillar, stage and severity, as a table, JSON or Markdown; with
//! `--format markdown --full`, the norm reference of `docs/norms.md`.

use std::path::PathBuf;

use super::policy::{PolicySource, load_program};
use super::{EXIT_INVALID, EXIT_OK};
use crate::reference::{self, Filter};

/// Arguments of `rampart norms`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Policy directory (entry `main.rampart`) or file; the built-in library when omitted.
    #[arg(long, value_name = "PATH")]
    policy: Option<PathBuf>,
    /// Only norms of this pillar (a pillar id such as `governance`).
    #[arg(long, value_name = "PILLAR")]
    pillar: Option<String>,
    /// Only norms that apply at this electoral-cycle stage (such as `voting`).
    #[arg(long, value_name = "STAGE")]
    stage: Option<String>,
    /// Only norms of this severity: low, medium, high or critical.
    #[arg(long, value_name = "SEVERITY")]
    severity: Option<String>,
    /// How to print the list.
    #[arg(long, value_enum, default_value_t = ListFormat::Table)]
    format: ListFormat,
    /// With `--format markdown`: the full reference (doc, citations, parameters, evidence, fix).
    #[arg(long)]
    full: bool,
}

/// Output format of `rampart norms`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum ListFormat {
    /// A table of at most 100 columns.
    Table,
    /// Stable JSON (described in docs/norms.md).
    Json,
    /// A Markdown table, or the full reference with `--full`.
    Markdown,
}

/// Runs `norms`; returns the exit code.
pub fn run(args: &Args) -> u8 {
    if args.full && args.format != ListFormat::Markdown {
        say!("error: --full needs --format markdown");
        return EXIT_INVALID;
    }
    let Some(source) = PolicySource::from_arg(args.policy.as_deref()) else {
        return EXIT_INVALID;
    };
    let Some((_, program)) = load_program(&source) else {
        return EXIT_INVALID;
    };
    let filter = match Filter::new(
        &program,
        args.pillar.as_deref(),
        args.stage.as_deref(),
        args.severity.as_deref(),
    ) {
        Ok(filter) => filter,
        Err(errors) => {
            errors.iter().for_each(print_error);
            return EXIT_INVALID;
        }
    };
    if args.full {
        print_stdout(&reference::norm_reference(&program, &filter));
        return EXIT_OK;
    }
    let norms = reference::list_norms(&program, &filter);
    let text = match args.format {
        ListFormat::Table => reference::render_table(&program, &norms),
        ListFormat::Markdown => reference::render_markdown(&program, &norms),
        ListFormat::Json => {
            let json = reference::render_json(&norms);
            serde_json::to_string_pretty(&json).unwrap_or_default() + "\n"
        }
    };
    print_stdout(&text);
    EXIT_OK
}

/// Writes `text` to standard output; a closed pipe (`rampart norms | head`) is not an error.
pub(super) fn print_stdout(text: &str) {
    use std::io::Write;
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
}

/// Prints a usage error with its help line to standard error.
pub(super) fn print_error<E: miette::Diagnostic>(error: &E) {
    say!("error: {error}");
    if let Some(help) = error.help() {
        say!("  help: {help}");
    }
}
