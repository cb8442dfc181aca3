//! The calculator: a target loss or perplexity → the scale (or compute-optimal N*, D*, C)
//! it takes; a compute budget → its optimal split, loss, GPU-hours and cost; N (and D) →
//! the predicted loss. It runs on the fit of each group or on a published law (no data
//! needed). Every number comes from `scalescope_core` (`presets::Model`, `budget`).

mod cost;
mod field;
mod results;

use crate::state::AppState;
use cost::{HardwareControls, HardwareInputs};
use field::{Linked, NumberField, Unit};
use leptos::prelude::*;
use results::{BudgetResults, ForwardResults, TargetResults};
use scalescope_core::budget::parse_positive;
use scalescope_core::format::sig;
use scalescope_core::presets::{Model, PresetId};
use scalescope_core::table::Role;
use scalescope_core::units::{loss_to_ppl, ppl_to_loss};

/// Target as a loss in nats.
const LOSS: Unit = Unit {
    parse: |t| parse_positive(t, "target loss"),
    show: |v| sig(v, 6),
    required: false,
};
/// Target as a perplexity, e^loss.
const PPL: Unit = Unit {
    parse: |t| parse_positive(t, "perplexity").map(ppl_to_loss),
    show: |v| sig(loss_to_ppl(v), 6),
    required: false,
};
/// Compute in FLOP; N and D in parameters and tokens.
const COMPUTE: Unit = Unit {
    parse: |t| parse_positive(t, "compute budget"),
    show: |v| format!("{v:e}"),
    required: false,
};
const N: Unit = Unit {
    parse: |t| parse_positive(t, "N"),
    show: |v| format!("{v:e}"),
    required: false,
};
const D: Unit = Unit {
    parse: |t| parse_positive(t, "D"),
    show: |v| format!("{v:e}"),
    required: false,
};

/// What the results read: the page state, the chosen law and the hardware.
#[derive(Clone, Copy)]
pub struct Ctx {
    state: AppState,
    /// `None`: the user's fit; otherwise a published law.
    preset: RwSignal<Option<PresetId>>,
    hw: HardwareInputs,
}

impl Ctx {
    /// The one-input law's input: its header and role (`N` for a published law).
    fn input(self) -> (String, Role) {
        if self.preset.get().is_some() {
            return ("N".into(), Role::N);
        }
        let role = self.state.table.get().and_then(|t| {
            t.roles()
                .iter()
                .copied()
                .find(|r| matches!(r, Role::X | Role::N | Role::D | Role::C))
        });
        (self.state.axis_names.get().0, role.unwrap_or(Role::X))
    }

    /// Whether the law takes N and D.
    fn two_inputs(self) -> bool {
        match self.preset.get() {
            Some(id) => id.preset().law.form.two_inputs(),
            None => self.state.form.get().two_inputs(),
        }
    }
}

/// One line of results: a group (empty name for a published law or an ungrouped table).
pub struct Row<T> {
    group: String,
    out: Result<T, String>,
}

/// `f` applied to the model of each group's fit, or to the published law.
fn rows<T>(ctx: Ctx, f: impl Fn(Model<'_>) -> T) -> Vec<Row<T>> {
    if let Some(id) = ctx.preset.get() {
        let law = id.preset().law;
        let out = Ok(f(Model::published(&law)));
        return vec![Row {
            group: String::new(),
            out,
        }];
    }
    let Some(analysis) = ctx.state.analysis.get() else {
        return vec![];
    };
    analysis
        .groups
        .iter()
        .map(|g| Row {
            group: g.name.clone().unwrap_or_default(),
            out: g
                .fit
                .as_ref()
                .map(|fit| f(Model::fitted(fit)))
                .map_err(|e| format!("no fit: {e}")),
        })
        .collect()
}

/// The calculator panel.
#[component]
pub fn Calculator() -> impl IntoView {
    let state = expect_context::<AppState>();
    let ctx = Ctx {
        state,
        preset: RwSignal::new(None),
        hw: HardwareInputs::new(),
    };
    let target = Linked::new(state.target_loss);
    let budget = Linked::new(state.compute_budget);
    let (n, d) = (RwSignal::new(None), RwSignal::new(None));
    let two = Memo::new(move |_| ctx.two_inputs());
    let n_label = move || {
        if two.get() {
            "N (parameters)".to_string()
        } else {
            format!("{} (input)", ctx.input().0)
        }
    };
    view! {
        <section class="calculator" aria-labelledby="calc-title">
            <h2 id="calc-title">"Calculator"</h2>
            <LawSelect ctx />
            <fieldset>
                <legend>"Target"</legend>
                <div class="calc-row">
                    <NumberField label="Loss (nats)" testid="target-loss" linked=target index=0 unit=LOSS placeholder="e.g. 2.1" />
                    <NumberField label="or perplexity (e^loss)" testid="target-ppl" linked=target index=1 unit=PPL placeholder="e.g. 8.2" />
                </div>
                <TargetResults ctx />
            </fieldset>
            <fieldset>
                <legend>"Compute budget"</legend>
                <div class="calc-row">
                    <NumberField label="Training compute (FLOP, C = 6ND)" testid="compute-budget" linked=budget unit=COMPUTE placeholder="e.g. 1e24" />
                </div>
                <BudgetResults ctx />
            </fieldset>
            <fieldset>
                <legend>"Predict"</legend>
                <div class="calc-row">
                    <NumberField label=Signal::derive(n_label) testid="forward-n" linked=Linked::new(n) unit=N placeholder="e.g. 70B" />
                    <Show when=move || two.get()>
                        <NumberField label="D (tokens)" testid="forward-d" linked=Linked::new(d) unit=D placeholder="e.g. 1.4T" />
                    </Show>
                </div>
                <ForwardResults ctx n d />
            </fieldset>
            <fieldset>
                <legend>"Cost assumptions"</legend>
                <HardwareControls hw=ctx.hw />
            </fieldset>
        </section>
    }
}

/// Your fit or a published law, with the law's citation.
#[component]
fn LawSelect(ctx: Ctx) -> impl IntoView {
    let on_change = move |ev| ctx.preset.set(PresetId::from_key(&event_target_value(&ev)));
    let about = move || {
        match ctx.preset.get() {
            Some(id) => {
                let p = id.preset();
                view! { <p class="note calc-cite"><span class="formula">{Model::published(&p.law).formula("N")}</span><br />{p.citation}</p> }.into_any()
            }
            None => view! { <p class="note calc-cite">"The fit above, per group (95 % intervals from its covariance)."</p> }.into_any(),
        }
    };
    view! {
        <label class="calc-field">
            <span class="calc-label">"Law"</span>
            <select data-testid="law-select" on:change=on_change>
                <option value="fit">"your fit"</option>
                {PresetId::ALL.into_iter().map(|id| view! {
                    <option value=id.key()>{id.preset().title}</option>
                }).collect_view()}
            </select>
        </label>
        {move || about()}
    }
}
