//! Share links: the state of a fit in a URL fragment, versioned, compact and checked.
//!
//! A link is `page#FRAGMENT`; the fragment is never sent to a server. The fragment is
//! base64url (no padding) of
//!
//! ```text
//! [version: 1 byte] [zlib stream (deflate + Adler-32) of the body]
//! ```
//!
//! and the body is `[kind: 0 full | 1 fit only]` followed by the fields of [`FullState`] or
//! [`FitOnly`] in declaration order, written by hand: unsigned LEB128 varints for counts,
//! indices and lines (excluded lines as gaps), raw little-endian `f64` bits for numbers (so
//! a shared fit is identical to the last digit), length-prefixed UTF-8 for text, one tag
//! byte per enum and option.
//!
//! Why hand-rolled rather than serde + postcard/bincode: the page ships as wasm under a
//! size budget and has no serde today; the body is ~150 lines of plain code that a reader
//! can check against this comment, and each enum's tag table lives in one place
//! (`codec.rs`) instead of depending on variant order. The Adler-32 checksum makes a
//! garbled link an error instead of a silently different state.
//!
//! # Version rule
//!
//! [`VERSION`] is bumped whenever the body changes in any way (a field added, a tag
//! table grown). Version 2 added pinned parameters (after the view of a full state, after
//! the degrees of freedom of each shared fit), three laws and the `asym-log` objective.
//! Version 3 added each shared fit's optimiser status and warnings (after its pins), so a
//! fit-only link no longer opens a stalled fit as converged. Version 4 added custom laws: the law
//! tag one past the registry (`codec::CUSTOM_TAG`) is followed by the formula text, its starting
//! values and its positive parameters, wherever a law is written. Version 5 added the analyses at
//! the end of the view: the overlaid (and tested) published law, the backtest's K, the
//! parameters shared across groups and the two groups compared. A decoder reads every version up to its own (older layouts keep their
//! reader) and refuses a newer one with [`ShareError::FutureVersion`], so an old page
//! never misreads a new link.
//!
//! ```
//! use scalescope_core::share::{decode, encode, FullState, Link};
//! use scalescope_core::Form;
//!
//! let state = Link::Full(FullState::new("N,loss\n1e6,4\n1e7,3.2\n1e8,2.9\n", Form::Saturating));
//! let fragment = encode(&state);
//! assert_eq!(decode(&format!("https://host/scalescope/#{fragment}"))?, state);
//! assert!(decode("https://host/#AAAA").is_err());
//! # Ok::<(), scalescope_core::share::ShareError>(())
//! ```

pub(crate) mod bytes;
pub(crate) mod codec;
mod fit_only;
mod wire;

pub use fit_only::{fit_only, shared_fits};
pub use wire::{Axis, FitOnly, FullState, Link, SharedFit, Target, Theme, View};

use base64ct::{Base64UrlUnpadded, Encoding as _};
use miniz_oxide::inflate::TINFLStatus;

/// The link format this build writes (and the newest it reads).
pub const VERSION: u8 = 5;

/// Version bytes above this are not a future format but damage (versions grow slowly).
const MAX_PLAUSIBLE_VERSION: u8 = 32;

/// The largest body a link may inflate to (16 MiB): a deflate bomb stops here.
pub const MAX_BODY_BYTES: usize = 16 << 20;

/// The longest fragment accepted before decoding (enough for [`MAX_BODY_BYTES`] of
/// incompressible data).
pub const MAX_FRAGMENT_CHARS: usize = (MAX_BODY_BYTES + 4096) / 3 * 4;

/// Why a link (or saved state) could not be opened. `Display` is a message for the user.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ShareError {
    /// Nothing after `#`.
    #[error("the link carries no state (nothing after '#')")]
    Empty,
    /// A character that base64url does not use.
    #[error("the link is damaged: '{character}' at position {position} cannot be part of it")]
    NotBase64 {
        /// The offending character.
        character: char,
        /// Its 0-based position in the fragment.
        position: usize,
    },
    /// The link ends early (cut off when copied).
    #[error("the link is incomplete: it was probably cut off when it was copied")]
    Truncated,
    /// Made by a newer Scalescope.
    #[error("the link was made by a newer version of Scalescope (format {version}; this one reads formats up to {VERSION}): reload the page or update the command")]
    FutureVersion {
        /// The link's format version.
        version: u8,
    },
    /// Larger than this page accepts (or a deflate bomb).
    #[error("the link's state is larger than {limit} bytes and was not opened")]
    TooLarge {
        /// The limit in bytes (or characters for the fragment).
        limit: usize,
    },
    /// The bytes do not form a state (a checksum or structure check failed).
    #[error("the link is damaged ({0})")]
    Corrupted(&'static str),
    /// Well formed, but a value is impossible.
    #[error("the link is not valid: {0}")]
    Invalid(&'static str),
}

/// The fragment (without `#`) that carries `link`: `encode_body(&body(link))`.
pub fn encode(link: &Link) -> String {
    encode_body(&body(link))
}

/// The uncompressed body of `link` (kind byte, then its fields): cheap to make. Compress it
/// with [`encode_body`], which is slow for big data and can run elsewhere (the page's worker).
pub fn body(link: &Link) -> Vec<u8> {
    codec::write(link)
}

/// The fragment (without `#`) that carries a [`body`]: base64url of the version byte and
/// the zlib stream (deflate level 9) of the body, exactly what [`encode`] gives.
pub fn encode_body(body: &[u8]) -> String {
    Base64UrlUnpadded::encode_string(&compress(body))
}

/// `base` (a page URL; any fragment of it is dropped) with `link` as its fragment.
pub fn url(base: &str, link: &Link) -> String {
    let page = base.split('#').next().unwrap_or(base);
    format!("{page}#{}", encode(link))
}

/// Reads a link: a whole URL, `#FRAGMENT` or the bare fragment (surrounding whitespace is
/// ignored). Never panics, whatever the text.
///
/// # Errors
/// A [`ShareError`] that says whether the link is empty, damaged, cut off, from a newer
/// version, too large or holds an impossible value.
pub fn decode(text: &str) -> Result<Link, ShareError> {
    let text = text.trim();
    let fragment = text.rsplit_once('#').map_or(text, |(_, f)| f);
    if fragment.is_empty() {
        return Err(ShareError::Empty);
    }
    if fragment.len() > MAX_FRAGMENT_CHARS {
        return Err(ShareError::TooLarge {
            limit: MAX_FRAGMENT_CHARS,
        });
    }
    if let Some((position, character)) = fragment
        .char_indices()
        .find(|(_, c)| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_'))
    {
        return Err(ShareError::NotBase64 {
            character,
            position,
        });
    }
    // Only the length can still be wrong: 4k+1 characters cannot be base64.
    let bytes = Base64UrlUnpadded::decode_vec(fragment).map_err(|_| ShareError::Truncated)?;
    from_bytes(&bytes)
}

/// The bytes of a link before base64: the version, then the zlib-compressed body.
pub fn to_bytes(link: &Link) -> Vec<u8> {
    compress(&body(link))
}

/// The version byte, then the zlib stream (level 9) of `body`.
fn compress(body: &[u8]) -> Vec<u8> {
    let mut out = vec![VERSION];
    out.extend(miniz_oxide::deflate::compress_to_vec_zlib(body, 9));
    out
}

/// Reads [`to_bytes`]' output. Never panics, whatever the bytes.
///
/// # Errors
/// As [`decode`].
pub fn from_bytes(bytes: &[u8]) -> Result<Link, ShareError> {
    let (&version, compressed) = bytes.split_first().ok_or(ShareError::Empty)?;
    match version {
        v if v > VERSION && v <= MAX_PLAUSIBLE_VERSION => {
            return Err(ShareError::FutureVersion { version: v })
        }
        v if v == 0 || v > VERSION => return Err(ShareError::Corrupted("not a Scalescope link")),
        _ => {}
    }
    let body = miniz_oxide::inflate::decompress_to_vec_zlib_with_limit(compressed, MAX_BODY_BYTES)
        .map_err(|e| match e.status {
            TINFLStatus::HasMoreOutput => ShareError::TooLarge {
                limit: MAX_BODY_BYTES,
            },
            TINFLStatus::FailedCannotMakeProgress | TINFLStatus::NeedsMoreInput => {
                ShareError::Truncated
            }
            TINFLStatus::Adler32Mismatch => ShareError::Corrupted("checksum mismatch"),
            _ => ShareError::Corrupted("not a compressed state"),
        })?;
    codec::read(&body, version)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The page compresses off its main thread: the two steps must give `encode`'s output.
    #[test]
    fn encode_is_body_then_encode_body() {
        let mut full = FullState::new("N,loss\n1e6,4\n1e7,3.2\n1e8,2.9\n", crate::Form::Saturating);
        full.excluded = [3].into();
        full.roles = vec![(0, crate::table::Role::N)];
        let fit_only = Link::FitOnly(FitOnly {
            x_name: "params".into(),
            fits: vec![],
            view: View::default(),
        });
        for link in [Link::Full(full), fit_only] {
            let body = body(&link);
            // What `encode` computed before it was split in two.
            let mut before = vec![VERSION];
            before.extend(miniz_oxide::deflate::compress_to_vec_zlib(
                &codec::write(&link),
                9,
            ));
            let before =
                base64::Engine::encode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, before);
            assert_eq!(encode_body(&body), before);
            assert_eq!(encode(&link), before);
            assert_eq!(decode(&encode_body(&body)), Ok(link));
        }
    }
}
