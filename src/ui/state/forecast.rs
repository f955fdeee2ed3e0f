//! The Flow tab's forecast panel: which cards it is for (chosen by tag
//! name or column id, so it follows the board as it changes) and what the
//! forecast said.

use crate::domain::forecast::{Forecast, Scope, Stability};

#[derive(Debug, Clone, PartialEq)]
pub struct FlowForecast {
    pub scope: Scope,
    /// The cards, in words: "the cards in Review", "the cards tagged #api".
    pub label: String,
    pub items: u32,
    /// Which of how many choices this is (1-based).
    pub position: (usize, usize),
    /// The forecast, or why the history cannot support one.
    pub result: Result<Forecast, String>,
    /// Little's law's gap over the sample, when the flow was not stable.
    pub unstable: Option<Stability>,
}
