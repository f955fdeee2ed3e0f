//! Reusable drawing pieces.

pub mod bars;
pub mod header;
pub mod popup;
pub mod summary;
