//! What werr answers: [`Record`] (the full page of one name, `werr show`), [`Match`] (one
//! line of `werr lookup`) and [`Unnamed`] (a code no source names).

use crate::error::Result;
use crate::query::{chosen_text, GroupInfo, MessageInfo, NameMatch, Occurrence};
use crate::store::Kb;
use serde::Serialize;
use werr_codes::{parse_value, readings, HexString, Reading, Scheme, ValueForms};
use werr_lang::{Choice, LangRequest};

/// Where a name is defined.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DefinedAt {
    /// The kit.
    pub source: String,
    /// The kit's version.
    pub version: String,
    /// The file within the kit.
    pub file: String,
    /// 1-based line.
    pub line: u32,
    /// The whole definition line.
    pub definition: String,
    /// The value there (`0x%08X`), absent when it could not be evaluated.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<HexString>,
    /// The metadata namespace, for sources that have one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
}

/// Where a record's description was read: the definition that gives it, and the terms of
/// its source, for the credit a license asks for (Microsoft's documentation, CC BY 4.0:
/// the source and the page's path).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TextSource {
    /// The kit.
    pub source: String,
    /// The kit's version.
    pub version: String,
    /// The file within the kit (a documentation page's path in its repository).
    pub file: String,
    /// 1-based line.
    pub line: u32,
    /// Where the source's files came from (for documentation: the credit line, repository,
    /// commit and folder).
    pub origin: String,
    /// The license of the source's facts.
    pub license: String,
}

/// Whose text a lookup line shows ([`Match::description_from`]), for the credit some
/// licenses ask for wherever the text is shown (Microsoft's documentation, CC BY 4.0: the
/// source and the page's path): the source, the file (a page's path, a message module) and
/// the source's license.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TextCredit {
    /// The kit.
    pub source: String,
    /// The kit's version.
    pub version: String,
    /// The file within the kit (a documentation page's path, a message module).
    pub file: String,
    /// The license of the source's facts.
    pub license: String,
}

/// Another source that defines the same name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AlsoUsedIn {
    /// The kit.
    pub source: String,
    /// The kit's version.
    pub version: String,
    /// The value there, present only when it differs from the record's.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<HexString>,
}

/// The bit fields of the record's value under its layout.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Layout {
    /// The layout (`message`, `hresult`, `ntstatus`, `win32`).
    pub scheme: Scheme,
    /// The severity field.
    pub severity: Option<u32>,
    /// The severity's name (`Warning`).
    pub severity_name: Option<&'static str>,
    /// The customer bit.
    pub customer: Option<u32>,
    /// The reserved bit (R; in an HRESULT the bit after S).
    pub reserved: Option<u32>,
    /// The facility.
    pub facility: Option<u32>,
    /// The facility's name.
    pub facility_name: Option<&'static str>,
    /// The code (low 16 bits).
    pub code: u32,
    /// The filled-in bit diagram.
    pub bit_box: String,
}

impl Layout {
    /// The fields of `value` under `scheme`.
    pub fn of(scheme: Scheme, value: u32) -> Layout {
        let r = Reading::new(scheme, value);
        Layout {
            scheme,
            severity: r.field("severity"),
            severity_name: r.severity_name,
            customer: r.field("customer"),
            reserved: r.field("reserved"),
            facility: r.field("facility"),
            facility_name: r.facility_name,
            code: value & 0xFFFF,
            bit_box: r.bit_box(),
        }
    }
}

/// A named code related to the record's by an SDK conversion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RelatedName {
    /// The relation as an expression (`0x80070005 = HRESULT_FROM_WIN32(ERROR_ACCESS_DENIED)`).
    pub relation: String,
    /// The related name.
    pub name: String,
    /// The related value.
    pub value: HexString,
}

/// Everything the KB knows about one name: every field of the seed page
/// (`werr show NAME --json`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Record {
    /// The name.
    pub name: String,
    /// The value in its three forms; `null` when no source's definition could be evaluated.
    pub value: Option<ValueForms>,
    /// The category (the seed's "Type").
    #[serde(rename = "type")]
    pub category: String,
    /// The C type.
    pub c_type: String,
    /// The message text: the English text whose source leads ([`crate::authority`]), the text
    /// in the language asked for, else a message table's text named for it.
    pub description: Option<String>,
    /// Where the description was read, when a source's definition gives it (`null` when it
    /// comes from a message table: [`Record::messages`] name their source).
    pub description_source: Option<TextSource>,
    /// Every definition, the record's own first.
    pub defined_at: Vec<DefinedAt>,
    /// The comment block before the record's definition.
    pub line_comments: Option<String>,
    /// The group the definition sits under, with its code range.
    pub group: Option<GroupInfo>,
    /// The other sources that define the name.
    pub also_used_in: Vec<AlsoUsedIn>,
    /// The value's bit fields under its layout.
    pub layout: Option<Layout>,
    /// The header's description of its codes (the seed's "Type description").
    pub type_description: Option<String>,
    /// Message texts with this id: in every language the KB has, or, when a language was
    /// asked for, in the one [`LangRequest::choose`] picks.
    pub messages: Vec<MessageInfo>,
    /// Named codes related by SDK conversions (HRESULT_FROM_WIN32...).
    pub related: Vec<RelatedName>,
    /// The language of `messages` (and of the description taken from them), when one was
    /// asked for and the KB has texts.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub language: Option<TextLanguage>,
}

/// Which language a record's texts are in, against the one asked for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TextLanguage {
    /// The languages asked for, most wanted first (`de-AT`).
    pub asked: String,
    /// The language shown (`de`).
    pub shown: String,
    /// When no text is in an asked language: what to tell the reader
    /// (`no text in ja; showing en-US`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fallback_note: Option<String>,
}

impl TextLanguage {
    fn of(request: &LangRequest, choice: &Choice) -> TextLanguage {
        TextLanguage {
            asked: request.to_string(),
            shown: choice.tag(),
            fallback_note: choice.fallback_note(),
        }
    }
}

/// The `texts` in the language `request` chooses and the choice; every text and no choice
/// when nothing is asked.
fn in_asked_language(
    texts: Vec<MessageInfo>,
    request: &LangRequest,
) -> (Vec<MessageInfo>, Option<Choice>) {
    if request.is_any() {
        return (texts, None);
    }
    request.select(texts, |m| m.langid)
}

/// The message text a message id selects ([`Kb::best_message`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MessageChoice {
    /// The text in the chosen language, and how that language was chosen.
    Found(MessageInfo, Choice),
    /// No message has the id itself, and several ids have it as their low 16 bits.
    Ambiguous(Vec<u32>),
    /// No message has the id.
    NotFound,
}

/// How a lookup line relates to the query.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum MatchReason {
    /// The name's value is the queried value.
    Value {
        /// How the query's text was read (`hex`, `decimal`...).
        read_as: werr_codes::NumberForm,
    },
    /// The name's value converts to or from the queried value.
    Related {
        /// The relation as an expression.
        relation: String,
    },
    /// The name matches the queried text.
    Name {
        /// How.
        how: NameMatch,
    },
}

/// One line of `werr lookup`: a name that answers a query.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Match {
    /// The query it answers.
    pub query: String,
    /// The name.
    pub name: String,
    /// Its value.
    pub value: Option<ValueForms>,
    /// Why it matched.
    pub reason: MatchReason,
    /// Its layout, if known.
    pub scheme: Option<Scheme>,
    /// Its category.
    #[serde(rename = "type")]
    pub category: String,
    /// Its message text, if any: the English text of the source whose wording leads
    /// ([`crate::authority`]), or the text in the language asked for.
    pub description: Option<String>,
    /// Where the description comes from (`kit version file`), for its attribution.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description_from: Option<String>,
    /// The sources that define it (`kit version`), in import order.
    pub sources: Vec<String>,
    /// Whether it is part of the answer (Windows' own name for the value, with its text),
    /// as opposed to the other names a presenter may fold ([`Kb::lookup`]).
    pub lead: bool,
    /// The rank (higher is better).
    #[serde(skip)]
    pub score: i64,
    /// The [`crate::authority::text_rank`] of the description's source.
    #[serde(skip)]
    pub text_rank: Option<u8>,
    /// Whether a table of every Windows code defines it: an SDK code header (winerror.h,
    /// ntstatus.h...) or [MS-ERREF]; the other names of a value are those of one component.
    #[serde(skip)]
    pub universal: bool,
}

/// What the KB says about a code no source names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unnamed {
    /// The value.
    pub value: ValueForms,
    /// Its readings under every layout, most plausible first.
    pub readings: Vec<Reading>,
    /// Groups whose range encloses the code, with their place (`kit version file`).
    pub enclosing_groups: Vec<crate::query::EnclosingGroup>,
    /// The nearest named codes with the same upper 16 bits.
    pub neighbours: Vec<Neighbour>,
}

/// A named code near an unnamed one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Neighbour {
    /// The name.
    pub name: String,
    /// Its value.
    pub value: HexString,
    /// Its distance (its value minus the queried one).
    pub distance: i64,
}

/// A message text as the seed page's Description shows it: the lines of each paragraph
/// (paragraphs end at empty lines) joined by spaces.
fn one_paragraph_per_block(text: &str) -> String {
    text.split("\n\n")
        .map(|p| {
            p.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .collect::<Vec<_>>()
                .join(" ")
        })
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// The primary language id of English (`LANG_ENGLISH`, the low 10 bits of a LANGID).
const LANG_ENGLISH: u16 = 0x09;

/// Whether a text in `langid` replaces the definitions' texts, which are English: a text in
/// another language the reader asked for does.
fn replaces_english(langid: u16) -> bool {
    langid & 0x3FF != LANG_ENGLISH
}

/// The definition whose text leads (see [`crate::authority`]): the lowest text rank, the
/// first of equals.
fn leading_text(occ: &[Occurrence]) -> Option<&Occurrence> {
    occ.iter()
        .filter(|o| text_of(o).is_some())
        .min_by_key(|o| crate::authority::text_rank(&o.kit))
}

/// The text of definition `o`, unless it only repeats the name (ReactOS's bugcodes.mc gives
/// each bug check its name as text): that says nothing.
fn text_of(o: &Occurrence) -> Option<&str> {
    o.message_text
        .as_deref()
        .filter(|text| text.trim() != o.name)
}

/// Whether definition `o` is in one of the SDK's code headers (winerror.h, ntstatus.h...).
fn in_code_header(o: &Occurrence) -> bool {
    let base = o.file.rsplit(['/', '\\']).next().unwrap_or(&o.file);
    werr_headers::CODE_HEADERS
        .iter()
        .any(|h| h.eq_ignore_ascii_case(base))
}

/// `kit version file` of a definition: where its text comes from.
fn text_place(o: &Occurrence) -> String {
    format!("{} {} {}", o.kit, o.version, o.file)
}

/// Describes how `related` converts to `value` (the queried value), as an expression.
fn relation_text(relation: &str, queried: u32, name: &str) -> Option<String> {
    if let Some(mac) = relation.strip_suffix(" of") {
        // queried = MAC(related)
        return Some(format!("0x{queried:08X} = {mac}({name})"));
    }
    if relation
        .chars()
        .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
    {
        // related = MAC(queried)
        return Some(if queried <= 0xFFFF {
            format!("{name} = {relation}({queried})")
        } else {
            format!("{name} = {relation}(0x{queried:08X})")
        });
    }
    None
}

fn plausibility(scheme: Option<Scheme>, value: u32) -> i64 {
    let Some(s) = scheme else { return -20 };
    match readings(value).iter().position(|r| r.scheme == s) {
        Some(i) => 50 - 10 * i as i64,
        None => -50,
    }
}

impl Kb {
    /// The full record of `name` (exact; letter case ignored when no exact match),
    /// `None` when no source defines it. With a language asked, the messages are those in
    /// the language `request` chooses, and the description is their text when that is an
    /// asked language (else the header's, as without one); [`LangRequest::ANY`] keeps every
    /// language.
    pub fn record(&self, name: &str, request: &LangRequest) -> Result<Option<Record>> {
        let mut occ = self.occurrences_of(name)?;
        if occ.is_empty() {
            if let Some((n, _)) = self
                .match_names(name, 1)?
                .into_iter()
                .find(|(_, how)| *how == NameMatch::Exact)
            {
                occ = self.occurrences_of(&n)?;
            }
        }
        // The record's own definition: the first (in source order) that has a value and
        // line comments (the fullest page, as the seed page's WDK definition), else the first
        // with a value in one of the SDK's code headers (winerror.h before mingw's error.h),
        // else the first that has a value.
        // The user's own definitions (they come first) are chosen from before the default's.
        let users = occ
            .iter()
            .take_while(|o| self.is_users(o.source_id))
            .count();
        let choose = |from: &[Occurrence]| {
            from.iter()
                .position(|o| o.value.is_some() && o.line_comments.is_some())
                .or_else(|| {
                    from.iter()
                        .position(|o| o.value.is_some() && in_code_header(o))
                })
                .or_else(|| from.iter().position(|o| o.value.is_some()))
        };
        let Some(primary_at) = choose(&occ[..users])
            .or_else(|| choose(&occ[users..]).map(|i| users + i))
            .or(if occ.is_empty() { None } else { Some(0) })
        else {
            return Ok(None);
        };
        let primary = occ[primary_at].clone();
        let scheme = primary.scheme();
        let texts = self.messages_named(&primary.name)?;
        let (messages, choice) = in_asked_language(texts, request);
        // Text in an asked language other than English replaces the English text.
        let asked = choice
            .as_ref()
            .filter(|c| c.fell_back_from().is_none())
            .and_then(|_| messages.first())
            .filter(|m| replaces_english(m.langid));
        let (description, description_source) = match (asked, leading_text(&occ)) {
            (Some(m), _) => (Some(m.text.trim_end().to_string()), None),
            (None, Some(o)) => (
                text_of(o).map(one_paragraph_per_block),
                Some(self.text_source(o)?),
            ),
            (None, None) => (
                chosen_text(&messages, &LangRequest::ANY)
                    .map(|(m, _)| m.text.trim_end().to_string()),
                None,
            ),
        };
        let mut defined_at = vec![defined_at_of(&primary)];
        defined_at.extend(
            occ.iter()
                .enumerate()
                .filter(|(i, _)| *i != primary_at)
                .map(|(_, o)| defined_at_of(o)),
        );
        let mut also_used_in: Vec<AlsoUsedIn> = Vec::new();
        for o in &occ {
            if o.source_id == primary.source_id
                || also_used_in
                    .iter()
                    .any(|a| a.source == o.kit && a.version == o.version)
            {
                continue;
            }
            also_used_in.push(AlsoUsedIn {
                source: o.kit.clone(),
                version: o.version.clone(),
                value: o.value.filter(|v| Some(*v) != primary.value).map(HexString),
            });
        }
        let related = match (primary.value, scheme) {
            (Some(v), Some(s)) => self.related_names(&primary.name, v, s)?,
            _ => Vec::new(),
        };
        Ok(Some(Record {
            name: primary.name.clone(),
            value: primary.value.map(ValueForms::of),
            category: primary.category.clone(),
            c_type: primary.c_type.clone(),
            description,
            description_source,
            defined_at,
            line_comments: primary.line_comments.clone(),
            group: primary.group.clone(),
            also_used_in,
            layout: primary
                .value
                .map(|v| Layout::of(scheme.unwrap_or(Scheme::Message), v)),
            type_description: primary
                .preamble
                .clone()
                .or_else(|| occ.iter().find_map(|o| o.preamble.clone())),
            messages,
            related,
            language: choice.map(|c| TextLanguage::of(request, &c)),
        }))
    }

    /// The place and terms of the definition `o` (a record's [`TextSource`]).
    fn text_source(&self, o: &Occurrence) -> Result<TextSource> {
        // Source ids of a layered KB carry their layer's offset.
        let (schema, id) = self.source_in_layer(o.source_id);
        let (origin, license) = self
            .conn
            .prepare_cached(&format!(
                "SELECT origin, license FROM {schema}.sources WHERE id = ?1"
            ))?
            .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(TextSource {
            source: o.kit.clone(),
            version: o.version.clone(),
            file: o.file.clone(),
            line: o.line,
            origin,
            license,
        })
    }

    /// The credit of a text read at `from` (`kit version file`, as [`Match::description_from`]
    /// and [`MessageInfo::source`] write it); `None` when no source of the KB is that kit and
    /// version.
    pub fn text_credit(&self, from: &str) -> Result<Option<TextCredit>> {
        let label = self.source_labels()?.iter().find(|(_, kit, version, _)| {
            from.strip_prefix(kit.as_str())
                .and_then(|rest| rest.strip_prefix(' '))
                .and_then(|rest| rest.strip_prefix(version.as_str()))
                .is_some_and(|rest| rest.starts_with(' '))
        });
        let Some((id, kit, version, _)) = label else {
            return Ok(None);
        };
        let (schema, id) = self.source_in_layer(*id);
        let license: String = self
            .conn
            .prepare_cached(&format!(
                "SELECT license FROM {schema}.sources WHERE id = ?1"
            ))?
            .query_row([id], |r| r.get(0))?;
        Ok(Some(TextCredit {
            source: kit.clone(),
            version: version.clone(),
            file: from[kit.len() + version.len() + 2..].to_string(),
            license,
        }))
    }

    /// The text of message `id` in the language `request` chooses among those the KB has it
    /// in ([`LangRequest::choose`]), with the choice; the newest source wins among equals.
    /// When no message has exactly `id` and `id` fits 16 bits, the messages whose low 16
    /// bits are `id` (event ids as Event Viewer shows them: 6005 is 0x80001775) answer, if
    /// they all share one id.
    pub fn best_message(&self, id: u32, request: &LangRequest) -> Result<MessageChoice> {
        let mut rows = self.messages_for(id)?;
        if rows.is_empty() && id <= 0xFFFF {
            let mut stmt = self.conn.prepare_cached(&self.layered(
                "SELECT DISTINCT message_id FROM @.messages \
                 WHERE (message_id & 65535) = ?1 AND message_id > 65535",
                "ORDER BY message_id",
            ))?;
            let mut ids = stmt
                .query_map([id], |r| r.get::<_, u32>(0))?
                .collect::<rusqlite::Result<Vec<u32>>>()?;
            ids.dedup();
            match ids.as_slice() {
                [] => return Ok(MessageChoice::NotFound),
                [one] => rows = self.messages_for(*one)?,
                _ => return Ok(MessageChoice::Ambiguous(ids)),
            }
        }
        // Rows come oldest source first; reversed, the first of a language is the newest, and
        // the user's own texts go before the default's.
        rows.reverse();
        rows.sort_by_key(|m| !self.is_users(m.source_id));
        Ok(match chosen_text(&rows, request) {
            Some((m, choice)) => MessageChoice::Found(m.clone(), choice),
            None => MessageChoice::NotFound,
        })
    }

    /// Named codes that `name` = `value` (read as `scheme`) converts to or from.
    fn related_names(&self, name: &str, value: u32, scheme: Scheme) -> Result<Vec<RelatedName>> {
        let reading = Reading::new(scheme, value);
        let mut out: Vec<(i64, RelatedName)> = Vec::new();
        for r in &reading.related {
            if r.value == value {
                continue;
            }
            let mut seen = std::collections::HashSet::new();
            for o in self.occurrences_with_value(r.value)? {
                if o.scheme() != Some(r.scheme) || !seen.insert(o.name.clone()) {
                    continue;
                }
                // Here the related name plays the queried part: say it from its side.
                let relation = if let Some(mac) = r.relation.strip_suffix(" of") {
                    format!("0x{value:08X} = {mac}({})", o.name)
                } else {
                    format!("{} = {}({name})", o.name, r.relation)
                };
                out.push((
                    standing(&o),
                    RelatedName {
                        relation,
                        name: o.name.clone(),
                        value: HexString(r.value),
                    },
                ));
            }
        }
        out.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.name.cmp(&b.1.name)));
        Ok(out.into_iter().map(|(_, r)| r).collect())
    }

    /// The record `what` asks for: the name's, else (for a value) the best-ranked name's
    /// that has exactly this value ([`Kb::record_for_value`]).
    pub fn record_of(&self, what: &str, request: &LangRequest) -> Result<Option<Record>> {
        if let Some(r) = self.record(what, request)? {
            return Ok(Some(r));
        }
        match parse_value(what) {
            Ok(p) => self.record_for_value(p.primary().value, request),
            Err(_) => Ok(None),
        }
    }

    /// The record of a value: the best-ranked name that has exactly this value.
    pub fn record_for_value(&self, value: u32, request: &LangRequest) -> Result<Option<Record>> {
        let best = self
            .lookup(&format!("0x{value:08X}"), 1000)?
            .into_iter()
            .find(|m| matches!(m.reason, MatchReason::Value { .. }));
        match best {
            Some(m) => self.record(&m.name, request),
            None => Ok(None),
        }
    }

    /// Every name that answers `query` (a value in any form, or a name), best first, at
    /// most `limit`. A value also finds the names of the codes it converts to or from
    /// (`0x80070005` finds ERROR_ACCESS_DENIED through HRESULT_FROM_WIN32).
    pub fn lookup(&self, query: &str, limit: usize) -> Result<Vec<Match>> {
        let mut matches: Vec<Match> = Vec::new();
        if let Ok(parsed) = parse_value(query) {
            // Every value the query could mean or convert to, fetched in one statement.
            let mut wanted: Vec<u32> = Vec::new();
            for vr in parsed.readings() {
                wanted.push(vr.value);
                for reading in readings(vr.value) {
                    wanted.extend(reading.related.iter().map(|r| r.value));
                }
            }
            wanted.sort_unstable();
            wanted.dedup();
            let hits = self.lookup_hits_for(&wanted)?;
            let none = Vec::new();
            let hits_of = |v: u32| hits.get(&v).unwrap_or(&none);
            for (alt, vr) in parsed.readings().iter().enumerate() {
                let v = vr.value;
                let alt_penalty = 300 * alt as i64;
                for o in hits_of(v) {
                    let scheme = o.scheme();
                    self.add_match(
                        &mut matches,
                        query,
                        o,
                        MatchReason::Value { read_as: vr.form },
                        1000 - alt_penalty + plausibility(scheme, v),
                    );
                }
                for (k, reading) in readings(v).iter().enumerate() {
                    for r in &reading.related {
                        if r.value == v {
                            continue;
                        }
                        for o in hits_of(r.value) {
                            if o.scheme() != Some(r.scheme) {
                                continue;
                            }
                            let Some(relation) = relation_text(r.relation, v, &o.name) else {
                                continue;
                            };
                            self.add_match(
                                &mut matches,
                                query,
                                o,
                                MatchReason::Related { relation },
                                600 - alt_penalty - 10 * k as i64,
                            );
                        }
                    }
                }
            }
        }
        let name_like = query
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && query.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if name_like {
            for (rank, (name, how)) in self.match_names(query, limit)?.into_iter().enumerate() {
                let score = match how {
                    NameMatch::Exact => 1100,
                    NameMatch::Prefix => 400,
                    NameMatch::Substring => 300,
                    NameMatch::Fuzzy => 200,
                };
                let occ = self.occurrences_of(&name)?;
                if let Some(o) = occ.iter().find(|o| o.value.is_some()).or(occ.first()) {
                    // match_names already ranks; keep its order.
                    let score = score - 20 * rank as i64;
                    self.add_match(&mut matches, query, o, MatchReason::Name { how }, score);
                    if let (Some(m), Some(t)) = (
                        matches.iter_mut().find(|m| m.name == name),
                        leading_text(&occ),
                    ) {
                        set_text(m, t);
                    }
                }
            }
        }
        self.name_the_texts(&mut matches)?;
        for m in &mut matches {
            m.score += text_bonus(m.text_rank);
        }
        matches.sort_by(|a, b| b.score.cmp(&a.score).then_with(|| a.name.cmp(&b.name)));
        matches.truncate(limit);
        mark_the_answer(&mut matches);
        // The answer first, whatever the scores of the names it leaves behind.
        matches.sort_by_key(|m| !m.lead);
        Ok(matches)
    }

    /// Gives the matches without a definition's text the English text a message table has
    /// for their name (through the names message files give, [`Kb::messages_named`]).
    fn name_the_texts(&self, matches: &mut [Match]) -> Result<()> {
        let labels = self.source_labels()?;
        for m in matches.iter_mut().filter(|m| m.description.is_none()) {
            let texts = self.messages_named(&m.name)?;
            if let Some((t, _)) = chosen_text(&texts, &LangRequest::ANY) {
                let kit = labels
                    .iter()
                    .find(|l| l.0 == t.source_id)
                    .map_or("", |l| l.1.as_str());
                m.description = Some(t.text.trim_end().to_string());
                m.description_from = Some(t.source.clone());
                m.text_rank = Some(crate::authority::text_rank(kit));
            }
        }
        Ok(())
    }

    fn add_match(
        &self,
        matches: &mut Vec<Match>,
        query: &str,
        o: &Occurrence,
        reason: MatchReason,
        score: i64,
    ) {
        let score = score + standing(o);
        let label = o.source_label();
        if let Some(m) = matches
            .iter_mut()
            .find(|m| m.name == o.name && m.value.map(|v| v.unsigned) == o.value)
        {
            if !m.sources.contains(&label) {
                m.sources.push(label);
                m.score += 3;
            }
            set_text(m, o);
            m.universal |= is_universal(o);
            if score > m.score {
                m.score = score;
                m.reason = reason;
            }
            return;
        }
        let mut m = Match {
            query: query.to_string(),
            name: o.name.clone(),
            value: o.value.map(ValueForms::of),
            reason,
            scheme: o.scheme(),
            category: o.category.clone(),
            description: None,
            description_from: None,
            sources: vec![label],
            lead: false,
            score,
            text_rank: None,
            universal: false,
        };
        set_text(&mut m, o);
        m.universal = is_universal(o);
        matches.push(m);
    }

    /// Sets each match's description to the text message tables have for its name in the
    /// language `request` asks for (replacing the English text [`Kb::lookup`] gave), where
    /// there is one; [`LangRequest::ANY`] changes nothing.
    pub fn describe_from_messages(
        &self,
        matches: &mut [Match],
        request: &LangRequest,
    ) -> Result<()> {
        if request.is_any() {
            return Ok(());
        }
        for m in matches.iter_mut() {
            let texts = self.messages_named(&m.name)?;
            if let Some((text, choice)) = chosen_text(&texts, request) {
                if choice.fell_back_from().is_none() && replaces_english(text.langid) {
                    m.description = Some(text.text.trim_end().to_string());
                    m.description_from = Some(text.source.clone());
                }
            }
        }
        Ok(())
    }

    /// What can be said of a code no source names: its readings, the groups whose range
    /// encloses it, its nearest named neighbours.
    pub fn unnamed(&self, value: u32) -> Result<Unnamed> {
        let neighbours = self
            .neighbours(value)?
            .into_iter()
            .filter_map(|o| {
                o.value.map(|v| Neighbour {
                    name: o.name,
                    value: HexString(v),
                    distance: i64::from(v) - i64::from(value),
                })
            })
            .collect();
        Ok(Unnamed {
            value: ValueForms::of(value),
            readings: readings(value),
            enclosing_groups: self.enclosing_groups(value)?,
            neighbours,
        })
    }
}

/// Gives `m` the text of definition `o` when `o` has one ([`text_of`]) whose source leads
/// `m`'s.
fn set_text(m: &mut Match, o: &Occurrence) {
    let Some(text) = text_of(o) else { return };
    let rank = crate::authority::text_rank(&o.kit);
    if m.text_rank.is_none_or(|r| rank < r) {
        m.description = Some(text.to_string());
        m.description_from = Some(text_place(o));
        m.text_rank = Some(rank);
    }
}

/// How much a text lifts a match: Windows' own name for a value is the one its documentation
/// or message tables give a text, and it answers before the aliases that merely share the value.
fn text_bonus(rank: Option<u8>) -> i64 {
    match rank {
        Some(rank) => 400 - 20 * i64::from(rank),
        None => 0,
    }
}

/// Marks the matches that answer the query ([`Match::lead`]), in `matches` sorted best first:
/// a name query's every match; for a value, its own names whose text comes from the most
/// authoritative source any of them has ([`crate::authority`]: Microsoft's documentation
/// names `ERROR_ACCESS_DENIED` for 5, while the bug check and the ReactOS driver message that
/// are also 5 have texts of lesser sources), else the derived readings that have a text
/// (`HRESULT_FROM_WIN32(ERROR_MOD_NOT_FOUND)`), else the best match.
fn mark_the_answer(matches: &mut [Match]) {
    if matches
        .first()
        .is_some_and(|m| matches!(m.reason, MatchReason::Name { .. }))
    {
        let exact = |m: &Match| {
            matches!(
                m.reason,
                MatchReason::Name {
                    how: NameMatch::Exact
                }
            )
        };
        let any_exact = matches.iter().any(exact);
        for m in matches.iter_mut() {
            m.lead = !any_exact || exact(m);
        }
        return;
    }
    let own = |m: &Match| matches!(m.reason, MatchReason::Value { .. });
    let derived = |m: &Match| matches!(m.reason, MatchReason::Related { .. });
    for kind in [&own as &dyn Fn(&Match) -> bool, &derived] {
        let Some(best) = matches
            .iter()
            .filter(|m| kind(m))
            .filter_map(|m| m.text_rank)
            .min()
        else {
            continue;
        };
        let in_tier = |m: &Match| kind(m) && m.text_rank == Some(best);
        // Among the names with the best texts, those of the tables of every Windows code, if
        // any has one.
        let universal = matches.iter().any(|m| in_tier(m) && m.universal);
        for m in matches.iter_mut() {
            m.lead = in_tier(m) && (m.universal || !universal);
        }
        return;
    }
    if let Some(m) = matches.first_mut() {
        m.lead = true;
    }
}

/// Whether definition `o` is in a table of every Windows code: an SDK code header or
/// [MS-ERREF].
fn is_universal(o: &Occurrence) -> bool {
    o.kit.starts_with("ms-erref") || in_code_header(o)
}

/// A small rank adjustment from how a name is defined: the SDK's own code headers first,
/// aliases (`#define DIERR_READONLY E_ACCESSDENIED`) and derived names after.
fn standing(o: &Occurrence) -> i64 {
    let mut s = 0;
    if in_code_header(o) {
        s += 5;
    }
    let expr = o.expression.trim();
    let is_name = |t: &str| {
        t.chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && t.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    };
    if is_name(expr) || is_name(expr.trim_start_matches('(').trim_end_matches(')')) {
        s -= 10;
    } else if expr.contains(|c: char| c.is_ascii_alphabetic())
        && !expr.starts_with("__MSABI_LONG")
        && !expr.starts_with("_HRESULT_TYPEDEF_")
        && !expr.starts_with("((")
        && !expr.starts_with("0x")
        && !expr.contains("u32")
        && !expr.contains("i32")
    {
        s -= 4;
    }
    s
}

fn defined_at_of(o: &Occurrence) -> DefinedAt {
    DefinedAt {
        source: o.kit.clone(),
        version: o.version.clone(),
        file: o.file.clone(),
        line: o.line,
        definition: o.definition.clone(),
        value: o.value.map(HexString),
        namespace: o.namespace.clone(),
    }
}
