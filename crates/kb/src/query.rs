//! Reading the KB: occurrences by name and value, name matching, full text, sources, diffs.

use crate::classify::scheme_of;
use crate::error::{Error, Result};
use crate::store::Kb;
use rusqlite::{params, Row};
use std::collections::BTreeMap;
use werr_codes::Scheme;
use werr_lang::LangRequest;

/// A source as stored.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SourceInfo {
    /// The KB's id of the source (import order).
    #[serde(skip)]
    pub id: i64,
    /// The kit.
    pub kit: String,
    /// The kit's version.
    pub version: String,
    /// Where the files came from.
    pub origin: String,
    /// Their license.
    pub license: String,
    /// How many definitions the source has.
    pub definitions: i64,
    /// How many messages the source has.
    pub messages: i64,
}

/// A heading comment and its code range.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct GroupInfo {
    /// The heading text.
    pub title: String,
    /// The smallest code (low 16 bits) under it.
    pub first: Option<u32>,
    /// The largest code (low 16 bits) under it.
    pub last: Option<u32>,
}

/// A group whose code range encloses a code, and where it is.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct EnclosingGroup {
    /// The group.
    #[serde(flatten)]
    pub group: GroupInfo,
    /// `kit version file` of the group.
    pub place: String,
}

/// One definition of a name in one file of one source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Occurrence {
    /// The name.
    pub name: String,
    /// The value, `None` when the definition could not be evaluated.
    pub value: Option<u32>,
    /// The C or metadata type.
    pub c_type: String,
    /// The category ("type").
    pub category: String,
    /// The source's id.
    pub source_id: i64,
    /// The source's kit.
    pub kit: String,
    /// The source's version.
    pub version: String,
    /// The file, relative to the source's root.
    pub file: String,
    /// 1-based line.
    pub line: u32,
    /// The whole definition line.
    pub definition: String,
    /// The value's expression as written.
    pub expression: String,
    /// The comment block before it.
    pub line_comments: Option<String>,
    /// The message text of the comment block.
    pub message_text: Option<String>,
    /// The group it sits under.
    pub group: Option<GroupInfo>,
    /// The metadata namespace, if any.
    pub namespace: Option<String>,
    /// The file's preamble (the "type description").
    pub preamble: Option<String>,
}

impl Occurrence {
    /// The code layout this definition's value follows, if any is known.
    pub fn scheme(&self) -> Option<Scheme> {
        self.value
            .and_then(|v| scheme_of(&self.name, &self.c_type, &self.category, v))
    }

    /// `kit version`, e.g. `mingw-w64 10.0.0`.
    pub fn source_label(&self) -> String {
        format!("{} {}", self.kit, self.version)
    }
}

/// The columns of an [`Occurrence`], for [`Kb::layered`] (`@.` is the layer's schema); the
/// result columns `source_id`, `path` and `line` order them.
const OCCURRENCE_SELECT: &str = "SELECT s.name, o.value, o.c_type, o.category, \
    src.id + @source AS source_id, src.kit, src.version, f.path AS path, o.line AS line, \
    o.definition, o.expression, o.line_comments, o.message_text, g.title, g.first, g.last, \
    o.namespace, f.preamble \
    FROM @.occurrences o JOIN @.symbols s ON s.id = o.symbol \
    JOIN @.sources src ON src.id = o.source JOIN @.files f ON f.id = o.file \
    LEFT JOIN @.groups g ON g.id = o.grp ";

/// The order of occurrences: by source (the user's first, then import order), file, line.
const OCCURRENCE_ORDER: &str = "ORDER BY source_id, path, line";

/// The columns of a [`MessageInfo`] ([`message_from`]) with the source's id and the layer.
pub(crate) const MESSAGE_SELECT: &str =
    "SELECT m.module AS module, m.message_id, m.langid AS langid, \
    m.text, src.kit, src.version, src.id + @source AS source_id, @layer AS layer \
    FROM @.messages m JOIN @.sources src ON src.id = m.source ";

fn occurrence_from(r: &Row<'_>) -> rusqlite::Result<Occurrence> {
    let title: Option<String> = r.get(13)?;
    Ok(Occurrence {
        name: r.get(0)?,
        value: r.get(1)?,
        c_type: r.get(2)?,
        category: r.get(3)?,
        source_id: r.get(4)?,
        kit: r.get(5)?,
        version: r.get(6)?,
        file: r.get(7)?,
        line: r.get(8)?,
        definition: r.get(9)?,
        expression: r.get(10)?,
        line_comments: r.get(11)?,
        message_text: r.get(12)?,
        group: match title {
            Some(title) => Some(GroupInfo {
                title,
                first: r.get(14)?,
                last: r.get(15)?,
            }),
            None => None,
        },
        namespace: r.get(16)?,
        preamble: r.get(17)?,
    })
}

/// How a name matched a name query.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NameMatch {
    /// The same name (letter case ignored).
    Exact,
    /// The name starts with the query.
    Prefix,
    /// The name contains the query.
    Substring,
    /// The name is close to the query (a typo).
    Fuzzy,
}

/// One message text.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct MessageInfo {
    /// The language tag (`en-US`).
    pub lang: String,
    /// The LANGID.
    pub langid: u16,
    /// The text.
    pub text: String,
    /// `kit version` of the source, and the module.
    pub source: String,
    /// The source's kit alone (`reactos`).
    #[serde(skip)]
    pub kit: String,
    /// The module (DLL or provider).
    #[serde(skip)]
    pub module: String,
    /// The message id.
    #[serde(skip)]
    pub message_id: u32,
    /// The KB's id of the source: a user's sources (over the default) sort first.
    #[serde(skip)]
    pub source_id: i64,
}

/// A hit of a full-text search.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SearchHit {
    /// A definition whose name or comments match.
    Definition(Box<Occurrence>),
    /// A message text that matches.
    Message(MessageInfo),
}

/// The differences between two sources.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct SourceDiff {
    /// Names only the second source defines, with their values.
    pub added: Vec<(String, Option<u32>)>,
    /// Names only the first source defines.
    pub removed: Vec<(String, Option<u32>)>,
    /// Names both define with different values: (name, old, new).
    pub changed: Vec<(String, Option<u32>, Option<u32>)>,
}

impl Kb {
    /// Every source, in import order.
    pub fn sources(&self) -> Result<Vec<SourceInfo>> {
        let mut stmt = self.conn.prepare(&self.layered(
            "SELECT s.id + @source AS id, s.kit, s.version, s.origin, s.license, \
             (SELECT count(*) FROM @.occurrences WHERE source = s.id), \
             (SELECT count(*) FROM @.messages WHERE source = s.id) FROM @.sources s",
            "ORDER BY id",
        ))?;
        let rows = stmt
            .query_map([], |r| {
                Ok(SourceInfo {
                    id: r.get(0)?,
                    kit: r.get(1)?,
                    version: r.get(2)?,
                    origin: r.get(3)?,
                    license: r.get(4)?,
                    definitions: r.get(5)?,
                    messages: r.get(6)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// Every definition of `name` (exact, letter case kept), in source order.
    pub fn occurrences_of(&self, name: &str) -> Result<Vec<Occurrence>> {
        let mut stmt = self.conn.prepare_cached(&self.layered(
            &format!("{OCCURRENCE_SELECT} WHERE s.name = ?1"),
            OCCURRENCE_ORDER,
        ))?;
        let rows = stmt
            .query_map([name], occurrence_from)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// Every definition whose value is `value`, in source order.
    pub fn occurrences_with_value(&self, value: u32) -> Result<Vec<Occurrence>> {
        let mut stmt = self.conn.prepare_cached(&self.layered(
            &format!("{OCCURRENCE_SELECT} WHERE o.value = ?1"),
            OCCURRENCE_ORDER,
        ))?;
        let rows = stmt
            .query_map([value], occurrence_from)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// The definitions whose value is `value`, with only what a lookup line needs (name,
    /// value, types, source, file, expression, message text); the other fields are empty.
    pub fn lookup_hits(&self, value: u32) -> Result<Vec<Occurrence>> {
        Ok(self
            .lookup_hits_for(&[value])?
            .remove(&value)
            .unwrap_or_default())
    }

    /// [`Kb::lookup_hits`] for several values in one statement, by value. One statement
    /// matters: SQLite compiles a statement again when it runs with another value bound, and
    /// compiling is most of what a `werr 0x...` process does.
    pub fn lookup_hits_for(
        &self,
        values: &[u32],
    ) -> Result<std::collections::HashMap<u32, Vec<Occurrence>>> {
        let mut out: std::collections::HashMap<u32, Vec<Occurrence>> = Default::default();
        if values.is_empty() {
            return Ok(out);
        }
        let sources = self.source_labels()?;
        // Numbered, so that every layer's part of the compound query reads the same values.
        let placeholders = (1..=values.len())
            .map(|i| format!("?{i}"))
            .collect::<Vec<_>>()
            .join(", ");
        let mut stmt = self.conn.prepare(&self.layered(
            &format!(
                "SELECT s.name, o.c_type, o.category, o.source + @source AS source_id, \
                 o.expression, o.message_text, f.path AS path, o.value, o.line AS line \
                 FROM @.occurrences o JOIN @.symbols s ON s.id = o.symbol \
                 JOIN @.files f ON f.id = o.file WHERE o.value IN ({placeholders})"
            ),
            OCCURRENCE_ORDER,
        ))?;
        let rows = stmt.query_map(rusqlite::params_from_iter(values.iter()), |r| {
            let source_id: i64 = r.get(3)?;
            let (kit, version) = sources
                .iter()
                .find(|(id, ..)| *id == source_id)
                .map(|(_, k, v, _)| (k.clone(), v.clone()))
                .unwrap_or_default();
            let value: u32 = r.get(7)?;
            Ok(Occurrence {
                name: r.get(0)?,
                value: Some(value),
                c_type: r.get(1)?,
                category: r.get(2)?,
                source_id,
                kit,
                version,
                file: r.get(6)?,
                line: 0,
                definition: String::new(),
                expression: r.get(4)?,
                line_comments: None,
                message_text: r.get(5)?,
                group: None,
                namespace: None,
                preamble: None,
            })
        })?;
        for row in rows {
            let o = row?;
            if let Some(v) = o.value {
                out.entry(v).or_default().push(o);
            }
        }
        Ok(out)
    }

    /// (id, kit, version, whether the KB has any message) of every source, read once per KB.
    /// The last field is one constant subquery, not a per-source `EXISTS`: messages have no
    /// index by source, and a per-source `EXISTS` scans them for every source that has none
    /// (the header sources) at every lookup (BENCHMARKS.md, "Issue 19").
    pub(crate) fn source_labels(&self) -> Result<&[crate::store::SourceLabel]> {
        if let Some(s) = self.source_labels.get() {
            return Ok(s);
        }
        let mut stmt = self.conn.prepare(&self.layered(
            "SELECT id + @source, kit, version, (SELECT EXISTS (SELECT 1 FROM @.messages)) \
             FROM @.sources",
            "",
        ))?;
        let rows = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(self.source_labels.get_or_init(|| rows))
    }

    /// Whether the KB has any message text.
    pub fn has_messages(&self) -> Result<bool> {
        Ok(self.source_labels()?.iter().any(|s| s.3))
    }

    /// Names that match `query`: exact (case ignored), prefix, substring, and, when none of
    /// those match, names close to it (typos), best first; at most `limit`.
    pub fn match_names(&self, query: &str, limit: usize) -> Result<Vec<(String, NameMatch)>> {
        if query.chars().count() > MAX_NAME_QUERY_CHARS {
            return Ok(Vec::new());
        }
        let mut out: Vec<(String, NameMatch)> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        let escaped = query
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_");
        let like = self.layered(
            "SELECT name, length(name) AS size FROM @.symbols WHERE name LIKE ?1 ESCAPE '\\'",
            "ORDER BY size, name LIMIT 200",
        );
        let queries = [
            (
                self.layered(
                    "SELECT name, 0 FROM @.symbols WHERE name = ?1 COLLATE NOCASE",
                    "ORDER BY name",
                ),
                query.to_string(),
                NameMatch::Exact,
            ),
            (like.clone(), format!("{escaped}%"), NameMatch::Prefix),
            (like, format!("%{escaped}%"), NameMatch::Substring),
        ];
        for (sql, arg, how) in queries {
            let mut stmt = self.conn.prepare_cached(&sql)?;
            let names = stmt
                .query_map([&arg], |r| r.get::<_, String>(0))?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            for n in names {
                if seen.insert(n.clone()) {
                    out.push((n, how));
                }
            }
            if out.len() >= limit {
                out.truncate(limit);
                return Ok(out);
            }
        }
        if out.is_empty() && query.len() >= 3 {
            let upper = query.to_ascii_uppercase();
            // A name more edits longer or shorter than a typo allows is no candidate: leaving
            // those out before any comparison keeps the scan of every name short.
            let most_edits = 2 + upper.len() / 8;
            let mut stmt = self.conn.prepare_cached(&self.layered(
                "SELECT name FROM @.symbols WHERE length(name) BETWEEN ?1 AND ?2",
                "",
            ))?;
            // Jaro-Winkler picks the candidates cheaply; the edit distance (with
            // transpositions) orders them, as a typo is a few edits.
            let shortest = upper.len().saturating_sub(most_edits) as i64;
            let longest = (upper.len() + most_edits) as i64;
            let mut scored: Vec<(usize, f64, String)> = Vec::new();
            for name in stmt.query_map([shortest, longest], |r| r.get::<_, String>(0))? {
                // An error (a query stopped by its deadline) ends the scan with it.
                let name = name?;
                let candidate = name.to_ascii_uppercase();
                let similarity = strsim::jaro_winkler(&upper, &candidate);
                if similarity < 0.85 {
                    continue;
                }
                let edits = strsim::damerau_levenshtein(&upper, &candidate);
                if edits <= most_edits {
                    scored.push((edits, similarity, name));
                }
            }
            scored.sort_by(|a, b| {
                a.0.cmp(&b.0)
                    .then_with(|| b.1.total_cmp(&a.1))
                    .then_with(|| a.2.cmp(&b.2))
            });
            out.extend(
                scored
                    .into_iter()
                    .take(limit)
                    .map(|(_, _, n)| (n, NameMatch::Fuzzy)),
            );
        }
        Ok(out)
    }

    /// The message texts with id `message_id`, in every language.
    pub fn messages_for(&self, message_id: u32) -> Result<Vec<MessageInfo>> {
        let mut stmt = self.conn.prepare_cached(&self.layered(
            &format!("{MESSAGE_SELECT} WHERE m.message_id = ?1"),
            "ORDER BY source_id, module, langid",
        ))?;
        let rows = stmt
            .query_map([message_id], message_from)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// The message texts that belong to `name`: the messages a message file names `name`
    /// (its SymbolicName, in any layer), of that module or one that carries the same table
    /// ([`crate::modules::same_table`]), in every language. A constant that only shares a
    /// message's value gets none of its texts. Sorted by source, module and LANGID; a text
    /// found twice (the same language and words) is kept once.
    pub fn messages_named(&self, name: &str) -> Result<Vec<MessageInfo>> {
        let mut named: Vec<(String, u32)> = self
            .conn
            .prepare_cached(&self.layered(
                "SELECT module, message_id FROM @.message_names WHERE name = ?1",
                "",
            ))?
            .query_map([name], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        if named.is_empty() {
            return Ok(Vec::new());
        }
        named.sort_by(|a, b| {
            a.0.to_ascii_lowercase()
                .cmp(&b.0.to_ascii_lowercase())
                .then(a.1.cmp(&b.1))
        });
        named.dedup_by(|a, b| a.0.eq_ignore_ascii_case(&b.0) && a.1 == b.1);
        let mut stmt = self.conn.prepare_cached(&self.layered(
            &format!("{MESSAGE_SELECT} WHERE m.module = ?1 COLLATE NOCASE AND m.message_id = ?2"),
            "ORDER BY source_id, module, langid",
        ))?;
        let mut texts: Vec<MessageInfo> = Vec::new();
        for (module, id) in &named {
            for carrier in crate::modules::same_table(module) {
                for m in stmt.query_map(params![carrier, id], message_from)? {
                    let m = m?;
                    if !texts
                        .iter()
                        .any(|t| t.langid == m.langid && t.text == m.text)
                    {
                        texts.push(m);
                    }
                }
            }
        }
        Ok(texts)
    }

    /// Full-text search over names, line comments and message texts; every word of `text`
    /// must match (a word ending in `*` matches as a prefix). Message texts only in the
    /// languages `request` accepts ([`LangRequest::accepts`]; all for [`LangRequest::ANY`]).
    /// Best first, at most `limit`.
    pub fn search(
        &self,
        text: &str,
        request: &LangRequest,
        limit: usize,
    ) -> Result<Vec<SearchHit>> {
        let words = query_words(text);
        if words.is_empty() {
            return Ok(Vec::new());
        }
        // The words as one phrase first (Windows' wording as pasted), then every word anywhere.
        let mut queries = Vec::new();
        if words.len() > 1 && words.iter().all(|w| !w.ends_with('*')) {
            queries.push(format!("\"{}\"", words.join(" ")));
        }
        queries.push(
            words
                .iter()
                .map(|w| match w.strip_suffix('*') {
                    Some(prefix) => format!("\"{prefix}\"*"),
                    None => format!("\"{w}\""),
                })
                .collect::<Vec<_>>()
                .join(" "),
        );
        let mut stmt = self.conn.prepare_cached(&self.layered(
            "SELECT kind, ref, @layer AS layer, rank FROM @.search WHERE search MATCH ?1",
            "ORDER BY rank LIMIT ?2",
        ))?;
        // (phase, kind, ref, layer): phrase hits are phase 0.
        let mut refs: Vec<(usize, String, i64, usize)> = Vec::new();
        for (phase, fts) in queries.iter().enumerate() {
            let found = stmt
                .query_map(params![fts, (limit * 4) as i64], |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, i64>(1)?,
                        r.get::<_, i64>(2)? as usize,
                    ))
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            for (kind, id, layer) in found {
                if !refs
                    .iter()
                    .any(|(_, k, i, l)| *k == kind && *i == id && *l == layer)
                {
                    refs.push((phase, kind, id, layer));
                }
            }
        }
        let layers = self.layers();
        let by_id = |select: &str, layer: usize| {
            let part = self.layered_part(select, layer);
            self.conn.prepare_cached(&part)
        };
        let labels = self.source_labels()?;
        let kit_of = |source_id: i64| {
            labels
                .iter()
                .find(|l| l.0 == source_id)
                .map_or("", |l| l.1.as_str())
        };
        // (phase, text rank of the source, position) orders the hits: within the phrase hits
        // and within the others, Microsoft's own wording first, then the full-text rank.
        let mut ranked: Vec<((usize, u8, usize), SearchHit)> = Vec::new();
        let mut seen_names = std::collections::HashSet::new();
        for (position, (phase, kind, id, layer)) in refs.into_iter().enumerate() {
            if layer >= layers.len() {
                continue;
            }
            if kind == "o" {
                let o = by_id(&format!("{OCCURRENCE_SELECT} WHERE o.id = ?1"), layer)?
                    .query_row([id], occurrence_from)?;
                if seen_names.insert(o.name.clone()) {
                    let rank = crate::authority::text_rank(&o.kit);
                    ranked.push(((phase, rank, position), SearchHit::Definition(Box::new(o))));
                }
            } else {
                let m = by_id(&format!("{MESSAGE_SELECT} WHERE m.id = ?1"), layer)?
                    .query_row([id], message_from)?;
                if request.is_any() || request.accepts(m.langid) {
                    let rank = crate::authority::text_rank(kit_of(m.source_id));
                    ranked.push(((phase, rank, position), SearchHit::Message(m)));
                }
            }
        }
        ranked.sort_by_key(|(key, _)| *key);
        Ok(ranked.into_iter().take(limit).map(|(_, hit)| hit).collect())
    }

    /// The source `kit@version` (or `kit` when the KB has one version of it).
    pub fn find_source(&self, spec: &str) -> Result<SourceInfo> {
        let sources = self.sources()?;
        let (kit, version) = match spec.split_once('@') {
            Some((k, v)) => (k, Some(v)),
            None => (spec, None),
        };
        let matching: Vec<&SourceInfo> = sources
            .iter()
            .filter(|s| s.kit == kit && version.is_none_or(|v| s.version == v))
            .collect();
        match matching.as_slice() {
            [one] => Ok((*one).clone()),
            _ => Err(Error::UnknownSource(
                spec.to_string(),
                sources
                    .iter()
                    .map(|s| format!("{}@{}", s.kit, s.version))
                    .collect::<Vec<_>>()
                    .join(", "),
            )),
        }
    }

    /// The names added, removed and changed (in value) from source `old` to source `new`.
    pub fn diff(&self, old: &SourceInfo, new: &SourceInfo) -> Result<SourceDiff> {
        let a = self.values_of_source(old.id)?;
        let b = self.values_of_source(new.id)?;
        let mut diff = SourceDiff::default();
        for (name, va) in &a {
            match b.get(name) {
                None => diff.removed.push((name.clone(), *va)),
                Some(vb) if vb != va => diff.changed.push((name.clone(), *va, *vb)),
                Some(_) => {}
            }
        }
        for (name, vb) in &b {
            if !a.contains_key(name) {
                diff.added.push((name.clone(), *vb));
            }
        }
        Ok(diff)
    }

    /// Each name of a source with the value of its first definition.
    fn values_of_source(&self, source: i64) -> Result<BTreeMap<String, Option<u32>>> {
        let (schema, source) = self.source_in_layer(source);
        let mut stmt = self.conn.prepare(&format!(
            "SELECT s.name, o.value FROM {schema}.occurrences o \
             JOIN {schema}.symbols s ON s.id = o.symbol WHERE o.source = ?1 \
             ORDER BY o.file DESC, o.line DESC, o.id DESC"
        ))?;
        let mut map = BTreeMap::new();
        let rows = stmt.query_map([source], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, Option<u32>>(1)?))
        })?;
        for row in rows {
            let (name, value) = row?;
            // Descending file order: the last row wins, which is the first definition.
            map.insert(name, value);
        }
        Ok(map)
    }

    /// The named codes nearest to `value` with the same upper 16 bits (severity, facility):
    /// the closest below and the closest above, each with every name it carries.
    pub fn neighbours(&self, value: u32) -> Result<Vec<Occurrence>> {
        let high = value & 0xFFFF_0000;
        let mut out = Vec::new();
        let nearest = |select: &str, from: u32, to: u32| -> Result<Option<u32>> {
            let sql = format!(
                "SELECT {select}(v) FROM ({})",
                self.layered(
                    &format!(
                        "SELECT {select}(value) AS v FROM @.occurrences \
                         WHERE value >= ?1 AND value <= ?2"
                    ),
                    ""
                )
            );
            Ok(self
                .conn
                .prepare_cached(&sql)?
                .query_row(params![from, to], |r| r.get(0))?)
        };
        let below = match value.checked_sub(1) {
            Some(to) if to >= high => nearest("max", high, to)?,
            _ => None,
        };
        let above = match value.checked_add(1) {
            Some(from) if from <= (high | 0xFFFF) => nearest("min", from, high | 0xFFFF)?,
            _ => None,
        };
        for v in [below, above].into_iter().flatten() {
            let mut seen = std::collections::HashSet::new();
            for o in self.occurrences_with_value(v)? {
                if seen.insert(o.name.clone()) {
                    out.push(o);
                }
            }
        }
        Ok(out)
    }

    /// The groups of `value`'s nearest named neighbours whose code range holds its low 16
    /// bits: the group the code would sit in.
    pub fn enclosing_groups(&self, value: u32) -> Result<Vec<EnclosingGroup>> {
        let code = value & 0xFFFF;
        let mut out: Vec<EnclosingGroup> = Vec::new();
        for o in self.neighbours(value)? {
            let Some(g) = o.group else { continue };
            let inside = g.first.is_some_and(|f| f <= code) && g.last.is_some_and(|l| l >= code);
            let place = format!("{} {} {}", o.kit, o.version, o.file);
            if inside && !out.iter().any(|e| e.group == g && e.place == place) {
                out.push(EnclosingGroup { group: g, place });
            }
        }
        Ok(out)
    }
}

/// The first of `texts` in the language `request` chooses among theirs
/// ([`LangRequest::choose`]), with the choice; `None` when there are no texts.
pub(crate) fn chosen_text<'t>(
    texts: &'t [MessageInfo],
    request: &LangRequest,
) -> Option<(&'t MessageInfo, werr_lang::Choice)> {
    let available: Vec<u16> = texts.iter().map(|m| m.langid).collect();
    let choice = request.choose(&available)?;
    let text = texts.iter().find(|m| m.langid == choice.langid)?;
    Some((text, choice))
}

/// A message row: module, message_id, langid, text, kit, version, source id (in that order,
/// as [`MESSAGE_SELECT`] gives them).
pub(crate) fn message_from(r: &Row<'_>) -> rusqlite::Result<MessageInfo> {
    let langid: u16 = r.get(2)?;
    let module: String = r.get(0)?;
    let kit: String = r.get(4)?;
    let version: String = r.get(5)?;
    Ok(MessageInfo {
        lang: werr_lang::tag_of(langid),
        langid,
        text: r.get(3)?,
        source: format!("{kit} {version} {module}"),
        kit,
        module,
        message_id: r.get(1)?,
        source_id: r.get(6)?,
    })
}

/// The longest text matched against names: the longest name has under 100 characters, and
/// a longer text would only cost scans (SQLite refuses LIKE patterns past 50,000 bytes).
pub(crate) const MAX_NAME_QUERY_CHARS: usize = 256;

/// The most words a full-text query uses: each word costs a pass over its index entries.
pub(crate) const MAX_QUERY_WORDS: usize = 16;

/// The fewest characters a prefix search takes before its `*`: a one-letter prefix matches
/// most of the index, so sixteen of them made a search cost as much as a scan of every text.
pub(crate) const MIN_PREFIX_CHARS: usize = 2;

/// The words of a user's text as a full-text query takes them: letters and digits (a `_` splits,
/// as names are indexed by their parts), a trailing `*` kept for a prefix search of at least
/// [`MIN_PREFIX_CHARS`] (a shorter one is read as the word itself); each word once, at most
/// [`MAX_QUERY_WORDS`].
pub(crate) fn query_words(text: &str) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    for w in text
        .split(|c: char| !(c.is_alphanumeric() || c == '*' || c == '_'))
        .flat_map(|w| w.split('_'))
    {
        let word = w.trim_matches('*').to_lowercase();
        let prefix = w.ends_with('*') && word.chars().count() >= MIN_PREFIX_CHARS;
        if word.is_empty() {
            continue;
        }
        let word = if prefix { format!("{word}*") } else { word };
        if !words.contains(&word) {
            words.push(word);
        }
        if words.len() == MAX_QUERY_WORDS {
            break;
        }
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_words_are_distinct_capped_and_prefixes_long_enough() {
        assert_eq!(
            query_words("Access  access ACCESS denied"),
            ["access", "denied"]
        );
        assert_eq!(query_words(&"e ".repeat(128)), ["e"]);
        let many: String = (0..1600).map(|i| format!("w{i} ")).collect();
        assert_eq!(query_words(&many).len(), MAX_QUERY_WORDS);
        assert_eq!(
            query_words("ERROR_ACCESS_DENIED"),
            ["error", "access", "denied"]
        );
        assert_eq!(query_words("acc* de*"), ["acc*", "de*"]);
        // A one-letter prefix would match most of the index: it is read as the letter.
        assert_eq!(query_words("a* e* b"), ["a", "e", "b"]);
    }
}
