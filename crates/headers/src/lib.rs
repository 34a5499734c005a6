//! C header scanner: finds `#define`d codes with their lines, comments, groups and categories.
//!
//! Pure: text in, [`HeaderFile`] out. (Being built: see issue 3.)
#![deny(missing_docs)]

mod model;

pub use model::{Definition, Diagnostic, Group, HeaderFile};
