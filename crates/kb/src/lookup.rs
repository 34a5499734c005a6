//! [`Kb::lookup`]: the names that answer a value or a name, best first, the answer marked
//! ([`Match::lead`]); a language's texts for them; what is known of a value no source names.

use crate::error::Result;
use crate::lang::LangRequest;
use crate::query::{chosen_text, NameMatch, Occurrence};
use crate::record::{in_code_header, leading_text, replaces_english, standing, text_of};
use crate::store::Kb;
use serde::Serialize;
use werr_codes::{parse_value, readings, HexString, Reading, Scheme, ValueForms};

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

/// `kit version file` of a definition: where its text comes from.
fn text_place(o: &Occurrence) -> String {
    format!("{} {} {}", o.kit, o.version, o.file)
}

/// Describes how `related` converts to `value` (the queried value), as an expression.
fn relation_text(relation: &str, queried: u32, name: &str) -> Option<String> {
    if let Some(expression) = werr_codes::Related::derived_expression(relation, queried, name) {
        // queried = MAC(related)
        return Some(expression);
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
