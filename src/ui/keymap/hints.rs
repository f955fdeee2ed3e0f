//! What each screen's hint line names: commands, never keys. The keys are
//! the live keymap's (the user's own where they set them), and an entry
//! whose command is not bound on the screen is left out.

use super::{Hint, hint};
use crate::ui::action::Command::*;

const SELECT: Hint = hint(&[SelectDown, SelectUp], "select");

pub static BOARD: &[Hint] = &[
    hint(&[NewCard], "add a card"),
    hint(&[OpenColumns], "columns and WIP limits"),
    hint(&[StartFilter], "filter"),
];
pub static FLOW: &[Hint] = &[hint(&[NextForecast, PrevForecast], "forecast")];
pub static SPRINT_PLAN: &[Hint] = &[
    hint(&[MoveAcross], "move across"),
    hint(&[SelectLeft, SelectRight], "backlog/sprint"),
    hint(&[SetPoints], "points"),
    hint(&[NewSprint], "plan"),
    hint(&[EditSprint], "edit"),
    hint(&[StartSprint], "start"),
    hint(&[NextSprintView], "view"),
];
pub static SPRINT: &[Hint] = &[
    SELECT,
    hint(&[OpenCard], "open card"),
    hint(&[EditSprint], "edit sprint"),
    hint(&[NextSprintView], "view"),
];
pub static SPRINT_REVIEW: &[Hint] = &[
    hint(&[CarryOver], "carry over"),
    hint(&[ReturnToBacklog], "back to backlog"),
    hint(&[CloseSprint], "close the sprint"),
    hint(&[NextSprintView], "view"),
];
/// The velocity history has nothing to select.
pub static SPRINT_VELOCITY: &[Hint] = &[hint(&[NextSprintView], "view")];

pub static STANDUP: &[Hint] = &[
    hint(&[ToggleTimer], "start/pause"),
    hint(&[NextTurn, PrevTurn], "turn"),
    hint(&[RaiseBlock], "block card"),
    hint(&[RaiseCard], "impediment card"),
    hint(&[ParkTopic], "park"),
    hint(&[EditNotes], "notes"),
    hint(&[EndStandup], "end"),
    hint(&[ShowStandupHistory], "past"),
];
pub static STANDUP_FOLLOW: &[Hint] = &[
    hint(&[NextTurn, PrevTurn], "turn"),
    hint(&[JoinStandup], "join/leave"),
    hint(&[RaiseBlock], "block card"),
    hint(&[RaiseCard], "impediment card"),
    hint(&[ParkTopic], "park"),
    hint(&[EditNotes], "notes"),
    hint(&[ShowStandupHistory], "past"),
];

pub static PULSE: &[Hint] = &[
    hint(&[SelectDown, SelectUp], "choose"),
    hint(&[AnswerPulse], "answer (anonymous, once)"),
    hint(&[NewPulse], "open a pulse"),
    hint(&[ClosePulse], "close it"),
    hint(&[ScrollDown, ScrollUp], "scroll"),
];

pub static RETRO_LIST: &[Hint] = &[
    SELECT,
    hint(&[OpenRetro], "open"),
    hint(&[NewRetro], "start a retro"),
    hint(&[Close], "back"),
];
pub static RETRO_CLOSED: &[Hint] = &[
    hint(&[NewRetro], "start a retro"),
    hint(&[BrowseRetros], "past retros"),
];
pub static RETRO_STAGE: &[Hint] = &[
    hint(&[AnswerPoll], "answer the check"),
    hint(&[ClosePoll], "close it"),
    hint(&[NextPhase], "next phase"),
];
pub static RETRO_REVIEW: &[Hint] = &[
    SELECT,
    hint(&[MarkDone], "done"),
    hint(&[MarkOpen], "still open"),
    hint(&[MarkDropped], "dropped"),
    hint(&[NextPhase], "next"),
];
pub static RETRO_FACTS: &[Hint] = &[
    hint(&[SelectDown, SelectUp], "scroll"),
    hint(&[NextPhase], "next phase: gather"),
];
pub static RETRO_GATHER: &[Hint] = &[
    hint(&[SelectLeft, SelectRight], "prompt"),
    hint(&[WriteCard], "write a card"),
    hint(&[DeleteMyCard], "take yours back"),
    hint(&[RevealCards], "reveal"),
    hint(&[NextPhase], "next"),
];
pub static RETRO_GROUP: &[Hint] = &[
    hint(&[MarkItem], "mark"),
    hint(&[GroupMarked], "group as a theme"),
    hint(&[SplitTheme], "split"),
    hint(&[NextPhase], "next: vote"),
];
pub static RETRO_VOTE: &[Hint] = &[
    SELECT,
    hint(&[AddVote], "vote"),
    hint(&[TakeVote], "take back"),
    hint(&[NextPhase], "next: discuss"),
];
pub static RETRO_DISCUSS: &[Hint] = &[
    SELECT,
    hint(&[DiscussItem], "discuss"),
    hint(&[EditItemNotes], "notes"),
    hint(&[AddAction], "action item"),
    hint(&[ToggleMute], "mute"),
    hint(&[NextPhase], "next"),
];
pub static RETRO_DECIDE: &[Hint] = &[
    hint(&[AddAction], "add an action item (owner, due date)"),
    hint(&[NextPhase], "next: close"),
];
pub static RETRO_CLOSE: &[Hint] = &[
    hint(&[AnswerPoll], "answer the ROTI"),
    hint(&[ClosePoll], "close the check"),
    hint(&[NextPhase], "close the retro"),
];
pub static RETRO_ANSWER: &[Hint] = &[
    hint(&[Pick(0), Pick(4)], "how was it? (1 to 5)"),
    hint(&[ClosePoll], "close the check"),
    hint(&[NextPhase], "close the retro"),
];

pub static MORTEM_LIST: &[Hint] = &[
    hint(&[SelectDown, SelectUp], "choose"),
    hint(&[OpenMortem], "open"),
    hint(&[NewMortem], "new"),
    hint(&[AddTimelineEntry], "timeline entry"),
    hint(&[StartFilter], "search"),
    hint(&[ExportMortem], "export"),
];
pub static MORTEM_POST: &[Hint] = &[
    hint(&[SelectDown, SelectUp], "part"),
    hint(&[EditPart], "write"),
    hint(&[AddTimelineEntry], "timeline"),
    hint(&[AddAction], "action"),
    hint(&[SetMortemStatus], "status"),
    hint(&[ExportMortem], "export"),
    hint(&[Close], "list"),
];
pub static MORTEM_WRITING: &[Hint] = &[
    hint(&[WriteCard], "write a reason"),
    hint(&[DeleteMyCard], "take yours back"),
    hint(&[RevealCards], "reveal (facilitator)"),
    hint(&[Close], "list"),
];
pub static MORTEM_READING: &[Hint] = &[
    hint(&[ReadNext], "read next"),
    hint(&[SelectDown, SelectUp], "risk"),
    hint(&[RateRisk], "rate"),
    hint(&[Mitigate], "mitigate"),
    hint(&[WriteCard], "add"),
    hint(&[ClosePremortem], "close"),
    hint(&[Close], "list"),
];

/// The column settings dialog.
pub static COLUMNS: &[Hint] = &[
    hint(&[AddColumn], "add"),
    hint(&[RenameColumn], "rename"),
    hint(&[ShiftColumnLeft, ShiftColumnRight], "move"),
    hint(&[SetColumnWip], "WIP limit"),
    hint(&[ToggleWipPolicy], "hard/soft"),
    hint(&[CycleColumnKind], "kind"),
    hint(&[DeleteColumn], "delete"),
    hint(&[Close], "close"),
];
