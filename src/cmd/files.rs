//! Reading the files a command is given: sizes from the command line, capped reads, and
//! whole files mapped or read.

use super::CliError;
use std::io;

/// A size given on the command line: a number of bytes, or with a `K`, `M` or `G` suffix
/// (powers of 1024): `65536`, `64K`, `32M`.
pub fn parse_size(text: &str) -> Result<u64, String> {
    let t = text.trim();
    let (digits, unit) = match t.char_indices().last() {
        Some((i, c)) if c.is_ascii_alphabetic() => (&t[..i], c.to_ascii_uppercase()),
        _ => (t, 'B'),
    };
    let shift = match unit {
        'B' => 0,
        'K' => 10,
        'M' => 20,
        'G' => 30,
        _ => {
            return Err(format!(
                "{} is not a size; expected bytes or a number with K, M or G, e.g. 64M",
                werr_quote::quoted(text)
            ))
        }
    };
    digits
        .parse::<u64>()
        .ok()
        .and_then(|n| n.checked_mul(1 << shift))
        .ok_or_else(|| {
            format!(
                "{} is not a size; expected bytes or a number with K, M or G, e.g. 64M",
                werr_quote::quoted(text)
            )
        })
}

/// Reads the file at `path` whole, refusing one of more than `limit` bytes: a regular file by
/// its size, before reading; a device, pipe or socket as it is read, so `/dev/zero` stops at
/// the limit instead of filling memory. `raise` says how to raise the limit (an option).
pub fn read_capped(path: &std::path::Path, limit: u64, raise: &str) -> Result<Vec<u8>, CliError> {
    use std::io::Read;
    let shown = path.display();
    let cannot = |e: io::Error| CliError::failed(format!("cannot read {shown}: {e}"));
    let file = std::fs::File::open(path).map_err(cannot)?;
    let meta = file.metadata().map_err(cannot)?;
    let too_large = |size: &str| {
        CliError::failed(format!(
            "{shown} {size}; werr reads at most {limit} bytes ({raise} raises the limit)"
        ))
    };
    if meta.is_file() && meta.len() > limit {
        return Err(too_large(&format!("is {} bytes long", meta.len())));
    }
    let mut bytes = Vec::with_capacity(if meta.is_file() {
        meta.len() as usize
    } else {
        0
    });
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(cannot)?;
    if bytes.len() as u64 > limit {
        return Err(too_large(&format!("gives more than {limit} bytes")));
    }
    Ok(bytes)
}

/// The bytes of a file: memory-mapped, so only the pages the parser touches are read.
pub enum FileBytes {
    Mapped(memmap2::Mmap),
    Read(Vec<u8>),
}

impl std::ops::Deref for FileBytes {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        match self {
            FileBytes::Mapped(m) => m,
            FileBytes::Read(v) => v,
        }
    }
}

/// The bytes of the file at `path`, mapped (read when it cannot be mapped). With `whole` the
/// caller reads every byte (an event log), so the map is filled in one system call instead of
/// a page fault per 64 KiB; otherwise pages are read as touched (a PE file, of which only the
/// resources are read).
pub fn load(path: &std::path::Path, whole: bool) -> io::Result<FileBytes> {
    let file = std::fs::File::open(path)?;
    if file.metadata()?.len() == 0 {
        return Ok(FileBytes::Read(Vec::new()));
    }
    let mut options = memmap2::MmapOptions::new();
    if whole {
        options.populate();
    }
    // SAFETY: the map is read-only and lives while we parse; a file truncated underneath by
    // another process is the one hazard, as for every tool that maps its inputs.
    match unsafe { options.map(&file) } {
        Ok(map) => Ok(FileBytes::Mapped(map)),
        Err(_) => std::fs::read(path).map(FileBytes::Read),
    }
}
