//! Where rendered text goes: a string, or a byte counter (to size the string exactly), with
//! FormatMessage's line-width rules applied on the way.

use std::ops::Range;

/// A destination for rendered text.
pub(crate) trait Sink {
    /// Bytes written so far.
    fn len(&self) -> usize;
    /// Appends text.
    fn push_str(&mut self, s: &str);
    /// Replaces already-written bytes (a run of spaces) with CRLF.
    fn break_at(&mut self, range: Range<usize>);
}

impl Sink for String {
    fn len(&self) -> usize {
        String::len(self)
    }
    fn push_str(&mut self, s: &str) {
        String::push_str(self, s)
    }
    fn break_at(&mut self, range: Range<usize>) {
        self.replace_range(range, "\r\n")
    }
}

/// Counts the bytes a rendering would produce, so the real one allocates exactly once.
#[derive(Default)]
pub(crate) struct Counter(pub usize);

impl Sink for Counter {
    fn len(&self) -> usize {
        self.0
    }
    fn push_str(&mut self, s: &str) {
        self.0 += s.len()
    }
    fn break_at(&mut self, range: Range<usize>) {
        self.0 = self.0 - range.len() + 2
    }
}

/// The line-width mode of the low-order byte of FormatMessage's flags.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Width {
    /// 0: keep the text's line breaks (CR, LF and CRLF each become CRLF); no wrapping.
    #[default]
    Keep,
    /// FORMAT_MESSAGE_MAX_WIDTH_MASK (0xFF): the text's line breaks become spaces; only
    /// `%n` (and `%r`) break lines; no wrapping.
    Unlimited,
    /// 1..=254: the text's line breaks become spaces and lines wrap at this many
    /// characters, at the last run of spaces (a word longer than a line is split hard).
    Columns(u8),
}

impl Width {
    /// The mode of a flags byte as FormatMessage reads `dwFlags & 0xFF`.
    pub fn from_flags(low_byte: u8) -> Width {
        match low_byte {
            0 => Width::Keep,
            0xFF => Width::Unlimited,
            n => Width::Columns(n),
        }
    }

    /// The flags byte of this mode (the inverse of [`Width::from_flags`]).
    pub fn to_flags(self) -> u8 {
        match self {
            Width::Keep => 0,
            Width::Unlimited => 0xFF,
            Width::Columns(n) => n,
        }
    }
}

/// The last run of spaces in the current line: where a wrap breaks.
#[derive(Clone, Copy)]
struct SpaceRun {
    start: usize,
    end: usize,
    /// The column just after the run.
    end_col: usize,
}

/// A [`Sink`] with FormatMessage's line rules.
pub(crate) struct Lines<'s, S: Sink> {
    pub sink: &'s mut S,
    width: Width,
    /// Characters in the current output line.
    col: usize,
    run: Option<SpaceRun>,
}

impl<'s, S: Sink> Lines<'s, S> {
    pub fn new(sink: &'s mut S, width: Width) -> Self {
        Lines {
            sink,
            width,
            col: 0,
            run: None,
        }
    }

    /// Literal text with no CR or LF in it (from the message or an escape).
    pub fn text(&mut self, s: &str) {
        let Width::Columns(w) = self.width else {
            self.sink.push_str(s);
            return;
        };
        let w = usize::from(w);
        let mut rest = s;
        while let Some(&first) = rest.as_bytes().first() {
            if first == b' ' {
                self.char(' ');
                rest = &rest[1..];
                continue;
            }
            // The longest run of non-space characters that still fits on the line, written
            // at once (the line is never full here: `col < w`).
            let room = w - self.col;
            let window = &rest.as_bytes()[..rest.len().min(room)];
            let (end, taken) = if window.is_ascii() {
                // ASCII: characters are bytes.
                let end = memchr::memchr(b' ', window).unwrap_or(window.len());
                (end, end)
            } else {
                let mut end = rest.len();
                let mut taken = 0;
                for (i, c) in rest.char_indices() {
                    if c == ' ' || taken == room {
                        end = i;
                        break;
                    }
                    taken += 1;
                }
                (end, taken)
            };
            self.sink.push_str(&rest[..end]);
            self.col += taken;
            rest = &rest[end..];
            if self.col >= w {
                self.line_full();
            }
        }
    }

    /// Inserted text, which may hold CR or LF: they are copied as they are and start a new
    /// output line for wrapping.
    pub fn inserted(&mut self, s: &str) {
        let Width::Columns(_) = self.width else {
            self.sink.push_str(s);
            return;
        };
        let mut rest = s;
        while let Some(at) = memchr::memchr2(b'\r', b'\n', rest.as_bytes()) {
            self.text(&rest[..at]);
            self.sink.push_str(&rest[at..at + 1]);
            self.new_line();
            rest = &rest[at + 1..];
        }
        self.text(rest);
    }

    /// `n` copies of one character (padding: a space or a zero).
    pub fn repeat(&mut self, c: char, n: usize) {
        const SPACES: &str = "                                                                ";
        const ZEROS: &str = "0000000000000000000000000000000000000000000000000000000000000000";
        let block = match c {
            ' ' => SPACES,
            '0' => ZEROS,
            _ => {
                let mut buf = [0u8; 4];
                let s: &str = c.encode_utf8(&mut buf);
                for _ in 0..n {
                    self.text(s);
                }
                return;
            }
        };
        let mut left = n;
        while left > 0 {
            let k = left.min(block.len());
            self.text(&block[..k]);
            left -= k;
        }
    }

    fn char(&mut self, c: char) {
        let Width::Columns(w) = self.width else {
            let mut buf = [0u8; 4];
            self.sink.push_str(c.encode_utf8(&mut buf));
            return;
        };
        let before = self.sink.len();
        let mut buf = [0u8; 4];
        self.sink.push_str(c.encode_utf8(&mut buf));
        self.col += 1;
        if c == ' ' {
            match &mut self.run {
                Some(run) if run.end == before => {
                    run.end += 1;
                    run.end_col = self.col;
                }
                _ => {
                    self.run = Some(SpaceRun {
                        start: before,
                        end: before + 1,
                        end_col: self.col,
                    })
                }
            }
        }
        if self.col >= usize::from(w) {
            self.line_full();
        }
    }

    /// The line reached the width: break at its last run of spaces (dropping the run), or
    /// here if the line is one word.
    fn line_full(&mut self) {
        match self.run.take() {
            Some(run) => {
                self.sink.break_at(run.start..run.end);
                self.col -= run.end_col;
            }
            None => {
                self.sink.push_str("\r\n");
                self.col = 0;
            }
        }
    }

    fn new_line(&mut self) {
        self.col = 0;
        self.run = None;
    }

    /// A line break of the message text (CR, LF or CRLF).
    pub fn source_break(&mut self) {
        match self.width {
            Width::Keep => {
                self.sink.push_str("\r\n");
                self.new_line();
            }
            Width::Unlimited | Width::Columns(_) => self.char(' '),
        }
    }

    /// `%n`: a hard line break.
    pub fn hard_break(&mut self) {
        self.sink.push_str("\r\n");
        self.new_line();
    }

    /// `%r`: a carriage return alone.
    pub fn carriage_return(&mut self) {
        self.sink.push_str("\r");
        self.new_line();
    }
}
