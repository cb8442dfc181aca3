//! Writes the seed corpora under `fuzz/corpus/` from the core's own encoders, so every seed
//! is a valid input of its target (`cargo run --example seeds` in `fuzz/`; the corpora are
//! committed, this is only for remaking them).

use scalescope_core::analysis::AnalysisOptions;
use scalescope_core::examples::ExampleId;
use scalescope_core::job::{encode_request, encode_response, Job, Request, Session};
use scalescope_core::share::{to_bytes, FullState, Link};
use scalescope_core::table::ReadOptions;
use scalescope_core::Form;
use std::fs;
use std::path::Path;

fn write(target: &str, name: &str, bytes: &[u8]) -> std::io::Result<()> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("corpus")
        .join(target);
    fs::create_dir_all(&dir)?;
    fs::write(dir.join(name), bytes)
}

fn main() -> std::io::Result<()> {
    let mut session = Session::new();
    for (i, id) in ExampleId::ALL.iter().enumerate() {
        let csv = id.generate().csv;
        write("read_table", &format!("example{i}.csv"), csv.as_bytes())?;
        let form = if csv.lines().next().is_some_and(|h| h.contains("tokens")) {
            Form::Chinchilla
        } else {
            Form::Saturating
        };
        let link = Link::Full(FullState::new(csv.clone(), form));
        write("share_link", &format!("example{i}"), &to_bytes(&link))?;
        let job = Job {
            text: csv,
            read: ReadOptions::new(),
            analysis: AnalysisOptions {
                form,
                ..AnalysisOptions::default()
            },
        };
        let request = Request::Analyse { id: i as u64, job };
        write(
            "job_wire",
            &format!("request{i}"),
            &encode_request(&request),
        )?;
        let response = session.respond(request);
        write(
            "job_wire",
            &format!("response{i}"),
            &encode_response(&response),
        )?;
    }
    let tables: [&str; 4] = [
        "params;loss\n1e6;4.1\n1e7;3.4\n",
        "\u{feff}N,D,loss,group\n1e8,2e9,3.1,a\n1e9,2e10,2.6,\"b, c\"\n",
        "x\tloss\n1\t2\n\n# comment\n3\tNaN\n",
        ",,,\n,,,\n",
    ];
    for (i, t) in tables.iter().enumerate() {
        write("read_table", &format!("table{i}.csv"), t.as_bytes())?;
    }
    let formulas = [
        "E + A*N^-alpha + B*D^-beta",
        "E + A*(x + x0)^-alpha",
        "exp(-x/x0) * max(a, ln(x)) / sqrt(abs(b)) + pow(x, 2) - 1e9 + 70M",
        "log10(x) * log2(x) + min(1, 2) ^ -3",
    ];
    for (i, f) in formulas.iter().enumerate() {
        write("formula", &format!("formula{i}"), f.as_bytes())?;
    }
    // fit_points reads `arbitrary` structures: a few byte patterns to start from.
    for (i, seed) in [[0u8; 64], [1u8; 64], [0x3f; 64]].iter().enumerate() {
        write("fit_points", &format!("bytes{i}"), seed)?;
    }
    Ok(())
}
