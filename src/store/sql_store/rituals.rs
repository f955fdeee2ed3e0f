//! The retro, pulse and mortem operations of the one store: each a read
//! or a write over the engine, in the form the ritual's anonymity needs.

use super::*;

impl<B: Backend> RetroStore for SqlStore<B> {
    fn retros(&self, board: BoardId) -> Result<Vec<Retro>> {
        self.read(|db| retros::retros(db, board))
    }

    fn retro(&self, id: RetroId) -> Result<Retro> {
        self.read(|db| {
            retros::ensure_team(db, id)?;
            retros::retro(db, id)
        })
    }

    fn retro_report(&self, id: RetroId) -> Result<RetroReport> {
        self.read(|db| {
            retros::ensure_team(db, id)?;
            retros::report(db, id)
        })
    }

    fn retro_cards_written(&self, id: RetroId) -> Result<u32> {
        self.read(|db| {
            retros::ensure_team(db, id)?;
            retros::cards_written(db, id)
        })
    }

    fn votes_used(&self, id: RetroId) -> Result<u32> {
        self.read(|db| {
            retros::ensure_team(db, id)?;
            retros::votes_used(db, id, &self.key)
        })
    }

    fn my_votes(&self, id: RetroId) -> Result<Vec<(ItemId, u32)>> {
        self.read(|db| {
            retros::ensure_team(db, id)?;
            retros::my_votes(db, id, &self.key)
        })
    }

    fn has_answered(&self, id: RetroId, poll: Poll) -> Result<bool> {
        self.read(|db| {
            retros::ensure_team(db, id)?;
            retros::has_answered(db, id, poll, &self.key)
        })
    }

    fn my_retro_cards(&self, id: RetroId) -> Result<Vec<RetroCard>> {
        self.read(|db| {
            retros::ensure_team(db, id)?;
            retros::my_cards(db, id, &self.key)
        })
    }

    fn actions_to_review(&self, id: RetroId) -> Result<Vec<(Action, Option<ActionStatus>)>> {
        self.read(|db| {
            retros::ensure_team(db, id)?;
            retros::to_review(db, id)
        })
    }

    fn wip_breaches(
        &self,
        board: BoardId,
        from: chrono::NaiveDate,
        to: chrono::NaiveDate,
    ) -> Result<Vec<BreachFact>> {
        let zone = self.clock.zone();
        let start = ms(zone.midnight(from));
        let end = ms(zone.midnight(to + chrono::Duration::days(1)));
        self.read(|db| retros::breaches(db, board, start, end))
    }

    fn start_retro(&mut self, board: BoardId, retro: NewRetro) -> Result<RetroId> {
        self.write(|tx, now, actor| retros::start(tx, board, &retro, now, actor))
    }

    fn set_phase(&mut self, id: RetroId, phase: Phase) -> Result<()> {
        self.read(|db| retros::ensure_team(db, id))?;
        self.write_anonymous(|tx, now, actor, _| retros::set_phase(tx, id, phase, now, actor))
    }

    fn reveal_cards(&mut self, id: RetroId) -> Result<()> {
        self.read(|db| retros::ensure_team(db, id))?;
        self.write_anonymous(|tx, _, actor, _| retros::reveal(tx, id, actor))
    }

    fn add_retro_card(&mut self, id: RetroId, prompt: usize, text: &str) -> Result<i64> {
        self.read(|db| retros::ensure_team(db, id))?;
        self.write_anonymous(|tx, _, actor, key| retros::add_card(tx, id, prompt, text, actor, key))
    }

    fn delete_retro_card(&mut self, id: RetroId, card: i64) -> Result<()> {
        self.read(|db| retros::ensure_team(db, id))?;
        self.write_anonymous(|tx, _, actor, key| retros::delete_card(tx, id, card, actor, key))
    }

    fn group_items(&mut self, id: RetroId, items: &[ItemId], title: &str) -> Result<ItemId> {
        self.read(|db| retros::ensure_team(db, id))?;
        self.write(|tx, _, actor| retros::group(tx, id, items, title, actor))
    }

    fn split_item(&mut self, id: RetroId, item: ItemId) -> Result<()> {
        self.read(|db| retros::ensure_team(db, id))?;
        self.write(|tx, _, actor| retros::split(tx, id, item, actor))
    }

    fn vote(&mut self, id: RetroId, item: ItemId, delta: i32) -> Result<u32> {
        self.read(|db| retros::ensure_team(db, id))?;
        self.write_anonymous(|tx, _, actor, key| retros::vote(tx, id, item, delta, actor, key))
    }

    fn answer(&mut self, id: RetroId, poll: Poll, value: u32) -> Result<()> {
        self.read(|db| retros::ensure_team(db, id))?;
        self.write_anonymous(|tx, _, actor, key| retros::answer(tx, id, poll, value, actor, key))
    }

    fn close_poll(&mut self, id: RetroId, poll: Poll) -> Result<()> {
        self.read(|db| retros::ensure_team(db, id))?;
        self.write_anonymous(|tx, _, actor, _| retros::close_poll(tx, id, poll, actor))
    }

    fn reopen_poll(&mut self, id: RetroId, poll: Poll) -> Result<()> {
        self.read(|db| retros::ensure_team(db, id))?;
        self.write_anonymous(|tx, _, actor, _| retros::reopen_poll(tx, id, poll, actor))
    }

    fn discuss(&mut self, id: RetroId, item: ItemId) -> Result<()> {
        self.read(|db| retros::ensure_team(db, id))?;
        self.write(|tx, now, actor| retros::discuss(tx, id, item, now, actor))
    }

    fn set_item_notes(&mut self, id: RetroId, item: ItemId, notes: &str) -> Result<()> {
        self.read(|db| retros::ensure_team(db, id))?;
        self.write(|tx, _, actor| retros::set_notes(tx, id, item, notes, actor))
    }

    fn add_action(
        &mut self,
        id: RetroId,
        text: &str,
        owner: Option<&str>,
        due: Option<chrono::NaiveDate>,
    ) -> Result<CardId> {
        self.read(|db| retros::ensure_team(db, id))?;
        self.write(|tx, now, actor| retros::add_action(tx, id, text, owner, due, now, actor))
    }

    fn review_action(&mut self, id: RetroId, card: CardId, status: ActionStatus) -> Result<()> {
        self.read(|db| retros::ensure_team(db, id))?;
        self.write(|tx, now, actor| retros::review(tx, id, card, status, now, actor))
    }
}

impl<B: Backend> PulseStore for SqlStore<B> {
    fn pulses(&self, board: BoardId) -> Result<Vec<Pulse>> {
        self.read(|db| pulses::pulses(db, board))
    }

    fn pulse(&self, id: PulseId) -> Result<Pulse> {
        self.read(|db| pulses::pulse(db, id))
    }

    fn has_responded(&self, id: PulseId) -> Result<bool> {
        self.read(|db| pulses::has_responded(db, id, &self.key))
    }

    fn pulse_results(&self, id: PulseId) -> Result<PulseResults> {
        self.read(|db| pulses::results_of(db, id, self.clock.now()))
    }

    fn pulse_trend(&self, board: BoardId) -> Result<Vec<TrendPoint>> {
        self.read(|db| pulses::trend(db, board, self.clock.now()))
    }

    fn open_pulse(&mut self, board: BoardId, pulse: NewPulse) -> Result<PulseId> {
        // The last day ends at midnight here, and that instant holds for
        // every terminal, whatever its zone.
        let closes_at = pulse
            .closes
            .map(|d| self.clock.zone().midnight(d + chrono::Duration::days(1)));
        let clock = Arc::clone(&self.clock);
        self.write(|tx, now, actor| {
            pulses::open(tx, board, &pulse, day_at(&clock, now), closes_at, actor)
        })
    }

    fn respond(&mut self, id: PulseId, answers: &[u32], comment: Option<&str>) -> Result<()> {
        self.write_anonymous(|tx, now, _, key| {
            pulses::respond(tx, id, answers, comment, from_ms(now), key)
        })
    }

    fn close_pulse(&mut self, id: PulseId) -> Result<()> {
        let clock = Arc::clone(&self.clock);
        self.write_anonymous(|tx, now, actor, _| {
            pulses::close(tx, id, from_ms(now), day_at(&clock, now), actor)
        })
    }
}

impl<B: Backend> crate::store::HandoverStore for SqlStore<B> {
    fn take_over_retro(&mut self, id: RetroId, seen: &str) -> Result<Handover> {
        self.read(|db| retros::ensure_team(db, id))?;
        self.write(|tx, now, actor| handovers::take_over_retro(tx, id, seen, now, actor))
    }

    fn take_over_standup(&mut self, id: StandupId, seen: &str) -> Result<Handover> {
        self.write(|tx, now, actor| handovers::take_over_standup(tx, id, seen, now, actor))
    }

    fn take_over_premortem(&mut self, id: MortemId, seen: &str) -> Result<Handover> {
        self.write(|tx, now, actor| handovers::take_over_premortem(tx, id, seen, now, actor))
    }

    fn take_over_pulse(&mut self, id: PulseId, seen: &str) -> Result<Handover> {
        self.write(|tx, now, actor| handovers::take_over_pulse(tx, id, seen, now, actor))
    }

    fn handovers(&self, ritual: Ritual, id: i64) -> Result<Vec<Handover>> {
        self.read(|db| handovers::handovers(db, ritual, id))
    }
}

impl<B: Backend> MortemStore for SqlStore<B> {
    fn mortems(&self, board: BoardId, search: &str) -> Result<Vec<Listed>> {
        self.read(|db| mortems::list(db, board, search))
    }

    fn mortem_report(&self, id: MortemId) -> Result<MortemReport> {
        self.read(|db| mortems::report(db, id))
    }

    fn team_names(&self, board: BoardId) -> Result<Vec<String>> {
        self.read(|db| mortems::team_names(db, board))
    }

    fn new_postmortem(
        &mut self,
        board: BoardId,
        title: &str,
        day: Option<chrono::NaiveDate>,
    ) -> Result<MortemId> {
        let clock = Arc::clone(&self.clock);
        self.write(|tx, now, actor| {
            let day = day.unwrap_or_else(|| day_at(&clock, now));
            mortems::new_postmortem(tx, board, title, day, now, actor)
        })
    }

    fn new_premortem(
        &mut self,
        board: BoardId,
        title: &str,
        card: Option<CardId>,
    ) -> Result<MortemId> {
        let clock = Arc::clone(&self.clock);
        self.write(|tx, now, actor| {
            mortems::new_premortem(tx, board, title, card, day_at(&clock, now), now, actor)
        })
    }

    fn set_mortem_fields(&mut self, id: MortemId, changes: &[(Field, &str)]) -> Result<()> {
        self.write(|tx, now, _| {
            for (field, text) in changes {
                mortems::set_field(tx, id, *field, text, now)?;
            }
            Ok(())
        })
    }

    fn set_section(
        &mut self,
        id: MortemId,
        key: &str,
        text: &str,
        base: Option<&str>,
    ) -> Result<()> {
        self.write(|tx, now, _| mortems::set_section(tx, id, key, text, base, now))
    }

    fn set_mortem_status(&mut self, id: MortemId, status: Status) -> Result<()> {
        self.write(|tx, now, _| mortems::set_status(tx, id, status, now))
    }

    fn add_timeline(&mut self, id: MortemId, at: DateTime<Utc>, text: &str) -> Result<i64> {
        self.write(|tx, now, _| mortems::add_timeline(tx, id, at, text, now))
    }

    fn edit_timeline(
        &mut self,
        id: MortemId,
        entry: i64,
        at: DateTime<Utc>,
        text: &str,
    ) -> Result<()> {
        self.write(|tx, now, _| mortems::edit_timeline(tx, id, entry, Some((at, text)), now))
    }

    fn delete_timeline(&mut self, id: MortemId, entry: i64) -> Result<()> {
        self.write(|tx, now, _| mortems::edit_timeline(tx, id, entry, None, now))
    }

    fn add_mortem_action(&mut self, id: MortemId, action: NewAction) -> Result<CardId> {
        self.write(|tx, now, actor| {
            let board = BoardId(
                tx.row(
                    "SELECT board_id FROM mortems WHERE id = ?1",
                    params![id.0],
                    |r| r.get(0),
                )?
                .ok_or_else(|| {
                    StoreError::NotFound(format!("no pre- or post-mortem with id {}", id.0))
                })?,
            );
            mortems::add_action(tx, board, id, &action, now, actor)
        })
    }

    fn add_reason(&mut self, id: MortemId, reason: NewReason) -> Result<Reason> {
        self.write_anonymous(|tx, now, actor, key| {
            let added = mortems::add_reason(tx, id, &reason.text, reason.hidden, now, actor, key)?;
            if reason.likelihood.is_some() || reason.impact.is_some() {
                mortems::rate(
                    tx,
                    id,
                    added.risk,
                    reason.likelihood,
                    reason.impact,
                    now,
                    key,
                )?;
            }
            Ok(added)
        })
    }

    fn take_back_reason(&mut self, id: MortemId, card: i64) -> Result<()> {
        self.write_anonymous(|tx, _, actor, key| {
            mortems::take_back_reason(tx, id, card, actor, key)
        })
    }

    fn my_reasons(&self, id: MortemId) -> Result<Vec<crate::store::mortems::MyReason>> {
        self.read(|db| mortems::my_reasons(db, id, &self.key))
    }

    fn advance_premortem(&mut self, id: MortemId, from: Stage) -> Result<()> {
        self.write_anonymous(|tx, now, actor, _| mortems::advance(tx, id, from, now, actor))
    }

    fn read_reason(&mut self, id: MortemId, risk: i64) -> Result<()> {
        self.write(|tx, now, actor| mortems::read_reason(tx, id, risk, now, actor))
    }

    fn rate_risk(
        &mut self,
        id: MortemId,
        risk: i64,
        likelihood: Option<u8>,
        impact: Option<u8>,
    ) -> Result<()> {
        self.write_anonymous(|tx, now, _, key| {
            mortems::rate(tx, id, risk, likelihood, impact, now, key)
        })
    }
}
