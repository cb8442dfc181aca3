//! Worker messages: the answer for a 10⁵-row two-column table (table and power-law fit) is
//! decoded on the page's main thread, so its decoding must stay well under a frame budget.
//!
//! Run with `cargo bench -p scalescope-core --bench job`.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use scalescope_core::analysis::AnalysisOptions;
use scalescope_core::job::{decode_response, encode_response, Job, Request, Session};
use scalescope_core::table::ReadOptions;

/// `rows` lines of `N,loss` with full-precision floats.
fn text(rows: usize) -> String {
    let mut text = String::from("N,loss\n");
    for i in 1..=rows {
        let n = 1e6 * (1.0 + i as f64 / 7.0);
        text += &format!("{n},{}\n", 1.8 + 400.0 * n.powf(-0.34));
    }
    text
}

fn job(c: &mut Criterion) {
    let job = Job {
        text: text(100_000),
        read: ReadOptions::new(),
        analysis: AnalysisOptions::default(),
    };
    let response = Session::new().respond(Request::Analyse { id: 1, job });
    let bytes = encode_response(&response);
    eprintln!("1e5 rows, 2 columns: response of {} bytes", bytes.len());
    let mut group = c.benchmark_group("job");
    group.sample_size(20);
    group.throughput(Throughput::Bytes(bytes.len() as u64));
    group.bench_function("encode 1e5-row response", |b| {
        b.iter(|| encode_response(black_box(&response)).len())
    });
    group.bench_function("decode 1e5-row response", |b| {
        b.iter(|| decode_response(black_box(&bytes)).is_ok())
    });
    group.finish();
}

criterion_group!(benches, job);
criterion_main!(benches);
