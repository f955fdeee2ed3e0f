//! The terminal UI: keys become commands through the keymap, `update` turns
//! commands into state changes and effects, effects run against the store and
//! come back as actions, and `draw` renders a snapshot of the state. What
//! each tab adds to all of these is its entry in [`tabs::TABS`].

pub mod action;
pub mod app;
pub mod effects;
pub mod history;
pub mod keymap;
pub mod linear;
pub mod overlay;
pub mod palette;
pub mod screens;
pub mod state;
pub mod strings;
pub mod tabs;
pub mod text;
pub mod theme;
pub mod tty;
pub mod update;
pub mod widgets;

pub use app::{App, run};
