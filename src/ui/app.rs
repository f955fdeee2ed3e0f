//! The app: state, store and the loop that connects them to a terminal.

use std::io::{self, Write};
use std::time::{Duration, Instant};

use ratatui::Frame;
use ratatui::crossterm::event::{
    self, DisableMouseCapture, EnableMouseCapture, Event, KeyEvent, KeyEventKind, MouseButton,
    MouseEventKind,
};
use ratatui::crossterm::execute;
use ratatui::crossterm::terminal::{BeginSynchronizedUpdate, EndSynchronizedUpdate};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::action::{Action, Command};
use super::effects;
use super::keymap;
use super::overlay::Overlay;
use super::screens::{board, overlays};
use super::state::{AppState, StatusKind, Tab};
use super::strings;
use super::text::safe_fit;
use super::theme::Theme;
use super::update::update;
use super::widgets::header;
use crate::store::Store;

/// How often timers run.
pub const TICK: Duration = Duration::from_millis(250);

/// How often other people's changes are looked for: on a file, one read of
/// a counter; on the server, one look at what the listening connection
/// heard (no query).
pub const CHECK: Duration = Duration::from_millis(40);

pub struct App {
    pub state: AppState,
    store: Box<dyn Store>,
    theme: Theme,
    /// This terminal's presence: its id, and when it next says it has the
    /// board open (see [`App::beat`]).
    session: String,
    next_beat: Option<chrono::DateTime<chrono::Utc>>,
}

impl App {
    /// A new app over `store`, for a terminal of `width`×`height`; loads the board.
    pub fn new(store: Box<dyn Store>, width: u16, height: u16) -> Self {
        let state = AppState::new(
            width,
            height,
            store.is_read_only(),
            store.location(),
            store.actor().to_string(),
        );
        let mut app = Self {
            state,
            store,
            theme: Theme::default(),
            session: format!("{:x}", crate::store::random_id()),
            next_beat: None,
        };
        if let Ok(here) = std::env::current_dir() {
            app.state.export_dir = here;
        }
        if app.state.read_only {
            app.state
                .warn("Opened read-only: you can look, but not change anything");
        } else {
            let location = app.state.location.clone();
            app.state
                .info(format!("Board at {location} · ? shows every key"));
        }
        // Remember the data version now, so the first tick compares against it.
        let _ = app.store.poll_changed();
        app.beat();
        app.dispatch(Action::Command(Command::Refresh));
        app
    }

    /// Says, on its period, that this terminal has the board open and on
    /// which tab. The period alone decides when: never a key, a tab shown
    /// or a card written, so no heartbeat's time or tab can be matched
    /// with an anonymous answer. A read-only terminal writes nothing, so
    /// it is not shown; a heartbeat that fails is tried at the next period.
    fn beat(&mut self) {
        let now = self.store.clock().now();
        if self.state.read_only || self.state.quit || self.next_beat.is_some_and(|at| now < at) {
            return;
        }
        let period = chrono::Duration::from_std(crate::domain::presence::PERIOD)
            .unwrap_or_else(|_| chrono::Duration::seconds(10));
        // The next one a whole period on from when this one was due.
        self.next_beat = Some(match self.next_beat {
            Some(at) if now - at < period => at + period,
            _ => now + period,
        });
        let _ = self.store.beat(&self.session, self.state.tab.title());
    }

    /// This terminal's presence goes (a clean quit, or the app closed).
    fn leave(&mut self) {
        if self.next_beat.take().is_some() {
            let _ = self.store.leave(&self.session);
        }
    }

    pub fn store(&self) -> &dyn Store {
        self.store.as_ref()
    }

    /// Feeds an action through update, and the effects it asks for through the store.
    pub fn dispatch(&mut self, action: Action) {
        // The one place the time is read: update itself is pure.
        self.state.now = self.store.clock().now();
        let mut queue = std::collections::VecDeque::from([action]);
        // Effects report back as actions; a bound stops any accidental loop.
        let mut budget = 32;
        while let Some(action) = queue.pop_front() {
            budget -= 1;
            if budget == 0 {
                break;
            }
            for effect in update(&mut self.state, action) {
                queue.push_back(effects::run(self.store.as_mut(), &self.state, effect));
            }
        }
        if self.state.quit {
            self.leave();
        }
    }

    /// The action a key means here, or none.
    pub fn key_action(&self, key: &KeyEvent) -> Option<Action> {
        if key.kind != KeyEventKind::Press {
            return None;
        }
        match self.state.overlays.last() {
            Some(Overlay::Input(_) | Overlay::PulseAnswer(_) | Overlay::Palette(_)) => {
                Some(Action::Input(*key))
            }
            Some(o) => self
                .state
                .keys
                .lookup(o.bindings(), key)
                .map(Action::Command),
            None => keymap::screen(&self.state)
                .iter()
                .find_map(|(_, table)| self.state.keys.lookup(table, key))
                .or_else(|| self.state.keys.lookup(keymap::GLOBAL, key))
                .map(Action::Command)
                .or_else(|| keymap::elsewhere(&self.state, key).map(Action::NotHere)),
        }
    }

    pub fn handle_key(&mut self, key: KeyEvent) {
        if let Some(a) = self.key_action(&key) {
            self.dispatch(a);
        }
    }

    /// Handles one terminal event; true when something may look different.
    pub fn handle_event(&mut self, ev: Event) -> bool {
        match ev {
            Event::Key(k) => {
                let had = self.key_action(&k);
                if let Some(a) = had {
                    self.dispatch(a);
                    true
                } else {
                    false
                }
            }
            Event::Mouse(m) => match m.kind {
                MouseEventKind::Down(MouseButton::Left) => {
                    self.dispatch(Action::Click {
                        x: m.column,
                        y: m.row,
                    });
                    true
                }
                MouseEventKind::ScrollDown if self.state.overlays.is_empty() => {
                    self.dispatch(Action::Command(Command::SelectDown));
                    true
                }
                MouseEventKind::ScrollUp if self.state.overlays.is_empty() => {
                    self.dispatch(Action::Command(Command::SelectUp));
                    true
                }
                _ => false,
            },
            Event::Resize(width, height) => {
                self.dispatch(Action::Resize { width, height });
                true
            }
            Event::Paste(text) => {
                // Pasted text goes into an open text field in one go; the
                // pulse's answer screen takes it key by key.
                if matches!(self.state.overlays.last(), Some(Overlay::Input(_))) {
                    self.dispatch(Action::Paste(text));
                    true
                } else if matches!(self.state.overlays.last(), Some(Overlay::PulseAnswer(_))) {
                    // A pasted line break is a space: a paste never presses
                    // Enter (which would send the answers).
                    for c in text.chars().filter(|c| *c != '\r') {
                        let c = if c == '\n' { ' ' } else { c };
                        self.dispatch(Action::Input(KeyEvent::from(event::KeyCode::Char(c))));
                    }
                    true
                } else {
                    false
                }
            }
            _ => false,
        }
    }

    /// Runs on every tick: advances the timers and picks up other
    /// processes' changes. True when the screen may look different.
    pub fn tick(&mut self) -> bool {
        self.dispatch(Action::Tick);
        // A running timer changes what its tab shows every second.
        let mut dirty = (self.state.tab.def().ticking)(&self.state);
        let before = self.next_beat;
        self.beat();
        // Its own heartbeat is no news to the store: who else is here (and
        // who is gone, silent too long) is read with it.
        if self.next_beat != before {
            let shown = self.state.presence.shown.clone();
            self.dispatch(Action::PresenceNews);
            dirty |= self.state.presence.shown != shown;
        }
        self.check_changes() || dirty
    }

    /// Picks up other people's changes (more often than the tick: a change
    /// on another host shows within [`CHECK`]). A server that cannot be
    /// reached is said once, and stays on the status line until it is back;
    /// what is open on screen (a dialog being typed in) is left as it is.
    pub fn check_changes(&mut self) -> bool {
        match self.store.poll_changed() {
            Ok(changed) => {
                let was_offline = std::mem::replace(&mut self.state.offline, false);
                if was_offline {
                    self.state.info("Connected to the server again");
                }
                if changed || was_offline {
                    self.dispatch(Action::ExternalChange);
                    // (Presence is read again with the board.)
                    let _ = self.store.presence_changed();
                } else if self.store.presence_changed() {
                    let before = self.state.presence.shown.clone();
                    self.dispatch(Action::PresenceNews);
                    return self.state.presence.shown != before;
                }
                changed || was_offline
            }
            Err(crate::store::StoreError::Disconnected) => {
                let first = !std::mem::replace(&mut self.state.offline, true);
                if first {
                    self.state.warn(
                        "The server cannot be reached: nothing is saved until it is back (what you type is kept)",
                    );
                }
                first
            }
            Err(e) => {
                self.state.error(format!("Cannot check for changes: {e}"));
                true
            }
        }
    }

    pub fn draw(&self, frame: &mut Frame) {
        draw(frame, &self.state, &self.theme);
    }

    /// The theme, for a mode that reads frames rather than shows them.
    pub fn theme_mut(&mut self) -> &mut Theme {
        &mut self.theme
    }
}

impl Drop for App {
    fn drop(&mut self) {
        self.leave();
    }
}

/// Draws the whole frame from a snapshot of the state.
pub fn draw(frame: &mut Frame, state: &AppState, theme: &Theme) {
    let area = frame.area();
    if board::layout::too_small(area.width, area.height) {
        let msg = strings::too_small(
            area.width,
            area.height,
            board::layout::MIN_WIDTH,
            board::layout::MIN_HEIGHT,
        );
        frame.render_widget(Paragraph::new(msg).wrap(Wrap { trim: true }), area);
        return;
    }
    let parts = board::layout::frame(area, state.header_rows());
    draw_tabs(frame, parts.tabs, state, theme);
    if parts.presence.height > 0
        && let Some(line) = header::line(state, theme, usize::from(parts.presence.width))
    {
        frame.render_widget(line, parts.presence);
    }
    let hint = keymap::hint_line(state);
    (state.tab.def().render)(frame, parts.body, state, &hint, theme);
    draw_status(frame, parts.status, state, theme);
    for o in &state.overlays {
        overlays::render(frame, area, o, &state.board.pages, &state.keys, theme);
    }
}

fn draw_tabs(frame: &mut Frame, area: Rect, state: &AppState, theme: &Theme) {
    let board = state
        .board
        .board
        .as_ref()
        .map(|b| b.name.clone())
        .unwrap_or_default();
    let mut right = vec![Span::styled(
        format!("{} · {} ", safe_fit(&board, 30), safe_fit(&state.actor, 20)),
        theme.dim,
    )];
    if state.read_only {
        right.push(Span::styled(strings::READ_ONLY_BANNER, theme.banner));
    }
    let banner = if state.read_only {
        crate::ui::text::width(strings::READ_ONLY_BANNER)
    } else {
        0
    };
    let right_w: usize = right
        .iter()
        .map(|s| crate::ui::text::width(&s.content))
        .sum();
    // The tabs come first: on a narrow terminal the board's name goes, then
    // the app's, then the titles of the tabs not shown (their numbers stay).
    let width = area.width as usize;
    let tabs = |name: bool, titles: bool| -> Vec<Span<'static>> {
        let mut spans = Vec::new();
        if name {
            spans.push(Span::styled(
                format!(" {} ", strings::APP_NAME),
                theme.title,
            ));
        }
        for tab in Tab::all() {
            let (style, text) = if tab == state.tab {
                (
                    theme.tab_active,
                    format!(" {} {} ", tab.number(), tab.title()),
                )
            } else if titles {
                (theme.tab, format!(" {} {} ", tab.number(), tab.title()))
            } else {
                (theme.tab, format!(" {} ", tab.number()))
            };
            spans.push(Span::styled(text, style));
        }
        spans
    };
    let span_w = |spans: &[Span]| -> usize {
        spans
            .iter()
            .map(|s| crate::ui::text::width(&s.content))
            .sum()
    };
    let full = tabs(true, true);
    let (left, show_right) = if span_w(&full) + right_w <= width {
        (full, true)
    } else if span_w(&full) + banner <= width {
        (full, false)
    } else if span_w(&tabs(false, true)) + banner <= width {
        (tabs(false, true), false)
    } else {
        (tabs(false, false), false)
    };
    frame.render_widget(Line::from(left), area);
    if show_right {
        frame.render_widget(Line::from(right).right_aligned(), area);
    } else if state.read_only {
        frame.render_widget(
            Line::from(Span::styled(strings::READ_ONLY_BANNER, theme.banner)).right_aligned(),
            area,
        );
    }
}

fn draw_status(frame: &mut Frame, area: Rect, state: &AppState, theme: &Theme) {
    let style = match state.status.kind {
        StatusKind::Info => theme.status_info,
        StatusKind::Warn => theme.status_warn,
        StatusKind::Error => theme.status_error,
    };
    let mut right = String::new();
    if !state.board.filter.is_empty() {
        right.push_str(&format!("filter: {}  ", safe_fit(&state.board.filter, 24)));
    }
    right.push_str(strings::HINTS);
    let right_style = if state.offline {
        right.insert_str(0, "reconnecting…  ");
        theme.status_warn
    } else {
        theme.dim
    };
    let room = (area.width as usize).saturating_sub(right.chars().count() + 4);
    let text = crate::ui::text::sanitize(&state.status.text);
    if crate::ui::text::width(&text) > room && area.y > 0 {
        // Too long for the line: said whole, wrapped, on the rows just
        // above it (never cut mid-sentence).
        let wrapped =
            crate::ui::text::wrap(&text, usize::from(area.width.saturating_sub(2)).max(1));
        let rows = (wrapped.len() as u16).min(4).min(area.y);
        let above = Rect::new(area.x, area.y - rows, area.width, rows);
        frame.render_widget(ratatui::widgets::Clear, above);
        let lines: Vec<Line> = wrapped
            .iter()
            .take(rows as usize)
            .map(|(a, b)| Line::from(Span::styled(format!(" {}", &text[*a..*b]), style)))
            .collect();
        frame.render_widget(Paragraph::new(lines).style(style), above);
    } else {
        frame.render_widget(
            Line::from(Span::styled(format!(" {}", safe_fit(&text, room)), style)),
            area,
        );
    }
    frame.render_widget(
        Line::from(Span::styled(format!("{right} "), right_style)).right_aligned(),
        area,
    );
}

/// Puts the terminal back however the app ends: quit, error or panic.
struct TerminalGuard;

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        restore_terminal();
    }
}

fn restore_terminal() {
    let _ = execute!(
        io::stdout(),
        DisableMouseCapture,
        event::DisableBracketedPaste
    );
    ratatui::restore();
    crate::ui::tty::restore_input();
}

impl App {
    /// The user's settings: theme, keys, what dialogs offer. What could not
    /// be used is said on the status line (all of it by `teamloop config
    /// check`).
    pub fn apply_settings(
        &mut self,
        config: &crate::config::Config,
        no_color: bool,
        mut problems: Vec<String>,
    ) {
        let (theme, colour_problems) = Theme::from_config(config, no_color);
        self.theme = theme;
        let (keys, key_problems) = keymap::Keymap::from_settings(&config.keys);
        self.state.keys = keys;
        self.state.defaults = crate::ui::state::Defaults {
            retro_votes: config.retro_votes,
            pulse_threshold: config.pulse_threshold,
            wip_policy: config.wip_policy,
        };
        problems.extend(colour_problems);
        problems.extend(key_problems);
        if let Some(first) = problems.first() {
            let more = if problems.len() > 1 {
                format!(" (and {} more: teamloop config check)", problems.len() - 1)
            } else {
                String::new()
            };
            self.state.warn(format!("Settings: {first}{more}"));
        }
    }
}

/// Whether `NO_COLOR` asks for no colour (set, and not empty).
pub fn no_color() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
}

/// Runs the full-screen app until the user quits, with the settings read
/// (and what in them could not be used).
pub fn run(
    store: Box<dyn Store>,
    config: &crate::config::Config,
    problems: Vec<String>,
) -> color_eyre::Result<()> {
    // Restore the terminal before a panic message is printed.
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore_terminal();
        hook(info);
    }));
    crate::ui::tty::nonblocking_input();
    let mut terminal = ratatui::init();
    let _guard = TerminalGuard;
    execute!(
        io::stdout(),
        EnableMouseCapture,
        event::EnableBracketedPaste
    )?;
    let size = terminal.size()?;
    let mut app = App::new(store, size.width, size.height);
    app.apply_settings(config, no_color(), problems);
    let mut dirty = true;
    let mut next_tick = Instant::now() + TICK;
    let mut next_check = Instant::now() + CHECK;
    let mut bells = app.state.bells;
    loop {
        // A timebox ran out: the terminal bell, unless muted (update decides).
        if app.state.bells != bells {
            bells = app.state.bells;
            let mut out = io::stdout();
            out.write_all(b"\x07")?;
            out.flush()?;
            dirty = true;
        }
        if dirty {
            let mut out = io::stdout();
            execute!(out, BeginSynchronizedUpdate)?;
            terminal.draw(|f| app.draw(f))?;
            execute!(out, EndSynchronizedUpdate)?;
            out.flush()?;
            dirty = false;
            // Fault injection for the terminal-restore test (debug builds only).
            if cfg!(debug_assertions) && std::env::var_os("TEAMLOOP_PANIC_AFTER_DRAW").is_some() {
                panic!("panic requested by TEAMLOOP_PANIC_AFTER_DRAW");
            }
        }
        if app.state.quit {
            break;
        }
        let wait = next_tick
            .min(next_check)
            .saturating_duration_since(Instant::now());
        if event::poll(wait)? {
            // Drain everything pending, then draw once. Of the resizes in a
            // burst (a window being dragged) only the last is handled: each
            // reloads the board for its new size.
            let mut resized = None;
            loop {
                match event::read()? {
                    Event::Resize(w, h) => resized = Some(Event::Resize(w, h)),
                    ev => dirty |= app.handle_event(ev),
                }
                if app.state.quit || !event::poll(Duration::ZERO)? {
                    break;
                }
            }
            if let Some(ev) = resized {
                dirty |= app.handle_event(ev);
            }
        }
        let now = Instant::now();
        if now >= next_tick {
            dirty |= app.tick();
            next_tick = now + TICK;
            next_check = now + CHECK;
        } else if now >= next_check {
            dirty |= app.check_changes();
            next_check = now + CHECK;
        }
    }
    Ok(())
}
