//! Reports: the data model of a check run (version 1) that every output format, saved report
//! and `rampart compare` share, the code that builds it from a program and its outcomes, and
//! one submodule per output format.
//!
//! It takes a checked [`crate::check::Program`], loaded [`crate::config::Document`]s and their
//! [`crate::eval::Outcome`]s and gives a [`Report`] that serialises to (and deserialises from)
//! the JSON report described in `docs/report-schema.md`; [`sarif`] and [`junit`] render a
//! report for code-scanning and CI tools. It evaluates nothing and reads no files.

pub mod columns;
pub mod human;
pub mod json;
pub mod junit;
pub mod model;
pub mod sarif;
pub mod text;

pub use model::{
    Category, CitationRecord, DocumentReport, EvidenceRecord, FindingKind, FindingRecord,
    ItemRecord, Metadata, ProblemRecord, REPORT_VERSION, ReadError, Report, ResultRecord, Summary,
    WaiverRecord, WaiverState, build, is_report, location,
};
