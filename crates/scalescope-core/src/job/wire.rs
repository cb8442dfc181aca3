//! The byte primitives of worker messages: the share links' [`Writer`] and [`Reader`], with
//! what messages add (a head, raw bytes, `f64` columns, line numbers) and errors that say
//! where reading stopped.

use super::{JobError, FORMAT};
use crate::share::bytes::{Reader, Writer};
use crate::share::ShareError;
use std::sync::{Mutex, PoisonError};

/// Writes a message: the share links' writer, with the additions below.
pub(super) type Out = Writer;

impl Writer {
    pub(super) fn with_capacity(bytes: usize) -> Writer {
        Writer {
            out: Vec::with_capacity(bytes),
        }
    }

    /// The format byte, the kind of message and its id.
    pub(super) fn head(&mut self, kind: u8, id: u64) {
        self.u8(FORMAT);
        self.u8(kind);
        self.uint(id);
    }

    pub(super) fn finish(self) -> Vec<u8> {
        self.out
    }

    /// Length-prefixed raw bytes.
    pub(super) fn bytes(&mut self, b: &[u8]) {
        self.usize(b.len());
        self.out.extend_from_slice(b);
    }

    /// Length-prefixed `f64` bits.
    pub(super) fn f64s(&mut self, v: &[f64]) {
        self.usize(v.len());
        self.out.reserve(v.len() * 8);
        for x in v {
            self.out.extend_from_slice(&x.to_bits().to_le_bytes());
        }
    }

    pub(super) fn opt_f64s(&mut self, v: Option<&[f64]>) {
        match v {
            None => self.u8(0),
            Some(v) => {
                self.u8(1);
                self.f64s(v);
            }
        }
    }

    /// Length-prefixed line numbers as zigzag differences (one byte for the next line).
    pub(super) fn lines(&mut self, lines: &[usize]) {
        self.usize(lines.len());
        let mut prev = 0u64;
        for &line in lines {
            let d = (line as u64).wrapping_sub(prev) as i64;
            self.uint(((d << 1) ^ (d >> 63)) as u64);
            prev = line as u64;
        }
    }

    pub(super) fn opt_usize(&mut self, v: Option<usize>) {
        match v {
            None => self.u8(0),
            Some(v) => {
                self.u8(1);
                self.usize(v);
            }
        }
    }
}

/// Reads a message; every error says at which byte.
pub(super) struct In<'a> {
    r: Reader<'a>,
    len: usize,
}

impl<'a> In<'a> {
    pub(super) fn new(bytes: &'a [u8]) -> Self {
        In {
            r: Reader::new(bytes),
            len: bytes.len(),
        }
    }

    /// Bytes not read yet.
    pub(super) fn remaining(&self) -> usize {
        self.r.remaining()
    }

    /// The position of the next byte.
    pub(super) fn at(&self) -> usize {
        self.len - self.r.remaining()
    }

    fn fail(&self, e: ShareError) -> JobError {
        let at = self.at();
        match e {
            ShareError::Truncated => JobError::Truncated { at },
            ShareError::Corrupted(what) | ShareError::Invalid(what) => {
                JobError::Invalid { what, at }
            }
            _ => JobError::Invalid {
                what: "unreadable bytes",
                at,
            },
        }
    }

    /// The error for `tag`, just read, that no variant of `what` has.
    pub(super) fn bad_tag(&self, what: &'static str, tag: u8) -> JobError {
        JobError::BadTag {
            what,
            tag,
            at: self.at().saturating_sub(1),
        }
    }

    pub(super) fn invalid(&self, what: &'static str) -> JobError {
        JobError::Invalid {
            what,
            at: self.at(),
        }
    }

    /// The format byte, then the kind of message.
    pub(super) fn head(&mut self) -> Result<u8, JobError> {
        let format = self.u8()?;
        if format != FORMAT {
            return Err(JobError::Format { found: format });
        }
        self.u8()
    }

    /// Refuses bytes after the end of the message.
    pub(super) fn end(&self) -> Result<(), JobError> {
        match self.r.remaining() {
            0 => Ok(()),
            extra => Err(JobError::TrailingBytes { extra }),
        }
    }

    pub(super) fn u8(&mut self) -> Result<u8, JobError> {
        self.r.u8().map_err(|e| self.fail(e))
    }

    pub(super) fn bool(&mut self) -> Result<bool, JobError> {
        self.option("yes/no value")
    }

    /// An option's (or a yes/no) tag: 0 or 1.
    pub(super) fn option(&mut self, what: &'static str) -> Result<bool, JobError> {
        match self.u8()? {
            0 => Ok(false),
            1 => Ok(true),
            tag => Err(self.bad_tag(what, tag)),
        }
    }

    pub(super) fn uint(&mut self) -> Result<u64, JobError> {
        self.r.uint().map_err(|e| self.fail(e))
    }

    pub(super) fn usize(&mut self) -> Result<usize, JobError> {
        self.r.usize().map_err(|e| self.fail(e))
    }

    pub(super) fn opt_usize(&mut self) -> Result<Option<usize>, JobError> {
        Ok(if self.option("optional number")? {
            Some(self.usize()?)
        } else {
            None
        })
    }

    /// A count of items each at least `min_bytes` long, refused when the bytes left cannot
    /// hold them (a forged count cannot make the decoder allocate).
    pub(super) fn count(&mut self, min_bytes: usize) -> Result<usize, JobError> {
        self.r.count(min_bytes).map_err(|e| self.fail(e))
    }

    pub(super) fn f64(&mut self) -> Result<f64, JobError> {
        self.r.f64().map_err(|e| self.fail(e))
    }

    pub(super) fn string(&mut self) -> Result<String, JobError> {
        self.r.str().map_err(|e| self.fail(e))
    }

    pub(super) fn opt_string(&mut self) -> Result<Option<String>, JobError> {
        Ok(if self.option("optional text")? {
            Some(self.string()?)
        } else {
            None
        })
    }

    pub(super) fn bytes(&mut self) -> Result<Vec<u8>, JobError> {
        let n = self.count(1)?;
        let b = self.r.take(n).map_err(|e| self.fail(e))?;
        Ok(b.to_vec())
    }

    pub(super) fn f64s(&mut self) -> Result<Vec<f64>, JobError> {
        let n = self.count(8)?;
        let b = self.r.take(n * 8).map_err(|e| self.fail(e))?;
        Ok(b.chunks_exact(8)
            .map(|c| {
                let mut a = [0u8; 8];
                a.copy_from_slice(c);
                f64::from_bits(u64::from_le_bytes(a))
            })
            .collect())
    }

    pub(super) fn opt_f64s(&mut self) -> Result<Option<Vec<f64>>, JobError> {
        Ok(if self.option("optional column")? {
            Some(self.f64s()?)
        } else {
            None
        })
    }

    pub(super) fn lines(&mut self) -> Result<Vec<usize>, JobError> {
        let n = self.count(1)?;
        let mut lines = Vec::with_capacity(n);
        let mut prev = 0u64;
        for _ in 0..n {
            let z = self.uint()?;
            let d = ((z >> 1) as i64) ^ -((z & 1) as i64);
            prev = prev.wrapping_add(d as u64);
            let line =
                usize::try_from(prev).map_err(|_| self.invalid("a line number overflows"))?;
            lines.push(line);
        }
        Ok(lines)
    }

    /// A text that the core holds as `&'static str` (an optimiser's stopping test): one of
    /// [`KNOWN_TEXTS`], or else (a text missing from that list) kept for the life of the
    /// program, each distinct text once; past [`MAX_STATIC_TEXTS`] of those (only forged
    /// messages have that many) a new one is refused.
    pub(super) fn static_str(&mut self) -> Result<&'static str, JobError> {
        let s = self.string()?;
        if let Some(k) = KNOWN_TEXTS.iter().find(|k| **k == s) {
            return Ok(k);
        }
        let mut known = STATIC_TEXTS.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(k) = known.iter().find(|k| **k == s) {
            return Ok(k);
        }
        if known.len() >= MAX_STATIC_TEXTS || s.len() > 200 {
            return Err(self.invalid("too many distinct optimiser messages"));
        }
        let k: &'static str = Box::leak(s.into_boxed_str());
        known.push(k);
        Ok(k)
    }
}

/// The stopping tests and failure details the solvers write into [`crate::Termination`]
/// (ours, and levenberg-marquardt's).
const KNOWN_TEXTS: [&str; 20] = [
    "relative objective change",
    "relative step",
    "zero gradient",
    "gradient orthogonal to residuals",
    "L-BFGS tolerances",
    "fitted elsewhere, opened from a fit-only link",
    "no step lowers the objective",
    "ftol",
    "xtol",
    "gtol",
    "problem dimensions",
    "objective at the start",
    "Hessian",
    "residuals",
    "residuals norm",
    "jacobian",
    "subproblem x",
    "subproblem ||Dp||",
    "trust-region reduction",
    "new x",
];

/// How many texts missing from [`KNOWN_TEXTS`] a program keeps.
const MAX_STATIC_TEXTS: usize = 64;

static STATIC_TEXTS: Mutex<Vec<&'static str>> = Mutex::new(Vec::new());
