//! Builds the embedded default KB: the SQLite image of the sources in `data/` (listed in
//! `data/sources.txt`, in import order), written to `$OUT_DIR/default.kb` and embedded by
//! `src/store.rs` with `include_bytes!`. Without `data/`, the image is an empty KB. No ANALYZE:
//! loading its statistics would cost a third of a lookup's instructions, and the plans do not
//! need them.

#[path = "src/dataset.rs"]
#[allow(dead_code)]
mod dataset;
#[path = "src/schema.rs"]
#[allow(dead_code)]
mod schema;
#[path = "src/writer.rs"]
#[allow(dead_code)]
mod writer;

use std::path::PathBuf;

fn main() {
    let manifest = PathBuf::from(
        std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"),
    );
    let data = manifest.join("../../data");
    let out =
        PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR")).join("default.kb");
    println!("cargo:rerun-if-changed={}", data.display());
    println!("cargo:rerun-if-changed=src/dataset.rs");
    println!("cargo:rerun-if-changed=src/schema.rs");
    println!("cargo:rerun-if-changed=src/writer.rs");
    let _ = std::fs::remove_file(&out);
    let conn = rusqlite::Connection::open(&out).expect("create the default KB image");
    conn.execute_batch(
        "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA page_size = 4096;",
    )
    .expect("set build pragmas");
    schema::create(&conn).expect("create the KB schema");
    let list = data.join("sources.txt");
    let names = std::fs::read_to_string(&list).unwrap_or_default();
    let tx = conn.unchecked_transaction().expect("begin");
    {
        let mut w = writer::Writer::new(&tx).expect("prepare statements");
        for name in names
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
        {
            let path = data.join(name);
            println!("cargo:rerun-if-changed={}", path.display());
            let text = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            if let Err(e) = dataset::load_source(&mut w, &text) {
                panic!("{}: {e}", path.display());
            }
        }
    }
    tx.commit().expect("commit");
    conn.execute_batch(
        "INSERT INTO search(search) VALUES('optimize');
         INSERT INTO event_search(event_search) VALUES('optimize'); VACUUM;",
    )
    .expect("optimize the image");
}
