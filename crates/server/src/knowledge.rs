//! What the server asks of a knowledge base. The trait keeps handlers independent of how the
//! KB stores things, and lets tests count calls or inject failures.

use serde::Serialize;

/// A symbol in a list: enough to show a line and link to its page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SymbolRef {
    /// The symbol's name (`EVENT_TCPIP_TCP_TIME_WAIT_COLLISION`).
    pub name: String,
    /// Its value's three forms.
    pub value: werr_codes::ValueForms,
    /// Its category ("type"): `Win32 error`, `HRESULT`, the header's own title...
    #[serde(rename = "type")]
    pub category: String,
}

/// A message text that matched a full-text search.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TextHit {
    /// The symbol whose message matched.
    pub name: String,
    /// Its value's three forms.
    pub value: werr_codes::ValueForms,
    /// The language tag of the matching text (`en-US`, `da-DK`).
    pub lang: String,
    /// The matching text, shortened around the match.
    pub snippet: String,
}

/// The knowledge base could not answer (it is corrupt or unreadable); the request was fine.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the knowledge base could not answer: {0}")]
pub struct KnowledgeError(pub String);

/// The questions the pages and the API ask of a knowledge base. Implementations must be
/// cheap to call from many requests at once.
pub trait Knowledge: Send + Sync + 'static {
    /// Symbols defined with exactly `value`, best known first.
    fn symbols_with_value(&self, value: u32) -> Result<Vec<SymbolRef>, KnowledgeError>;

    /// Symbols whose name matches `query` by prefix, substring or a near spelling, best
    /// first, at most `limit`.
    fn symbols_named_like(
        &self,
        query: &str,
        limit: usize,
    ) -> Result<Vec<SymbolRef>, KnowledgeError>;

    /// Message texts containing `text` (words, any language, or only `lang` when given),
    /// best first, at most `limit`.
    fn search_text(
        &self,
        text: &str,
        lang: Option<&str>,
        limit: usize,
    ) -> Result<Vec<TextHit>, KnowledgeError>;
}
