//! The knowledge base as a [`MessageCatalog`].

use crate::catalog_error::LookupError;
use crate::providers::ModuleRole;
use crate::render::{
    CatalogEvent, CatalogEventText, CatalogMessage, MessageCatalog, ModuleOrigin, ProviderModule,
    TextOrigin,
};
use werr_kb::lang::LangRequest;
use werr_kb::{Kb, ProviderRole, Wording};

/// A [`Kb`] read for rendering: its provider table, its messages by module, its event texts.
impl MessageCatalog for Kb {
    fn provider_modules(&self, provider: &str) -> Result<Vec<ProviderModule>, LookupError> {
        let rows = Kb::provider_modules(self, provider).map_err(LookupError::store)?;
        Ok(rows
            .into_iter()
            .map(|row| ProviderModule {
                module: row.module,
                role: match row.role {
                    ProviderRole::Messages => ModuleRole::Messages,
                    ProviderRole::Parameters => ModuleRole::Parameters,
                },
                origin: ModuleOrigin::Kb,
            })
            .collect())
    }

    fn has_module(&self, module: &str) -> Result<bool, LookupError> {
        self.has_module_messages(module).map_err(LookupError::store)
    }

    fn message(
        &self,
        module: &str,
        id: u32,
        lang: Option<&str>,
    ) -> Result<Option<CatalogMessage>, LookupError> {
        let request = match lang {
            Some(tag) => LangRequest::parse(tag).map_err(LookupError::request)?,
            None => LangRequest::ANY,
        };
        // In Windows' words: an English text of Wine's or ReactOS's table of a Win32 error
        // is Microsoft's own.
        let Some(worded) = self
            .module_message_in_windows_words(module, id, &request)
            .map_err(LookupError::store)?
        else {
            return Ok(None);
        };
        Ok(Some(CatalogMessage {
            text: worded.text,
            lang: worded.lang,
            origin: match worded.wording {
                Wording::Table => TextOrigin::Table,
                Wording::Rewrite { system } => TextOrigin::Rewrite(system),
                Wording::Microsoft { source, instead_of } => TextOrigin::Microsoft {
                    source: source.into(),
                    instead_of,
                },
            },
        }))
    }

    fn ids_with_event_id(&self, module: &str, event_id: u16) -> Result<Vec<u32>, LookupError> {
        self.module_ids_with_low_word(module, event_id)
            .map_err(LookupError::store)
    }

    fn manifest_message(
        &self,
        provider_guid: &str,
        event_id: u16,
        version: u8,
    ) -> Result<Option<(u32, String)>, LookupError> {
        Kb::manifest_message(self, provider_guid, event_id, version).map_err(LookupError::store)
    }

    fn event_text(
        &self,
        provider: &str,
        event_id: u16,
        release: Option<&str>,
    ) -> Result<Option<CatalogEvent>, LookupError> {
        let found = self
            .event_message(provider, event_id, release)
            .map_err(LookupError::store)?;
        Ok(found.map(|m| CatalogEvent {
            texts: m
                .texts
                .into_iter()
                .map(|t| CatalogEventText {
                    text: t.text,
                    releases: t.releases,
                    source: t.source.into(),
                })
                .collect(),
            release: m.release.into(),
            not_in: m.not_in,
        }))
    }

    fn prepare(&self) -> Result<(), LookupError> {
        self.prepare_provider_queries()
            .map_err(LookupError::store)?;
        self.prepare_event_queries().map_err(LookupError::store)
    }
}
