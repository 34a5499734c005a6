//! Why a message catalog could not answer a lookup.

use std::error::Error;
use std::sync::Arc;

/// Why a [`MessageCatalog`](crate::MessageCatalog) could not answer. Its text is the
/// underlying failure's own, so a record's `message_error` reads as the store wrote it.
#[derive(Debug, Clone, thiserror::Error)]
pub enum LookupError {
    /// The catalog could not be opened (a [`PendingCatalog`](crate::PendingCatalog) whose
    /// opener failed): every lookup answers this, with the opener's reason.
    #[error("{0}")]
    Unavailable(Arc<str>),
    /// The lookup cannot be asked as given: a language tag that does not parse, say.
    #[error(transparent)]
    Request(Arc<dyn Error + Send + Sync>),
    /// The catalog's store failed while answering (a database error, say).
    #[error(transparent)]
    Store(Arc<dyn Error + Send + Sync>),
}

impl LookupError {
    /// A failure of the catalog's store.
    pub fn store(error: impl Error + Send + Sync + 'static) -> Self {
        LookupError::Store(Arc::new(error))
    }

    /// A lookup that cannot be asked as given.
    pub fn request(error: impl Error + Send + Sync + 'static) -> Self {
        LookupError::Request(Arc::new(error))
    }
}

/// The renderer keeps a failure as the text it shows in a record's `message_error`.
impl From<LookupError> for String {
    fn from(error: LookupError) -> String {
        error.to_string()
    }
}
