//! Event-log records, as `werr-evtx` presents them, written as a Parquet dataset: the
//! `--format parquet` of `werr evtx`. A crate of its own so that `werr-evtx` does not carry
//! arrow and parquet.
//!
//! - [`schema`]: the columns, typed (docs/evtx.md, "Parquet", lists them).
//! - [`Rows`]: one chunk's records as an arrow batch per channel, made on the worker that
//!   read the chunk ([`werr_evtx::ChunkRows`]).
//! - [`Dataset`]: the output folder, a [`werr_evtx::RowSink`] fed in log order: one file per
//!   input log and channel, under a Hive-style `channel=NAME/` folder, written to a hidden
//!   temporary name and renamed when complete; row groups of at most
//!   [`DatasetOptions::row_group_rows`] rows or [`DatasetOptions::row_group_bytes`] bytes, so
//!   that memory stays bounded whatever the size of a log.
//! - `columns`: a file's columns, encoded side by side by the threads reading the log (the
//!   dataset's [`werr_evtx::SharedWork`]), each column in log order.

use arrow_array::builder::Int64Builder;
use arrow_array::builder::{
    BooleanBuilder, ListBuilder, MapBuilder, MapFieldNames, StringBuilder,
    TimestampNanosecondBuilder, UInt16Builder, UInt32Builder, UInt64Builder, UInt8Builder,
};
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Fields, Schema, SchemaRef, TimeUnit};
use columns::{FileColumns, Item, SpentBatches};
use parquet::arrow::arrow_writer::ArrowRowGroupWriterFactory;
use parquet::arrow::ArrowWriter;
use parquet::basic::{Compression, ZstdLevel};
use parquet::file::properties::{EnabledStatistics, WriterProperties};
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::types::ColumnPath;
use std::collections::HashSet;
use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock, RwLock};
use werr_evtx::{
    ChunkRows, EventRecord, MessageIdRule, MessageMatch, Rendering, RowSink, SharedWork,
};

mod columns;

/// The time zone of the `timestamp` column: a log's `SystemTime` is UTC.
const UTC: &str = "UTC";

/// The columns of every file, in order. Strings are dictionary-encoded in the files where
/// that is smaller (parquet's default); unsigned integers keep the width the log defines
/// (DuckDB reads them as UTINYINT, USMALLINT, UINTEGER, UBIGINT; Spark as the next wider
/// signed type, `keywords` as DECIMAL(20,0)).
pub fn schema() -> SchemaRef {
    static SCHEMA: OnceLock<SchemaRef> = OnceLock::new();
    SCHEMA
        .get_or_init(|| {
            let text = |name: &str| Field::new(name, DataType::Utf8, true);
            Arc::new(Schema::new(vec![
                Field::new("file", DataType::Utf8, false),
                Field::new("record_id", DataType::Int64, false),
                Field::new(
                    "timestamp",
                    DataType::Timestamp(TimeUnit::Nanosecond, Some(UTC.into())),
                    true,
                ),
                Field::new("level", DataType::UInt8, true),
                text("level_name"),
                text("channel"),
                text("computer"),
                Field::new("provider", DataType::Utf8, false),
                text("provider_guid"),
                text("event_source_name"),
                Field::new("event_id", DataType::UInt16, false),
                Field::new("qualifiers", DataType::UInt16, true),
                Field::new("version", DataType::UInt8, true),
                Field::new("task", DataType::UInt16, true),
                Field::new("opcode", DataType::UInt8, true),
                Field::new("keywords", DataType::UInt64, true),
                Field::new("process_id", DataType::UInt32, true),
                Field::new("thread_id", DataType::UInt32, true),
                text("user_id"),
                text("activity_id"),
                text("related_activity_id"),
                Field::new("event_data", map_type(), false),
                Field::new("inserts", list_type(), false),
                text("binary"),
                Field::new("recovered", DataType::Boolean, false),
                Field::new("message_id", DataType::UInt32, true),
                text("message_id_rule"),
                text("message"),
                text("message_source"),
                text("message_lang"),
                text("message_release"),
                text("message_match"),
                text("message_error"),
                text("message_note"),
            ]))
        })
        .clone()
}

/// The names of a map's parts as the Parquet format's MAP annotation names them.
fn map_names() -> MapFieldNames {
    MapFieldNames {
        entry: "key_value".into(),
        key: "key".into(),
        value: "value".into(),
    }
}

/// `event_data`: MAP<STRING, STRING>, each named insert by its name.
fn map_type() -> DataType {
    let names = map_names();
    let entries = Field::new(
        names.entry,
        DataType::Struct(Fields::from(vec![
            Field::new(names.key, DataType::Utf8, false),
            Field::new(names.value, DataType::Utf8, true),
        ])),
        false,
    );
    DataType::Map(Arc::new(entries), false)
}

/// The element of `inserts`, named as the Parquet format's LIST annotation names it.
fn list_element() -> Arc<Field> {
    Arc::new(Field::new("element", DataType::Utf8, false))
}

/// `inserts`: LIST<STRING>, in the record's order.
fn list_type() -> DataType {
    DataType::List(list_element())
}

/// Values a builder makes room for at first: about a chunk's records.
const CHUNK_ROWS: usize = 128;

/// A string column's builder, with room for a chunk's values of `bytes` bytes each.
fn text_builder(bytes: usize) -> StringBuilder {
    StringBuilder::with_capacity(CHUNK_ROWS, CHUNK_ROWS * bytes)
}

/// The column builders of one batch, in [`schema`]'s order.
struct Columns {
    file: StringBuilder,
    record_id: Int64Builder,
    timestamp: TimestampNanosecondBuilder,
    level: UInt8Builder,
    level_name: StringBuilder,
    channel: StringBuilder,
    computer: StringBuilder,
    provider: StringBuilder,
    provider_guid: StringBuilder,
    event_source_name: StringBuilder,
    event_id: UInt16Builder,
    qualifiers: UInt16Builder,
    version: UInt8Builder,
    task: UInt16Builder,
    opcode: UInt8Builder,
    keywords: UInt64Builder,
    process_id: UInt32Builder,
    thread_id: UInt32Builder,
    user_id: StringBuilder,
    activity_id: StringBuilder,
    related_activity_id: StringBuilder,
    event_data: MapBuilder<StringBuilder, StringBuilder>,
    inserts: ListBuilder<StringBuilder>,
    binary: StringBuilder,
    recovered: BooleanBuilder,
    message_id: UInt32Builder,
    message_id_rule: StringBuilder,
    message: StringBuilder,
    message_source: StringBuilder,
    message_lang: StringBuilder,
    message_release: StringBuilder,
    message_match: StringBuilder,
    message_error: StringBuilder,
    message_note: StringBuilder,
}

impl Columns {
    fn new() -> Self {
        Columns {
            file: text_builder(48),
            record_id: Int64Builder::with_capacity(CHUNK_ROWS),
            timestamp: TimestampNanosecondBuilder::with_capacity(CHUNK_ROWS).with_timezone(UTC),
            level: UInt8Builder::with_capacity(CHUNK_ROWS),
            level_name: text_builder(12),
            channel: text_builder(16),
            computer: text_builder(24),
            provider: text_builder(40),
            provider_guid: text_builder(38),
            event_source_name: text_builder(0),
            event_id: UInt16Builder::with_capacity(CHUNK_ROWS),
            qualifiers: UInt16Builder::with_capacity(CHUNK_ROWS),
            version: UInt8Builder::with_capacity(CHUNK_ROWS),
            task: UInt16Builder::with_capacity(CHUNK_ROWS),
            opcode: UInt8Builder::with_capacity(CHUNK_ROWS),
            keywords: UInt64Builder::with_capacity(CHUNK_ROWS),
            process_id: UInt32Builder::with_capacity(CHUNK_ROWS),
            thread_id: UInt32Builder::with_capacity(CHUNK_ROWS),
            user_id: text_builder(16),
            activity_id: text_builder(8),
            related_activity_id: text_builder(0),
            event_data: MapBuilder::with_capacity(
                Some(map_names()),
                text_builder(16),
                text_builder(16),
                CHUNK_ROWS,
            )
            .with_values_field(Field::new("value", DataType::Utf8, true)),
            inserts: ListBuilder::with_capacity(text_builder(32), CHUNK_ROWS)
                .with_field(list_element()),
            binary: text_builder(0),
            recovered: BooleanBuilder::with_capacity(CHUNK_ROWS),
            message_id: UInt32Builder::with_capacity(CHUNK_ROWS),
            message_id_rule: text_builder(8),
            message: text_builder(160),
            message_source: text_builder(16),
            message_lang: text_builder(0),
            message_release: text_builder(8),
            message_match: text_builder(8),
            message_error: text_builder(0),
            message_note: text_builder(0),
        }
    }

    fn push(&mut self, file: &str, r: &EventRecord, m: &Rendering) {
        self.file.append_value(file);
        // Record ids count up from 1; one past i64's range is not a record id a log holds.
        self.record_id
            .append_value(i64::try_from(r.record_id).unwrap_or(i64::MAX));
        self.timestamp.append_option(timestamp_ns(&r.time));
        self.level.append_option(r.level);
        self.level_name.append_option(r.level_name());
        self.channel.append_option(r.channel.as_deref());
        self.computer.append_option(r.computer.as_deref());
        self.provider.append_value(&r.provider);
        self.provider_guid.append_option(r.provider_guid.as_deref());
        self.event_source_name
            .append_option(r.event_source_name.as_deref());
        self.event_id.append_value(r.event_id);
        self.qualifiers.append_option(r.qualifiers);
        self.version.append_option(r.version);
        self.task.append_option(r.task);
        self.opcode.append_option(r.opcode);
        self.keywords
            .append_option(r.keywords.as_deref().and_then(hex_u64));
        self.process_id.append_option(r.process_id);
        self.thread_id.append_option(r.thread_id);
        self.user_id.append_option(r.user_id.as_deref());
        self.activity_id.append_option(r.activity_id.as_deref());
        self.related_activity_id
            .append_option(r.related_activity_id.as_deref());
        for (name, value) in r.insert_names.iter().zip(&r.inserts) {
            if let Some(name) = name {
                self.event_data.keys().append_value(name);
                self.event_data.values().append_value(value);
            }
        }
        // A map's entries never fail to close: keys and values were appended in pairs.
        let _ = self.event_data.append(true);
        for insert in &r.inserts {
            self.inserts.values().append_value(insert);
        }
        self.inserts.append(true);
        self.binary.append_option(r.binary.as_deref());
        self.recovered.append_value(r.recovered);
        self.message_id.append_option(m.message_id);
        self.message_id_rule
            .append_option(m.message_id_rule.map(rule_name));
        self.message.append_option(m.message.as_deref());
        self.message_source
            .append_option(m.message_source.as_deref());
        self.message_lang.append_option(m.message_lang.as_deref());
        self.message_release
            .append_option(m.message_release.as_deref());
        self.message_match
            .append_option(m.message_match.map(match_name));
        self.message_error.append_option(m.message_error.as_deref());
        self.message_note.append_option(m.message_note.as_deref());
    }

    fn finish(&mut self) -> RecordBatch {
        let columns: Vec<ArrayRef> = vec![
            Arc::new(self.file.finish()),
            Arc::new(self.record_id.finish()),
            Arc::new(self.timestamp.finish()),
            Arc::new(self.level.finish()),
            Arc::new(self.level_name.finish()),
            Arc::new(self.channel.finish()),
            Arc::new(self.computer.finish()),
            Arc::new(self.provider.finish()),
            Arc::new(self.provider_guid.finish()),
            Arc::new(self.event_source_name.finish()),
            Arc::new(self.event_id.finish()),
            Arc::new(self.qualifiers.finish()),
            Arc::new(self.version.finish()),
            Arc::new(self.task.finish()),
            Arc::new(self.opcode.finish()),
            Arc::new(self.keywords.finish()),
            Arc::new(self.process_id.finish()),
            Arc::new(self.thread_id.finish()),
            Arc::new(self.user_id.finish()),
            Arc::new(self.activity_id.finish()),
            Arc::new(self.related_activity_id.finish()),
            Arc::new(self.event_data.finish()),
            Arc::new(self.inserts.finish()),
            Arc::new(self.binary.finish()),
            Arc::new(self.recovered.finish()),
            Arc::new(self.message_id.finish()),
            Arc::new(self.message_id_rule.finish()),
            Arc::new(self.message.finish()),
            Arc::new(self.message_source.finish()),
            Arc::new(self.message_lang.finish()),
            Arc::new(self.message_release.finish()),
            Arc::new(self.message_match.finish()),
            Arc::new(self.message_error.finish()),
            Arc::new(self.message_note.finish()),
        ];
        RecordBatch::try_new(schema(), columns)
            .expect("every column is built to the schema's type, with one value per row")
    }
}

/// A message-id rule as the JSON output names it.
fn rule_name(rule: MessageIdRule) -> &'static str {
    match rule {
        MessageIdRule::Classic => "classic",
        MessageIdRule::EventIdIsMessageId => "event_id_is_message_id",
        MessageIdRule::Manifest => "manifest",
    }
}

/// A message match as the JSON output names it.
fn match_name(matched: MessageMatch) -> &'static str {
    match matched {
        MessageMatch::Exact => "exact",
        MessageMatch::Approximate => "approximate",
        MessageMatch::EventId => "event_id",
    }
}

/// `0x8020000000000000` (as the log writes keywords) as a number.
fn hex_u64(text: &str) -> Option<u64> {
    let digits = text
        .strip_prefix("0x")
        .or_else(|| text.strip_prefix("0X"))?;
    u64::from_str_radix(digits, 16).ok()
}

/// A log's `SystemTime` (`2016-07-11T20:20:26.1870813Z`: RFC 3339 in UTC, up to nine digits
/// of fraction) as nanoseconds since 1970 UTC; `None` for other text, and for times outside
/// the 64-bit nanosecond range (1677 to 2262).
pub fn timestamp_ns(text: &str) -> Option<i64> {
    let b = text.as_bytes();
    let digits = |range: std::ops::Range<usize>| -> Option<i64> {
        let part = b.get(range)?;
        part.iter().try_fold(0i64, |n, &d| {
            d.is_ascii_digit().then(|| n * 10 + i64::from(d - b'0'))
        })
    };
    if b.len() < 20 || b[4] != b'-' || b[7] != b'-' || b[10] != b'T' || b[13] != b':' {
        return None;
    }
    if b[16] != b':' {
        return None;
    }
    let (year, month, day) = (digits(0..4)?, digits(5..7)?, digits(8..10)?);
    let (hour, minute, second) = (digits(11..13)?, digits(14..16)?, digits(17..19)?);
    if !(1..=12).contains(&month)
        || day < 1
        || day > days_in_month(year, month)
        || hour > 23
        || minute > 59
        || second > 60
    {
        return None;
    }
    let mut fraction = 0i64;
    let mut rest = &b[19..];
    if let Some(after) = rest.strip_prefix(b".") {
        let count = after.iter().take_while(|d| d.is_ascii_digit()).count();
        if count == 0 || count > 9 {
            return None;
        }
        fraction = digits(20..20 + count)? * 10i64.pow(9 - count as u32);
        rest = &after[count..];
    }
    if rest != b"Z" {
        return None;
    }
    let seconds = days_from_civil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second;
    seconds.checked_mul(1_000_000_000)?.checked_add(fraction)
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days from 1970-01-01 to a date of the proleptic Gregorian calendar (the civil-from-days
/// inverse over 400-year eras).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month_from_march = (month + 9) % 12;
    let day_of_year = (153 * month_from_march + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// One chunk's shown records: a batch per channel, in the order the channels first appear
/// (a log holds one channel, as a rule; forwarded events hold several).
#[derive(Default)]
pub struct Rows {
    groups: Vec<Group>,
    /// Where the batches go back once written: the building thread's.
    spent: Option<Arc<SpentBatches>>,
}

thread_local! {
    /// The batches this thread built that are written, for it to free.
    static SPENT: Arc<SpentBatches> = Arc::default();
}

struct Group {
    channel: Option<String>,
    columns: Option<Columns>,
    batch: Option<RecordBatch>,
}

impl ChunkRows for Rows {
    fn push(&mut self, file: &str, record: &EventRecord, rendering: &Rendering) {
        let channel = record.channel.as_deref();
        let at = match self
            .groups
            .iter()
            .position(|g| g.channel.as_deref() == channel)
        {
            Some(at) => at,
            None => {
                self.groups.push(Group {
                    channel: channel.map(String::from),
                    columns: Some(Columns::new()),
                    batch: None,
                });
                self.groups.len() - 1
            }
        };
        if let Some(columns) = &mut self.groups[at].columns {
            columns.push(file, record, rendering);
        }
    }

    fn finish(&mut self) {
        for group in &mut self.groups {
            if let Some(mut columns) = group.columns.take() {
                group.batch = Some(columns.finish());
            }
        }
        let spent = SPENT.with(Arc::clone);
        // The batches written since this thread's last chunk are freed here, by the thread
        // whose heap holds them.
        drop(std::mem::take(&mut *columns::lock(&spent)));
        self.spent = Some(spent);
    }

    fn clear(&mut self) {
        self.groups.clear();
    }

    fn held_bytes(&self) -> usize {
        let batches = self.groups.iter().filter_map(|g| g.batch.as_ref());
        batches.map(RecordBatch::get_array_memory_size).sum()
    }
}

/// How a [`Dataset`] cuts its files into row groups.
#[derive(Debug, Clone)]
pub struct DatasetOptions {
    /// Rows at most per row group.
    pub row_group_rows: usize,
    /// Bytes at most of the arrow batches (their buffers in memory) that a row group
    /// gathers: a group ends before a batch that would pass it.
    pub row_group_bytes: usize,
}

impl Default for DatasetOptions {
    fn default() -> Self {
        DatasetOptions {
            row_group_rows: 64 * 1024,
            row_group_bytes: 64 << 20,
        }
    }
}

/// The files' encoding: zstd; dictionaries only for the string columns whose values repeat
/// (names, GUIDs, SIDs, sources), which parquet's encoder would otherwise hash and drop for
/// the others (messages, inserts, unique ids) on every row; statistics (min, max, nulls)
/// per column chunk, where engines prune row groups with them, none for free text; pages of
/// 128 KiB.
fn writer_properties() -> parquet::file::properties::WriterPropertiesBuilder {
    let mut properties = WriterProperties::builder()
        .set_compression(Compression::ZSTD(ZstdLevel::default()))
        .set_dictionary_enabled(false)
        .set_statistics_enabled(EnabledStatistics::Chunk)
        // Pages are compressed as they fill: smaller ones spread that work over the run
        // instead of leaving most of it to the end of each log.
        .set_data_page_size_limit(128 << 10);
    for column in REPEATED_TEXT {
        properties = properties.set_column_dictionary_enabled(column_path(column), true);
    }
    for column in FREE_TEXT {
        properties =
            properties.set_column_statistics_enabled(column_path(column), EnabledStatistics::None);
    }
    properties
}

/// String columns whose values repeat from row to row: dictionary-encoded.
const REPEATED_TEXT: &[&str] = &[
    "file",
    "level_name",
    "channel",
    "computer",
    "provider",
    "provider_guid",
    "event_source_name",
    "user_id",
    "event_data.key_value.key",
    "message_id_rule",
    "message_source",
    "message_lang",
    "message_release",
    "message_match",
];

/// Columns of free text: no statistics.
const FREE_TEXT: &[&str] = &[
    "event_data.key_value.value",
    "inserts.list.element",
    "binary",
    "message",
    "message_error",
    "message_note",
];

fn column_path(dotted: &str) -> ColumnPath {
    ColumnPath::new(dotted.split('.').map(String::from).collect())
}

/// A file of the dataset, complete.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WrittenFile {
    /// Its path under the dataset's folder (`channel=System/system.parquet`).
    pub path: PathBuf,
    /// The log its rows come from, as the caller named it.
    pub log: String,
    /// Its rows.
    pub rows: u64,
}

/// A dataset folder being written; see the crate's documentation for its layout. The thread
/// that hands the rows over ([`RowSink::write_rows`]) pushes them to each file's columns in
/// log order and writes each row group once it is encoded; the encoding itself is shared
/// ([`RowSink::shared_work`]): in [`werr_evtx::present_logs_to`], the threads reading the log
/// encode the columns between their chunks, and close the last row group together.
pub struct Dataset {
    files: Files,
}

impl Dataset {
    /// Starts a dataset in folder `root`, which must not exist or be empty (a dataset mixed
    /// with an earlier run's files would count records twice).
    pub fn create(root: &Path, options: DatasetOptions) -> io::Result<Dataset> {
        match std::fs::read_dir(root) {
            Ok(mut entries) => {
                if entries.next().is_some() {
                    return Err(io::Error::new(
                        io::ErrorKind::AlreadyExists,
                        format!(
                            "{}: the folder is not empty (a dataset is written into a new or empty folder)",
                            root.display()
                        ),
                    ));
                }
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                std::fs::create_dir_all(root).map_err(|e| at(root, e))?
            }
            Err(e) => return Err(at(root, e)),
        }
        Ok(Dataset {
            files: Files {
                root: root.to_path_buf(),
                properties: writer_properties().build(),
                options,
                cpus: std::thread::available_parallelism().map_or(1, |n| n.get()),
                open: Vec::new(),
                shared: Arc::new(SharedColumns::default()),
                taken: HashSet::new(),
                written: Vec::new(),
            },
        })
    }

    /// The files written, in the order they were completed. Files of a log whose end was not
    /// given ([`RowSink::end_log`]) are removed.
    pub fn finish(mut self) -> io::Result<Vec<WrittenFile>> {
        Ok(std::mem::take(&mut self.files.written))
    }
}

impl RowSink for Dataset {
    type Rows = Rows;

    fn write_rows(&mut self, log: &str, rows: &mut Rows) -> io::Result<()> {
        self.files.write_rows(log, rows)
    }

    fn end_log(&mut self, log: &str) -> io::Result<()> {
        self.files.end_log(log)
    }

    fn shared_work(&self) -> Option<Arc<dyn SharedWork>> {
        Some(Arc::clone(&self.files.shared) as Arc<dyn SharedWork>)
    }
}

/// The columns of the files open, as the threads that share their encoding see them.
#[derive(Default)]
struct SharedColumns {
    open: RwLock<Vec<Arc<FileColumns>>>,
}

impl SharedColumns {
    fn open(&self) -> std::sync::RwLockReadGuard<'_, Vec<Arc<FileColumns>>> {
        columns::read(&self.open)
    }

    fn set_open(&self, files: &[OpenFile]) {
        *columns::write(&self.open) = files.iter().map(|f| Arc::clone(&f.columns)).collect();
    }
}

impl SharedWork for SharedColumns {
    fn work(&self) -> bool {
        self.open().iter().any(|columns| columns.work())
    }

    fn input_done(&self) {
        for columns in self.open().iter() {
            columns.end_group();
        }
    }
}

/// The files of a dataset.
struct Files {
    root: PathBuf,
    properties: WriterProperties,
    options: DatasetOptions,
    /// The CPUs of the machine (counted once: each count reads the process's cgroup files).
    cpus: usize,
    /// The files of the log being written, one per channel met.
    open: Vec<OpenFile>,
    shared: Arc<SharedColumns>,
    /// The paths given to files so far (relative to `root`), so that two logs of the same
    /// name (`host1/System.evtx`, `host2/System.evtx`) get two files.
    taken: HashSet<PathBuf>,
    written: Vec<WrittenFile>,
}

struct OpenFile {
    channel: Option<String>,
    /// Where it is written: a hidden name in the final folder, which readers of the
    /// dataset skip (Spark skips names that start with `.`, and the name does not end in
    /// `.parquet`).
    partial: PathBuf,
    /// Relative to the dataset's folder.
    path: PathBuf,
    /// Parquet's writer buffers its output itself.
    writer: SerializedFileWriter<File>,
    /// Makes each row group's column writers.
    factory: ArrowRowGroupWriterFactory,
    /// The leaves of each top-level column (a map has two).
    leaves: Vec<usize>,
    columns: Arc<FileColumns>,
    rows: u64,
    /// Row groups begun, and written to the file.
    groups_begun: u64,
    groups_written: u64,
}

/// Items a file's columns may have yet to take before the thread feeding it encodes them
/// itself: memory stays bounded when encoding is slower than reading.
const BACKLOG: usize = 64;

impl OpenFile {
    /// Pushes `batch` to the columns, in row groups of the size the options ask.
    fn push(
        &mut self,
        batch: RecordBatch,
        options: &DatasetOptions,
        spent: &Arc<SpentBatches>,
    ) -> io::Result<()> {
        let (all_rows, all_bytes) = (batch.num_rows(), batch.get_array_memory_size());
        let mut rest = Some(batch).filter(|b| b.num_rows() > 0);
        while let Some(batch) = rest.take() {
            let bytes = all_bytes * batch.num_rows() / all_rows;
            if let Some((rows, group_bytes)) = self.columns.group_size() {
                let full_of_bytes = rows > 0 && group_bytes + bytes > options.row_group_bytes;
                if rows >= options.row_group_rows.max(1) || full_of_bytes {
                    self.columns.end_group();
                }
            }
            if self.columns.group_size().is_none() {
                self.begin_group()?;
            }
            let (rows, _) = self.columns.group_size().unwrap_or_default();
            let room = options.row_group_rows.max(1) - rows;
            let part = if batch.num_rows() > room {
                rest = Some(batch.slice(room, batch.num_rows() - room));
                batch.slice(0, room)
            } else {
                batch
            };
            self.rows += part.num_rows() as u64;
            let part_bytes = all_bytes * part.num_rows() / all_rows;
            self.columns.push_rows(part, part_bytes, Arc::clone(spent));
        }
        while self.columns.backlog() > BACKLOG {
            if !self.columns.work() {
                std::thread::yield_now();
            }
        }
        self.write_closed_groups()
    }

    fn begin_group(&mut self) -> io::Result<()> {
        let mut writers = self
            .factory
            .create_column_writers(self.groups_begun as usize)
            .map_err(|e| parquet_error(&self.partial, e))?
            .into_iter();
        let per_column = self
            .leaves
            .iter()
            .map(|&n| Mutex::new(writers.by_ref().take(n).collect()))
            .collect();
        self.columns.push(Item::Begin(per_column));
        self.columns.began_group();
        self.groups_begun += 1;
        Ok(())
    }

    /// Writes the row groups every column has closed, in order.
    fn write_closed_groups(&mut self) -> io::Result<()> {
        while self.groups_written < self.groups_begun
            && self.columns.group_closed(self.groups_written)
        {
            let chunks = self
                .columns
                .take_group()
                .map_err(|e| io::Error::other(format!("{}: {e}", self.partial.display())))?;
            let mut group = self
                .writer
                .next_row_group()
                .map_err(|e| parquet_error(&self.partial, e))?;
            for chunk in chunks {
                chunk
                    .append_to_row_group(&mut group)
                    .map_err(|e| parquet_error(&self.partial, e))?;
            }
            group.close().map_err(|e| parquet_error(&self.partial, e))?;
            self.groups_written += 1;
        }
        Ok(())
    }

    /// Ends the last row group, waits for (and helps with) its encoding, writes it and the
    /// file's footer.
    fn complete(&mut self) -> io::Result<()> {
        self.columns.end_group();
        loop {
            self.write_closed_groups()?;
            if self.groups_written == self.groups_begun {
                break;
            }
            if !self.columns.work() {
                std::thread::yield_now();
            }
        }
        self.columns.release();
        self.writer
            .finish()
            .map(drop)
            .map_err(|e| parquet_error(&self.partial, e))
    }
}

impl Files {
    /// The file of log `log` and `channel`, opened when it is the first of them.
    fn file_for(&mut self, log: &str, channel: Option<&str>) -> io::Result<&mut OpenFile> {
        if let Some(at) = self
            .open
            .iter()
            .position(|f| f.channel.as_deref() == channel)
        {
            return Ok(&mut self.open[at]);
        }
        let folder = partition_folder(channel);
        std::fs::create_dir_all(self.root.join(&folder)).map_err(|e| at(&self.root, e))?;
        let stem = file_stem(log);
        let mut path = folder.join(format!("{stem}.parquet"));
        let mut n = 1;
        while self.taken.contains(&path) {
            n += 1;
            path = folder.join(format!("{stem}-{n}.parquet"));
        }
        self.taken.insert(path.clone());
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        let partial = self.root.join(&folder).join(format!(".{name}.partial"));
        let file = File::options()
            .write(true)
            .create_new(true)
            .open(&partial)
            .map_err(|e| at(&partial, e))?;
        // Arrow's writer records the arrow schema in the file's metadata; its parts then
        // encode the columns side by side.
        let (writer, factory) = ArrowWriter::try_new(file, schema(), Some(self.properties.clone()))
            .and_then(ArrowWriter::into_serialized_writer)
            .map_err(|e| parquet_error(&partial, e))?;
        let descriptor = writer.schema_descr();
        let mut leaves = vec![0; schema().fields().len()];
        for leaf in 0..descriptor.num_columns() {
            leaves[descriptor.get_column_root_idx(leaf)] += 1;
        }
        self.open.push(OpenFile {
            channel: channel.map(String::from),
            partial,
            path,
            writer,
            factory,
            leaves,
            columns: Arc::new(FileColumns::new(&schema(), self.cpus)),
            rows: 0,
            groups_begun: 0,
            groups_written: 0,
        });
        self.shared.set_open(&self.open);
        Ok(self.open.last_mut().expect("just pushed"))
    }

    fn write_rows(&mut self, log: &str, rows: &mut Rows) -> io::Result<()> {
        let spent = rows.spent.get_or_insert_with(Arc::default);
        for group in &mut rows.groups {
            let Some(batch) = group.batch.take() else {
                continue;
            };
            let options = self.options.clone();
            let file = self.file_for(log, group.channel.as_deref())?;
            file.push(batch, &options, spent)?;
        }
        Ok(())
    }

    fn end_log(&mut self, log: &str) -> io::Result<()> {
        let mut files = std::mem::take(&mut self.open).into_iter();
        self.shared.set_open(&[]);
        while let Some(mut file) = files.next() {
            let result = file.complete().and_then(|()| {
                std::fs::rename(&file.partial, self.root.join(&file.path))
                    .map_err(|e| at(&file.partial, e))
            });
            if let Err(e) = result {
                let _ = std::fs::remove_file(&file.partial);
                for rest in files {
                    drop(rest.writer);
                    let _ = std::fs::remove_file(&rest.partial);
                }
                return Err(e);
            }
            self.written.push(WrittenFile {
                path: file.path,
                log: log.to_string(),
                rows: file.rows,
            });
        }
        Ok(())
    }
}

impl Drop for Files {
    /// Files never completed (the run stopped on an error, or was never told a log's end)
    /// are removed: nothing partial stays, even under its hidden name.
    fn drop(&mut self) {
        self.shared.set_open(&[]);
        for file in self.open.drain(..) {
            drop(file.writer);
            let _ = std::fs::remove_file(&file.partial);
        }
    }
}

/// The folder of a channel's files: `channel=NAME`, the name escaped as Hive escapes
/// partition values (`%2F` for `/`: `Microsoft-Windows-Sysmon/Operational`), which Spark and
/// DuckDB read back; a record with no channel goes to Hive's default partition.
pub fn partition_folder(channel: Option<&str>) -> PathBuf {
    let value = match channel {
        Some(c) if !c.is_empty() => escape_partition_value(c),
        _ => "__HIVE_DEFAULT_PARTITION__".to_string(),
    };
    PathBuf::from(format!("channel={value}"))
}

/// Hive's `escapePathName`: control characters and `"#%'*/:=?\{[]^` and DEL become `%XX`.
fn escape_partition_value(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        if c.is_ascii_control() || "\"#%'*/:=?\\{[]^".contains(c) {
            out.push_str(&format!("%{:02X}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

/// The name a log's files are given: its file name without `.evtx`; a name that starts with
/// `.` or `_`, which Spark takes for a hidden file, gets `log` before it.
fn file_stem(log: &str) -> String {
    let stem = Path::new(log)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    if stem.is_empty() || stem.starts_with(['.', '_']) {
        format!("log{stem}")
    } else {
        stem
    }
}

fn at(path: &Path, e: io::Error) -> io::Error {
    io::Error::new(e.kind(), format!("{}: {e}", path.display()))
}

fn parquet_error(path: &Path, e: parquet::errors::ParquetError) -> io::Error {
    match e {
        parquet::errors::ParquetError::External(e) => match e.downcast::<io::Error>() {
            Ok(e) => at(path, *e),
            Err(e) => io::Error::other(format!("{}: {e}", path.display())),
        },
        e => io::Error::other(format!("{}: {e}", path.display())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_read_as_nanoseconds_since_1970() {
        assert_eq!(timestamp_ns("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(
            timestamp_ns("2016-07-11T20:20:26.1870813Z"),
            Some(1_468_268_426_187_081_300)
        );
        assert_eq!(
            timestamp_ns("2000-02-29T23:59:59.5Z"),
            Some(951_868_799_500_000_000)
        );
        assert_eq!(timestamp_ns("1969-12-31T23:59:59.999999999Z"), Some(-1));
        assert_eq!(timestamp_ns("1601-01-01T00:00:00.0000000Z"), None);
        for bad in [
            "",
            "2016-07-11 20:20:26Z",
            "2016-07-11T20:20:26",
            "2016-07-11T20:20:26.Z",
            "2016-13-11T20:20:26Z",
            "2015-02-29T20:20:26Z",
            "2016-07-11T20:20:26.1234567890Z",
            "2016-07-11T20:20:26+01:00",
            "２016-07-11T20:20:26Z",
        ] {
            assert_eq!(timestamp_ns(bad), None, "{bad}");
        }
    }

    #[test]
    fn partition_folders_escape_as_hive_does() {
        assert_eq!(
            partition_folder(Some("Microsoft-Windows-Sysmon/Operational")),
            PathBuf::from("channel=Microsoft-Windows-Sysmon%2FOperational")
        );
        assert_eq!(
            partition_folder(Some("System")),
            PathBuf::from("channel=System")
        );
        assert_eq!(
            partition_folder(None),
            PathBuf::from("channel=__HIVE_DEFAULT_PARTITION__")
        );
        assert_eq!(
            partition_folder(Some("a=b%c")),
            PathBuf::from("channel=a%3Db%25c")
        );
    }

    #[test]
    fn hidden_log_names_get_a_visible_stem() {
        assert_eq!(file_stem("logs/System.evtx"), "System");
        assert_eq!(file_stem("_x.evtx"), "log_x");
        assert_eq!(file_stem(".evtx"), "log.evtx");
    }

    #[test]
    fn keywords_read_as_64_bit_numbers() {
        assert_eq!(hex_u64("0x8020000000000000"), Some(0x8020_0000_0000_0000));
        assert_eq!(hex_u64("8020"), None);
        assert_eq!(hex_u64("0x"), None);
    }
}
