//! Evaluating what one file leaves open with the names of other files.

use crate::fast::FastMap as HashMap;
use std::borrow::Cow;

use crate::expr::{evaluate, to_u32, tokenize, Env, EvalError, Nesting, Tok, Typed};
use crate::model::HeaderFile;
use crate::scan::{add_function, Expandable};

/// Names evaluated somewhere in the set, with one agreed value (names whose evaluated
/// definitions disagree are left out).
struct Global {
    /// Name -> (value, index into `types`).
    values: HashMap<String, Option<(u32, u16)>>,
    /// The C type names seen, each once (there are few).
    types: Vec<String>,
    functions: HashMap<String, Option<Expandable>>,
}

impl Env for Global {
    fn lookup(&self, name: &str, _: Nesting<'_>) -> Option<Result<Typed, EvalError>> {
        match self.values.get(name)? {
            Some((v, ty)) => Some(Ok(crate::expr::typed_value(
                *v,
                self.types.get(usize::from(*ty)).map_or("", String::as_str),
            ))),
            None => Some(Err(EvalError::Syntax(format!(
                "{} has different values in different headers",
                werr_quote::quoted(name)
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
    let defined = files.iter().map(|f| f.definitions.len()).sum();
    let mut global = Global {
        values: HashMap::with_capacity_and_hasher(defined, Default::default()),
        types: Vec::new(),
        functions,
    };
    for def in files.iter().flat_map(|f| &f.definitions) {
        if let Some(v) = def.value {
            // An enum constant has type int in C; its enum's name is not a type to compute with.
            let c_type = if def.enum_line.is_some() {
                "int"
            } else {
                &def.c_type
            };
            global.add(&def.name, v, c_type);
        }
    }
    // The definitions still open, tokenized once: (file, definition, tokens).
    let mut open: Vec<(usize, usize, Vec<Tok>)> = Vec::new();
    for (f, file) in files.iter().enumerate() {
        for (d, def) in file.definitions.iter().enumerate() {
            // An enum member without an initializer has nothing to evaluate.
            if def.value.is_none() && !def.expression.is_empty() {
                if let Ok(toks) = tokenize(&def.expression) {
                    open.push((f, d, toks));
                }
            }
        }
    }
    let mut touched = vec![false; files.len()];
    let mut not_integer: Vec<(usize, usize)> = Vec::new();
    let mut resolved = 0;
    loop {
        let mut changed = Vec::new();
        open.retain(|(f, d, toks)| match evaluate(toks, &global) {
            Ok(t) => match to_u32(&t) {
                Some(v) => {
                    let def = &mut files[*f].definitions[*d];
                    def.value = Some(v);
                    let c_type = Cow::into_owned(t.ty.name);
                    if def.enum_line.is_none() {
                        def.c_type = c_type.clone();
                    }
                    def.unevaluated_reason = None;
                    changed.push((def.name.clone(), v, c_type));
                    touched[*f] = true;
                    false
                }
                None => true,
            },
            Err(EvalError::NotInteger(_)) => {
                not_integer.push((*f, *d));
                touched[*f] = true;
                false
            }
            Err(_) => true,
        });
        if changed.is_empty() {
            break;
        }
        resolved += changed.len();
        for (name, v, c_type) in changed {
            global.add(&name, v, &c_type);
        }
    }
    // Remove what is not an integer, last index first so earlier indices stay valid.
    not_integer.sort_unstable_by(|a, b| b.cmp(a));
    for (f, d) in not_integer {
        files[f].definitions.remove(d);
    }
    for (file, touched) in files.iter_mut().zip(touched) {
        if touched {
            crate::scan::finish(file);
        }
    }
    resolved
}

impl Global {
    /// Records a value; a second, different value for the name makes it unusable.
    fn add(&mut self, name: &str, v: u32, c_type: &str) {
        match self.values.get_mut(name) {
            None => {
                let ty = match self.types.iter().position(|t| t == c_type) {
                    Some(i) => i,
                    None => {
                        self.types.push(c_type.to_string());
                        self.types.len() - 1
                    }
                };
                let ty = u16::try_from(ty).unwrap_or(u16::MAX);
                self.values.insert(name.to_string(), Some((v, ty)));
            }
            Some(e) => {
                if e.as_ref().is_some_and(|(old, _)| *old != v) {
                    *e = None;
                }
            }
        }
    }
}
