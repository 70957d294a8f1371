//! Rampart: policy-as-code for the cyber-resilience of elections.
//!
//! The engine reads policies written in the Rampart language (norms drawn from international
//! electoral-cybersecurity guidance, with citations and tests), checks them against a declared
//! schema of the jurisdiction document, and evaluates jurisdiction configurations against them.
//!
//! ```
//! use rampart::syntax::{parse, FileId};
//!
//! let parsed = parse(FileId(0), "pillar governance \"Governance\"");
//! assert!(parsed.diagnostics.is_empty());
//! assert_eq!(parsed.file.items.len(), 1);
//! ```

/// `eprintln!` that ignores a standard error that cannot be written (a closed pipe): a
/// message the reader has gone away from is lost, but the run's exit code and report are not,
/// where `eprintln!` would panic.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

/// `eprint!` that ignores a standard error that cannot be written, as [`say!`] does.
macro_rules! say_part {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = write!(std::io::stderr(), $($arg)*);
    }};
}

pub mod check;
pub mod cli;
pub mod compare;
pub mod config;
pub mod date;
pub mod diagnostics;
pub mod eval;
pub mod fmt;
pub mod lsp;
pub mod reference;
pub mod report;
pub mod syntax;
#[cfg(test)]
mod test_support;
pub mod workspace;
