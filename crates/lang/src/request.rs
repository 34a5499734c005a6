//! What a person asked for ([`LangRequest`]) and the one rule that picks a language among
//! those a text exists in ([`LangRequest::choose`]).

use crate::parse::{read, LanguageError, LanguageErrorKind, Read};
use crate::table::{by_id, primary_language, sublanguage, tag_of, IdOrigin};
use std::fmt;

/// US English, the language every fallback tries first.
pub const EN_US: u16 = 0x0409;
/// LANG_NEUTRAL: text for no language in particular.
pub const LANG_NEUTRAL: u16 = 0x0000;

/// One language a request names.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Wanted {
    /// A LANGID: from a tag in the table (`de-AT` is 0x0C07) or given as a number (`0x407`).
    Id(u16),
    /// A well-formed tag that names no language in the table (`zz-top`): it matches no text,
    /// and a fallback can still say it was asked for.
    Unknown(String),
}

impl fmt::Display for Wanted {
    /// The tag: the table's (`de-AT`, `x-langid-1234` for an id it lacks), or as given.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Wanted::Id(id) => f.write_str(&tag_of(*id)),
            Wanted::Unknown(tag) => f.write_str(tag),
        }
    }
}

/// The languages a person asked for, most wanted first: from `--lang`, `?lang=` or an
/// `Accept-Language` header. Empty ([`LangRequest::ANY`]) when nothing was asked.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct LangRequest {
    wanted: Vec<Wanted>,
}

/// How a language was chosen: the steps of the rule, in the order they are tried.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Step {
    /// An asked language itself.
    Exact,
    /// The same language as an asked one, in another variant: the neutral id of its primary
    /// language (`de` for `de-AT`), then the ids whose tag has its language subtag, the
    /// default sublanguage first (`de-DE`, then `de-CH`...).
    SameLanguage,
    /// None of the asked languages (or none asked): US English, else another English.
    English,
    /// Language-neutral text (LANGID 0).
    Neutral,
    /// Whatever there is: the lowest LANGID.
    Any,
}

/// The language [`LangRequest::choose`] picked, and why: callers say so when it fell back.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Choice {
    /// The chosen LANGID (one of those offered).
    pub langid: u16,
    /// The step of the rule that chose it.
    pub step: Step,
    /// The asked language it answers ([`Step::Exact`], [`Step::SameLanguage`]), or, when it
    /// fell back, the most wanted language of the request; `None` when nothing was asked.
    pub wanted: Option<Wanted>,
}

impl Choice {
    /// The asked language there was no text in, when the choice fell back past every asked
    /// language (to English, neutral or any).
    pub fn fell_back_from(&self) -> Option<&Wanted> {
        match self.step {
            Step::Exact | Step::SameLanguage => None,
            Step::English | Step::Neutral | Step::Any => self.wanted.as_ref(),
        }
    }

    /// The tag of the chosen language (`en-US`).
    pub fn tag(&self) -> String {
        tag_of(self.langid)
    }

    /// What to tell a reader when the choice fell back: `no text in ja; showing en-US`.
    pub fn fallback_note(&self) -> Option<String> {
        self.fell_back_from()
            .map(|wanted| format!("no text in {wanted}; showing {}", self.tag()))
    }
}

/// Where a LANGID stands for a request: lower is better. [`LangRequest::choose`] takes the
/// lowest; a store that orders rows itself sorts by it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Rank {
    /// Which asked language it answers (its index), or the fallback steps after them.
    position: usize,
    /// Within that: 0 the language itself, then ever looser variants of it.
    closeness: u8,
    /// Among equals, the lower LANGID.
    langid: u16,
    step: Step,
}

impl Rank {
    /// The step of the rule this rank belongs to.
    pub fn step(&self) -> Step {
        self.step
    }
}

/// How close `langid` is to the asked `wanted`: 0 the same id, 1 the neutral id of its
/// primary language, 2 the same language subtag in its default sublanguage, 3 another one;
/// `None` when it is another language.
fn closeness(wanted: u16, langid: u16) -> Option<u8> {
    if langid == wanted {
        return Some(0);
    }
    let wanted_language = by_id(wanted);
    // Wine's private ids are not MAKELANGID values: 0x8018 (Asturian) is not Romanian.
    let windows_id = wanted_language.is_none_or(|l| l.origin == IdOrigin::Windows);
    if windows_id && langid == primary_language(wanted) {
        return Some(1);
    }
    let subtag = wanted_language?.language_subtag();
    let offered = by_id(langid)?;
    (offered.language_subtag() == subtag).then_some(if sublanguage(langid) == 1 { 2 } else { 3 })
}

impl LangRequest {
    /// No language asked: [`LangRequest::choose`] goes straight to the fallbacks.
    pub const ANY: LangRequest = LangRequest { wanted: Vec::new() };

    /// One language: a tag (`de`, `de-AT`, `pt_BR`), a LANGID (`0x407`, `1031`) or an LCID.
    /// A well-formed tag the table lacks is kept as [`Wanted::Unknown`] (a web page falls
    /// back from it); only a value that is no tag or number at all is an error.
    pub fn parse(input: &str) -> Result<LangRequest, LanguageError> {
        let wanted = match read(input)? {
            Read::Id(id) => Wanted::Id(id),
            Read::UnknownTag(tag) => Wanted::Unknown(tag),
        };
        Ok(LangRequest {
            wanted: vec![wanted],
        })
    }

    /// As [`LangRequest::parse`], but a tag the table lacks is an error too
    /// ([`LanguageErrorKind::Unknown`]): for a command line or an API, where a typo is
    /// better reported than answered in English.
    pub fn parse_known(input: &str) -> Result<LangRequest, LanguageError> {
        let request = LangRequest::parse(input)?;
        if request.unknown().is_some() {
            return Err(LanguageError {
                input: input.to_string(),
                kind: LanguageErrorKind::Unknown,
            });
        }
        Ok(request)
    }

    /// One language by id.
    pub fn id(langid: u16) -> LangRequest {
        LangRequest {
            wanted: vec![Wanted::Id(langid)],
        }
    }

    /// The languages of an `Accept-Language` header, best first
    /// ([`crate::accepted_languages`]); never an error: what cannot be read is skipped.
    pub fn from_accept_language(header: &str) -> LangRequest {
        LangRequest {
            wanted: crate::accept::accepted_languages(header),
        }
    }

    /// This request, then the languages of `later` (`?lang=` before `Accept-Language`).
    pub fn then(mut self, later: LangRequest) -> LangRequest {
        for w in later.wanted {
            if !self.wanted.contains(&w) {
                self.wanted.push(w);
            }
        }
        self
    }

    /// The asked languages, most wanted first.
    pub fn wanted(&self) -> &[Wanted] {
        &self.wanted
    }

    /// Whether nothing was asked.
    pub fn is_any(&self) -> bool {
        self.wanted.is_empty()
    }

    /// The first asked tag that names no language in the table.
    pub fn unknown(&self) -> Option<&str> {
        self.wanted.iter().find_map(|w| match w {
            Wanted::Unknown(tag) => Some(tag.as_str()),
            Wanted::Id(_) => None,
        })
    }

    /// Where `langid` stands: each asked language in turn (itself, then the same language:
    /// [`Step::SameLanguage`]), then US English and other English, then language-neutral
    /// (0), then any other, lower ids first.
    pub fn rank(&self, langid: u16) -> Rank {
        let asked = self.wanted.iter().enumerate().find_map(|(i, w)| match w {
            Wanted::Id(id) => closeness(*id, langid).map(|c| (i, c)),
            Wanted::Unknown(_) => None,
        });
        let n = self.wanted.len();
        let (position, closeness, step) = match asked {
            Some((i, 0)) => (i, 0, Step::Exact),
            Some((i, c)) => (i, c, Step::SameLanguage),
            None => match closeness(EN_US, langid) {
                Some(c) => (n, c, Step::English),
                None if langid == LANG_NEUTRAL => (n + 1, 0, Step::Neutral),
                None => (n + 2, 0, Step::Any),
            },
        };
        Rank {
            position,
            closeness,
            langid,
            step,
        }
    }

    /// The language to show among those `available` (the LANGIDs a text exists in), by
    /// [`LangRequest::rank`]; `None` only when nothing is available.
    pub fn choose(&self, available: &[u16]) -> Option<Choice> {
        let best = available.iter().map(|&id| self.rank(id)).min()?;
        let wanted = match best.step {
            Step::Exact | Step::SameLanguage => self.wanted.get(best.position).cloned(),
            Step::English | Step::Neutral | Step::Any => self.wanted.first().cloned(),
        };
        Some(Choice {
            langid: best.langid,
            step: best.step,
            wanted,
        })
    }

    /// Every id of `available`, best first, each once.
    pub fn order(&self, available: &[u16]) -> Vec<u16> {
        let mut ranked: Vec<Rank> = available.iter().map(|&id| self.rank(id)).collect();
        ranked.sort_unstable();
        ranked.dedup_by_key(|r| r.langid);
        ranked.into_iter().map(|r| r.langid).collect()
    }

    /// Whether `langid` is an asked language or the same language as one (a filter, as
    /// `werr search --lang de` keeps German texts of any variant). No fallback applies.
    pub fn accepts(&self, langid: u16) -> bool {
        self.wanted.iter().any(|w| match w {
            Wanted::Id(id) => closeness(*id, langid).is_some(),
            Wanted::Unknown(_) => false,
        })
    }

    /// Keeps the `items` in the chosen language ([`LangRequest::choose`] over their
    /// languages), in their order, with the choice; all of them and `None` when there are
    /// none.
    pub fn select<T>(&self, items: Vec<T>, langid: impl Fn(&T) -> u16) -> (Vec<T>, Option<Choice>) {
        let available: Vec<u16> = items.iter().map(&langid).collect();
        let Some(choice) = self.choose(&available) else {
            return (items, None);
        };
        let kept = items
            .into_iter()
            .filter(|item| langid(item) == choice.langid)
            .collect();
        (kept, Some(choice))
    }
}

impl fmt::Display for LangRequest {
    /// The asked tags, comma-separated (`de-AT, en`); `any` when none.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.wanted.is_empty() {
            return f.write_str("any");
        }
        for (i, w) in self.wanted.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "{w}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chosen(request: &str, available: &[u16]) -> Option<u16> {
        LangRequest::parse(request)
            .unwrap()
            .choose(available)
            .map(|c| c.langid)
    }

    #[test]
    fn exact_then_same_language_then_english_then_neutral_then_any() {
        let available = [0x0409, 0x0007, 0x0407, 0x0C0C, 0x8018, 0x0011];
        assert_eq!(chosen("de-DE", &available), Some(0x0407));
        assert_eq!(chosen("de-AT", &available), Some(0x0007));
        assert_eq!(chosen("fr", &available), Some(0x0C0C));
        assert_eq!(chosen("ja", &available), Some(0x0011));
        assert_eq!(chosen("el", &available), Some(0x0409));
        assert_eq!(chosen("el", &[0x0000, 0x0011]), Some(0x0000));
        assert_eq!(chosen("el", &[0x0019, 0x0011]), Some(0x0011));
        assert_eq!(chosen("el", &[]), None);
    }

    #[test]
    fn austrian_german_takes_the_default_german_before_swiss() {
        assert_eq!(chosen("de-AT", &[0x0807, 0x0407, 0x0409]), Some(0x0407));
        assert_eq!(
            LangRequest::parse("de-AT")
                .unwrap()
                .order(&[0x0409, 0x0807, 0x0407, 0x0007, 0x0011]),
            vec![0x0007, 0x0407, 0x0807, 0x0409, 0x0011]
        );
    }

    #[test]
    fn english_fallback_prefers_us_then_neutral_english_then_other_english() {
        let any = LangRequest::ANY;
        assert_eq!(
            any.choose(&[0x0809, 0x0009, 0x0000]).unwrap().langid,
            0x0009
        );
        assert_eq!(any.choose(&[0x0809, 0x0000]).unwrap().langid, 0x0809);
        assert_eq!(any.choose(&[0x0007, 0x0000]).unwrap().langid, 0x0000);
        assert_eq!(any.choose(&[0x0019, 0x0007]).unwrap().step, Step::Any);
    }

    #[test]
    fn wine_private_ids_are_not_their_low_bits() {
        // Romanian must not land on Wine's Asturian 0x8018 although its low bits are 0x18.
        assert_eq!(chosen("ro-RO", &[0x8018, 0x0011]), Some(0x0011));
        assert_eq!(chosen("ast", &[0x0018, 0x8018]), Some(0x8018));
        assert_eq!(chosen("ast", &[0x0018, 0x0409]), Some(0x0409));
    }

    #[test]
    fn the_choice_says_when_and_from_what_it_fell_back() {
        let ja = LangRequest::parse("ja")
            .unwrap()
            .choose(&[0x0409, 0x0407])
            .unwrap();
        assert_eq!(ja.step, Step::English);
        assert_eq!(ja.fell_back_from(), Some(&Wanted::Id(0x0011)));
        assert_eq!(ja.fallback_note().unwrap(), "no text in ja; showing en-US");
        let de = LangRequest::parse("de-AT")
            .unwrap()
            .choose(&[0x0407])
            .unwrap();
        assert_eq!(de.step, Step::SameLanguage);
        assert_eq!(de.fell_back_from(), None);
        let unknown = LangRequest::parse("zz-top")
            .unwrap()
            .choose(&[0x0409])
            .unwrap();
        assert_eq!(
            unknown.fallback_note().unwrap(),
            "no text in zz-top; showing en-US"
        );
        let nothing_asked = LangRequest::ANY.choose(&[0x0407]).unwrap();
        assert_eq!(
            (nothing_asked.step, nothing_asked.fell_back_from()),
            (Step::Any, None)
        );
    }

    #[test]
    fn later_languages_answer_when_earlier_ones_have_no_text() {
        let request = LangRequest::parse("0x407")
            .unwrap()
            .then(LangRequest::from_accept_language("fr-CH, da;q=0.5"));
        assert_eq!(request.to_string(), "de-DE, fr-CH, da");
        let choice = request.choose(&[0x0409, 0x0406, 0x040C]).unwrap();
        assert_eq!((choice.langid, choice.step), (0x040C, Step::SameLanguage));
        assert_eq!(choice.wanted, Some(Wanted::Id(0x100C)));
    }

    #[test]
    fn accepts_filters_by_language_without_fallback() {
        let de = LangRequest::parse("de").unwrap();
        assert!(de.accepts(0x0407) && de.accepts(0x0C07) && de.accepts(0x0007));
        assert!(!de.accepts(0x0409));
        assert!(!LangRequest::parse("zz").unwrap().accepts(0x0409));
    }

    #[test]
    fn select_keeps_every_item_of_the_chosen_language() {
        let texts = vec![(0x0409u16, "a"), (0x0407, "b"), (0x0409, "c")];
        let (kept, choice) = LangRequest::parse("ja").unwrap().select(texts, |t| t.0);
        assert_eq!(kept, vec![(0x0409, "a"), (0x0409, "c")]);
        assert_eq!(choice.unwrap().step, Step::English);
        let (none, choice) = LangRequest::ANY.select(Vec::<(u16, &str)>::new(), |t| t.0);
        assert!(none.is_empty() && choice.is_none());
    }

    #[test]
    fn parse_known_refuses_unknown_tags_that_parse_keeps() {
        assert_eq!(
            LangRequest::parse("klingon").unwrap().unknown(),
            Some("klingon")
        );
        let err = LangRequest::parse_known("klingon").unwrap_err();
        assert_eq!(err.kind, LanguageErrorKind::Unknown);
        assert!(LangRequest::parse("<b>").unwrap_err().is_malformed());
    }
}
