//! The counts of a run, and their summary.

use crate::model::EventRecord;
use crate::render::Rendering;
use std::collections::BTreeMap;

/// What a run saw: records read, shown and rendered, and the providers whose records did
/// not render, by reason.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Tally {
    /// Records read.
    pub read: u64,
    /// Records selected and shown.
    pub shown: u64,
    /// Records shown with a message.
    pub rendered: u64,
    /// Rendered records whose text still shows inserts the record lacks.
    pub partly_rendered: u64,
    /// Problems met in the logs.
    pub problems: u64,
    /// Providers with no message source, and how many of their records were shown.
    pub no_source: BTreeMap<String, u64>,
    /// Providers whose message ids no rule covers, and how many records.
    pub no_rule: BTreeMap<String, u64>,
    /// Providers with records whose message id is not in their modules (or does not format).
    pub not_found: BTreeMap<String, u64>,
    /// Providers with records of events declared without a message.
    pub without_text: BTreeMap<String, u64>,
    /// Providers with records rendered from another system's table of their module (the
    /// default KB's `netevent.dll` is ReactOS's), by that system: its wording can differ.
    pub rewritten: BTreeMap<String, u64>,
}

impl Tally {
    /// Adds `other`'s counts to these.
    pub fn merge(&mut self, other: Tally) {
        self.read += other.read;
        self.shown += other.shown;
        self.rendered += other.rendered;
        self.partly_rendered += other.partly_rendered;
        self.problems += other.problems;
        for (mine, theirs) in [
            (&mut self.no_source, other.no_source),
            (&mut self.no_rule, other.no_rule),
            (&mut self.not_found, other.not_found),
            (&mut self.without_text, other.without_text),
            (&mut self.rewritten, other.rewritten),
        ] {
            for (provider, n) in theirs {
                *mine.entry(provider).or_default() += n;
            }
        }
    }

    /// The counts by provider, taken out (the record counts stay).
    pub(crate) fn take_providers(&mut self) -> Tally {
        Tally {
            no_source: std::mem::take(&mut self.no_source),
            no_rule: std::mem::take(&mut self.no_rule),
            not_found: std::mem::take(&mut self.not_found),
            without_text: std::mem::take(&mut self.without_text),
            rewritten: std::mem::take(&mut self.rewritten),
            ..Tally::default()
        }
    }

    /// Counts one shown record and how it rendered.
    pub fn count(&mut self, record: &EventRecord, rendering: &Rendering) {
        if rendering.message.is_some() {
            self.rendered += 1;
            self.partly_rendered += u64::from(rendering.missing_inserts);
            if let Some(system) = rendering.written_for {
                count(
                    &mut self.rewritten,
                    &format!("{}\u{0}{system}", record.provider),
                );
            }
        } else if rendering.declared_without_text {
            count(&mut self.without_text, &record.provider);
        } else if rendering.no_source {
            count(&mut self.no_source, &record.provider);
        } else if rendering.message_id.is_none() {
            count(&mut self.no_rule, &record.provider);
        } else {
            count(&mut self.not_found, &record.provider);
        }
    }

    /// The counts as a person reads them: one line, then one line per reason some
    /// providers' records did not render.
    pub fn summary(&self) -> String {
        let t = self;
        let mut s = format!(
            "werr evtx: {} records read, {} shown, {} rendered{}, {} problems",
            t.read,
            t.shown,
            t.rendered,
            if t.partly_rendered > 0 {
                format!(
                    " ({} of them with inserts the record lacks, left as written)",
                    t.partly_rendered
                )
            } else {
                String::new()
            },
            t.problems
        );
        let list = |m: &BTreeMap<String, u64>| {
            m.iter()
                .map(|(p, n)| format!("{p} ({n})"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        if !t.no_source.is_empty() {
            let records: u64 = t.no_source.values().sum();
            s.push_str(&format!(
                "\n{} with no message source ({records} records): {}\n  \
                 to render them, import each one's message file (its message DLL, .mui or \
                 .mc) with `werr import FILE --provider NAME`",
                match t.no_source.len() {
                    1 => "1 provider".to_string(),
                    n => format!("{n} providers"),
                },
                list(&t.no_source)
            ));
        }
        if !t.not_found.is_empty() {
            s.push_str(&format!(
                "\nproviders with records whose message is not in their modules: {}",
                list(&t.not_found)
            ));
        }
        if !t.without_text.is_empty() {
            s.push_str(&format!(
                "\nproviders with records of events declared without a message: {}",
                list(&t.without_text)
            ));
        }
        // Keyed `provider NUL system`, so that one map serves every system.
        let mut rewritten: BTreeMap<&str, Vec<String>> = BTreeMap::new();
        for (key, n) in &t.rewritten {
            let (provider, system) = key.split_once('\u{0}').unwrap_or((key, "another system"));
            rewritten
                .entry(system)
                .or_default()
                .push(format!("{provider} ({n})"));
        }
        for (system, providers) in rewritten {
            s.push_str(&format!(
                "\nproviders with records whose text is {system}'s table, not Windows' own (the \
                 wording can differ): {}",
                providers.join(", ")
            ));
        }
        if !t.no_rule.is_empty() {
            s.push_str(&format!(
                "\nmanifest providers whose event manifest is not in the KB (no message id): {}",
                list(&t.no_rule)
            ));
        }
        s
    }
}

/// Counts one more record of `provider`, copying its name only the first time.
fn count(counts: &mut BTreeMap<String, u64>, provider: &str) {
    match counts.get_mut(provider) {
        Some(n) => *n += 1,
        None => {
            counts.insert(provider.to_string(), 1);
        }
    }
}
