//! SARIF 2.1.0 (`rampart check --format sarif`), for code-scanning dashboards.
//!
//! One `reportingDescriptor` per norm evaluated (id, title, doc, citations as help, pillar,
//! stages and severity as properties) and one result per failing (`error` for critical and
//! high severity, `warning` otherwise), erroneous (`error`), unknown (`note`) or waived norm
//! (its level, with an `external` suppression carrying the waiver's justification). Each result
//! points at the jurisdiction document, at the evidence value when a [`Locate`] finds it, else
//! at the document's first line. Reads no files: the caller locates evidence.

use std::collections::BTreeMap;

use serde_json::{Value as Json, json};
use serde_sarif::sarif;

use super::model::{DocumentReport, Report, ResultRecord};
use super::text::{evidence_lines, evidence_path};
use crate::check::{Norm, Program, Status};
use crate::config::PathSegment;
use crate::syntax::ast::Severity;

/// Finds the 1-based line and column of a JSON path in the document at an index of
/// [`Report::documents`].
pub type Locate<'a> = dyn Fn(usize, &[PathSegment]) -> Option<(usize, usize)> + 'a;

/// [`Locate`] for one document.
type At<'a> = dyn Fn(&[PathSegment]) -> Option<(usize, usize)> + 'a;

/// The SARIF log of a report, as pretty JSON.
pub fn render(program: &Program, report: &Report, locate: &Locate<'_>) -> String {
    let log = log(program, report, locate);
    serde_json::to_string_pretty(&log).unwrap_or_default()
}

/// The SARIF log of a report.
pub fn log(program: &Program, report: &Report, locate: &Locate<'_>) -> sarif::Sarif {
    let norms = evaluated_norms(program, report);
    let rules: Vec<sarif::ReportingDescriptor> =
        norms.iter().map(|norm| rule(program, norm)).collect();
    let rule_index: BTreeMap<&str, usize> = norms
        .iter()
        .enumerate()
        .map(|(index, norm)| (norm.id.as_str(), index))
        .collect();
    let mut results = Vec::new();
    for (doc_index, document) in report.documents.iter().enumerate() {
        for record in document.results.iter().flatten() {
            let at = |path: &[PathSegment]| locate(doc_index, path);
            if let Some(res) = result(document, record, &rule_index, &at) {
                results.push(res);
            }
        }
    }
    let driver = sarif::ToolComponent::builder()
        .name("rampart")
        .version(env!("CARGO_PKG_VERSION"))
        .information_uri("https://github.com/rampart-elections/rampart")
        .rules(rules)
        .build();
    let run = sarif::Run::builder()
        .tool(sarif::Tool::builder().driver(driver).build())
        .results(results)
        .build();
    sarif::Sarif::builder()
        .schema(sarif::SCHEMA_URL)
        .version(json!("2.1.0"))
        .runs(vec![run])
        .build()
}

/// The norms that have a result in some document, in program order.
fn evaluated_norms<'p>(program: &'p Program, report: &Report) -> Vec<&'p Norm> {
    let seen: std::collections::BTreeSet<&str> = report
        .documents
        .iter()
        .flat_map(|d| d.results.iter().flatten())
        .map(|r| r.norm.as_str())
        .collect();
    program
        .norms
        .iter()
        .filter(|norm| seen.contains(norm.id.as_str()))
        .collect()
}

fn rule(program: &Program, norm: &Norm) -> sarif::ReportingDescriptor {
    let mut properties = BTreeMap::new();
    let pillar = program.pillars.get(norm.pillar).map(|p| p.id.as_str());
    properties.insert("pillar".to_string(), json!(pillar));
    let stages: Vec<&str> = norm
        .stages
        .iter()
        .filter_map(|&s| program.stages.get(s))
        .map(|s| s.id.as_str())
        .collect();
    properties.insert("stages".to_string(), json!(stages));
    properties.insert("severity".to_string(), json!(norm.severity.as_str()));
    let bag = sarif::PropertyBag::builder()
        .additional_properties(properties)
        .build();
    let mut descriptor = sarif::ReportingDescriptor::builder()
        .id(norm.id.as_str())
        .name(norm.id.as_str())
        .short_description(message_string(&norm.title))
        .help(message_string(&citations_text(program, norm)))
        .properties(bag)
        .build();
    if let Some(doc) = &norm.doc {
        descriptor.full_description = Some(message_string(doc));
    }
    descriptor
}

fn message_string(text: &str) -> sarif::MultiformatMessageString {
    sarif::MultiformatMessageString::builder()
        .text(text)
        .build()
}

/// The citations of a norm, one per line: `source-id — Title, locator`.
fn citations_text(program: &Program, norm: &Norm) -> String {
    let lines: Vec<String> = norm
        .citations
        .iter()
        .filter_map(|citation| {
            let source = program.sources.get(citation.source)?;
            let mut line = source.id.clone();
            if let Some(title) = &source.title {
                line.push_str(" — ");
                line.push_str(title);
            }
            if let Some(locator) = &citation.locator {
                line.push_str(", ");
                line.push_str(locator);
            }
            Some(line)
        })
        .collect();
    if lines.is_empty() {
        "No citations.".to_string()
    } else {
        format!("Cites:\n{}", lines.join("\n"))
    }
}

fn level(record: &ResultRecord) -> Option<sarif::ResultLevel> {
    let serious = record.severity >= Severity::High;
    match record.status {
        Status::Fail | Status::Waived if serious => Some(sarif::ResultLevel::Error),
        Status::Fail | Status::Waived => Some(sarif::ResultLevel::Warning),
        Status::Error => Some(sarif::ResultLevel::Error),
        Status::Unknown => Some(sarif::ResultLevel::Note),
        Status::Pass | Status::NotApplicable => None,
    }
}

fn result(
    document: &DocumentReport,
    record: &ResultRecord,
    rule_index: &BTreeMap<&str, usize>,
    at: &At<'_>,
) -> Option<sarif::Result> {
    let level = level(record)?;
    let mut text = format!("{} ({})", record.title, record.status.as_str());
    let lines = evidence_lines(record);
    if !lines.is_empty() {
        text.push_str(": ");
        text.push_str(&lines.join("; "));
    }
    let mut res = sarif::Result::builder()
        .rule_id(record.norm.as_str())
        .level(level)
        .message(sarif::Message::builder().text(text).build())
        .locations(vec![location(document, record, at)])
        .build();
    res.rule_index = rule_index
        .get(record.norm.as_str())
        .and_then(|&i| i64::try_from(i).ok());
    res.properties = Some(result_properties(document, record));
    if record.status == Status::Waived {
        res.suppressions = Some(vec![suppression(record)]);
    }
    Some(res)
}

fn result_properties(document: &DocumentReport, record: &ResultRecord) -> sarif::PropertyBag {
    let mut properties = BTreeMap::new();
    properties.insert("jurisdiction".to_string(), json!(document.jurisdiction));
    properties.insert("status".to_string(), json!(record.status.as_str()));
    properties.insert("severity".to_string(), json!(record.severity.as_str()));
    sarif::PropertyBag::builder()
        .additional_properties(properties)
        .build()
}

fn suppression(record: &ResultRecord) -> sarif::Suppression {
    let justification = record
        .waiver
        .as_ref()
        .and_then(|w| w.reason.clone())
        .unwrap_or_else(|| "waived".to_string());
    sarif::Suppression::builder()
        .kind(Json::from("external"))
        .justification(justification)
        .build()
}

fn location(document: &DocumentReport, record: &ResultRecord, at: &At<'_>) -> sarif::Location {
    let (line, column) = evidence_path(record)
        .and_then(|path| at(&path))
        .or_else(|| at(&[]))
        .unwrap_or((1, 1));
    let region = sarif::Region::builder()
        .start_line(i64::try_from(line).unwrap_or(1))
        .start_column(i64::try_from(column).unwrap_or(1))
        .build();
    let artifact = sarif::ArtifactLocation::builder()
        .uri(uri(&document.path))
        .build();
    let physical = sarif::PhysicalLocation::builder()
        .artifact_location(artifact)
        .region(region)
        .build();
    sarif::Location::builder()
        .physical_location(physical)
        .build()
}

/// A document path as a URI reference relative to the current directory: `/` separators and
/// the characters a URI cannot hold percent-encoded.
pub fn uri(path: &str) -> String {
    let relative = std::env::current_dir()
        .ok()
        .and_then(|dir| {
            std::path::Path::new(path)
                .strip_prefix(&dir)
                .ok()
                .map(|p| p.display().to_string())
        })
        .unwrap_or_else(|| path.to_string());
    let mut out = String::new();
    for c in relative.replace('\\', "/").chars() {
        if c.is_ascii_alphanumeric() || "/-._~:@!$&'()*+,;=".contains(c) {
            out.push(c);
        } else {
            let mut buf = [0; 4];
            for byte in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{byte:02X}"));
            }
        }
    }
    out
}
