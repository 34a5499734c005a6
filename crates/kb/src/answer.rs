//! The one rule of what a query is answered with, for every presenter (`werr lookup`, the
//! server's `/api/v1/lookup` and its search page): the names, which of them lead, what is
//! known of a value no source names, the texts with the words when no name answers, and
//! whether the query may be an event id.

use crate::lang::LangRequest;
use crate::lookup::{Match, MatchReason, Unnamed};
use crate::query::SearchHit;
use crate::{Kb, Result};
use werr_codes::parse_value;

/// The longest query read as a name or a value; longer text is words only the text index can
/// match.
pub const MAX_NAME_CHARS: usize = 100;

/// The fewest characters a query needs to be searched for in the texts: shorter words match
/// too much to be an answer.
pub const MIN_TEXT_CHARS: usize = 3;

/// Everything a query is answered with ([`Kb::answer`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    /// The query, trimmed.
    pub query: String,
    /// The names that answer it, the lead first ([`Match::lead`]: Windows' own name for the
    /// value with its text, else the derived reading with one; the names a name query asked
    /// for), then the others a presenter may fold.
    pub matches: Vec<Match>,
    /// For a value no source names exactly (a derived reading may still lead): its readings,
    /// enclosing groups and neighbours. Part of the answer.
    pub unnamed: Option<Unnamed>,
    /// Texts (names, comments, messages) with the query's words, best first: asked when the
    /// query is no value and no name answers it (`access denied`, `accessdenied`).
    pub hits: Vec<SearchHit>,
    /// The event id the query may be (a decimal number up to 65535, as event ids are
    /// written): its events follow the codes. Hex and larger values never ask for events.
    pub event_id: Option<u16>,
}

impl Answer {
    /// The names that lead.
    pub fn lead(&self) -> impl Iterator<Item = &Match> {
        self.matches.iter().filter(|m| m.lead)
    }

    /// The other names, which a presenter folds.
    pub fn others(&self) -> impl Iterator<Item = &Match> {
        self.matches.iter().filter(|m| !m.lead)
    }

    /// Whether nothing answers the query (events aside).
    pub fn is_empty(&self) -> bool {
        self.matches.is_empty() && self.unnamed.is_none() && self.hits.is_empty()
    }
}

/// The event id `query` may be: a decimal number of at most 65535, as event ids are written.
pub fn event_id_of(query: &str) -> Option<u16> {
    if query.is_empty() || !query.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    query.parse().ok()
}

impl Kb {
    /// Answers one query (a value in any form, a name or part of one, or words): at most
    /// `limit` names ([`Kb::lookup`]) with texts in the language `request` asks for
    /// ([`Kb::describe_from_messages`]); for a value no name has exactly, [`Kb::unnamed`];
    /// for a query that is no value and no name answers, the texts with its words
    /// ([`Kb::search`]), at most `limit`.
    pub fn answer(&self, query: &str, request: &LangRequest, limit: usize) -> Result<Answer> {
        let query = query.trim();
        let chars = query.chars().count();
        let parsed = parse_value(query);
        let mut matches = if chars > 0 && chars <= MAX_NAME_CHARS {
            self.lookup(query, limit)?
        } else {
            Vec::new()
        };
        self.describe_from_messages(&mut matches, request)?;
        let named_value = matches
            .iter()
            .any(|m| matches!(m.reason, MatchReason::Value { .. }));
        let unnamed = match &parsed {
            Ok(p) if !named_value => Some(self.unnamed(p.primary().value)?),
            _ => None,
        };
        // Written as a number (`0xZZZ`): a value that cannot be read, not words.
        let words = match &parsed {
            Ok(_) => false,
            Err(e) => !e.is_malformed_number(),
        };
        let hits = if words && matches.is_empty() && chars >= MIN_TEXT_CHARS {
            self.search(query, request, limit)?
        } else {
            Vec::new()
        };
        Ok(Answer {
            query: query.to_string(),
            matches,
            unnamed,
            hits,
            event_id: event_id_of(query),
        })
    }
}
