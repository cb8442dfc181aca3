//! Hostile inputs through the binary (issue 15): a table bomb in a file or in a link exits
//! with status 2 and a positioned message; names with control characters never reach the
//! terminal raw.

mod common;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use common::{run, stderr, stdout};

use scalescope_core::share::{encode, FullState, Link};
use scalescope_core::Form;

fn temp_file(name: &str, text: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("scalescope-hostile-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join(name);
    std::fs::write(&path, text).expect("temp file");
    path
}

/// A header of 10⁶ commas and 200 short rows: 2·10⁸ cells before the reader had bounds.
fn comma_bomb() -> String {
    let mut text = format!("N,loss{},end\n", ",".repeat(1_000_000));
    text += &"1e6,4\n".repeat(200);
    text
}

const BOMB_MESSAGE: &str = "line 1: 1000003 fields, but a table may have at most 4096 columns";

#[test]
fn fit_on_a_table_bomb_exits_2_with_the_line() {
    let path = temp_file("bomb.csv", &comma_bomb());
    let path = path.to_str().expect("utf-8 path");
    let start = Instant::now();
    let o = run(&["fit", path]);
    assert!(start.elapsed() < Duration::from_secs(10));
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert_eq!(
        stderr(&o),
        format!("scalescope: error: {path}: {BOMB_MESSAGE}\n")
    );
    assert_eq!(stdout(&o), "");
}

#[test]
fn fit_on_a_link_carrying_a_table_bomb_exits_2_with_the_line() {
    let link = encode(&Link::Full(FullState::new(comma_bomb(), Form::Saturating)));
    // Deflated, the 1 MB bomb is a link of a few KB.
    assert!(link.len() < 8192, "{} characters", link.len());
    let o = run(&["fit", "--link", &format!("http://127.0.0.1:8080/#{link}")]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert_eq!(
        stderr(&o),
        format!("scalescope: error: the link: {BOMB_MESSAGE}\n")
    );
}

/// Power-law rows for a group named `name` (quoted, so it may hold a CR or LF).
fn rows(name: &str, scale: f64) -> String {
    [1e6, 1e7, 1e8]
        .iter()
        .map(|n: &f64| {
            format!(
                "\"{}\",{n},{}\n",
                name.replace('"', "\"\""),
                scale * n.powf(-0.07)
            )
        })
        .collect()
}

#[test]
fn text_output_escapes_control_characters_in_names_and_cells() {
    let mut csv = String::from("model,params,loss\n");
    csv += &rows("\u{1b}[2J\u{1b}[31mred", 10.0);
    csv += &rows("ok\rgroup fake: power fit", 11.0);
    csv += "plain,1e9,\u{1b}]0;owned\u{7}\n";
    let path = temp_file("names.csv", &csv);
    let o = run(&["fit", path.to_str().expect("utf-8 path"), "--form", "power"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        !out.chars().any(|c| c.is_control() && c != '\n'),
        "a control character reached the terminal: {out:?}"
    );
    assert!(
        out.contains("group \\u{1b}[2J\\u{1b}[31mred: power fit"),
        "{out}"
    );
    assert!(
        out.contains("group ok\\u{d}group fake: power fit: power fit"),
        "{out}"
    );
    assert!(
        out.contains("  line 8: '\\u{1b}]0;owned\\u{7}' in column loss is not a number\n"),
        "{out}"
    );
}

#[test]
fn error_messages_escape_control_characters_too() {
    // The only group cannot be fitted (one row): the error names it, escaped.
    let path = temp_file("one.csv", "model,params,loss\n\"\u{1b}[31mx\",1e6,4\n");
    let o = run(&["fit", path.to_str().expect("utf-8 path"), "--form", "power"]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(!err.contains('\u{1b}'), "{err:?}");
    assert!(err.contains("cannot fit group \\u{1b}[31mx: "), "{err}");
}
