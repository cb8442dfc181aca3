//! The formula language of custom laws: `E + A*N^-alpha + B*D^-beta` parsed into a tree,
//! evaluated with exact derivatives (forward-mode on a compiled tape), and written back as
//! text, LaTeX and numpy.
//!
//! The language: numbers (`1e9`, `0.5`, and the ML suffixes `70M`, `1.4B`, `2T`, `5k`),
//! names, `+ - * / ^` with the usual precedence (`^` binds tightest and to the right, unary
//! minus binds looser than `^`: `-x^2` is `-(x^2)`, and `N^-alpha` is `N^(-alpha)`),
//! parentheses, and the functions `exp`, `ln`/`log` (natural), `log10`, `log2`, `sqrt`,
//! `abs`, `min`, `max`, `pow`. A name followed by `(` must be one of those functions.
//!
//! A formula arrives in links, so it is hostile input: its length ([`MAX_LEN`]) and nesting
//! depth ([`MAX_DEPTH`]) are limited, and every error names its column.
//!
//! ```
//! use scalescope_core::formula::Formula;
//!
//! let f = Formula::parse("E + A*x^-alpha")?;
//! assert_eq!(f.names(), ["E", "A", "x", "alpha"]);
//! // E = 1.5, A = 10, x = 100, alpha = 0.5: 1.5 + 10/10 = 2.5.
//! assert_eq!(f.eval(&[1.5, 10.0, 100.0, 0.5]), 2.5);
//! let err = Formula::parse("E + A*x^").unwrap_err();
//! assert_eq!(err.to_string(), "col 9: expected an operand after '^'");
//! # Ok::<(), scalescope_core::formula::FormulaError>(())
//! ```

mod parse;
mod render;
mod tape;

pub use parse::FormulaError;

/// The longest formula accepted, in characters.
pub const MAX_LEN: usize = 1000;
/// The deepest nesting accepted (parentheses, function calls, operators).
pub const MAX_DEPTH: usize = 48;

/// A function of the language.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Func {
    /// `exp(u)`.
    Exp,
    /// `ln(u)` (also written `log`).
    Ln,
    /// `log10(u)`.
    Log10,
    /// `log2(u)`.
    Log2,
    /// `sqrt(u)`.
    Sqrt,
    /// `abs(u)`.
    Abs,
    /// `min(u, v)`.
    Min,
    /// `max(u, v)`.
    Max,
    /// `pow(u, v)`, the same as `u^v`.
    Pow,
}

impl Func {
    /// The function named `name`, if the language has one.
    pub fn from_name(name: &str) -> Option<Func> {
        Some(match name {
            "exp" => Func::Exp,
            "ln" | "log" => Func::Ln,
            "log10" => Func::Log10,
            "log2" => Func::Log2,
            "sqrt" => Func::Sqrt,
            "abs" => Func::Abs,
            "min" => Func::Min,
            "max" => Func::Max,
            "pow" => Func::Pow,
            _ => return None,
        })
    }

    /// The function's name as written back.
    pub fn name(self) -> &'static str {
        match self {
            Func::Exp => "exp",
            Func::Ln => "ln",
            Func::Log10 => "log10",
            Func::Log2 => "log2",
            Func::Sqrt => "sqrt",
            Func::Abs => "abs",
            Func::Min => "min",
            Func::Max => "max",
            Func::Pow => "pow",
        }
    }

    /// How many arguments it takes.
    pub fn arity(self) -> usize {
        match self {
            Func::Min | Func::Max | Func::Pow => 2,
            _ => 1,
        }
    }
}

/// A binary operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinOp {
    /// `+`.
    Add,
    /// `-`.
    Sub,
    /// `*`.
    Mul,
    /// `/`.
    Div,
    /// `^`.
    Pow,
}

/// An expression tree.
#[derive(Clone, Debug, PartialEq)]
pub enum Expr {
    /// A number.
    Num(f64),
    /// A name: an index into [`Formula::names`].
    Name(usize),
    /// `-u`.
    Neg(Box<Expr>),
    /// `u op v`.
    Bin(BinOp, Box<Expr>, Box<Expr>),
    /// `f(u)` or `f(u, v)`.
    Call(Func, Vec<Expr>),
}

/// A parsed formula: its text, its tree, the names it uses and its compiled tape.
#[derive(Clone, Debug, PartialEq)]
pub struct Formula {
    text: String,
    expr: Expr,
    names: Vec<String>,
    tape: tape::Tape,
}

impl Formula {
    /// Parse `text`.
    ///
    /// # Errors
    /// A [`FormulaError`] naming the column and what was expected, for a formula that is
    /// incomplete, uses an unknown function, calls one with the wrong number of arguments,
    /// or is longer than [`MAX_LEN`] or nested deeper than [`MAX_DEPTH`].
    pub fn parse(text: &str) -> Result<Formula, FormulaError> {
        let (expr, names) = parse::parse(text)?;
        let tape = tape::Tape::compile(&expr);
        Ok(Formula {
            text: text.trim().to_string(),
            expr,
            names,
            tape,
        })
    }

    /// `text` with each name that `rename` maps replaced by its image (`params` → `N`);
    /// numbers, operators and spacing stay as typed.
    ///
    /// # Errors
    /// The [`FormulaError`] of a character no formula has (the rest is checked by
    /// [`Formula::parse`] of the result).
    pub fn rename<'a>(
        text: &str,
        rename: impl Fn(&str) -> Option<&'a str>,
    ) -> Result<String, FormulaError> {
        parse::rename(text, rename)
    }

    /// The text as typed (trimmed).
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The tree.
    pub fn expr(&self) -> &Expr {
        &self.expr
    }

    /// Every name the formula uses, in order of first appearance; [`Formula::eval`] takes
    /// one value per name in this order.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// The value with `values[i]` for name `i` (NaN where the formula is undefined, or when
    /// `values` is too short).
    pub fn eval(&self, values: &[f64]) -> f64 {
        self.tape.eval(values)
    }

    /// The value and its exact gradient with respect to the names listed in `wrt`
    /// (indices into [`Formula::names`]), written into `grad` (length `wrt.len()`).
    pub fn eval_gradient(&self, values: &[f64], wrt: &[usize], grad: &mut [f64]) -> f64 {
        self.tape.eval_gradient(values, wrt, grad)
    }

    /// The formula written back with numbers in place of some names: `values[i]` for name
    /// `i` when `Some`, the name itself otherwise.
    pub fn render(&self, values: &[Option<f64>], style: render::Style) -> String {
        render::render(&self.expr, &self.names, values, style)
    }
}

pub use render::Style;

#[cfg(test)]
mod tests;
