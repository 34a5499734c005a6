//! Regenerates `data/` (the default KB's sources) from the registry packages, with werr's
//! own importers. Run through `scripts/refresh-data`, which fetches the inputs first.
//!
//! Usage: werr-refresh-data OUT_DIR MINGW10_INCLUDE MINGW13_INCLUDE WINDOWS_SYS_CRATE WINE_DLL_DIR
//! WINE_MC_DIR WINDOWS_SYS_048_CRATE WINE_INCLUDE
//!
//! `WINE_DLL_DIR` is the `x86_64-windows` folder of Debian's libwine 8.0~repack-4, whose
//! message tables ([`WINE_MODULES`]) become the default texts; `WINE_MC_DIR` holds the
//! message files Wine compiles them from (the shared corpus's `wine-mc/`), whose symbolic
//! names say which name each text belongs to ([`WINE_NAMING`]). `WINDOWS_SYS_048_CRATE` is
//! windows-sys 0.48.0, imported for the namespaces the newer windows-sys no longer has
//! ([`import_dropped_namespaces`]); `WINE_INCLUDE` is the `wine/windows` folder of Debian's
//! libwine-dev 8.0~repack-4, Wine's own headers ([`import_wine_headers`]).

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use werr_kb::{
    HeaderImporter, ImportIssue, Importer, Kb, McNamesImporter, MessageTableImporter, NoProgress,
    ParsedFile, SourceRow, WindowsSysImporter,
};

/// The Wine modules whose message tables the default KB carries.
const WINE_MODULES: [&str; 3] = ["kernelbase.dll", "mferror.dll", "wininet.dll"];

/// Which of Wine 8.0's message files is compiled into which module (Wine's
/// `dlls/kernelbase/winerror.mc`, `dlls/mferror/mferror.mc`, `dlls/wininet/winineterror.mc`).
const WINE_NAMING: [(&str, &str); 3] = [
    ("winerror.mc", "kernelbase.dll"),
    ("mferror.mc", "mferror.dll"),
    ("winineterror.mc", "wininet.dll"),
];

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
    let [out, mingw10, mingw13, windows_sys, wine, wine_mc, windows_sys_048, wine_include] =
        args.as_slice()
    else {
        return Err(
            "usage: werr-refresh-data OUT_DIR MINGW10_INCLUDE MINGW13_INCLUDE WINDOWS_SYS_CRATE WINE_DLL_DIR WINE_MC_DIR WINDOWS_SYS_048_CRATE WINE_INCLUDE"
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
        kit: "wine".into(),
        version: "8.0".into(),
        origin: format!(
            "Debian package libwine 8.0~repack-4, usr/lib/x86_64-linux-gnu/wine/x86_64-windows/{{{}}}; \
             names from Debian source package wine 8.0~repack-4, {{{}}}",
            WINE_MODULES.join(","),
            WINE_NAMING
                .iter()
                .map(|(mc, _)| *mc)
                .collect::<Vec<_>>()
                .join(",")
        ),
        license: "LGPL-2.1-or-later (Wine; the message texts are data of the library)".into(),
    };
    let mut modules: Vec<PathBuf> = WINE_MODULES.iter().map(|m| wine.join(m)).collect();
    modules.extend(WINE_NAMING.iter().map(|(mc, _)| wine_mc.join(mc)));
    let naming = McNamesImporter {
        modules: WINE_NAMING
            .iter()
            .map(|(mc, module)| (mc.to_string(), module.to_string()))
            .collect(),
    };
    let summary = kb.import_paths(
        &source,
        &modules,
        &[&naming as &dyn Importer, &MessageTableImporter],
        &NoProgress,
    )?;
    eprintln!(
        "wine 8.0: {} files, {} messages, {} issues",
        summary.files,
        summary.messages,
        summary.issues.len()
    );
    if summary.files != WINE_MODULES.len() + WINE_NAMING.len() || !summary.issues.is_empty() {
        return Err(format!(
            "wine 8.0: expected {WINE_MODULES:?} to import cleanly: {:?}",
            summary.issues
        )
        .into());
    }
    names.push("wine-8.0.tsv".to_string());
    names.push(import_wine_headers(&mut kb, wine_include)?);
    std::fs::create_dir_all(out)?;
    for (source, name) in kb.sources()?.iter().zip(&names) {
        std::fs::write(out.join(name), kb.export_source(source)?)?;
    }
    let mut list = String::from(
        "# The default KB's sources, in import order (earlier sources are primary).\n",
    );
    for n in &names {
        list.push_str(n);
        list.push('\n');
    }
    std::fs::write(out.join("sources.txt"), list)?;
    Ok(())
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
