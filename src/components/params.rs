//! The law's parameters: pins for every law, and for a typed law ("custom…") the formula
//! field with each parameter's starting value and positivity.

use crate::state::AppState;
use leptos::prelude::*;
use scalescope_core::float::parse_f64;
use scalescope_core::laws::custom::CustomSpec;

/// The formula the editor opens with, for a table of one input or of N and D.
pub fn starter_formula(two_inputs: bool) -> &'static str {
    if two_inputs {
        "E + A*N^-alpha + B*D^-beta"
    } else {
        "E + A*x^-alpha"
    }
}

/// The parameters panel: a formula editor while "custom…" is chosen, then one row per
/// parameter (pin, and for a typed law its start and positivity).
#[component]
pub fn Params() -> impl IntoView {
    let state = expect_context::<AppState>();
    let names = Memo::new(move |_| {
        state
            .form
            .get()
            .param_names()
            .into_iter()
            .map(str::to_string)
            .collect::<Vec<_>>()
    });
    let custom = move || state.custom_open.get();
    let on_formula = move |ev| {
        let text = event_target_value(&ev);
        state.custom.update(|s| s.text = text);
    };
    let rows = move || {
        let custom = custom();
        names
            .get()
            .into_iter()
            .map(|name| view! { <ParamRow name=name custom=custom /> })
            .collect::<Vec<_>>()
    };
    let open = move || custom() || state.fixed.with(|f| !f.is_empty());
    view! {
        <details class="params-panel" data-testid="params-panel" prop:open=open>
            <summary>{move || if custom() { "Formula and parameters" } else { "Parameters: pin a value" }}</summary>
            {move || custom().then(|| view! {
                <label class="formula-field">
                    "y = "
                    <input
                        type="text"
                        data-testid="formula-input"
                        spellcheck="false"
                        autocomplete="off"
                        aria-describedby="formula-help"
                        prop:value=move || state.custom.with(|s| s.text.clone())
                        on:input=on_formula
                    />
                </label>
                <p class="bad" data-testid="formula-error" role="status">{move || state.custom_error.get()}</p>
                <p class="hint" id="formula-help">
                    "Inputs: x, N, D, C or an input column's header (N and D together make a law of both). Every other name is a parameter. "
                    "Numbers like 1e9, 70M, 1.4T; + − * / ^; exp, ln, log10, log2, sqrt, abs, min, max, pow."
                </p>
            })}
            <table class="param-rows" data-testid="param-rows">
                <thead>
                    <tr>
                        <th scope="col">"parameter"</th>
                        <th scope="col">"pinned at"</th>
                        {move || custom().then(|| view! { <th scope="col">"start"</th><th scope="col">"positive"</th> })}
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </details>
    }
}

/// One parameter: a pin (checkbox and value) and, for a typed law, its start and whether it
/// must stay positive.
#[component]
fn ParamRow(name: String, custom: bool) -> impl IntoView {
    let state = expect_context::<AppState>();
    let pin = {
        let name = name.clone();
        Memo::new(move |_| {
            state
                .fixed
                .with(|f| f.iter().find(|(n, _)| *n == name).map(|(_, v)| *v))
        })
    };
    let on_pin = {
        let name = name.clone();
        move |_| {
            if pin.get_untracked().is_some() {
                state.fixed.update(|f| f.retain(|(n, _)| *n != name));
            } else {
                let value = fitted_value(state, &name).unwrap_or(1.0);
                state.fixed.update(|f| f.push((name.clone(), value)));
            }
        }
    };
    let on_pin_value = {
        let name = name.clone();
        move |ev| {
            let Some(v) = parse_f64(event_target_value(&ev).trim()).filter(|v| v.is_finite())
            else {
                return;
            };
            state
                .fixed
                .update(|f| match f.iter_mut().find(|(n, _)| *n == name) {
                    Some(p) => p.1 = v,
                    None => f.push((name.clone(), v)),
                });
        }
    };
    let extra = custom.then(|| {
        let start = {
            let name = name.clone();
            move || {
                state.custom.with(|s| {
                    s.starts
                        .iter()
                        .find(|(n, _)| *n == name)
                        .map(|(_, v)| field_text(*v))
                        .unwrap_or_default()
                })
            }
        };
        let positive = {
            let name = name.clone();
            move || state.custom.with(|s| s.positive.contains(&name))
        };
        let on_start = {
            let name = name.clone();
            move |ev| {
                let text = event_target_value(&ev);
                let value = parse_f64(text.trim());
                if value.is_none() && !text.trim().is_empty() {
                    return;
                }
                state.custom.update(|s| set_start(s, &name, value));
            }
        };
        let on_positive = {
            let name = name.clone();
            move |_| {
                state.custom.update(|s| {
                    if let Some(i) = s.positive.iter().position(|p| *p == name) {
                        s.positive.remove(i);
                    } else {
                        s.positive.push(name.clone());
                    }
                })
            }
        };
        view! {
            <td><input type="text" class="short" placeholder="auto" data-testid=format!("start-{name}") aria-label=format!("start of {name}") prop:value=start on:change=on_start /></td>
            <td><input type="checkbox" data-testid=format!("positive-{name}") aria-label=format!("{name} must be positive") prop:checked=positive on:change=on_positive /></td>
        }
    });
    view! {
        <tr data-param-row=name.clone()>
            <th scope="row">{name.clone()}</th>
            <td>
                <input type="checkbox" data-testid=format!("pin-{name}") aria-label=format!("pin {name}") prop:checked=move || pin.get().is_some() on:change=on_pin />
                <input
                    type="text"
                    class="short"
                    data-testid=format!("pin-value-{name}")
                    aria-label=format!("value {name} is pinned at")
                    placeholder="fitted"
                    prop:value=move || pin.get().map(field_text).unwrap_or_default()
                    on:change=on_pin_value
                />
            </td>
            {extra}
        </tr>
    }
}

/// The first group's fitted value of parameter `name`: where a new pin starts.
fn fitted_value(state: AppState, name: &str) -> Option<f64> {
    state.analysis.with_untracked(|a| {
        a.as_ref()?
            .groups
            .iter()
            .find_map(|g| g.fit.as_ref().ok()?.param(name))
            .filter(|v| v.is_finite())
    })
}

/// A value as a field shows it: plain where that is short, else with an exponent
/// (`1e11`, not `100000000000`). Both read back to the same `f64`.
fn field_text(v: f64) -> String {
    let a = v.abs();
    if a != 0.0 && !(1e-3..1e6).contains(&a) {
        format!("{v:e}")
    } else {
        v.to_string()
    }
}

/// Sets (or with `None` clears) the start of parameter `name`.
fn set_start(spec: &mut CustomSpec, name: &str, value: Option<f64>) {
    spec.starts.retain(|(n, _)| n != name);
    if let Some(v) = value {
        spec.starts.push((name.to_string(), v));
    }
}
