//! The one rule every list follows when it is loaded again: the selection
//! stays on the item it was on, wherever that item is now; if the item left
//! the list, the selection goes to its neighbour (whatever now stands at its
//! row, or the last row) and the caller learns which item left, to say so.

/// Where the selection goes once a list is loaded again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reselected<Id> {
    /// The row to select (0 in an empty list).
    pub row: usize,
    /// The item that was selected and is no longer in the list.
    pub left: Option<Id>,
}

/// The selection of a list of `len` rows loaded anew: `row` was selected and
/// showed `was` (none when nothing was selected); `find` says at which row
/// an item stands now, if it is still in the list.
pub fn reselect<Id>(
    row: usize,
    was: Option<Id>,
    len: usize,
    find: impl FnOnce(&Id) -> Option<usize>,
) -> Reselected<Id> {
    let Some(id) = was else {
        return Reselected {
            row: neighbour(row, len),
            left: None,
        };
    };
    match find(&id) {
        Some(now) if now < len => Reselected {
            row: now,
            left: None,
        },
        _ => Reselected {
            row: neighbour(row, len),
            left: Some(id),
        },
    }
}

/// [`reselect`] over a whole list, its items known by `id_of`.
pub fn reselect_in<T, Id: PartialEq>(
    row: usize,
    was: Option<Id>,
    list: &[T],
    id_of: impl Fn(&T) -> Id,
) -> Reselected<Id> {
    reselect(row, was, list.len(), |id| {
        list.iter().position(|x| id_of(x) == *id)
    })
}

/// What stands at `row` of `len` rows now, or the last row.
pub fn neighbour(row: usize, len: usize) -> usize {
    row.min(len.saturating_sub(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_selection_follows_its_item_wherever_it_moved() {
        let new = [3, 1, 2];
        let r = reselect_in(0, Some(1), &new, |x| *x);
        assert_eq!(r, Reselected { row: 1, left: None });
    }

    #[test]
    fn an_item_that_left_hands_the_selection_to_its_neighbour() {
        // 2 was at row 1: 3 stands there now.
        let r = reselect_in(1, Some(2), &[1, 3], |x| *x);
        assert_eq!(
            r,
            Reselected {
                row: 1,
                left: Some(2)
            }
        );
        // The last item left: the one before it.
        let r = reselect_in(2, Some(3), &[1, 2], |x| *x);
        assert_eq!(
            r,
            Reselected {
                row: 1,
                left: Some(3)
            }
        );
        // The only one left: an empty list selects row 0.
        let r = reselect_in(0, Some(1), &[] as &[i32], |x| *x);
        assert_eq!(
            r,
            Reselected {
                row: 0,
                left: Some(1)
            }
        );
    }

    #[test]
    fn without_a_selected_item_the_row_stays_in_range() {
        let r = reselect_in(5, None::<i32>, &[1, 2], |x| *x);
        assert_eq!(r, Reselected { row: 1, left: None });
    }

    #[test]
    fn a_row_found_beyond_the_list_counts_as_gone() {
        let r = reselect(0, Some(7), 2, |_| Some(4));
        assert_eq!(
            r,
            Reselected {
                row: 0,
                left: Some(7)
            }
        );
    }
}
