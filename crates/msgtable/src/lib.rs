//! Message tables (RT_MESSAGETABLE, MESSAGE_RESOURCE_DATA): read and write them, find them
//! in PE32/PE32+ modules, `.mui` files, `.res` files and raw `.bin` files, and name their
//! languages.
//!
//! # The model and the writer (stable API)
//!
//! [`MessageTable`] maps message ids to [`Entry`]s (`BTreeMap<u32, Entry>`); an entry is its
//! [`Encoding`] (`Ansi`, `Unicode`, `Utf8`: the flags 0, 1, 2) and its encoded bytes without
//! terminator. [`write`] turns a table into the bytes mc.exe and GNU windmc write to
//! `MSGxxxxx.bin`, byte for byte:
//!
//! ```
//! use werr_msgtable::{write, Entry, MessageTable};
//! let mut table = MessageTable::new();
//! table.insert(1, Entry::unicode("Hello\n"));
//! table.insert(2, Entry::unicode("abc\n"));
//! let bytes = write(&table).unwrap();
//! assert_eq!(&bytes[..16], &[1, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 16, 0, 0, 0]);
//! assert_eq!(werr_msgtable::read_table(&bytes).unwrap(), table);
//! ```
//!
//! # Reading
//!
//! [`read`] is strict: the first defect is a [`ReadError`] naming its byte offset (and the
//! message id) and what was expected. [`read_lenient`] keeps every entry it can locate and
//! returns the defects beside them. Both borrow: a [`TableRef`] holds [`EntryRef`]s pointing
//! into the input; [`EntryRef::text`] decodes (UTF-8 text stays borrowed), ANSI entries with a
//! [`CodePage`] (usually the ANSI code page of the resource's language).
#![deny(missing_docs)]

mod codepage;
mod container;
pub mod lang;
mod model;
mod read;
mod write;

pub use codepage::{CodePage, Unmappable};
pub use container::{
    detect, extract, extract_pe, extract_res, langid_from_bin_name, ContainerError,
    ContainerErrorKind, Extracted, FileKind, ResourceName, TableResource, RT_MESSAGETABLE,
};
pub use lang::{parse_language, Language};
pub use model::{Encoding, Entry, MessageTable};
pub use read::{read, read_lenient, read_table, DefectKind, EntryRef, ReadError, TableRef};
pub use write::{write, WriteError};
