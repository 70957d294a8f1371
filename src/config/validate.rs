//! Validates a jurisdiction document against the program's schema: every required field is
//! present, every value has its field's type (dates are real `YYYY-MM-DD` dates, enum values
//! are members), no field is unknown (a warning, with a suggestion), every waiver names a
//! norm of the policy set (a warning), no id repeats in a list that references point into
//! (a warning), and every reference names an item of its list (a warning, with a suggestion).

use serde_json::Value as Json;

use super::{Path, PathSegment, Problem, ProblemKind};
use crate::check::{ObjectType, Program, Type};
use crate::date::Date;
use crate::diagnostics::did_you_mean;
use std::collections::{HashMap, HashSet};

use crate::eval::{Doc, Node, WAIVERS_FIELD};

use crate::check::{LARGEST_WHOLE, TOO_LARGE_HELP, WrittenWhole, written_whole};

/// The text of the number at a path as the document writes it, when it is known.
pub type Written<'a> = dyn Fn(&[PathSegment]) -> Option<String> + 'a;

/// How number `n`, at `path`, stands as a whole number: an integer as read; a number read
/// as an `f64` (written with a decimal point or an exponent, or beyond 64 bits) as `written`
/// gives it, else as read. 2^53 + 1 would round to 2^53 as an `f64`, and so would
/// `9007199254740993.0`. Gives the judgement and the number as written, for messages.
fn judge_whole(
    n: &serde_json::Number,
    path: &Path,
    written: &Written<'_>,
) -> (WrittenWhole, String) {
    let beyond = |magnitude: u64| match magnitude > LARGEST_WHOLE {
        true => WrittenWhole::TooLarge,
        false => WrittenWhole::Exact,
    };
    match (n.as_u64(), n.as_i64()) {
        (Some(whole), _) => (beyond(whole), n.to_string()),
        (None, Some(whole)) => (beyond(whole.unsigned_abs()), n.to_string()),
        (None, None) => {
            let text = written(path);
            let judged = text.as_deref().and_then(written_whole);
            match (text, judged) {
                (Some(text), Some(judged)) => (judged, text),
                _ => {
                    let value = n.as_f64().unwrap_or(f64::INFINITY);
                    let judged = if value.fract() != 0.0 {
                        WrittenWhole::Fraction
                    } else if value.abs() > LARGEST_WHOLE as f64 {
                        WrittenWhole::TooLarge
                    } else {
                        WrittenWhole::Exact
                    };
                    (judged, n.to_string())
                }
            }
        }
    }
}

/// The problem of number `n` in an `int` or `count` field (`ty`), if any: not whole, below 0
/// in a count, or too large to be exact, judged as written (see [`judge_whole`]).
fn whole_number_problem(
    ty: &Type,
    n: &serde_json::Number,
    path: &Path,
    written: &Written<'_>,
) -> Option<Problem> {
    let value = n.as_f64()?;
    let (expected, help, range) = match ty {
        Type::Count => (
            "a whole number, 0 or more",
            "a `count` field holds how many there are: a whole number between 0 and \
             9007199254740992 (2^53)",
            "a count must lie between 0 and 9007199254740992",
        ),
        _ => (
            "a whole number",
            "an `int` field holds a whole number between -9007199254740992 and \
             9007199254740992 (2^53)",
            "whole numbers must lie between -9007199254740992 and 9007199254740992",
        ),
    };
    let negative = *ty == Type::Count && value < 0.0;
    let (judged, shown) = judge_whole(n, path, written);
    let (message, help) = if negative || judged == WrittenWhole::Fraction {
        (
            format!("expected {expected}, found the number {shown}"),
            help,
        )
    } else if judged == WrittenWhole::TooLarge {
        (format!("too large: {range}"), TOO_LARGE_HELP)
    } else {
        return None;
    };
    Some(Problem::new(ProblemKind::WrongType, path.clone(), message).with_help(help))
}

/// Every schema problem of `doc`, in document order, for a document built in memory: each
/// number is judged as read (see [`validate_written`]).
pub fn validate(program: &Program, doc: &Json) -> Vec<Problem> {
    validate_written(program, doc, &|_| None)
}

/// Every schema problem of `doc`, read from a text that `written` finds each number's text
/// in: a whole number written with a decimal point or an exponent is judged as written, not
/// as the `f64` it was read as.
pub fn validate_written(program: &Program, doc: &Json, written: &Written<'_>) -> Vec<Problem> {
    let mut problems = Vec::new();
    let schema = &program.schema;
    let Some(root) = schema.objects.get(schema.root) else {
        return problems;
    };
    let mut path = Vec::new();
    match doc {
        Json::Object(_) => check_object(program, root, doc, &mut path, written, &mut problems),
        _ => problems.push(Problem::new(
            ProblemKind::WrongType,
            Vec::new(),
            format!("the document must be an object, found {}", json_kind(doc)),
        )),
    }
    if let Some(waivers) = doc.get(WAIVERS_FIELD) {
        problems.extend(waivers_problems(program, waivers));
    }
    problems
}

/// True when `value`, read as a value of type `ty`, has no problem; false also when a number
/// of it could only be judged on its text, which the caller does not have.
pub(super) fn value_is_valid(program: &Program, ty: &Type, value: &Json) -> bool {
    let mut problems = Vec::new();
    let needs_text = std::cell::Cell::new(false);
    let written = |_: &[PathSegment]| {
        needs_text.set(true);
        None
    };
    check_value(program, ty, value, &mut Vec::new(), &written, &mut problems);
    problems.is_empty() && !needs_text.get()
}

fn check_object(
    program: &Program,
    object: &ObjectType,
    value: &Json,
    path: &mut Path,
    written: &Written<'_>,
    problems: &mut Vec<Problem>,
) {
    let Json::Object(map) = value else { return };
    for field in &object.fields {
        let present = map.get(&field.name).filter(|v| !v.is_null());
        if field.required
            && present
                .and_then(Json::as_str)
                .is_some_and(|t| t.trim().is_empty())
        {
            let mut at = path.clone();
            at.push(PathSegment::Key(field.name.clone()));
            let message = format!("required field `{}` is empty", field.name);
            let help = format!("give `{}` a value: it may not be blank", field.name);
            problems.push(Problem::new(ProblemKind::MissingField, at, message).with_help(help));
            continue;
        }
        match present {
            Some(value) => {
                path.push(PathSegment::Key(field.name.clone()));
                check_value(program, &field.ty, value, path, written, problems);
                path.pop();
            }
            None if field.required => {
                let mut at = path.clone();
                at.push(PathSegment::Key(field.name.clone()));
                problems.push(
                    Problem::new(
                        ProblemKind::MissingField,
                        at,
                        format!("required field `{}` is missing", field.name),
                    )
                    .with_help(format!(
                        "add `{}` ({})",
                        field.name,
                        field.ty.display(&program.schema)
                    )),
                );
            }
            None => {}
        }
    }
    for key in map.keys() {
        if object.field_index(key).is_some() {
            continue;
        }
        let mut at = path.clone();
        at.push(PathSegment::Key(key.clone()));
        let owner = if path.is_empty() {
            "the document".to_string()
        } else {
            format!("`{}`", object.name)
        };
        let names = object.fields.iter().map(|f| f.name.as_str());
        let help = match did_you_mean(key, names) {
            Some(close) => format!("did you mean `{close}`?"),
            None => format!(
                "known fields: {}",
                object
                    .fields
                    .iter()
                    .map(|f| f.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        problems.push(
            Problem::new(
                ProblemKind::UnknownField,
                at,
                format!("{owner} has no field `{key}`; no norm reads it"),
            )
            .with_help(help),
        );
    }
}

fn check_value(
    program: &Program,
    ty: &Type,
    value: &Json,
    path: &mut Path,
    written: &Written<'_>,
    problems: &mut Vec<Problem>,
) {
    let schema = &program.schema;
    let wrong = |expected: String| {
        Problem::new(
            ProblemKind::WrongType,
            path.clone(),
            format!("expected {expected}, found {}", found(value)),
        )
    };
    match (ty, value) {
        (Type::Any, _) | (Type::Bool, Json::Bool(_)) => {}
        (Type::Number, Json::Number(_)) => {}
        (Type::Int | Type::Count, Json::Number(n)) => {
            problems.extend(whole_number_problem(ty, n, path, written));
        }
        (Type::Ratio, Json::Number(n)) => {
            if n.as_f64().is_none_or(|n| !(0.0..=1.0).contains(&n)) {
                problems.push(wrong("a ratio between 0 and 1".into()).with_help("write e.g. 0.05"));
            }
        }
        (Type::String | Type::Ref(_), Json::String(_)) => {}
        (Type::Date, Json::String(s)) => {
            if Date::parse(s).is_none() {
                problems.push(
                    Problem::new(
                        ProblemKind::InvalidDate,
                        path.clone(),
                        format!("\"{s}\" is not a real date"),
                    )
                    .with_help("dates are written YYYY-MM-DD, e.g. \"2027-03-18\""),
                );
            }
        }
        (Type::Enum(id), Json::String(s)) => {
            let Some(members) = schema.enums.get(*id) else {
                return;
            };
            if !members.has(s) {
                let names = members.members.iter().map(|(m, _)| m.as_str());
                let help = match did_you_mean(s, names) {
                    Some(close) => format!("did you mean \"{close}\"?"),
                    None => format!(
                        "allowed: {}",
                        members
                            .members
                            .iter()
                            .map(|(m, _)| format!("\"{m}\""))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                };
                problems.push(
                    Problem::new(
                        ProblemKind::UnknownEnumMember,
                        path.clone(),
                        format!("\"{s}\" is not a member of `{}`", members.name),
                    )
                    .with_help(help),
                );
            }
        }
        (Type::Object(id), Json::Object(_)) => {
            if let Some(object) = schema.objects.get(*id) {
                check_object(program, object, value, path, written, problems);
            }
        }
        (Type::List(element), Json::Array(items)) => {
            for (index, item) in items.iter().enumerate() {
                path.push(PathSegment::Index(index));
                if !item.is_null() {
                    check_value(program, element, item, path, written, problems);
                }
                path.pop();
            }
        }
        (Type::Bool, Json::String(text)) if is_boolean_word(text) => {
            let help = format!(
                "\"{text}\" is text, not a boolean (YAML 1.2 reads yes, no, on and off as text too): write true or false, without quotes"
            );
            problems.push(wrong("true or false".into()).with_help(help));
        }
        (ty, _) => {
            let problem = wrong(describe_type(program, ty));
            problems.push(match number_written_as_text(ty, value) {
                Some(help) => problem.with_help(help),
                None => problem,
            });
        }
    }
}

/// For a number field holding text that spells a number (`1_200` in YAML, `"12"`), how to
/// write it as a number.
fn number_written_as_text(ty: &Type, value: &Json) -> Option<String> {
    let numeric = matches!(ty, Type::Int | Type::Count | Type::Number | Type::Ratio);
    numeric
        .then(|| value.as_str())
        .flatten()
        .and_then(super::yaml12::number_hint)
}

/// Text that was meant as a boolean: `"true"` in quotes, or a word older YAML read as one and
/// YAML 1.2 (like Rampart) reads as text.
fn is_boolean_word(text: &str) -> bool {
    const WORDS: [&str; 8] = ["y", "yes", "n", "no", "on", "off", "true", "false"];
    WORDS.iter().any(|word| text.eq_ignore_ascii_case(word))
}

fn describe_type(program: &Program, ty: &Type) -> String {
    match ty {
        Type::Bool => "true or false".into(),
        Type::Int => "a whole number".into(),
        Type::Count => "a whole number, 0 or more".into(),
        Type::Number | Type::Ratio => "a number".into(),
        Type::String => "a string".into(),
        Type::Date => "a date string (YYYY-MM-DD)".into(),
        Type::Ref(_) => format!("an id ({})", ty.display(&program.schema)),
        Type::Enum(_) => format!("a string ({})", ty.display(&program.schema)),
        Type::Object(_) => format!("an object ({})", ty.display(&program.schema)),
        Type::List(_) => format!("a list ({})", ty.display(&program.schema)),
        Type::Duration | Type::Any => ty.display(&program.schema).to_string(),
    }
}

/// Longest text quoted in a wrong-type problem.
const MAX_QUOTED_CHARS: usize = 40;

/// A value as a wrong-type problem names it: a scalar with its value (`the string "3.5%"`,
/// `2.5`), a list or an object by its kind.
fn found(value: &Json) -> String {
    match value {
        Json::String(text) if text.chars().count() > MAX_QUOTED_CHARS => {
            let start: String = text.chars().take(MAX_QUOTED_CHARS).collect();
            format!("the string \"{start}…\"")
        }
        Json::String(text) => format!("the string {}", Json::from(text.as_str())),
        Json::Number(n) => format!("the number {n}"),
        Json::Bool(b) => format!("{b}"),
        _ => json_kind(value).to_string(),
    }
}

fn json_kind(value: &Json) -> &'static str {
    match value {
        Json::Null => "null",
        Json::Bool(_) => "a boolean",
        Json::Number(_) => "a number",
        Json::String(_) => "a string",
        Json::Array(_) => "a list",
        Json::Object(_) => "an object",
    }
}

/// Each repeated `id` in a root list that references point into (a warning): a reference
/// finds the first item with its id, so the evidence of the others is never read.
pub(super) fn repeated_ids(program: &Program, doc: &Doc) -> Vec<Problem> {
    let schema = &program.schema;
    let targets = reference_targets(program);
    let mut problems = Vec::new();
    for (index, field) in schema.root_object().fields.iter().enumerate() {
        if !targets.get(index).copied().unwrap_or(false) {
            continue;
        }
        let Node::List { first, len } = doc.root_field(index) else {
            continue;
        };
        let mut seen: HashMap<&str, usize, foldhash::fast::FixedState> = HashMap::default();
        for (item, node) in doc.nodes(first, len).iter().enumerate() {
            let Some(id) = doc.id_of(*node) else {
                continue;
            };
            if let Some(earlier) = seen.insert(id, item) {
                // Keep the first item as the one references find.
                seen.insert(id, earlier);
                let path = vec![
                    PathSegment::Key(field.name.clone()),
                    PathSegment::Index(item),
                    PathSegment::Key("id".to_string()),
                ];
                let message = format!(
                    "id \"{id}\" is also the id of {}[{earlier}]; references to it find that one",
                    field.name
                );
                let help = "give each item its own id, or merge the two items";
                problems
                    .push(Problem::new(ProblemKind::DuplicateId, path, message).with_help(help));
            }
        }
    }
    problems
}

/// Each reference of `doc` that names no item of the list it points into (a warning, with the
/// closest id as a suggestion): a mistyped id is reported up front, even where no norm reads
/// it, instead of only failing the norms that follow it.
pub(super) fn dangling_references(program: &Program, doc: &Doc) -> Vec<Problem> {
    let schema = &program.schema;
    let mut walk = RefWalk {
        program,
        doc,
        ids: vec![None; schema.root_object().fields.len()],
        helps: HashMap::new(),
        path: Vec::new(),
        problems: Vec::new(),
        ref_fields: schema.reference_fields(),
    };
    if let Some(root) = doc.root() {
        walk.value(root, &Type::Object(schema.root));
    }
    walk.problems
}

/// Most distinct dangling ids of a document for which the closest id is looked for: each look
/// compares the id with every id of its list, so a document of thousands of items that names
/// thousands of missing ids would otherwise take seconds for its warnings.
const MAX_SEARCHED_IDS: usize = 200;

/// The state of [`dangling_references`]' walk through a document.
struct RefWalk<'a> {
    program: &'a Program,
    doc: &'a Doc,
    /// The ids of each root list (by root field) that a reference pointed into, gathered on
    /// first use.
    ids: Vec<Option<HashSet<&'a str>>>,
    /// The help of each dangling id met so far, by root field and id: a document that repeats
    /// a wrong id thousands of times looks for the closest id once.
    helps: HashMap<(usize, &'a str), String>,
    /// Where the walk is, as borrowed steps: a [`Path`] is built only for a problem.
    path: Vec<Step<'a>>,
    problems: Vec<Problem>,
    /// For each object type, the fields where a reference can occur.
    ref_fields: &'a [Vec<usize>],
}

/// One step of [`RefWalk`]'s position.
#[derive(Clone, Copy)]
enum Step<'a> {
    Key(&'a str),
    Index(usize),
}

impl<'a> RefWalk<'a> {
    fn value(&mut self, node: Node, ty: &Type) {
        match (node, ty) {
            (Node::Object { first, .. }, Type::Object(id)) => self.object(first, *id),
            (Node::List { first, len }, Type::List(element)) => {
                for (index, item) in self.doc.nodes(first, len).iter().enumerate() {
                    self.path.push(Step::Index(index));
                    self.value(*item, element);
                    self.path.pop();
                }
            }
            (Node::Str { start, len }, Type::Ref(target)) => {
                let id = self.doc.str(start, len);
                self.reference(id, *target);
            }
            _ => {}
        }
    }

    fn object(&mut self, first: u32, id: usize) {
        let program = self.program;
        let Some(object) = program.schema.objects.get(id) else {
            return;
        };
        let ref_fields = self.ref_fields;
        for &index in ref_fields.get(id).map_or(&[][..], Vec::as_slice) {
            let field = &object.fields[index];
            self.path.push(Step::Key(&field.name));
            self.value(self.doc.field(first, index), &field.ty);
            self.path.pop();
        }
    }

    fn reference(&mut self, id: &'a str, target: usize) {
        let doc = self.doc;
        let Some(slot) = self.ids.get_mut(target) else {
            return;
        };
        let ids = slot.get_or_insert_with(|| match doc.root_field(target) {
            Node::List { first, len } => (doc.nodes(first, len).iter())
                .filter_map(|item| doc.id_of(*item))
                .collect(),
            _ => HashSet::new(),
        });
        if ids.contains(id) {
            return;
        }
        let list = (self.program.schema.root_object().fields.get(target))
            .map_or("?", |field| field.name.as_str());
        let search = self.helps.len() < MAX_SEARCHED_IDS;
        let help = (self.helps.entry((target, id)))
            .or_insert_with(
                || match search.then(|| did_you_mean(id, ids.iter().copied())) {
                    Some(Some(close)) => format!("did you mean \"{close}\"?"),
                    _ if ids.is_empty() => format!("{list} lists no item with an id yet"),
                    _ => format!("add an item with this id to {list}, or use one of its ids"),
                },
            )
            .clone();
        let message =
            format!("\"{id}\" is not the id of an item of {list}; norms that read it fail");
        let path = (self.path.iter())
            .map(|step| match *step {
                Step::Key(name) => PathSegment::Key(name.to_string()),
                Step::Index(index) => PathSegment::Index(index),
            })
            .collect();
        let problem = Problem::new(ProblemKind::DanglingReference, path, message);
        self.problems.push(problem.with_help(help));
    }
}

/// For each root field, whether some `ref` in the schema points into it.
fn reference_targets(program: &Program) -> Vec<bool> {
    fn target(ty: &Type) -> Option<usize> {
        match ty {
            Type::Ref(target) => Some(*target),
            Type::List(element) => target(element),
            _ => None,
        }
    }
    let schema = &program.schema;
    let mut targets = vec![false; schema.root_object().fields.len()];
    let fields = schema.objects.iter().flat_map(|object| &object.fields);
    for index in fields.filter_map(|field| target(&field.ty)) {
        if let Some(slot) = targets.get_mut(index) {
            *slot = true;
        }
    }
    targets
}

/// A waiver naming no norm of the policy set excuses nothing: a warning for each.
pub(super) fn waivers_problems(program: &Program, waivers: &Json) -> Vec<Problem> {
    let mut problems = Vec::new();
    let Some(waivers) = waivers.as_array() else {
        return problems;
    };
    for (index, waiver) in waivers.iter().enumerate() {
        let Some(norm) = waiver.get("norm").and_then(Json::as_str) else {
            continue;
        };
        if program.norm_index(norm).is_some() {
            continue;
        }
        let path = vec![
            PathSegment::Key(WAIVERS_FIELD.into()),
            PathSegment::Index(index),
            PathSegment::Key("norm".into()),
        ];
        let ids = program.norms.iter().map(|n| n.id.as_str());
        let help = did_you_mean(norm, ids).map_or_else(
            || "name a norm of the policy set".to_string(),
            |close| format!("did you mean `{close}`?"),
        );
        problems.push(
            Problem::new(
                ProblemKind::UnknownWaivedNorm,
                path,
                format!("the waiver names norm `{norm}`, which the policy set does not have"),
            )
            .with_help(help),
        );
    }
    problems
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::check;
    use crate::config::display_path;
    use crate::workspace::{MemoryFiles, Workspace};

    fn program() -> Program {
        let mut files = MemoryFiles::new();
        files.insert(
            "main.rampart",
            r#"
            source s { title "S" }
            pillar p "P"
            enum Kind { "website", "email" }
            schema { election: Election  systems?: [System]  waivers?: [Waiver] }
            type Election { date: date  turnout?: ratio  rounds?: int  seats?: count  paper?: bool }
            type System { id: string  kind?: Kind }
            type Waiver { norm: string }
            norm n { title "t" pillar p severity low cites s require election.date <= 2030-01-01 }
            "#,
        );
        let workspace = Workspace::load(&files, "main.rampart");
        check::check(&workspace).program
    }

    fn problems(doc: serde_json::Value) -> Vec<(ProblemKind, String)> {
        validate(&program(), &doc)
            .into_iter()
            .map(|p| (p.kind, display_path(&p.path)))
            .collect()
    }

    #[test]
    fn a_valid_document_has_no_problem_and_null_optional_fields_are_fine() {
        let doc = json!({ "election": { "date": "2027-01-01", "turnout": null }, "systems": [] });
        assert_eq!(problems(doc), []);
    }

    #[test]
    fn each_kind_of_problem_is_reported_at_its_path() {
        let doc = json!({
            "election": { "turnout": 1.5, "rounds": 1.5, "dat": "x" },
            "systems": [{ "id": 3, "kind": "websites" }],
            "waivers": [{ "norm": "m" }],
        });
        assert_eq!(
            problems(doc),
            [
                (ProblemKind::MissingField, "election.date".to_string()),
                (ProblemKind::WrongType, "election.turnout".to_string()),
                (ProblemKind::WrongType, "election.rounds".to_string()),
                (ProblemKind::UnknownField, "election.dat".to_string()),
                (ProblemKind::WrongType, "systems[0].id".to_string()),
                (
                    ProblemKind::UnknownEnumMember,
                    "systems[0].kind".to_string()
                ),
                (
                    ProblemKind::UnknownWaivedNorm,
                    "waivers[0].norm".to_string()
                ),
            ]
        );
    }

    #[test]
    fn an_unknown_field_suggests_the_nearest() {
        let doc = json!({ "election": { "date": "2027-01-01", "round": 2 } });
        let found = validate(&program(), &doc);
        assert_eq!(found[0].help.as_deref(), Some("did you mean `rounds`?"));
        assert_eq!(found[0].severity(), crate::diagnostics::Severity::Warning);
    }

    #[test]
    fn a_boolean_written_as_text_is_told_how_to_write_it() {
        for word in ["yes", "Off", "true"] {
            let doc = json!({ "election": { "date": "2027-01-01", "paper": word } });
            let found = validate(&program(), &doc);
            assert_eq!(found[0].kind, ProblemKind::WrongType);
            let help = found[0].help.as_deref().unwrap_or_default();
            assert!(
                help.contains(&format!("\"{word}\" is text, not a boolean")),
                "{help}"
            );
        }
        let doc = json!({ "election": { "date": "2027-01-01", "paper": "maybe" } });
        assert_eq!(validate(&program(), &doc)[0].help, None);
    }

    #[test]
    fn a_yaml_1_1_number_is_text_and_told_how_to_write_it() {
        let text = "election:\n  date: 2027-01-01\n  rounds: 1_200\n";
        let doc = super::super::parse(text, super::super::Format::Yaml).expect("valid YAML");
        let found = validate(&program(), &doc);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].kind, ProblemKind::WrongType);
        assert_eq!(
            found[0].message,
            "expected a whole number, found the string \"1_200\""
        );
        let help = found[0].help.as_deref().unwrap_or_default();
        assert!(help.ends_with("write 1200 without underscores"), "{help}");
    }

    /// The message and help of the one problem of `election` in `text`, read as `format`.
    fn election_problem(text: &str, format: super::super::Format) -> (String, String) {
        let doc = super::super::parse(text, format).expect("valid syntax");
        let found = validate(&program(), &doc);
        assert_eq!(found.len(), 1, "{text}: {found:?}");
        assert_eq!(found[0].kind, ProblemKind::WrongType);
        let help = found[0].help.clone().unwrap_or_default();
        (found[0].message.clone(), help)
    }

    #[test]
    fn a_whole_number_beyond_2_pow_53_is_too_large_in_json_and_yaml() {
        use super::super::Format::{Json, Yaml};
        let int =
            "too large: whole numbers must lie between -9007199254740992 and 9007199254740992";
        let count = "too large: a count must lie between 0 and 9007199254740992";
        for (text, format, expected) in [
            (
                r#"{"election": {"date": "2027-01-01", "rounds": 9007199254740993}}"#,
                Json,
                int,
            ),
            (
                r#"{"election": {"date": "2027-01-01", "rounds": -9007199254740993}}"#,
                Json,
                int,
            ),
            (
                r#"{"election": {"date": "2027-01-01", "rounds": 1e20}}"#,
                Json,
                int,
            ),
            (
                r#"{"election": {"date": "2027-01-01", "seats": 9223372036854775807}}"#,
                Json,
                count,
            ),
            (
                r#"{"election": {"date": "2027-01-01", "seats": 18446744073709551616}}"#,
                Json,
                count,
            ),
            (
                "election:\n  date: 2027-01-01\n  rounds: 9007199254740993\n",
                Yaml,
                int,
            ),
            (
                "election:\n  date: 2027-01-01\n  seats: 1e20\n",
                Yaml,
                count,
            ),
        ] {
            let (message, help) = election_problem(text, format);
            assert_eq!(message, expected, "{text}");
            assert_eq!(help, TOO_LARGE_HELP, "{text}");
        }
    }

    #[test]
    fn the_help_of_int_and_count_fields_names_the_same_limit() {
        use super::super::Format::Json;
        let int = r#"{"election": {"date": "2027-01-01", "rounds": 2.5}}"#;
        let count = r#"{"election": {"date": "2027-01-01", "seats": -1}}"#;
        assert_eq!(
            election_problem(int, Json),
            (
                "expected a whole number, found the number 2.5".to_string(),
                "an `int` field holds a whole number between -9007199254740992 and 9007199254740992 (2^53)".to_string()
            )
        );
        assert_eq!(
            election_problem(count, Json),
            (
                "expected a whole number, 0 or more, found the number -1".to_string(),
                "a `count` field holds how many there are: a whole number between 0 and 9007199254740992 (2^53)".to_string()
            )
        );
    }

    #[test]
    fn an_impossible_date_is_an_error() {
        let doc = json!({ "election": { "date": "2027-02-30" } });
        assert_eq!(
            problems(doc),
            [(ProblemKind::InvalidDate, "election.date".to_string())]
        );
    }
}
