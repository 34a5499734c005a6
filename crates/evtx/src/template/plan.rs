//! A template compiled once more, for where its instances sit in the document: a plan.
//!
//! What the builder does with each element of a template depends only on where the element
//! sits (its depth, its section, its name), never on the record's values. So the walk's
//! decisions (which elements keep text or attributes, which attributes are passed, which
//! elements the builder can skip altogether) are made once per template and place of entry,
//! and each record runs the flat list of steps that is left over its values.
//!
//! A plan does exactly what the walk does, in the same order, minus what has no effect:
//! elements that keep nothing are not opened (their `end` does nothing; their text is
//! dropped), attributes of constant text that are not kept are not written. A definition the
//! plan does not compile hands the whole record back to the walk ([`Stop::Walk`]), which
//! stays the reference both ways tests compare with the XML reader, and the plans with it.

use super::value::Value;
use super::walk::{attribute, read_instance, MAX_NESTING};
use super::{Attribute, Content, Element, Template, TemplateCache};
use crate::builder::{Kind, Placed, RecordBuilder, Section};
use std::borrow::Cow;
use std::sync::{Arc, PoisonError};

/// Where a template's root element enters the document: what the builder holds at that
/// point that a plan depends on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct Entry {
    /// The number of elements open around the root.
    depth: usize,
    /// The section open around it.
    section: Section,
    /// Whether the element around it is on the builder's stack (it then has a child element).
    parent_kept: bool,
}

impl Entry {
    /// A record's own template instance: the `Event` element.
    pub(super) const RECORD: Entry = Entry {
        depth: 0,
        section: Section::Event,
        parent_kept: false,
    };
}

/// Why a plan stopped before its end.
#[derive(Debug)]
pub(super) enum Stop {
    /// The record is not read from its template (the walk would answer `None` too).
    Reject,
    /// The plan does not take this record: the walk reads it.
    Walk,
}

/// The steps of one template entered at one [`Entry`].
#[derive(Debug)]
pub(crate) struct Plan {
    /// Sized once compiled: a log's plans stay for the whole run.
    steps: Box<[Step]>,
}

#[derive(Debug)]
enum Step {
    /// Opens an element the builder keeps (its text or attributes).
    Open {
        place: Placed,
        name: Arc<str>,
        mark_parent: bool,
    },
    /// An attribute of the element just opened.
    Attribute(Attribute),
    /// Constant text inside the open element, which keeps its text.
    Text(Box<str>),
    /// A substitution inside the open element, which keeps its text; `entry` is where a
    /// fragment in that slot enters.
    Value { slot: u16, entry: Entry },
    /// A substitution inside an element that keeps no text: only a fragment in it matters.
    Check { slot: u16, entry: Entry },
    /// An element that keeps its text, holds one substitution and nothing else, and passes
    /// no attributes: opened, filled and closed in one step.
    Leaf {
        place: Placed,
        name: Arc<str>,
        mark_parent: bool,
        slot: u16,
        entry: Entry,
    },
    /// The steps up to `to` are those of a child element holding substitutions `slots`: when
    /// one of them is a string array, they run once per item of the first such (the element
    /// repeated, as the XML shows it), then the run goes on at `to`.
    Repeat { slots: Box<[u16]>, to: usize },
    /// Goes on at step `to` when slot `slot` is null (the DependencyId of the element whose
    /// steps follow, up to `to`).
    SkipIfNull { slot: u16, to: usize },
    /// Closes the open element.
    Close,
}

impl Template {
    /// The plan of this template entered at `entry`, compiled on first use (`None`: a
    /// template the plan does not take there; the walk reads its records).
    pub(super) fn plan(&self, entry: Entry) -> Option<Arc<Plan>> {
        let mut plans = self.plans.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some((_, plan)) = plans.iter().find(|(at, _)| *at == entry) {
            return plan.clone();
        }
        let plan = compile_plan(&self.root, entry).map(Arc::new);
        plans.push((entry, plan.clone()));
        plan
    }
}

fn compile_plan(root: &Element, entry: Entry) -> Option<Plan> {
    let mut steps = Vec::new();
    let section = match entry.depth {
        0 => Section::Event,
        _ => entry.section,
    };
    plan_element(root, entry.depth, section, entry.parent_kept, &mut steps)?;
    Some(Plan {
        steps: steps.into(),
    })
}

/// Appends the steps of `element`, at `depth` under `section` (the section around it; the
/// builder's at depth 0), whose parent is on the builder's stack when `parent_kept`.
fn plan_element(
    element: &Element,
    depth: usize,
    section: Section,
    parent_kept: bool,
    steps: &mut Vec<Step>,
) -> Option<()> {
    // The section this element and its content sit in, as the builder sets it.
    let section = match depth {
        0 => Section::Event,
        1 => element.class.section(),
        _ => section,
    };
    let place = Placed::of(element.class, depth, section);
    let keeps_text = place.kind.keeps_text();
    let passed: Vec<&Attribute> = match place.wants_attributes {
        true => element
            .attributes
            .iter()
            .filter(|a| passes(a, place))
            .collect(),
        false => Vec::new(),
    };
    // An element whose attributes the template leaves out (`<Correlation/>`, in most
    // templates) changes nothing in the record: it needs no place on the builder's stack.
    let kept = keeps_text || !passed.is_empty();
    // Inside the element: depth + 1, and the section it opens (at depth 1) or sits in.
    let inner = Entry {
        depth: depth + 1,
        section,
        parent_kept: kept,
    };
    if keeps_text && place.kind != Kind::UserValue && passed.is_empty() {
        if let [Content::Substitution { id }] = &*element.children {
            steps.push(Step::Leaf {
                place,
                name: Arc::clone(&element.name),
                mark_parent: parent_kept,
                slot: *id,
                entry: inner,
            });
            return Some(());
        }
    }
    if kept {
        steps.push(Step::Open {
            place,
            name: Arc::clone(&element.name),
            mark_parent: parent_kept,
        });
        for attribute in passed {
            if attribute
                .value
                .iter()
                .any(|piece| matches!(piece, Content::Element(_)))
            {
                // The walk refuses such a record; let it.
                return None;
            }
            steps.push(Step::Attribute(attribute.clone()));
        }
    }
    for content in &element.children {
        match content {
            Content::Element(child) => {
                let repeat = (!child.slots.is_empty()).then(|| {
                    steps.push(Step::Repeat {
                        slots: child.slots.clone(),
                        to: 0,
                    });
                    steps.len() - 1
                });
                let skip = child.dependency.map(|slot| {
                    steps.push(Step::SkipIfNull { slot, to: 0 });
                    steps.len() - 1
                });
                plan_element(child, depth + 1, section, kept, steps)?;
                let end = steps.len();
                for at in [repeat, skip].into_iter().flatten() {
                    if let Step::Repeat { to, .. } | Step::SkipIfNull { to, .. } = &mut steps[at] {
                        *to = end;
                    }
                }
            }
            Content::Text(text) => {
                if keeps_text {
                    steps.push(Step::Text(text.clone()));
                }
            }
            Content::Substitution { id } => steps.push(match keeps_text {
                true => Step::Value {
                    slot: *id,
                    entry: inner,
                },
                false => Step::Check {
                    slot: *id,
                    entry: inner,
                },
            }),
        }
    }
    if kept {
        steps.push(Step::Close);
    }
    Some(())
}

/// Whether the walk's passing `attribute` to the builder can change anything: it can unless
/// the attribute is constant text the element does not keep.
fn passes(attribute: &Attribute, place: Placed) -> bool {
    place.carrier.keeps(attribute.class)
        || attribute
            .value
            .iter()
            .any(|piece| !matches!(piece, Content::Text(_)))
}

/// Runs the plans of the fragment at chunk bytes `start..end` entered at `entry`.
pub(super) fn run_fragment<'c>(
    chunk: &'c [u8],
    start: usize,
    end: usize,
    entry: Entry,
    cache: &mut TemplateCache<'c>,
    builder: &mut RecordBuilder<'_>,
    nesting: usize,
) -> Result<(), Stop> {
    if nesting > MAX_NESTING {
        return Err(Stop::Reject);
    }
    let (def_offset, values) = read_instance(chunk, start, end, cache).ok_or(Stop::Reject)?;
    let plan = cache.plan(chunk, def_offset, entry)?;
    let run = Run {
        chunk,
        values: &values,
        has_arrays: values.iter().any(|v| matches!(v, Value::StringArray(_))),
        nesting,
    };
    let ran = run.steps(&plan.steps, 0, plan.steps.len(), None, cache, builder);
    cache.spare_values.push(values);
    ran
}

/// One instance's values, running its template's plan.
struct Run<'c, 'v> {
    chunk: &'c [u8],
    values: &'v [Value<'c>],
    /// Whether any value is a string array (most instances have none).
    has_arrays: bool,
    nesting: usize,
}

/// An array slot and the item that stands for its value while a repeated element runs.
type Item<'c> = Option<(u16, Value<'c>)>;

impl<'c> Run<'c, '_> {
    fn value(&self, slot: u16, item: Item<'c>) -> Result<Value<'c>, Stop> {
        match item {
            Some((array, value)) if array == slot => Ok(value),
            _ => self.values.get(slot as usize).copied().ok_or(Stop::Reject),
        }
    }

    /// Runs `steps[from..to]`, with `item` standing for its array slot's value.
    fn steps(
        &self,
        steps: &[Step],
        from: usize,
        to: usize,
        item: Item<'c>,
        cache: &mut TemplateCache<'c>,
        builder: &mut RecordBuilder<'_>,
    ) -> Result<(), Stop> {
        let mut i = from;
        while i < to {
            let step = &steps[i];
            i += 1;
            match step {
                Step::Open {
                    place,
                    name,
                    mark_parent,
                } => builder.open_placed(place, name, *mark_parent),
                Step::Attribute(a) => {
                    let value_of = |id: u16| self.value(id, item).ok();
                    attribute(a, &value_of, cache, builder).ok_or(Stop::Reject)?;
                }
                Step::Text(text) => {
                    let mut owned = cache.spares.string();
                    owned.push_str(text);
                    builder.text(Cow::Owned(owned));
                }
                Step::Value { slot, entry } => match self.value(*slot, item)? {
                    Value::Fragment(at, len) => self.fragment(at, len, *entry, cache, builder)?,
                    Value::StringArray(_) | Value::Unsupported => return Err(Stop::Reject),
                    value => match value.unsigned() {
                        Some(n) if builder.wants_number() => builder.number(n),
                        _ => {
                            let mut text = cache.spares.string();
                            value.write_text(&mut text).ok_or(Stop::Reject)?;
                            if text.is_empty() {
                                cache.spares.keep(text);
                            } else {
                                builder.text(Cow::Owned(text));
                            }
                        }
                    },
                },
                Step::Check { slot, entry } => match self.value(*slot, item)? {
                    Value::Fragment(at, len) => self.fragment(at, len, *entry, cache, builder)?,
                    Value::StringArray(_) | Value::Unsupported => return Err(Stop::Reject),
                    _ => {}
                },
                Step::Leaf {
                    place,
                    name,
                    mark_parent,
                    slot,
                    entry,
                } => match self.value(*slot, item)? {
                    Value::Fragment(at, len) => {
                        builder.open_placed(place, name, *mark_parent);
                        self.fragment(at, len, *entry, cache, builder)?;
                        builder.end().map_err(|_| Stop::Reject)?;
                    }
                    Value::StringArray(_) | Value::Unsupported => return Err(Stop::Reject),
                    value => {
                        let filled = match value.unsigned() {
                            Some(n) if place.kind.is_number() => {
                                builder.leaf(place.kind, *mark_parent, Some(n), Cow::Borrowed(""))
                            }
                            _ => {
                                let mut text = cache.spares.string();
                                value.write_text(&mut text).ok_or(Stop::Reject)?;
                                let text = match text.is_empty() {
                                    true => {
                                        cache.spares.keep(text);
                                        Cow::Borrowed("")
                                    }
                                    false => Cow::Owned(text),
                                };
                                builder.leaf(place.kind, *mark_parent, None, text)
                            }
                        };
                        filled.map_err(|_| Stop::Reject)?;
                    }
                },
                Step::Repeat { slots, to: end } => {
                    if !self.has_arrays {
                        continue;
                    }
                    // As the walk finds it: among the instance's own values.
                    let Some(&array) = slots.iter().find(|&&id| {
                        matches!(self.values.get(id as usize), Some(Value::StringArray(_)))
                    }) else {
                        continue;
                    };
                    let items = self.value(array, item)?.items().ok_or(Stop::Reject)?;
                    for each in items {
                        self.steps(steps, i, *end, Some((array, each)), cache, builder)?;
                    }
                    i = *end;
                }
                Step::SkipIfNull { slot, to } => {
                    if matches!(self.value(*slot, item)?, Value::Null) {
                        i = *to;
                    }
                }
                Step::Close => builder.end().map_err(|_| Stop::Reject)?,
            }
        }
        Ok(())
    }

    fn fragment(
        &self,
        at: usize,
        len: usize,
        entry: Entry,
        cache: &mut TemplateCache<'c>,
        builder: &mut RecordBuilder<'_>,
    ) -> Result<(), Stop> {
        let end = at.checked_add(len).ok_or(Stop::Reject)?;
        run_fragment(self.chunk, at, end, entry, cache, builder, self.nesting + 1)
    }
}
