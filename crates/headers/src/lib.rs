//! C header scanner: finds `#define`d codes with their lines, comments, groups and categories.
//!
//! Pure: text (or bytes) in, [`HeaderFile`] out; no I/O. The KB's importer walks header
//! trees, calls [`scan_bytes`] per file, [`resolve_across`] once per kit, and keeps what
//! [`is_code`] accepts.
//!
//! # What it finds
//!
//! Every object-like `#define NAME BODY` whose body is an integer expression, with:
//! - its value when the scanner can compute it exactly: literals (`0x80001083L`, `5UL`,
//!   octal, `i64`), `__MSABI_LONG(x)`, `_HRESULT_TYPEDEF_(x)`, `_NDIS_ERROR_TYPEDEF_(x)`,
//!   casts (`((DWORD)0x...L)`, `((NTSTATUS)0x...L)`, `(NTSTATUS) 0x...`, `(unsigned long)`),
//!   `MAKE_HRESULT(s,f,c)`, `MAKE_SCODE`, `HRESULT_FROM_WIN32(x)`, `HRESULT_FROM_NT(x)`,
//!   `NTSTATUS_FROM_WIN32(x)`, other names and function-like macros defined in the same file
//!   (`(NERR_BASE+2)`, `MAKE_AVIERR(3)`), and `| ^ & << >> + - * / % ~ !` with C's
//!   precedence and LLP64 integer types. Anything else is kept with `value: None` and an
//!   [`Definition::unevaluated_reason`]; values are never guessed;
//! - its C type (the outermost cast or typing macro, else the literal's C type);
//! - its line, the whole `#define` line (continuations joined), the comment block right above
//!   it verbatim ([`Definition::line_comments`]) and the message text in it (mc.exe's
//!   `MessageText:` block, wmc's `Approximate msg:` line);
//! - its group: the nearest heading-like comment block above it ([`Group`], with the range
//!   of its members' low 16 bits);
//! - its category: the header's own title when its preamble names its codes (netevent.h:
//!   "Network events"), else from the header, the name's prefix and the C type ("Win32
//!   error", "HRESULT", "NTSTATUS", "Event message"...).
//!
//! Preprocessor conditionals are not evaluated: a name defined in both branches of an
//! `#if` appears twice, each with its own line. A name used in an expression has a value
//! only when all its definitions in the file agree.
//!
//! # Which definitions are codes
//!
//! [`is_code`] is the import rule; its documentation states it with the counts it gives on
//! the mingw-w64 10.0.0 and ziglang 0.15.1 header trees.
//!
//! # Failure modes
//!
//! Scanning never fails and never panics. Binary files (a NUL byte) are reported as one
//! [`Diagnostic`] and not scanned; non-UTF-8 text is read as Windows-1252 with a
//! diagnostic naming the first bad byte; unterminated comments and malformed `#define`
//! lines are reported with line and column and scanning goes on.
#![deny(missing_docs)]

mod category;
mod expr;
mod lines;
mod model;
mod resolve;
mod rule;
mod scan;

pub use model::{Definition, Diagnostic, Group, HeaderFile};
pub use resolve::resolve_across;
pub use rule::{is_code, is_code_header, CODE_HEADERS};
pub use scan::{scan, scan_bytes};
