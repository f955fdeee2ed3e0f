//! `teamloop metrics`: the Flow tab's figures as text or JSON.

use std::fmt::Write;

use chrono::NaiveDate;
use serde::Serialize;

use super::{Failure, fail};
use crate::domain::flow::{FlowRange, FlowReport, Stats};
use crate::ui::strings::cards;
use crate::ui::text::{days, pad, safe_fit};

/// The range asked for on the command line: `--since DATE`, `--weeks N`, or all history.
pub fn range(
    since: Option<&str>,
    weeks: Option<u32>,
    today: NaiveDate,
) -> Result<FlowRange, Failure> {
    if let Some(text) = since {
        let date = crate::domain::parse_date(text)?;
        if date > today {
            return Err(fail(format!("--since {date} is after today ({today})")));
        }
        return Ok(FlowRange::Since(date));
    }
    match weeks {
        Some(0) => Err(fail("--weeks takes a number of weeks from 1")),
        Some(n) if n > 520 => Err(fail("--weeks takes at most 520 (ten years)")),
        Some(n) => Ok(FlowRange::Weeks(n)),
        None => Ok(FlowRange::All),
    }
}

/// The JSON document: the report with the board's name.
#[derive(Serialize)]
pub struct MetricsJson<'a> {
    pub board: &'a str,
    #[serde(flatten)]
    pub report: &'a FlowReport,
}

fn stats_line(out: &mut String, label: &str, s: Option<&Stats>) {
    match s {
        Some(s) => {
            let _ = writeln!(
                out,
                "{label:<34} n={}  mean {}  p50 {}  p70 {}  p85 {}  p95 {}",
                s.count,
                days(s.mean),
                days(s.p50),
                days(s.p70),
                days(s.p85),
                days(s.p95)
            );
        }
        None => {
            let _ = writeln!(out, "{label:<34} no finished cards in this range");
        }
    }
}

/// The report as plain text, readable without colour.
pub fn text(board: &str, r: &FlowReport) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Flow of {} from {} to {} ({} days)\n",
        safe_fit(board, 60),
        r.from,
        r.to,
        r.days
    );
    stats_line(
        &mut out,
        "Cycle time (first active → done)",
        r.cycle_time.as_ref(),
    );
    stats_line(&mut out, "Lead time (created → done)", r.lead_time.as_ref());
    let tp = &r.throughput;
    let _ = writeln!(
        out,
        "{:<34} {}: {:.2}/day, {:.1}/week",
        "Throughput",
        cards(tp.total),
        tp.per_day,
        tp.per_week
    );
    for w in &tp.weekly {
        let _ = writeln!(
            out,
            "  {} – {}  {:>3}  {}",
            w.from.format("%m-%d"),
            w.to.format("%m-%d"),
            w.count,
            "█".repeat(w.count.min(60) as usize)
        );
    }
    let _ = writeln!(
        out,
        "{:<34} {} now, {:.2} on average",
        "WIP (cards in active columns)", r.wip.now, r.wip.average
    );
    if let Some(l) = &r.little {
        let _ = writeln!(
            out,
            "{:<34} average WIP {:.2} ≈ throughput {:.2}/day × cycle time {} = {:.2}",
            "Little's law check",
            l.average_wip,
            l.throughput_per_day,
            days(l.average_cycle_days),
            l.expected_wip
        );
    }
    let _ = writeln!(
        out,
        "\n{:<20} {:>5} {:>6} {:>9} {:>14}",
        "Column", "now", "limit", "avg stay", "days at limit"
    );
    for c in &r.columns {
        let _ = writeln!(
            out,
            "{} {:>5} {:>6} {:>9} {:>14}",
            pad(&safe_fit(&c.name, 20), 20),
            c.cards_now,
            c.wip_limit.map_or("–".into(), |l| l.to_string()),
            c.average_days.map_or("–".into(), days),
            c.wip_limit.map_or("–".into(), |_| format!(
                "{} ({} over)",
                c.days_at_limit, c.days_over_limit
            ))
        );
    }
    if let Some(b) = &r.bottleneck {
        let _ = writeln!(
            out,
            "\nBottleneck: {} (cards stay {} on average, the longest of the active columns)",
            safe_fit(&b.column, 30),
            days(b.average_days)
        );
    }
    let p85 = r.cycle_time.map(|s| s.p85);
    let _ = writeln!(
        out,
        "\nAging work in progress ({}{}):",
        cards(r.aging.len() as u64),
        p85.map_or(String::new(), |p| format!(
            ", 85th percentile cycle time {}",
            days(p)
        ))
    );
    for a in &r.aging {
        let flag = match p85 {
            Some(p) if a.age_days > p => "  past p85",
            _ => "",
        };
        let _ = writeln!(
            out,
            "  #{:<6} {} {} {:>7}{}{}",
            a.card.0,
            pad(&safe_fit(a.title.as_deref().unwrap_or(""), 40), 40),
            pad(&safe_fit(&a.column, 14), 14),
            days(a.age_days),
            flag,
            if a.blocked { "  blocked" } else { "" }
        );
    }
    let _ = writeln!(
        out,
        "\nBlocked time: {} over {}",
        days(r.blocked.total_days),
        cards(r.blocked.cards.len() as u64)
    );
    for b in r.blocked.cards.iter().take(10) {
        let _ = writeln!(
            out,
            "  #{:<6} {} {:>7}  {} spell{}{}",
            b.card.0,
            pad(&safe_fit(b.title.as_deref().unwrap_or(""), 40), 40),
            days(b.days),
            b.episodes,
            if b.episodes == 1 { "" } else { "s" },
            if b.blocked_now { ", blocked now" } else { "" }
        );
    }
    out
}
