//! Views of a checked program for people and tools: the norm catalogue (`rampart norms`), the
//! explanation of one norm (`rampart explain`), the Markdown norm reference (`docs/norms.md`),
//! the JSON Schema of the jurisdiction document (`rampart schema --json-schema`) and a starting
//! document (`rampart init`).
//!
//! Takes a checked [`Program`](crate::check::Program) (and, where source text is quoted, the
//! [`Workspace`](crate::workspace::Workspace) it came from) and gives back values and strings.
//! It reads and writes no files, evaluates nothing and never changes the program; the CLI
//! prints what it returns.

mod catalog;
mod evidence;
mod explain;
mod json_schema;
mod markdown;
mod starter;

pub use catalog::{
    CitationSummary, Filter, FilterError, NormSummary, list_norms, render_json, render_markdown,
    render_table,
};
pub use evidence::{EvidenceField, resolve_path};
pub use explain::{Explanation, UnknownNorm, explain, render_explanation};
pub use json_schema::json_schema;
pub use markdown::norm_reference;
pub use starter::{starter_json, starter_json_text, starter_yaml};
