//! What a person sees in a terminal and what a shell needs: completion scripts, the man page,
//! colour (`--color`, `NO_COLOR`, off when piped), aligned columns, cut texts.

use crate::common::{stdout_of, werr};

/// The names of werr's commands, from its help.
fn command_names() -> Vec<String> {
    let help = stdout_of(werr().arg("--help"));
    let commands = help
        .split("Commands:")
        .nth(1)
        .expect("a command list")
        .split("Options:")
        .next()
        .expect("the list");
    // A command's line is indented by two spaces; its wrapped description by more.
    commands
        .lines()
        .filter(|l| l.starts_with("  ") && !l[2..].starts_with(' '))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|w| *w != "help")
        .map(str::to_string)
        .collect()
}

#[test]
fn completions_are_a_command_not_two_queries() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let script = stdout_of(werr().args(["completions", shell]));
        for command in command_names() {
            assert!(script.contains(&command), "{shell}: {command} missing");
        }
        // fish writes options as `-l kb`, the others as `--kb`.
        for option in ["kb", "color", "all"] {
            assert!(
                script.contains(option),
                "{shell}: option --{option} missing"
            );
        }
    }
    let bad = werr().args(["completions", "tcsh"]).output().expect("runs");
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn the_bash_completion_loads_and_completes_commands_and_options() {
    let script = stdout_of(werr().args(["completions", "bash"]));
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("werr.bash");
    std::fs::write(&file, script).expect("write");
    // Source the script, then ask it what `werr sh<TAB>` and `werr lookup --a<TAB>` offer.
    let probe = format!(
        "source {}\n\
         COMP_WORDS=(werr sh); COMP_CWORD=1; _werr werr sh werr; echo \"${{COMPREPLY[*]}}\"\n\
         COMP_WORDS=(werr lookup --a); COMP_CWORD=2; _werr werr --a lookup; echo \"${{COMPREPLY[*]}}\"\n",
        file.display()
    );
    let out = std::process::Command::new("bash")
        .args(["--norc", "-c", &probe])
        .output()
        .expect("bash runs");
    let text = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = text.lines().collect();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(lines.first().copied(), Some("show"), "{text}");
    assert_eq!(lines.get(1).copied(), Some("--all"), "{text}");
}

#[test]
fn the_man_page_is_roff_that_groff_reads_without_warnings() {
    let page = stdout_of(werr().arg("man"));
    assert!(page.contains(".TH werr 1"), "{page}");
    for command in command_names() {
        assert!(
            page.contains(&command),
            "{command} missing from the man page"
        );
    }
    let lookup = stdout_of(werr().args(["man", "lookup"]));
    assert!(lookup.contains(".TH werr-lookup 1"), "{lookup}");
    assert!(lookup.contains("\\-\\-all"), "{lookup}");
    let nope = werr().args(["man", "nope"]).output().expect("runs");
    assert_eq!(nope.status.code(), Some(2));
    let Some(groff) = werr_testdata::tool("groff") else {
        return;
    };
    for roff in [page, lookup] {
        let mut child = std::process::Command::new(&groff)
            .args(["-man", "-Tutf8", "-ww", "-P-bou"])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("groff runs");
        use std::io::Write;
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(roff.as_bytes())
            .expect("write");
        let out = child.wait_with_output().expect("groff ends");
        let rendered = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success());
        assert_eq!(String::from_utf8_lossy(&out.stderr), "", "groff warnings");
        assert!(rendered.contains("SYNOPSIS"), "{rendered}");
    }
}

const ESC: char = '\u{1b}';

#[test]
fn colour_only_where_asked_and_never_in_a_pipe_by_default() {
    // Piped (as here): no colour unless --color always.
    let piped = stdout_of(werr().arg("0x80070005"));
    assert!(!piped.contains(ESC), "{piped:?}");
    let always = stdout_of(werr().args(["0x80070005", "--color", "always"]));
    // The name bold, the value cyan, the kind green.
    assert!(
        always.contains("\u{1b}[1mE_ACCESSDENIED\u{1b}[0m"),
        "{always:?}"
    );
    assert!(
        always.contains("\u{1b}[36m0x80070005\u{1b}[0m"),
        "{always:?}"
    );
    assert!(always.contains("\u{1b}[32mhresult\u{1b}[0m"), "{always:?}");
    // Without the escapes the text is the same as piped.
    let stripped: String = strip(&always);
    assert_eq!(stripped, piped);
    // --color goes before a command too, and NO_COLOR does not override an explicit always.
    let show = stdout_of(werr().args(["--color", "never", "search", "access", "denied"]));
    assert!(!show.contains(ESC));
    let forced = stdout_of(
        werr()
            .env("NO_COLOR", "1")
            .args(["--color", "always", "E_FAIL"]),
    );
    assert!(forced.contains(ESC), "{forced:?}");
    let bad = werr()
        .args(["5", "--color", "sometimes"])
        .output()
        .expect("runs");
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn no_color_turns_colour_off_even_where_it_would_be_on() {
    // CLICOLOR_FORCE turns it on in a pipe; NO_COLOR, the user's wish, wins over it in auto.
    let forced = stdout_of(werr().env("CLICOLOR_FORCE", "1").arg("E_FAIL"));
    assert!(forced.contains(ESC), "{forced:?}");
    let off = stdout_of(
        werr()
            .env("CLICOLOR_FORCE", "1")
            .env("NO_COLOR", "1")
            .arg("E_FAIL"),
    );
    assert!(!off.contains(ESC), "{off:?}");
}

/// `text` without its ANSI escape sequences (`ESC [ ... m`).
fn strip(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == ESC {
            for c in chars.by_ref() {
                if c == 'm' {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// The display columns at which each line's fields after the value start.
fn field_starts(line: &str) -> Vec<usize> {
    let mut starts = Vec::new();
    let chars: Vec<char> = line.chars().collect();
    for i in 2..chars.len() {
        if chars[i] != ' ' && chars[i - 1] == ' ' && chars[i - 2] == ' ' {
            starts.push(i);
        }
    }
    starts
}

#[test]
fn columns_line_up_when_a_kind_carries_its_category() {
    // 0xC0000001: STATUS_UNSUCCESSFUL (ntstatus), NDIS_STATUS_FAILURE (message, NDIS
    // status), hrNyi (hresult): the kind column is as wide as its widest cell.
    let text = stdout_of(werr().args(["--all", "0xC0000001"]));
    let lines: Vec<&str> = text.lines().filter(|l| l.starts_with("0x")).collect();
    assert!(lines.len() >= 3, "{text}");
    assert!(
        lines.iter().any(|l| l.contains("(NDIS status)")),
        "a kind with its category: {text}"
    );
    let name_at: Vec<usize> = lines.iter().map(|l| field_starts(l)[0]).collect();
    let kind_at: Vec<usize> = lines.iter().map(|l| field_starts(l)[1]).collect();
    assert!(name_at.windows(2).all(|w| w[0] == w[1]), "{text}");
    assert!(kind_at.windows(2).all(|w| w[0] == w[1]), "{text}");
    // The texts start in one column too.
    let texts: Vec<usize> = lines
        .iter()
        .filter_map(|l| field_starts(l).get(2).copied())
        .collect();
    assert!(
        !texts.is_empty() && texts.windows(2).all(|w| w[0] == w[1]),
        "{text}"
    );
}

#[test]
fn a_text_longer_than_its_first_line_ends_with_an_ellipsis() {
    // SAC_INIT_STATUS (ReactOS sacmsg.mc) has a text of more than one line.
    let record: serde_json::Value = serde_json::from_str(&stdout_of(werr().args([
        "show",
        "SAC_INIT_STATUS",
        "--json",
    ])))
    .expect("JSON");
    let description = record["description"].as_str().expect("a text");
    let first = description
        .lines()
        .next()
        .expect("a line")
        .trim()
        .to_string();
    assert!(description.trim().lines().count() > 1, "{description}");
    let text = stdout_of(werr().args(["--all", "1"]));
    let line = text
        .lines()
        .find(|l| l.contains("SAC_INIT_STATUS"))
        .expect("listed");
    assert!(line.ends_with(&format!("{first} …")), "{line}");
}
