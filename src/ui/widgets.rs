//! Reusable drawing pieces.

pub mod bars;
pub mod popup;
