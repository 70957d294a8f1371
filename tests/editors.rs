//! The editor packages' static parts against the language: the VS Code snippets, expanded with
//! their default text, are valid Rampart that `rampart fmt` leaves as it is.

use rampart::fmt::format_source;

/// A snippet body with every placeholder replaced by its default text (the first choice of a
/// `${n|a,b|}`), tab stops (`$0`) removed and tabs written as the formatter indents.
fn expand(body: &str) -> String {
    let mut out = String::new();
    let mut chars = body.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.extend(chars.next()),
            '$' if chars.peek() == Some(&'{') => {
                chars.next();
                let mut depth = 1;
                let mut inner = String::new();
                for c in chars.by_ref() {
                    depth += i32::from(c == '{') - i32::from(c == '}');
                    if depth == 0 {
                        break;
                    }
                    inner.push(c);
                }
                let rest = inner.trim_start_matches(|c: char| c.is_ascii_digit());
                out.push_str(&match rest.strip_prefix(':') {
                    Some(default) => expand(default),
                    None => rest
                        .trim_matches('|')
                        .split(',')
                        .next()
                        .unwrap_or("")
                        .into(),
                });
            }
            '$' => while chars.next_if(char::is_ascii_digit).is_some() {},
            '\t' => out.push_str("  "),
            c => out.push(c),
        }
    }
    out
}

#[test]
fn vs_code_snippets_expand_to_formatted_rampart() {
    let text = std::fs::read_to_string("editors/vscode/snippets/rampart.json").expect("snippets");
    let snippets: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(&text).expect("JSON");
    assert!(snippets.len() >= 10, "{} snippets", snippets.len());
    for (name, snippet) in &snippets {
        let lines: Vec<&str> = (snippet["body"].as_array().expect("a body").iter())
            .filter_map(|line| line.as_str())
            .collect();
        let mut source = expand(&lines.join("\n")).trim_end().to_string() + "\n";
        // Expression snippets (quantifiers) are tried as the body of a definition.
        if ["all", "any"].contains(&name.as_str()) {
            source = format!("def x = {source}");
        }
        match format_source(&source) {
            Ok(formatted) => assert_eq!(formatted, source, "snippet `{name}` is not formatted"),
            Err(error) => panic!("snippet `{name}` does not parse: {error:?}\n{source}"),
        }
    }
}
