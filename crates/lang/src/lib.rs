//! Windows languages, and which one to show.
//!
//! - The table ([`Language`], [`by_id`], [`by_tag`], [`tag_of`], [`ansi_code_page`]): every
//!   LANGID of Microsoft's [MS-LCID] list with its BCP-47 tag and ANSI code page, the neutral
//!   ids of each primary language (`0x7` is `de`), and the private ids Wine's `wmc` gives
//!   languages Windows lacks (`0x8018` Asturian, `0x80a5` Esperanto, `0x81c1` Walloon).
//! - What a person asks for ([`LangRequest`]): a tag (`de`, `de-AT`, `pt_BR`), a LANGID or
//!   LCID (`0x407`, `1031`), or an `Accept-Language` header with quality values. A value that
//!   is no tag or number is an error naming the character ([`LanguageError`]); a well-formed
//!   tag the table lacks is kept, so a web page can fall back from it and say so, while
//!   [`LangRequest::parse_known`] refuses it for a command line.
//! - The one rule that picks a language among those a text exists in
//!   ([`LangRequest::choose`]): each asked language in turn, itself then the same language
//!   (`de` then `de-DE` for `de-AT`), then US English (then other English), then
//!   language-neutral, then any. The [`Choice`] says which step chose, so callers can say
//!   "no text in ja; showing en-US".
//!
//! ```
//! use werr_lang::{LangRequest, Step};
//! let available = [0x0409, 0x0407, 0x040C];
//! let austrian = LangRequest::parse("de-AT").unwrap().choose(&available).unwrap();
//! assert_eq!((austrian.langid, austrian.step), (0x0407, Step::SameLanguage));
//! let japanese = LangRequest::parse("0x411").unwrap().choose(&available).unwrap();
//! assert_eq!(japanese.fallback_note().unwrap(), "no text in ja-JP; showing en-US");
//! ```
//!
//! No I/O and no dependencies: callers (the KB, the web pages and API, the command line, the
//! event-log renderer) hand in the LANGIDs they have.
//!
//! [MS-LCID]: https://learn.microsoft.com/openspecs/windows_protocols/ms-lcid/
#![deny(missing_docs)]

mod accept;
mod parse;
mod request;
mod table;

pub use accept::accepted_languages;
pub use parse::{parse_language, LanguageError, LanguageErrorKind, MAX_LANGUAGE_CHARS};
pub use request::{Choice, LangRequest, Rank, Step, Wanted, EN_US, LANG_NEUTRAL};
pub use table::{
    ansi_code_page, by_id, by_tag, langid_of_lcid, languages, primary_language, sublanguage,
    tag_of, IdOrigin, Language,
};
