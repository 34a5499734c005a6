//! `werr about`: the version, the code's license and the notices of the data the binary
//! embeds (`NOTICE-DATA.md`: each source of the default KB, its license, the attribution or
//! notice it requires).

use super::{print, CmdResult, Global};

/// Arguments of `werr about` (none).
#[derive(clap::Args, Debug)]
pub struct Args {}

/// Runs `werr about`.
pub fn run(_global: &Global, _args: Args) -> CmdResult {
    print(&format!(
        "werr {}\nCode: MIT OR Apache-2.0 (LICENSE-MIT, LICENSE-APACHE).\n\n{}",
        env!("CARGO_PKG_VERSION"),
        werr_kb::DATA_NOTICE
    ))?;
    Ok(())
}
