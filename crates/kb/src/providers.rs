//! Event providers and their message modules: which module's messages an event log's
//! provider (event source) uses, as `werr import FILE --provider NAME` records it.
//!
//! Module names are compared without regard to ASCII case, as Windows compares file names.

use crate::error::Result;
use crate::query::MessageInfo;
use crate::record::WindowsWording;
use crate::store::Kb;
use rusqlite::OptionalExtension;
use std::collections::HashMap;
use std::sync::Arc;
use werr_lang::LangRequest;

/// Every provider row of one layer, for [`Kb::layered`].
const PROVIDER_ROWS_SELECT: &str = "SELECT provider, module, role, @layer AS layer, \
     role = 'parameters' AS is_parameters, id FROM @.providers";

/// The provider rows in order: the user's first, then messages before parameters, in the
/// order they were recorded.
const PROVIDER_ROWS_ORDER: &str = "ORDER BY layer, is_parameters, id";

/// Whether a layer has any message of module `?1`.
const HAS_MODULE_SELECT: &str = "SELECT 1 FROM @.messages WHERE module = ?1 COLLATE NOCASE";

/// The message ids of module `?1` whose low 16 bits are `?2`, in one layer.
const MODULE_IDS_WITH_LOW_WORD_SELECT: &str = "SELECT DISTINCT message_id FROM @.messages \
     WHERE module = ?1 COLLATE NOCASE AND (message_id & 65535) = ?2";

/// The provider GUIDs of one layer's event manifests.
const MANIFEST_GUIDS_SELECT: &str = "SELECT DISTINCT provider_guid FROM @.manifest_events";

/// The languages message `?2` of module `?1` has, in one layer, with each row's rowid (the
/// order keys of [`crate::query::MESSAGE_SELECT`]'s rows, without their text).
const MODULE_MESSAGE_LANGS_SELECT: &str = "SELECT m.langid AS langid, m.rowid AS row, \
     src.id + @source AS source_id, @layer AS layer \
     FROM @.messages m JOIN @.sources src ON src.id = m.source \
     WHERE m.module = ?1 COLLATE NOCASE AND m.message_id = ?2";

/// The message of a manifest provider's event (provider GUID `?1`, event id `?2`, version
/// `?3`), in one layer.
const MANIFEST_MESSAGE_SELECT: &str = "SELECT message_id, module, @layer AS layer, \
     source AS src, id FROM @.manifest_events \
     WHERE provider_guid = ?1 AND event_id = ?2 AND version = ?3";

/// The one message an event shows: the user's imports first, then the newest source.
const MANIFEST_MESSAGE_ORDER: &str = "ORDER BY layer, src DESC, id LIMIT 1";

/// The texts of one message of a module in order: the user's first, then the newest source.
const MODULE_MESSAGE_ORDER: &str = "ORDER BY layer, source_id DESC, langid";

/// What a module is to a provider.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ProviderRole {
    /// Its event messages (`EventMessageFile` / `MessageFileName`).
    Messages,
    /// Its `%%NNNN` parameter messages (`ParameterMessageFile` / `ParameterFileName`).
    Parameters,
}

impl ProviderRole {
    fn as_str(self) -> &'static str {
        match self {
            ProviderRole::Messages => "messages",
            ProviderRole::Parameters => "parameters",
        }
    }
}

/// What a KB reading one snapshot (`Kb::read_in_one_transaction`) reads once: it cannot
/// change underneath.
#[derive(Default)]
pub(crate) struct Snapshot {
    on: std::cell::Cell<bool>,
    /// The whole provider table, by provider name folded as `COLLATE NOCASE` folds it
    /// (ASCII letters only), each provider's rows in the order of `provider_modules`.
    providers: std::cell::OnceCell<HashMap<String, Vec<ProviderModule>>>,
    /// The provider GUIDs of the event manifests, folded as `COLLATE NOCASE` folds them: a
    /// GUID not among them has no manifest event (most records' GUIDs, and every one when
    /// no manifest was imported).
    manifest_guids: std::cell::OnceCell<std::collections::HashSet<String>>,
    /// Whether a module has messages, by name folded as `COLLATE NOCASE` folds it.
    has_module: std::cell::RefCell<HashMap<String, bool>>,
}

/// One row of the provider table.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ProviderModule {
    /// The provider (event source) name, as records carry it.
    pub provider: String,
    /// The module whose messages it uses, as the messages table names it.
    pub module: String,
    /// Event messages or parameter messages.
    pub role: ProviderRole,
}

impl Kb {
    /// Records that `provider` takes its messages (or its parameter messages) from `module`.
    /// Recording the same row again changes nothing.
    pub fn add_provider_module(
        &mut self,
        provider: &str,
        module: &str,
        role: ProviderRole,
        source: Option<i64>,
    ) -> Result<()> {
        self.snapshot.providers = Default::default();
        crate::writer::Writer::new(&self.conn)?.add_provider_module(
            source,
            provider,
            module,
            role.as_str(),
        )?;
        Ok(())
    }

    /// The modules recorded for `provider`, messages first, in the order they were recorded.
    /// Reading one snapshot, the whole (small) table is read at the first call: a log names
    /// dozens of providers, most of them absent from it.
    pub fn provider_modules(&self, provider: &str) -> Result<Vec<ProviderModule>> {
        if self.snapshot.on.get() {
            let all = match self.snapshot.providers.get() {
                Some(all) => all,
                None => {
                    let mut all: HashMap<String, Vec<ProviderModule>> = HashMap::new();
                    let all_rows = self.layered(PROVIDER_ROWS_SELECT, PROVIDER_ROWS_ORDER);
                    for row in self.provider_rows(&all_rows, [])? {
                        all.entry(row.provider.to_ascii_lowercase())
                            .or_default()
                            .push(row);
                    }
                    self.snapshot.providers.get_or_init(|| all)
                }
            };
            let rows = all.get(&provider.to_ascii_lowercase());
            return Ok(rows.cloned().unwrap_or_default());
        }
        self.provider_rows(&self.provider_modules_sql(), [provider])
    }

    /// The provider rows query `sql` gives with `params`.
    fn provider_rows(
        &self,
        sql: &str,
        params: impl rusqlite::Params,
    ) -> Result<Vec<ProviderModule>> {
        let mut stmt = self.conn.prepare_cached(sql)?;
        let rows = stmt
            .query_map(params, |r| {
                let role: String = r.get(2)?;
                Ok(ProviderModule {
                    provider: r.get(0)?,
                    module: r.get(1)?,
                    role: if role == "parameters" {
                        ProviderRole::Parameters
                    } else {
                        ProviderRole::Messages
                    },
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// The query of one provider's rows.
    fn provider_modules_sql(&self) -> Arc<str> {
        self.sql_once("provider_modules", 0, || {
            self.layered(
                &format!("{PROVIDER_ROWS_SELECT} WHERE provider = ?1"),
                PROVIDER_ROWS_ORDER,
            )
        })
    }

    fn has_module_sql(&self) -> Arc<str> {
        self.sql_once("has_module", 0, || {
            self.layered(HAS_MODULE_SELECT, "LIMIT 1")
        })
    }

    /// The message row of rowid `?1` in layer `layer`.
    fn message_row_sql(&self, layer: usize) -> Arc<str> {
        self.sql_once("message_row", layer, || {
            self.layered_part(
                &format!("{} WHERE m.rowid = ?1", crate::query::MESSAGE_SELECT),
                layer,
            )
        })
    }

    fn module_message_langs_sql(&self) -> Arc<str> {
        self.sql_once("module_message_langs", 0, || {
            self.layered(MODULE_MESSAGE_LANGS_SELECT, MODULE_MESSAGE_ORDER)
        })
    }

    fn module_ids_with_low_word_sql(&self) -> Arc<str> {
        self.sql_once("module_ids_with_low_word", 0, || {
            self.layered(MODULE_IDS_WITH_LOW_WORD_SELECT, "ORDER BY message_id")
        })
    }

    fn manifest_message_sql(&self) -> Arc<str> {
        self.sql_once("manifest_message", 0, || {
            self.layered(MANIFEST_MESSAGE_SELECT, MANIFEST_MESSAGE_ORDER)
        })
    }

    /// Whether any message of `module` is in the KB.
    pub fn has_module_messages(&self, module: &str) -> Result<bool> {
        if !self.snapshot.on.get() {
            let mut stmt = self.conn.prepare_cached(&self.has_module_sql())?;
            return Ok(stmt.exists([module])?);
        }
        let folded = module.to_ascii_lowercase();
        if let Some(&known) = self.snapshot.has_module.borrow().get(&folded) {
            return Ok(known);
        }
        let mut stmt = self.conn.prepare_cached(&self.has_module_sql())?;
        let has = stmt.exists([module])?;
        self.snapshot.has_module.borrow_mut().insert(folded, has);
        Ok(has)
    }

    /// Registers, for each of `providers`, the message modules that `summary`'s import
    /// brought (`werr import FILE --provider NAME [--parameter-file]`), in `role`.
    pub fn register_providers(
        &mut self,
        summary: &crate::ImportSummary,
        providers: &[String],
        role: ProviderRole,
    ) -> Result<Registration> {
        if providers.is_empty() {
            return Ok(Registration::NothingAsked);
        }
        let modules = self.modules_of_source(&summary.kit, &summary.version)?;
        if modules.is_empty() {
            return Ok(match summary.manifest_events {
                0 => Registration::NoMessages,
                events => Registration::ManifestsOnly { events },
            });
        }
        for provider in providers {
            for module in &modules {
                self.add_provider_module(provider, module, role, None)?;
            }
        }
        Ok(Registration::Registered { modules })
    }

    /// The distinct module names of the messages of source `kit` `version`: what
    /// `werr import FILE --provider NAME` registers for the provider.
    pub fn modules_of_source(&self, kit: &str, version: &str) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare_cached(&self.layered(
            "SELECT DISTINCT m.module AS module FROM @.messages m \
             JOIN @.sources s ON s.id = m.source WHERE s.kit = ?1 AND s.version = ?2",
            "ORDER BY module",
        ))?;
        let mut rows = stmt
            .query_map([kit, version], |r| r.get(0))?
            .collect::<rusqlite::Result<Vec<String>>>()?;
        rows.dedup();
        Ok(rows)
    }

    /// Message `message_id` of `module` in the language `request` chooses among those the
    /// module has it in ([`LangRequest::choose`]: the asked language, the same language,
    /// English, neutral, any). The newest source wins among equals.
    pub fn module_message(
        &self,
        module: &str,
        message_id: u32,
        request: &LangRequest,
    ) -> Result<Option<MessageInfo>> {
        // The languages first, in the rows' order, then the one row chosen, by its rowid: a
        // message of the system's tables is there in 30-odd languages, and reading every
        // text to keep one was most of the lookup.
        let mut stmt = self.conn.prepare_cached(&self.module_message_langs_sql())?;
        let rows = stmt
            .query_map(rusqlite::params![module, message_id], |r| {
                Ok((
                    r.get::<_, u16>(0)?,
                    r.get::<_, i64>(1)?,
                    r.get::<_, u32>(3)? as usize,
                ))
            })?
            .collect::<rusqlite::Result<Vec<(u16, i64, usize)>>>()?;
        let available: Vec<u16> = rows.iter().map(|&(langid, ..)| langid).collect();
        let Some(choice) = request.choose(&available) else {
            return Ok(None);
        };
        // Rows come newest source first: the first in the chosen language is the newest.
        let Some(&(_, row, layer)) = rows.iter().find(|&&(langid, ..)| langid == choice.langid)
        else {
            return Ok(None);
        };
        let mut stmt = self.conn.prepare_cached(&self.message_row_sql(layer))?;
        Ok(stmt
            .query_row([row], crate::query::message_from)
            .optional()?)
    }

    /// Message `message_id` of `module` in the language `request` chooses, in Windows' words
    /// ([`Kb::windows_wording`]). Where another system's table of the module (the default
    /// KB's Wine `kernelbase.dll`) lacks a Win32 error that Microsoft's texts have, and
    /// English will do, Microsoft's text answers: Windows' own table has the error. A table
    /// a user imported is taken as it is, gaps and all.
    pub fn module_message_in_windows_words(
        &self,
        module: &str,
        message_id: u32,
        request: &LangRequest,
    ) -> Result<Option<WindowsWording>> {
        if let Some(m) = self.module_message(module, message_id, request)? {
            return self.windows_wording(m).map(Some);
        }
        let english = request.is_any()
            || request
                .choose(&[0x0409])
                .is_some_and(|c| c.fell_back_from().is_none());
        let code = crate::authority::win32_error_of(module, message_id);
        let (true, Some(code)) = (english, code) else {
            return Ok(None);
        };
        let Some(system) = self
            .module_kit(module)?
            .and_then(|kit| crate::authority::written_for(&kit))
        else {
            return Ok(None);
        };
        Ok(self.microsoft_win32_text(code)?.map(|found| {
            WindowsWording::microsoft(found, code, module, system, ", which lacks it")
        }))
    }

    /// The kit of `module`'s messages, the user's first: whose table it is.
    fn module_kit(&self, module: &str) -> Result<Option<String>> {
        let sql = self.sql_once("module_kit", 0, || {
            self.layered(
                "SELECT src.kit AS kit, @layer AS layer FROM @.messages m \
                 JOIN @.sources src ON src.id = m.source \
                 WHERE m.module = ?1 COLLATE NOCASE",
                "ORDER BY layer LIMIT 1",
            )
        });
        let mut stmt = self.conn.prepare_cached(&sql)?;
        Ok(stmt.query_row([module], |r| r.get(0)).optional()?)
    }

    /// Microsoft's own English text of Win32 error `code`: its documentation pages', else
    /// [MS-ERREF]'s (the sources [`crate::authority::text_rank`] ranks 0 and 1), with the
    /// source's `kit version`. It is what Windows' system message table says, where the
    /// KB's own system table is another system's (the default KB's `kernelbase.dll` is
    /// Wine's). `None` when neither has the code.
    pub fn microsoft_win32_text(&self, code: u16) -> Result<Option<(String, String)>> {
        let best = self
            .occurrences_with_value(u32::from(code))?
            .into_iter()
            .filter(|o| o.scheme() == Some(werr_codes::Scheme::Win32))
            .filter_map(|o| {
                let rank = crate::authority::text_rank(&o.kit);
                // A page can follow the message with notes of its own (WinHTTP's 12002:
                // "The request has timed out." then when it happens): the message is the
                // first paragraph.
                let text = o.message_text.as_deref()?.split("\n\n").next()?.trim();
                (rank <= 1 && !text.is_empty()).then(|| (rank, text.to_string(), o.source_label()))
            })
            .min_by_key(|(rank, ..)| *rank);
        Ok(best.map(|(_, text, source)| (text, source)))
    }

    /// The message ids of `module` whose low 16 bits are `low`.
    pub fn module_ids_with_low_word(&self, module: &str, low: u16) -> Result<Vec<u32>> {
        let mut stmt = self
            .conn
            .prepare_cached(&self.module_ids_with_low_word_sql())?;
        let mut rows = stmt
            .query_map(rusqlite::params![module, low], |r| r.get(0))?
            .collect::<rusqlite::Result<Vec<u32>>>()?;
        rows.dedup();
        Ok(rows)
    }

    /// Prepares the queries an event-log renderer makes (provider modules, messages), so
    /// that the first lookups do not pay for it: the first statement also reads the KB's
    /// schema. A caller does this on a thread that would otherwise wait.
    pub fn prepare_provider_queries(&self) -> Result<()> {
        for sql in [
            self.has_module_sql(),
            self.message_row_sql(0),
            self.module_message_langs_sql(),
            self.module_ids_with_low_word_sql(),
            self.provider_modules_sql(),
        ] {
            // Dropping a cached statement returns it to the connection's cache.
            drop(self.conn.prepare_cached(&sql)?);
        }
        Ok(())
    }

    /// Makes every later query of this connection part of one read transaction, until the KB
    /// is dropped: it reads one snapshot, and SQLite takes its locks and checks the files
    /// once instead of at every query (`werr evtx` makes dozens: 91 `fcntl` and 61 `stat`
    /// calls became 27 and 29). For a reader that lives briefly: a transaction held open
    /// keeps a writer's log from being checkpointed past it.
    pub fn read_in_one_transaction(&self) -> Result<()> {
        self.conn.execute_batch("BEGIN")?;
        self.snapshot.on.set(true);
        Ok(())
    }

    /// The message a manifest provider's event shows, by the event manifests imported with
    /// PE modules: its message id and the module the manifest came from. `None` when no
    /// imported manifest has that provider (GUID, any letter case), event id and version, or
    /// the event has no message. The newest import wins.
    pub fn manifest_message(
        &self,
        provider_guid: &str,
        event_id: u16,
        version: u8,
    ) -> Result<Option<(u32, String)>> {
        if self.snapshot.on.get() {
            let guids = match self.snapshot.manifest_guids.get() {
                Some(guids) => guids,
                None => {
                    let sql = self.layered(MANIFEST_GUIDS_SELECT, "");
                    let mut stmt = self.conn.prepare(&sql)?;
                    let guids = stmt
                        .query_map([], |r| r.get::<_, String>(0))?
                        .map(|guid| guid.map(|g| g.to_ascii_lowercase()))
                        .collect::<rusqlite::Result<_>>()?;
                    self.snapshot.manifest_guids.get_or_init(|| guids)
                }
            };
            if !guids.contains(&provider_guid.to_ascii_lowercase()) {
                return Ok(None);
            }
        }
        let mut stmt = self.conn.prepare_cached(&self.manifest_message_sql())?;
        let row = stmt
            .query_row(rusqlite::params![provider_guid, event_id, version], |r| {
                Ok((r.get::<_, Option<u32>>(0)?, r.get::<_, String>(1)?))
            })
            .optional()?;
        Ok(row.and_then(|(id, module)| id.map(|id| (id, module))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Importer, McImporter, NoProgress, SourceRow};

    fn netevent_kb() -> Option<Kb> {
        let mc = werr_testdata::corpus("reactos-mc/neteventmsg.mc")?;
        let mut kb = Kb::in_memory().unwrap();
        let importers: [&dyn Importer; 1] = [&McImporter];
        let source = SourceRow {
            kit: "reactos".into(),
            version: "test".into(),
            origin: mc.display().to_string(),
            license: "GPL".into(),
        };
        kb.import_paths(&source, &[mc], &importers, &NoProgress)
            .unwrap();
        Some(kb)
    }

    #[test]
    fn provider_rows_come_back_messages_first_and_once() {
        let mut kb = Kb::in_memory().unwrap();
        assert!(kb.provider_modules("EventLog").unwrap().is_empty());
        kb.add_provider_module("EventLog", "kernelbase.dll", ProviderRole::Parameters, None)
            .unwrap();
        kb.add_provider_module("EventLog", "neteventmsg.mc", ProviderRole::Messages, None)
            .unwrap();
        kb.add_provider_module("eventlog", "NETEVENTMSG.MC", ProviderRole::Messages, None)
            .unwrap();
        let rows = kb.provider_modules("EVENTLOG").unwrap();
        assert_eq!(rows.len(), 2, "{rows:?}");
        assert_eq!(rows[0].module, "neteventmsg.mc");
        assert_eq!(rows[0].role, ProviderRole::Messages);
        assert_eq!(rows[1].role, ProviderRole::Parameters);
    }

    #[test]
    fn module_message_follows_the_language_chain() {
        let Some(kb) = netevent_kb() else {
            return;
        };
        assert_eq!(
            kb.modules_of_source("reactos", "test").unwrap(),
            ["neteventmsg.mc"]
        );
        assert!(kb.has_module_messages("NetEventMsg.mc").unwrap());
        let english = kb
            .module_message("neteventmsg.mc", 0x8000_1775, &LangRequest::ANY)
            .unwrap()
            .unwrap();
        assert_eq!(english.text, "The Event log service was started.\r\n");
        assert_eq!(english.langid, 0x0409);
        let polish = LangRequest::parse("pl").unwrap();
        let text = kb
            .module_message("neteventmsg.mc", 0x8000_1775, &polish)
            .unwrap()
            .unwrap();
        assert_eq!(text.text, "Uruchomiono usługę Dziennik zdarzeń.\r\n");
        let german = LangRequest::parse("de").unwrap();
        let fallback = kb
            .module_message("neteventmsg.mc", 0x8000_1775, &german)
            .unwrap()
            .unwrap();
        assert_eq!(fallback.langid, 0x0409, "no German: en-US");
        assert!(kb
            .module_message("neteventmsg.mc", 0x8000_177B, &LangRequest::ANY)
            .unwrap()
            .is_none());
    }

    /// `kb` copied into a KB file (in a temporary folder, removed when dropped).
    fn copied_to_a_file(kb: &Kb) -> (tempfile::TempDir, std::path::PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("test.kb");
        kb.conn
            .execute("VACUUM INTO ?1", [path.to_str().unwrap()])
            .unwrap();
        (dir, path)
    }

    #[test]
    fn an_imported_module_s_manifest_gives_its_events_messages() {
        let Some(dll) = werr_testdata::cargo_registry_file("evtx-", "samples/dlls/wevtsvc.dll")
        else {
            return;
        };
        let mut kb = Kb::in_memory().unwrap();
        // No manifest imported yet (no table either).
        let before = kb.manifest_message("{fc65ddd8-d6ef-4962-83d5-6e5cfe9ce148}", 104, 0);
        assert_eq!(before.unwrap(), None);
        let importers: [&dyn Importer; 1] = [&crate::MessageTableImporter];
        let source = SourceRow {
            kit: "windows".into(),
            version: "10".into(),
            origin: dll.display().to_string(),
            license: "Microsoft".into(),
        };
        // Twice: a new import of the same source replaces the first.
        for _ in 0..2 {
            let summary = kb
                .import_paths(&source, std::slice::from_ref(&dll), &importers, &NoProgress)
                .unwrap();
            // wevtsvc.dll keeps its texts in its .mui file: events, no messages.
            assert_eq!((summary.messages, summary.manifest_events), (0, 44));
        }
        let found = kb
            .manifest_message("{FC65DDD8-D6EF-4962-83D5-6E5CFE9CE148}", 104, 0)
            .unwrap();
        assert_eq!(found, Some((104, "wevtsvc.dll".to_string())));
        assert_eq!(
            kb.manifest_message("{fc65ddd8-d6ef-4962-83d5-6e5cfe9ce148}", 104, 7)
                .unwrap(),
            None
        );
        let rows: i64 = kb
            .conn
            .query_row("SELECT count(*) FROM manifest_events", [], |r| r.get(0))
            .unwrap();
        assert_eq!(rows, 44);
    }

    /// How many statements `kb`'s connection holds prepared.
    fn prepared_statements(kb: &Kb) -> usize {
        werr_testdata::probes::prepared_statements(&kb.conn)
    }

    /// Every lookup a renderer makes, once.
    fn look_up_everything(kb: &Kb) {
        kb.provider_modules("EventLog").unwrap();
        kb.has_module_messages("neteventmsg.mc").unwrap();
        kb.module_message("neteventmsg.mc", 0x8000_1775, &LangRequest::ANY)
            .unwrap();
        kb.module_ids_with_low_word("neteventmsg.mc", 6005).unwrap();
    }

    #[test]
    fn provider_queries_prepared_ahead_are_the_ones_lookups_use() {
        let Some(mut kb) = netevent_kb() else {
            return;
        };
        // The embedded default has no provider table: preparing skips its query.
        let embedded = Kb::embedded().unwrap();
        embedded.prepare_provider_queries().unwrap();
        let before = prepared_statements(&embedded);
        assert!(before >= 3, "{before}");
        look_up_everything(&embedded);
        assert_eq!(prepared_statements(&embedded), before);

        kb.add_provider_module("EventLog", "neteventmsg.mc", ProviderRole::Messages, None)
            .unwrap();
        let (_dir, path) = copied_to_a_file(&kb);
        let file = Kb::open_for_reading(&path).unwrap();
        file.prepare_provider_queries().unwrap();
        let before = prepared_statements(&file);
        assert!(before >= 4, "{before}");
        look_up_everything(&file);
        assert_eq!(prepared_statements(&file), before);
        // Without preparing, the same lookups leave statements behind: the count above is
        // not one that nothing could change.
        let cold = Kb::open_for_reading(&path).unwrap();
        assert_eq!(prepared_statements(&cold), 0);
        look_up_everything(&cold);
        assert_eq!(prepared_statements(&cold), before);
    }

    #[test]
    fn a_reader_in_one_transaction_reads_one_snapshot() {
        let Some(mut kb) = netevent_kb() else {
            return;
        };
        kb.add_provider_module("EventLog", "neteventmsg.mc", ProviderRole::Messages, None)
            .unwrap();
        let (_dir, path) = copied_to_a_file(&kb);
        let mut writer = Kb::open(&path).unwrap();
        let reader = Kb::open_for_reading(&path).unwrap();
        let other = Kb::open_for_reading(&path).unwrap();
        reader.read_in_one_transaction().unwrap();
        assert_eq!(reader.provider_modules("EventLog").unwrap().len(), 1);
        writer
            .add_provider_module("EventLog", "netevent.dll", ProviderRole::Parameters, None)
            .unwrap();
        // The writer committed; a reader without the transaction sees it, this one does not.
        assert_eq!(other.provider_modules("EventLog").unwrap().len(), 2);
        assert_eq!(reader.provider_modules("EventLog").unwrap().len(), 1);
        assert!(reader.has_module_messages("neteventmsg.mc").unwrap());
    }

    #[test]
    fn a_snapshot_reads_the_provider_table_once_with_the_same_answers() {
        let mut kb = Kb::in_memory().unwrap();
        let rows = [
            ("EventLog", "netevent.dll", ProviderRole::Parameters),
            ("EventLog", "neteventmsg.mc", ProviderRole::Messages),
            ("eventlog", "other.dll", ProviderRole::Messages),
            (
                "Service Control Manager",
                "netevent.dll",
                ProviderRole::Messages,
            ),
            ("Ünïcode", "u.dll", ProviderRole::Messages),
        ];
        for (provider, module, role) in rows {
            kb.add_provider_module(provider, module, role, None)
                .unwrap();
        }
        let (_dir, path) = copied_to_a_file(&kb);
        let plain = Kb::open_for_reading(&path).unwrap();
        let snapshot = Kb::open_for_reading(&path).unwrap();
        snapshot.read_in_one_transaction().unwrap();
        let names = [
            "EventLog",
            "EVENTLOG",
            "service control manager",
            "Ünïcode",
            "üNÏCODE",
            "x",
        ];
        for name in names {
            let expected = plain.provider_modules(name).unwrap();
            assert_eq!(snapshot.provider_modules(name).unwrap(), expected, "{name}");
        }
        // Messages before parameters, then in recording order; NOCASE folds ASCII only.
        let eventlog: Vec<_> = plain.provider_modules("eventLOG").unwrap();
        let modules: Vec<_> = eventlog.iter().map(|m| m.module.as_str()).collect();
        assert_eq!(modules, ["neteventmsg.mc", "other.dll", "netevent.dll"]);
        assert!(plain.provider_modules("üNÏCODE").unwrap().is_empty());
        assert!(
            snapshot.snapshot.providers.get().is_some(),
            "read once, kept"
        );
    }

    /// How often SQLite re-prepared the message query on `kb`'s connection.
    fn message_query_reprepares(kb: &Kb) -> i32 {
        let stmt = kb
            .conn
            .prepare_cached(&kb.module_message_langs_sql())
            .unwrap();
        stmt.get_status(rusqlite::StatementStatus::RePrepare)
    }

    #[test]
    fn the_message_query_is_prepared_once_per_connection() {
        let Some(kb) = netevent_kb() else {
            return;
        };
        let (_dir, path) = copied_to_a_file(&kb);
        let file = Kb::open_for_reading(&path).unwrap();
        for kb in [&kb, &file] {
            for id in [0x8000_1775, 0x8000_1776, 0x8000_177B, 0xC000_1B6F] {
                kb.module_message("neteventmsg.mc", id, &LangRequest::ANY)
                    .unwrap();
            }
            // Before plan_once, every new binding made SQLite compile the statement again.
            assert_eq!(message_query_reprepares(kb), 0);
        }
    }

    #[test]
    fn ids_with_the_same_low_word_are_found() {
        let Some(kb) = netevent_kb() else {
            return;
        };
        assert_eq!(
            kb.module_ids_with_low_word("neteventmsg.mc", 6011).unwrap(),
            [0xC000_177B]
        );
        assert!(kb
            .module_ids_with_low_word("neteventmsg.mc", 6013)
            .unwrap()
            .is_empty());
    }
}

/// What [`Kb::register_providers`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Registration {
    /// No provider was named: nothing to do.
    NothingAsked,
    /// The import brought event manifests (this many events) but no messages: nothing is
    /// registered. A manifest needs no registration (records name their provider's GUID);
    /// the messages come with the module's `.mui` file.
    ManifestsOnly {
        /// Events the import's manifests declare.
        events: usize,
    },
    /// The import brought no messages at all: nothing is registered.
    NoMessages,
    /// Each provider named now takes its messages from these modules.
    Registered {
        /// The modules registered, by name.
        modules: Vec<String>,
    },
}
