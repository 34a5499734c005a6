//! `werr evtx FILE... [--json] [--lang TAG] [--provider NAME] [--id N]`: every record of
//! event logs with its message text, rendered from the KB's message modules.

use super::kb::{kb_error, open_for_reading};
use super::{CliError, CmdResult, Global};
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::{self, BufWriter, Write};
use std::ops::ControlFlow;
use std::path::PathBuf;
use std::sync::Mutex;
use werr_evtx::{
    EventRecord, LogItem, LogReader, PendingCatalog, ReadOptions, ReadProblem, RenderOptions,
    Renderer, Rendering,
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
#[derive(Serialize)]
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
    message_source: &'a Option<String>,
    message_lang: &'a Option<String>,
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
            message_match: m.message_match,
            message_error: &m.message_error,
            message_note: &m.message_note,
        }
    }
}

/// Writes one JSON line (without its newline): the file, every record field, and the
/// rendering, in the order of the JSON Lines contract (docs/evtx.md). Written directly, with
/// the keys as constants and strings that need no escaping copied whole: serde's writer
/// escaped every key and scanned every string byte by byte, the largest single cost of a run.
fn write_json_line(out: &mut Vec<u8>, file: &str, r: &EventRecord, m: &Rendering) {
    let mut json = JsonObject::new(out);
    json.str("file", file);
    json.num("record_id", r.record_id);
    json.str("time", &r.time);
    json.opt_num("level", r.level);
    json.opt_str("level_name", r.level_name());
    json.opt_str("channel", r.channel.as_deref());
    json.opt_str("computer", r.computer.as_deref());
    json.str("provider", &r.provider);
    json.opt_str("provider_guid", r.provider_guid.as_deref());
    json.opt_str("event_source_name", r.event_source_name.as_deref());
    json.num("event_id", r.event_id);
    json.opt_num("qualifiers", r.qualifiers);
    json.opt_num("version", r.version);
    json.opt_num("task", r.task);
    json.opt_num("opcode", r.opcode);
    json.opt_str("keywords", r.keywords.as_deref());
    json.opt_num("process_id", r.process_id);
    json.opt_num("thread_id", r.thread_id);
    json.opt_str("user_id", r.user_id.as_deref());
    json.strs("inserts", r.inserts.iter().map(|s| Some(s.as_str())));
    json.strs("insert_names", r.insert_names.iter().map(Option::as_deref));
    json.opt_str("binary", r.binary.as_deref());
    json.bool("recovered", r.recovered);
    json.opt_num("message_id", m.message_id);
    json.serde("message_id_rule", &m.message_id_rule);
    json.opt_str("message", m.message.as_deref());
    json.opt_str("message_source", m.message_source.as_deref());
    json.opt_str("message_lang", m.message_lang.as_deref());
    json.serde("message_match", &m.message_match);
    json.opt_str("message_error", m.message_error.as_deref());
    json.opt_str("message_note", m.message_note.as_deref());
    json.close();
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

    /// `"name":`, after a comma unless first. Names are plain ASCII identifiers.
    #[inline(always)]
    fn key(&mut self, name: &str) {
        if !self.first {
            self.out.push(b',');
        }
        self.first = false;
        self.out.push(b'"');
        self.out.extend_from_slice(name.as_bytes());
        self.out.extend_from_slice(b"\":");
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

    /// A value serde writes (the rule and match enums: short, and not on every record).
    fn serde(&mut self, name: &str, value: &impl Serialize) {
        self.key(name);
        // Serializing these types into a `Vec` cannot fail.
        let _ = serde_json::to_writer(&mut *self.out, value);
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
    problems: u64,
    /// Providers with no message source, and how many of their records were shown.
    no_source: BTreeMap<String, u64>,
    /// Providers whose message ids no rule covers, and how many records.
    no_rule: BTreeMap<String, u64>,
    /// Providers with records whose message id is not in their modules (or does not format).
    not_found: BTreeMap<String, u64>,
}

/// Runs `werr evtx`.
pub fn run(global: &Global, args: Args) -> CmdResult {
    super::show::lang_request(args.lang.as_deref())?;
    pad_heap_growth();
    // The threads that read chunks render and serialize their records, sharing one renderer
    // (its caches) and the KB behind a lock; this thread, one of them, also writes the output
    // in log order. The KB is opened on a thread of its own meanwhile: opening it and preparing its queries
    // takes as long as reading a chunk. A reader that needs it before that thread has run
    // opens it itself; the others wait for whichever opens it.
    let catalog: Catalog = PendingCatalog::new(|| {
        let kb = open_for_reading(global).map_err(|e| e.message)?;
        // The run reads; one snapshot spares SQLite's locking at every lookup.
        kb.read_in_one_transaction().map_err(|e| e.to_string())?;
        Ok(Mutex::new(kb))
    });
    let renderer = Renderer::new(
        &catalog,
        RenderOptions {
            lang: args.lang.clone(),
            approximate: args.approximate,
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
        read_logs(&args, &options, &renderer, &catalog)
    } else {
        std::thread::scope(|scope| {
            scope.spawn(open);
            read_logs(&args, &options, &renderer, &catalog)
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
            catalog.open().map_err(CliError::failed)?;
            kb_open = true;
        }
        Ok(())
    };

    let logs = log_files(&args.files, &mut failed_files);
    let unwalked = failed_files.len();
    let reader = LogReader::new(options.clone());
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
        let per_chunk =
            |items: &mut Vec<LogItem>| present(args, &name, renderer, &spare_buffers, items);
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
    // The records are left in `items`: the reader reuses their storage.
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
        if !selected(args, record) {
            continue;
        }
        tally.shown += 1;
        let rendering = renderer.render_shared(record);
        if rendering.message.is_some() {
            tally.rendered += 1;
        } else if rendering.no_source {
            count(&mut tally.no_source, &record.provider);
        } else if rendering.message_id.is_none() {
            count(&mut tally.no_rule, &record.provider);
        } else {
            count(&mut tally.not_found, &record.provider);
        }
        if args.json {
            write_json_line(&mut chunk.bytes, file, record, &rendering);
            chunk.bytes.push(b'\n');
        } else {
            chunk
                .bytes
                .extend_from_slice(text_line(record, &rendering).as_bytes());
        }
    }
    chunk
}

impl Tally {
    fn merge(&mut self, other: Tally) {
        self.read += other.read;
        self.shown += other.shown;
        self.rendered += other.rendered;
        self.problems += other.problems;
        for (mine, theirs) in [
            (&mut self.no_source, other.no_source),
            (&mut self.no_rule, other.no_rule),
            (&mut self.not_found, other.not_found),
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

fn selected(args: &Args, record: &EventRecord) -> bool {
    (args.provider.is_empty()
        || args
            .provider
            .iter()
            .any(|p| p.eq_ignore_ascii_case(&record.provider)))
        && (args.id.is_empty() || args.id.contains(&record.event_id))
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
        "werr evtx: {} records read, {} shown, {} rendered, {} problems",
        t.read, t.shown, t.rendered, t.problems
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
            message_match: Some(MessageMatch::Approximate),
            message_error: None,
            message_note: Some("%12 left as written".into()),
            no_source: false,
        };
        let file = "logs\\C:\"odd\".evtx";
        for r in &records {
            let m = renderer.render(r);
            for m in [&m, &rendered] {
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
