//! The formatter: on every policy of the library, every valid fixture, every example of
//! `docs/language.md` and random mutants of them, formatting is idempotent, keeps the tree
//! (ignoring spans) and keeps every comment; plus snapshots of messy inputs laid out.
//! Review changed snapshots with `cargo insta review`.

use std::path::{Path, PathBuf};

use proptest::prelude::*;
use rampart::fmt::{FormatError, format_source};
use rampart::syntax::{FileId, TokenKind, ast, lex, parse};

// ----- properties -----

/// The tree as a Debug dump without spans or comment positions.
fn ast_fingerprint(file: &ast::File) -> String {
    strip_spans(&format!("{:#?}", file.items))
}

/// Replaces every `Span { … }` of a Debug dump with `_`.
fn strip_spans(dump: &str) -> String {
    let mut out = String::with_capacity(dump.len());
    let mut rest = dump;
    while let Some(start) = rest.find("Span {") {
        out.push_str(&rest[..start]);
        out.push('_');
        let after = &rest[start..];
        let end = after.find('}').map_or(after.len(), |close| close + 1);
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

/// How many `//` comments and `///` lines the text has.
fn comment_counts(text: &str) -> (usize, usize) {
    let tokens = lex(FileId(0), text).tokens;
    let count = |kind| tokens.iter().filter(|token| token.kind == kind).count();
    (count(TokenKind::Comment), count(TokenKind::DocComment))
}

fn has_syntax_errors(text: &str) -> bool {
    !parse(FileId(0), text).diagnostics.is_empty()
}

/// Checks the three properties on `text` (which parses cleanly); `Err` says which failed.
fn check_properties(text: &str) -> Result<(), String> {
    let formatted = format_source(text).map_err(|error| format!("not formatted: {error}"))?;
    let again = format_source(&formatted)
        .map_err(|error| format!("output does not parse: {error}\n{formatted}"))?;
    if again != formatted {
        return Err(format!(
            "not idempotent:\n--- once\n{formatted}\n--- twice\n{again}"
        ));
    }
    let before = ast_fingerprint(&parse(FileId(0), text).file);
    let after = ast_fingerprint(&parse(FileId(0), &formatted).file);
    if before != after {
        return Err(format!("tree changed:\n{formatted}"));
    }
    if comment_counts(text) != comment_counts(&formatted) {
        return Err(format!(
            "comments changed: {:?} before, {:?} after:\n{formatted}",
            comment_counts(text),
            comment_counts(&formatted)
        ));
    }
    Ok(())
}

// ----- corpus -----

fn rampart_files(dir: &Path, acc: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("corpus directory exists")
        .map(|entry| entry.expect("directory entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            rampart_files(&path, acc);
        } else if path.extension().is_some_and(|ext| ext == "rampart") {
            acc.push(path);
        }
    }
}

/// Every policy of the library and every valid fixture, with its name.
fn corpus_files() -> Vec<(String, String)> {
    let mut paths = Vec::new();
    rampart_files(Path::new("policies"), &mut paths);
    rampart_files(Path::new("tests/fixtures/valid"), &mut paths);
    paths
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path).expect("corpus file is readable");
            (path.display().to_string(), text)
        })
        .collect()
}

/// The ```rampart blocks of the language guide.
fn doc_examples() -> Vec<String> {
    let Ok(guide) = std::fs::read_to_string("docs/language.md") else {
        return Vec::new();
    };
    let mut examples = Vec::new();
    let mut current: Option<String> = None;
    for line in guide.lines() {
        match current.as_mut() {
            None if line.trim() == "```rampart" => current = Some(String::new()),
            Some(block) if line.trim() == "```" => {
                examples.push(std::mem::take(block));
                current = None;
            }
            Some(block) => {
                block.push_str(line);
                block.push('\n');
            }
            None => {}
        }
    }
    examples
}

// ----- corpus tests -----

#[test]
fn library_and_valid_fixtures_format_idempotently_keeping_tree_and_comments() {
    let files = corpus_files();
    assert!(files.len() >= 30, "found only {} corpus files", files.len());
    let failures: Vec<String> = files
        .iter()
        .filter_map(|(name, text)| check_properties(text).err().map(|e| format!("{name}: {e}")))
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn language_guide_examples_format_idempotently_keeping_tree_and_comments() {
    let examples = doc_examples();
    let clean: Vec<&String> = examples.iter().filter(|e| !has_syntax_errors(e)).collect();
    if std::path::Path::new("docs/language.md").exists() {
        assert!(!clean.is_empty(), "no example of docs/language.md parses");
    }
    for (idx, example) in clean.iter().enumerate() {
        if let Err(error) = check_properties(example) {
            panic!("example {idx} of docs/language.md: {error}");
        }
        // Readers copy the examples: they are written the way `rampart fmt` writes.
        let formatted = format_source(example).expect("the example parses");
        assert!(
            formatted == **example,
            "example {idx} of docs/language.md is not formatted as `rampart fmt` writes it"
        );
    }
}

#[test]
fn invisible_characters_stay_escaped_and_visible_ones_are_written_out() {
    let text = "source s {\n  title \"caf\\u00e9\\u00a0\\u200b\\u202e\\t\"\n}\n";
    let formatted = format_source(text).expect("the source parses");
    assert!(
        formatted.contains(r#"title     "café\u00a0\u200b\u202e\t""#),
        "{formatted}"
    );
}

#[test]
fn the_norm_library_is_formatted() {
    let mut paths = Vec::new();
    rampart_files(Path::new("policies"), &mut paths);
    for path in paths {
        let text = std::fs::read_to_string(&path).expect("policy is readable");
        let formatted = format_source(&text).expect("policy parses");
        assert!(
            formatted == text,
            "{} is not formatted; run `rampart fmt policies`",
            path.display()
        );
    }
}

#[test]
fn a_file_with_syntax_errors_is_refused_with_the_error_count() {
    let Err(FormatError::SyntaxErrors { count, diagnostics }) =
        format_source("norm a {\n  title \"open\n  severity hihg\n}\n")
    else {
        panic!("a broken file must not be formatted");
    };
    assert_eq!(count, 2);
    assert_eq!(diagnostics.len(), 2);
}

// ----- mutants -----

/// One edit at a token: delete it, write it twice, or put a comment after it (on its line or
/// on a line of its own).
#[derive(Clone, Copy, Debug)]
enum Edit {
    Delete(usize),
    Duplicate(usize),
    TrailingComment(usize),
    OwnLineComment(usize),
}

impl Edit {
    fn token(self) -> usize {
        match self {
            Edit::Delete(n)
            | Edit::Duplicate(n)
            | Edit::TrailingComment(n)
            | Edit::OwnLineComment(n) => n,
        }
    }
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        any::<usize>().prop_map(Edit::Delete),
        any::<usize>().prop_map(Edit::Duplicate),
        any::<usize>().prop_map(Edit::TrailingComment),
        any::<usize>().prop_map(Edit::OwnLineComment),
    ]
}

/// `text` with `edits` applied to its tokens (indices taken modulo the token count).
fn mutate(text: &str, edits: &[Edit]) -> String {
    let tokens: Vec<_> = lex(FileId(0), text)
        .tokens
        .into_iter()
        .filter(|token| token.kind != TokenKind::Eof)
        .collect();
    if tokens.is_empty() {
        return text.to_string();
    }
    let mut out = text.to_string();
    let mut ordered: Vec<(usize, Edit)> = edits
        .iter()
        .map(|edit| (edit.token() % tokens.len(), *edit))
        .collect();
    ordered.sort_by_key(|(idx, _)| std::cmp::Reverse(*idx));
    ordered.dedup_by_key(|(idx, _)| *idx);
    for (idx, edit) in ordered {
        let range = tokens[idx].span.range();
        match edit {
            Edit::Delete(_) => out.replace_range(range, ""),
            Edit::Duplicate(_) => out.insert_str(range.end, &format!(" {}", &text[range])),
            Edit::TrailingComment(_) => out.insert_str(range.end, " // trailing\n"),
            Edit::OwnLineComment(_) => out.insert_str(range.end, "\n  // own line\n"),
        }
    }
    out
}

proptest! {
    #[test]
    fn mutants_that_parse_format_idempotently_keeping_tree_and_comments(
        file_idx in any::<usize>(),
        edits in proptest::collection::vec(edit(), 1..4),
    ) {
        let files = corpus_files();
        let (name, text) = &files[file_idx % files.len()];
        let mutant = mutate(text, &edits);
        if !has_syntax_errors(&mutant) {
            if let Err(error) = check_properties(&mutant) {
                prop_assert!(false, "mutant of {name} with {edits:?}: {error}");
            }
        }
    }
}

proptest! {
    #[test]
    fn any_text_is_refused_or_formatted_with_the_same_properties(
        text in "(norm|def|param|enum|all|in|and|not|//|///|[a-z_ \n{}()\\[\\]:=<>\".,0-9?-]){0,40}",
    ) {
        if !has_syntax_errors(&text) {
            if let Err(error) = check_properties(&text) {
                prop_assert!(false, "{text:?}: {error}");
            }
        } else {
            prop_assert!(format_source(&text).is_err());
        }
    }
}

// ----- snapshots -----

/// Snapshots the formatting of `input`, showing the input as the snapshot's description.
fn snapshot(name: &str, input: &str) {
    let formatted = format_source(input).expect("snapshot input parses");
    insta::with_settings!({ description => input, omit_expression => true }, {
        insta::assert_snapshot!(name, formatted);
    });
}

#[test]
fn messy_norm_gets_aligned_clauses() {
    snapshot(
        "messy_norm_gets_aligned_clauses",
        "norm   gov-x{title \"X\"   pillar governance stages[planning,voting] severity  high\n\
         cites guide  \"§2\" when election.date>today require(a+b)*2>=c and not d else \"a {  s.id } b\"}",
    );
}

#[test]
fn long_require_breaks_after_the_quantifier_and_before_or() {
    snapshot(
        "long_require_breaks_after_the_quantifier_and_before_or",
        "norm sec-x {\n  require all s in systems where is_critical(s) and exists(s.vendor): \
         s.vendor.supply_chain_reviewed == true or s.vendor.certified_by_the_national_agency == true \
         else \"critical system {s.id} has a vendor whose supply chain was never reviewed by anyone\"\n}\n",
    );
}

#[test]
fn comments_stay_with_their_items_and_blank_lines_collapse() {
    snapshot(
        "comments_stay_with_their_items_and_blank_lines_collapse",
        "// header\n\n\n\nuse \"a.rampart\"   // trailing\nuse \"b.rampart\"\n\
         /// Doc.\n// between doc and item\nparam   n :int=1_000 // thousand\n\
         norm a { // opens\n\n\n  title \"A\"\n  // before require\n  require n > 0.05 and d <= 2w\n\n}\n// last",
    );
}

#[test]
fn enums_stay_on_one_line_fill_lines_or_go_one_per_line() {
    snapshot(
        "enums_stay_on_one_line_fill_lines_or_go_one_per_line",
        "enum Short{\"a\" \"b\",\"c\"}\n\
         enum Long { \"voter-registration\", \"candidate-registration\", \"campaign-finance-disclosure\", \
         \"polling-logistics\", \"voter-identification\", \"e-poll-book\" }\n\
         enum Documented { /// The first.\n\"a\" \"b\" }\n\
         type T { a: string, b?: [ref contacts]   c:int }",
    );
}

#[test]
fn inline_json_breaks_at_the_outermost_containers_that_do_not_fit() {
    snapshot(
        "inline_json_breaks_at_the_outermost_containers_that_do_not_fit",
        "test \"t\" { given {\"systems\":[{\"id\":\"reg\",\"criticality\":\"critical\",\
         \"access\":{\"mfa_admin\":true,\"last_review\":\"2027-02-19\"}},{\"id\":\"web\"}],\"n\": -1}\n\
         expect pass a,b }",
    );
}

#[test]
fn strings_are_re_escaped_and_literals_kept_as_written() {
    snapshot(
        "strings_are_re_escaped_and_literals_kept_as_written",
        "def xs = [ 1_000 , 0.050, 2w ,2026-11-10, \"caf\\u00e9 \\\"q\\\" \\{\", - 1 ]\r\n\
         norm n { require xs[0]>=1 else \"brace \\{ then {  xs[ 0 ] } \\\\ done\" }\r\n",
    );
}

#[test]
fn comments_inside_expressions_and_stray_doc_comments_are_kept() {
    snapshot(
        "comments_inside_expressions_and_stray_doc_comments_are_kept",
        "norm a {\n  /// a doc comment before a clause documents nothing\n  title \"A\"\n\
         require all s in systems: // why\n    s.ok\n    // own line\n    and s.fine\n}\n/// at the end\n",
    );
}

#[test]
fn lone_carriage_returns_and_mixed_line_breaks_format_as_newlines() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("policies/defs.rampart");
    let text = std::fs::read_to_string(path).expect("read");
    let expected = format_source(&text).expect("formats");
    // Never `\r` before `\n`: that would be one `\r\n` break.
    for breaks in [&["\r"][..], &["\r", "\r\n", "\n"]] {
        let mut breaks = breaks.iter().cycle();
        let written: String = (text.split_inclusive('\n'))
            .map(|line| line.replace('\n', breaks.next().expect("endless")))
            .collect();
        assert_eq!(
            format_source(&written).expect("formats"),
            expected,
            "{breaks:?}"
        );
    }
}

// ----- the command -----

/// Runs `rampart fmt ARGS` in `dir`; returns the exit code, stdout and stderr.
fn run_fmt(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_rampart"))
        .arg("fmt")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("rampart runs");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn fmt_check_lists_unformatted_files_then_fmt_rewrites_them_in_place() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("fmt-command");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("pillars")).expect("temp dir");
    std::fs::write(dir.join("main.rampart"), "use \"pillars/a.rampart\"\n").expect("write");
    std::fs::write(dir.join("pillars/a.rampart"), "pillar   a  \"A\"").expect("write");
    std::fs::write(dir.join("notes.txt"), "pillar   not policy").expect("write");

    assert_eq!(
        run_fmt(&dir, &["--check"]),
        (1, "./pillars/a.rampart\n".into(), String::new())
    );
    assert_eq!(run_fmt(&dir, &[]), (0, String::new(), String::new()));
    let rewritten = std::fs::read_to_string(dir.join("pillars/a.rampart")).expect("read");
    assert_eq!(rewritten, "pillar a \"A\"\n");
    assert_eq!(run_fmt(&dir, &["--check", "."]).0, 0);
    let leftovers: Vec<_> = std::fs::read_dir(dir.join("pillars"))
        .expect("dir")
        .collect();
    assert_eq!(leftovers.len(), 1, "no temporary file is left behind");
    assert_eq!(
        std::fs::read_to_string(dir.join("notes.txt")).expect("read"),
        "pillar   not policy"
    );
}

#[test]
fn fmt_exits_2_and_shows_the_diagnostics_of_a_file_with_syntax_errors() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("fmt-broken");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    std::fs::write(dir.join("broken.rampart"), "pillar a \"open\n").expect("write");

    let (code, stdout, stderr) = run_fmt(&dir, &["broken.rampart"]);
    assert_eq!((code, stdout.as_str()), (2, ""));
    assert!(stderr.contains("string is not closed"), "{stderr}");
    assert!(
        stderr.contains("broken.rampart: 1 syntax error(s); not formatted"),
        "{stderr}"
    );
    let unchanged = std::fs::read_to_string(dir.join("broken.rampart")).expect("read");
    assert_eq!(unchanged, "pillar a \"open\n");
}

#[test]
fn profiles_align_selectors_and_tests_take_one_space() {
    snapshot(
        "profiles_align_selectors_and_tests_take_one_space",
        "profile p { title \"P\" extends base include severity critical,tag baseline \
         exclude norm a , pillar b,stage c, all override a{severity low} set n=2 }\n\
         test \"t\" { given \"f.json\" profile p set n = -1 expect fail a,b given {} }\n",
    );
}

#[test]
fn fmt_keeps_crlf_line_endings() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("fmt-crlf");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    let file = dir.join("a.rampart");
    std::fs::write(&file, "pillar   a  \"A\"\r\npillar b \"B\"\r\n").expect("write");
    assert_eq!(run_fmt(&dir, &["a.rampart"]).0, 0);
    let rewritten = std::fs::read_to_string(&file).expect("read");
    assert_eq!(rewritten, "pillar a \"A\"\r\npillar b \"B\"\r\n");
    assert_eq!(
        run_fmt(&dir, &["--check", "a.rampart"]).0,
        0,
        "formatted as it is"
    );
}

#[test]
fn fmt_refuses_a_jurisdiction_document_named_on_the_command_line() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("fmt-document");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    let document = "jurisdiction: {id: a, name: A}\n";
    std::fs::write(dir.join("a.yaml"), document).expect("write");
    let (code, _, stderr) = run_fmt(&dir, &["--check", "a.yaml"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("a.yaml is a jurisdiction document, not a policy file"),
        "{stderr}"
    );
    assert!(!stderr.contains("syntax"), "{stderr}");
    let kept = std::fs::read_to_string(dir.join("a.yaml")).expect("read");
    assert_eq!(kept, document);
}
