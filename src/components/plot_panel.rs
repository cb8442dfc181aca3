//! The log-log chart on a canvas (plotters-canvas), redrawn by an effect whenever the plot
//! spec, the theme or the canvas size changes. Crisp on HiDPI screens: the backing store is
//! the CSS size × devicePixelRatio. Hovering a point shows its row; clicking it excludes it
//! from the fit (and includes it again).

use crate::plot::backend::{Backend, BackendError};
use crate::plot::draw::{draw, nearest, Hit, DARK, LIGHT};
use crate::plot::residuals::draw_residuals;
use crate::plot::spec::{PlotSpec, XAxis};
use crate::state::AppState;
use leptos::html::Canvas;
use leptos::prelude::*;
use plotters::coord::Shift;
use plotters::prelude::{DrawingArea, DrawingAreaErrorKind, IntoDrawingArea};
use plotters_canvas::CanvasBackend;
use scalescope_core::format;
use scalescope_core::presets::PresetId;

/// The chart, the x-axis choice (chinchilla) and the residual plot.
#[component]
pub fn PlotPanel() -> impl IntoView {
    let state = expect_context::<AppState>();
    let canvas = NodeRef::<Canvas>::new();
    let resid = NodeRef::<Canvas>::new();
    // A resize redraws (the canvas's new width is read when painting).
    let resized = Trigger::new();
    let hits = StoredValue::new(Vec::<Hit>::new());
    let hover = RwSignal::new(None::<(Hit, f64, f64)>);
    let _resize = window_event_listener(leptos::ev::resize, move |_| {
        if canvas.get_untracked().is_some() {
            resized.notify();
        }
    });
    let spec = state.plot_spec;
    Effect::new(move |_| {
        resized.track();
        let theme = if state.dark.get() { &DARK } else { &LIGHT };
        let Some(spec) = spec.get() else { return };
        if let Some(el) = canvas.get() {
            let mut drawn = Vec::new();
            paint(&el, 0.58, &mut |root, dpr| {
                drawn = draw(root, &spec, theme, dpr)?;
                Ok(())
            });
            let _ = el.set_attribute("data-points", &points_attr(&spec, &drawn));
            mark_drawn();
            hits.set_value(drawn);
        }
        if let Some(el) = resid.get() {
            paint(&el, 0.16, &mut |root, dpr| {
                draw_residuals(root, &spec, theme, dpr)
            });
        }
    });
    let hit_at = move |ev: &leptos::ev::MouseEvent| {
        let dpr = window().device_pixel_ratio().max(1.0);
        let (x, y) = (
            f64::from(ev.offset_x()) * dpr,
            f64::from(ev.offset_y()) * dpr,
        );
        let found = hits.with_value(|h| nearest(h, x as i32, y as i32, (8.0 * dpr) as i32));
        found.map(|h| (h, f64::from(ev.offset_x()), f64::from(ev.offset_y())))
    };
    let on_move = move |ev: leptos::ev::MouseEvent| hover.set(hit_at(&ev));
    let toggle_hit = move |h: Hit| {
        let line = spec.with_untracked(|s| {
            s.as_ref()
                .and_then(|s| s.series.get(h.series))
                .and_then(|se| se.points.iter().find(|p| p.index == h.index))
                .map(|p| p.line)
        });
        if let Some(line) = line {
            state.toggle_line(line);
        }
    };
    let on_click = move |ev: leptos::ev::MouseEvent| {
        if let Some((h, ..)) = hit_at(&ev) {
            toggle_hit(h);
        }
    };
    // Keyboard: with the chart focused, ←/→ walk the points left to right (the tooltip
    // follows), Enter or Space excludes or includes the focused one.
    let focused = RwSignal::new(None::<usize>);
    let show_focused = move |i: usize| {
        let dpr = window().device_pixel_ratio().max(1.0);
        let h = hits.with_value(|hs| {
            let mut order: Vec<Hit> = hs.clone();
            scalescope_core::sort::sort_by_key(&mut order, |h| (h.px, h.series));
            order.get(i).copied()
        });
        if let Some(h) = h {
            hover.set(Some((h, f64::from(h.px) / dpr, f64::from(h.py) / dpr)));
        }
        h
    };
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        let n = hits.with_value(Vec::len);
        if n == 0 {
            return;
        }
        let step = |d: isize| {
            let i = focused
                .get_untracked()
                .map_or(0, |i| (i as isize + d).rem_euclid(n as isize) as usize);
            focused.set(Some(i));
            show_focused(i);
        };
        match ev.key().as_str() {
            "ArrowRight" | "ArrowUp" => step(1),
            "ArrowLeft" | "ArrowDown" => step(-1),
            "Enter" | " " => {
                if let Some(h) = focused.get_untracked().and_then(show_focused) {
                    toggle_hit(h);
                }
            }
            _ => return,
        }
        ev.prevent_default();
    };
    let tooltip = move || {
        let (h, x, y) = hover.get()?;
        let text = spec.with(|s| {
            let s = s.as_ref()?;
            let se = s.series.get(h.series)?;
            let p = se.points.iter().find(|p| p.index == h.index)?;
            let resid = p
                .residual
                .map(|r| format!(" · residual {:+.4}", r))
                .unwrap_or_default();
            let state_text = if p.excluded {
                " · excluded (click to include)"
            } else {
                " · click to exclude"
            };
            Some(format!(
                "line {} · {} · {} = {} · {} = {}{resid}{state_text}",
                p.line,
                se.name,
                s.x_label,
                format::scale(p.x, 4),
                s.y_label,
                format::sig(p.y, 5)
            ))
        })?;
        Some(
            view! { <div class="tooltip" style=format!("left:{}px;top:{}px", x + 12.0, y + 12.0)>{text}</div> }
                .into_any(),
        )
    };
    let two_input = Memo::new(move |_| {
        state
            .analysis
            .get()
            .is_some_and(|a| a.groups.iter().any(|g| g.points.d.is_some()))
    });
    let on_axis = move |ev| {
        let axis = match event_target_value(&ev).as_str() {
            "D" => XAxis::D,
            "C" => XAxis::C,
            _ => XAxis::N,
        };
        state.x_axis.set(axis);
    };
    view! {
        <Show when=move || two_input.get()>
            <label class="field inline">
                "x axis "
                <select data-testid="x-axis-select" on:change=on_axis>
                    <option value="N" selected=move || state.x_axis.get() == XAxis::N>"parameters N"</option>
                    <option value="D" selected=move || state.x_axis.get() == XAxis::D>"tokens D"</option>
                    <option value="C" selected=move || state.x_axis.get() == XAxis::C>"compute C = 6ND (with the compute-optimal frontier)"</option>
                </select>
            </label>
        </Show>
        <label class="field inline">
            "Overlay a published law "
            <select data-testid="overlay-select" on:change=move |ev| state.overlay.set(PresetId::from_key(&event_target_value(&ev)))>
                <option value="" selected=move || state.overlay.get().is_none()>"none"</option>
                {PresetId::ALL
                    .into_iter()
                    .map(|id| view! { <option value=id.key() selected=move || state.overlay.get() == Some(id)>{id.preset().title}</option> })
                    .collect_view()}
            </select>
        </label>
        <div class="plot-wrap">
            <canvas
                data-testid="plot"
                node_ref=canvas
                class="plot"
                role="img"
                aria-label="Log-log plot of the data and the fitted laws (the same as a table below the chart). Arrow keys move between points; Enter excludes or includes the focused point."
                on:mousemove=on_move
                on:mouseleave=move |_| hover.set(None)
                on:click=on_click
                tabindex="0"
                on:keydown=on_key
                on:focus=move |_| {
                    // Only for keyboard focus, not the focus a mouse click gives.
                    let keyboard = canvas
                        .get_untracked()
                        .and_then(|c| c.matches(":focus-visible").ok())
                        .unwrap_or(false);
                    if keyboard {
                        focused.set(Some(0));
                        show_focused(0);
                    }
                }
                on:blur=move |_| hover.set(None)
            ></canvas>
            {move || tooltip()}
            {move || state.busy.get().then(|| view! {
                <p class="busy" data-testid="busy" role="status">"Reading and fitting…"</p>
            }.into_any())}
        </div>
        <p class="note plot-key">"Shaded: 95 % confidence band of the fitted curve (darker) and 95 % prediction interval of a new run (lighter), both in the fit's residual space."</p>
        <canvas data-testid="residual-plot" node_ref=resid class="plot residuals" role="img" aria-label="Residuals of the fits"></canvas>
    }
}

/// Records `window.__scalescopeDrawn = performance.now()` after each redraw: the page
/// benchmark (BENCHMARKS.md) measures navigation → first plot and paste → redraw with it.
fn mark_drawn() {
    let w = window();
    if let Some(now) = w.performance().map(|p| p.now()) {
        let _ = js_sys::Reflect::set(&w, &"__scalescopeDrawn".into(), &now.into());
    }
}

/// The drawing area of a canvas.
type Area = DrawingArea<Backend<'static>, Shift>;
/// What drawing on it returns.
type Drawn = Result<(), DrawingAreaErrorKind<BackendError>>;

/// At most this many points are listed in the canvas's `data-points` test hook.
const LISTED_POINTS: usize = 400;

/// The `data-points` hook: `line x y` per drawn point in CSS pixels, `;`-separated, so that
/// end-to-end tests (and assistive tooling) can find a point to hover or click.
fn points_attr(spec: &PlotSpec, hits: &[Hit]) -> String {
    let dpr = window().device_pixel_ratio().max(1.0);
    hits.iter()
        .take(LISTED_POINTS)
        .filter_map(|h| {
            let p = spec
                .series
                .get(h.series)?
                .points
                .iter()
                .find(|p| p.index == h.index)?;
            Some(format!(
                "{} {:.1} {:.1}",
                p.line,
                f64::from(h.px) / dpr,
                f64::from(h.py) / dpr
            ))
        })
        .collect::<Vec<_>>()
        .join(";")
}

/// Sizes the backing store to CSS size × devicePixelRatio (height = width × `aspect`) and
/// draws with `f`; drawing errors are logged, never thrown. (`f` is `dyn`: one copy of this
/// function for both charts.)
pub(crate) fn paint(
    el: &web_sys::HtmlCanvasElement,
    aspect: f64,
    f: &mut dyn FnMut(&Area, f64) -> Drawn,
) {
    let dpr = window().device_pixel_ratio().max(1.0);
    let css_w = f64::from(el.client_width().max(320));
    let css_h = (css_w * aspect).clamp(aspect * 500.0, aspect * 1000.0);
    let _ = web_sys::HtmlElement::style(el).set_property("height", &format!("{css_h}px"));
    el.set_width((css_w * dpr).round() as u32);
    el.set_height((css_h * dpr).round() as u32);
    let Some(canvas) = CanvasBackend::with_canvas_object(el.clone()) else {
        return;
    };
    if let Err(e) = f(&Backend::Canvas(canvas).into_drawing_area(), dpr) {
        leptos::logging::warn!("plot: {e}");
    }
}
