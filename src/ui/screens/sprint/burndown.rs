//! The burndown: a bar per day for the points remaining, the ideal line as a
//! marker on each day, weekends shaded. Every bar has its number, so the
//! chart reads without colour.

use chrono::{Datelike, NaiveDate};
use ratatui::Frame;
use ratatui::layout::Rect;

use crate::store::SprintReport;
use crate::ui::screens::flow::{panel, put};
use crate::ui::theme::Theme;

pub fn render(frame: &mut Frame, area: Rect, r: &SprintReport, today: NaiveDate, theme: &Theme) {
    let b = &r.burndown;
    let block = panel(
        "Burndown · █ points remaining  ╌ ideal  ░ weekend".to_string(),
        theme,
    );
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let n = b.days.len() as u16;
    let axis = 4u16;
    if inner.height < 5 || inner.width < axis + n.max(1) || n == 0 {
        return;
    }
    let cw = ((inner.width - axis) / n).max(1);
    let bw = if cw > 2 { cw - 1 } else { cw };
    let rows = inner.height - 2;
    let max = b
        .days
        .iter()
        .flat_map(|d| [d.remaining.unwrap_or(0), d.scope.unwrap_or(0)])
        .chain([b.committed])
        .max()
        .unwrap_or(0)
        .max(1);
    let height = |v: f64| ((v / f64::from(max)) * f64::from(rows - 1)).round() as u16;
    let buf = frame.buffer_mut();
    // The y axis: the top value and zero.
    put(buf, inner.x, inner.y, &max.to_string(), axis - 1, theme.dim);
    put(buf, inner.x, inner.y + rows - 1, "0", axis - 1, theme.dim);
    for (i, d) in b.days.iter().enumerate() {
        let x = inner.x + axis + i as u16 * cw;
        let bottom = inner.y + rows - 1;
        if d.weekend {
            for dy in 0..rows {
                put(buf, x, bottom - dy, &"░".repeat(bw as usize), bw, theme.dim);
            }
        }
        let mut label = None;
        if let Some(v) = d.remaining {
            let h = if v > 0 {
                height(f64::from(v)).max(1)
            } else {
                0
            };
            for dy in 0..h {
                put(buf, x, bottom - dy, &"█".repeat(bw as usize), bw, theme.bar);
            }
            if cw >= 2 && h < rows {
                label = Some((v.to_string(), bottom - h));
            }
        }
        let iy = height(d.ideal);
        if d.remaining.is_none() || iy >= 1 {
            put(
                buf,
                x,
                bottom - iy,
                &"╌".repeat(bw as usize),
                bw,
                theme.ideal,
            );
        }
        // The number is the fact: it wins over the ideal marker.
        if let Some((text, y)) = label {
            put(buf, x, y, &text, cw, theme.base);
        }
        let style = if d.date == today {
            theme.tab_active
        } else if d.weekend {
            theme.dim
        } else {
            theme.base
        };
        let weekday =
            ["M", "T", "W", "T", "F", "S", "S"][d.date.weekday().num_days_from_monday() as usize];
        put(buf, x, inner.y + rows, weekday, bw, style);
        put(
            buf,
            x,
            inner.y + rows + 1,
            &format!("{:02}", d.date.day()),
            cw,
            style,
        );
    }
}
