//! `werr import ... --provider NAME [--parameter-file]`: the provider table's side of an
//! import, as `werr evtx` then reads it.

use super::kb::kb_error;
use super::{CliError, CmdResult};
use werr_kb::{ImportSummary, Kb, ProviderRole, Registration};

/// `werr import ... --provider NAME [--parameter-file]`: registers the message modules the
/// import brought for each provider, and says so.
pub fn register_providers(
    kb: &mut Kb,
    summary: &ImportSummary,
    providers: &[String],
    parameter_file: bool,
) -> CmdResult {
    let role = if parameter_file {
        ProviderRole::Parameters
    } else {
        ProviderRole::Messages
    };
    match kb
        .register_providers(summary, providers, role)
        .map_err(kb_error)?
    {
        Registration::NothingAsked => {}
        Registration::ManifestsOnly { events } => eprintln!(
            "werr: warning: --provider registers nothing: this import brought event manifests \
             ({events} events) but no messages; import the module's .mui file with --provider"
        ),
        Registration::NoMessages => {
            return Err(CliError::usage(
                "--provider needs message files (.mc, or PE/.mui/.res files with message \
                 tables); this import brought no messages",
            ))
        }
        Registration::Registered { modules } => {
            let what = if parameter_file {
                "parameter messages from"
            } else {
                "messages from"
            };
            for provider in providers {
                eprintln!("werr: provider {provider:?}: {what} {}", modules.join(", "));
            }
        }
    }
    Ok(())
}
