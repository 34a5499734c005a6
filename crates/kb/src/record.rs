//! What werr answers: [`Record`] (the full page of one name, `werr show`), [`Match`] (one
//! line of `werr lookup`) and [`Unnamed`] (a code no source names).

use crate::error::Result;
use crate::lookup::MatchReason;
use crate::query::{chosen_text, GroupInfo, MessageInfo, NameMatch, Occurrence};
use crate::store::Kb;
use serde::Serialize;
use werr_codes::{parse_value, HexString, Reading, Scheme, ValueForms};
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
    /// When no source gives the name a text of its own: how its value derives from the code
    /// whose text the description is (`0x80072EE7 =
    /// HRESULT_FROM_WIN32(ERROR_INTERNET_NAME_NOT_RESOLVED)`), as a lookup answers with it.
    pub description_of: Option<String>,
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

impl Record {
    /// Whether message `m` (one of [`Record::messages`], in the language a reader chose) is
    /// shown in place of the record's description: a text in another language than English
    /// replaces the English description, as [`Kb::record`] has it for the language asked;
    /// an English one only where the record has no description, whose text leads by
    /// [`crate::authority`] (Microsoft's words before a table's: Wine's "Out of memory."
    /// gives way to "Not enough storage is available to complete this operation.").
    pub fn shows_message_as_description(&self, m: &MessageInfo) -> bool {
        replaces_english(m.langid) || self.description.is_none()
    }
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

/// What a message id reads as ([`Kb::message_in_windows_words`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WordedMessage {
    /// The text in Windows' words, and the note of a language other than the one asked for.
    Found {
        /// The text.
        wording: WindowsWording,
        /// Why its language is not the one asked for, if it is not.
        fallback_note: Option<String>,
    },
    /// No message has the id itself, and several ids have it as their low 16 bits.
    Ambiguous(Vec<u32>),
    /// No message has the id.
    NotFound,
}

/// A message's text in Windows' words ([`Kb::windows_wording`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WindowsWording {
    /// The text (FormatMessage source text).
    pub text: String,
    /// Its language, as a tag (`en-US`).
    pub lang: String,
    /// Whose words these are.
    pub wording: Wording,
    /// Whose text it is, when it is not a Windows table's own, as a sentence for a reader.
    pub note: Option<String>,
}

impl WindowsWording {
    /// Microsoft's `text` of Win32 error `code` (from `source`), in place of `module`'s as
    /// `system` writes it; `why` ends the note (`, which lacks it`).
    pub(crate) fn microsoft(
        (text, source): (String, String),
        code: u16,
        module: &str,
        system: &'static str,
        why: &str,
    ) -> WindowsWording {
        WindowsWording {
            note: Some(format!(
                "Microsoft's text of Win32 error {code} ({source}): the KB's {module} is \
                 {system}'s{why}"
            )),
            // As FormatMessage returns a table's text.
            text: format!("{text}\r\n"),
            lang: "en-US".to_string(),
            wording: Wording::Microsoft {
                source,
                instead_of: system,
            },
        }
    }
}

/// Whose words a [`WindowsWording`] is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Wording {
    /// The table's own: Windows', or a user's import.
    Table,
    /// Another system's table (`Wine`, `ReactOS`), kept: not English, or Microsoft's texts
    /// lack the code.
    Rewrite {
        /// The system it was written for.
        system: &'static str,
    },
    /// Microsoft's own text of the Win32 error, in place of another system's English text.
    Microsoft {
        /// Where it is from (`msdocs-win32 47e64c1`).
        source: String,
        /// The system whose table's text it replaces.
        instead_of: &'static str,
    },
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
pub(crate) fn replaces_english(langid: u16) -> bool {
    langid & 0x3FF != LANG_ENGLISH
}

/// The definition whose text leads (see [`crate::authority`]): the lowest text rank, the
/// first of equals.
pub(crate) fn leading_text(occ: &[Occurrence]) -> Option<&Occurrence> {
    occ.iter()
        .filter(|o| text_of(o).is_some())
        .min_by_key(|o| crate::authority::text_rank(&o.kit))
}

/// The text of definition `o`, unless it only repeats the name (ReactOS's bugcodes.mc gives
/// each bug check its name as text): that says nothing.
pub(crate) fn text_of(o: &Occurrence) -> Option<&str> {
    o.message_text
        .as_deref()
        .filter(|text| text.trim() != o.name)
}

/// Whether definition `o` is in one of the SDK's code headers (winerror.h, ntstatus.h...).
pub(crate) fn in_code_header(o: &Occurrence) -> bool {
    let base = o.file.rsplit(['/', '\\']).next().unwrap_or(&o.file);
    werr_headers::CODE_HEADERS
        .iter()
        .any(|h| h.eq_ignore_ascii_case(base))
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
        let (mut description, mut description_source) = match (asked, leading_text(&occ)) {
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
        // A code with no text of its own reads as the code it derives from (an HRESULT as the
        // Win32 error it wraps): the relations read backwards (`0x... = MACRO(NAME)`). Each
        // leads to a narrower code (an HRESULT to an NTSTATUS, that to a Win32 error, which
        // derives from none), so the search ends.
        let mut description_of = None;
        if let (None, Some(v)) = (&description, primary.value) {
            let derived = format!("0x{v:08X} = ");
            for r in related.iter().filter(|r| r.relation.starts_with(&derived)) {
                let Some(source) = self.record(&r.name, request)? else {
                    continue;
                };
                if source.description.is_some() {
                    description = source.description;
                    description_source = source.description_source;
                    description_of = Some(r.relation.clone());
                    break;
                }
            }
        }
        Ok(Some(Record {
            name: primary.name.clone(),
            value: primary.value.map(ValueForms::of),
            category: primary.category.clone(),
            c_type: primary.c_type.clone(),
            description,
            description_source,
            description_of,
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

    /// `message` (a text [`Kb::best_message`] chose) in Windows' words. A table that is
    /// another system's rewrite of a Windows module ([`authority::written_for`]: the default
    /// KB's kernelbase.dll is Wine's, "Out of memory." for Win32 error 14) gives way, for an
    /// English text of a Win32 error ([`authority::is_win32_error_message`]: the system
    /// table's, WinINet's, netmsg.dll's NERR codes), to Microsoft's own text of the error (its
    /// documentation, else
    /// [MS-ERREF]), ended by a CRLF as FormatMessage returns it; any other text of a rewrite
    /// stays, and the note says whose it is. Windows' own tables (a user's imports) are kept
    /// as they are, with no note.
    ///
    /// [`authority::written_for`]: crate::authority::written_for
    /// [`authority::is_win32_error_message`]: crate::authority::is_win32_error_message
    pub fn windows_wording(&self, message: MessageInfo) -> Result<WindowsWording> {
        let Some(system) = crate::authority::written_for(&message.kit) else {
            return Ok(WindowsWording {
                text: message.text,
                lang: message.lang,
                wording: Wording::Table,
                note: None,
            });
        };
        let english = message.lang.split('-').next() == Some("en");
        let win32 = crate::authority::win32_error_of(&message.module, message.message_id);
        let microsoft = match (english, win32) {
            (true, Some(code)) => self.microsoft_win32_text(code)?.map(|found| (found, code)),
            _ => None,
        };
        Ok(match microsoft {
            Some((found, code)) => {
                WindowsWording::microsoft(found, code, &message.module, system, "")
            }
            None => {
                let kit = message
                    .source
                    .strip_suffix(&message.module)
                    .map_or(message.source.as_str(), str::trim_end);
                WindowsWording {
                    note: Some(format!(
                        "the text of {} as {system} writes it ({kit}): Windows' wording can \
                         differ",
                        message.module
                    )),
                    text: message.text,
                    lang: message.lang,
                    wording: Wording::Rewrite { system },
                }
            }
        })
    }

    /// The text of message `id` as FormatMessage gives it, in Windows' words: the text
    /// [`Kb::best_message`] chooses, through [`Kb::windows_wording`]; when no table has the
    /// id, the Win32 error of that number in the system's table
    /// ([`Kb::module_message_in_windows_words`]: Wine's table lacks most of them, Windows'
    /// has them all). The one rule of `werr format --id` and `/api/v1/format`.
    pub fn message_in_windows_words(
        &self,
        id: u32,
        request: &LangRequest,
    ) -> Result<WordedMessage> {
        match self.best_message(id, request)? {
            MessageChoice::Found(m, choice) => Ok(WordedMessage::Found {
                fallback_note: choice.fallback_note(),
                wording: self.windows_wording(m)?,
            }),
            MessageChoice::Ambiguous(ids) => Ok(WordedMessage::Ambiguous(ids)),
            MessageChoice::NotFound => Ok(
                match self.module_message_in_windows_words(
                    crate::authority::SYSTEM_MODULE,
                    id,
                    request,
                )? {
                    Some(wording) => WordedMessage::Found {
                        wording,
                        fallback_note: None,
                    },
                    None => WordedMessage::NotFound,
                },
            ),
        }
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
                let relation = werr_codes::Related::derived_expression(r.relation, value, &o.name)
                    .unwrap_or_else(|| format!("{} = {}({name})", o.name, r.relation));
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
}

/// A small rank adjustment from how a name is defined: the SDK's own code headers first,
/// aliases (`#define DIERR_READONLY E_ACCESSDENIED`) and derived names after.
pub(crate) fn standing(o: &Occurrence) -> i64 {
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
