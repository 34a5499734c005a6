//! Each thread's own copies of the routes it renders records by.
//!
//! A [`Renderer`](super::Renderer) is shared by the threads that read logs, and its route
//! cache sits behind a lock. Taking that lock, and counting references to the route's
//! shared parts, writes memory at every record; with threads on two cores, each such write
//! moves the cache line from the other core. So a thread looks a route up in the shared
//! cache once and keeps a copy of it whose counted parts (the module name, the release,
//! the failure) are its own; every later record of the route touches only this thread's
//! memory.

use super::{EventChoice, Route, RouteKey};
use std::cell::RefCell;
use std::rc::Rc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// The routes one thread copied, for the renderer `renderer` (0: none yet).
#[derive(Default)]
struct ThreadRoutes {
    renderer: u64,
    by_provider: foldhash::HashMap<String, foldhash::HashMap<RouteKey, Rc<Route>>>,
}

thread_local! {
    static ROUTES: RefCell<ThreadRoutes> = RefCell::default();
}

/// A number no other renderer of this process has: a thread's copies are of one renderer's
/// routes, and another renderer (other options, another catalog) has routes of its own.
pub(super) fn new_renderer_id() -> u64 {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// This thread's copy of renderer `renderer`'s route for `provider` and `key`, if it has one.
pub(super) fn get(renderer: u64, provider: &str, key: RouteKey) -> Option<Rc<Route>> {
    ROUTES
        .try_with(|routes| {
            let routes = routes.borrow();
            if routes.renderer != renderer {
                return None;
            }
            routes.by_provider.get(provider)?.get(&key).cloned()
        })
        .ok()
        .flatten()
}

/// A copy of `shared` for this thread, kept as renderer `renderer`'s route for `provider`
/// and `key` (replacing the copies of any other renderer).
pub(super) fn keep(renderer: u64, provider: &str, key: RouteKey, shared: &Route) -> Rc<Route> {
    let own = Rc::new(thread_copy(shared));
    let _ = ROUTES.try_with(|routes| {
        let mut routes = routes.borrow_mut();
        if routes.renderer != renderer {
            *routes = ThreadRoutes {
                renderer,
                ..ThreadRoutes::default()
            };
        }
        routes
            .by_provider
            .entry(provider.to_string())
            .or_default()
            .insert(key, Rc::clone(&own));
    });
    own
}

/// Drops this thread's copies of renderer `renderer`'s routes (the renderer is dropped).
pub(super) fn forget(renderer: u64) {
    let _ = ROUTES.try_with(|routes| {
        // Taken out first: dropping the routes must not find the cell borrowed.
        let old = match routes.try_borrow_mut() {
            Ok(mut routes) if routes.renderer == renderer => std::mem::take(&mut *routes),
            _ => return,
        };
        drop(old);
    });
}

/// `route` with new allocations for the parts each record's rendering counts references to.
fn thread_copy(route: &Route) -> Route {
    let mut copy = route.clone();
    match &mut copy {
        Route::Failure(failure) => *failure = Arc::new(failure.as_ref().clone()),
        Route::Message { module, .. } => *module = Arc::from(&**module),
        Route::EventText { event, .. } => *event = Arc::new(event_copy(event)),
    }
    copy
}

/// `choice` with its release and text sources in new allocations.
fn event_copy(choice: &EventChoice) -> EventChoice {
    let mut event = choice.event.clone();
    event.release = Arc::from(&*event.release);
    for text in &mut event.texts {
        text.source = Arc::from(&*text.source);
    }
    EventChoice::new(event)
}
