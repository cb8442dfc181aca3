//! Hostile tables (issue 15): a small text must not become a huge table. Each read here is
//! measured by a counting allocator, which also refuses to hold more than 512 MiB, so a
//! regression fails the test instead of exhausting the machine.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use scalescope_core::analysis::{analyze, AnalysisOptions};
use scalescope_core::share::MAX_BODY_BYTES;
use scalescope_core::table::limits::{max_cells, MAX_COLUMNS, MAX_GROUPS, MIN_CELLS};
use scalescope_core::table::{read_table, ReadError, ReadOptions, SizeLimit};

/// Live bytes, their peak since the last reset, and a ceiling past which allocation fails.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);
const CEILING: usize = 512 << 20;

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let live = LIVE.fetch_add(layout.size(), Ordering::SeqCst) + layout.size();
        if live > CEILING {
            LIVE.fetch_sub(layout.size(), Ordering::SeqCst);
            return std::ptr::null_mut();
        }
        PEAK.fetch_max(live, Ordering::SeqCst);
        // SAFETY: forwarded unchanged to the system allocator.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::SeqCst);
        // SAFETY: `ptr` came from `alloc` with this layout.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// One measurement at a time (the peak is global).
static SERIAL: Mutex<()> = Mutex::new(());

/// What `f` allocated at its peak beyond what was live before, and how long it took.
fn measure<T>(f: impl FnOnce() -> T) -> (T, usize, Duration) {
    let base = LIVE.load(Ordering::SeqCst);
    PEAK.store(base, Ordering::SeqCst);
    let start = Instant::now();
    let out = f();
    let elapsed = start.elapsed();
    (out, PEAK.load(Ordering::SeqCst) - base, elapsed)
}

const MB: usize = 1 << 20;

fn read_error(text: &str) -> (String, usize, Duration) {
    let (result, peak, elapsed) =
        measure(|| read_table(text, &ReadOptions::new()).map(|t| t.len()));
    match result {
        Ok(rows) => panic!(
            "read {rows} rows, expected an error (peak {} MB)",
            peak / MB
        ),
        Err(e) => (e.to_string(), peak, elapsed),
    }
}

/// The bomb of the issue: a header of 10⁶ commas and 200 short rows, 2 MB of text (a few
/// KB deflated) that was 2·10⁸ cells.
fn comma_bomb() -> String {
    let mut text = format!("N,loss{},end\n", ",".repeat(1_000_000));
    text += &"1e6,4\n".repeat(200);
    text
}

#[test]
fn a_header_of_a_million_commas_is_refused_quickly_with_its_line() {
    let _serial = SERIAL.lock();
    let text = comma_bomb();
    let (message, peak, elapsed) = read_error(&text);
    assert_eq!(
        message,
        "line 1: 1000003 fields, but a table may have at most 4096 columns"
    );
    assert!(peak < 64 * MB, "peak {peak} bytes");
    // Generous: a debug build on a busy 2-core machine; the figure is printed below.
    assert!(elapsed < Duration::from_secs(10), "{elapsed:?}");
    eprintln!(
        "comma bomb ({} bytes): peak {peak} bytes in {elapsed:?}",
        text.len()
    );
}

#[test]
fn short_rows_padded_past_the_cell_budget_are_refused_at_the_line_that_reached_it() {
    let _serial = SERIAL.lock();
    // 4000 columns (under the column bound) and 600 rows of two fields: 28 KB of text
    // that would pad to 2.4·10⁶ cells. The budget of a short text, 2²⁰ cells, holds 262
    // rows: the 263rd (line 264) is refused.
    let header: Vec<String> = (1..=4000).map(|j| format!("c{j}")).collect();
    let text = format!("{}\n{}", header.join(","), "1e6,4\n".repeat(600));
    assert!(text.len() < 64 << 10);
    let (message, peak, _) = read_error(&text);
    assert_eq!(
        message,
        "line 264: the table (4000 columns) would have more than 1048576 cells, \
         the most a text of this size may hold"
    );
    assert!(peak < 64 * MB, "peak {peak} bytes");
    eprintln!("padding bomb ({} bytes): peak {peak} bytes", text.len());
}

#[test]
fn the_error_is_typed_with_its_position() {
    let _serial = SERIAL.lock();
    let text = "a,b,c\n1,2,3\n".replace("a,b,c", &vec!["h"; MAX_COLUMNS + 1].join(","));
    assert_eq!(
        read_table(&text, &ReadOptions::new()),
        Err(ReadError::TooLarge {
            line: 1,
            limit: SizeLimit::Columns {
                found: MAX_COLUMNS + 1
            }
        })
    );
    // Exactly the bound is read.
    let text = format!(
        "{},N,loss\n{}1e6,4\n",
        vec!["h"; MAX_COLUMNS - 2].join(","),
        ",".repeat(MAX_COLUMNS - 2)
    );
    let table = read_table(&text, &ReadOptions::new()).map(|t| t.width());
    assert_eq!(table, Ok(MAX_COLUMNS));
}

/// 64 KiB texts built to make the reader hold as much as it can.
fn worst_small_texts() -> Vec<(&'static str, String)> {
    const SIZE: usize = 64 << 10;
    let fill = |head: String, row: &str| {
        let mut text = head;
        while text.len() + row.len() <= SIZE {
            text += row;
        }
        text
    };
    let wide: Vec<String> = (1..=MAX_COLUMNS).map(|j| format!("{j}")).collect();
    vec![
        (
            "widest header, short rows",
            fill(wide.join(",") + "\n", "1,2\n"),
        ),
        (
            "widest first row, no header",
            fill(wide.join(",") + "\n", "1\n"),
        ),
        (
            "rows with too many fields",
            fill("N,loss\n1,2\n".into(), "1,2,3\n"),
        ),
        ("one-character cells", fill("N,loss\n".into(), "1,2\n")),
        (
            "one row of empty fields",
            format!("N,loss\n1,2\n{}\n", ",".repeat(SIZE - 20)),
        ),
        ("markdown", fill("|N|loss|\n|--|--|\n".into(), "|1|2|\n")),
        (
            "quoted after spaces",
            fill("N, loss\n".into(), "1, \"2\"\n"),
        ),
        ("unique groups", {
            let mut text = String::from("model,N,loss\n");
            let mut k = 0;
            while text.len() < SIZE - 32 {
                text += &format!("{k},1e6,4\n");
                k += 1;
            }
            text
        }),
    ]
}

#[test]
fn no_text_of_64_kib_makes_the_reader_hold_more_than_64_mb() {
    let _serial = SERIAL.lock();
    for (name, text) in worst_small_texts() {
        assert!(text.len() <= 64 << 10, "{name}: {}", text.len());
        let (result, peak, _) =
            measure(|| read_table(&text, &ReadOptions::new()).map(|t| (t.len(), t.groups().len())));
        eprintln!(
            "{name}: {} bytes → {result:?}, peak {peak} bytes",
            text.len()
        );
        assert!(peak < 64 * MB, "{name}: peak {peak} bytes");
    }
}

#[test]
fn a_link_sized_text_is_bounded_too() {
    let _serial = SERIAL.lock();
    // A share link inflates to at most MAX_BODY_BYTES; the worst such text (rows of empty
    // fields as wide as allowed, so every cell is real text; numbers in the first row, so
    // it is not a header) stops at 2²¹ cells.
    let header: Vec<String> = (1..=MAX_COLUMNS).map(|j| format!("{j}")).collect();
    let row = format!("1{}\n", ",".repeat(MAX_COLUMNS - 1));
    let mut text = header.join(",") + "\n";
    while text.len() + row.len() <= MAX_BODY_BYTES {
        text += &row;
    }
    let (message, peak, _) = read_error(&text);
    let budget = max_cells(text.len());
    assert!(budget <= 1 << 21, "{budget}");
    assert_eq!(
        message,
        format!(
            "line {}: the table (4096 columns) would have more than {budget} cells, \
             the most a text of this size may hold",
            budget / MAX_COLUMNS + 1
        )
    );
    // At most 2²¹ cells of 24 bytes: 48 MiB.
    assert!(peak < 64 * MB, "peak {peak} bytes");
    eprintln!("link-sized text ({} bytes): peak {peak} bytes", text.len());
}

#[test]
fn a_hundred_thousand_row_paste_reads_and_says_what_it_holds() {
    let _serial = SERIAL.lock();
    let mut text = String::from("model,N,D,loss\n");
    for i in 0..100_000 {
        let n = 1e7 * (1.0 + i as f64 / 1000.0);
        text += &format!(
            "m{},{n},{},{}\n",
            i % 7,
            20.0 * n,
            1.7 + 400.0 * n.powf(-0.34)
        );
    }
    let (result, peak, _) = measure(|| read_table(&text, &ReadOptions::new()).map(|t| t.len()));
    assert_eq!(result, Ok(100_000));
    assert!(text.len() / 8 < MIN_CELLS && 4 * 100_000 < MIN_CELLS);
    eprintln!("10⁵-row paste ({} bytes): peak {peak} bytes", text.len());
}

#[test]
fn more_groups_than_the_bound_are_refused_at_the_first_one_too_many() {
    let _serial = SERIAL.lock();
    let mut text = String::from("model,N,loss\n");
    for k in 0..=MAX_GROUPS {
        text += &format!("g{k},1e6,4\n");
    }
    let (message, _, _) = read_error(&text);
    assert_eq!(
        message,
        format!(
            "line {}: more than {MAX_GROUPS} groups; is the group column a name column?",
            MAX_GROUPS + 2
        )
    );
    // One fewer reads, and analysing 10⁵ groups stays bounded.
    let lines: Vec<&str> = text.lines().take(100_001).collect();
    let text = lines.join("\n");
    let (groups, peak, _) = measure(|| {
        read_table(&text, &ReadOptions::new())
            .map(|t| analyze(&t, &AnalysisOptions::default()).groups.len())
    });
    assert_eq!(groups, Ok(100_000));
    eprintln!("10⁵ groups read and analysed: peak {peak} bytes");
}
