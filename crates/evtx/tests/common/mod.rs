//! Helpers the rendering tests share.

use werr_evtx::{read_log_items, EventRecord, LogItem, ReadOptions};

/// The records of corpus log `evtx/NAME` (its problems left out); `None` when the corpus is
/// missing (outside CI).
pub fn records(name: &str) -> Option<Vec<EventRecord>> {
    let data = std::fs::read(werr_testdata::corpus(&format!("evtx/{name}"))?).unwrap();
    let items = read_log_items(&data, &ReadOptions::default()).unwrap();
    Some(
        items
            .into_iter()
            .filter_map(|i| match i {
                LogItem::Record(r) => Some(*r),
                LogItem::Problem(_) => None,
            })
            .collect(),
    )
}
