//! `format` allocates once, exactly the size of its output (checked with a counting global
//! allocator that counts only while this thread renders).

use werr_format::{format, Arg, FormatError, FormatErrorKind, Options, Width, MAX_OUTPUT_BYTES};
use werr_testdata::probes::{count_allocations, CountingAllocator};

#[global_allocator]
static GLOBAL: CountingAllocator = CountingAllocator;

/// Renders and returns (output, allocation calls, bytes allocated).
fn measured(text: &str, args: &[Arg<'_>], options: &Options<'_>) -> (String, usize, usize) {
    let (out, calls, bytes) = measured_result(text, args, options);
    (out.unwrap(), calls, bytes)
}

/// Renders and returns (result, allocation calls, bytes allocated).
fn measured_result(
    text: &str,
    args: &[Arg<'_>],
    options: &Options<'_>,
) -> (Result<String, FormatError>, usize, usize) {
    count_allocations(|| format(text, args, options))
}

const TCP_TIME_WAIT: &str = "TCP/IP failed to establish an outgoing connection because the selected local endpoint\nwas recently used to connect to the same remote endpoint. This error typically occurs\nwhen outgoing connections are opened and closed at a high rate, causing all available\nlocal ports to be used and forcing TCP/IP to reuse a local port for an outgoing connection.\nTo minimize the risk of data corruption, the TCP/IP standard requires a minimum time period\nto elapse between successive connections from a given local endpoint to a given remote endpoint.\n";

#[test]
fn messages_without_inserts_allocate_exactly_their_output() {
    let cases: &[(&str, Width)] = &[
        ("The operation completed successfully.", Width::Keep),
        ("The operation completed successfully.\r\n", Width::Keep),
        (TCP_TIME_WAIT, Width::Keep),
        (TCP_TIME_WAIT, Width::Unlimited),
        (TCP_TIME_WAIT, Width::Columns(60)),
        ("100%% done.%nNext line%tTabbed% %.%!%0 cut", Width::Keep),
        ("short long    wordlongerthanaline", Width::Columns(12)),
    ];
    for (text, width) in cases {
        let options = Options {
            width: *width,
            ..Options::default()
        };
        let (out, calls, bytes) = measured(text, &[], &options);
        assert_eq!(calls, 1, "{text:?} {width:?}: {calls} allocations");
        assert_eq!(
            bytes,
            out.len(),
            "{text:?} {width:?}: {bytes} bytes for {}",
            out.len()
        );
    }
}

#[test]
fn empty_output_allocates_nothing() {
    let (out, calls, _) = measured("%0never shown", &[], &Options::default());
    assert_eq!(out, "");
    assert_eq!(calls, 0);
}

#[test]
fn messages_with_inserts_also_allocate_exactly_their_output() {
    let options = Options::default();
    let args = [
        Arg::Str("C:\\Windows\\system32\\drivers\\tcpip.sys"),
        Arg::I32(-5),
        Arg::U64(0xC000_0005),
    ];
    let (out, calls, bytes) = measured("File %1 failed (%2!d!, 0x%3!08I64X!).%n", &args, &options);
    assert_eq!(
        out,
        "File C:\\Windows\\system32\\drivers\\tcpip.sys failed (-5, 0xC0000005).\r\n"
    );
    assert_eq!((calls, bytes), (1, out.len()));
}

#[test]
fn output_past_the_limit_fails_before_it_is_allocated() {
    // 16,000 inserts of a 32,000-byte argument: 512 MB asked for by a 64 KiB request.
    let text = "%1".repeat(16_000);
    let arg = "x".repeat(32_000);
    let (out, _, bytes) = measured_result(&text, &[Arg::Str(&arg)], &Options::default());
    let e = out.unwrap_err();
    assert_eq!(
        e.kind,
        FormatErrorKind::TooLong {
            limit: MAX_OUTPUT_BYTES
        }
    );
    // The insert that passes the limit: the third (64 KiB / 32,000 bytes), at byte 4.
    assert_eq!(e.offset, 4);
    assert!(bytes < 1024, "{bytes} bytes allocated");
    assert_eq!(
        e.to_string(),
        format!(
            "at byte 4: the rendered text would pass {MAX_OUTPUT_BYTES} bytes, the most it may \
             have (FormatMessage's buffer holds 64K bytes)"
        )
    );
    // A text that is too long by itself, with nothing to insert.
    let long = "y".repeat(MAX_OUTPUT_BYTES + 1);
    let e = format(&long, &[], &Options::default()).unwrap_err();
    assert_eq!(
        e.kind,
        FormatErrorKind::TooLong {
            limit: MAX_OUTPUT_BYTES
        }
    );
    // The limit is the caller's to raise.
    let raised = Options {
        max_output: 600_000,
        ..Options::default()
    };
    let (out, calls, bytes) = measured("%1%1%1%1%1%1%1%1", &[Arg::Str(&arg)], &raised);
    assert_eq!((out.len(), calls, bytes), (256_000, 1, 256_000));
}
