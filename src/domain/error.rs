use thiserror::Error;

/// A rule of the board said no. The message is what the user reads.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DomainError {
    /// A hard WIP limit refused a card.
    #[error(
        "{column} is {} its WIP limit ({count}/{limit})",
        if count > limit { "over" } else { "at" }
    )]
    WipLimitReached {
        column: String,
        count: u32,
        limit: u32,
    },
    #[error("a forced move needs a reason")]
    ReasonRequired,
    #[error("{0}")]
    Invalid(String),
}
