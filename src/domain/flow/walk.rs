//! One card's walk through the columns, event by event: where it is
//! counted and since when, when it started and finished, whether it is
//! archived or blocked, and what each event closes (a stay in a column, a
//! blocked spell). The flow report replays every card's walk; the same
//! steps, taken as each event is written, keep a card's place without
//! reading its history again.

use chrono::{DateTime, Utc};

use crate::domain::ColumnKind;

/// An event as a walk reads it, its column known by a handle of the
/// caller's (an index into the report's columns, or a column id).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WalkEvent<C> {
    /// Created in, moved into or restored into a column, of this kind
    /// (`None`: one the board does not know, which counts as leaving it).
    Enter(Option<(C, ColumnKind)>),
    Block,
    Unblock,
    Archive,
}

/// What a step closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Closed<C> {
    /// The card was counted in `column` from `from` until `until`.
    Stay {
        column: C,
        kind: ColumnKind,
        from: DateTime<Utc>,
        until: DateTime<Utc>,
    },
    /// The card was blocked from `from` until `until`.
    Blocked {
        from: DateTime<Utc>,
        until: DateTime<Utc>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CardWalk<C> {
    pub created: DateTime<Utc>,
    /// The column the card is counted in, its kind, and since when.
    pub column: Option<(C, ColumnKind, DateTime<Utc>)>,
    /// Its first entry into an active column.
    pub started: Option<DateTime<Utc>>,
    /// Its entry into done from a column that is not (Done → Released is
    /// the same finish).
    pub done_entry: Option<DateTime<Utc>>,
    pub archived: bool,
    pub blocked_since: Option<DateTime<Utc>>,
}

impl<C: Copy> CardWalk<C> {
    /// A card created at `created`, before its first event is read.
    pub fn new(created: DateTime<Utc>) -> Self {
        Self {
            created,
            column: None,
            started: None,
            done_entry: None,
            archived: false,
            blocked_since: None,
        }
    }

    /// Takes one event, at `at`, the card's events coming in time order.
    /// Whatever the event closes goes to `closed`.
    pub fn step(
        &mut self,
        event: WalkEvent<C>,
        at: DateTime<Utc>,
        closed: &mut impl FnMut(Closed<C>),
    ) {
        match event {
            WalkEvent::Enter(to) => {
                // Entering a column is being on the board (again, after an
                // archive was undone).
                self.archived = false;
                let was_done = self.column.is_some_and(|(_, k, _)| k == ColumnKind::Done);
                self.leave(at, closed);
                let Some((to, kind)) = to else {
                    return;
                };
                self.column = Some((to, kind, at));
                match kind {
                    ColumnKind::Active => {
                        self.started.get_or_insert(at);
                    }
                    ColumnKind::Done if !was_done => self.done_entry = Some(at),
                    ColumnKind::Done | ColumnKind::Backlog => {}
                }
            }
            WalkEvent::Block => {
                self.blocked_since.get_or_insert(at);
            }
            WalkEvent::Unblock => self.unblock(at, closed),
            WalkEvent::Archive => {
                self.archived = true;
                self.unblock(at, closed);
                // Archived from done, a card stays finished, in Done.
                if self.column.is_some_and(|(_, k, _)| k != ColumnKind::Done) {
                    self.leave(at, closed);
                }
            }
        }
    }

    /// Blocked now: a spell not ended, on a card on the board.
    pub fn blocked_now(&self) -> bool {
        self.blocked_since.is_some() && !self.archived
    }

    fn leave(&mut self, at: DateTime<Utc>, closed: &mut impl FnMut(Closed<C>)) {
        if let Some((column, kind, from)) = self.column.take() {
            closed(Closed::Stay {
                column,
                kind,
                from,
                until: at,
            });
        }
    }

    fn unblock(&mut self, at: DateTime<Utc>, closed: &mut impl FnMut(Closed<C>)) {
        if let Some(from) = self.blocked_since.take() {
            closed(Closed::Blocked { from, until: at });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone};

    fn at(h: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 2, 0, 0, 0).unwrap() + Duration::hours(h)
    }

    /// Walks the events, hour by hour, and returns the walk and what it closed.
    fn walk(events: &[WalkEvent<u8>]) -> (CardWalk<u8>, Vec<Closed<u8>>) {
        let mut w = CardWalk::new(at(0));
        let mut closed = Vec::new();
        for (h, e) in events.iter().enumerate() {
            w.step(*e, at(h as i64), &mut |c| closed.push(c));
        }
        (w, closed)
    }

    use ColumnKind::{Active, Backlog, Done};
    use WalkEvent::{Archive, Block, Enter, Unblock};

    #[test]
    fn a_card_is_started_at_its_first_active_column_and_finished_at_its_entry_into_done() {
        let (w, closed) = walk(&[
            Enter(Some((0, Backlog))),
            Enter(Some((1, Active))),
            Enter(Some((2, Active))),
            Enter(Some((3, Done))),
            Enter(Some((4, Done))),
        ]);
        assert_eq!(w.started, Some(at(1)));
        assert_eq!(
            w.done_entry,
            Some(at(3)),
            "Done → Released is the same finish"
        );
        assert_eq!(w.column, Some((4, Done, at(4))));
        assert_eq!(closed.len(), 4);
        assert_eq!(
            closed[1],
            Closed::Stay {
                column: 1,
                kind: Active,
                from: at(1),
                until: at(2)
            }
        );
    }

    #[test]
    fn archived_from_done_a_card_stays_there_and_from_elsewhere_it_leaves() {
        let (w, closed) = walk(&[Enter(Some((3, Done))), Archive]);
        assert!(w.archived && w.column.is_some() && closed.is_empty());
        let (w, closed) = walk(&[Enter(Some((1, Active))), Block, Archive]);
        assert!(w.column.is_none() && !w.blocked_now());
        assert_eq!(
            closed,
            vec![
                Closed::Blocked {
                    from: at(1),
                    until: at(2)
                },
                Closed::Stay {
                    column: 1,
                    kind: Active,
                    from: at(0),
                    until: at(2)
                }
            ]
        );
    }

    #[test]
    fn a_card_moved_back_out_of_done_finishes_again_later_and_a_spell_ends_at_its_unblock() {
        let (w, closed) = walk(&[
            Enter(Some((1, Active))),
            Enter(Some((3, Done))),
            Enter(Some((1, Active))),
            Block,
            Block,
            Unblock,
            Enter(Some((3, Done))),
            Enter(None),
        ]);
        assert_eq!(w.done_entry, Some(at(6)));
        assert_eq!(w.column, None, "a column the board does not know");
        assert!(closed.contains(&Closed::Blocked {
            from: at(3),
            until: at(5)
        }));
    }
}
