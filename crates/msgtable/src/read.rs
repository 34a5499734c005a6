//! MESSAGE_RESOURCE_DATA reader: strict (first defect is an error) and lenient (keep every
//! valid entry, report the rest). Entries borrow their text from the input.

use crate::codepage::CodePage;
use crate::le::{u16_at, u32_at};
use crate::model::{decode_text, Encoding, Entry, MessageTable};
use std::borrow::Cow;
use std::fmt;

/// What is wrong at some place of a message table.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum DefectKind {
    /// Fewer than 4 bytes: no block count.
    MissingBlockCount {
        /// The table's length.
        len: usize,
    },
    /// The block array `count * 12` bytes runs past the end of the table.
    BlocksPastEnd {
        /// The block count in the file.
        count: u32,
    },
    /// A block whose `HighId` is below its `LowId`.
    BlockIdsReversed {
        /// LowId.
        low: u32,
        /// HighId.
        high: u32,
    },
    /// A block whose ids are not above the previous block's ids (blocks must be sorted and
    /// must not overlap).
    BlockNotAscending {
        /// LowId of this block.
        low: u32,
        /// HighId of the previous block.
        previous_high: u32,
    },
    /// `OffsetToEntries` points past the end of the table or into the block array.
    EntriesOffsetOutOfBounds {
        /// The offset in the file.
        offset: u32,
    },
    /// The entry's 4-byte head runs past the end of the table.
    EntryHeadPastEnd,
    /// An entry length below 4 (the head alone takes 4 bytes).
    EntryLengthTooSmall {
        /// The length field.
        length: u16,
    },
    /// An entry length that is not a multiple of 4.
    EntryLengthUnaligned {
        /// The length field.
        length: u16,
    },
    /// The entry runs past the end of the table.
    EntryPastEnd {
        /// The length field.
        length: u16,
    },
    /// The entry overlaps bytes already used by another entry.
    EntryOverlaps,
    /// A `Flags` value other than 0 (ANSI), 1 (UTF-16LE) and 2 (UTF-8).
    UnknownFlags {
        /// The flags field.
        flags: u16,
    },
    /// No terminating NUL (of the entry's unit size) inside the entry.
    MissingTerminator,
    /// Nonzero bytes after the terminator.
    NonzeroPadding,
    /// The same id appears in two blocks (lenient mode keeps the first).
    DuplicateId,
}

impl fmt::Display for DefectKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DefectKind::MissingBlockCount { len } => {
                write!(f, "table of {len} bytes has no 4-byte block count")
            }
            DefectKind::BlocksPastEnd { count } => {
                write!(f, "{count} blocks of 12 bytes run past the end of the table")
            }
            DefectKind::BlockIdsReversed { low, high } => {
                write!(f, "block HighId 0x{high:X} is below LowId 0x{low:X}")
            }
            DefectKind::BlockNotAscending { low, previous_high } => write!(
                f,
                "block LowId 0x{low:X} is not above the previous block's HighId 0x{previous_high:X} (blocks must be sorted, without overlap)"
            ),
            DefectKind::EntriesOffsetOutOfBounds { offset } => write!(
                f,
                "OffsetToEntries 0x{offset:X} is outside the entry area of the table"
            ),
            DefectKind::EntryHeadPastEnd => write!(f, "entry head (4 bytes) runs past the end"),
            DefectKind::EntryLengthTooSmall { length } => {
                write!(f, "entry length {length} is below the 4-byte head")
            }
            DefectKind::EntryLengthUnaligned { length } => {
                write!(f, "entry length {length} is not a multiple of 4")
            }
            DefectKind::EntryPastEnd { length } => {
                write!(f, "entry of {length} bytes runs past the end of the table")
            }
            DefectKind::EntryOverlaps => write!(f, "entry overlaps another entry"),
            DefectKind::UnknownFlags { flags } => write!(
                f,
                "entry flags 0x{flags:X} are none of 0 (ANSI), 1 (UTF-16LE), 2 (UTF-8)"
            ),
            DefectKind::MissingTerminator => write!(f, "entry text has no terminating NUL"),
            DefectKind::NonzeroPadding => write!(f, "nonzero bytes after the terminating NUL"),
            DefectKind::DuplicateId => write!(f, "message id already defined by an earlier block"),
        }
    }
}

/// A defect of a message table: where (byte offset in the table, and the message id when
/// known) and what.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub struct ReadError {
    /// Byte offset, from the start of the table, of the field that is wrong.
    pub offset: usize,
    /// The message id the defect belongs to, when it belongs to one.
    pub id: Option<u32>,
    /// What is wrong.
    pub kind: DefectKind,
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "at byte 0x{:X}", self.offset)?;
        if let Some(id) = self.id {
            write!(f, " (message 0x{id:08X})")?;
        }
        write!(f, ": {}", self.kind)
    }
}

/// One message, borrowed from the table bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EntryRef<'a> {
    /// The message id.
    pub id: u32,
    /// The encoding given by the entry's flags.
    pub encoding: Encoding,
    /// The encoded text, up to (without) the first terminator.
    pub bytes: &'a [u8],
    /// Byte offset of the entry's head in the table.
    pub offset: usize,
}

impl<'a> EntryRef<'a> {
    /// The text; ANSI entries are decoded with `ansi_code_page`. UTF-8 text is borrowed.
    pub fn text(&self, ansi_code_page: CodePage) -> Cow<'a, str> {
        decode_text(self.encoding, self.bytes, ansi_code_page)
    }

    /// An owned copy.
    pub fn to_entry(&self) -> Entry {
        Entry::from_bytes(self.encoding, self.bytes.to_vec())
    }
}

/// A message table read from bytes, borrowing them: entries in id order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TableRef<'a> {
    /// The messages, sorted by id, each id once.
    pub entries: Vec<EntryRef<'a>>,
}

impl<'a> TableRef<'a> {
    /// The entry for `id`.
    pub fn get(&self, id: u32) -> Option<&EntryRef<'a>> {
        self.entries
            .binary_search_by_key(&id, |e| e.id)
            .ok()
            .map(|i| &self.entries[i])
    }

    /// An owned copy of the table.
    pub fn to_table(&self) -> MessageTable {
        MessageTable {
            entries: self.entries.iter().map(|e| (e.id, e.to_entry())).collect(),
        }
    }
}

/// Reads a table strictly: sorted, non-overlapping blocks; offsets and lengths in bounds;
/// lengths multiples of 4; known flags; a terminator and zero padding in every entry.
/// The first defect is the error.
pub fn read(data: &[u8]) -> Result<TableRef<'_>, ReadError> {
    let mut first = None;
    let table = walk(data, &mut |e| {
        first = Some(e);
        false
    });
    match first {
        Some(e) => Err(e),
        None => Ok(table),
    }
}

/// Reads a table leniently: every entry that can be located and has known flags is kept
/// (a missing terminator or nonzero padding is reported but the text is kept); the defects
/// are returned beside the table.
pub fn read_lenient(data: &[u8]) -> (TableRef<'_>, Vec<ReadError>) {
    let mut defects = Vec::new();
    let table = walk(data, &mut |e| {
        defects.push(e);
        true
    });
    (table, defects)
}

/// Reads a table strictly into an owned [`MessageTable`].
pub fn read_table(data: &[u8]) -> Result<MessageTable, ReadError> {
    read(data).map(|t| t.to_table())
}

/// Walks the table, calling `report` for each defect; `report` returns whether to go on.
/// Allocation is bounded by the input: blocks are checked against the length before any
/// is read, and entries may not overlap, so there are at most `len / 4` of them.
fn walk<'a>(data: &'a [u8], report: &mut dyn FnMut(ReadError) -> bool) -> TableRef<'a> {
    let mut entries: Vec<EntryRef<'a>> = Vec::new();
    let defect = |offset: usize, id: Option<u32>, kind| ReadError { offset, id, kind };
    let Some(count) = u32_at(data, 0) else {
        report(defect(
            0,
            None,
            DefectKind::MissingBlockCount { len: data.len() },
        ));
        return TableRef { entries };
    };
    let blocks_end = (count as usize)
        .checked_mul(12)
        .and_then(|n| n.checked_add(4))
        .filter(|&end| end <= data.len());
    let Some(blocks_end) = blocks_end else {
        report(defect(0, None, DefectKind::BlocksPastEnd { count }));
        return TableRef { entries };
    };
    // Byte ranges of accepted entries, to refuse overlaps (and with them, unbounded counts).
    let mut used: std::collections::BTreeMap<usize, usize> = std::collections::BTreeMap::new();
    let mut previous_high: Option<u32> = None;
    let mut sorted = true;
    'blocks: for block in 0..count as usize {
        let at = 4 + block * 12;
        let (Some(low), Some(high), Some(offset)) =
            (u32_at(data, at), u32_at(data, at + 4), u32_at(data, at + 8))
        else {
            break; // unreachable: blocks_end was checked
        };
        if high < low {
            if !report(defect(
                at + 4,
                None,
                DefectKind::BlockIdsReversed { low, high },
            )) {
                break;
            }
            continue;
        }
        if let Some(previous_high) = previous_high {
            if low <= previous_high {
                sorted = false;
                if !report(defect(
                    at,
                    Some(low),
                    DefectKind::BlockNotAscending { low, previous_high },
                )) {
                    break;
                }
            }
        }
        previous_high = Some(previous_high.map_or(high, |p| p.max(high)));
        let start = offset as usize;
        if start < blocks_end || start >= data.len() {
            if !report(defect(
                at + 8,
                Some(low),
                DefectKind::EntriesOffsetOutOfBounds { offset },
            )) {
                break;
            }
            continue;
        }
        let mut pos = start;
        for id in low..=high {
            let fail = |kind| defect(pos, Some(id), kind);
            let (Some(length), Some(flags)) = (u16_at(data, pos), u16_at(data, pos + 2)) else {
                if !report(fail(DefectKind::EntryHeadPastEnd)) {
                    break 'blocks;
                }
                break;
            };
            let len = usize::from(length);
            if len < 4 {
                if !report(fail(DefectKind::EntryLengthTooSmall { length })) {
                    break 'blocks;
                }
                break;
            }
            let end = pos + len;
            if end > data.len() {
                if !report(fail(DefectKind::EntryPastEnd { length })) {
                    break 'blocks;
                }
                break;
            }
            if overlaps(&used, pos, end) {
                if !report(fail(DefectKind::EntryOverlaps)) {
                    break 'blocks;
                }
                break;
            }
            if len % 4 != 0 && !report(fail(DefectKind::EntryLengthUnaligned { length })) {
                break 'blocks;
            }
            let next = pos + len;
            let Some(encoding) = Encoding::from_flags(flags) else {
                if !report(defect(
                    pos + 2,
                    Some(id),
                    DefectKind::UnknownFlags { flags },
                )) {
                    break 'blocks;
                }
                pos = next;
                continue;
            };
            let body = &data[pos + 4..end];
            let (text, terminated) = split_terminator(body, encoding.unit_size());
            if !terminated {
                if !report(fail(DefectKind::MissingTerminator)) {
                    break 'blocks;
                }
            } else {
                let padding = &body[text.len() + encoding.unit_size()..];
                if padding.iter().any(|&b| b != 0) && !report(fail(DefectKind::NonzeroPadding)) {
                    break 'blocks;
                }
            }
            entries.push(EntryRef {
                id,
                encoding,
                bytes: text,
                offset: pos,
            });
            pos = next;
        }
        if pos > start {
            used.insert(start, pos);
        }
    }
    if !sorted {
        // Keep the first entry of each id, in id order.
        entries.sort_by_key(|e| e.id); // stable: earlier blocks first
        let mut kept: Vec<EntryRef<'a>> = Vec::with_capacity(entries.len());
        for entry in entries {
            if kept.last().is_some_and(|k| k.id == entry.id) {
                report(defect(
                    entry.offset,
                    Some(entry.id),
                    DefectKind::DuplicateId,
                ));
            } else {
                kept.push(entry);
            }
        }
        entries = kept;
    }
    TableRef { entries }
}

/// Whether `start..end` meets one of the disjoint ranges in `used` (start -> end).
fn overlaps(used: &std::collections::BTreeMap<usize, usize>, start: usize, end: usize) -> bool {
    used.range(..end)
        .next_back()
        .is_some_and(|(_, &used_end)| used_end > start)
}

/// Splits `body` at its first terminator unit; returns the text and whether one was found.
/// UTF-16 text without terminator drops a trailing odd byte.
fn split_terminator(body: &[u8], unit: usize) -> (&[u8], bool) {
    if unit == 1 {
        match body.iter().position(|&b| b == 0) {
            Some(i) => (&body[..i], true),
            None => (body, false),
        }
    } else {
        match body.chunks_exact(2).position(|p| p == [0, 0]) {
            Some(i) => (&body[..2 * i], true),
            None => (&body[..body.len() & !1], false),
        }
    }
}
