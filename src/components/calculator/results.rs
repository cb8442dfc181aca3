//! What the calculator answers, one line per group (or one for a published law): the scale
//! or compute-optimal split for the target, the split at the compute budget, and the loss
//! predicted at a given size.

use super::cost::cost_line;
use super::{rows, Ctx, Row};
use leptos::prelude::*;
use scalescope_core::chinchilla::{Allocation, AllocationCi};
use scalescope_core::format::{flops, scale, sig};
use scalescope_core::presets::Prediction;
use scalescope_core::table::Role;
use scalescope_core::units::loss_to_ppl;
use scalescope_core::{InvertError, Required};

/// `<li data-group=…>` per row, the group's name first when there are several.
fn items<T: 'static>(rows: Vec<Row<T>>, render: impl Fn(&str, T) -> AnyView) -> AnyView {
    let named = rows.iter().any(|r| !r.group.is_empty());
    rows.into_iter()
        .map(|r| {
            let label = named.then(|| view! { <b class="calc-group">{r.group.clone()}": "</b> });
            let body = match r.out {
                Ok(t) => render(&r.group, t),
                Err(e) => view! { <span class="bad">{e}</span> }.into_any(),
            };
            view! { <li data-group=r.group>{label}{body}</li> }
        })
        .collect_view()
        .into_any()
}

/// A scale (or compute) with its full-precision value in `data-value` and its group.
fn value(x: f64, testid: &'static str, compute: bool, group: &str) -> impl IntoView {
    let text = if compute { flops(x) } else { scale(x, 3) };
    view! {
        <b class="calc-value" data-testid=testid data-group=group.to_string() data-value=x.to_string()>{text}</b>
    }
}

/// " (95 %: lo – hi)" for a scale or compute; an unbounded upper end reads "∞ — may never
/// be reached at this confidence". `None` where there is no interval.
fn ci_text((lo, hi): (f64, f64), compute: bool) -> Option<String> {
    if !lo.is_finite() || hi.is_nan() {
        return None;
    }
    let f = |v| if compute { flops(v) } else { scale(v, 3) };
    let hi = if hi == f64::INFINITY {
        "∞ — may never be reached at this confidence".to_string()
    } else {
        f(hi)
    };
    Some(format!(" (95 %: {} – {hi})", f(lo)))
}

/// A value and its interval, the interval's ends in `data-lo`/`data-hi` (`inf` unbounded).
fn value_ci(
    x: f64,
    ci: Option<(f64, f64)>,
    testid: &'static str,
    compute: bool,
    group: &str,
) -> impl IntoView {
    let text = ci.and_then(|(lo, hi)| {
        let t = ci_text((lo, hi), compute)?;
        Some(view! { <span class="calc-ci" data-testid=format!("{testid}-ci") data-group=group.to_string() data-lo=lo.to_string() data-hi=hi.to_string()>{t}</span> })
    });
    view! { {value(x, testid, compute, group)}{text} }
}

/// The compute-optimal split `at`, with `prefix`ed test ids (`optimal`, `target`).
fn allocation(
    at: Allocation,
    ci: Option<AllocationCi>,
    prefix: &'static str,
    ctx: Ctx,
    show_loss: bool,
    group: &str,
) -> AnyView {
    let (n_id, d_id, c_id, l_id) = match prefix {
        "optimal" => ("optimal-n", "optimal-d", "optimal-compute", "optimal-loss"),
        _ => (
            "target-n",
            "target-d",
            "target-compute",
            "target-loss-check",
        ),
    };
    let loss = show_loss.then(move || {
        view! {
            " · loss " <b class="calc-value" data-testid=l_id data-group=group.to_string() data-value=at.loss.to_string()>{sig(at.loss, 4)}</b>
            " (perplexity " {sig(loss_to_ppl(at.loss), 4)} ")"
        }
        .into_any()
    });
    let cost = (!show_loss).then(|| cost_line(at.compute, ctx.hw, false));
    view! {
        "N* = " {value_ci(at.n, ci.map(|c| c.n), n_id, false, group)}
        " · D* = " {value_ci(at.d, ci.map(|c| c.d), d_id, false, group)}
        " · " {sig(at.tokens_per_param, 3)} " tokens/param"
        // At a budget C is the input: only a target's C has an interval.
        " · C = " {value_ci(at.compute, ci.filter(|_| !show_loss).map(|c| c.compute), c_id, true, group)}
        {loss}
        {cost}
    }
    .into_any()
}

/// The answer for a target: the input a one-input law needs, or a two-input law's split.
enum Need {
    Scale(Result<Required, InvertError>),
    Split(Result<(Allocation, Option<AllocationCi>), InvertError>),
}

/// What the target needs: the scale (one input) or the least compute and its split.
#[component]
pub fn TargetResults(ctx: Ctx) -> impl IntoView {
    let body = move || {
        let target = ctx.state.target_loss.get()?;
        let (x_name, x_role) = ctx.input();
        let out = rows(ctx, |m| {
            if m.has_frontier() {
                Need::Split(
                    m.compute_for_loss(target)
                        .map(|at| (at, m.compute_for_loss_ci95(target).ok().flatten())),
                )
            } else {
                Need::Scale(m.required(target))
            }
        });
        let render = move |group: &str, need: Need| match need {
            Need::Scale(Ok(req)) => {
                let compute = x_role == Role::C;
                let ci = ci_text(req.ci95, compute);
                let cost = compute.then(|| cost_line(req.x, ctx.hw, false));
                view! { {x_name.clone()} " = " {value(req.x, "required-scale", compute, group)} {ci} {cost} }.into_any()
            }
            Need::Split(Ok((at, ci))) => allocation(at, ci, "target", ctx, false, group),
            Need::Scale(Err(e)) | Need::Split(Err(e)) => {
                view! { <span class="bad">{e.to_string()}</span> }.into_any()
            }
        };
        Some(
            view! { <ul class="calc-results" aria-live="polite">{items(out, render)}</ul> }
                .into_any(),
        )
    };
    view! { {move || body()} }
}

/// The compute budget's cost and, for two-input laws, its optimal split and loss.
#[component]
pub fn BudgetResults(ctx: Ctx) -> impl IntoView {
    let body = move || {
        let budget = ctx.state.compute_budget.get()?;
        let out = rows(ctx, |m| {
            m.has_frontier().then(|| {
                m.optimal_allocation(budget)
                    .map(|at| (at, m.optimal_ci95(budget).ok().flatten()))
            })
        });
        let any_two = out.iter().any(|r| matches!(r.out, Ok(Some(_))));
        let split = if any_two {
            type Split = Option<Result<(Allocation, Option<AllocationCi>), InvertError>>;
            let render = move |group: &str, r: Split| match r {
                Some(Ok((at, ci))) => allocation(at, ci, "optimal", ctx, true, group),
                Some(Err(e)) => view! { <span class="bad">{e.to_string()}</span> }.into_any(),
                None => {
                    view! { <span class="note">"one-input law: no N/D split"</span> }.into_any()
                }
            };
            view! { <ul class="calc-results" aria-live="polite">{items(out, render)}</ul> }
                .into_any()
        } else {
            view! {
                <p class="note">"The compute-optimal split needs N and D: fit the chinchilla form, or choose a two-input published law."</p>
            }
            .into_any()
        };
        Some(
            view! {
                <p class="calc-results">{flops(budget)}{cost_line(budget, ctx.hw, true)}</p>
                {split}
            }
            .into_any(),
        )
    };
    view! { {move || body()} }
}

/// The loss predicted at the forward inputs.
#[component]
pub fn ForwardResults(
    ctx: Ctx,
    /// N (or x) entered.
    n: RwSignal<Option<f64>>,
    /// D entered.
    d: RwSignal<Option<f64>>,
) -> impl IntoView {
    let body = move || {
        let x = n.get()?;
        let d = d.get();
        let out = rows(ctx, |m| m.predict(x, d));
        let render = |group: &str, p: Result<Prediction, InvertError>| match p {
            Ok(p) => {
                let band = p
                    .band95
                    .map(|(lo, hi)| format!(" (95 %: {} – {})", sig(lo, 4), sig(hi, 4)));
                let ppl = loss_to_ppl(p.loss);
                view! {
                    "loss " <b class="calc-value" data-testid="forward-loss" data-group=group.to_string() data-value=p.loss.to_string()>{sig(p.loss, 4)}</b>
                    {band}
                    " · perplexity " <b class="calc-value" data-testid="forward-ppl" data-group=group.to_string() data-value=ppl.to_string()>{sig(ppl, 4)}</b>
                }
                .into_any()
            }
            Err(InvertError::BadArgument { name: "D", .. }) => {
                view! { <span class="note">"enter D (tokens) for this law"</span> }.into_any()
            }
            Err(e) => view! { <span class="bad">{e.to_string()}</span> }.into_any(),
        };
        Some(
            view! { <ul class="calc-results" aria-live="polite">{items(out, render)}</ul> }
                .into_any(),
        )
    };
    view! { {move || body()} }
}
