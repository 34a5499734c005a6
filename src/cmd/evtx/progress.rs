//! The progress bar of `werr evtx` on stderr.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;

/// The progress bar on stderr (logs written of all, records, MB/s of log read), when stderr
/// is a terminal that draws (not `TERM=dumb`) and `--quiet` is not given; hidden otherwise.
/// Lines said meanwhile (problems) are printed with the bar out of the way.
pub(super) struct Progress {
    pub(super) bar: ProgressBar,
    records: u64,
    bytes: u64,
}

impl Progress {
    pub(super) fn new(logs: u64, wanted: bool) -> Progress {
        let terminal = std::io::stderr().is_terminal()
            && std::env::var_os("TERM").is_none_or(|term| term != "dumb");
        let bar = if wanted && terminal {
            let bar = ProgressBar::with_draw_target(Some(logs), ProgressDrawTarget::stderr());
            bar.set_style(
                ProgressStyle::with_template("{spinner} {pos}/{len} logs {wide_bar} {msg}")
                    .unwrap_or_else(|_| ProgressStyle::default_bar()),
            );
            bar
        } else {
            ProgressBar::hidden()
        };
        Progress {
            bar,
            records: 0,
            bytes: 0,
        }
    }

    /// Prints `line` on stderr, never in the middle of the bar.
    pub(super) fn say(&self, line: &str) {
        self.bar.suspend(|| eprintln!("{line}"));
    }

    pub(super) fn advance(&mut self, records: u64, bytes: u64, log_done: bool) {
        self.records += records;
        self.bytes += bytes;
        if self.bar.is_hidden() {
            return;
        }
        if log_done {
            self.bar.inc(1);
        }
        let seconds = self.bar.elapsed().as_secs_f64().max(1e-3);
        self.bar.set_message(format!(
            "{} records, {:.1} MB/s",
            self.records,
            self.bytes as f64 / 1e6 / seconds
        ));
    }
}
