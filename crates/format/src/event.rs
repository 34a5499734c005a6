//! Event-log conventions on top of FormatMessage ([MS-EVEN] 3.2.4.1.5): `%%NNNN` parameter
//! messages and `%{SID}` / `%{GUID}` names, resolved through caller-given functions.

use std::cell::Cell;

use crate::out::{Lines, Sink, Width};
use crate::render::{render, Options};

/// The most nested parameter expansions [`EventLog::default`] allows.
pub const DEFAULT_MAX_DEPTH: u8 = 8;

/// The most substitutions one rendering makes, whatever the nesting ([MS-EVEN] requires a
/// cap so expansion always ends).
pub const MAX_SUBSTITUTIONS: usize = 1024;

/// Longest `%{...}` body looked at (a SID or a braced GUID is far shorter).
const MAX_NAME_LEN: usize = 256;

/// Looks up the text of a parameter message by id (`%%id`).
pub type ParameterLookup<'a> = &'a dyn Fn(u32) -> Option<String>;

/// Looks up a display name for the body of `%{...}` (a SID or a GUID).
pub type NameLookup<'a> = &'a dyn Fn(&str) -> Option<String>;

/// How to resolve event-log insertion codes. Each resolver returns `None` when it does not
/// know the code; the code then stays in the output as written, as [MS-EVEN] asks.
#[derive(Clone, Copy)]
pub struct EventLog<'a> {
    /// Text of parameter message `id` (from the provider's ParameterMessageFile), for
    /// `%%id`. The text is rendered with IGNORE_INSERTS (so `%0`, `%n` act and nested
    /// `%%id` expand) and its trailing line break is dropped.
    pub parameter: Option<ParameterLookup<'a>>,
    /// Display name for the body of `%{...}`: a SID (`S-1-5-18`) or a GUID.
    pub name: Option<NameLookup<'a>>,
    /// How deep parameter texts may nest `%%id` references before they stay verbatim.
    pub max_depth: u8,
}

impl Default for EventLog<'_> {
    fn default() -> Self {
        EventLog {
            parameter: None,
            name: None,
            max_depth: DEFAULT_MAX_DEPTH,
        }
    }
}

/// Whether `s` may hold an event-log code (`%%` + digits or `%{`). Asked of every insert of
/// every record rendered: most have no `%` at all, which one `memchr` tells.
pub(crate) fn has_codes(s: &str) -> bool {
    let bytes = s.as_bytes();
    memchr::memchr_iter(b'%', bytes).any(|at| matches!(bytes.get(at + 1), Some(b'%' | b'{')))
}

/// `%%digits` at the start of `s`: the id and the code's length in bytes.
fn parse_parameter(s: &str) -> Option<(u32, usize)> {
    let digits = s.get(2..)?.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 {
        return None;
    }
    let id = s[2..2 + digits].parse::<u32>().ok()?;
    Some((id, 2 + digits))
}

/// `%{body}` at the start of `s`: the body and the code's length in bytes.
fn parse_name(s: &str) -> Option<(&str, usize)> {
    let rest = s.get(2..)?;
    let close = rest
        .bytes()
        .take(MAX_NAME_LEN + 1)
        .position(|b| b == b'}' || b == b'\r' || b == b'\n')?;
    if rest.as_bytes()[close] != b'}' || close == 0 {
        return None;
    }
    Some((&rest[..close], 2 + close + 1))
}

impl EventLog<'_> {
    fn spend(budget: &Cell<usize>) -> bool {
        let left = budget.get();
        if left == 0 {
            return false;
        }
        budget.set(left - 1);
        true
    }

    /// The rendered text of parameter `id`, or `None` to keep the code verbatim.
    fn parameter_text(&self, id: u32, depth: u8, budget: &Cell<usize>) -> Option<String> {
        if depth >= self.max_depth {
            return None;
        }
        let lookup = self.parameter?;
        if !Self::spend(budget) {
            return None;
        }
        let raw = lookup(id)?;
        let options = Options {
            width: Width::Keep,
            ignore_inserts: true,
            event_log: Some(*self),
            ..Options::default()
        };
        let mut text = String::with_capacity(raw.len());
        if render(&raw, &[], &options, &mut text, depth + 1, budget).is_err() {
            // A malformed parameter text is shown as stored rather than lost.
            text = raw;
        }
        let kept = text.trim_end_matches(['\r', '\n']).len();
        text.truncate(kept);
        Some(text)
    }

    fn name_text(&self, body: &str, budget: &Cell<usize>) -> Option<String> {
        let resolve = self.name?;
        if !Self::spend(budget) {
            return None;
        }
        resolve(body)
    }

    /// `%%digits` in the message text at `at`; returns where the text resumes.
    pub(crate) fn parameter_reference<S: Sink>(
        &self,
        text: &str,
        at: usize,
        out: &mut Lines<'_, S>,
        depth: u8,
        budget: &Cell<usize>,
    ) -> usize {
        match parse_parameter(&text[at..]) {
            Some((id, len)) => {
                match self.parameter_text(id, depth, budget) {
                    Some(t) => out.inserted(&t),
                    None => out.text(&text[at..at + len]),
                }
                at + len
            }
            None => {
                // Digits too many for an id: an ordinary `%%`.
                out.text("%");
                at + 2
            }
        }
    }

    /// `%{...}` in the message text at `at`; returns where the text resumes.
    pub(crate) fn name_reference<S: Sink>(
        &self,
        text: &str,
        at: usize,
        out: &mut Lines<'_, S>,
        ignore_inserts: bool,
        budget: &Cell<usize>,
    ) -> usize {
        match parse_name(&text[at..]) {
            Some((body, len)) => {
                match self.name_text(body, budget) {
                    Some(name) => out.inserted(&name),
                    None => out.text(&text[at..at + len]),
                }
                at + len
            }
            None => {
                // Not a name code: FormatMessage's rule for `%` + other character.
                out.text(if ignore_inserts { "%{" } else { "{" });
                at + 2
            }
        }
    }

    /// Copies an insertion string into `dest`, expanding the codes in it.
    pub(crate) fn expand(&self, s: &str, dest: &mut String, depth: u8, budget: &Cell<usize>) {
        let mut i = 0;
        let mut literal = 0;
        let b = s.as_bytes();
        while i < b.len() {
            if b[i] != b'%' {
                i += 1;
                continue;
            }
            let rest = &s[i..];
            let code = match b.get(i + 1) {
                Some(b'%') => parse_parameter(rest)
                    .map(|(id, len)| (self.parameter_text(id, depth, budget), len)),
                Some(b'{') => {
                    parse_name(rest).map(|(body, len)| (self.name_text(body, budget), len))
                }
                _ => None,
            };
            match code {
                Some((Some(replacement), len)) => {
                    dest.push_str(&s[literal..i]);
                    dest.push_str(&replacement);
                    i += len;
                    literal = i;
                }
                Some((None, len)) => i += len,
                None => i += 1,
            }
        }
        dest.push_str(&s[literal..]);
    }
}
