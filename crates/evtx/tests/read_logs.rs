//! Reading the corpus event logs into records, and damaged copies of them.

use std::ops::ControlFlow;
use std::sync::Arc;
use werr_evtx::{
    read_log_items, EventRecord, LogError, LogItem, ProblemKind, ReadOptions, ReadProblem,
    CHUNK_SIZE, FILE_HEADER_SIZE,
};

/// Every event log of the corpus.
const CORPUS_LOGS: [&str; 4] = [
    "system.evtx",
    "Security_short_selected.evtx",
    "Application_no_crc32.evtx",
    "TestLogX.evtx",
];

fn corpus_log(name: &str) -> Option<Vec<u8>> {
    let path = werr_testdata::corpus(&format!("evtx/{name}"))?;
    Some(std::fs::read(path).expect("corpus file is readable"))
}

fn split(items: Vec<LogItem>) -> (Vec<EventRecord>, Vec<ReadProblem>) {
    let mut records = Vec::new();
    let mut problems = Vec::new();
    for item in items {
        match item {
            LogItem::Record(r) => records.push(*r),
            LogItem::Problem(p) => problems.push(p),
        }
    }
    (records, problems)
}

fn read(data: &[u8]) -> (Vec<EventRecord>, Vec<ReadProblem>) {
    split(read_log_items(data, &ReadOptions::default()).expect("an evtx file"))
}

#[test]
fn system_log_reads_every_record_without_problems() {
    let Some(data) = corpus_log("system.evtx") else {
        return;
    };
    let (records, problems) = read(&data);
    assert_eq!(records.len(), 1881);
    assert!(problems.is_empty(), "{problems:?}");
    let ids: Vec<u64> = records.iter().map(|r| r.record_id).collect();
    assert_eq!(
        ids,
        (1..=1881).collect::<Vec<u64>>(),
        "records in log order"
    );
}

#[test]
fn classic_record_carries_qualifiers_inserts_and_system_fields() {
    let Some(data) = corpus_log("system.evtx") else {
        return;
    };
    let (records, _) = read(&data);
    let first = &records[0];
    assert_eq!(first.record_id, 1);
    assert_eq!(first.time, "2017-07-12T17:16:28.2141616Z");
    assert_eq!(first.provider, "EventLog");
    assert_eq!(first.provider_guid, None);
    assert_eq!(first.event_id, 6009);
    assert_eq!(first.qualifiers, Some(0x8000));
    assert_eq!(first.level, Some(4));
    assert_eq!(first.level_name(), Some("Information"));
    assert_eq!(first.channel.as_deref(), Some("System"));
    assert_eq!(first.computer.as_deref(), Some("WIN-P4SIAA0SQCO"));
    assert_eq!(first.keywords.as_deref(), Some("0x80000000000000"));
    assert_eq!(
        first.inserts,
        ["10.00.", "15063", "", "Multiprocessor Free", "0"]
    );
    let second = &records[1];
    assert_eq!(second.event_id, 6005);
    assert!(second.inserts.is_empty());
    assert_eq!(
        second.binary.as_deref(),
        Some("E107070003000C00110010001C00D6000000000000000000")
    );
}

#[test]
fn manifest_record_keeps_named_data_in_order() {
    let Some(data) = corpus_log("Security_short_selected.evtx") else {
        return;
    };
    let (records, problems) = read(&data);
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(records.len(), 7);
    let logon = records
        .iter()
        .find(|r| r.event_id == 4611)
        .expect("a 4611 record");
    assert_eq!(logon.provider, "Microsoft-Windows-Security-Auditing");
    assert_eq!(
        logon.provider_guid.as_deref(),
        Some("{54849625-5478-4994-a5ba-3e3b0328c30d}")
    );
    assert_eq!(logon.qualifiers, None);
    assert_eq!(
        logon.inserts,
        ["S-1-5-18", "TEMPORAL$", "WORKGROUP", "0x3e7", "Winlogon"]
    );
    assert_eq!(
        logon.insert_names[0].as_deref(),
        Some("SubjectUserSid"),
        "Data/@Name is kept"
    );
    assert_eq!((logon.process_id, logon.thread_id), (Some(768), Some(2764)));
}

#[test]
fn user_data_leaves_are_the_inserts_in_order() {
    let Some(data) = corpus_log("system.evtx") else {
        return;
    };
    let (records, _) = read(&data);
    // Record 1847: Microsoft-Windows-Eventlog 104 (log cleared), its values under UserData.
    let cleared = records.iter().find(|r| r.record_id == 1847).unwrap();
    assert_eq!(
        (cleared.provider.as_str(), cleared.event_id),
        ("Microsoft-Windows-Eventlog", 104)
    );
    assert_eq!(
        cleared.inserts,
        [
            "tony",
            "DESKTOP-2KGM189",
            "Microsoft-Windows-Sysmon/Operational",
            ""
        ]
    );
    assert_eq!(
        cleared.insert_names,
        [
            "SubjectUserName",
            "SubjectDomainName",
            "Channel",
            "BackupPath"
        ]
        .map(|n| Some(n.to_string()))
    );
}

#[test]
fn custom_source_log_reads_its_records() {
    let Some(data) = corpus_log("TestLogX.evtx") else {
        return;
    };
    let (records, problems) = read(&data);
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(records.len(), 5);
    assert!(records
        .iter()
        .all(|r| r.provider == "TestAppX" && r.qualifiers.is_some()));
}

#[test]
fn no_crc32_flag_is_reported_and_records_still_read() {
    let Some(data) = corpus_log("Application_no_crc32.evtx") else {
        return;
    };
    let (records, problems) = read(&data);
    assert_eq!(records.len(), 17);
    assert_eq!(problems.len(), 1, "{problems:?}");
    let p = &problems[0];
    assert_eq!(p.kind, ProblemKind::ChunkChecksum);
    assert_eq!((p.chunk, p.offset), (Some(0), FILE_HEADER_SIZE));
    assert!(p.message.contains("NO_CRC32"), "{}", p.message);
    assert!(p.message.contains("does not match"), "{}", p.message);
}

/// The records of `chunk` in an intact read: those between its header's first and last ids.
fn chunk_record_ids(data: &[u8], chunk: u64) -> std::ops::RangeInclusive<u64> {
    let start = (FILE_HEADER_SIZE + chunk * CHUNK_SIZE) as usize;
    let header = &data[start..start + 48];
    let first = u64::from_le_bytes(header[24..32].try_into().unwrap());
    let last = u64::from_le_bytes(header[32..40].try_into().unwrap());
    first..=last
}

#[test]
fn chunk_with_broken_signature_is_reported_at_its_offset_and_the_rest_is_read() {
    let Some(data) = corpus_log("system.evtx") else {
        return;
    };
    let (intact, _) = read(&data);
    let mut damaged = data.clone();
    let offset = FILE_HEADER_SIZE + 2 * CHUNK_SIZE;
    damaged[offset as usize] ^= 0xFF;
    let (records, problems) = read(&damaged);

    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0].kind, ProblemKind::Chunk);
    assert_eq!((problems[0].chunk, problems[0].offset), (Some(2), 0x21000));
    assert!(problems[0].to_string().contains("0x21000"));

    let lost = chunk_record_ids(&data, 2);
    let expected: Vec<&EventRecord> = intact
        .iter()
        .filter(|r| !lost.contains(&r.record_id))
        .collect();
    assert!(lost.clone().count() > 0);
    assert_eq!(records.iter().collect::<Vec<_>>(), expected);
}

#[test]
fn damaged_record_is_reported_with_its_offset_and_its_neighbours_are_read() {
    let Some(data) = corpus_log("system.evtx") else {
        return;
    };
    let (intact, _) = read(&data);
    // Record 583 starts at 0x53060 in chunk 5; overwrite the first bytes of its BinXML.
    let record_at = 0x53060usize;
    assert_eq!(&data[record_at..record_at + 4], b"**\0\0");
    let mut damaged = data.clone();
    damaged[record_at + 0x20..record_at + 0x25].fill(0xFF);
    let (records, problems) = read(&damaged);

    let record_problem = problems
        .iter()
        .find(|p| p.kind == ProblemKind::Record)
        .expect("the damaged record is reported");
    assert_eq!(record_problem.offset, record_at as u64);
    assert_eq!(record_problem.record_id, Some(583));
    assert!(
        problems
            .iter()
            .any(|p| p.kind == ProblemKind::ChunkChecksum && p.chunk == Some(5)),
        "the chunk's CRC32 mismatch is reported too: {problems:?}"
    );
    let expected: Vec<&EventRecord> = intact.iter().filter(|r| r.record_id != 583).collect();
    assert_eq!(records.iter().collect::<Vec<_>>(), expected);
}

#[test]
fn truncated_file_reports_the_incomplete_chunk_and_keeps_the_whole_ones() {
    let Some(data) = corpus_log("system.evtx") else {
        return;
    };
    let cut = (FILE_HEADER_SIZE + 3 * CHUNK_SIZE + 1000) as usize;
    let (records, problems) = read(&data[..cut]);
    assert_eq!(
        records.last().map(|r| r.record_id),
        Some(*chunk_record_ids(&data, 2).end())
    );
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0].offset, FILE_HEADER_SIZE + 3 * CHUNK_SIZE);
    assert!(
        problems[0].message.contains("1000 bytes"),
        "{}",
        problems[0]
    );
}

#[test]
fn rejects_a_file_that_is_not_an_event_log() {
    let Some(path) = werr_testdata::corpus("reactos-mc/neteventmsg.mc") else {
        return;
    };
    let data = std::fs::read(path).unwrap();
    let err = read_log_items(&data, &ReadOptions::default()).unwrap_err();
    assert_eq!(
        err,
        LogError::NotEvtx {
            len: data.len() as u64
        }
    );
    assert!(err.to_string().contains("not an .evtx file"));
}

#[test]
fn single_thread_and_parallel_reads_agree() {
    let Some(data) = corpus_log("system.evtx") else {
        return;
    };
    let one = ReadOptions {
        threads: 1,
        ..ReadOptions::default()
    };
    let (serial, _) = split(read_log_items(&data, &one).unwrap());
    let (parallel, _) = read(&data);
    assert_eq!(serial, parallel);
}

#[test]
fn records_left_to_be_reused_do_not_leak_into_the_next_ones() {
    // `read_log_chunks` reuses the storage of the records `per_chunk` has seen: a field of
    // one record must never show up in another. Every corpus log, on one and on two threads,
    // against records that were not reused.
    for name in CORPUS_LOGS {
        let Some(data) = corpus_log(name) else {
            return;
        };
        let (expected, _) = read(&data);
        for (threads, pin_threads) in [(1, false), (2, false), (2, true), (3, true)] {
            let options = ReadOptions {
                threads,
                pin_threads,
                ..ReadOptions::default()
            };
            let mut reused = Vec::new();
            let copies = |items: &[LogItem]| -> Vec<EventRecord> {
                let records = items.iter().filter_map(|item| match item {
                    LogItem::Record(r) => Some(EventRecord::clone(r)),
                    LogItem::Problem(_) => None,
                });
                records.collect()
            };
            werr_evtx::read_log_chunks(&data, &options, copies, |chunk| {
                reused.extend(chunk);
                ControlFlow::Continue(())
            })
            .unwrap();
            assert_eq!(
                reused, expected,
                "{name} on {threads} threads, pinned: {pin_threads}"
            );
        }
    }
}

#[test]
fn a_reader_kept_across_logs_reads_each_as_a_fresh_one() {
    // A `LogReader` keeps compiled definitions and record storage from log to log: every
    // corpus log, read in turn (twice over) by one reader on one and on two threads, must
    // give what a fresh read gives.
    let logs: Vec<_> = CORPUS_LOGS
        .iter()
        .filter_map(|name| corpus_log(name))
        .collect();
    if logs.len() != CORPUS_LOGS.len() {
        return;
    }
    for threads in [1, 2] {
        let options = ReadOptions {
            threads,
            ..ReadOptions::default()
        };
        let reader = werr_evtx::LogReader::new(options.clone());
        for data in logs.iter().chain(&logs) {
            let expected = format!("{:?}", read_log_items(data, &options).unwrap());
            let mut items = Vec::new();
            reader.read(data, |item| items.push(item)).unwrap();
            assert_eq!(format!("{items:?}"), expected, "on {threads} threads");
        }
    }
}

#[test]
fn a_sink_that_breaks_stops_the_read() {
    // `werr evtx big.evtx | head`: once the output is gone, nothing more is read or passed on.
    let Some(data) = corpus_log("system.evtx") else {
        return;
    };
    let chunks = (data.len() as u64 - FILE_HEADER_SIZE) / CHUNK_SIZE;
    assert!(chunks > 10, "{chunks}");
    for threads in [1, 2] {
        let options = ReadOptions {
            threads,
            ..ReadOptions::default()
        };
        let read = std::sync::atomic::AtomicU64::new(0);
        let mut passed_on = 0;
        // After the first two chunks, workers are slow enough for the sink's break to reach
        // them before they claim many more.
        let count = |_: &[LogItem]| {
            if read.fetch_add(1, std::sync::atomic::Ordering::SeqCst) >= 2 {
                std::thread::sleep(std::time::Duration::from_millis(5));
            }
        };
        werr_evtx::read_log_chunks(&data, &options, count, |()| {
            passed_on += 1;
            if passed_on == 2 {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        })
        .unwrap();
        assert_eq!(passed_on, 2, "on {threads} threads");
        let read = read.into_inner();
        if threads == 1 {
            assert_eq!(read, 2);
        } else {
            // Each worker may have claimed a chunk or two ahead of the sink.
            assert!(
                read <= 6,
                "{read} of {chunks} chunks read on {threads} threads"
            );
        }
    }
}

/// Every item of `data` read from template values and read through XML, as text.
fn both_ways(data: &[u8]) -> (Vec<String>, Vec<String>) {
    let read = |via_xml| {
        let options = ReadOptions {
            threads: 1,
            via_xml,
            ..ReadOptions::default()
        };
        read_log_items(data, &options)
            .map(|items| items.iter().map(|item| format!("{item:?}")).collect())
            .unwrap_or_default()
    };
    (read(false), read(true))
}

/// The file header and the first `chunks` chunks of `data`, to damage.
fn first_chunks(data: &[u8], chunks: u64) -> Vec<u8> {
    data[..(FILE_HEADER_SIZE + chunks * CHUNK_SIZE) as usize].to_vec()
}

/// Reads `damaged` both ways, requires the same items, and returns them.
fn agree(damaged: &[u8], what: &str) -> Vec<String> {
    let (fast, reference) = both_ways(damaged);
    assert_same(&fast, &reference, what);
    reference
}

/// Fails naming the first item that differs.
fn assert_same(fast: &[String], reference: &[String], what: &str) {
    if let Some(i) = (0..fast.len().max(reference.len())).find(|&i| fast.get(i) != reference.get(i))
    {
        panic!(
            "{what}: item {i} differs\n from template values: {:?}\n through XML:          {:?}",
            fast.get(i),
            reference.get(i)
        );
    }
}

#[test]
fn template_values_and_xml_give_the_same_items_for_every_corpus_log() {
    for name in CORPUS_LOGS {
        let Some(data) = corpus_log(name) else {
            return;
        };
        let (fast, reference) = both_ways(&data);
        assert!(!reference.is_empty(), "{name}");
        assert_same(&fast, &reference, name);
    }
}

#[test]
fn template_values_and_xml_agree_on_damaged_records() {
    let Some(data) = corpus_log("system.evtx") else {
        return;
    };
    // Overwrite bytes at spread-out places of the records of chunk 1 (template definitions,
    // instance headers, value descriptors and values alike).
    let chunk = (FILE_HEADER_SIZE + CHUNK_SIZE) as usize;
    for (n, at) in (chunk + 0x200..chunk + 0x8000).step_by(0x3a7).enumerate() {
        let mut damaged = data[..chunk + CHUNK_SIZE as usize].to_vec();
        let byte = [0xFF, 0x00, 0x41, 0x0C][n % 4];
        damaged[at..at + 1 + n % 3].fill(byte);
        let (fast, reference) = both_ways(&damaged);
        assert_same(
            &fast,
            &reference,
            &format!("bytes at {at:#x} set to {byte:#04x}"),
        );
    }
}

#[test]
fn template_values_and_xml_agree_on_a_name_that_is_no_xml_name() {
    // Found by fuzzing (`fuzz/fuzz_targets/both_ways.rs`): a damaged element name such as
    // ` rovider` is no XML name. In the XML the `evtx` crate writes (`< rovider ...>`) the
    // XML reader finds no element name and reports the record; the template reader must not
    // read it as an element named " rovider".
    let Some(data) = corpus_log("system.evtx") else {
        return;
    };
    let name: Vec<u8> = "Provider"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    let first_chunk = FILE_HEADER_SIZE as usize..(FILE_HEADER_SIZE + CHUNK_SIZE) as usize;
    let at = data[first_chunk.clone()]
        .windows(name.len())
        .position(|w| w == name.as_slice())
        .expect("chunk 0 names Provider")
        + first_chunk.start;
    let mut damaged = first_chunks(&data, 1);
    damaged[at] = b' ';
    let reference = agree(&damaged, "Provider renamed \" rovider\"");
    assert!(
        reference.iter().any(|item| item.contains("kind: Record")),
        "the damaged name costs records"
    );
}

#[test]
fn template_values_and_xml_agree_on_a_string_array_cut_before_its_last_nul() {
    // Found by fuzzing: eight bytes inserted inside an ESENT record's string array push the
    // array's last NUL out of the value. The `evtx` crate then reads the last item on past
    // the value; the template reader leaves such a record to the XML reader.
    let Some(data) = corpus_log("Application_no_crc32.evtx") else {
        return;
    };
    let at = 22076;
    let mut damaged = data[..at].to_vec();
    damaged.extend_from_slice(b"Keywords");
    damaged.extend_from_slice(&data[at..]);
    agree(&damaged, "8 bytes inserted at 22076");
}

#[test]
fn template_values_and_xml_agree_on_a_nul_inside_a_template_text() {
    // Found by fuzzing: a NUL inside a text of the template definition itself (here the
    // `Name` of a `Data` element): the `evtx` crate ends the text there, as it ends values.
    let Some(data) = corpus_log("system.evtx") else {
        return;
    };
    let mut text = vec![0x05, 0x01, 10, 0]; // value token, string type, 10 characters
    text.extend("DirtyPages".encode_utf16().flat_map(u16::to_le_bytes));
    let first_chunk = FILE_HEADER_SIZE as usize..(FILE_HEADER_SIZE + CHUNK_SIZE) as usize;
    let at = data[first_chunk.clone()]
        .windows(text.len())
        .position(|w| w == text.as_slice())
        .expect("chunk 0 has a Data element named DirtyPages")
        + first_chunk.start;
    let mut damaged = first_chunks(&data, 1);
    // "DirtyPages" becomes "Di", NUL, "tyPages".
    damaged[at + 4 + 4..at + 4 + 6].fill(0);
    let reference = agree(&damaged, "a NUL inside DirtyPages");
    assert!(
        reference.iter().any(|item| item.contains("Some(\"Di\")")),
        "the name ends at the NUL"
    );
}

#[test]
fn template_values_and_xml_agree_on_a_value_type_that_does_not_exist() {
    // Found by fuzzing: a substitution naming a value type MS-EVEN6 does not define (0x7a).
    // The `evtx` crate refuses the record; so does the template reader (it leaves it to the
    // XML reader), though the value itself carries a valid type.
    let Some(data) = corpus_log("system.evtx") else {
        return;
    };
    // Chunk 1 at 0x921c: a template's `0d 07 00 08` (substitution 7, UInt32).
    let chunk = (FILE_HEADER_SIZE + CHUNK_SIZE) as usize;
    let at = chunk + 0x921c;
    assert_eq!(data[at..at + 4], [0x0d, 0x07, 0x00, 0x08]);
    let mut damaged = first_chunks(&data, 2);
    damaged[at + 3] = 0x7a;
    let reference = agree(&damaged, "substitution type 0x7a at 0x921f of chunk 1");
    assert!(
        reference
            .iter()
            .any(|item| item.contains("invalid byte `0x7a` as binxml value variant")),
        "the crate refuses the record"
    );
}

#[test]
fn template_values_and_xml_agree_on_a_value_whose_size_does_not_fit_its_type() {
    // Found by fuzzing: a descriptor of record 81 turned from "null, 0 bytes" into "Int8,
    // 0 bytes". The `evtx` crate reads such a value otherwise (or refuses the record) even
    // where the document does not use it; the template reader leaves the record to it.
    let Some(data) = corpus_log("system.evtx") else {
        return;
    };
    let chunk = FILE_HEADER_SIZE as usize;
    // Record 81 at 48400 of chunk 0: its BinXML at +24, the descriptors after 18 bytes of
    // fragment and instance headers and the value count; descriptor 16's type byte.
    let at = chunk + 48400 + 24 + 18 + 16 * 4 + 2;
    assert_eq!(
        data[at - 2..at + 2],
        [0, 0, 0, 0],
        "descriptor 16 is an empty null"
    );
    let mut damaged = first_chunks(&data, 1);
    damaged[at] = 0x03;
    agree(&damaged, "descriptor 16 of record 81 set to Int8");
}

#[test]
fn template_values_and_xml_agree_on_a_size_t_value() {
    // Found by fuzzing: record 53's TimeCreated value retyped from FILETIME to SizeT (8
    // bytes). The `evtx` crate reads a SizeT as a hex integer of its width; so does the
    // template reader (it wrote it in decimal before).
    let Some(data) = corpus_log("system.evtx") else {
        return;
    };
    let chunk = FILE_HEADER_SIZE as usize;
    let at = chunk + 32720 + 24 + 44; // record 53's BinXML, then its descriptor's type byte
    assert_eq!(data[at], 0x11, "a FILETIME descriptor");
    let mut damaged = first_chunks(&data, 1);
    damaged[at] = 0x10;
    let reference = agree(&damaged, "record 53's time as SizeT");
    assert!(
        reference
            .iter()
            .any(|item| item.contains("time: \"0x1d2fb329a5dad38\"")),
        "the SizeT is shown in hex"
    );
}

#[test]
fn template_values_and_xml_agree_when_an_element_depends_on_another_slot_than_it_holds() {
    // Found by fuzzing: in the template of record 14, `<Task>` keeps its DependencyId (slot 2,
    // a number) but holds slot 12 (null). An element is left out when the value its
    // DependencyId names is null (MS-EVEN6), not when what it holds is: the `evtx` crate
    // writes `<Task></Task>`, which the XML reader refuses, and so must the template reader.
    let Some(data) = corpus_log("system.evtx") else {
        return;
    };
    let chunk = FILE_HEADER_SIZE as usize;
    let at = chunk + 10594; // `0e 02 00 06`: optional substitution 2, UInt16, inside <Task>
    assert_eq!(data[at - 1..at + 3], [0x0e, 0x02, 0x00, 0x06]);
    let mut damaged = first_chunks(&data, 1);
    damaged[at] = 0x0c;
    let reference = agree(&damaged, "Task holding slot 12");
    assert!(
        reference.iter().any(|item| item.contains("Task is ``")),
        "the XML reader refuses an empty Task"
    );
}

#[test]
fn template_values_and_xml_agree_on_an_empty_value_in_an_attribute() {
    // Found by fuzzing: record 70's UserID value retyped from null to an empty ANSI string.
    // The `evtx` crate leaves out an attribute that is one substitution whose value is empty
    // (null, or an empty string), optional or not; so does the template reader.
    let Some(data) = corpus_log("system.evtx") else {
        return;
    };
    let at = FILE_HEADER_SIZE as usize + 41704 + 24 + 515; // record 70, descriptor 12's type
    assert_eq!(
        data[at - 2..at + 2],
        [0, 0, 0, 0],
        "descriptor 12 is an empty null"
    );
    let mut damaged = first_chunks(&data, 1);
    damaged[at] = 0x02;
    let reference = agree(
        &damaged,
        "record 70's descriptor 12 as an empty ANSI string",
    );
    assert!(
        reference
            .iter()
            .any(|item| item.contains("record_id: 70,") && item.contains("user_id: None")),
        "no UserID"
    );
}

#[test]
fn the_record_hook_sees_each_record_before_its_chunk_is_passed_on() {
    let Some(data) = corpus_log("system.evtx") else {
        return;
    };
    for threads in [1, 2] {
        let options = ReadOptions {
            threads,
            ..ReadOptions::default()
        };
        let told = Arc::new(std::sync::Mutex::new(Vec::new()));
        let hook_told = Arc::clone(&told);
        let reader = werr_evtx::LogReader::new(options.clone()).on_each_record(Arc::new(
            move |record: &werr_evtx::EventRecord| {
                hook_told.lock().unwrap().push(record.record_id);
            },
        ));
        let mut read = Vec::new();
        reader
            .read_chunks(
                &data,
                |items: &[LogItem]| {
                    let ids: Vec<u64> = items
                        .iter()
                        .filter_map(|item| match item {
                            LogItem::Record(r) => Some(r.record_id),
                            LogItem::Problem(_) => None,
                        })
                        .collect();
                    // Every record of the chunk was told before the chunk came here.
                    let told = told.lock().unwrap();
                    assert!(ids.iter().all(|id| told.contains(id)), "{threads} threads");
                    ids
                },
                |ids| {
                    read.extend(ids);
                    ControlFlow::Continue(())
                },
            )
            .unwrap();
        assert_eq!(read.len(), 1881);
        let mut told = told.lock().unwrap().clone();
        told.sort_unstable();
        read.sort_unstable();
        assert_eq!(told, read, "each record told once, on {threads} threads");
    }
}

#[test]
fn a_header_counting_chunks_the_file_lacks_is_reported() {
    let Some(data) = corpus_log("system.evtx") else {
        return;
    };
    // One chunk, under a header that claims 65,535 with a valid checksum.
    let mut damaged = first_chunks(&data, 1);
    damaged[42..44].copy_from_slice(&u16::MAX.to_le_bytes());
    let crc = crc32fast::hash(&damaged[..120]);
    damaged[124..128].copy_from_slice(&crc.to_le_bytes());
    let (records, problems) = read(&damaged);
    assert!(!records.is_empty(), "the chunk that is there is read");
    let header: Vec<&ReadProblem> = problems
        .iter()
        .filter(|p| p.kind == ProblemKind::FileHeader)
        .collect();
    assert_eq!(header.len(), 1, "{problems:?}");
    assert_eq!((header[0].chunk, header[0].offset), (None, 42));
    assert_eq!(
        header[0].message,
        format!(
            "the file header counts 65535 chunks, but the file holds 1 (it ends at byte offset {})",
            damaged.len()
        )
    );
}

/// Shared work for `read_chunks_sharing`: the sink adds pieces, in order; each piece is done
/// by whichever thread takes it, and notes which thread did.
#[derive(Default)]
struct Pieces {
    added: std::sync::atomic::AtomicUsize,
    taken: std::sync::atomic::AtomicUsize,
    done_by: std::sync::Mutex<Vec<(usize, std::thread::ThreadId)>>,
    input_done: std::sync::atomic::AtomicUsize,
}

impl Pieces {
    fn add(&self, count: usize) {
        self.added
            .fetch_add(count, std::sync::atomic::Ordering::SeqCst);
    }
}

impl werr_evtx::SharedWork for Pieces {
    fn work(&self) -> bool {
        use std::sync::atomic::Ordering::SeqCst;
        let piece = self.taken.load(SeqCst);
        if piece >= self.added.load(SeqCst)
            || self
                .taken
                .compare_exchange(piece, piece + 1, SeqCst, SeqCst)
                .is_err()
        {
            return false;
        }
        // Long enough for another thread to find the next piece while this one works.
        std::thread::sleep(std::time::Duration::from_micros(20));
        let me = std::thread::current().id();
        self.done_by.lock().unwrap().push((piece, me));
        if piece == 0 {
            // The first piece ends once another thread has done one (there are more: a
            // chunk adds four), so that a loaded machine scheduling one thread at a time does
            // not decide whether the work is shared; bounded, so a thread that never helps
            // fails the test rather than hanging it.
            let start = std::time::Instant::now();
            while start.elapsed() < std::time::Duration::from_secs(10)
                && self.done_by.lock().unwrap().iter().all(|(_, by)| *by == me)
            {
                std::thread::sleep(std::time::Duration::from_micros(100));
            }
        }
        true
    }

    fn input_done(&self) {
        self.input_done
            .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        self.add(50);
    }
}

#[test]
fn shared_work_is_done_by_the_reading_threads_before_the_read_returns() {
    let Some(data) = corpus_log("system.evtx") else {
        return;
    };
    for (threads, pin_threads) in [(1, false), (2, false), (2, true), (3, true)] {
        let options = ReadOptions {
            threads,
            pin_threads,
            ..ReadOptions::default()
        };
        let pieces = Pieces::default();
        let mut chunks = 0;
        let reader = werr_evtx::LogReader::new(options);
        let count = |items: &[LogItem]| items.len();
        reader
            .read_chunks_sharing(
                &data,
                || {},
                count,
                &pieces,
                |_| {
                    chunks += 1;
                    // Each chunk passed on is work for the threads.
                    pieces.add(4);
                    ControlFlow::Continue(())
                },
            )
            .unwrap();
        let what = format!("{threads} threads, pinned: {pin_threads}");
        let added = pieces.added.load(std::sync::atomic::Ordering::SeqCst);
        let done = pieces.done_by.lock().unwrap();
        if threads == 1 {
            // One thread does none of it: what shares the work does it when the log ends.
            assert!(done.is_empty(), "{what}");
            assert_eq!(pieces.input_done.into_inner(), 0, "{what}");
            continue;
        }
        assert_eq!(pieces.input_done.into_inner(), 1, "{what}");
        assert_eq!(added, chunks * 4 + 50, "{what}");
        let mut numbers: Vec<usize> = done.iter().map(|(piece, _)| *piece).collect();
        numbers.sort_unstable();
        assert_eq!(
            numbers,
            (0..added).collect::<Vec<_>>(),
            "{what}: every piece once"
        );
        let workers: std::collections::HashSet<_> = done.iter().map(|(_, by)| *by).collect();
        assert!(
            workers.len() > 1,
            "{what}: one thread did all {added} pieces"
        );
    }
}
