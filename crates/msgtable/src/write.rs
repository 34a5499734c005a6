//! MESSAGE_RESOURCE_DATA writer, byte-identical to GNU windmc and mc.exe.

use crate::model::MessageTable;

/// Why a table cannot be written.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum WriteError {
    /// An entry's length field (u16) cannot hold the text.
    #[error("message 0x{id:08X}: {bytes} bytes of text do not fit an entry (at most 65528)")]
    EntryTooLong {
        /// The message id.
        id: u32,
        /// The encoded text length.
        bytes: usize,
    },
    /// The table would exceed 4 GiB, so offsets do not fit in 32 bits.
    #[error("the table would be larger than 4 GiB")]
    TableTooLarge,
}

/// The length of an entry holding `text_len` bytes: 4-byte head, text, one terminator unit,
/// zero padding up to a multiple of 4.
pub(crate) fn entry_length(text_len: usize, unit_size: usize) -> usize {
    (4 + text_len + unit_size).next_multiple_of(4)
}

/// Writes `table` as MESSAGE_RESOURCE_DATA: a `u32` block count; one block per run of
/// consecutive ids `{LowId, HighId, OffsetToEntries}` (u32 each) in id order; then every
/// entry `{Length: u16, Flags: u16, Text}` where Length counts the head, the text, a
/// terminator and zero padding to a multiple of 4. All little-endian. An empty table is
/// the 4 bytes of a zero count.
pub fn write(table: &MessageTable) -> Result<Vec<u8>, WriteError> {
    // Runs of consecutive ids: (low, high).
    let mut blocks: Vec<(u32, u32)> = Vec::new();
    for &id in table.entries.keys() {
        match blocks.last_mut() {
            Some((_, high)) if high.checked_add(1) == Some(id) => *high = id,
            _ => blocks.push((id, id)),
        }
    }
    let mut lengths = Vec::with_capacity(table.entries.len());
    for (&id, entry) in &table.entries {
        let length = entry_length(entry.bytes.len(), entry.encoding.unit_size());
        if length > usize::from(u16::MAX) {
            return Err(WriteError::EntryTooLong {
                id,
                bytes: entry.bytes.len(),
            });
        }
        lengths.push(length);
    }
    let total = 4 + 12 * blocks.len() + lengths.iter().sum::<usize>();
    if u32::try_from(total).is_err() {
        return Err(WriteError::TableTooLarge);
    }
    let mut out = Vec::with_capacity(total);
    let put = |out: &mut Vec<u8>, v: u32| out.extend_from_slice(&v.to_le_bytes());
    put(&mut out, blocks.len() as u32);
    let mut offset = 4 + 12 * blocks.len();
    let mut lengths_iter = lengths.iter();
    for &(low, high) in &blocks {
        put(&mut out, low);
        put(&mut out, high);
        put(&mut out, offset as u32);
        let count = (high - low) as usize + 1;
        offset += lengths_iter.by_ref().take(count).sum::<usize>();
    }
    for (entry, &length) in table.entries.values().zip(&lengths) {
        out.extend_from_slice(&(length as u16).to_le_bytes());
        out.extend_from_slice(&entry.encoding.flags().to_le_bytes());
        out.extend_from_slice(&entry.bytes);
        out.resize(out.len() + length - 4 - entry.bytes.len(), 0);
    }
    debug_assert_eq!(out.len(), total);
    Ok(out)
}
