//! Benchmark: Rampart evaluating a large population of jurisdiction documents, against the
//! floor (reading the same files and parsing them into `serde_json::Value`) and against a
//! mature Rego interpreter (`regorus`) running the same 40 norms on the same files.
//!
//! The Rampart side is the norm library (`policies/`, all 85 norms compiled) evaluated with
//! `Options::norms` set to the 40 norms of `NORMS` (plus, separately, all 85). The Rego side is
//! `benches/rego/*.rego`, those 40 norms written by hand, which computes only a status per norm.
//! A second Rego engine, `benches/rego-evidence/*.rego`, does the work Rampart does: the same 40
//! norms as deny rules that explain themselves, one violation per failing item of a requirement
//! with the norm's `else` message filled in, and the statuses derived from them. Rampart is
//! measured both ways too: with evidence (every report but the summary) and statuses only
//! (`Options::statuses_only`, as `rampart check --format summary` runs), each against the Rego
//! policy that does the same work. Documents come from
//! `support::generate` (seeded, written to a temporary directory). Each figure is the median of
//! `RAMPART_BENCH_RUNS` runs (regorus's too) in documents per second.
//!
//! Run with `cargo bench --bench evaluate`; `RAMPART_BENCH_DOCS=20000` for the large run.

mod support;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rampart::check::{self, Program, Status};
use rampart::config;
use rampart::date::Date;
use rampart::eval::{Doc, Evaluator, Options, Outcome};
use rampart::workspace::{DiskFiles, Workspace};
use rayon::ThreadPool;
use rayon::prelude::*;
use serde_json::Value as Json;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The 40 norms evaluated by both engines, in library order.
const NORMS: [&str; 40] = [
    "gov-ci-designation",
    "gov-cyber-mandate",
    "gov-security-policy",
    "gov-ciso",
    "gov-dedicated-budget",
    "gov-system-ownership",
    "gov-criminal-liability",
    "iac-forum-exists",
    "iac-forum-membership",
    "iac-forum-cadence",
    "iac-roles-documented",
    "iac-info-sharing",
    "iac-emb-independence",
    "iac-publicly-explained",
    "iac-utility-providers",
    "risk-assessment-current",
    "risk-cycle-coverage",
    "risk-register-owners",
    "risk-high-treated",
    "risk-system-inventory",
    "risk-threat-actors",
    "cert-required-by-law",
    "cert-critical-systems",
    "cert-pre-election-testing",
    "cert-pentest",
    "cert-source-escrow",
    "sec-mfa-admin",
    "sec-mfa-users",
    "sec-least-privilege",
    "sec-privileged-count",
    "sec-patching",
    "sec-supported-software",
    "sec-backups",
    "sec-logging",
    "sec-segmentation",
    "sec-ddos",
    "sec-register-protection",
    "sec-four-eyes",
    "sec-malware-protection",
    "sec-authenticated-updates",
];

/// Documents parsed at a time for the evaluate-only measurement (bounds memory).
const EVAL_BATCH: usize = 2_000;

/// Documents compared between the engines.
const AGREEMENT_SAMPLE: usize = 2_000;

/// The rule of `benches/rego` that gives the status of each norm.
const REGO_RESULTS: &str = "data.rampart.results";

/// The rule of `benches/rego-evidence` that gives the statuses and the violations explaining them.
const REGO_EVIDENCE_REPORT: &str = "data.rampart_evidence.report";

fn main() {
    let n_docs = env_usize("RAMPART_BENCH_DOCS", 2_000);
    let runs = env_usize("RAMPART_BENCH_RUNS", 3).max(1);
    let seed = env_usize("RAMPART_BENCH_SEED", 0x5EED) as u64;
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let threads = std::thread::available_parallelism().map_or(2, usize::from);

    let start = Instant::now();
    let dir = std::env::temp_dir().join(format!("rampart-bench-evaluate-{n_docs}-{seed}"));
    let population = support::generate(n_docs, seed, &dir);
    let files = &population.files;
    println!(
        "evaluate: {n_docs} documents, {:.1} MiB ({:.1} KiB each), seed {seed:#x}, in {}; generated in {:.1} s",
        population.total_bytes() as f64 / 1048576.0,
        population.total_bytes() as f64 / 1024.0 / n_docs.max(1) as f64,
        population.dir.display(),
        start.elapsed().as_secs_f64()
    );

    let program = load_program(&root.join("policies"));
    let norm_ids: Vec<usize> = NORMS
        .iter()
        .map(|id| {
            program
                .norm_index(id)
                .unwrap_or_else(|| panic!("norm {id} is in the library"))
        })
        .collect();
    let options = |norms| Options {
        norms,
        run_date: Date::parse("2027-01-01"),
        ..Options::default()
    };
    let evaluator = Evaluator::new(&program, options(Some(norm_ids.clone())));
    let statuses_only = Evaluator::new(
        &program,
        Options {
            statuses_only: true,
            ..options(Some(norm_ids.clone()))
        },
    );
    let evaluator_all = Evaluator::new(&program, options(None));
    let engine = rego_engine(&root.join("benches/rego"));
    let engine_evidence = rego_engine(&root.join("benches/rego-evidence"));
    println!(
        "  Rampart: {} norms in the library, {} reported; regorus: {} norms; {runs} runs (median), {threads} threads unless said",
        program.norms.len(),
        evaluator.reported().len(),
        NORMS.len()
    );

    println!("  load average before: {}", load_average());
    let pool1 = pool(1);
    let pool_n = pool(threads);

    // Rounds interleave the measurements, so a burst of load from other processes hits them
    // alike; each figure is the median of its runs.
    let mut hashes = Vec::new();
    let mut status_hashes = Vec::new();
    let mut samples: [Vec<Sample>; 10] = Default::default();
    for _ in 0..runs {
        samples[0].push(sample(|| pool1.install(|| floor(files))));
        samples[1].push(sample(|| pool_n.install(|| floor(files))));
        samples[2].push(sample(|| pool_n.install(|| load_only(&program, files))));
        samples[3].push(sample(|| {
            hashes.push(pool1.install(|| end_to_end(&program, &evaluator, files, outcome_hash)));
        }));
        samples[4].push(sample(|| {
            hashes.push(pool_n.install(|| end_to_end(&program, &evaluator, files, outcome_hash)));
        }));
        samples[5].push(sample(|| {
            pool_n.install(|| end_to_end(&program, &evaluator_all, files, outcome_hash))
        }));
        samples[6].push(sample(|| {
            status_hashes
                .push(pool1.install(|| end_to_end(&program, &statuses_only, files, status_hash)));
        }));
        samples[7].push(sample(|| {
            status_hashes
                .push(pool_n.install(|| end_to_end(&program, &statuses_only, files, status_hash)));
        }));
        samples[8].push(sample(|| {
            pool_n.install(|| regorus_run(&engine, files, REGO_RESULTS))
        }));
        samples[9].push(sample(|| {
            pool_n.install(|| regorus_run(&engine_evidence, files, REGO_EVIDENCE_REPORT))
        }));
    }
    let [
        floor1,
        floor_n,
        load_n,
        e2e1,
        e2e_n,
        e2e_all,
        brief1,
        brief_n,
        rego,
        rego_evidence,
    ] = samples.map(|mut runs| median(n_docs, &mut runs));
    // The statuses of the run with evidence, to compare with those of statuses only.
    let full_statuses = pool_n.install(|| end_to_end(&program, &evaluator, files, status_hash));
    let eval_only1 = evaluate_only(&program, &evaluator, files, runs, &pool1);
    let eval_only = evaluate_only(&program, &evaluator, files, runs, &pool_n);

    println!();
    // CPUs used: how much of the machine the process got (2.0 = both cores, all the time).
    println!(
        "  {:<64} {:>8} {:>12} {:>6}",
        "measurement", "docs/s", "CPU µs/doc", "CPUs"
    );
    let row = |name: &str, rate: Rate| {
        println!(
            "  {name:<64} {:>8.0} {:>12.0} {:>6.2}",
            rate.docs_per_s,
            rate.cpu_us_per_doc,
            rate.docs_per_s * rate.cpu_us_per_doc / 1e6
        );
    };
    row("floor: read + serde_json::Value, 1 thread", floor1);
    row(
        &format!("floor: read + serde_json::Value, {threads} threads"),
        floor_n,
    );
    row(
        &format!("Rampart load only (read + parse + validate), {threads} threads"),
        load_n,
    );
    row("Rampart end to end (40 norms), 1 thread", e2e1);
    row(
        &format!("Rampart end to end (40 norms), {threads} threads"),
        e2e_n,
    );
    row(
        &format!(
            "Rampart end to end (all {} norms), {threads} threads",
            program.norms.len()
        ),
        e2e_all,
    );
    row(
        "Rampart end to end, statuses only (40 norms), 1 thread",
        brief1,
    );
    row(
        &format!("Rampart end to end, statuses only (40 norms), {threads} threads"),
        brief_n,
    );
    row("Rampart evaluate only (40 norms), 1 thread", eval_only1);
    row(
        &format!("Rampart evaluate only (40 norms), {threads} threads"),
        eval_only,
    );
    row(
        &format!("regorus read + parse + eval (40 norms), {threads} threads"),
        rego,
    );
    row(
        &format!("regorus read + parse + eval with messages (40 norms), {threads} threads"),
        rego_evidence,
    );
    println!();
    let same = hashes.windows(2).all(|w| w[0] == w[1]);
    let same_statuses = status_hashes.iter().all(|hash| *hash == full_statuses);
    let verdict = |met: bool| if met { "met" } else { "NOT met" };
    // The floor's multi-threaded row varies most between runs (it allocates for every JSON
    // node), so the target is judged at 1 thread as well.
    let slower = floor_n.docs_per_s / e2e_n.docs_per_s;
    let slower1 = floor1.docs_per_s / e2e1.docs_per_s;
    println!(
        "  Rampart / floor: {slower:.2}x slower ({:.2}x in CPU time), at 1 thread {slower1:.2}x   target <= 2x at both: {}",
        e2e_n.cpu_us_per_doc / floor_n.cpu_us_per_doc,
        verdict(slower <= 2.0 && slower1 <= 2.0)
    );
    // Like for like: statuses against statuses, evidence against messages.
    let faster_statuses = brief_n.docs_per_s / rego.docs_per_s;
    let faster_evidence = e2e_n.docs_per_s / rego_evidence.docs_per_s;
    println!(
        "  Rampart vs regorus, statuses only: {faster_statuses:.1}x faster end to end ({:.1}x in CPU time)   target >= 10x: {}",
        rego.cpu_us_per_doc / brief_n.cpu_us_per_doc,
        verdict(faster_statuses >= 10.0)
    );
    println!(
        "  Rampart vs regorus with messages, both with evidence: {faster_evidence:.1}x faster end to end ({:.1}x in CPU time)   target >= 10x: {}",
        rego_evidence.cpu_us_per_doc / e2e_n.cpu_us_per_doc,
        verdict(faster_evidence >= 10.0)
    );
    println!(
        "  Rampart with evidence vs status-only regorus: {:.1}x faster end to end ({:.1}x in CPU time), {:.1}x evaluate only",
        e2e_n.docs_per_s / rego.docs_per_s,
        rego.cpu_us_per_doc / e2e_n.cpu_us_per_doc,
        eval_only.docs_per_s / rego.docs_per_s,
    );
    let scaling = e2e_n.docs_per_s / e2e1.docs_per_s;
    println!(
        "  scaling 1 -> {threads} threads: Rampart {scaling:.2}x (floor {:.2}x, evaluate only {:.2}x)   target >= 1.8x: {}",
        floor_n.docs_per_s / floor1.docs_per_s,
        eval_only.docs_per_s / eval_only1.docs_per_s,
        verdict(scaling >= 1.8)
    );
    println!(
        "  results identical at 1 and {threads} threads: {} (hash {:016x})",
        if same { "yes" } else { "NO" },
        hashes.first().copied().unwrap_or(0)
    );
    println!(
        "  statuses only gives the statuses of the run with evidence: {} (hash {full_statuses:016x})",
        if same_statuses { "yes" } else { "NO" },
    );
    println!("  load average after: {}", load_average());
    assert!(same, "results differ between thread counts");
    assert!(same_statuses, "statuses only gives other statuses");

    let engines = RegoEngines {
        statuses: &engine,
        evidence: &engine_evidence,
    };
    agreement(&program, &evaluator, &engines, files, &norm_ids, &pool_n);
}

/// The 1, 5 and 15 minute load averages (other processes compete for the cores).
fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|text| {
            text.split_whitespace()
                .take(3)
                .collect::<Vec<_>>()
                .join(" ")
        })
        .unwrap_or_else(|_| "unknown".into())
}

fn env_usize(name: &str, default: usize) -> usize {
    match std::env::var(name) {
        Ok(text) => text
            .replace(['_', ','], "")
            .parse()
            .unwrap_or_else(|_| panic!("{name} must be a number, not {text:?}")),
        Err(_) => default,
    }
}

fn pool(threads: usize) -> ThreadPool {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("a thread pool can be built")
}

/// A measured rate: documents per wall-clock second, and CPU time per document (all threads
/// of the process, so other processes on the machine do not inflate it).
#[derive(Clone, Copy)]
struct Rate {
    docs_per_s: f64,
    cpu_us_per_doc: f64,
}

/// Wall-clock and CPU time (nanoseconds) of one run.
type Sample = (Duration, u64);

/// Runs `f` once.
fn sample<R>(f: impl FnOnce() -> R) -> Sample {
    let (start, cpu) = (Instant::now(), cpu_ns());
    std::hint::black_box(f());
    (start.elapsed(), cpu_ns() - cpu)
}

/// The rate of the run with the median wall time.
fn median(n_docs: usize, samples: &mut [Sample]) -> Rate {
    samples.sort();
    let (wall, cpu) = samples[samples.len() / 2];
    Rate {
        docs_per_s: n_docs as f64 / wall.as_secs_f64(),
        cpu_us_per_doc: cpu as f64 / 1000.0 / n_docs as f64,
    }
}

/// CPU time used so far by every thread of this process, in nanoseconds (Linux schedstat).
fn cpu_ns() -> u64 {
    let Ok(tasks) = std::fs::read_dir("/proc/self/task") else {
        return 0;
    };
    tasks
        .filter_map(Result::ok)
        .filter_map(|task| std::fs::read_to_string(task.path().join("schedstat")).ok())
        .filter_map(|text| text.split_whitespace().next()?.parse::<u64>().ok())
        .sum()
}

fn load_program(dir: &Path) -> Program {
    let files = DiskFiles::new(dir);
    let workspace = Workspace::load(&files, "main.rampart");
    let checked = check::check(&workspace);
    assert!(
        !checked.has_errors(&workspace),
        "the norm library has errors"
    );
    checked.program
}

/// The floor: read each file and parse it into a `serde_json::Value`.
fn floor(files: &[PathBuf]) -> usize {
    files
        .par_iter()
        .map(|path| {
            let bytes = std::fs::read(path).expect("bench file is readable");
            let value: Json = serde_json::from_slice(&bytes).expect("bench file is JSON");
            usize::from(value.is_object())
        })
        .sum()
}

/// Loading alone: read, parse and validate (`config::load_unplaced`, as `check` loads: warnings
/// are placed when a report shows them), no evaluation.
fn load_only(program: &Program, files: &[PathBuf]) -> usize {
    files
        .par_iter()
        .map(|path| usize::from(!config::load_unplaced(program, path).has_errors()))
        .sum()
}

/// What `rampart check` does per document: read, parse, validate (`config::load_unplaced`, as
/// `check` loads: warnings are placed when a report shows them) and
/// evaluate; the hash of every outcome (`hash`), in document order.
fn end_to_end(
    program: &Program,
    evaluator: &Evaluator<'_>,
    files: &[PathBuf],
    hash: fn(&Outcome) -> u64,
) -> u64 {
    let hashes: Vec<u64> = files
        .par_iter()
        .map(|path| {
            let document = config::load_unplaced(program, path);
            assert!(
                !document.has_errors(),
                "generated document {} is invalid: {:?}",
                path.display(),
                document.problems.first()
            );
            let doc = document.doc.as_ref().expect("a valid document has a value");
            hash(&evaluator.evaluate_doc(doc))
        })
        .collect();
    let mut hasher = DefaultHasher::new();
    hashes.hash(&mut hasher);
    hasher.finish()
}

/// A hash of every result: norm, status, severity, evidence (requirement, item, findings,
/// message) and waiver, without formatting anything.
fn outcome_hash(outcome: &Outcome) -> u64 {
    let mut hasher = DefaultHasher::new();
    outcome.today.days().hash(&mut hasher);
    for result in &outcome.results {
        result.norm.hash(&mut hasher);
        result.status.hash(&mut hasher);
        result.severity.as_str().hash(&mut hasher);
        for evidence in &result.evidence {
            evidence.requirement.hash(&mut hasher);
            evidence.message.hash(&mut hasher);
            if let Some(item) = &evidence.item {
                item.path.hash(&mut hasher);
                item.id.hash(&mut hasher);
            }
            for finding in &evidence.findings {
                (finding.kind as u8).hash(&mut hasher);
                finding.within.len().hash(&mut hasher);
                finding.text.hash(&mut hasher);
            }
        }
        for waiver in &result.waivers {
            waiver.index.hash(&mut hasher);
            waiver.state.describe().hash(&mut hasher);
        }
    }
    hasher.finish()
}

/// A hash of every result's norm and status.
fn status_hash(outcome: &Outcome) -> u64 {
    let mut hasher = DefaultHasher::new();
    for result in &outcome.results {
        (result.norm, result.status).hash(&mut hasher);
    }
    hasher.finish()
}

/// Evaluation alone, on documents already loaded (in batches, untimed), through
/// `Evaluator::evaluate_all`.
fn evaluate_only(
    program: &Program,
    evaluator: &Evaluator<'_>,
    files: &[PathBuf],
    runs: usize,
    pool: &ThreadPool,
) -> Rate {
    let mut samples: Vec<Sample> = vec![(Duration::ZERO, 0); runs];
    for batch in files.chunks(EVAL_BATCH) {
        let documents: Vec<config::Document> = pool.install(|| {
            batch
                .par_iter()
                .map(|path| config::load_unplaced(program, path))
                .collect()
        });
        let values: Vec<&Doc> = documents.iter().filter_map(|d| d.doc.as_ref()).collect();
        for (time, cpu) in &mut samples {
            let (start, cpu_start) = (Instant::now(), cpu_ns());
            let outcomes = pool.install(|| evaluator.evaluate_all(&values));
            *time += start.elapsed();
            *cpu += cpu_ns() - cpu_start;
            assert_eq!(outcomes.len(), values.len());
        }
    }
    median(files.len(), &mut samples)
}

fn rego_engine(dir: &Path) -> regorus::Engine {
    let mut engine = regorus::Engine::new();
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{} is readable: {e}", dir.display()))
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|e| e == "rego"))
        .collect();
    paths.sort();
    for path in paths {
        engine
            .add_policy_from_file(&path)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    }
    engine
}

/// Rule `rule` of the Rego policy on one document: the statuses by norm id
/// ([`REGO_RESULTS`]), or the statuses and violations ([`REGO_EVIDENCE_REPORT`]).
fn regorus_eval(engine: &mut regorus::Engine, text: &str, rule: &str) -> regorus::Value {
    let input = regorus::Value::from_json_str(text).expect("bench file is JSON");
    engine.set_input(input);
    engine
        .eval_rule(rule.to_string())
        .expect("the Rego policy evaluates")
}

fn regorus_run(engine: &regorus::Engine, files: &[PathBuf], rule: &str) -> usize {
    files
        .par_iter()
        .map_init(
            || engine.clone(),
            |engine, path| {
                let text = std::fs::read_to_string(path).expect("bench file is readable");
                let results = regorus_eval(engine, &text, rule);
                usize::from(results != regorus::Value::Undefined)
            },
        )
        .sum()
}

/// The two Rego policies: statuses only, and statuses with the violations explaining them.
struct RegoEngines<'a> {
    statuses: &'a regorus::Engine,
    evidence: &'a regorus::Engine,
}

/// One reason a norm fails, as an engine gives it: the requirement (0-based), the id of the
/// item of its outermost quantifier (`None` for a requirement on the whole document, or an
/// item without an id) and the message.
type Explanation = (usize, Option<String>, String);

/// What the engines say about one document, norm by norm in the order of `NORMS`.
struct DocComparison {
    /// Rampart's status, the status-only Rego's and the Rego with messages'.
    statuses: Vec<(Status, String, String)>,
    /// Rampart's evidence, for the norms that fail.
    rampart: Vec<Vec<Explanation>>,
    /// The violations of the Rego with messages.
    rego: Vec<Vec<Explanation>>,
}

/// Both engines on one document.
fn compare_doc(
    program: &Program,
    evaluator: &Evaluator<'_>,
    engines: &mut (regorus::Engine, regorus::Engine),
    norm_index: &HashMap<&str, usize>,
    path: &Path,
) -> DocComparison {
    let text = std::fs::read_to_string(path).expect("bench file is readable");
    let document = config::from_text(program, path, &text, config::Format::Json);
    let doc = document.doc.as_ref().expect("bench file is JSON");
    let outcome = evaluator.evaluate_doc(doc);
    let statuses_only = regorus_eval(&mut engines.0, &text, REGO_RESULTS);
    let report = regorus_eval(&mut engines.1, &text, REGO_EVIDENCE_REPORT);
    let status_of = |results: &regorus::Value, id: &str| {
        results[id]
            .as_string()
            .map_or_else(|_| "undefined".to_string(), |s| s.as_ref().to_string())
    };
    let statuses = outcome
        .results
        .iter()
        .map(|result| {
            let id = program.norms[result.norm].id.as_str();
            (
                result.status,
                status_of(&statuses_only, id),
                status_of(&report["results"], id),
            )
        })
        .collect();
    let rampart = outcome
        .results
        .iter()
        .map(|result| {
            if result.status != Status::Fail {
                return Vec::new();
            }
            result
                .evidence
                .iter()
                .filter_map(|evidence| {
                    Some((
                        evidence.requirement?,
                        evidence.item.as_ref().and_then(|item| item.id.clone()),
                        evidence.message.clone()?,
                    ))
                })
                .collect()
        })
        .collect();
    let mut rego = vec![Vec::new(); NORMS.len()];
    let violations = report["violations"]
        .as_set()
        .expect("the Rego violations are a set");
    for violation in violations.iter() {
        let norm = violation["norm"]
            .as_string()
            .expect("a violation names its norm");
        let index = norm_index[norm.as_ref()];
        let requirement = violation["requirement"]
            .as_u64()
            .expect("a violation gives its requirement") as usize;
        let item = violation["item"].as_string().ok().map(|id| id.to_string());
        let message = violation["message"]
            .as_string()
            .expect("a violation has a message")
            .to_string();
        rego[index].push((requirement, item, message));
    }
    DocComparison {
        statuses,
        rampart,
        rego,
    }
}

/// Counts of the reasons both engines give, or one only.
#[derive(Default, Clone, Copy)]
struct Tally {
    both: usize,
    rego_only: usize,
    rampart_only: usize,
}

impl Tally {
    /// Adds the comparison of two sets.
    fn add<T: Ord>(&mut self, rampart: &BTreeSet<T>, rego: &BTreeSet<T>) {
        let both = rampart.intersection(rego).count();
        self.both += both;
        self.rampart_only += rampart.len() - both;
        self.rego_only += rego.len() - both;
    }

    fn differ(&self) -> usize {
        self.rego_only + self.rampart_only
    }

    /// The share of the reasons given by either engine that both give, in percent.
    fn percent(&self) -> f64 {
        100.0 * self.both as f64 / (self.both + self.differ()).max(1) as f64
    }
}

/// Compares the engines on a sample of documents and prints the agreement: the statuses of
/// Rampart and the status-only Rego; the statuses of both Rego policies; and, where Rampart
/// says fail, the failing (norm, item) pairs of Rampart's evidence and of the Rego violations.
fn agreement(
    program: &Program,
    evaluator: &Evaluator<'_>,
    engines: &RegoEngines<'_>,
    files: &[PathBuf],
    norm_ids: &[usize],
    pool: &ThreadPool,
) {
    let sample = &files[..files.len().min(AGREEMENT_SAMPLE)];
    let norm_index: HashMap<&str, usize> = NORMS
        .iter()
        .enumerate()
        .map(|(index, id)| (*id, index))
        .collect();
    let docs: Vec<DocComparison> = pool.install(|| {
        sample
            .par_iter()
            .map_init(
                || (engines.statuses.clone(), engines.evidence.clone()),
                |engines, path| compare_doc(program, evaluator, engines, &norm_index, path),
            )
            .collect()
    });
    // (Rampart status, Rego status) -> count; and disagreements on pass/fail by norm.
    let mut table: BTreeMap<(String, String), usize> = BTreeMap::new();
    let mut by_norm: BTreeMap<&str, usize> = BTreeMap::new();
    let (mut decided, mut agreed) = (0usize, 0usize);
    // The two Rego policies' statuses.
    let (mut rego_same, mut rego_total) = (0usize, 0usize);
    let mut rego_by_norm: BTreeMap<&str, usize> = BTreeMap::new();
    // The reasons of the results Rampart fails.
    let (mut pairs, mut triples) = (Tally::default(), Tally::default());
    let mut pairs_by_norm = [Tally::default(); NORMS.len()];
    let (mut messages_same, mut messages_compared) = (0usize, 0usize);
    let mut messages_by_norm: BTreeMap<&str, usize> = BTreeMap::new();
    let (mut failed, mut rego_only_missing) = (0usize, 0usize);
    // The first disagreement of each norm, as an example.
    let mut pair_examples: BTreeMap<&str, String> = BTreeMap::new();
    let mut message_examples: BTreeMap<&str, String> = BTreeMap::new();
    for (doc, path) in docs.iter().zip(sample) {
        let file = path.file_name().map_or_else(
            || path.display().to_string(),
            |name| name.to_string_lossy().into_owned(),
        );
        for (index, (status, rego, rego_evidence)) in doc.statuses.iter().enumerate() {
            let norm = NORMS[index];
            let ours = status_name(*status);
            *table.entry((ours.to_string(), rego.clone())).or_default() += 1;
            if matches!(status, Status::Pass | Status::Fail | Status::NotApplicable) {
                decided += 1;
                if ours == rego {
                    agreed += 1;
                } else {
                    *by_norm.entry(norm).or_default() += 1;
                }
            }
            rego_total += 1;
            if rego == rego_evidence {
                rego_same += 1;
            } else {
                *rego_by_norm.entry(norm).or_default() += 1;
            }
            if *status != Status::Fail {
                continue;
            }
            failed += 1;
            let (ours, theirs) = (&doc.rampart[index], &doc.rego[index]);
            let items = |reasons: &'_ [Explanation]| -> BTreeSet<Option<String>> {
                reasons.iter().map(|(_, item, _)| item.clone()).collect()
            };
            let (our_items, their_items) = (items(ours), items(theirs));
            // Rego lists an item whose evidence is missing (Rampart: unknown) as failing, and
            // its message then shows the absent value as "missing".
            rego_only_missing += their_items
                .difference(&our_items)
                .filter(|item| {
                    theirs
                        .iter()
                        .any(|(_, id, message)| id == *item && message.contains("missing"))
                })
                .count();
            let before = pairs_by_norm[index].differ();
            pairs_by_norm[index].add(&our_items, &their_items);
            pairs.add(&our_items, &their_items);
            if before == 0 && pairs_by_norm[index].differ() > 0 {
                let (side, item, reasons) = match their_items.difference(&our_items).next() {
                    Some(item) => ("Rego only", item, theirs),
                    None => (
                        "Rampart only",
                        our_items
                            .difference(&their_items)
                            .next()
                            .expect("they differ"),
                        ours,
                    ),
                };
                let message = reasons
                    .iter()
                    .find(|(_, id, _)| id == item)
                    .map_or("", |(_, _, message)| message.as_str());
                pair_examples.insert(
                    norm,
                    format!(
                        "{file}: {side} {}: {message}",
                        item.as_deref().unwrap_or("(document)")
                    ),
                );
            }
            // With the requirement, and each side's messages for it.
            let messages = |reasons: &'_ [Explanation]| {
                let mut by_key: BTreeMap<(usize, Option<String>), BTreeSet<String>> =
                    BTreeMap::new();
                for (requirement, item, message) in reasons {
                    by_key
                        .entry((*requirement, item.clone()))
                        .or_default()
                        .insert(message.clone());
                }
                by_key
            };
            let (our_messages, their_messages) = (messages(ours), messages(theirs));
            let keys = |map: &BTreeMap<(usize, Option<String>), _>| -> BTreeSet<_> {
                map.keys().cloned().collect()
            };
            triples.add(&keys(&our_messages), &keys(&their_messages));
            for (key, texts) in &our_messages {
                let Some(their_texts) = their_messages.get(key) else {
                    continue;
                };
                messages_compared += 1;
                if texts == their_texts {
                    messages_same += 1;
                } else {
                    *messages_by_norm.entry(norm).or_default() += 1;
                    message_examples.entry(norm).or_insert_with(|| {
                        format!(
                            "{file}: Rampart {:?}\n      Rego    {:?}",
                            texts.first().map_or("", String::as_str),
                            their_texts.first().map_or("", String::as_str)
                        )
                    });
                }
            }
        }
    }
    assert_eq!(docs.first().map(|d| d.statuses.len()), Some(norm_ids.len()));
    let total: usize = table.values().sum();
    println!();
    println!(
        "agreement on {} documents x {} norms = {total} results:",
        docs.len(),
        norm_ids.len()
    );
    println!(
        "  where Rampart decides (pass, fail, n/a): {agreed}/{decided} agree ({:.2}%)",
        100.0 * agreed as f64 / decided.max(1) as f64
    );
    println!("  Rampart -> regorus        results");
    for ((ours, rego), count) in &table {
        println!("  {ours:<8} -> {rego:<12} {count:>8}");
    }
    if !by_norm.is_empty() {
        println!("  disagreements where Rampart decides, by norm: {by_norm:?}");
    }
    println!(
        "  regorus with messages -> status-only regorus: {rego_same}/{rego_total} statuses agree ({:.2}%)",
        100.0 * rego_same as f64 / rego_total.max(1) as f64
    );
    if !rego_by_norm.is_empty() {
        println!("  the two Rego policies disagree, by norm: {rego_by_norm:?}");
    }
    println!();
    println!(
        "evidence of the {failed} results Rampart fails (Rampart evidence vs Rego violations):"
    );
    println!(
        "  (norm, item) pairs: {} in both, {} Rego only, {} Rampart only: {:.2}% agree",
        pairs.both,
        pairs.rego_only,
        pairs.rampart_only,
        pairs.percent()
    );
    println!(
        "  Rego only: {rego_only_missing} of the {} with a value shown as \"missing\" (Rego fails an item unless its evidence shows it holds; Rampart: unknown)",
        pairs.rego_only
    );
    println!(
        "  (norm, requirement, item): {} in both, {} Rego only, {} Rampart only: {:.2}% agree",
        triples.both,
        triples.rego_only,
        triples.rampart_only,
        triples.percent()
    );
    println!(
        "  messages identical where both give (norm, requirement, item): {messages_same}/{messages_compared} ({:.2}%)",
        100.0 * messages_same as f64 / messages_compared.max(1) as f64
    );
    let mut worst: Vec<(&str, Tally)> = NORMS
        .iter()
        .copied()
        .zip(pairs_by_norm)
        .filter(|(_, tally)| tally.differ() > 0)
        .collect();
    worst.sort_by_key(|(norm, tally)| (std::cmp::Reverse(tally.differ()), *norm));
    if !worst.is_empty() {
        println!("  norms whose (norm, item) pairs disagree most (Rego only / Rampart only):");
        for (norm, tally) in worst.iter().take(8) {
            println!(
                "    {norm:<26} {:>6} / {:<6} ({:.1}% agree)",
                tally.rego_only,
                tally.rampart_only,
                tally.percent()
            );
            if let Some(example) = pair_examples.get(norm) {
                println!("      e.g. {example}");
            }
        }
    }
    if !messages_by_norm.is_empty() {
        println!("  messages that differ, by norm: {messages_by_norm:?}");
        for (norm, example) in message_examples.iter().take(5) {
            println!("    {norm}: {example}");
        }
    }
    assert_eq!(
        rego_same, rego_total,
        "the Rego policy with messages gives other statuses than the status-only one"
    );
}

fn status_name(status: Status) -> &'static str {
    match status {
        Status::Pass => "pass",
        Status::Fail => "fail",
        Status::Waived => "waived",
        Status::Unknown => "unknown",
        Status::NotApplicable => "n/a",
        Status::Error => "error",
    }
}
