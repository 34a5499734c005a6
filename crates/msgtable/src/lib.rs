//! Message tables (RT_MESSAGETABLE, MESSAGE_RESOURCE_DATA): read and write them, find them
//! in PE32/PE32+ modules, `.mui` files, `.res` files and raw `.bin` files, and name their
//! languages.
//!
//! # The model and the writer (stable API)
//!
//! [`MessageTable`] maps message ids to [`Entry`]s (`BTreeMap<u32, Entry>`); an entry is its
//! [`Encoding`] (`Ansi`, `Unicode`, `Utf8`: the flags 0, 1, 2) and its encoded bytes without
//! terminator. [`write()`] turns a table into the bytes mc.exe and GNU windmc write to
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
//! [`CodePage`] (usually [`lang::ansi_code_page`] of the resource's language).
//!
//! # Containers
//!
//! [`extract`] finds every RT_MESSAGETABLE (type 11) under every name and language of a file,
//! by its magic: PE32/PE32+ modules and `.mui` files ([`extract_pe`], through the `object`
//! crate, reading only headers, the resource directory and the tables), `.res` files
//! ([`extract_res`], as rc.exe, GNU windres and Wine's wmc write them), or a raw table
//! (`MSG00409.bin`: [`BinTableName`] reads the language from the name). The tables
//! borrow their bytes from the file ([`TableResource::data`] is exactly what is stored).
//! Hostile files end in [`ContainerError`]s, never a panic: the resource walk enters each
//! directory table at most once (loops and shared subtables are reported), and no count read
//! from a file sizes an allocation before it is checked against the file's length.
//!
//! # Event manifests
//!
//! [`wevt_templates`] finds a module's `WEVT_TEMPLATE` resources and [`read_manifest`] reads
//! one: each event provider's GUID and, for each event id and version, the id of its message
//! in the module's message table.
//!
//! # Languages
//!
//! [`lang`] re-exports `werr-lang`'s table (LANGID <-> BCP-47, [`parse_language`] for `de`,
//! `0x407` or `1031`) and adds [`lang::ansi_code_page`], the [`CodePage`] of a language's
//! ANSI entries. Which language to show is `werr_lang::LangRequest`'s to choose.
#![deny(missing_docs)]

mod bin_name;
mod choose;
mod codepage;
mod container;
pub mod lang;
mod le;
mod model;
mod read;
mod wevt;
mod write;

pub use bin_name::BinTableName;
pub use choose::{choose_tables, ChosenTable};
pub use codepage::{CodePage, Unmappable};
pub use container::{
    detect, extract, extract_pe, extract_res, wevt_templates, ContainerError, ContainerErrorKind,
    Extracted, FileKind, ResourceName, TableResource, RT_MESSAGETABLE,
};
pub use lang::{parse_language, Language};
pub use model::{Encoding, Entry, MessageTable};
pub use read::{read, read_lenient, read_table, DefectKind, EntryRef, ReadError, TableRef};
pub use wevt::{read_manifest, Manifest, ManifestError, ManifestEvent, ManifestProvider};
pub use write::{write, WriteError};
