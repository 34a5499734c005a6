//! The hash of the scanner's maps: foldhash (the workspace's hash), which is fast on the
//! short macro names looked up; SipHash's protection against crafted keys buys nothing for
//! names read from one header. Fixed-seeded, so every run iterates in the same order.

/// A `HashMap` with foldhash.
pub(crate) type FastMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::FixedState>;
/// A `HashSet` with foldhash.
pub(crate) type FastSet<K> = std::collections::HashSet<K, foldhash::fast::FixedState>;
