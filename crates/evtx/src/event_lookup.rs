//! Events looked up like codes: `PROVIDER/ID` (`Microsoft-Windows-Security-Auditing/4624`,
//! `Security/4624`, `EventLog/6005`) and every event with an id, from the KB's event texts of
//! Windows releases and, for the classic sources of the built-in map, from their modules'
//! messages (the texts `werr evtx` renders their records with).

use crate::providers::{well_known_provider, WELL_KNOWN_PROVIDERS};
use serde::Serialize;
use werr_kb::lang::LangRequest;
use werr_kb::Kb;

/// Names people give a provider that are neither its name nor a suffix of it: the channels
/// and classic source names its records are known by.
pub const PROVIDER_ALIASES: &[(&str, &str)] = &[
    ("Security", "Microsoft-Windows-Security-Auditing"),
    ("Sysmon", "Microsoft-Windows-Sysmon"),
    ("PowerShell", "Microsoft-Windows-PowerShell"),
];

/// One text of an event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EventTextEntry {
    /// The text as declared (`%1` inserts, `%%1058` parameters); empty for an event declared
    /// without a message.
    pub text: String,
    /// The Windows releases with this text, oldest first (empty for a module's message).
    pub releases: Vec<String>,
    /// Where it comes from: `welm 2.3.0.0`, or the module (`netevent.dll`).
    pub source: String,
    /// The message id in the module (classic sources), else `None`.
    pub message_id: Option<u32>,
    /// The language of a module's message (`None` for event texts).
    pub lang: Option<String>,
    /// The system a module's table was written for when it is not Windows (`ReactOS`),
    /// whose wording can differ from Windows'; `None` for Windows' own texts.
    pub written_for: Option<&'static str>,
}

/// An event of a provider with its texts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EventEntry {
    /// The provider as the KB spells it.
    pub provider: String,
    /// The event id.
    pub event_id: u16,
    /// Its texts: per distinct text of the Windows releases (in storing order), or the
    /// messages of a classic source's modules with this event id (one per Qualifiers).
    pub texts: Vec<EventTextEntry>,
}

impl EventEntry {
    /// The oldest and newest release with a text (`None` for a classic source's messages).
    pub fn release_range(&self, kb: &Kb) -> Option<(String, String)> {
        let order = kb.releases().ok()?;
        let mut named: Vec<&werr_kb::Release> = order
            .iter()
            .filter(|r| self.texts.iter().any(|t| t.releases.contains(&r.name)))
            .collect();
        named.sort_by_key(|r| r.ordinal);
        Some((named.first()?.name.clone(), named.last()?.name.clone()))
    }

    /// The text shown first: the newest release's (the last stored with text), else a
    /// module's message.
    pub fn lead_text(&self) -> &str {
        self.texts
            .iter()
            .filter(|t| !t.text.is_empty())
            .max_by_key(|t| t.releases.len())
            .map_or("", |t| t.text.as_str())
    }
}

/// How `PROVIDER` of `PROVIDER/ID` was read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ProviderMatch {
    /// The provider's own name (compared without case).
    Name,
    /// A channel or classic name ([`PROVIDER_ALIASES`]).
    Alias,
    /// The end of the provider's name after a `-` (`Security-Auditing`).
    Suffix,
}

/// The answer to `PROVIDER/ID`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum EventLookup {
    /// The event, and how its provider was read.
    Found {
        /// The event.
        event: EventEntry,
        /// How the provider name was read.
        matched: ProviderMatch,
    },
    /// The short form names several providers that have the event: each of them.
    Ambiguous {
        /// The providers, sorted without case.
        candidates: Vec<String>,
    },
    /// No provider by that name (or short form) has the event; `providers` lists those the
    /// name reads as, which lack it.
    NotFound {
        /// Providers the name reads as (without the event).
        providers: Vec<String>,
    },
}

/// Splits `PROVIDER/ID` (the last `/`; ID decimal or `0x` hex, up to 65535). `None`: not of
/// that form.
pub fn parse_event_ref(text: &str) -> Option<(&str, u16)> {
    let (provider, id) = text.rsplit_once('/')?;
    let provider = provider.trim();
    if provider.is_empty() {
        return None;
    }
    let id = id.trim();
    let value = match id.strip_prefix("0x").or_else(|| id.strip_prefix("0X")) {
        Some(hex) => u16::from_str_radix(hex, 16).ok()?,
        None => id.parse().ok()?,
    };
    Some((provider, value))
}

/// The messages of a classic source of the built-in map with event id `event_id` (any
/// Qualifiers), from its modules the KB has. Empty when `provider` is not in the map.
fn classic_texts(kb: &Kb, provider: &str, event_id: u16) -> werr_kb::Result<Vec<EventTextEntry>> {
    match well_known_provider(provider) {
        Some(known) => module_texts(kb, known.message_modules, event_id),
        None => Ok(Vec::new()),
    }
}

/// The messages of `modules` with event id `event_id` (any Qualifiers), in module order.
fn module_texts(kb: &Kb, modules: &[&str], event_id: u16) -> werr_kb::Result<Vec<EventTextEntry>> {
    let mut texts = Vec::new();
    for module in modules {
        let ids = kb.module_ids_with_low_word(module, event_id)?;
        for id in ids {
            if let Some(m) = kb.module_message(module, id, &LangRequest::ANY)? {
                texts.push(EventTextEntry {
                    text: m.text,
                    releases: Vec::new(),
                    source: (*module).to_string(),
                    message_id: Some(id),
                    written_for: werr_kb::authority::written_for(&m.kit),
                    lang: Some(m.lang),
                });
            }
        }
    }
    Ok(texts)
}

/// `provider`'s event `event_id` (the exact name, compared without case): the KB's event
/// texts, else a classic source's module messages. `None` when neither has it.
fn event_of(kb: &Kb, provider: &str, event_id: u16) -> werr_kb::Result<Option<EventEntry>> {
    let texts = kb.event_texts(provider, event_id)?;
    if let Some(first) = texts.first() {
        return Ok(Some(EventEntry {
            provider: first.provider.clone(),
            event_id,
            texts: texts
                .into_iter()
                .map(|t| EventTextEntry {
                    text: t.text,
                    releases: t.releases,
                    source: t.source,
                    message_id: None,
                    lang: None,
                    written_for: None,
                })
                .collect(),
        }));
    }
    let classic = classic_texts(kb, provider, event_id)?;
    Ok((!classic.is_empty()).then(|| EventEntry {
        provider: well_known_provider(provider)
            .map_or(provider, |k| k.provider)
            .to_string(),
        event_id,
        texts: classic,
    }))
}

/// The providers `asked` reads as, in order of how it was read: its own name (a provider
/// of the KB's event texts or of the built-in map), a channel or classic name, the end of
/// providers' names after a `-`.
fn providers_named(kb: &Kb, asked: &str) -> werr_kb::Result<Vec<(String, ProviderMatch)>> {
    let names = kb.event_provider_names()?;
    let mut out = Vec::new();
    if let Some(n) = names.iter().find(|n| n.eq_ignore_ascii_case(asked)) {
        out.push((n.clone(), ProviderMatch::Name));
    } else if let Some(k) = well_known_provider(asked) {
        out.push((k.provider.to_string(), ProviderMatch::Name));
    }
    for (alias, provider) in PROVIDER_ALIASES {
        if alias.eq_ignore_ascii_case(asked) {
            out.push(((*provider).to_string(), ProviderMatch::Alias));
        }
    }
    let suffix = format!("-{}", asked.to_ascii_lowercase());
    for n in &names {
        if n.to_ascii_lowercase().ends_with(&suffix) {
            out.push((n.clone(), ProviderMatch::Suffix));
        }
    }
    Ok(out)
}

/// Looks up `PROVIDER/ID`: the provider's own name first, then a channel or classic name,
/// then the providers whose names end in `-PROVIDER` that have the event (one: found;
/// several: ambiguous).
pub fn find_event(kb: &Kb, provider: &str, event_id: u16) -> werr_kb::Result<EventLookup> {
    let named = providers_named(kb, provider)?;
    for wanted in [ProviderMatch::Name, ProviderMatch::Alias] {
        for (name, _) in named.iter().filter(|(_, m)| *m == wanted) {
            if let Some(event) = event_of(kb, name, event_id)? {
                return Ok(EventLookup::Found {
                    event,
                    matched: wanted,
                });
            }
        }
    }
    let mut with_event = Vec::new();
    for (name, _) in named.iter().filter(|(_, m)| *m == ProviderMatch::Suffix) {
        if let Some(event) = event_of(kb, name, event_id)? {
            with_event.push(event);
        }
    }
    Ok(match with_event.len() {
        0 => EventLookup::NotFound {
            providers: named.into_iter().map(|(n, _)| n).collect(),
        },
        1 => EventLookup::Found {
            event: with_event.remove(0),
            matched: ProviderMatch::Suffix,
        },
        _ => EventLookup::Ambiguous {
            candidates: with_event.into_iter().map(|e| e.provider).collect(),
        },
    })
}

/// The events with one id ([`events_with_id`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EventsWithId {
    /// The first events, with their texts (all of them when no limit was given).
    pub events: Vec<EventEntry>,
    /// How many events have the id.
    pub total: usize,
}

/// The events with id `event_id`: the providers of the KB's event texts that the built-in
/// map knows (Security-Auditing: the events people look up), then the classic sources of the
/// built-in map whose modules have it (one per module, named by the first provider of the
/// map that uses it: EventLog for netevent.dll), then the other providers of event texts,
/// sorted without case. With `limit`, only the first `limit` are read with their texts (an
/// id such as 5 has hundreds of providers, and a lookup lists five); `total` counts all.
pub fn events_with_id(
    kb: &Kb,
    event_id: u16,
    limit: Option<usize>,
) -> werr_kb::Result<EventsWithId> {
    let mut classic = Vec::new();
    let mut modules_seen: Vec<&str> = Vec::new();
    for known in WELL_KNOWN_PROVIDERS {
        let unseen: Vec<&str> = known
            .message_modules
            .iter()
            .copied()
            .filter(|m| !modules_seen.contains(m))
            .collect();
        modules_seen.extend(unseen.iter().copied());
        let texts = module_texts(kb, &unseen, event_id)?;
        if !texts.is_empty() {
            classic.push(EventEntry {
                provider: known.provider.to_string(),
                event_id,
                texts,
            });
        }
    }
    let mut providers = kb.event_providers_with_id(event_id)?;
    // Stable: the providers of the built-in map first, each group sorted without case.
    providers.sort_by_key(|p| well_known_provider(p).is_none());
    let known = providers
        .iter()
        .take_while(|p| well_known_provider(p).is_some())
        .count();
    let total = classic.len() + providers.len();
    let limit = limit.unwrap_or(usize::MAX);
    let mut events = Vec::new();
    for provider in &providers[..known] {
        if events.len() >= limit {
            break;
        }
        events.extend(event_of(kb, provider, event_id)?);
    }
    let room = limit.saturating_sub(events.len());
    events.extend(classic.into_iter().take(room));
    for provider in &providers[known..] {
        if events.len() >= limit {
            break;
        }
        events.extend(event_of(kb, provider, event_id)?);
    }
    Ok(EventsWithId { events, total })
}
