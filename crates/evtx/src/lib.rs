//! Windows event logs (`.evtx`): their records, the message id of each record's text, and
//! that text rendered as Event Viewer shows it.
#![deny(missing_docs)]

mod kb_catalog;
mod message_id;
mod model;
mod providers;
mod read;
mod render;
mod xml;

pub use message_id::{
    message_id, MessageId, MessageIdRule, NoMessageIdRule, EVENT_ID_IS_MESSAGE_ID,
};
pub use model::{level_name, EventRecord};
pub use providers::{well_known_provider, ModuleRole, WellKnownProvider, WELL_KNOWN_PROVIDERS};
pub use read::{
    read_log, read_log_items, LogError, LogItem, ProblemKind, ReadOptions, ReadProblem, CHUNK_SIZE,
    FILE_HEADER_SIZE,
};
pub use render::{
    CatalogMessage, MessageCatalog, MessageMatch, ModuleOrigin, ProviderModule, RenderOptions,
    Renderer, Rendering,
};
pub use xml::{record_from_xml, RecordXmlError};
