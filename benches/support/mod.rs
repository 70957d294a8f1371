//! Deterministic generator of synthetic jurisdiction documents for the benchmarks.
//!
//! Each document starts from one of the example jurisdictions (`examples/*.json`, from the
//! mature Norrvale to the weak Ossmark), gets a fresh id, a list of 5 to 40 systems drawn from
//! every example (their references to contacts, institutions, vendors and other systems
//! rewritten to point into the new document), and is then degraded at a random rate: optional
//! fields dropped (Rampart reports `unknown`), booleans flipped, counts scaled and dates moved
//! (Rampart reports `fail`). Only what the schema allows is changed, so every document is valid:
//! required fields, ids, references, enum members and waivers are left alone.
//!
//! Everything follows from the seed and the document's index (a small xorshift, no `rand`), so
//! runs are reproducible and documents can be generated in parallel.
//!
//! Shared by several bench binaries (`evaluate`, `compare`), each using a part of it.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use rampart::date::Date;
use rayon::prelude::*;
use serde_json::{Map, Value};

/// A xorshift64* generator: small, fast, good enough to pick test data.
pub struct XorShift(u64);

impl XorShift {
    /// A generator for `seed` (any value; zero is remapped).
    pub fn new(seed: u64) -> Self {
        // One splitmix64 round spreads nearby seeds (document indices) apart.
        let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        XorShift(if z == 0 { 0x2545_F491_4F6C_DD1D } else { z })
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number in `0..n` (`n` > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// A number in `0.0..1.0`.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// One element of a non-empty slice.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// The generated documents: the files written and their bytes, in the same order.
pub struct Population {
    /// Where the files are.
    pub dir: PathBuf,
    /// One file per document, `doc-00000.json`…
    pub files: Vec<PathBuf>,
    /// The text of each file.
    pub bytes: Vec<Vec<u8>>,
}

impl Population {
    /// Total size of the documents in bytes.
    pub fn total_bytes(&self) -> usize {
        self.bytes.iter().map(Vec::len).sum()
    }
}

/// The templates and the pool of systems documents are built from.
struct Templates {
    documents: Vec<Value>,
    systems: Vec<Value>,
}

fn load_templates() -> Templates {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("examples/ is readable")
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|e| e == "json"))
        .collect();
    paths.sort();
    let documents: Vec<Value> = paths
        .iter()
        .map(|path| {
            let text = std::fs::read(path).expect("example is readable");
            serde_json::from_slice(&text).expect("example is JSON")
        })
        .collect();
    assert!(!documents.is_empty(), "no example documents found");
    let systems = documents
        .iter()
        .filter_map(|doc| doc.get("systems").and_then(Value::as_array))
        .flatten()
        .cloned()
        .collect();
    Templates { documents, systems }
}

/// Generates `n` documents from `seed`, writes them to `dir` (emptied first) and keeps their
/// bytes.
pub fn generate(n: usize, seed: u64, dir: &Path) -> Population {
    let templates = load_templates();
    if dir.exists() {
        std::fs::remove_dir_all(dir).expect("old bench directory can be removed");
    }
    std::fs::create_dir_all(dir).expect("bench directory can be created");
    let (files, bytes): (Vec<PathBuf>, Vec<Vec<u8>>) = (0..n)
        .into_par_iter()
        .map(|index| {
            let doc = document(&templates, seed, index);
            let text = serde_json::to_vec_pretty(&doc).expect("a value serialises");
            let path = dir.join(format!("doc-{index:05}.json"));
            std::fs::write(&path, &text).expect("bench file can be written");
            (path, text)
        })
        .unzip();
    Population {
        dir: dir.to_path_buf(),
        files,
        bytes,
    }
}

/// Document number `index`.
fn document(templates: &Templates, seed: u64, index: usize) -> Value {
    let mut rng = XorShift::new(seed ^ (index as u64).wrapping_mul(0xA24B_AED4_963E_E407));
    let mut doc = rng.pick(&templates.documents).clone();
    let Value::Object(root) = &mut doc else {
        panic!("example documents are objects")
    };
    if let Some(Value::Object(jurisdiction)) = root.get_mut("jurisdiction") {
        jurisdiction.insert("id".into(), format!("gen-{index:05}").into());
        jurisdiction.insert(
            "name".into(),
            format!("Synthetic Jurisdiction {index}").into(),
        );
    }
    let contacts = ids(root, "contacts");
    let institutions = ids(root, "institutions");
    let vendors = ids(root, "vendors");
    let n_systems = 5 + rng.below(36);
    let system_ids: Vec<String> = (0..n_systems).map(|k| format!("s{k:02}")).collect();
    let systems: Vec<Value> = system_ids
        .iter()
        .map(|id| {
            let mut system = rng.pick(&templates.systems).clone();
            if let Value::Object(fields) = &mut system {
                fields.insert("id".into(), id.clone().into());
                rewrite_refs(
                    fields,
                    &mut rng,
                    &Refs {
                        contacts: &contacts,
                        institutions: &institutions,
                        vendors: &vendors,
                        systems: &system_ids,
                    },
                );
            }
            system
        })
        .collect();
    root.insert("systems".into(), Value::Array(systems));
    // Maturity: the share of values degraded, from none to about a third.
    let damage = rng.unit() * rng.unit() * 0.35;
    for (key, value) in root.iter_mut() {
        if !matches!(key.as_str(), "jurisdiction" | "election" | "waivers") {
            degrade(value, damage, &mut rng);
        }
    }
    let keys: Vec<String> = root.keys().cloned().collect();
    for key in keys {
        let protected = matches!(
            key.as_str(),
            "jurisdiction" | "election" | "waivers" | "systems"
        );
        if !protected && rng.chance(damage / 3.0) {
            root.remove(&key);
        }
    }
    doc
}

/// The `id`s of the elements of the top-level list `field`.
fn ids(root: &Map<String, Value>, field: &str) -> Vec<String> {
    root.get(field)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|item| item.get("id").and_then(Value::as_str))
        .map(str::to_string)
        .collect()
}

/// The ids a generated system may refer to.
struct Refs<'a> {
    contacts: &'a [String],
    institutions: &'a [String],
    vendors: &'a [String],
    systems: &'a [String],
}

/// Points a system's references at elements of its new document (or drops them when the
/// document has no such elements).
fn rewrite_refs(system: &mut Map<String, Value>, rng: &mut XorShift, refs: &Refs<'_>) {
    for (field, targets) in [
        ("owner", refs.contacts),
        ("operator", refs.institutions),
        ("vendor", refs.vendors),
    ] {
        if system.contains_key(field) {
            if targets.is_empty() {
                system.remove(field);
            } else {
                system.insert(field.into(), rng.pick(targets).clone().into());
            }
        }
    }
    if let Some(Value::Object(certification)) = system.get_mut("certification") {
        if certification.contains_key("body") && !refs.institutions.is_empty() {
            certification.insert("body".into(), rng.pick(refs.institutions).clone().into());
        }
    }
    if let Some(Value::Object(network)) = system.get_mut("network") {
        if let Some(Value::Array(connected)) = network.get_mut("connected_to") {
            for target in connected.iter_mut() {
                *target = rng.pick(refs.systems).clone().into();
            }
        }
    }
}

/// Degrades a value at rate `damage`: drops optional fields and list items, flips booleans,
/// scales counts and moves dates. Never touches ids, other strings (enum members and
/// references stay valid) or non-integer numbers (ratios stay in range).
fn degrade(value: &mut Value, damage: f64, rng: &mut XorShift) {
    match value {
        Value::Bool(flag) => {
            if rng.chance(damage) {
                *flag = !*flag;
            }
        }
        Value::Number(number) => {
            if let Some(count) = number.as_u64() {
                if rng.chance(damage) {
                    let factor = rng.below(4) as u64;
                    *value = Value::from(count * factor + rng.below(3) as u64);
                }
            }
        }
        Value::String(text) => {
            if let Some(date) = Date::parse(text) {
                if rng.chance(damage) {
                    let shift = rng.below(801) as i64 - 400;
                    if let Some(moved) = date.add_days(shift) {
                        *text = moved.to_string();
                    }
                }
            }
        }
        Value::Array(items) => {
            if items.len() > 1 && rng.chance(damage / 2.0) {
                let index = rng.below(items.len());
                items.remove(index);
            }
            for item in items {
                degrade(item, damage, rng);
            }
        }
        Value::Object(fields) => {
            let keys: Vec<String> = fields.keys().cloned().collect();
            for key in keys {
                if key != "id" && rng.chance(damage / 3.0) {
                    fields.remove(&key);
                } else if let Some(child) = fields.get_mut(&key) {
                    degrade(child, damage, rng);
                }
            }
        }
        Value::Null => {}
    }
}
