//! Views of the checked norm library (`rampart::reference`): the norm catalogue, `explain`,
//! the Markdown reference in `docs/norms.md`, the exported JSON Schema (checked against every
//! example jurisdiction) and the starting document of `rampart init`.

use std::path::Path;

use rampart::check::{self, Program};
use rampart::reference::{self, Filter, FilterError};
use rampart::workspace::{DiskFiles, Workspace};
use serde_json::Value as Json;

/// Where the generated norm reference lives, relative to the crate root.
const NORM_REFERENCE: &str = "docs/norms.md";

fn library() -> (Workspace, Program) {
    let files = DiskFiles::new(Path::new("policies"));
    let workspace = Workspace::load(&files, "main.rampart");
    let checked = check::check(&workspace);
    assert!(
        !checked.has_errors(&workspace),
        "the norm library has errors; run `rampart validate --policy policies`"
    );
    (workspace, checked.program)
}

fn validator(program: &Program) -> jsonschema::Validator {
    let schema = reference::json_schema(&program.schema);
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("the exported schema compiles")
}

/// Every validation error of `doc`, as "instance path: message".
fn schema_errors(validator: &jsonschema::Validator, doc: &Json) -> Vec<String> {
    validator
        .iter_errors(doc)
        .map(|error| format!("{}: {error}", error.instance_path()))
        .collect()
}

fn examples() -> Vec<(String, Json)> {
    let mut paths: Vec<_> = std::fs::read_dir("examples")
        .expect("examples/ exists")
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| {
            matches!(
                path.extension().and_then(|e| e.to_str()),
                Some("json" | "yaml")
            )
        })
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path).expect("example is readable");
            let doc: Json = if path.extension().is_some_and(|e| e == "yaml") {
                serde_saphyr::from_str(&text).expect("example YAML parses")
            } else {
                serde_json::from_str(&text).expect("example JSON parses")
            };
            (path.display().to_string(), doc)
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// The library itself
// ---------------------------------------------------------------------------------------------

#[test]
fn library_covers_every_pillar_and_stage_with_cited_norms() {
    let (_, program) = library();
    assert!(program.norms.len() >= 80, "{} norms", program.norms.len());
    for (index, pillar) in program.pillars.iter().enumerate() {
        let n_norms = program.norms.iter().filter(|n| n.pillar == index).count();
        assert!(n_norms > 0, "pillar {} has no norm", pillar.id);
    }
    for (index, stage) in program.stages.iter().enumerate() {
        let n_norms = program
            .norms
            .iter()
            .filter(|n| n.stages.contains(&index))
            .count();
        assert!(n_norms > 0, "stage {} has no norm", stage.id);
    }
    let uncited: Vec<&str> = program
        .norms
        .iter()
        .filter(|n| n.citations.is_empty())
        .map(|n| n.id.as_str())
        .collect();
    assert!(uncited.is_empty(), "norms without a citation: {uncited:?}");
}

// ---------------------------------------------------------------------------------------------
// rampart norms
// ---------------------------------------------------------------------------------------------

#[test]
fn norms_table_fits_100_columns() {
    let (_, program) = library();
    let norms = reference::list_norms(&program, &Filter::default());
    let table = reference::render_table(&program, &norms);
    let too_wide: Vec<&str> = table.lines().filter(|l| l.chars().count() > 100).collect();
    assert!(too_wide.is_empty(), "lines over 100 columns: {too_wide:#?}");
    assert_eq!(table.lines().count(), 2 * norms.len() + 3);
}

#[test]
fn norms_table_shows_id_severity_pillar_stages_citations_and_title() {
    let (_, program) = library();
    let filter = Filter::new(&program, Some("cooperation"), None, None).expect("known ids");
    let norms = reference::list_norms(&program, &filter);
    insta::assert_snapshot!(reference::render_table(&program, &norms));
}

#[test]
fn norms_table_shortens_titles_that_do_not_fit() {
    let (_, mut program) = library();
    program.norms.truncate(1);
    program.norms[0].title = "word ".repeat(40);
    let norms = reference::list_norms(&program, &Filter::default());
    let table = reference::render_table(&program, &norms);
    let title = table.lines().nth(3).expect("title line");
    assert!(title.chars().count() <= 100, "{title}");
    assert!(
        title.starts_with("  word word") && title.ends_with('…'),
        "{title}"
    );
}

#[test]
fn norms_filters_combine_pillar_stage_and_severity() {
    let (_, program) = library();
    let filter = Filter::new(
        &program,
        Some("certification"),
        Some("voting"),
        Some("critical"),
    )
    .expect("known ids");
    let norms = reference::list_norms(&program, &filter);
    insta::assert_json_snapshot!(reference::render_json(&norms));
}

#[test]
fn norms_markdown_table_has_a_row_per_norm() {
    let (_, program) = library();
    let filter = Filter::new(&program, Some("cooperation"), None, None).expect("known ids");
    let norms = reference::list_norms(&program, &filter);
    insta::assert_snapshot!(reference::render_markdown(&program, &norms));
}

#[test]
fn norms_filter_reports_every_unknown_id_with_a_suggestion() {
    let (_, program) = library();
    let errors = Filter::new(&program, Some("governnce"), Some("votign"), Some("urgent"))
        .expect_err("unknown ids");
    let rendered: Vec<String> = errors
        .iter()
        .map(|error| {
            let help = miette::Diagnostic::help(error).map(|h| h.to_string());
            format!("{error} ({})", help.unwrap_or_default())
        })
        .collect();
    insta::assert_snapshot!(rendered.join("\n"), @r"
    unknown pillar `governnce` (did you mean `governance`?)
    unknown stage `votign` (did you mean `voting`?)
    unknown severity `urgent` (expected one of: low, medium, high, critical)
    ");
    assert!(matches!(errors[0], FilterError::UnknownPillar { .. }));
}

// ---------------------------------------------------------------------------------------------
// rampart explain
// ---------------------------------------------------------------------------------------------

#[test]
fn explain_shows_citations_evidence_requirements_and_fix() {
    let (workspace, program) = library();
    let explanation =
        reference::explain(&program, &workspace, "cert-required-by-law").expect("norm exists");
    insta::assert_snapshot!(reference::render_explanation(&program, &explanation));
}

#[test]
fn explain_shows_parameters_with_defaults() {
    let (workspace, program) = library();
    let explanation = reference::explain(&program, &workspace, "sec-logging").expect("exists");
    insta::assert_snapshot!(reference::render_explanation(&program, &explanation));
}

#[test]
fn explain_unknown_norm_suggests_the_nearest() {
    let (workspace, program) = library();
    let error =
        reference::explain(&program, &workspace, "cert-requird-by-law").expect_err("no such norm");
    assert_eq!(error.to_string(), "unknown norm `cert-requird-by-law`");
    assert_eq!(error.help, "did you mean `cert-required-by-law`?");
}

#[test]
fn evidence_paths_resolve_through_lists_and_references() {
    let (_, program) = library();
    let schema = &program.schema;
    let resolved = |path: &str| {
        reference::resolve_path(schema, path)
            .map(|f| format!("{} {}", f.field.name, f.ty.display(schema)))
    };
    assert_eq!(
        resolved("systems[].certification.status").as_deref(),
        Some("status CertificationStatus")
    );
    assert_eq!(resolved("systems[]").as_deref(), Some("systems System"));
    assert_eq!(resolved("systems").as_deref(), Some("systems [System]"));
    assert_eq!(
        resolved("systems[].certification.body.role").as_deref(),
        Some("role InstitutionRole")
    );
    assert_eq!(resolved("systems[].no_such_field"), None);
    assert_eq!(resolved("election.date.year"), None);
}

#[test]
fn every_norm_can_be_explained_and_its_evidence_resolves() {
    let (workspace, program) = library();
    for norm in &program.norms {
        let explanation = reference::explain(&program, &workspace, &norm.id).expect("exists");
        for (path, field) in &explanation.evidence {
            assert!(
                field.is_some(),
                "{}: evidence path {path} does not resolve",
                norm.id
            );
        }
        assert_eq!(explanation.requirements.len(), norm.requires.len());
        for (condition, _) in &explanation.requirements {
            assert!(!condition.is_empty(), "{}: empty requirement text", norm.id);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// docs/norms.md
// ---------------------------------------------------------------------------------------------

#[test]
fn norm_reference_in_docs_is_current() {
    let (_, program) = library();
    let expected = reference::norm_reference(&program, &Filter::default());
    let actual = std::fs::read_to_string(NORM_REFERENCE).unwrap_or_default();
    if std::env::var_os("RAMPART_UPDATE_DOCS").is_some() {
        std::fs::write(NORM_REFERENCE, &expected).expect("docs/norms.md is writable");
        return;
    }
    assert!(
        actual == expected,
        "{NORM_REFERENCE} is stale: run `cargo run -- norms --format markdown --full > \
         {NORM_REFERENCE}` (or this test with RAMPART_UPDATE_DOCS=1)"
    );
}

#[test]
fn norm_reference_has_a_section_per_norm() {
    let (_, program) = library();
    let markdown = reference::norm_reference(&program, &Filter::default());
    for norm in &program.norms {
        let heading = format!("\n### `{}`: {}\n", norm.id, norm.title);
        assert!(markdown.contains(&heading), "no section for {}", norm.id);
    }
}

// ---------------------------------------------------------------------------------------------
// rampart schema --json-schema
// ---------------------------------------------------------------------------------------------

#[test]
fn exported_schema_is_valid_draft_2020_12() {
    let (_, program) = library();
    let schema = reference::json_schema(&program.schema);
    assert_eq!(
        schema["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
    if let Err(error) = jsonschema::meta::validate(&schema) {
        panic!("not a valid draft 2020-12 schema: {error}");
    }
}

#[test]
fn exported_schema_describes_types_from_the_policy_schema() {
    let (_, program) = library();
    let schema = reference::json_schema(&program.schema);
    insta::assert_json_snapshot!(
        "schema_root_and_samples",
        serde_json::json!({
            "required": schema["required"],
            "additionalProperties": schema["additionalProperties"],
            "election": schema["$defs"]["Election"],
            "Criticality": schema["$defs"]["Criticality"],
            "contact_institution": schema["$defs"]["Contact"]["properties"]["institution"],
            "forum_members": schema["$defs"]["Forum"]["properties"]["members"],
        })
    );
}

#[test]
fn every_example_is_valid_against_the_exported_schema() {
    let (_, program) = library();
    let validator = validator(&program);
    let examples = examples();
    assert_eq!(examples.len(), 6, "six example jurisdictions");
    for (path, doc) in &examples {
        let errors = schema_errors(&validator, doc);
        assert!(errors.is_empty(), "{path}:\n{}", errors.join("\n"));
    }
}

#[test]
fn broken_document_fails_the_exported_schema() {
    let (_, program) = library();
    let validator = validator(&program);
    let doc = serde_json::json!({
        "jurisdiction": { "id": "x", "name": "   " },
        "election": { "date": "18 March 2027", "type": "general" },
        "systems": [{ "id": "s", "criticality": "very-high" }],
        "governance": { "budget": { "cyber_share_percent": "five" } },
        "interagency": { "forum": { "meets_per_year": 2.5 } },
        "staff": { "security_specialists": -1, "total": 1e300 }
    });
    let mut errors = schema_errors(&validator, &doc);
    errors.sort();
    insta::assert_snapshot!(errors.join("\n"));
}

#[test]
fn required_fields_may_not_be_null() {
    let (_, program) = library();
    let validator = validator(&program);
    let doc = serde_json::json!({
        "jurisdiction": null,
        "election": { "date": "2027-03-18", "type": null },
        "systems": [null, { "criticality": null }]
    });
    let errors = schema_errors(&validator, &doc);
    assert_eq!(errors, ["/jurisdiction: null is not of type \"object\""]);
}

// ---------------------------------------------------------------------------------------------
// rampart init
// ---------------------------------------------------------------------------------------------

#[test]
fn starter_json_is_valid_against_the_exported_schema() {
    let (_, program) = library();
    let validator = validator(&program);
    let doc = reference::starter_json(&program.schema);
    let errors = schema_errors(&validator, &doc);
    assert!(errors.is_empty(), "{}", errors.join("\n"));
    assert_eq!(doc["jurisdiction"]["id"], "my-jurisdiction");
    assert_eq!(doc["election"]["date"], "2099-01-01");
}

#[test]
fn starter_json_text_is_the_starter_json_in_schema_order() {
    let (_, program) = library();
    let text = reference::starter_json_text(&program.schema);
    let parsed: Json = serde_json::from_str(&text).expect("starter JSON parses");
    assert_eq!(parsed, reference::starter_json(&program.schema));
    assert!(text.starts_with("{\n  \"jurisdiction\": {\n    \"id\": \"my-jurisdiction\""));
}

#[test]
fn starter_yaml_parses_to_the_starter_json() {
    let (_, program) = library();
    let yaml = reference::starter_yaml(&program.schema);
    let parsed: Json = serde_saphyr::from_str(&yaml).expect("starter YAML parses");
    let validator = validator(&program);
    let errors = schema_errors(&validator, &parsed);
    assert!(errors.is_empty(), "{}", errors.join("\n"));
    assert_eq!(parsed, reference::starter_json(&program.schema));
}

#[test]
fn starter_yaml_comments_every_field_with_its_doc_and_type() {
    let (_, program) = library();
    let yaml = reference::starter_yaml(&program.schema);
    let lines: Vec<&str> = yaml.lines().collect();
    for (index, line) in lines.iter().enumerate() {
        let trimmed = line.trim_start().trim_start_matches("- ");
        if trimmed.starts_with('#') || trimmed == "-" {
            continue;
        }
        let above = index.checked_sub(1).map(|i| lines[i].trim_start());
        assert!(
            above.is_some_and(|l| l.starts_with("# Type: ")),
            "field without a type comment: {line}"
        );
    }
    let head: Vec<&str> = lines.iter().take(12).copied().collect();
    insta::assert_snapshot!(head.join("\n"));
}

// ---------------------------------------------------------------------------------------------
// The commands end to end (embedded library)
// ---------------------------------------------------------------------------------------------

fn rampart(args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_rampart"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("the binary runs")
}

#[test]
fn explain_command_exits_2_with_a_suggestion_for_an_unknown_norm() {
    let output = rampart(&["explain", "gov-cisoo"]);
    assert_eq!(output.status.code(), Some(2));
    insta::assert_snapshot!(String::from_utf8_lossy(&output.stderr), @r"
    error: unknown norm `gov-cisoo`
      help: did you mean `gov-ciso`?
    ");
}

#[test]
fn norms_command_exits_2_for_an_unknown_filter_and_full_without_markdown() {
    let output = rampart(&["norms", "--pillar", "govrnance"]);
    assert_eq!(output.status.code(), Some(2));
    let output = rampart(&["norms", "--full"]);
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn norms_full_markdown_command_prints_the_docs_reference() {
    let output = rampart(&["norms", "--format", "markdown", "--full"]);
    assert_eq!(output.status.code(), Some(0));
    let expected = std::fs::read_to_string(NORM_REFERENCE).unwrap_or_default();
    assert!(String::from_utf8_lossy(&output.stdout) == expected);
}

#[test]
fn a_filtered_full_reference_counts_only_what_the_filters_select() {
    let args = [
        "norms",
        "--format",
        "markdown",
        "--full",
        "--pillar",
        "governance",
    ];
    let output = rampart(&args);
    assert_eq!(output.status.code(), Some(0));
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(
        text.contains("7 norms in 1 pillar (the norms the filters select)."),
        "{text}"
    );
    assert!(!text.contains("Regenerate with"), "{text}");
    assert!(!text.contains("## JSON listing"), "{text}");
    assert!(!text.contains("| `security` |"), "{text}");
    let none = rampart(&[&args[..], &["--severity", "critical"]].concat());
    let text = String::from_utf8_lossy(&none.stdout);
    assert!(text.contains("0 norms in 0 pillars"), "{text}");
}

#[test]
fn schema_command_prints_the_exported_schema() {
    let (_, program) = library();
    let output = rampart(&["schema", "--json-schema"]);
    assert_eq!(output.status.code(), Some(0));
    let printed: Json = serde_json::from_slice(&output.stdout).expect("JSON on stdout");
    assert_eq!(printed, reference::json_schema(&program.schema));
}

#[test]
fn init_command_writes_a_new_file_and_refuses_to_overwrite_it() {
    let dir = std::env::temp_dir().join(format!("rampart-init-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a scratch directory");
    let path = dir.join("jurisdiction.json");
    let path_arg = path.to_string_lossy();
    // The `.json` extension chooses JSON, as `--format json` would.
    let args = ["init", "--output", path_arg.as_ref()];
    assert_eq!(rampart(&args).status.code(), Some(0));
    let written = std::fs::read_to_string(&path).expect("written");
    let (_, program) = library();
    assert_eq!(written, reference::starter_json_text(&program.schema));
    assert_eq!(rampart(&args).status.code(), Some(2));
    let check = rampart(&["check", path_arg.as_ref(), "--today", "2027-01-01"]);
    let stdout = String::from_utf8_lossy(&check.stdout);
    assert!(stdout.contains(" 0 fail, 0 waived, "), "{stdout}");
    assert!(stdout.contains(" 0 error"), "{stdout}");
    // It claims no waiver, so it has no warning and passes a strict run's input checks too.
    let strict = rampart(&[
        "check",
        path_arg.as_ref(),
        "--today",
        "2027-01-01",
        "--strict",
    ]);
    let stdout = String::from_utf8_lossy(&strict.stdout);
    assert!(!stdout.contains("warning"), "{stdout}");
    assert!(!stdout.contains("not evaluated"), "{stdout}");
    let yaml = dir.join("jurisdiction.yml");
    let yaml_arg = yaml.to_string_lossy();
    assert_eq!(
        rampart(&["init", "-o", yaml_arg.as_ref()]).status.code(),
        Some(0)
    );
    let written = std::fs::read_to_string(&yaml).expect("written");
    assert_eq!(written, reference::starter_yaml(&program.schema));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_vs_code_extension_ships_the_current_json_schema() {
    let (_, program) = library();
    let current = serde_json::to_string_pretty(&rampart::reference::json_schema(&program.schema))
        .unwrap()
        + "\n";
    let shipped =
        std::fs::read_to_string("editors/vscode/schemas/jurisdiction.schema.json").unwrap();
    assert!(
        shipped == current,
        "editors/vscode/schemas/jurisdiction.schema.json is stale; regenerate it with \
         `rampart schema --json-schema > editors/vscode/schemas/jurisdiction.schema.json`"
    );
}
