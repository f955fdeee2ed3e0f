//! Dialogs that sit above a screen: text input, confirmation, card detail,
//! column settings and help. They form a stack; the top one gets the keys.

use ratatui_textarea::TextArea;

use super::action::CardDetail;
use super::keymap::{self, Binding};
use crate::domain::handover::Ritual;
use crate::domain::mortem::{MortemId, MortemKind, Stage};
use crate::domain::pulse::{Instrument, PulseId};
use crate::domain::retro::{ItemId, Phase, Poll, RetroId};
use crate::domain::sprint::SprintId;
use crate::domain::standup::{Standup, StandupId};
use crate::domain::{CardId, ColumnId};
use crate::store::mortems::Field as MortemField;

/// What a text dialog is for: decides what Enter saves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InputPurpose {
    NewCard {
        column: ColumnId,
    },
    EditCard {
        card: CardId,
    },
    Assignee {
        card: CardId,
    },
    Tags {
        card: CardId,
    },
    Points {
        card: CardId,
    },
    BlockReason {
        card: CardId,
    },
    ForceReason {
        card: CardId,
        to: ColumnId,
    },
    BreachReason {
        event: i64,
    },
    Filter,
    AddColumn,
    RenameColumn {
        column: ColumnId,
    },
    ColumnWip {
        column: ColumnId,
    },
    NewSprint,
    EditSprint {
        sprint: SprintId,
    },
    Timebox,
    Attendee,
    Parking {
        standup: StandupId,
    },
    ImpedimentBlock {
        standup: StandupId,
        card: CardId,
    },
    ImpedimentCard {
        standup: StandupId,
        column: ColumnId,
    },
    Notes {
        standup: StandupId,
        name: String,
    },
    /// Title, votes and safety check of a retro in this format.
    RetroSetup {
        format: usize,
    },
    RetroCard {
        retro: RetroId,
        prompt: usize,
    },
    Theme {
        retro: RetroId,
        items: Vec<ItemId>,
    },
    ItemNotes {
        retro: RetroId,
        item: ItemId,
    },
    RetroAction {
        retro: RetroId,
    },
    /// Title, instrument, last day and threshold of a new pulse.
    NewPulse,
    /// Words to find among the mortems (applied as typed).
    MortemSearch,
    /// Title and day (post) or card (pre) of a new mortem.
    NewMortem {
        kind: MortemKind,
    },
    MortemField {
        mortem: MortemId,
        field: MortemField,
    },
    /// A post-mortem section, linted as it is written.
    MortemSection {
        mortem: MortemId,
        key: String,
        /// The text it started from: the save is refused if another
        /// terminal saved the section since.
        base: String,
    },
    /// A timeline entry: a new one, or one to change.
    Timeline {
        mortem: MortemId,
        entry: Option<i64>,
    },
    /// An action item, or a pre-mortem risk's mitigation.
    MortemAction {
        mortem: MortemId,
        risk: Option<i64>,
    },
    Reason {
        mortem: MortemId,
        /// Written while the reasons were hidden, so promised anonymity.
        hidden: bool,
    },
    Rate {
        mortem: MortemId,
        risk: i64,
    },
    /// Where to write a mortem's Markdown.
    ExportPath {
        mortem: MortemId,
    },
}

/// Answering a pulse: one item per screen, then the free-text question if
/// there is one, then a review before anything is sent.
pub struct AnswerDialog {
    pub pulse: PulseId,
    pub title: String,
    pub instrument: Instrument,
    pub answers: Vec<Option<u32>>,
    /// The item on screen; after the items come the free-text step (if
    /// asked) and the review.
    pub step: usize,
    pub comment: Field,
    pub error: Option<String>,
}

impl AnswerDialog {
    pub fn new(pulse: PulseId, title: String, instrument: Instrument) -> Self {
        let n = instrument.items.len();
        Self {
            pulse,
            title,
            instrument,
            answers: vec![None; n],
            step: 0,
            comment: Field::new("Your answer (optional)", "", true),
            error: None,
        }
    }

    /// The step of the free-text question, if the instrument asks one.
    pub fn free_text_step(&self) -> Option<usize> {
        self.instrument
            .free_text
            .as_ref()
            .map(|_| self.instrument.items.len())
    }

    pub fn review_step(&self) -> usize {
        self.instrument.items.len() + usize::from(self.instrument.free_text.is_some())
    }

    pub fn touched(&self) -> bool {
        self.answers.iter().any(Option::is_some) || self.comment.changed()
    }
}

/// What choosing in a picker does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PickPurpose {
    /// The format of a new retro.
    Format,
    /// An answer to a retro's safety check or ROTI.
    Answer { retro: RetroId, poll: Poll },
    /// Which kind of mortem to start.
    MortemKind,
    /// A post-mortem's status.
    MortemStatus(MortemId),
}

/// A short list to choose from, with j/k and Enter or a digit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PickDialog {
    pub purpose: PickPurpose,
    pub title: String,
    /// Each option: a label and a line about it.
    pub options: Vec<(String, String)>,
    pub selected: usize,
    /// A line under the options (why the answer is safe to give, say).
    pub note: Option<String>,
}

pub struct Field {
    pub label: &'static str,
    pub area: TextArea<'static>,
    pub multiline: bool,
    original: String,
}

impl Field {
    pub fn new(label: &'static str, text: &str, multiline: bool) -> Self {
        let lines: Vec<String> = if text.is_empty() {
            vec![String::new()]
        } else {
            text.lines().map(str::to_string).collect()
        };
        let mut area = TextArea::new(lines);
        area.move_cursor(ratatui_textarea::CursorMove::Bottom);
        area.move_cursor(ratatui_textarea::CursorMove::End);
        area.set_cursor_line_style(ratatui::style::Style::default());
        Self {
            label,
            area,
            multiline,
            original: text.to_string(),
        }
    }

    pub fn text(&self) -> String {
        self.area.lines().join("\n")
    }

    pub fn changed(&self) -> bool {
        self.text() != self.original
    }
}

/// A dialog of several fields as a type, written next to the update code
/// of the tab it belongs to: `fields` lays the fields out, each holding
/// what the form holds, and `parse` reads back what was typed, by name,
/// checking what can be checked without the board's data. Its field order
/// is known there only: nothing else reads a dialog's fields.
pub trait Form: Sized {
    /// The fields, in the order they show.
    fn fields(&self) -> Vec<Field>;
    /// What was typed, or what is wrong with it (said in the dialog,
    /// which keeps the text).
    fn parse(d: &InputDialog) -> Result<Self, String>;
}

pub struct InputDialog {
    pub purpose: InputPurpose,
    pub title: String,
    pub hint: Option<String>,
    pub fields: Vec<Field>,
    pub focus: usize,
    pub error: Option<String>,
    /// Lines shown under the fields as the user types (the blame lint's
    /// warnings, say).
    pub notes: Vec<String>,
}

impl InputDialog {
    /// A dialog of one line of text.
    pub fn single(
        purpose: InputPurpose,
        title: impl Into<String>,
        label: &'static str,
        text: &str,
    ) -> Self {
        Self::new(purpose, title, vec![Field::new(label, text, false)])
    }

    /// A dialog of one text of several lines.
    pub fn multiline(
        purpose: InputPurpose,
        title: impl Into<String>,
        label: &'static str,
        text: &str,
    ) -> Self {
        Self::new(purpose, title, vec![Field::new(label, text, true)])
    }

    /// A dialog of a form's fields, holding what the form holds.
    pub fn form(purpose: InputPurpose, title: impl Into<String>, form: &impl Form) -> Self {
        Self::new(purpose, title, form.fields())
    }

    fn new(purpose: InputPurpose, title: impl Into<String>, fields: Vec<Field>) -> Self {
        Self {
            purpose,
            title: title.into(),
            hint: None,
            fields,
            focus: 0,
            error: None,
            notes: Vec::new(),
        }
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// The text of a dialog of one field.
    pub fn text(&self) -> String {
        self.fields.first().map(Field::text).unwrap_or_default()
    }

    /// The text of every field, in order: what a [`Form`] reads.
    pub fn texts<const N: usize>(&self) -> [String; N] {
        debug_assert_eq!(self.fields.len(), N, "a form read as another");
        std::array::from_fn(|i| self.fields.get(i).map(Field::text).unwrap_or_default())
    }

    pub fn changed(&self) -> bool {
        self.fields.iter().any(Field::changed)
    }

    /// Shows the cursor in the focused field only.
    pub fn refocus(&mut self) {
        use ratatui::style::{Modifier, Style};
        for (i, f) in self.fields.iter_mut().enumerate() {
            f.area.set_cursor_style(if i == self.focus {
                Style::default().add_modifier(Modifier::REVERSED)
            } else {
                Style::default()
            });
        }
    }

    pub fn is_multi(&self) -> bool {
        self.fields.len() > 1 || self.fields.iter().any(|f| f.multiline)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfirmPurpose {
    ArchiveCard(CardId),
    DeleteColumn(ColumnId),
    /// Throw away the edits in the dialog below.
    DiscardInput,
    StartSprint(SprintId),
    ClosePulse(PulseId),
    CloseSprint {
        sprint: SprintId,
        carry: Vec<CardId>,
    },
    EndStandup,
    DeleteTimeline {
        mortem: MortemId,
        entry: i64,
    },
    /// Reveal (from writing) or close (from reading) a pre-mortem.
    AdvancePremortem {
        mortem: MortemId,
        from: Stage,
    },
    /// Reveal a retro's cards, by `R` or by moving on to `then` (Group).
    RevealRetro {
        retro: RetroId,
        then: Option<Phase>,
    },
    /// Take facilitation over from `from`, the facilitator seen.
    TakeOver {
        ritual: Ritual,
        id: i64,
        from: String,
    },
    /// Close a retro's poll below the answers its result needs.
    ClosePollEarly {
        retro: RetroId,
        poll: Poll,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfirmDialog {
    pub purpose: ConfirmPurpose,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ColumnsDialog {
    pub selected: usize,
}

pub struct HelpDialog {
    /// The keys of the context below, with a heading each: the keys as
    /// the user has them, and what they do.
    pub sections: Vec<(&'static str, Vec<(String, &'static str)>)>,
    pub scroll: u16,
}

pub struct CardDialog {
    pub detail: CardDetail,
    pub scroll: u16,
}

/// Lines to read, with a title (the warnings left on a final post-mortem).
pub struct NoticeDialog {
    pub title: String,
    pub lines: Vec<String>,
    pub scroll: u16,
}

/// Past standups, newest first.
pub struct HistoryDialog {
    pub standups: Vec<Standup>,
    /// Each standup's takeovers, oldest first.
    pub handovers: Vec<Vec<crate::domain::handover::Handover>>,
    pub scroll: u16,
}

pub enum Overlay {
    Input(Box<InputDialog>),
    Confirm(ConfirmDialog),
    Card(Box<CardDialog>),
    Columns(ColumnsDialog),
    Help(HelpDialog),
    StandupHistory(HistoryDialog),
    Pick(PickDialog),
    PulseAnswer(Box<AnswerDialog>),
    Notice(NoticeDialog),
    Palette(Box<super::palette::PaletteDialog>),
    Poker(Box<PokerDialog>),
}

/// A poker round as this terminal read it: every pick's value only once
/// revealed, and this person's own pick.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PokerData {
    pub round: crate::domain::poker::Round,
    pub mine: Option<String>,
}

/// The planning poker panel, over the Board or the Sprint tab.
pub struct PokerDialog {
    pub data: PokerData,
    /// The value chosen in the deck (by index).
    pub cursor: usize,
    pub actor: String,
    /// The time as of the last tick, for the timebox.
    pub now: chrono::DateTime<chrono::Utc>,
}

impl Overlay {
    /// The key table of this overlay (text input has none: keys go to the field).
    pub fn bindings(&self) -> &'static [Binding] {
        match self {
            Overlay::Input(_) => &[],
            Overlay::Confirm(_) => keymap::CONFIRM,
            Overlay::Card(_) => keymap::CARD_DETAIL,
            Overlay::Columns(_) => keymap::COLUMNS,
            Overlay::Help(_) => keymap::HELP,
            Overlay::StandupHistory(_) => keymap::REPORT,
            Overlay::Pick(_) => keymap::PICK,
            Overlay::PulseAnswer(_) => &[],
            Overlay::Notice(_) => keymap::REPORT,
            Overlay::Palette(_) => &[],
            Overlay::Poker(_) => keymap::POKER,
        }
    }
}
