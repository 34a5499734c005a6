//! Compiling a template definition into the tree the walk follows.

use super::fmt::utf16_string;
use super::store::Holes;
use super::value::value_type;
use super::TEMPLATE_HEADER_SIZE;
use super::{read_u16, read_u32, token, Attribute, Content, Element, Template};
use crate::builder::{local, AttributeName, ElementName};
use foldhash::HashMap;
use std::sync::Arc;

/// Compiles the template definition at chunk offset `offset`.
/// `holes`, when given, records the places of the definition that depend on the chunk.
pub(super) fn compile(
    chunk: &[u8],
    offset: u32,
    names: &mut HashMap<usize, Arc<str>>,
    holes: Option<&mut Holes>,
) -> Option<Template> {
    let offset = offset as usize;
    let data_size = read_u32(chunk, offset.checked_add(20)?)? as usize;
    let start = offset + TEMPLATE_HEADER_SIZE;
    let end = start.checked_add(data_size)?.min(chunk.len());
    let mut reader = Reader {
        chunk,
        at: start,
        end,
        names,
        holes,
    };
    if reader.u8()? == token::FRAGMENT_HEADER {
        reader.skip(3)?;
    } else {
        return None;
    }
    let first = reader.u8()?;
    if first & !token::MORE != token::OPEN_START_ELEMENT {
        return None;
    }
    let root = reader.element(first, 0)?;
    (reader.at >= reader.end || reader.u8()? == token::EOF).then_some(Template {
        root,
        plans: Default::default(),
    })
}

/// Deepest element nesting a definition may have (real ones have 4 or 5).
pub(super) const MAX_DEPTH: usize = 64;

/// A bounds-checked reader over a template definition inside its chunk.
pub(super) struct Reader<'c, 'n> {
    chunk: &'c [u8],
    at: usize,
    end: usize,
    names: &'n mut HashMap<usize, Arc<str>>,
    holes: Option<&'n mut Holes>,
}

impl Reader<'_, '_> {
    fn u8(&mut self) -> Option<u8> {
        if self.at >= self.end {
            return None;
        }
        let byte = *self.chunk.get(self.at)?;
        self.at += 1;
        Some(byte)
    }

    fn peek(&self) -> Option<u8> {
        (self.at < self.end).then(|| self.chunk.get(self.at).copied())?
    }

    fn u16(&mut self) -> Option<u16> {
        let value = read_u16(self.chunk, self.at)?;
        self.skip(2)?;
        Some(value)
    }

    fn u32(&mut self) -> Option<u32> {
        let value = read_u32(self.chunk, self.at)?;
        self.skip(4)?;
        Some(value)
    }

    fn skip(&mut self, n: usize) -> Option<()> {
        let at = self.at.checked_add(n)?;
        (at <= self.end).then(|| self.at = at)
    }

    /// A length-prefixed UTF-16 string, up to its first NUL as the `evtx` crate reads it.
    fn utf16(&mut self) -> Option<String> {
        let chars = self.u16()? as usize;
        let bytes = self.chunk.get(self.at..self.at.checked_add(chars * 2)?)?;
        self.skip(chars * 2)?;
        utf16_string(bytes, true)
    }

    /// A name reference: the chunk offset of a name structure, which may sit right here.
    fn name(&mut self) -> Option<Arc<str>> {
        let field = self.at;
        let offset = self.u32()? as usize;
        // Name structure: next-name offset (4), hash (2), length in characters (2), the
        // characters, a NUL character.
        let chars = read_u16(self.chunk, offset.checked_add(6)?)? as usize;
        let bytes = self
            .chunk
            .get(offset + 8..(offset + 8).checked_add(chars * 2)?)?;
        if let Some(holes) = self.holes.as_deref_mut() {
            holes.name_reference(field, offset, bytes);
        }
        if offset == self.at {
            self.skip(8 + chars * 2 + 2)?;
        }
        if let Some(name) = self.names.get(&offset) {
            return Some(Arc::clone(name));
        }
        let name: Arc<str> = utf16_string(bytes, false)?.into();
        self.names.insert(offset, Arc::clone(&name));
        Some(name)
    }

    /// The element whose open-start token `open` was just read.
    fn element(&mut self, open: u8, depth: usize) -> Option<Element> {
        if depth > MAX_DEPTH {
            return None;
        }
        // DependencyId (0xFFFF: none), then the data size, not needed to read the definition.
        let dependency = self.u16()?;
        self.skip(4)?;
        let full = self.name()?;
        if !is_xml_name(&full) {
            return None;
        }
        let name = match local(&full) {
            local if local.len() == full.len() => full,
            local => local.into(),
        };
        if open & token::MORE != 0 {
            self.skip(4)?; // size of the attribute list
        }
        let class = ElementName::of(&name);
        let dependency = (dependency != 0xFFFF).then_some(dependency);
        let mut attributes = Vec::new();
        while self.peek()? & !token::MORE == token::ATTRIBUTE {
            self.u8()?;
            let name = self.name()?;
            if !is_xml_name(&name) {
                return None;
            }
            let mut value = Vec::new();
            while let Some(piece) = self.value_piece()? {
                value.push(piece);
            }
            attributes.push(Attribute {
                class: AttributeName::of(&name),
                value: value.into(),
            });
        }
        let mut children = Vec::new();
        let element = |children: Vec<Content>| {
            let slots = children
                .iter()
                .filter_map(|content| match content {
                    Content::Substitution { id } => Some(*id),
                    _ => None,
                })
                .collect();
            Element {
                name,
                class,
                attributes: attributes.into(),
                children: children.into(),
                slots,
                dependency,
            }
        };
        match self.u8()? {
            token::CLOSE_EMPTY_ELEMENT => return Some(element(children)),
            token::CLOSE_START_ELEMENT => {}
            _ => return None,
        }
        loop {
            let next = self.peek()?;
            match next & !token::MORE {
                token::END_ELEMENT => {
                    self.u8()?;
                    return Some(element(children));
                }
                token::OPEN_START_ELEMENT => {
                    self.u8()?;
                    let child = self.element(next, depth + 1)?;
                    children.push(Content::Element(Box::new(child)));
                }
                token::CDATA => {
                    self.u8()?;
                    children.push(Content::Text(self.utf16()?.into()));
                }
                token::PI_TARGET => {
                    // A processing instruction has no text werr keeps.
                    self.u8()?;
                    self.name()?;
                    if self.peek()? == token::PI_DATA {
                        self.u8()?;
                        self.utf16()?;
                    }
                }
                _ => match self.value_piece()? {
                    Some(piece) => children.push(piece),
                    None => return None,
                },
            }
        }
    }

    /// The next piece of character content (value text, a character or entity reference, a
    /// substitution), `Some(None)` when the next token is something else.
    fn value_piece(&mut self) -> Option<Option<Content>> {
        let next = self.peek()?;
        let piece = match next & !token::MORE {
            token::VALUE => {
                self.u8()?;
                if self.u8()? != value_type::STRING {
                    return None;
                }
                Content::Text(self.utf16()?.into())
            }
            token::CHAR_REF => {
                self.u8()?;
                let code = self.u16()?;
                Content::Text(char::from_u32(code.into())?.to_string().into())
            }
            token::ENTITY_REF => {
                self.u8()?;
                let text = match &*self.name()? {
                    "amp" => "&",
                    "lt" => "<",
                    "gt" => ">",
                    "quot" => "\"",
                    "apos" => "'",
                    _ => return None,
                };
                Content::Text(text.into())
            }
            _ if next == token::NORMAL_SUBSTITUTION || next == token::OPTIONAL_SUBSTITUTION => {
                self.u8()?;
                let id = self.u16()?;
                // The value type the slot expects: the value carries its own, but the `evtx`
                // crate refuses a record whose definition names no known type.
                if !value_type::is_known(self.u8()?) {
                    return None;
                }
                Content::Substitution { id }
            }
            _ => return Some(None),
        };
        Some(Some(piece))
    }
}

/// Whether `name` is an XML name (a letter, `_` or `:`, then letters, digits, `-`, `.`, `_`,
/// `:`) whose local part is not empty. A damaged definition can hold any text as a name; in
/// the XML the `evtx` crate writes, such a name reads as something else (`< rovider`, or
/// an element and an attribute), so those records are left to the XML reader.
pub(super) fn is_xml_name(name: &str) -> bool {
    let mut chars = name.chars();
    let first_ok = chars
        .next()
        .is_some_and(|c| c.is_alphabetic() || matches!(c, '_' | ':'));
    first_ok
        && chars.all(|c| c.is_alphanumeric() || matches!(c, '-' | '.' | '_' | ':'))
        && !local(name).is_empty()
}
