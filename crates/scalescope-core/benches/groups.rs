//! Grouping in linear time (issue 15): 10⁵ unique groups read and fitted must take ≤ 2 s.
//!
//! Run with `cargo bench -p scalescope-core --bench groups`.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use scalescope_core::analysis::{analyze, AnalysisOptions};
use scalescope_core::table::{read_table, ReadOptions};

/// `groups` groups named `m0`, `m1`, … of `rows` power-law rows each, interleaved (every
/// group appears before any repeats), so no group is next to its own rows.
fn table(groups: usize, rows: usize) -> String {
    let mut text = String::from("model,params,loss\n");
    for r in 0..rows {
        let n = 1e6 * 10f64.powi(r as i32);
        for k in 0..groups {
            let a = 10.0 + (k % 97) as f64 / 10.0;
            text += &format!("m{k},{n},{}\n", a * n.powf(-0.07));
        }
    }
    text
}

/// Read and fit every group; the number of fits that succeeded.
fn read_and_fit(text: &str) -> usize {
    let Ok(table) = read_table(text, &ReadOptions::new()) else {
        return 0;
    };
    analyze(&table, &AnalysisOptions::default())
        .groups
        .iter()
        .filter(|g| g.fit.is_ok())
        .count()
}

fn groups(c: &mut Criterion) {
    let mut group = c.benchmark_group("groups");
    group.sample_size(10);
    let one_row = table(100_000, 1);
    group.bench_function("1e5 unique groups, 1 row each: read + analyse", |b| {
        b.iter(|| read_and_fit(black_box(&one_row)))
    });
    let three_rows = table(100_000, 3);
    assert_eq!(read_and_fit(&three_rows), 100_000);
    group.bench_function("1e5 unique groups, 3 rows each: read + fit", |b| {
        b.iter(|| read_and_fit(black_box(&three_rows)))
    });
    group.finish();
}

criterion_group!(benches, groups);
criterion_main!(benches);
