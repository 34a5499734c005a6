//! Rendering a record's message: message id, provider modules, text, FormatMessage.

use crate::brief_lock::lock;
use crate::catalog_error::LookupError;
use crate::message_id::{message_id, MessageId, MessageIdRule};
use crate::model::EventRecord;
use crate::providers::{well_known_provider, ModuleRole};
use serde::Serialize;
// foldhash: these maps are looked up for every record; its hash, seeded per process as
// SipHash is, costs a fraction of SipHash's on short keys.
use foldhash::HashMap;
use std::sync::{Arc, Mutex};
use werr_format::{Arg, EventLog, FormatErrorKind, Options, Width};

mod thread_routes;

/// The highest insert number FormatMessage reads (`%99`).
const MAX_INSERT: usize = 99;

/// The modules holding the system's Win32 message table (kernel32's, kernelbase's since
/// Windows 8), first found first. The Event Log service formats `%%N` from it for a
/// provider that registers no `ParameterMessageFile` (the Service Control Manager and most
/// classic sources, whose inserts carry Win32 error codes such as `%%1058`).
const SYSTEM_TABLES: [&str; 2] = ["kernelbase.dll", "kernel32.dll"];

/// `%%N` parameters looked up while formatting one text: each id, and where its text was
/// found (`None`: nowhere).
type AskedParameters = std::cell::RefCell<Vec<(u32, Option<ParameterFrom>)>>;

/// Where the text of a `%%N` parameter came from.
#[derive(Debug, Clone, PartialEq, Eq)]
enum ParameterFrom {
    /// The provider's own parameter modules.
    Provider,
    /// The system's Win32 table, in these words.
    System(TextOrigin),
}

/// Where a provider's module came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ModuleOrigin {
    /// The knowledge base's provider table (`werr import FILE --provider NAME`).
    Kb,
    /// werr's built-in map of well-known providers ([`crate::WELL_KNOWN_PROVIDERS`]).
    BuiltIn,
}

/// One module registered for a provider.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProviderModule {
    /// The module's name as the catalog knows its messages (a file name: `netevent.dll`).
    pub module: String,
    /// Event messages or parameter messages.
    pub role: ModuleRole,
    /// Where the registration came from.
    pub origin: ModuleOrigin,
}

/// A message text found in a catalog.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogMessage {
    /// The message text as stored (FormatMessage source text).
    pub text: String,
    /// The language it is in, as a tag (`en-US`).
    pub lang: String,
    /// Whose words it is.
    pub origin: TextOrigin,
}

/// Whose words a catalog's message is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TextOrigin {
    /// The module's own table: Windows', or one a user imported.
    Table,
    /// Another system's table of the module (`ReactOS`: the default KB's `netevent.dll` is
    /// ReactOS's), whose wording can differ from Windows'.
    Rewrite(&'static str),
    /// Microsoft's own text of the Win32 error, in place of the English text of another
    /// system's table (`instead_of`: the default KB's `kernelbase.dll` is Wine's).
    Microsoft {
        /// Where it is from (`msdocs-win32 47e64c1`).
        source: Arc<str>,
        /// The system whose table's text it replaces.
        instead_of: &'static str,
    },
}

/// An event's text by provider name and 16-bit event id, from a catalog's event texts (the
/// WELM databases of each Windows release in the KB).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogEvent {
    /// The release whose texts these are: the one asked for, or the newest that has one.
    pub release: Arc<str>,
    /// The release asked for, when it has no text for the event.
    pub not_in: Option<String>,
    /// The release's texts of the event, best first; several when the release declares
    /// versions of the event with different texts. One empty text: the event is declared
    /// without a message.
    pub texts: Vec<CatalogEventText>,
}

/// One text of an event, and every release that has it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogEventText {
    /// The text as declared (FormatMessage source text).
    pub text: String,
    /// The releases with this text, oldest first.
    pub releases: Vec<String>,
    /// Where the text comes from (`welm 2.3.0.0`).
    pub source: Arc<str>,
}

/// Where messages come from: the knowledge base, or any other store of message tables.
///
/// Every method takes names as records and imports spell them; a catalog compares them
/// without regard to ASCII case.
pub trait MessageCatalog {
    /// The modules registered for `provider` in the catalog itself (not the built-in map),
    /// in lookup order.
    fn provider_modules(&self, provider: &str) -> Result<Vec<ProviderModule>, LookupError>;
    /// Whether the catalog holds any message of `module`.
    fn has_module(&self, module: &str) -> Result<bool, LookupError>;
    /// Message `id` of `module`, in the language `lang` asks for (a tag such as `de-DE`)
    /// or the catalog's fallback chain; `None` when the module has no such id.
    fn message(
        &self,
        module: &str,
        id: u32,
        lang: Option<&str>,
    ) -> Result<Option<CatalogMessage>, LookupError>;
    /// The ids of `module` whose low 16 bits are `event_id`: the candidates when a record's
    /// full message id is absent.
    fn ids_with_event_id(&self, module: &str, event_id: u16) -> Result<Vec<u32>, LookupError>;
    /// The message of a manifest provider's event (its GUID as records show it, any letter
    /// case; its EventID and Version) by the event manifests the catalog holds: the message
    /// id and the module whose manifest gave it. `None` when no manifest has the event.
    fn manifest_message(
        &self,
        _provider_guid: &str,
        _event_id: u16,
        _version: u8,
    ) -> Result<Option<(u32, String)>, LookupError> {
        Ok(None)
    }
    /// The text `provider`'s event `event_id` shows in Windows release `release` (a name of
    /// the catalog's releases), or in the newest release that has one; `None` when the
    /// catalog has no text for the event. Provider names compare without ASCII case.
    fn event_text(
        &self,
        _provider: &str,
        _event_id: u16,
        _release: Option<&str>,
    ) -> Result<Option<CatalogEvent>, LookupError> {
        Ok(None)
    }
    /// Makes ready ahead what the first lookups would otherwise do (prepared queries, say),
    /// so that a caller can do it on a thread that would be waiting anyway.
    fn prepare(&self) -> Result<(), LookupError> {
        Ok(())
    }
}

/// How to render.
#[derive(Debug, Clone, Default)]
pub struct RenderOptions {
    /// The language to prefer (`--lang TAG`); `None` uses the catalog's default chain.
    pub lang: Option<String>,
    /// When the exact message id is absent, render the module's single message with the same
    /// 16-bit event id (other Qualifiers: severity, customer bit or facility), flagged
    /// approximate. Off by default: such a message is not the one Windows would show.
    pub approximate: bool,
    /// The Windows release whose event texts to use (`--windows`, resolved to a release
    /// name of the catalog); `None`: the newest release that has the event.
    pub release: Option<String>,
}

/// How a record's message was matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MessageMatch {
    /// The record's own message id.
    Exact,
    /// Another message id with the same 16-bit event id ([`RenderOptions::approximate`]).
    Approximate,
    /// The provider's text for the record's 16-bit event id, from the catalog's event texts
    /// of Windows releases ([`MessageCatalog::event_text`]): no message id is checked.
    EventId,
}

/// The outcome of rendering one record: its text and where it came from, or why there is none.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rendering {
    /// The message id the rules gave, if any.
    pub message_id: Option<u32>,
    /// The rule that gave it.
    pub message_id_rule: Option<MessageIdRule>,
    /// The rendered text, exactly as FormatMessage produces it (CRLF line breaks kept).
    pub message: Option<String>,
    /// The module the text came from (shared: every record of a module or event text names
    /// the same one).
    pub message_source: Option<Arc<str>>,
    /// The language of the text (`None` for event texts, whose language the catalog does
    /// not record).
    pub message_lang: Option<String>,
    /// The Windows release whose event text this is ([`MessageMatch::EventId`]).
    pub message_release: Option<Arc<str>>,
    /// Whether the text is the record's own message or an approximate match.
    pub message_match: Option<MessageMatch>,
    /// Why there is no text.
    pub message_error: Option<String>,
    /// A remark on the text: inserts the message uses that the record does not carry, shown
    /// as written (`%12`).
    pub message_note: Option<String>,
    /// Whether the provider has no message source at all (no module with messages, no event
    /// text).
    #[serde(skip)]
    pub no_source: bool,
    /// Whether the text still shows inserts the record does not carry (`%12`, left as
    /// written): rendered in part.
    #[serde(skip)]
    pub missing_inserts: bool,
    /// Whether the event is known to have no message: Windows declares it without one.
    #[serde(skip)]
    pub declared_without_text: bool,
    /// The system whose table of the module gave the text, when it is not Windows' own
    /// ([`TextOrigin::Rewrite`]: `ReactOS`); the note says it per record, a run's summary
    /// once per provider.
    #[serde(skip)]
    pub written_for: Option<&'static str>,
}

impl Rendering {
    fn failed(message_id: Option<(u32, MessageIdRule)>, error: String, no_source: bool) -> Self {
        Rendering {
            message_id: message_id.map(|m| m.0),
            message_id_rule: message_id.map(|m| m.1),
            message: None,
            message_source: None,
            message_lang: None,
            message_release: None,
            message_match: None,
            message_error: Some(error),
            message_note: None,
            no_source,
            missing_inserts: false,
            declared_without_text: false,
            written_for: None,
        }
    }
}

/// The modules that serve a provider, after merging the catalog's table and the built-in map.
#[derive(Debug, Default)]
struct ProviderSources {
    /// Event-message modules that hold messages, in lookup order.
    messages: Vec<String>,
    /// Parameter-message modules that hold messages.
    parameters: Vec<String>,
    /// Parameter modules registered for the provider (KB table or built-in map) that have
    /// no messages in the catalog: its `%%N` stay as written rather than being read from a
    /// table that is not the provider's.
    absent_parameters: Vec<String>,
    /// The system's Win32 message table ([`SYSTEM_TABLES`]) when the catalog has it and the
    /// provider registers no parameter module: Windows formats such a provider's `%%N`
    /// from it.
    system_parameters: Option<String>,
    /// Why none serves, when `messages` is empty.
    missing: Option<String>,
    /// Whether a message module comes from the catalog's provider table (the user's own
    /// files, exact) rather than the built-in map alone.
    registered: bool,
}

/// Renders records' messages through a [`MessageCatalog`], caching what it looks up.
///
/// One renderer serves a whole run: providers, messages and parameter messages are looked up
/// once each. It takes `&self`, so when the catalog is `Sync` (a `Mutex<Kb>`, say) worker
/// threads share one renderer and its caches.
pub struct Renderer<'c, C: MessageCatalog> {
    /// Names this renderer's routes in each thread's copies of them (`thread_routes`).
    id: u64,
    catalog: &'c C,
    options: RenderOptions,
    providers: Mutex<HashMap<String, Arc<ProviderSources>>>,
    messages: Mutex<MessagesByModule>,
    /// How the records of a provider, EventID, Qualifiers and Version get their message
    /// (which message, or the failure): it depends on nothing else, so each record only
    /// formats its inserts.
    routes: Mutex<RoutesByProvider>,
    /// Manifest messages looked up, by provider GUID (lowercase), EventID and Version.
    manifests: Mutex<ManifestMessages>,
    /// Event texts looked up, by provider (ASCII lowercase) and event id.
    events: Mutex<EventTexts>,
}

/// Event texts looked up (`None`: the catalog has none for the event).
type EventTexts = HashMap<(String, u16), Option<Arc<EventChoice>>>;

/// An event's texts in the chosen release, ready to pick from per record.
#[derive(Debug)]
struct EventChoice {
    event: CatalogEvent,
    /// The highest insert (`%N`) each text uses, in the order of `event.texts`.
    highest_inserts: Vec<usize>,
    /// Each text as literal runs and inserts, when that is all it holds.
    plain: Vec<Option<Plain>>,
}

impl EventChoice {
    fn new(event: CatalogEvent) -> EventChoice {
        EventChoice {
            highest_inserts: event
                .texts
                .iter()
                .map(|t| highest_insert(&t.text))
                .collect(),
            plain: event.texts.iter().map(|t| Plain::of(&t.text)).collect(),
            event,
        }
    }

    /// The text for a record with `inserts` values, and its plain form if it has one: the
    /// one that uses the most inserts the record has, else the one that uses fewest (the
    /// fewest left as written); the first of equals.
    fn pick(&self, inserts: usize) -> (&CatalogEventText, Option<&Plain>) {
        let fitting = self
            .highest_inserts
            .iter()
            .enumerate()
            .filter(|(_, &n)| n <= inserts)
            .min_by_key(|(i, &n)| (std::cmp::Reverse(n), *i));
        let best = fitting.or_else(|| {
            self.highest_inserts
                .iter()
                .enumerate()
                .min_by_key(|(i, &n)| (n, *i))
        });
        // `event_choice` keeps only events with texts.
        let i = best.map_or(0, |(i, _)| i);
        (&self.event.texts[i], self.plain[i].as_ref())
    }
}

/// A message text that holds nothing but literal runs and `%N` inserts (no escapes, no
/// printf specifications, no `%%`, no line breaks): formatted, it is those runs and the
/// inserts' values in turn, as FormatMessage writes it with line breaks kept. Most event
/// texts are such; formatting them so is a copy, not a pass of the general formatter.
#[derive(Debug)]
struct Plain {
    /// Literal runs (byte ranges of the text) and inserts (0-based), in order.
    pieces: Vec<Piece>,
    /// The highest insert number used (1-based; 0 for none).
    highest: usize,
}

#[derive(Debug)]
enum Piece {
    Text(std::ops::Range<usize>),
    Insert(usize),
}

impl Plain {
    /// `text` as plain pieces, or `None` when it holds anything else.
    fn of(text: &str) -> Option<Plain> {
        let bytes = text.as_bytes();
        if memchr::memchr2(b'\r', b'\n', bytes).is_some() {
            return None;
        }
        let mut pieces = Vec::new();
        let mut highest = 0;
        let mut start = 0;
        for at in memchr::memchr_iter(b'%', bytes) {
            if at < start {
                continue;
            }
            // `%` and one or two digits, the first not 0, and no `!spec!` after them.
            let first = *bytes.get(at + 1).filter(|d| matches!(d, b'1'..=b'9'))?;
            let mut n = usize::from(first - b'0');
            let mut end = at + 2;
            if let Some(d) = bytes.get(end).filter(|d| d.is_ascii_digit()) {
                n = n * 10 + usize::from(d - b'0');
                end += 1;
            }
            if bytes.get(end) == Some(&b'!') {
                return None;
            }
            if at > start {
                pieces.push(Piece::Text(start..at));
            }
            pieces.push(Piece::Insert(n - 1));
            highest = highest.max(n);
            start = end;
        }
        if start < bytes.len() {
            pieces.push(Piece::Text(start..bytes.len()));
        }
        Some(Plain { pieces, highest })
    }

    /// The text formatted with `inserts`, when that is a plain copy: every insert it uses
    /// is there, and none holds a `%` (an event-log code such as `%%1058` in an insert is
    /// replaced by the general formatter).
    fn format(&self, text: &str, inserts: &[String]) -> Option<String> {
        if self.highest > inserts.len()
            || inserts
                .iter()
                .any(|i| memchr::memchr(b'%', i.as_bytes()).is_some())
        {
            return None;
        }
        let room = self.pieces.iter().fold(0, |n, piece| {
            n + match piece {
                Piece::Text(range) => range.len(),
                Piece::Insert(i) => inserts[*i].len(),
            }
        });
        let mut out = String::with_capacity(room);
        for piece in &self.pieces {
            match piece {
                Piece::Text(range) => out.push_str(&text[range.clone()]),
                Piece::Insert(i) => out.push_str(&inserts[*i]),
            }
        }
        Some(out)
    }
}

/// The highest `%N` insert `text` uses (0 for none); `%%` and escapes such as `%n` are not
/// inserts.
fn highest_insert(text: &str) -> usize {
    let bytes = text.as_bytes();
    let mut highest = 0;
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'%' {
            i += 1;
            continue;
        }
        match bytes.get(i + 1) {
            // `%%N` is a parameter message, `%%` a percent sign: skip both characters.
            Some(b'%') => i += 2,
            Some(d) if d.is_ascii_digit() && *d != b'0' => {
                let mut n = usize::from(d - b'0');
                if let Some(e) = bytes.get(i + 2).filter(|e| e.is_ascii_digit()) {
                    n = n * 10 + usize::from(e - b'0');
                }
                highest = highest.max(n);
                i += 2;
            }
            _ => i += 1,
        }
    }
    highest
}

/// Manifest messages looked up: (message id, module), `None` when no manifest has the event.
type ManifestMessages = HashMap<(String, u16, u8), Option<(u32, String)>>;

/// Messages looked up, by module then id (`None`: the module has no such id).
type MessagesByModule = HashMap<String, HashMap<u32, Option<Arc<CatalogMessage>>>>;

/// Routes by provider, then EventID, Qualifiers and Version.
type RoutesByProvider = HashMap<String, HashMap<RouteKey, Arc<Route>>>;

/// What records of one provider share a route by: EventID, Qualifiers and Version.
type RouteKey = (u16, Option<u16>, Option<u8>);

/// How every record of one provider, EventID, Qualifiers and Version gets its message: all
/// of its rendering that does not depend on the record's inserts.
#[derive(Clone)]
enum Route {
    /// The same failure for each (no message id rule, no source, id absent...).
    Failure(Arc<Rendering>),
    /// A module's message, formatted with each record's inserts.
    Message {
        id: MessageId,
        sources: Arc<ProviderSources>,
        module: Arc<str>,
        message: Arc<CatalogMessage>,
        matched: MessageMatch,
    },
    /// The provider's event text, formatted with each record's inserts.
    EventText {
        id: Option<(u32, MessageIdRule)>,
        sources: Arc<ProviderSources>,
        event: Arc<EventChoice>,
    },
}

/// A catalog shared by threads: each call holds the lock for one lookup.
impl<C: MessageCatalog> MessageCatalog for Mutex<C> {
    fn provider_modules(&self, provider: &str) -> Result<Vec<ProviderModule>, LookupError> {
        lock(self).provider_modules(provider)
    }

    fn has_module(&self, module: &str) -> Result<bool, LookupError> {
        lock(self).has_module(module)
    }

    fn message(
        &self,
        module: &str,
        id: u32,
        lang: Option<&str>,
    ) -> Result<Option<CatalogMessage>, LookupError> {
        lock(self).message(module, id, lang)
    }

    fn ids_with_event_id(&self, module: &str, event_id: u16) -> Result<Vec<u32>, LookupError> {
        lock(self).ids_with_event_id(module, event_id)
    }

    fn manifest_message(
        &self,
        provider_guid: &str,
        event_id: u16,
        version: u8,
    ) -> Result<Option<(u32, String)>, LookupError> {
        lock(self).manifest_message(provider_guid, event_id, version)
    }

    fn event_text(
        &self,
        provider: &str,
        event_id: u16,
        release: Option<&str>,
    ) -> Result<Option<CatalogEvent>, LookupError> {
        lock(self).event_text(provider, event_id, release)
    }

    fn prepare(&self) -> Result<(), LookupError> {
        lock(self).prepare()
    }
}

impl<C: MessageCatalog> Drop for Renderer<'_, C> {
    fn drop(&mut self) {
        thread_routes::forget(self.id);
    }
}

impl<'c, C: MessageCatalog> Renderer<'c, C> {
    /// A renderer over `catalog`.
    pub fn new(catalog: &'c C, options: RenderOptions) -> Self {
        Renderer {
            id: thread_routes::new_renderer_id(),
            catalog,
            options,
            providers: Mutex::default(),
            messages: Mutex::default(),
            routes: Mutex::default(),
            manifests: Mutex::default(),
            events: Mutex::default(),
        }
    }

    /// Renders `record`'s message; never fails, the reason for no text is in the result.
    pub fn render(&self, record: &EventRecord) -> Rendering {
        Arc::unwrap_or_clone(self.render_shared(record))
    }

    /// [`Renderer::render`], sharing the rendering: most records of a log meet a failure that
    /// every record of their provider and event id meets, and this hands out that one.
    pub fn render_shared(&self, record: &EventRecord) -> Arc<Rendering> {
        match self.render_any(record) {
            Rendered::Shared(shared) => shared,
            Rendered::Own(own) => Arc::new(own),
        }
    }

    /// Renders `record` and hands the rendering to `use_it`: nothing is allocated to share
    /// a rendering that only this record has.
    pub fn render_with<T>(&self, record: &EventRecord, use_it: impl FnOnce(&Rendering) -> T) -> T {
        match self.render_any(record) {
            Rendered::Shared(shared) => use_it(&shared),
            Rendered::Own(own) => use_it(&own),
        }
    }

    /// The rendering of `record`: shared when every record of its route has it.
    fn render_any(&self, record: &EventRecord) -> Rendered {
        let key = (record.event_id, record.qualifiers, record.version);
        let route = match thread_routes::get(self.id, &record.provider, key) {
            Some(route) => route,
            None => match self.shared_route(record, key) {
                Ok(shared) => thread_routes::keep(self.id, &record.provider, key, &shared),
                // The catalog failed: tried again for the next record.
                Err(e) => return Rendered::Own(Rendering::failed(e.id, e.message, false)),
            },
        };
        match &*route {
            Route::Failure(failure) => Rendered::Shared(Arc::clone(failure)),
            Route::Message {
                id,
                sources,
                module,
                message,
                matched,
            } => {
                Rendered::Own(self.render_message(record, *id, sources, module, message, *matched))
            }
            Route::EventText { id, sources, event } => {
                Rendered::Own(self.render_event_text(record, event, *id, sources))
            }
        }
    }

    /// The route of `record` (of `key`) in the cache the threads share, found there or
    /// worked out and put there.
    fn shared_route(
        &self,
        record: &EventRecord,
        key: RouteKey,
    ) -> Result<Arc<Route>, CatalogError> {
        let known = lock(&self.routes)
            .get(record.provider.as_str())
            .and_then(|by_id| by_id.get(&key))
            .cloned();
        if let Some(route) = known {
            return Ok(route);
        }
        let route = Arc::new(self.route(record)?);
        lock(&self.routes)
            .entry(record.provider.clone())
            .or_default()
            .insert(key, Arc::clone(&route));
        Ok(route)
    }

    /// How records of `record`'s provider, EventID, Qualifiers and Version get their message
    /// (`Err`: the catalog failed, for this record). In order: the record's message id in the
    /// provider's modules (the module of its event manifest first) when they are the
    /// catalog's own (imported) modules; the provider's event text for the record's event id
    /// ([`MessageCatalog::event_text`]: Windows' own words); the message id in the modules of
    /// the built-in map; else, with [`RenderOptions::approximate`], a module's message with
    /// the same event id under other Qualifiers.
    fn route(&self, record: &EventRecord) -> Result<Route, CatalogError> {
        let missed = match self.route_to_module(record)? {
            Ok(route) => {
                // A module of the built-in map alone (ReactOS's or Wine's wording in the
                // default KB) yields to Windows' own event text, when the catalog has one.
                if let Route::Message { id, sources, .. } = &route {
                    if !sources.registered && id.rule != MessageIdRule::Manifest {
                        let found = Some((id.id, id.rule));
                        let event = self
                            .event_choice(record)
                            .map_err(|message| CatalogError { id: found, message })?;
                        if let Some(event) = event.filter(|e| !e.event.texts[0].text.is_empty()) {
                            return Ok(Route::EventText {
                                id: found,
                                sources: Arc::clone(sources),
                                event,
                            });
                        }
                    }
                }
                return Ok(route);
            }
            Err(missed) => missed,
        };
        let id = match &missed {
            Missed::Failure(failure) => failure.message_id.zip(failure.message_id_rule),
            Missed::NotInModules { id, .. } => Some((id.id, id.rule)),
        };
        let failed = |message| CatalogError { id, message };
        if let Some(event) = self.event_choice(record).map_err(failed)? {
            if event.event.texts[0].text.is_empty() {
                return Ok(Route::Failure(Arc::new(declared_without_text(
                    record, &event, id,
                ))));
            }
            // Parameter messages (`%%N`) come from the provider's parameter modules, if any.
            let sources = match &missed {
                Missed::NotInModules { sources, .. } => Arc::clone(sources),
                Missed::Failure(_) => self.sources(&record.provider).map_err(failed)?,
            };
            return Ok(Route::EventText { id, sources, event });
        }
        let (id, sources) = match missed {
            Missed::Failure(failure) => return Ok(Route::Failure(Arc::new(*failure))),
            Missed::NotInModules { id, sources } => (id, sources),
        };
        let found = Some((id.id, id.rule));
        match self.near(&sources, id.id, record.event_id) {
            Ok(Found::Approximate(module, message)) => Ok(Route::Message {
                id,
                sources,
                module: module.into(),
                message,
                matched: MessageMatch::Approximate,
            }),
            Ok(Found::None(why)) => Ok(Route::Failure(Arc::new(Rendering::failed(
                found, why, false,
            )))),
            Err(message) => Err(CatalogError { id: found, message }),
        }
    }

    /// The route to the message the record's message id names in the provider's modules
    /// (`Ok(Ok)`), or why there is none (`Ok(Err)`: no rule gives an id, no module serves the
    /// provider, or its modules lack the id); `Err`: the catalog failed.
    fn route_to_module(&self, record: &EventRecord) -> Result<Result<Route, Missed>, CatalogError> {
        // A manifest provider's message id comes from its event manifest, when one is in
        // the catalog; the other rules are the fallback.
        let manifest = self
            .manifest_message(record)
            .map_err(|message| CatalogError { id: None, message })?;
        let id = match &manifest {
            Some((id, _)) => MessageId {
                id: *id,
                rule: MessageIdRule::Manifest,
            },
            None => match message_id(record) {
                Ok(id) => id,
                Err(e) => {
                    let failure = Rendering::failed(None, e.to_string(), false);
                    return Ok(Err(Missed::Failure(Box::new(failure))));
                }
            },
        };
        let found = Some((id.id, id.rule));
        let failed = |message| CatalogError { id: found, message };
        let mut sources = self.sources(&record.provider).map_err(failed)?;
        if let Some((_, module)) = &manifest {
            sources = self
                .with_manifest_module(&sources, module, id.id, &record.provider)
                .map_err(failed)?;
        }
        if let Some(missing) = &sources.missing {
            let failure = Rendering::failed(found, missing.clone(), true);
            return Ok(Err(Missed::Failure(Box::new(failure))));
        }
        Ok(match self.find_exact(&sources, id.id).map_err(failed)? {
            Some((module, message)) => Ok(Route::Message {
                id,
                sources,
                module: module.into(),
                message,
                matched: MessageMatch::Exact,
            }),
            None => Err(Missed::NotInModules { id, sources }),
        })
    }

    /// `message` of `module` formatted with the record's inserts.
    fn render_message(
        &self,
        record: &EventRecord,
        id: MessageId,
        sources: &ProviderSources,
        module: &Arc<str>,
        message: &CatalogMessage,
        matched: MessageMatch,
    ) -> Rendering {
        match self.format_inserts(&message.text, record, sources) {
            Ok(formatted) => Rendering {
                message_id: Some(id.id),
                message_id_rule: Some(id.rule),
                message_note: joined_notes(origin_note(module, &message.origin), formatted.note()),
                missing_inserts: formatted.missing.is_some(),
                message: Some(formatted.text),
                message_source: Some(Arc::clone(module)),
                message_lang: Some(message.lang.clone()),
                message_release: None,
                message_match: Some(matched),
                message_error: None,
                no_source: false,
                declared_without_text: false,
                written_for: match message.origin {
                    TextOrigin::Rewrite(system) => Some(system),
                    TextOrigin::Table | TextOrigin::Microsoft { .. } => None,
                },
            },
            Err(e) => Rendering::failed(
                Some((id.id, id.rule)),
                format!("message {:#010X} of {module} does not format: {e}", id.id),
                false,
            ),
        }
    }

    /// The record rendered from its provider's event text (`id`: what the message-id rules
    /// gave, if anything). A release without the event says which release's text is used
    /// instead.
    fn render_event_text(
        &self,
        record: &EventRecord,
        event: &EventChoice,
        id: Option<(u32, MessageIdRule)>,
        sources: &ProviderSources,
    ) -> Rendering {
        let (chosen, plain) = event.pick(record.inserts.len());
        let e = &event.event;
        let formatted = match plain.and_then(|p| p.format(&chosen.text, &record.inserts)) {
            Some(text) => Ok(Formatted {
                text,
                missing: None,
                parameters: None,
            }),
            None => self.format_inserts(&chosen.text, record, sources),
        };
        match formatted {
            Ok(formatted) => {
                let inserts_note = formatted.note();
                let missing_inserts = formatted.missing.is_some();
                let message = formatted.text;
                let release_note = e.not_in.as_ref().map(|asked| {
                    format!(
                        "Windows {asked} has no text for this event; the text is {}'s",
                        e.release
                    )
                });
                let note = match (release_note, inserts_note) {
                    (Some(a), Some(b)) => Some(format!("{a}; {b}")),
                    (a, b) => a.or(b),
                };
                Rendering {
                    message_id: id.map(|i| i.0),
                    message_id_rule: id.map(|i| i.1),
                    message: Some(message),
                    message_source: Some(Arc::clone(&chosen.source)),
                    message_lang: None,
                    message_release: Some(Arc::clone(&e.release)),
                    message_match: Some(MessageMatch::EventId),
                    message_error: None,
                    message_note: note,
                    no_source: false,
                    missing_inserts,
                    declared_without_text: false,
                    written_for: None,
                }
            }
            Err(err) => Rendering::failed(
                id,
                format!(
                    "the text of event {} of {:?} ({} {}) does not format: {err}",
                    record.event_id, record.provider, chosen.source, e.release
                ),
                false,
            ),
        }
    }

    /// Looks up the event text of `provider`'s event `event_id` now, unless it is known: for
    /// a thread that would otherwise wait, so that rendering the records of that event later
    /// finds it (the first lookups of a run read pages of the KB nobody has read yet, and
    /// the reading threads would wait for them). A failure is met again when a record needs
    /// the text.
    pub fn prefetch(&self, provider: &str, event_id: u16) {
        let _ = self.event_choice_of(provider, event_id);
    }

    /// The record's event texts in the release asked for (or the newest).
    fn event_choice(&self, record: &EventRecord) -> Result<Option<Arc<EventChoice>>, String> {
        self.event_choice_of(&record.provider, record.event_id)
    }

    /// The event texts of `provider`'s event `event_id`, looked up once (the cache stays
    /// locked, as in `sources`: a thread asking for any event text meanwhile finds this one
    /// done instead of asking the catalog again).
    fn event_choice_of(
        &self,
        provider: &str,
        event_id: u16,
    ) -> Result<Option<Arc<EventChoice>>, String> {
        let key = (provider.to_ascii_lowercase(), event_id);
        let mut events = lock(&self.events);
        if let Some(known) = events.get(&key) {
            return Ok(known.clone());
        }
        let found = self
            .catalog
            .event_text(provider, event_id, self.options.release.as_deref())?
            .filter(|event| !event.texts.is_empty())
            .map(|event| Arc::new(EventChoice::new(event)));
        events.insert(key, found.clone());
        Ok(found)
    }

    /// `text` formatted with the record's inserts, and notes: when the text uses inserts the
    /// record lacks (left as written, as Event Viewer leaves them), and where its `%%N`
    /// parameters came from or why they stay as written.
    fn format_inserts(
        &self,
        text: &str,
        record: &EventRecord,
        sources: &ProviderSources,
    ) -> Result<Formatted, werr_format::FormatError> {
        let asked = AskedParameters::default();
        let (text, missing) = match self.format(text, &record.inserts, sources, false, &asked) {
            Err(e) => match e.kind {
                FormatErrorKind::MissingArgument { insert, .. } => {
                    asked.borrow_mut().clear();
                    let padded = self.format(text, &record.inserts, sources, true, &asked)?;
                    let note = format!(
                        "the record has {} inserts; the message uses %{insert} (and perhaps \
                         more), left as written",
                        record.inserts.len()
                    );
                    (padded, Some(note))
                }
                _ => return Err(e),
            },
            Ok(text) => (text, None),
        };
        let parameters = parameter_note(&asked.into_inner(), sources, &record.provider);
        Ok(Formatted {
            text,
            missing,
            parameters,
        })
    }

    /// The message of `record`'s event by the catalog's event manifests (a record with
    /// Qualifiers is classic: it has none), looked up once per provider, event and version.
    fn manifest_message(&self, record: &EventRecord) -> Result<Option<(u32, String)>, String> {
        let (None, Some(guid)) = (record.qualifiers, record.provider_guid.as_deref()) else {
            return Ok(None);
        };
        let version = record.version.unwrap_or(0);
        let key = (guid.to_ascii_lowercase(), record.event_id, version);
        let mut manifests = lock(&self.manifests);
        if let Some(known) = manifests.get(&key) {
            return Ok(known.clone());
        }
        let found = self
            .catalog
            .manifest_message(guid, record.event_id, version)?;
        manifests.insert(key, found.clone());
        Ok(found)
    }

    /// `sources` with `module`, whose event manifest gave the message id, looked in first:
    /// a manifest's messages are its module's (or that module's `.mui` file's).
    fn with_manifest_module(
        &self,
        sources: &ProviderSources,
        module: &str,
        id: u32,
        provider: &str,
    ) -> Result<Arc<ProviderSources>, String> {
        // Cached with the provider's own sources (a NUL cannot be in a provider name): every
        // record of a manifest provider that renders comes here.
        let key = format!(
            "{}\0{}",
            provider.to_ascii_lowercase(),
            module.to_ascii_lowercase()
        );
        let mut providers = lock(&self.providers);
        if let Some(s) = providers.get(&key) {
            return Ok(Arc::clone(s));
        }
        let mut messages = Vec::new();
        if self.catalog.has_module(module)? {
            messages.push(module.to_string());
        }
        let others = sources
            .messages
            .iter()
            .filter(|m| !m.eq_ignore_ascii_case(module));
        messages.extend(others.cloned());
        let missing = messages.is_empty().then(|| {
            format!(
                "the event manifest of {module} gives message id {id:#010X}, but no module with \
                 messages serves provider {provider:?}: Windows keeps {module}'s texts in its \
                 .mui file; import it with `werr import FILE --provider {provider:?}`"
            )
        });
        let merged = Arc::new(ProviderSources {
            messages,
            parameters: sources.parameters.clone(),
            absent_parameters: sources.absent_parameters.clone(),
            system_parameters: sources.system_parameters.clone(),
            missing,
            // The manifest's own module is an imported one.
            registered: true,
        });
        providers.insert(key, Arc::clone(&merged));
        Ok(merged)
    }

    /// The provider's sources, looked up once. The cache stays locked during the lookup:
    /// lookups go one at a time through the catalog anyway, and a thread asking for the same
    /// provider meanwhile then finds it done instead of asking the catalog again.
    fn sources(&self, provider: &str) -> Result<Arc<ProviderSources>, String> {
        let key = provider.to_ascii_lowercase();
        let mut providers = lock(&self.providers);
        if let Some(s) = providers.get(&key) {
            return Ok(Arc::clone(s));
        }
        let mut modules = self.catalog.provider_modules(provider)?;
        if let Some(known) = well_known_provider(provider) {
            let built_in = known
                .message_modules
                .iter()
                .map(|m| (*m, ModuleRole::Messages))
                .chain(known.parameter_module.map(|m| (m, ModuleRole::Parameters)));
            for (module, role) in built_in {
                if !modules
                    .iter()
                    .any(|m| m.role == role && m.module.eq_ignore_ascii_case(module))
                {
                    modules.push(ProviderModule {
                        module: module.to_string(),
                        role,
                        origin: ModuleOrigin::BuiltIn,
                    });
                }
            }
        }
        let mut sources = ProviderSources::default();
        let mut absent = Vec::new();
        for m in &modules {
            if self.catalog.has_module(&m.module)? {
                match m.role {
                    ModuleRole::Messages => {
                        sources.registered |= m.origin == ModuleOrigin::Kb;
                        sources.messages.push(m.module.clone());
                    }
                    ModuleRole::Parameters => sources.parameters.push(m.module.clone()),
                }
            } else if m.role == ModuleRole::Messages {
                absent.push(match m.origin {
                    ModuleOrigin::Kb => format!("{} (KB provider table)", m.module),
                    ModuleOrigin::BuiltIn => format!("{} (built-in map)", m.module),
                });
            } else {
                sources.absent_parameters.push(m.module.clone());
            }
        }
        if sources.parameters.is_empty() && sources.absent_parameters.is_empty() {
            for module in SYSTEM_TABLES {
                if self.catalog.has_module(module)? {
                    sources.system_parameters = Some(module.to_string());
                    break;
                }
            }
        }
        if sources.messages.is_empty() {
            sources.missing = Some(if absent.is_empty() {
                format!(
                    "no message source for provider {provider:?}: import its message file \
                     with `werr import FILE --provider {provider:?}`"
                )
            } else {
                format!(
                    "no message source for provider {provider:?}: its module {} has no messages \
                     in the KB; import it with `werr import FILE --provider {provider:?}`",
                    absent.join(", ")
                )
            });
        }
        let sources = Arc::new(sources);
        providers.insert(key, Arc::clone(&sources));
        Ok(sources)
    }

    /// Message `id` of `module`, looked up once (the cache stays locked, as in `sources`).
    fn message(&self, module: &str, id: u32) -> Result<Option<Arc<CatalogMessage>>, String> {
        let mut messages = lock(&self.messages);
        if let Some(m) = messages.get(module).and_then(|ids| ids.get(&id)) {
            return Ok(m.clone());
        }
        let found = self
            .catalog
            .message(module, id, self.options.lang.as_deref())?
            .map(Arc::new);
        messages
            .entry(module.to_string())
            .or_default()
            .insert(id, found.clone());
        Ok(found)
    }

    /// Message `id` in the first of the provider's message modules that has it.
    fn find_exact(
        &self,
        sources: &ProviderSources,
        id: u32,
    ) -> Result<Option<(String, Arc<CatalogMessage>)>, String> {
        for module in &sources.messages {
            if let Some(m) = self.message(module, id)? {
                return Ok(Some((module.clone(), m)));
            }
        }
        Ok(None)
    }

    /// For an id absent from the provider's modules: the one message with the same event id
    /// under other Qualifiers when [`RenderOptions::approximate`] asks for it, else why there
    /// is no message (naming those near ids).
    fn near(&self, sources: &ProviderSources, id: u32, event_id: u16) -> Result<Found, String> {
        let mut near = Vec::new();
        for module in &sources.messages {
            for other in self.catalog.ids_with_event_id(module, event_id)? {
                near.push((module.clone(), other));
            }
        }
        let modules = sources.messages.join(", ");
        if near.is_empty() {
            return Ok(Found::None(format!(
                "message id {id:#010X} (event id {event_id}) is not in {modules}"
            )));
        }
        if self.options.approximate && near.len() == 1 {
            let (module, other) = near.remove(0);
            if let Some(m) = self.message(&module, other)? {
                return Ok(Found::Approximate(module, m));
            }
        }
        let list: Vec<String> = near
            .iter()
            .map(|(m, other)| {
                format!(
                    "{other:#010X} in {m} ({})",
                    qualifier_difference(id, *other)
                )
            })
            .collect();
        Ok(Found::None(format!(
            "message id {id:#010X} is not in {modules}; the same event id {event_id} is there as {}{}",
            list.join(", "),
            if near.len() == 1 {
                " (not used: a different message id; --approximate renders it)"
            } else {
                " (not used: a different message id)"
            }
        )))
    }

    /// The text of parameter message `id` and where it came from: the provider's parameter
    /// modules, else (none registered) the system's Win32 table, where an HRESULT of a Win32
    /// error (`0x8007xxxx`, as `%%2147942414` is) reads as that error, as FormatMessage reads
    /// it. The catalog gives each in Windows' words ([`TextOrigin`]: the default KB's
    /// `kernelbase.dll` is Wine's, whose English gives way to Microsoft's text of the error).
    fn parameter(&self, sources: &ProviderSources, id: u32) -> Option<(String, ParameterFrom)> {
        let text_of = |module: &str, id: u32| self.message(module, id).ok().flatten();
        if !sources.parameters.is_empty() {
            return sources
                .parameters
                .iter()
                .find_map(|m| text_of(m, id))
                .map(|m| (m.text.clone(), ParameterFrom::Provider));
        }
        let system = sources.system_parameters.as_deref()?;
        let m = text_of(system, id).or_else(|| {
            (id >> 16 == 0x8007 && id & 0xFFFF != 0)
                .then(|| text_of(system, id & 0xFFFF))
                .flatten()
        })?;
        Some((m.text.clone(), ParameterFrom::System(m.origin.clone())))
    }

    /// `text` formatted with `inserts` (`%N` beyond them left as written when
    /// `pad_missing`), each `%%N` looked up in the provider's parameter modules, else in the
    /// system's Win32 table when the provider registers none, and noted in `asked`.
    fn format(
        &self,
        text: &str,
        inserts: &[String],
        sources: &ProviderSources,
        pad_missing: bool,
        asked: &AskedParameters,
    ) -> Result<String, werr_format::FormatError> {
        let placeholders: &[String] = match pad_missing {
            true => placeholders().get(inserts.len()..).unwrap_or_default(),
            false => &[],
        };
        let args: Vec<Arg<'_>> = inserts
            .iter()
            .chain(placeholders)
            .map(|s| Arg::Str(s))
            .collect();
        let lookup = |id: u32| -> Option<String> {
            let found = self.parameter(sources, id);
            let (text, from) = found.unzip();
            asked.borrow_mut().push((id, from));
            text
        };
        let event_log = EventLog {
            parameter: Some(&lookup),
            ..EventLog::default()
        };
        let options = Options {
            width: Width::Keep,
            ignore_inserts: false,
            event_log: Some(event_log),
            ..Options::default()
        };
        // Room for the text and each insert once, so the text is not grown step by step.
        let room = text.len() + inserts.iter().map(String::len).sum::<usize>();
        let mut out = String::with_capacity(room);
        werr_format::format_into(text, &args, &options, &mut out)?;
        Ok(out)
    }
}

/// `%1` to `%99`: what a missing insert is left as, made once.
fn placeholders() -> &'static [String] {
    static MADE: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    MADE.get_or_init(|| (1..=MAX_INSERT).map(|n| format!("%{n}")).collect())
}

/// A text formatted with a record's inserts, and the notes on it.
struct Formatted {
    text: String,
    /// Inserts the text uses that the record lacks (left as written).
    missing: Option<String>,
    /// Where the `%%N` parameters came from, or why they stay as written.
    parameters: Option<String>,
}

impl Formatted {
    /// Both notes in one (`None` when there is neither).
    fn note(&self) -> Option<String> {
        joined_notes(self.missing.clone(), self.parameters.clone())
    }
}

/// The note on a message's words when they are not its module's own table's: another
/// system's (ReactOS's `netevent.dll`), or Microsoft's text in place of that system's.
fn origin_note(module: &str, origin: &TextOrigin) -> Option<String> {
    match origin {
        TextOrigin::Table => None,
        TextOrigin::Rewrite(system) => Some(format!(
            "{module}'s text as {system} writes it, not Windows' own table: the wording can \
             differ"
        )),
        TextOrigin::Microsoft { source, instead_of } => Some(format!(
            "Microsoft's text of the Win32 error ({source}): the KB's {module} is \
             {instead_of}'s"
        )),
    }
}

/// Two notes in one, `; ` between them (`None` when there is neither).
fn joined_notes(first: Option<String>, second: Option<String>) -> Option<String> {
    match (first, second) {
        (Some(a), Some(b)) => Some(format!("{a}; {b}")),
        (a, b) => a.or(b),
    }
}

/// `%%N` ids as a list (`%%14592, %%14597`), each once, in the order first met.
fn parameter_list(ids: impl Iterator<Item = u32>) -> String {
    let mut seen: Vec<u32> = Vec::new();
    for id in ids {
        if !seen.contains(&id) {
            seen.push(id);
        }
    }
    let list: Vec<String> = seen.iter().map(|id| format!("%%{id}")).collect();
    list.join(", ")
}

/// The note on the `%%N` parameters a text met (`asked`: each id and where its text was
/// found): which table gave them, or why they stay as written. `None` when there were none,
/// or all came from the provider's own parameter modules.
fn parameter_note(
    asked: &[(u32, Option<ParameterFrom>)],
    sources: &ProviderSources,
    provider: &str,
) -> Option<String> {
    if asked.is_empty() {
        return None;
    }
    let ids = |keep: &dyn Fn(&Option<ParameterFrom>) -> bool| {
        parameter_list(asked.iter().filter(|a| keep(&a.1)).map(|a| a.0))
    };
    let raw = ids(&|from| from.is_none());
    if !sources.parameters.is_empty() {
        return (!raw.is_empty()).then(|| {
            format!(
                "{raw} not in {}, left as written",
                sources.parameters.join(", ")
            )
        });
    }
    if !sources.absent_parameters.is_empty() {
        let modules = sources.absent_parameters.join(", ");
        return Some(format!(
            "{raw} left as written: their texts are in {modules}, the parameter file of \
             {provider:?}, which the KB lacks; import it with `werr import FILE --provider \
             {provider:?} --parameter-file`"
        ));
    }
    let Some(system) = &sources.system_parameters else {
        return Some(format!(
            "{raw} left as written: {provider:?} registers no parameter file and the KB has \
             no system Win32 table ({})",
            SYSTEM_TABLES.join(", ")
        ));
    };
    let origin = |from: &Option<ParameterFrom>| match from {
        Some(ParameterFrom::System(origin)) => Some(origin.clone()),
        _ => None,
    };
    // The origins met, each once, in the order first met.
    let mut origins: Vec<TextOrigin> = Vec::new();
    for (_, from) in asked {
        if let Some(o) = origin(from).filter(|o| !origins.contains(o)) {
            origins.push(o);
        }
    }
    let found: Vec<String> = origins
        .iter()
        .map(|o| {
            let by = ids(&|from| origin(from).as_ref() == Some(o));
            match o {
                TextOrigin::Table => format!("{by} from the system's Win32 texts ({system})"),
                TextOrigin::Microsoft { source, .. } => {
                    format!("{by} from Microsoft's texts of the Win32 errors ({source})")
                }
                TextOrigin::Rewrite(rewrite) => format!(
                    "{by} from the system's Win32 texts ({system} as {rewrite} writes them: the \
                     wording can differ from Windows')"
                ),
            }
        })
        .collect();
    let mut note = String::new();
    if !found.is_empty() {
        note = format!(
            "{}, as Windows formats the parameters of a provider with no parameter file",
            found.join("; ")
        );
    }
    if !raw.is_empty() {
        if !note.is_empty() {
            note.push_str("; ");
        }
        note.push_str(&format!("{raw} not in {system}, left as written"));
    }
    Some(note)
}

/// A rendering shared by the records of a route, or this record's own.
enum Rendered {
    Shared(Arc<Rendering>),
    Own(Rendering),
}

/// A lookup in the catalog failed (for one record; the next tries again).
struct CatalogError {
    /// The message id the rules gave, if any.
    id: Option<(u32, MessageIdRule)>,
    /// The catalog's error.
    message: String,
}

/// Why no module gave a record's own message.
enum Missed {
    /// No rule gives a message id, or no module serves the provider: this failure.
    Failure(Box<Rendering>),
    /// The provider's modules lack message `id`.
    NotInModules {
        id: MessageId,
        sources: Arc<ProviderSources>,
    },
}

/// The failure of a record whose event its provider declares without a message.
fn declared_without_text(
    record: &EventRecord,
    event: &EventChoice,
    id: Option<(u32, MessageIdRule)>,
) -> Rendering {
    let declared = &event.event.texts[0];
    let mut failure = Rendering::failed(
        id,
        format!(
            "{} declares event {} of {:?} without a message (in {})",
            declared.source,
            record.event_id,
            record.provider,
            declared.releases.join(", ")
        ),
        false,
    );
    failure.declared_without_text = true;
    failure
}

/// A near match for an absent message id.
enum Found {
    Approximate(String, Arc<CatalogMessage>),
    None(String),
}

/// How two message ids with the same low word differ, in the message-id layout's terms.
fn qualifier_difference(wanted: u32, found: u32) -> String {
    const SEVERITY: [&str; 4] = ["Success", "Informational", "Warning", "Error"];
    let mut parts = Vec::new();
    let (ws, fs) = (wanted >> 30, found >> 30);
    if ws != fs {
        parts.push(format!(
            "severity {} where the record's Qualifiers say {}",
            SEVERITY[fs as usize], SEVERITY[ws as usize]
        ));
    }
    if (wanted ^ found) & 0x2000_0000 != 0 {
        parts.push("customer bit differs".to_string());
    }
    let (wf, ff) = ((wanted >> 16) & 0x0FFF, (found >> 16) & 0x0FFF);
    if wf != ff {
        parts.push(format!("facility {ff:#x} where the record's is {wf:#x}"));
    }
    if parts.is_empty() {
        "reserved bit differs".to_string()
    } else {
        parts.join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `text` through the general formatter, as the renderer calls it (no parameter
    /// messages).
    #[cfg(feature = "kb")]
    fn formatted(text: &str, inserts: &[String]) -> Option<String> {
        let args: Vec<Arg<'_>> = inserts.iter().map(|s| Arg::Str(s)).collect();
        let options = Options {
            width: Width::Keep,
            ignore_inserts: false,
            event_log: Some(EventLog::default()),
            ..Options::default()
        };
        werr_format::format(text, &args, &options).ok()
    }

    #[cfg(feature = "kb")]
    #[test]
    fn plain_texts_format_as_the_general_formatter_formats_them() {
        let kb = werr_kb::Kb::embedded().unwrap();
        let mut stmt = kb
            .connection()
            .prepare("SELECT DISTINCT text FROM events")
            .unwrap();
        let texts: Vec<String> = stmt
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert!(texts.len() > 40_000, "{}", texts.len());
        // Inserts with line breaks, tabs, non-ASCII text, and empty ones.
        let inserts: Vec<String> = (1..=99)
            .map(|n| match n % 4 {
                0 => format!("v{n}\r\nnext\tline"),
                1 => format!("été {n} 日本"),
                2 => String::new(),
                _ => format!("value {n}"),
            })
            .collect();
        let (mut plain, mut general) = (0, 0);
        for text in &texts {
            match Plain::of(text) {
                Some(p) => {
                    plain += 1;
                    assert_eq!(p.highest, highest_insert(text), "{text:?}");
                    let used = &inserts[..p.highest];
                    assert_eq!(p.format(text, used), formatted(text, used), "{text:?}");
                    // Too few inserts, or a `%` in one: the general formatter's work.
                    if p.highest > 0 {
                        assert_eq!(p.format(text, &inserts[..p.highest - 1]), None);
                    }
                    let mut coded = used.to_vec();
                    coded.push("%%1058".into());
                    assert_eq!(p.format(text, &coded), None);
                }
                None => general += 1,
            }
        }
        // Most event texts are plain.
        assert!(plain > general * 10, "{plain} plain, {general} not");
    }

    #[test]
    fn texts_with_escapes_or_specifications_are_not_plain() {
        for text in [
            "%1!s! is",
            "100%% sure",
            "a%nb",
            "%0",
            "%%1058",
            "line\r\nbreak",
            "trailing %",
            "%{S-1-5-18}",
        ] {
            assert!(Plain::of(text).is_none(), "{text:?}");
        }
        let p = Plain::of("%12%1 and %100").unwrap();
        assert_eq!(p.highest, 12);
        let inserts: Vec<String> = (1..=12).map(|n| format!("<{n}>")).collect();
        assert_eq!(
            p.format("%12%1 and %100", &inserts).unwrap(),
            "<12><1> and <10>0"
        );
    }

    /// A catalog with one classic provider (`App`: its messages in `app.dll`, message 1
    /// `The service failed: %1`, no parameter file) and a system table `kernelbase.dll`
    /// whose Win32 error 1058 is `text`, in the words of `origin`.
    struct SystemTexts {
        text: &'static str,
        origin: TextOrigin,
    }

    impl MessageCatalog for SystemTexts {
        fn provider_modules(&self, provider: &str) -> Result<Vec<ProviderModule>, LookupError> {
            Ok(match provider {
                "App" => vec![ProviderModule {
                    module: "app.dll".into(),
                    role: ModuleRole::Messages,
                    origin: ModuleOrigin::Kb,
                }],
                _ => Vec::new(),
            })
        }
        fn has_module(&self, module: &str) -> Result<bool, LookupError> {
            Ok(matches!(module, "app.dll" | "kernelbase.dll"))
        }
        fn message(
            &self,
            module: &str,
            id: u32,
            _: Option<&str>,
        ) -> Result<Option<CatalogMessage>, LookupError> {
            let (text, origin) = match (module, id) {
                ("app.dll", 1) => ("The service failed: %1", TextOrigin::Table),
                ("kernelbase.dll", 1058) => (self.text, self.origin.clone()),
                _ => return Ok(None),
            };
            Ok(Some(CatalogMessage {
                text: text.into(),
                lang: "en-US".into(),
                origin,
            }))
        }
        fn ids_with_event_id(&self, _: &str, _: u16) -> Result<Vec<u32>, LookupError> {
            Ok(Vec::new())
        }
    }

    /// What `App`'s record with insert `%%1058` renders to with `catalog`: the message and
    /// its note.
    fn parameter_rendering(catalog: &SystemTexts) -> (String, String) {
        let renderer = Renderer::new(catalog, RenderOptions::default());
        let mut record = EventRecord::empty(1, false);
        record.provider = "App".into();
        record.event_id = 1;
        record.qualifiers = Some(0);
        record.inserts = vec!["%%1058".into()];
        let r = renderer.render(&record);
        (r.message.unwrap(), r.message_note.unwrap())
    }

    #[test]
    fn a_win32_parameter_s_note_says_whose_words_it_is() {
        let as_windows = ", as Windows formats the parameters of a provider with no parameter file";
        let cases = [
            (
                TextOrigin::Table,
                "%%1058 from the system's Win32 texts (kernelbase.dll)".to_string(),
            ),
            (
                TextOrigin::Microsoft {
                    source: "ms-erref 0.13.1".into(),
                    instead_of: "Wine",
                },
                "%%1058 from Microsoft's texts of the Win32 errors (ms-erref 0.13.1)".to_string(),
            ),
            (
                TextOrigin::Rewrite("Wine"),
                "%%1058 from the system's Win32 texts (kernelbase.dll as Wine writes them: the \
                 wording can differ from Windows')"
                    .to_string(),
            ),
        ];
        for (origin, note) in cases {
            let catalog = SystemTexts {
                text: "The text.\r\n",
                origin,
            };
            assert_eq!(
                parameter_rendering(&catalog),
                (
                    "The service failed: The text.".to_string(),
                    format!("{note}{as_windows}")
                )
            );
        }
    }

    #[test]
    fn a_message_s_note_says_whose_words_it_is() {
        let note_of = |origin: TextOrigin| origin_note("netmsg.dll", &origin);
        assert_eq!(note_of(TextOrigin::Table), None);
        assert_eq!(
            note_of(TextOrigin::Rewrite("ReactOS")).as_deref(),
            Some("netmsg.dll's text as ReactOS writes it, not Windows' own table: the wording can differ")
        );
        assert_eq!(
            note_of(TextOrigin::Microsoft {
                source: "msdocs-win32 47e64c1".into(),
                instead_of: "ReactOS"
            })
            .as_deref(),
            Some("Microsoft's text of the Win32 error (msdocs-win32 47e64c1): the KB's netmsg.dll is ReactOS's")
        );
    }
}
