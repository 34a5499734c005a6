//! Evaluating what one file leaves open with the names of other files.

use crate::fast::FastMap as HashMap;
use std::borrow::Cow;

use crate::expr::{eval_tokens, to_u32, tokenize, Env, EvalError, Tok, Typed};
use crate::model::HeaderFile;
use crate::scan::{add_function, Expandable};

/// Names evaluated somewhere in the set, with one agreed value (names whose evaluated
/// definitions disagree are left out).
struct Global {
    values: HashMap<String, Option<(u32, String)>>,
    functions: HashMap<String, Option<Expandable>>,
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
    fn function(&self, name: &str) -> Option<(&[String], &[Tok])> {
        self.functions
            .get(name)?
            .as_ref()
            .map(|(params, body)| (params.as_slice(), body.as_slice()))
    }
}

/// Evaluates, across a set of scanned headers (one kit), the definitions each file left
/// unevaluated because they use names defined in another file (`#define E_X
/// HRESULT_FROM_WIN32(ERROR_X)` in one header, `ERROR_X` in winerror.h). A name counts
/// when every evaluated definition of it in the set has the same value; names with
/// conflicting values stay unresolved. Repeats until nothing changes, so chains of aliases
/// resolve. Function-like macros of other files are used the same way
/// (`MAKE_DDHRESULT` of ddraw.h in d3d.h), when all their definitions in the set agree.
/// Definitions that turn out not to be integers (an alias of a string in another file)
/// are removed. Returns how many definitions got a value.
pub fn resolve_across(files: &mut [HeaderFile]) -> usize {
    let mut functions = HashMap::default();
    for m in files.iter().flat_map(|f| &f.macros) {
        if let Ok(body) = tokenize(&m.body) {
            add_function(&mut functions, &m.name, (m.params.clone(), body));
        }
    }
    let mut global = Global {
        values: HashMap::default(),
        functions,
    };
    for def in files.iter().flat_map(|f| &f.definitions) {
        if let Some(v) = def.value {
            global.add(&def.name, v, &def.c_type);
        }
    }
    let mut resolved = 0;
    loop {
        let mut changed = Vec::new();
        for file in files.iter_mut() {
            file.definitions.retain_mut(|def| {
                if def.value.is_some() {
                    return true;
                }
                let Ok(toks) = tokenize(&def.expression) else {
                    return true;
                };
                match eval_tokens(&toks, &global, 0) {
                    Ok(t) => {
                        if let Some(v) = to_u32(&t) {
                            def.value = Some(v);
                            def.c_type = Cow::into_owned(t.ty.name);
                            def.unevaluated_reason = None;
                            changed.push((def.name.clone(), v, def.c_type.clone()));
                        }
                        true
                    }
                    Err(EvalError::NotInteger(_)) => false,
                    Err(_) => true,
                }
            });
        }
        if changed.is_empty() {
            for file in files.iter_mut() {
                crate::scan::finish(file);
            }
            return resolved;
        }
        resolved += changed.len();
        for (name, v, c_type) in changed {
            global.add(&name, v, &c_type);
        }
    }
}

impl Global {
    /// Records a value; a second, different value for the name makes it unusable.
    fn add(&mut self, name: &str, v: u32, c_type: &str) {
        match self.values.get_mut(name) {
            None => {
                self.values
                    .insert(name.to_string(), Some((v, c_type.to_string())));
            }
            Some(e) => {
                if e.as_ref().is_some_and(|(old, _)| *old != v) {
                    *e = None;
                }
            }
        }
    }
}
