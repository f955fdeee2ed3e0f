//! Reusable drawing pieces.

pub mod bars;
pub mod popup;
pub mod summary;
