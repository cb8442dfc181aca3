//! Tick positions for logarithmic axes.
//!
//! Over a decade or more, majors sit at powers of ten (labelled `10ᵏ` or `1M`, `1B`) and
//! minors at 2..9 × 10ᵏ (unlabelled). A loss axis often spans less than a decade (1.8 to 4):
//! there the majors are "nice" 1-2-5 steps so that it still has readable labels.

/// Major and minor tick positions within an axis range.
#[derive(Clone, Debug, PartialEq)]
pub struct Ticks {
    /// Labelled ticks.
    pub major: Vec<f64>,
    /// Unlabelled ticks.
    pub minor: Vec<f64>,
    /// Whether the majors are powers of ten (label them as such).
    pub decades: bool,
}

/// Ticks for a log axis over `[lo, hi]` (both > 0, lo < hi).
pub fn log_ticks(lo: f64, hi: f64) -> Ticks {
    if !(lo > 0.0 && hi > lo && hi.is_finite()) {
        return Ticks {
            major: vec![],
            minor: vec![],
            decades: true,
        };
    }
    let (k0, k1) = (lo.log10().floor() as i32, hi.log10().ceil() as i32);
    let decades: Vec<f64> = (k0..=k1)
        .map(|k| 10f64.powi(k))
        .filter(|v| in_range(*v, lo, hi))
        .collect();
    if decades.len() >= 2 {
        let step = if k1 - k0 > 12 {
            ((k1 - k0) as f64 / 8.0).ceil() as i32
        } else {
            1
        };
        let major = (k0..=k1)
            .filter(|k| k.rem_euclid(step) == 0)
            .map(|k| 10f64.powi(k))
            .filter(|v| in_range(*v, lo, hi))
            .collect();
        let minor = if step == 1 {
            (k0..=k1)
                .flat_map(|k| (2..10).map(move |m| m as f64 * 10f64.powi(k)))
                .filter(|v| in_range(*v, lo, hi))
                .collect()
        } else {
            decades
                .into_iter()
                .filter(|v| !in_range_step(*v, step))
                .collect()
        };
        return Ticks {
            major,
            minor,
            decades: true,
        };
    }
    let step = nice_step((hi - lo) / 5.0);
    let major = multiples(lo, hi, step);
    let minor = multiples(lo, hi, step / 5.0)
        .into_iter()
        .filter(|v| !major.iter().any(|m| (m - v).abs() < step * 1e-6))
        .collect();
    Ticks {
        major,
        minor,
        decades: false,
    }
}

fn in_range_step(v: f64, step: i32) -> bool {
    (v.log10().round() as i32).rem_euclid(step) == 0
}

fn in_range(v: f64, lo: f64, hi: f64) -> bool {
    v >= lo * (1.0 - 1e-9) && v <= hi * (1.0 + 1e-9)
}

/// The 1-2-2.5-5 step nearest above `raw`.
fn nice_step(raw: f64) -> f64 {
    let mag = 10f64.powf(raw.log10().floor());
    let f = raw / mag;
    let nice = if f <= 1.0 {
        1.0
    } else if f <= 2.0 {
        2.0
    } else if f <= 2.5 {
        2.5
    } else if f <= 5.0 {
        5.0
    } else {
        10.0
    };
    nice * mag
}

fn multiples(lo: f64, hi: f64, step: f64) -> Vec<f64> {
    let first = (lo / step).ceil() as i64;
    let last = (hi / step).floor() as i64;
    if last - first > 200 {
        return vec![];
    }
    (first..=last).map(|i| i as f64 * step).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decades_with_minors() {
        let t = log_ticks(3.0e6, 2.0e10);
        assert_eq!(t.major, vec![1e7, 1e8, 1e9, 1e10]);
        assert!(t.decades);
        assert!(t.minor.contains(&4.0e6) && t.minor.contains(&2.0e10));
        assert!(!t.minor.contains(&2.0e6));
    }

    #[test]
    fn sub_decade_loss_axis_gets_nice_steps() {
        let t = log_ticks(1.8, 4.1);
        assert!(!t.decades);
        assert_eq!(t.major, vec![2.0, 2.5, 3.0, 3.5, 4.0]);
        assert!(t.minor.contains(&1.9) || t.minor.iter().any(|v| (v - 1.9).abs() < 1e-12));
    }

    #[test]
    fn many_decades_are_thinned() {
        let t = log_ticks(1e18, 1e40);
        assert!(t.major.len() <= 12, "{:?}", t.major);
        assert!(t.major.contains(&1e21));
    }

    #[test]
    fn bad_ranges_give_no_ticks() {
        assert!(log_ticks(0.0, 1.0).major.is_empty());
        assert!(log_ticks(5.0, 1.0).major.is_empty());
        assert!(log_ticks(1.0, f64::INFINITY).major.is_empty());
    }
}
