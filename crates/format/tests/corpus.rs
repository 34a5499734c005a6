//! Real message texts (the shared corpus's .mc files from Wine and ReactOS) rendered as
//! FormatMessage renders them.

use werr_format::{format, Arg, Options, Width};

/// The message texts of an .mc file as mc.exe stores them: each line of a `Language=`
/// block ends with CRLF, the closing `.` line is not part of the text. (A test helper, not
/// an .mc parser: it ignores everything but the text blocks.)
fn message_texts(mc: &str) -> Vec<(usize, String)> {
    let mut texts = Vec::new();
    let mut current: Option<(usize, String)> = None;
    for (i, line) in mc.lines().enumerate() {
        let line = line.strip_suffix('\r').unwrap_or(line);
        match &mut current {
            None if line.trim_start().starts_with("Language=") => {
                current = Some((i + 2, String::new()));
            }
            None => {}
            Some(_) if line == "." => texts.extend(current.take()),
            // `;` lines inside a text block are mc comments, not text.
            Some(_) if line.starts_with(';') => {}
            Some((_, text)) => {
                text.push_str(line);
                text.push_str("\r\n");
            }
        }
    }
    texts
}

fn corpus_messages() -> Vec<(String, usize, String)> {
    let mut all = Vec::new();
    for dir in ["wine-mc", "reactos-mc"] {
        let Some(path) = werr_testdata::corpus(dir) else {
            return Vec::new();
        };
        let mut files: Vec<_> = std::fs::read_dir(path)
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "mc"))
            .collect();
        files.sort();
        for file in files {
            let bytes = std::fs::read(&file).unwrap();
            let text = String::from_utf8_lossy(&bytes);
            let name = file.file_name().unwrap().to_string_lossy().into_owned();
            for (line, body) in message_texts(&text) {
                all.push((name.clone(), line, body));
            }
        }
    }
    all
}

fn message_at(file: &str, line: usize) -> String {
    corpus_messages()
        .into_iter()
        .find(|(f, l, _)| f == file && *l == line)
        .map(|(_, _, t)| t)
        .unwrap_or_else(|| panic!("no message text at {file}:{line}"))
}

#[test]
fn every_corpus_message_renders_with_arguments() {
    let messages = corpus_messages();
    if messages.is_empty() {
        return; // corpus missing outside CI: werr_testdata said so
    }
    assert!(messages.len() > 5000, "only {} messages", messages.len());
    // "7" serves both string inserts and integer ones (%2!lx!).
    let args = vec![Arg::Str("7"); 99];
    for (file, line, text) in &messages {
        for width in [Width::Keep, Width::Unlimited, Width::Columns(79)] {
            let options = Options {
                width,
                ..Options::default()
            };
            if let Err(e) = format(text, &args, &options) {
                panic!("{file}:{line}: {e}\n{text:?}");
            }
        }
    }
}

#[test]
fn corpus_messages_wrapped_at_79_columns_have_no_longer_line() {
    let options = Options {
        width: Width::Columns(79),
        ..Options::default()
    };
    let args = vec![Arg::Str("1234567890"); 99];
    for (file, line, text) in corpus_messages() {
        let out = format(&text, &args, &options).unwrap();
        for l in out.split("\r\n") {
            assert!(l.chars().count() <= 79, "{file}:{line}: {l:?}");
        }
    }
}

#[test]
fn ignore_inserts_returns_corpus_texts_without_n_r_t_0_unchanged() {
    let options = Options {
        ignore_inserts: true,
        ..Options::default()
    };
    let mut compared = 0;
    for (file, line, text) in corpus_messages() {
        let out = format(&text, &[], &options).unwrap();
        if !["%n", "%r", "%t", "%0"].iter().any(|e| text.contains(e)) {
            assert_eq!(out, text, "{file}:{line}");
            compared += 1;
        }
    }
    if compared > 0 {
        assert!(compared > 1000, "only {compared} texts compared");
    }
}

#[test]
fn arp_interface_header_renders_like_windows_arp() {
    let Some(_) = werr_testdata::corpus("reactos-mc/arp_msg.mc") else {
        return;
    };
    // "Interface: %1!s! --- 0x%2!lx!" is the header `arp -a` prints on Windows.
    let text = message_at("arp_msg.mc", 112);
    let out = format(
        &text,
        &[Arg::Str("192.168.1.10"), Arg::U32(0xb)],
        &Options::default(),
    )
    .unwrap();
    assert_eq!(
        out,
        "\r\nInterface: 192.168.1.10 --- 0xb\r\n  Internet Address      Physical Address      Type\r\n"
    );
}

#[test]
fn arp_columns_are_left_justified_to_their_widths() {
    let Some(_) = werr_testdata::corpus("reactos-mc/arp_msg.mc") else {
        return;
    };
    let text = message_at("arp_msg.mc", 182);
    let out = format(
        &text,
        &[
            Arg::Str("192.168.1.1"),
            Arg::Str("00-11-22-33-44-55"),
            Arg::Str("dynamic"),
        ],
        &Options::default(),
    )
    .unwrap();
    assert_eq!(
        out,
        "  192.168.1.1           00-11-22-33-44-55     dynamic   \r\n"
    );
}

#[test]
fn percent_before_other_characters_drops_the_percent_in_a_real_path() {
    let Some(_) = werr_testdata::corpus("reactos-mc/netmsgmsg.mc") else {
        return;
    };
    let text = message_at("netmsgmsg.mc", 15771);
    let out = format(&text, &[Arg::Str("x"); 9], &Options::default()).unwrap();
    assert!(
        out.contains("'SystemRoot\\\\System32\\\\Config\\\\Netlogon.dns'"),
        "{out:?}"
    );
}
