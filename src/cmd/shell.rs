//! `werr completions SHELL` and `werr man [COMMAND]`: what a shell and `man` need, made from
//! the same clap definition that parses the arguments, so they never drift from it.

use super::{print, CliError, CmdResult};

/// Arguments of `werr completions`.
#[derive(clap::Args, Debug)]
pub struct CompletionsArgs {
    /// The shell: bash, zsh, fish, powershell, elvish.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// Arguments of `werr man`.
#[derive(clap::Args, Debug)]
pub struct ManArgs {
    /// A command whose page to print (`lookup`, `show`...); without it, werr's page, which
    /// lists every command.
    pub command: Option<String>,
}

/// Prints the completion script of `args.shell` for `cli` (werr's whole command line).
pub fn completions(args: CompletionsArgs, mut cli: clap::Command) -> CmdResult {
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut cli, "werr", &mut script);
    print(&String::from_utf8_lossy(&script))?;
    Ok(())
}

/// Prints the man page (roff) of werr, or of one of its commands.
pub fn man(args: ManArgs, cli: clap::Command) -> CmdResult {
    let mut cli = cli;
    cli.build();
    let page = match &args.command {
        None => cli,
        Some(name) => {
            let sub = cli.find_subcommand(name).cloned().ok_or_else(|| {
                let names: Vec<&str> = cli.get_subcommands().map(clap::Command::get_name).collect();
                CliError::usage(format!(
                    "{name:?}: no such command; one of {}",
                    names.join(", ")
                ))
            })?;
            // The page's title and synopsis name the command as it is typed: `werr-lookup`.
            // clap keeps names as `&'static str`; the process ends right after printing.
            let full: &'static str = Box::leak(format!("werr-{}", sub.get_name()).into_boxed_str());
            sub.name(full).version(env!("CARGO_PKG_VERSION"))
        }
    };
    let mut roff = Vec::new();
    clap_mangen::Man::new(page).render(&mut roff)?;
    print(&String::from_utf8_lossy(&roff))?;
    Ok(())
}
