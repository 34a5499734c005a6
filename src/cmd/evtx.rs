//! `werr evtx FILE... [--json] [--lang TAG] [--provider NAME] [--id N] [--windows RELEASE]`:
//! every record of event logs with its message text, rendered from the KB's message modules
//! and, for the events no module serves, its event texts of Windows releases.

use super::kb::{kb_error, open_for_reading};
use super::{CliError, CmdResult, Global};

use std::collections::BTreeMap;
use std::io::{self, BufWriter, Write};
use std::ops::ControlFlow;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use werr_evtx::{
    EventRecord, LogItem, LogReader, PendingCatalog, ReadOptions, ReadProblem, RecordHook,
    RenderOptions, Renderer, Rendering,
};
use werr_kb::{ImportSummary, Kb, ProviderRole};

/// Arguments of `werr evtx`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Event log files (.evtx), or folders: their `.evtx` files are read, recursively, in
    /// name order.
    #[arg(required = true, value_name = "FILE|DIR")]
    pub files: Vec<PathBuf>,
    /// One JSON object per record (JSON Lines) instead of text lines.
    #[arg(long)]
    pub json: bool,
    /// Preferred message language (`de-DE`, `de`, `0x407`); falls back to the same language,
    /// en-US, neutral, any.
    #[arg(long, value_name = "TAG")]
    pub lang: Option<String>,
    /// Only records of this provider (repeat for several; letter case ignored).
    #[arg(long, value_name = "NAME")]
    pub provider: Vec<String>,
    /// Only records with this event id (decimal or 0x hex; repeat for several).
    #[arg(long, value_name = "N", value_parser = parse_event_id)]
    pub id: Vec<u16>,
    /// When a record's exact message id is absent but its module has one message with the
    /// same 16-bit event id (other severity or facility), render that one, flagged
    /// `"message_match": "approximate"`.
    #[arg(long)]
    pub approximate: bool,
    /// Threads reading chunks (default: one per core).
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub threads: usize,
    /// The Windows release the logs come from (`7`, `2012r2`, `10-1607`: a release name of
    /// the KB's event texts, or its start before a `-`, the newest such): its event texts
    /// are used, else the newest release's (default: the newest release that has the event).
    #[arg(long, value_name = "RELEASE")]
    pub windows: Option<String>,
}

fn parse_event_id(text: &str) -> Result<u16, String> {
    let t = text.trim();
    let parsed = match t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
        Some(hex) => u16::from_str_radix(hex, 16),
        None => t.parse::<u16>(),
    };
    parsed.map_err(|_| {
        format!(
            "{} is not an event id (0..=65535, decimal or 0x hex)",
            werr_quote::quoted(text)
        )
    })
}

/// One JSON line as serde writes it: the reference [`write_json_line`] is tested against.
#[cfg(test)]
#[derive(serde::Serialize)]
struct JsonRecord<'a> {
    file: &'a str,
    record_id: u64,
    time: &'a str,
    level: Option<u8>,
    level_name: Option<&'static str>,
    channel: &'a Option<String>,
    computer: &'a Option<String>,
    provider: &'a str,
    provider_guid: &'a Option<String>,
    event_source_name: &'a Option<String>,
    event_id: u16,
    qualifiers: Option<u16>,
    version: Option<u8>,
    task: Option<u16>,
    opcode: Option<u8>,
    keywords: &'a Option<String>,
    process_id: Option<u32>,
    thread_id: Option<u32>,
    user_id: &'a Option<String>,
    inserts: &'a [String],
    insert_names: &'a [Option<String>],
    binary: &'a Option<String>,
    recovered: bool,
    message_id: Option<u32>,
    message_id_rule: Option<werr_evtx::MessageIdRule>,
    message: &'a Option<String>,
    message_source: &'a Option<std::sync::Arc<str>>,
    message_lang: &'a Option<String>,
    message_release: &'a Option<std::sync::Arc<str>>,
    message_match: Option<werr_evtx::MessageMatch>,
    message_error: &'a Option<String>,
    message_note: &'a Option<String>,
}

#[cfg(test)]
impl<'a> JsonRecord<'a> {
    fn new(file: &'a str, r: &'a EventRecord, m: &'a Rendering) -> Self {
        JsonRecord {
            file,
            record_id: r.record_id,
            time: &r.time,
            level: r.level,
            level_name: r.level_name(),
            channel: &r.channel,
            computer: &r.computer,
            provider: &r.provider,
            provider_guid: &r.provider_guid,
            event_source_name: &r.event_source_name,
            event_id: r.event_id,
            qualifiers: r.qualifiers,
            version: r.version,
            task: r.task,
            opcode: r.opcode,
            keywords: &r.keywords,
            process_id: r.process_id,
            thread_id: r.thread_id,
            user_id: &r.user_id,
            inserts: &r.inserts,
            insert_names: &r.insert_names,
            binary: &r.binary,
            recovered: r.recovered,
            message_id: m.message_id,
            message_id_rule: m.message_id_rule,
            message: &m.message,
            message_source: &m.message_source,
            message_lang: &m.message_lang,
            message_release: &m.message_release,
            message_match: m.message_match,
            message_error: &m.message_error,
            message_note: &m.message_note,
        }
    }
}

/// The key of a member written after another: `,"NAME":`, one constant per key (the first
/// member's key drops the comma). Names are plain ASCII identifiers.
macro_rules! member {
    ($name:literal) => {
        concat!(",\"", $name, "\":")
    };
}

/// Writes one JSON line (without its newline): the file, every record field, and the
/// rendering, in the order of the JSON Lines contract (docs/evtx.md). Written directly, with
/// the keys as constants and strings that need no escaping copied whole: serde's writer
/// escaped every key and scanned every string byte by byte, the largest single cost of a run.
fn write_json_line(out: &mut Vec<u8>, file: &str, r: &EventRecord, m: &Rendering) {
    let mut json = JsonObject::new(out);
    json.str(member!("file"), file);
    json.num(member!("record_id"), r.record_id);
    json.str(member!("time"), &r.time);
    json.opt_num(member!("level"), r.level);
    json.opt_str(member!("level_name"), r.level_name());
    json.opt_str(member!("channel"), r.channel.as_deref());
    json.opt_str(member!("computer"), r.computer.as_deref());
    json.str(member!("provider"), &r.provider);
    json.opt_str(member!("provider_guid"), r.provider_guid.as_deref());
    json.opt_str(member!("event_source_name"), r.event_source_name.as_deref());
    json.num(member!("event_id"), r.event_id);
    json.opt_num(member!("qualifiers"), r.qualifiers);
    json.opt_num(member!("version"), r.version);
    json.opt_num(member!("task"), r.task);
    json.opt_num(member!("opcode"), r.opcode);
    json.opt_str(member!("keywords"), r.keywords.as_deref());
    json.opt_num(member!("process_id"), r.process_id);
    json.opt_num(member!("thread_id"), r.thread_id);
    json.opt_str(member!("user_id"), r.user_id.as_deref());
    json.strs(
        member!("inserts"),
        r.inserts.iter().map(|s| Some(s.as_str())),
    );
    json.strs(
        member!("insert_names"),
        r.insert_names.iter().map(Option::as_deref),
    );
    json.opt_str(member!("binary"), r.binary.as_deref());
    json.bool(member!("recovered"), r.recovered);
    json.opt_num(member!("message_id"), m.message_id);
    json.opt_str(member!("message_id_rule"), m.message_id_rule.map(rule_name));
    json.opt_str(member!("message"), m.message.as_deref());
    json.opt_str(member!("message_source"), m.message_source.as_deref());
    json.opt_str(member!("message_lang"), m.message_lang.as_deref());
    json.opt_str(member!("message_release"), m.message_release.as_deref());
    json.opt_str(member!("message_match"), m.message_match.map(match_name));
    json.opt_str(member!("message_error"), m.message_error.as_deref());
    json.opt_str(member!("message_note"), m.message_note.as_deref());
    json.close();
}

/// A message-id rule as serde names it (the tests compare): written on most records, where
/// serde's writer cost more than the rest of the line's enums and numbers.
fn rule_name(rule: werr_evtx::MessageIdRule) -> &'static str {
    use werr_evtx::MessageIdRule::*;
    match rule {
        Classic => "classic",
        EventIdIsMessageId => "event_id_is_message_id",
        Manifest => "manifest",
    }
}

/// A message match as serde names it (see [`rule_name`]).
fn match_name(matched: werr_evtx::MessageMatch) -> &'static str {
    use werr_evtx::MessageMatch::*;
    match matched {
        Exact => "exact",
        Approximate => "approximate",
        EventId => "event_id",
    }
}

/// A JSON object being written into a buffer, member by member.
struct JsonObject<'o> {
    out: &'o mut Vec<u8>,
    first: bool,
}

impl<'o> JsonObject<'o> {
    fn new(out: &'o mut Vec<u8>) -> Self {
        out.push(b'{');
        JsonObject { out, first: true }
    }

    /// A member's key, as [`member!`] writes it: with its comma unless it is the first.
    #[inline(always)]
    fn key(&mut self, key: &str) {
        let key = if self.first { &key[1..] } else { key };
        self.first = false;
        self.out.extend_from_slice(key.as_bytes());
    }

    #[inline(always)]
    fn str(&mut self, name: &str, value: &str) {
        self.key(name);
        json_string(self.out, value);
    }

    #[inline(always)]
    fn opt_str(&mut self, name: &str, value: Option<&str>) {
        self.key(name);
        match value {
            Some(v) => json_string(self.out, v),
            None => self.out.extend_from_slice(b"null"),
        }
    }

    #[inline(always)]
    fn num(&mut self, name: &str, value: impl itoa::Integer) {
        self.key(name);
        self.out
            .extend_from_slice(itoa::Buffer::new().format(value).as_bytes());
    }

    #[inline(always)]
    fn opt_num(&mut self, name: &str, value: Option<impl itoa::Integer>) {
        match value {
            Some(v) => self.num(name, v),
            None => {
                self.key(name);
                self.out.extend_from_slice(b"null");
            }
        }
    }

    #[inline(always)]
    fn bool(&mut self, name: &str, value: bool) {
        self.key(name);
        self.out
            .extend_from_slice(if value { b"true" } else { b"false" });
    }

    fn strs<'s>(&mut self, name: &str, values: impl Iterator<Item = Option<&'s str>>) {
        self.key(name);
        self.out.push(b'[');
        for (i, value) in values.enumerate() {
            if i > 0 {
                self.out.push(b',');
            }
            match value {
                Some(v) => json_string(self.out, v),
                None => self.out.extend_from_slice(b"null"),
            }
        }
        self.out.push(b']');
    }

    fn close(self) {
        self.out.push(b'}');
    }
}

/// A JSON string, escaped as serde_json escapes it (quote, backslash, control characters),
/// through sonic-rs: it finds the bytes to escape 32 at a time with SIMD, half the
/// instructions of a word-at-a-time scan and a quarter of a byte-at-a-time one
/// (BENCHMARKS.md, "Event logs", session 4). The tests compare it with serde_json.
fn json_string(out: &mut Vec<u8>, value: &str) {
    // Writing a string into a `Vec` cannot fail.
    let _ = sonic_rs::to_writer(&mut *out, value);
}

/// What the run saw, for the summary on stderr.
#[derive(Default)]
struct Tally {
    read: u64,
    shown: u64,
    rendered: u64,
    /// Rendered records whose text still shows inserts the record lacks.
    partly_rendered: u64,
    problems: u64,
    /// Providers with no message source, and how many of their records were shown.
    no_source: BTreeMap<String, u64>,
    /// Providers whose message ids no rule covers, and how many records.
    no_rule: BTreeMap<String, u64>,
    /// Providers with records whose message id is not in their modules (or does not format).
    not_found: BTreeMap<String, u64>,
    /// Providers with records of events declared without a message.
    without_text: BTreeMap<String, u64>,
}

/// Runs `werr evtx`.
pub fn run(global: &Global, args: Args) -> CmdResult {
    super::show::lang_request(args.lang.as_deref())?;
    // A release to render with is checked against the KB's before anything is read (a
    // wrong name is a usage error); the KB opened for it serves the run.
    let mut opened_kb = None;
    let mut release = None;
    if let Some(asked) = &args.windows {
        let kb = open_for_reading(global)?;
        release = Some(
            kb.resolve_release(asked)
                .map_err(|e| CliError::usage(format!("--windows: {e}")))?
                .name,
        );
        opened_kb = Some(kb);
    }
    let opened_kb = Mutex::new(opened_kb);
    pad_heap_growth();
    // The threads that read chunks render and serialize their records, sharing one renderer
    // (its caches) and the KB behind a lock; this thread, one of them, also writes the output
    // in log order. The KB is opened on a thread of its own meanwhile: opening it and preparing its queries
    // takes as long as reading a chunk. A reader that needs it before that thread has run
    // opens it itself; the others wait for whichever opens it.
    let catalog: Catalog = PendingCatalog::new(|| {
        let kb = match lock_kb(&opened_kb).take() {
            Some(kb) => kb,
            None => open_for_reading(global).map_err(|e| e.message)?,
        };
        // The run reads; one snapshot spares SQLite's locking at every lookup.
        kb.read_in_one_transaction().map_err(|e| e.to_string())?;
        Ok(Mutex::new(kb))
    });
    let renderer = Renderer::new(
        &catalog,
        RenderOptions {
            lang: args.lang.clone(),
            approximate: args.approximate,
            release,
        },
    );
    let open = || {
        let _ = catalog.open();
    };
    let mut options = ReadOptions {
        threads: args.threads,
        recover_records: false,
        via_xml: false,
    };
    // Counted once: the count of cores reads the process's cgroup files (four file system
    // calls) each time, and every log would ask again.
    options.threads = options.thread_count();
    let finished = if options.threads == 1 {
        // No thread to overlap with: a second one would only make the process pay for being
        // multi-threaded (glibc's malloc then locks its arenas), 0.6 ms on system.evtx.
        open();
        read_logs(&args, &options, &renderer, &catalog, None)
    } else {
        // The KB's thread then looks up the event texts of the events the readers meet, as
        // they read them: the first lookups of a run read pages of the KB nobody has read
        // yet, and done when a chunk is presented, they kept both readers waiting (0.2 ms of
        // 6.4 on system.evtx, BENCHMARKS.md "evtx", issue 15).
        let (wanted, wants) = std::sync::mpsc::channel::<(String, u16)>();
        let wanted = Arc::new(Mutex::new(Some(wanted)));
        let renderer = &renderer;
        std::thread::scope(|scope| {
            scope.spawn(move || {
                open();
                for (provider, event_id) in wants {
                    renderer.prefetch(&provider, event_id);
                }
            });
            // When reading is done (or a panic ends it), the channel closes and the KB's
            // thread stops, so that the scope can end.
            let _close = CloseWhenDone(&wanted);
            let hook = announce_events(Arc::clone(&wanted), &args.provider, &args.id);
            read_logs(&args, &options, renderer, &catalog, Some(hook))
        })
    }?;
    // A closed pipe (`werr evtx big.evtx | head`) is the reader's choice: the run ends quietly.
    let Some(run) = finished else {
        return Ok(());
    };
    eprintln!("{}", summary(&run.tally));
    if !run.failed.is_empty() {
        return Err(CliError::failed(format!(
            "{} of {} logs or folders could not be read: {}",
            run.failed.len(),
            run.named,
            run.failed.join(", ")
        )));
    }
    // Damage inside a log (a bad chunk, a bad record) is a file's problem: the records that
    // could be read are printed, and the run fails.
    if run.tally.problems > 0 {
        return Err(CliError::failed(format!(
            "{} problems in the logs (reported above)",
            run.tally.problems
        )));
    }
    Ok(())
}

/// The KB opened ahead for `--windows`, for the catalog to take.
fn lock_kb(kb: &Mutex<Option<Kb>>) -> std::sync::MutexGuard<'_, Option<Kb>> {
    kb.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Has glibc's heap grow 4 MiB beyond each need (`M_TOP_PAD`; the default is 128 KiB), and a
/// helper thread's heap start with that much made writable. Reading a log allocates steadily
/// in two threads; with the default, the helper's heap was made writable a few pages at a
/// time (hundreds of `mprotect` calls, each stalling the other thread's page faults on the
/// shared address space): 5–6% of `werr evtx --json` on system.evtx (BENCHMARKS.md, "evtx",
/// session 5). Memory is used as touched, so the pad costs address space, not RAM.
fn pad_heap_growth() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets a parameter of the allocator; called before this command
    // starts any thread, and any value is valid for M_TOP_PAD.
    unsafe {
        libc::mallopt(libc::M_TOP_PAD, 4 << 20);
    }
}

/// What reading the logs came to.
struct Finished {
    tally: Tally,
    /// The logs and folders that could not be read or walked.
    failed: Vec<String>,
    /// How many logs and folders there were to read.
    named: usize,
}

/// Reads, renders and writes every log `args` names; `None` when the output was closed.
/// Fails when the KB cannot be opened (before any record is written) or the output cannot be
/// written.
fn read_logs(
    args: &Args,
    options: &ReadOptions,
    renderer: &Renderer<'_, Catalog<'_>>,
    catalog: &Catalog<'_>,
    hook: Option<Arc<RecordHook>>,
) -> Result<Option<Finished>, CliError> {
    let stdout = io::stdout();
    let mut out = BufWriter::with_capacity(1 << 16, stdout.lock());
    let mut tally = Tally::default();
    let mut failed_files = Vec::new();
    let mut stopped: Option<io::Error> = None;
    let spare_buffers = SpareBuffers::default();
    // Whether the KB is known to be open: nothing is written before it is.
    let mut kb_open = false;
    let mut kb_error: Option<CliError> = None;
    let mut kb_ready = || -> Result<(), CliError> {
        if !kb_open {
            catalog
                .open()
                .map_err(|e| CliError::failed(e.to_string()))?;
            kb_open = true;
        }
        Ok(())
    };

    let logs = log_files(&args.files, &mut failed_files);
    let unwalked = failed_files.len();
    let mut reader = LogReader::new(options.clone());
    if let Some(hook) = hook {
        reader = reader.on_each_record(hook);
    }
    for path in &logs {
        let name = path.display().to_string();
        let data = match super::load(path, true) {
            Ok(d) => d,
            Err(e) => {
                eprintln!("werr: {name}: {e}");
                failed_files.push(name);
                continue;
            }
        };
        let per_chunk = |items: &[LogItem]| present(args, &name, renderer, &spare_buffers, items);
        let result = reader.read_chunks(&data, per_chunk, |mut chunk: Presented| {
            if let Err(e) = kb_ready() {
                kb_error = Some(e);
                return ControlFlow::Break(());
            }
            for problem in &chunk.problems {
                eprintln!("werr: {name}: {problem}");
            }
            tally.merge(chunk.tally);
            if let Err(e) = out.write_all(&chunk.bytes) {
                stopped = Some(e);
                return ControlFlow::Break(());
            }
            chunk.bytes.clear();
            lock_buffers(&spare_buffers).push(chunk.bytes);
            ControlFlow::Continue(())
        });
        if let Err(e) = result {
            eprintln!("werr: {name}: {e}");
            failed_files.push(name);
        }
        if stopped.is_some() || kb_error.is_some() {
            break;
        }
    }
    // The run ends here: the compiled template definitions and record storage are left to
    // the process's exit, which frees them at once (freeing them one by one took 0.3 ms).
    std::mem::forget(reader);
    // With no log read, the KB's failure is still the run's.
    if let Some(e) = kb_error.or_else(|| kb_ready().err()) {
        return Err(e);
    }
    match stopped.map_or_else(|| out.flush(), Err) {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(None),
        Err(e) => Err(e.into()),
        Ok(()) => Ok(Some(Finished {
            tally,
            failed: failed_files,
            named: logs.len() + unwalked,
        })),
    }
}

/// What one chunk's records became on the worker that read them: output lines, counts,
/// problems to report.
struct Presented {
    bytes: Vec<u8>,
    tally: Tally,
    problems: Vec<ReadProblem>,
}

/// The KB as the renderer reads it: opened on another thread, shared behind a lock.
type Catalog<'g> = PendingCatalog<'g, Mutex<Kb>>;

/// Output buffers already written out, for the next chunks: a chunk's output is 100-200 KiB,
/// and allocating it afresh each time cost page faults and heap consolidation.
type SpareBuffers = std::sync::Mutex<Vec<Vec<u8>>>;

fn lock_buffers(buffers: &SpareBuffers) -> std::sync::MutexGuard<'_, Vec<Vec<u8>>> {
    buffers
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Selects, renders and serializes the records of one chunk.
fn present(
    args: &Args,
    file: &str,
    renderer: &Renderer<'_, Catalog<'_>>,
    spare_buffers: &SpareBuffers,
    items: &[LogItem],
) -> Presented {
    let mut bytes = lock_buffers(spare_buffers).pop().unwrap_or_default();
    bytes.reserve(items.len() * 1024);
    let mut chunk = Presented {
        bytes,
        tally: Tally::default(),
        problems: Vec::new(),
    };
    let tally = &mut chunk.tally;
    for item in items {
        let record = match item {
            LogItem::Problem(p) => {
                tally.problems += 1;
                chunk.problems.push(p.clone());
                continue;
            }
            LogItem::Record(r) => r,
        };
        tally.read += 1;
        if !selected(&args.provider, &args.id, record) {
            continue;
        }
        tally.shown += 1;
        let bytes = &mut chunk.bytes;
        renderer.render_with(record, |rendering| {
            if rendering.message.is_some() {
                tally.rendered += 1;
                tally.partly_rendered += u64::from(rendering.missing_inserts);
            } else if rendering.declared_without_text {
                count(&mut tally.without_text, &record.provider);
            } else if rendering.no_source {
                count(&mut tally.no_source, &record.provider);
            } else if rendering.message_id.is_none() {
                count(&mut tally.no_rule, &record.provider);
            } else {
                count(&mut tally.not_found, &record.provider);
            }
            if args.json {
                write_json_line(bytes, file, record, rendering);
                bytes.push(b'\n');
            } else {
                bytes.extend_from_slice(text_line(record, rendering).as_bytes());
            }
        });
    }
    chunk
}

impl Tally {
    fn merge(&mut self, other: Tally) {
        self.read += other.read;
        self.shown += other.shown;
        self.rendered += other.rendered;
        self.partly_rendered += other.partly_rendered;
        self.problems += other.problems;
        for (mine, theirs) in [
            (&mut self.no_source, other.no_source),
            (&mut self.no_rule, other.no_rule),
            (&mut self.not_found, other.not_found),
            (&mut self.without_text, other.without_text),
        ] {
            for (provider, n) in theirs {
                *mine.entry(provider).or_default() += n;
            }
        }
    }
}

/// The logs to read: each file named, and the `.evtx` files (any letter case) under each
/// folder named, walked recursively in name order. What cannot be walked, and a folder with
/// no log, go to `failed` (and are reported).
fn log_files(paths: &[PathBuf], failed: &mut Vec<String>) -> Vec<PathBuf> {
    let mut logs = Vec::new();
    for path in paths {
        if !path.is_dir() {
            logs.push(path.clone());
            continue;
        }
        let before = logs.len();
        for entry in walkdir::WalkDir::new(path).sort_by_file_name() {
            match entry {
                Ok(e) if e.file_type().is_file() && is_evtx_name(e.path()) => {
                    logs.push(e.into_path())
                }
                Ok(_) => {}
                Err(e) => {
                    eprintln!("werr: {}: {e}", path.display());
                    failed.push(e.path().unwrap_or(path).display().to_string());
                }
            }
        }
        if logs.len() == before {
            eprintln!("werr: {}: no .evtx file in this folder", path.display());
            failed.push(path.display().to_string());
        }
    }
    logs
}

fn is_evtx_name(path: &std::path::Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("evtx"))
}

/// Counts one more record of `provider`, copying its name only the first time.
fn count(counts: &mut BTreeMap<String, u64>, provider: &str) {
    match counts.get_mut(provider) {
        Some(n) => *n += 1,
        None => {
            counts.insert(provider.to_string(), 1);
        }
    }
}

/// Whether `record` passes `--provider` and `--id`.
fn selected(providers: &[String], ids: &[u16], record: &EventRecord) -> bool {
    (providers.is_empty()
        || providers
            .iter()
            .any(|p| p.eq_ignore_ascii_case(&record.provider)))
        && (ids.is_empty() || ids.contains(&record.event_id))
}

/// Where the readers send the events they meet for the first time, until reading ends.
type Wanted = Arc<Mutex<Option<std::sync::mpsc::Sender<(String, u16)>>>>;

fn lock_wanted(
    wanted: &Wanted,
) -> std::sync::MutexGuard<'_, Option<std::sync::mpsc::Sender<(String, u16)>>> {
    wanted
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Closes the channel of wanted events when dropped.
struct CloseWhenDone<'w>(&'w Wanted);

impl Drop for CloseWhenDone<'_> {
    fn drop(&mut self) {
        lock_wanted(self.0).take();
    }
}

thread_local! {
    /// The events a reading thread has announced, by provider.
    static ANNOUNCED: std::cell::RefCell<std::collections::HashMap<String, Vec<u16>>> =
        std::cell::RefCell::default();
}

/// A record hook that sends each (provider, event id) of a shown record to `wanted` the first
/// time its thread meets it (once per thread: a set of its own, no lock per record).
fn announce_events(wanted: Wanted, providers: &[String], ids: &[u16]) -> Arc<RecordHook> {
    let (providers, ids) = (providers.to_vec(), ids.to_vec());
    Arc::new(move |record: &EventRecord| {
        if !selected(&providers, &ids, record) {
            return;
        }
        let first_time = ANNOUNCED.with(|announced| {
            let mut announced = announced.borrow_mut();
            match announced.get_mut(record.provider.as_str()) {
                Some(events) if events.contains(&record.event_id) => false,
                Some(events) => {
                    events.push(record.event_id);
                    true
                }
                None => {
                    announced.insert(record.provider.clone(), vec![record.event_id]);
                    true
                }
            }
        });
        if first_time {
            if let Some(send) = &*lock_wanted(&wanted) {
                // The KB's thread may be gone (the KB failed to open): nothing to do then.
                let _ = send.send((record.provider.clone(), record.event_id));
            }
        }
    })
}

/// `time level provider id message` on one line: the message's line breaks become spaces.
fn text_line(record: &EventRecord, rendering: &Rendering) -> String {
    let level = record.level_name().map_or_else(
        || record.level.map_or("-".into(), |l| l.to_string()),
        String::from,
    );
    let message = match (&rendering.message, &rendering.message_error) {
        (Some(m), _) => m.split_whitespace().collect::<Vec<_>>().join(" "),
        (None, Some(e)) => format!("[no message: {e}]"),
        (None, None) => "[no message]".into(),
    };
    format!(
        "{} {level:<11} {} {} {message}\n",
        record.time, record.provider, record.event_id
    )
}

fn summary(t: &Tally) -> String {
    let mut s = format!(
        "werr evtx: {} records read, {} shown, {} rendered{}, {} problems",
        t.read,
        t.shown,
        t.rendered,
        if t.partly_rendered > 0 {
            format!(
                " ({} of them with inserts the record lacks, left as written)",
                t.partly_rendered
            )
        } else {
            String::new()
        },
        t.problems
    );
    let list = |m: &BTreeMap<String, u64>| {
        m.iter()
            .map(|(p, n)| format!("{p} ({n})"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    if !t.no_source.is_empty() {
        s.push_str(&format!(
            "\nproviders with no message source: {}",
            list(&t.no_source)
        ));
    }
    if !t.not_found.is_empty() {
        s.push_str(&format!(
            "\nproviders with records whose message is not in their modules: {}",
            list(&t.not_found)
        ));
    }
    if !t.without_text.is_empty() {
        s.push_str(&format!(
            "\nproviders with records of events declared without a message: {}",
            list(&t.without_text)
        ));
    }
    if !t.no_rule.is_empty() {
        s.push_str(&format!(
            "\nmanifest providers whose event manifest is not in the KB (no message id): {}",
            list(&t.no_rule)
        ));
    }
    s
}

/// `werr import ... --provider NAME [--parameter-file]`: registers the message modules the
/// import brought for each provider.
pub fn register_providers(
    kb: &mut Kb,
    summary: &ImportSummary,
    providers: &[String],
    parameter_file: bool,
) -> CmdResult {
    if providers.is_empty() {
        return Ok(());
    }
    let modules = kb
        .modules_of_source(&summary.kit, &summary.version)
        .map_err(kb_error)?;
    if modules.is_empty() && summary.manifest_events > 0 {
        // A module whose texts live in its .mui file: its manifest needs no registration
        // (records name their provider's GUID), its messages come with the .mui.
        eprintln!(
            "werr: warning: --provider registers nothing: this import brought event manifests \
             ({} events) but no messages; import the module's .mui file with --provider",
            summary.manifest_events
        );
        return Ok(());
    }
    if modules.is_empty() {
        return Err(CliError::usage(
            "--provider needs message files (.mc, or PE/.mui/.res files with message tables); \
             this import brought no messages",
        ));
    }
    let role = if parameter_file {
        ProviderRole::Parameters
    } else {
        ProviderRole::Messages
    };
    for provider in providers {
        for module in &modules {
            kb.add_provider_module(provider, module, role, None)
                .map_err(kb_error)?;
        }
        eprintln!(
            "werr: provider {provider:?}: {} {}",
            if parameter_file {
                "parameter messages from"
            } else {
                "messages from"
            },
            modules.join(", ")
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use werr_evtx::{read_log_items, MessageIdRule, MessageMatch};

    fn by_serde(file: &str, r: &EventRecord, m: &Rendering) -> Vec<u8> {
        serde_json::to_vec(&JsonRecord::new(file, r, m)).expect("serializes")
    }

    fn by_writer(file: &str, r: &EventRecord, m: &Rendering) -> Vec<u8> {
        let mut out = Vec::new();
        write_json_line(&mut out, file, r, m);
        out
    }

    #[test]
    fn strings_are_escaped_as_serde_json_escapes_them_at_every_position() {
        // Every ASCII character, and some others, at every position of strings that span
        // zero, one and two eight-byte words and a tail.
        let specials = (0u8..0x80)
            .map(char::from)
            .chain(['é', '日', '🙂', '\u{7f}']);
        for special in specials {
            for len in [1, 7, 8, 9, 16, 19] {
                for at in 0..len {
                    let text: String = (0..len)
                        .map(|i| if i == at { special } else { 'a' })
                        .collect();
                    let mut ours = Vec::new();
                    json_string(&mut ours, &text);
                    assert_eq!(
                        String::from_utf8(ours).unwrap(),
                        serde_json::to_string(&text).unwrap(),
                        "{text:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn json_lines_are_byte_identical_to_serde_json_on_the_corpus_and_on_tricky_text() {
        let kb = Kb::embedded().expect("embedded KB");
        let renderer = Renderer::new(&kb, RenderOptions::default());
        let mut records = Vec::new();
        for name in [
            "system.evtx",
            "Security_short_selected.evtx",
            "TestLogX.evtx",
        ] {
            let Some(path) = werr_testdata::corpus(&format!("evtx/{name}")) else {
                return;
            };
            let data = std::fs::read(path).expect("read log");
            for item in read_log_items(&data, &ReadOptions::default()).expect("a log") {
                if let LogItem::Record(r) = item {
                    records.push(*r);
                }
            }
        }
        assert!(records.len() > 1800, "{} records", records.len());
        let mut tricky = records[0].clone();
        tricky.computer =
            Some("quote \" backslash \\ tab \t newline \n bell \u{7} del \u{7f}".into());
        tricky.inserts = vec!["é ü 日本 🙂".into(), String::new(), "\u{1}\u{1f}".into()];
        tricky.insert_names = vec![Some("a\"b".into()), None, Some("c".into())];
        tricky.channel = None;
        tricky.level = None;
        records.push(tricky);
        let rendered = Rendering {
            message_id: Some(0x8000_1083),
            message_id_rule: Some(MessageIdRule::Classic),
            message: Some("line one\r\nline \"two\"".into()),
            message_source: Some("netevent.dll".into()),
            message_lang: Some("en-US".into()),
            message_release: Some("10-1703".into()),
            message_match: Some(MessageMatch::Approximate),
            message_error: None,
            message_note: Some("%12 left as written".into()),
            no_source: false,
            missing_inserts: true,
            declared_without_text: false,
        };
        let file = "logs\\C:\"odd\".evtx";
        // Every rule and match, as serde names them.
        let rules = [
            MessageIdRule::Classic,
            MessageIdRule::EventIdIsMessageId,
            MessageIdRule::Manifest,
        ];
        let matches = [
            MessageMatch::Exact,
            MessageMatch::Approximate,
            MessageMatch::EventId,
        ];
        let mut variants = Vec::new();
        for (rule, matched) in rules.into_iter().zip(matches) {
            let mut each = rendered.clone();
            each.message_id_rule = Some(rule);
            each.message_match = Some(matched);
            variants.push(each);
        }
        for r in &records {
            let m = renderer.render(r);
            for m in [&m, &rendered].into_iter().chain(&variants) {
                assert_eq!(
                    String::from_utf8(by_writer(file, r, m)).unwrap(),
                    String::from_utf8(by_serde(file, r, m)).unwrap(),
                    "record {}",
                    r.record_id
                );
            }
        }
    }
}
