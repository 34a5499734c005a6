//! Windows event logs (`.evtx`): their records, the message id of each record's text, and
//! that text rendered as Event Viewer shows it, from message files in the knowledge base.
//!
//! A `.evtx` file holds a record's provider, EventID, Qualifiers and insert strings, never its
//! text: Windows looks the text up in the provider's message DLL. This crate does that offline.
//! It owns the record model, the message-id rules, the provider-to-module map, the glue to
//! `werr-format` and the presentation of whole logs; the binary format is the `evtx` crate's,
//! the text store any [`MessageCatalog`] (the `kb` feature, on by default, makes `werr_kb::Kb`
//! one; without it the crate builds without SQLite).
//!
//! # Reading
//!
//! [`read_log`] takes a whole file's bytes and hands each [`LogItem`] (an [`EventRecord`] or a
//! [`ReadProblem`]) to a callback, owned, in the order Windows reads the log; chunks are parsed
//! on [`ReadOptions::threads`] threads. Damage is reported with its byte offset and never stops
//! the read: only a file with no EVTX signature is an error ([`LogError`]).
//! [`read_log_items`] collects everything into a `Vec`. [`read_log_chunks`] lends each chunk's
//! items to work done on the thread that read them, and keeps their storage for the chunks
//! after. A [`LogReader`] reads several logs, keeping the compiled template definitions and
//! record storage from one to the next.
//!
//! ```no_run
//! let data = std::fs::read("System.evtx")?;
//! werr_evtx::read_log(&data, &werr_evtx::ReadOptions::default(), |item| match item {
//!     werr_evtx::LogItem::Record(r) => println!("{} {} {:?}", r.provider, r.event_id, r.inserts),
//!     werr_evtx::LogItem::Problem(p) => eprintln!("{p}"),
//! })?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Message ids
//!
//! [`message_id`] applies the rules of `docs/evtx.md`: `Qualifiers << 16 | EventID` for
//! classic records, the EventID itself for [`EVENT_ID_IS_MESSAGE_ID`] providers, and
//! [`NoMessageIdRule`] for other manifest providers, whose ids the renderer then reads from the
//! event manifests (`WEVT_TEMPLATE`) the catalog holds
//! ([`MessageCatalog::manifest_message`]).
//!
//! # Rendering
//!
//! A [`Renderer`] over a [`MessageCatalog`] finds the provider's modules (the catalog's
//! provider table, then [`WELL_KNOWN_PROVIDERS`]), the message in the asked language or its
//! fallbacks, and formats it with `werr-format` (`%1..%n` from the inserts, `%%NNNN` from the
//! parameter modules). When no module has the record's message, the provider's event text for
//! its event id serves ([`MessageCatalog::event_text`]: the KB's WELM texts of each Windows
//! release, the newest or [`RenderOptions::release`]). It never fails: a [`Rendering`] carries
//! the text and where it came from, or the reason there is none (a catalog's own failures
//! are [`LookupError`]s). A [`PendingCatalog`] lets the catalog be opened on another thread
//! while reading starts.
//!
//! # Presenting
//!
//! [`present_logs`] reads, selects, renders and writes whole logs in an [`OutputFormat`]:
//! text lines ([`text_line`]), or JSON Lines of werr's own shape ([`write_json_line`]), the
//! Elastic Common Schema ([`write_ecs_line`]) or Timesketch's ([`write_timesketch_line`]), in
//! log order, rendering on the reading threads, and counts what rendered ([`Tally`]): `werr
//! evtx` is a thin shell around it.
#![deny(missing_docs)]
#![forbid(unsafe_code)]

mod brief_lock;
mod builder;
mod catalog_error;
#[cfg(feature = "kb")]
mod event_lookup;
#[cfg(feature = "kb")]
mod kb_catalog;
mod message_id;
mod model;
mod pending;
mod pin;
mod present;
mod providers;
mod read;
mod render;
mod template;
mod thread_spares;
mod xml;

pub use catalog_error::LookupError;
#[cfg(feature = "kb")]
pub use event_lookup::{
    events_with_id, find_event, parse_event_ref, EventEntry, EventLookup, EventTextEntry,
    EventsWithId, ProviderMatch, PROVIDER_ALIASES,
};
pub use message_id::{
    message_id, MessageId, MessageIdRule, NoMessageIdRule, EVENT_ID_IS_MESSAGE_ID,
};
pub use model::{level_name, EventRecord};
pub use pending::PendingCatalog;
pub use pin::{HelperPin, PinnedThreads};
pub use present::{
    present_logs, present_logs_to, text_line, write_ecs_line, write_json_line,
    write_timesketch_line, ChunkRows, LoadLater, LogSource, OutputFormat, PresentError,
    PresentOptions, Presented, Report, RowSink, Tally, ECS_VERSION,
};
pub use providers::{well_known_provider, ModuleRole, WellKnownProvider, WELL_KNOWN_PROVIDERS};
pub use read::{
    read_log, read_log_chunks, read_log_items, LogError, LogItem, LogReader, ProblemKind,
    ReadOptions, ReadProblem, RecordHook, SharedWork, CHUNK_SIZE, FILE_HEADER_SIZE,
};
pub use render::{
    CatalogEvent, CatalogEventText, CatalogMessage, MessageCatalog, MessageMatch, ModuleOrigin,
    ProviderModule, RenderOptions, Renderer, Rendering, TextOrigin,
};
pub use xml::{record_from_xml, RecordXmlError};
