//! Test-only helpers that find werr's test inputs; no test logic.
//!
//! Two kinds of inputs exist:
//! - the **corpus** in `../shared/corpus/` beside the repository (real .mc files and event
//!   logs), found with [`corpus`];
//! - **fixtures** fetched from the package registries by `scripts/fetch-fixtures` into
//!   `$WERR_FIXTURES` (default `~/.cache/werr/fixtures`), found with [`fixture`].
//!
//! When an input is missing, a test must not pass silently in CI: [`fixture`] and [`corpus`]
//! panic when `CI` is set (`CI=true`), and return `None` elsewhere so a developer without the
//! downloads sees the test skip with a message on stderr.
#![deny(missing_docs)]

use std::path::{Path, PathBuf};

/// The repository root (the workspace that contains this crate).
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .expect("crates/testdata sits two levels below the root")
        .to_path_buf()
}

/// Whether the tests run in CI, where a missing input is a failure.
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "0" && v != "false")
}

fn found_or_missing(path: PathBuf, how_to_get: &str) -> Option<PathBuf> {
    if path.exists() {
        return Some(path);
    }
    let message = format!("test input {} is missing; {how_to_get}", path.display());
    if in_ci() {
        panic!("{message}");
    }
    eprintln!("SKIPPED: {message}");
    None
}

/// The folder of the shared corpus (`../shared/corpus` beside the repository, or
/// `$WERR_CORPUS`).
pub fn corpus_dir() -> PathBuf {
    match std::env::var_os("WERR_CORPUS") {
        Some(p) => PathBuf::from(p),
        None => repo_root().join("../shared/corpus"),
    }
}

/// A file or folder of the shared corpus, e.g. `corpus("wine-mc/winerror.mc")`.
pub fn corpus(rel: &str) -> Option<PathBuf> {
    found_or_missing(
        corpus_dir().join(rel),
        "the shared corpus is expected at ../shared/corpus (or set WERR_CORPUS)",
    )
}

/// The folder registry fixtures are fetched into.
pub fn fixtures_dir() -> PathBuf {
    if let Some(p) = std::env::var_os("WERR_FIXTURES") {
        return PathBuf::from(p);
    }
    let home = std::env::var_os("HOME").map_or_else(|| PathBuf::from("/root"), PathBuf::from);
    home.join(".cache/werr/fixtures")
}

/// A fetched fixture, e.g. `fixture("pywin32-312/win32/servicemanager.pyd")`.
pub fn fixture(rel: &str) -> Option<PathBuf> {
    found_or_missing(
        fixtures_dir().join(rel),
        "run scripts/fetch-fixtures (scripts/test does)",
    )
}

/// A file shipped inside a crate of the local cargo registry, e.g.
/// `cargo_registry_file("evtx-0.", "samples/dlls/adtschema.dll")`: the first crate folder
/// whose name starts with `crate_prefix` and holds `rel`. The crate must be a dependency of
/// the workspace so that cargo has unpacked it.
pub fn cargo_registry_file(crate_prefix: &str, rel: &str) -> Option<PathBuf> {
    let cargo_home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(std::env::var_os("HOME").unwrap_or_else(|| "/root".into())).join(".cargo")
        });
    let src = cargo_home.join("registry/src");
    let mut candidates = Vec::new();
    if let Ok(indexes) = std::fs::read_dir(&src) {
        for index in indexes.flatten() {
            if let Ok(crates) = std::fs::read_dir(index.path()) {
                for krate in crates.flatten() {
                    let name = krate.file_name().to_string_lossy().into_owned();
                    if name.starts_with(crate_prefix) && krate.path().join(rel).exists() {
                        candidates.push(krate.path().join(rel));
                    }
                }
            }
        }
    }
    candidates.sort();
    let hint = format!(
        "no {crate_prefix}* crate with {rel} under {}",
        src.display()
    );
    found_or_missing(candidates.pop().unwrap_or_else(|| src.join(rel)), &hint)
}
