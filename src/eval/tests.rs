//! Unit tests of the evaluator's semantics: three-valued logic, quantifiers, references,
//! applicability, norm references, faults, waivers, evidence and parameters.

use serde_json::{Value as Json, json};

use super::*;
use crate::check::{self, Program, Status};
use crate::workspace::{MemoryFiles, Workspace};

const HEADER: &str = r#"
source s { title "S" }
pillar p "P"
enum Kind { "a", "b" }
schema {
  jurisdiction?: Jurisdiction
  flags?: Flags
  systems?: [System]
  contacts?: [Contact]
  waivers?: [Waiver]
}
type Jurisdiction { id?: string  evaluated_on?: date }
type Flags { a?: bool  b?: bool  n?: int  d?: date  words?: [string] }
type System { id: string  kind?: Kind  ok?: bool  owner?: ref contacts  score?: int }
type Contact { id: string  phone?: string  tags?: [string] }
type Waiver { norm: string  scope?: string  reason?: string  approved_by?: ref contacts  expires?: date }
"#;

/// Checks `HEADER` plus `body`; panics on a diagnostic error (test input is trusted).
fn program(body: &str) -> Program {
    let mut files = MemoryFiles::new();
    files.insert("main.rampart", format!("{HEADER}\n{body}"));
    let workspace = Workspace::load(&files, "main.rampart");
    let checked = check::check(&workspace);
    let errors: Vec<_> = checked
        .diagnostics
        .iter()
        .chain(workspace.syntax_diagnostics())
        .filter(|d| d.is_error())
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    checked.program
}

/// A norm `id` with the given clauses.
fn norm(id: &str, clauses: &str) -> String {
    format!("norm {id} {{ title \"t\" pillar p severity high cites s\n {clauses} }}\n")
}

/// The outcome of every norm on `doc`; also checks that evaluating statuses only gives the
/// same statuses and waivers, with no evidence but an error's fault.
fn run(program: &Program, doc: &Json) -> Outcome {
    let options = Options {
        today: Date::parse("2027-01-01"),
        ..Options::default()
    };
    let outcome = Evaluator::new(program, options.clone()).evaluate(doc);
    let statuses_only = Options {
        statuses_only: true,
        ..options
    };
    let brief = Evaluator::new(program, statuses_only).evaluate(doc);
    assert_same_statuses(program, &brief, &outcome);
    outcome
}

/// Asserts that `brief`, evaluated with statuses only, has the statuses and waivers of `full`
/// and no evidence but an error's fault.
fn assert_same_statuses(program: &Program, brief: &Outcome, full: &Outcome) {
    assert_eq!(brief.results.len(), full.results.len());
    for (brief, full) in brief.results.iter().zip(&full.results) {
        let expected_evidence = match full.status {
            Status::Error => full.evidence.as_slice(),
            _ => &[],
        };
        assert_eq!(
            (brief.status, &brief.waivers, brief.evidence.as_slice()),
            (full.status, &full.waivers, expected_evidence),
            "statuses only, norm {}",
            program.norms[full.norm].id
        );
    }
}

fn status_of(program: &Program, doc: &Json, id: &str) -> Status {
    result_of(program, doc, id).status
}

fn result_of(program: &Program, doc: &Json, id: &str) -> NormResult {
    let norm = program.norm_index(id).expect("the norm exists");
    run(program, doc)
        .results
        .into_iter()
        .find(|r| r.norm == norm)
        .expect("the norm is reported")
}

/// A flag value: `Some(b)` present, `None` absent.
fn flags(a: Option<bool>, b: Option<bool>) -> Json {
    let mut object = serde_json::Map::new();
    if let Some(a) = a {
        object.insert("a".into(), json!(a));
    }
    if let Some(b) = b {
        object.insert("b".into(), json!(b));
    }
    json!({ "flags": object })
}

fn kleene(t: Option<bool>) -> Status {
    match t {
        Some(true) => Status::Pass,
        Some(false) => Status::Fail,
        None => Status::Unknown,
    }
}

const TRUTHS: [Option<bool>; 3] = [Some(true), Some(false), None];

#[test]
fn connectives_follow_kleene_logic() {
    let program = program(
        &[
            norm("and-n", "require flags.a and flags.b"),
            norm("or-n", "require flags.a or flags.b"),
            norm("implies-n", "require flags.a implies flags.b"),
            norm("not-n", "require not flags.a"),
        ]
        .concat(),
    );
    for a in TRUTHS {
        for b in TRUTHS {
            let doc = flags(a, b);
            let and = match (a, b) {
                (Some(false), _) | (_, Some(false)) => Some(false),
                (Some(true), Some(true)) => Some(true),
                _ => None,
            };
            let or = match (a, b) {
                (Some(true), _) | (_, Some(true)) => Some(true),
                (Some(false), Some(false)) => Some(false),
                _ => None,
            };
            let implies = match (a, b) {
                (Some(false), _) | (_, Some(true)) => Some(true),
                (Some(true), Some(false)) => Some(false),
                _ => None,
            };
            assert_eq!(
                status_of(&program, &doc, "and-n"),
                kleene(and),
                "{a:?} and {b:?}"
            );
            assert_eq!(
                status_of(&program, &doc, "or-n"),
                kleene(or),
                "{a:?} or {b:?}"
            );
            let got = status_of(&program, &doc, "implies-n");
            assert_eq!(got, kleene(implies), "{a:?} implies {b:?}");
            let got = status_of(&program, &doc, "not-n");
            assert_eq!(got, kleene(a.map(|a| !a)), "not {a:?}");
        }
    }
}

#[test]
fn a_comparison_with_a_missing_value_is_unknown_not_false() {
    let program = program(&norm("n", "require flags.n >= 3"));
    assert_eq!(status_of(&program, &json!({}), "n"), Status::Unknown);
    assert_eq!(
        status_of(&program, &json!({ "flags": { "n": null } }), "n"),
        Status::Unknown
    );
    assert_eq!(
        status_of(&program, &json!({ "flags": { "n": 2 } }), "n"),
        Status::Fail
    );
    assert_eq!(
        status_of(&program, &json!({ "flags": { "n": 3 } }), "n"),
        Status::Pass
    );
}

#[test]
fn a_failing_requirement_wins_over_an_unknown_one() {
    let program = program(&norm("n", "require flags.a == true\n require flags.n >= 3"));
    let doc = json!({ "flags": { "n": 1 } });
    assert_eq!(status_of(&program, &doc, "n"), Status::Fail);
    let doc = json!({ "flags": { "n": 5 } });
    assert_eq!(status_of(&program, &doc, "n"), Status::Unknown);
}

#[test]
fn a_dangling_reference_makes_comparisons_false() {
    let program = program(
        &[
            norm("phone", "require all s in systems: s.owner.phone != \"\""),
            norm("resolves", "require all s in systems: resolves(s.owner)"),
        ]
        .concat(),
    );
    let dangling = json!({ "systems": [{ "id": "x", "owner": "nobody" }], "contacts": [] });
    assert_eq!(status_of(&program, &dangling, "phone"), Status::Fail);
    assert_eq!(status_of(&program, &dangling, "resolves"), Status::Fail);
    let evidence = &result_of(&program, &dangling, "phone").evidence;
    let finding = &evidence[0].findings[0];
    assert_eq!(finding.kind, FindingKind::Dangling);
    assert_eq!(
        finding.text,
        "systems[0].owner = \"nobody\" names no entry of contacts"
    );
    let missing = json!({ "systems": [{ "id": "x" }], "contacts": [] });
    assert_eq!(status_of(&program, &missing, "phone"), Status::Unknown);
    assert_eq!(status_of(&program, &missing, "resolves"), Status::Unknown);
    let resolved = json!({ "systems": [{ "id": "x", "owner": "c" }],
                           "contacts": [{ "id": "c", "phone": "1" }] });
    assert_eq!(status_of(&program, &resolved, "phone"), Status::Pass);
}

/// Each of `norms` fails, naming the dangling reference, when `systems[0].owner` names no
/// contact, and passes on `resolved`, where it names one.
fn assert_fail_on_dangling_owner_and_pass_once_resolved(
    program: &Program,
    norms: &[&str],
    resolved: &Json,
) {
    let dangling = json!({ "systems": [{ "id": "x", "owner": "nobody" }], "contacts": [] });
    for id in norms {
        let result = result_of(program, &dangling, id);
        assert_eq!(result.status, Status::Fail, "{id}");
        let finding = &result.evidence[0].findings[0];
        assert_eq!(finding.kind, FindingKind::Dangling, "{id}: {finding:?}");
        assert_eq!(
            finding.text,
            "systems[0].owner = \"nobody\" names no entry of contacts"
        );
    }
    for id in norms {
        assert_eq!(status_of(program, resolved, id), Status::Pass, "{id}");
    }
}

#[test]
fn a_condition_on_a_dangling_reference_stays_false_under_not_and_over_its_lists() {
    const READERS: [&str; 6] = [
        "not-equal",
        "not-in",
        "not-in-op",
        "double-not",
        "over-list",
        "none-over",
    ];
    let program = program(
        &[
            norm(
                "not-equal",
                "require all s in systems: not (s.owner.phone == \"\")",
            ),
            norm(
                "not-in",
                "require all s in systems: not (s.owner.phone in [\"\", \"n/a\"])",
            ),
            norm(
                "not-in-op",
                "require all s in systems: s.owner.phone not in [\"\", \"n/a\"]",
            ),
            norm(
                "double-not",
                "require all s in systems: not not (s.owner.phone != \"\")",
            ),
            norm(
                "over-list",
                "require all s in systems: all t in s.owner.tags: t != \"\"",
            ),
            norm(
                "none-over",
                "require all s in systems: none t in s.owner.tags: t == \"\"",
            ),
        ]
        .concat(),
    );
    let resolved = json!({ "systems": [{ "id": "x", "owner": "c" }],
                           "contacts": [{ "id": "c", "phone": "1", "tags": ["a"] }] });
    assert_fail_on_dangling_owner_and_pass_once_resolved(&program, &READERS, &resolved);
}

#[test]
fn count_filter_and_latest_over_a_dangling_list_dangle_as_quantifiers_do() {
    const READERS: [&str; 6] = [
        "count",
        "count-where",
        "not-count",
        "count-filter",
        "latest",
        "any-over",
    ];
    let program = program(
        &[
            norm(
                "count",
                "require all s in systems: count(s.owner.tags) >= 1",
            ),
            norm(
                "count-where",
                "require all s in systems: count(t in s.owner.tags where t != \"\") >= 1",
            ),
            norm(
                "not-count",
                "require all s in systems: not (count(s.owner.tags) == 0)",
            ),
            norm(
                "count-filter",
                "require all s in systems: count(filter(t in s.owner.tags where t != \"\")) >= 1",
            ),
            norm(
                "latest",
                "require all s in systems: latest(t in s.owner.tags by t) != \"\"",
            ),
            norm(
                "any-over",
                "require all s in systems: any t in s.owner.tags: t != \"\"",
            ),
        ]
        .concat(),
    );
    let resolved = json!({ "systems": [{ "id": "x", "owner": "c" }],
                           "contacts": [{ "id": "c", "tags": ["a"] }] });
    assert_fail_on_dangling_owner_and_pass_once_resolved(&program, &READERS, &resolved);
}

#[test]
fn a_dangling_reference_inside_a_definition_is_found_and_named_by_the_argument_path() {
    let program = program(
        &[
            "def phone_of(s: System) = s.owner.phone\n",
            "def first_phone = phone_of(systems[0])\n",
            &norm("call", "require all s in systems: phone_of(s) != \"\""),
            &norm("value", "require first_phone != \"\""),
            &norm("plain", "require all s in systems: s.ok"),
        ]
        .concat(),
    );
    let facts = facts::Facts::of(&program);
    assert_eq!(facts.norm_may_dangle, [true, true, false]);
    let doc = json!({ "systems": [{ "id": "x", "owner": "nobody", "ok": false }],
                      "contacts": [] });
    let expected = "systems[0].owner = \"nobody\" names no entry of contacts";
    for id in ["call", "value"] {
        let evidence = &result_of(&program, &doc, id).evidence;
        let finding = &evidence[0].findings[0];
        assert_eq!(finding.kind, FindingKind::Dangling, "{id}: {evidence:?}");
        assert_eq!(finding.text, expected, "{id}");
    }
    let plain = &result_of(&program, &doc, "plain").evidence[0].findings[0];
    assert_eq!(plain.text, "systems[0].ok is false");
}

#[test]
fn each_finding_names_the_path_of_the_value_it_is_about() {
    let program = program(
        &[
            norm("left", "require all s in systems: s.score >= 3"),
            norm("right", "require all s in systems: 3 <= s.score"),
            norm("missing", "require all s in systems: s.kind == \"a\""),
            norm(
                "dangling",
                "require all s in systems: s.owner.phone != \"\"",
            ),
            norm("any-large", "require any s in systems: s.score > 10"),
            norm(
                "builtin",
                "require all s in systems: starts_with(s.id, \"z\")",
            ),
            norm("status", "require passes(left)"),
            norm("half", "require flags.words[flags.n / 2] == \"x\""),
            norm(
                "computed",
                "require days_between(flags.d, jurisdiction.evaluated_on) > 400",
            ),
            norm(
                "any-where",
                "require any s in systems where s.score > 2: s.ok",
            ),
        ]
        .concat(),
    );
    let doc = json!({ "systems": [{ "id": "x", "score": 1, "owner": "nobody" },
                                  { "id": "y", "score": 5, "ok": false }],
                      "contacts": [], "flags": { "n": 3, "words": ["a", "b"], "d": "2026-01-01" },
                      "jurisdiction": { "evaluated_on": "2026-02-01" } });
    let first_path = |id: &str| {
        let evidence = &result_of(&program, &doc, id).evidence;
        let finding = &evidence[0].findings[0];
        (finding.kind, finding.path().map(str::to_string))
    };
    let path = |text: &str| Some(text.to_string());
    use FindingKind::*;
    assert_eq!(first_path("left"), (Failed, path("systems[0].score")));
    assert_eq!(first_path("right"), (Failed, path("systems[0].score")));
    assert_eq!(first_path("missing"), (Missing, path("systems[0].kind")));
    assert_eq!(first_path("dangling"), (Dangling, path("systems[0].owner")));
    assert_eq!(first_path("any-large"), (Failed, path("systems")));
    assert_eq!(first_path("builtin"), (Failed, path("systems[0].id")));
    assert_eq!(first_path("status"), (Failed, None));
    // Item 1.5 names no item: the path stops at the list.
    assert_eq!(first_path("half"), (Missing, path("flags.words")));
    // `any … where` counts the items its filter lets through.
    let any_where = &result_of(&program, &doc, "any-where").evidence[0].findings[0];
    assert_eq!(
        any_where.text,
        "no item of systems (2 item(s), 1 after `where`) satisfies the condition"
    );
    // A computed value names every value it comes from, and is located at the first.
    assert_eq!(first_path("computed"), (Failed, path("flags.d")));
    let computed = &result_of(&program, &doc, "computed").evidence[0].findings[0];
    assert_eq!(
        computed.text,
        "found 31 (from flags.d and jurisdiction.evaluated_on); required > 400"
    );
}

#[test]
fn a_parameter_passed_to_a_definition_is_named_in_its_evidence() {
    let program = program(
        &[
            "param max_score: int = 3\n",
            "def at_most(n: int, limit: int) = n <= limit\n",
            &norm(
                "param",
                "require all s in systems: at_most(s.score, max_score)",
            ),
            &norm(
                "path",
                "require all s in systems: at_most(s.score, flags.n)",
            ),
            &norm("constant", "require all s in systems: at_most(s.score, 4)"),
        ]
        .concat(),
    );
    let doc = json!({ "systems": [{ "id": "x", "score": 5 }], "flags": { "n": 2 } });
    let text = |id: &str| {
        result_of(&program, &doc, id).evidence[0].findings[0]
            .text
            .clone()
    };
    assert_eq!(
        text("param"),
        "systems[0].score is 5; required <= max_score (3)"
    );
    assert_eq!(
        text("path"),
        "systems[0].score is 5; required <= flags.n (2)"
    );
    assert_eq!(text("constant"), "systems[0].score is 5; required <= 4");
}

#[test]
fn remembered_definition_calls_give_each_argument_its_own_value() {
    let program = program(
        &[
            "def is_a(k: Kind) = k == \"a\"\n",
            "def same(x: string, y: string) = x == y\n",
            "def base_passes(s: System) = passes(base) and s.ok\n",
            "def kinds = [\"a\", \"b\"]\n",
            &norm("base", "require flags.a"),
            &norm("kind-a", "require all s in systems: is_a(s.kind)"),
            &norm("any-a", "require any s in systems: is_a(s.kind)"),
            &norm("same", "require all s in systems: same(s.id, lower(s.id))"),
            &norm("with-base", "require all s in systems: base_passes(s)"),
        ]
        .concat(),
    );
    let facts = facts::Facts::of(&program);
    // Calls of definitions with parameters are remembered, unless they read a norm's status.
    assert_eq!(facts.def_memoizable, [true, true, false, false]);
    let doc = json!({ "flags": { "a": true },
                      "systems": [{ "id": "x", "kind": "a", "ok": true },
                                  { "id": "Y", "kind": "b", "ok": true },
                                  { "id": "z", "kind": "a", "ok": true }] });
    let kind_a = result_of(&program, &doc, "kind-a");
    assert_eq!(kind_a.status, Status::Fail);
    let failing: Vec<_> = kind_a.evidence.iter().map(|e| e.item.clone()).collect();
    assert_eq!(failing.len(), 1, "only systems[1] fails: {failing:?}");
    assert_eq!(status_of(&program, &doc, "any-a"), Status::Pass);
    let same = result_of(&program, &doc, "same");
    assert_eq!(same.status, Status::Fail);
    assert_eq!(
        same.evidence.len(),
        1,
        "only \"Y\" differs from its lower case"
    );
    assert_eq!(status_of(&program, &doc, "with-base"), Status::Pass);
    let base_fails = json!({ "flags": { "a": false }, "systems": [{ "id": "x", "ok": true }] });
    assert_eq!(status_of(&program, &base_fails, "with-base"), Status::Fail);
}

#[test]
fn quantifiers_over_empty_and_missing_lists() {
    let program = program(
        &[
            norm("all-n", "require all s in systems: s.ok"),
            norm("any-n", "require any s in systems: s.ok"),
            norm("none-n", "require none s in systems: s.ok"),
            norm("count-n", "require count(s in systems where s.ok) >= 0"),
        ]
        .concat(),
    );
    let empty = json!({ "systems": [] });
    assert_eq!(status_of(&program, &empty, "all-n"), Status::Pass);
    assert_eq!(status_of(&program, &empty, "any-n"), Status::Fail);
    assert_eq!(status_of(&program, &empty, "none-n"), Status::Pass);
    for id in ["all-n", "any-n", "none-n", "count-n"] {
        assert_eq!(status_of(&program, &json!({}), id), Status::Unknown, "{id}");
    }
}

#[test]
fn quantifiers_weigh_failing_passing_and_unknown_items() {
    let program = program(
        &[
            norm("all-n", "require all s in systems: s.ok"),
            norm("any-n", "require any s in systems: s.ok"),
            norm("none-n", "require none s in systems: s.ok"),
        ]
        .concat(),
    );
    let systems = |oks: &[Option<bool>]| {
        let items: Vec<Json> = oks
            .iter()
            .enumerate()
            .map(|(i, ok)| match ok {
                Some(ok) => json!({ "id": format!("s{i}"), "ok": ok }),
                None => json!({ "id": format!("s{i}") }),
            })
            .collect();
        json!({ "systems": items })
    };
    let cases: [(&[Option<bool>], [Status; 3]); 4] = [
        (
            &[Some(true), None],
            [Status::Unknown, Status::Pass, Status::Fail],
        ),
        (
            &[Some(false), None],
            [Status::Fail, Status::Unknown, Status::Unknown],
        ),
        (
            &[Some(true), Some(true)],
            [Status::Pass, Status::Pass, Status::Fail],
        ),
        (
            &[Some(false), Some(false)],
            [Status::Fail, Status::Fail, Status::Pass],
        ),
    ];
    for (oks, [all, any, none]) in cases {
        let doc = systems(oks);
        assert_eq!(status_of(&program, &doc, "all-n"), all, "all {oks:?}");
        assert_eq!(status_of(&program, &doc, "any-n"), any, "any {oks:?}");
        assert_eq!(status_of(&program, &doc, "none-n"), none, "none {oks:?}");
    }
}

#[test]
fn an_unknown_filter_leaves_the_item_unknown_unless_its_condition_decides() {
    let program = program(
        &[
            norm(
                "all-n",
                "require all s in systems where s.kind == \"a\": s.ok",
            ),
            norm(
                "any-n",
                "require any s in systems where s.kind == \"a\": s.ok",
            ),
            norm(
                "none-n",
                "require none s in systems where s.kind == \"a\": s.ok",
            ),
            norm(
                "count-n",
                "require count(s in systems where s.kind == \"a\") == 1",
            ),
        ]
        .concat(),
    );
    // The kind is not reported: the filter is unknown.
    let holds = json!({ "systems": [{ "id": "x", "ok": true }] });
    let fails = json!({ "systems": [{ "id": "x", "ok": false }] });
    // all: f implies c.
    assert_eq!(status_of(&program, &holds, "all-n"), Status::Pass);
    assert_eq!(status_of(&program, &fails, "all-n"), Status::Unknown);
    // any: f and c.
    assert_eq!(status_of(&program, &holds, "any-n"), Status::Unknown);
    assert_eq!(status_of(&program, &fails, "any-n"), Status::Fail);
    // none: not (f and c).
    assert_eq!(status_of(&program, &holds, "none-n"), Status::Unknown);
    assert_eq!(status_of(&program, &fails, "none-n"), Status::Pass);
    // count cannot tell.
    assert_eq!(status_of(&program, &holds, "count-n"), Status::Unknown);
    let excluded = json!({ "systems": [{ "id": "x", "kind": "b", "ok": false }] });
    assert_eq!(status_of(&program, &excluded, "all-n"), Status::Pass);
    assert_eq!(status_of(&program, &excluded, "any-n"), Status::Fail);
}

/// Statuses of conditions on `count(s in systems where s.ok)` for three systems, one ok, one
/// not and one whose `ok` is not reported: the count is 1 or 2.
fn count_statuses(conditions: &[(&str, Status)]) {
    let norms: Vec<String> = (conditions.iter().enumerate())
        .map(|(index, (condition, _))| norm(&format!("n{index}"), &format!("require {condition}")))
        .collect();
    let program = program(&format!(
        "def oks = count(s in systems where s.ok)\n{}",
        norms.concat()
    ));
    let doc = json!({ "systems": [{ "id": "a", "ok": true }, { "id": "b" },
                                  { "id": "c", "ok": false }] });
    let outcome = run(&program, &doc);
    for (result, (condition, expected)) in outcome.results.iter().zip(conditions) {
        assert_eq!(result.status, *expected, "{condition}");
    }
}

#[test]
fn a_count_over_unknown_items_decides_a_comparison_that_holds_for_all_its_values_or_none() {
    use Status::{Fail, Pass, Unknown};
    count_statuses(&[
        ("count(s in systems where s.ok) >= 1", Pass),
        ("oks >= 2", Unknown),
        ("oks >= 3", Fail),
        ("oks > 0", Pass),
        ("oks > 1", Unknown),
        ("oks > 2", Fail),
        ("oks <= 2", Pass),
        ("oks <= 1", Unknown),
        ("oks <= 0", Fail),
        ("oks < 3", Pass),
        ("oks < 2", Unknown),
        ("oks < 1", Fail),
        ("oks == 0", Fail),
        ("oks == 2", Unknown),
        ("oks != 3", Pass),
        ("oks != 1", Unknown),
        ("1 <= oks", Pass),
        ("3 == oks", Fail),
        ("oks in [0, 3]", Fail),
        ("oks not in [0, 3]", Pass),
        ("oks in [1, 3]", Unknown),
        ("not (oks >= 1)", Fail),
        ("oks >= 1 and oks >= 2", Unknown),
        ("oks >= 3 or oks >= 1", Pass),
    ]);
}

#[test]
fn arithmetic_on_a_count_over_unknown_items_keeps_its_bounds() {
    use Status::{Error, Fail, Pass, Unknown};
    count_statuses(&[
        // 1 or 2 of 3: a third to two thirds.
        ("oks / count(systems) >= 0.3", Pass),
        ("oks / count(systems) >= 0.5", Unknown),
        ("oks / count(systems) > 0.7", Fail),
        ("oks * 2 - 1 >= 1", Pass),
        ("oks + oks <= 4", Pass),
        ("oks - oks >= -1", Pass),
        ("-oks <= -1", Pass),
        ("10 / oks >= 5", Pass),
        ("10 / oks > 5", Unknown),
        // 0 to 1 systems ok and not b: the divisor may be 0.
        (
            "1 / count(s in systems where s.ok and s.id != \"a\") >= 0",
            Unknown,
        ),
        ("oks / 0 >= 0", Error),
        ("max(oks, 3) == 3", Pass),
        ("min(oks, 0) == 0", Pass),
        ("min(oks, 5) >= 1", Pass),
        ("max(oks, 1) >= 2", Unknown),
        ("count(systems) - oks >= 1", Pass),
        ("count(systems) - oks >= 2", Unknown),
    ]);
}

#[test]
fn evidence_of_a_count_over_unknown_items_names_them_or_shows_its_bounds() {
    let program = program(
        &[
            norm(
                "unknown",
                "require count(s in systems where s.ok) >= 2 else \"{count(s in systems where s.ok)} ok\"",
            ),
            norm(
                "fails",
                "require count(s in systems where s.ok) >= 3 else \"{count(s in systems where s.ok)} ok\"",
            ),
        ]
        .concat(),
    );
    let doc = json!({ "systems": [{ "id": "a", "ok": true }, { "id": "b" },
                                  { "id": "c", "ok": false }] });
    let unknown = result_of(&program, &doc, "unknown");
    assert_eq!(unknown.status, Status::Unknown);
    let findings = &unknown.evidence[0].findings;
    assert_eq!(findings.len(), 1, "{findings:#?}");
    assert_eq!(findings[0].kind, FindingKind::Missing);
    assert_eq!(findings[0].path(), Some("systems[1].ok"));
    let fails = result_of(&program, &doc, "fails");
    assert_eq!(fails.status, Status::Fail);
    let evidence = &fails.evidence[0];
    assert_eq!(evidence.message.as_deref(), Some("between 1 and 2 ok"));
    assert_eq!(
        evidence.findings[0].text,
        "found between 1 and 2 (from systems); required >= 3"
    );
    assert_eq!(evidence.findings[0].path(), Some("systems"));
}

#[test]
fn applicability_is_decided_first() {
    let program = program(&norm("n", "when flags.a\n require flags.b"));
    let doc = flags(Some(false), Some(false));
    assert_eq!(status_of(&program, &doc, "n"), Status::NotApplicable);
    let doc = flags(None, Some(false));
    assert_eq!(status_of(&program, &doc, "n"), Status::Unknown);
    let result = result_of(&program, &doc, "n");
    assert_eq!(result.evidence[0].requirement, None);
    assert_eq!(result.evidence[0].findings[0].text, "flags.a");
    let doc = flags(Some(true), Some(false));
    assert_eq!(status_of(&program, &doc, "n"), Status::Fail);
}

#[test]
fn exists_is_never_unknown() {
    let program = program(&norm("n", "require exists(flags.a)"));
    assert_eq!(status_of(&program, &json!({}), "n"), Status::Fail);
    assert_eq!(
        status_of(&program, &json!({ "flags": { "a": null } }), "n"),
        Status::Fail
    );
    assert_eq!(
        status_of(&program, &flags(Some(false), None), "n"),
        Status::Pass
    );
}

#[test]
fn norm_references_read_final_statuses() {
    let program = program(
        &[
            norm("base", "when flags.a\n require flags.b"),
            norm("passes-n", "require passes(base)"),
            norm("fails-n", "require fails(base)"),
        ]
        .concat(),
    );
    let cases = [
        (flags(Some(true), Some(true)), Status::Pass, Status::Fail),
        (flags(Some(true), Some(false)), Status::Fail, Status::Pass),
        (flags(Some(false), None), Status::Fail, Status::Fail),
        (flags(None, None), Status::Unknown, Status::Unknown),
    ];
    for (doc, passes, fails) in cases {
        assert_eq!(status_of(&program, &doc, "passes-n"), passes, "{doc}");
        assert_eq!(status_of(&program, &doc, "fails-n"), fails, "{doc}");
    }
}

#[test]
fn arithmetic_on_decimal_fractions_meets_a_threshold_exactly_as_written() {
    let program = program(
        &[
            norm("share-above", "require flags.n > 100 * 0.57"),
            norm("share-at-least", "require 7 >= 100 * 0.07"),
            norm("sum", "require 0.1 + 0.2 <= 0.3"),
            norm("quotient", "require 0.3 / 0.1 == 3"),
            norm("difference", "require 0.3 - 0.1 == 0.2"),
            norm("large", "require 123456789 * 1000000 == 123456789000000"),
            norm(
                "quarters",
                "require 1 / 4 * 4 == 1 and 2 / 3 == 0.666666666666667",
            ),
        ]
        .concat(),
    );
    let doc = json!({ "flags": { "n": 57 } });
    // 57 > 57 does not hold: unrounded, 100 * 0.57 is 56.99999999999999 and it would.
    assert_eq!(status_of(&program, &doc, "share-above"), Status::Fail);
    for id in [
        "share-at-least",
        "sum",
        "quotient",
        "difference",
        "large",
        "quarters",
    ] {
        assert_eq!(status_of(&program, &doc, id), Status::Pass, "{id}");
    }
}

#[test]
fn decimal_rounding_keeps_fifteen_significant_digits_and_leaves_extremes_alone() {
    use super::interp::decimal;
    assert_eq!(decimal(56.99999999999999), 57.0);
    assert_eq!(decimal(0.30000000000000004), 0.3);
    assert_eq!(decimal(1.0 / 3.0), 0.333333333333333);
    assert_eq!(decimal(-2.0000000000000004), -2.0);
    assert_eq!(decimal(123456.789), 123456.789);
    assert_eq!(decimal(1e-30), 1e-30);
    assert_eq!(decimal(f64::MAX), f64::MAX);
    assert_eq!(decimal(0.0), 0.0);
    assert!(decimal(f64::NAN).is_nan());
}

#[test]
fn a_division_by_zero_is_an_error_and_spreads_to_referencing_norms() {
    let program = program(
        &[
            norm("div", "require 10 / flags.n > 1"),
            norm("ref", "require passes(div)"),
        ]
        .concat(),
    );
    let doc = json!({ "flags": { "n": 0 } });
    assert_eq!(status_of(&program, &doc, "div"), Status::Error);
    assert_eq!(status_of(&program, &doc, "ref"), Status::Error);
    let finding = &result_of(&program, &doc, "div").evidence[0].findings[0];
    assert_eq!(
        (finding.kind, finding.text.as_str()),
        (FindingKind::Fault, "division by zero")
    );
    assert_eq!(
        status_of(&program, &json!({ "flags": { "n": 5 } }), "div"),
        Status::Pass
    );
}

#[test]
fn a_fault_met_only_while_explaining_leaves_the_status_to_evaluation() {
    // `and` stops at its false left side; explaining it also reads the right side, which
    // divides by zero: the norm still fails, and its evidence says where explaining stopped.
    let program = program(&norm("div", "require flags.a and 10 / flags.n > 1"));
    let doc = json!({ "flags": { "a": false, "n": 0 } });
    let result = result_of(&program, &doc, "div");
    assert_eq!(result.status, Status::Fail);
    let findings: Vec<(FindingKind, &str)> = (result.evidence.iter())
        .flat_map(|e| e.findings.iter().map(|f| (f.kind, f.text.as_str())))
        .collect();
    assert_eq!(
        findings,
        [
            (FindingKind::Failed, "flags.a is false"),
            (
                FindingKind::Omitted,
                "the explanation stops here: division by zero"
            )
        ]
    );
    let doc = json!({ "flags": { "a": true, "n": 0 } });
    assert_eq!(status_of(&program, &doc, "div"), Status::Error);
}

/// The (requirement, kind, text) of each finding of `result`.
fn findings_of(result: &NormResult) -> Vec<(Option<usize>, FindingKind, &str)> {
    (result.evidence.iter())
        .flat_map(|e| (e.findings.iter()).map(|f| (e.requirement, f.kind, f.text.as_str())))
        .collect()
}

#[test]
fn a_false_requirement_decides_whatever_a_fault_in_another_in_either_order() {
    let (off, division) = (
        "require flags.a else \"a is off\"",
        "require 10 / flags.n > 1",
    );
    let doc = json!({ "flags": { "a": false, "n": 0 } });
    let not_evaluated = "this requirement could not be evaluated: division by zero";
    let failed = "flags.a is false";
    let first = program(&norm("div", &format!("{off}  {division}")));
    let result = result_of(&first, &doc, "div");
    assert_eq!(result.status, Status::Fail);
    assert_eq!(
        findings_of(&result),
        [
            (Some(0), FindingKind::Failed, failed),
            (Some(1), FindingKind::Omitted, not_evaluated)
        ]
    );
    assert_eq!(result.evidence[0].message.as_deref(), Some("a is off"));
    let second = program(&norm("div", &format!("{division}  {off}")));
    let result = result_of(&second, &doc, "div");
    assert_eq!(result.status, Status::Fail);
    assert_eq!(
        findings_of(&result),
        [
            (Some(0), FindingKind::Omitted, not_evaluated),
            (Some(1), FindingKind::Failed, failed)
        ]
    );
    // Without a false requirement, the fault decides, in either order.
    let doc = json!({ "flags": { "a": true, "n": 0 } });
    assert_eq!(status_of(&first, &doc, "div"), Status::Error);
    assert_eq!(status_of(&second, &doc, "div"), Status::Error);
    let doc = json!({ "flags": { "n": 0 } });
    assert_eq!(status_of(&second, &doc, "div"), Status::Error);
}

#[test]
fn a_fault_in_an_item_after_a_failing_one_ends_the_explanation() {
    let program = program(&norm("div", "require all s in systems: 10 / s.score > 1"));
    let system = |id: &str, score: i64| json!({ "id": id, "score": score });
    let doc = json!({ "systems": [system("a", 20), system("b", 0), system("c", 20)] });
    let result = result_of(&program, &doc, "div");
    assert_eq!(result.status, Status::Fail);
    let evidence: Vec<(Option<&str>, FindingKind)> = (result.evidence.iter())
        .flat_map(|e| {
            let item = e.item.as_ref().map(|item| item.path.as_str());
            e.findings.iter().map(move |f| (item, f.kind))
        })
        .collect();
    assert_eq!(
        evidence,
        [
            (Some("systems[0]"), FindingKind::Failed),
            (None, FindingKind::Omitted)
        ]
    );
    // A fault before any item decides is the norm's.
    let doc = json!({ "systems": [system("b", 0), system("a", 20)] });
    assert_eq!(status_of(&program, &doc, "div"), Status::Error);
}

#[test]
fn a_norm_that_depends_on_an_error_outside_the_profile_carries_its_cause() {
    let program = program(
        &[
            norm("div", "require 10 / flags.n > 1"),
            norm("ref", "require passes(div)"),
            norm("ref-of-ref", "require fails(ref)"),
            "profile dependents { title \"t\" include all exclude norm div, norm ref }\n"
                .to_string(),
        ]
        .concat(),
    );
    let doc = json!({ "flags": { "n": 0 } });
    let division = result_of(&program, &doc, "div").evidence[0].findings[0].clone();
    let options = Options {
        profile: Some(0),
        today: Date::parse("2027-01-01"),
        ..Options::default()
    };
    let outcome = Evaluator::new(&program, options).evaluate(&doc);
    let [result] = outcome.results.as_slice() else {
        panic!("only ref-of-ref is reported: {:#?}", outcome.results);
    };
    assert_eq!(result.status, Status::Error);
    let findings: Vec<(FindingKind, &str)> = (result.evidence.iter())
        .flat_map(|e| e.findings.iter().map(|f| (f.kind, f.text.as_str())))
        .collect();
    assert_eq!(
        findings,
        [
            (
                FindingKind::Fault,
                "norm ref it depends on could not be evaluated"
            ),
            (
                FindingKind::Fault,
                "in norm ref: norm div it depends on could not be evaluated"
            ),
            (FindingKind::Fault, "in norm div: division by zero"),
        ]
    );
    // The cause is located where it happened: at the division, in norm div.
    assert_eq!(result.evidence[0].findings[2].span, division.span);
}

fn waiver_program() -> Program {
    program(
        &[
            norm("sys-ok", "require all s in systems: s.ok"),
            norm("ref", "require passes(sys-ok)"),
        ]
        .concat(),
    )
}

fn waiver_doc(waiver: Json) -> Json {
    json!({
        "systems": [{ "id": "a", "ok": false }, { "id": "b", "ok": true }],
        "contacts": [{ "id": "chair" }],
        "waivers": [waiver],
    })
}

/// The states of a result's waivers, in document order.
fn states(result: &NormResult) -> Vec<WaiverState> {
    result.waivers.iter().map(|w| w.state).collect()
}

/// A waiver of `sys-ok` approved by `chair`, expiring on `expires`, limited to `scope`.
fn scoped_waiver(scope: &str, expires: &str) -> Json {
    json!({ "norm": "sys-ok", "approved_by": "chair", "expires": expires, "scope": scope })
}

/// A document whose systems have the ids and `ok` values of `systems` (`None`: not reported),
/// with `waivers`.
fn systems_doc(systems: &[(&str, Option<bool>)], waivers: &[Json]) -> Json {
    let systems: Vec<Json> = (systems.iter())
        .map(|(id, ok)| json!({ "id": id, "ok": ok }))
        .collect();
    json!({ "systems": systems, "contacts": [{ "id": "chair" }], "waivers": waivers })
}

#[test]
fn an_active_waiver_turns_a_failure_into_waived_and_keeps_the_evidence() {
    let program = waiver_program();
    let doc = waiver_doc(json!({ "norm": "sys-ok", "approved_by": "chair",
                                  "expires": "2027-01-01", "reason": "replacement due" }));
    let result = result_of(&program, &doc, "sys-ok");
    assert_eq!(result.status, Status::Waived);
    assert_eq!(result.evidence.len(), 1);
    let [waiver] = result.waivers.as_slice() else {
        panic!("one waiver expected: {:#?}", result.waivers)
    };
    assert_eq!(waiver.state, WaiverState::Active);
    assert_eq!(waiver.reason.as_deref(), Some("replacement due"));
    assert_eq!(status_of(&program, &doc, "ref"), Status::Fail);
}

#[test]
fn a_waived_norm_still_fails_for_the_norms_that_ask() {
    let program = program(
        &[
            norm("sys-ok", "require all s in systems: s.ok"),
            norm("passes-n", "require passes(sys-ok)"),
            norm("fails-n", "require fails(sys-ok)"),
            norm("unless-failed", "when not fails(sys-ok)\n require flags.a"),
        ]
        .concat(),
    );
    let doc = waiver_doc(json!({ "norm": "sys-ok", "approved_by": "chair",
                                  "expires": "2027-01-01" }));
    assert_eq!(status_of(&program, &doc, "sys-ok"), Status::Waived);
    assert_eq!(status_of(&program, &doc, "passes-n"), Status::Fail);
    assert_eq!(status_of(&program, &doc, "fails-n"), Status::Pass);
    // A norm that does not apply when another fails does not apply when that one is waived.
    assert_eq!(
        status_of(&program, &doc, "unless-failed"),
        Status::NotApplicable
    );
}

#[test]
fn a_waiver_that_does_not_apply_says_why() {
    let program = waiver_program();
    let cases = [
        (
            json!({ "norm": "sys-ok", "approved_by": "chair", "expires": "2026-12-31" }),
            WaiverState::Expired,
        ),
        (
            json!({ "norm": "sys-ok", "approved_by": "ghost", "expires": "2027-12-31" }),
            WaiverState::NotApproved,
        ),
        (
            json!({ "norm": "sys-ok", "expires": "2027-12-31" }),
            WaiverState::NotApproved,
        ),
        (
            json!({ "norm": "sys-ok", "approved_by": "chair" }),
            WaiverState::NoExpiry,
        ),
        (
            json!({ "norm": "sys-ok", "approved_by": "chair", "expires": "2027-12-31", "scope": "b" }),
            WaiverState::OutOfScope,
        ),
    ];
    for (waiver, state) in cases {
        let result = result_of(&program, &waiver_doc(waiver.clone()), "sys-ok");
        assert_eq!(result.status, Status::Fail, "{waiver}");
        assert_eq!(states(&result), [state], "{waiver}");
    }
    let scoped =
        json!({ "norm": "sys-ok", "approved_by": "chair", "expires": "2027-12-31", "scope": "a" });
    assert_eq!(
        status_of(&program, &waiver_doc(scoped), "sys-ok"),
        Status::Waived
    );
}

#[test]
fn a_scoped_waiver_that_does_not_apply_names_the_failing_items_it_leaves_out() {
    let program = waiver_program();
    let doc = |systems: Json| {
        json!({ "systems": systems, "contacts": [{ "id": "chair" }],
                "waivers": [{ "norm": "sys-ok", "approved_by": "chair",
                              "expires": "2027-12-31", "scope": "a" }] })
    };
    let text = |systems: Json| {
        let result = result_of(&program, &doc(systems), "sys-ok");
        assert_eq!(states(&result), [WaiverState::OutOfScope]);
        result.waivers[0].state_text(&result.evidence, &result.waivers)
    };
    // `a` fails too: the waiver covers it, but not `b`.
    let two = json!([{ "id": "a", "ok": false }, { "id": "b", "ok": false }]);
    assert_eq!(
        text(two),
        "is limited to a, but systems[1] (id \"b\") fails and no valid waiver covers it, \
         so it does not apply"
    );
    let three = json!([{ "id": "b", "ok": false }, { "id": "c", "ok": false }]);
    assert_eq!(
        text(three),
        "is limited to a, which does not fail, and 2 failing items are not covered by a valid \
         waiver (systems[0] (id \"b\"), systems[1] (id \"c\")), so it does not apply"
    );
}

#[test]
fn a_scoped_waiver_leaves_missing_evidence_on_other_items_unknown() {
    let program = waiver_program();
    let waiver = json!({ "norm": "sys-ok", "approved_by": "chair",
                         "expires": "2027-12-31", "scope": "a" });
    let doc = |b: Json| {
        json!({ "systems": [{ "id": "a", "ok": false }, b], "contacts": [{ "id": "chair" }],
                "waivers": [waiver.clone()] })
    };
    // `b` reports nothing: with `a`'s failure excused, `b` decides, and it is unknown.
    let result = result_of(&program, &doc(json!({ "id": "b" })), "sys-ok");
    assert_eq!(result.status, Status::Unknown);
    assert_eq!(states(&result), [WaiverState::Active]);
    let items: Vec<_> = (result.evidence.iter())
        .map(|e| {
            (
                e.item.as_ref().and_then(|i| i.id.clone()),
                e.findings[0].kind,
            )
        })
        .collect();
    assert_eq!(
        items,
        [
            (Some("a".to_string()), FindingKind::Failed),
            (Some("b".to_string()), FindingKind::Missing)
        ]
    );
    // With `b` reported and passing, the waiver excuses the whole failure.
    let b_ok = doc(json!({ "id": "b", "ok": true }));
    assert_eq!(status_of(&program, &b_ok, "sys-ok"), Status::Waived);
    // A waiver of the whole norm excuses it whatever else is missing.
    let mut whole = doc(json!({ "id": "b" }));
    whole["waivers"][0]
        .as_object_mut()
        .map(|w| w.remove("scope"));
    assert_eq!(status_of(&program, &whole, "sys-ok"), Status::Waived);
}

#[test]
fn scoped_waivers_of_one_norm_together_excuse_every_failing_item_they_cover() {
    let program = waiver_program();
    let waivers = [
        scoped_waiver("a", "2027-12-31"),
        scoped_waiver("b", "2027-12-31"),
    ];
    let doc = systems_doc(&[("a", Some(false)), ("b", Some(false))], &waivers);
    let result = result_of(&program, &doc, "sys-ok");
    assert_eq!(result.status, Status::Waived);
    assert_eq!(states(&result), [WaiverState::Active, WaiverState::Active]);
    assert_eq!(result.evidence.len(), 2);
    // With `c` reporting nothing, what the waivers leave is unknown, as with one waiver.
    let systems = [("a", Some(false)), ("b", Some(false)), ("c", None)];
    let result = result_of(&program, &systems_doc(&systems, &waivers), "sys-ok");
    assert_eq!(result.status, Status::Unknown);
    assert_eq!(states(&result), [WaiverState::Active, WaiverState::Active]);
}

#[test]
fn scoped_waivers_that_leave_a_failing_item_uncovered_each_name_it() {
    let program = waiver_program();
    let waivers = [
        scoped_waiver("a", "2027-12-31"),
        scoped_waiver("b", "2027-12-31"),
    ];
    let systems = [("a", Some(false)), ("b", Some(false)), ("c", Some(false))];
    let result = result_of(&program, &systems_doc(&systems, &waivers), "sys-ok");
    assert_eq!(result.status, Status::Fail);
    assert_eq!(
        states(&result),
        [WaiverState::OutOfScope, WaiverState::OutOfScope]
    );
    for (waiver, scope) in result.waivers.iter().zip(["a", "b"]) {
        assert_eq!(
            waiver.state_text(&result.evidence, &result.waivers),
            format!(
                "is limited to {scope}, but systems[2] (id \"c\") fails and no valid waiver \
                 covers it, so it does not apply"
            )
        );
    }
}

#[test]
fn an_expired_scoped_waiver_covers_nothing_beside_valid_ones() {
    let program = waiver_program();
    let fails = [("a", Some(false)), ("b", Some(false))];
    let mixed = [
        scoped_waiver("a", "2027-12-31"),
        scoped_waiver("b", "2026-12-31"),
    ];
    let result = result_of(&program, &systems_doc(&fails, &mixed), "sys-ok");
    assert_eq!(result.status, Status::Fail);
    assert_eq!(
        states(&result),
        [WaiverState::OutOfScope, WaiverState::Expired]
    );
    assert_eq!(
        result.waivers[0].state_text(&result.evidence, &result.waivers),
        "is limited to a, but systems[1] (id \"b\") fails and no valid waiver covers it, so it \
         does not apply"
    );
    // A renewed waiver for `b` beside the expired one: both failures are covered.
    let renewed = [
        mixed[0].clone(),
        mixed[1].clone(),
        scoped_waiver("b", "2028-01-31"),
    ];
    let result = result_of(&program, &systems_doc(&fails, &renewed), "sys-ok");
    assert_eq!(result.status, Status::Waived);
    let expected = [
        WaiverState::Active,
        WaiverState::Expired,
        WaiverState::Active,
    ];
    assert_eq!(states(&result), expected);
}

#[test]
fn a_scoped_waiver_of_an_item_that_does_not_fail_does_not_apply() {
    let program = waiver_program();
    let whole = json!({ "norm": "sys-ok", "approved_by": "chair", "expires": "2027-12-31" });
    let waivers = [scoped_waiver("b", "2027-12-31"), whole];
    let doc = systems_doc(&[("a", Some(false)), ("b", Some(true))], &waivers);
    let result = result_of(&program, &doc, "sys-ok");
    // The waiver of the whole norm excuses the failure; the one limited to `b` is not needed.
    assert_eq!(result.status, Status::Waived);
    assert_eq!(
        states(&result),
        [WaiverState::OutOfScope, WaiverState::Active]
    );
    assert_eq!(
        result.waivers[0].state_text(&result.evidence, &result.waivers),
        "is limited to b, which does not fail, so it does not apply"
    );
}

#[test]
fn a_waiver_for_another_norm_does_not_apply() {
    let program = waiver_program();
    let doc = waiver_doc(
        json!({ "norm": "no-such-norm", "approved_by": "chair", "expires": "2099-01-01" }),
    );
    let result = result_of(&program, &doc, "sys-ok");
    assert_eq!((result.status, result.waivers), (Status::Fail, vec![]));
}

#[test]
fn evidence_names_the_failing_item_value_and_message() {
    let policy = norm(
        "score",
        "require all s in systems: s.score >= min_score\n else \"system {s.id} scores {s.score}\"",
    ) + "param min_score: int = 3\n";
    let program = program(&policy);
    let doc = json!({ "systems": [{ "id": "ok", "score": 5 }, { "id": "portal", "score": 1 }] });
    let result = result_of(&program, &doc, "score");
    assert_eq!(result.status, Status::Fail);
    let [evidence] = result.evidence.as_slice() else {
        panic!("one failing item expected: {:#?}", result.evidence)
    };
    assert_eq!(
        evidence.item.as_ref().map(ToString::to_string).as_deref(),
        Some("systems[1] (id \"portal\")")
    );
    assert_eq!(evidence.message.as_deref(), Some("system portal scores 1"));
    assert_eq!(
        evidence.findings[0].text,
        "systems[1].score is 1; required >= min_score (3)"
    );
}

#[test]
fn evidence_of_a_pairwise_norm_over_a_long_list_is_bounded_and_counts_the_rest() {
    let program = program(&norm(
        "pairs",
        "require all s in systems: all t in systems: s.score != t.score",
    ));
    // Every system has the same score: each of the 500 fails against all 500.
    let systems: Vec<Json> = (0..500)
        .map(|i| json!({ "id": format!("s{i}"), "score": 1 }))
        .collect();
    let result = result_of(&program, &json!({ "systems": systems }), "pairs");
    assert_eq!(result.status, Status::Fail);
    let (last, explained) = result.evidence.split_last().expect("evidence");
    assert_eq!(explained.len(), explain::MAX_EVIDENCE_ITEMS);
    assert_eq!(last.item, None);
    let [omitted] = last.findings.as_slice() else {
        panic!("one omitted finding expected: {last:#?}")
    };
    assert_eq!(omitted.kind, FindingKind::Omitted);
    let rest = 500 - explain::MAX_EVIDENCE_ITEMS;
    assert_eq!(
        omitted.text,
        format!("{rest} more items of systems fail likewise (not listed)")
    );
    for evidence in explained {
        let (omitted, findings) = evidence.findings.split_last().expect("findings");
        assert_eq!(findings.len(), explain::MAX_INNER_ITEMS);
        assert_eq!(omitted.kind, FindingKind::Omitted);
        assert_eq!(
            omitted.text,
            "490 more items of systems fail likewise (not listed)"
        );
    }
}

#[test]
fn a_failing_any_explains_its_first_candidates_and_counts_the_others() {
    let program = program(
        &[
            norm("any", "require any s in systems: s.score > 10"),
            norm("where", "require any s in systems where s.ok: s.score > 10"),
        ]
        .concat(),
    );
    let systems: Vec<Json> = (0..8)
        .map(|i| json!({ "id": format!("s{i}"), "score": i, "ok": i != 3 }))
        .collect();
    let doc = json!({ "systems": systems });
    let texts = |id: &str| -> Vec<(FindingKind, String)> {
        let result = result_of(&program, &doc, id);
        assert_eq!(result.status, Status::Fail);
        let findings = result.evidence.iter().flat_map(|e| e.findings.iter());
        findings.map(|f| (f.kind, f.text.clone())).collect()
    };
    let any = texts("any");
    assert_eq!(any.len(), 1 + explain::MAX_ANY_ITEMS + 1, "{any:#?}");
    assert_eq!(
        any.last(),
        Some(&(
            FindingKind::Omitted,
            "3 more items of systems fail likewise (not listed)".to_string()
        ))
    );
    // The item the `where` leaves out is neither shown nor counted.
    let filtered = texts("where");
    assert!(!filtered.iter().any(|(_, text)| text.contains("systems[3]")));
    assert_eq!(
        filtered.last(),
        Some(&(
            FindingKind::Omitted,
            "2 more items of systems fail likewise (not listed)".to_string()
        ))
    );
}

#[test]
fn missing_evidence_in_a_long_list_names_the_first_items_and_counts_the_rest() {
    let program = program(&norm(
        "scored",
        "require count(s in systems where s.score > 1) >= 1",
    ));
    let systems: Vec<Json> = (0..50).map(|i| json!({ "id": format!("s{i}") })).collect();
    let result = result_of(&program, &json!({ "systems": systems }), "scored");
    assert_eq!(result.status, Status::Unknown);
    let findings: Vec<(FindingKind, &str)> = result
        .evidence
        .iter()
        .flat_map(|e| e.findings.iter().map(|f| (f.kind, f.text.as_str())))
        .collect();
    let expected: Vec<(FindingKind, String)> = (0..explain::MAX_INNER_ITEMS)
        .map(|i| (FindingKind::Missing, format!("systems[{i}].score")))
        .chain([(
            FindingKind::Omitted,
            "40 more items of systems lack evidence likewise (not listed)".to_string(),
        )])
        .collect();
    let expected: Vec<(FindingKind, &str)> =
        expected.iter().map(|(k, t)| (*k, t.as_str())).collect();
    assert_eq!(findings, expected);
}

#[test]
fn evidence_of_an_unknown_norm_lists_the_missing_paths() {
    let program = program(&norm(
        "n",
        "require all s in systems: s.owner.phone != \"\" and s.ok",
    ));
    let doc = json!({ "systems": [{ "id": "a", "owner": "c", "ok": true }, { "id": "b", "ok": true }],
                      "contacts": [{ "id": "c" }] });
    let result = result_of(&program, &doc, "n");
    assert_eq!(result.status, Status::Unknown);
    let texts: Vec<&str> = result
        .evidence
        .iter()
        .flat_map(|e| e.findings.iter().map(|f| f.text.as_str()))
        .collect();
    assert_eq!(texts, ["contacts[0].phone", "systems[1].owner"]);
}

#[test]
fn today_is_evaluated_on_unless_the_caller_sets_it() {
    let program = program(&norm("n", "require flags.d >= today"));
    let doc =
        json!({ "jurisdiction": { "evaluated_on": "2027-06-01" }, "flags": { "d": "2027-03-01" } });
    let evaluator = Evaluator::new(&program, Options::default());
    assert_eq!(
        evaluator.today_for(&crate::eval::Doc::from_json(&program, &doc)),
        Date::parse("2027-06-01").expect("a date")
    );
    assert_eq!(evaluator.evaluate(&doc).results[0].status, Status::Fail);
    let options = Options {
        today: Date::parse("2027-01-01"),
        ..Options::default()
    };
    assert_eq!(
        Evaluator::new(&program, options).evaluate(&doc).results[0].status,
        Status::Pass
    );
}

#[test]
fn a_malformed_date_in_the_document_is_missing() {
    let program = program(&norm("n", "require flags.d >= 2027-01-01"));
    assert_eq!(
        status_of(&program, &json!({ "flags": { "d": "2027-02-30" } }), "n"),
        Status::Unknown
    );
}

#[test]
fn caller_settings_win_over_the_profile_and_the_default() {
    let program = program(
        &(norm("n", "require flags.n >= min_n")
            + "param min_n: int = 3\nprofile strict { title \"S\" include all set min_n = 5 }\n"),
    );
    let doc = json!({ "flags": { "n": 4 } });
    let profile = program.profile_index("strict");
    let with = |profile: Option<usize>, settings: Vec<(ParamId, Const)>| {
        let options = Options {
            profile,
            settings,
            ..Options::default()
        };
        Evaluator::new(&program, options).evaluate(&doc).results[0].status
    };
    assert_eq!(with(None, vec![]), Status::Pass);
    assert_eq!(with(profile, vec![]), Status::Fail);
    let setting = parse_setting(&program, "min_n=4").expect("a valid setting");
    assert_eq!(with(profile, vec![setting]), Status::Pass);
}

#[test]
fn settings_are_parsed_against_the_parameter_type() {
    let program = program(&(norm("n", "require flags.n >= min_n") + "param min_n: int = 3\n"));
    assert!(matches!(
        parse_setting(&program, "min_n=2.5"),
        Err(SettingError::Value { .. })
    ));
    assert!(matches!(
        parse_setting(&program, "min_m=2"),
        Err(SettingError::UnknownParam {
            suggestion: Some(_),
            ..
        })
    ));
    assert!(matches!(
        parse_setting(&program, "min_n"),
        Err(SettingError::Form(_))
    ));
}

#[test]
fn settings_are_written_as_in_a_policy_too() {
    let program = program(
        &(norm("n", "require flags.n >= min_n")
            + "param min_n: int = 3\nparam label: string = \"x\"\nparam lead: duration = 90d\n"),
    );
    let value = |text: &str| parse_setting(&program, text).map(|(_, value)| value);
    assert_eq!(value("min_n=1_000"), Ok(Const::Number(1000.0)));
    assert_eq!(value("lead=1_000d"), Ok(Const::Duration(1000)));
    assert_eq!(value("label=\"y\""), Ok(Const::Str("y".into())));
    assert_eq!(value("label=a_b"), Ok(Const::Str("a_b".into())));
    assert!(value("min_n=_1").is_err() && value("min_n=1__0").is_err());
}

#[test]
fn a_whole_number_setting_beyond_2_pow_53_is_refused_not_rounded() {
    let program = program(
        &(norm("n", "require flags.n >= min_n and flags.n >= most")
            + "param min_n: int = 3\nparam most: count = 3\n"),
    );
    let value = |text: &str| parse_setting(&program, text).map(|(_, value)| value);
    assert_eq!(
        value("min_n=9007199254740992"),
        Ok(Const::Number(9007199254740992.0))
    );
    assert_eq!(
        value("min_n=-9007199254740992"),
        Ok(Const::Number(-9007199254740992.0))
    );
    for text in [
        "min_n=9007199254740993",
        "min_n=-9007199254740993",
        "most=1e20",
    ] {
        match parse_setting(&program, text) {
            Err(SettingError::Value { help, .. }) => assert_eq!(
                help.as_deref(),
                Some(
                    "whole numbers must lie between -9007199254740992 and 9007199254740992, \
                     where every one is exact"
                ),
                "{text}"
            ),
            other => panic!("{text}: {other:?}"),
        }
    }
    assert!(value("most=-1").is_err());
}

#[test]
fn an_enum_setting_outside_the_enum_names_the_closest_member_or_the_members() {
    let program = program(
        &(norm(
            "n",
            "require all s in systems: s.kind == kind and s.kind in kinds",
        ) + "param kind: Kind = \"a\"\nparam kinds: [Kind] = [\"a\"]\n"),
    );
    let help = |text: &str| match parse_setting(&program, text) {
        Err(SettingError::Value { help, .. }) => help,
        other => panic!("{text}: {other:?}"),
    };
    assert_eq!(help("kind=A").as_deref(), Some("did you mean `a`?"));
    assert_eq!(help("kind=zzz").as_deref(), Some("allowed values: a, b"));
    assert_eq!(help("kinds=a,B").as_deref(), Some("did you mean `b`?"));
    assert_eq!(
        help("kinds=[a, zzz]").as_deref(),
        Some("allowed values: a, b")
    );
    assert!(parse_setting(&program, "kinds=[a, b]").is_ok());
}

#[test]
fn merge_patch_follows_rfc_7396() {
    let mut doc = json!({ "a": { "b": 1, "c": 2 }, "d": [1, 2] });
    testing::merge_patch(&mut doc, &json!({ "a": { "b": null, "e": 3 }, "d": [3] }));
    assert_eq!(doc, json!({ "a": { "c": 2, "e": 3 }, "d": [3] }));
}

#[test]
fn references_into_long_lists_resolve_like_short_ones() {
    let program = program(&norm(
        "phone",
        "require all s in systems: s.owner.phone != \"\"",
    ));
    let contacts: Vec<Json> = (0..40)
        .map(|i| json!({ "id": format!("c{i}"), "phone": format!("{i}") }))
        .collect();
    let doc =
        |owner: &str| json!({ "systems": [{ "id": "x", "owner": owner }], "contacts": contacts });
    assert_eq!(status_of(&program, &doc("c37"), "phone"), Status::Pass);
    assert_eq!(status_of(&program, &doc("c99"), "phone"), Status::Fail);
    let result = result_of(&program, &doc("c99"), "phone");
    assert_eq!(result.evidence[0].findings[0].kind, FindingKind::Dangling);
}

#[test]
fn latest_is_the_item_with_the_greatest_key_and_unknown_without_items() {
    let program = program(&norm(
        "n",
        "require latest(s in systems by s.score).id == \"top\"",
    ));
    let doc = json!({ "systems": [{ "id": "a", "score": 1 }, { "id": "top", "score": 9 }, { "id": "b", "score": 3 }] });
    assert_eq!(status_of(&program, &doc, "n"), Status::Pass);
    assert_eq!(
        status_of(&program, &json!({ "systems": [] }), "n"),
        Status::Unknown
    );
    let doc = json!({ "systems": [{ "id": "top", "score": 9 }, { "id": "b" }] });
    assert_eq!(status_of(&program, &doc, "n"), Status::Unknown);
}

#[test]
fn built_ins_of_missing_values_are_unknown_and_exists_of_a_dangling_one_is_false() {
    let program = program(
        &[
            norm("len-n", "require len(flags.words[0]) > 0"),
            norm("contains-n", "require contains(flags.words, \"x\")"),
            norm(
                "exists-n",
                "require all s in systems: exists(s.owner.phone)",
            ),
        ]
        .concat(),
    );
    assert_eq!(
        status_of(&program, &json!({ "flags": { "words": [] } }), "len-n"),
        Status::Unknown
    );
    assert_eq!(
        status_of(&program, &json!({}), "contains-n"),
        Status::Unknown
    );
    let doc = json!({ "flags": { "words": ["y", null] } });
    assert_eq!(status_of(&program, &doc, "contains-n"), Status::Unknown);
    let doc = json!({ "flags": { "words": ["y", "x"] } });
    assert_eq!(status_of(&program, &doc, "contains-n"), Status::Pass);
    let doc = json!({ "systems": [{ "id": "s", "owner": "ghost" }], "contacts": [] });
    assert_eq!(status_of(&program, &doc, "exists-n"), Status::Fail);
}

#[test]
fn a_long_chain_of_definitions_is_an_error_not_a_stack_overflow() {
    let run = || {
        let mut policy = norm("deep", "require d599(flags.n) > 0");
        policy.push_str("def d0(x: int) = x + 1\n");
        for i in 1..600 {
            policy.push_str(&format!("def d{i}(x: int) = d{}(x) + 1\n", i - 1));
        }
        let program = program(&policy);
        let result = result_of(&program, &json!({ "flags": { "n": 1 } }), "deep");
        assert_eq!(result.status, Status::Error);
        assert_eq!(result.evidence[0].findings[0].kind, FindingKind::Fault);
        let result = result_of(&program, &json!({}), "deep");
        assert_eq!(result.status, Status::Error);
    };
    // Rayon's worker threads have small stacks; evaluate on one of that size.
    std::thread::Builder::new()
        .stack_size(2 * 1024 * 1024)
        .spawn(run)
        .expect("a thread")
        .join()
        .expect("no stack overflow");
}

#[test]
fn the_deepest_expression_the_parser_accepts_is_evaluated_and_explained() {
    let run = || {
        let chain = vec!["flags.n > 0"; 120].join(" and ");
        let sum = vec!["flags.n"; 120].join(" + ");
        let program = program(
            &[
                norm("chain", &format!("require {chain}")),
                norm("sum", &format!("require {sum} > 1000")),
            ]
            .concat(),
        );
        let doc = json!({ "flags": { "n": 0 } });
        assert_eq!(status_of(&program, &doc, "chain"), Status::Fail);
        assert_eq!(status_of(&program, &doc, "sum"), Status::Fail);
        assert_eq!(status_of(&program, &json!({}), "chain"), Status::Unknown);
        assert_eq!(status_of(&program, &json!({}), "sum"), Status::Unknown);
    };
    std::thread::Builder::new()
        .stack_size(2 * 1024 * 1024)
        .spawn(run)
        .expect("a thread")
        .join()
        .expect("no stack overflow");
}

#[test]
fn evidence_of_none_names_the_items_that_satisfy_the_condition() {
    let program = program(&norm("n", "require none s in systems: s.kind == \"a\""));
    let doc = json!({ "systems": [{ "id": "x", "kind": "b" }, { "id": "y", "kind": "a" }] });
    let result = result_of(&program, &doc, "n");
    assert_eq!(result.status, Status::Fail);
    let [evidence] = result.evidence.as_slice() else {
        panic!("one item expected: {:#?}", result.evidence)
    };
    assert_eq!(
        evidence.item.as_ref().map(|i| i.path.as_str()),
        Some("systems[1]")
    );
    assert_eq!(
        evidence.findings[0].text,
        "systems[1].kind is \"a\", which is == \"a\""
    );
}

/// Remembering definition calls and skipping the search for dangling references in norms that
/// follow none are optimisations: with both turned off, every example and hundreds of
/// degradations of them (a value nulled or removed) get the same outcomes, evidence included.
/// Evaluating statuses only gives them the same statuses and waivers.
#[test]
fn remembered_calls_skipped_searches_and_statuses_only_change_no_outcome() {
    use crate::test_support::{examples, library, pointers};
    let program = library();
    let options = || Options {
        run_date: Date::parse("2027-01-01"),
        ..Options::default()
    };
    let fast = Evaluator::new(&program, options());
    let brief = Evaluator::new(
        &program,
        Options {
            statuses_only: true,
            ..options()
        },
    );
    let mut plain = Evaluator::new(&program, options());
    plain.facts.def_memoizable.fill(false);
    plain.facts.norm_may_dangle.fill(true);
    assert!(fast.facts.def_memoizable.contains(&true));
    assert!(fast.facts.norm_may_dangle.contains(&false));
    let (mut compared, mut waived) = (0, 0);
    for example in examples() {
        let mut at = Vec::new();
        pointers(&example, String::new(), &mut at);
        let mut variants = vec![example.clone()];
        for pointer in at.iter().step_by(5) {
            let mut nulled = example.clone();
            if let Some(slot) = nulled.pointer_mut(pointer) {
                *slot = Json::Null;
            }
            variants.push(nulled);
            let (parent, key) = pointer.rsplit_once('/').expect("a pointer");
            let mut removed = example.clone();
            match removed.pointer_mut(parent) {
                Some(Json::Object(map)) => drop(map.remove(key)),
                Some(Json::Array(items)) => drop(items.remove(key.parse().expect("an index"))),
                _ => {}
            }
            variants.push(removed);
        }
        for doc in &variants {
            let outcome = fast.evaluate(doc);
            assert_eq!(outcome, plain.evaluate(doc), "{doc}");
            assert_same_statuses(&program, &brief.evaluate(doc), &outcome);
            waived += (outcome.results.iter())
                .filter(|r| r.status == Status::Waived)
                .count();
            compared += 1;
        }
    }
    assert!(compared > 500, "{compared} documents compared");
    assert!(waived > 100, "{waived} waived results compared");
}

#[test]
fn every_finding_path_on_the_examples_names_a_value_of_the_document() {
    use crate::config::PathSegment;
    use crate::report::text::parse_path;
    use crate::test_support::{examples, library};
    let program = library();
    let options = Options {
        run_date: Date::parse("2027-01-01"),
        ..Options::default()
    };
    let evaluator = Evaluator::new(&program, options);
    let (mut with_path, mut failed_without) = (0, Vec::new());
    for example in examples() {
        let outcome = evaluator.evaluate(&example);
        let findings = outcome.results.iter().flat_map(|r| &r.evidence);
        for finding in findings.flat_map(|e| &e.findings) {
            let Some(path) = finding.path() else {
                if finding.kind == FindingKind::Failed && !finding.text.starts_with("norm ") {
                    failed_without.push(finding.text.clone());
                }
                continue;
            };
            let segments = parse_path(path).unwrap_or_else(|| panic!("{path} is a path"));
            let pointer: String = segments
                .iter()
                .map(|segment| match segment {
                    PathSegment::Key(key) => format!("/{key}"),
                    PathSegment::Index(index) => format!("/{index}"),
                })
                .collect();
            // A missing value is absent or null; every other finding reads a present one.
            let value = example.pointer(&pointer);
            if finding.kind == FindingKind::Missing {
                assert!(value.is_none_or(Json::is_null), "{path}: {finding:?}");
            } else {
                assert!(value.is_some(), "{path} is in the document: {finding:?}");
            }
            with_path += 1;
        }
    }
    assert!(with_path > 100, "{with_path} findings name a path");
    assert!(failed_without.is_empty(), "{failed_without:#?}");
}

#[test]
fn the_findings_of_a_failing_or_are_marked_as_alternatives() {
    let program = program(
        &[
            norm(
                "or",
                "require all s in systems: s.score > 10 or s.ok or s.kind == \"a\"",
            ),
            norm("and", "require all s in systems: s.score > 10 and s.ok"),
            norm("unknown", "require all s in systems: s.score > 10 or s.ok"),
        ]
        .concat(),
    );
    let doc = json!({ "systems": [{ "id": "a", "score": 1, "ok": false, "kind": "b" }] });
    let marks = |id: &str, doc: &Json| -> Vec<(FindingKind, bool)> {
        let result = result_of(&program, doc, id);
        let findings = result.evidence.iter().flat_map(|e| e.findings.iter());
        findings.map(|f| (f.kind, f.alternative)).collect()
    };
    let failed = FindingKind::Failed;
    assert_eq!(
        marks("or", &doc),
        [(failed, false), (failed, true), (failed, true)]
    );
    assert_eq!(marks("and", &doc), [(failed, false), (failed, false)]);
    // An unknown `or` lists what is missing: no alternative was seen to fail.
    let partial = json!({ "systems": [{ "id": "a", "ok": false }] });
    assert_eq!(marks("unknown", &partial), [(FindingKind::Missing, false)]);
}

/// Forty definitions, each using the one before twice: `d1 = d0 OP d0`, `d2 = d1 OP d1`, ….
fn branching_defs(params: &str, args: &str, op: &str, base: &str) -> String {
    let mut defs = format!("def d0{params} = {base}\n");
    for level in 1..40 {
        let below = level - 1;
        defs += &format!("def d{level}{params} = d{below}{args} {op} d{below}{args}\n");
    }
    defs
}

#[test]
fn the_explanation_of_branching_definitions_stops_and_says_so() {
    let defs = branching_defs("", "", "or", "flags.n > 5");
    let program = program(&(defs + &norm("branching", "require d39")));
    let result = result_of(&program, &json!({ "flags": { "n": 1 } }), "branching");
    assert_eq!(result.status, Status::Fail);
    let findings: Vec<(FindingKind, &str)> = result
        .evidence
        .iter()
        .flat_map(|e| e.findings.iter().map(|f| (f.kind, f.text.as_str())))
        .collect();
    assert_eq!(
        findings[0],
        (FindingKind::Failed, "flags.n is 1; required > 5")
    );
    let (kind, text) = findings.last().copied().expect("a finding");
    assert_eq!(kind, FindingKind::Omitted);
    assert!(text.starts_with("the explanation stops after 100000 conditions"));
}

#[test]
fn evaluation_that_branches_exponentially_is_an_error_not_a_hang() {
    // Four parameters: calls are not remembered, so every call is evaluated again.
    let params = "(a: int, b: int, c: int, e: int)";
    let defs = branching_defs(params, "(a, b, c, e)", "or", "a > b + c + e");
    let body = defs
        + &norm("branching", "require d39(flags.n, 1, 1, 1)")
        + &norm("next", "require flags.n > 5");
    let program = program(&body);
    let doc = json!({ "flags": { "n": 1 } });
    let result = result_of(&program, &doc, "branching");
    assert_eq!(result.status, Status::Error);
    let text = &result.evidence[0].findings[0].text;
    assert!(
        text.contains("called definitions more than 10000000 times"),
        "{text}"
    );
    // The next norm has its own allowance.
    assert_eq!(status_of(&program, &doc, "next"), Status::Fail);
}
