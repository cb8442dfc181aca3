//! Training compute → GPU-hours → cost, and the calculator's number fields.
//!
//! A run of `C` FLOP on GPUs with peak throughput `P` FLOP/s at model FLOP utilisation
//! `MFU` takes `C / (P · MFU)` GPU-seconds, i.e. `C / (P · MFU) / 3600` GPU-hours, and costs
//! that times the price of a GPU-hour.
//!
//! ```
//! use scalescope_core::budget::{estimate, Hardware, H100};
//!
//! let hw = Hardware::new(H100.peak_flops, 0.4, 2.0)?;
//! let cost = estimate(1e24, &hw)?;
//! // 1e24 / (989e12 · 0.4) / 3600 = 702 168.3 GPU-hours, at $2 each $1.404M
//! assert!((cost.gpu_hours / 702_168.2957 - 1.0).abs() < 1e-9);
//! assert!((cost.usd / 1_404_336.591 - 1.0).abs() < 1e-9);
//! # Ok::<(), scalescope_core::budget::InputError>(())
//! ```

use crate::table::{read_table, ColumnRef, Delimiter, Positivity, ReadOptions, Role};

/// An accelerator with its peak dense throughput.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Gpu {
    /// Stable identifier (`a100`, `h100`).
    pub key: &'static str,
    /// Name for a menu, with the peak (bf16, dense).
    pub name: &'static str,
    /// Peak dense throughput in FLOP/s.
    pub peak_flops: f64,
}

/// NVIDIA A100: 312 TFLOP/s bf16 dense (A100 datasheet, Tensor Core, without sparsity).
pub const A100: Gpu = Gpu {
    key: "a100",
    name: "A100 · 312 TFLOP/s",
    peak_flops: 312e12,
};

/// NVIDIA H100 SXM: 989 TFLOP/s bf16 dense (H100 datasheet, Tensor Core, without sparsity).
pub const H100: Gpu = Gpu {
    key: "h100",
    name: "H100 SXM · 989 TFLOP/s",
    peak_flops: 989e12,
};

/// The GPU presets, in menu order.
pub const GPUS: [Gpu; 2] = [A100, H100];

/// Model FLOP utilisation assumed when none is given: 40 %.
pub const DEFAULT_MFU: f64 = 0.4;

/// Why a calculator input cannot be used. `Display` is text for the field's message.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum InputError {
    /// The field is empty.
    #[error("enter a number")]
    Empty,
    /// The text is not a number by the table reader's rule.
    #[error("'{0}' is not a number (examples: 2.1, 6e23, 1.4×10^12, 70B)")]
    NotANumber(String),
    /// The value must be positive and finite.
    #[error("{name} must be positive (got {value})")]
    NotPositive {
        /// What the value is.
        name: &'static str,
        /// The value given.
        value: f64,
    },
    /// The value must not be negative.
    #[error("{name} cannot be negative (got {value})")]
    Negative {
        /// What the value is.
        name: &'static str,
        /// The value given.
        value: f64,
    },
    /// A utilisation must be a fraction in (0, 1].
    #[error("MFU must be above 0 % and at most 100 % (got {} %)", value * 100.0)]
    MfuOutOfRange {
        /// The fraction given.
        value: f64,
    },
}

/// Parses one number the way the table reader does (`2.1`, `6e23`, `1.4×10^12`, `70B`,
/// `"1,000,000"`, `−3`), so a calculator field accepts what a pasted table does.
///
/// # Errors
/// [`InputError::Empty`] for blank text, [`InputError::NotANumber`] otherwise.
pub fn parse_number(text: &str) -> Result<f64, InputError> {
    let field = text.trim();
    if field.is_empty() {
        return Err(InputError::Empty);
    }
    let not_a_number = || InputError::NotANumber(field.to_string());
    if field.contains(['"', '\n', '\r']) {
        return Err(not_a_number());
    }
    // A one-row table with the field quoted: the reader's number rule, with `,` as a
    // thousands separator (delimiter `,`) and no positivity filter.
    let csv = format!("value,loss\n\"{field}\",1\n");
    let options = ReadOptions::new()
        .with_delimiter(Delimiter::Comma)
        .with_header(true)
        .with_role(ColumnRef::Index(0), Role::X)
        .with_role(ColumnRef::Index(1), Role::Loss)
        .with_positivity(Positivity { x: false, y: false });
    let table = read_table(&csv, &options).map_err(|_| not_a_number())?;
    let row = table.row(0).ok_or_else(not_a_number)?;
    row.cells
        .first()
        .and_then(|c| c.as_number())
        .ok_or_else(not_a_number)
}

/// [`parse_number`], then requires a positive value; `name` says what it is in the error.
///
/// # Errors
/// As [`parse_number`], and [`InputError::NotPositive`].
pub fn parse_positive(text: &str, name: &'static str) -> Result<f64, InputError> {
    positive(name, parse_number(text)?)
}

/// [`parse_number`], then requires a value ≥ 0 (a price); `name` says what it is.
///
/// # Errors
/// As [`parse_number`], and [`InputError::Negative`].
pub fn parse_non_negative(text: &str, name: &'static str) -> Result<f64, InputError> {
    let value = parse_number(text)?;
    if value >= 0.0 {
        Ok(value)
    } else {
        Err(InputError::Negative { name, value })
    }
}

/// A percentage (`40`, `40 %`, `40%`) as a fraction in (0, 1] — for MFU.
///
/// # Errors
/// As [`parse_number`], and [`InputError::MfuOutOfRange`].
pub fn parse_percent(text: &str) -> Result<f64, InputError> {
    let trimmed = text.trim();
    let number = trimmed.strip_suffix('%').unwrap_or(trimmed);
    mfu(parse_number(number)? / 100.0)
}

fn positive(name: &'static str, value: f64) -> Result<f64, InputError> {
    if value.is_finite() && value > 0.0 {
        Ok(value)
    } else {
        Err(InputError::NotPositive { name, value })
    }
}

fn mfu(value: f64) -> Result<f64, InputError> {
    if value.is_finite() && value > 0.0 && value <= 1.0 {
        Ok(value)
    } else {
        Err(InputError::MfuOutOfRange { value })
    }
}

/// The hardware a run is costed on.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Hardware {
    /// Peak throughput per GPU, FLOP/s.
    pub peak_flops: f64,
    /// Model FLOP utilisation, a fraction in (0, 1].
    pub mfu: f64,
    /// Price of one GPU-hour in US dollars (zero is allowed: an owned cluster).
    pub usd_per_gpu_hour: f64,
}

impl Hardware {
    /// Checked hardware: positive peak, MFU in (0, 1], non-negative price.
    ///
    /// # Errors
    /// [`InputError::NotPositive`], [`InputError::MfuOutOfRange`] or [`InputError::Negative`].
    pub fn new(peak_flops: f64, mfu: f64, usd_per_gpu_hour: f64) -> Result<Self, InputError> {
        let hw = Hardware {
            peak_flops,
            mfu,
            usd_per_gpu_hour,
        };
        hw.check()?;
        Ok(hw)
    }

    fn check(&self) -> Result<(), InputError> {
        positive("peak FLOP/s", self.peak_flops)?;
        mfu(self.mfu)?;
        if !(self.usd_per_gpu_hour.is_finite() && self.usd_per_gpu_hour >= 0.0) {
            return Err(InputError::Negative {
                name: "price per GPU-hour",
                value: self.usd_per_gpu_hour,
            });
        }
        Ok(())
    }

    /// FLOP/s actually delivered per GPU: peak × MFU.
    pub fn effective_flops(&self) -> f64 {
        self.peak_flops * self.mfu
    }
}

/// What a training run of a given compute costs.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Cost {
    /// Training compute in FLOP.
    pub compute: f64,
    /// GPU-hours: compute / (peak · MFU) / 3600.
    pub gpu_hours: f64,
    /// Dollars: GPU-hours × price.
    pub usd: f64,
}

impl Cost {
    /// Wall-clock days on `gpus` GPUs (perfect scaling assumed).
    pub fn days_on(&self, gpus: f64) -> f64 {
        self.gpu_hours / gpus / 24.0
    }
}

/// GPU-hours for `compute` FLOP at `peak_flops` per GPU and utilisation `mfu`.
///
/// # Errors
/// Non-positive compute or peak, MFU outside (0, 1].
pub fn gpu_hours(compute: f64, peak_flops: f64, mfu_fraction: f64) -> Result<f64, InputError> {
    positive("compute", compute)?;
    positive("peak FLOP/s", peak_flops)?;
    mfu(mfu_fraction)?;
    Ok(compute / (peak_flops * mfu_fraction) / 3600.0)
}

/// GPU-hours and dollars for `compute` FLOP on `hardware`.
///
/// # Errors
/// Non-positive compute, or hardware that [`Hardware::new`] would refuse.
pub fn estimate(compute: f64, hardware: &Hardware) -> Result<Cost, InputError> {
    hardware.check()?;
    let hours = gpu_hours(compute, hardware.peak_flops, hardware.mfu)?;
    Ok(Cost {
        compute,
        gpu_hours: hours,
        usd: hours * hardware.usd_per_gpu_hour,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, rel: f64) -> bool {
        (a / b - 1.0).abs() < rel
    }

    #[test]
    fn gpu_hours_by_hand() {
        // 1e24 / (312e12 · 0.4) = 8.0128205…e9 s → / 3600 = 2 225 783.49 GPU-hours.
        let h = gpu_hours(1e24, A100.peak_flops, 0.4).unwrap();
        assert!(close(h, 2_225_783.475_783, 1e-9), "{h}");
        // 5.88e23 (Chinchilla) on H100 at 50 %: 5.88e23 / 4.945e14 / 3600 = 330 299.97…
        let h = gpu_hours(5.88e23, H100.peak_flops, 0.5).unwrap();
        assert!(close(h, 5.88e23 / 4.945e14 / 3600.0, 1e-15), "{h}");
        assert!(close(h, 330_299.966_3, 1e-9), "{h}");
    }

    #[test]
    fn cost_is_hours_times_price() {
        let hw = Hardware::new(H100.peak_flops, DEFAULT_MFU, 2.5).unwrap();
        let c = estimate(1e24, &hw).unwrap();
        // 1e24 / 395.6e12 / 3600 = 702 168.30 h; × 2.5 $.
        assert!(close(c.gpu_hours, 702_168.295_7, 1e-9), "{}", c.gpu_hours);
        assert!(close(c.usd, 2.5 * c.gpu_hours, 1e-15));
        assert!(close(hw.effective_flops(), 395.6e12, 1e-15));
        // 1024 GPUs: 702 168.30 / 1024 / 24 = 28.5713 days.
        assert!(
            close(c.days_on(1024.0), 28.571301, 1e-7),
            "{}",
            c.days_on(1024.0)
        );
        let free = Hardware::new(A100.peak_flops, 0.4, 0.0).unwrap();
        assert_eq!(estimate(1e20, &free).map(|c| c.usd), Ok(0.0));
    }

    #[test]
    fn invalid_inputs_are_typed_errors() {
        assert_eq!(
            gpu_hours(0.0, A100.peak_flops, 0.4),
            Err(InputError::NotPositive {
                name: "compute",
                value: 0.0
            })
        );
        assert!(matches!(
            gpu_hours(f64::NAN, A100.peak_flops, 0.4),
            Err(InputError::NotPositive {
                name: "compute",
                ..
            })
        ));
        assert_eq!(
            gpu_hours(1e24, -1.0, 0.4),
            Err(InputError::NotPositive {
                name: "peak FLOP/s",
                value: -1.0
            })
        );
        assert_eq!(
            gpu_hours(1e24, A100.peak_flops, 1.5),
            Err(InputError::MfuOutOfRange { value: 1.5 })
        );
        assert_eq!(
            gpu_hours(1e24, A100.peak_flops, 0.0),
            Err(InputError::MfuOutOfRange { value: 0.0 })
        );
        assert_eq!(
            Hardware::new(A100.peak_flops, 0.4, -2.0),
            Err(InputError::Negative {
                name: "price per GPU-hour",
                value: -2.0
            })
        );
        let bad = Hardware {
            peak_flops: 0.0,
            mfu: 0.4,
            usd_per_gpu_hour: 1.0,
        };
        assert!(estimate(1e24, &bad).is_err());
        assert_eq!(
            InputError::MfuOutOfRange { value: 1.5 }.to_string(),
            "MFU must be above 0 % and at most 100 % (got 150 %)"
        );
    }

    #[test]
    fn fields_follow_the_reader_number_rule() {
        for (text, want) in [
            ("1e24", 1e24),
            (" 6e23 ", 6e23),
            ("6E+23", 6e23),
            ("70B", 7e10),
            ("1.4T", 1.4e12),
            ("70 M", 7e7),
            ("1.4×10^12", 1.4e12),
            ("1,000,000", 1e6),
            ("2.1", 2.1),
            ("−3", -3.0),
            ("0", 0.0),
        ] {
            assert_eq!(parse_number(text), Ok(want), "{text}");
        }
        for text in [
            "abc", "1e", "2,5", "1.2.3", "nan", "inf", "1e999", "\"1\"", "1\n2", "7 7",
        ] {
            assert!(
                matches!(parse_number(text), Err(InputError::NotANumber(_))),
                "{text}: {:?}",
                parse_number(text)
            );
        }
        assert_eq!(parse_number("  "), Err(InputError::Empty));
        assert_eq!(
            parse_positive("-1", "target loss"),
            Err(InputError::NotPositive {
                name: "target loss",
                value: -1.0
            })
        );
        assert_eq!(
            parse_number("abc").map_err(|e| e.to_string()),
            Err("'abc' is not a number (examples: 2.1, 6e23, 1.4×10^12, 70B)".into())
        );
    }

    #[test]
    fn prices() {
        assert_eq!(parse_non_negative("2.5", "price"), Ok(2.5));
        assert_eq!(parse_non_negative("0", "price"), Ok(0.0));
        assert_eq!(
            parse_non_negative("-1", "price"),
            Err(InputError::Negative {
                name: "price",
                value: -1.0
            })
        );
        assert_eq!(parse_non_negative("", "price"), Err(InputError::Empty));
    }

    #[test]
    fn percentages() {
        assert_eq!(parse_percent("40"), Ok(0.4));
        assert_eq!(parse_percent("40 %"), Ok(0.4));
        assert_eq!(parse_percent("55.5%"), Ok(0.555));
        assert_eq!(parse_percent("100"), Ok(1.0));
        assert_eq!(
            parse_percent("0"),
            Err(InputError::MfuOutOfRange { value: 0.0 })
        );
        assert!(matches!(
            parse_percent("120"),
            Err(InputError::MfuOutOfRange { .. })
        ));
        assert!(matches!(
            parse_percent("x%"),
            Err(InputError::NotANumber(_))
        ));
    }
}
