//! The knowledge base behind the server: a small pool of `werr_kb::Kb` handles. A `Kb` owns
//! an SQLite connection, which one thread may use at a time; the pool lends one per
//! request and takes it back, opening another when all are busy.

use std::sync::Mutex;
use werr_kb::Kb;

/// The knowledge base could not answer (it is missing, corrupt or unreadable); the
/// request itself was fine.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the knowledge base could not answer: {0}")]
pub struct KnowledgeError(pub String);

impl From<werr_kb::Error> for KnowledgeError {
    fn from(e: werr_kb::Error) -> KnowledgeError {
        KnowledgeError(e.to_string())
    }
}

type Opener = dyn Fn() -> werr_kb::Result<Kb> + Send + Sync;

/// Handles on one knowledge base, lent to requests one at a time.
pub struct KbPool {
    open: Box<Opener>,
    idle: Mutex<Vec<Kb>>,
}

/// Handles kept open when idle; more are opened under load and closed when returned.
const MAX_IDLE: usize = 32;

impl KbPool {
    /// A pool whose handles `open` makes (`Kb::embedded`, or `Kb::open` of a file). One
    /// handle is opened now, so a KB that cannot be opened fails here, not on a request.
    pub fn new(
        open: impl Fn() -> werr_kb::Result<Kb> + Send + Sync + 'static,
    ) -> Result<KbPool, KnowledgeError> {
        let first = open()?;
        Ok(KbPool {
            open: Box::new(open),
            idle: Mutex::new(vec![first]),
        })
    }

    /// The embedded default knowledge base.
    pub fn embedded() -> Result<KbPool, KnowledgeError> {
        KbPool::new(Kb::embedded)
    }

    /// Runs `ask` with a handle.
    pub fn with<R>(
        &self,
        ask: impl FnOnce(&Kb) -> werr_kb::Result<R>,
    ) -> Result<R, KnowledgeError> {
        let lent = self.idle.lock().ok().and_then(|mut idle| idle.pop());
        let kb = match lent {
            Some(kb) => kb,
            None => (self.open)()?,
        };
        let answer = ask(&kb);
        if let Ok(mut idle) = self.idle.lock() {
            if idle.len() < MAX_IDLE {
                idle.push(kb);
            }
        }
        Ok(answer?)
    }
}
