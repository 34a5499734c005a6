//! Compiled template definitions shared by every chunk of a log.
//!
//! Each chunk stores its own copy of every template definition its records use, and the
//! chunks of one log repeat each other's definitions many times over. A definition
//! compiled in one chunk serves another chunk when its bytes are the same there, apart from
//! what depends on where it sits:
//! - each name reference (a chunk offset) must point at the same place inside the
//!   definition, or, for a name stored elsewhere in the chunk, at a name of the same text;
//! - the hash-chain link of each name stored inside the definition is not compared (it
//!   names the next entry of the chunk's own string table).
//!
//! Any other difference is a miss, and the definition is compiled again for that chunk. So
//! a shared compile is only ever used where compiling would give the same result.

use super::{read_u16, read_u32, Template, TEMPLATE_HEADER_SIZE};
// foldhash: these maps are looked up for every record; its hash, seeded per process as
// SipHash is, costs a fraction of SipHash's on short keys.
use foldhash::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

/// At most this many definitions are kept (a real log has tens; damaged or crafted input
/// cannot grow the store without bound).
const MAX_STORED: usize = 4096;
/// At most this many different definitions are kept under one GUID and size.
const MAX_VARIANTS: usize = 8;

/// A template definition's GUID and data size.
type Identity = ([u8; 16], u32);

/// The definitions compiled so far, for every chunk of a run.
#[derive(Default)]
pub(crate) struct TemplateStore {
    stored: Mutex<Stored>,
}

#[derive(Default)]
struct Stored {
    by_identity: HashMap<Identity, Vec<Arc<Compiled>>>,
    count: usize,
}

/// One compiled definition and what a definition in another chunk must match to share it.
struct Compiled {
    template: Arc<Template>,
    /// The definition's data (after its header), as it was compiled.
    body: Box<[u8]>,
    /// The places in `body` that depend on the chunk, by position, not overlapping.
    holes: Box<[Hole]>,
}

/// A 4-byte field of a definition whose value depends on the chunk.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Hole {
    /// Offset of the field in the definition's data.
    at: usize,
    kind: HoleKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum HoleKind {
    /// A name reference to a name stored in the definition itself, this many bytes into its
    /// data.
    NameInside { target: usize },
    /// A name reference to a name stored elsewhere in the chunk: its UTF-16 characters.
    NameOutside { characters: Box<[u8]> },
    /// The hash-chain link at the start of a name stored in the definition.
    Link,
}

/// Records the holes of a definition while it is compiled.
pub(crate) struct Holes {
    /// Chunk offsets of the definition's data.
    start: usize,
    end: usize,
    list: Vec<Hole>,
}

impl Holes {
    /// A name reference read at chunk offset `field`, pointing at chunk offset `name`, whose
    /// `characters` the compile read.
    pub(crate) fn name_reference(&mut self, field: usize, name: usize, characters: &[u8]) {
        let at = field - self.start;
        // The name structure's header (link, hash, length) and characters, as compiled.
        let inside = name >= self.start && name + 8 + characters.len() <= self.end;
        if inside {
            let target = name - self.start;
            self.list.push(Hole {
                at,
                kind: HoleKind::NameInside { target },
            });
            self.list.push(Hole {
                at: target,
                kind: HoleKind::Link,
            });
        } else {
            self.list.push(Hole {
                at,
                kind: HoleKind::NameOutside {
                    characters: characters.into(),
                },
            });
        }
    }

    /// The holes in order, or `None` when two overlap (only damaged definitions do that;
    /// they are not shared).
    fn finish(mut self) -> Option<Box<[Hole]>> {
        self.list.sort_by_key(|hole| hole.at);
        self.list.dedup();
        let overlapping = self.list.windows(2).any(|pair| pair[1].at < pair[0].at + 4);
        let outside = self
            .list
            .last()
            .is_some_and(|hole| hole.at + 4 > self.end - self.start);
        (!overlapping && !outside).then(|| self.list.into_boxed_slice())
    }
}

impl TemplateStore {
    /// The compiled definition at chunk offset `offset`: one compiled for another chunk when
    /// it matches there, else `compile`'s, which is then kept for other chunks. `compile`
    /// gets a recorder for the definition's holes when the definition can be shared.
    pub(crate) fn get(
        &self,
        chunk: &[u8],
        offset: u32,
        compile: impl FnOnce(Option<&mut Holes>) -> Option<Template>,
    ) -> Option<Arc<Template>> {
        let Some((identity, start, end)) = identity(chunk, offset) else {
            return compile(None).map(Arc::new);
        };
        if let Some(list) = self.lock().by_identity.get(&identity) {
            if let Some(found) = list.iter().find(|c| c.matches(chunk, start)) {
                return Some(Arc::clone(&found.template));
            }
        }
        let mut holes = Holes {
            start,
            end,
            list: Vec::new(),
        };
        let template = Arc::new(compile(Some(&mut holes))?);
        if let Some(holes) = holes.finish() {
            let mut stored = self.lock();
            let stored = &mut *stored;
            let list = stored.by_identity.entry(identity).or_default();
            if stored.count < MAX_STORED && list.len() < MAX_VARIANTS {
                list.push(Arc::new(Compiled {
                    template: Arc::clone(&template),
                    body: chunk[start..end].into(),
                    holes,
                }));
                stored.count += 1;
            }
        }
        Some(template)
    }

    /// Locks the store; a thread that panicked left it consistent (entries go in whole).
    fn lock(&self) -> std::sync::MutexGuard<'_, Stored> {
        self.stored.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// The GUID and data size of the definition at `offset`, and the chunk offsets of its data,
/// when all of it lies inside the chunk.
fn identity(chunk: &[u8], offset: u32) -> Option<(Identity, usize, usize)> {
    let offset = offset as usize;
    let guid: [u8; 16] = chunk
        .get(offset + 4..offset.checked_add(20)?)?
        .try_into()
        .ok()?;
    let size = read_u32(chunk, offset + 20)?;
    let start = offset + TEMPLATE_HEADER_SIZE;
    let end = start.checked_add(size as usize)?;
    (end <= chunk.len()).then_some(((guid, size), start, end))
}

impl Compiled {
    /// Whether the definition whose data starts at chunk offset `start` compiles to this one.
    fn matches(&self, chunk: &[u8], start: usize) -> bool {
        let Some(body) = chunk.get(start..start + self.body.len()) else {
            return false;
        };
        let mut from = 0;
        for hole in self.holes.iter() {
            if body[from..hole.at] != self.body[from..hole.at] {
                return false;
            }
            let Some(field) = read_u32(body, hole.at) else {
                return false;
            };
            let field = field as usize;
            let same = match &hole.kind {
                HoleKind::Link => true,
                HoleKind::NameInside { target } => field == start + target,
                HoleKind::NameOutside { characters } => {
                    let count = read_u16(chunk, field.saturating_add(6)).map(usize::from);
                    count.and_then(|count| chunk.get(field + 8..field + 8 + count * 2))
                        == Some(&characters[..])
                }
            };
            if !same {
                return false;
            }
            from = hole.at + 4;
        }
        body[from..] == self.body[from..]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::builder::Spares;
    use crate::model::EventRecord;
    use crate::template::{record_from_template, RawRecord, TemplateCache};
    use evtx::{EvtxChunkHeader, EvtxRecordHeader};

    /// Each live record of `log`, read from its template (`None`: not taken), sharing
    /// definitions across chunks through `store`, or compiling them per chunk.
    fn records(log: &[u8], store: Option<&TemplateStore>) -> Vec<Option<Box<EventRecord>>> {
        let mut all = Vec::new();
        for chunk in log[4096..].chunks_exact(65536) {
            // Never-used chunks are zeroed.
            let Ok(header) = EvtxChunkHeader::from_bytes(chunk) else {
                continue;
            };
            let mut cache = match store {
                Some(store) => TemplateCache::sharing(store, Spares::default()),
                None => TemplateCache::default(),
            };
            let mut at = 512;
            while at < header.free_space_offset as usize {
                let record = EvtxRecordHeader::from_bytes_at(chunk, at).unwrap();
                let raw = RawRecord {
                    chunk,
                    binxml_offset: at + 24,
                    binxml_size: record.record_data_size().unwrap() as usize,
                    record_id: record.event_record_id,
                    recovered: false,
                };
                all.push(record_from_template(&raw, String::new, &mut cache));
                at += record.data_size as usize;
            }
        }
        all
    }

    fn system_log() -> Option<Vec<u8>> {
        let path = werr_testdata::corpus("evtx/system.evtx")?;
        Some(std::fs::read(path).unwrap())
    }

    #[test]
    fn each_definition_is_compiled_once_per_log() {
        let Some(log) = system_log() else {
            return;
        };
        let store = TemplateStore::default();
        let shared = records(&log, Some(&store));
        assert_eq!(shared, records(&log, None));
        assert_eq!(shared.len(), 1881);
        assert!(shared.iter().all(Option::is_some));
        // The chunks' records use 322 definitions, 94 of them distinct: each compiled once.
        let stored = store.lock();
        assert_eq!(stored.count, 94);
        assert_eq!(stored.by_identity.len(), 94);
    }

    #[test]
    fn a_definition_altered_in_another_chunk_is_compiled_again() {
        let Some(mut log) = system_log() else {
            return;
        };
        // Every other chunk calls the element `EventIX`: the same GUIDs and sizes, other
        // names (stored in the definitions, or outside them and referenced).
        let from: Vec<u8> = "EventID"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        let to: Vec<u8> = "EventIX"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        let mut altered = 0;
        for chunk in log[4096..].chunks_exact_mut(65536).skip(1).step_by(2) {
            for at in 0..chunk.len() - from.len() {
                if chunk[at..].starts_with(&from) {
                    chunk[at..at + to.len()].copy_from_slice(&to);
                    altered += 1;
                }
            }
        }
        assert!(altered >= 5, "{altered} names altered");
        let store = TemplateStore::default();
        let shared = records(&log, Some(&store));
        assert_eq!(shared, records(&log, None));
        // Without an EventID the template path does not take a record: only the records of
        // the chunks left as they were are read.
        let taken = shared.iter().filter(|r| r.is_some()).count();
        assert!(taken > 500 && taken < 1500, "{taken} records taken");
    }
}
