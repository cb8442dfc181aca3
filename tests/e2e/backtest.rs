//! Issue 13 item 5 on the page: with the backtest on, each group's K largest scales are held
//! out, the fit table says how well a fit of the rest predicted them (as the core's
//! `Backtest::new` on the same text), and the chart marks the held-out points.

use crate::explorer::paste;
use crate::harness::{js, open_page, select, shot, wait_js};
use scalescope_core::analysis::{analyze, AnalysisOptions};
use scalescope_core::backtest::{Backtest, HoldOut, Mode, Outcome};
use scalescope_core::table::{read_table, ReadOptions};
use scalescope_core::{Form, Objective};

/// Two groups of noisy power-law runs, 7 and 6 scales, the second with its largest scale run
/// twice: `params,loss,group`.
fn sweeps() -> String {
    let mut text = String::from("params,loss,group\n");
    for (g, a, alpha, scales) in [("small", 30.0, 0.11, 7), ("wide", 45.0, 0.13, 6)] {
        for k in 0..scales {
            let n = 1e7 * 4f64.powi(k);
            let loss: f64 = a * f64::powf(n, -alpha) * (1.0 + 0.02 * (k as f64 * 2.3).sin());
            text.push_str(&format!("{n:e},{loss:.5},{g}\n"));
        }
    }
    text.push_str(&format!(
        "{:e},{:.5},wide\n",
        1e7 * 4f64.powi(5),
        45.0 * f64::powf(1e7 * 4f64.powi(5), -0.13) * 0.99
    ));
    text
}

#[tokio::test(flavor = "multi_thread")]
async fn backtest_summary_and_held_out_points_agree_with_the_core() {
    let (_driver, c) = open_page().await;
    let text = sweeps();
    paste(&c, &text).await;
    select(&c, "form-select", Form::Power.name()).await;
    // `select` sets a field and sends `change`, as leaving a typed field does.
    select(&c, "backtest-k", "2").await;
    c.execute(
        "document.querySelector('[data-testid=backtest-toggle]').click();",
        vec![],
    )
    .await
    .expect("switch the backtest on");

    // The core on the same text, as the page runs it.
    let options = AnalysisOptions {
        form: Form::Power,
        ..AnalysisOptions::default()
    };
    let f = options.form;
    let read = ReadOptions::new().with_positivity(f.positivity(Objective::default_for(f)));
    let table = read_table(&text, &read).expect("the table reads");
    let analysis = analyze(&table, &options);
    let want = Backtest::new(
        Some(&table),
        &analysis,
        &options.fit_options(),
        Mode::HoldOut(HoldOut::Top(2)),
    );
    assert_eq!(want.groups.len(), 2);
    let mut held = 0;
    for g in &want.groups {
        let Ok(Outcome::HoldOut(fc)) = &g.outcome else {
            panic!("the core backtests {:?}: {:?}", g.group, g.outcome);
        };
        held += fc.heldout.len();
        let name = g.group.clone().expect("a group");
        let sel = format!("tr[data-group={name}] [data-testid=backtest-summary]");
        let got = wait_js(
            &c,
            &format!(
                "(() => {{ const e = document.querySelector('{sel}'); \
                 return e && e.dataset.held === '{}' ? [Number(e.dataset.error), Number(e.dataset.coverage), e.textContent] : null; }})()",
                fc.heldout.len()
            ),
        )
        .await;
        let error = got[0].as_f64().expect("an error");
        let coverage = got[1].as_f64().expect("a coverage");
        let rel = |a: f64, b: f64| (a - b).abs() / b.abs().max(1e-300);
        assert!(
            rel(error, fc.mean_abs_rel_error) < 1e-6,
            "{name}: page {error}, core {}",
            fc.mean_abs_rel_error
        );
        assert!(
            rel(coverage, fc.coverage) < 1e-6 || coverage == fc.coverage,
            "{name}: page {coverage}, core {}",
            fc.coverage
        );
        let inside = fc.heldout.iter().filter(|p| p.inside == Some(true)).count();
        let text = got[2].as_str().unwrap_or_default();
        assert!(
            text.contains(&format!("{inside}/{} inside the 95 % PI", fc.heldout.len())),
            "{text}"
        );
    }
    // 2 + 3 points: the wide group's largest scale was run twice.
    assert_eq!(held, 5);

    // The rolling backtest's chart: per group, the core's error of each next-scale
    // prediction against the largest scale fitted.
    let rolling = Backtest::new(
        Some(&table),
        &analysis,
        &options.fit_options(),
        Mode::Rolling,
    );
    let drawn = wait_js(
        &c,
        "(() => { const e = document.querySelector('[data-testid=rolling-plot]'); return e && e.dataset.points; })()",
    )
    .await;
    let drawn: Vec<&str> = drawn.as_str().unwrap_or_default().split('|').collect();
    assert_eq!(drawn.len(), rolling.groups.len(), "{drawn:?}");
    for (g, got) in rolling.groups.iter().zip(drawn) {
        let Ok(Outcome::Rolling(steps)) = &g.outcome else {
            panic!("the core rolls {:?}: {:?}", g.group, g.outcome);
        };
        let want: Vec<(f64, f64)> = steps
            .iter()
            .filter_map(|s| {
                Some((
                    s.largest_used,
                    100.0 * s.forecast.as_ref().ok()?.mean_abs_rel_error,
                ))
            })
            .collect();
        assert!(want.len() >= 3, "{:?}: {want:?}", g.group);
        let name = g.group.clone().expect("a group");
        let page: Vec<(f64, f64)> = got
            .split(';')
            .filter_map(|p| {
                let (x, y) = p.split_once(' ')?;
                Some((x.parse().ok()?, y.parse().ok()?))
            })
            .collect();
        assert_eq!(
            page.len(),
            want.len(),
            "{name}: page {page:?}, core {want:?}"
        );
        for (p, w) in page.iter().zip(&want) {
            assert!(
                p.0 == w.0 && (p.1 / w.1 - 1.0).abs() < 1e-6,
                "{name}: page {p:?}, core {w:?}"
            );
        }
    }
    shot(&c, Some("[data-testid=rolling-plot]"), "rolling-backtest").await;

    // The chart's table lists exactly those points as held out.
    js(
        &c,
        "(document.querySelector('details.plot-data').open = true, 1)",
    )
    .await;
    let marked = wait_js(
        &c,
        "(() => { const r = [...document.querySelectorAll('[data-testid=plot-row-use]')]; \
         return r.length ? r.filter(e => e.textContent === 'held out').length + 1 : 0; })()",
    )
    .await;
    assert_eq!(marked.as_u64(), Some(held as u64 + 1));
    shot(&c, Some("[data-testid=backtest-summary]"), "backtest").await;

    // Off: no summary, nothing held out.
    c.execute(
        "document.querySelector('[data-testid=backtest-toggle]').click();",
        vec![],
    )
    .await
    .expect("switch the backtest off");
    wait_js(
        &c,
        "!document.querySelector('[data-testid=backtest-summary]') && \
         ![...document.querySelectorAll('[data-testid=plot-row-use]')].some(e => e.textContent === 'held out')",
    )
    .await;
}
