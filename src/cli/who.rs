//! `teamloop who`: who has the board open now, and on which tab.

use clap::Args;

use super::{Outcome, to_json};
use crate::store::Store;

#[derive(Debug, Args)]
pub struct WhoArgs {
    /// As JSON: each person with their tabs, terminals and when last seen
    #[arg(long)]
    pub json: bool,
}

pub fn run(store: &dyn Store, args: &WhoArgs) -> Outcome {
    let people = store.present()?;
    if args.json {
        say!("{}", to_json(&people)?);
        return Ok(());
    }
    if people.is_empty() {
        say!("Nobody has the board open");
        return Ok(());
    }
    let now = store.clock().now();
    let name_w = people
        .iter()
        .map(|p| crate::ui::text::width(&p.person))
        .max()
        .unwrap_or(0);
    for p in &people {
        let terminals = if p.terminals > 1 {
            format!(" ({} terminals)", p.terminals)
        } else {
            String::new()
        };
        let ago = (now - p.seen_at).num_seconds().max(0);
        say!(
            "{}  {}{terminals} · seen {ago} s ago",
            crate::ui::text::pad(&p.person, name_w),
            p.tabs.join(", ")
        );
    }
    Ok(())
}
