//! The connection layer over real TCP on loopback: header-read and idle timeouts, the
//! connection cap, and a shutdown that does not wait for clients that never finish.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::Arc;
use std::time::{Duration, Instant};
use werr_server::{router, serve_with, AppState, KbPool, ServeOptions};

/// A server on a port of its own, on its own runtime thread; `stop` asks it to shut down and
/// `stopped` says when `serve_with` returned.
struct Running {
    addr: SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    stopped: std::sync::mpsc::Receiver<Instant>,
}

fn start(options: ServeOptions) -> Running {
    let (addr_tx, addr_rx) = std::sync::mpsc::channel();
    let (stop, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let (done_tx, stopped) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("runtime");
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
                .await
                .expect("binds");
            addr_tx
                .send(listener.local_addr().expect("addr"))
                .expect("sent");
            let state = AppState::new(Arc::new(KbPool::embedded().expect("KB")));
            serve_with(listener, router(state), options, async move {
                let _ = stop_rx.await;
            })
            .await
            .expect("serves");
            let _ = done_tx.send(Instant::now());
        });
    });
    Running {
        addr: addr_rx.recv().expect("listening"),
        stop: Some(stop),
        stopped,
    }
}

impl Running {
    fn connect(&self) -> TcpStream {
        let s = TcpStream::connect(self.addr).expect("connects");
        s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
        s
    }

    /// `GET /healthz` on a new connection: the status line's code.
    fn healthz(&self) -> u16 {
        let mut s = self.connect();
        s.write_all(b"GET /healthz HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
            .unwrap();
        let mut answer = String::new();
        s.read_to_string(&mut answer).expect("answer");
        answer[9..12].parse().expect("status")
    }

    fn shut_down(&mut self) -> Instant {
        let asked = Instant::now();
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        let done = self
            .stopped
            .recv_timeout(Duration::from_secs(30))
            .expect("serve_with returns");
        assert!(done >= asked);
        asked
    }
}

/// Reads until the server closes the connection; how long that took.
fn closed_after(mut s: TcpStream) -> Duration {
    let started = Instant::now();
    let mut sink = Vec::new();
    let _ = s.read_to_end(&mut sink);
    started.elapsed()
}

fn options(header_read_timeout: Duration) -> ServeOptions {
    ServeOptions {
        header_read_timeout,
        ..ServeOptions::default()
    }
}

#[test]
fn half_sent_and_idle_connections_are_closed_after_the_header_timeout() {
    let mut server = start(options(Duration::from_millis(500)));
    let mut half = server.connect();
    half.write_all(b"GET /healthz HTTP/1.1\r\nHost: t\r\n")
        .unwrap();
    let idle = server.connect();
    // A keep-alive connection, idle after its first answer.
    let mut kept = server.connect();
    kept.write_all(b"GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n")
        .unwrap();
    let mut first = [0u8; 64];
    let n = kept.read(&mut first).expect("answer");
    assert!(first[..n].starts_with(b"HTTP/1.1 200"));
    for (what, s) in [("half-sent", half), ("idle", idle), ("kept alive", kept)] {
        let took = closed_after(s);
        assert!(
            took < Duration::from_secs(5),
            "{what}: closed after {took:?}"
        );
    }
    assert_eq!(server.healthz(), 200);
    server.shut_down();
}

#[test]
fn connections_past_the_cap_wait_and_the_server_stays_up() {
    let mut server = start(ServeOptions {
        header_read_timeout: Duration::from_millis(800),
        max_connections: 3,
        ..ServeOptions::default()
    });
    let idle: Vec<TcpStream> = (0..3).map(|_| server.connect()).collect();
    std::thread::sleep(Duration::from_millis(100));
    // The fourth waits in the listen queue until an idle one is closed, then is answered.
    let started = Instant::now();
    assert_eq!(server.healthz(), 200);
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_millis(500),
        "answered after {waited:?}, past the cap"
    );
    assert!(waited < Duration::from_secs(5), "answered after {waited:?}");
    drop(idle);
    server.shut_down();
}

#[test]
fn shutdown_does_not_wait_for_a_client_that_never_finishes_its_request() {
    // The header timeout is long: only shutdown can end this connection soon.
    let mut server = start(options(Duration::from_secs(60)));
    let mut half = server.connect();
    half.write_all(b"GET /healthz HTTP/1.1\r\nHost: t\r\nX-Slow: ")
        .unwrap();
    let idle = server.connect();
    assert_eq!(server.healthz(), 200);
    let asked = server.shut_down();
    let took = asked.elapsed();
    assert!(took < Duration::from_secs(2), "shut down after {took:?}");
    drop((half, idle));
}
