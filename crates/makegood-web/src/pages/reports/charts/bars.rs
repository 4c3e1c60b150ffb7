//! The one bar chart every report chart is: stacked or side by side, vertical or
//! horizontal, drawn by plotters into an SVG string and marked up as an accessible image.

use plotters::prelude::*;

use super::{Chart, FONT, GRID, HEIGHT, INK, WIDTH, hex};

/// One bar series: a name, a colour and a value per category.
pub(super) struct Series {
    pub name: String,
    pub color: RGBColor,
    pub values: Vec<f64>,
}

/// What a bar chart shows.
pub(super) struct Bars<'a> {
    pub id: &'a str,
    pub title: String,
    pub desc: String,
    pub categories: Vec<String>,
    pub x_desc: &'a str,
    pub y_desc: &'a str,
    pub series: Vec<Series>,
    /// Stacked (one bar per category) or side by side.
    pub stacked: bool,
    /// The value axis; `None`: zero to a little above the largest bar.
    pub range: Option<(f64, f64)>,
    /// Horizontal bars, categories top to bottom.
    pub horizontal: bool,
    /// A colour per category, overriding the series colour (single-series charts).
    pub category_colors: Option<Vec<RGBColor>>,
    /// Every how many categories to label (1: all).
    pub label_every: usize,
    pub percent_axis: bool,
}

impl Bars<'_> {
    pub fn draw(self) -> Chart {
        let legend = if self.series.len() > 1 {
            self.series
                .iter()
                .map(|s| (s.name.clone(), hex(s.color)))
                .collect()
        } else {
            Vec::new()
        };
        let svg = match self.svg() {
            Ok(svg) => Some(accessible(&svg, self.id, &self.title, &self.desc)),
            Err(e) => {
                tracing::error!(error = %e, chart = self.id, "drawing a report chart");
                None
            }
        };
        Chart {
            title: self.title,
            svg,
            legend,
        }
    }

    /// The bars' value ranges per category: (from, to, colour).
    fn rects(&self) -> Vec<(usize, f64, f64, f64, f64, RGBColor)> {
        let n = self.series.len().max(1) as f64;
        let mut out = Vec::new();
        for i in 0..self.categories.len() {
            let mut base = 0.0;
            for (k, s) in self.series.iter().enumerate() {
                let v = s.values.get(i).copied().unwrap_or(0.0);
                let color = self
                    .category_colors
                    .as_ref()
                    .and_then(|c| c.get(i).copied())
                    .unwrap_or(s.color);
                let (lo, hi) = if self.stacked {
                    (base, base + v)
                } else {
                    (0.0f64.min(v), 0.0f64.max(v))
                };
                let (c0, c1) = if self.stacked {
                    (-0.35, 0.35)
                } else {
                    let w = 0.8 / n;
                    (-0.4 + w * k as f64, -0.4 + w * (k as f64 + 1.0) - 0.02)
                };
                if hi > lo {
                    out.push((i, c0, c1, lo, hi, color));
                }
                base += v;
            }
        }
        out
    }

    fn svg(&self) -> anyhow::Result<String> {
        let rects = self.rects();
        let (lo, hi) = self.range.unwrap_or_else(|| {
            let top = rects.iter().map(|r| r.4).fold(0.0, f64::max);
            (0.0, if top <= 0.0 { 1.0 } else { nice_top(top) })
        });
        let n = self.categories.len();
        let last = n as f64 - 0.5;
        let label = |v: &f64| -> String {
            let i = v.round();
            if (v - i).abs() > 0.01 || i < 0.0 {
                return String::new();
            }
            let i = i as usize;
            if self.horizontal {
                let i = n.saturating_sub(1).saturating_sub(i);
                self.categories.get(i).cloned().unwrap_or_default()
            } else if i.is_multiple_of(self.label_every.max(1)) {
                self.categories.get(i).cloned().unwrap_or_default()
            } else {
                String::new()
            }
        };
        let value = |v: &f64| -> String {
            if self.percent_axis {
                format!("{v:.0}%")
            } else if v.fract().abs() < 1e-9 {
                format!("{v:.0}")
            } else {
                format!("{v:.1}")
            }
        };
        let mut out = String::new();
        {
            let root = SVGBackend::with_string(&mut out, (WIDTH, HEIGHT)).into_drawing_area();
            root.fill(&WHITE)?;
            let labels = (FONT, 17).into_font().color(&INK);
            let descs = (FONT, 18).into_font().color(&INK);
            let mut builder = ChartBuilder::on(&root);
            builder.margin(14).margin_right(24);
            if self.horizontal {
                builder.x_label_area_size(50).y_label_area_size(200);
                let mut chart = builder.build_cartesian_2d(lo..hi, -0.5..last)?;
                chart
                    .configure_mesh()
                    .disable_y_mesh()
                    .light_line_style(WHITE)
                    .bold_line_style(GRID)
                    .y_labels(n.max(1))
                    .y_label_formatter(&label)
                    .x_label_formatter(&value)
                    .x_labels(6)
                    .x_desc(self.x_desc)
                    .label_style(labels)
                    .axis_desc_style(descs)
                    .axis_style(INK)
                    .draw()?;
                chart.draw_series(rects.iter().map(|&(i, c0, c1, lo, hi, color)| {
                    let y = (n - 1 - i) as f64;
                    Rectangle::new([(lo, y + c0), (hi, y + c1)], color.filled())
                }))?;
            } else {
                builder.x_label_area_size(56).y_label_area_size(64);
                let mut chart = builder.build_cartesian_2d(-0.5..last, lo..hi)?;
                chart
                    .configure_mesh()
                    .disable_x_mesh()
                    .light_line_style(WHITE)
                    .bold_line_style(GRID)
                    .x_labels(n.max(1))
                    .x_label_formatter(&label)
                    .y_label_formatter(&value)
                    .y_labels(6)
                    .x_desc(self.x_desc)
                    .y_desc(self.y_desc)
                    .label_style(labels)
                    .axis_desc_style(descs)
                    .axis_style(INK)
                    .draw()?;
                chart.draw_series(rects.iter().map(|&(i, c0, c1, lo, hi, color)| {
                    let x = i as f64;
                    Rectangle::new([(x + c0, lo), (x + c1, hi)], color.filled())
                }))?;
                if lo < 0.0 {
                    chart.draw_series(std::iter::once(PathElement::new(
                        vec![(-0.5, 0.0), (last, 0.0)],
                        INK.stroke_width(1),
                    )))?;
                }
            }
            root.present()?;
        }
        Ok(out)
    }
}

/// The smallest of 1, 2, 2.5, 5 × 10ⁿ at least 10% above `top`.
fn nice_top(top: f64) -> f64 {
    let target = top * 1.1;
    let magnitude = 10f64.powf(target.log10().floor());
    [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|v| *v >= target)
        .unwrap_or(target)
        .max(1.0)
}

/// Marks `svg` as one image named by `title` and described by `desc` (both escaped).
fn accessible(svg: &str, id: &str, title: &str, desc: &str) -> String {
    let escape = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;")
    };
    let Some(open_end) = svg.find('>') else {
        return String::new();
    };
    let (open, rest) = svg.split_at(open_end);
    let open = open.replacen(
        "<svg ",
        &format!(
            "<svg class=\"chart\" role=\"img\" aria-labelledby=\"{id}-title\" aria-describedby=\"{id}-desc\" "
        ),
        1,
    );
    let rest = rest.strip_prefix('>').unwrap_or(rest);
    format!(
        "{open}><title id=\"{id}-title\">{}</title><desc id=\"{id}-desc\">{}</desc>{rest}",
        escape(title),
        escape(desc)
    )
}

/// "Jan 2026: 3 kept, 1 broken; Feb 2026: …" — a chart's figures for screen readers.
pub(super) fn describe(categories: &[String], series: &[Series]) -> String {
    categories
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let parts: Vec<String> = series
                .iter()
                .map(|s| {
                    let v = s.values.get(i).copied().unwrap_or(0.0);
                    format!("{} {}", trim(v), s.name.to_lowercase())
                })
                .collect();
            format!("{c}: {}", parts.join(", "))
        })
        .collect::<Vec<_>>()
        .join("; ")
}

fn trim(v: f64) -> String {
    if v.fract().abs() < 1e-9 {
        format!("{v:.0}")
    } else {
        format!("{v:.1}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bar_tops_are_round_and_above_the_data() {
        assert_eq!(nice_top(9.0), 10.0);
        assert_eq!(nice_top(10.0), 20.0);
        assert_eq!(nice_top(0.3), 1.0);
        assert_eq!(nice_top(220.0), 250.0);
    }

    #[test]
    fn charts_are_images_with_a_title() {
        let svg = accessible(
            "<svg width=\"1\" height=\"1\">\n<rect/></svg>",
            "c",
            "A & B",
            "d",
        );
        assert!(svg.starts_with("<svg class=\"chart\" role=\"img\" aria-labelledby=\"c-title\""));
        assert!(
            svg.contains("<title id=\"c-title\">A &amp; B</title><desc id=\"c-desc\">d</desc>")
        );
    }
}
