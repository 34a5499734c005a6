//! The lines (or JSON objects) `werr extract` prints, one per message.

use serde::Serialize;
use std::io::{self, Write};
use werr_msgtable::{ResourceName, TableResource};

/// One message of `--json` output.
#[derive(Serialize)]
struct JsonLine<'a> {
    file: &'a str,
    module: &'a str,
    resource: String,
    langid: u16,
    lang: &'a str,
    id: u32,
    id_hex: String,
    /// The symbol name; null until the knowledge base can supply it.
    name: Option<&'a str>,
    text: &'a str,
    encoding: &'static str,
}

/// Where and how messages are printed.
pub(super) struct Printer<'w> {
    pub out: &'w mut dyn Write,
    pub json: bool,
}

impl Printer<'_> {
    #[allow(clippy::too_many_arguments)]
    pub(super) fn message(
        &mut self,
        file: &str,
        module: &str,
        table: &TableResource<'_>,
        tag: &str,
        id: u32,
        text: &str,
        encoding: werr_msgtable::Encoding,
    ) -> io::Result<()> {
        if self.json {
            let line = JsonLine {
                file,
                module,
                resource: table.name.to_string(),
                langid: table.langid,
                lang: tag,
                id,
                id_hex: format!("0x{id:08X}"),
                name: None,
                text,
                encoding: encoding.name(),
            };
            serde_json::to_writer(&mut *self.out, &line).map_err(|e| match e.io_error_kind() {
                Some(kind) => io::Error::from(kind),
                None => io::Error::other(e),
            })?;
            self.out.write_all(b"\n")
        } else {
            let resource = match &table.name {
                ResourceName::Id(1) => String::new(),
                other => format!("[{other}] "),
            };
            writeln!(
                self.out,
                "{file}  {resource}{tag} (0x{:04X})  0x{id:08X}  {}",
                table.langid,
                one_line(text)
            )
        }
    }
}

/// The text on one line: final line breaks dropped, inner ones shown as `\n`.
fn one_line(text: &str) -> String {
    text.trim_end_matches(['\r', '\n'])
        .replace("\r\n", "\\n")
        .replace(['\n', '\r'], "\\n")
}
