//! The worker's message decoders on any bytes: a message or a typed error; a message that
//! decodes re-encodes to bytes that decode to the same message. Messages hold floats (a pin
//! may be NaN), so the round trip compares bytes, not values (NaN ≠ NaN).
#![no_main]

use libfuzzer_sys::fuzz_target;
use scalescope_core::job::{decode_request, decode_response, encode_request, encode_response};

fuzz_target!(|data: &[u8]| {
    if let Ok(request) = decode_request(data) {
        let again = encode_request(&request);
        let back = decode_request(&again).map(|r| encode_request(&r));
        assert_eq!(back.ok(), Some(again));
    }
    if let Ok(response) = decode_response(data) {
        let again = encode_response(&response);
        let back = decode_response(&again).map(|r| encode_response(&r));
        assert_eq!(back.ok(), Some(again));
    }
});
