//! Reports: the data model of a check run (version 1) that every output format, saved report
//! and `rampart compare` share, and the code that builds it from a program and its outcomes.
//!
//! It takes a checked [`crate::check::Program`], loaded [`crate::config::Document`]s and their
//! [`crate::eval::Outcome`]s and gives a [`Report`] that serialises to (and deserialises from)
//! the JSON report described in `docs/report-schema.md`. It evaluates nothing and reads no
//! files; rendering the report for people is left to the shells and to [`crate::compare`].

pub mod model;

pub use model::{
    Category, CitationRecord, DocumentReport, EvidenceRecord, FindingKind, FindingRecord,
    ItemRecord, Metadata, ProblemRecord, REPORT_VERSION, ReadError, Report, ResultRecord, Summary,
    WaiverRecord, WaiverState, build, is_report, location,
};
