//! Colour where a person reads (names, values, the kind column) and the listings' columns.
//!
//! Text is built with `anstyle` styles in it and written through `anstream`, which keeps them
//! on a terminal and strips them when the output is piped, when `NO_COLOR` is set, or with
//! `--color never` (`--color always` keeps them anywhere).

use anstyle::{AnsiColor, Style};

/// When to colour the output (`--color`).
#[derive(clap::ValueEnum, Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ColorWhen {
    /// On a terminal, unless `NO_COLOR` is set.
    #[default]
    Auto,
    /// Always, even when piped.
    Always,
    /// Never.
    Never,
}

impl ColorWhen {
    /// Makes the choice for every later write to standard output and error.
    pub fn apply(self) {
        let choice = match self {
            ColorWhen::Auto => anstream::ColorChoice::Auto,
            ColorWhen::Always => anstream::ColorChoice::Always,
            ColorWhen::Never => anstream::ColorChoice::Never,
        };
        choice.write_global();
    }
}

/// A name (`E_ACCESSDENIED`).
pub const NAME: Style = Style::new().bold();
/// A value (`0x80070005`).
pub const VALUE: Style = AnsiColor::Cyan.on_default();
/// The kind of code (`hresult`, `ntstatus (TDI status codes)`).
pub const KIND: Style = AnsiColor::Green.on_default();
/// What is said about a line rather than what it is (relations, places, notes).
pub const MUTE: Style = Style::new().dimmed();

/// `text` in `style`.
pub fn paint(style: Style, text: &str) -> String {
    if text.is_empty() {
        return String::new();
    }
    format!("{style}{text}{style:#}")
}

/// `text` in `style`, padded with spaces to `width` characters (the padding unstyled, so
/// columns line up whether or not the styles are kept).
pub fn paint_padded(style: Style, text: &str, width: usize) -> String {
    let pad = width.saturating_sub(text.chars().count());
    format!("{}{:pad$}", paint(style, text), "")
}

/// Rows of cells printed as aligned columns: every column but a row's last is as wide as its
/// widest cell, a row's last is not padded, trailing empty cells are dropped, and a column
/// empty in every row takes no room.
#[derive(Debug, Default)]
pub struct Columns {
    rows: Vec<Vec<(Style, String)>>,
}

impl Columns {
    /// Adds a row.
    pub fn push(&mut self, row: Vec<(Style, String)>) {
        self.rows.push(row);
    }

    /// The rows as lines, each ending with `\n`.
    pub fn render(&self) -> String {
        self.lines().concat()
    }

    /// The rows as lines, one per row, each ending with `\n`.
    pub fn lines(&self) -> Vec<String> {
        let mut widths: Vec<usize> = Vec::new();
        for row in &self.rows {
            for (i, (_, cell)) in row.iter().enumerate() {
                if widths.len() <= i {
                    widths.push(0);
                }
                widths[i] = widths[i].max(cell.chars().count());
            }
        }
        self.rows
            .iter()
            .map(|row| {
                let mut line = String::new();
                let last = row.iter().rposition(|(_, c)| !c.is_empty()).unwrap_or(0);
                for (i, (style, cell)) in row.iter().enumerate().take(last + 1) {
                    // A column empty in every row takes no room.
                    if widths[i] == 0 {
                        continue;
                    }
                    if !line.is_empty() {
                        line.push_str("  ");
                    }
                    if i == last {
                        line.push_str(&paint(*style, cell));
                    } else {
                        line.push_str(&paint_padded(*style, cell, widths[i]));
                    }
                }
                line.push('\n');
                line
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_align_on_the_widest_cell_and_styles_do_not_count() {
        let mut c = Columns::default();
        c.push(vec![
            (VALUE, "0x1".into()),
            (NAME, "A".into()),
            (KIND, "ntstatus (TDI status codes)".into()),
            (MUTE, "text".into()),
        ]);
        c.push(vec![
            (VALUE, "0x2".into()),
            (NAME, "LONGER_NAME".into()),
            (KIND, "win32".into()),
            (MUTE, String::new()),
        ]);
        c.push(vec![
            (VALUE, "0x3".into()),
            (NAME, "B".into()),
            (KIND, "hresult".into()),
            (MUTE, "more".into()),
        ]);
        let plain = anstream::adapter::strip_str(&c.render()).to_string();
        let lines: Vec<&str> = plain.lines().collect();
        assert_eq!(
            lines[0],
            "0x1  A            ntstatus (TDI status codes)  text"
        );
        assert_eq!(lines[1], "0x2  LONGER_NAME  win32");
        assert_eq!(
            lines[2],
            "0x3  B            hresult                      more"
        );
    }

    #[test]
    fn a_column_empty_in_every_row_takes_no_room() {
        let mut c = Columns::default();
        c.push(vec![
            (VALUE, "0x1".into()),
            (MUTE, String::new()),
            (NAME, "A".into()),
        ]);
        c.push(vec![
            (VALUE, "0x22".into()),
            (MUTE, String::new()),
            (NAME, "B".into()),
        ]);
        let plain = anstream::adapter::strip_str(&c.render()).to_string();
        assert_eq!(plain, "0x1   A\n0x22  B\n");
    }
}
