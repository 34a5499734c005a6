//! Message text rendered exactly as Windows' `FormatMessage` renders it.
//!
//! This crate owns one job: turning a message definition (`File %1 contains %2!d! errors.%n`)
//! and its arguments into the text Windows shows. Every werr presenter (CLI, web, event
//! logs) renders through it. It is pure: no I/O, no knowledge base; event-log parameter
//! messages and account names come from functions the caller passes in.
//!
//! # Use
//!
//! ```
//! use werr_format::{format, Arg, Options, Width};
//!
//! let text = format("%1!d! of %2!d! writers agree: Soccer is %3%!",
//!                   &[Arg::I32(4), Arg::I32(5), Arg::Str("Best")], &Options::default())?;
//! assert_eq!(text, "4 of 5 writers agree: Soccer is Best!");
//!
//! let wrapped = format("short long line", &[],
//!                      &Options { width: Width::Columns(11), ..Options::default() })?;
//! assert_eq!(wrapped, "short long\r\nline");
//! # Ok::<(), werr_format::FormatError>(())
//! ```
//!
//! - [`format()`] renders into a new `String`; [`format_into`] appends to one.
//! - [`Options`] mirrors the flags that change the output: [`Width`] (the low-order byte:
//!   0, `FORMAT_MESSAGE_MAX_WIDTH_MASK`, or a column count) and `ignore_inserts`
//!   (`FORMAT_MESSAGE_IGNORE_INSERTS`), plus the [`EventLog`] extension and the size limit
//!   `max_output` ([`MAX_OUTPUT_BYTES`], FormatMessage's 64K by default): a few inserts of a
//!   long argument ask for gigabytes, and the limit stops them before anything is allocated.
//! - [`Arg`] is a typed argument; [`parse_integer`] reads an integer as users type it.
//! - [`FormatError`] says which insert failed and the byte offset of its `%`.
//!
//! # The rules (sources: Microsoft's FormatMessage documentation, and Windows' observed
//! output as recorded in Wine's conformance tests, `dlls/kernel32/tests/format_msg.c`)
//!
//! - `%1`..`%99` insert arguments; at most two digits are read (`%100` is `%10` then `0`).
//!   `%N!spec!` formats with a printf specification: flags `- + # 0 space`, a width, a
//!   `.precision`, a size (`h`, `l`, `w`, `ll`, `I`, `I32`, `I64`) and one of
//!   `s S c C d i u x X o`; the default is `!s!`. Floating point is not supported.
//! - `*` as width or precision reads an argument, numbered as with
//!   `FORMAT_MESSAGE_ARGUMENT_ARRAY`: an insert's first read is its own argument N, each
//!   further read is the argument after the highest read so far. So `%1!*.*s! %4 %5!*s!`
//!   reads 1-2-3, 4, 5-6 (the documentation's example), and a repeated `%1!*.*u!` reads
//!   1 then 4-5 (Windows' observed output).
//! - `%0` ends the output (no line break); `%n` is CRLF; `%r` is CR; `%t` is a tab; any
//!   other character after `%` stands for itself (`%%`, `%.`, `%!`, `% `). A lone `%` at
//!   the end is an error (Windows: ERROR_INVALID_PARAMETER).
//! - Width 0 ([`Width::Keep`]): CR, LF and CRLF in the text each become CRLF.
//!   [`Width::Unlimited`] (0xFF): each becomes a space; only `%n`/`%r` break lines.
//!   [`Width::Columns`]`(N)`: as Unlimited, and a line that reaches N characters breaks at
//!   its last run of spaces (the run is dropped), or right there if it has none (a word
//!   longer than a line is split hard). Only the space character is a break point.
//! - IGNORE_INSERTS: inserts (with their `!spec!`), `%%`, `%.`, `%!`, `% ` stay as written;
//!   `%n`, `%r`, `%t`, `%0` and line-break handling still act.
//! - A missing argument is an error naming the insert and the argument.
//!
//! # Decisions where the documentation is silent
//!
//! Each is marked "decision" in the test-vector table (`tests/vectors.rs`).
//!
//! - Arguments are typed, so `I64` inserts take one argument (Windows' argument array
//!   cannot carry 64-bit values). Integer conversions truncate the argument to their size
//!   (`h` 16 bits, none/`l`/`w`/`I32` 32 bits, `ll`/`I64`/`I` 64 bits) and accept a string
//!   that spells an integer (`42`, `-1`, `0x2A`); `c`/`C` accept a character, a
//!   one-character string or a code point. `s` with a number is an error (Windows would
//!   read the number as a pointer).
//! - Columns are counted in Unicode scalar values (Windows counts UTF-16 units: the same
//!   outside the astral planes).
//! - An insert's `!` with no closing `!` on the same line is an error; under IGNORE_INSERTS
//!   the `%N` is kept and the rest is ordinary text. An empty or malformed specification is an error.
//! - Widths and precisions above 32767 are errors (FormatMessage's output is at most 64K
//!   bytes).
//! - `0` pads strings and characters with zeros too, as the Microsoft C runtime does; a
//!   negative `*` width left-justifies, a negative `*` precision is ignored.
//! - Line breaks inside inserted text are copied as they are (not turned into CRLF) and
//!   restart the column count for wrapping.
//! - `%` followed by a line break drops the `%` and keeps the break.
//! - An empty result is an empty string (Windows returns 0 with ERROR_NO_WORK_DONE).
//!
//! # Event-log conventions ([MS-EVEN] 3.2.4.1.5)
//!
//! With [`Options::event_log`] set, `%%NNNN` in the message text or in string arguments
//! is replaced by parameter message NNNN, and `%{S-1-...}` / `%{GUID}` by a display name,
//! through the caller's [`EventLog`] functions. Unknown codes stay verbatim; nesting is
//! bounded by [`EventLog::max_depth`] and the total by [`MAX_SUBSTITUTIONS`]. Without it,
//! `%%1234` is the plain `%%` escape followed by `1234`.
//!
//! # Allocation
//!
//! Without the event-log extension, [`format()`] measures the output first and then writes
//! it into a `String` of exactly that capacity: one allocation, the size of the output.
//! Text with nothing to change is copied directly.
#![deny(missing_docs)]

mod args;
mod error;
mod event;
mod inserts;
mod out;
mod render;
mod spec;

pub use args::{parse_integer, Arg};
pub use error::{FormatError, FormatErrorKind};
pub use event::{EventLog, NameLookup, ParameterLookup, DEFAULT_MAX_DEPTH, MAX_SUBSTITUTIONS};
pub use inserts::{argument_kinds, inserts_named, ArgKind};
pub use out::Width;
pub use render::{Options, MAX_OUTPUT_BYTES};
pub use spec::MAX_FIELD;

use std::cell::Cell;

/// Renders `text` with `args` as FormatMessage does under `options`.
///
/// Errors name the insert and the byte offset of its `%` in `text`.
pub fn format(text: &str, args: &[Arg<'_>], options: &Options<'_>) -> Result<String, FormatError> {
    if options.event_log.is_none() {
        if is_verbatim(text, options.width) {
            if text.len() > options.max_output {
                return Err(FormatError {
                    offset: 0,
                    kind: FormatErrorKind::TooLong {
                        limit: options.max_output,
                    },
                });
            }
            return Ok(text.to_owned());
        }
        let mut counter = out::Counter::default();
        render::render(
            text,
            args,
            options,
            &mut counter,
            0,
            &Cell::new(MAX_SUBSTITUTIONS),
        )?;
        let mut s = String::with_capacity(counter.0);
        render::render(
            text,
            args,
            options,
            &mut s,
            0,
            &Cell::new(MAX_SUBSTITUTIONS),
        )?;
        return Ok(s);
    }
    let mut s = String::new();
    format_into(text, args, options, &mut s)?;
    Ok(s)
}

/// Renders like [`format()`], appending to `out`. On error `out` is left as it was.
pub fn format_into(
    text: &str,
    args: &[Arg<'_>],
    options: &Options<'_>,
    out: &mut String,
) -> Result<(), FormatError> {
    let start = out.len();
    let result = render::render(text, args, options, out, 0, &Cell::new(MAX_SUBSTITUTIONS));
    if result.is_err() {
        out.truncate(start);
    }
    result
}

/// Whether rendering `text` is a plain copy: no escapes, no line breaks, no wrapping.
fn is_verbatim(text: &str, width: Width) -> bool {
    let fits = match width {
        Width::Keep | Width::Unlimited => true,
        // Bytes >= characters, so this is a safe test that no line reaches N.
        Width::Columns(n) => text.len() < usize::from(n),
    };
    fits && memchr::memchr3(b'%', b'\r', b'\n', text.as_bytes()).is_none()
}
