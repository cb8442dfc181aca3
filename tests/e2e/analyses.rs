//! Issue 14 on the page: each analysis agrees with the core on the same data and survives a
//! share link opened in a fresh browser.

use crate::calculator::core_fit;
use crate::harness::{select, shot, type_into, wait_for, wait_js, Driver};
use crate::share::share_link;
use fantoccini::Client;
use scalescope_core::against::against;
use scalescope_core::analysis::{analyze, Analysis, AnalysisOptions};
use scalescope_core::compare::{loss_range, multiplier};
use scalescope_core::examples::ExampleId;
use scalescope_core::off_optimal::{chinchilla_overhead, off_optimal, CHINCHILLA_FORMULA};
use scalescope_core::presets::{Model, PresetId};
use scalescope_core::shared_fit::of_analysis;
use scalescope_core::table::{read_table, ReadOptions};
use scalescope_core::{Form, Objective};

/// Waits for the first `[data-testid=against]` with a χ² and returns (χ², p, dof).
async fn against_shown(c: &Client) -> (f64, f64, u64) {
    let got = wait_js(
        c,
        "(() => { const e = document.querySelector('[data-testid=against][data-chi2]'); \
         return e && [Number(e.dataset.chi2), Number(e.dataset.p), Number(e.dataset.dof)]; })()",
    )
    .await;
    (
        got[0].as_f64().unwrap_or(f64::NAN),
        got[1].as_f64().unwrap_or(f64::NAN),
        got[2].as_u64().unwrap_or(0),
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn a_fit_is_tested_against_the_overlaid_law_and_the_test_travels_in_a_link() {
    let addr = crate::harness::serve(crate::harness::dist_dir(), "/").await;
    let driver = Driver::start();
    let c = driver.client().await;
    c.goto(&format!("http://{addr}/"))
        .await
        .expect("page loads");
    wait_for(&c, "[data-testid=fit-table] [data-param]").await;
    select(&c, "example-select", "chinchilla").await;
    wait_for(&c, "[data-testid=fit-table] [data-param=beta]").await;
    select(&c, "overlay-select", PresetId::Hoffmann2022.key()).await;
    // The core's test of the same fit against Hoffmann et al.'s published law.
    let fit = core_fit(ExampleId::ChinchillaSweep, Form::Chinchilla, 0);
    let want = against(&fit, PresetId::Hoffmann2022, None).expect("a chinchilla fit is testable");
    let (chi2, p, dof) = against_shown(&c).await;
    assert!(
        (chi2 / want.chi2 - 1.0).abs() < 1e-6,
        "page χ² {chi2}, core {}",
        want.chi2
    );
    assert_eq!(dof, want.dof as u64);
    assert!(
        (p - want.p).abs() <= 1e-6 * want.p.max(1e-300) || p == want.p,
        "page p {p}, core {}",
        want.p
    );
    shot(&c, Some("[data-testid=against]"), "against").await;
    let link = share_link(&c).await;
    c.close().await.expect("close");

    // A fresh browser opens the link: the same overlay, the same test.
    let fresh = driver.client().await;
    fresh.goto(&link).await.expect("the link opens");
    let (again, ..) = against_shown(&fresh).await;
    assert_eq!(again, chi2);
    let overlay = wait_js(
        &fresh,
        "document.querySelector('[data-testid=overlay-select]').value",
    )
    .await;
    assert_eq!(overlay.as_str(), Some(PresetId::Hoffmann2022.key()));
    fresh.close().await.expect("close");
}

/// The overhead shown for a model `k` times the optimal size.
async fn overhead_shown(c: &Client, k: &str) -> f64 {
    let got = wait_js(
        c,
        &format!("(() => {{ const e = document.querySelector('[data-testid=off-optimal][data-k=\"{k}\"]'); return e && Number(e.dataset.value); }})()"),
    )
    .await;
    got.as_f64().unwrap_or(f64::NAN)
}

#[tokio::test(flavor = "multi_thread")]
async fn the_cost_of_going_off_optimal_matches_the_closed_form_and_travels_in_a_link() {
    let addr = crate::harness::serve(crate::harness::dist_dir(), "/").await;
    let driver = Driver::start();
    let c = driver.client().await;
    c.goto(&format!("http://{addr}/"))
        .await
        .expect("page loads");
    wait_for(&c, "[data-testid=fit-table] [data-param]").await;
    select(&c, "example-select", "chinchilla").await;
    wait_for(&c, "[data-testid=fit-table] [data-param=beta]").await;
    type_into(&c, "compute-budget", "1e24").await;
    let fit = core_fit(ExampleId::ChinchillaSweep, Form::Chinchilla, 0);
    let (alpha, beta) = (
        fit.param("alpha").expect("alpha"),
        fit.param("beta").expect("beta"),
    );
    let curve = off_optimal(&Model::fitted(&fit), 1e24, &[0.5, 2.0]).expect("a frontier");
    for (k, text) in [(0.5, "0.5"), (2.0, "2")] {
        let page = overhead_shown(&c, text).await;
        let closed = chinchilla_overhead(alpha, beta, k).expect("reachable");
        assert!(
            (page - closed).abs() <= 1e-6 * closed.abs(),
            "k = {k}: page {page}, closed form {closed}"
        );
        let core = curve.points[usize::from(k > 1.0)]
            .as_ref()
            .expect("reachable")
            .overhead;
        assert!(
            (page - core).abs() <= 1e-9,
            "k = {k}: page {page}, core {core}"
        );
    }
    let formula = wait_js(
        &c,
        "document.querySelector('[data-testid=off-optimal-formula]').textContent",
    )
    .await;
    assert!(
        formula
            .as_str()
            .is_some_and(|f| f.contains(CHINCHILLA_FORMULA)),
        "{formula}"
    );
    wait_for(&c, "[data-testid=off-optimal-plot]").await;
    shot(&c, Some("[data-testid=off-optimal-plot]"), "off-optimal").await;
    let half = overhead_shown(&c, "0.5").await;
    let link = share_link(&c).await;
    c.close().await.expect("close");

    let fresh = driver.client().await;
    fresh.goto(&link).await.expect("the link opens");
    assert_eq!(overhead_shown(&fresh, "0.5").await, half);
    fresh.close().await.expect("close");
}

/// The default example (two families, saturating law) as the page fits it on first open.
fn families(objective: Option<Objective>) -> Analysis {
    let form = Form::Saturating;
    let read = ReadOptions::new()
        .with_positivity(form.positivity(objective.unwrap_or(Objective::default_for(form))));
    let table = read_table(&ExampleId::Families.generate().csv, &read).expect("example reads");
    analyze(
        &table,
        &AnalysisOptions {
            form,
            objective,
            ..AnalysisOptions::default()
        },
    )
}

/// A number in a `data-` attribute of the first element matching `css`, once there is one.
async fn data_of(c: &Client, css: &str, key: &str) -> f64 {
    let got = wait_js(
        c,
        &format!("(() => {{ const e = document.querySelector('{css}'); return e && e.dataset.{key} !== undefined ? Number(e.dataset.{key}) : null; }})()"),
    )
    .await;
    got.as_f64().unwrap_or(f64::NAN)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_shared_exponent_is_tested_as_the_core_tests_it_and_travels_in_a_link() {
    let addr = crate::harness::serve(crate::harness::dist_dir(), "/").await;
    let driver = Driver::start();
    let c = driver.client().await;
    c.goto(&format!("http://{addr}/"))
        .await
        .expect("page loads");
    wait_for(&c, "[data-testid=fit-table] [data-param=alpha]").await;
    // The F test compares sums of squares: a least-squares objective.
    select(&c, "objective-select", "ls-log").await;
    wait_for(&c, "[data-testid=se-method][data-value=ols]").await;
    c.execute(
        "document.querySelector('[data-testid=params-panel]').open = true; \
         document.querySelector('[data-testid=share-alpha]').click();",
        vec![],
    )
    .await
    .expect("share alpha across the families");
    let want = of_analysis(&families(Some(Objective::LsLog)), &["alpha"]).expect("a joint fit");
    let p = data_of(&c, "[data-testid=shared-test]", "p").await;
    let f = data_of(&c, "[data-testid=shared-test]", "statistic").await;
    assert!(
        (f / want.statistic - 1.0).abs() < 1e-6,
        "page F {f}, core {}",
        want.statistic
    );
    assert!((p - want.p).abs() < 1e-6, "page p {p}, core {}", want.p);
    shot(&c, Some("[data-testid=shared-test]"), "shared-exponent").await;
    let link = share_link(&c).await;
    c.close().await.expect("close");

    let fresh = driver.client().await;
    fresh.goto(&link).await.expect("the link opens");
    assert_eq!(data_of(&fresh, "[data-testid=shared-test]", "p").await, p);
    let checked = wait_js(
        &fresh,
        "document.querySelector('[data-testid=share-alpha]').checked",
    )
    .await;
    assert_eq!(checked.as_bool(), Some(true));
    fresh.close().await.expect("close");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_compute_multiplier_of_two_groups_is_the_cores_and_travels_in_a_link() {
    let addr = crate::harness::serve(crate::harness::dist_dir(), "/").await;
    let driver = Driver::start();
    let c = driver.client().await;
    c.goto(&format!("http://{addr}/"))
        .await
        .expect("page loads");
    wait_for(&c, "[data-testid=compare-baseline]").await;
    let analysis = families(None);
    let name = |i: usize| analysis.groups[i].name.clone().expect("a family");
    let (a, b) = (name(0), name(1));
    select(&c, "compare-baseline", &a).await;
    select(&c, "compare-other", &b).await;
    // The core at the middle of the losses both families observed.
    let fit = |i: usize| analysis.groups[i].fit.as_ref().expect("fitted");
    let (ya, yb) = (
        analysis.groups[0].fitted_points().y,
        analysis.groups[1].fitted_points().y,
    );
    let loss = loss_range(&ya, &yb, 1)[0];
    let want =
        multiplier(&Model::fitted(fit(0)), &Model::fitted(fit(1)), loss).expect("both reach it");
    let m = data_of(&c, "[data-testid=multiplier]", "value").await;
    assert!(
        (m / want.multiplier - 1.0).abs() < 1e-6,
        "page {m}, core {}",
        want.multiplier
    );
    let lo = data_of(&c, "[data-testid=multiplier]", "lo").await;
    assert!(
        (lo / want.ci95.0 - 1.0).abs() < 1e-6,
        "page {lo}, core {}",
        want.ci95.0
    );
    wait_for(&c, "[data-testid=multiplier-plot]").await;
    shot(&c, Some("[data-testid=multiplier-plot]"), "multiplier").await;
    let link = share_link(&c).await;
    c.close().await.expect("close");

    let fresh = driver.client().await;
    fresh.goto(&link).await.expect("the link opens");
    assert_eq!(
        data_of(&fresh, "[data-testid=multiplier]", "value").await,
        m
    );
    let picked = wait_js(
        &fresh,
        "[document.querySelector('[data-testid=compare-baseline]').value, document.querySelector('[data-testid=compare-other]').value]",
    )
    .await;
    assert_eq!(picked, serde_json::json!([a, b]));
    fresh.close().await.expect("close");
}
