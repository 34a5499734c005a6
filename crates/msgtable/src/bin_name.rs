//! The name of a raw message table file as mc.exe (and windmc, and `werr mc`) writes it:
//! `MSG00409.bin`, or with `-b` the `.mc` file's base name and `_` before it
//! (`netevent_MSG00409.bin`). The five hex digits are the table's LANGID.

use std::fmt;

use crate::{ResourceName, TableResource};

/// A `[PREFIX_]MSGxxxxx.bin` file name: the language of a table stored without a container.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct BinTableName {
    /// What precedes `_MSG` (`netevent` for mc's `-b`, a resource name for `werr extract
    /// --bin-dir`); `None` for a bare `MSG00409.bin`.
    pub prefix: Option<String>,
    /// The LANGID the five hex digits give.
    pub langid: u16,
}

impl BinTableName {
    /// Reads a file name (a path's folders are ignored): `MSG` and five hex digits that fit
    /// a LANGID, then `.bin`, letter case ignored; before `MSG` nothing or a prefix ending in
    /// `_`. `None` for any other name (`xMSG00409.bin`, `MSG0409.bin`, `MSG10000.bin`).
    pub fn parse(file_name: &str) -> Option<BinTableName> {
        let name = file_name.rsplit(['/', '\\']).next().unwrap_or(file_name);
        let stem = strip_suffix_ignore_case(name, ".bin")?;
        let digits_at = stem.len().checked_sub(5)?;
        let digits = stem.get(digits_at..)?;
        if !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        let langid = u16::try_from(u32::from_str_radix(digits, 16).ok()?).ok()?;
        let before = strip_suffix_ignore_case(&stem[..digits_at], "MSG")?;
        let prefix = match before {
            "" => None,
            _ => Some(before.strip_suffix('_')?.to_string()),
        };
        Some(BinTableName { prefix, langid })
    }
}

impl BinTableName {
    /// The name a table of a module is written as (`werr extract --bin-dir`): the language
    /// of the table, and its resource name as the prefix unless it is `1`, the id mc gives
    /// every table (then the name is mc's own `MSGxxxxx.bin`). Characters other than
    /// letters, digits, `-` and `_` in a resource name become `_`, so the name is one plain
    /// file name that [`BinTableName::parse`] reads back.
    pub fn of_table(table: &TableResource<'_>) -> BinTableName {
        let prefix = match &table.name {
            ResourceName::Id(1) => None,
            other => Some(
                other
                    .to_string()
                    .chars()
                    .map(|c| {
                        if c.is_alphanumeric() || c == '-' || c == '_' {
                            c
                        } else {
                            '_'
                        }
                    })
                    .collect(),
            ),
        };
        BinTableName {
            prefix,
            langid: table.langid,
        }
    }
}

fn strip_suffix_ignore_case<'a>(text: &'a str, suffix: &str) -> Option<&'a str> {
    let cut = text.len().checked_sub(suffix.len())?;
    let tail = text.get(cut..)?;
    tail.eq_ignore_ascii_case(suffix).then(|| &text[..cut])
}

impl fmt::Display for BinTableName {
    /// The name as mc writes it: `MSG00409.bin`, `netevent_MSG00409.bin`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(prefix) = &self.prefix {
            write!(f, "{prefix}_")?;
        }
        write!(f, "MSG{:05X}.bin", self.langid)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn langid(name: &str) -> Option<u16> {
        BinTableName::parse(name).map(|n| n.langid)
    }

    #[test]
    fn names_with_and_without_a_prefix() {
        assert_eq!(
            BinTableName::parse("netevent_MSG00C0A.bin"),
            Some(BinTableName {
                prefix: Some("netevent".into()),
                langid: 0x0C0A
            })
        );
        assert_eq!(
            BinTableName::parse("r/MSG00409.bin"),
            Some(BinTableName {
                prefix: None,
                langid: 0x0409
            })
        );
        assert_eq!(langid("C:\\out\\my_table_msg00407.BIN"), Some(0x0407));
    }

    #[test]
    fn other_names_are_none() {
        for name in [
            "MSG0040G.bin",
            "xMSG00409.bin",
            "MSG00409.txt",
            "MSG.bin",
            "MSG10000.bin",
            "MSG+0409.bin",
            "MSG0409.bin",
            ".bin",
            "é_MSG0409.bin",
        ] {
            assert_eq!(langid(name), None, "{name}");
        }
    }

    #[test]
    fn display_reads_back() {
        for name in [
            BinTableName {
                prefix: None,
                langid: 0x0409,
            },
            BinTableName {
                prefix: Some("netevent".into()),
                langid: 0x8018,
            },
            BinTableName {
                prefix: Some("MY_TABLE".into()),
                langid: 0x0007,
            },
        ] {
            assert_eq!(BinTableName::parse(&name.to_string()), Some(name));
        }
        assert_eq!(
            BinTableName {
                prefix: Some("netevent".into()),
                langid: 0x0C0A
            }
            .to_string(),
            "netevent_MSG00C0A.bin"
        );
    }
}
