//! Arbitrary saved reports (JSON text) through `Report::from_json`, then compared on their own,
//! with a group-by path and against themselves as a baseline, and rendered in every format.
//! No panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rampart::compare::{self, Colour, Format, Options};
use rampart::report::Report;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(report) = Report::from_json(text) else {
        return;
    };
    let plain = Options::default();
    let grouped = Options {
        group_by: Some("region".to_string()),
        ..Options::default()
    };
    let comparisons = [
        compare::compare(&report, &plain),
        compare::compare(&report, &grouped),
        compare::compare_with_baseline(&report, &report, &grouped),
    ];
    for comparison in &comparisons {
        for format in [
            Format::Table,
            Format::Csv,
            Format::Markdown,
            Format::Json,
            Format::Html,
        ] {
            for colour in [Colour::Never, Colour::Ansi] {
                let _ = compare::render(comparison, &report, format, colour);
            }
        }
    }
});
