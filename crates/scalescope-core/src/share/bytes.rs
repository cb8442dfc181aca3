//! The byte primitives of the wire body: LEB128 varints, little-endian `f64` bits (exact,
//! so shared numbers are identical to the last digit), length-prefixed UTF-8 strings.
//!
//! The reader never panics and never allocates more than the bytes it has seen justify: a
//! count larger than the bytes left is [`ShareError::Truncated`].

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
pub(crate) struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    pub(crate) fn new(bytes: &'a [u8]) -> Self {
        Reader { bytes, pos: 0 }
    }

    /// Bytes not read yet.
    pub(crate) fn remaining(&self) -> usize {
        self.bytes.len() - self.pos
    }

    /// Counts every byte as read (a reader that met a problem stops there).
    pub(crate) fn skip_rest(&mut self) {
        self.pos = self.bytes.len();
    }

    pub(crate) fn take(&mut self, n: usize) -> Result<&'a [u8], ShareError> {
        if n > self.remaining() {
            return Err(ShareError::Truncated);
        }
        let s = &self.bytes[self.pos..self.pos + n];
        self.pos += n;
        Ok(s)
    }

    pub(crate) fn u8(&mut self) -> Result<u8, ShareError> {
        Ok(self.take(1)?[0])
    }

    pub(crate) fn bool(&mut self) -> Result<bool, ShareError> {
        match self.u8()? {
            0 => Ok(false),
            1 => Ok(true),
            _ => Err(ShareError::Corrupted("a yes/no value is neither")),
        }
    }

    pub(crate) fn uint(&mut self) -> Result<u64, ShareError> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let byte = self.u8()?;
            let bits = u64::from(byte & 0x7f);
            if shift == 63 && bits > 1 {
                return Err(ShareError::Corrupted("a number overflows"));
            }
            v |= bits << shift;
            if byte & 0x80 == 0 {
                // Canonical form only: no redundant trailing zero groups.
                if byte == 0 && shift > 0 {
                    return Err(ShareError::Corrupted("a number is not in canonical form"));
                }
                return Ok(v);
            }
        }
        Err(ShareError::Corrupted("a number overflows"))
    }

    pub(crate) fn usize(&mut self) -> Result<usize, ShareError> {
        usize::try_from(self.uint()?).map_err(|_| ShareError::Corrupted("a number overflows"))
    }

    /// A count of items each at least `min_bytes` long: refused when the bytes left cannot
    /// hold them (so a forged count cannot make the decoder allocate).
    pub(crate) fn count(&mut self, min_bytes: usize) -> Result<usize, ShareError> {
        let n = self.usize()?;
        if n.saturating_mul(min_bytes.max(1)) > self.remaining() {
            return Err(ShareError::Truncated);
        }
        Ok(n)
    }

    pub(crate) fn f64(&mut self) -> Result<f64, ShareError> {
        let mut b = [0u8; 8];
        b.copy_from_slice(self.take(8)?);
        Ok(f64::from_bits(u64::from_le_bytes(b)))
    }

    pub(crate) fn str(&mut self) -> Result<String, ShareError> {
        let n = self.count(1)?;
        let bytes = self.take(n)?;
        String::from_utf8(bytes.to_vec())
            .map_err(|_| ShareError::Corrupted("a text is not valid UTF-8"))
    }

    pub(crate) fn opt_str(&mut self) -> Result<Option<String>, ShareError> {
        Ok(if self.bool()? {
            Some(self.str()?)
        } else {
            None
        })
    }

    pub(crate) fn opt_f64(&mut self) -> Result<Option<f64>, ShareError> {
        Ok(if self.bool()? {
            Some(self.f64()?)
        } else {
            None
        })
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
            assert_eq!(r.uint(), Ok(v));
            assert_eq!(r.remaining(), 0);
        }
    }

    #[test]
    fn overlong_and_cut_varints_are_refused() {
        // Guards against a forged 11-byte varint wrapping around.
        let long = [0xffu8; 11];
        assert!(Reader::new(&long).uint().is_err());
        assert_eq!(Reader::new(&[0x80]).uint(), Err(ShareError::Truncated));
        assert!(Reader::new(&[0x80, 0x00]).uint().is_err());
    }

    #[test]
    fn a_forged_count_does_not_allocate() {
        let mut w = Writer::default();
        w.uint(u64::MAX / 2);
        assert_eq!(Reader::new(&w.out).count(8), Err(ShareError::Truncated));
    }
}
