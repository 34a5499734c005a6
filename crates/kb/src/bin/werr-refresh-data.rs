//! Regenerates `data/` (the default KB's sources) from the registry packages, with werr's
//! own importers. Run through `scripts/refresh-data`, which fetches the inputs first.
//!
//! Usage: werr-refresh-data OUT_DIR MINGW10_INCLUDE MINGW13_INCLUDE WINDOWS_SYS_CRATE WINE_DLL_DIR WELM_DIR
//!
//! `WINE_DLL_DIR` is the `x86_64-windows` folder of Debian's libwine 8.0~repack-4, whose
//! message tables ([`WINE_MODULES`]) become the default texts. `WELM_DIR` holds the 14 WELM
//! event message databases of Velocidex/evtx-data ([`WELM_ORIGIN`]).

use std::path::PathBuf;
use std::process::ExitCode;
use werr_kb::{
    HeaderImporter, Importer, Kb, MessageTableImporter, NoProgress, SourceRow, WelmImporter,
    WindowsSysImporter,
};

/// Where the WELM databases come from, as the corpus's `welm/SOURCE.txt` records it.
const WELM_ORIGIN: &str = "GitHub Velocidex/evtx-data, folder welm/ at commit \
     9de3c60e0895af81f190cdb014e299720962fe14 (the x64 databases, and Windows Server 2008 SP2 \
     x86), made from NSA Cybersecurity's Windows Event Log Messages (WELM) dataset 2.3.0.0 of \
     2017-04-06 (GitHub nsacyber/Windows-Event-Log-Messages)";

/// The license of the WELM databases, with the notice their source asks to keep.
const WELM_LICENSE: &str = "CC0-1.0: the WELM work is a U.S. Government work, excluded from \
     copyright (17 U.S.C. 105), rights waived worldwide under CC0 1.0. The message texts are \
     Windows' own (Microsoft's message resources); Velocidex/evtx-data calls these files \
     publicly shareable. Keep this notice with any data derived from them.";

/// The WELM databases there are (one per Windows release).
const WELM_FILES: usize = 14;

/// The Wine modules whose message tables the default KB carries (their id spaces:
/// `werr_kb::id_space`).
const WINE_MODULES: [&str; 3] = ["kernelbase.dll", "mferror.dll", "wininet.dll"];

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
    let [out, mingw10, mingw13, windows_sys, wine, welm] = args.as_slice() else {
        return Err(
            "usage: werr-refresh-data OUT_DIR MINGW10_INCLUDE MINGW13_INCLUDE WINDOWS_SYS_CRATE WINE_DLL_DIR WELM_DIR"
                .into(),
        );
    };
    let ws_version = windows_sys
        .file_name()
        .and_then(|n| n.to_str())
        .and_then(|n| n.strip_prefix("windows-sys-"))
        .ok_or("the windows-sys path must end in windows-sys-VERSION")?
        .to_string();
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
    let source = SourceRow {
        kit: "wine".into(),
        version: "8.0".into(),
        origin: format!(
            "Debian package libwine 8.0~repack-4, usr/lib/x86_64-linux-gnu/wine/x86_64-windows/{{{}}}",
            WINE_MODULES.join(",")
        ),
        license: "LGPL-2.1-or-later (Wine; the message texts are data of the library)".into(),
    };
    let modules: Vec<PathBuf> = WINE_MODULES.iter().map(|m| wine.join(m)).collect();
    let summary = kb.import_paths(
        &source,
        &modules,
        &[&MessageTableImporter as &dyn Importer],
        &NoProgress,
    )?;
    eprintln!(
        "wine 8.0: {} files, {} messages, {} issues",
        summary.files,
        summary.messages,
        summary.issues.len()
    );
    if summary.files != WINE_MODULES.len() || !summary.issues.is_empty() {
        return Err(format!(
            "wine 8.0: expected {WINE_MODULES:?} to import cleanly: {:?}",
            summary.issues
        )
        .into());
    }
    names.push("wine-8.0.tsv".to_string());
    let source = SourceRow {
        kit: "welm".into(),
        version: "2.3.0.0".into(),
        origin: WELM_ORIGIN.into(),
        license: WELM_LICENSE.into(),
    };
    let summary = kb.import_paths(
        &source,
        std::slice::from_ref(welm),
        &[&WelmImporter::default() as &dyn Importer],
        &NoProgress,
    )?;
    eprintln!(
        "welm 2.3.0.0: {} files, {} releases, {} event texts, {} issues",
        summary.files,
        summary.releases,
        summary.events,
        summary.issues.len()
    );
    if summary.files != WELM_FILES || !summary.issues.is_empty() {
        return Err(format!(
            "welm 2.3.0.0: expected {WELM_FILES} databases to import cleanly: {:?}",
            summary.issues
        )
        .into());
    }
    names.push("welm-2.3.0.0.tsv".to_string());
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
