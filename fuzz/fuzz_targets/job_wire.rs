//! The worker's message decoders on any bytes: a message or a typed error; a message that
//! decodes re-encodes to the same message.
#![no_main]

use libfuzzer_sys::fuzz_target;
use scalescope_core::job::{decode_request, decode_response, encode_request, encode_response};

fuzz_target!(|data: &[u8]| {
    if let Ok(request) = decode_request(data) {
        assert_eq!(
            decode_request(&encode_request(&request)).ok(),
            Some(request)
        );
    }
    if let Ok(response) = decode_response(data) {
        // Responses hold floats: compare their bytes, not the values (NaN ≠ NaN).
        let again = encode_response(&response);
        let back = decode_response(&again).map(|r| encode_response(&r));
        assert_eq!(back.ok(), Some(again));
    }
});
