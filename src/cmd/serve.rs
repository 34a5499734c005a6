//! `werr serve [--addr 127.0.0.1:8080]`: the web pages and the JSON API, read-only.

use super::{CliError, CmdResult, Global};
use std::net::SocketAddr;
use std::sync::Arc;
use werr_kb::Kb;
use werr_server::{AppState, KbPool};

/// Arguments of `werr serve`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The address to listen on (port 0 picks a free port; the address is printed).
    #[arg(long, default_value = "127.0.0.1:8080", value_name = "ADDR:PORT")]
    pub addr: SocketAddr,
}

/// Runs `werr serve` until SIGTERM or Ctrl-C; requests in flight are finished first.
pub fn run(global: &Global, args: Args) -> CmdResult {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_target(false)
        .init();
    let pool = match &global.kb {
        Some(path) => {
            let path = path.clone();
            KbPool::new(move || Kb::open_for_reading(&path))
        }
        None => KbPool::embedded(),
    }
    .map_err(|e| CliError::failed(e.to_string()))?;
    werr_server::serve_blocking(args.addr, AppState::new(Arc::new(pool)), |bound| {
        // The first line of stdout, so scripts and tests can find a port-0 server.
        println!("werr: serving on http://{bound}/");
        use std::io::Write;
        let _ = std::io::stdout().flush();
    })
    .map_err(|e| CliError::failed(format!("cannot serve on {}: {e}", args.addr)))
}
