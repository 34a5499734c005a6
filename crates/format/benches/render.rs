//! Rendering throughput, with and without inserts, against a plain copy of the text (the
//! floor any renderer pays). Run: `cargo bench -p werr-format` or `bench/format.sh`.

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use werr_format::{format, Arg, Options, Width};

/// EVENT_TCPIP_TCP_TIME_WAIT_COLLISION's text as mc.exe stores it (CRLF line ends).
const NO_INSERTS: &str = "TCP/IP failed to establish an outgoing connection because the selected local endpoint\r\nwas recently used to connect to the same remote endpoint. This error typically occurs\r\nwhen outgoing connections are opened and closed at a high rate, causing all available\r\nlocal ports to be used and forcing TCP/IP to reuse a local port for an outgoing connection.\r\nTo minimize the risk of data corruption, the TCP/IP standard requires a minimum time period\r\nto elapse between successive connections from a given local endpoint to a given remote endpoint.\r\n";

/// The same length of text, one line, nothing to change (the verbatim path).
const ONE_LINE: &str = "TCP/IP failed to establish an outgoing connection because the selected local endpoint was recently used to connect to the same remote endpoint. This error typically occurs when outgoing connections are opened and closed at a high rate, causing all available local ports to be used and forcing TCP/IP to reuse a local port for an outgoing connection. To minimize the risk of data corruption, the TCP/IP standard requires a minimum time period to elapse between successive connections from a given local endpoint to a given remote endpoint.";

/// A message with string and integer inserts, printf specs and %n.
const WITH_INSERTS: &str = "The %1 service terminated with the following service-specific error:%n%2!d! (0x%2!08X!).%nThe driver %3 at %4!-20s! failed to load after %5!u! attempts; see %6 for details.\r\n";

fn bench(c: &mut Criterion) {
    let args = [
        Arg::Str("Windows Update"),
        Arg::I32(-2_147_479_421),
        Arg::Str("\\SystemRoot\\System32\\drivers\\tcpip.sys"),
        Arg::Str("\\Device\\Tcp"),
        Arg::U32(3),
        Arg::Str("C:\\Windows\\Logs\\CBS\\CBS.log"),
    ];
    let keep = Options::default();
    let wrap = Options {
        width: Width::Columns(79),
        ..Options::default()
    };
    let mut g = c.benchmark_group("format");
    g.throughput(Throughput::Bytes(NO_INSERTS.len() as u64));
    g.bench_function("copy_floor", |b| {
        b.iter(|| black_box(NO_INSERTS).to_owned())
    });
    g.bench_function("no_inserts", |b| {
        b.iter(|| format(black_box(NO_INSERTS), &[], &keep).unwrap())
    });
    g.bench_function("no_inserts_wrap79", |b| {
        b.iter(|| format(black_box(NO_INSERTS), &[], &wrap).unwrap())
    });
    g.throughput(Throughput::Bytes(ONE_LINE.len() as u64));
    g.bench_function("no_inserts_verbatim", |b| {
        b.iter(|| format(black_box(ONE_LINE), &[], &keep).unwrap())
    });
    g.throughput(Throughput::Bytes(WITH_INSERTS.len() as u64));
    g.bench_function("with_inserts", |b| {
        b.iter(|| format(black_box(WITH_INSERTS), &args, &keep).unwrap())
    });
    g.bench_function("with_inserts_wrap79", |b| {
        b.iter(|| format(black_box(WITH_INSERTS), &args, &wrap).unwrap())
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
