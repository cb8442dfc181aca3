//! Compute → GPU-hours → cost: the hardware fields (GPU preset, peak, MFU, price) and the
//! line that prices a compute.

use super::field::{Linked, NumberField, Unit};
use leptos::prelude::*;
use scalescope_core::budget::{
    estimate, parse_non_negative, parse_percent, parse_positive, Hardware, InputError, DEFAULT_MFU,
    GPUS, H100,
};
use scalescope_core::format::{scale, sig, usd};

/// Price of a GPU-hour the page starts with (US dollars); the user edits it.
const DEFAULT_USD_PER_GPU_HOUR: f64 = 2.0;

/// Peak per GPU, entered in TFLOP/s.
const PEAK: Unit = Unit {
    parse: |t| parse_positive(t, "peak TFLOP/s").map(|v| v * 1e12),
    show: |v| sig(v / 1e12, 4),
    required: true,
};
/// MFU, entered in percent.
const MFU: Unit = Unit {
    parse: parse_percent,
    show: |v| sig(v * 100.0, 3),
    required: true,
};
/// Dollars per GPU-hour.
const PRICE: Unit = Unit {
    parse: |t| parse_non_negative(t, "price per GPU-hour"),
    show: |v| sig(v, 4),
    required: true,
};

/// The hardware fields' values.
#[derive(Clone, Copy)]
pub struct HardwareInputs {
    peak: Linked,
    mfu: Linked,
    price: Linked,
}

impl HardwareInputs {
    /// H100, 40 % MFU, $2 per GPU-hour.
    pub fn new() -> Self {
        HardwareInputs {
            peak: Linked::new(RwSignal::new(Some(H100.peak_flops))),
            mfu: Linked::new(RwSignal::new(Some(DEFAULT_MFU))),
            price: Linked::new(RwSignal::new(Some(DEFAULT_USD_PER_GPU_HOUR))),
        }
    }

    /// The hardware, when every field holds a usable value.
    pub fn hardware(self) -> Result<Hardware, InputError> {
        let get = |l: Linked| l.value.get().unwrap_or(f64::NAN);
        Hardware::new(get(self.peak), get(self.mfu), get(self.price))
    }

    /// The name of the chosen GPU preset (`H100`), or `GPU`.
    fn gpu_name(self) -> String {
        let peak = self.peak.value.get();
        GPUS.iter()
            .find(|g| Some(g.peak_flops) == peak)
            .map_or("GPU".into(), |g| g.key.to_ascii_uppercase())
    }
}

/// GPU preset, peak TFLOP/s, MFU and price.
#[component]
pub fn HardwareControls(
    /// The fields' values.
    hw: HardwareInputs,
) -> impl IntoView {
    let on_gpu = move |ev| {
        let key = event_target_value(&ev);
        if let Some(gpu) = GPUS.iter().find(|g| g.key == key) {
            hw.peak.value.set(Some(gpu.peak_flops));
            hw.peak.reset_text();
        }
    };
    view! {
        <div class="calc-row">
            <label class="calc-field">
                <span class="calc-label">"GPU (bf16 dense peak)"</span>
                // A `String` like every `prop:value` on the page (one property path).
                <select data-testid="gpu-select" on:change=on_gpu prop:value=move || selected(hw).to_string()>
                    {GPUS.iter().map(|g| view! {
                        <option value=g.key selected=move || selected(hw) == g.key>{g.name}</option>
                    }).collect_view()}
                    <option value="custom" selected=move || selected(hw) == "custom">"custom peak"</option>
                </select>
            </label>
            <NumberField label="Peak TFLOP/s per GPU" testid="peak-tflops" linked=hw.peak unit=PEAK />
            <NumberField label="MFU (%)" testid="mfu" linked=hw.mfu unit=MFU />
            <NumberField label="$ per GPU-hour" testid="gpu-price" linked=hw.price unit=PRICE />
        </div>
    }
}

/// The GPU menu's value: the preset whose peak is the one entered, or `custom`.
fn selected(hw: HardwareInputs) -> &'static str {
    let peak = hw.peak.value.get();
    GPUS.iter()
        .find(|g| Some(g.peak_flops) == peak)
        .map_or("custom", |g| g.key)
}

/// "≈ 702K H100-hours ≈ $1.4M" for `compute` FLOP; the hardware's problem otherwise.
/// `testids`: mark the numbers (`gpu-hours`, `cost`) — for the budget's line only.
pub fn cost_line(compute: f64, hw: HardwareInputs, testids: bool) -> AnyView {
    let hardware = match hw.hardware() {
        Ok(h) => h,
        Err(e) => {
            return view! { <span class="bad">" (cost: "{e.to_string()}")"</span> }.into_any()
        }
    };
    match estimate(compute, &hardware) {
        Ok(c) => {
            let (hours_id, cost_id) = if testids {
                (Some("gpu-hours"), Some("cost"))
            } else {
                (None, None)
            };
            view! {
                <span class="calc-cost">
                    " ≈ "
                    <span data-testid=hours_id data-value=c.gpu_hours.to_string()>{scale(c.gpu_hours, 3)}</span>
                    " " {hw.gpu_name()} "-hours ≈ "
                    <span data-testid=cost_id data-value=c.usd.to_string()>{usd(c.usd)}</span>
                </span>
            }
            .into_any()
        }
        Err(e) => view! { <span class="bad">" (cost: "{e.to_string()}")"</span> }.into_any(),
    }
}
