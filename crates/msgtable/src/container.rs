//! Finding message tables in files: PE32/PE32+ modules and `.mui` files (through the
//! `object` crate), `.res` files (as rc.exe and GNU windres write them) and raw `.bin` tables.

use object::pe;
use object::read::pe::{ImageNtHeaders, ResourceDirectory, ResourceNameOrId};
use object::LittleEndian as LE;
use std::collections::HashSet;
use std::fmt;

/// The resource type id of message tables.
pub const RT_MESSAGETABLE: u16 = 11;

/// What kind of file a table came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FileKind {
    /// A PE32 module (`.dll`, `.exe`, `.sys`, `.mui`...).
    Pe32,
    /// A PE32+ (64-bit) module.
    Pe64,
    /// A compiled resource file (`.res`).
    Res,
    /// A raw MESSAGE_RESOURCE_DATA file (`MSG00409.bin`).
    Bin,
}

impl FileKind {
    /// A short name: `pe32`, `pe64`, `res`, `bin`.
    pub fn name(self) -> &'static str {
        match self {
            FileKind::Pe32 => "pe32",
            FileKind::Pe64 => "pe64",
            FileKind::Res => "res",
            FileKind::Bin => "bin",
        }
    }
}

/// The name of a resource: a number or a string.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ResourceName {
    /// A numeric name (message tables are almost always `1`).
    Id(u16),
    /// A string name.
    Name(String),
}

impl fmt::Display for ResourceName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ResourceName::Id(id) => write!(f, "{id}"),
            ResourceName::Name(name) => write!(f, "{name:?}"),
        }
    }
}

/// One RT_MESSAGETABLE resource, its bytes borrowed from the file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TableResource<'a> {
    /// The resource name.
    pub name: ResourceName,
    /// The resource language (LANGID).
    pub langid: u16,
    /// The MESSAGE_RESOURCE_DATA bytes, exactly as stored.
    pub data: &'a [u8],
    /// Byte offset of `data` in the file.
    pub file_offset: usize,
}

/// A defect of a container: where (byte offset in the file) and what.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("at byte 0x{offset:X}: {kind}")]
pub struct ContainerError {
    /// Byte offset in the file of what is wrong.
    pub offset: usize,
    /// What is wrong.
    pub kind: ContainerErrorKind,
}

/// What is wrong with a container.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ContainerErrorKind {
    /// The PE headers or section table are invalid (the message comes from `object`).
    #[error("invalid PE file: {0}")]
    BadPe(String),
    /// A resource directory table or entry is invalid.
    #[error("invalid resource directory: {0}")]
    BadResourceDirectory(String),
    /// A resource directory table is reached a second time (a loop or shared subtable).
    #[error("resource directory table at section offset 0x{0:X} reached twice (loop)")]
    DirectoryLoop(u32),
    /// A directory entry where resource data was expected, or the reverse.
    #[error("resource directory nesting is wrong: {0}")]
    BadNesting(&'static str),
    /// A resource data entry whose bytes are outside the file.
    #[error("resource data at RVA 0x{rva:X} ({size} bytes) is outside the file")]
    DataOutOfBounds {
        /// The data's RVA.
        rva: u32,
        /// The data's size.
        size: u32,
    },
    /// A `.res` resource header that is truncated or inconsistent.
    #[error("invalid .res resource header: {0}")]
    BadResHeader(&'static str),
    /// Not a PE, `.res` or message table file.
    #[error("not a PE module, .res file or message table")]
    UnknownFormat,
}

/// The message tables of one file, and what was wrong on the way.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Extracted<'a> {
    /// The file's kind.
    pub kind: FileKind,
    /// Every RT_MESSAGETABLE resource (from [`wevt_templates`]: every `WEVT_TEMPLATE`
    /// resource), in the file's order.
    pub tables: Vec<TableResource<'a>>,
    /// Defects that made some resources unreadable (the others are in `tables`).
    pub problems: Vec<ContainerError>,
}

/// The kind of a file by its first bytes: PE (`MZ` and a PE header) or `.res` (the empty
/// 32-byte first resource). `None` for anything else (a raw table has no magic).
pub fn detect(file: &[u8]) -> Option<FileKind> {
    if file.starts_with(b"MZ") {
        return match object::read::pe::optional_header_magic(file) {
            Ok(pe::IMAGE_NT_OPTIONAL_HDR64_MAGIC) => Some(FileKind::Pe64),
            Ok(_) => Some(FileKind::Pe32),
            Err(_) => Some(FileKind::Pe32),
        };
    }
    if file.len() >= 32
        && file[..8] == [0, 0, 0, 0, 32, 0, 0, 0]
        && file[8..12] == [0xFF, 0xFF, 0, 0]
    {
        return Some(FileKind::Res);
    }
    None
}

/// The message tables of a PE, `.mui` or `.res` file, found by its magic; a file with no
/// magic is taken as a raw table in `bin_langid` when it reads as MESSAGE_RESOURCE_DATA
/// (strictly, or leniently with at least one message).
pub fn extract(file: &[u8], bin_langid: u16) -> Result<Extracted<'_>, ContainerError> {
    match detect(file) {
        Some(FileKind::Res) => Ok(extract_res(file)),
        Some(_) => extract_pe(file),
        None => {
            // A raw table has no magic: it is one if it reads strictly, or if a lenient read
            // salvages messages (then the defects are the reader's to report).
            let readable =
                crate::read(file).is_ok() || !crate::read_lenient(file).0.entries.is_empty();
            if !readable {
                return Err(ContainerError {
                    offset: 0,
                    kind: ContainerErrorKind::UnknownFormat,
                });
            }
            Ok(Extracted {
                kind: FileKind::Bin,
                tables: vec![TableResource {
                    name: ResourceName::Id(1),
                    langid: bin_langid,
                    data: file,
                    file_offset: 0,
                }],
                problems: Vec::new(),
            })
        }
    }
}

/// The message tables of a PE32/PE32+ module or `.mui` file. Only the headers, the section
/// table, the resource directory and the tables themselves are read.
pub fn extract_pe(file: &[u8]) -> Result<Extracted<'_>, ContainerError> {
    match object::read::pe::optional_header_magic(file) {
        Ok(pe::IMAGE_NT_OPTIONAL_HDR64_MAGIC) => extract_pe_as::<pe::ImageNtHeaders64>(file),
        Ok(_) => extract_pe_as::<pe::ImageNtHeaders32>(file),
        Err(e) => Err(bad_pe(e)),
    }
}

fn bad_pe(e: object::read::Error) -> ContainerError {
    ContainerError {
        offset: 0,
        kind: ContainerErrorKind::BadPe(e.to_string()),
    }
}

fn extract_pe_as<Pe: ImageNtHeaders>(file: &[u8]) -> Result<Extracted<'_>, ContainerError> {
    pe_resources::<Pe>(file, ResourceType::Id(RT_MESSAGETABLE))
}

/// A resource type: a number (RT_MESSAGETABLE) or a name (`WEVT_TEMPLATE`).
#[derive(Clone, Copy, Debug)]
enum ResourceType {
    Id(u16),
    Name(&'static str),
}

/// The `WEVT_TEMPLATE` resources of a PE module (its compiled event manifests, which
/// [`crate::read_manifest`] reads), under every name and language, in [`Extracted::tables`].
pub fn wevt_templates(file: &[u8]) -> Result<Extracted<'_>, ContainerError> {
    let wevt = ResourceType::Name("WEVT_TEMPLATE");
    match object::read::pe::optional_header_magic(file) {
        Ok(pe::IMAGE_NT_OPTIONAL_HDR64_MAGIC) => pe_resources::<pe::ImageNtHeaders64>(file, wevt),
        Ok(_) => pe_resources::<pe::ImageNtHeaders32>(file, wevt),
        Err(e) => Err(bad_pe(e)),
    }
}

/// Every resource of type `wanted` in a PE module.
fn pe_resources<Pe: ImageNtHeaders>(
    file: &[u8],
    wanted: ResourceType,
) -> Result<Extracted<'_>, ContainerError> {
    let dos = pe::ImageDosHeader::parse(file).map_err(bad_pe)?;
    let mut offset = dos.nt_headers_offset().into();
    let (nt, directories) = Pe::parse(file, &mut offset).map_err(bad_pe)?;
    let kind = if nt.is_type_64() {
        FileKind::Pe64
    } else {
        FileKind::Pe32
    };
    let sections = nt.sections(file, offset).map_err(bad_pe)?;
    let mut extracted = Extracted {
        kind,
        tables: Vec::new(),
        problems: Vec::new(),
    };
    let rsrc_dir = directories.get(pe::IMAGE_DIRECTORY_ENTRY_RESOURCE);
    let rsrc_rva = rsrc_dir.map_or(0, |d| d.virtual_address.get(LE));
    let rsrc = match directories.resource_directory(file, &sections) {
        Ok(Some(rsrc)) => rsrc,
        Ok(None) => return Ok(extracted),
        Err(e) => {
            return Err(ContainerError {
                offset: sections
                    .pe_file_range_at(rsrc_rva)
                    .map_or(0, |(o, _)| o as usize),
                kind: ContainerErrorKind::BadResourceDirectory(e.to_string()),
            })
        }
    };
    let rsrc_file_offset = sections
        .pe_file_range_at(rsrc_rva)
        .map_or(0, |(o, _)| o as usize);
    let mut walker = Walker {
        rsrc,
        rsrc_file_offset,
        visited: HashSet::new(),
        problems: &mut extracted.problems,
    };
    for (name, langid, entry, entry_offset) in walker.entries_of(wanted) {
        let rva = entry.offset_to_data.get(LE);
        let size = entry.size.get(LE);
        let located = sections.pe_file_range_at(rva).and_then(|(start, len)| {
            let data = file
                .get(start as usize..)?
                .get(..(len.min(size)) as usize)?;
            (data.len() == size as usize).then_some((start as usize, data))
        });
        match located {
            Some((file_offset, data)) => extracted.tables.push(TableResource {
                name,
                langid,
                data,
                file_offset,
            }),
            None => extracted.problems.push(ContainerError {
                offset: rsrc_file_offset + entry_offset as usize,
                kind: ContainerErrorKind::DataOutOfBounds { rva, size },
            }),
        }
    }
    Ok(extracted)
}

/// Walks type -> name -> language, refusing to enter a table twice, so a hostile directory
/// with loops or shared subtables costs at most one visit per table.
struct Walker<'a, 'p> {
    rsrc: ResourceDirectory<'a>,
    rsrc_file_offset: usize,
    visited: HashSet<u32>,
    problems: &'p mut Vec<ContainerError>,
}

impl<'a> Walker<'a, '_> {
    fn problem(&mut self, section_offset: u32, kind: ContainerErrorKind) {
        self.problems.push(ContainerError {
            offset: self.rsrc_file_offset + section_offset as usize,
            kind,
        });
    }

    /// The subtable of `entry`, once.
    fn table(
        &mut self,
        entry: &'a pe::ImageResourceDirectoryEntry,
    ) -> Option<object::read::pe::ResourceDirectoryTable<'a>> {
        let offset = entry.data_offset();
        if !entry.is_table() {
            self.problem(
                offset,
                ContainerErrorKind::BadNesting("data where a table belongs"),
            );
            return None;
        }
        if !self.visited.insert(offset) {
            self.problem(offset, ContainerErrorKind::DirectoryLoop(offset));
            return None;
        }
        match entry.data(self.rsrc) {
            Ok(data) => data.table(),
            Err(e) => {
                self.problem(
                    offset,
                    ContainerErrorKind::BadResourceDirectory(e.to_string()),
                );
                None
            }
        }
    }

    fn name(&mut self, entry: &pe::ImageResourceDirectoryEntry) -> ResourceName {
        match entry.name_or_id() {
            ResourceNameOrId::Id(id) => ResourceName::Id(id),
            ResourceNameOrId::Name(name) => match name.to_string_lossy(self.rsrc) {
                Ok(s) => ResourceName::Name(s),
                Err(e) => {
                    let at = entry.name_or_id.get(LE) & 0x7FFF_FFFF;
                    self.problem(at, ContainerErrorKind::BadResourceDirectory(e.to_string()));
                    ResourceName::Name(String::new())
                }
            },
        }
    }

    /// Every (name, language, data entry, data entry's offset in the resource section) of
    /// the resources of type `wanted` (a named type matches without regard to ASCII case).
    fn entries_of(
        &mut self,
        wanted: ResourceType,
    ) -> Vec<(ResourceName, u16, &'a pe::ImageResourceDataEntry, u32)> {
        let mut found = Vec::new();
        let root = match self.rsrc.root() {
            Ok(root) => root,
            Err(e) => {
                self.problem(0, ContainerErrorKind::BadResourceDirectory(e.to_string()));
                return found;
            }
        };
        self.visited.insert(0);
        for type_entry in root.entries {
            let is_wanted = match (wanted, type_entry.name_or_id()) {
                (ResourceType::Id(id), ResourceNameOrId::Id(found)) => id == found,
                (ResourceType::Name(name), ResourceNameOrId::Name(_)) => {
                    matches!(self.name(type_entry), ResourceName::Name(found) if found.eq_ignore_ascii_case(name))
                }
                _ => false,
            };
            if !is_wanted {
                continue;
            }
            let Some(names) = self.table(type_entry) else {
                continue;
            };
            for name_entry in names.entries {
                let name = self.name(name_entry);
                let Some(langs) = self.table(name_entry) else {
                    continue;
                };
                for lang_entry in langs.entries {
                    let langid = match lang_entry.name_or_id() {
                        ResourceNameOrId::Id(id) => id,
                        ResourceNameOrId::Name(_) => {
                            let at = lang_entry.data_offset();
                            self.problem(at, ContainerErrorKind::BadNesting("named language"));
                            continue;
                        }
                    };
                    if lang_entry.is_table() {
                        let at = lang_entry.data_offset();
                        self.problem(
                            at,
                            ContainerErrorKind::BadNesting("table where data belongs"),
                        );
                        continue;
                    }
                    match lang_entry.data(self.rsrc) {
                        Ok(data) => {
                            if let Some(data) = data.data() {
                                found.push((name.clone(), langid, data, lang_entry.data_offset()));
                            }
                        }
                        Err(e) => {
                            let at = lang_entry.data_offset();
                            self.problem(
                                at,
                                ContainerErrorKind::BadResourceDirectory(e.to_string()),
                            );
                        }
                    }
                }
            }
        }
        found
    }
}

/// The message tables of a `.res` file: a run of resources, each a header
/// `{DataSize, HeaderSize: u32; Type, Name: 0xFFFF+u16 or NUL-terminated UTF-16; DWORD
/// alignment; DataVersion: u32; MemoryFlags, LanguageId: u16; Version, Characteristics: u32}`
/// followed by the data, padded to 4 bytes. Reading stops at the first bad header.
pub fn extract_res(file: &[u8]) -> Extracted<'_> {
    let mut extracted = Extracted {
        kind: FileKind::Res,
        tables: Vec::new(),
        problems: Vec::new(),
    };
    let mut pos = 0usize;
    while pos < file.len() {
        match res_entry(file, pos) {
            Ok((next, entry)) => {
                if let Some((ty, name, langid, data_offset, data)) = entry {
                    if ty == ResourceName::Id(RT_MESSAGETABLE) {
                        extracted.tables.push(TableResource {
                            name,
                            langid,
                            data,
                            file_offset: data_offset,
                        });
                    }
                }
                pos = next;
            }
            Err(kind) => {
                extracted
                    .problems
                    .push(ContainerError { offset: pos, kind });
                break;
            }
        }
    }
    extracted
}

type ResEntry<'a> = (ResourceName, ResourceName, u16, usize, &'a [u8]);

fn res_entry(file: &[u8], pos: usize) -> Result<(usize, Option<ResEntry<'_>>), ContainerErrorKind> {
    let bad = ContainerErrorKind::BadResHeader;
    let u32_at = |at: usize| crate::le::u32_at(file, at);
    let (Some(data_size), Some(header_size)) = (u32_at(pos), u32_at(pos + 4)) else {
        return Err(bad("truncated sizes"));
    };
    let (data_size, header_size) = (data_size as usize, header_size as usize);
    if header_size < 32 {
        return Err(bad("HeaderSize below 32"));
    }
    let header = file
        .get(pos..)
        .and_then(|rest| rest.get(..header_size))
        .ok_or(bad("header runs past the end"))?;
    let data_offset = pos
        .checked_add(header_size)
        .ok_or(bad("header too large"))?;
    let data = file
        .get(data_offset..)
        .and_then(|rest| rest.get(..data_size))
        .ok_or(bad("data runs past the end"))?;
    let mut at = 8;
    let ty = res_name(header, &mut at).ok_or(bad("bad Type"))?;
    let name = res_name(header, &mut at).ok_or(bad("bad Name"))?;
    at = at.next_multiple_of(4);
    // DataVersion (4), MemoryFlags (2), then LanguageId.
    let langid = crate::le::u16_at(header, at + 6).ok_or(bad("header too short for LanguageId"))?;
    let next = (data_offset + data_size).next_multiple_of(4);
    // The first resource of every .res file is an empty marker (type 0).
    let entry = (data_size > 0 || ty != ResourceName::Id(0)).then_some((
        ty,
        name,
        langid,
        data_offset,
        data,
    ));
    Ok((next, entry))
}

fn res_name(header: &[u8], at: &mut usize) -> Option<ResourceName> {
    let unit = |i: usize| crate::le::u16_at(header, i);
    if unit(*at)? == 0xFFFF {
        let id = unit(*at + 2)?;
        *at += 4;
        return Some(ResourceName::Id(id));
    }
    let mut units = Vec::new();
    loop {
        let u = unit(*at)?;
        *at += 2;
        if u == 0 {
            break;
        }
        units.push(u);
    }
    Some(ResourceName::Name(String::from_utf16_lossy(&units)))
}
