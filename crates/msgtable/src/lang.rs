//! Languages of message tables: the table and parsing of `werr-lang` (re-exported here), and
//! the [`CodePage`] ANSI entries of each language are decoded with.

use crate::codepage::CodePage;

pub use werr_lang::{
    by_id, by_tag, langid_of_lcid, languages, parse_language, primary_language, sublanguage,
    tag_of, IdOrigin, Language, LanguageError,
};

/// The ANSI code page for ANSI entries of a resource in `langid`: the language's, else
/// that of its primary language, else 1252 ([`werr_lang::ansi_code_page`]).
pub fn ansi_code_page(langid: u16) -> CodePage {
    CodePage(werr_lang::ansi_code_page(langid))
}
