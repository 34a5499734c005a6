//! Walking a compiled definition with one record's values, feeding a [`RecordBuilder`].

use super::value::Value;
use super::{read_u32, token, Attribute, Content, Element, TemplateCache, TEMPLATE_HEADER_SIZE};
use crate::builder::RecordBuilder;
use std::borrow::Cow;

/// Nesting limit for fragments inside values (real logs nest once: System, then EventData).
pub(super) const MAX_NESTING: usize = 8;

/// Walks the BinXML fragment at chunk bytes `start..end`: an optional fragment header, one
/// template instance, then the end of the fragment.
pub(super) fn walk_fragment<'c>(
    chunk: &'c [u8],
    start: usize,
    end: usize,
    cache: &mut TemplateCache<'c>,
    builder: &mut RecordBuilder<'_>,
    nesting: usize,
) -> Option<()> {
    if nesting > MAX_NESTING {
        return None;
    }
    let (def_offset, values) = read_instance(chunk, start, end, cache)?;
    let template = cache.get(chunk, def_offset)?;
    let walk = Walk {
        chunk,
        values: &values,
        has_arrays: values.iter().any(|v| matches!(v, Value::StringArray(_))),
        nesting,
    };
    let walked = walk.element(&template.root, None, cache, builder);
    cache.spare_values.push(values);
    walked
}

/// Reads the template instance of the BinXML fragment at chunk bytes `start..end`: an
/// optional fragment header, one template instance, then the end of the fragment. Answers the
/// chunk offset of its definition and its values (in a list from `cache`'s spares, to be
/// given back there).
pub(super) fn read_instance<'c>(
    chunk: &'c [u8],
    start: usize,
    end: usize,
    cache: &mut TemplateCache<'c>,
) -> Option<(u32, Vec<Value<'c>>)> {
    let mut at = start;
    if *chunk.get(at)? == token::FRAGMENT_HEADER {
        at += 4;
    }
    if *chunk.get(at)? != token::TEMPLATE_INSTANCE {
        return None;
    }
    // Token, an unknown byte, template id, definition offset.
    let def_offset = read_u32(chunk, at + 6)?;
    at += 10;
    if def_offset as usize == at {
        // The definition is stored inline, right here (its first use in the chunk).
        let data_size = read_u32(chunk, at + 20)? as usize;
        at = at
            .checked_add(TEMPLATE_HEADER_SIZE)?
            .checked_add(data_size)?;
    }
    let count = read_u32(chunk, at)? as usize;
    at += 4;
    let descriptors = chunk.get(at..at.checked_add(count.checked_mul(4)?)?)?;
    at += descriptors.len();
    let mut values = cache.spare_values.pop().unwrap_or_default();
    values.clear();
    values.reserve(count);
    for descriptor in descriptors.chunks_exact(4) {
        let size = u16::from_le_bytes([descriptor[0], descriptor[1]]) as usize;
        let bytes = chunk.get(at..at.checked_add(size)?)?;
        // A value this path cannot read, used or not (a type MS-EVEN6 does not define, a
        // size that does not fit its type, a type werr reads only through XML), sends the
        // record to the XML reader: the `evtx` crate reads every value, and may read such a
        // one otherwise or refuse the record.
        let value = Value::read(descriptor[2], bytes, at);
        if matches!(value, Value::Unsupported) {
            return None;
        }
        values.push(value);
        at += size;
    }
    if at > end || (at < end && chunk[at] != token::EOF) {
        return None;
    }
    Some((def_offset, values))
}

/// Walks a template with one instance's values, feeding a [`RecordBuilder`].
pub(super) struct Walk<'c, 'v> {
    chunk: &'c [u8],
    values: &'v [Value<'c>],
    /// Whether any value is a string array: most instances have none, and then no element
    /// needs its slots searched for one.
    has_arrays: bool,
    nesting: usize,
}

impl<'c> Walk<'c, '_> {
    /// Emits `element`; `item` replaces the value of an array slot with one of its items
    /// (the element is repeated once per item, as the XML shows it).
    fn element(
        &self,
        element: &Element,
        item: Option<(u16, Value<'c>)>,
        cache: &mut TemplateCache<'c>,
        builder: &mut RecordBuilder<'_>,
    ) -> Option<()> {
        let value_of = |id: u16| -> Option<Value<'c>> {
            match item {
                Some((slot, value)) if slot == id => Some(value),
                _ => self.values.get(id as usize).copied(),
            }
        };
        if builder.start_named(&element.name, element.class) {
            for each in &element.attributes {
                attribute(each, &value_of, cache, builder)?;
            }
        }
        for content in &element.children {
            match content {
                Content::Element(child) => match self.array_slot(child) {
                    None => {
                        if !self.left_out(child, item)? {
                            self.element(child, item, cache, builder)?;
                        }
                    }
                    Some(slot) => {
                        for each in value_of(slot)?.items()? {
                            if !self.left_out(child, Some((slot, each)))? {
                                self.element(child, Some((slot, each)), cache, builder)?;
                            }
                        }
                    }
                },
                Content::Text(text) => {
                    if builder.wants_text() {
                        let mut owned = cache.spares.string();
                        owned.push_str(text);
                        builder.text(Cow::Owned(owned));
                    }
                }
                Content::Substitution { id } => match value_of(*id)? {
                    Value::Fragment(at, len) => {
                        walk_fragment(self.chunk, at, at + len, cache, builder, self.nesting + 1)?
                    }
                    // Not kept, but an array or unknown value would change the document.
                    Value::StringArray(_) | Value::Unsupported => return None,
                    value if builder.wants_text() => match value.unsigned() {
                        // A number werr keeps as a number skips its text.
                        Some(n) if builder.wants_number() => builder.number(n),
                        _ => {
                            let mut text = cache.spares.string();
                            value.write_text(&mut text)?;
                            if text.is_empty() {
                                cache.spares.keep(text);
                            } else {
                                builder.text(Cow::Owned(text));
                            }
                        }
                    },
                    _ => {}
                },
            }
        }
        builder.end().ok()
    }

    /// Whether child `element` is left out of the document: the value its DependencyId names
    /// is null (MS-EVEN6; the `evtx` crate does the same). `None` when that slot does not
    /// exist.
    fn left_out(&self, element: &Element, item: Option<(u16, Value<'c>)>) -> Option<bool> {
        let Some(slot) = element.dependency else {
            return Some(false);
        };
        let value = match item {
            Some((array_slot, value)) if array_slot == slot => value,
            _ => *self.values.get(slot as usize)?,
        };
        Some(matches!(value, Value::Null))
    }

    /// The array slot among `element`'s own content, if any: the element is then repeated
    /// once per item.
    fn array_slot(&self, element: &Element) -> Option<u16> {
        if !self.has_arrays {
            return None;
        }
        element
            .slots
            .iter()
            .copied()
            .find(|&id| matches!(self.values.get(id as usize), Some(Value::StringArray(_))))
    }
}

/// Passes `attribute` on as the `evtx` crate writes it (MS-EVEN6 leaves this open):
/// an attribute of constant text only is written when that text is not empty; one with
/// non-empty constant text and substitutions always; one that is a single substitution
/// (around empty text) only when the value's text is not empty, null or not, optional
/// or not. Several substitutions and no constant text: the crate takes another path,
/// so the record goes to the XML reader (`None`).
pub(super) fn attribute<'c>(
    attribute: &Attribute,
    value_of: &impl Fn(u16) -> Option<Value<'c>>,
    cache: &mut TemplateCache<'c>,
    builder: &mut RecordBuilder<'_>,
) -> Option<()> {
    let kept = builder.keeps_attribute(attribute.class);
    // Most attribute values are one substitution: its text is the value.
    if let [Content::Substitution { id }] = &*attribute.value {
        let value = value_of(*id)?;
        if let Some(n) = value.unsigned() {
            return builder.attribute_number(attribute.class, n).ok();
        }
        if !kept {
            // Not kept, but a value with no text would change the document.
            cache.scratch.clear();
            return value.write_text(&mut cache.scratch);
        }
        let mut text = cache.spares.string();
        value.write_text(&mut text)?;
        if text.is_empty() {
            cache.spares.keep(text);
        } else {
            builder
                .attribute_named(attribute.class, Cow::Owned(text))
                .ok()?;
        }
        return Some(());
    }
    let mut text = cache.spares.string();
    let (mut substitutions, mut constant) = (0, false);
    for piece in &attribute.value {
        match piece {
            Content::Text(t) => {
                constant |= !t.is_empty();
                text.push_str(t);
            }
            Content::Substitution { id } => {
                substitutions += 1;
                value_of(*id)?.write_text(&mut text)?;
            }
            Content::Element(_) => return None,
        }
    }
    if !constant && substitutions > 1 {
        return None;
    }
    if kept && (constant || !text.is_empty()) {
        builder
            .attribute_named(attribute.class, Cow::Owned(text))
            .ok()?;
    } else {
        cache.spares.keep(text);
    }
    Some(())
}
