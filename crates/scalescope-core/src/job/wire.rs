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

/// Reads a message: the share links' [`Reader`] (which keeps its first problem, see there),
/// with the problems only messages have. Every read past a problem gives a zero, an empty
/// value or variant 0; [`In::finish`] returns the first problem, with the byte where it was
/// met.
pub(super) struct In<'a> {
    r: Reader<'a>,
    /// A problem of the message's own (a bad tag, another format…), met while the reader
    /// had none.
    error: Option<JobError>,
}

impl<'a> In<'a> {
    pub(super) fn new(bytes: &'a [u8]) -> Self {
        In {
            r: Reader::new(bytes),
            error: None,
        }
    }

    /// Bytes not read yet.
    pub(super) fn remaining(&self) -> usize {
        self.r.remaining()
    }

    /// Whether no problem was met so far.
    pub(super) fn ok(&self) -> bool {
        self.error.is_none() && self.r.ok()
    }

    /// Keeps `e` unless a problem was met before, and skips the rest of the message.
    #[cold]
    #[inline(never)]
    fn fail(&mut self, e: JobError) {
        if self.ok() {
            self.error = Some(e);
        }
        self.r.skip_rest();
    }

    /// Records that the message is invalid here.
    pub(super) fn invalid(&mut self, what: &'static str) {
        let at = self.r.at();
        self.fail(JobError::Invalid { what, at });
    }

    /// Records that the message is cut off here.
    pub(super) fn truncated(&mut self) {
        let at = self.r.at();
        self.fail(JobError::Truncated { at });
    }

    /// The format byte, then the kind of message: one of `first..first + n`, returned as
    /// `0..n`.
    pub(super) fn head(&mut self, first: u8, n: u8, what: &'static str) -> u8 {
        let format = self.u8();
        if format != FORMAT {
            self.fail(JobError::Format { found: format });
        }
        let kind = self.u8();
        match kind.wrapping_sub(first) {
            k if k < n => k,
            _ => {
                self.bad_tag(what, kind);
                0
            }
        }
    }

    /// `value` if the whole message was read without a problem, else the first problem.
    pub(super) fn finish<T>(self, value: T) -> Result<T, JobError> {
        if let Some(e) = self.error {
            return Err(e);
        }
        match self.r.error() {
            Some((ShareError::Truncated, at)) => Err(JobError::Truncated { at }),
            Some((ShareError::Corrupted(what) | ShareError::Invalid(what), at)) => {
                Err(JobError::Invalid { what, at })
            }
            Some((_, at)) => Err(JobError::Invalid {
                what: "unreadable bytes",
                at,
            }),
            None => match self.r.remaining() {
                0 => Ok(value),
                extra => Err(JobError::TrailingBytes { extra }),
            },
        }
    }

    #[inline(never)]
    fn bad_tag(&mut self, what: &'static str, tag: u8) {
        let at = self.r.at().saturating_sub(1);
        self.fail(JobError::BadTag { what, tag, at });
    }

    /// A tag below `n` (one of an enum's `n` variants); past a problem, 0.
    pub(super) fn tag(&mut self, what: &'static str, n: u8) -> u8 {
        let tag = self.u8();
        if tag < n {
            tag
        } else {
            self.bad_tag(what, tag);
            0
        }
    }

    /// The entry of `table` whose tag (its index) comes next; `what` names the table in
    /// the error for a tag past its end. The writing side is [`tag_of`].
    ///
    /// [`tag_of`]: crate::share::codec::tag_of
    pub(super) fn pick<T: Copy>(&mut self, table: &[T], what: &'static str) -> T {
        table[usize::from(self.tag(what, table.len() as u8))]
    }

    /// A law (a registry tag, or a custom law's formula and options).
    pub(super) fn form(&mut self) -> crate::Form {
        crate::share::codec::read_form(&mut self.r, true)
    }

    pub(super) fn u8(&mut self) -> u8 {
        self.r.u8()
    }

    pub(super) fn bool(&mut self) -> bool {
        self.option("yes/no value")
    }

    /// An option's (or a yes/no) tag: 0 or 1.
    pub(super) fn option(&mut self, what: &'static str) -> bool {
        self.tag(what, 2) == 1
    }

    pub(super) fn uint(&mut self) -> u64 {
        self.r.uint()
    }

    pub(super) fn usize(&mut self) -> usize {
        self.r.usize()
    }

    pub(super) fn opt_usize(&mut self) -> Option<usize> {
        self.option("optional number").then(|| self.usize())
    }

    /// A count of items each at least `min_bytes` long, refused when the bytes left cannot
    /// hold them (a forged count cannot make the decoder allocate).
    pub(super) fn count(&mut self, min_bytes: usize) -> usize {
        self.r.count(min_bytes)
    }

    /// `n` items read by `item`.
    pub(super) fn list<T>(&mut self, n: usize, item: fn(&mut Self) -> T) -> Vec<T> {
        (0..n).map(|_| item(self)).collect()
    }

    pub(super) fn f64(&mut self) -> f64 {
        self.r.f64()
    }

    pub(super) fn string(&mut self) -> String {
        self.r.str()
    }

    pub(super) fn opt_string(&mut self) -> Option<String> {
        self.option("optional text").then(|| self.string())
    }

    pub(super) fn bytes(&mut self) -> Vec<u8> {
        let n = self.count(1);
        self.r.take(n).to_vec()
    }

    pub(super) fn f64s(&mut self) -> Vec<f64> {
        let n = self.count(8);
        self.r
            .take(n * 8)
            .chunks_exact(8)
            .map(|c| {
                let mut a = [0u8; 8];
                a.copy_from_slice(c);
                f64::from_bits(u64::from_le_bytes(a))
            })
            .collect()
    }

    pub(super) fn opt_f64s(&mut self) -> Option<Vec<f64>> {
        self.option("optional column").then(|| self.f64s())
    }

    pub(super) fn lines(&mut self) -> Vec<usize> {
        let n = self.count(1);
        let mut lines = Vec::with_capacity(n);
        let mut prev = 0u64;
        for _ in 0..n {
            let z = self.uint();
            let d = ((z >> 1) as i64) ^ -((z & 1) as i64);
            prev = prev.wrapping_add(d as u64);
            let line = usize::try_from(prev).unwrap_or_else(|_| {
                self.invalid("a line number overflows");
                0
            });
            lines.push(line);
        }
        lines
    }

    /// A text that the core holds as `&'static str` (an optimiser's stopping test): one of
    /// [`KNOWN_TEXTS`], or else (a text missing from that list) kept for the life of the
    /// program, each distinct text once; past [`MAX_STATIC_TEXTS`] of those (only forged
    /// messages have that many) a new one is refused.
    pub(super) fn static_str(&mut self) -> &'static str {
        let s = self.string();
        if let Some(k) = crate::termination::known_text(&s) {
            return k;
        }
        if !self.ok() {
            return "";
        }
        let mut known = STATIC_TEXTS.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(k) = known.iter().find(|k| **k == s) {
            return k;
        }
        if known.len() >= MAX_STATIC_TEXTS || s.len() > 200 {
            drop(known);
            self.invalid("too many distinct optimiser messages");
            return "";
        }
        let k: &'static str = Box::leak(s.into_boxed_str());
        known.push(k);
        k
    }
}

/// How many texts missing from [`crate::termination::KNOWN_TEXTS`] a program keeps.
const MAX_STATIC_TEXTS: usize = 64;

static STATIC_TEXTS: Mutex<Vec<&'static str>> = Mutex::new(Vec::new());
