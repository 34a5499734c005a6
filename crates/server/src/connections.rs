//! The connection layer: werr's own accept loop over hyper's HTTP/1 connections, so that no
//! client can hold the server.
//!
//! - A connection that has not sent a complete request head [`ServeOptions::header_read_timeout`]
//!   after connecting, or after its previous answer, is closed: slow senders of headers and
//!   idle keep-alive connections both (hyper starts the timer whenever it waits for a head).
//! - At most [`ServeOptions::max_connections`] are served at once, below the process's
//!   descriptor limit; the next ones wait in the listen queue until one closes, so the
//!   process never runs out of descriptors for the clients it serves.
//! - On shutdown the server stops accepting; a connection with a request in flight gets
//!   [`ServeOptions::shutdown_grace`] to answer it, any other (idle, or half-way through its
//!   headers) is closed at once.
//! - A request hyper rejects before routing (a malformed head: 400, a URI too long: 414,
//!   headers too large: 431) or a head that never came (408, no answer sent) is logged as an
//!   `access` event with its status, as routed requests are.

use axum::body::Body;
use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use std::future::Future;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{watch, OwnedSemaphorePermit, Semaphore};
use tower::ServiceExt;

/// How long a connection may take to send a request head, counted from its connection or
/// its previous answer.
pub const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(5);

/// How the server treats connections.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// A connection that has not sent a complete request head this long after connecting,
    /// or after its previous answer, is closed.
    pub header_read_timeout: Duration,
    /// The most connections served at once.
    pub max_connections: usize,
    /// After shutdown is asked for, how long requests in flight may take to finish.
    pub shutdown_grace: Duration,
}

impl Default for ServeOptions {
    fn default() -> Self {
        ServeOptions {
            header_read_timeout: HEADER_READ_TIMEOUT,
            max_connections: default_max_connections(),
            shutdown_grace: crate::REQUEST_TIMEOUT,
        }
    }
}

/// The connection cap: 4096, or less where the descriptor limit is lower, keeping 64
/// descriptors for the listener, the KB files and the rest of the process.
pub fn default_max_connections() -> usize {
    const MOST: usize = 4096;
    const KEPT: usize = 64;
    #[cfg(unix)]
    {
        let limit = rustix::process::getrlimit(rustix::process::Resource::Nofile);
        if let Some(soft) = limit.current {
            let soft = usize::try_from(soft).unwrap_or(usize::MAX);
            return soft.saturating_sub(KEPT).clamp(16, MOST);
        }
    }
    MOST
}

/// Serves `app` on `listener` as [`ServeOptions`] says until `shutdown` resolves, then stops
/// accepting, lets the requests in flight finish within the grace and returns.
pub async fn serve_with(
    listener: TcpListener,
    app: Router,
    options: ServeOptions,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let (stop, stopping) = watch::channel(false);
    let slots = Arc::new(Semaphore::new(options.max_connections.max(1)));
    let mut connections = tokio::task::JoinSet::new();
    tokio::pin!(shutdown);
    loop {
        // A slot first: at the cap, connections wait in the listen queue, not here.
        let slot = tokio::select! {
            () = &mut shutdown => break,
            slot = Arc::clone(&slots).acquire_owned() => match slot {
                Ok(slot) => slot,
                Err(_) => break,
            },
        };
        let (stream, peer) = tokio::select! {
            () = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    // Out of descriptors or memory, or a client gone before accept: wait a
                    // moment rather than spin.
                    tracing::warn!("accepting a connection failed: {e}");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
        };
        while connections.try_join_next().is_some() {}
        connections.spawn(connection(
            stream,
            peer,
            app.clone(),
            options.clone(),
            stopping.clone(),
            slot,
        ));
    }
    drop(listener);
    tracing::info!("shutting down: finishing requests in flight");
    let _ = stop.send(true);
    // Each connection bounds its own wait; this only guards against one that does not.
    let all_closed = async { while connections.join_next().await.is_some() {} };
    if tokio::time::timeout(options.shutdown_grace + Duration::from_secs(1), all_closed)
        .await
        .is_err()
    {
        connections.abort_all();
    }
    Ok(())
}

/// Serves one connection until it closes, or until shutdown (see the module documentation).
async fn connection(
    stream: TcpStream,
    peer: SocketAddr,
    app: Router,
    options: ServeOptions,
    mut stopping: watch::Receiver<bool>,
    _slot: OwnedSemaphorePermit,
) {
    let _ = stream.set_nodelay(true);
    let in_flight = Arc::new(AtomicUsize::new(0));
    let service = {
        let in_flight = Arc::clone(&in_flight);
        hyper::service::service_fn(move |request: hyper::Request<Incoming>| {
            let app = app.clone();
            let counted = InFlight::start(&in_flight);
            async move {
                let response = app.oneshot(request.map(Body::new)).await;
                drop(counted);
                response
            }
        })
    };
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(options.header_read_timeout)
        .keep_alive(true);
    let conn = http.serve_connection(TokioIo::new(stream), service);
    tokio::pin!(conn);
    let result = tokio::select! {
        result = conn.as_mut() => result,
        // (The watch's guard is dropped inside: it must not live across an await.)
        () = async { let _ = stopping.wait_for(|stop| *stop).await; } => {
            conn.as_mut().graceful_shutdown();
            // A request in flight gets the grace; a connection with none (idle, or half-way
            // through its headers) only the moment to close cleanly.
            let grace = if in_flight.load(Ordering::SeqCst) > 0 {
                options.shutdown_grace
            } else {
                Duration::from_millis(100)
            };
            match tokio::time::timeout(grace, conn.as_mut()).await {
                Ok(result) => result,
                Err(_) => return,
            }
        }
    };
    if let Err(e) = result {
        log_rejected(&e, peer, options.header_read_timeout);
    }
}

/// Counts a request in flight on its connection while alive.
struct InFlight(Arc<AtomicUsize>);

impl InFlight {
    fn start(count: &Arc<AtomicUsize>) -> InFlight {
        count.fetch_add(1, Ordering::SeqCst);
        InFlight(Arc::clone(count))
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Logs, as an `access` event, a request the HTTP layer rejected before routing (hyper has
/// answered it) or a head that never came; other connection errors (a client gone) are noise.
fn log_rejected(e: &hyper::Error, peer: SocketAddr, header_read_timeout: Duration) {
    let (status, reason) = if e.is_timeout() {
        (
            408,
            format!(
                "no complete request head within {} s; closed without an answer",
                header_read_timeout.as_secs_f32()
            ),
        )
    } else if e.is_parse_too_large() {
        // hyper says which: the URI, or the whole head.
        if e.to_string().contains("URI") {
            (414, e.to_string())
        } else {
            (431, e.to_string())
        }
    } else if e.is_parse() {
        (400, e.to_string())
    } else {
        tracing::debug!(%peer, "connection ended: {e}");
        return;
    };
    tracing::info!(
        target: "werr_server::access",
        status,
        %peer,
        reason = %reason,
        "rejected"
    );
}
