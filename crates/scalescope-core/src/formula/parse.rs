//! Text → [`Expr`]: a tokenizer and a precedence-climbing parser, each error at a column.

use super::{BinOp, Expr, Func, MAX_DEPTH, MAX_LEN};

/// Why a formula could not be read, at a 1-based column (in characters).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("col {col}: {message}")]
pub struct FormulaError {
    /// The 1-based column of the problem.
    pub col: usize,
    /// What was expected or what is wrong.
    pub message: String,
}

fn err<T>(col: usize, message: impl Into<String>) -> Result<T, FormulaError> {
    Err(FormulaError {
        col,
        message: message.into(),
    })
}

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Num(f64),
    Ident(String),
    Op(char),
    Open,
    Close,
    Comma,
}

/// Tokens with their 1-based columns.
fn tokenize(text: &str) -> Result<Vec<(Tok, usize)>, FormulaError> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let col = i + 1;
        if c.is_whitespace() {
            i += 1;
        } else if c.is_ascii_digit()
            || (c == '.' && chars.get(i + 1).is_some_and(char::is_ascii_digit))
        {
            let (v, next) = number(&chars, i)?;
            out.push((Tok::Num(v), col));
            i = next;
        } else if c.is_ascii_alphabetic() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_ascii_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            out.push((Tok::Ident(chars[start..i].iter().collect()), col));
        } else {
            let tok = match c {
                '+' | '-' | '*' | '/' | '^' => Tok::Op(c),
                '−' => Tok::Op('-'),
                '·' | '×' => Tok::Op('*'),
                '(' => Tok::Open,
                ')' => Tok::Close,
                ',' => Tok::Comma,
                _ => return err(col, format!("unexpected character '{c}'")),
            };
            out.push((tok, col));
            i += 1;
        }
    }
    Ok(out)
}

/// `text` with every name that `rename` maps replaced by its image; numbers, operators and
/// spacing stay as typed.
pub(super) fn rename<'a>(
    text: &str,
    rename: impl Fn(&str) -> Option<&'a str>,
) -> Result<String, FormulaError> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut done = 0;
    for (tok, col) in tokenize(text)? {
        let Tok::Ident(name) = tok else { continue };
        let Some(new) = rename(&name) else { continue };
        let start = col - 1;
        out.extend(&chars[done..start]);
        out.push_str(new);
        done = start + name.chars().count();
    }
    out.extend(&chars[done..]);
    Ok(out)
}

/// A number starting at `chars[i]`: digits, a fraction, an exponent, then at most one ML
/// suffix (`k`, `M`, `B`/`G`, `T`) not followed by a letter. Returns the value and the
/// index after it.
fn number(chars: &[char], start: usize) -> Result<(f64, usize), FormulaError> {
    let mut i = start;
    let digits = |i: &mut usize| {
        while *i < chars.len() && chars[*i].is_ascii_digit() {
            *i += 1;
        }
    };
    digits(&mut i);
    if chars.get(i) == Some(&'.') {
        i += 1;
        digits(&mut i);
    }
    // An exponent only when digits follow (`2e` is 2 then the name `e`).
    if matches!(chars.get(i), Some('e' | 'E')) {
        let mut j = i + 1;
        if matches!(chars.get(j), Some('+' | '-')) {
            j += 1;
        }
        if chars.get(j).is_some_and(char::is_ascii_digit) {
            i = j;
            digits(&mut i);
        }
    }
    let text: String = chars[start..i].iter().collect();
    let Some(mut v) = crate::float::parse_f64(&text) else {
        return err(start + 1, format!("'{text}' is not a number"));
    };
    let is_ident = |c: Option<&char>| c.is_some_and(|c| c.is_ascii_alphanumeric() || *c == '_');
    if let Some(scale) = chars.get(i).and_then(|c| suffix(*c)) {
        if !is_ident(chars.get(i + 1)) {
            v *= scale;
            i += 1;
        }
    }
    if !v.is_finite() {
        return err(start + 1, format!("'{text}' is too large"));
    }
    Ok((v, i))
}

fn suffix(c: char) -> Option<f64> {
    Some(match c {
        'k' | 'K' => 1e3,
        'M' => 1e6,
        'B' | 'G' => 1e9,
        'T' => 1e12,
        _ => return None,
    })
}

/// Parse `text` into a tree and the names it uses, in order of first appearance.
pub(super) fn parse(text: &str) -> Result<(Expr, Vec<String>), FormulaError> {
    let len = text.chars().count();
    if len > MAX_LEN {
        return err(
            MAX_LEN + 1,
            format!("a formula may have at most {MAX_LEN} characters (this one has {len})"),
        );
    }
    let toks = tokenize(text)?;
    if toks.is_empty() {
        return err(1, "expected a formula, e.g. E + A*x^-alpha");
    }
    let mut p = Parser {
        toks,
        pos: 0,
        end_col: len + 1,
        names: Vec::new(),
        depth: 0,
    };
    let e = p.expr(0)?;
    if let Some((t, col)) = p.toks.get(p.pos) {
        let what = match t {
            Tok::Close => "an unmatched ')'".to_string(),
            Tok::Comma => "',' outside a function call".to_string(),
            _ => "an operator before this".to_string(),
        };
        return err(*col, format!("expected the end of the formula or {what}"));
    }
    Ok((e, p.names))
}

struct Parser {
    toks: Vec<(Tok, usize)>,
    pos: usize,
    end_col: usize,
    names: Vec<String>,
    depth: usize,
}

/// Binding power of a binary operator (higher binds tighter) and whether it is right
/// associative.
fn binding(op: char) -> Option<(u8, bool, BinOp)> {
    Some(match op {
        '+' => (1, false, BinOp::Add),
        '-' => (1, false, BinOp::Sub),
        '*' => (2, false, BinOp::Mul),
        '/' => (2, false, BinOp::Div),
        '^' => (4, true, BinOp::Pow),
        _ => return None,
    })
}

/// The binding power of unary minus: looser than `^`, tighter than `*`.
const UNARY: u8 = 3;

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos).map(|t| &t.0)
    }

    fn col(&self) -> usize {
        self.toks.get(self.pos).map_or(self.end_col, |t| t.1)
    }

    fn enter(&mut self) -> Result<(), FormulaError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return err(
                self.col(),
                format!("the formula nests deeper than {MAX_DEPTH} levels"),
            );
        }
        Ok(())
    }

    /// An expression whose operators bind at least as tightly as `min`.
    fn expr(&mut self, min: u8) -> Result<Expr, FormulaError> {
        self.enter()?;
        let mut lhs = self.unary(None)?;
        while let Some(Tok::Op(c)) = self.peek() {
            let c = *c;
            let Some((bp, right, op)) = binding(c) else {
                break;
            };
            if bp < min {
                break;
            }
            self.pos += 1;
            let next = if right { bp } else { bp + 1 };
            let rhs = self.operand_after(c, next)?;
            lhs = Expr::Bin(op, Box::new(lhs), Box::new(rhs));
        }
        self.depth -= 1;
        Ok(lhs)
    }

    /// The right operand of `op`: an expression binding at least `min`; `^` also takes a
    /// signed operand (`N^-alpha`).
    fn operand_after(&mut self, op: char, min: u8) -> Result<Expr, FormulaError> {
        if self.at_operand_start() {
            if op == '^' && matches!(self.peek(), Some(Tok::Op('-' | '+'))) {
                self.enter()?;
                let e = self.unary(Some(op));
                self.depth -= 1;
                return e;
            }
            self.expr(min)
        } else {
            err(self.col(), format!("expected an operand after '{op}'"))
        }
    }

    fn at_operand_start(&self) -> bool {
        matches!(
            self.peek(),
            Some(Tok::Num(_) | Tok::Ident(_) | Tok::Open | Tok::Op('-' | '+'))
        )
    }

    /// A signed atom with its powers. After `^`, a sign applies to the power's operand
    /// (`2^-x^2` is `2^(-(x^2))`).
    fn unary(&mut self, after: Option<char>) -> Result<Expr, FormulaError> {
        match self.peek() {
            Some(Tok::Op('-')) => {
                let col = self.col();
                self.pos += 1;
                if !self.at_operand_start() {
                    return err(col + 1, "expected an operand after '-'");
                }
                let inner = if after == Some('^') {
                    self.expr(4)?
                } else {
                    self.expr(UNARY)?
                };
                Ok(match inner {
                    Expr::Num(v) => Expr::Num(-v),
                    e => Expr::Neg(Box::new(e)),
                })
            }
            Some(Tok::Op('+')) => {
                let col = self.col();
                self.pos += 1;
                if !self.at_operand_start() {
                    return err(col + 1, "expected an operand after '+'");
                }
                self.expr(if after == Some('^') { 4 } else { UNARY })
            }
            _ => self.atom(),
        }
    }

    fn atom(&mut self) -> Result<Expr, FormulaError> {
        let col = self.col();
        let Some((tok, _)) = self.toks.get(self.pos).cloned() else {
            return err(col, "expected an operand at the end of the formula");
        };
        self.pos += 1;
        match tok {
            Tok::Num(v) => Ok(Expr::Num(v)),
            Tok::Ident(name) => {
                if self.peek() == Some(&Tok::Open) {
                    return self.call(&name, col);
                }
                if Func::from_name(&name).is_some() {
                    return err(col, format!("'{name}' is a function: write {name}(…)"));
                }
                let i = match self.names.iter().position(|n| *n == name) {
                    Some(i) => i,
                    None => {
                        self.names.push(name);
                        self.names.len() - 1
                    }
                };
                Ok(Expr::Name(i))
            }
            Tok::Open => {
                if self.peek() == Some(&Tok::Close) {
                    return err(self.col(), "expected an expression inside '(' ')'");
                }
                let e = self.expr(0)?;
                self.expect_close(col)?;
                Ok(e)
            }
            Tok::Close => err(col, "expected an operand before ')'"),
            Tok::Comma => err(col, "expected an operand before ','"),
            Tok::Op(c) => err(col, format!("expected an operand before '{c}'")),
        }
    }

    fn expect_close(&mut self, open_col: usize) -> Result<(), FormulaError> {
        match self.peek() {
            Some(Tok::Close) => {
                self.pos += 1;
                Ok(())
            }
            None => err(
                self.end_col,
                format!("expected ')' to close the '(' at col {open_col}"),
            ),
            Some(_) => err(self.col(), "expected an operator or ')'"),
        }
    }

    fn call(&mut self, name: &str, col: usize) -> Result<Expr, FormulaError> {
        let Some(f) = Func::from_name(name) else {
            return err(
                col,
                format!(
                    "unknown function '{name}': the functions are exp, ln, log, log10, log2, \
                     sqrt, abs, min, max, pow"
                ),
            );
        };
        let open = self.col();
        self.pos += 1; // '('
        self.enter()?;
        let mut args = Vec::new();
        loop {
            if self.peek() == Some(&Tok::Close) && args.is_empty() {
                break;
            }
            args.push(self.expr(0)?);
            if self.peek() == Some(&Tok::Comma) {
                self.pos += 1;
                continue;
            }
            break;
        }
        self.expect_close(open)?;
        self.depth -= 1;
        if args.len() != f.arity() {
            let want = if f.arity() == 1 {
                "one argument"
            } else {
                "two arguments"
            };
            return err(col, format!("{name} takes {want}, not {}", args.len()));
        }
        Ok(Expr::Call(f, args))
    }
}
