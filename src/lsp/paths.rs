//! Candidate paths for `use "…"` and `given "…"`: files under the policy root with the wanted
//! extensions, written relative to the importing file as the loader resolves them.

use std::path::Path;

/// How deep below the root the search goes.
const MAX_DEPTH: usize = 6;
/// How many files the search looks at, at most.
const MAX_FILES: usize = 2000;

/// Root-relative paths of the files under `root` ending in one of `extensions`, sorted.
pub(crate) fn files_under(root: &Path, extensions: &[&str]) -> Vec<String> {
    let mut out = Vec::new();
    let mut budget = MAX_FILES;
    walk(root, "", 0, extensions, &mut budget, &mut out);
    out.sort();
    out
}

fn walk(
    dir: &Path,
    prefix: &str,
    depth: usize,
    extensions: &[&str],
    budget: &mut usize,
    out: &mut Vec<String>,
) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        if *budget == 0 {
            return;
        }
        *budget -= 1;
        let Some(name) = entry.file_name().to_str().map(str::to_string) else {
            continue;
        };
        if name.starts_with('.') || name == "target" || name == "node_modules" {
            continue;
        }
        let path = format!("{prefix}{name}");
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_dir() && depth < MAX_DEPTH {
            walk(
                &entry.path(),
                &format!("{path}/"),
                depth + 1,
                extensions,
                budget,
                out,
            );
        } else if kind.is_file() && extensions.iter().any(|ext| name.ends_with(ext)) {
            out.push(path);
        }
    }
}

/// `target` (root-relative) as written in a file at `from` (root-relative).
pub(crate) fn relative_to(from: &str, target: &str) -> String {
    let from_dirs: Vec<&str> = from.split('/').collect();
    let from_dirs = &from_dirs[..from_dirs.len().saturating_sub(1)];
    let target_parts: Vec<&str> = target.split('/').collect();
    let common = from_dirs
        .iter()
        .zip(&target_parts)
        .take_while(|(a, b)| a == b)
        .count();
    let mut parts: Vec<&str> = vec![".."; from_dirs.len() - common];
    parts.extend(&target_parts[common..]);
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_climb_out_of_the_importing_directory() {
        assert_eq!(
            relative_to("main.rampart", "pillars/a.rampart"),
            "pillars/a.rampart"
        );
        assert_eq!(
            relative_to("pillars/a.rampart", "schema.rampart"),
            "../schema.rampart"
        );
        assert_eq!(
            relative_to("pillars/a.rampart", "pillars/b.rampart"),
            "b.rampart"
        );
        assert_eq!(relative_to("a/b/c.rampart", "a/d/e.json"), "../d/e.json");
    }
}
