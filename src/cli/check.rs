//! `teamloop check`: what follows the engine's own checks, on either engine.

use super::{CheckArgs, Outcome, fail};
use crate::store::Store;

/// After a check found the pages and references sound: the figures kept
/// from the history, built again with `--repair` where they differ.
pub(super) fn kept(store: &mut dyn Store, args: &CheckArgs, shown: &str, ok: &str) -> Outcome {
    let kept = store.check_kept()?;
    if kept.is_empty() {
        say!("{shown}: {ok}");
        return Ok(());
    }
    for p in &kept {
        say!("{p}");
    }
    if !args.repair {
        let (verb, them) = if kept.len() == 1 {
            ("differs", "it")
        } else {
            ("differ", "them")
        };
        return Err(fail(format!(
            "{shown}: {} kept from the history {verb} from it; teamloop check --repair builds {them} again (nothing else is changed)",
            crate::domain::text::count(kept.len() as u64, "figure")
        )));
    }
    store.rebuild_kept()?;
    let left = store.check_kept()?;
    if left.is_empty() {
        say!("{shown}: kept figures built again from the history; {ok}");
        Ok(())
    } else {
        Err(fail(format!(
            "{shown}: the kept figures still differ after building them again"
        )))
    }
}
