//! `werr evtx --format parquet`: the dataset the corpus logs become, read by a real engine
//! (DuckDB, PyPI `duckdb` in `$WERR_CACHE/duckdb-venv`, made by `scripts/setup-deps`), and
//! compared with what `werr evtx --json` prints of the same logs.

use crate::common::werr;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The columns and the types DuckDB reads them as: the table of docs/evtx.md, "Parquet".
const COLUMNS: &[(&str, &str)] = &[
    ("file", "VARCHAR"),
    ("record_id", "BIGINT"),
    ("timestamp", "TIMESTAMPTZ_NS"),
    ("level", "UTINYINT"),
    ("level_name", "VARCHAR"),
    ("channel", "VARCHAR"),
    ("computer", "VARCHAR"),
    ("provider", "VARCHAR"),
    ("provider_guid", "VARCHAR"),
    ("event_source_name", "VARCHAR"),
    ("event_id", "USMALLINT"),
    ("qualifiers", "USMALLINT"),
    ("version", "UTINYINT"),
    ("task", "USMALLINT"),
    ("opcode", "UTINYINT"),
    ("keywords", "UBIGINT"),
    ("process_id", "UINTEGER"),
    ("thread_id", "UINTEGER"),
    ("user_id", "VARCHAR"),
    ("activity_id", "VARCHAR"),
    ("related_activity_id", "VARCHAR"),
    ("event_data", "MAP(VARCHAR, VARCHAR)"),
    ("inserts", "VARCHAR[]"),
    ("binary", "VARCHAR"),
    ("recovered", "BOOLEAN"),
    ("message_id", "UINTEGER"),
    ("message_id_rule", "VARCHAR"),
    ("message", "VARCHAR"),
    ("message_source", "VARCHAR"),
    ("message_lang", "VARCHAR"),
    ("message_release", "VARCHAR"),
    ("message_match", "VARCHAR"),
    ("message_error", "VARCHAR"),
    ("message_note", "VARCHAR"),
];

/// The Python of the DuckDB venv (`WERR_DUCKDB_PYTHON` overrides); `None` outside CI when
/// it is missing, which fails the test in CI.
fn duckdb_python() -> Option<PathBuf> {
    let candidate = std::env::var_os("WERR_DUCKDB_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| werr_testdata::cache_dir().join("duckdb-venv/bin/python"));
    if candidate.exists() {
        return Some(candidate);
    }
    let message = format!(
        "python with duckdb not found at {} (scripts/setup-deps creates it)",
        candidate.display()
    );
    assert!(!werr_testdata::in_ci(), "{message}");
    eprintln!("SKIPPED: {message}");
    None
}

/// What DuckDB reads of the dataset in `dir` (tests/cli/support/parquet_duckdb.py).
fn duckdb_reads(python: &Path, dir: &Path) -> Value {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cli/support/parquet_duckdb.py");
    let out = std::process::Command::new(python)
        .arg(script)
        .arg(dir)
        .output()
        .expect("python runs");
    assert!(
        out.status.success(),
        "DuckDB failed on {}: {}",
        dir.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("the script prints one JSON object")
}

/// Every file under `dir`, relative to it (none when it does not exist).
fn files_under(dir: &Path) -> Vec<String> {
    if !dir.exists() {
        return Vec::new();
    }
    let mut files: Vec<String> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| e.path().strip_prefix(dir).unwrap().display().to_string())
        .collect();
    files.sort();
    files
}

#[test]
fn duckdb_reads_the_corpus_dataset_as_werr_s_json_lines_say() {
    let Some(logs) = werr_testdata::corpus("evtx") else {
        return;
    };
    let Some(python) = duckdb_python() else {
        return;
    };
    // Both runs exit 1: Application_no_crc32.evtx's chunk has the NO_CRC32 flag, a problem
    // reported while its records are read.
    let json = werr()
        .arg("evtx")
        .arg("--json")
        .arg(&logs)
        .output()
        .unwrap();
    assert_eq!(
        json.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&json.stderr)
    );
    let records: Vec<Value> = String::from_utf8(json.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();

    let tmp = tempfile::tempdir().unwrap();
    let dataset = tmp.path().join("dataset");
    let out = werr()
        .arg("evtx")
        .args(["--format", "parquet", "--output"])
        .arg(&dataset)
        .arg(&logs)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("NO_CRC32"), "{stderr}");
    assert!(out.stdout.is_empty(), "a dataset run prints no records");
    assert!(
        stderr.contains(&format!("wrote {} rows in 4 Parquet files", records.len())),
        "{stderr}"
    );
    // One file per log (each of the corpus's logs holds one channel), in its channel's
    // folder, and nothing else: no temporary file stays.
    assert_eq!(
        files_under(&dataset),
        [
            "channel=Application/Application_no_crc32.parquet",
            "channel=Security/Security_short_selected.parquet",
            "channel=System/system.parquet",
            "channel=TestLogX/TestLogX.parquet",
        ]
    );

    let read = duckdb_reads(&python, &dataset);
    eprintln!("DuckDB {}", read["duckdb"]);

    // Rows: as many per log, and per channel, as the JSON Lines have records.
    let mut per_file = BTreeMap::<String, u64>::new();
    let mut per_channel = BTreeMap::<String, u64>::new();
    let mut failures_by_user = BTreeMap::<String, u64>::new();
    let (mut messages, mut inserts, mut named) = (0u64, 0u64, 0u64);
    for r in &records {
        *per_file
            .entry(r["file"].as_str().unwrap().into())
            .or_default() += 1;
        *per_channel
            .entry(r["channel"].as_str().unwrap().into())
            .or_default() += 1;
        messages += u64::from(!r["message"].is_null());
        inserts += r["inserts"].as_array().unwrap().len() as u64;
        let names = r["insert_names"].as_array().unwrap();
        named += names.iter().filter(|n| !n.is_null()).count() as u64;
        if r["channel"] == "Security" && r["event_id"] == 4625 {
            let at = names.iter().position(|n| n == "TargetUserName").unwrap();
            let user = r["inserts"][at].as_str().unwrap().to_string();
            *failures_by_user.entry(user).or_default() += 1;
        }
    }
    let counts = |v: &Value| -> BTreeMap<String, u64> {
        v.as_object()
            .unwrap()
            .iter()
            .map(|(k, n)| (k.clone(), n.as_u64().unwrap()))
            .collect()
    };
    assert_eq!(counts(&read["rows_per_file"]), per_file);
    assert_eq!(counts(&read["rows_per_channel"]), per_channel);
    assert_eq!(read["channel_mismatches"], 0);
    // The event-data map answers the analyst's query: failed logons by target user.
    assert!(
        !failures_by_user.is_empty(),
        "the corpus has Security 4625 records"
    );
    assert_eq!(counts(&read["logon_failures_by_user"]), failures_by_user);
    assert_eq!(read["messages"], messages);
    assert_eq!(read["inserts"], inserts);
    assert_eq!(read["event_data_entries"], named);
    // The activity ids (system.evtx's records carry 331), each the record's own.
    let activities: BTreeMap<String, String> = records
        .iter()
        .filter_map(|r| {
            let id = r["activity_id"].as_str()?;
            Some((
                format!("{}#{}", r["file"].as_str()?, r["record_id"]),
                id.to_string(),
            ))
        })
        .collect();
    assert!(activities.len() >= 300, "{} activity ids", activities.len());
    let read_activities: BTreeMap<String, String> = read["activity_ids"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_string()))
        .collect();
    assert_eq!(read_activities, activities);

    // Types as documented.
    let columns: Vec<(String, String)> = read["columns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c[0].as_str().unwrap().into(), c[1].as_str().unwrap().into()))
        .collect();
    let documented: Vec<(String, String)> = COLUMNS
        .iter()
        .map(|(n, t)| (n.to_string(), t.to_string()))
        .collect();
    assert_eq!(columns, documented);

    // Each timestamp is the record's SystemTime (100 ns ticks; DuckDB shows nanoseconds).
    let times = read["times"].as_object().unwrap();
    assert_eq!(times.len(), records.len());
    for r in &records {
        let key = format!("{}#{}", r["file"].as_str().unwrap(), r["record_id"]);
        let time = r["time"].as_str().unwrap();
        let expected = format!("{}00", time.trim_end_matches('Z'));
        assert_eq!(times[&key], expected.as_str(), "{key}");
    }
    // Keywords are the log's 64-bit hex numbers, whole: most have the top bit set (above
    // i64's range).
    let keywords = read["keywords"].as_object().unwrap();
    let mut above_i64 = 0;
    for r in &records {
        let key = format!("{}#{}", r["file"].as_str().unwrap(), r["record_id"]);
        let expected = r["keywords"].as_str().map(|k| {
            let value = u64::from_str_radix(k.trim_start_matches("0x"), 16).unwrap();
            above_i64 += usize::from(value > i64::MAX as u64);
            value.to_string()
        });
        assert_eq!(keywords[&key].as_str(), expected.as_deref(), "{key}");
    }
    assert!(above_i64 > 0);
}

#[test]
fn parquet_needs_an_output_folder_and_only_parquet_takes_one() {
    let Some(log) = werr_testdata::corpus("evtx/TestLogX.evtx") else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let out = werr()
        .args(["evtx", "--format", "parquet"])
        .arg(&log)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--output DIR"));

    let out = werr()
        .args(["evtx", "--format", "json", "--output"])
        .arg(tmp.path().join("x"))
        .arg(&log)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(!tmp.path().join("x").exists());

    // A folder that holds files already is refused: the dataset would mix two runs.
    std::fs::write(tmp.path().join("old.parquet"), b"not ours").unwrap();
    let out = werr()
        .args(["evtx", "--format", "parquet", "--output"])
        .arg(tmp.path())
        .arg(&log)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("not empty"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(files_under(tmp.path()), ["old.parquet"]);
}

#[test]
fn logs_of_the_same_name_get_a_file_each() {
    let Some(log) = werr_testdata::corpus("evtx/TestLogX.evtx") else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    for host in ["host1", "host2"] {
        std::fs::create_dir(tmp.path().join(host)).unwrap();
        std::fs::copy(&log, tmp.path().join(host).join("TestLogX.evtx")).unwrap();
    }
    let dataset = tmp.path().join("out");
    let out = werr()
        .args(["evtx", "--format", "parquet", "--output"])
        .arg(&dataset)
        .arg(tmp.path().join("host1"))
        .arg(tmp.path().join("host2"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        files_under(&dataset),
        [
            "channel=TestLogX/TestLogX-2.parquet",
            "channel=TestLogX/TestLogX.parquet"
        ]
    );
}

/// A run killed at any moment leaves complete files under their names, and what it was
/// writing under a hidden name that no reader of the dataset takes.
#[test]
fn a_killed_run_leaves_only_whole_files_under_parquet_names() {
    let Some(log) = werr_testdata::corpus("evtx/system.evtx") else {
        return;
    };
    let Some(python) = duckdb_python() else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let logs = tmp.path().join("logs");
    std::fs::create_dir(&logs).unwrap();
    for i in 0..40 {
        std::fs::copy(&log, logs.join(format!("system{i:02}.evtx"))).unwrap();
    }
    let dataset = tmp.path().join("dataset");
    let bin = assert_cmd::cargo::cargo_bin("werr");
    let mut child = std::process::Command::new(bin)
        .args(["evtx", "--format", "parquet", "--output"])
        .arg(&dataset)
        .arg(&logs)
        .env_remove("WERR_KB")
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Killed once its first files are complete (or at the end, if it is that fast).
    let started = std::time::Instant::now();
    let complete = || {
        files_under(&dataset)
            .iter()
            .filter(|f| f.ends_with(".parquet"))
            .count()
    };
    while complete() < 2 && started.elapsed() < std::time::Duration::from_secs(60) {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    let _ = child.kill(); // SIGKILL: nothing of werr runs after it
    child.wait().unwrap();
    let files = files_under(&dataset);
    assert!(files.iter().all(|f| {
        let name = f.rsplit('/').next().unwrap();
        f.ends_with(".parquet") || (name.starts_with('.') && name.ends_with(".partial"))
    }));
    let whole = files.iter().filter(|f| f.ends_with(".parquet")).count() as u64;
    assert!(whole >= 2, "{files:?}");
    // Every file that looks whole is whole: DuckDB reads all of it.
    let read = duckdb_reads(&python, &dataset);
    let per_file = read["rows_per_file"].as_object().unwrap();
    assert_eq!(per_file.len() as u64, whole);
    assert!(per_file.values().all(|n| n == 1881), "{per_file:?}");
}
