//! A catalog still being opened on another thread, so that reading a log need not wait for it.
//!
//! Opening the knowledge base and preparing its queries takes about as long as reading a
//! chunk (BENCHMARKS.md, "Event logs", session 5). Done first, it delays every record; done on
//! a thread of its own, it overlaps with loading the log and reading its first chunks, and
//! only a lookup made before it is ready waits.

use crate::render::{CatalogMessage, MessageCatalog, ProviderModule};
use std::sync::OnceLock;

/// A [`MessageCatalog`] that one thread opens ([`PendingCatalog::open_with`]) while others
/// already hold it: every lookup waits until it is open, then answers from it, or with the
/// reason opening failed.
pub struct PendingCatalog<C> {
    opened: OnceLock<Result<C, String>>,
}

impl<C> Default for PendingCatalog<C> {
    fn default() -> Self {
        PendingCatalog {
            opened: OnceLock::new(),
        }
    }
}

impl<C: MessageCatalog> PendingCatalog<C> {
    /// A catalog nobody has opened yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Opens the catalog with `open` and prepares it ([`MessageCatalog::prepare`]), on the
    /// calling thread. Lookups waiting on other threads go on when it returns, even if
    /// `open` panics (they then fail). A second call does nothing.
    pub fn open_with(&self, open: impl FnOnce() -> Result<C, String>) {
        // Fills the slot if `open` unwinds, so that no lookup waits forever.
        struct Unwinding<'a, C>(&'a OnceLock<Result<C, String>>);
        impl<C> Drop for Unwinding<'_, C> {
            fn drop(&mut self) {
                let _ = self
                    .0
                    .set(Err("opening the knowledge base panicked".to_string()));
            }
        }
        if self.opened.get().is_some() {
            return;
        }
        let guard = Unwinding(&self.opened);
        let opened = open().inspect(|catalog| {
            // A failure here is not the catalog's: the lookups that need what failed to be
            // prepared meet the error themselves.
            let _ = catalog.prepare();
        });
        let _ = self.opened.set(opened);
        drop(guard);
    }

    /// The catalog once it is open, or why it could not be opened; waits until then.
    pub fn wait(&self) -> Result<&C, &str> {
        self.opened.wait().as_ref().map_err(String::as_str)
    }

    fn opened(&self) -> Result<&C, String> {
        self.wait().map_err(str::to_string)
    }
}

impl<C: MessageCatalog> MessageCatalog for PendingCatalog<C> {
    fn provider_modules(&self, provider: &str) -> Result<Vec<ProviderModule>, String> {
        self.opened()?.provider_modules(provider)
    }

    fn has_module(&self, module: &str) -> Result<bool, String> {
        self.opened()?.has_module(module)
    }

    fn message(
        &self,
        module: &str,
        id: u32,
        lang: Option<&str>,
    ) -> Result<Option<CatalogMessage>, String> {
        self.opened()?.message(module, id, lang)
    }

    fn ids_with_event_id(&self, module: &str, event_id: u16) -> Result<Vec<u32>, String> {
        self.opened()?.ids_with_event_id(module, event_id)
    }

    fn prepare(&self) -> Result<(), String> {
        self.opened()?.prepare()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicBool, Ordering};

    /// A catalog with one message, which counts its preparations.
    #[derive(Default)]
    struct OneMessage {
        prepared: AtomicBool,
    }

    impl MessageCatalog for OneMessage {
        fn provider_modules(&self, _: &str) -> Result<Vec<ProviderModule>, String> {
            Ok(Vec::new())
        }
        fn has_module(&self, module: &str) -> Result<bool, String> {
            Ok(module == "m.dll")
        }
        fn message(
            &self,
            _: &str,
            id: u32,
            _: Option<&str>,
        ) -> Result<Option<CatalogMessage>, String> {
            Ok((id == 7).then(|| CatalogMessage {
                text: "seven".into(),
                lang: "en-US".into(),
            }))
        }
        fn ids_with_event_id(&self, _: &str, _: u16) -> Result<Vec<u32>, String> {
            Ok(vec![7])
        }
        fn prepare(&self) -> Result<(), String> {
            self.prepared.store(true, Ordering::SeqCst);
            Ok(())
        }
    }

    #[test]
    fn lookups_made_before_the_catalog_is_open_wait_for_it() {
        let pending = PendingCatalog::<OneMessage>::new();
        let opening = AtomicBool::new(false);
        std::thread::scope(|scope| {
            let lookup = scope.spawn(|| pending.message("m.dll", 7, None));
            scope.spawn(|| {
                pending.open_with(|| {
                    opening.store(true, Ordering::SeqCst);
                    std::thread::sleep(std::time::Duration::from_millis(20));
                    Ok(OneMessage::default())
                })
            });
            let found = lookup.join().unwrap().unwrap().unwrap();
            assert_eq!(found.text, "seven");
        });
        assert!(opening.load(Ordering::SeqCst));
        assert!(pending.wait().unwrap().prepared.load(Ordering::SeqCst));
        assert!(pending.has_module("m.dll").unwrap());
    }

    #[test]
    fn a_failed_opening_is_every_lookup_s_answer() {
        let pending = PendingCatalog::<OneMessage>::new();
        pending.open_with(|| Err("no such file: k.kb".into()));
        assert_eq!(pending.wait().err(), Some("no such file: k.kb"));
        assert_eq!(
            pending.message("m.dll", 7, None).unwrap_err(),
            "no such file: k.kb"
        );
        // Opening again changes nothing.
        pending.open_with(|| Ok(OneMessage::default()));
        assert!(pending.has_module("m.dll").is_err());
    }

    #[test]
    fn an_opening_that_panics_releases_the_waiting_lookups() {
        let pending = PendingCatalog::<OneMessage>::new();
        std::thread::scope(|scope| {
            let lookup = scope.spawn(|| pending.has_module("m.dll"));
            let opener = scope.spawn(|| pending.open_with(|| panic!("disk on fire")));
            assert!(opener.join().is_err());
            let answer = lookup.join().unwrap();
            assert_eq!(answer.unwrap_err(), "opening the knowledge base panicked");
        });
    }
}
