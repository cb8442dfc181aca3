//! The table reader on any text, with every delimiter the sniffer can pick: it returns a
//! table or a typed error, within its allocation limits.
#![no_main]

use libfuzzer_sys::fuzz_target;
use scalescope_core::table::{read_table, ReadOptions};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Ok(table) = read_table(&text, &ReadOptions::new()) {
        // What the page does next with a table: ask for its columns and rows.
        let _ = format!("{table:?}").len();
    }
});
