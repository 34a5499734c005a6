//! `werr diff SOURCE@V1 SOURCE@V2 [--json]`: names added, removed and changed between two
//! sources of the KB.

use super::kb::{kb_error, open_for_reading};
use super::{print, print_json, CmdResult, Global};

/// Arguments of `werr diff`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The older source, `KIT@VERSION` (e.g. mingw-w64@10.0.0).
    pub old: String,
    /// The newer source, `KIT@VERSION` (e.g. mingw-w64@13.0.0).
    pub new: String,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

fn hex(v: Option<u32>) -> String {
    v.map_or_else(|| "(no value)".to_string(), |v| format!("0x{v:08X}"))
}

/// Runs `werr diff`.
pub fn run(global: &Global, args: Args) -> CmdResult {
    let kb = open_for_reading(global)?;
    // A source the KB does not have is something asked for and not found.
    let old = kb.find_source(&args.old).map_err(kb_error)?;
    let new = kb.find_source(&args.new).map_err(kb_error)?;
    let diff = kb.diff(&old, &new).map_err(kb_error)?;
    if args.json {
        print_json(&diff)?;
        return Ok(());
    }
    let mut out = String::new();
    for (name, v) in &diff.removed {
        out.push_str(&format!("- {name} {}\n", hex(*v)));
    }
    for (name, v) in &diff.added {
        out.push_str(&format!("+ {name} {}\n", hex(*v)));
    }
    for (name, a, b) in &diff.changed {
        out.push_str(&format!("~ {name} {} -> {}\n", hex(*a), hex(*b)));
    }
    out.push_str(&format!(
        "{}@{} -> {}@{}: {} added, {} removed, {} changed\n",
        old.kit,
        old.version,
        new.kit,
        new.version,
        diff.added.len(),
        diff.removed.len(),
        diff.changed.len()
    ));
    print(&out)?;
    Ok(())
}
