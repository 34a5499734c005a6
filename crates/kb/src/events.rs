//! The KB's event texts (WELM databases, [`crate::welm`]): every text a provider's event has
//! had, with the Windows releases that have it, and which one an event shows in a release.
//!
//! Every query of the `releases`, `event_providers` and `events` tables is here. Each layer of a
//! KB (a user's file over the default) keeps its own releases and providers (a release's bit
//! is one layer's), so an event's texts are read from one layer: the user's when it has the
//! event, else the default's.

use crate::error::{Error, Result};
use crate::store::Kb;
use rusqlite::{params, OptionalExtension};
use serde::Serialize;
use std::cell::{OnceCell, RefCell};
use std::collections::HashMap;

/// A provider's id and spelling (name compared as `COLLATE NOCASE` does), in one layer
/// ([`Kb::layered_part`]).
const PROVIDER_SQL: &str = "SELECT id, name FROM @.event_providers WHERE name = ?1";

/// Every text of one event, by its range of ids (`crate::writer::event_id_range`), in
/// storing order, in one layer; the source id as [`Kb::layered`] queries give it.
const EVENT_TEXTS_SQL: &str = "SELECT id, text, releases, source + @source FROM @.events \
     WHERE id BETWEEN ?1 AND ?2 ORDER BY id";

/// One event text by its id, in one layer.
const EVENT_BY_ID_SQL: &str = "SELECT e.id, p.name, e.event_id, e.text, e.releases, \
     e.source + @source FROM @.events e JOIN @.event_providers p ON p.id = e.provider \
     WHERE e.id = ?1";

/// The releases of one layer.
const RELEASES_SQL: &str = "SELECT id, name, title, ordinal FROM @.releases ORDER BY ordinal, id";

/// A row of [`EVENT_TEXTS_SQL`] or [`EVENT_BY_ID_SQL`], before release names and source
/// labels are given to it.
struct EventRow {
    /// The layer it was read from.
    layer: usize,
    id: i64,
    provider: String,
    event_id: u16,
    text: String,
    releases: i64,
    source: i64,
}

impl EventRow {
    /// A row of [`EVENT_BY_ID_SQL`] of `layer`.
    fn from_row(layer: usize, r: &rusqlite::Row<'_>) -> rusqlite::Result<EventRow> {
        Ok(EventRow {
            layer,
            id: r.get(0)?,
            provider: r.get(1)?,
            event_id: r.get(2)?,
            text: r.get(3)?,
            releases: r.get(4)?,
            source: r.get(5)?,
        })
    }
}

/// A provider's id and spelling in one layer.
type ProviderRow = (i64, String);

/// What a KB reads once about its event texts (reset by every import).
#[derive(Default)]
pub(crate) struct EventsCache {
    /// The releases of every layer, oldest first, each name once.
    releases: OnceCell<Vec<Release>>,
    /// Providers looked up, by layer and name (ASCII lowercase, as `COLLATE NOCASE` folds):
    /// id and spelling, `None` when absent. A log names few providers, each for many events.
    providers: RefCell<HashMap<(usize, String), Option<ProviderRow>>>,
}

/// A Windows release the KB has event texts of.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Release {
    /// Its short name (`10-1703`).
    pub name: String,
    /// What it is in full (`Windows 10 1703 Enterprise x64, build 10.0.15063.0`).
    pub title: String,
    /// Where it sorts among releases, newer larger.
    pub ordinal: i64,
    /// Its bit in an event's set of releases, per layer (`None` in a layer without it).
    #[serde(skip)]
    bits: Vec<Option<i64>>,
}

impl Release {
    /// Whether set `set` of layer `layer` has the release.
    fn in_set(&self, layer: usize, set: i64) -> bool {
        self.bits
            .get(layer)
            .copied()
            .flatten()
            .is_some_and(|bit| set & bit != 0)
    }
}

/// One text of an event, with the releases that have it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EventText {
    /// The provider, as the newest release that has it spells it.
    pub provider: String,
    /// The event id.
    pub event_id: u16,
    /// The text as declared (`%1` inserts, `%%1058` parameters); empty when the event is
    /// declared without a message.
    pub text: String,
    /// The releases with this text, oldest first.
    pub releases: Vec<String>,
    /// `kit version` of the source.
    pub source: String,
    /// The row's id.
    #[serde(skip)]
    pub id: i64,
}

/// The text an event shows in one release, as [`Kb::event_message`] chooses it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EventMessage {
    /// The release whose text this is.
    pub release: String,
    /// The release asked for, when it has no text for the event (then `release` is the
    /// newest release that has one).
    pub not_in: Option<String>,
    /// The release's texts of the event, those in most releases first: one, or several when
    /// the release declares versions of the event with different texts. A single empty
    /// text: every release that has the event declares it without a message.
    pub texts: Vec<EventText>,
}

impl Kb {
    /// The Windows releases the KB has event texts of, oldest first, each name once over
    /// the layers (read once).
    pub fn releases(&self) -> Result<&[Release]> {
        if let Some(known) = self.events.releases.get() {
            return Ok(known);
        }
        let layers = self.layers().len();
        let mut releases: Vec<Release> = Vec::new();
        for layer in 0..layers {
            let mut stmt = self.conn.prepare(&self.layered_part(RELEASES_SQL, layer))?;
            let rows = stmt
                .query_map([], |r| {
                    Ok((
                        1i64 << (r.get::<_, i64>(0)? - 1),
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, i64>(3)?,
                    ))
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            for (bit, name, title, ordinal) in rows {
                match releases
                    .iter_mut()
                    .find(|r| r.name.eq_ignore_ascii_case(&name))
                {
                    Some(known) => known.bits[layer] = Some(bit),
                    None => {
                        let mut bits = vec![None; layers];
                        bits[layer] = Some(bit);
                        releases.push(Release {
                            name,
                            title,
                            ordinal,
                            bits,
                        });
                    }
                }
            }
        }
        releases.sort_by_key(|r| r.ordinal);
        Ok(self.events.releases.get_or_init(|| releases))
    }

    /// The release `--windows asked` names: the release called `asked`, else the newest of
    /// those whose name starts with `asked-` (`7` is `7-sp1`, `10` the newest `10-*`);
    /// letter case ignored. A name is matched whole first, so that every release can be
    /// named: `2012r2` is `2012r2`, `2012r2-u` its update. The error lists the names.
    pub fn resolve_release(&self, asked: &str) -> Result<Release> {
        let releases = self.releases()?;
        let asked_lower = asked.to_ascii_lowercase();
        let prefix = if asked_lower.ends_with('-') {
            asked_lower.clone()
        } else {
            format!("{asked_lower}-")
        };
        let found = releases
            .iter()
            .find(|r| r.name.eq_ignore_ascii_case(asked))
            .or_else(|| {
                releases
                    .iter()
                    .filter(|r| r.name.to_ascii_lowercase().starts_with(&prefix))
                    .max_by_key(|r| r.ordinal)
            });
        found.cloned().ok_or_else(|| Error::UnknownRelease {
            given: asked.to_string(),
            names: if releases.is_empty() {
                "(none: the KB has no event texts)".to_string()
            } else {
                releases
                    .iter()
                    .map(|r| r.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            },
        })
    }

    /// The names of the releases in set `set` of layer `layer`, oldest first.
    fn release_names(&self, layer: usize, set: i64) -> Result<Vec<String>> {
        Ok(self
            .releases()?
            .iter()
            .filter(|r| r.in_set(layer, set))
            .map(|r| r.name.clone())
            .collect())
    }

    /// `row` with its release names and source label.
    fn event_text_of(&self, row: EventRow) -> Result<EventText> {
        let source = self
            .source_labels()?
            .iter()
            .find(|(id, ..)| *id == row.source)
            .map(|(_, kit, version, _)| format!("{kit} {version}"))
            .unwrap_or_default();
        Ok(EventText {
            releases: self.release_names(row.layer, row.releases)?,
            id: row.id,
            provider: row.provider,
            event_id: row.event_id,
            text: row.text,
            source,
        })
    }

    /// The id and spelling of provider `name` in layer `layer`, looked up once.
    fn event_provider(&self, layer: usize, name: &str) -> Result<Option<ProviderRow>> {
        let key = (layer, name.to_ascii_lowercase());
        if let Some(known) = self.events.providers.borrow().get(&key) {
            return Ok(known.clone());
        }
        let mut stmt = self
            .conn
            .prepare_cached(&self.sql_once("event_provider", layer, || {
                self.layered_part(PROVIDER_SQL, layer)
            }))?;
        let found = stmt
            .query_row([name], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        self.events
            .providers
            .borrow_mut()
            .insert(key, found.clone());
        Ok(found)
    }

    /// The rows of `provider`'s event `event_id`, in storing order, of the first layer that
    /// has the event (the user's, else the default's).
    fn event_rows(&self, provider: &str, event_id: u16) -> Result<Vec<EventRow>> {
        for layer in 0..self.layers().len() {
            let Some((id, spelling)) = self.event_provider(layer, provider)? else {
                continue;
            };
            let mut stmt =
                self.conn
                    .prepare_cached(&self.sql_once("event_texts", layer, || {
                        self.layered_part(EVENT_TEXTS_SQL, layer)
                    }))?;
            let (first, last) = crate::writer::event_id_range(id, event_id);
            let rows = stmt
                .query_map(params![first, last], |r| {
                    Ok(EventRow {
                        layer,
                        id: r.get(0)?,
                        provider: spelling.clone(),
                        event_id,
                        text: r.get(1)?,
                        releases: r.get(2)?,
                        source: r.get(3)?,
                    })
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            if !rows.is_empty() {
                return Ok(rows);
            }
        }
        Ok(Vec::new())
    }

    /// Every text of `provider`'s event `event_id` (provider name compared without ASCII
    /// case), in the order they were stored.
    pub fn event_texts(&self, provider: &str, event_id: u16) -> Result<Vec<EventText>> {
        self.event_rows(provider, event_id)?
            .into_iter()
            .map(|row| self.event_text_of(row))
            .collect()
    }

    /// The text `provider`'s event `event_id` shows in release `release` (a release name, as
    /// [`Kb::resolve_release`] gives), or with `None` in the newest release that has a text
    /// for it. A release without a text for the event gives the newest release's, saying so
    /// in [`EventMessage::not_in`]. `None` when the KB has no text, not even an empty one,
    /// for the event.
    pub fn event_message(
        &self,
        provider: &str,
        event_id: u16,
        release: Option<&str>,
    ) -> Result<Option<EventMessage>> {
        let rows = self.event_rows(provider, event_id)?;
        if rows.is_empty() {
            return Ok(None);
        }
        // Texts count over declarations without one; without any, the declarations serve.
        let any_text = rows.iter().any(|r| !r.text.is_empty());
        let candidates: Vec<EventRow> = rows
            .into_iter()
            .filter(|r| !any_text || !r.text.is_empty())
            .collect();
        // The rows are one layer's (`event_rows`).
        let layer = candidates.first().map_or(0, |r| r.layer);
        let in_candidates = candidates.iter().fold(0, |set, r| set | r.releases);
        let releases = self.releases()?;
        let asked = release.and_then(|name| {
            releases
                .iter()
                .find(|r| r.name == name && r.in_set(layer, in_candidates))
        });
        let Some(chosen) = asked.or_else(|| {
            releases
                .iter()
                .rev()
                .find(|r| r.in_set(layer, in_candidates))
        }) else {
            return Ok(None);
        };
        let mut texts = candidates
            .into_iter()
            .filter(|r| chosen.in_set(layer, r.releases))
            .map(|row| self.event_text_of(row))
            .collect::<Result<Vec<_>>>()?;
        // Stable: among equals, the order of storing.
        texts.sort_by_key(|t| std::cmp::Reverse(t.releases.len()));
        Ok(Some(EventMessage {
            not_in: release.filter(|_| asked.is_none()).map(str::to_string),
            release: chosen.name.clone(),
            texts,
        }))
    }

    /// Full-text search over event texts and their `provider/event_id` names; every word of
    /// `text` must match (a word ending in `*` matches as a prefix). Best first, at most
    /// `limit`.
    pub fn search_events(&self, text: &str, limit: usize) -> Result<Vec<EventText>> {
        let words = crate::query::query_words(text);
        if words.is_empty() {
            return Ok(Vec::new());
        }
        let fts = words
            .iter()
            .map(|w| match w.strip_suffix('*') {
                Some(prefix) => format!("\"{prefix}\"*"),
                None => format!("\"{w}\""),
            })
            .collect::<Vec<_>>()
            .join(" ");
        let mut stmt = self.conn.prepare_cached(&self.layered(
            "SELECT event, @layer AS layer, rank FROM @.event_search WHERE event_search MATCH ?1",
            "ORDER BY rank LIMIT ?2",
        ))?;
        let ids = stmt
            .query_map(params![fts, limit as i64], |r| {
                Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)? as usize))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut hits = Vec::with_capacity(ids.len());
        for (id, layer) in ids {
            let row = self
                .conn
                .prepare_cached(&self.layered_part(EVENT_BY_ID_SQL, layer))?
                .query_row([id], |r| EventRow::from_row(layer, r))?;
            hits.push(self.event_text_of(row)?);
        }
        Ok(hits)
    }

    /// The names of the providers the KB has event texts of, each once over the layers
    /// (compared without ASCII case; the user's spelling first), sorted without case.
    pub fn event_provider_names(&self) -> Result<Vec<String>> {
        let mut stmt = self
            .conn
            .prepare_cached(&self.layered("SELECT name FROM @.event_providers", ""))?;
        let mut names = stmt
            .query_map([], |r| r.get::<_, String>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut seen = std::collections::HashSet::new();
        names.retain(|n| seen.insert(n.to_ascii_lowercase()));
        names.sort_by_key(|n| n.to_ascii_lowercase());
        Ok(names)
    }

    /// The providers that have event `event_id`, each once over the layers (compared
    /// without ASCII case), sorted without case. Read from the index `events_event_id`
    /// alone (a row's id holds its provider, `provider << 32 | ...`), never the texts: a KB
    /// written before that index (schema 4 without it) reads its whole table instead.
    pub fn event_providers_with_id(&self, event_id: u16) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare_cached(&self.layered(
            "SELECT p.name FROM @.events e JOIN @.event_providers p ON p.id = (e.id >> 32) \
             WHERE e.event_id = ?1",
            "",
        ))?;
        let mut names = stmt
            .query_map([i64::from(event_id)], |r| r.get::<_, String>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut seen = std::collections::HashSet::new();
        names.retain(|n| seen.insert(n.to_ascii_lowercase()));
        names.sort_by_key(|n| n.to_ascii_lowercase());
        Ok(names)
    }

    /// Prepares the event-text queries, as [`Kb::prepare_provider_queries`] does the
    /// others, and reads the releases.
    pub fn prepare_event_queries(&self) -> Result<()> {
        for layer in 0..self.layers().len() {
            drop(
                self.conn
                    .prepare_cached(&self.sql_once("event_provider", layer, || {
                        self.layered_part(PROVIDER_SQL, layer)
                    }))?,
            );
            drop(
                self.conn
                    .prepare_cached(&self.sql_once("event_texts", layer, || {
                        self.layered_part(EVENT_TEXTS_SQL, layer)
                    }))?,
            );
        }
        self.releases()?;
        Ok(())
    }
}
