//! Properties that hold for every input.

use proptest::prelude::*;
use werr_format::{format, Arg, EventLog, Options, Width};

/// Message-like text: letters, spaces, line breaks, and every character that means something
/// after a `%` (digits, `!`, `*`, flags, conversions).
fn message_text() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            4 => proptest::char::range('a', 'z').prop_map(String::from),
            2 => Just(" ".to_string()),
            3 => Just("%".to_string()),
            2 => proptest::char::range('0', '9').prop_map(String::from),
            2 => Just("!".to_string()),
            1 => prop::sample::select(vec!["*", ".", "-", "+", "#", "\r", "\n", "\r\n", "\t",
                "n", "r", "t", "s", "d", "x", "I64", "{", "}", "é", "€"])
                .prop_map(String::from),
            1 => any::<char>().prop_map(String::from),
        ],
        0..60,
    )
    .prop_map(|parts| parts.concat())
}

fn arg_strategy() -> impl Strategy<Value = OwnedArg> {
    prop_oneof![
        "[a-z %!0-9\r\n]{0,12}".prop_map(OwnedArg::Str),
        any::<i32>().prop_map(OwnedArg::I32),
        any::<u32>().prop_map(OwnedArg::U32),
        any::<i64>().prop_map(OwnedArg::I64),
        any::<u64>().prop_map(OwnedArg::U64),
        any::<char>().prop_map(OwnedArg::Char),
    ]
}

#[derive(Debug, Clone)]
enum OwnedArg {
    Str(String),
    I32(i32),
    U32(u32),
    I64(i64),
    U64(u64),
    Char(char),
}

impl OwnedArg {
    fn as_arg(&self) -> Arg<'_> {
        match self {
            OwnedArg::Str(s) => Arg::Str(s),
            OwnedArg::I32(v) => Arg::I32(*v),
            OwnedArg::U32(v) => Arg::U32(*v),
            OwnedArg::I64(v) => Arg::I64(*v),
            OwnedArg::U64(v) => Arg::U64(*v),
            OwnedArg::Char(c) => Arg::Char(*c),
        }
    }
}

fn param(id: u32) -> Option<String> {
    (id % 3 != 0).then(|| format!("p{id} %%{}", id / 2))
}

fn name(body: &str) -> Option<String> {
    (body.len() % 2 == 0).then(|| format!("<{body}>"))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn no_input_panics(
        text in message_text(),
        args in proptest::collection::vec(arg_strategy(), 0..6),
        flags in any::<u8>(),
        ignore in any::<bool>(),
        event in any::<bool>(),
    ) {
        let args: Vec<Arg> = args.iter().map(OwnedArg::as_arg).collect();
        let p: &dyn Fn(u32) -> Option<String> = &param;
        let n: &dyn Fn(&str) -> Option<String> = &name;
        let options = Options {
            width: Width::from_flags(flags),
            ignore_inserts: ignore,
            event_log: event.then_some(EventLog { parameter: Some(p), name: Some(n), max_depth: 4 }),
            ..Options::default()
        };
        if let Err(e) = format(&text, &args, &options) {
            // Every error points into the text, at a `%`.
            prop_assert_eq!(text.as_bytes().get(e.offset), Some(&b'%'));
            prop_assert!(!e.to_string().is_empty());
        }
    }

    #[test]
    fn arbitrary_unicode_never_panics(text in ".{0,80}", flags in any::<u8>(), ignore in any::<bool>()) {
        let options = Options { width: Width::from_flags(flags), ignore_inserts: ignore, ..Options::default() };
        let _ = format(&text, &[Arg::Str("x"), Arg::I32(-1), Arg::Char('c')], &options);
    }

    #[test]
    fn ignore_inserts_without_n_r_t_0_returns_the_input(text in message_text()) {
        // Line breaks would become CRLF; a trailing lone `%` is an error.
        let text: String = text.chars().filter(|c| *c != '\r' && *c != '\n').collect();
        prop_assume!(!["%n", "%r", "%t", "%0"].iter().any(|e| text.contains(e)));
        let options = Options { ignore_inserts: true, ..Options::default() };
        match format(&text, &[], &options) {
            Ok(out) => prop_assert_eq!(out, text),
            Err(e) => {
                // Only a trailing lone `%` (an odd run of `%` at the end) may fail.
                prop_assert_eq!(e.offset + 1, text.len());
            }
        }
    }

    #[test]
    fn wrapping_never_makes_a_line_longer_than_the_width(
        words in proptest::collection::vec("[a-zA-Z]{0,30}", 0..30),
        seps in proptest::collection::vec(prop::sample::select(vec![" ", "  ", "   ", "\n", "%n", " %1 "]), 0..30),
        width in 1u8..=254,
    ) {
        let mut text = String::new();
        for (i, w) in words.iter().enumerate() {
            text.push_str(w);
            if let Some(s) = seps.get(i) { text.push_str(s); }
        }
        let options = Options { width: Width::Columns(width), ..Options::default() };
        let out = format(&text, &[Arg::Str("insert text")], &options).unwrap();
        for line in out.split("\r\n") {
            prop_assert!(line.chars().count() <= usize::from(width),
                "line {:?} longer than {}", line, width);
        }
        // Wrapping only moves spaces and breaks: the non-space characters are all there.
        let visible = |s: &str| s.replace("%n", "").replace("%1", "insert text")
            .chars().filter(|c| !c.is_whitespace()).collect::<String>();
        let kept: String = out.chars().filter(|c| !c.is_whitespace()).collect();
        prop_assert_eq!(kept, visible(&text));
    }

    #[test]
    fn max_width_output_has_no_breaks_but_hard_ones(text in "[a-z \r\n]{0,80}") {
        let options = Options { width: Width::Unlimited, ..Options::default() };
        let out = format(&text, &[], &options).unwrap();
        prop_assert!(!out.contains('\r') && !out.contains('\n'));
        prop_assert_eq!(out.len(), text.replace("\r\n", " ").len());
    }

    #[test]
    fn integers_match_rust_formatting(v in any::<i32>(), w in 0usize..20) {
        let spec = format!("%1!{w}d!|%1!x!|%1!X!|%1!o!|%1!u!|%1!-{w}d!|");
        let out = format(&spec, &[Arg::I32(v)], &Options::default()).unwrap();
        let u = v as u32;
        let expected = format!("{v:>w$}|{u:x}|{u:X}|{u:o}|{u}|{v:<w$}|");
        prop_assert_eq!(out, expected);
    }
}
