//! The dataset of a real log, read back with parquet's own reader: rows in log order across
//! reading threads, row groups bounded in rows and in bytes, the columns' values.

use arrow_array::cast::AsArray;
use arrow_array::types::{Int64Type, UInt16Type};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use std::path::Path;
use std::sync::Mutex;
use werr_evtx::{
    LogItem, PendingCatalog, PresentOptions, ReadOptions, RenderOptions, Renderer, Report,
};
use werr_evtx_parquet::{Dataset, DatasetOptions, WrittenFile};
use werr_kb::Kb;

/// Writes `log` as a dataset in `dir` with `options`, read by two threads; the files written.
fn write(log: &Path, dir: &Path, options: DatasetOptions) -> Vec<WrittenFile> {
    let read = ReadOptions {
        threads: 2,
        ..ReadOptions::default()
    };
    write_read_by(log, dir, options, read)
}

/// Writes `log` as a dataset in `dir` with `options`, read as `read` says; the files written.
fn write_read_by(
    log: &Path,
    dir: &Path,
    options: DatasetOptions,
    read: ReadOptions,
) -> Vec<WrittenFile> {
    let catalog = PendingCatalog::new(|| Kb::embedded().map(Mutex::new).map_err(|e| e.to_string()));
    let renderer = Renderer::new(&catalog, RenderOptions::default());
    let present = PresentOptions {
        read,
        ..PresentOptions::default()
    };
    let mut dataset = Dataset::create(dir, options).unwrap();
    let bytes = std::fs::read(log).unwrap();
    let logs = [("system.evtx".to_string(), Ok::<_, String>(bytes))];
    // Progress is all a whole log may report.
    let report = |r: Report<'_>| {
        if !matches!(r, Report::Progress { .. }) {
            panic!("{r:?}")
        }
    };
    let presented =
        werr_evtx::present_logs_to(&catalog, &renderer, &present, logs, &mut dataset, report)
            .unwrap()
            .expect("a dataset is never a closed pipe");
    assert_eq!(presented.tally.shown, 1881);
    dataset.finish().unwrap()
}

/// The record ids and event ids of `log`, in log order.
fn ids_in_log_order(log: &Path) -> Vec<(i64, u16)> {
    let bytes = std::fs::read(log).unwrap();
    werr_evtx::read_log_items(&bytes, &ReadOptions::default())
        .unwrap()
        .into_iter()
        .map(|item| match item {
            LogItem::Record(r) => (r.record_id as i64, r.event_id),
            LogItem::Problem(p) => panic!("{p}"),
        })
        .collect()
}

#[test]
fn rows_keep_log_order_in_row_groups_of_the_size_asked() {
    let Some(log) = werr_testdata::corpus("evtx/system.evtx") else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let written = write(
        &log,
        tmp.path(),
        DatasetOptions {
            row_group_rows: 100,
            ..DatasetOptions::default()
        },
    );
    assert_eq!(written.len(), 1);
    assert_eq!(written[0].rows, 1881);
    assert_eq!(written[0].path, Path::new("channel=System/system.parquet"));
    let file = std::fs::File::open(tmp.path().join(&written[0].path)).unwrap();
    let reader = ParquetRecordBatchReaderBuilder::try_new(file).unwrap();
    let groups: Vec<i64> = reader
        .metadata()
        .row_groups()
        .iter()
        .map(|g| g.num_rows())
        .collect();
    assert_eq!(groups.len(), 19, "{groups:?}");
    assert!(groups[..18].iter().all(|&n| n == 100), "{groups:?}");
    assert_eq!(groups[18], 81);

    let mut ids = Vec::new();
    for batch in reader.build().unwrap() {
        let batch = batch.unwrap();
        let records = batch.column_by_name("record_id").unwrap();
        let events = batch.column_by_name("event_id").unwrap();
        let records = records.as_primitive::<Int64Type>();
        let events = events.as_primitive::<UInt16Type>();
        ids.extend(
            records
                .values()
                .iter()
                .copied()
                .zip(events.values().iter().copied()),
        );
    }
    assert_eq!(ids, ids_in_log_order(&log));
}

#[test]
fn a_byte_budget_cuts_row_groups_before_the_row_count() {
    let Some(log) = werr_testdata::corpus("evtx/system.evtx") else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let written = write(
        &log,
        tmp.path(),
        DatasetOptions {
            row_group_rows: 1 << 20,
            row_group_bytes: 64 << 10,
        },
    );
    let file = std::fs::File::open(tmp.path().join(&written[0].path)).unwrap();
    let reader = ParquetRecordBatchReaderBuilder::try_new(file).unwrap();
    let groups = reader.metadata().row_groups();
    assert!(
        groups.len() > 1,
        "one row group of {} rows",
        groups[0].num_rows()
    );
    let rows: i64 = groups.iter().map(|g| g.num_rows()).sum();
    assert_eq!(rows, 1881);
}

#[test]
fn the_files_are_the_same_bytes_whatever_the_threads_reading() {
    let Some(log) = werr_testdata::corpus("evtx/system.evtx") else {
        return;
    };
    // Row groups of 500 rows, and of 7 (a group ends inside nearly every chunk's batch).
    for row_group_rows in [500, 7] {
        let options = DatasetOptions {
            row_group_rows,
            ..DatasetOptions::default()
        };
        let mut files = Vec::new();
        for (threads, pin_threads) in [(1, false), (2, false), (2, true), (3, true)] {
            let tmp = tempfile::tempdir().unwrap();
            let read = ReadOptions {
                threads,
                pin_threads,
                ..ReadOptions::default()
            };
            let written = write_read_by(&log, tmp.path(), options.clone(), read);
            assert_eq!(written.len(), 1);
            assert_eq!(written[0].rows, 1881);
            let bytes = std::fs::read(tmp.path().join(&written[0].path)).unwrap();
            files.push(((threads, pin_threads), bytes));
        }
        let (first, rest) = files.split_first().unwrap();
        for (read, bytes) in rest {
            assert!(
                bytes == &first.1,
                "groups of {row_group_rows}: {read:?} differs from {:?}",
                first.0
            );
        }
    }
}

#[test]
fn a_folder_of_logs_read_several_at_once_is_the_same_dataset() {
    // Logs read side by side (`jobs`) are written in the order named, and each file is the
    // same bytes as when the logs are read one after another. Two logs share a name, so the
    // names given in order matter too.
    let Some(system) = werr_testdata::corpus("evtx/system.evtx") else {
        return;
    };
    let corpus = system.parent().unwrap().to_path_buf();
    let names = [
        "system.evtx",
        "Security_short_selected.evtx",
        "system.evtx",
        "Application_no_crc32.evtx",
        "TestLogX.evtx",
        "system.evtx",
    ];
    let logs: Vec<(String, Vec<u8>)> = names
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let bytes = std::fs::read(corpus.join(name)).unwrap();
            (format!("host{i}/{name}"), bytes)
        })
        .collect();
    let write_with = |jobs: usize, dir: &Path| {
        let catalog =
            PendingCatalog::new(|| Kb::embedded().map(Mutex::new).map_err(|e| e.to_string()));
        let renderer = Renderer::new(&catalog, RenderOptions::default());
        let present = PresentOptions {
            jobs,
            ..PresentOptions::default()
        };
        let options = DatasetOptions {
            row_group_rows: 300,
            ..DatasetOptions::default()
        };
        let mut dataset = Dataset::create(dir, options).unwrap();
        let given = logs
            .iter()
            .map(|(name, bytes)| (name.clone(), Ok::<_, String>(bytes.clone())));
        // Damaged logs report their problems; they are the same either way.
        werr_evtx::present_logs_to(&catalog, &renderer, &present, given, &mut dataset, |_| {})
            .unwrap()
            .expect("a dataset is never a closed pipe");
        dataset.finish().unwrap()
    };
    let one = tempfile::tempdir().unwrap();
    let expected = write_with(1, one.path());
    assert!(expected.len() >= names.len(), "{expected:?}");
    for jobs in [2, 3] {
        let several = tempfile::tempdir().unwrap();
        let written = write_with(jobs, several.path());
        assert_eq!(written, expected, "{jobs} jobs");
        for file in &written {
            let a = std::fs::read(one.path().join(&file.path)).unwrap();
            let b = std::fs::read(several.path().join(&file.path)).unwrap();
            assert!(a == b, "{jobs} jobs: {} differs", file.path.display());
        }
    }
}
