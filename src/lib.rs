//! teamloop: the rituals of an agile team in one terminal app.
//!
//! Layers (see `README.md`):
//! - [`domain`]: pure rules (boards, WIP limits, events). No IO, no clock reads.
//! - [`store`]: SQLite persistence behind domain-level operations.
//! - [`ui`]: the ratatui application (keymap → action → update → effects → draw).
//! - [`cli`]: non-interactive subcommands over the same domain and store calls.

pub mod cli;
pub mod config;
pub mod domain;
pub mod files;
pub mod state;
pub mod store;
pub mod ui;
