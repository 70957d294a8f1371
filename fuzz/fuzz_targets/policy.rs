//! Arbitrary bytes as a policy file: parse, load and check through a `MemoryFiles` workspace,
//! then render the diagnostics. No panic; every diagnostic has a code and spans inside its file.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rampart::diagnostics::{HumanStyle, render_human, render_json};
use rampart::workspace::{MemoryFiles, Workspace};

fuzz_target!(|data: &[u8]| {
    let mut files = MemoryFiles::new();
    files.insert("main.rampart", data.to_vec());
    let workspace = Workspace::load(&files, "main.rampart");
    let checked = rampart::check::check(&workspace);
    let fixtures = rampart::eval::testing::fixture_problems(&checked.program, &files);
    let diagnostics: Vec<_> = workspace
        .syntax_diagnostics()
        .cloned()
        .chain(checked.diagnostics)
        .chain(fixtures)
        .collect();
    for diagnostic in &diagnostics {
        assert!(!diagnostic.code.as_str().is_empty(), "{diagnostic:?}");
        let labels = std::iter::once(&diagnostic.primary).chain(&diagnostic.secondary);
        for label in labels {
            let span = label.span;
            let text = &workspace.file(span.file).text;
            assert!(
                span.start <= span.end && span.end as usize <= text.len(),
                "span {span:?} outside a file of {} bytes: {diagnostic:?}",
                text.len()
            );
            // An invalid-UTF-8 diagnostic points at the raw byte, which the shown text replaced.
            let raw_offsets = diagnostic.code == rampart::diagnostics::Code::InvalidUtf8;
            assert!(
                raw_offsets
                    || text.is_char_boundary(span.start as usize)
                        && text.is_char_boundary(span.end as usize),
                "span {span:?} splits a character: {diagnostic:?}"
            );
        }
    }
    // miette's rendering dominated the run time (each label re-reads its file from the start,
    // then the text is wrapped): render on inputs of up to 1 KiB only, and at most four
    // diagnostics, the first of each code. JSON rendering is cheap and always done.
    if data.len() <= 1024 {
        let mut codes = std::collections::HashSet::new();
        let sample: Vec<_> = diagnostics
            .iter()
            .filter(|diagnostic| codes.insert(diagnostic.code))
            .take(4)
            .cloned()
            .collect();
        let _ = render_human(&sample, &workspace, HumanStyle::Plain);
    }
    let _ = render_json(&diagnostics, &workspace);
});
