//! The retro tab's forms: a new retro's setup (its action item's form is
//! the one mortems share, in `update::action_form`).

use super::*;

/// A new retro's title, votes each and safety check (its format is chosen
/// before).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct SetupForm {
    pub title: String,
    pub votes: u32,
    pub safety: SafetyKind,
}

pub(super) fn new_retro(state: &mut AppState) -> Vec<Effect> {
    let Some(data) = state.retro.data.as_deref() else {
        return Vec::new();
    };
    if let Some(open) = data.retros.iter().find(|r| r.phase != Phase::Closed) {
        let title = open.title.clone();
        state.warn(format!(
            "{title} is still open: close it first (its facilitator moves it to Closed)"
        ));
        return Vec::new();
    }
    let options = data
        .formats
        .iter()
        .map(|f| {
            let prompts: Vec<&str> = f.prompts.iter().map(|p| p.name.as_str()).collect();
            (f.name.clone(), prompts.join(" · "))
        })
        .collect();
    state.overlays.push(Overlay::Pick(PickDialog {
        purpose: PickPurpose::Format,
        title: "Start a retro: choose a format".into(),
        options,
        selected: 0,
        note: Some("Your own formats: TOML files in the config folder's retro/ directory".into()),
    }));
    Vec::new()
}

/// The dialog that follows choosing a format.
pub(super) fn setup_dialog(state: &mut AppState, format: usize) -> Vec<Effect> {
    let Some(data) = state.retro.data.as_deref() else {
        return Vec::new();
    };
    let Some(f) = data.formats.get(format) else {
        return Vec::new();
    };
    let form = SetupForm {
        title: data.period.title.clone(),
        votes: state.defaults.retro_votes,
        safety: SafetyKind::Esvp,
    };
    let dialog = InputDialog::form(
        InputPurpose::RetroSetup { format },
        format!("{}: {}", f.name, data.period.title),
        &form,
    )
    .with_hint(format!(
        "Facts from {} to {}. Safety check: esvp (Explorer…Prisoner) or scale (1-5)",
        data.period.from, data.period.to
    ));
    open(state, dialog)
}

impl Form for SetupForm {
    fn fields(&self) -> Vec<Field> {
        vec![
            Field::new("Title", &self.title, false),
            Field::new("Votes each", &self.votes.to_string(), false),
            Field::new("Safety check", self.safety.as_str(), false),
        ]
    }

    fn parse(d: &InputDialog) -> Result<Self, String> {
        let [title, votes, safety] = d.texts();
        let votes = votes
            .trim()
            .parse::<u32>()
            .map_err(|_| "votes each: a number from 1 to 20".to_string())
            .and_then(|v| validate_votes(v).map_err(|e| e.to_string()))?;
        let safety = SafetyKind::parse(&safety.trim().to_ascii_lowercase())
            .ok_or("the safety check is esvp or scale")?;
        Ok(Self {
            title: title.trim().to_string(),
            votes,
            safety,
        })
    }
}

/// The new retro's dialog as an effect: its format, title, votes and check.
pub(super) fn start(
    state: &AppState,
    format: usize,
    d: &InputDialog,
) -> Result<Vec<Effect>, String> {
    let Some(data) = state.retro.data.as_deref() else {
        return Ok(Vec::new());
    };
    let format = data
        .formats
        .get(format)
        .cloned()
        .ok_or("that format is gone")?;
    let form = SetupForm::parse(d)?;
    let p = &data.period;
    Ok(vec![Effect::Retro(RetroEffect::Start(NewRetro {
        title: form.title,
        format,
        votes: form.votes,
        safety: form.safety,
        sprint: p.sprint,
        from: p.from,
        to: p.to,
    }))])
}
