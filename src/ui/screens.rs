//! One module per tab, plus the overlays drawn above them.

pub mod board;
pub mod flow;
pub mod mortem;
pub mod overlays;
pub mod poker;
pub mod pulse;
pub mod retro;
pub mod sprint;
pub mod standup;
