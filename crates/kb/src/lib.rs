//! werr's knowledge base (KB): Windows codes with their provenance, in SQLite.
//!
//! This crate owns the store (schema, transactions), the importers of header trees and
//! windows-sys metadata, the queries behind `werr lookup/show/search/diff`, and the default
//! KB embedded in the binary. It prints nothing; `src/cmd/` presents what it returns.
//!
//! # Opening a KB
//!
//! - [`Kb::embedded`]: the default KB built from `data/` at build time, opened read-only in
//!   memory straight from the binary's bytes (no copy, no file): cheap enough for every
//!   `werr 0x...` run.
//! - [`Kb::open_or_create`]: a user's KB file (`--kb FILE`, `WERR_KB`), created as a copy
//!   of the default on first use, in WAL mode.
//! - [`Kb::in_memory`]: an empty KB, for tests and data generation.
//!
//! # Asking
//!
//! - [`Kb::lookup`]: every name that answers a value (every reading of `werr_codes`, plus
//!   the codes it converts to or from: `0x80070005` finds `E_ACCESSDENIED` and, through
//!   `HRESULT_FROM_WIN32`, `ERROR_ACCESS_DENIED`) or a name (exact, prefix, substring,
//!   typo-tolerant), best first, as [`Match`]es.
//! - [`Kb::record`] / [`Kb::record_for_value`]: the full [`Record`] of a name, every field
//!   of the seed page; it serializes to the `werr show --json` contract.
//! - [`Kb::unnamed`]: for a code no source names, its readings, enclosing groups and
//!   nearest named neighbours.
//! - [`Kb::search`] (full text over names, comments, message texts), [`Kb::diff`] (two
//!   sources), [`Kb::sources`].
//!
//! ```
//! let kb = werr_kb::Kb::embedded()?;
//! let matches = kb.lookup("0x80070005", 20)?;
//! assert_eq!(matches[0].name, "E_ACCESSDENIED");
//! assert!(matches.iter().any(|m| m.name == "ERROR_ACCESS_DENIED"));
//! # Ok::<(), werr_kb::Error>(())
//! ```
//!
//! # Importing (and plugging in a new format)
//!
//! Every import is one transaction ([`Kb::import`]): a failure, a panic or a killed process
//! leaves the KB as it was. Importing a kit and version again replaces it.
//!
//! - [`Kb::import_paths`] walks files and folders and gives each file to the first
//!   [`Importer`] that accepts it; [`HeaderImporter`] (C headers, through `werr-headers`)
//!   and [`WindowsSysImporter`] (windows-sys modules) are here. A binary or unreadable file
//!   is reported as an [`ImportIssue`] with its file:line and skipped; a header the scanner
//!   only partly understands (an unclosed comment, a malformed `#define`) imports what it
//!   understood, each problem reported at its line and column; the rest imports.
//! - A new format (the .mc compiler's or the PE message-table reader's) implements
//!   [`Importer`]: `accepts(rel, head)` says whether it reads a file, `parse(rel, bytes)`
//!   returns a [`ParsedFile`] (pure; may run on several threads) with
//!   [`DefinitionRow`]s (symbolic names) and [`MessageRow`]s (module, message id, LANGID,
//!   text), or an [`ImportIssue`] to skip the file; [`Importer::finish`] runs once over all
//!   parsed files for work across files. Then pass it to [`Kb::import_paths`]
//!   along with the others (`werr import` offers the importers listed in
//!   `src/cmd/import.rs`: add yours there). Code that has rows already can call [`Kb::import`] and
//!   [`ImportSession::add_parsed`] (or `add_file`/`add_definition`/`add_message`) directly.
//!
//! # Event texts
//!
//! [`WelmImporter`] reads WELM event message databases (one per Windows release, [`welm`]):
//! each text a provider's event has, stored once with the set of releases that have it.
//! [`Kb::event_message`] gives the text an event shows in a release (or the newest),
//! [`Kb::event_texts`] every text, [`Kb::releases`] and [`Kb::resolve_release`] the releases
//! (`--windows 7` is `7-sp1`), [`Kb::search_events`] a full-text search of them.
//!
//! # Which definitions are codes
//!
//! Header trees: the rule of `werr-headers` (see [`HeaderFilter::Codes`]): the integer
//! constants of code headers (winerror.h, ntstatus.h, netevent.h, lmerr.h, ntiologc.h,
//! bugcodes.h, mc-generated headers, headers full of HRESULTs), and the definitions typed or
//! named as codes elsewhere, after resolving names across the tree. windows-sys: the
//! constants typed as codes, and those whose name a header source defines.
//!
//! # Which texts belong to which names
//!
//! Message tables key texts by module and message id. [`Kb::record`],
//! [`Kb::describe_from_messages`] and [`Kb::messages_for_symbol`] attach a text to a name
//! only when the value matches and the module's id space fits the name's scheme
//! ([`id_space`]): full 32-bit ids (`mferror.dll`'s HRESULTs) attach to the code with that
//! value; 16-bit ids of system-error modules (`kernelbase.dll`, `wininet.dll`) attach only
//! to Win32 error names (`ERROR_ACCESS_DENIED` = 5, not other constants that are 5); 16-bit
//! ids of other modules (event message files) only to message-scheme or untyped names.
//! Languages follow `werr-msgtable`'s table ([`lang`]); `--lang de-AT` falls back to German,
//! then to the module's default (English).
//!
//! # The `data/` files
//!
//! The default KB's sources are kept as reviewable text in `data/` (format in
//! [`dataset`]), generated by `scripts/refresh-data` with this crate's importers and loaded
//! by `build.rs` into the embedded image.
#![deny(missing_docs)]

mod classify;
pub mod dataset;
mod error;
mod events;
mod headers_import;
pub mod id_space;
mod import;
pub mod lang;
mod message_files;
mod providers;
mod query;
mod record;
mod schema;
mod store;
pub mod welm;
mod windows_sys;
mod writer;

pub use classify::scheme_of;
pub use error::{Error, Result};
pub use events::{EventMessage, EventText, Release};
pub use headers_import::{binary_file_issue, header_rows, HeaderFilter, HeaderImporter};
pub use import::{
    FileId, GroupId, ImportIssue, ImportSession, ImportSummary, Importer, NoProgress, ParsedFile,
    Progress,
};
pub use message_files::{
    bin_table_langid, mc_definitions, module_name, BinTableImporter, McImporter,
    MessageTableImporter,
};
pub use providers::{ProviderModule, ProviderRole};
pub use query::{
    fts_query, EnclosingGroup, GroupInfo, MessageInfo, NameMatch, Occurrence, SearchHit,
    SourceDiff, SourceInfo,
};
pub use record::{
    AlsoUsedIn, DefinedAt, Layout, Match, MatchReason, MessageChoice, Neighbour, Record,
    RelatedName, Unnamed,
};
pub use schema::SCHEMA_VERSION;
pub use store::{default_image, Kb, Location};
pub use welm::WelmImporter;
pub use windows_sys::{
    namespace_of, parse_literal, parse_module, RustConst, WindowsSysImporter, CODE_TYPES,
};
pub use writer::{
    DefinitionRow, EventRow, FileRow, GroupRow, ManifestEventRow, MessageRow, ReleaseRow,
    SourceRow, MAX_RELEASES,
};

impl Kb {
    /// Writes source `source` in the `data/` text form (see [`dataset`]).
    pub fn export_source(&self, source: &SourceInfo) -> Result<String> {
        Ok(dataset::export_source(&self.conn, source.id)?)
    }

    /// Loads a `data/` text file as a source (replacing the same kit and version).
    pub fn load_dataset(&mut self, name: &str, text: &str) -> Result<i64> {
        let tx = self.conn.transaction()?;
        let id = {
            let mut w = writer::Writer::new(&tx)?;
            dataset::load_source(&mut w, text)
                .map_err(|e| Error::Dataset(name.to_string(), e.to_string()))?
        };
        tx.commit()?;
        self.source_labels = Default::default();
        Ok(id)
    }
}
