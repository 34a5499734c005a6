//! Fuzzes `werr_format::format`: any text, flags and arguments must render or fail with an
//! error that points at a `%`, and wrapped output must respect the width.
#![no_main]

use libfuzzer_sys::fuzz_target;
use werr_format::{format, Arg, EventLog, Options, Width};

fn parameter(id: u32) -> Option<String> {
    // Self- and mutually-referencing parameters exercise the depth and substitution caps.
    (id % 4 != 0).then(|| format!("p%%{} %%{}%n", id + 1, id / 2))
}

fn name(body: &str) -> Option<String> {
    body.starts_with('S').then(|| format!("<{body}>"))
}

fuzz_target!(|data: &[u8]| {
    let Some((&flags, rest)) = data.split_first() else {
        return;
    };
    let Some((&mode, rest)) = rest.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(rest);
    let args = [
        Arg::Str("insert one"),
        Arg::I32(-42),
        Arg::U64(u64::MAX),
        Arg::Char('ß'),
        Arg::Str("0x7fffffff"),
        Arg::I64(i64::MIN),
        Arg::Str("%%12 %{S-1-5-18} %1"),
        Arg::U32(40),
    ];
    let arg_count = usize::from(mode >> 4) % (args.len() + 1);
    let p: &dyn Fn(u32) -> Option<String> = &parameter;
    let n: &dyn Fn(&str) -> Option<String> = &name;
    let width = Width::from_flags(flags);
    let options = Options {
        width,
        ignore_inserts: mode & 1 != 0,
        event_log: (mode & 2 != 0).then_some(EventLog {
            parameter: Some(p),
            name: Some(n),
            max_depth: 6,
        }),
        ..Options::default()
    };
    match format(&text, &args[..arg_count], &options) {
        Ok(out) => {
            if let Width::Columns(w) = width {
                for line in out.split("\r\n") {
                    // Inserted line breaks and %r restart the count without a CRLF.
                    let longest = line.split(['\r', '\n']).map(|l| l.chars().count()).max();
                    assert!(longest.unwrap_or(0) <= usize::from(w), "line over {w}: {line:?}");
                }
            }
        }
        Err(e) => assert_eq!(text.as_bytes().get(e.offset), Some(&b'%'), "{e}"),
    }
});
