//! Shared pieces of the fuzz targets: well-formed policy text generated from an `Arbitrary`
//! value, the span-free tree fingerprint, the checked embedded library, and the mutation of a
//! jurisdiction document.

use arbitrary::{Arbitrary, Unstructured};

pub mod document;
pub mod policy_gen;

/// The tree of `text` as a Debug dump without spans (the compact `{:?}` form: the pretty form's
/// indentation made the dump several times longer and cost most of a `policy_roundtrip` run).
pub fn ast_fingerprint(text: &str) -> String {
    let parsed = rampart::syntax::parse(rampart::syntax::FileId(0), text);
    strip_spans(&format!("{:?}", parsed.file.items))
}

/// Replaces every `Span { … }` of a Debug dump with `_`.
pub fn strip_spans(dump: &str) -> String {
    let mut out = String::with_capacity(dump.len());
    let mut rest = dump;
    while let Some(start) = rest.find("Span {") {
        out.push_str(&rest[..start]);
        out.push('_');
        let after = &rest[start..];
        let end = after.find('}').map_or(after.len(), |close| close + 1);
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

/// The norm library (the same files the binary embeds), loaded and checked once.
pub fn library() -> &'static (rampart::workspace::Workspace, rampart::check::Program) {
    static LIBRARY: std::sync::OnceLock<(rampart::workspace::Workspace, rampart::check::Program)> =
        std::sync::OnceLock::new();
    LIBRARY.get_or_init(|| {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../policies");
        let files = rampart::workspace::DiskFiles::new(&root);
        let workspace = rampart::workspace::Workspace::load(&files, "main.rampart");
        let checked = rampart::check::check(&workspace);
        assert!(
            !checked.has_errors(&workspace),
            "the embedded library checks"
        );
        (workspace, checked.program)
    })
}

/// Picks one of `items`.
pub fn pick<'a, T>(u: &mut Unstructured<'_>, items: &'a [T]) -> arbitrary::Result<&'a T> {
    u.choose(items)
}

/// A small count in `0..=max`.
pub fn small(u: &mut Unstructured<'_>, max: usize) -> arbitrary::Result<usize> {
    u.int_in_range(0..=max)
}

/// Reads an `Arbitrary` value (re-exported for the targets).
pub fn arbitrary<'a, T: Arbitrary<'a>>(u: &mut Unstructured<'a>) -> arbitrary::Result<T> {
    T::arbitrary(u)
}
