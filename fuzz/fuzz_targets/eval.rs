//! Documents derived from the examples with random omissions, nulls, wrong types, empty and
//! huge arrays, extreme numbers and dates, evaluated by the library: no panic, one result per
//! reported norm, and identical outcomes at 1 and 2 rayon threads.
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
    let Ok(n_docs) = u.int_in_range(1..=3usize) else {
        return;
    };
    let mut docs = Vec::new();
    for _ in 0..n_docs {
        let Ok(seed) = u.choose(seeds()) else { return };
        let Ok(doc) = rampart_fuzz::document::mutate(&mut u, seed, 0) else {
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
    let options = Options {
        profile,
        run_date: rampart::date::Date::parse("2027-01-01"),
        ..Options::default()
    };
    let evaluator = Evaluator::new(program, options);
    let refs: Vec<&Json> = docs.iter().collect();
    let (one, two) = pools();
    let sequential = one.install(|| evaluator.evaluate_all(&refs));
    let parallel = two.install(|| evaluator.evaluate_all(&refs));
    assert_eq!(
        sequential, parallel,
        "outcomes differ between 1 and 2 threads"
    );
    let n_reported = sequential.first().map_or(0, |o| o.results.len());
    for outcome in &sequential {
        assert_eq!(outcome.results.len(), n_reported);
        for result in &outcome.results {
            assert!(rampart::check::Status::ALL.contains(&result.status));
        }
    }
});
