//! Compiled event manifests: the `WEVT_TEMPLATE` resource of a module that declares event
//! providers (Windows Vista and later). For each provider it names the message of each event,
//! the link a manifest provider's record (EventID, Version, no Qualifiers) needs to reach its
//! text in the module's message table.
//!
//! Layout, from the public "Windows Event manifest binary format" notes of the libfwevt
//! project, checked against real modules (the tests read four): a `CRIM` header and a table
//! of providers (GUID, offset); each provider a `WEVT` header (its own message id, a table of
//! element offsets); among the elements, `EVNT` holds 48-byte event definitions. Offsets are
//! from the start of the resource. Only what leads to message ids is read; channels, levels,
//! tasks, opcodes, keywords, maps and templates are skipped.

use std::fmt;

/// A compiled event manifest: its providers, in the order it lists them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Manifest {
    /// The manifest's version (major, minor): 3.1 in the format notes, 5.1 in Windows 10's
    /// modules.
    pub version: (u16, u16),
    /// The event providers it declares.
    pub providers: Vec<ManifestProvider>,
}

/// One event provider of a manifest.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ManifestProvider {
    /// The provider's GUID as event logs show it: `{xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx}`,
    /// lowercase.
    pub guid: String,
    /// The message id of the provider's own name, if it has one.
    pub message_id: Option<u32>,
    /// Its event definitions, in the manifest's order.
    pub events: Vec<ManifestEvent>,
}

/// One event definition: the event descriptor and the id of its message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ManifestEvent {
    /// The event id (EventID of a record, without severity or customer bits).
    pub id: u16,
    /// The event's version (Version of a record).
    pub version: u8,
    /// Channel, level, opcode and task, as numbers.
    pub channel: u8,
    /// The level (1 critical ... 5 verbose).
    pub level: u8,
    /// The opcode.
    pub opcode: u8,
    /// The task.
    pub task: u16,
    /// The keyword bits.
    pub keywords: u64,
    /// The id of the event's message in the module's message table, if it has one.
    pub message_id: Option<u32>,
}

/// Why a manifest could not be read: where, and what was expected there.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ManifestError {
    /// Byte offset in the resource.
    pub offset: usize,
    /// What was expected there.
    pub expected: &'static str,
}

impl fmt::Display for ManifestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "WEVT_TEMPLATE at byte {}: expected {}",
            self.offset, self.expected
        )
    }
}

impl std::error::Error for ManifestError {}

/// "No message" in a message id field.
const NO_MESSAGE: u32 = 0xFFFF_FFFF;
/// Size of an event definition.
const EVENT_SIZE: usize = 48;

/// Reads the providers and event definitions of a `WEVT_TEMPLATE` resource.
pub fn read_manifest(bytes: &[u8]) -> Result<Manifest, ManifestError> {
    let r = Reader { bytes };
    r.signature(0, b"CRIM", "the signature \"CRIM\"")?;
    let version = (r.u16(8)?, r.u16(10)?);
    let count = r.u32(12)? as usize;
    let table = r.table(16, count, 20, "the provider table")?;
    let mut providers = Vec::with_capacity(count);
    for i in 0..count {
        let at = table + 20 * i;
        let guid = guid_text(r.bytes(at, 16, "a provider GUID")?);
        let offset = r.u32(at + 16)? as usize;
        providers.push(r.provider(offset, guid)?);
    }
    Ok(Manifest { version, providers })
}

/// Bounds-checked little-endian reads; every failure names its offset.
struct Reader<'a> {
    bytes: &'a [u8],
}

impl<'a> Reader<'a> {
    fn bytes(&self, at: usize, len: usize, what: &'static str) -> Result<&'a [u8], ManifestError> {
        at.checked_add(len)
            .and_then(|end| self.bytes.get(at..end))
            .ok_or(ManifestError {
                offset: at,
                expected: what,
            })
    }

    fn u16(&self, at: usize) -> Result<u16, ManifestError> {
        crate::le::u16_at(self.bytes, at).ok_or(ManifestError {
            offset: at,
            expected: "a 16-bit value",
        })
    }

    fn u32(&self, at: usize) -> Result<u32, ManifestError> {
        crate::le::u32_at(self.bytes, at).ok_or(ManifestError {
            offset: at,
            expected: "a 32-bit value",
        })
    }

    fn u64(&self, at: usize) -> Result<u64, ManifestError> {
        crate::le::u64_at(self.bytes, at).ok_or(ManifestError {
            offset: at,
            expected: "a 64-bit value",
        })
    }

    fn signature(
        &self,
        at: usize,
        magic: &[u8; 4],
        what: &'static str,
    ) -> Result<(), ManifestError> {
        match self.bytes(at, 4, what)? == magic {
            true => Ok(()),
            false => Err(ManifestError {
                offset: at,
                expected: what,
            }),
        }
    }

    /// Where a table of `count` entries of `size` bytes starts at `at`, once it is known to
    /// fit in the resource (a count read from the file never sizes an allocation unchecked).
    fn table(
        &self,
        at: usize,
        count: usize,
        size: usize,
        what: &'static str,
    ) -> Result<usize, ManifestError> {
        let len = count.checked_mul(size).ok_or(ManifestError {
            offset: at,
            expected: what,
        })?;
        self.bytes(at, len, what)?;
        Ok(at)
    }

    fn provider(&self, at: usize, guid: String) -> Result<ManifestProvider, ManifestError> {
        self.signature(at, b"WEVT", "a provider, signature \"WEVT\"")?;
        let message_id = message(self.u32(at + 8)?);
        let count = self.u32(at + 12)? as usize;
        let elements = self.table(at + 20, count, 8, "the provider's element table")?;
        let mut events = Vec::new();
        for i in 0..count {
            let offset = self.u32(elements + 8 * i)? as usize;
            if self.bytes(offset, 4, "a provider element")? == b"EVNT" {
                self.events(offset, &mut events)?;
            }
        }
        Ok(ManifestProvider {
            guid,
            message_id,
            events,
        })
    }

    fn events(&self, at: usize, events: &mut Vec<ManifestEvent>) -> Result<(), ManifestError> {
        let count = self.u32(at + 8)? as usize;
        let table = self.table(at + 16, count, EVENT_SIZE, "the event definitions")?;
        events.reserve(count);
        for i in 0..count {
            let e = table + EVENT_SIZE * i;
            let b = self.bytes(e, EVENT_SIZE, "an event definition")?;
            events.push(ManifestEvent {
                id: self.u16(e)?,
                version: b[2],
                channel: b[3],
                level: b[4],
                opcode: b[5],
                task: self.u16(e + 6)?,
                keywords: self.u64(e + 8)?,
                message_id: message(self.u32(e + 16)?),
            });
        }
        Ok(())
    }
}

fn message(id: u32) -> Option<u32> {
    (id != NO_MESSAGE).then_some(id)
}

/// A GUID's 16 bytes as event logs show it: the first three fields little-endian.
fn guid_text(b: &[u8]) -> String {
    let mut text = String::with_capacity(38);
    text.push('{');
    for (i, at) in [3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15]
        .into_iter()
        .enumerate()
    {
        if matches!(i, 4 | 6 | 8 | 10) {
            text.push('-');
        }
        text.push_str(&format!("{:02x}", b[at]));
    }
    text.push('}');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A manifest with one provider and its events, built as the layout says.
    fn manifest(events: &[(u16, u8, u32)]) -> Vec<u8> {
        let mut m = Vec::new();
        m.extend_from_slice(b"CRIM");
        m.extend_from_slice(&0u32.to_le_bytes()); // size, not checked
        m.extend_from_slice(&3u16.to_le_bytes());
        m.extend_from_slice(&1u16.to_le_bytes());
        m.extend_from_slice(&1u32.to_le_bytes());
        let guid = [
            0xd8, 0xdd, 0x65, 0xfc, 0xef, 0xd6, 0x62, 0x49, 0x83, 0xd5, 0x6e, 0x5c, 0xfe, 0x9c,
            0xe1, 0x48,
        ];
        m.extend_from_slice(&guid);
        m.extend_from_slice(&36u32.to_le_bytes()); // the provider right after
        m.extend_from_slice(b"WEVT");
        m.extend_from_slice(&0u32.to_le_bytes());
        m.extend_from_slice(&NO_MESSAGE.to_le_bytes());
        m.extend_from_slice(&1u32.to_le_bytes()); // one element
        m.extend_from_slice(&0u32.to_le_bytes());
        m.extend_from_slice(&64u32.to_le_bytes()); // EVNT at 36 + 20 + 8
        m.extend_from_slice(&0u32.to_le_bytes());
        m.extend_from_slice(b"EVNT");
        m.extend_from_slice(&0u32.to_le_bytes());
        m.extend_from_slice(&(events.len() as u32).to_le_bytes());
        m.extend_from_slice(&0u32.to_le_bytes());
        for &(id, version, message_id) in events {
            let mut e = [0u8; EVENT_SIZE];
            e[..2].copy_from_slice(&id.to_le_bytes());
            e[2] = version;
            e[4] = 4;
            e[8..16].copy_from_slice(&0x8000_0000_0000_0000u64.to_le_bytes());
            e[16..20].copy_from_slice(&message_id.to_le_bytes());
            m.extend_from_slice(&e);
        }
        m
    }

    #[test]
    fn reads_providers_and_events() {
        let bytes = manifest(&[(105, 0, 0x8000_0069), (6005, 1, NO_MESSAGE)]);
        let read = read_manifest(&bytes).unwrap();
        assert_eq!(read.version, (3, 1));
        let [provider] = read.providers.as_slice() else {
            panic!("{read:?}");
        };
        assert_eq!(provider.guid, "{fc65ddd8-d6ef-4962-83d5-6e5cfe9ce148}");
        assert_eq!(provider.message_id, None);
        assert_eq!(provider.events.len(), 2);
        assert_eq!(provider.events[0].id, 105);
        assert_eq!(provider.events[0].message_id, Some(0x8000_0069));
        assert_eq!(provider.events[0].level, 4);
        assert_eq!(provider.events[0].keywords, 0x8000_0000_0000_0000);
        assert_eq!(provider.events[1].version, 1);
        assert_eq!(provider.events[1].message_id, None);
    }

    #[test]
    fn every_cut_is_an_error_at_an_offset_never_a_panic() {
        let bytes = manifest(&[(1, 0, 7), (2, 0, 8)]);
        for len in 0..bytes.len() {
            // The error names where the missing part was expected.
            let err = read_manifest(&bytes[..len]).unwrap_err();
            assert!(err.offset <= bytes.len(), "{len}: {err}");
        }
        // A count no resource can hold is refused before anything is allocated for it.
        let mut huge = bytes.clone();
        huge[12..16].copy_from_slice(&u32::MAX.to_le_bytes());
        let err = read_manifest(&huge).unwrap_err();
        assert_eq!((err.offset, err.expected), (16, "the provider table"));
        let mut bad = bytes;
        bad[36..40].copy_from_slice(b"WEVX");
        assert_eq!(
            read_manifest(&bad).unwrap_err().to_string(),
            "WEVT_TEMPLATE at byte 36: expected a provider, signature \"WEVT\""
        );
    }
}
