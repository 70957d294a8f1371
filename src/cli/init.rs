//! `rampart init`: writes a starting jurisdiction document with every field of the schema, as
//! JSON or as commented YAML, to standard output or a new file.

use std::io::Write;
use std::path::PathBuf;

use super::norms::print_stdout;
use super::policy::{PolicySource, load_program};
use super::{EXIT_INVALID, EXIT_OK};
use crate::reference;

/// Arguments of `rampart init`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Notation of the document; without it, the `--output` file's extension chooses
    /// (`.json`), else YAML.
    #[arg(long, value_enum)]
    format: Option<InitFormat>,
    /// File to create (refused if it exists); standard output when omitted.
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Policy directory (entry `main.rampart`) or file; the built-in library when omitted.
    #[arg(long, value_name = "PATH")]
    policy: Option<PathBuf>,
}

/// Notation of the starting document.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum InitFormat {
    /// JSON with null for every unknown value.
    Json,
    /// YAML with each field's doc comment and type above it.
    Yaml,
}

impl InitFormat {
    /// The notation `--format` names, else the one the output file's extension names (YAML
    /// unless it is `.json`).
    fn chosen(args: &Args) -> InitFormat {
        let from_extension = args.output.as_deref().and_then(|path| {
            let extension = super::output::extension(path);
            (extension.rsplit('.').next() == Some("json")).then_some(InitFormat::Json)
        });
        args.format.or(from_extension).unwrap_or(InitFormat::Yaml)
    }
}

/// Runs `init`; returns the exit code.
pub fn run(args: &Args) -> u8 {
    let Some(source) = PolicySource::from_arg(args.policy.as_deref()) else {
        return EXIT_INVALID;
    };
    let Some((_, program)) = load_program(&source) else {
        return EXIT_INVALID;
    };
    let text = match InitFormat::chosen(args) {
        InitFormat::Yaml => reference::starter_yaml(&program.schema),
        InitFormat::Json => reference::starter_json_text(&program.schema),
    };
    let Some(path) = &args.output else {
        print_stdout(&text);
        return EXIT_OK;
    };
    let written =
        std::fs::File::create_new(path).and_then(|mut file| file.write_all(text.as_bytes()));
    match written {
        Ok(()) => {
            say!("wrote {}", path.display());
            EXIT_OK
        }
        Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => {
            say!(
                "error: {} already exists; rampart init refuses to overwrite it\n  help: name a \
                 new file with --output, or remove this one first",
                path.display()
            );
            EXIT_INVALID
        }
        Err(error) => {
            say!("error: cannot write {}: {error}", path.display());
            EXIT_INVALID
        }
    }
}
