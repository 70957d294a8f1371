//! What the command line costs and touches on long streams and when writing reports: a
//! JSON-lines stream (a file, or standard input) is read in bounded batches, so peak resident
//! memory is the same at 20,000 and at 100,000 lines in every report format; `--output` writes
//! the named file and nothing else, and a report it cannot write leaves nothing behind.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

const POLICY: &str = "source s { title \"S\" }\npillar p \"P\"\nschema { staff: Staff  name?: string }\ntype Staff { trained: int }\nnorm staff-trained {\n  title \"Staff are trained\"  pillar p  severity high  cites s\n  require staff.trained >= 3 else \"only {staff.trained} trained at {name}\"\n}\n";

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("rampart-streams-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a scratch directory");
    dir
}

/// Runs the binary with output discarded; its exit code and peak resident memory in KiB.
fn exit_and_peak_memory(args: &[&str]) -> (i32, i64) {
    exit_and_peak_memory_reading(args, Stdio::null())
}

/// [`exit_and_peak_memory`] with `stdin` as standard input.
// The child is reaped by `wait4`, which `Child::wait` cannot replace: it gives no rusage.
#[allow(clippy::zombie_processes)]
fn exit_and_peak_memory_reading(args: &[&str], stdin: Stdio) -> (i32, i64) {
    let child = Command::new(env!("CARGO_BIN_EXE_rampart"))
        .args(args)
        .stdin(stdin)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the binary runs");
    let pid = libc::pid_t::try_from(child.id()).expect("a pid");
    let mut status = 0;
    // SAFETY: `rusage` is plain data for which all zeroes is a valid value, and `wait4` writes
    // only to the two pointers, which are valid for the whole call. It reaps this one child,
    // which is not waited for elsewhere (`Child` does not wait when dropped).
    let (reaped, usage) = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        (libc::wait4(pid, &mut status, 0, &mut usage), usage)
    };
    assert_eq!(reaped, pid, "wait4 failed");
    assert!(libc::WIFEXITED(status), "the run did not exit normally");
    (libc::WEXITSTATUS(status), usage.ru_maxrss)
}

/// A JSON-lines stream of `lines` small jurisdictions, half of them failing the norm.
fn stream(dir: &Path, lines: usize) -> PathBuf {
    let path = dir.join(format!("states-{lines}.jsonl"));
    let text: String = (0..lines)
        .map(|i| {
            format!(
                "{{\"staff\": {{\"trained\": {}}}, \"name\": \"state-{i}\"}}\n",
                i % 6
            )
        })
        .collect();
    std::fs::write(&path, text).expect("a stream");
    path
}

#[test]
fn a_json_lines_stream_is_read_with_flat_memory_in_every_format() {
    let dir = scratch("flat");
    std::fs::write(dir.join("main.rampart"), POLICY).expect("a policy");
    let policy = dir.to_string_lossy().into_owned();
    let (small_stream, large_stream) = (stream(&dir, 20_000), stream(&dir, 100_000));
    for format in ["json", "sarif", "junit", "human"] {
        let peak = |path: &Path| {
            let args = ["check", "--policy", &policy, "--format", format];
            let path = path.to_string_lossy();
            let (code, peak) = exit_and_peak_memory(&[&args[..], &[&*path]].concat());
            assert_eq!(code, 1, "{format}: failures are found in {path}");
            peak
        };
        let (small, large) = (peak(&small_stream), peak(&large_stream));
        println!(
            "{format}: peak resident memory {small} KiB at 20,000 lines, {large} KiB at 100,000"
        );
        // Five times the documents; the same memory, give or take allocator noise (and, for
        // the human report, its summary rows, which wait in a temporary file).
        assert!(
            large <= small + small / 4,
            "{format}: {small} KiB at 20,000 lines, {large} KiB at 100,000"
        );
    }
    // JSON lines on standard input are read lazily too.
    let peak = |path: &Path| {
        let stdin = Stdio::from(std::fs::File::open(path).expect("the stream"));
        let args = ["check", "--policy", &policy, "--format", "json", "-"];
        let (code, peak) = exit_and_peak_memory_reading(&args, stdin);
        assert_eq!(code, 1, "failures are found on standard input");
        peak
    };
    let (small, large) = (peak(&small_stream), peak(&large_stream));
    println!("stdin: peak resident memory {small} KiB at 20,000 lines, {large} KiB at 100,000");
    assert!(
        large <= small + small / 4,
        "stdin: {small} KiB at 20,000 lines, {large} KiB at 100,000"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("a directory")
        .map(|entry| {
            entry
                .expect("an entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    names.sort();
    names
}

#[test]
fn output_writes_the_named_file_and_nothing_else() {
    let dir = scratch("output");
    std::fs::write(dir.join("keep.txt"), "untouched").expect("a neighbour");
    for (format, name) in [("json", "r.json"), ("sarif", "r.sarif"), ("junit", "r.xml")] {
        let target = dir.join(name);
        let output = Command::new(env!("CARGO_BIN_EXE_rampart"))
            .args([
                "check",
                "--today",
                "2027-01-01",
                "--format",
                format,
                "--output",
            ])
            .arg(&target)
            .arg("examples/kestria.json")
            .output()
            .expect("the binary runs");
        assert_eq!(output.status.code(), Some(1), "{output:?}");
        assert!(output.stdout.is_empty(), "the report goes to the file only");
        assert!(std::fs::metadata(&target).expect("written").len() > 0);
    }
    assert_eq!(entries(&dir), ["keep.txt", "r.json", "r.sarif", "r.xml"]);
    assert_eq!(
        std::fs::read_to_string(dir.join("keep.txt")).expect("readable"),
        "untouched"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_report_that_cannot_be_written_leaves_nothing_behind() {
    let dir = scratch("unwritable");
    let target = dir.join("no-such-directory").join("r.json");
    let output = Command::new(env!("CARGO_BIN_EXE_rampart"))
        .args([
            "check",
            "--today",
            "2027-01-01",
            "--format",
            "json",
            "--output",
        ])
        .arg(&target)
        .arg("examples/kestria.json")
        .output()
        .expect("the binary runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("cannot write"), "{stderr}");
    assert!(entries(&dir).is_empty(), "{:?}", entries(&dir));
    let _ = std::fs::remove_dir_all(&dir);
}
