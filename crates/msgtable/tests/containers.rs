//! Containers: `.res` files and PE32/PE32+ DLLs built by GNU windres and ld from tables werr
//! wrote give those tables back byte for byte; hostile PE and .res files end in errors.

use object::read::pe::{ImageNtHeaders, PeFile64};
use std::path::Path;
use std::process::Command;
use werr_msgtable::{
    extract, extract_res, write, BinTableName, ContainerErrorKind, Entry, FileKind, MessageTable,
    ResourceName,
};

fn tables() -> [(u16, Vec<u8>); 2] {
    let mut en = MessageTable::new();
    let mut de = MessageTable::new();
    for (id, e, d) in [
        (1, "Hello\r\n", "Hallo\r\n"),
        (2, "File %1 not found.\r\n", "Datei %1 nicht gefunden.\r\n"),
        (
            0xC000_0005,
            "Access violation.\r\n",
            "Zugriffsverletzung \u{e4}\r\n",
        ),
    ] {
        en.insert(id, Entry::unicode(e));
        de.insert(id, Entry::unicode(d));
    }
    [(0x409, write(&en).unwrap()), (0x407, write(&de).unwrap())]
}

/// Runs `tool` (a name of `werr_testdata::tool`) in `dir`; `None` (skip) when it is missing
/// outside CI.
fn run(dir: &Path, tool: &str, args: &[&str]) -> Option<()> {
    let program = werr_testdata::tool(tool)?;
    let status = Command::new(&program)
        .current_dir(dir)
        .args(args)
        .status()
        .unwrap_or_else(|e| panic!("{} does not run: {e}", program.display()));
    assert!(status.success(), "{tool} {args:?} failed");
    Some(())
}

/// Writes the .bin files and an .rc (no comments: windres runs without a C preprocessor).
fn rc_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let mut rc = String::new();
    for (langid, bytes) in tables() {
        let bin = format!("MSG{langid:05X}.bin");
        std::fs::write(dir.path().join(&bin), bytes).unwrap();
        rc.push_str(&format!(
            "LANGUAGE 0x{:X}, 0x{:X}\n1 MESSAGETABLE \"{bin}\"\n",
            langid & 0x3ff,
            langid >> 10
        ));
    }
    rc.push_str("LANGUAGE 0x9, 0x1\nNAMED MESSAGETABLE \"MSG00409.bin\"\n");
    std::fs::write(dir.path().join("t.rc"), rc).unwrap();
    dir
}

fn assert_same_tables(file: &[u8], kind: FileKind) {
    let found = extract(file, 0).unwrap();
    assert_eq!(found.kind, kind);
    assert!(found.problems.is_empty(), "{:?}", found.problems);
    let [(en_id, en), (de_id, de)] = tables();
    let mut got: Vec<(ResourceName, u16, &[u8])> = found
        .tables
        .iter()
        .map(|t| (t.name.clone(), t.langid, t.data))
        .collect();
    got.sort();
    let mut want = vec![
        (ResourceName::Id(1), de_id, &de[..]),
        (ResourceName::Id(1), en_id, &en[..]),
        (ResourceName::Name("NAMED".into()), en_id, &en[..]),
    ];
    want.sort();
    assert_eq!(got, want);
}

const WINDRES: &str = "windres";
const LD: &str = "mingw-ld";

#[test]
fn windres_res_gives_back_the_same_tables() {
    let dir = rc_dir();
    let args = [
        "--preprocessor=cat",
        "-i",
        "t.rc",
        "-O",
        "res",
        "-o",
        "t.res",
    ];
    if run(dir.path(), WINDRES, &args).is_none() {
        return;
    }
    let res = std::fs::read(dir.path().join("t.res")).unwrap();
    assert_same_tables(&res, FileKind::Res);
}

#[test]
fn pe32_plus_dll_linked_by_ld_gives_back_the_same_tables() {
    let dir = rc_dir();
    if run(
        dir.path(),
        WINDRES,
        &["--preprocessor=cat", "-i", "t.rc", "-o", "t.o"],
    )
    .is_none()
    {
        return;
    }
    run(dir.path(), LD, &["--dll", "-e", "0", "-o", "t.dll", "t.o"]);
    assert_same_tables(
        &std::fs::read(dir.path().join("t.dll")).unwrap(),
        FileKind::Pe64,
    );
}

#[test]
fn pe32_dll_linked_by_ld_gives_back_the_same_tables() {
    let dir = rc_dir();
    let args = [
        "--preprocessor=cat",
        "-F",
        "pe-i386",
        "-i",
        "t.rc",
        "-o",
        "t.o",
    ];
    if run(dir.path(), WINDRES, &args).is_none() {
        return;
    }
    // Debian's x86_64 binutils lack the i386pe linker scripts: derive one from i386pep.x.
    let pep = std::fs::read_to_string("/usr/x86_64-w64-mingw32/lib/ldscripts/i386pep.x")
        .expect("ldscripts of binutils-mingw-w64-x86-64");
    std::fs::write(
        dir.path().join("i386pe.x"),
        pep.replace("pei-x86-64", "pei-i386"),
    )
    .unwrap();
    let args = [
        "-m", "i386pe", "-T", "i386pe.x", "--dll", "-e", "0", "-o", "t.dll", "t.o",
    ];
    run(dir.path(), LD, &args);
    assert_same_tables(
        &std::fs::read(dir.path().join("t.dll")).unwrap(),
        FileKind::Pe32,
    );
}

fn langid_of(file_name: &str) -> Option<u16> {
    BinTableName::parse(file_name).map(|n| n.langid)
}

#[test]
fn bin_names_give_their_language() {
    assert_eq!(langid_of("MSG00409.bin"), Some(0x409));
    assert_eq!(langid_of("msg00407.BIN"), Some(0x407));
    assert_eq!(langid_of("winerr_MSG08018.bin"), Some(0x8018));
    assert_eq!(langid_of("MSG0040.bin"), None);
    assert_eq!(langid_of("MSG00409.txt"), None);
    assert_eq!(langid_of("MSGZZZZZ.bin"), None);
}

#[test]
fn raw_bin_reads_as_one_table_and_garbage_is_unknown() {
    let [(_, en), _] = tables();
    let found = extract(&en, 0x409).unwrap();
    assert_eq!(found.kind, FileKind::Bin);
    assert_eq!(found.tables[0].langid, 0x409);
    let err = extract(b"not a table at all", 0).unwrap_err();
    assert_eq!(err.kind, ContainerErrorKind::UnknownFormat);
}

// ---- hostile files, made from a real module ----

fn perfmondata() -> Option<Vec<u8>> {
    werr_testdata::fixture("pywin32-312/win32/perfmondata.dll").map(|p| std::fs::read(p).unwrap())
}

/// File offset of the resource directory.
fn rsrc_offset(file: &[u8]) -> usize {
    let pe = PeFile64::parse(file).unwrap();
    let dir = pe
        .data_directories()
        .get(object::pe::IMAGE_DIRECTORY_ENTRY_RESOURCE)
        .unwrap();
    let rva = dir.virtual_address.get(object::LittleEndian);
    let _ = pe.nt_headers().is_type_64();
    pe.section_table().pe_file_range_at(rva).unwrap().0 as usize
}

fn u32_at(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes(b[at..at + 4].try_into().unwrap())
}

/// File offset of the first entry of the root table with type 11, and of its subtable.
fn message_type_entry(file: &[u8]) -> (usize, usize) {
    let rsrc = rsrc_offset(file);
    let named = u16::from_le_bytes(file[rsrc + 12..rsrc + 14].try_into().unwrap()) as usize;
    let ids = u16::from_le_bytes(file[rsrc + 14..rsrc + 16].try_into().unwrap()) as usize;
    for i in 0..named + ids {
        let at = rsrc + 16 + 8 * i;
        if u32_at(file, at) == 11 {
            let sub = (u32_at(file, at + 4) & 0x7FFF_FFFF) as usize;
            return (at, rsrc + sub);
        }
    }
    panic!("no RT_MESSAGETABLE in the fixture");
}

#[test]
fn resource_directory_loop_is_an_error_not_a_hang() {
    let Some(mut file) = perfmondata() else {
        return;
    };
    let (type_entry, _) = message_type_entry(&file);
    // Point the message-table type at the root table itself.
    file[type_entry + 4..type_entry + 8].copy_from_slice(&0x8000_0000u32.to_le_bytes());
    let found = extract(&file, 0).unwrap();
    assert!(found.tables.is_empty());
    assert!(found
        .problems
        .iter()
        .any(|p| p.kind == ContainerErrorKind::DirectoryLoop(0)));
}

#[test]
fn name_table_pointing_at_itself_is_an_error() {
    let Some(mut file) = perfmondata() else {
        return;
    };
    let (type_entry, names) = message_type_entry(&file);
    let sub = u32_at(&file, type_entry + 4);
    // The first name entry's subtable is the name table itself.
    file[names + 16 + 4..names + 16 + 8].copy_from_slice(&sub.to_le_bytes());
    let found = extract(&file, 0).unwrap();
    assert!(found.tables.is_empty());
    assert!(found
        .problems
        .iter()
        .any(|p| matches!(p.kind, ContainerErrorKind::DirectoryLoop(_))));
}

#[test]
fn huge_entry_counts_are_an_error() {
    let Some(mut file) = perfmondata() else {
        return;
    };
    let (_, names) = message_type_entry(&file);
    file[names + 12..names + 16].copy_from_slice(&[0xFF, 0xFF, 0xFF, 0xFF]);
    let found = extract(&file, 0).unwrap();
    assert!(found.tables.is_empty());
    assert!(matches!(
        found.problems[0].kind,
        ContainerErrorKind::BadResourceDirectory(_)
    ));
}

#[test]
fn data_past_the_end_is_an_error() {
    let Some(mut file) = perfmondata() else {
        return;
    };
    let (_, names) = message_type_entry(&file);
    let rsrc = rsrc_offset(&file);
    let langs = rsrc + (u32_at(&file, names + 16 + 4) & 0x7FFF_FFFF) as usize;
    let data_entry = rsrc + u32_at(&file, langs + 16 + 4) as usize;
    file[data_entry + 4..data_entry + 8].copy_from_slice(&0x7FFF_0000u32.to_le_bytes());
    let found = extract(&file, 0).unwrap();
    assert!(found.tables.is_empty());
    assert!(matches!(
        found.problems[0].kind,
        ContainerErrorKind::DataOutOfBounds {
            size: 0x7FFF_0000,
            ..
        }
    ));
    // The error points at the data entry that holds the bad size.
    assert_eq!(found.problems[0].offset, data_entry);
}

#[test]
fn every_truncation_of_a_real_module_is_handled() {
    let Some(file) = perfmondata() else { return };
    let full = extract(&file, 0).unwrap();
    assert_eq!(full.tables.len(), 1);
    for len in (0..file.len()).step_by(97) {
        // Either an error or fewer/equal tables; never a panic.
        if let Ok(found) = extract(&file[..len], 0) {
            assert!(found.tables.len() <= 1);
        }
    }
}

#[test]
fn every_truncation_of_a_res_file_is_handled() {
    let dir = rc_dir();
    let args = [
        "--preprocessor=cat",
        "-i",
        "t.rc",
        "-O",
        "res",
        "-o",
        "t.res",
    ];
    if run(dir.path(), WINDRES, &args).is_none() {
        return;
    }
    let res = std::fs::read(dir.path().join("t.res")).unwrap();
    for len in 32..res.len() {
        let found = extract_res(&res[..len]);
        assert!(found.tables.len() <= 3);
        // Resources end on 4-byte boundaries: any other cut is inside one.
        if len % 4 != 0 {
            assert!(!found.problems.is_empty(), "cut at {len} not reported");
        }
    }
}
