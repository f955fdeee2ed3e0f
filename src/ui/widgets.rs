//! Reusable drawing pieces.

pub mod popup;
