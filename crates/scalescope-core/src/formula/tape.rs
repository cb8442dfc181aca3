//! The tree compiled to a postfix tape: evaluation on a value stack, and the exact gradient
//! by forward-mode differentiation (each stack slot carries its value and its derivatives).

use super::{BinOp, Expr, Func};

#[derive(Clone, Copy, Debug, PartialEq)]
enum Op {
    Num(f64),
    Name(usize),
    Neg,
    Bin(BinOp),
    Call(Func),
}

/// A formula in postfix order.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Tape {
    ops: Vec<Op>,
    /// The deepest the value stack gets.
    depth: usize,
}

impl Tape {
    pub fn compile(e: &Expr) -> Tape {
        let mut ops = Vec::new();
        emit(e, &mut ops);
        let mut depth: usize = 0;
        let mut max = 0;
        for op in &ops {
            depth = match op {
                Op::Num(_) | Op::Name(_) => depth + 1,
                Op::Neg | Op::Call(Func::Exp | Func::Ln | Func::Log10 | Func::Log2) => depth,
                Op::Call(Func::Sqrt | Func::Abs) => depth,
                Op::Bin(_) | Op::Call(Func::Min | Func::Max | Func::Pow) => depth.saturating_sub(1),
            };
            max = max.max(depth);
        }
        Tape { ops, depth: max }
    }

    pub fn eval(&self, values: &[f64]) -> f64 {
        let mut stack: Vec<f64> = Vec::with_capacity(self.depth);
        for op in &self.ops {
            match *op {
                Op::Num(v) => stack.push(v),
                Op::Name(i) => stack.push(values.get(i).copied().unwrap_or(f64::NAN)),
                Op::Neg => {
                    if let Some(v) = stack.last_mut() {
                        *v = -*v;
                    }
                }
                Op::Call(f) if f.arity() == 1 => {
                    if let Some(v) = stack.last_mut() {
                        *v = unary(f, *v);
                    }
                }
                Op::Bin(_) | Op::Call(_) => {
                    let (Some(b), Some(a)) = (stack.pop(), stack.pop()) else {
                        return f64::NAN;
                    };
                    stack.push(binary(*op, a, b));
                }
            }
        }
        stack.pop().unwrap_or(f64::NAN)
    }

    /// Value, and derivatives with respect to `wrt` into `grad`.
    pub fn eval_gradient(&self, values: &[f64], wrt: &[usize], grad: &mut [f64]) -> f64 {
        let k = wrt.len();
        grad.iter_mut().for_each(|g| *g = 0.0);
        if grad.len() != k {
            grad.iter_mut().for_each(|g| *g = f64::NAN);
            return f64::NAN;
        }
        // Slot s holds its value in vals[s] and its gradient in ders[s*k..(s+1)*k].
        let mut vals: Vec<f64> = Vec::with_capacity(self.depth);
        let mut ders: Vec<f64> = Vec::with_capacity(self.depth * k);
        for op in &self.ops {
            match *op {
                Op::Num(v) => {
                    vals.push(v);
                    ders.extend(std::iter::repeat_n(0.0, k));
                }
                Op::Name(i) => {
                    vals.push(values.get(i).copied().unwrap_or(f64::NAN));
                    ders.extend(wrt.iter().map(|&w| if w == i { 1.0 } else { 0.0 }));
                }
                Op::Neg => {
                    if let Some(v) = vals.last_mut() {
                        *v = -*v;
                    }
                    let n = ders.len().saturating_sub(k);
                    ders[n..].iter_mut().for_each(|d| *d = -*d);
                }
                Op::Call(f) if f.arity() == 1 => {
                    let Some(u) = vals.last_mut() else {
                        return f64::NAN;
                    };
                    let v = unary(f, *u);
                    let du = match f {
                        Func::Exp => v,
                        Func::Ln => 1.0 / *u,
                        Func::Log10 => 1.0 / (*u * std::f64::consts::LN_10),
                        Func::Log2 => 1.0 / (*u * std::f64::consts::LN_2),
                        Func::Sqrt => 0.5 / v,
                        Func::Abs => u.signum(),
                        _ => f64::NAN,
                    };
                    *u = v;
                    let n = ders.len().saturating_sub(k);
                    ders[n..].iter_mut().for_each(|d| {
                        if *d != 0.0 {
                            *d *= du;
                        }
                    });
                }
                Op::Bin(_) | Op::Call(_) => {
                    let (Some(b), Some(a)) = (vals.pop(), vals.pop()) else {
                        return f64::NAN;
                    };
                    let v = binary(*op, a, b);
                    let n = ders.len();
                    if n < 2 * k {
                        return f64::NAN;
                    }
                    let (left, right) = ders[n - 2 * k..].split_at_mut(k);
                    // ∂v/∂a and ∂v/∂b.
                    let b_constant = right.iter().all(|d| *d == 0.0);
                    let (da, db) = match *op {
                        Op::Bin(BinOp::Add) => (1.0, 1.0),
                        Op::Bin(BinOp::Sub) => (1.0, -1.0),
                        Op::Bin(BinOp::Mul) => (b, a),
                        // −(a/b)/b, not −a/b²: for a/a the two terms cancel exactly (1/a
                        // and 1/a), where a/b² rounds differently and leaves ~1e-15 that a
                        // steep outer function magnifies (a proptest seed).
                        Op::Bin(BinOp::Div) => (1.0 / b, -v / b),
                        Op::Bin(BinOp::Pow) | Op::Call(Func::Pow) => {
                            // b·a^(b−1) keeps negative bases with constant exponents exact.
                            let da = if b == 0.0 { 0.0 } else { b * a.powf(b - 1.0) };
                            let db = if b_constant { 0.0 } else { v * a.ln() };
                            (da, db)
                        }
                        // The branch f64::min/max take (NaN loses to a number).
                        Op::Call(Func::Min) => {
                            if a <= b || b.is_nan() {
                                (1.0, 0.0)
                            } else {
                                (0.0, 1.0)
                            }
                        }
                        Op::Call(Func::Max) => {
                            if a >= b || b.is_nan() {
                                (1.0, 0.0)
                            } else {
                                (0.0, 1.0)
                            }
                        }
                        _ => (f64::NAN, f64::NAN),
                    };
                    for (l, r) in left.iter_mut().zip(right.iter()) {
                        let mut d = 0.0;
                        if *l != 0.0 {
                            d += da * *l;
                        }
                        if *r != 0.0 {
                            d += db * *r;
                        }
                        *l = d;
                    }
                    ders.truncate(n - k);
                    vals.push(v);
                }
            }
        }
        let v = vals.pop().unwrap_or(f64::NAN);
        if ders.len() == k {
            grad.copy_from_slice(&ders);
        }
        v
    }
}

fn emit(e: &Expr, ops: &mut Vec<Op>) {
    match e {
        Expr::Num(v) => ops.push(Op::Num(*v)),
        Expr::Name(i) => ops.push(Op::Name(*i)),
        Expr::Neg(u) => {
            emit(u, ops);
            ops.push(Op::Neg);
        }
        Expr::Bin(op, a, b) => {
            emit(a, ops);
            emit(b, ops);
            ops.push(Op::Bin(*op));
        }
        Expr::Call(f, args) => {
            for a in args {
                emit(a, ops);
            }
            ops.push(Op::Call(*f));
        }
    }
}

fn unary(f: Func, u: f64) -> f64 {
    match f {
        Func::Exp => u.exp(),
        Func::Ln => u.ln(),
        Func::Log10 => u.log10(),
        Func::Log2 => u.log2(),
        Func::Sqrt => u.sqrt(),
        Func::Abs => u.abs(),
        _ => f64::NAN,
    }
}

fn binary(op: Op, a: f64, b: f64) -> f64 {
    match op {
        Op::Bin(BinOp::Add) => a + b,
        Op::Bin(BinOp::Sub) => a - b,
        Op::Bin(BinOp::Mul) => a * b,
        Op::Bin(BinOp::Div) => a / b,
        Op::Bin(BinOp::Pow) | Op::Call(Func::Pow) => a.powf(b),
        Op::Call(Func::Min) => a.min(b),
        Op::Call(Func::Max) => a.max(b),
        _ => f64::NAN,
    }
}
