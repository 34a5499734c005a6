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
    conn.execute_batch(CLUSTER_BY_VALUE)
        .expect("order occurrences and symbols by value");
    let broken: i64 = conn
        .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
            r.get(0)
        })
        .expect("check references");
    assert_eq!(broken, 0, "references broken by the renumbering");
    conn.execute_batch(
        "INSERT INTO search(search) VALUES('optimize');
         INSERT INTO event_search(event_search) VALUES('optimize'); VACUUM;",
    )
    .expect("optimize the image");
}

/// Renumbers occurrences in value order, and symbols in the order of their first occurrence,
/// so that the rows a lookup by value reads (its occurrences, their names) lie on neighbouring
/// pages of the image: each page a process touches first costs it a page fault, which costs
/// more than the lookup's instructions. The full-text index's references follow; the order of
/// a symbol's occurrences in one file, which the dataset export and source diffs read, is kept
/// by their line numbers.
const CLUSTER_BY_VALUE: &str = "
PRAGMA foreign_keys = OFF;
CREATE TEMP TABLE occurrence_ids (old INTEGER PRIMARY KEY, new INTEGER NOT NULL);
INSERT INTO occurrence_ids
    SELECT id, row_number() OVER (ORDER BY value, symbol, id) FROM occurrences;
CREATE TEMP TABLE symbol_ids (old INTEGER PRIMARY KEY, new INTEGER NOT NULL);
INSERT INTO symbol_ids
    SELECT s.id, row_number() OVER (ORDER BY (SELECT min(n.new) FROM occurrences o
        JOIN occurrence_ids n ON n.old = o.id WHERE o.symbol = s.id), s.id)
    FROM symbols s;
CREATE TEMP TABLE old_occurrences AS SELECT * FROM occurrences;
DELETE FROM occurrences;
INSERT INTO occurrences (id, symbol, source, file, line, definition, expression, line_comments,
        message_text, value, c_type, category, grp, namespace)
    SELECT n.new, s.new, o.source, o.file, o.line, o.definition, o.expression, o.line_comments,
        o.message_text, o.value, o.c_type, o.category, o.grp, o.namespace
    FROM old_occurrences o JOIN occurrence_ids n ON n.old = o.id
    JOIN symbol_ids s ON s.old = o.symbol ORDER BY n.new;
CREATE TEMP TABLE old_symbols AS SELECT * FROM symbols;
DELETE FROM symbols;
INSERT INTO symbols (id, name)
    SELECT n.new, s.name FROM old_symbols s JOIN symbol_ids n ON n.old = s.id ORDER BY n.new;
CREATE TEMP TABLE old_search AS SELECT rowid AS r, name, text, kind, ref, source FROM search;
DELETE FROM search;
INSERT INTO search (rowid, name, text, kind, ref, source)
    SELECT r, name, text, kind,
        CASE kind WHEN 'o' THEN (SELECT new FROM occurrence_ids WHERE old = ref) ELSE ref END,
        source
    FROM old_search ORDER BY r;
DROP TABLE old_search; DROP TABLE old_symbols; DROP TABLE old_occurrences;
DROP TABLE symbol_ids; DROP TABLE occurrence_ids;
PRAGMA foreign_keys = ON;
";
