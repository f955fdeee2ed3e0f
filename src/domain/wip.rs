//! WIP limits as team policy.
//!
//! A card entering a column (by a move or by being created there) is checked
//! against the column's limit. Under a hard limit a full column refuses the
//! card unless the user forces it with a reason; under a soft limit the card
//! goes in with a warning. Either way a breach is returned so the store can
//! record it on the event, and the team can talk about it in its retro.

use super::{Breach, Column, DomainError, WipPolicy};

/// The outcome of a card entering a column that allowed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryDecision {
    /// Set when the entry took the column past its limit.
    pub breach: Option<Breach>,
    /// Cards in the column after the entry.
    pub count_after: u32,
}

impl EntryDecision {
    /// A one-line warning for the user, when the entry broke a limit.
    pub fn warning(&self, column: &Column) -> Option<String> {
        let limit = column.wip?.limit;
        self.breach.as_ref().map(|b| match b {
            Breach::Forced { .. } => format!(
                "{} is over its WIP limit ({}/{}): forced, reason recorded",
                column.name, self.count_after, limit
            ),
            Breach::Soft { .. } => format!(
                "{} is over its soft WIP limit ({}/{})",
                column.name, self.count_after, limit
            ),
        })
    }
}

/// Decides whether a card may enter `column`, which holds `count_before` cards
/// that count against its limit (the card itself not among them).
///
/// `force` is the user's reason for forcing a move past a hard limit; it is
/// required (non-blank) only when the limit would actually refuse the card.
pub fn decide_entry(
    column: &Column,
    count_before: u32,
    force: Option<&str>,
) -> Result<EntryDecision, DomainError> {
    let count_after = count_before.saturating_add(1);
    let Some(wip) = column.wip else {
        return Ok(EntryDecision {
            breach: None,
            count_after,
        });
    };
    if count_after <= wip.limit {
        return Ok(EntryDecision {
            breach: None,
            count_after,
        });
    }
    let reason = force
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .map(str::to_string);
    match wip.policy {
        WipPolicy::Soft => Ok(EntryDecision {
            breach: Some(Breach::Soft { reason }),
            count_after,
        }),
        WipPolicy::Hard => match (force, reason) {
            (None, _) => Err(DomainError::WipLimitReached {
                column: column.name.clone(),
                count: count_before,
                limit: wip.limit,
            }),
            (Some(_), None) => Err(DomainError::ReasonRequired),
            (Some(_), Some(reason)) => Ok(EntryDecision {
                breach: Some(Breach::Forced { reason }),
                count_after,
            }),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{ColumnId, ColumnKind, WipLimit};

    fn col(wip: Option<WipLimit>) -> Column {
        Column {
            id: ColumnId(3),
            name: "In Progress".into(),
            kind: ColumnKind::Active,
            wip,
        }
    }

    #[test]
    fn no_limit_always_admits() {
        let d = decide_entry(&col(None), 500, None).unwrap();
        assert_eq!(d.breach, None);
        assert_eq!(d.count_after, 501);
    }

    #[test]
    fn under_the_limit_admits_without_breach() {
        let d = decide_entry(&col(Some(WipLimit::hard(3))), 2, None).unwrap();
        assert_eq!(d.breach, None);
        assert_eq!(d.count_after, 3);
    }

    #[test]
    fn hard_limit_refuses_with_the_column_and_counts() {
        let err = decide_entry(&col(Some(WipLimit::hard(3))), 3, None).unwrap_err();
        assert_eq!(err.to_string(), "In Progress is at its WIP limit (3/3)");
    }

    #[test]
    fn hard_limit_refusal_reports_an_over_full_column_truthfully() {
        let err = decide_entry(&col(Some(WipLimit::hard(3))), 5, None).unwrap_err();
        assert_eq!(err.to_string(), "In Progress is over its WIP limit (5/3)");
    }

    #[test]
    fn forcing_needs_a_real_reason() {
        let c = col(Some(WipLimit::hard(3)));
        assert_eq!(
            decide_entry(&c, 3, Some("   ")).unwrap_err(),
            DomainError::ReasonRequired
        );
        let d = decide_entry(&c, 3, Some(" prod is down ")).unwrap();
        assert_eq!(
            d.breach,
            Some(Breach::Forced {
                reason: "prod is down".into()
            })
        );
        assert_eq!(
            d.warning(&c).unwrap(),
            "In Progress is over its WIP limit (4/3): forced, reason recorded"
        );
    }

    #[test]
    fn forcing_where_nothing_is_full_records_no_breach() {
        let d = decide_entry(&col(Some(WipLimit::hard(3))), 1, Some("")).unwrap();
        assert_eq!(d.breach, None);
    }

    #[test]
    fn soft_limit_admits_and_records_the_breach() {
        let c = col(Some(WipLimit::soft(2)));
        let d = decide_entry(&c, 2, None).unwrap();
        assert_eq!(d.breach, Some(Breach::Soft { reason: None }));
        assert_eq!(
            d.warning(&c).unwrap(),
            "In Progress is over its soft WIP limit (3/2)"
        );
        let d = decide_entry(&c, 2, Some("pairing")).unwrap();
        assert_eq!(
            d.breach,
            Some(Breach::Soft {
                reason: Some("pairing".into())
            })
        );
    }
}
