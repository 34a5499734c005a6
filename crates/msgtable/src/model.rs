//! The in-memory message table: what the reader produces and the writer consumes.

use crate::codepage::{CodePage, Unmappable};
use std::borrow::Cow;
use std::collections::BTreeMap;

/// How an entry's text is encoded: the `Flags` field of a MESSAGE_RESOURCE_ENTRY.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Encoding {
    /// Flags 0: bytes in an ANSI code page (by default the one of the resource's language).
    Ansi,
    /// Flags 1 (MESSAGE_RESOURCE_UNICODE): UTF-16LE.
    Unicode,
    /// Flags 2 (MESSAGE_RESOURCE_UTF8): UTF-8.
    Utf8,
}

impl Encoding {
    /// The `Flags` value stored in the file.
    pub fn flags(self) -> u16 {
        match self {
            Encoding::Ansi => 0,
            Encoding::Unicode => 1,
            Encoding::Utf8 => 2,
        }
    }

    /// The encoding for a `Flags` value, `None` for values Windows does not define.
    pub fn from_flags(flags: u16) -> Option<Encoding> {
        match flags {
            0 => Some(Encoding::Ansi),
            1 => Some(Encoding::Unicode),
            2 => Some(Encoding::Utf8),
            _ => None,
        }
    }

    /// Bytes per code unit, which is also the size of the terminator.
    pub fn unit_size(self) -> usize {
        match self {
            Encoding::Unicode => 2,
            Encoding::Ansi | Encoding::Utf8 => 1,
        }
    }

    /// A short lowercase name: `ansi`, `unicode` or `utf8`.
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Ansi => "ansi",
            Encoding::Unicode => "unicode",
            Encoding::Utf8 => "utf8",
        }
    }
}

/// One message: its encoding and its encoded text, without terminator or padding.
///
/// The bytes are kept as stored so that a table read and written again is the same table
/// (ANSI bytes stay ANSI bytes, unpaired UTF-16 surrogates survive).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Entry {
    /// How [`Entry::bytes`] is encoded.
    pub encoding: Encoding,
    /// The encoded text, without its terminator and padding.
    pub bytes: Vec<u8>,
}

impl Entry {
    /// An UTF-16LE entry (what mc.exe writes with `-u`/`-U` and GNU windmc by default).
    pub fn unicode(text: &str) -> Entry {
        Entry {
            encoding: Encoding::Unicode,
            bytes: text.encode_utf16().flat_map(u16::to_le_bytes).collect(),
        }
    }

    /// An UTF-8 entry (flags 2).
    pub fn utf8(text: &str) -> Entry {
        Entry {
            encoding: Encoding::Utf8,
            bytes: text.as_bytes().to_vec(),
        }
    }

    /// An ANSI entry: `text` encoded in `code_page`; fails on a character the code page
    /// cannot represent (naming the first one).
    pub fn ansi(text: &str, code_page: CodePage) -> Result<Entry, Unmappable> {
        Ok(Entry {
            encoding: Encoding::Ansi,
            bytes: code_page.encode(text)?,
        })
    }

    /// An entry from already encoded bytes (no terminator).
    pub fn from_bytes(encoding: Encoding, bytes: Vec<u8>) -> Entry {
        Entry { encoding, bytes }
    }

    /// The text; ANSI bytes are decoded with `ansi_code_page`. Undecodable input becomes
    /// U+FFFD (the bytes themselves stay untouched in [`Entry::bytes`]).
    pub fn text(&self, ansi_code_page: CodePage) -> Cow<'_, str> {
        decode_text(self.encoding, &self.bytes, ansi_code_page)
    }
}

/// Decodes `bytes` (no terminator) of the given encoding.
pub(crate) fn decode_text(encoding: Encoding, bytes: &[u8], ansi: CodePage) -> Cow<'_, str> {
    match encoding {
        Encoding::Ansi => ansi.decode(bytes),
        Encoding::Utf8 => String::from_utf8_lossy(bytes),
        Encoding::Unicode => {
            let units = bytes
                .chunks_exact(2)
                .map(|pair| u16::from_le_bytes([pair[0], pair[1]]));
            Cow::Owned(
                char::decode_utf16(units)
                    .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
                    .collect(),
            )
        }
    }
}

/// A message table: message id -> entry, kept sorted by id (the order the format needs).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MessageTable {
    /// The messages by id.
    pub entries: BTreeMap<u32, Entry>,
}

impl MessageTable {
    /// An empty table.
    pub fn new() -> MessageTable {
        MessageTable::default()
    }

    /// Adds or replaces the entry for `id`, returning the one it replaced.
    pub fn insert(&mut self, id: u32, entry: Entry) -> Option<Entry> {
        self.entries.insert(id, entry)
    }

    /// The entry for `id`.
    pub fn get(&self, id: u32) -> Option<&Entry> {
        self.entries.get(&id)
    }

    /// The number of messages.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the table holds no message.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The MESSAGE_RESOURCE_DATA bytes of this table (see [`crate::write`]).
    pub fn to_bytes(&self) -> Result<Vec<u8>, crate::WriteError> {
        crate::write(self)
    }
}
