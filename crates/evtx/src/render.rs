//! Rendering a record's message: message id, provider modules, text, FormatMessage.

use crate::message_id::{message_id, MessageId, MessageIdRule};
use crate::model::EventRecord;
use crate::providers::{well_known_provider, ModuleRole};
use serde::Serialize;
// foldhash: these maps are looked up for every record, and SipHash was 4% of a run.
use foldhash::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use werr_format::{Arg, EventLog, FormatErrorKind, Options, Width};

/// The highest insert number FormatMessage reads (`%99`).
const MAX_INSERT: usize = 99;

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
}

/// Where messages come from: the knowledge base, or any other store of message tables.
///
/// Every method takes names as records and imports spell them; a catalog compares them
/// without regard to ASCII case.
pub trait MessageCatalog {
    /// The modules registered for `provider` in the catalog itself (not the built-in map),
    /// in lookup order.
    fn provider_modules(&self, provider: &str) -> Result<Vec<ProviderModule>, String>;
    /// Whether the catalog holds any message of `module`.
    fn has_module(&self, module: &str) -> Result<bool, String>;
    /// Message `id` of `module`, in the language `lang` asks for (a tag such as `de-DE`)
    /// or the catalog's fallback chain; `None` when the module has no such id.
    fn message(
        &self,
        module: &str,
        id: u32,
        lang: Option<&str>,
    ) -> Result<Option<CatalogMessage>, String>;
    /// The ids of `module` whose low 16 bits are `event_id`: the candidates when a record's
    /// full message id is absent.
    fn ids_with_event_id(&self, module: &str, event_id: u16) -> Result<Vec<u32>, String>;
    /// The message of a manifest provider's event (its GUID as records show it, any letter
    /// case; its EventID and Version) by the event manifests the catalog holds: the message
    /// id and the module whose manifest gave it. `None` when no manifest has the event.
    fn manifest_message(
        &self,
        _provider_guid: &str,
        _event_id: u16,
        _version: u8,
    ) -> Result<Option<(u32, String)>, String> {
        Ok(None)
    }
    /// Makes ready ahead what the first lookups would otherwise do (prepared queries, say),
    /// so that a caller can do it on a thread that would be waiting anyway.
    fn prepare(&self) -> Result<(), String> {
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
}

/// How a record's message was matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MessageMatch {
    /// The record's own message id.
    Exact,
    /// Another message id with the same 16-bit event id ([`RenderOptions::approximate`]).
    Approximate,
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
    /// The module the text came from.
    pub message_source: Option<String>,
    /// The language of the text.
    pub message_lang: Option<String>,
    /// Whether the text is the record's own message or an approximate match.
    pub message_match: Option<MessageMatch>,
    /// Why there is no text.
    pub message_error: Option<String>,
    /// A remark on the text: inserts the message uses that the record does not carry, shown
    /// as written (`%12`).
    pub message_note: Option<String>,
    /// Whether the provider has no message source at all (no module with messages).
    #[serde(skip)]
    pub no_source: bool,
}

impl Rendering {
    fn failed(message_id: Option<(u32, MessageIdRule)>, error: String, no_source: bool) -> Self {
        Rendering {
            message_id: message_id.map(|m| m.0),
            message_id_rule: message_id.map(|m| m.1),
            message: None,
            message_source: None,
            message_lang: None,
            message_match: None,
            message_error: Some(error),
            message_note: None,
            no_source,
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
    /// Why none serves, when `messages` is empty.
    missing: Option<String>,
}

/// Renders records' messages through a [`MessageCatalog`], caching what it looks up.
///
/// One renderer serves a whole run: providers, messages and parameter messages are looked up
/// once each. It takes `&self`, so when the catalog is `Sync` (a `Mutex<Kb>`, say) worker
/// threads share one renderer and its caches.
pub struct Renderer<'c, C: MessageCatalog> {
    catalog: &'c C,
    options: RenderOptions,
    providers: Mutex<HashMap<String, Arc<ProviderSources>>>,
    messages: Mutex<MessagesByModule>,
    /// Outcomes that depend only on the provider, EventID, Qualifiers and Version (no
    /// message id rule, no source, id absent): most records of a big log end here.
    failures: Mutex<FailuresByProvider>,
    /// Manifest messages looked up, by provider GUID (lowercase), EventID and Version.
    manifests: Mutex<ManifestMessages>,
}

/// Manifest messages looked up: (message id, module), `None` when no manifest has the event.
type ManifestMessages = HashMap<(String, u16, u8), Option<(u32, String)>>;

/// Messages looked up, by module then id (`None`: the module has no such id).
type MessagesByModule = HashMap<String, HashMap<u32, Option<Arc<CatalogMessage>>>>;

/// Failures by provider, then EventID, Qualifiers and Version.
type FailuresByProvider = HashMap<String, HashMap<(u16, Option<u16>, Option<u8>), Arc<Rendering>>>;

/// Locks a cache; one poisoned by a panicking thread still holds complete entries.
fn lock<T>(cache: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    cache.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A catalog shared by threads: each call holds the lock for one lookup.
impl<C: MessageCatalog> MessageCatalog for Mutex<C> {
    fn provider_modules(&self, provider: &str) -> Result<Vec<ProviderModule>, String> {
        lock(self).provider_modules(provider)
    }

    fn has_module(&self, module: &str) -> Result<bool, String> {
        lock(self).has_module(module)
    }

    fn message(
        &self,
        module: &str,
        id: u32,
        lang: Option<&str>,
    ) -> Result<Option<CatalogMessage>, String> {
        lock(self).message(module, id, lang)
    }

    fn ids_with_event_id(&self, module: &str, event_id: u16) -> Result<Vec<u32>, String> {
        lock(self).ids_with_event_id(module, event_id)
    }

    fn manifest_message(
        &self,
        provider_guid: &str,
        event_id: u16,
        version: u8,
    ) -> Result<Option<(u32, String)>, String> {
        lock(self).manifest_message(provider_guid, event_id, version)
    }

    fn prepare(&self) -> Result<(), String> {
        lock(self).prepare()
    }
}

impl<'c, C: MessageCatalog> Renderer<'c, C> {
    /// A renderer over `catalog`.
    pub fn new(catalog: &'c C, options: RenderOptions) -> Self {
        Renderer {
            catalog,
            options,
            providers: Mutex::default(),
            messages: Mutex::default(),
            failures: Mutex::default(),
            manifests: Mutex::default(),
        }
    }

    /// Renders `record`'s message; never fails, the reason for no text is in the result.
    pub fn render(&self, record: &EventRecord) -> Rendering {
        Arc::unwrap_or_clone(self.render_shared(record))
    }

    /// [`Renderer::render`], sharing the rendering: most records of a log meet a failure that
    /// every record of their provider and event id meets, and this hands out that one.
    pub fn render_shared(&self, record: &EventRecord) -> Arc<Rendering> {
        let key = (record.event_id, record.qualifiers, record.version);
        if let Some(known) = lock(&self.failures)
            .get(record.provider.as_str())
            .and_then(|by_id| by_id.get(&key))
        {
            return Arc::clone(known);
        }
        match self.render_uncached(record) {
            Outcome::PerRecord(rendering) => Arc::new(rendering),
            Outcome::PerEvent(failure) => {
                let failure = Arc::new(failure);
                lock(&self.failures)
                    .entry(record.provider.clone())
                    .or_default()
                    .insert(key, Arc::clone(&failure));
                failure
            }
        }
    }

    /// Renders, or returns the failure that any record of the same provider, EventID,
    /// Qualifiers and Version would meet (formatting failures depend on the inserts and are
    /// `Ok`).
    fn render_uncached(&self, record: &EventRecord) -> Outcome {
        // A manifest provider's message id comes from its event manifest, when one is in
        // the catalog; the other rules are the fallback.
        let manifest = match self.manifest_message(record) {
            Ok(manifest) => manifest,
            Err(e) => return Outcome::PerRecord(Rendering::failed(None, e, false)),
        };
        let id = match &manifest {
            Some((id, _)) => MessageId {
                id: *id,
                rule: MessageIdRule::Manifest,
            },
            None => match message_id(record) {
                Ok(id) => id,
                Err(e) => return Outcome::PerEvent(Rendering::failed(None, e.to_string(), false)),
            },
        };
        let found = Some((id.id, id.rule));
        let mut sources = match self.sources(&record.provider) {
            Ok(s) => s,
            Err(e) => return Outcome::PerRecord(Rendering::failed(found, e, false)),
        };
        if let Some((_, module)) = &manifest {
            sources = match self.with_manifest_module(&sources, module, id.id, &record.provider) {
                Ok(s) => s,
                Err(e) => return Outcome::PerRecord(Rendering::failed(found, e, false)),
            };
        }
        if let Some(missing) = &sources.missing {
            return Outcome::PerEvent(Rendering::failed(found, missing.clone(), true));
        }
        let (module, message, matched) = match self.find(&sources, id.id, record.event_id) {
            Ok(Found::Exact(module, message)) => (module, message, MessageMatch::Exact),
            Ok(Found::Approximate(module, message)) => (module, message, MessageMatch::Approximate),
            Ok(Found::None(why)) => return Outcome::PerEvent(Rendering::failed(found, why, false)),
            Err(e) => return Outcome::PerRecord(Rendering::failed(found, e, false)),
        };
        let mut note = None;
        let mut formatted = self.format(&message.text, &record.inserts, &sources, false);
        if let Err(e) = &formatted {
            if let FormatErrorKind::MissingArgument { insert, .. } = e.kind {
                // Event Viewer leaves an insert the record lacks as written; so does werr.
                formatted = self.format(&message.text, &record.inserts, &sources, true);
                note = Some(format!(
                    "the record has {} inserts; the message uses %{insert} (and perhaps more), \
                     left as written",
                    record.inserts.len()
                ));
            }
        }
        Outcome::PerRecord(match formatted {
            Ok(text) => Rendering {
                message_id: Some(id.id),
                message_id_rule: Some(id.rule),
                message: Some(text),
                message_source: Some(module),
                message_lang: Some(message.lang.clone()),
                message_match: Some(matched),
                message_error: None,
                message_note: note,
                no_source: false,
            },
            Err(e) => Rendering::failed(
                found,
                format!("message {:#010X} of {module} does not format: {e}", id.id),
                false,
            ),
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
            missing,
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
                    ModuleRole::Messages => sources.messages.push(m.module.clone()),
                    ModuleRole::Parameters => sources.parameters.push(m.module.clone()),
                }
            } else if m.role == ModuleRole::Messages {
                absent.push(match m.origin {
                    ModuleOrigin::Kb => format!("{} (KB provider table)", m.module),
                    ModuleOrigin::BuiltIn => format!("{} (built-in map)", m.module),
                });
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

    fn find(&self, sources: &ProviderSources, id: u32, event_id: u16) -> Result<Found, String> {
        for module in &sources.messages {
            if let Some(m) = self.message(module, id)? {
                return Ok(Found::Exact(module.clone(), m));
            }
        }
        // Not there: say whether the same event id exists under other Qualifiers.
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

    fn format(
        &self,
        text: &str,
        inserts: &[String],
        sources: &ProviderSources,
        pad_missing: bool,
    ) -> Result<String, werr_format::FormatError> {
        let placeholders: Vec<String> = if pad_missing {
            (inserts.len() + 1..=MAX_INSERT)
                .map(|n| format!("%{n}"))
                .collect()
        } else {
            Vec::new()
        };
        let args: Vec<Arg<'_>> = inserts
            .iter()
            .chain(&placeholders)
            .map(|s| Arg::Str(s))
            .collect();
        let lookup = |id: u32| -> Option<String> {
            sources.parameters.iter().find_map(|module| {
                self.catalog
                    .message(module, id, self.options.lang.as_deref())
                    .ok()
                    .flatten()
                    .map(|m| m.text)
            })
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
        werr_format::format(text, &args, &options)
    }
}

/// A rendering, and whether every record of the same provider, EventID and Qualifiers gets it.
enum Outcome {
    /// Depends on this record (its inserts).
    PerRecord(Rendering),
    /// The same for every such record: a failure before formatting.
    PerEvent(Rendering),
}

enum Found {
    Exact(String, Arc<CatalogMessage>),
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
