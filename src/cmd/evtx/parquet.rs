//! `--format parquet --output DIR`: the dataset the records go to.

use super::Format;
use crate::cmd::CliError;
use std::path::Path;
use werr_evtx_parquet::{Dataset, DatasetOptions};

/// The dataset of a `--format parquet` run, created in `output`; none for the other formats.
/// A dataset goes to a folder, never to stdout; a folder is only for a dataset.
pub(super) fn dataset(format: Format, output: Option<&Path>) -> Result<Option<Dataset>, CliError> {
    let options = DatasetOptions::default();
    Ok(match (format, output) {
        (Format::Parquet, Some(output)) => {
            Some(
                Dataset::create(output, options).map_err(|e| match e.kind() {
                    std::io::ErrorKind::AlreadyExists => CliError::usage(format!("--output: {e}")),
                    _ => CliError::failed(format!("--output: {e}")),
                })?,
            )
        }
        (Format::Parquet, None) => {
            return Err(CliError::usage(
                "--format parquet writes a dataset folder: name it with --output DIR",
            ))
        }
        (_, Some(_)) => {
            return Err(CliError::usage(
                "--output is the folder of --format parquet; text and JSON go to stdout",
            ))
        }
        (_, None) => None,
    })
}
