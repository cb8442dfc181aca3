//! Properties of the reader: it never panics, and every table it accepts survives a round
//! trip through [`Table::to_csv`].

use proptest::prelude::*;
use scalescope_core::table::{read_table, ColumnRef, Delimiter, ReadOptions, Table};

/// Write `table` as CSV, read it back with a header and the same roles, and compare.
fn assert_round_trip(table: &Table) -> Result<(), TestCaseError> {
    let csv = table.to_csv();
    let mut options = ReadOptions::new()
        .with_delimiter(Delimiter::Comma)
        .with_header(true)
        .with_positivity(table.positivity());
    for (j, role) in table.roles().iter().enumerate() {
        options = options.with_role(ColumnRef::Index(j), *role);
    }
    let back = read_table(&csv, &options);
    prop_assert!(back.is_ok(), "rereading failed: {back:?}\n{csv}");
    let Ok(back) = back else { return Ok(()) };
    prop_assert_eq!(back.headers(), table.headers());
    prop_assert_eq!(back.roles(), table.roles());
    let cells = |t: &Table| t.rows().map(|r| r.cells.to_vec()).collect::<Vec<_>>();
    prop_assert_eq!(cells(&back), cells(table), "{}", csv);
    prop_assert_eq!(back.groups(), table.groups());
    Ok(())
}

/// One cell as people write them.
fn cell() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<f64>()
            .prop_filter("finite", |v| v.is_finite())
            .prop_map(|v| v.to_string()),
        (
            1u32..1000,
            prop_oneof![Just("K"), Just("M"), Just("B"), Just("T"), Just("")]
        )
            .prop_map(|(n, s)| format!("{n}{s}")),
        (0.0f64..10.0).prop_map(|v| format!("{v:.3}")),
        (1.0f64..9.9, -30i32..30).prop_map(|(m, e)| format!("{m:.2}e{e}")),
        "[a-z][a-z0-9 -]{0,8}",
        Just(String::new()),
        Just("n/a".to_string()),
    ]
}

/// A table as text with a random delimiter and decorations (BOM, CRLF, comments, blanks).
fn table_text() -> impl Strategy<Value = String> {
    let delimiter = prop_oneof![Just(","), Just("\t"), Just(";"), Just("   "), Just(" | ")];
    (1usize..5, 1usize..25).prop_flat_map(move |(cols, rows)| {
        (
            delimiter.clone(),
            prop::collection::vec("[A-Za-z_]{1,8}", cols),
            prop::collection::vec(prop::collection::vec(cell(), cols), rows),
            any::<bool>(),
            any::<bool>(),
            any::<bool>(),
        )
            .prop_map(|(delim, header, rows, bom, crlf, comment)| {
                let nl = if crlf { "\r\n" } else { "\n" };
                let quote = |f: &String| {
                    if f.is_empty() || f.contains([' ', ',', ';']) {
                        format!("\"{f}\"")
                    } else {
                        f.clone()
                    }
                };
                let mut text = String::from(if bom { "\u{feff}" } else { "" });
                if comment {
                    text += "# exported by a script";
                    text += nl;
                }
                text += &header.join(delim);
                for row in &rows {
                    text += nl;
                    text += &row.iter().map(quote).collect::<Vec<_>>().join(delim);
                }
                text + nl
            })
    })
}

/// Rows of tokens with mixed separators, quotes, comments and blank lines: mostly tables, often
/// ragged or inconsistent, as pastes are.
fn messy_text() -> impl Strategy<Value = String> {
    let token = prop_oneof![
        cell(),
        Just("\"1,000\"".to_string()),
        Just("2,5".to_string()),
        Just("\"".to_string()),
        Just("#".to_string()),
        Just("loss".to_string()),
        Just("N".to_string()),
        Just("ppl".to_string()),
        Just("model".to_string()),
        Just("-0".to_string()),
        Just("1.4×10^12".to_string()),
    ];
    let sep = prop_oneof![
        Just(","),
        Just("\t"),
        Just(";"),
        Just("  "),
        Just(", "),
        Just(" | ")
    ];
    let line = prop::collection::vec((token, sep), 0..5).prop_map(|fields| {
        fields
            .into_iter()
            .map(|(t, s)| format!("{t}{s}"))
            .collect::<String>()
    });
    let nl = prop_oneof![Just("\n"), Just("\r\n")];
    prop::collection::vec((line, nl), 0..15)
        .prop_map(|lines| lines.into_iter().map(|(l, n)| l + n).collect())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_strings_never_panic(text in any::<String>()) {
        let _ = read_table(&text, &ReadOptions::new());
    }

    #[test]
    fn messy_tables_never_panic_and_round_trip(text in messy_text()) {
        if let Ok(table) = read_table(&text, &ReadOptions::new()) {
            assert_round_trip(&table)?;
        }
    }

    #[test]
    fn generated_tables_round_trip(text in table_text()) {
        if let Ok(table) = read_table(&text, &ReadOptions::new()) {
            assert_round_trip(&table)?;
        }
    }
}
