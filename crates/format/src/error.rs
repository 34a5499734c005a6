//! Why a message could not be rendered, and where.

use std::fmt;

/// A message that cannot be rendered: what is wrong, and the byte offset of the `%` that
/// starts the offending escape in the message text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormatError {
    /// Byte offset in the message text of the `%` that starts the escape or insert.
    pub offset: usize,
    /// What is wrong.
    pub kind: FormatErrorKind,
}

/// The kinds of [`FormatError`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormatErrorKind {
    /// The text ends with a `%` that starts no escape (FormatMessage fails with
    /// ERROR_INVALID_PARAMETER).
    TrailingPercent,
    /// An insert needs an argument the caller did not give.
    MissingArgument {
        /// The insert number (`%2` is 2).
        insert: u8,
        /// The 1-based argument the insert (or one of its `*`) reads.
        argument: usize,
        /// How many arguments were given.
        given: usize,
    },
    /// `%n!` with no closing `!`.
    UnterminatedSpec {
        /// The insert number.
        insert: u8,
    },
    /// The text between the `!`s is not a format specification FormatMessage accepts.
    BadSpec {
        /// The insert number.
        insert: u8,
        /// The specification as written (between the `!`s).
        spec: String,
        /// What was expected where it went wrong.
        expected: &'static str,
    },
    /// A conversion FormatMessage does not support (`e`, `f`, `g`, `p`, `n`, ...).
    UnsupportedConversion {
        /// The insert number.
        insert: u8,
        /// The conversion character.
        conversion: char,
    },
    /// An argument of the wrong kind for its conversion (a number for `!s!`, a text that is
    /// not an integer for `!d!`).
    ArgumentType {
        /// The insert number.
        insert: u8,
        /// The 1-based argument.
        argument: usize,
        /// What the conversion needs ("a string", "an integer", "a character").
        expected: &'static str,
        /// What was given, shortened for the message.
        found: String,
    },
    /// A width or precision larger than FormatMessage's output can hold.
    FieldTooWide {
        /// The insert number.
        insert: u8,
        /// The width or precision asked for.
        value: u64,
    },
    /// The output would pass [`crate::Options::max_output`] bytes; the offset is where the
    /// text's rendering passed it (an insert's `%`, or the start of a run of text).
    TooLong {
        /// The limit, in bytes.
        limit: usize,
    },
}

impl FormatError {
    pub(crate) fn new(offset: usize, kind: FormatErrorKind) -> FormatError {
        FormatError { offset, kind }
    }

    /// The insert number the error is about, if it is about an insert.
    pub fn insert(&self) -> Option<u8> {
        match &self.kind {
            FormatErrorKind::TrailingPercent | FormatErrorKind::TooLong { .. } => None,
            FormatErrorKind::MissingArgument { insert, .. }
            | FormatErrorKind::UnterminatedSpec { insert }
            | FormatErrorKind::BadSpec { insert, .. }
            | FormatErrorKind::UnsupportedConversion { insert, .. }
            | FormatErrorKind::ArgumentType { insert, .. }
            | FormatErrorKind::FieldTooWide { insert, .. } => Some(*insert),
        }
    }
}

impl fmt::Display for FormatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let at = self.offset;
        match &self.kind {
            FormatErrorKind::TrailingPercent => write!(
                f,
                "lone % at byte {at} ends the text; write %% for a percent sign"
            ),
            FormatErrorKind::MissingArgument {
                insert,
                argument,
                given,
            } => {
                let plural = if *given == 1 { "" } else { "s" };
                if *argument == usize::from(*insert) {
                    write!(
                        f,
                        "insert %{insert} at byte {at} needs argument {argument}, \
                         but {given} argument{plural} given"
                    )
                } else {
                    write!(
                        f,
                        "insert %{insert} at byte {at} needs argument {argument} \
                         (its `*` width/precision take the next arguments), \
                         but {given} argument{plural} given"
                    )
                }
            }
            FormatErrorKind::UnterminatedSpec { insert } => write!(
                f,
                "insert %{insert} at byte {at}: format specification has no closing `!`; \
                 write %! for a literal exclamation point after an insert"
            ),
            FormatErrorKind::BadSpec {
                insert,
                spec,
                expected,
            } => write!(
                f,
                "insert %{insert} at byte {at}: bad format specification !{spec}!: \
                 expected {expected}"
            ),
            FormatErrorKind::UnsupportedConversion { insert, conversion } => write!(
                f,
                "insert %{insert} at byte {at}: conversion `{conversion}` is not supported \
                 by FormatMessage (expected one of s S c C d i u x X o)"
            ),
            FormatErrorKind::ArgumentType {
                insert,
                argument,
                expected,
                found,
            } => write!(
                f,
                "insert %{insert} at byte {at}: argument {argument} must be {expected}, \
                 got {found}"
            ),
            FormatErrorKind::FieldTooWide { insert, value } => write!(
                f,
                "insert %{insert} at byte {at}: width or precision {value} exceeds the \
                 limit of {}",
                crate::spec::MAX_FIELD
            ),
            FormatErrorKind::TooLong { limit } => write!(
                f,
                "at byte {at}: the rendered text would pass {limit} bytes, the most it may \
                 have (FormatMessage's buffer holds 64K bytes)"
            ),
        }
    }
}

impl std::error::Error for FormatError {}
