//! Draws a [`PlotSpec`] on any plotters backend (canvas on the page, SVG for export).

use super::spec::{CurvePoint, PlotSpec};
use super::ticks::{log_ticks, Ticks};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters_backend::DrawingErrorKind;
use scalescope_core::format;

/// A band's lower and upper edge at a curve point.
type Edges = fn(&CurvePoint) -> (f64, f64);

/// Colours of the chart.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Theme {
    /// Background.
    pub background: RGBColor,
    /// Text and axes.
    pub foreground: RGBColor,
    /// Grid lines.
    pub grid: RGBColor,
    /// Extrapolation zone shading.
    pub zone: RGBColor,
    /// One colour per group.
    pub palette: [RGBColor; 6],
}

/// The light theme.
pub const LIGHT: Theme = Theme {
    background: RGBColor(255, 255, 255),
    foreground: RGBColor(34, 38, 46),
    grid: RGBColor(226, 229, 234),
    zone: RGBColor(244, 241, 232),
    palette: [
        RGBColor(31, 110, 208),
        RGBColor(214, 96, 24),
        RGBColor(24, 150, 96),
        RGBColor(170, 60, 170),
        RGBColor(190, 40, 60),
        RGBColor(100, 100, 110),
    ],
};

/// The dark theme.
pub const DARK: Theme = Theme {
    background: RGBColor(22, 25, 31),
    foreground: RGBColor(222, 226, 232),
    grid: RGBColor(52, 57, 66),
    zone: RGBColor(44, 41, 34),
    palette: [
        RGBColor(98, 166, 255),
        RGBColor(255, 150, 80),
        RGBColor(80, 210, 150),
        RGBColor(220, 130, 230),
        RGBColor(255, 110, 120),
        RGBColor(170, 170, 180),
    ],
};

impl Theme {
    /// The colour of group `i`.
    pub fn color(&self, i: usize) -> RGBColor {
        self.palette[i % self.palette.len()]
    }

    /// The charts' text: sans-serif at `size` CSS pixels (times the device-pixel ratio
    /// `px`), in the foreground colour.
    pub fn font(&self, size: f64, px: f64) -> TextStyle<'static> {
        FontDesc::new(FontFamily::SansSerif, size * px, FontStyle::Normal).color(&self.foreground)
    }
}

type DrawResult<DB, T = ()> = Result<T, DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

/// Where a point was drawn, in backend pixels: for hover and click-to-exclude.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Hit {
    /// Index of the series (group).
    pub series: usize,
    /// Index of the point within its series.
    pub index: usize,
    /// Backend x pixel.
    pub px: i32,
    /// Backend y pixel.
    pub py: i32,
}

/// The hit nearest to `(x, y)` within `radius` pixels.
pub fn nearest(hits: &[Hit], x: i32, y: i32, radius: i32) -> Option<Hit> {
    hits.iter()
        .map(|h| (h, (h.px - x).pow(2) + (h.py - y).pow(2)))
        .filter(|(_, d2)| *d2 <= radius * radius)
        .min_by_key(|(_, d2)| *d2)
        .map(|(h, _)| *h)
}

fn tick_label(v: f64, ticks: &Ticks, scale_axis: bool) -> String {
    if ticks.decades {
        let k = v.log10().round() as i32;
        if scale_axis {
            format::scale_tick(k)
        } else {
            format::pow10(k)
        }
    } else {
        format::sig(v, 3)
    }
}

/// One path per tick: vertical lines at `xs`, horizontal ones at `ys`, across the ranges.
/// The residual plot draws its grid with it too.
pub fn grid_lines<'a, Y: Copy + 'a>(
    xs: &'a [f64],
    ys: &'a [Y],
    (x0, x1): (f64, f64),
    (y0, y1): (Y, Y),
    style: ShapeStyle,
) -> impl Iterator<Item = PathElement<(f64, Y)>> + 'a {
    let vertical = xs
        .iter()
        .map(move |&x| PathElement::new(vec![(x, y0), (x, y1)], style));
    let horizontal = ys
        .iter()
        .map(move |&y| PathElement::new(vec![(x0, y), (x1, y)], style));
    vertical.chain(horizontal)
}

/// Where a chart's axes go: its plotting area and label areas, in backend pixels.
pub struct Frame {
    /// Top left of the plotting area.
    base: (i32, i32),
    /// Size of the plotting area.
    size: (u32, u32),
    /// Width of the left label area and height of the bottom one.
    labels: (u32, u32),
    /// Pixel spans of the x and y axes.
    spans: (std::ops::Range<i32>, std::ops::Range<i32>),
}

impl Frame {
    /// The frame of `chart`, built with these label area sizes (left width, bottom height).
    pub fn of<DB: DrawingBackend, X: Ranged<ValueType = f64>, Y: Ranged<ValueType = f64>>(
        chart: &ChartContext<'_, DB, Cartesian2d<X, Y>>,
        labels: (u32, u32),
    ) -> Self {
        let area = chart.plotting_area();
        Frame {
            base: area.get_base_pixel(),
            size: area.dim_in_pixel(),
            labels,
            spans: (area.get_x_axis_pixel_range(), area.get_y_axis_pixel_range()),
        }
    }
}

/// The axis names drawn beside the axes.
pub struct AxisNames<'a> {
    /// Below the x axis, centred.
    pub x: &'a str,
    /// Left of the y axis, turned 270°, centred.
    pub y: &'a str,
    /// Their font.
    pub style: &'a TextStyle<'a>,
}

/// The two axis lines, and the axis names when given, where plotters' mesh
/// (`configure_mesh().disable_mesh()`, 0.3.7) put them: the y name at the left edge of its
/// label area, the x name at the bottom of its area. No tick marks: the charts draw their own
/// tick labels and grid (plotters' mesh added one lone tick at the first decade of a log
/// axis). Written out because the mesh code (its label formatting, one copy per coordinate
/// type) weighed ~6 KB gzip (issue 2).
pub fn draw_axes<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    frame: &Frame,
    style: ShapeStyle,
    names: Option<AxisNames<'_>>,
) -> DrawResult<DB> {
    let ((x0, y0), (w, h)) = (frame.base, frame.size);
    let (left, bottom) = (frame.labels.0 as i32, frame.labels.1 as i32);
    let (x_axis_y, y_axis_x) = (y0 + h as i32, x0 - 1);
    let line = |a, b| root.draw(&PathElement::new(vec![a, b], style));
    let (xs, ys) = &frame.spans;
    line((y_axis_x, ys.start), (y_axis_x, ys.end))?;
    line((xs.start, x_axis_y), (xs.end, x_axis_y))?;
    if let Some(names) = names {
        let turned = names.style.transform(FontTransform::Rotate270);
        let y_style = turned.pos(Pos::new(HPos::Center, VPos::Top));
        root.draw_text(names.y, &y_style, (x0 - left, y0 + (h / 2) as i32))?;
        let x_style = names.style.pos(Pos::new(HPos::Center, VPos::Bottom));
        root.draw_text(names.x, &x_style, (x0 + (w / 2) as i32, x_axis_y + bottom))?;
    }
    Ok(())
}

/// Draws the chart; `px` is the device-pixel ratio (sizes are multiplied by it). Returns
/// where each point landed, for hover and click-to-exclude.
pub fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    spec: &PlotSpec,
    theme: &Theme,
    px: f64,
) -> DrawResult<DB, Vec<Hit>> {
    let s = |v: f64| (v * px).round() as u32;
    let font = |size: f64| theme.font(size, px);
    root.fill(&theme.background)?;
    let (x0, x1) = spec.x_range;
    let (y0, y1) = spec.y_range;
    let xt = log_ticks(x0, x1);
    let yt = log_ticks(y0, y1);
    // Label areas: left width, bottom height.
    let labels = (s(58.0), s(44.0));
    let mut chart = ChartBuilder::on(root)
        .margin(s(12.0))
        .x_label_area_size(labels.1)
        .y_label_area_size(labels.0)
        .build_cartesian_2d((x0..x1).log_scale(), (y0..y1).log_scale())?;

    // Extrapolation zones, behind everything. Single shapes go straight to the plotting
    // area (what `draw_series` does per element, without its per-iterator copy).
    let zone = theme.zone.filled();
    let (d0, d1) = spec.data_x;
    if d1 < x1 {
        chart
            .plotting_area()
            .draw(&Rectangle::new([(d1, y0), (x1, y1)], zone))?;
    }
    if d0 > x0 {
        chart
            .plotting_area()
            .draw(&Rectangle::new([(x0, y0), (d0, y1)], zone))?;
    }

    // Grid and ticks, our own (plotters' log labels print 9.999e-5).
    let grid = theme.grid.stroke_width(s(1.0).max(1));
    let minor = theme.grid.mix(0.45).stroke_width(s(1.0).max(1));
    chart.draw_series(grid_lines(&xt.minor, &yt.minor, (x0, x1), (y0, y1), minor))?;
    chart.draw_series(grid_lines(&xt.major, &yt.major, (x0, x1), (y0, y1), grid))?;
    draw_axes(
        root,
        &Frame::of(&chart, labels),
        theme.foreground.stroke_width(s(1.0).max(1)),
        Some(AxisNames {
            x: &spec.x_label,
            y: &spec.y_label,
            style: &font(13.0),
        }),
    )?;
    let (px0, py1) = chart.backend_coord(&(x0, y0));
    for &x in &xt.major {
        let (cx, _) = chart.backend_coord(&(x, y0));
        let style = font(12.0).pos(Pos::new(HPos::Center, VPos::Top));
        root.draw_text(
            &tick_label(x, &xt, spec.x_is_scale),
            &style,
            (cx, py1 + s(6.0) as i32),
        )?;
    }
    for &y in &yt.major {
        let (_, cy) = chart.backend_coord(&(x0, y));
        let style = font(12.0).pos(Pos::new(HPos::Right, VPos::Center));
        root.draw_text(
            &tick_label(y, &yt, false),
            &style,
            (px0 - s(6.0) as i32, cy),
        )?;
    }

    // Bands (a new run's prediction interval, lighter, under the mean's confidence band),
    // then curves, then points.
    for series in &spec.series {
        let color = theme.color(series.color);
        let bands: [(Edges, f64); 2] = [(|c| (c.pi_lo, c.pi_hi), 0.08), (|c| (c.lo, c.hi), 0.16)];
        for (edges, alpha) in bands {
            let inside: Vec<(f64, f64, f64)> = series
                .curve
                .iter()
                .map(|c| (c.x, edges(c)))
                .filter(|(_, (lo, hi))| *lo > 0.0 && hi.is_finite())
                .map(|(x, (lo, hi))| (x, lo.max(y0 / 10.0), hi.min(y1 * 10.0)))
                .collect();
            let band: Vec<(f64, f64)> = inside
                .iter()
                .map(|&(x, _, hi)| (x, hi))
                .chain(inside.iter().rev().map(|&(x, lo, _)| (x, lo)))
                .collect();
            if band.len() > 2 {
                chart
                    .plotting_area()
                    .draw(&Polygon::new(band, color.mix(alpha).filled()))?;
            }
        }
    }
    let mut legend: Vec<(String, Mark)> = Vec::new();
    if let Some(t) = spec.target_y {
        chart.draw_series(DashedLineSeries::new(
            vec![(x0, t), (x1, t)],
            s(6.0),
            s(4.0),
            theme.foreground.mix(0.7).stroke_width(s(1.0).max(1)),
        ))?;
        legend.push((
            format!("target {}", format::sig(t, 4)),
            Mark::Line(theme.foreground.into()),
        ));
    }
    if let Some(o) = &spec.overlay {
        let style = theme.foreground.mix(0.8).stroke_width(s(1.5));
        // A `Vec` like the target line's: one copy of the dashed-series code.
        chart.draw_series(DashedLineSeries::new(
            o.curve.clone(),
            s(8.0),
            s(5.0),
            style,
        ))?;
        legend.push((o.name.clone(), Mark::Line(style)));
    }
    for series in &spec.series {
        let color = theme.color(series.color);
        let line = color.stroke_width(s(2.0));
        if series.curve.len() > 1 {
            chart.draw_series(LineSeries::new(
                series.curve.iter().map(|c| (c.x, c.y)),
                line,
            ))?;
        }
        let r = s(4.0);
        chart.draw_series(
            series
                .points
                .iter()
                .filter(|p| p.x > 0.0 && p.y > 0.0)
                .map(|p| {
                    let style = if p.excluded || p.held_out {
                        color.stroke_width(s(1.5))
                    } else {
                        color.filled()
                    };
                    Circle::new((p.x, p.y), r, style)
                }),
        )?;
        legend.push((series.name.clone(), Mark::Dot(color.filled(), r)));
    }
    if spec.series.len() > 1 || spec.target_y.is_some() || spec.overlay.is_some() {
        draw_legend(
            &chart.plotting_area().strip_coord_spec(),
            &legend,
            &font(12.0),
            theme,
            s(8.0),
        )?;
    }
    if d1 < x1 {
        // Bottom right of the zone (the legend sits at the top right).
        let (zx, zy) = chart.backend_coord(&(x1, y0));
        let style = font(11.0).pos(Pos::new(HPos::Right, VPos::Bottom));
        root.draw_text(
            "extrapolation",
            &style,
            (zx - s(6.0) as i32, zy - s(6.0) as i32),
        )?;
    }
    let hits = spec
        .series
        .iter()
        .enumerate()
        .flat_map(|(si, series)| series.points.iter().map(move |p| (si, p)))
        .filter(|(_, p)| p.x > 0.0 && p.y > 0.0)
        .map(|(series, p)| {
            let (px, py) = chart.backend_coord(&(p.x, p.y));
            Hit {
                series,
                index: p.index,
                px,
                py,
            }
        })
        .collect();
    root.present()?;
    Ok(hits)
}

/// The mark before a legend line.
enum Mark {
    /// A 16 px stroke in this style (target, overlay).
    Line(ShapeStyle),
    /// A dot of this style and radius (a group's points).
    Dot(ShapeStyle, u32),
}

/// The legend at the top right of the plotting `area`: what plotters' series labels draw
/// (`configure_series_labels`, 0.3.7: upper right, 30 px mark column, `margin` around),
/// written out here. Plotters' version builds its default font from the name
/// "sans-serif", and that name lookup lowercases with Unicode tables (~5 KB gzip, issue 2).
fn draw_legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    entries: &[(String, Mark)],
    style: &TextStyle<'_>,
    theme: &Theme,
    margin: u32,
) -> DrawResult<DB> {
    const MARK_COLUMN: i32 = 30;
    let font_error =
        |e| DrawingAreaErrorKind::BackendError(DrawingErrorKind::FontError(Box::new(e)));
    let mut text = MultiLineText::<_, &str>::new((0, 0), style);
    for (label, _) in entries {
        text.push_line(label.as_str());
    }
    let (w, h) = text.estimate_dimension().map_err(font_error)?;
    let margin = margin as i32;
    let (w, h) = (w + MARK_COLUMN + margin * 2, h + margin * 2);
    let (x, y) = (area.dim_in_pixel().0 as i32 - w - 5, 5);
    text.relocate((x + MARK_COLUMN + margin, y + margin));
    let corners = [(x, y), (x + w, y + h)];
    let background = ShapeStyle::from(theme.background.mix(0.85)).filled();
    area.draw(&Rectangle::new(corners, background))?;
    area.draw(&Rectangle::new(corners, theme.grid))?;
    area.draw(&text)?;
    let lines = text.compute_line_layout().map_err(font_error)?;
    for (((_, y0), (_, y1)), (_, mark)) in lines.into_iter().zip(entries) {
        let (mx, my) = (x + margin, (y0 + y1) / 2);
        match mark {
            Mark::Line(style) => {
                area.draw(&PathElement::new(vec![(mx, my), (mx + 16, my)], *style))?
            }
            Mark::Dot(style, r) => area.draw(&Circle::new((mx + 8, my), *r, *style))?,
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plot::residuals::draw_residuals;
    use crate::plot::spec::{build, GroupInput, XAxis};
    use scalescope_core::{fit, FitOptions, Form, Points};

    /// The chart of a noisy power law over four decades, with a target, as SVG.
    fn svg(residuals: bool) -> String {
        let x: Vec<f64> = (0..8)
            .map(|i| 1e6 * 10f64.powf(f64::from(i) / 2.0))
            .collect();
        let y = (x.iter().enumerate())
            .map(|(i, n)| (8.8e13 / n).powf(0.076) * (1.0 + 0.01 * ((i * 7 % 5) as f64 - 2.0)))
            .collect();
        let p = Points::new(x, y);
        let f = fit(&p, &FitOptions::new(Form::Power)).ok();
        let lines: Vec<usize> = (2..10).collect();
        let g = [GroupInput {
            name: None,
            points: &p,
            lines: &lines,
            excluded: &[false; 8],
            fit: f.as_ref(),
        }];
        let spec = build(&g, XAxis::N, ("params", "loss"), Some(1e12), Some(2.0));
        let mut out = String::new();
        {
            let root = SVGBackend::with_string(&mut out, (960, 600)).into_drawing_area();
            if residuals {
                draw_residuals(&root, &spec, &LIGHT, 1.0).ok();
            } else {
                draw(&root, &spec, &LIGHT, 1.0).ok();
            }
        }
        out
    }

    #[test]
    fn axes_are_where_plotters_mesh_drew_them() {
        // Positions from plotters 0.3.7's `configure_mesh()` (which `draw_axes` replaces),
        // without the lone tick it drew at the first decade.
        let axis =
            |points: &str| format!("stroke=\"#22262E\" stroke-width=\"1\" points=\"{points} \"/>");
        let chart = svg(false);
        for line in ["69,12 69,543", "70,544 947,544"] {
            assert!(chart.contains(&axis(line)), "{line}");
        }
        assert!(!chart.contains(&axis("110,544 110,549")), "no stray x tick");
        assert!(chart.contains(r#"x="12" y="278" dy="0.76em" text-anchor="middle""#));
        assert!(chart.contains(r#"transform="rotate(270, 12, 278)">"#));
        assert!(chart.contains(r#"x="509" y="588" dy="-0.5ex" text-anchor="middle""#));
        let residuals = svg(true);
        for line in ["69,4 69,567", "70,568 947,568"] {
            assert!(residuals.contains(&axis(line)), "{line}");
        }
        assert!(
            !residuals.contains(&axis("110,568 110,573")),
            "no stray x tick"
        );
    }
}
