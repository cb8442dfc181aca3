//! The share-link decoder on any bytes (after base64) and any text (a pasted URL): a state
//! or a typed error; a state that decodes re-encodes to a link that decodes to itself.
#![no_main]

use libfuzzer_sys::fuzz_target;
use scalescope_core::share::{decode, encode, from_bytes};

fuzz_target!(|data: &[u8]| {
    if let Ok(link) = from_bytes(data) {
        assert_eq!(decode(&encode(&link)).as_ref(), Ok(&link));
    }
    let _ = decode(&String::from_utf8_lossy(data));
});
