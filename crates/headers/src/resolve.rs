//! Evaluating what one file leaves open with the names of other files.

use std::borrow::Cow;
use std::collections::HashMap;

use crate::expr::{eval_tokens, to_u32, tokenize, Env, EvalError, Tok, Typed};
use crate::model::HeaderFile;

/// Names evaluated somewhere in the set, with one agreed value (names whose evaluated
/// definitions disagree are left out).
struct Global {
    values: HashMap<String, Option<(u32, String)>>,
}

impl Env for Global {
    fn lookup(&self, name: &str, _depth: u32) -> Option<Result<Typed, EvalError>> {
        match self.values.get(name)? {
            Some((v, c_type)) => Some(Ok(crate::expr::typed_value(*v, c_type))),
            None => Some(Err(EvalError::Syntax(format!(
                "`{name}` has different values in different headers"
            )))),
        }
    }
    fn function(&self, _name: &str) -> Option<(&[String], &[Tok])> {
        None
    }
}

/// Evaluates, across a set of scanned headers (one kit), the definitions each file left
/// unevaluated because they use names defined in another file (`#define E_X
/// HRESULT_FROM_WIN32(ERROR_X)` in one header, `ERROR_X` in winerror.h). A name counts
/// when every evaluated definition of it in the set has the same value; names with
/// conflicting values stay unresolved. Repeats until nothing changes, so chains of aliases
/// resolve. Returns how many definitions got a value.
pub fn resolve_across(files: &mut [HeaderFile]) -> usize {
    let mut resolved = 0;
    loop {
        let mut global = Global {
            values: HashMap::new(),
        };
        for def in files.iter().flat_map(|f| &f.definitions) {
            if let Some(v) = def.value {
                global
                    .values
                    .entry(def.name.clone())
                    .and_modify(|e| {
                        if e.as_ref().is_some_and(|(old, _)| *old != v) {
                            *e = None;
                        }
                    })
                    .or_insert_with(|| Some((v, def.c_type.clone())));
            }
        }
        let mut changed = 0;
        for def in files
            .iter_mut()
            .flat_map(|f| f.definitions.iter_mut())
            .filter(|d| d.value.is_none())
        {
            let Ok(toks) = tokenize(&def.expression) else {
                continue;
            };
            if let Ok(t) = eval_tokens(&toks, &global, 0) {
                if let Some(v) = to_u32(&t) {
                    def.value = Some(v);
                    def.c_type = Cow::into_owned(t.ty.name);
                    def.unevaluated_reason = None;
                    changed += 1;
                }
            }
        }
        resolved += changed;
        if changed == 0 {
            return resolved;
        }
    }
}
