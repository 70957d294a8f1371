//! `rampart compare`: golden outputs on the six example member states, a scoring case small
//! enough to work on paper (docs/scoring.md, "Worked example"), trends between two reports
//! that differ in known ways, and the escaping of hostile names.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use rampart::check;
use rampart::compare::{self, Comparison, Options, Ratio, Score};
use rampart::config;
use rampart::eval::{Evaluator, Outcome};
use rampart::report::{self, Report};
use rampart::workspace::{DiskFiles, Workspace};

fn rampart(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rampart"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("the binary runs")
}

fn stdout(output: &Output) -> String {
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn fixture(name: &str) -> Report {
    let path = Path::new("tests/fixtures/compare").join(name);
    let text = std::fs::read_to_string(&path).expect("the fixture exists");
    Report::from_json(&text).expect("the fixture is a report")
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("rampart-compare-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a scratch directory");
    dir
}

fn ratio(num: u64, den: u64) -> Option<Ratio> {
    Ratio::new(num, den)
}

/// (num, den) of a ratio, for exact assertions.
fn parts(ratio: Option<Ratio>) -> Option<(u64, u64)> {
    ratio.map(|r| (r.num, r.den))
}

fn worked() -> Comparison {
    let options = Options {
        group_by: Some("memberships".into()),
        ..Options::default()
    };
    compare::compare(&fixture("worked.json"), &options)
}

fn jurisdiction<'c>(comparison: &'c Comparison, key: &str) -> &'c compare::Jurisdiction {
    comparison
        .jurisdictions
        .iter()
        .find(|j| j.key == key)
        .expect("the jurisdiction is compared")
}

// Golden outputs on the examples.

#[test]
fn examples_table() {
    let text = stdout(&rampart(&[
        "compare",
        "examples/",
        "--group-by",
        "memberships",
    ]));
    assert!(text.lines().all(|l| l.chars().count() <= 100), "{text}");
    insta::assert_snapshot!(text);
}

#[test]
fn examples_csv() {
    insta::assert_snapshot!(stdout(&rampart(&[
        "compare",
        "examples/",
        "--format",
        "csv"
    ])));
}

#[test]
fn examples_markdown() {
    let args = [
        "compare",
        "examples/",
        "--format",
        "markdown",
        "--group-by",
        "region",
    ];
    insta::assert_snapshot!(stdout(&rampart(&args)));
}

/// The table of scores the HTML page holds in its markup (readable without JavaScript), on the
/// worked example: the same figures as the Markdown ranking and pillar matrix.
#[test]
fn the_html_page_holds_the_scores_table_in_its_markup() {
    let args = [
        "compare",
        "tests/fixtures/compare/worked.json",
        "--format",
        "html",
    ];
    let html = stdout(&rampart(&args));
    let start = html
        .find("<section id=\"scores-section\"")
        .expect("the scores section");
    let end = start + html[start..].find("</section>").expect("its end") + "</section>".len();
    let summary = html
        .split("<p id=\"summary\">")
        .nth(1)
        .expect("the summary");
    assert!(
        summary.starts_with("4 jurisdictions, 5 norms. Weights: critical 4, high 3, medium 2, low 1. 1 below baseline (a critical norm fails).</p>"),
        "{summary}"
    );
    insta::assert_snapshot!(&html[start..end]);
}

#[test]
fn examples_json() {
    let args = [
        "compare",
        "examples/",
        "--format",
        "json",
        "--group-by",
        "memberships",
    ];
    insta::assert_snapshot!(stdout(&rampart(&args)));
}

#[test]
fn examples_rank_in_catalogue_order() {
    let text = stdout(&rampart(&["compare", "examples/", "--format", "csv"]));
    let order: Vec<&str> = text
        .lines()
        .skip(1)
        .filter_map(|l| l.split(',').nth(1))
        .collect();
    assert_eq!(
        order,
        [
            "norrvale",
            "castellan",
            "kestria",
            "lumeira",
            "tavaro",
            "ossmark"
        ]
    );
}

// The worked example of docs/scoring.md.

#[test]
fn worked_overall_scores() {
    let comparison = worked();
    let alpha = jurisdiction(&comparison, "alpha");
    assert_eq!(parts(alpha.overall.compliance), Some((4, 7)));
    assert_eq!(parts(alpha.overall.coverage), Some((9, 10)));
    assert_eq!(parts(alpha.overall.waived), Some((2, 9)));
    let beta = jurisdiction(&comparison, "beta");
    assert_eq!(parts(beta.overall.compliance), Some((7, 11)));
    assert_eq!(parts(beta.overall.coverage), Some((11, 12)));
    assert_eq!(beta.overall.weights.errors, 1);
    assert_eq!(beta.errors, ["n4"]);
    assert_eq!(
        parts(jurisdiction(&comparison, "gamma").overall.compliance),
        Some((6, 10))
    );
    assert_eq!(
        parts(jurisdiction(&comparison, "delta").overall.compliance),
        Some((3, 5))
    );
}

#[test]
fn worked_pillar_and_stage_scores() {
    let comparison = worked();
    let alpha = jurisdiction(&comparison, "alpha");
    let scores = |s: &[Score]| -> Vec<Option<(u64, u64)>> {
        s.iter().map(|s| parts(s.compliance)).collect()
    };
    assert_eq!(scores(&alpha.pillars), [Some((4, 7)), None]);
    assert_eq!(parts(alpha.pillars[1].coverage), Some((2, 3)));
    assert_eq!(scores(&alpha.stages), [Some((4, 7)), Some((0, 3))]);
    assert_eq!(parts(alpha.stages[1].coverage), Some((5, 6)));
    let beta = jurisdiction(&comparison, "beta");
    assert_eq!(scores(&beta.pillars), [Some((3, 7)), Some((4, 4))]);
    assert_eq!(scores(&beta.stages), [Some((5, 9)), Some((5, 5))]);
}

#[test]
fn worked_ranks_share_ties_and_skip() {
    let comparison = worked();
    let ranks: Vec<(String, String)> = comparison
        .jurisdictions
        .iter()
        .map(|j| {
            (
                j.key.clone(),
                j.rank.map(|r| r.to_string()).unwrap_or_default(),
            )
        })
        .collect();
    let expected = [
        ("beta", "1"),
        ("delta", "2="),
        ("gamma", "2="),
        ("alpha", "4"),
    ];
    let expected: Vec<(String, String)> = expected
        .iter()
        .map(|(k, r)| (k.to_string(), r.to_string()))
        .collect();
    assert_eq!(ranks, expected);
}

#[test]
fn worked_critical_failure_is_below_baseline_even_when_first() {
    let comparison = worked();
    let beta = jurisdiction(&comparison, "beta");
    assert_eq!(beta.rank.map(|r| r.position), Some(1));
    assert!(beta.below_baseline());
    assert_eq!(beta.critical_fails, ["n1"]);
    let below: Vec<&str> = comparison
        .jurisdictions
        .iter()
        .filter(|j| j.below_baseline())
        .map(|j| j.key.as_str())
        .collect();
    assert_eq!(below, ["beta"]);
}

#[test]
fn worked_groups() {
    let comparison = worked();
    let grouping = comparison.grouping.as_ref().expect("grouped");
    let values: Vec<&str> = grouping.groups.iter().map(|g| g.value.as_str()).collect();
    assert_eq!(values, ["(none)", "x", "y"]);
    let x = &grouping.groups[1];
    assert_eq!(x.members, ["beta", "alpha"]);
    let stats = x.compliance.expect("scores");
    assert_eq!((stats.count, stats.min, stats.max), (2, 0.5714, 0.6364));
    assert_eq!((stats.mean, stats.median), (0.6039, 0.6039));
    assert_eq!(
        x.most_failed,
        [("n1".to_string(), 1), ("n2".to_string(), 1)]
    );
    let peers: Vec<(&str, &str, Vec<String>)> = x
        .peers
        .iter()
        .map(|p| {
            (
                p.jurisdiction.as_str(),
                p.norm.as_str(),
                p.passed_by.clone(),
            )
        })
        .collect();
    assert_eq!(
        peers,
        [
            ("beta", "n1", vec!["alpha".to_string()]),
            ("alpha", "n2", vec!["beta".to_string()])
        ]
    );
    let y = &grouping.groups[2];
    let peers: Vec<(&str, &str)> = y
        .peers
        .iter()
        .map(|p| (p.jurisdiction.as_str(), p.norm.as_str()))
        .collect();
    // gamma fails n4 too, but beta's n4 is an error, not a pass.
    assert_eq!(peers, [("beta", "n1"), ("gamma", "n2")]);
}

#[test]
fn ratios_compare_exactly() {
    assert_eq!(ratio(6, 10), ratio(3, 5));
    assert!(ratio(7, 11) > ratio(6, 10));
    assert_eq!(ratio(1, 0), None);
    assert_eq!(
        ratio(4, 7).map(|r| r.percent_text()),
        Some("57.1".to_string())
    );
    assert_eq!(
        ratio(1, 8).map(|r| r.percent_text()),
        Some("12.5".to_string())
    );
    assert_eq!(
        ratio(1, 16).map(|r| r.percent_text()),
        Some("6.3".to_string())
    );
}

// Trends.

#[test]
fn trend_reports_exactly_the_known_changes() {
    let comparison = compare::compare_with_baseline(
        &fixture("worked.json"),
        &fixture("baseline.json"),
        &Options::default(),
    );
    let trend = comparison.trend.expect("a baseline was given");
    assert_eq!(trend.appeared, ["delta"]);
    assert_eq!(trend.disappeared, ["omega"]);
    let rows: Vec<_> = trend
        .changes
        .iter()
        .map(|c| {
            (
                c.jurisdiction.as_str(),
                c.overall.text(),
                c.pillars.iter().map(|d| d.text()).collect::<Vec<_>>(),
                c.newly_failing.clone(),
                c.newly_passing.clone(),
            )
        })
        .collect();
    let strings = |list: &[&str]| list.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    assert_eq!(
        rows,
        [
            (
                "beta",
                "-18.2".to_string(),
                strings(&["-57.1", "+50.0"]),
                strings(&["n1"]),
                strings(&["n5"])
            ),
            (
                "gamma",
                "0.0".to_string(),
                strings(&["0.0", "0.0"]),
                vec![],
                vec![]
            ),
            (
                "alpha",
                "-20.7".to_string(),
                strings(&["-42.9", "–"]),
                strings(&["n2"]),
                vec![]
            ),
        ]
    );
    // beta newly fails n1, a critical norm; the others stand where they stood.
    let crossings: Vec<_> = (trend.changes.iter())
        .map(|c| (c.jurisdiction.as_str(), c.baseline))
        .collect();
    assert_eq!(
        crossings,
        [
            ("beta", compare::BaselineChange::NowBelow),
            ("gamma", compare::BaselineChange::Same),
            ("alpha", compare::BaselineChange::Same),
        ]
    );
}

#[test]
fn trend_table_from_saved_reports() {
    let args = [
        "compare",
        "tests/fixtures/compare/worked.json",
        "--baseline",
        "tests/fixtures/compare/baseline.json",
        "--group-by",
        "memberships",
    ];
    insta::assert_snapshot!(stdout(&rampart(&args)));
}

#[test]
fn trend_markdown_from_saved_reports() {
    let args = [
        "compare",
        "tests/fixtures/compare/worked.json",
        "--baseline",
        "tests/fixtures/compare/baseline.json",
        "--format",
        "markdown",
    ];
    insta::assert_snapshot!(stdout(&rampart(&args)));
}

// Input and output handling.

/// A saved report of `check --format json ARGS…`, written in `dir` as `name`.
fn saved_check(dir: &Path, name: &str, args: &[&str]) -> PathBuf {
    let path = dir.join(name);
    let check = ["check", "--format", "json", "--output", path_arg(&path)];
    let output = rampart(&[&check[..], args].concat());
    assert!(
        matches!(output.status.code(), Some(0 | 1)),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    path
}

/// Documents compared now are evaluated for statuses only, except for the HTML page (which
/// shows evidence); a saved report was evaluated with evidence. Both compare alike.
#[test]
fn documents_compare_as_their_report_saved_with_evidence_does() {
    let dir = scratch("statuses-only");
    let today = ["--today", "2027-03-01"];
    let saved = saved_check(&dir, "report.json", &[&today[..], &["examples/"]].concat());
    let waived = std::fs::read_to_string(&saved).expect("saved");
    assert!(
        waived.contains("\"status\": \"waived\""),
        "a waived result is compared"
    );
    for format in ["table", "csv", "markdown", "json"] {
        let from_documents = [
            "compare",
            "--format",
            format,
            today[0],
            today[1],
            "examples/",
        ];
        let from_saved = ["compare", "--format", format, path_arg(&saved)];
        assert_eq!(
            stdout(&rampart(&from_documents)),
            stdout(&rampart(&from_saved)),
            "{format}"
        );
    }
}

#[test]
fn saved_report_and_documents_compare_together() {
    let dir = scratch("together");
    let saved = saved_check(&dir, "saved.json", &["examples/castellan.json"]);
    let args = [
        "compare",
        path_arg(&saved),
        "examples/kestria.json",
        "examples/norrvale.json",
        "--format",
        "csv",
    ];
    let text = stdout(&rampart(&args));
    let keys: Vec<&str> = text
        .lines()
        .skip(1)
        .filter_map(|l| l.split(',').nth(1))
        .collect();
    assert_eq!(keys, ["norrvale", "castellan", "kestria"]);
    let _ = std::fs::remove_dir_all(&dir);
}

/// The refusal of inputs evaluated apart, with `listed` (a line per input, the first without its
/// indentation, and under an input the norms that differ) between its first line and its help.
fn refusal(listed: &str) -> String {
    format!(
        "error: the inputs were not evaluated under the same profile and norms, so they cannot \
         be ranked together:\n  {listed}  help: check them again with the same --profile (and \
         --policy), or compare the documents themselves\n"
    )
}

#[test]
fn inputs_evaluated_under_different_profiles_are_not_ranked_together() {
    let dir = scratch("mixed-profiles");
    let tavaro = ["examples/tavaro.yaml", "--profile", "baseline"];
    let tavaro = saved_check(&dir, "tavaro.json", &tavaro);
    let page = dir.join("region.html");
    let args = [
        "compare",
        "examples/norrvale.json",
        path_arg(&tavaro),
        "--output",
        path_arg(&page),
    ];
    let output = rampart(&args);
    assert_eq!(output.status.code(), Some(2));
    assert!(!page.exists(), "no comparison is written");
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        refusal(&format!(
            "examples/norrvale.json (evaluated now): all norms (85)\n  \
             {}: profile `baseline` (39 norms)\n",
            tavaro.display()
        ))
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn inputs_evaluated_on_different_norms_are_not_ranked_together() {
    let args = [
        "compare",
        "tests/fixtures/compare/worked.json",
        "examples/norrvale.json",
    ];
    let output = rampart(&args);
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty(), "{output:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("  examples/norrvale.json (evaluated now): all norms (85)\n")
            && stderr.contains("  tests/fixtures/compare/worked.json: all norms (5)\n"),
        "{stderr}"
    );
}

/// Two inputs with the same profile and as many norms, but not the same norms (a report of
/// another version of the library that renamed two): the refusal says which norms differ.
#[test]
fn inputs_with_as_many_but_other_norms_are_refused_with_the_norms_that_differ() {
    let dir = scratch("renamed-norms");
    let saved = saved_check(&dir, "castellan.json", &["examples/castellan.json"]);
    let text = std::fs::read_to_string(&saved).expect("the saved report");
    let renamed = (text.replace("\"gov-ci-designation\"", "\"gov-ci-status\""))
        .replace("\"iac-forum-exists\"", "\"iac-forum\"");
    std::fs::write(&saved, renamed).expect("the renamed report");
    let output = rampart(&["compare", "examples/norrvale.json", path_arg(&saved)]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        refusal(&format!(
            "examples/norrvale.json (evaluated now): all norms (85)\n  \
             {}: all norms (85)\n    \
             lacks 2 norms of the first input: gov-ci-designation, iac-forum-exists\n    \
             has 2 norms the first input lacks: gov-ci-status, iac-forum\n",
            saved.display()
        ))
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_baseline_evaluated_under_another_profile_is_refused() {
    let dir = scratch("baseline-profile");
    let tavaro = ["examples/tavaro.yaml", "--profile", "baseline"];
    let baseline = saved_check(&dir, "tavaro.json", &tavaro);
    let output = rampart(&["compare", "examples/", "--baseline", path_arg(&baseline)]);
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty(), "{output:?}");
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        format!(
            "error: the baseline {} was evaluated under profile `baseline` and the comparison \
             under all norms: their scores cannot be set against each other\n  \
             help: check them again with the same --profile\n",
            baseline.display()
        )
    );
    let same = [
        "compare",
        "examples/tavaro.yaml",
        "--profile",
        "baseline",
        "--baseline",
        path_arg(&baseline),
    ];
    let table = stdout(&rampart(&same));
    assert!(table.contains("(profile baseline)"), "{table}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_report_of_documents_with_odd_metadata_reads_back() {
    // `memberships: null` is what `rampart init` writes; a region list is a document error.
    let dir = scratch("odd-metadata");
    let blank = dir.join("blank.json");
    let odd = dir.join("odd.json");
    std::fs::write(
        &blank,
        r#"{"jurisdiction": {"id": "blank", "name": "Blank", "memberships": null},
            "election": {"date": "2027-01-01"}}"#,
    )
    .expect("a scratch file");
    std::fs::write(
        &odd,
        r#"{"jurisdiction": {"id": "odd", "name": "Odd", "region": ["a", "b"]},
            "election": {"date": "2027-01-01"}}"#,
    )
    .expect("a scratch file");
    let report = dir.join("report.json");
    let output = rampart(&[
        "check",
        path_arg(&blank),
        path_arg(&odd),
        "--output",
        path_arg(&report),
    ]);
    assert_eq!(output.status.code(), Some(2), "the odd document is invalid");
    let text = stdout(&rampart(&["compare", path_arg(&report), "--format", "csv"]));
    assert!(text.contains(",blank,"), "{text}");
    let saved = std::fs::read_to_string(&report).expect("the report");
    for odd_value in ["\"memberships\": null", "\"region\": ["] {
        assert!(
            !saved.contains(odd_value),
            "{odd_value} is left out: {saved}"
        );
    }
}

fn path_arg(path: &Path) -> &str {
    path.to_str().expect("a UTF-8 scratch path")
}

#[test]
fn output_is_written_whole_and_leaves_no_temporary_file() {
    let dir = scratch("output");
    let target = dir.join("region.csv");
    let target_text = target.to_string_lossy().into_owned();
    let output = rampart(&[
        "compare",
        "examples/",
        "--format",
        "csv",
        "--output",
        &target_text,
    ]);
    assert_eq!(stdout(&output), "");
    let written = std::fs::read_to_string(&target).expect("the output file");
    assert_eq!(
        written,
        stdout(&rampart(&["compare", "examples/", "--format", "csv"]))
    );
    let entries: Vec<_> = std::fs::read_dir(&dir).expect("the directory").collect();
    assert_eq!(entries.len(), 1);
}

#[test]
fn unsupported_report_version_is_refused() {
    let dir = scratch("version");
    let path = dir.join("old.json");
    std::fs::write(&path, r#"{"version": 7, "profile": null, "documents": []}"#).expect("written");
    let output = rampart(&["compare", &path.to_string_lossy()]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("report version 7 is not supported"),
        "{stderr}"
    );
}

/// A report whose one jurisdiction has hostile strings everywhere a document can put them.
fn hostile_report(dir: &Path) -> PathBuf {
    let text = std::fs::read_to_string("tests/fixtures/compare/worked.json").expect("fixture");
    let text = text
        .replace(
            "\"Alpha\"",
            r#""=HYPERLINK(\"http://x\") <img src=x onerror=alert(1)> | *a* </script>""#,
        )
        .replace("\"alpha\"", r#""@alpha\u001b[31m\u202e""#);
    let path = dir.join("hostile.json");
    std::fs::write(&path, text).expect("written");
    path
}

#[test]
fn hostile_names_are_escaped_in_every_format() {
    let dir = scratch("hostile");
    let path = hostile_report(&dir);
    let path = path.to_string_lossy();
    let run = |format: &str| stdout(&rampart(&["compare", &path, "--format", format]));
    let csv = run("csv");
    assert!(csv.contains(r#","'=HYPERLINK(""http://x"") <img"#), "{csv}");
    assert!(csv.contains(",'@alpha\u{1b}[31m\u{202e},"), "{csv}");
    let table = run("table");
    assert!(!table.contains(['\u{1b}', '\u{202e}']), "{table}");
    let markdown = run("markdown");
    assert!(
        markdown.contains(r"&lt;img src=x onerror=alert\(1\)&gt; \| \*a\* &lt;/script&gt;"),
        "{markdown}"
    );
    let html = run("html");
    assert!(!html.contains("<img src=x"), "raw markup in the page");
    assert!(
        html.contains(r#"=HYPERLINK(&quot;http://x&quot;) &lt;img src=x onerror=alert(1)&gt; | *a* &lt;/script&gt;</th>"#),
        "escaped in the table of scores"
    );
    assert!(
        html.contains("title=\"@alpha\u{fffd}[31m\u{fffd}\""),
        "control characters replaced"
    );
    assert!(
        html.contains(r"\u003cimg src=x onerror=alert(1)\u003e"),
        "escaped in the data"
    );
    assert_eq!(
        html.matches("</script>").count(),
        2,
        "only the page's own script ends"
    );
}

// The report model.

/// The report of the examples, built through the library as `check` does.
fn examples_report() -> Report {
    let files = DiskFiles::new(Path::new("policies"));
    let workspace = Workspace::load(&files, "main.rampart");
    let checked = check::check(&workspace);
    assert!(!checked.has_errors(&workspace));
    let program = checked.program;
    let (paths, missing) = config::find_documents(&[PathBuf::from("examples")]);
    assert!(missing.is_empty());
    let documents: Vec<config::Document> =
        paths.iter().map(|p| config::load(&program, p)).collect();
    let evaluator = Evaluator::new(&program, rampart::eval::Options::default());
    let outcomes: Vec<Outcome> = documents
        .iter()
        .map(|d| evaluator.evaluate_doc(d.doc.as_ref().expect("valid")))
        .collect();
    let checked: Vec<(&config::Document, Option<&Outcome>)> =
        documents.iter().zip(outcomes.iter().map(Some)).collect();
    report::build(&program, &workspace, None, &checked)
}

#[test]
fn report_round_trips_through_json() {
    let report = examples_report();
    let text = serde_json::to_string(&report).expect("serialisable");
    assert_eq!(Report::from_json(&text).expect("readable"), report);
}

#[test]
fn report_keeps_metadata_stages_and_citations() {
    let report = examples_report();
    let castellan = report
        .documents
        .iter()
        .find(|d| d.jurisdiction.as_deref() == Some("castellan"))
        .expect("castellan");
    let metadata = castellan.metadata.as_ref().expect("metadata");
    assert_eq!(metadata.values_at("memberships"), ["commonwealth", "asean"]);
    assert_eq!(metadata.values_at("region"), ["Southeast Asia"]);
    assert_eq!(metadata.values_at("evaluated_on"), ["2027-05-06"]);
    assert!(metadata.values_at("nothing.here").is_empty());
    let results = castellan.results.as_deref().expect("evaluated");
    let patching = results
        .iter()
        .find(|r| r.norm == "sec-patching")
        .expect("a result");
    assert!(!patching.stages.is_empty());
    assert!(!patching.citations.is_empty());
    assert_eq!(
        castellan.summary.map(|s| (s.pass, s.fail, s.waived)),
        Some((74, 3, 1))
    );
}

/// The ranking section of the table (up to the first blank line after it).
fn ranking(table: &str) -> String {
    table.split("\n\n").nth(1).unwrap_or_default().to_string()
}

#[test]
fn saved_check_report_ranks_like_the_documents() {
    let output = rampart(&["check", "--format", "json", "examples/"]);
    let dir = scratch("saved");
    let saved = dir.join("report.json");
    std::fs::write(&saved, &output.stdout).expect("written");
    let from_saved = stdout(&rampart(&["compare", &saved.to_string_lossy()]));
    let from_documents = stdout(&rampart(&["compare", "examples/"]));
    assert!(
        ranking(&from_saved).contains("2     Castellan"),
        "{from_saved}"
    );
    assert_eq!(ranking(&from_saved), ranking(&from_documents));
}

#[test]
fn invalid_document_is_listed_as_not_evaluated() {
    let dir = scratch("invalid");
    std::fs::copy("examples/norrvale.json", dir.join("norrvale.json")).expect("copied");
    let broken = r#"{"jurisdiction": {"id": "broken", "name": "Broken"}}"#;
    std::fs::write(dir.join("broken.json"), broken).expect("written");
    let output = rampart(&["compare", &dir.to_string_lossy(), "--format", "csv"]);
    assert_eq!(output.status.code(), Some(2));
    let text = String::from_utf8_lossy(&output.stdout);
    let rows: Vec<Vec<&str>> = text
        .lines()
        .skip(1)
        .map(|l| l.split(',').take(6).collect())
        .collect();
    let path = |name: &str| dir.join(name).to_string_lossy().into_owned();
    let norrvale = path("norrvale.json");
    let broken = path("broken.json");
    assert_eq!(
        rows,
        [
            [
                "1",
                "norrvale",
                "Kingdom of Norrvale",
                &norrvale,
                "true",
                "false"
            ],
            ["", "broken", "Broken", &broken, "false", "false"],
        ]
    );
}

#[test]
fn the_output_file_name_chooses_the_format_unless_format_is_given() {
    let dir = scratch("extension");
    let written = |name: &str, extra: &[&str]| {
        let path = dir.join(name);
        let path_arg = path.to_string_lossy();
        let output = rampart(&[&["compare", "examples", "-o", &path_arg][..], extra].concat());
        stdout(&output);
        std::fs::read_to_string(&path).expect("the output is written")
    };
    assert!(written("region.html", &[]).starts_with("<!DOCTYPE html>"));
    assert!(written("region.csv", &[]).starts_with("rank,jurisdiction"));
    assert!(written("region.md", &[]).starts_with("# Comparison"));
    assert!(written("region.json", &[]).contains("\"kind\": \"rampart-comparison\""));
    assert!(written("region.txt", &[]).starts_with("Comparison of"));
    assert!(written("region.html", &["--format", "csv"]).starts_with("rank,"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_group_by_path_no_jurisdiction_has_is_an_error_with_the_closest_field() {
    let output = rampart(&["compare", "examples", "--group-by", "regoin"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("no jurisdiction has a value at `jurisdiction.regoin`")
            && stderr.contains("did you mean `region`?"),
        "{stderr}"
    );
    stdout(&rampart(&["compare", "examples", "--group-by", "region"]));
}

#[test]
fn a_jurisdiction_given_twice_is_compared_twice_with_a_warning() {
    let dir = scratch("twice");
    let copy = dir.join("copy.json");
    std::fs::copy("examples/norrvale.json", &copy).expect("a copy");
    let output = rampart(&["compare", "examples/norrvale.json", &copy.to_string_lossy()]);
    let table = stdout(&output);
    assert!(
        table.starts_with("Comparison of 2 jurisdictions"),
        "{table}"
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("warning: jurisdiction `norrvale` is described by 2 documents"),
        "{stderr}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn nothing_to_compare_is_an_error_without_an_empty_table() {
    let dir = scratch("nothing");
    let empty_report = dir.join("empty.json");
    std::fs::write(
        &empty_report,
        r#"{"version": 1, "profile": null, "documents": [], "pillars": [], "stages": []}"#,
    )
    .expect("a report");
    let output = rampart(&["compare", &empty_report.to_string_lossy()]);
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty(), "{output:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("error: no jurisdiction to compare in "),
        "{stderr}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn groups_hold_evaluated_documents_and_say_whom_statistics_leave_out() {
    let dir = scratch("group-members");
    let unscored = dir.join("unscored.json");
    let invalid = dir.join("invalid.json");
    std::fs::write(
        &unscored,
        r#"{"jurisdiction": {"id": "u", "name": "U", "region": "Southeast Asia"},
            "election": {"date": "2027-01-01"}}"#,
    )
    .expect("a scratch file");
    // A blank id is a missing required field: the document is not evaluated.
    std::fs::write(
        &invalid,
        r#"{"jurisdiction": {"id": " ", "name": "X", "region": "Elsewhere"},
            "election": {"date": "2027-01-01"}}"#,
    )
    .expect("a scratch file");
    let args = [
        "compare",
        "examples/castellan.json",
        path_arg(&unscored),
        path_arg(&invalid),
        "--group-by",
        "region",
        "--format",
        "markdown",
    ];
    let output = rampart(&args);
    assert_eq!(output.status.code(), Some(2), "a document is invalid");
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(
        text.contains("| Southeast Asia | castellan, u | 96.2 |"),
        "{text}"
    );
    assert!(!text.contains("| Elsewhere |"), "{text}");
    assert!(
        text.contains(
            "leave out members without a score \\(no norm decided\\): Southeast Asia 1 of 2."
        ),
        "{text}"
    );
}

#[test]
fn a_score_resting_on_little_evidence_is_flagged_low_coverage() {
    let dir = scratch("low-coverage");
    let sparse = dir.join("sparse.json");
    // Only the required fields: nearly every norm is unknown.
    std::fs::write(
        &sparse,
        r#"{"jurisdiction": {"id": "sparse", "name": "Sparse"}, "election": {"date": "2027-01-01"}}"#,
    )
    .expect("a scratch file");
    let args = [
        "compare",
        "examples/castellan.json",
        path_arg(&sparse),
        "--format",
        "json",
    ];
    let json: serde_json::Value =
        serde_json::from_str(&stdout(&rampart(&args))).expect("JSON output");
    let flags = |key: &str| -> Vec<String> {
        let jurisdictions = json["jurisdictions"].as_array().expect("jurisdictions");
        let found = jurisdictions
            .iter()
            .find(|j| j["key"] == key)
            .expect("listed");
        serde_json::from_value(found["flags"].clone()).expect("flags")
    };
    assert_eq!(flags("sparse"), ["low coverage"]);
    assert!(flags("castellan").is_empty());
}

#[test]
fn a_report_written_before_waivers_were_listed_reads_its_waiver_as_the_only_one() {
    let report = fixture("worked.json");
    let results = (report.documents.iter()).flat_map(|d| d.results.iter().flatten());
    let waived: Vec<_> = results.filter(|r| r.waiver.is_some()).collect();
    assert!(!waived.is_empty());
    for result in waived {
        assert_eq!(result.waivers, Vec::from_iter(result.waiver.clone()));
    }
}

#[test]
fn a_path_that_cannot_be_read_is_an_error_and_not_a_jurisdiction() {
    let dir = scratch("unreadable");
    let missing = dir.join("missing.json");
    let output = rampart(&["compare", "examples/", path_arg(&missing)]);
    assert_eq!(output.status.code(), Some(2));
    let table = String::from_utf8_lossy(&output.stdout);
    assert!(
        table.starts_with("Comparison of 6 jurisdictions on 85 norms"),
        "{table}"
    );
    assert!(!table.contains("missing.json"), "{table}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(
        stderr,
        format!(
            "error: cannot read {}: no such file or directory\n",
            missing.display()
        )
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn without_a_valid_input_only_the_errors_are_written() {
    let dir = scratch("no-valid-input");
    let empty = dir.join("empty");
    std::fs::create_dir(&empty).expect("a scratch directory");
    let broken = dir.join("broken.json");
    std::fs::write(&broken, r#"{"jurisdiction": {"id": "broken"}}"#).expect("written");
    let page = dir.join("region.html");
    for input in [dir.join("missing"), empty, broken] {
        let output = rampart(&["compare", path_arg(&input), "-o", path_arg(&page)]);
        assert_eq!(output.status.code(), Some(2), "{input:?}");
        assert!(output.stdout.is_empty(), "{output:?}");
        assert!(!page.exists(), "no page is written for {input:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.starts_with("error: "), "{stderr}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_profile_given_for_saved_reports_is_the_one_they_must_be_evaluated_under() {
    let dir = scratch("saved-profile");
    let all = saved_check(&dir, "all.json", &["examples/tavaro.yaml"]);
    let output = rampart(&["compare", path_arg(&all), "--profile", "baseline"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty(), "{output:?}");
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        refusal(&format!(
            "--profile baseline: profile `baseline` (39 norms)\n  \
             {}: all norms (85)\n",
            all.display()
        ))
    );
    let tavaro = ["examples/tavaro.yaml", "--profile", "baseline"];
    let tavaro = saved_check(&dir, "baseline.json", &tavaro);
    let alone = stdout(&rampart(&[
        "compare",
        path_arg(&tavaro),
        "--profile",
        "baseline",
    ]));
    assert!(
        alone.starts_with("Comparison of 1 jurisdiction on 39 norms (profile baseline)"),
        "{alone}"
    );
    let args = [
        "compare",
        path_arg(&tavaro),
        "examples/norrvale.json",
        "--profile",
        "baseline",
    ];
    let together = stdout(&rampart(&args));
    assert!(
        together.starts_with("Comparison of 2 jurisdictions on 39 norms (profile baseline)"),
        "{together}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn settings_and_dates_do_not_apply_to_saved_reports() {
    let saved = "tests/fixtures/compare/worked.json";
    for (option, value) in [
        ("--today", "2030-01-01"),
        ("--set", "min_meetings_per_year=6"),
    ] {
        let output = rampart(&["compare", saved, "examples/norrvale.json", option, value]);
        assert_eq!(output.status.code(), Some(2), "{option}");
        assert!(output.stdout.is_empty(), "{output:?}");
        assert_eq!(
            String::from_utf8_lossy(&output.stderr),
            format!(
                "error: {option} does not apply to saved reports ({saved}): they keep what they \
                 were evaluated with\n  \
                 help: check their documents again with {option} and compare the new reports, \
                 or compare the documents themselves\n"
            )
        );
        stdout(&rampart(&[
            "compare",
            "examples/norrvale.json",
            option,
            value,
        ]));
    }
}

#[test]
fn an_invalid_document_is_named_with_its_line_its_first_problem_located_and_a_help() {
    let dir = scratch("invalid-line");
    let stream = dir.join("cut.jsonl");
    let first = std::fs::read_to_string("examples/norrvale.json").expect("an example");
    let first: serde_json::Value = serde_json::from_str(&first).expect("JSON");
    let text = format!(
        "{}\n{{\"jurisdiction\": \n",
        serde_json::to_string(&first).expect("JSON")
    );
    std::fs::write(&stream, text).expect("a stream");
    let output = rampart(&[
        "compare",
        "examples/castellan.json",
        &stream.to_string_lossy(),
    ]);
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    let place = format!("{}:2", stream.display());
    let expected = format!(
        "error: {place}: invalid document, not evaluated (`rampart check` lists all its problems)\n  \
         error[rampart::config::syntax]: EOF while parsing a value ({place}:"
    );
    assert!(stderr.contains(&expected), "{stderr}");
    assert!(
        stderr.contains("    help: the document ends early"),
        "{stderr}"
    );
}
