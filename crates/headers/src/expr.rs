//! Tokens and constant evaluation of `#define` bodies: integer literals, names, casts,
//! `| ^ & << >> + - * / % ~ !`, parentheses and the SDK's code-building macros.

use std::borrow::Cow;
use std::fmt;
use werr_quote::quoted;

/// One token of a `#define` body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Tok {
    /// An integer literal as written (`0x80001083L`).
    Int(String),
    /// A character literal's value (`'A'`).
    Char(u32),
    /// A name.
    Ident(String),
    /// An operator or bracket.
    Punct(&'static str),
}

const PUNCTS: [&str; 20] = [
    "<<", ">>", "&&", "||", "==", "!=", "<=", ">=", "##", "(", ")", "+", "-", "~", "!", "*", "/",
    "%", "&", "|",
];
const MORE_PUNCTS: [&str; 6] = ["^", ",", "<", ">", "?", ":"];

/// Splits a body into tokens; `Err` names the byte offset of the first thing that is not
/// part of an integer expression (a string, a float, a brace...).
pub(crate) fn tokenize(text: &str) -> Result<Vec<Tok>, usize> {
    let bytes = text.as_bytes();
    let mut toks = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        if c.is_ascii_whitespace() {
            i += 1;
        } else if c.is_ascii_digit() {
            let start = i;
            while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                i += 1;
            }
            if i < bytes.len() && bytes[i] == b'.' {
                return Err(i);
            }
            toks.push(Tok::Int(text[start..i].to_string()));
        } else if c.is_ascii_alphabetic() || c == b'_' || c == b'$' {
            let start = i;
            while i < bytes.len()
                && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_' || bytes[i] == b'$')
            {
                i += 1;
            }
            // A prefixed string or char literal (L"..", u8'..') is not an integer form we keep.
            if i < bytes.len() && (bytes[i] == b'"' || bytes[i] == b'\'') {
                return Err(i);
            }
            toks.push(Tok::Ident(text[start..i].to_string()));
        } else if c == b'-' && bytes.get(i + 1) == Some(&b'>') {
            // Member access: code, not a constant.
            return Err(i);
        } else if c == b'\'' {
            let (value, next) = char_literal(bytes, i).ok_or(i)?;
            toks.push(Tok::Char(value));
            i = next;
        } else if let Some(p) = PUNCTS
            .iter()
            .chain(MORE_PUNCTS.iter())
            .find(|p| bytes[i..].starts_with(p.as_bytes()))
        {
            toks.push(Tok::Punct(p));
            i += p.len();
        } else {
            return Err(i);
        }
    }
    Ok(toks)
}

/// A one-character literal `'x'` or `'\n'`; multi-character literals have an
/// implementation-defined value and are refused.
fn char_literal(bytes: &[u8], start: usize) -> Option<(u32, usize)> {
    let rest = bytes.get(start + 1..)?;
    let (value, len) = match *rest.first()? {
        b'\\' => {
            let e = *rest.get(1)?;
            let v = match e {
                b'n' => 10,
                b't' => 9,
                b'r' => 13,
                b'0' => 0,
                b'\\' => b'\\' as u32,
                b'\'' => b'\'' as u32,
                b'"' => b'"' as u32,
                b'a' => 7,
                b'b' => 8,
                b'f' => 12,
                b'v' => 11,
                _ => return None,
            };
            (v, 2)
        }
        b'\'' => return None,
        c if c.is_ascii() => (u32::from(c), 1),
        _ => return None,
    };
    (rest.get(len) == Some(&b'\'')).then_some((value, start + 1 + len + 1))
}

/// A C integer type, as far as evaluation needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Ty {
    /// The name shown to users (`int`, `unsigned long`, `HRESULT`).
    pub name: Cow<'static, str>,
    bits: u8,
    signed: bool,
    /// Conversion rank: 1 int, 2 long, 3 long long (smaller types promote to int).
    rank: u8,
}

impl Ty {
    const fn fundamental(name: &'static str, bits: u8, signed: bool, rank: u8) -> Ty {
        Ty {
            name: Cow::Borrowed(name),
            bits,
            signed,
            rank,
        }
    }
    fn named(name: &str, like: &Ty) -> Ty {
        Ty {
            name: Cow::Owned(name.to_string()),
            ..like.clone()
        }
    }
}

const INT: Ty = Ty::fundamental("int", 32, true, 1);
const UINT: Ty = Ty::fundamental("unsigned int", 32, false, 1);
const LONG: Ty = Ty::fundamental("long", 32, true, 2);
const ULONG: Ty = Ty::fundamental("unsigned long", 32, false, 2);
const LLONG: Ty = Ty::fundamental("long long", 64, true, 3);
const ULLONG: Ty = Ty::fundamental("unsigned long long", 64, false, 3);
const SHORT: Ty = Ty::fundamental("short", 16, true, 0);
const USHORT: Ty = Ty::fundamental("unsigned short", 16, false, 0);
const CHAR: Ty = Ty::fundamental("char", 8, true, 0);
const UCHAR: Ty = Ty::fundamental("unsigned char", 8, false, 0);

/// The Windows typedefs and C type words a cast may name, with the fundamental type they
/// stand for on Windows (LLP64; pointer-sized types as on x64).
fn known_type(name: &str) -> Option<Ty> {
    let base = match name {
        "int" | "INT" | "INT32" | "BOOL" | "NDIS_STATUS" | "errno_t" | "signed" | "__int32" => INT,
        "UINT" | "UINT32" | "unsigned" | "MMRESULT" | "UINT_PTR32" => UINT,
        "long" | "LONG" | "LONG32" | "__LONG32" | "HRESULT" | "SCODE" | "NTSTATUS"
        | "SECURITY_STATUS" | "LSTATUS" | "RPC_STATUS" | "USBD_STATUS" | "JET_ERR"
        | "PDH_STATUS" => LONG,
        "DWORD" | "ULONG" | "ULONG32" | "DWORD32" | "MCIERROR" | "WINERROR" | "NET_API_STATUS"
        | "DNS_STATUS" | "FOURCC" | "COLORREF" | "LCID" | "LANGID32" | "CONFIGRET"
        | "RETURN_TYPE" => ULONG,
        "LONGLONG" | "LONG64" | "INT64" | "__int64" | "LONG_PTR" | "INT_PTR" | "SSIZE_T" => LLONG,
        "ULONGLONG" | "ULONG64" | "DWORD64" | "UINT64" | "ULONG_PTR" | "DWORD_PTR" | "UINT_PTR"
        | "SIZE_T" | "size_t" => ULLONG,
        "short" | "SHORT" | "INT16" => SHORT,
        "WORD" | "USHORT" | "UINT16" | "LANGID" | "ATOM" => USHORT,
        "char" | "CHAR" | "INT8" => CHAR,
        "BYTE" | "UCHAR" | "UINT8" | "BOOLEAN" => UCHAR,
        _ => return None,
    };
    Some(if base.name == name {
        base
    } else {
        Ty::named(name, &base)
    })
}

/// The type of a multi-word type spelled out in a cast (`unsigned long`, `long long`).
fn type_of_words(words: &[&str]) -> Option<Ty> {
    if let [one] = words {
        return known_type(one);
    }
    let mut unsigned = false;
    let mut longs = 0;
    let mut base: Option<Ty> = None;
    for w in words {
        match *w {
            "unsigned" => unsigned = true,
            "signed" | "const" | "volatile" => {}
            "long" => longs += 1,
            "int" => {}
            "short" => base = Some(SHORT),
            "char" => base = Some(CHAR),
            "__int64" => base = Some(LLONG),
            "__LONG32" => base = Some(LONG),
            "__int32" => base = Some(INT),
            _ => return None,
        }
    }
    let ty = match (base, longs) {
        (Some(b), 0) => b,
        (None, 0) => INT,
        (None, 1) => LONG,
        (None, 2) => LLONG,
        _ => return None,
    };
    Some(if unsigned { to_unsigned(&ty) } else { ty })
}

fn to_unsigned(ty: &Ty) -> Ty {
    match (ty.bits, ty.rank) {
        (8, _) => UCHAR,
        (16, _) => USHORT,
        (32, 1) => UINT,
        (32, _) => ULONG,
        _ => ULLONG,
    }
}

fn is_type_word(w: &str) -> bool {
    matches!(
        w,
        "unsigned"
            | "signed"
            | "long"
            | "int"
            | "short"
            | "char"
            | "const"
            | "volatile"
            | "__int64"
            | "__int32"
            | "__LONG32"
    ) || known_type(w).is_some()
}

/// A value with its C type. `v` is kept normalized to the type's range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Typed {
    pub v: i128,
    pub ty: Ty,
}

fn normalize(v: i128, ty: &Ty) -> i128 {
    let bits = u32::from(ty.bits);
    let modulus = 1i128 << bits;
    let mut r = v.rem_euclid(modulus);
    if ty.signed && r >= modulus / 2 {
        r -= modulus;
    }
    r
}

fn cast(value: Typed, ty: Ty) -> Typed {
    Typed {
        v: normalize(value.v, &ty),
        ty,
    }
}

/// Integer promotion: types narrower than int become int; typedef names fall back to
/// their fundamental type once arithmetic touches them.
fn promote(ty: &Ty) -> Ty {
    if ty.bits < 32 {
        return INT;
    }
    match (ty.bits, ty.signed, ty.rank) {
        (32, true, 1) => INT,
        (32, false, 1) => UINT,
        (32, true, _) => LONG,
        (32, false, _) => ULONG,
        (_, true, _) => LLONG,
        _ => ULLONG,
    }
}

/// C's usual arithmetic conversions, for LLP64.
fn common(a: &Ty, b: &Ty) -> Ty {
    let (a, b) = (promote(a), promote(b));
    if a.signed == b.signed {
        return if a.rank >= b.rank { a } else { b };
    }
    let (s, u) = if a.signed { (a, b) } else { (b, a) };
    if u.rank >= s.rank {
        u
    } else if s.bits > u.bits {
        s
    } else {
        to_unsigned(&s)
    }
}

/// The type of an integer literal from its digits base and suffix (C11 6.4.4.1, LLP64).
fn literal(text: &str) -> Result<Typed, EvalError> {
    let bad = || EvalError::Syntax(format!("{} is not an integer literal", quoted(text)));
    let lower = text.to_ascii_lowercase();
    let (digits, radix) = if let Some(h) = lower.strip_prefix("0x") {
        (h, 16)
    } else if let Some(b) = lower.strip_prefix("0b") {
        (b, 2)
    } else if lower.len() > 1 && lower.starts_with('0') {
        (&lower[1..], 8)
    } else {
        (lower.as_str(), 10)
    };
    let end = digits
        .find(|c: char| !c.is_digit(radix))
        .unwrap_or(digits.len());
    let (num, suffix) = digits.split_at(end);
    if num.is_empty() && radix != 8 {
        return Err(bad());
    }
    let value = if num.is_empty() {
        0
    } else {
        u128::from_str_radix(num, radix).map_err(|_| bad())?
    };
    if value > u128::from(u64::MAX) {
        return Err(EvalError::TooLarge(text.to_string()));
    }
    let (unsigned, longs) = match suffix {
        "" => (false, 0),
        "u" => (true, 0),
        "l" => (false, 1),
        "ul" | "lu" => (true, 1),
        "ll" | "i64" => (false, 2),
        "ull" | "llu" | "ui64" => (true, 2),
        "i32" | "i16" | "i8" => (false, 0),
        "ui32" | "ui16" | "ui8" => (true, 0),
        _ => return Err(bad()),
    };
    let candidates: &[Ty] = match (unsigned, longs, radix == 10) {
        (false, 0, true) => &[INT, LONG, LLONG],
        (false, 0, false) => &[INT, UINT, LONG, ULONG, LLONG, ULLONG],
        (true, 0, _) => &[UINT, ULONG, ULLONG],
        (false, 1, true) => &[LONG, LLONG],
        (false, 1, false) => &[LONG, ULONG, LLONG, ULLONG],
        (true, 1, _) => &[ULONG, ULLONG],
        (false, _, true) => &[LLONG],
        (false, _, false) => &[LLONG, ULLONG],
        (true, _, _) => &[ULLONG],
    };
    let v = value as i128;
    candidates
        .iter()
        .find(|t| {
            let max = if t.signed {
                (1i128 << (t.bits - 1)) - 1
            } else {
                (1i128 << t.bits) - 1
            };
            v <= max
        })
        .map(|t| Typed { v, ty: t.clone() })
        .ok_or_else(|| EvalError::TooLarge(text.to_string()))
}

/// Why an expression has no value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EvalError {
    /// A name that is not defined where the expression was evaluated.
    Undefined(String),
    /// A function-like macro the evaluator does not know.
    UnknownMacro(String),
    /// A cast to a type the evaluator does not know the width of.
    UnknownType(String),
    /// A literal or intermediate value wider than 64 bits.
    TooLarge(String),
    /// Division or remainder by zero.
    DivisionByZero,
    /// Macro expansion nested too deeply (or recursively).
    TooDeep,
    /// Something that is not a constant integer expression.
    Syntax(String),
    /// Not an integer at all: a string, a float, a list of values (a GUID's parts).
    NotInteger(String),
}

impl fmt::Display for EvalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EvalError::Undefined(n) => write!(f, "{} is not defined here", quoted(n)),
            EvalError::UnknownMacro(n) => write!(f, "unknown macro {}(...)", quoted(n)),
            EvalError::UnknownType(n) => write!(f, "cast to unknown type {}", quoted(n)),
            EvalError::TooLarge(t) => write!(f, "{} is wider than 64 bits", quoted(t)),
            EvalError::DivisionByZero => write!(f, "division by zero"),
            EvalError::TooDeep => write!(f, "macro expansion too deep or recursive"),
            EvalError::Syntax(m) | EvalError::NotInteger(m) => write!(f, "{m}"),
        }
    }
}

/// What names and function-like macros mean where an expression is evaluated.
pub(crate) trait Env {
    /// The value of an object-like macro, its body evaluated at `at`.
    fn lookup(&self, name: &str, at: Nesting<'_>) -> Option<Result<Typed, EvalError>>;
    /// A function-like macro defined in the file: its parameters and body.
    fn function(&self, name: &str) -> Option<(&[String], &[Tok])>;
}

const MAX_DEPTH: u32 = 32;

/// Tokens one top-level evaluation may consume, macro expansions included: nested
/// function-like macros that repeat their parameters grow exponentially.
const BUDGET: u32 = 4_096;

/// What one top-level evaluation may still consume, shared by every expansion beneath it.
pub(crate) struct Budget(std::cell::Cell<u32>);

impl Budget {
    /// The budget of a new top-level evaluation.
    pub(crate) fn new() -> Self {
        Budget(std::cell::Cell::new(BUDGET))
    }
}

/// Where an evaluation stands: how deep in macro expansions, and its top-level budget.
#[derive(Clone, Copy)]
pub(crate) struct Nesting<'b> {
    depth: u32,
    budget: &'b Budget,
}

impl<'b> Nesting<'b> {
    /// A top-level evaluation spending `budget`.
    pub(crate) fn top(budget: &'b Budget) -> Self {
        Nesting { depth: 0, budget }
    }

    /// One expansion deeper.
    pub(crate) fn deeper(self) -> Self {
        Nesting {
            depth: self.depth + 1,
            budget: self.budget,
        }
    }
}

/// Evaluates a complete token list as a new top-level evaluation with its own budget.
pub(crate) fn evaluate(toks: &[Tok], env: &dyn Env) -> Result<Typed, EvalError> {
    eval_tokens(toks, env, Nesting::top(&Budget::new()))
}

/// Evaluates a complete token list at `at` (a macro's body or argument inside an evaluation).
pub(crate) fn eval_tokens(
    toks: &[Tok],
    env: &dyn Env,
    at: Nesting<'_>,
) -> Result<Typed, EvalError> {
    if at.depth > MAX_DEPTH {
        return Err(EvalError::TooDeep);
    }
    let left = at.budget.0.get().saturating_sub(toks.len() as u32 + 1);
    at.budget.0.set(left);
    if left == 0 {
        return Err(EvalError::TooDeep);
    }
    let mut p = Parser {
        toks,
        pos: 0,
        env,
        at,
    };
    let v = p.expr(0)?;
    match p.toks.get(p.pos) {
        None => Ok(v),
        Some(Tok::Punct(",")) => Err(EvalError::NotInteger(
            "a list of values, not one integer".into(),
        )),
        Some(t) => Err(EvalError::Syntax(format!(
            "unexpected {} after a complete expression",
            describe(t)
        ))),
    }
}

fn describe(t: &Tok) -> String {
    match t {
        Tok::Int(s) | Tok::Ident(s) => quoted(s).to_string(),
        Tok::Char(c) => format!("character {c}"),
        Tok::Punct(p) => quoted(p).to_string(),
    }
}

struct Parser<'t, 'e> {
    toks: &'t [Tok],
    pos: usize,
    env: &'e dyn Env,
    at: Nesting<'e>,
}

/// Binary operators by precedence (higher binds tighter).
fn binary_precedence(p: &str) -> Option<u8> {
    Some(match p {
        "|" => 1,
        "^" => 2,
        "&" => 3,
        "<<" | ">>" => 4,
        "+" | "-" => 5,
        "*" | "/" | "%" => 6,
        _ => return None,
    })
}

impl Parser<'_, '_> {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos)
    }
    fn peek_punct(&self, p: &str) -> bool {
        matches!(self.peek(), Some(Tok::Punct(q)) if *q == p)
    }
    fn expect(&mut self, p: &str) -> Result<(), EvalError> {
        if self.peek_punct(p) {
            self.pos += 1;
            Ok(())
        } else {
            Err(EvalError::Syntax(match self.peek() {
                Some(t) => format!("expected `{p}`, found {}", describe(t)),
                None => format!("expected `{p}`, found the end"),
            }))
        }
    }

    fn expr(&mut self, min_prec: u8) -> Result<Typed, EvalError> {
        let mut lhs = self.unary()?;
        while let Some(Tok::Punct(op)) = self.peek() {
            let op = *op;
            let Some(prec) = binary_precedence(op) else {
                break;
            };
            if prec <= min_prec {
                break;
            }
            self.pos += 1;
            let rhs = self.expr(prec)?;
            lhs = binary(op, lhs, rhs)?;
        }
        Ok(lhs)
    }

    fn unary(&mut self) -> Result<Typed, EvalError> {
        match self.peek() {
            Some(Tok::Punct("-")) => {
                self.pos += 1;
                let v = self.unary()?;
                let ty = promote(&v.ty);
                Ok(Typed {
                    v: normalize(-v.v, &ty),
                    ty,
                })
            }
            Some(Tok::Punct("+")) => {
                self.pos += 1;
                let v = self.unary()?;
                let ty = promote(&v.ty);
                Ok(cast(v, ty))
            }
            Some(Tok::Punct("~")) => {
                self.pos += 1;
                let v = self.unary()?;
                let ty = promote(&v.ty);
                Ok(Typed {
                    v: normalize(!v.v, &ty),
                    ty,
                })
            }
            Some(Tok::Punct("!")) => {
                self.pos += 1;
                let v = self.unary()?;
                Ok(Typed {
                    v: i128::from(v.v == 0),
                    ty: INT,
                })
            }
            _ => self.primary(),
        }
    }

    /// The type words of a cast starting at `self.pos` (just after `(`), if the parenthesis
    /// is a cast: known type words followed by `)` and then an operand; or a single unknown
    /// name followed by `)` and something that can only start an operand.
    fn cast_type(&self) -> Option<(Result<Ty, EvalError>, usize)> {
        let mut words = Vec::new();
        let mut i = self.pos;
        while let Some(Tok::Ident(w)) = self.toks.get(i) {
            words.push(w.as_str());
            i += 1;
        }
        if words.is_empty() || !matches!(self.toks.get(i), Some(Tok::Punct(")"))) {
            return None;
        }
        let after = self.toks.get(i + 1);
        let starts_operand = matches!(
            after,
            Some(Tok::Int(_) | Tok::Char(_) | Tok::Ident(_) | Tok::Punct("(" | "~" | "!"))
        );
        let sign_follows = matches!(after, Some(Tok::Punct("-" | "+")));
        if words.iter().all(|w| is_type_word(w)) {
            if starts_operand || sign_follows {
                let ty =
                    type_of_words(&words).ok_or_else(|| EvalError::UnknownType(words.join(" ")));
                return Some((ty, i + 1));
            }
            return None;
        }
        // `(NAME)0x5`: a cast to a type this evaluator does not know, unless NAME is a
        // macro (then it is a parenthesized operand followed by garbage, an error anyway).
        if words.len() == 1 && starts_operand && self.env.lookup(words[0], self.at).is_none() {
            return Some((Err(EvalError::UnknownType(words[0].to_string())), i + 1));
        }
        None
    }

    fn primary(&mut self) -> Result<Typed, EvalError> {
        let Some(tok) = self.peek().cloned() else {
            return Err(EvalError::Syntax("expected a value, found the end".into()));
        };
        self.pos += 1;
        match tok {
            Tok::Int(text) => literal(&text),
            Tok::Char(c) => Ok(Typed {
                v: i128::from(c),
                ty: INT,
            }),
            Tok::Punct("(") => {
                if let Some((ty, next)) = self.cast_type() {
                    let ty = ty?;
                    self.pos = next;
                    let v = self.unary()?;
                    return Ok(cast(v, ty));
                }
                let v = self.expr(0)?;
                self.expect(")")?;
                Ok(v)
            }
            Tok::Punct(p) => Err(EvalError::Syntax(format!(
                "expected a value, found {}",
                quoted(p)
            ))),
            Tok::Ident(name) => {
                if name == "sizeof" || name == "defined" {
                    return Err(EvalError::Syntax(format!(
                        "{} is not evaluated",
                        quoted(&name)
                    )));
                }
                if self.peek_punct("(") {
                    let args = self.call_args()?;
                    return self.call(&name, &args);
                }
                match self.env.lookup(&name, self.at.deeper()) {
                    Some(r) => r,
                    None => Err(EvalError::Undefined(name)),
                }
            }
        }
    }

    /// The argument token lists of a call whose `(` is the next token.
    fn call_args(&mut self) -> Result<Vec<Vec<Tok>>, EvalError> {
        self.expect("(")?;
        let mut args = vec![Vec::new()];
        let mut nesting = 0usize;
        loop {
            let Some(t) = self.peek().cloned() else {
                return Err(EvalError::Syntax("unclosed `(` in macro arguments".into()));
            };
            self.pos += 1;
            match t {
                Tok::Punct(")") if nesting == 0 => break,
                Tok::Punct(",") if nesting == 0 => args.push(Vec::new()),
                Tok::Punct(p) => {
                    if p == "(" {
                        nesting += 1;
                    } else if p == ")" {
                        nesting -= 1;
                    }
                    if let Some(a) = args.last_mut() {
                        a.push(Tok::Punct(p));
                    }
                }
                other => {
                    if let Some(a) = args.last_mut() {
                        a.push(other);
                    }
                }
            }
        }
        if args.len() == 1 && args[0].is_empty() {
            args.clear();
        }
        Ok(args)
    }

    fn arg(&self, args: &[Vec<Tok>], i: usize, name: &str) -> Result<Typed, EvalError> {
        let toks = args.get(i).ok_or_else(|| {
            EvalError::Syntax(format!("{} takes more arguments than given", quoted(name)))
        })?;
        eval_tokens(toks, self.env, self.at.deeper())
    }

    fn call(&self, name: &str, args: &[Vec<Tok>]) -> Result<Typed, EvalError> {
        let arity = |n: usize| {
            if args.len() == n {
                Ok(())
            } else {
                Err(EvalError::Syntax(format!(
                    "{} takes {n} argument(s), given {}",
                    quoted(name),
                    args.len()
                )))
            }
        };
        let typed = |ty: &str, v: u32| {
            let t = known_type(ty).unwrap_or(LONG);
            cast(
                Typed {
                    v: i128::from(v),
                    ty: ULONG,
                },
                t,
            )
        };
        match name {
            // mingw-w64: `x ## l` on Windows, i.e. the literal with an `l` suffix.
            "__MSABI_LONG" => {
                arity(1)?;
                if let [Tok::Int(text)] = args[0].as_slice() {
                    literal(&format!("{text}l"))
                } else {
                    let v = self.arg(args, 0, name)?;
                    let ty = common(&v.ty, &LONG);
                    Ok(cast(v, ty))
                }
            }
            "_HRESULT_TYPEDEF_" | "_NDIS_ERROR_TYPEDEF_" | "_SCODE_TYPEDEF_" => {
                arity(1)?;
                let ty = match name {
                    "_HRESULT_TYPEDEF_" => "HRESULT",
                    "_NDIS_ERROR_TYPEDEF_" => "NDIS_STATUS",
                    _ => "SCODE",
                };
                let v = self.arg(args, 0, name)?;
                Ok(cast(v, known_type(ty).unwrap_or(LONG)))
            }
            "MAKE_HRESULT" | "MAKE_SCODE" => {
                arity(3)?;
                let sev = self.arg(args, 0, name)?;
                let fac = self.arg(args, 1, name)?;
                let code = self.arg(args, 2, name)?;
                // ((unsigned long)(sev)<<31) | ((unsigned long)(fac)<<16) | ((unsigned long)(code))
                let u = |t: Typed| normalize(t.v, &ULONG) as u32;
                let v = (u(sev) << 31) | (u(fac) << 16) | u(code);
                Ok(typed(
                    if name == "MAKE_HRESULT" {
                        "HRESULT"
                    } else {
                        "SCODE"
                    },
                    v,
                ))
            }
            "HRESULT_FROM_WIN32" | "__HRESULT_FROM_WIN32" => {
                arity(1)?;
                let v = self.arg(args, 0, name)?;
                Ok(typed(
                    "HRESULT",
                    werr_codes::hresult_from_win32(normalize(v.v, &ULONG) as u32),
                ))
            }
            "HRESULT_FROM_NT" => {
                arity(1)?;
                let v = self.arg(args, 0, name)?;
                Ok(typed(
                    "HRESULT",
                    werr_codes::hresult_from_nt(normalize(v.v, &ULONG) as u32),
                ))
            }
            "NTSTATUS_FROM_WIN32" => {
                arity(1)?;
                let v = self.arg(args, 0, name)?;
                Ok(typed(
                    "NTSTATUS",
                    werr_codes::ntstatus_from_win32(normalize(v.v, &ULONG) as u32),
                ))
            }
            _ => {
                let Some((params, body)) = self.env.function(name) else {
                    return Err(EvalError::UnknownMacro(name.to_string()));
                };
                if params.len() != args.len() {
                    return Err(EvalError::Syntax(format!(
                        "{} takes {} argument(s), given {}",
                        quoted(name),
                        params.len(),
                        args.len()
                    )));
                }
                let mut expanded = Vec::with_capacity(body.len() + 8);
                for t in body {
                    match t {
                        Tok::Punct("##") => {
                            return Err(EvalError::Syntax(format!(
                                "{} pastes tokens (##), which is not evaluated",
                                quoted(name)
                            )))
                        }
                        Tok::Ident(id) => match params.iter().position(|p| p == id) {
                            Some(i) => {
                                expanded.push(Tok::Punct("("));
                                expanded.extend(args[i].iter().cloned());
                                expanded.push(Tok::Punct(")"));
                            }
                            None => expanded.push(t.clone()),
                        },
                        _ => expanded.push(t.clone()),
                    }
                }
                eval_tokens(&expanded, self.env, self.at.deeper())
            }
        }
    }
}

fn binary(op: &str, a: Typed, b: Typed) -> Result<Typed, EvalError> {
    if op == "<<" || op == ">>" {
        let ty = promote(&a.ty);
        let shift = b.v;
        if !(0..i128::from(ty.bits)).contains(&shift) {
            return Err(EvalError::Syntax(format!(
                "shift by {shift} is outside the {}-bit type",
                ty.bits
            )));
        }
        let v = if op == "<<" {
            a.v << shift
        } else {
            normalize(a.v, &ty) >> shift
        };
        return Ok(Typed {
            v: normalize(v, &ty),
            ty,
        });
    }
    let ty = common(&a.ty, &b.ty);
    let (x, y) = (normalize(a.v, &ty), normalize(b.v, &ty));
    let v = match op {
        "|" => x | y,
        "^" => x ^ y,
        "&" => x & y,
        "+" => x + y,
        "-" => x - y,
        "*" => x * y,
        "/" | "%" if y == 0 => return Err(EvalError::DivisionByZero),
        "/" => x / y,
        "%" => x % y,
        _ => {
            return Err(EvalError::Syntax(format!(
                "operator {} is not evaluated",
                quoted(op)
            )))
        }
    };
    Ok(Typed {
        v: normalize(v, &ty),
        ty,
    })
}

/// A value with the type named `c_type` (as the scanner reported it): known typedefs and
/// C type names keep their width and sign; other names are taken as 32-bit unsigned.
pub(crate) fn typed_value(v: u32, c_type: &str) -> Typed {
    let words: Vec<&str> = c_type.split_whitespace().collect();
    let ty = type_of_words(&words).unwrap_or_else(|| Ty::named(c_type, &ULONG));
    cast(
        Typed {
            v: i128::from(v),
            ty: ULONG,
        },
        ty,
    )
}

/// The value one above `t`, in `t`'s type (an enum member without an initializer).
pub(crate) fn successor(t: &Typed) -> Typed {
    cast(
        Typed {
            v: t.v + 1,
            ty: t.ty.clone(),
        },
        t.ty.clone(),
    )
}

/// The 32-bit value of a typed result: values of 64-bit types must fit in 32 bits
/// (as signed or unsigned) to be kept.
pub(crate) fn to_u32(t: &Typed) -> Option<u32> {
    if (-(1i128 << 31)..(1i128 << 32)).contains(&t.v) {
        Some(t.v as u32)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct NoNames;
    impl Env for NoNames {
        fn lookup(&self, _: &str, _: Nesting<'_>) -> Option<Result<Typed, EvalError>> {
            None
        }
        fn function(&self, _: &str) -> Option<(&[String], &[Tok])> {
            None
        }
    }

    fn eval(s: &str) -> Result<(u32, String), EvalError> {
        let toks = tokenize(s).map_err(|o| EvalError::Syntax(format!("at {o}")))?;
        let t = evaluate(&toks, &NoNames)?;
        Ok((to_u32(&t).expect("fits"), t.ty.name.to_string()))
    }

    #[test]
    fn literal_types_follow_c_rules_for_llp64() {
        assert_eq!(eval("5").unwrap(), (5, "int".into()));
        assert_eq!(
            eval("0x80001083").unwrap(),
            (0x80001083, "unsigned int".into())
        );
        assert_eq!(
            eval("0x80001083L").unwrap(),
            (0x80001083, "unsigned long".into())
        );
        assert_eq!(eval("1L").unwrap(), (1, "long".into()));
        assert_eq!(eval("7UL").unwrap(), (7, "unsigned long".into()));
        assert_eq!(
            eval("2147483648").unwrap(),
            (0x80000000, "long long".into())
        );
        assert_eq!(eval("010").unwrap(), (8, "int".into()));
    }

    #[test]
    fn evaluates_sdk_macros() {
        assert_eq!(
            eval("_HRESULT_TYPEDEF_(0x80004005L)").unwrap(),
            (0x80004005, "HRESULT".into())
        );
        assert_eq!(
            eval("MAKE_HRESULT(1, 4, 0x200)").unwrap(),
            (0x80040200, "HRESULT".into())
        );
        assert_eq!(
            eval("HRESULT_FROM_WIN32(5)").unwrap(),
            (0x80070005, "HRESULT".into())
        );
        assert_eq!(
            eval("__MSABI_LONG(0x80001083)").unwrap(),
            (0x80001083, "unsigned long".into())
        );
        assert_eq!(
            eval("((NTSTATUS)0xC0000005L)").unwrap(),
            (0xC0000005, "NTSTATUS".into())
        );
        assert_eq!(
            eval("(NTSTATUS) 0xc0040002").unwrap(),
            (0xC0040002, "NTSTATUS".into())
        );
        assert_eq!(
            eval("((unsigned long)1 << 31)").unwrap(),
            (0x80000000, "unsigned long".into())
        );
    }

    #[test]
    fn evaluates_operators_with_c_precedence() {
        assert_eq!(eval("1 | 2 << 3").unwrap().0, 17);
        assert_eq!(eval("(2100+2)").unwrap().0, 2102);
        assert_eq!(eval("~0").unwrap().0, 0xFFFF_FFFF);
        assert_eq!(eval("-1").unwrap().0, 0xFFFF_FFFF);
        assert_eq!(eval("~0x80000000").unwrap().0, 0x7FFF_FFFF);
        assert_eq!(eval("(WORD)0x12345").unwrap(), (0x2345, "WORD".into()));
    }

    #[test]
    fn refuses_what_it_cannot_know() {
        assert_eq!(eval("FOO"), Err(EvalError::Undefined("FOO".into())));
        assert_eq!(eval("FOO(1)"), Err(EvalError::UnknownMacro("FOO".into())));
        assert_eq!(
            eval("(MYTYPE)5"),
            Err(EvalError::UnknownType("MYTYPE".into()))
        );
        assert!(eval("sizeof(int)").is_err());
        assert!(eval("1 / 0").is_err());
        assert!(eval("(1").is_err());
        assert!(tokenize("\"text\"").is_err());
        assert!(tokenize("1.5f").is_err());
    }
}
