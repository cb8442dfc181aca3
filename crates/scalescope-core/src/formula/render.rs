//! A formula written back from its tree: as text, LaTeX or a numpy expression, with numbers
//! in place of the names that have values.

use super::{BinOp, Expr, Func};
use crate::format::tex_num;

/// How a formula is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    /// The formula language itself (parses back to the same tree).
    Text,
    /// LaTeX (`\frac`, `^{…}`, `\ln`).
    Latex,
    /// A numpy expression (`**`, `np.exp`, `np.minimum`).
    Numpy,
}

/// Binding power of a node, as the parser gives it: atoms 5, `^` 4, unary minus 3,
/// `* /` 2, `+ -` 1.
fn power(e: &Expr, values: &[Option<f64>]) -> u8 {
    match e {
        Expr::Num(v) if *v < 0.0 => 3,
        Expr::Name(i) if values.get(*i).copied().flatten().is_some_and(|v| v < 0.0) => 3,
        Expr::Num(_) | Expr::Name(_) | Expr::Call(..) => 5,
        Expr::Neg(_) => 3,
        Expr::Bin(BinOp::Pow, ..) => 4,
        Expr::Bin(BinOp::Mul | BinOp::Div, ..) => 2,
        Expr::Bin(BinOp::Add | BinOp::Sub, ..) => 1,
    }
}

pub(super) fn render(e: &Expr, names: &[String], values: &[Option<f64>], style: Style) -> String {
    let mut out = String::new();
    Writer {
        names,
        values,
        style,
    }
    .write(e, &mut out);
    out
}

struct Writer<'a> {
    names: &'a [String],
    values: &'a [Option<f64>],
    style: Style,
}

impl Writer<'_> {
    fn number(&self, v: f64) -> String {
        match self.style {
            Style::Latex => tex_num(v),
            // Full precision: a numpy snippet must reproduce the fit.
            Style::Numpy | Style::Text => {
                if v.is_finite() {
                    format!("{v:?}")
                } else {
                    "nan".into()
                }
            }
        }
    }

    fn name(&self, i: usize) -> String {
        match self.values.get(i).copied().flatten() {
            Some(v) => self.number(v),
            None => {
                let n = self.names.get(i).map_or("?", String::as_str);
                match self.style {
                    Style::Latex if n.chars().count() > 1 => match n {
                        "alpha" | "beta" | "gamma" | "delta" | "lambda" | "mu" | "sigma"
                        | "tau" | "theta" | "kappa" | "rho" | "eta" | "nu" | "xi" | "phi"
                        | "chi" | "psi" | "omega" | "epsilon" | "zeta" => format!("\\{n}"),
                        _ => format!("\\mathrm{{{}}}", n.replace('_', "\\_")),
                    },
                    _ => n.to_string(),
                }
            }
        }
    }

    /// `e`, in parentheses when it binds looser than `min`.
    fn child(&self, e: &Expr, min: u8, out: &mut String) {
        if power(e, self.values) < min {
            out.push_str(if self.style == Style::Latex {
                "\\left("
            } else {
                "("
            });
            self.write(e, out);
            out.push_str(if self.style == Style::Latex {
                "\\right)"
            } else {
                ")"
            });
        } else {
            self.write(e, out);
        }
    }

    fn write(&self, e: &Expr, out: &mut String) {
        match e {
            Expr::Num(v) => out.push_str(&self.number(*v)),
            Expr::Name(i) => out.push_str(&self.name(*i)),
            Expr::Neg(u) => {
                out.push('-');
                // `--x` reads as it parses; parentheses here would nest a long chain of
                // minus signs past the parser's depth limit.
                let min = if matches!(**u, Expr::Neg(_)) { 3 } else { 4 };
                self.child(u, min, out);
            }
            Expr::Bin(op, a, b) => self.binary(*op, a, b, out),
            Expr::Call(f, args) => self.call(*f, args, out),
        }
    }

    fn binary(&self, op: BinOp, a: &Expr, b: &Expr, out: &mut String) {
        let latex = self.style == Style::Latex;
        match op {
            BinOp::Add | BinOp::Sub => {
                self.child(a, 1, out);
                out.push_str(if op == BinOp::Add { " + " } else { " - " });
                self.child(b, 2, out);
            }
            BinOp::Mul => {
                self.child(a, 2, out);
                out.push_str(if latex { " \\cdot " } else { "*" });
                self.child(b, 3, out);
            }
            BinOp::Div if latex => {
                out.push_str("\\frac{");
                self.write(a, out);
                out.push_str("}{");
                self.write(b, out);
                out.push('}');
            }
            BinOp::Div => {
                self.child(a, 2, out);
                out.push('/');
                self.child(b, 3, out);
            }
            BinOp::Pow => {
                self.child(a, 5, out);
                match self.style {
                    Style::Latex => {
                        out.push_str("^{");
                        self.write(b, out);
                        out.push('}');
                    }
                    Style::Numpy => {
                        out.push_str(" ** ");
                        self.child(b, 5, out);
                    }
                    Style::Text => {
                        out.push('^');
                        self.child(b, 4, out);
                    }
                }
            }
        }
    }

    fn call(&self, f: Func, args: &[Expr], out: &mut String) {
        let name = match (self.style, f) {
            (Style::Numpy, Func::Min) => "np.minimum",
            (Style::Numpy, Func::Max) => "np.maximum",
            (Style::Numpy, Func::Pow) => "np.power",
            (Style::Numpy, Func::Ln) => "np.log",
            (Style::Numpy, Func::Exp) => "np.exp",
            (Style::Numpy, Func::Log10) => "np.log10",
            (Style::Numpy, Func::Log2) => "np.log2",
            (Style::Numpy, Func::Sqrt) => "np.sqrt",
            (Style::Numpy, Func::Abs) => "np.abs",
            (Style::Latex, Func::Exp) => "\\exp",
            (Style::Latex, Func::Ln) => "\\ln",
            (Style::Latex, Func::Log10) => "\\log_{10}",
            (Style::Latex, Func::Log2) => "\\log_{2}",
            (Style::Latex, Func::Min) => "\\min",
            (Style::Latex, Func::Max) => "\\max",
            _ => f.name(),
        };
        if self.style == Style::Latex {
            match f {
                Func::Sqrt => {
                    out.push_str("\\sqrt{");
                    self.write(&args[0], out);
                    out.push('}');
                    return;
                }
                Func::Abs => {
                    out.push_str("\\left|");
                    self.write(&args[0], out);
                    out.push_str("\\right|");
                    return;
                }
                Func::Pow if args.len() == 2 => {
                    self.binary(BinOp::Pow, &args[0], &args[1], out);
                    return;
                }
                _ => {}
            }
        }
        out.push_str(name);
        out.push_str(if self.style == Style::Latex {
            "\\left("
        } else {
            "("
        });
        for (i, a) in args.iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            self.write(a, out);
        }
        out.push_str(if self.style == Style::Latex {
            "\\right)"
        } else {
            ")"
        });
    }
}
