//! What the scanner finds in one header. This model is shared with `crates/kb`: fields may
//! be added, but not renamed or removed without changing the KB's importer in the same commit.

/// Everything found in one header file.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct HeaderFile {
    /// The path as given to the scanner (relative to the tree being imported, `/`-separated).
    pub path: String,
    /// The header's own description of the codes it defines, from its preamble comment
    /// (e.g. "Lanman Server Events (2000 - 2999) ..."), verbatim without comment markers.
    pub preamble: Option<String>,
    /// Every `#define` of an integer-like value and every member of an `enum` block, in
    /// file order; a name defined twice appears twice.
    pub definitions: Vec<Definition>,
    /// The comment headings definitions sit under, in file order.
    pub groups: Vec<Group>,
    /// Lines the scanner could not make sense of (kept going past them).
    pub diagnostics: Vec<Diagnostic>,
    /// The function-like macros the file defines (`#define MAKE_DDHRESULT(code) ...`), so
    /// that definitions in other files that call them can be evaluated
    /// ([`crate::resolve_across`]).
    pub macros: Vec<FunctionMacro>,
}

/// A function-like `#define NAME(params) body`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FunctionMacro {
    /// The macro name.
    pub name: String,
    /// The parameter names, in order.
    pub params: Vec<String>,
    /// The replacement text, comments removed and continuations joined.
    pub body: String,
    /// 1-based line of the `#define`.
    pub line: u32,
}

/// One `#define NAME VALUE`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Definition {
    /// The macro name.
    pub name: String,
    /// The evaluated 32-bit value; `None` when the expression could not be evaluated (never guessed).
    pub value: Option<u32>,
    /// The replacement text as written (`0x80001083L`, `_HRESULT_TYPEDEF_(0x80004005L)`),
    /// comments removed and continuations joined.
    pub expression: String,
    /// The name this define stands for when its expression is just another name
    /// (`#define NOERROR S_OK`, `#define A (B)`), whether or not that name is defined in this
    /// file. Lets the KB link aliases across files ([`crate::resolve_across`]).
    pub alias_of: Option<String>,
    /// Why `value` is `None` (e.g. "`NERR_BASE` is not defined in this file"); `None` when
    /// the value was evaluated.
    pub unevaluated_reason: Option<String>,
    /// The C type the value carries (`DWORD`, `HRESULT`, `NTSTATUS`, `LONG`, `int`...):
    /// the outermost cast or typing macro, else the C type of the literal or arithmetic
    /// (Windows LLP64: `long` is 32 bits). Empty when not known (unevaluated).
    pub c_type: String,
    /// 1-based line of the `#define`.
    pub line: u32,
    /// The whole `#define` line as written (continuations joined), without the line end.
    pub definition: String,
    /// The comment block right before the define, verbatim text without `//` markers
    /// (the mc-generated `MessageId: X / MessageText: ...` block), if any.
    pub line_comments: Option<String>,
    /// The message text extracted from `line_comments` (after `MessageText:`), if any.
    pub message_text: Option<String>,
    /// Index into [`HeaderFile::groups`] of the group this define sits under.
    pub group: Option<usize>,
    /// The category ("type"): from the header's preamble when it has one, else from the
    /// header and the prefix (Win32 error, HRESULT, NTSTATUS, event message...).
    pub category: String,
    /// For a member of an `enum` block rather than a `#define`: the 1-based line of the
    /// block's `enum` keyword, which tells the blocks of a file apart. Such a definition's
    /// `c_type` is the enum's name (`WBEMSTATUS`; `enum` when it has none), its
    /// `definition` the member as written (`WBEM_E_FAILED = 0x80041001`) and its
    /// `expression` the initializer (empty when the member takes the previous value + 1).
    pub enum_line: Option<u32>,
}

/// A heading-like comment block and the definitions under it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    /// The heading text, verbatim without comment markers (e.g. "TCP messages").
    pub title: String,
    /// 1-based line where the heading starts.
    pub line: u32,
    /// Smallest code (low 16 bits) of the group's members, if any has a value.
    pub first: Option<u32>,
    /// Largest code (low 16 bits) of the group's members.
    pub last: Option<u32>,
}

/// A line the scanner skipped, with why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// 1-based line.
    pub line: u32,
    /// 1-based column.
    pub column: u32,
    /// What was found and what was expected.
    pub message: String,
}
