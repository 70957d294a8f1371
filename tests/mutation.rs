//! Seeded mutation testing of the parser and checker: valid policies are damaged by deleting,
//! inserting, duplicating and swapping bytes and tokens; every mutant must be handled without a
//! panic, with every diagnostic inside the file, and identically on a second run.

mod common;

use rampart::diagnostics::render_json;
use rampart::syntax::{FileId, TokenKind, lex};

/// Number of mutants checked.
const CASES: usize = 10_000;

/// A small deterministic generator (xorshift64*), so a failure can be replayed from its case number.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

/// Fragments worth inserting: keywords, punctuation and awkward bytes.
const INSERTS: &[&[u8]] = &[
    b"{",
    b"}",
    b"(",
    b")",
    b"[",
    b"]",
    b"\"",
    b",",
    b":",
    b".",
    b"-",
    b"==",
    b"norm",
    b"require",
    b"all x in",
    b"where",
    b"else \"{",
    b"///",
    b"//",
    b"\n",
    b"\r\n",
    b"\t",
    b"2026-02-30",
    b"90d",
    b"\xff",
    b"\xe2\x82",
    "Ελλάδα".as_bytes(),
    b"\\u12",
    b"use \"../x\"",
    b"passes(",
    b"given {",
];

fn seeds() -> Vec<Vec<u8>> {
    let mut files = Vec::new();
    let mut stack = vec![
        std::path::PathBuf::from("tests/fixtures/valid"),
        std::path::PathBuf::from("policies"),
    ];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rampart") {
                files.push(std::fs::read(&path).unwrap());
            }
        }
    }
    files.sort();
    assert!(files.len() >= 10, "too few seed files");
    files
}

/// Byte ranges of the tokens of `text` (or of its lossy decoding).
fn token_ranges(text: &[u8]) -> Vec<(usize, usize)> {
    let decoded = String::from_utf8_lossy(text);
    if decoded.len() != text.len() {
        return Vec::new();
    }
    lex(FileId(0), &decoded)
        .tokens
        .iter()
        .filter(|t| t.kind != TokenKind::Eof)
        .map(|t| (t.span.start as usize, t.span.end as usize))
        .collect()
}

fn mutate(rng: &mut Rng, seed: &[u8]) -> Vec<u8> {
    let mut text = seed.to_vec();
    for _ in 0..1 + rng.below(3) {
        let tokens = token_ranges(&text);
        let (start, end) = if !tokens.is_empty() && rng.below(2) == 0 {
            tokens[rng.below(tokens.len())]
        } else {
            let start = rng.below(text.len() + 1);
            (start, (start + 1 + rng.below(8)).min(text.len()))
        };
        match rng.below(4) {
            0 => {
                text.drain(start..end);
            }
            1 => {
                let insert = INSERTS[rng.below(INSERTS.len())];
                text.splice(start..start, insert.iter().copied());
            }
            2 => {
                let copy = text[start..end].to_vec();
                text.splice(end..end, copy);
            }
            _ => {
                let (other_start, other_end) = match tokens.len() {
                    0 => (rng.below(text.len() + 1), text.len()),
                    n => tokens[rng.below(n)],
                };
                if other_end <= start || end <= other_start {
                    let (first, second) = if other_start < start {
                        ((other_start, other_end), (start, end))
                    } else {
                        ((start, end), (other_start, other_end))
                    };
                    let mut swapped = text[..first.0].to_vec();
                    swapped.extend_from_slice(&text[second.0..second.1]);
                    swapped.extend_from_slice(&text[first.1..second.0]);
                    swapped.extend_from_slice(&text[first.0..first.1]);
                    swapped.extend_from_slice(&text[second.1..]);
                    text = swapped;
                }
            }
        }
    }
    text
}

#[test]
fn mutants_never_panic_stay_in_bounds_and_are_deterministic() {
    let seeds = seeds();
    let mut rng = Rng(0x5eed_2026_0bad_cafe);
    for case in 0..CASES {
        let seed = &seeds[rng.below(seeds.len())];
        let mutant = mutate(&mut rng, seed);
        let first = common::load_text(&mutant);
        let text_len = first.workspace.files[0].text.len();
        for diagnostic in &first.diagnostics {
            let span = diagnostic.primary.span;
            assert!(
                span.start <= span.end && span.end as usize <= text_len,
                "case {case}: span {span:?} outside {text_len} bytes"
            );
            assert!(diagnostic.code.as_str().starts_with("rampart::"));
        }
        let second = common::load_text(&mutant);
        assert_eq!(
            render_json(&first.diagnostics, &first.workspace),
            render_json(&second.diagnostics, &second.workspace),
            "case {case}: diagnostics differ between two runs"
        );
    }
}
