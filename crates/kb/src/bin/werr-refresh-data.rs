//! Regenerates `data/` (the default KB's sources) from the registry packages and the shared
//! corpus, with werr's own importers. Run through `scripts/refresh-data`, which fetches the
//! inputs first.
//!
//! Usage: werr-refresh-data OUT_DIR MINGW10_INCLUDE MINGW13_INCLUDE WINDOWS_SYS_CRATE
//!        WINE_DLL_DIR IMPACKET_DIR CORPUS_DIR WINDOWS_SYS_048_CRATE WINE_INCLUDE
//!
//! `WINE_DLL_DIR` is the `x86_64-windows` folder of Debian's libwine 8.0~repack-4, whose
//! message tables ([`WINE_TABLES`]) become the default texts; `IMPACKET_DIR` holds
//! impacket 0.13.1's `impacket/*_errors.py` ([MS-ERREF]); `CORPUS_DIR` is the shared corpus:
//! `reactos-mc/`, `wine-mc/` for the names of Wine's tables, and `msdocs/` (Microsoft Learn
//! pages of MicrosoftDocs/win32 and windows-driver-docs, with the repositories, commits and
//! folders in its `SOURCE.txt`), whose sources come first in `sources.txt`, so that
//! Microsoft's wording leads. `WINDOWS_SYS_048_CRATE` is windows-sys 0.48.0, imported for the
//! namespaces the newer windows-sys no longer has ([`import_dropped_namespaces`]);
//! `WINE_INCLUDE` is the `wine/windows` folder of Debian's libwine-dev 8.0~repack-4, Wine's
//! own headers ([`import_wine_headers`]).

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use werr_kb::default_sources::{self, WINE_TABLES};
use werr_kb::{
    ErrefImporter, HeaderImporter, ImportIssue, Importer, Kb, MsdocsImporter, NoProgress,
    ParsedFile, SourceRow, WindowsSysImporter, MSDOCS_ATTRIBUTION,
};

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("werr-refresh-data: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    let [out, mingw10, mingw13, windows_sys, wine, impacket, corpus, windows_sys_048, wine_include] =
        args.as_slice()
    else {
        return Err(
            "usage: werr-refresh-data OUT_DIR MINGW10_INCLUDE MINGW13_INCLUDE WINDOWS_SYS_CRATE WINE_DLL_DIR IMPACKET_DIR CORPUS_DIR WINDOWS_SYS_048_CRATE WINE_INCLUDE"
                .into(),
        );
    };
    let ws_version = windows_sys_version(windows_sys)?;
    let mut kb = Kb::in_memory()?;
    let headers = HeaderImporter::default();
    let sources = [
        (
            SourceRow {
                kit: "mingw-w64".into(),
                version: "10.0.0".into(),
                origin: "Debian package mingw-w64-common 10.0.0-3, /usr/share/mingw-w64/include".into(),
                license: "public domain (mingw-w64 DISCLAIMER.PD); some files ZPL-2.1 or MIT, see their headers".into(),
            },
            mingw10,
        ),
        (
            SourceRow {
                kit: "mingw-w64".into(),
                version: "13.0.0".into(),
                origin: "PyPI wheel ziglang 0.15.1, ziglang/lib/libc/include/any-windows-any".into(),
                license: "public domain (mingw-w64 DISCLAIMER.PD); some files ZPL-2.1 or MIT, see their headers".into(),
            },
            mingw13,
        ),
    ];
    let mut names = Vec::new();
    for (source, root) in &sources {
        let summary = kb.import_paths(
            source,
            &[(*root).clone()],
            &[&headers as &dyn Importer],
            &NoProgress,
        )?;
        eprintln!(
            "{} {}: {} files, {} definitions, {} issues",
            summary.kit,
            summary.version,
            summary.files,
            summary.definitions,
            summary.issues.len()
        );
        names.push(format!("{}-{}.tsv", source.kit, source.version));
    }
    let ws = WindowsSysImporter {
        known_names: kb.symbol_names()?,
    };
    let source = SourceRow {
        kit: "windows-sys".into(),
        version: ws_version.clone(),
        origin: format!(
            "crates.io windows-sys {ws_version}, src/Windows (win32metadata constants)"
        ),
        license: "MIT OR Apache-2.0".into(),
    };
    let summary = kb.import_paths(
        &source,
        std::slice::from_ref(windows_sys),
        &[&ws as &dyn Importer],
        &NoProgress,
    )?;
    eprintln!(
        "windows-sys {ws_version}: {} files, {} definitions",
        summary.files, summary.definitions
    );
    names.push(format!("windows-sys-{ws_version}.tsv"));
    names.push(import_dropped_namespaces(
        &mut kb,
        &ws,
        windows_sys,
        windows_sys_048,
    )?);
    let source = SourceRow {
        kit: "ms-erref".into(),
        version: "impacket-0.13.1".into(),
        origin: "PyPI wheel impacket 0.13.1, impacket/{hresult_errors,nt_errors,system_errors}.py (the tables of Microsoft's open specification [MS-ERREF])".into(),
        license: "Microsoft Open Specifications terms ([MS-ERREF] texts); impacket's Apache-1.1-style license (its packaging); see NOTICE-DATA.md".into(),
    };
    let summary = kb.import_paths(
        &source,
        std::slice::from_ref(impacket),
        &[&ErrefImporter as &dyn Importer],
        &NoProgress,
    )?;
    eprintln!(
        "ms-erref: {} files, {} definitions, {} issues",
        summary.files,
        summary.definitions,
        summary.issues.len()
    );
    if summary.files != 3 || !summary.issues.is_empty() {
        return Err(format!(
            "ms-erref: expected the three tables to import cleanly: {:?}",
            summary.issues
        )
        .into());
    }
    names.push("ms-erref-impacket-0.13.1.tsv".to_string());
    let reactos = default_sources::reactos(&corpus.join("reactos-mc"))?;
    let summary = kb.store_assembled(&reactos)?;
    eprintln!(
        "reactos: {} files, {} definitions, {} messages",
        summary.files, summary.definitions, summary.messages
    );
    // Reported, not silently dropped: data/README.md lists what does not import and why.
    for issue in &reactos.issues {
        eprintln!("reactos: {issue}");
    }
    names.push("reactos-git.tsv".to_string());
    let source = SourceRow {
        kit: "wine".into(),
        version: "8.0".into(),
        origin: format!(
            "Debian package libwine 8.0~repack-4, usr/lib/x86_64-linux-gnu/wine/x86_64-windows/{{{}}}; the names of their ids from Wine 8.0's {} (Debian source package wine 8.0~repack-4)",
            WINE_TABLES.map(|t| t.0).join(","),
            WINE_TABLES.map(|t| t.1).join(", ")
        ),
        license: "LGPL-2.1-or-later (Wine; the message texts are data of the library)".into(),
    };
    let wine = default_sources::wine(wine, &corpus.join("wine-mc"), source)?;
    let summary = kb.store_assembled(&wine)?;
    eprintln!(
        "wine 8.0: {} files, {} definitions, {} messages, {} issues",
        summary.files,
        summary.definitions,
        summary.messages,
        summary.issues.len()
    );
    // Only warnings are allowed (winerror.mc's undeclared facilities, read as Wine's wmc
    // reads them); a file skipped in part would leave the default KB with half of Wine.
    for issue in &wine.issues {
        eprintln!("wine 8.0: {issue}");
        if issue.skipped_file {
            return Err(format!("wine 8.0: {issue}").into());
        }
    }
    names.push("wine-8.0.tsv".to_string());
    names.push(import_wine_headers(&mut kb, wine_include)?);
    // Imported last, so that windows-sys keeps only the names header sources define and the
    // pages' values are checked against every other source; listed first.
    let known = kb.symbol_values()?;
    let msdocs = &corpus.join("msdocs");
    for folder in ["win32", "driver"] {
        let repo = msdocs_repository(msdocs, folder)?;
        let importer = MsdocsImporter::new(&repo.folder, known.clone());
        let short = &repo.commit[..7];
        let source = SourceRow {
            kit: format!("msdocs-{folder}"),
            version: short.to_string(),
            origin: format!(
                "{MSDOCS_ATTRIBUTION}: GitHub {} commit {}, folder {}",
                repo.name, repo.commit, repo.folder
            ),
            license: "CC-BY-4.0".into(),
        };
        let summary = kb.import_paths(
            &source,
            &[msdocs.join(folder)],
            &[&importer as &dyn Importer],
            &NoProgress,
        )?;
        eprintln!(
            "msdocs-{folder} {short}: {} pages stored, {} definitions, {} issues",
            summary.files,
            summary.definitions,
            summary.issues.len()
        );
        names.push(format!("msdocs-{folder}-{short}.tsv"));
    }
    std::fs::create_dir_all(out)?;
    for (source, name) in kb.sources()?.iter().zip(&names) {
        std::fs::write(out.join(name), kb.export_source(source)?)?;
    }
    // Import order above follows what each import needs (windows-sys keeps the names the
    // headers define); the list gives the order of precedence: Microsoft's words first.
    let order = [
        "msdocs-",
        "ms-erref-impacket-0.13.1.tsv",
        "mingw-w64-10.0.0.tsv",
        "mingw-w64-13.0.0.tsv",
        "windows-sys-",
        "reactos-git.tsv",
        "wine-8.0.tsv",
        "wine-headers-",
    ];
    let mut listed = names.clone();
    listed.sort_by_key(|n| order.iter().position(|o| n.starts_with(o)));
    let mut list = String::from(
        "# The default KB's sources, in import order (earlier sources are primary).\n",
    );
    for n in &listed {
        list.push_str(n);
        list.push('\n');
    }
    std::fs::write(out.join("sources.txt"), list)?;
    Ok(())
}

/// A documentation repository as the corpus's `SOURCE.txt` names it.
struct DocsRepository {
    /// `MicrosoftDocs/win32`.
    name: String,
    /// The full commit.
    commit: String,
    /// The folder the pages sit in (`desktop-src/`).
    folder: String,
}

/// Reads the repository, commit and folder of `folder` (`win32`, `driver`) from the
/// paragraph of `SOURCE.txt` that starts with `folder/`: "GitHub repository NAME, commit
/// SHA, folder DIR (...".
fn msdocs_repository(
    msdocs: &Path,
    folder: &str,
) -> Result<DocsRepository, Box<dyn std::error::Error>> {
    let path = msdocs.join("SOURCE.txt");
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let lead = format!("{folder}/");
    let start = text
        .lines()
        .position(|l| l.starts_with(&lead))
        .ok_or_else(|| format!("{}: no paragraph for {lead}", path.display()))?;
    let paragraph: String = text
        .lines()
        .skip(start)
        .enumerate()
        .take_while(|(i, l)| *i == 0 || l.starts_with(' '))
        .map(|(_, l)| l.trim())
        .collect::<Vec<_>>()
        .join(" ");
    let after = |key: &str| -> Result<String, String> {
        let at = paragraph
            .find(key)
            .ok_or_else(|| format!("{}: no {key:?} for {lead}", path.display()))?;
        Ok(paragraph[at + key.len()..]
            .split([',', ' '])
            .next()
            .unwrap_or("")
            .to_string())
    };
    let repo = DocsRepository {
        name: after("repository ")?,
        commit: after("commit ")?,
        folder: after("folder ")?,
    };
    if repo.commit.len() != 40 || !repo.folder.ends_with('/') {
        return Err(format!("{}: unexpected commit or folder for {lead}", path.display()).into());
    }
    Ok(repo)
}

/// The version of a windows-sys crate from its folder's name (`windows-sys-0.61.2`).
fn windows_sys_version(krate: &Path) -> Result<String, Box<dyn std::error::Error>> {
    Ok(krate
        .file_name()
        .and_then(|n| n.to_str())
        .and_then(|n| n.strip_prefix("windows-sys-"))
        .ok_or_else(|| format!("{}: expected a folder windows-sys-VERSION", krate.display()))?
        .to_string())
}

/// The win32metadata namespaces of a windows-sys crate (`Windows.Win32.Foundation`...).
fn windows_sys_namespaces(krate: &Path) -> Result<HashSet<String>, Box<dyn std::error::Error>> {
    fn walk(dir: &Path, root: &Path, out: &mut HashSet<String>) -> std::io::Result<()> {
        for entry in std::fs::read_dir(dir)? {
            let path = entry?.path();
            if path.is_dir() {
                walk(&path, root, out)?;
            } else if let Ok(rel) = path.strip_prefix(root) {
                let rel = rel.to_string_lossy().replace('\\', "/");
                out.extend(werr_kb::namespace_of(&rel));
            }
        }
        Ok(())
    }
    let mut out = HashSet::new();
    walk(&krate.join("src"), krate, &mut out)?;
    Ok(out)
}

/// A windows-sys importer for the namespaces not in `skip` alone.
struct OtherNamespaces<'a> {
    inner: &'a WindowsSysImporter,
    skip: HashSet<String>,
}

impl Importer for OtherNamespaces<'_> {
    fn name(&self) -> &'static str {
        self.inner.name()
    }

    fn accepts(&self, rel: &str, head: &[u8]) -> bool {
        self.inner.accepts(rel, head)
            && werr_kb::namespace_of(rel).is_some_and(|ns| !self.skip.contains(&ns))
    }

    fn parse(&self, rel: &str, bytes: &[u8]) -> Result<ParsedFile, ImportIssue> {
        self.inner.parse(rel, bytes)
    }
}

/// Imports an older windows-sys (0.48) for the namespaces the newer one (`newer`) dropped:
/// COM-heavy namespaces such as VirtualDiskService (`VDS_E_*`), Tpm, UpdateAgent. Returns
/// the data file's name.
fn import_dropped_namespaces(
    kb: &mut Kb,
    importer: &WindowsSysImporter,
    newer: &Path,
    older: &Path,
) -> Result<String, Box<dyn std::error::Error>> {
    let version = windows_sys_version(older)?;
    let skip = windows_sys_namespaces(newer)?;
    let dropped = windows_sys_namespaces(older)?.difference(&skip).count();
    let only = OtherNamespaces {
        inner: importer,
        skip,
    };
    let source = SourceRow {
        kit: "windows-sys".into(),
        version: version.clone(),
        origin: format!(
            "crates.io windows-sys {version}, src/Windows: the {dropped} namespaces later \
             windows-sys versions no longer have (win32metadata constants)"
        ),
        license: "MIT OR Apache-2.0".into(),
    };
    let summary = kb.import_paths(
        &source,
        &[older.to_path_buf()],
        &[&only as &dyn Importer],
        &NoProgress,
    )?;
    eprintln!(
        "windows-sys {version}: {dropped} namespaces, {} files, {} definitions",
        summary.files, summary.definitions
    );
    Ok(format!("windows-sys-{version}.tsv"))
}

/// Imports Wine 8.0's own headers (Debian libwine-dev 8.0~repack-4, `wine/windows`) with
/// the header importer: Wine writes some codes its own way and defines some the mingw-w64
/// versions lack. Returns the data file's name.
fn import_wine_headers(kb: &mut Kb, include: &Path) -> Result<String, Box<dyn std::error::Error>> {
    let source = SourceRow {
        kit: "wine-headers".into(),
        version: "8.0".into(),
        origin: "Debian package libwine-dev 8.0~repack-4 (amd64), usr/include/wine/wine/windows"
            .into(),
        license: "LGPL-2.1-or-later (Wine)".into(),
    };
    let summary = kb.import_paths(
        &source,
        &[include.to_path_buf()],
        &[&HeaderImporter::default() as &dyn Importer],
        &NoProgress,
    )?;
    eprintln!(
        "wine-headers 8.0: {} files, {} definitions, {} issues",
        summary.files,
        summary.definitions,
        summary.issues.len()
    );
    Ok("wine-headers-8.0.tsv".into())
}
