//! End-to-end tests of the `werr` binary in one test binary: one module per subcommand,
//! `entry` for what `src/main.rs` decides (bare queries, global options), `exit_codes` for the
//! exit-status contract of every command; `common` holds what they share.

mod common;
mod decode;
mod entry;
mod events;
mod evtx;
mod evtx_parquet;
mod exit_codes;
mod extract;
mod format;
mod kb;
mod mc;
mod seed;
mod serve;
mod shell;
mod texts;
