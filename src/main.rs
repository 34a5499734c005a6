//! `werr`: the command-line front of werr. It parses arguments, calls the crates, prints.
//! Everything that knows about codes, files or text lives in `crates/`.

mod cmd;

use clap::{CommandFactory, Parser, Subcommand};
use std::ffi::OsString;
use std::process::ExitCode;

/// Windows message codes, offline: decode any 32-bit code, look up its name and text.
#[derive(Parser)]
#[command(
    name = "werr",
    version,
    about,
    override_usage = "werr [--kb FILE] <QUERY>...\n       werr [--kb FILE] <COMMAND> [ARGS]...",
    after_help = "With no command, `werr QUERY... [OPTIONS]` is `werr lookup QUERY... [OPTIONS]`."
)]
struct Cli {
    #[command(flatten)]
    global: cmd::Global,

    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Look up codes or names: every match, best first, one line each.
    Lookup(cmd::lookup::Args),
    /// Decode a 32-bit value under every code layout (HRESULT, NTSTATUS, Win32, message id).
    Decode(cmd::decode::Args),
    /// Show everything the KB knows about a name, a value or an event (PROVIDER/ID).
    Show(cmd::show::Args),
    /// Full-text search over names, comments and message texts.
    Search(cmd::search::Args),
    /// Import sources into a KB file: headers, .mc files, message tables, Microsoft Learn
    /// pages, [MS-ERREF] tables, WELM event databases.
    Import(cmd::import::Args),
    /// Names added, removed and changed between two sources (KIT@VERSION).
    Diff(cmd::diff::Args),
    /// Every record of event logs (.evtx) with its message text from the KB, as text, JSON,
    /// ECS, Timesketch or Parquet.
    Evtx(cmd::evtx::Args),
    /// Compile a .mc message file like mc.exe (.h, .rc, MSGxxxxx.bin), or decompile tables.
    Mc(Box<cmd::mc::Args>),
    /// Render message text as Windows' FormatMessage does: inserts, escapes, line widths.
    Format(cmd::format::Args),
    /// List the message tables of PE/.mui/.res/.bin files: every message in every language.
    Extract(cmd::extract::Args),
    /// Serve the web pages and the JSON API (read-only) until SIGTERM.
    Serve(cmd::serve::Args),
    /// The version, the code's license and the notices of the embedded data's sources.
    About(cmd::about::Args),
    /// Print a shell's completion script for werr (bash, zsh, fish, powershell, elvish).
    Completions(cmd::shell::CompletionsArgs),
    /// Print werr's man page (roff), or a command's: `werr man > werr.1`, `werr man lookup`.
    Man(cmd::shell::ManArgs),
}

/// `werr QUERY... [OPTIONS]`: the lookup alone. Parsing it with this parser, not `Cli`, spares
/// the most common run building every subcommand's arguments (a fifth of a lookup's page faults).
#[derive(Parser)]
#[command(
    name = "werr",
    version,
    about,
    override_usage = "werr [--kb FILE] <QUERY>... [OPTIONS]",
    after_help = "`werr QUERY...` is `werr lookup QUERY...`; `werr --help` lists the commands."
)]
struct BareQuery {
    #[command(flatten)]
    global: cmd::Global,

    #[command(flatten)]
    args: cmd::lookup::Args,
}

fn main() -> ExitCode {
    let args: Vec<OsString> = std::env::args_os().collect();
    if is_bare_query(&args) {
        return match BareQuery::try_parse_from(args) {
            Ok(bare) => {
                bare.global.color.apply();
                cmd::finish(cmd::lookup::run(&bare.global, bare.args))
            }
            Err(e) => cmd::finish_parse(&e),
        };
    }
    let cli = match Cli::try_parse_from(cmd::mc::rewrite_args(args)) {
        Ok(cli) => cli,
        Err(e) => return cmd::finish_parse(&e),
    };
    cli.global.color.apply();
    let result = match cli.command {
        Some(Command::Lookup(args)) => cmd::lookup::run(&cli.global, args),
        Some(Command::Decode(args)) => cmd::decode::run(&cli.global, args),
        Some(Command::Show(args)) => cmd::show::run(&cli.global, args),
        Some(Command::Search(args)) => cmd::search::run(&cli.global, args),
        Some(Command::Import(args)) => cmd::import::run(&cli.global, args),
        Some(Command::Diff(args)) => cmd::diff::run(&cli.global, args),
        Some(Command::Evtx(args)) => cmd::evtx::run(&cli.global, args),
        Some(Command::Mc(args)) => cmd::mc::run(&cli.global, *args),
        Some(Command::Format(args)) => cmd::format::run(&cli.global, args),
        Some(Command::Extract(args)) => cmd::extract::run(&cli.global, args),
        Some(Command::Serve(args)) => cmd::serve::run(&cli.global, args),
        Some(Command::About(args)) => cmd::about::run(&cli.global, args),
        Some(Command::Completions(args)) => cmd::shell::completions(args, Cli::command()),
        Some(Command::Man(args)) => cmd::shell::man(args, Cli::command()),
        // Queries piped in (`echo 0x5 | werr`), or a usage error on a terminal.
        None => cmd::lookup::run(&cli.global, cmd::lookup::Args::default()),
    };
    cmd::finish(result)
}

/// `werr QUERY...` means `werr lookup QUERY...`: true when the first word after the global
/// options (`--kb`, `--color`) is no command (nor help or version). Deciding it before clap parses keeps global
/// options before a command (`werr --kb FILE import ...`) and negative numbers
/// (`werr -2147479421`) working, which a top-level positional argument cannot do both.
fn is_bare_query(args: &[OsString]) -> bool {
    // `has_subcommand` asks the derived enum without building clap's `Command`: start-up is
    // most of a lookup's cost.
    let is_command = |word: &str| word == "help" || <Command as Subcommand>::has_subcommand(word);
    let mut i = 1;
    while i < args.len() {
        let word = args[i].to_string_lossy();
        match word.as_ref() {
            "--kb" | "--color" => i += 2,
            w if w.starts_with("--kb=") || w.starts_with("--color=") => i += 1,
            "-h" | "--help" | "-V" | "--version" => return false,
            w if is_command(w) => return false,
            _ => return true,
        }
    }
    false
}
