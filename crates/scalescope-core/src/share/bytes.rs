//! The byte primitives of the wire body: LEB128 varints, little-endian `f64` bits (exact,
//! so shared numbers are identical to the last digit), length-prefixed UTF-8 strings.
//!
//! The reader never panics and never allocates more than the bytes it has seen justify: a
//! count larger than the bytes left is [`ShareError::Truncated`]. It keeps its first problem
//! instead of returning it from every read (see [`Reader`]).

use super::ShareError;

/// Appends wire values to a byte vector.
#[derive(Default)]
pub(crate) struct Writer {
    pub(crate) out: Vec<u8>,
}

impl Writer {
    pub(crate) fn u8(&mut self, v: u8) {
        self.out.push(v);
    }

    pub(crate) fn bool(&mut self, v: bool) {
        self.u8(u8::from(v));
    }

    /// Unsigned LEB128: 7 bits per byte, high bit set on all but the last.
    pub(crate) fn uint(&mut self, mut v: u64) {
        loop {
            let byte = (v & 0x7f) as u8;
            v >>= 7;
            if v == 0 {
                self.u8(byte);
                return;
            }
            self.u8(byte | 0x80);
        }
    }

    pub(crate) fn usize(&mut self, v: usize) {
        self.uint(v as u64);
    }

    pub(crate) fn f64(&mut self, v: f64) {
        self.out.extend_from_slice(&v.to_bits().to_le_bytes());
    }

    pub(crate) fn str(&mut self, s: &str) {
        self.usize(s.len());
        self.out.extend_from_slice(s.as_bytes());
    }

    pub(crate) fn opt_str(&mut self, s: Option<&str>) {
        match s {
            None => self.u8(0),
            Some(s) => {
                self.u8(1);
                self.str(s);
            }
        }
    }

    pub(crate) fn opt_f64(&mut self, v: Option<f64>) {
        match v {
            None => self.u8(0),
            Some(v) => {
                self.u8(1);
                self.f64(v);
            }
        }
    }
}

/// Reads wire values from a byte slice; every read is bounds-checked.
///
/// A problem does not stop the reading: the first one is kept (with the position where it
/// was met), the rest of the bytes count as read, and every later read gives a zero, an
/// empty value or `false`; [`Reader::finish`] returns the problem. So the codecs' readers
/// are straight-line code, with no error branch at each field (it keeps the page's wasm
/// small).
pub(crate) struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
    error: Option<(ShareError, usize)>,
}

impl<'a> Reader<'a> {
    pub(crate) fn new(bytes: &'a [u8]) -> Self {
        Reader {
            bytes,
            pos: 0,
            error: None,
        }
    }

    /// Bytes not read yet.
    pub(crate) fn remaining(&self) -> usize {
        self.bytes.len() - self.pos
    }

    /// The position of the next byte.
    pub(crate) fn at(&self) -> usize {
        self.pos
    }

    /// Whether no problem was met so far.
    pub(crate) fn ok(&self) -> bool {
        self.error.is_none()
    }

    /// The first problem met and where, if any.
    pub(crate) fn error(&self) -> Option<(ShareError, usize)> {
        self.error.clone()
    }

    /// `Ok` if no problem was met.
    pub(crate) fn finish(&self) -> Result<(), ShareError> {
        match &self.error {
            None => Ok(()),
            Some((e, _)) => Err(e.clone()),
        }
    }

    /// Keeps `e` unless a problem was met before, and counts every byte as read.
    #[cold]
    #[inline(never)]
    pub(crate) fn fail(&mut self, e: ShareError) {
        if self.error.is_none() {
            self.error = Some((e, self.pos));
        }
        self.skip_rest();
    }

    /// Counts every byte as read (a reader that met a problem stops there).
    pub(crate) fn skip_rest(&mut self) {
        self.pos = self.bytes.len();
    }

    pub(crate) fn take(&mut self, n: usize) -> &'a [u8] {
        if n > self.remaining() {
            self.fail(ShareError::Truncated);
            return &[];
        }
        let s = &self.bytes[self.pos..self.pos + n];
        self.pos += n;
        s
    }

    pub(crate) fn u8(&mut self) -> u8 {
        self.take(1).first().copied().unwrap_or(0)
    }

    /// A tag below `n` (one of an enum's `n` variants); else `what` is the problem, and 0 the
    /// tag.
    pub(crate) fn tag(&mut self, n: u8, what: &'static str) -> u8 {
        let tag = self.u8();
        if tag < n {
            tag
        } else {
            self.fail(ShareError::Corrupted(what));
            0
        }
    }

    pub(crate) fn bool(&mut self) -> bool {
        self.tag(2, "a yes/no value is neither") == 1
    }

    pub(crate) fn uint(&mut self) -> u64 {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let byte = self.u8();
            let bits = u64::from(byte & 0x7f);
            if shift == 63 && bits > 1 {
                break;
            }
            v |= bits << shift;
            if byte & 0x80 == 0 {
                // Canonical form only: no redundant trailing zero groups.
                if byte == 0 && shift > 0 {
                    self.fail(ShareError::Corrupted("a number is not in canonical form"));
                    return 0;
                }
                return v;
            }
        }
        self.fail(ShareError::Corrupted("a number overflows"));
        0
    }

    pub(crate) fn usize(&mut self) -> usize {
        let v = self.uint();
        usize::try_from(v).unwrap_or_else(|_| {
            self.fail(ShareError::Corrupted("a number overflows"));
            0
        })
    }

    /// A count of items each at least `min_bytes` long: refused when the bytes left cannot
    /// hold them (so a forged count cannot make the decoder allocate).
    pub(crate) fn count(&mut self, min_bytes: usize) -> usize {
        let n = self.usize();
        if n.saturating_mul(min_bytes.max(1)) > self.remaining() {
            self.fail(ShareError::Truncated);
            return 0;
        }
        n
    }

    pub(crate) fn f64(&mut self) -> f64 {
        let mut b = [0u8; 8];
        if let Ok(bytes) = <[u8; 8]>::try_from(self.take(8)) {
            b = bytes;
        }
        f64::from_bits(u64::from_le_bytes(b))
    }

    pub(crate) fn str(&mut self) -> String {
        let n = self.count(1);
        let bytes = self.take(n);
        match std::str::from_utf8(bytes) {
            Ok(s) => s.to_string(),
            Err(_) => {
                self.fail(ShareError::Corrupted("a text is not valid UTF-8"));
                String::new()
            }
        }
    }

    pub(crate) fn opt_str(&mut self) -> Option<String> {
        self.bool().then(|| self.str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints_round_trip_at_the_edges() {
        for v in [0, 1, 127, 128, 300, u64::from(u32::MAX), u64::MAX] {
            let mut w = Writer::default();
            w.uint(v);
            let mut r = Reader::new(&w.out);
            assert_eq!(r.uint(), v);
            assert_eq!(r.finish(), Ok(()));
            assert_eq!(r.remaining(), 0);
        }
    }

    #[test]
    fn overlong_and_cut_varints_are_refused() {
        let read = |bytes: &[u8]| {
            let mut r = Reader::new(bytes);
            r.uint();
            r.finish()
        };
        // Guards against a forged 11-byte varint wrapping around.
        let long = [0xffu8; 11];
        assert!(read(&long).is_err());
        assert_eq!(read(&[0x80]), Err(ShareError::Truncated));
        assert!(read(&[0x80, 0x00]).is_err());
    }

    #[test]
    fn a_forged_count_does_not_allocate() {
        let mut w = Writer::default();
        w.uint(u64::MAX / 2);
        let mut r = Reader::new(&w.out);
        assert_eq!(r.count(8), 0);
        assert_eq!(r.finish(), Err(ShareError::Truncated));
    }

    #[test]
    fn the_first_problem_is_kept() {
        let mut r = Reader::new(&[7, 0x80]);
        assert_eq!(r.tag(2, "a switch"), 0);
        assert_eq!(r.uint(), 0);
        assert_eq!(r.error(), Some((ShareError::Corrupted("a switch"), 1)));
    }
}
