//! The page's bootstrap: run on a pool of workers, its intervals fill the fit table and
//! equal the core's bootstrap of the same fits (the CLI's `fit --bootstrap B --seed 13`);
//! cancel stops it, and a new fit clears it.

use crate::harness::{js, open_page, shot, type_into, wait_js};
use scalescope_core::analysis::{analyze, AnalysisOptions};
use scalescope_core::bootstrap::{run_chunk, summarise, Targets, DEFAULT_SEED};
use scalescope_core::examples::ExampleId;
use scalescope_core::table::{read_table, ReadOptions};
use scalescope_core::{Form, Objective};

/// Relative agreement of the page's (wasm32) and the core's (native) bootstrap: the refits
/// differ only in the math library's last bits.
const REL: f64 = 1e-6;

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= REL * a.abs().max(b.abs())
}

#[tokio::test(flavor = "multi_thread")]
async fn the_bootstrap_fills_the_table_with_the_cores_intervals() {
    let (_driver, c) = open_page().await;
    // Fewer resamples than the default keep the test short; 200 are 10 chunks.
    type_into(&c, "boot-resamples", "200").await;
    c.execute(
        "document.querySelector('[data-testid=boot-run]').click();",
        vec![],
    )
    .await
    .expect("run");
    let status = wait_js(
        &c,
        "(document.querySelector('[data-testid=boot-status]')?.textContent || '').startsWith('200 of 200') \
         && document.querySelector('[data-testid=boot-status]').textContent",
    )
    .await;
    assert!(
        status.as_str().unwrap_or_default().contains("seed 13"),
        "{status}"
    );
    shot(&c, Some("[data-testid=bootstrap]"), "bootstrap").await;

    // The core's bootstrap of the same example, fits and seed.
    let example = ExampleId::ALL[0];
    let form = Form::Saturating;
    let options = AnalysisOptions {
        form,
        ..AnalysisOptions::default()
    };
    let read = ReadOptions::new().with_positivity(form.positivity(Objective::default_for(form)));
    let table = read_table(&example.generate().csv, &read).unwrap_or_else(|e| panic!("{e}"));
    let analysis = analyze(&table, &options);
    let fit_options = options.fit_options();
    for g in &analysis.groups {
        let name = g.name.clone().unwrap_or_default();
        let full = g.fit.as_ref().unwrap_or_else(|e| panic!("{e}"));
        let refits = run_chunk(&g.fitted_points(), &fit_options, full, DEFAULT_SEED, 0..200)
            .unwrap_or_else(|e| panic!("{e}"));
        let want = summarise(full, &refits, &Targets::default()).unwrap_or_else(|e| panic!("{e}"));
        for (i, p) in form.param_names().iter().enumerate() {
            let got = js(
                &c,
                &format!(
                    "(() => {{ const e = document.querySelector('[data-testid=fit-table] tr[data-group=\"{name}\"] [data-param={p}] [data-testid=boot-ci]'); \
                     return e ? [+e.dataset.se, +e.dataset.lo, +e.dataset.hi] : null; }})()"
                ),
            )
            .await;
            let got: Vec<f64> = got
                .as_array()
                .map(|a| a.iter().filter_map(|v| v.as_f64()).collect())
                .unwrap_or_default();
            let (lo, hi) = want.ci95[i];
            assert!(
                got.len() == 3
                    && close(got[0], want.se[i])
                    && close(got[1], lo)
                    && close(got[2], hi),
                "{name} {p}: page {got:?}, core se {} [{lo}, {hi}]",
                want.se[i]
            );
            // The percentile interval holds the estimate.
            assert!(lo < full.params[i] && full.params[i] < hi, "{name} {p}");
        }
    }

    // A new fit clears the intervals (they belonged to the old one).
    crate::harness::select(&c, "objective-select", "ls-log").await;
    wait_js(
        &c,
        "!document.querySelector('[data-testid=boot-ci]') && !document.querySelector('[data-testid=boot-status]')",
    )
    .await;

    // Cancel stops a run part-way: the count stays below the total.
    type_into(&c, "boot-resamples", "10000").await;
    c.execute(
        "document.querySelector('[data-testid=boot-run]').click();",
        vec![],
    )
    .await
    .expect("run");
    wait_js(
        &c,
        "/^[1-9][0-9]* of 10000/.test(document.querySelector('[data-testid=boot-status]')?.textContent || '')",
    )
    .await;
    c.execute(
        "document.querySelector('[data-testid=boot-run]').click();",
        vec![],
    )
    .await
    .expect("cancel");
    let stopped = wait_js(
        &c,
        "document.querySelector('[data-testid=boot-run]').textContent === 'Run bootstrap' \
         && document.querySelector('[data-testid=boot-status]').textContent",
    )
    .await;
    let text = stopped.as_str().unwrap_or_default().to_string();
    let done: u64 = text
        .split(' ')
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    assert!(done > 0 && done < 10_000, "{text}");
    c.close().await.expect("close session");
}
