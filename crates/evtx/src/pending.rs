//! A catalog opened by whichever thread needs it first, so that reading a log need not wait
//! for it.
//!
//! Opening the knowledge base and preparing its queries takes about as long as reading a
//! chunk. Done first, it delays every record; done by one thread ([`PendingCatalog::open`])
//! while others read the log's first chunks, it overlaps with them. Whichever thread needs
//! the catalog first opens it, and the others wait for that one.

use crate::catalog_error::LookupError;
use crate::render::{CatalogEvent, CatalogMessage, MessageCatalog, ProviderModule};
use std::sync::OnceLock;

/// How a [`PendingCatalog`] opens its catalog.
type Opener<'o, C> = Box<dyn Fn() -> Result<C, String> + Send + Sync + 'o>;

/// A [`MessageCatalog`] opened once, by the first thread that calls [`PendingCatalog::open`]
/// or makes a lookup; lookups made meanwhile on other threads wait for it, then answer from
/// it, or with the reason opening failed.
pub struct PendingCatalog<'o, C> {
    opener: Opener<'o, C>,
    opened: OnceLock<Result<C, LookupError>>,
}

impl<'o, C: MessageCatalog> PendingCatalog<'o, C> {
    /// A catalog that `open` will open (and [`MessageCatalog::prepare`] then prepare).
    pub fn new(open: impl Fn() -> Result<C, String> + Send + Sync + 'o) -> Self {
        PendingCatalog {
            opener: Box::new(open),
            opened: OnceLock::new(),
        }
    }

    /// The catalog, opened now unless it is open already (or being opened on another thread:
    /// then this waits for it), or why it could not be opened.
    pub fn open(&self) -> Result<&C, LookupError> {
        let opened = self.opened.get_or_init(|| {
            (self.opener)()
                .map_err(|reason| LookupError::Unavailable(reason.into()))
                .inspect(|catalog| {
                    // A failure here is not the catalog's: the lookups that need what failed
                    // to be prepared meet the error themselves.
                    let _ = catalog.prepare();
                })
        });
        opened.as_ref().map_err(LookupError::clone)
    }

    fn opened(&self) -> Result<&C, LookupError> {
        self.open()
    }
}

impl<C: MessageCatalog> MessageCatalog for PendingCatalog<'_, C> {
    fn provider_modules(&self, provider: &str) -> Result<Vec<ProviderModule>, LookupError> {
        self.opened()?.provider_modules(provider)
    }

    fn has_module(&self, module: &str) -> Result<bool, LookupError> {
        self.opened()?.has_module(module)
    }

    fn message(
        &self,
        module: &str,
        id: u32,
        lang: Option<&str>,
    ) -> Result<Option<CatalogMessage>, LookupError> {
        self.opened()?.message(module, id, lang)
    }

    fn ids_with_event_id(&self, module: &str, event_id: u16) -> Result<Vec<u32>, LookupError> {
        self.opened()?.ids_with_event_id(module, event_id)
    }

    fn manifest_message(
        &self,
        provider_guid: &str,
        event_id: u16,
        version: u8,
    ) -> Result<Option<(u32, String)>, LookupError> {
        self.opened()?
            .manifest_message(provider_guid, event_id, version)
    }

    fn event_text(
        &self,
        provider: &str,
        event_id: u16,
        release: Option<&str>,
    ) -> Result<Option<CatalogEvent>, LookupError> {
        self.opened()?.event_text(provider, event_id, release)
    }

    fn prepare(&self) -> Result<(), LookupError> {
        self.opened()?.prepare()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

    /// A catalog with one message, which counts its preparations.
    #[derive(Default)]
    struct OneMessage {
        prepared: AtomicBool,
    }

    impl MessageCatalog for OneMessage {
        fn provider_modules(&self, _: &str) -> Result<Vec<ProviderModule>, LookupError> {
            Ok(Vec::new())
        }
        fn has_module(&self, module: &str) -> Result<bool, LookupError> {
            Ok(module == "m.dll")
        }
        fn message(
            &self,
            _: &str,
            id: u32,
            _: Option<&str>,
        ) -> Result<Option<CatalogMessage>, LookupError> {
            Ok((id == 7).then(|| CatalogMessage {
                text: "seven".into(),
                lang: "en-US".into(),
                origin: crate::TextOrigin::Table,
            }))
        }
        fn ids_with_event_id(&self, _: &str, _: u16) -> Result<Vec<u32>, LookupError> {
            Ok(vec![7])
        }
        fn prepare(&self) -> Result<(), LookupError> {
            self.prepared.store(true, Ordering::SeqCst);
            Ok(())
        }
    }

    #[test]
    fn a_lookup_made_while_another_thread_opens_the_catalog_waits_for_it() {
        let opening = AtomicUsize::new(0);
        let pending = PendingCatalog::new(|| {
            opening.fetch_add(1, Ordering::SeqCst);
            std::thread::sleep(std::time::Duration::from_millis(30));
            Ok(OneMessage::default())
        });
        std::thread::scope(|scope| {
            scope.spawn(|| pending.open().map(|_| ()));
            std::thread::sleep(std::time::Duration::from_millis(5));
            let lookups: Vec<_> = (0..3)
                .map(|_| scope.spawn(|| pending.message("m.dll", 7, None)))
                .collect();
            for lookup in lookups {
                assert_eq!(lookup.join().unwrap().unwrap().unwrap().text, "seven");
            }
        });
        assert_eq!(opening.load(Ordering::SeqCst), 1, "opened once");
        assert!(pending.open().unwrap().prepared.load(Ordering::SeqCst));
    }

    #[test]
    fn the_first_lookup_opens_the_catalog_when_nobody_has() {
        let opening = AtomicUsize::new(0);
        let pending = PendingCatalog::new(|| {
            opening.fetch_add(1, Ordering::SeqCst);
            Ok(OneMessage::default())
        });
        assert!(pending.has_module("m.dll").unwrap());
        assert!(pending.message("m.dll", 8, None).unwrap().is_none());
        pending.open().unwrap();
        assert_eq!(opening.load(Ordering::SeqCst), 1);
    }

    #[test]
    fn a_failed_opening_is_every_lookup_s_answer() {
        let opening = AtomicUsize::new(0);
        let pending = PendingCatalog::<OneMessage>::new(|| {
            opening.fetch_add(1, Ordering::SeqCst);
            Err("no such file: k.kb".into())
        });
        assert_eq!(
            pending.open().err().map(|e| e.to_string()).as_deref(),
            Some("no such file: k.kb")
        );
        let error = pending.message("m.dll", 7, None).unwrap_err();
        assert!(matches!(error, LookupError::Unavailable(_)), "{error:?}");
        assert_eq!(error.to_string(), "no such file: k.kb");
        assert!(pending.has_module("m.dll").is_err());
        assert_eq!(opening.load(Ordering::SeqCst), 1, "not tried again");
    }
}
