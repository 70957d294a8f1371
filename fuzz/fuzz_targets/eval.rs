//! Documents derived from the examples with random omissions, nulls, wrong types, empty and
//! huge arrays, extreme numbers and dates, evaluated by the library: no panic, one result per
//! reported norm, identical outcomes at 1 and 2 rayon threads, every finding's path an
//! evidence path within its text, and the same statuses and waivers when evaluating statuses
//! only (with no evidence but an error's fault).
#![no_main]

use std::sync::OnceLock;

use arbitrary::Unstructured;
use libfuzzer_sys::fuzz_target;
use rampart::config::{self, Format};
use rampart::eval::{Evaluator, Options};
use serde_json::Value as Json;

fn seeds() -> &'static Vec<Json> {
    static SEEDS: OnceLock<Vec<Json>> = OnceLock::new();
    SEEDS.get_or_init(|| {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples");
        let mut paths: Vec<_> = std::fs::read_dir(&dir)
            .expect("examples/ is readable")
            .filter_map(|entry| entry.ok().map(|e| e.path()))
            .filter(|path| path.extension().is_some_and(|e| e == "json" || e == "yaml"))
            .collect();
        paths.sort();
        paths
            .iter()
            .map(|path| {
                let text = std::fs::read_to_string(path).expect("an example is readable");
                config::parse(&text, Format::of_path(path)).expect("an example parses")
            })
            .collect()
    })
}

fn pools() -> &'static (rayon::ThreadPool, rayon::ThreadPool) {
    static POOLS: OnceLock<(rayon::ThreadPool, rayon::ThreadPool)> = OnceLock::new();
    POOLS.get_or_init(|| {
        let build = |n| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(n)
                .build()
                .expect("a thread pool")
        };
        (build(1), build(2))
    })
}

fuzz_target!(|data: &[u8]| {
    let (_, program) = rampart_fuzz::library();
    let mut u = Unstructured::new(data);
    // One document usually; two or three in one input in four, which are then also evaluated
    // on the 2-thread pool (evaluating several documents on both pools took most of the time).
    let n_docs = match u.ratio(1, 4) {
        Ok(true) => u.int_in_range(2..=3usize).unwrap_or(2),
        Ok(false) => 1,
        Err(_) => return,
    };
    // One input in 32 may build arrays of up to 2,000 items; the others up to 64. (Allowing
    // huge arrays everywhere put one in nearly every document and made the target crawl.)
    let Ok(huge) = u.ratio(1, 32) else { return };
    let max_array = if huge {
        rampart_fuzz::document::HUGE
    } else {
        rampart_fuzz::document::SMALL
    };
    let mut docs = Vec::new();
    for _ in 0..n_docs {
        let Ok(seed) = u.choose(seeds()) else { return };
        let Ok(doc) = rampart_fuzz::document::mutate(&mut u, seed, 0, max_array) else {
            return;
        };
        // Validation must cope with anything too; evaluation runs whatever validation says.
        let _ = config::validate(program, &doc);
        docs.push(doc);
    }
    let profile = match u.int_in_range(0..=program.profiles.len()) {
        Ok(0) | Err(_) => None,
        Ok(n) => Some(n - 1),
    };
    // Evaluating every norm of the library on full-size documents took most of the time: one
    // input in 64 reports every norm (or the profile's), the others 1–3 norms chosen by
    // the input (with the norms they depend on), so each norm is still evaluated often.
    let norms = match u.ratio(1, 64) {
        Ok(false) => {
            let n = u.int_in_range(1..=3usize).unwrap_or(1);
            let mut chosen = Vec::new();
            for _ in 0..n {
                if let Ok(norm) = u.int_in_range(0..=program.norms.len().saturating_sub(1)) {
                    chosen.push(norm);
                }
            }
            Some(chosen)
        }
        _ => None,
    };
    let options = Options {
        profile,
        norms,
        run_date: rampart::date::Date::parse("2027-01-01"),
        ..Options::default()
    };
    let statuses_only = Evaluator::new(
        program,
        Options {
            statuses_only: true,
            ..options.clone()
        },
    );
    let evaluator = Evaluator::new(program, options);
    let docs: Vec<rampart::eval::Doc> = docs
        .iter()
        .map(|doc| rampart::eval::Doc::from_json(program, doc))
        .collect();
    let refs: Vec<&rampart::eval::Doc> = docs.iter().collect();
    let (one, two) = pools();
    let sequential = one.install(|| evaluator.evaluate_all(&refs));
    // With one document, the 2-thread pool would run the same single job: compare only when
    // there are several (evaluation is parallel across documents only).
    if refs.len() > 1 {
        let parallel = two.install(|| evaluator.evaluate_all(&refs));
        assert_eq!(
            sequential, parallel,
            "outcomes differ between 1 and 2 threads"
        );
    }
    for (doc, full) in refs.iter().zip(&sequential) {
        let brief = statuses_only.evaluate_doc(doc);
        assert_eq!(brief.results.len(), full.results.len());
        for (brief, full) in brief.results.iter().zip(&full.results) {
            let evidence = match full.status {
                rampart::check::Status::Error => full.evidence.as_slice(),
                _ => &[],
            };
            assert_eq!(
                (brief.status, &brief.waivers, brief.evidence.as_slice()),
                (full.status, &full.waivers, evidence),
                "statuses only differs on norm {}",
                program.norms[full.norm].id
            );
        }
    }
    let n_reported = sequential.first().map_or(0, |o| o.results.len());
    for outcome in &sequential {
        assert_eq!(outcome.results.len(), n_reported);
        for result in &outcome.results {
            assert!(rampart::check::Status::ALL.contains(&result.status));
            // A finding's path is a part of its text, and an evidence path reports can locate.
            for finding in result.evidence.iter().flat_map(|e| &e.findings) {
                if finding.path_in_text.is_some() {
                    let path = finding.path().expect("the path lies in the text");
                    assert!(
                        rampart::report::text::parse_path(path).is_some(),
                        "{path:?} is not an evidence path: {finding:?}"
                    );
                }
            }
        }
    }
});
