//! A whole decoding of user input, in the shape of `werr decode --json` and of the web API's
//! `/api/v1/decode/{value}`: both print this one type, so they cannot drift apart.

use crate::layout::Scheme;
use crate::parse::{NumberForm, ParsedValue};
use crate::reading::{readings, Reading};
use crate::ValueForms;

/// What a text decodes to: its most plausible value under the chosen layouts, and the other
/// values the text could mean.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Decoding {
    /// The text as given.
    pub input: String,
    /// The most plausible value's three forms.
    pub value: ValueForms,
    /// How the text was read to get that value.
    pub read_as: NumberForm,
    /// The other values the text could mean (`80001083` is also decimal), most plausible first.
    pub alternatives: Vec<Alternative>,
    /// The value under every layout, most plausible first, or under the one asked for.
    pub readings: Vec<Reading>,
}

/// Another value an ambiguous text could mean.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Alternative {
    /// The value's three forms.
    pub value: ValueForms,
    /// How the text was read to get it.
    pub read_as: NumberForm,
}

impl Decoding {
    /// Decodes `parsed` (parsed from `input`), under every layout or only under `scheme`.
    pub fn new(input: &str, parsed: &ParsedValue, scheme: Option<Scheme>) -> Decoding {
        let primary = parsed.primary();
        Decoding {
            input: input.to_string(),
            value: ValueForms::of(primary.value),
            read_as: primary.form,
            alternatives: parsed.readings()[1..]
                .iter()
                .map(|a| Alternative {
                    value: ValueForms::of(a.value),
                    read_as: a.form,
                })
                .collect(),
            readings: match scheme {
                Some(s) => vec![Reading::new(s, primary.value)],
                None => readings(primary.value),
            },
        }
    }
}
