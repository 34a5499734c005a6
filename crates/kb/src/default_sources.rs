//! The default KB's sources that are assembled from several inputs, and the module each
//! message file belongs to: ReactOS's message files and Wine's message tables with the
//! `.mc` files that name their ids. `werr-refresh-data` writes them to `data/`; the tests
//! assemble them again to check that `data/` is current.
//!
//! # ReactOS (`reactos-mc/` of the shared corpus)
//!
//! Each file is compiled as mc.exe would ([`McImporter`]): a definition per SymbolicName
//! (the value as the generated `.h` writes it, at its `MessageId` line, the English
//! MessageText as `message_text`) and every language's messages. The messages belong to the
//! module Windows (and ReactOS's build) puts them in ([`REACTOS_MC_MODULES`]), so that
//! event-log rendering can register providers to those modules. The `.h`-style comment
//! block is not kept: the SDK header stays the primary definition of a name both define.
//!
//! # Wine 8.0
//!
//! The message tables of [`WINE_TABLES`]' modules (33 languages), and the names Wine's own
//! `.mc` files give their ids ([`wine_mc_names`]): the fact "Wine's table names id 5
//! `ERROR_ACCESS_DENIED`" sits in the same source as the texts.

use crate::import::{ImportIssue, ImportSummary, Importer, ParsedFile};
use crate::message_files::{McImporter, MessageTableImporter};
use crate::store::Kb;
use crate::writer::SourceRow;
use std::path::Path;

/// ReactOS's message files (`sdk/include/reactos/mc/`) and the module whose message table
/// ReactOS builds each into, named as on Windows (from the `.rc` file that includes it:
/// `dll/win32/netevent/netevent.rc` includes neteventmsg.rc, ...). `None`: ReactOS builds
/// the file into no module.
pub const REACTOS_MC_MODULES: [(&str, Option<&str>); 11] = [
    ("arp_msg.mc", Some("arp.exe")),
    ("bootmsg.mc", Some("bootmgr.exe")),
    ("bugcodes.mc", Some("ntoskrnl.exe")),
    ("net_msg.mc", Some("net.exe")),
    ("neteventmsg.mc", Some("netevent.dll")),
    ("netmsgmsg.mc", Some("netmsg.dll")),
    ("ntiologc.mc", Some("iologmsg.dll")),
    ("ntstatus.mc", Some("ntdll.dll")),
    ("pciclass.mc", Some("pci.sys")),
    ("sacmsg.mc", Some("sacdrv.sys")),
    ("wdfstaus.mc", None),
];

/// The Wine 8.0 modules whose message tables the default KB carries, and the `.mc` file of
/// Wine's source tree their tables are compiled from (its SymbolicNames name the ids).
pub const WINE_TABLES: [(&str, &str); 3] = [
    ("kernelbase.dll", "dlls/kernelbase/winerror.mc"),
    ("mferror.dll", "dlls/mferror/mferror.mc"),
    ("wininet.dll", "dlls/wininet/winineterror.mc"),
];

/// A source assembled for the default KB: its record, the files to store, the problems met.
#[derive(Debug, Clone)]
pub struct AssembledSource {
    /// Kit, version, origin, license.
    pub source: SourceRow,
    /// The files, in the order they are stored.
    pub files: Vec<ParsedFile>,
    /// Files skipped and lines reported, in file order.
    pub issues: Vec<ImportIssue>,
}

impl Kb {
    /// Stores an assembled source in one transaction (replacing the same kit and version).
    pub fn store_assembled(&mut self, assembled: &AssembledSource) -> crate::Result<ImportSummary> {
        let ((), summary) = self.import(&assembled.source, |session| {
            for issue in &assembled.issues {
                session.report(issue.clone());
            }
            for file in &assembled.files {
                session.add_parsed(file)?;
            }
            Ok(())
        })?;
        Ok(summary)
    }
}

fn read(path: &Path) -> Result<Vec<u8>, String> {
    std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))
}

/// One line of the corpus's `reactos-mc/SOURCE.txt`: file, repository path, commit.
struct SourceLine {
    file: String,
    path: String,
    commit: String,
}

fn source_lines(text: &str) -> Result<Vec<SourceLine>, String> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        let [file, path, commit, _chars, status] = fields.as_slice() else {
            return Err(format!(
                "SOURCE.txt:{}: expected 5 tab-separated fields (file, path, commit, chars, status), found {}",
                i + 1,
                fields.len()
            ));
        };
        if status.starts_with("ok") {
            out.push(SourceLine {
                file: file.to_string(),
                path: path.to_string(),
                commit: commit.to_string(),
            });
        }
    }
    Ok(out)
}

/// ReactOS's message files of `dir` (the corpus's `reactos-mc/`: the files and the
/// `SOURCE.txt` that gives each one's repository path and commit). Each file is stored under
/// its repository path; a file that does not compile is reported in
/// [`AssembledSource::issues`] and left out.
pub fn reactos(dir: &Path) -> Result<AssembledSource, String> {
    let lines = source_lines(&String::from_utf8_lossy(&read(&dir.join("SOURCE.txt"))?))?;
    let mut files = Vec::new();
    let mut issues = Vec::new();
    let mut origin = Vec::new();
    for line in &lines {
        let Some((_, module)) = REACTOS_MC_MODULES.iter().find(|(f, _)| *f == line.file) else {
            return Err(format!(
                "{}: not in REACTOS_MC_MODULES; add the module ReactOS builds it into",
                line.file
            ));
        };
        origin.push(format!("{} {}", line.file, line.commit));
        let bytes = read(&dir.join(&line.file))?;
        let mut parsed = match McImporter.parse(&line.path, &bytes) {
            Ok(parsed) => parsed,
            Err(issue) => {
                issues.push(issue);
                continue;
            }
        };
        if let Some(module) = module {
            for m in &mut parsed.messages {
                m.module = module.to_string();
            }
            for n in &mut parsed.message_names {
                n.module = module.to_string();
            }
        }
        for (_, d) in &mut parsed.definitions {
            d.line_comments = None;
        }
        issues.append(&mut parsed.issues);
        files.push(parsed);
    }
    Ok(AssembledSource {
        source: SourceRow {
            kit: "reactos".into(),
            version: "git".into(),
            origin: format!(
                "GitHub reactos/reactos, sdk/include/reactos/mc/ at the commits of each file: {} (shared corpus reactos-mc/SOURCE.txt)",
                origin.join(", ")
            ),
            license: "GPL-2.0-or-later (ReactOS; the message texts are kept as data with this notice)".into(),
        },
        files,
        issues,
    })
}

/// The names one of Wine's `.mc` files gives the ids of `module`'s message table: its
/// definitions and the names of `module`'s messages (the module's own table carries the
/// texts in every language), each definition with the English MessageText as
/// `message_text`, typed as Wine's headers type them: the ids of these tables below 0x10000
/// are Win32 error codes (`ERROR_*` of kernelbase.dll and wininet.dll), those above are
/// HRESULTs (Wine's winerror.h and mferror.h write them as `_HRESULT_TYPEDEF_`).
pub fn wine_mc_names(rel: &str, bytes: &[u8], module: &str) -> Result<ParsedFile, ImportIssue> {
    let mut parsed = McImporter.parse(rel, bytes)?;
    parsed.messages.clear();
    for n in &mut parsed.message_names {
        n.module = module.to_string();
    }
    for (_, d) in &mut parsed.definitions {
        d.line_comments = None;
        match d.value {
            Some(value) if value <= 0xFFFF => d.category = "Win32 error".into(),
            Some(_) => {
                d.c_type = "HRESULT".into();
                d.category = "HRESULT".into();
            }
            None => {}
        }
    }
    Ok(parsed)
}

/// Wine 8.0's part of the default KB: the message tables of [`WINE_TABLES`]' modules from
/// `dll_dir` (Debian libwine's `x86_64-windows/`), then the names of their `.mc` files from
/// `mc_dir` (the corpus's `wine-mc/`, stored under their path in Wine's tree). A file that
/// cannot be read is an error: the default KB does not ship half of Wine.
pub fn wine(dll_dir: &Path, mc_dir: &Path, source: SourceRow) -> Result<AssembledSource, String> {
    let mut files = Vec::new();
    let mut issues = Vec::new();
    let fail = |issue: ImportIssue| issue.to_string();
    for (dll, _) in WINE_TABLES {
        let mut parsed = MessageTableImporter
            .parse(dll, &read(&dll_dir.join(dll))?)
            .map_err(fail)?;
        issues.append(&mut parsed.issues);
        files.push(parsed);
    }
    for (dll, mc) in WINE_TABLES {
        let name = crate::module_name(mc);
        let mut parsed = wine_mc_names(mc, &read(&mc_dir.join(&name))?, dll).map_err(fail)?;
        issues.append(&mut parsed.issues);
        files.push(parsed);
    }
    Ok(AssembledSource {
        source,
        files,
        issues,
    })
}
