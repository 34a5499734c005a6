//! The test-vector table: every rule of the renderer, each vector with its source.
//!
//! Sources:
//! - `doc:FM-remarks` / `doc:FM-flags` / `doc:FM-example`: Microsoft's FormatMessage
//!   documentation (learn.microsoft.com, winbase.h FormatMessage: Remarks escape table,
//!   the dwFlags low-order-byte table, the argument-array example).
//! - `doc:CStringT`: Microsoft's CStringT::FormatMessage example (same engine).
//! - `doc:printf-flags`: Microsoft's printf "Flag Directives" / precision documentation,
//!   which FormatMessage's `!spec!` follows.
//! - `doc:MS-EVEN`: [MS-EVEN] 3.2.4.1.5 (event description insertion codes).
//! - `obs:wine <test>`: Windows' observed output, as the expected strings of Wine's
//!   conformance tests (dlls/kernel32/tests/format_msg.c, which pass on Windows).
//! - `decision: ...`: the documentation is silent; the crate docs explain the choice.

use werr_format::{format, Arg, EventLog, FormatErrorKind, Options, Width};

use Arg::{Char as C, Str as S, I32, I64, U32, U64};

/// What a vector expects.
enum Want {
    /// This exact text.
    Text(&'static str),
    /// An error at this byte offset, of this kind.
    Err(usize, &'static str),
}
use Want::{Err as E, Text as T};

struct V {
    src: &'static str,
    text: &'static str,
    args: &'static [Arg<'static>],
    /// The flags' low-order byte: 0, 0xFF or a column count.
    width: u8,
    ignore: bool,
    /// Render with the test event-log resolvers.
    event: bool,
    want: Want,
}

const fn v(src: &'static str, text: &'static str, args: &'static [Arg<'static>], want: Want) -> V {
    V {
        src,
        text,
        args,
        width: 0,
        ignore: false,
        event: false,
        want,
    }
}

const fn w(src: &'static str, width: u8, text: &'static str, want: Want) -> V {
    V {
        src,
        text,
        args: &[],
        width,
        ignore: false,
        event: false,
        want,
    }
}

const fn ig(src: &'static str, width: u8, text: &'static str, want: Want) -> V {
    V {
        src,
        text,
        args: &[],
        width,
        ignore: true,
        event: false,
        want,
    }
}

const fn ev(src: &'static str, text: &'static str, args: &'static [Arg<'static>], want: Want) -> V {
    V {
        src,
        text,
        args,
        width: 0,
        ignore: false,
        event: true,
        want,
    }
}

const MAX: u8 = 0xFF;

const LONG_IN: &str = concat!(
    "first line%n",
    "123456789 123456789 123456789 123456789 123456789 123456789 123456789 123456789 ",
    "123456789 123456789 123456789 123456789 123456789 123456789 123456789 123456789 ",
    "123456789 123456789 123456789 123456789 123456789 123456789 123456789 123456789 ",
    "123456789 123456789 "
);
const LONG_OUT: &str = concat!(
    "first line\r\n",
    "123456789 123456789 123456789 123456789 123456789 123456789 123456789 123456789 ",
    "123456789 123456789 123456789 123456789 123456789 123456789 123456789 123456789 ",
    "123456789 123456789 123456789 123456789 123456789 123456789 123456789 123456789 ",
    "123456789 123456789 "
);

const TEN: &[Arg<'static>] = &[
    S("a"),
    S("b"),
    S("c"),
    S("d"),
    S("e"),
    S("f"),
    S("g"),
    S("h"),
    S("i"),
    S("j"),
];

#[rustfmt::skip]
const VECTORS: &[V] = &[
    // ---- documentation examples and the escape table ----
    v("doc:FM-remarks \"%1 %2 %1\" with Bill, Bob", "%1 %2 %1", &[S("Bill"), S("Bob")], T("Bill Bob Bill")),
    v("doc:FM-example argument array, width and precision", "%1!*.*s! %4 %5!*s!", &[I32(4), I32(2), S("Bill"), S("Bob"), I32(6), S("Bill")], T("  Bi Bob   Bill")),
    v("doc:CStringT example", "%1!d! of %2!d! writers agree: Soccer is %3%!", &[I32(4), I32(5), S("Best")], T("4 of 5 writers agree: Soccer is Best!")),
    v("doc:FM-remarks %% is a single percent sign", "100%%", &[], T("100%")),
    v("doc:FM-remarks %space is a single space (trailing spaces)", "end% % ", &[], T("end  ")),
    v("doc:FM-remarks %. is a single period", "%.", &[], T(".")),
    v("doc:FM-remarks %! after an insert is not a format string", "%1%!", &[S("Hi")], T("Hi!")),
    v("doc:FM-remarks %n is a hard line break", "a%nb", &[], T("a\r\nb")),
    v("doc:FM-remarks %r is a carriage return without newline", "a%rb", &[], T("a\rb")),
    v("doc:FM-remarks %t is a tab", "a%tb", &[], T("a\tb")),
    v("doc:FM-remarks %0 ends the text without a newline (prompts)", "Continue? %0ignored", &[], T("Continue? ")),
    v("doc:FM-remarks the format string defaults to !s!", "<%1>", &[S("x")], T("<x>")),
    v("doc:FM-remarks insert numbers up to 99 (two digits)", "%10", TEN, T("j")),
    v("doc:FM-remarks any other nondigit character after % is itself", "%z%-%,", &[], T("z-,")),
    v("doc:FM-remarks floating point conversions are not supported", "%1!f!", &[I32(1)], E(0, "UnsupportedConversion")),
    v("doc:FM-remarks floating point e is not supported", "x %1!e!", &[I32(1)], E(2, "UnsupportedConversion")),
    v("doc:FM-remarks I64 prefix formats 64-bit integers", "%1!I64d!", &[I64(-9_000_000_000)], T("-9000000000")),
    v("doc:FM-remarks I64 unsigned maximum", "%1!I64u!", &[U64(u64::MAX)], T("18446744073709551615")),
    v("doc:FM-remarks repeated insert with * reads the argument after the highest (\"address 6\")", "%1!*.*s! %4 %1!*s!", &[I32(4), I32(2), S("Bill"), S("Bob"), S("six")], T("  Bi Bob  six")),
    v("doc:FM-remarks each insert must have an argument (missing is an error)", "%1 %2", &[S("only")], E(3, "MissingArgument")),
    v("doc:FM-remarks width via * for integers", "%1!*u!", &[I32(5), I32(42)], T("   42")),
    // ---- printf flags and precision (Microsoft printf documentation) ----
    v("doc:printf-flags - left-aligns", "%1!-5s!|", &[S("ab")], T("ab   |")),
    v("doc:printf-flags + prefixes the sign", "%1!+d!", &[I32(5)], T("+5")),
    v("doc:printf-flags + with a negative value", "%1!+d!", &[I32(-5)], T("-5")),
    v("doc:printf-flags blank prefixes a blank to positive values", "%1! d!", &[I32(5)], T(" 5")),
    v("doc:printf-flags blank is ignored when + is present", "%1!+ d!", &[I32(5)], T("+5")),
    v("doc:printf-flags # with x prefixes 0x", "%1!#x!", &[I32(255)], T("0xff")),
    v("doc:printf-flags # with X prefixes 0X", "%1!#X!", &[I32(255)], T("0XFF")),
    v("doc:printf-flags # with o prefixes 0", "%1!#o!", &[I32(8)], T("010")),
    v("doc:printf-flags # prefixes only nonzero values", "%1!#x!", &[I32(0)], T("0")),
    v("doc:printf-flags # is ignored with d", "%1!#d!", &[I32(7)], T("7")),
    v("doc:printf-flags 0 pads with zeros to the width, after the sign", "%1!05d!", &[I32(-42)], T("-0042")),
    v("doc:printf-flags 0 and - together: 0 is ignored", "%1!-05d!|", &[I32(42)], T("42   |")),
    v("doc:printf-flags 0 with an integer precision is ignored", "%1!05.3d!", &[I32(7)], T("  007")),
    v("doc:printf-flags 0 pads after the 0x prefix", "%1!#06x!", &[I32(255)], T("0x00ff")),
    v("doc:printf-flags 0 is not limited to integers (zeros for strings)", "%1!05s!", &[S("ab")], T("000ab")),
    v("doc:printf-flags precision is the maximum characters of a string", "%1!.3s!", &[S("abcdef")], T("abc")),
    v("doc:printf-flags precision is the minimum digits of an integer", "%1!.5x!", &[I32(255)], T("000ff")),
    v("doc:printf-flags precision 0 with value 0 prints no digits", "[%1!.0d!]", &[I32(0)], T("[]")),
    v("doc:printf-flags o is unsigned octal", "%1!o!", &[I32(8)], T("10")),
    v("doc:printf-flags i is signed decimal", "%1!i!", &[I32(-3)], T("-3")),
    v("doc:printf-flags width never truncates", "%1!2d!", &[I32(12345)], T("12345")),
    // ---- observed Windows output (Wine's conformance tests) ----
    v("obs:wine test_message_from_string the basics", "test", &[], T("test")),
    v("obs:wine format placeholder with no specifier", "%", &[], E(0, "TrailingPercent")),
    v("obs:wine test string with format placeholder with no specifier", "test%", &[], E(4, "TrailingPercent")),
    v("obs:wine insertion with no variadic arguments", "%1", &[], E(0, "MissingArgument")),
    v("obs:wine using the format feature", "%1!s!", &[S("test")], T("test")),
    v("obs:wine no format", "%1", &[S("test")], T("test")),
    v("obs:wine two pieces", "%1%2", &[S("te"), S("st")], T("test")),
    v("obs:wine three pieces", "%1%3%2%1", &[S("t"), S("s"), S("e")], T("test")),
    v("obs:wine ls is unicode", "%1!ls!", &[S("test")], T("test")),
    v("obs:wine S is the other width", "%1!S!", &[S("test")], T("test")),
    v("obs:wine ws is unicode", "%1!ws!", &[S("test")], T("test")),
    v("obs:wine as characters", "%1!c!%2!c!%3!c!%1!c!", &[C('t'), C('e'), C('s')], T("test")),
    v("obs:wine lc is unicode", "%1!lc!%2!lc!%3!lc!%1!lc!", &[C('t'), C('e'), C('s')], T("test")),
    v("obs:wine wc is unicode", "%1!wc!%2!wc!%3!wc!%1!wc!", &[C('t'), C('e'), C('s')], T("test")),
    v("obs:wine C is unicode", "%1!C!%2!C!%3!C!%1!C!", &[C('t'), C('e'), C('s')], T("test")),
    v("obs:wine some numbers", "%1!d!%2!d!%3!d!", &[I32(1), I32(2), I32(3)], T("123")),
    v("obs:wine a single digit with some spacing", "%1!4d!", &[I32(1)], T("   1")),
    v("obs:wine a single digit, left justified", "%1!-4d!", &[I32(1)], T("1   ")),
    v("obs:wine two digit decimal number", "%1!4d!", &[I32(11)], T("  11")),
    v("obs:wine a hex number", "%1!4x!", &[I32(11)], T("   b")),
    v("obs:wine a hex number, upper case", "%1!4X!", &[I32(11)], T("   B")),
    v("obs:wine a hex number, upper case, left justified", "%1!-4X!", &[I32(11)], T("B   ")),
    v("obs:wine a long hex number, upper case", "%1!4X!", &[I32(0x1ab)], T(" 1AB")),
    v("obs:wine two percent", " %%%% ", &[], T(" %% ")),
    v("obs:wine periods are special cases", " %.%.  %1!d!", &[I32(0x1ab)], T(" ..  427")),
    v("obs:wine %0 ends the line", "test%0test", &[], T("test")),
    v("obs:wine %! prints an exclamation", "yah%!%0   ", &[], T("yah!")),
    v("obs:wine %space", "% %   ", &[], T("    ")),
    v("obs:wine %n yields CRLF, %r CR, %t tab", "%n%r%t", &[], T("\r\n\r\t")),
    v("obs:wine line feed becomes CRLF", "hi\n", &[], T("hi\r\n")),
    v("obs:wine carriage return line feed stays CRLF", "hi\r\n", &[], T("hi\r\n")),
    v("obs:wine carriage return becomes CRLF", "\r", &[], T("\r\n")),
    v("obs:wine double carriage return line feed", "\r\r\n", &[], T("\r\n\r\n")),
    v("obs:wine precision and width: %1!3s!", "%1!3s!", &[S("t")], T("  t")),
    v("obs:wine width from *", "%1!*s!", &[I32(4), S("t")], T("   t")),
    v("obs:wine width and precision of an unsigned", "%1!4.2u!", &[I32(3)], T("  03")),
    v("obs:wine * width and * precision", "%1!*.*u!", &[I32(5), I32(3), I32(1)], T("  001")),
    v("obs:wine argument array: repeated %1 with stars reads 1, then 4-5", "%1!*.*u!,%1!*.*u!", &[U32(6), U32(4), U32(2), U32(5), U32(3), U32(1)], T("  0002, 00003")),
    v("obs:wine argument array: %4 with stars reads 4-5-6", "%1!*.*u!,%4!*.*u!", &[U32(6), U32(4), U32(2), U32(5), U32(3), U32(1)], T("  0002,  001")),
    w("obs:wine MAX_WIDTH_MASK line feed becomes a space", MAX, "hi\n", T("hi ")),
    w("obs:wine MAX_WIDTH_MASK CRLF becomes a space", MAX, "hi\r\n", T("hi ")),
    w("obs:wine MAX_WIDTH_MASK carriage return becomes a space", MAX, "\r", T(" ")),
    w("obs:wine MAX_WIDTH_MASK CR CRLF becomes two spaces", MAX, "\r\r\n", T("  ")),
    w("obs:wine MAX_WIDTH_MASK is an infinite line width", MAX, LONG_IN, T(LONG_OUT)),
    ig("obs:wine IGNORE_INSERTS plain text", 0, "test", T("test")),
    ig("obs:wine IGNORE_INSERTS %0 is handled", 0, "test%0", T("test")),
    ig("obs:wine IGNORE_INSERTS %0 in the middle", 0, "test%0test", T("test")),
    ig("obs:wine IGNORE_INSERTS %0 first gives nothing", 0, "%0test", T("")),
    ig("obs:wine IGNORE_INSERTS insert sequences are ignored", 0, "test%1%2!*.*s!%99", T("test%1%2!*.*s!%99")),
    ig("obs:wine IGNORE_INSERTS only %n %r %t are processed", 0, "%%% %.%!", T("%%% %.%!")),
    ig("obs:wine IGNORE_INSERTS %n %r %t", 0, "%n%r%t", T("\r\n\r\t")),
    ig("obs:wine IGNORE_INSERTS line feed processed normally", 0, "hi\n", T("hi\r\n")),
    ig("obs:wine IGNORE_INSERTS CRLF processed normally", 0, "hi\r\n", T("hi\r\n")),
    ig("obs:wine IGNORE_INSERTS CR processed normally", 0, "\r", T("\r\n")),
    ig("obs:wine IGNORE_INSERTS CR CRLF processed normally", 0, "\r\r\n", T("\r\n\r\n")),
    ig("obs:wine IGNORE_INSERTS width handled the same: LF", MAX, "hi\n", T("hi ")),
    ig("obs:wine IGNORE_INSERTS width handled the same: CRLF", MAX, "hi\r\n", T("hi ")),
    ig("obs:wine IGNORE_INSERTS width handled the same: CR", MAX, "\r", T(" ")),
    ig("obs:wine IGNORE_INSERTS width handled the same: CR CRLF", MAX, "\r\r\n", T("  ")),
    w("obs:wine test_message_wrap no need for wrapping", 20, "short long line", T("short long line")),
    w("obs:wine wrap the last word", 11, "short long line", T("short long\r\nline")),
    w("obs:wine wrap the very last word", 20, "short long long line", T("short long long\r\nline")),
    w("obs:wine strictly less than 10 characters per line", 10, "short long line", T("short\r\nlong line")),
    w("obs:wine handling of duplicate spaces", 16, "short long    line", T("short long\r\nline")),
    w("obs:wine duplicate spaces then a word longer than a line", 16, "short long    wordlongerthanaline", T("short long\r\nwordlongerthanal\r\nine")),
    w("obs:wine breaking in the middle of spaces", 12, "short long    line", T("short long\r\n  line")),
    w("obs:wine breaking in spaces then a long word", 12, "short long    wordlongerthanaline", T("short long\r\n\r\nwordlongerth\r\nanaline")),
    w("obs:wine start-of-string spaces kept", 15, "   short line", T("   short line")),
    w("obs:wine start-of-string spaces become a break", 11, "   shortlong line", T("\r\nshortlong\r\nline")),
    w("obs:wine start-of-line spaces after %n", 11, "l1%n   shortlong line", T("l1\r\n\r\nshortlong\r\nline")),
    w("obs:wine pure space wrapping", 5, "                ", T("\r\n\r\n\r\n ")),
    w("obs:wine trailing spaces", 5, "l1               ", T("l1\r\n\r\n\r\n  ")),
    w("obs:wine word that just fills the line", 8, "shortlon", T("shortlon\r\n")),
    w("obs:wine word longer than the line is split", 8, "shortlongline", T("shortlon\r\ngline")),
    w("obs:wine wrap the line multiple times", 7, "short long line", T("short\r\nlong\r\nline")),
    w("obs:wine LF in the source is ignored (a space)", 11, "short\nlong line", T("short long\r\nline")),
    w("obs:wine wrap even before a %n", 8, "shortlon%n", T("shortlon\r\n\r\n")),
    w("obs:wine %n starts a new line: no wrap needed", 10, "short%nlong line", T("short\r\nlong line")),
    w("obs:wine %n combines with wrapping", 8, "short%nlong line", T("short\r\nlong\r\nline")),
    w("obs:wine %r starts a new line too", 10, "short%rlong line", T("short\rlong line")),
    w("obs:wine %r combines with wrapping", 8, "short%rlong line", T("short\rlong\r\nline")),
    ig("obs:wine IGNORE_INSERTS does not prevent wrapping or %n", 8, "short%nlong line%1", T("short\r\nlong\r\nline%1")),
    w("obs:wine tab is not a break point", 11, "short long\tline", T("short\r\nlong\tline")),
    w("obs:wine hyphen is not a break point", 11, "short long-line", T("short\r\nlong-line")),
    w("obs:wine underscore is not a break point", 11, "short long_line", T("short\r\nlong_line")),
    w("obs:wine period is not a break point", 11, "short long.line", T("short\r\nlong.line")),
    w("obs:wine comma is not a break point", 11, "short long,line", T("short\r\nlong,line")),
    w("obs:wine exclamation mark is not a break point", 11, "short long!line", T("short\r\nlong!line")),
    w("obs:wine question mark is not a break point", 11, "short long?line", T("short\r\nlong?line")),
    // ---- decisions where the documentation is silent ----
    v("decision: at most two digits are read (%100 is %10 then 0)", "%100", TEN, T("j0")),
    v("decision: %01 is %0 (end) before a digit", "a%01", &[S("x")], T("a")),
    v("decision: empty text renders as empty (Windows: ERROR_NO_WORK_DONE)", "", &[], T("")),
    v("decision: unterminated !spec! is an error naming the insert", "ab %1!s", &[S("x")], E(3, "UnterminatedSpec")),
    v("decision: empty !! spec is an error", "%1!!", &[S("x")], E(0, "BadSpec")),
    v("decision: text after the conversion is an error", "%1!sx!", &[S("x")], E(0, "BadSpec")),
    v("decision: unknown conversion letter is unsupported", "%1!q!", &[S("x")], E(0, "UnsupportedConversion")),
    ig("decision: IGNORE_INSERTS keeps an unterminated spec as text", 0, "%1!s", T("%1!s")),
    v("decision: a specification does not span lines", "%1!s\n!", &[S("x")], E(0, "UnterminatedSpec")),
    ig("decision: IGNORE_INSERTS with a spec cut by a line break keeps %N, breaks the line", 0, "%1!s\n!", T("%1!s\r\n!")),
    v("decision: a string that spells an integer serves !d!", "%1!d!", &[S("-42")], T("-42")),
    v("decision: a 0x string serves !x!", "%1!x!", &[S("0x2A")], T("2a")),
    v("decision: a string that is not an integer fails !d!", "%1!d!", &[S("abc")], E(0, "ArgumentType")),
    v("decision: a number for !s! is an error (Windows reads a pointer)", "%1!s!", &[I32(5)], E(0, "ArgumentType")),
    v("decision: x without a size prints 32 bits", "%1!x!", &[I32(-1)], T("ffffffff")),
    v("decision: I64x sign-extends a negative 32-bit argument", "%1!I64x!", &[I32(-1)], T("ffffffffffffffff")),
    v("decision: ll is 64-bit like I64", "%1!llX!", &[U64(0x1234_5678_9ABC)], T("123456789ABC")),
    v("decision: I (pointer size) is 64-bit", "%1!Ix!", &[U64(0x1_0000_0000)], T("100000000")),
    v("decision: I32 is 32-bit", "%1!I32u!", &[U64(0x1_0000_0005)], T("5")),
    v("decision: h truncates to 16 bits, signed", "%1!hd!", &[U32(0xFFFF)], T("-1")),
    v("decision: h truncates to 16 bits, unsigned", "%1!hu!", &[U32(0x12345)], T("9029")),
    v("decision: u of a negative 32-bit value", "%1!u!", &[I32(-1)], T("4294967295")),
    v("decision: d of an unsigned value above i32::MAX", "%1!d!", &[U32(0x8000_1083)], T("-2147479421")),
    v("decision: 64-bit argument truncated to 32 bits without a size", "%1!u!", &[U64(0x1_0000_0007)], T("7")),
    v("decision: c of a code point", "%1!c!", &[U32(65)], T("A")),
    v("decision: c of a one-character string", "%1!c!", &[S("é")], T("é")),
    v("decision: c of a longer string is an error", "%1!c!", &[S("ab")], E(0, "ArgumentType")),
    v("decision: c with a width", "%1!3c!", &[C('x')], T("  x")),
    v("decision: d of a character reads its code point", "%1!d!", &[C('A')], T("65")),
    v("decision: negative * width left-justifies", "%1!*s!|", &[I32(-4), S("ab")], T("ab  |")),
    v("decision: negative * precision is ignored", "%1!.*s!", &[I32(-1), S("abc")], T("abc")),
    v("decision: precision 0 prints an empty string", "[%1!.0s!]", &[S("abc")], T("[]")),
    v("decision: width above 32767 is an error", "%1!99999s!", &[S("a")], E(0, "FieldTooWide")),
    v("decision: * width above 32767 is an error", "%1!*s!", &[I32(100_000), S("a")], E(0, "FieldTooWide")),
    v("decision: * consumes an argument; missing value is an error", "%1!*s!", &[I32(4)], E(0, "MissingArgument")),
    v("decision: * from a non-integer is an error", "%1!*s!", &[S("wide"), S("a")], E(0, "ArgumentType")),
    v("decision: lone % after text is an error at its offset", "50% done%", &[], E(8, "TrailingPercent")),
    v("decision: % before a multi-byte character keeps the character", "%é", &[], T("é")),
    v("decision: % before a line break drops the % and keeps the break", "a%\nb", &[], T("a\r\nb")),
    v("decision: width counts characters, not bytes", "%1!4s!", &[S("é")], T("   é")),
    v("decision: precision counts characters, not bytes", "%1!.2s!", &[S("ééé")], T("éé")),
    v("decision: line breaks inside an insert are copied as they are", "%1", &[S("a\nb")], T("a\nb")),
    v("decision: plain text with non-ASCII passes through", "Größe: 5 %%", &[], T("Größe: 5 %")),
    V { src: "decision: inserted text wraps like message text", text: "%1", args: &[S("aaa bbb ccc")], width: 8, ignore: false, event: false, want: T("aaa bbb\r\nccc") },
    V { src: "decision: wrapping counts characters, not bytes", text: "ééé ééé", args: &[], width: 5, ignore: false, event: false, want: T("ééé\r\nééé") },
    V { src: "decision: a line break inside an insert restarts the column", text: "%1 cc", args: &[S("aaaa\nbbbb")], width: 6, ignore: false, event: false, want: T("aaaa\nbbbb\r\ncc") },
    V { src: "decision: %t counts as one column when wrapping", text: "ab%tcd ef", args: &[], width: 6, ignore: false, event: false, want: T("ab\tcd\r\nef") },
    V { src: "decision: %space is an ordinary (breakable) space when wrapping", text: "abc% def", args: &[], width: 5, ignore: false, event: false, want: T("abc\r\ndef") },
    V { src: "doc:FM-flags MAX_WIDTH_MASK ignores regular line breaks, stores %n", text: "a\r\nb%nc", args: &[], width: MAX, ignore: false, event: false, want: T("a b\r\nc") },
    // ---- event-log conventions ----
    ev("doc:MS-EVEN %%n in the description is parameter string n", "Logon: %%1833", &[], T("Logon: Yes")),
    ev("doc:MS-EVEN %%n inside an insertion string is expanded", "Elevated: %1.", &[S("%%1833")], T("Elevated: Yes.")),
    ev("doc:MS-EVEN a failed parameter replacement quotes the code verbatim", "x %%4242 y", &[], T("x %%4242 y")),
    ev("doc:MS-EVEN replacement is recursive", "%%5", &[], T("six")),
    ev("doc:MS-EVEN the number of substitutions is capped (self reference stays)", "%%7", &[], T("%%7")),
    ev("doc:MS-EVEN %{S...} is a security identifier", "Account: %1", &[S("%{S-1-5-18}")], T("Account: NT AUTHORITY\\SYSTEM")),
    ev("doc:MS-EVEN %{...} is a GUID", "Provider %{54849625-5478-4994-A5BA-3E3B0328C30D}", &[], T("Provider Microsoft-Windows-Security-Auditing")),
    ev("doc:MS-EVEN an unknown SID stays verbatim", "%1", &[S("%{S-1-5-21-1-2-3-500}")], T("%{S-1-5-21-1-2-3-500}")),
    ev("decision: parameter text is rendered with IGNORE_INSERTS (%1 stays)", "%%10", &[], T("%1 stays")),
    ev("decision: parameter text loses its trailing line breaks", "[%%1834]", &[], T("[No]")),
    ev("decision: %{ without a closing brace is the plain escape", "a%{b", &[], T("a{b")),
    v("decision: without the event-log extension %%1833 is %% then 1833", "Logon: %%1833", &[], T("Logon: %1833")),
];

fn parameter(id: u32) -> Option<String> {
    match id {
        1833 => Some("Yes\r\n".into()),
        1834 => Some("No\r\n\r\n".into()),
        5 => Some("%%6".into()),
        6 => Some("six%0 ignored".into()),
        7 => Some("%%7".into()),
        10 => Some("%1 stays\r\n".into()),
        _ => None,
    }
}

fn name(body: &str) -> Option<String> {
    match body {
        "S-1-5-18" => Some("NT AUTHORITY\\SYSTEM".into()),
        "54849625-5478-4994-A5BA-3E3B0328C30D" => {
            Some("Microsoft-Windows-Security-Auditing".into())
        }
        _ => None,
    }
}

fn kind_name(k: &FormatErrorKind) -> &'static str {
    match k {
        FormatErrorKind::TrailingPercent => "TrailingPercent",
        FormatErrorKind::MissingArgument { .. } => "MissingArgument",
        FormatErrorKind::UnterminatedSpec { .. } => "UnterminatedSpec",
        FormatErrorKind::BadSpec { .. } => "BadSpec",
        FormatErrorKind::UnsupportedConversion { .. } => "UnsupportedConversion",
        FormatErrorKind::ArgumentType { .. } => "ArgumentType",
        FormatErrorKind::FieldTooWide { .. } => "FieldTooWide",
        FormatErrorKind::TooLong { .. } => "TooLong",
    }
}

fn run(vec: &V) -> Result<String, werr_format::FormatError> {
    let param: &dyn Fn(u32) -> Option<String> = &parameter;
    let names: &dyn Fn(&str) -> Option<String> = &name;
    let options = Options {
        width: Width::from_flags(vec.width),
        ignore_inserts: vec.ignore,
        event_log: vec.event.then_some(EventLog {
            parameter: Some(param),
            name: Some(names),
            max_depth: 8,
        }),
        ..Options::default()
    };
    format(vec.text, vec.args, &options)
}

#[test]
fn every_vector_renders_as_its_source_says() {
    let mut failures = Vec::new();
    for vec in VECTORS {
        let got = run(vec);
        let ok = match (&vec.want, &got) {
            (Want::Text(t), Ok(s)) => s == t,
            (Want::Err(offset, kind), Err(e)) => e.offset == *offset && kind_name(&e.kind) == *kind,
            _ => false,
        };
        if !ok {
            let want = match &vec.want {
                Want::Text(t) => format!("{t:?}"),
                Want::Err(o, k) => format!("error {k} at byte {o}"),
            };
            failures.push(format!(
                "[{}] {:?} (width {}, ignore {}): want {want}, got {got:?}",
                vec.src, vec.text, vec.width, vec.ignore
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} vectors fail:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn table_has_at_least_100_vectors_each_with_a_source() {
    assert!(VECTORS.len() >= 100, "only {} vectors", VECTORS.len());
    for vec in VECTORS {
        assert!(
            ["doc:", "obs:", "decision:"]
                .iter()
                .any(|p| vec.src.starts_with(p)),
            "vector {:?} names no source kind: {}",
            vec.text,
            vec.src
        );
    }
}

#[test]
fn insert_99_reads_the_99th_argument() {
    let owned: Vec<String> = (1..=99).map(|i| format!("a{i}")).collect();
    let args: Vec<Arg> = owned.iter().map(|s| Arg::Str(s)).collect();
    let got = format("%99|%1", &args, &Options::default()).unwrap();
    assert_eq!(got, "a99|a1");
}

#[test]
fn error_message_names_the_insert_and_its_byte_position() {
    let err = format("abc %2!d! def", &[Arg::I32(1)], &Options::default()).unwrap_err();
    assert_eq!(err.insert(), Some(2));
    assert_eq!(err.offset, 4);
    let text = err.to_string();
    assert!(text.contains("%2") && text.contains("byte 4"), "{text}");
}
