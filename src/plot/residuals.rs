//! The residual plot: observed minus fitted against x (log), zero line, per group colours.

use super::draw::{draw_axes, grid_lines, Frame, Theme};
use super::spec::PlotSpec;
use super::ticks::log_ticks;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use scalescope_core::format;

/// Draws the residuals of every fitted series of `spec`.
pub fn draw_residuals<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    spec: &PlotSpec,
    theme: &Theme,
    px: f64,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let s = |v: f64| (v * px).round() as u32;
    let font = |size: f64| theme.font(size, px);
    root.fill(&theme.background)?;
    let residuals = || {
        spec.series
            .iter()
            .flat_map(|se| se.points.iter().map(move |p| (se.color, p)))
            .filter_map(|(c, p)| {
                p.residual
                    .filter(|r| r.is_finite())
                    .map(|r| (c, p.x, r, p.excluded))
            })
    };
    let r_max = residuals().map(|(_, _, r, _)| r.abs()).fold(0.0, f64::max);
    let r_max = if r_max > 0.0 { r_max * 1.15 } else { 1.0 };
    let (x0, x1) = spec.x_range;
    // Label areas: left width, bottom height.
    let labels = (s(58.0), s(20.0));
    let mut chart = ChartBuilder::on(root)
        .margin(s(12.0))
        .margin_top(s(4.0))
        .x_label_area_size(labels.1)
        .y_label_area_size(labels.0)
        .build_cartesian_2d((x0..x1).log_scale(), -r_max..r_max)?;
    draw_axes(
        root,
        &Frame::of(&chart, labels),
        theme.foreground.stroke_width(s(1.0).max(1)),
        None,
    )?;
    let no_rows: [f64; 0] = [];
    chart.draw_series(grid_lines(
        &log_ticks(x0, x1).major,
        &no_rows,
        (x0, x1),
        (-r_max, r_max),
        theme.grid.stroke_width(s(1.0).max(1)),
    ))?;
    // One shape: straight to the plotting area (what `draw_series` does per element).
    chart.plotting_area().draw(&PathElement::new(
        vec![(x0, 0.0), (x1, 0.0)],
        theme.foreground.mix(0.6).stroke_width(s(1.0).max(1)),
    ))?;
    let (ax, _) = chart.backend_coord(&(x0, 0.0));
    for v in [-r_max / 1.15, 0.0, r_max / 1.15] {
        let (_, y) = chart.backend_coord(&(x0, v));
        let style = font(11.0).pos(Pos::new(HPos::Right, VPos::Center));
        root.draw_text(&format::sig(v, 2), &style, (ax - s(6.0) as i32, y))?;
    }
    let style = font(11.0).pos(Pos::new(HPos::Left, VPos::Top));
    root.draw_text(
        "residual (observed − fitted)",
        &style,
        (ax + s(8.0) as i32, s(4.0) as i32),
    )?;
    let r = s(3.0);
    chart.draw_series(residuals().map(|(c, x, res, excluded)| {
        let color = theme.color(c);
        let style = if excluded {
            color.stroke_width(s(1.0))
        } else {
            color.filled()
        };
        Circle::new((x, res), r, style)
    }))?;
    root.present()
}
