//! Times the phases of reading a log (scratch profiling aid).
use std::sync::Arc;
use std::time::Instant;
fn main() {
    let path = std::env::args().nth(1).expect("file");
    let data = std::fs::read(&path).expect("read");
    let n: usize = std::env::var("N")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20);
    let t = Instant::now();
    for _ in 0..n {
        let mut count = 0;
        werr_evtx::read_log(
            &data,
            &werr_evtx::ReadOptions {
                threads: 1,
                recover_records: false,
                via_xml: false,
                pin_threads: false,
            },
            |_| count += 1,
        )
        .unwrap();
    }
    println!(
        "read_log (xml + model): {:.2} ms",
        t.elapsed().as_secs_f64() * 1e3 / n as f64
    );
    if std::env::var("ONLY_READ").is_ok() {
        return;
    }
    for json in [false, true] {
        let t = Instant::now();
        let mut bytes = 0;
        for _ in 0..n {
            let settings = Arc::new(
                evtx::ParserSettings::new()
                    .indent(false)
                    .validate_checksums(false),
            );
            let chunks = (data.len() - 4096) / 65536;
            for c in 0..chunks {
                let s = 4096 + c * 65536;
                let Ok(mut cd) = evtx::EvtxChunkData::new(data[s..s + 65536].to_vec(), false)
                else {
                    continue;
                };
                let mut chunk = cd.parse(settings.clone()).unwrap();
                for r in chunk.iter() {
                    let r = r.unwrap();
                    bytes += if json {
                        r.into_json_bytes().unwrap().data.len()
                    } else {
                        r.into_xml_bytes().unwrap().data.len()
                    };
                }
            }
        }
        println!(
            "evtx render only (json={json}): {:.2} ms, {} bytes",
            t.elapsed().as_secs_f64() * 1e3 / n as f64,
            bytes / n
        );
    }
}
