//! Tall least-squares problems reduced to their square part: the Householder QR of
//! `[J | r]` (m × n Jacobian, m residuals, m ≫ n) taken in blocks of rows, keeping only the
//! n × n triangle `R`, `Qᵀr` and the squared norm of the rest.
//!
//! Everything Levenberg–Marquardt and Gauss–Newton need from `(J, r)` is in `(R, Qᵀr, ‖r‖)`:
//! the same orthogonal reduction MINPACK applies to the whole matrix, done `BLOCK` rows at a
//! time on a small array that stays in cache, so a fit of 10⁵ points never factors (or
//! allocates) a 10⁵-row matrix.

use nalgebra::DMatrix;

/// Rows gathered before each reduction.
pub(crate) const BLOCK: usize = 256;

/// Householder QR of `[J | r]` fed one row (or one block of rows) at a time (see the
/// module docs).
pub(crate) struct RowQr {
    n: usize,
    /// `n + 1` with residuals, `n` for the triangle alone.
    width: usize,
    /// `[R | Qᵀr]`, `n × width`, row-major.
    tri: Vec<f64>,
    /// The rows waiting for the next reduction, by column: `width` columns of [`BLOCK`].
    block: Vec<f64>,
    filled: usize,
    /// Σ of the squared components of `Qᵀr` beyond the first `n` (the part of `r` no
    /// step of the parameters can reach).
    rest: f64,
}

impl RowQr {
    /// An empty reduction of `n` columns with residuals.
    pub fn new(n: usize) -> Self {
        Self::with_width(n, n + 1)
    }

    /// An empty reduction of `n` columns without residuals (only `R` is wanted; the
    /// residuals given to [`push`](Self::push) are ignored).
    pub fn triangle(n: usize) -> Self {
        Self::with_width(n, n)
    }

    fn with_width(n: usize, width: usize) -> Self {
        RowQr {
            n,
            width,
            tri: vec![0.0; n * width],
            block: vec![0.0; width * BLOCK],
            filled: 0,
            rest: 0.0,
        }
    }

    /// Add the row `j` (length `n`) of the Jacobian with its residual `r`.
    #[inline]
    pub fn push(&mut self, j: &[f64], r: f64) {
        let at = self.filled;
        for (c, v) in j.iter().take(self.n).enumerate() {
            self.block[c * BLOCK + at] = *v;
        }
        if self.width > self.n {
            self.block[self.n * BLOCK + at] = r;
        }
        self.filled += 1;
        if self.filled == BLOCK {
            self.reduce();
        }
    }

    /// Add `len` ≤ [`BLOCK`] rows (residuals 0) written by `fill` into the block's storage:
    /// column `c` of row `k` at `c·BLOCK + k`.
    pub fn push_rows(&mut self, len: usize, fill: impl FnOnce(&mut [f64])) {
        if self.filled > 0 {
            self.reduce();
        }
        let len = len.min(BLOCK);
        self.block.fill(0.0);
        fill(&mut self.block);
        self.filled = len;
        self.reduce();
    }

    /// Add the whole of `j` (m × n, column-major) and `r` (m).
    pub fn push_all(&mut self, j: &DMatrix<f64>, r: &[f64]) {
        let (m, n) = (r.len().min(j.nrows()), self.n.min(j.ncols()));
        let mut start = 0;
        while start < m {
            if self.filled > 0 {
                // Finish a partly filled block row by row (only after `push`).
                let mut row = vec![0.0; n];
                for (c, v) in row.iter_mut().enumerate() {
                    *v = j[(start, c)];
                }
                self.push(&row, r[start]);
                start += 1;
                continue;
            }
            let len = BLOCK.min(m - start);
            for c in 0..n {
                self.block[c * BLOCK..c * BLOCK + len]
                    .copy_from_slice(&j.column(c).as_slice()[start..start + len]);
            }
            if self.width > n {
                self.block[n * BLOCK..n * BLOCK + len].copy_from_slice(&r[start..start + len]);
            }
            self.filled = len;
            self.reduce();
            start += len;
        }
    }

    /// Fold the waiting rows into `[R | Qᵀr]` by Householder reflections (LAPACK's
    /// `dlarfg` convention: `R`'s diagonal may be negative). Below its diagonal, column k
    /// of the triangle is zero, so each reflection mixes row k of the triangle with the
    /// waiting rows only.
    fn reduce(&mut self) {
        let (n, width, rows) = (self.n, self.width, self.filled);
        for k in 0..n {
            let (head, tail) = self.block.split_at_mut((k + 1) * BLOCK);
            let v = &mut head[k * BLOCK..k * BLOCK + rows];
            let sigma = dot(v, v);
            if sigma == 0.0 {
                continue;
            }
            let alpha = self.tri[k * width + k];
            let norm = (alpha * alpha + sigma).sqrt();
            let beta = if alpha >= 0.0 { -norm } else { norm };
            let v0 = alpha - beta;
            let tau = (beta - alpha) / beta;
            // v = [1; w / v0]
            let inv = 1.0 / v0;
            v.iter_mut().for_each(|t| *t *= inv);
            for c in k + 1..width {
                let col = &mut tail[(c - k - 1) * BLOCK..(c - k - 1) * BLOCK + rows];
                let ts = tau * (self.tri[k * width + c] + dot(v, col));
                self.tri[k * width + c] -= ts;
                col.iter_mut()
                    .zip(v.iter())
                    .for_each(|(t, vi)| *t -= ts * vi);
            }
            self.tri[k * width + k] = beta;
        }
        if width > n {
            let rhs = &self.block[n * BLOCK..n * BLOCK + rows];
            self.rest += dot(rhs, rhs);
        }
        self.filled = 0;
    }

    /// `R` (n × n, upper triangular), `Qᵀr` (its first `n` components) and the squared norm
    /// of the remaining components of `Qᵀr`.
    pub fn finish(mut self) -> (DMatrix<f64>, Vec<f64>, f64) {
        if self.filled > 0 {
            self.reduce();
        }
        let (n, width) = (self.n, self.width);
        let r = DMatrix::from_fn(
            n,
            n,
            |a, b| {
                if b >= a {
                    self.tri[a * width + b]
                } else {
                    0.0
                }
            },
        );
        let qtr = if width > n {
            (0..n).map(|a| self.tri[a * width + n]).collect()
        } else {
            Vec::new()
        };
        (r, qtr, self.rest)
    }
}

/// `Σ aᵢbᵢ` over four running sums (vectorisable).
#[inline]
fn dot(a: &[f64], b: &[f64]) -> f64 {
    let mut acc = [0.0; 4];
    let (ca, cb) = (a.chunks_exact(4), b.chunks_exact(4));
    let tail: f64 = ca
        .remainder()
        .iter()
        .zip(cb.remainder())
        .map(|(x, y)| x * y)
        .sum();
    for (x, y) in ca.zip(cb) {
        for l in 0..4 {
            acc[l] += x[l] * y[l];
        }
    }
    (acc[0] + acc[1]) + (acc[2] + acc[3]) + tail
}

/// The triangle `R` of a QR of `j` (m × n): see [`RowQr`].
pub(crate) fn triangle(j: &DMatrix<f64>) -> DMatrix<f64> {
    let mut qr = RowQr::triangle(j.ncols());
    qr.push_all(j, &vec![0.0; j.nrows()]);
    qr.finish().0
}

/// The reduction of the Jacobian `j` (m × n) and residuals `r` (length m): see [`RowQr`].
pub(crate) fn reduce(j: &DMatrix<f64>, r: &[f64]) -> (DMatrix<f64>, Vec<f64>, f64) {
    let mut qr = RowQr::new(j.ncols());
    qr.push_all(j, r);
    qr.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// R and Qᵀr from the blocks agree with nalgebra's Householder QR of the whole matrix
    /// (up to the signs of R's rows), and ‖Qᵀr‖² + rest = ‖r‖².
    #[test]
    fn matches_a_full_qr() {
        let m = 1000;
        let j = DMatrix::from_fn(m, 3, |i, c| {
            let t = i as f64 / m as f64;
            [1.0, t.exp(), (3.0 * t).sin() + 0.1 * t][c]
        });
        let r: Vec<f64> = (0..m)
            .map(|i| ((i * 7919) % 101) as f64 / 50.0 - 1.0)
            .collect();
        let (rr, qtr, rest) = reduce(&j, &r);
        let full = j.clone().qr();
        let rf = full.r();
        let mut rv = nalgebra::DVector::from_column_slice(&r);
        full.q_tr_mul(&mut rv);
        for a in 0..3 {
            let sign = (rr[(a, a)] * rf[(a, a)]).signum();
            for b in 0..3 {
                assert!((rr[(a, b)] - sign * rf[(a, b)]).abs() <= 1e-12 * rf.amax());
            }
            assert!((qtr[a] - sign * rv[a]).abs() <= 1e-12 * rv.amax());
        }
        let total: f64 = r.iter().map(|v| v * v).sum();
        let reduced: f64 = qtr.iter().map(|v| v * v).sum::<f64>() + rest;
        assert!((reduced / total - 1.0).abs() < 1e-13);
    }
}
