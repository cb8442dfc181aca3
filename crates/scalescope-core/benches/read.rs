//! Reader throughput: 10⁶ rows (~30 MB) of a chinchilla-style table must parse in ≤ 1 s.
//!
//! Run with `cargo bench -p scalescope-core --bench read`.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use scalescope_core::table::{read_table, ReadOptions};

/// `rows` lines of `N,D,loss` with full-precision floats, like Epoch's CSV.
fn table(rows: usize) -> String {
    let mut text = String::from("N,D,loss\n");
    for i in 1..=rows {
        let n = 1e8 * (1.0 + i as f64 / 7.0);
        text += &format!("{n},{},{}\n", 21.3 * n, 1.8 + 400.0 * n.powf(-0.34));
    }
    text
}

fn read(c: &mut Criterion) {
    let text = table(1_000_000);
    let mut group = c.benchmark_group("read");
    group.sample_size(10);
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.bench_function("1e6 rows csv", |b| {
        b.iter(|| read_table(black_box(&text), &ReadOptions::new()).map(|t| t.len()))
    });
    group.bench_function("1e6 rows csv + groups", |b| {
        b.iter(|| {
            read_table(black_box(&text), &ReadOptions::new()).map(|t| t.groups()[0].1.x.len())
        })
    });
    group.finish();
    eprintln!("input size: {} bytes", text.len());
}

criterion_group!(benches, read);
criterion_main!(benches);
