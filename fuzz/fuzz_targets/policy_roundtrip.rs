//! Generated well-formed policies (and, when they parse cleanly, the raw input itself) through
//! `rampart::fmt::format_source`: the output parses to the same tree ignoring spans, and
//! formatting it again changes nothing.
#![no_main]

use arbitrary::Unstructured;
use libfuzzer_sys::fuzz_target;
use rampart::syntax::{FileId, parse};
use rampart_fuzz::{ast_fingerprint, policy_gen};

fn check_roundtrip(text: &str) {
    if !parse(FileId(0), text)
        .diagnostics
        .iter()
        .all(|d| !d.is_error())
    {
        return;
    }
    let formatted = match rampart::fmt::format_source(text) {
        Ok(formatted) => formatted,
        Err(error) => panic!("a clean parse is refused: {error}\n{text}"),
    };
    let again = match rampart::fmt::format_source(&formatted) {
        Ok(again) => again,
        Err(error) => {
            panic!("the output does not parse: {error}\n--- input\n{text}\n--- output\n{formatted}")
        }
    };
    assert_eq!(again, formatted, "not idempotent\n--- input\n{text}");
    assert_eq!(
        ast_fingerprint(text),
        ast_fingerprint(&formatted),
        "tree changed\n--- input\n{text}\n--- output\n{formatted}"
    );
}

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    if let Ok(text) = policy_gen::policy(&mut u) {
        check_roundtrip(&text);
    }
    if let Ok(text) = std::str::from_utf8(data) {
        check_roundtrip(text);
    }
});
