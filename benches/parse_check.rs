//! Benchmark: parse and check a generated policy set of 10,000 norms (one file, with the
//! schema, definitions and parameters real policies use). Prints the median and best times.
//!
//! Run with `cargo bench --bench parse_check`.

use std::time::{Duration, Instant};

use rampart::check;
use rampart::workspace::{MemoryFiles, Workspace};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const NORMS: usize = 10_000;
const RUNS: usize = 15;

const HEADER: &str = r#"
source idea-2019 { title "Cybersecurity in Elections" publisher "International IDEA" year 2019 }
pillar security "Technical security controls"
stage planning "Planning"
stage voting "Voting"
enum Criticality { "critical", "high", "normal" }
enum Kind { "e-voting", "ballot-scanning", "results-tabulation", "website", "email" }
schema {
  jurisdiction: Jurisdiction
  election: Election
  systems?: [System]
  contacts?: [Contact]
}
type Jurisdiction { id: string  name: string  evaluated_on?: date }
type Election { date: date }
type Contact { id: string  phone?: string }
type System {
  id: string
  kind: Kind
  criticality?: Criticality
  owner?: ref contacts
  certification?: Certification
  backups?: Backups
}
type Certification { date?: date  expires?: date }
type Backups { frequency_hours?: int  offline_copy?: bool }
/// Lead time.
param lead_days: int = 90
param max_interval: int = 24
def is_critical(s: System) = s.criticality == "critical"
def vote_kinds = ["e-voting", "ballot-scanning", "results-tabulation"]
"#;

fn norm(i: usize) -> String {
    format!(
        r#"
/// Norm number {i}: certified early, backed up and owned.
norm bench-norm-{i} {{
  title "Generated norm {i}"
  pillar security
  stages [planning, voting]
  severity high
  cites idea-2019 "§5, rec. 9"
  when any s in systems: s.kind in vote_kinds
  require all s in systems where is_critical(s) and s.kind in vote_kinds:
    days_between(s.certification.date, election.date) >= lead_days and s.certification.expires > election.date
    else "system {{s.id}} was certified on {{s.certification.date}}"
  require all s in systems where is_critical(s):
    s.backups.frequency_hours <= max_interval and s.backups.offline_copy and s.owner.phone != ""
}}
"#
    )
}

fn main() {
    let mut text = String::from(HEADER);
    for i in 0..NORMS {
        text.push_str(&norm(i));
    }
    let mut files = MemoryFiles::new();
    files.insert("main.rampart", text.clone());
    let cpu_before = cpu_time();
    let mut times = Vec::with_capacity(RUNS);
    let mut parse_times = Vec::with_capacity(RUNS);
    for _ in 0..RUNS {
        let start = Instant::now();
        let workspace = Workspace::load(&files, "main.rampart");
        let parsed = start.elapsed();
        let checked = check::check(&workspace);
        let elapsed = start.elapsed();
        assert!(
            !checked.has_errors(&workspace),
            "generated policy has errors"
        );
        assert_eq!(checked.program.norms.len(), NORMS);
        times.push(elapsed);
        parse_times.push(parsed);
        drop((workspace, checked));
    }
    let cpu_per_run = (cpu_time() - cpu_before) / RUNS as u32;
    times.sort();
    parse_times.sort();
    let median = times[RUNS / 2];
    let best = times[0];
    println!("  parse alone: median {:.2} ms", ms(parse_times[RUNS / 2]));
    let lines = text.lines().count();
    println!(
        "parse+check: {NORMS} norms, {lines} lines, {} KiB",
        text.len() / 1024
    );
    println!(
        "  median {:>8.2} ms   best {:>8.2} ms   ({} runs, one thread)",
        ms(median),
        ms(best),
        RUNS
    );
    println!(
        "  {:.0} norms/s, {:.1} MiB/s",
        NORMS as f64 / median.as_secs_f64(),
        text.len() as f64 / 1048576.0 / median.as_secs_f64()
    );
    println!(
        "  CPU time per run {:>8.2} ms (user + system; unaffected by other load)",
        ms(cpu_per_run)
    );
    let verdict = if cpu_per_run < Duration::from_millis(100) {
        "met"
    } else {
        "NOT met"
    };
    println!("  target: < 100 ms on one core  ->  {verdict} (by CPU time)");
}

/// User + system CPU time of this process so far, from `/proc/self/stat` (Linux).
fn cpu_time() -> Duration {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // After the command name (which is in parentheses) utime is at index 11 and stime at 12
    // (index 0 is the state). They are taken by position: fields before them are not all
    // unsigned numbers (`tpgid` is -1 without a terminal), so skipping unparsable ones shifts them.
    let after = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let fields: Vec<&str> = after.split_whitespace().collect();
    let field = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<u64>().ok())
            .unwrap_or(0)
    };
    Duration::from_millis((field(11) + field(12)) * 10)
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
