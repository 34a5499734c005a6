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
//! - [`Kb::open_or_create`] / [`Kb::open`] / [`Kb::open_for_reading`]: a user's KB file
//!   (`--kb FILE`, `WERR_KB`), in WAL mode. It holds only what the user imported; the
//!   embedded default is attached beneath it, and every query answers from both, the user's
//!   facts first. A KB file that an older werr made as a whole copy of its default is
//!   upgraded on open: the copied sources go, the user's imports stay.
//! - [`Kb::in_memory`]: an empty KB, for tests and data generation.
//!
//! # Asking
//!
//! - [`Kb::answer`]: the one rule every presenter answers a query with (`werr lookup`, the
//!   server's lookup and search page): the names with the lead marked, what is known of a
//!   value no source names, the texts with the words when no name answers, the event id a
//!   bare number may be, as an [`Answer`].
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
//!   and [`WindowsSysImporter`] (windows-sys modules) are here, and [`MsdocsImporter`]
//!   (Microsoft Learn pages that list codes, through `werr-msdocs`: each code's English text
//!   as the definition's text, the page's path and line as its place). A binary or unreadable file
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
//! Header trees: the rule of `werr-headers` (`werr_headers::CodeRule`, see
//! [`HeaderFilter::Codes`]): the integer constants of code headers (winerror.h, ntstatus.h,
//! netevent.h, lmerr.h, ntiologc.h, bugcodes.h, mc-generated headers, headers full of
//! HRESULTs), the header families of plain numbers (`JET_err*`, `NELOG_*`...), the members
//! of code enums (`WBEMSTATUS`...), and the definitions typed or named as codes elsewhere,
//! after resolving names across the tree. windows-sys ([`codes_of`]): the constants typed
//! as codes, plain integers and enum-typed constants that the same rules take, and those
//! whose name a header source defines.
//!
//! # Which texts belong to which names
//!
//! A text belongs to the names its source names, never to a constant that merely shares the
//! value. A definition's own text (a header's `MessageText` comment, a documentation page's
//! description) is that name's. Message tables key texts by module and message id; they
//! reach a name only through a message file that names the id (`message_names`: an `.mc`
//! file's SymbolicName, for its module or a module carrying the same table, see
//! [`Kb::messages_named`]). So the text of `kernelbase.dll` id 5 belongs to
//! `ERROR_ACCESS_DENIED`, which Wine's `winerror.mc` names, and not to the other constants
//! that are 5. When several sources give a name an English text, [`authority`] decides which
//! leads: Microsoft's documentation, then [MS-ERREF], then SDK headers, then ReactOS, then
//! Wine. Languages follow `werr-lang` (re-exported as [`lang`]): queries take a
//! [`lang::LangRequest`] and show the language its one rule chooses (`de-AT` falls back to
//! German, then English, then neutral, then any); [`lang::LangRequest::ANY`] keeps every
//! language where a query lists texts.
//!
//! # The `data/` files
//!
//! The default KB's sources are kept as reviewable text in `data/` (format in
//! [`dataset`]), generated by `scripts/refresh-data` with this crate's importers and loaded
//! by `build.rs` into the embedded image.
#![deny(missing_docs)]

mod access;
mod answer;
pub mod authority;
mod classify;
pub mod dataset;
pub mod default_sources;
mod erref;
mod error;
mod events;
mod headers_import;
mod import;
mod lookup;
mod message_files;
mod modules;
mod msdocs_import;
mod providers;
mod query;
mod record;
mod schema;
mod store;
pub mod welm;
mod windows_sys;
mod writer;

pub use answer::{event_id_of, Answer, MAX_NAME_CHARS, MIN_TEXT_CHARS};
pub use classify::scheme_of;

/// The notices of the data the default KB embeds (`NOTICE-DATA.md`): each source, its
/// license and the attribution or notice it requires. Shown by `werr about` and the web
/// server's `/about` page, since the binary carries the data.
pub const DATA_NOTICE: &str = include_str!("../../../NOTICE-DATA.md");
pub use erref::{ErrefImporter, ERREF_TABLES};
pub use error::{Error, Result};
pub use events::{EventMessage, EventText, Release};
pub use headers_import::{HeaderFilter, HeaderImporter};
pub use import::{
    FileId, GroupId, ImportIssue, ImportSession, ImportSummary, Importer, NoProgress, ParsedFile,
    Progress,
};
pub use lookup::{Match, MatchReason, Neighbour, Unnamed};
pub use message_files::{
    message_names, module_name, BinTableImporter, McImporter, MessageTableImporter,
};
pub use msdocs_import::{msdocs_rows, MsdocsImporter, MSDOCS_ATTRIBUTION};
pub use providers::{ProviderModule, ProviderRole, Registration};
pub use query::{
    EnclosingGroup, GroupInfo, MessageInfo, NameMatch, Occurrence, SearchHit, SourceDiff,
    SourceInfo,
};
pub use record::{
    AlsoUsedIn, DefinedAt, Layout, MessageChoice, Record, RelatedName, TextCredit, TextLanguage,
    TextSource, WindowsWording, WordedMessage, Wording,
};
pub use schema::SCHEMA_VERSION;
pub use store::{default_image, Kb, Location, DEFAULT_WRITE_WAIT};
pub use welm::WelmImporter;
pub use werr_lang as lang;
pub use windows_sys::{namespace_of, WindowsSysImporter, CODE_TYPES};
pub use writer::{
    DefinitionRow, EventRow, FileRow, GroupRow, ManifestEventRow, MessageNameRow, MessageRow,
    ReleaseRow, SourceRow, MAX_RELEASES,
};

impl Kb {
    /// Writes source `source` of this KB's own layer (not the default beneath a user's KB)
    /// in the `data/` text form (see [`dataset`]).
    pub fn export_source(&self, source: &SourceInfo) -> Result<String> {
        match self.source_in_layer(source.id) {
            ("main", id) => Ok(dataset::export_source(&self.conn, id)?),
            _ => Err(Error::UnknownSource(
                format!("{}@{}", source.kit, source.version),
                "a source of this KB's own file (not of the default beneath it)".into(),
            )),
        }
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
