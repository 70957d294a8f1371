//! Arbitrary bytes as a jurisdiction document, read as JSON and as YAML: load, validate against
//! the library's schema and, when valid, evaluate. No panic; every problem is located (a
//! syntax error by line and column inside the text, the others by a path or position). When
//! the fast path of loading JSON reads the text, the full path (serde_json) must find no
//! problem in it and read it to the same values.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use rampart::config::{self, Format, ProblemKind};
use rampart::eval::{Evaluator, Options};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (_, program) = rampart_fuzz::library();
    if let Some(agrees) = config::fast_path_agrees(program, text) {
        assert!(agrees, "the fast and full paths read the document differently");
    }
    // YAML counts a lone carriage return as a line break too.
    let n_lines = text.matches(['\n', '\r']).count() + 1;
    for (format, name) in [(Format::Json, "fuzz.json"), (Format::Yaml, "fuzz.yaml")] {
        let document = config::from_text(program, Path::new(name), text, format);
        for problem in &document.problems {
            if problem.kind == ProblemKind::Syntax {
                let Some((line, column)) = problem.position else {
                    panic!("{format:?} syntax error without a position: {problem}");
                };
                assert!(
                    line >= 1 && line <= n_lines + 1 && column <= text.len() + 1,
                    "{problem:?}"
                );
            }
            let _ = problem.to_string();
        }
        if let (false, Some(doc)) = (document.has_errors(), &document.doc) {
            let options = Options {
                run_date: rampart::date::Date::parse("2027-01-01"),
                ..Options::default()
            };
            let outcome = Evaluator::new(program, options).evaluate_doc(doc);
            assert_eq!(outcome.results.len(), program.norms.len());
        }
    }
});
