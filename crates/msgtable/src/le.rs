//! The crate's one little-endian reader: integers at a byte offset, bounds-checked through
//! `object`'s `Bytes` (the reader the PE parsing already uses), `None` past the end.

use object::endian::{LittleEndian as LE, U16, U32, U64};
use object::read::Bytes;

/// The `u16` at byte `at` of `data`.
pub(crate) fn u16_at(data: &[u8], at: usize) -> Option<u16> {
    Bytes(data).read_at::<U16<LE>>(at).ok().map(|v| v.get(LE))
}

/// The `u32` at byte `at` of `data`.
pub(crate) fn u32_at(data: &[u8], at: usize) -> Option<u32> {
    Bytes(data).read_at::<U32<LE>>(at).ok().map(|v| v.get(LE))
}

/// The `u64` at byte `at` of `data`.
pub(crate) fn u64_at(data: &[u8], at: usize) -> Option<u64> {
    Bytes(data).read_at::<U64<LE>>(at).ok().map(|v| v.get(LE))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_little_endian_and_refuses_past_the_end() {
        let data = [1, 2, 3, 4, 5, 6, 7, 8, 9];
        assert_eq!(u16_at(&data, 0), Some(0x0201));
        assert_eq!(u32_at(&data, 1), Some(0x0504_0302));
        assert_eq!(u64_at(&data, 1), Some(0x0908_0706_0504_0302));
        assert_eq!(u16_at(&data, 8), None);
        assert_eq!(u32_at(&data, 6), None);
        assert_eq!(u64_at(&data, 2), None);
        assert_eq!(u32_at(&data, usize::MAX), None);
    }
}
