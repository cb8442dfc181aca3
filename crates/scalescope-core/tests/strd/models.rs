//! The 27 NIST models through the generic interface: value and analytic gradient.

use std::f64::consts::PI;

/// Model value at predictor row `x` with parameters `b`, writing `∂f/∂b` into `g`.
/// For Nelson the model is of `ln y` (the residual is taken against `ln y`).
pub fn eval(name: &str, b: &[f64], x: &[f64], g: &mut [f64]) -> f64 {
    let t = x[0];
    match name {
        "Bennett5" => {
            let base = b[1] + t;
            let f = b[0] * base.powf(-1.0 / b[2]);
            g[0] = base.powf(-1.0 / b[2]);
            g[1] = -f / (b[2] * base);
            g[2] = f * base.ln() / (b[2] * b[2]);
            f
        }
        "BoxBOD" | "Misra1a" => {
            let e = (-b[1] * t).exp();
            g[0] = 1.0 - e;
            g[1] = b[0] * t * e;
            b[0] * (1.0 - e)
        }
        "Chwirut1" | "Chwirut2" => {
            let e = (-b[0] * t).exp();
            let den = b[1] + b[2] * t;
            g[0] = -t * e / den;
            g[1] = -e / (den * den);
            g[2] = -t * e / (den * den);
            e / den
        }
        "DanWood" => {
            let p = t.powf(b[1]);
            g[0] = p;
            g[1] = b[0] * p * t.ln();
            b[0] * p
        }
        "ENSO" => {
            let w = 2.0 * PI * t;
            let (c1, s1) = ((w / 12.0).cos(), (w / 12.0).sin());
            let (c4, s4) = ((w / b[3]).cos(), (w / b[3]).sin());
            let (c7, s7) = ((w / b[6]).cos(), (w / b[6]).sin());
            g[0] = 1.0;
            g[1] = c1;
            g[2] = s1;
            g[4] = c4;
            g[5] = s4;
            g[3] = (b[4] * s4 - b[5] * c4) * w / (b[3] * b[3]);
            g[7] = c7;
            g[8] = s7;
            g[6] = (b[7] * s7 - b[8] * c7) * w / (b[6] * b[6]);
            b[0] + b[1] * c1 + b[2] * s1 + b[4] * c4 + b[5] * s4 + b[7] * c7 + b[8] * s7
        }
        "Eckerle4" => {
            let z = (t - b[2]) / b[1];
            let e = (-0.5 * z * z).exp();
            let f = b[0] / b[1] * e;
            g[0] = e / b[1];
            g[1] = f * (z * z - 1.0) / b[1];
            g[2] = f * z / b[1];
            f
        }
        "Gauss1" | "Gauss2" | "Gauss3" => {
            let e0 = (-b[1] * t).exp();
            let (d1, d2) = (t - b[3], t - b[6]);
            let e1 = (-d1 * d1 / (b[4] * b[4])).exp();
            let e2 = (-d2 * d2 / (b[7] * b[7])).exp();
            g[0] = e0;
            g[1] = -b[0] * t * e0;
            g[2] = e1;
            g[3] = b[2] * e1 * 2.0 * d1 / (b[4] * b[4]);
            g[4] = b[2] * e1 * 2.0 * d1 * d1 / b[4].powi(3);
            g[5] = e2;
            g[6] = b[5] * e2 * 2.0 * d2 / (b[7] * b[7]);
            g[7] = b[5] * e2 * 2.0 * d2 * d2 / b[7].powi(3);
            b[0] * e0 + b[2] * e1 + b[5] * e2
        }
        "Hahn1" | "Thurber" => {
            let num = b[0] + b[1] * t + b[2] * t * t + b[3] * t.powi(3);
            let den = 1.0 + b[4] * t + b[5] * t * t + b[6] * t.powi(3);
            let f = num / den;
            for (k, gk) in g.iter_mut().take(4).enumerate() {
                *gk = t.powi(k as i32) / den;
            }
            for k in 0..3 {
                g[4 + k] = -f * t.powi(k as i32 + 1) / den;
            }
            f
        }
        "Kirby2" => {
            let num = b[0] + b[1] * t + b[2] * t * t;
            let den = 1.0 + b[3] * t + b[4] * t * t;
            let f = num / den;
            g[0] = 1.0 / den;
            g[1] = t / den;
            g[2] = t * t / den;
            g[3] = -f * t / den;
            g[4] = -f * t * t / den;
            f
        }
        "Lanczos1" | "Lanczos2" | "Lanczos3" => {
            let mut f = 0.0;
            for k in 0..3 {
                let e = (-b[2 * k + 1] * t).exp();
                g[2 * k] = e;
                g[2 * k + 1] = -b[2 * k] * t * e;
                f += b[2 * k] * e;
            }
            f
        }
        "MGH09" => {
            let num = t * t + t * b[1];
            let den = t * t + t * b[2] + b[3];
            let f = b[0] * num / den;
            g[0] = num / den;
            g[1] = b[0] * t / den;
            g[2] = -f * t / den;
            g[3] = -f / den;
            f
        }
        "MGH10" => {
            let e = (b[1] / (t + b[2])).exp();
            let f = b[0] * e;
            g[0] = e;
            g[1] = f / (t + b[2]);
            g[2] = -f * b[1] / ((t + b[2]) * (t + b[2]));
            f
        }
        "MGH17" => {
            let (e4, e5) = ((-t * b[3]).exp(), (-t * b[4]).exp());
            g[0] = 1.0;
            g[1] = e4;
            g[2] = e5;
            g[3] = -b[1] * t * e4;
            g[4] = -b[2] * t * e5;
            b[0] + b[1] * e4 + b[2] * e5
        }
        "Misra1b" => {
            let u = 1.0 + b[1] * t / 2.0;
            g[0] = 1.0 - u.powi(-2);
            g[1] = b[0] * u.powi(-3) * t;
            b[0] * (1.0 - u.powi(-2))
        }
        "Misra1c" => {
            let u = 1.0 + 2.0 * b[1] * t;
            g[0] = 1.0 - u.powf(-0.5);
            g[1] = b[0] * u.powf(-1.5) * t;
            b[0] * (1.0 - u.powf(-0.5))
        }
        "Misra1d" => {
            let u = 1.0 + b[1] * t;
            g[0] = b[1] * t / u;
            g[1] = b[0] * t / (u * u);
            b[0] * b[1] * t / u
        }
        "Nelson" => {
            let (x1, x2) = (x[0], x[1]);
            let e = (-b[2] * x2).exp();
            g[0] = 1.0;
            g[1] = -x1 * e;
            g[2] = b[1] * x1 * x2 * e;
            b[0] - b[1] * x1 * e
        }
        "Rat42" => {
            let e = (b[1] - b[2] * t).exp();
            let f = b[0] / (1.0 + e);
            g[0] = 1.0 / (1.0 + e);
            g[1] = -f * e / (1.0 + e);
            g[2] = f * t * e / (1.0 + e);
            f
        }
        "Rat43" => {
            let e = (b[1] - b[2] * t).exp();
            let u = 1.0 + e;
            let f = b[0] * u.powf(-1.0 / b[3]);
            g[0] = u.powf(-1.0 / b[3]);
            g[1] = -f * e / (b[3] * u);
            g[2] = f * t * e / (b[3] * u);
            g[3] = f * u.ln() / (b[3] * b[3]);
            f
        }
        "Roszman1" => {
            let d = t - b[3];
            let q = b[2] / d;
            let s = 1.0 / (PI * (1.0 + q * q));
            g[0] = 1.0;
            g[1] = -t;
            g[2] = -s / d;
            g[3] = -s * b[2] / (d * d);
            b[0] - b[1] * t - q.atan() / PI
        }
        other => panic!("no model for {other}"),
    }
}
