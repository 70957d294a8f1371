//! Hostile and unusual policy text: deep nesting, huge files, invalid UTF-8, CRLF, a BOM, tabs
//! and non-Latin text. Each must give a clear diagnostic or a correct parse, never a crash.

mod common;

use rampart::diagnostics::Code;

const NORM_HEAD: &str = "source s { title \"S\" }\npillar p \"P\"\nschema { staff: int  name?: string }\nnorm n {\n  title \"T\"\n  pillar p\n  severity low\n  cites s\n";

fn codes(outcome: &common::Outcome) -> Vec<Code> {
    outcome.diagnostics.iter().map(|d| d.code).collect()
}

#[test]
fn hundred_thousand_nested_parentheses_give_one_too_deep_error() {
    let depth = 100_000;
    let text = format!(
        "{NORM_HEAD}  require {}staff > 1{}\n}}\n",
        "(".repeat(depth),
        ")".repeat(depth)
    );
    let outcome = common::load_text(text.as_bytes());
    assert_eq!(codes(&outcome), [Code::TooDeep], "{}", outcome.render());
}

#[test]
fn deeply_nested_lists_not_and_minus_are_bounded_too() {
    for (open, close) in [("[", "]"), ("not ", ""), ("- ", "")] {
        let text = format!(
            "{NORM_HEAD}  require {}staff{} > 1\n}}\n",
            open.repeat(50_000),
            close.repeat(50_000)
        );
        let outcome = common::load_text(text.as_bytes());
        assert!(
            codes(&outcome).contains(&Code::TooDeep),
            "{open}: {}",
            outcome.render()
        );
    }
}

#[test]
fn a_very_long_operator_chain_is_bounded() {
    let text = format!(
        "{NORM_HEAD}  require staff{} > 1\n}}\n",
        " + staff".repeat(200_000)
    );
    let outcome = common::load_text(text.as_bytes());
    assert!(
        codes(&outcome).contains(&Code::TooDeep),
        "{}",
        outcome.render()
    );
}

#[test]
fn a_fifty_megabyte_policy_parses() {
    let norm = "/// A norm.\nnorm n-ID {\n  title \"A norm with a long enough title to take some room\"\n  pillar p\n  severity low\n  cites s\n  require staff >= 1 and name != \"\"\n}\n";
    let mut text = String::from(
        "source s { title \"S\" }\npillar p \"P\"\nschema { staff: int  name?: string }\n",
    );
    let mut i = 0;
    while text.len() < 50 * 1024 * 1024 {
        text.push_str(&norm.replace("ID", &i.to_string()));
        i += 1;
    }
    let parsed = rampart::syntax::parse(rampart::syntax::FileId(0), &text);
    assert!(parsed.diagnostics.is_empty());
    assert_eq!(parsed.file.items.len(), i + 3);
}

#[test]
fn invalid_utf8_is_reported_at_its_byte() {
    let mut text = format!("{NORM_HEAD}  require staff > 1 // caf").into_bytes();
    text.push(0xe9);
    text.extend_from_slice(b"\n}\n");
    let outcome = common::load_text(&text);
    assert_eq!(codes(&outcome), [Code::InvalidUtf8]);
    let offset = outcome.diagnostics[0].primary.span.start as usize;
    assert_eq!(
        &outcome.workspace.files[0].text[offset..offset + 3],
        "\u{fffd}"
    );
}

#[test]
fn crlf_a_bom_tabs_and_non_latin_strings_parse_cleanly() {
    let text = format!(
        "\u{feff}{}  require staff > 1 else \"Ελληνικά, العربية, 中文, 🗳: {{staff}}\"\n}}\n",
        NORM_HEAD.replace("  ", "\t")
    )
    .replace('\n', "\r\n");
    let outcome = common::load_text(text.as_bytes());
    assert!(outcome.diagnostics.is_empty(), "{}", outcome.render());
}

#[test]
fn non_latin_identifiers_are_refused_with_a_hint() {
    let text = format!("{NORM_HEAD}  require πλήθος > 1\n}}\n");
    let outcome = common::load_text(text.as_bytes());
    assert_eq!(codes(&outcome)[0], Code::UnexpectedCharacter);
    assert!(
        outcome.diagnostics[0]
            .help
            .as_deref()
            .unwrap_or("")
            .contains("ASCII")
    );
}

#[test]
fn diagnostics_on_crlf_text_point_at_the_right_column() {
    let text = format!("{NORM_HEAD}  require stafff > 1\n}}\n").replace('\n', "\r\n");
    let outcome = common::load_text(text.as_bytes());
    let json = rampart::diagnostics::render_json(&outcome.diagnostics, &outcome.workspace);
    assert_eq!(json[0]["location"]["line"], 9);
    assert_eq!(json[0]["location"]["column"], 11);
}

#[test]
fn a_unicode_escape_cut_by_a_multibyte_character_in_a_message_is_an_error_not_a_panic() {
    let text = format!("{NORM_HEAD}  require staff > 1 else \"bad \\u1éé{{staff}}\"\n}}\n");
    let outcome = common::load_text(text.as_bytes());
    assert_eq!(
        codes(&outcome),
        [Code::InvalidEscape],
        "{}",
        outcome.render()
    );
}
