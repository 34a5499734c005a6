//! The message compiler: `.mc` message text files in, mc.exe's outputs out, and back.
//!
//! This crate owns the `.mc` language and what mc.exe makes of it: the parser (with
//! `FILE:LINE:COL` errors), the model, the header (`.h`), resource script (`.rc`) and message
//! table (`MSGxxxxx.bin`) writers, and the decompiler from tables back to `.mc`. Reading and
//! writing MESSAGE_RESOURCE_DATA itself belongs to `werr-msgtable`, which this crate uses.
//! It does no I/O: bytes and text in, text and bytes out.
//!
//! # Compiling
//!
//! ```
//! use werr_mc::{compile, decode_source, parse, CompileOptions, InputEncoding, ParseOptions};
//! let source = b"MessageId=0x1083\nSeverity=Warning\nSymbolicName=MY_EVENT\n\
//!                Language=English\nSomething happened.\n.\n";
//! let text = decode_source(source, InputEncoding::Detect).unwrap();
//! let file = parse(&text, ParseOptions::default()).unwrap();
//! let out = compile(&file, &CompileOptions::default()).unwrap();
//! assert!(out.header.contains("#define MY_EVENT                         0x80001083L\r\n"));
//! assert_eq!(out.tables[0].file_name, "MSG00001.bin");
//! ```
//!
//! - [`decode_source`]: bytes to text (byte-order marks, UTF-16, UTF-8, ANSI code pages).
//! - [`parse`]: text to [`MessageFile`], or a [`Diagnostic`] with line and column; accepted
//!   oddities (an undeclared `Facility=Null`, a severity given by its symbol) become
//!   [`MessageFile::warnings`].
//! - [`compile`]: a [`MessageFile`] to [`Compiled`]: header, `.rc`, tables.
//! - [`write_header`] alone, with [`HeaderOptions`] (`-o`, `-d`, line ends).
//! - [`outline`]: the groups and the file description its `;` comments give.
//! - [`dbg_file`] (`-x`'s table of symbolic names) and [`encode_text`] (`-cp`: the `.h` and
//!   `.rc` files' encoding).
//!
//! # Decompiling
//!
//! [`decompile`] turns message tables (one per language) into `.mc` text that compiles back
//! to the same bytes, and says which options the compile needs ([`Decompiled::options`]).
//!
//! # Compatibility
//!
//! Output follows mc.exe: CRLF line ends, UTF-16LE tables, per-facility implicit ids,
//! Severity and Facility carried from message to message. `docs/mc-compatibility.md`
//! lists where GNU windmc and Wine's wmc differ and what werr does.
#![deny(missing_docs)]

mod compile;
mod decompile;
mod header;
mod model;
mod outline;
mod outputs;
mod parser;
mod source;

pub use compile::{
    ansi_code_page, compile, write_rc, CompileError, CompileOptions, Compiled, CompiledTable,
};
pub use decompile::{decompile, DecompileError, Decompiled, SourceTable};
pub use header::{define_value, write_header, HeaderOptions, LAYOUT_BOX};
pub use model::{
    Diagnostic, IdType, Item, LanguageName, Message, MessageFile, NameValue, Preamble, Text,
};
pub use outline::{outline, CommentGroup, Outline};
pub use outputs::{dbg_file, encode_text, EncodedText, TextEncoding};
pub use parser::{parse, ParseOptions};
pub use source::{decode_source, decode_source_owned, InputEncoding};
/// Windows code pages, from `werr-msgtable` (for encoding outputs as `-cp ansi`).
pub use werr_msgtable::CodePage;

/// Line ends of written text.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum LineEnding {
    /// `\r\n`, as mc.exe writes.
    #[default]
    Crlf,
    /// `\n`, as GNU windmc writes.
    Lf,
}

impl LineEnding {
    /// The characters of the line end.
    pub fn as_str(self) -> &'static str {
        match self {
            LineEnding::Crlf => "\r\n",
            LineEnding::Lf => "\n",
        }
    }
}
