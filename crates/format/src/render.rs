//! The renderer: one pass over the message text, writing into a [`Sink`].

use crate::args::Arg;
use crate::error::{FormatError, FormatErrorKind};
use crate::event::EventLog;
use crate::out::{Lines, Sink, Width};
use std::cell::Cell;

use crate::spec::{parse_spec, Field, Size, Spec, SpecError, MAX_FIELD};

/// The most bytes of output [`Options::default`] allows: FormatMessage's documented buffer
/// limit (64K bytes). A text that renders longer fails with [`FormatErrorKind::TooLong`]
/// before its output is allocated.
pub const MAX_OUTPUT_BYTES: usize = 64 * 1024;

/// How to render: the flags of FormatMessage that change the output, the event-log
/// extension, and the size limit.
#[derive(Clone, Copy)]
pub struct Options<'a> {
    /// The low-order byte of the flags: keep line breaks, no width limit, or wrap.
    pub width: Width,
    /// FORMAT_MESSAGE_IGNORE_INSERTS: inserts and `%%`, `%.`, `%!`, `%space` stay as they
    /// are; `%n`, `%r`, `%t` and `%0` still act.
    pub ignore_inserts: bool,
    /// Event-log conventions (`%%NNNN` parameter messages, `%{SID}`, `%{GUID}`); `None`
    /// renders exactly as FormatMessage does.
    pub event_log: Option<EventLog<'a>>,
    /// The most bytes (UTF-8) the output may have; [`MAX_OUTPUT_BYTES`] by default,
    /// `usize::MAX` for no limit. A few inserts of a long argument ask for a lot.
    pub max_output: usize,
}

impl Default for Options<'_> {
    fn default() -> Self {
        Options {
            width: Width::default(),
            ignore_inserts: false,
            event_log: None,
            max_output: MAX_OUTPUT_BYTES,
        }
    }
}

impl std::fmt::Debug for Options<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Options")
            .field("width", &self.width)
            .field("ignore_inserts", &self.ignore_inserts)
            .field("event_log", &self.event_log.map(|e| e.max_depth))
            .field("max_output", &self.max_output)
            .finish()
    }
}

/// Renders `text` into `sink`. `depth` counts event-log parameter expansions.
pub(crate) fn render<S: Sink>(
    text: &str,
    args: &[Arg<'_>],
    options: &Options<'_>,
    sink: &mut S,
    depth: u8,
    budget: &Cell<usize>,
) -> Result<(), FormatError> {
    let mut out = Lines::new(sink, options.width);
    let mut state = Renderer {
        args,
        options,
        highest: 0,
        depth,
        budget,
    };
    state.run(text, &mut out)
}

struct Renderer<'r, 'a> {
    args: &'r [Arg<'a>],
    options: &'r Options<'r>,
    /// The highest argument read so far (1-based); a `*` after the first read of an insert
    /// reads the argument after it.
    highest: usize,
    depth: u8,
    /// Event-log substitutions left (shared by nested expansions).
    budget: &'r Cell<usize>,
}

impl<'a> Renderer<'_, 'a> {
    fn run<S: Sink>(&mut self, text: &str, out: &mut Lines<'_, S>) -> Result<(), FormatError> {
        let b = text.as_bytes();
        let mut i = 0;
        let mut literal = 0;
        while i < b.len() {
            // Jump to the next byte that means something (SIMD search).
            match memchr::memchr3(b'%', b'\r', b'\n', &b[i..]) {
                Some(skip) => i += skip,
                None => break,
            }
            match b[i] {
                b'\r' | b'\n' => {
                    out.text(&text[literal..i]);
                    self.within_limit(out, literal)?;
                    i += if b[i] == b'\r' && b.get(i + 1) == Some(&b'\n') {
                        2
                    } else {
                        1
                    };
                    out.source_break();
                    literal = i;
                }
                b'%' => {
                    out.text(&text[literal..i]);
                    self.within_limit(out, literal)?;
                    let next = self.escape(text, i, out)?;
                    self.within_limit(out, i)?;
                    match next {
                        Some(next) => i = next,
                        None => return Ok(()), // %0
                    }
                    literal = i;
                }
                _ => i += 1,
            }
        }
        out.text(&text[literal..]);
        self.within_limit(out, literal)
    }

    /// An error (at byte `at` of the text) once the output has passed the size limit. It is
    /// checked after each piece, so what is written beyond the limit is at most one piece:
    /// one insert, or one run of the text.
    fn within_limit<S: Sink>(&self, out: &Lines<'_, S>, at: usize) -> Result<(), FormatError> {
        if out.sink.len() > self.options.max_output {
            return Err(FormatError::new(
                at,
                FormatErrorKind::TooLong {
                    limit: self.options.max_output,
                },
            ));
        }
        Ok(())
    }

    /// Handles the escape whose `%` is at `at`; returns where the text resumes, or `None`
    /// for `%0` (end of output).
    fn escape<S: Sink>(
        &mut self,
        text: &str,
        at: usize,
        out: &mut Lines<'_, S>,
    ) -> Result<Option<usize>, FormatError> {
        let b = text.as_bytes();
        let Some(&next) = b.get(at + 1) else {
            return Err(FormatError::new(at, FormatErrorKind::TrailingPercent));
        };
        let ignore = self.options.ignore_inserts;
        match next {
            b'0' => Ok(None),
            b'1'..=b'9' => self.insert(text, at, out).map(Some),
            b'n' => {
                out.hard_break();
                Ok(Some(at + 2))
            }
            b'r' => {
                out.carriage_return();
                Ok(Some(at + 2))
            }
            b't' => {
                out.text("\t");
                Ok(Some(at + 2))
            }
            b'%' if self.options.event_log.is_some()
                && b.get(at + 2).is_some_and(u8::is_ascii_digit) =>
            {
                let ev = self.options.event_log.unwrap_or_default();
                Ok(Some(ev.parameter_reference(
                    text,
                    at,
                    out,
                    self.depth,
                    self.budget,
                )))
            }
            b'{' if self.options.event_log.is_some() => {
                let ev = self.options.event_log.unwrap_or_default();
                Ok(Some(ev.name_reference(text, at, out, ignore, self.budget)))
            }
            b'\r' | b'\n' => {
                // "%" then a line break: the percent is dropped, the break stays a break.
                if ignore {
                    out.text("%");
                }
                Ok(Some(at + 1))
            }
            _ => {
                // Any other character stands for itself (`%%`, `%.`, `%!`, `% `); under
                // IGNORE_INSERTS the pair is kept as written.
                let len = text[at + 1..].chars().next().map_or(1, char::len_utf8);
                let end = at + 1 + len;
                if ignore {
                    out.text(&text[at..end]);
                } else {
                    out.text(&text[at + 1..end]);
                }
                Ok(Some(end))
            }
        }
    }

    /// `%N` or `%N!spec!` at `at`; returns where the text resumes.
    fn insert<S: Sink>(
        &mut self,
        text: &str,
        at: usize,
        out: &mut Lines<'_, S>,
    ) -> Result<usize, FormatError> {
        let b = text.as_bytes();
        // At most two digits: `%100` is insert 10 followed by "0".
        let mut end = at + 2;
        let mut number = b[at + 1] - b'0';
        if let Some(&d) = b.get(end) {
            if d.is_ascii_digit() {
                number = number * 10 + (d - b'0');
                end += 1;
            }
        }
        let (spec, resume) = if b.get(end) == Some(&b'!') {
            // A specification ends at the next `!` on the same line.
            match text[end + 1..]
                .find(['!', '\r', '\n'])
                .filter(|&close| b[end + 1 + close] == b'!')
            {
                Some(close) => {
                    let spec_text = &text[end + 1..end + 1 + close];
                    (Some(spec_text), end + 1 + close + 1)
                }
                None if self.options.ignore_inserts => (None, end),
                None => {
                    return Err(FormatError::new(
                        at,
                        FormatErrorKind::UnterminatedSpec { insert: number },
                    ))
                }
            }
        } else {
            (None, end)
        };
        if self.options.ignore_inserts {
            out.text(&text[at..resume]);
            return Ok(resume);
        }
        let spec = match spec {
            None => Spec::STRING,
            Some(s) => parse_spec(s).map_err(|e| {
                let kind = match e {
                    SpecError::Expected(expected) => FormatErrorKind::BadSpec {
                        insert: number,
                        spec: s.to_owned(),
                        expected,
                    },
                    SpecError::Unsupported(conversion) => FormatErrorKind::UnsupportedConversion {
                        insert: number,
                        conversion,
                    },
                    SpecError::TooWide(value) => FormatErrorKind::FieldTooWide {
                        insert: number,
                        value,
                    },
                };
                FormatError::new(at, kind)
            })?,
        };
        self.render_insert(number, at, &spec, out)?;
        Ok(resume)
    }

    /// Reads the next argument of insert `number`: its own the first time, then the one
    /// after the highest read so far.
    fn take(
        &mut self,
        number: u8,
        at: usize,
        first: &mut bool,
    ) -> Result<(usize, Arg<'a>), FormatError> {
        let index = if *first {
            usize::from(number)
        } else {
            self.highest + 1
        };
        *first = false;
        match self.args.get(index - 1) {
            Some(a) => {
                self.highest = self.highest.max(index);
                Ok((index, *a))
            }
            None => Err(FormatError::new(
                at,
                FormatErrorKind::MissingArgument {
                    insert: number,
                    argument: index,
                    given: self.args.len(),
                },
            )),
        }
    }

    fn render_insert<S: Sink>(
        &mut self,
        number: u8,
        at: usize,
        spec: &Spec,
        out: &mut Lines<'_, S>,
    ) -> Result<(), FormatError> {
        // Argument numbering of FORMAT_MESSAGE_ARGUMENT_ARRAY: the first value an insert
        // reads is its own argument N; each further one (after a `*`) is the argument after
        // the highest read so far.
        let mut first = true;
        let mut left = spec.left;
        let width = match spec.width {
            Field::None => 0,
            Field::Fixed(w) => w,
            Field::Star => {
                let (index, a) = self.take(number, at, &mut first)?;
                let v = star_value(number, at, index, a)?;
                if v < 0 {
                    left = true;
                }
                check_field(number, at, v.unsigned_abs())?
            }
        };
        let precision = match spec.precision {
            Field::None => None,
            Field::Fixed(p) => Some(p),
            Field::Star => {
                let (index, a) = self.take(number, at, &mut first)?;
                let v = star_value(number, at, index, a)?;
                // A negative precision from `*` counts as none, as in printf.
                if v < 0 {
                    None
                } else {
                    Some(check_field(number, at, v.unsigned_abs())?)
                }
            }
        };
        let (index, value) = self.take(number, at, &mut first)?;
        let pad = if spec.zero && !left { '0' } else { ' ' };
        let field = Field_ {
            width,
            left,
            pad,
            precision,
        };
        match spec.conversion {
            b's' | b'S' => {
                let s = match value {
                    Arg::Str(s) => s,
                    other => {
                        return Err(type_error(number, at, index, "a string", other));
                    }
                };
                match self.options.event_log {
                    Some(ev) if crate::event::has_codes(s) => {
                        let mut expanded = String::new();
                        ev.expand(s, &mut expanded, self.depth, self.budget);
                        put_text(out, &expanded, &field);
                    }
                    _ => put_text(out, s, &field),
                }
            }
            b'c' | b'C' => {
                let c = value
                    .as_char()
                    .ok_or_else(|| type_error(number, at, index, "a character", value))?;
                let mut buf = [0u8; 4];
                // Precision does not apply to characters.
                let f = Field_ {
                    precision: None,
                    ..field
                };
                put_text(out, c.encode_utf8(&mut buf), &f);
            }
            conv => {
                let word = value
                    .as_word()
                    .ok_or_else(|| type_error(number, at, index, "an integer", value))?;
                put_integer(out, word, conv, spec, &field);
            }
        }
        Ok(())
    }
}

/// Width, justification, padding and precision of one field.
#[derive(Clone, Copy)]
struct Field_ {
    width: usize,
    left: bool,
    pad: char,
    precision: Option<usize>,
}

fn check_field(number: u8, at: usize, v: u64) -> Result<usize, FormatError> {
    if v > MAX_FIELD {
        return Err(FormatError::new(
            at,
            FormatErrorKind::FieldTooWide {
                insert: number,
                value: v,
            },
        ));
    }
    Ok(v as usize)
}

fn star_value(number: u8, at: usize, index: usize, a: Arg<'_>) -> Result<i64, FormatError> {
    // A `*` reads an int, as printf does.
    a.as_word()
        .map(|w| i64::from(w as u32 as i32))
        .ok_or_else(|| type_error(number, at, index, "an integer (for `*`)", a))
}

fn type_error(
    number: u8,
    at: usize,
    index: usize,
    expected: &'static str,
    found: Arg<'_>,
) -> FormatError {
    FormatError::new(
        at,
        FormatErrorKind::ArgumentType {
            insert: number,
            argument: index,
            expected,
            found: found.to_string(),
        },
    )
}

/// A string field: precision cuts it to that many characters, width pads it.
fn put_text<S: Sink>(out: &mut Lines<'_, S>, s: &str, f: &Field_) {
    let s = match f.precision {
        Some(p) => match s.char_indices().nth(p) {
            Some((cut, _)) => &s[..cut],
            None => s,
        },
        None => s,
    };
    let fill = if f.width == 0 {
        0
    } else {
        f.width.saturating_sub(s.chars().count())
    };
    if !f.left {
        out.repeat(f.pad, fill);
    }
    out.inserted(s);
    if f.left {
        out.repeat(' ', fill);
    }
}

/// An integer field, as the Microsoft C runtime's printf writes it.
fn put_integer<S: Sink>(out: &mut Lines<'_, S>, word: u64, conv: u8, spec: &Spec, f: &Field_) {
    let bits = match spec.size {
        Size::Short => 16,
        Size::Int => 32,
        Size::Long => 64,
    };
    let mask = if bits == 64 {
        u64::MAX
    } else {
        (1u64 << bits) - 1
    };
    let raw = word & mask;
    let signed = matches!(conv, b'd' | b'i');
    let (negative, magnitude) = if signed {
        let shift = 64 - bits;
        let v = ((raw << shift) as i64) >> shift;
        (v < 0, v.unsigned_abs())
    } else {
        (false, raw)
    };
    let (radix, upper) = match conv {
        b'x' => (16, false),
        b'X' => (16, true),
        b'o' => (8, false),
        _ => (10, false),
    };
    // Digits, least significant first, into a stack buffer: no allocation.
    let mut digits = [0u8; 64];
    let mut n = 0;
    let mut m = magnitude;
    while m != 0 {
        let d = (m % radix) as u8;
        digits[n] = match d {
            0..=9 => b'0' + d,
            _ if upper => b'A' + d - 10,
            _ => b'a' + d - 10,
        };
        n += 1;
        m /= radix;
    }
    // Precision is the minimum number of digits; without one, zero prints as "0", and
    // with precision 0 it prints nothing.
    let min_digits = f.precision.unwrap_or(1);
    let mut zeros = min_digits.saturating_sub(n);
    let prefix: &str = if negative {
        "-"
    } else if signed && spec.plus {
        "+"
    } else if signed && spec.space {
        " "
    } else if spec.alt && magnitude != 0 && conv == b'x' {
        "0x"
    } else if spec.alt && magnitude != 0 && conv == b'X' {
        "0X"
    } else {
        ""
    };
    if spec.alt && conv == b'o' && zeros == 0 && magnitude != 0 {
        zeros = 1;
    }
    let body = prefix.len() + zeros + n;
    let fill = f.width.saturating_sub(body);
    // `0` pads with zeros after the sign, unless `-` or a precision is given.
    let zero_pad = f.pad == '0' && f.precision.is_none();
    if !f.left && !zero_pad {
        out.repeat(' ', fill);
    }
    out.text(prefix);
    if !f.left && zero_pad {
        out.repeat('0', fill);
    }
    out.repeat('0', zeros);
    digits[..n].reverse();
    // Only ASCII digits were written.
    out.text(std::str::from_utf8(&digits[..n]).unwrap_or_default());
    if f.left {
        out.repeat(' ', fill);
    }
}
