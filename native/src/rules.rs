//! The rules of `negotiation.rules.play`, over interned ids: the same checks, the same effects.
//!
//! The Python core is the reference. This fold only has to reach the same states, so it keeps
//! no messages: where the reference would raise `IllegalMove`, `play` stops with `Stop` and
//! the caller lets the reference apply that move (it raises the error with its full payload).
//! An act marked irregular is applied as far as it can be, as the reference does.

use std::collections::BTreeMap;

use crate::hash::FastMap;
use std::sync::Arc;

pub type Party = u16;
pub type TermIx = u32;
pub type MoveIx = u32;

macro_rules! ordinal_enum {
    ($name:ident { $($variant:ident),* $(,)? }) => {
        #[derive(Clone, Copy, PartialEq, Eq, Debug, Hash, PartialOrd, Ord)]
        pub enum $name { $($variant),* }
        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),*];
            pub fn from_index(i: usize) -> Option<$name> { Self::ALL.get(i).copied() }
            pub fn index(self) -> usize { self as usize }
        }
    };
}

// In the order of the Python enums (negotiation.vocabulary): the glue maps them by position.
ordinal_enum!(Verb {
    Propose,
    Accept,
    Reject,
    Dispute,
    Restate,
    Condition,
    Release,
    Withdraw,
    Ignore,
    Affirm,
    Fulfil,
    Contest,
    Confirm
});
ordinal_enum!(Channel { Private, Public, BackChannel, Oral });
ordinal_enum!(Role { Principal, Mediator, Third });
ordinal_enum!(Stance {
    Proposed,
    Accepted,
    Rejected,
    Disputed,
    Unchallenged,
    Ignored,
    Withdrawn,
    Affirmed,
    Performing,
    Fulfilled,
    Contested,
    Confirmed
});
ordinal_enum!(Modality { Commitment, Demand, Prediction, Confidence, Hope });

impl Stance {
    pub fn supporting(self) -> bool {
        !matches!(
            self,
            Stance::Rejected | Stance::Disputed | Stance::Unchallenged | Stance::Ignored | Stance::Withdrawn
        )
    }
    pub fn binding(self) -> bool {
        matches!(
            self,
            Stance::Affirmed | Stance::Performing | Stance::Fulfilled | Stance::Contested | Stance::Confirmed
        )
    }
    pub fn performance(self) -> bool {
        matches!(self, Stance::Performing | Stance::Fulfilled)
    }
    pub fn judged(self) -> bool {
        matches!(self, Stance::Contested | Stance::Confirmed)
    }
    pub fn refusing(self) -> bool {
        matches!(self, Stance::Rejected | Stance::Withdrawn)
    }
}

fn supports(s: Option<Stance>) -> bool {
    s.is_some_and(Stance::supporting)
}

/// A point in time as the record gives it: a day (its proleptic ordinal) and perhaps a minute (UTC seconds).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct When {
    pub day: i64,
    pub at: Option<i64>,
}

impl When {
    /// `When.certainly_after`: later by the minute when both have one, else by the day.
    pub fn certainly_after(&self, other: &When) -> bool {
        match (self.at, other.at) {
            (Some(a), Some(b)) => a > b,
            _ => self.day > other.day,
        }
    }
}

/// A formulation: text, the four qualifiers, conditions (sorted term ids), quote and move.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Form {
    pub text: Arc<str>,
    pub quals: [Option<Arc<str>>; 4],
    pub conditions: Arc<[TermIx]>,
    pub quote: Option<Arc<str>>,
    pub mv: Option<MoveIx>,
}

impl Form {
    /// What the formulation commits to, without where it was said (`Formulation.substance`).
    pub fn same_substance(&self, other: &Form) -> bool {
        self.text == other.text && self.quals == other.quals && self.conditions == other.conditions
    }
}

#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Position {
    pub stance: Option<Stance>,
    pub form: Option<Arc<Form>>,
    /// Sorted party ids.
    pub tacit: Vec<Party>,
    pub mv: Option<MoveIx>,
    pub modality: Modality,
}

impl Default for Position {
    fn default() -> Position {
        Position::EMPTY
    }
}

impl Position {
    pub const EMPTY: Position =
        Position { stance: None, form: None, tacit: Vec::new(), mv: None, modality: Modality::Commitment };
}

/// A term of the catalogue, with the relations the rules read.
#[derive(Clone, Debug, Default)]
pub struct Term {
    pub text: Arc<str>,
    pub obligors: Vec<Party>,
    pub consent: Vec<Party>,
    /// The principals, then `consent`.
    pub assent: Vec<Party>,
    pub requires: Vec<TermIx>,
    pub required_by: Vec<TermIx>,
    pub conflicts_with: Vec<TermIx>,
}

#[derive(Clone, Debug, Default)]
pub struct Catalogue {
    pub roles: Vec<Role>,
    pub terms: Vec<Term>,
    /// Each term's and party's place among the ids sorted as strings: the reference sorts by id.
    pub term_rank: Vec<u32>,
    pub party_rank: Vec<u32>,
}

/// The earlier move an `ignore` or a bundle `affirm` names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MoveRef {
    None,
    Id(Arc<str>),
}

#[derive(Clone, Debug)]
pub struct Act {
    pub verb: Verb,
    /// None: the act names no term; `unknown_term` says whether it (or a condition) is not in the catalogue.
    pub term: Option<TermIx>,
    pub unknown_term: bool,
    pub mv: MoveRef,
    pub wording: Option<Arc<str>>,
    pub quals: [Option<Arc<str>>; 4],
    /// In the act's order; duplicates already dropped, as the model does.
    pub conditions: Vec<TermIx>,
    pub begun: bool,
    pub quote: Option<Arc<str>>,
    pub irregular: bool,
    pub modality: Modality,
}

impl Act {
    pub fn formulates(&self) -> bool {
        self.wording.is_some() || self.quals.iter().any(Option::is_some) || !self.conditions.is_empty()
    }
}

#[derive(Clone, Debug)]
pub struct Move {
    pub id: Arc<str>,
    /// None: the author is not a party (the reference raises).
    pub author: Option<Party>,
    pub addressees: Vec<Party>,
    /// An addressee or receipt naming no party (the reference raises).
    pub unknown_party: bool,
    pub channel: Channel,
    pub sent: Option<When>,
    pub received: Vec<(Party, When)>,
    pub published: Option<When>,
    pub acts: Vec<Act>,
}

impl Move {
    fn received_by(&self, party: Party) -> Option<When> {
        self.received.iter().find(|(p, _)| *p == party).map(|(_, w)| *w)
    }

    /// `visibility.knew`: the viewer had the move at `now` (None: at the end of the record).
    pub fn knew(&self, viewer: Party, now: Option<&When>) -> bool {
        if Some(viewer) == self.author {
            return true;
        }
        let known = |when: Option<When>| match (when, now) {
            (None, _) | (_, None) => true,
            (Some(w), Some(n)) => !w.certainly_after(n),
        };
        if self.addressees.contains(&viewer) && known(self.received_by(viewer)) {
            return true;
        }
        if self.channel == Channel::Public && known(self.received_by(viewer).or(self.sent)) {
            return true;
        }
        matches!(self.published, Some(p) if known(Some(p)))
    }
}

/// A move the state remembers: where it stands in the history and the terms its acts moved.
#[derive(Clone, Debug)]
pub struct Record {
    pub mv: Arc<Move>,
    pub index: MoveIx,
    pub touched: Vec<TermIx>,
}

/// Where the reference must take over: it raises `IllegalMove` on this move.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stop;

type Fold<T> = Result<T, Stop>;

pub type Positions = Vec<(Party, Position)>;
pub type PendingMap = BTreeMap<(TermIx, Party), MoveIx>;

/// The state a fold carries from move to move, changed in place; `changed_*` list what changed
/// since the caller last took the changes (with repeats: the caller reads the current values).
#[derive(Clone, Debug, Default)]
pub struct State {
    pub terms: Vec<Positions>,
    pub pending: Vec<PendingMap>,
    pub records: Vec<Record>,
    pub ids: FastMap<Arc<str>, usize>,
    pub count: MoveIx,
    /// (term, party) of every position set.
    pub changed_positions: Vec<(TermIx, Party)>,
    /// (party awaiting, term, proposer) of every pending statement added or removed.
    pub changed_pending: Vec<(Party, TermIx, Party)>,
    /// What `position` gives for a party without one (a `static` cannot hold an `Rc`).
    empty: Position,
}

impl State {
    pub fn new(catalogue: &Catalogue) -> State {
        State {
            terms: vec![Vec::new(); catalogue.terms.len()],
            pending: vec![PendingMap::new(); catalogue.roles.len()],
            records: Vec::new(),
            ids: FastMap::default(),
            count: 0,
            changed_positions: Vec::new(),
            changed_pending: Vec::new(),
            empty: Position::EMPTY,
        }
    }

    pub fn position(&self, term: TermIx, party: Party) -> &Position {
        self.terms[term as usize].iter().find(|(p, _)| *p == party).map_or(&self.empty, |(_, pos)| pos)
    }

    fn record_at(&self, index: MoveIx) -> Option<&Record> {
        // Records are kept in order of their index; a fork's start may not begin at 0.
        let first = self.records.first()?.index;
        self.records.get(index.checked_sub(first)? as usize)
    }
}

struct Draft<'a> {
    cat: &'a Catalogue,
    state: &'a mut State,
    mv: &'a Move,
    author: Party,
    act: Option<&'a Act>,
    formulated: Vec<TermIx>,
    touched: Vec<TermIx>,
    set_aside: Vec<TermIx>,
}

impl Draft<'_> {
    fn broke(&self) -> Fold<()> {
        match self.act {
            Some(act) if act.irregular => Ok(()),
            _ => Err(Stop),
        }
    }

    fn pos(&self, term: TermIx, party: Party) -> &Position {
        self.state.position(term, party)
    }

    fn has_supporters(&self, term: TermIx, besides: Party) -> bool {
        self.state.terms[term as usize].iter().any(|(p, pos)| *p != besides && supports(pos.stance))
    }

    fn base_formulation(&self, term: TermIx, actor: Party) -> Option<Arc<Form>> {
        let mut best: Option<(i64, &Arc<Form>)> = None;
        for (party, pos) in &self.state.terms[term as usize] {
            let Some(form) = &pos.form else { continue };
            if *party == actor || !supports(pos.stance) {
                continue;
            }
            let rank = self.rank(form.mv);
            if best.is_none_or(|(b, _)| rank > b) {
                best = Some((rank, form));
            }
        }
        best.map(|(_, f)| Arc::clone(f))
    }

    fn rank(&self, mv: Option<MoveIx>) -> i64 {
        match mv {
            Some(m) if m == self.state.count => i64::from(self.state.count),
            Some(m) => self.state.record_at(m).map_or(-1, |r| i64::from(r.index)),
            None => -1,
        }
    }

    fn formulate(&self, term: TermIx, act: &Act, base: Option<Arc<Form>>, own: bool) -> Arc<Form> {
        let carried: Arc<[TermIx]> = if own {
            self.pos(term, self.author).form.as_ref().map_or_else(|| Arc::from([]), |f| Arc::clone(&f.conditions))
        } else {
            Arc::from([])
        };
        let given = &act.quals;
        let mv = Some(self.state.count);
        let quote = act.quote.clone();
        match base {
            Some(base) if act.wording.is_none() => {
                let quals = if given.iter().all(Option::is_none) {
                    base.quals.clone()
                } else {
                    [0, 1, 2, 3].map(|i| given[i].clone().or_else(|| base.quals[i].clone()))
                };
                let conditions = joined(&base.conditions, &carried, &act.conditions);
                Arc::new(Form { text: Arc::clone(&base.text), quals, conditions, quote, mv })
            }
            _ => {
                let text = act.wording.clone().unwrap_or_else(|| Arc::clone(&self.cat.terms[term as usize].text));
                let conditions = joined(&Arc::from([]), &carried, &act.conditions);
                Arc::new(Form { text, quals: given.clone(), conditions, quote, mv })
            }
        }
    }

    fn set(&mut self, term: TermIx, party: Party, after: Position) {
        let positions = &mut self.state.terms[term as usize];
        let slot = positions.iter().position(|(p, _)| *p == party);
        if let Some(i) = slot {
            let before = &positions[i].1;
            if after.stance == before.stance
                && after.form == before.form
                && after.tacit == before.tacit
                && after.modality == before.modality
            {
                return;
            }
            positions[i].1 = after;
        } else {
            let empty = Position::EMPTY;
            if after.stance == empty.stance
                && after.form.is_none()
                && after.tacit.is_empty()
                && after.modality == empty.modality
            {
                return;
            }
            positions.push((party, after));
        }
        self.state.changed_positions.push((term, party));
    }

    fn take(&mut self, term: TermIx, stance: Option<Stance>, form: Option<Arc<Form>>, keep: bool) {
        if !self.touched.contains(&term) {
            self.touched.push(term);
        }
        let form = if keep {
            self.pos(term, self.author).form.clone()
        } else {
            if form.is_some() && !self.formulated.contains(&term) {
                self.formulated.push(term);
            }
            form
        };
        let act = self.act.expect("take runs inside an act");
        let modality = match act.verb {
            Verb::Propose | Verb::Accept | Verb::Restate => act.modality,
            Verb::Condition | Verb::Release | Verb::Affirm => self.pos(term, self.author).modality,
            _ => Modality::Commitment,
        };
        let after = Position { stance, form, tacit: Vec::new(), mv: Some(self.state.count), modality };
        self.set(term, self.author, after);
    }

    fn known_term(&self, act: &Act) -> Fold<TermIx> {
        match act.term {
            Some(t) if !act.unknown_term => Ok(t),
            _ => Err(Stop), // an unknown term is an error even in an irregular act
        }
    }

    fn check_relations(&self, term: TermIx, committing: bool) -> Fold<()> {
        let actor = self.author;
        for &req in &self.cat.terms[term as usize].requires {
            if self.pos(req, actor).stance.is_some_and(Stance::refusing) {
                self.broke()?;
            }
        }
        if committing {
            for &other in &self.cat.terms[term as usize].conflicts_with {
                if supports(self.pos(other, actor).stance) {
                    self.broke()?;
                }
            }
        }
        Ok(())
    }

    fn check_standing(&self, term: TermIx) -> Fold<()> {
        match self.cat.roles[self.author as usize] {
            Role::Mediator => self.broke(),
            Role::Third => {
                let t = &self.cat.terms[term as usize];
                if !t.obligors.contains(&self.author) && !t.consent.contains(&self.author) {
                    self.broke()?;
                }
                Ok(())
            }
            Role::Principal => Ok(()),
        }
    }

    fn check_refusal(&self, term: TermIx) -> Fold<()> {
        for &other in &self.cat.terms[term as usize].required_by {
            if supports(self.pos(other, self.author).stance) {
                self.broke()?;
            }
        }
        Ok(())
    }

    /// The earlier move an act names, if it exists (its record's position) and had reached the author.
    fn earlier_move(&self, mv: &MoveRef) -> Fold<Option<usize>> {
        let MoveRef::Id(id) = mv else { return Ok(None) };
        let Some(&at) = self.state.ids.get(id) else {
            self.broke()?;
            return Ok(None);
        };
        if !self.state.records[at].mv.knew(self.author, self.mv.sent.as_ref()) {
            self.broke()?;
        }
        Ok(Some(at))
    }

    fn apply(&mut self, act: &Act) -> Fold<()> {
        let actor = self.author;
        match act.verb {
            Verb::Propose => {
                let term = self.known_term(act)?;
                self.check_relations(term, false)?;
                let mine = self.pos(term, actor).clone();
                if mine.stance == Some(Stance::Proposed) {
                    let form = self.formulate(term, act, mine.form, true);
                    self.take(term, Some(Stance::Proposed), Some(form), false);
                    return Ok(());
                }
                if supports(mine.stance) || self.has_supporters(term, actor) {
                    self.broke()?;
                }
                let form = self.formulate(term, act, None, false);
                self.take(term, Some(Stance::Proposed), Some(form), false);
            }
            Verb::Accept => {
                let term = self.known_term(act)?;
                self.check_standing(term)?;
                let mine = self.pos(term, actor).clone();
                let base = self.base_formulation(term, actor);
                if base.is_none() && !self.has_supporters(term, actor) {
                    self.broke()?;
                }
                self.check_relations(term, true)?;
                let stance = match mine.stance {
                    Some(s) if s.binding() => s,
                    _ => Stance::Accepted,
                };
                let form = self.formulate(term, act, base.or(mine.form), false);
                self.take(term, Some(stance), Some(form), false);
            }
            Verb::Reject => {
                let term = self.known_term(act)?;
                self.check_standing(term)?;
                if self.pos(term, actor).stance == Some(Stance::Proposed) || !self.has_supporters(term, actor) {
                    self.broke()?;
                }
                self.check_refusal(term)?;
                self.take(term, Some(Stance::Rejected), None, true);
            }
            Verb::Dispute => {
                let term = self.known_term(act)?;
                let stated = self.state.terms[term as usize].iter().any(|(p, pos)| *p != actor && pos.stance.is_some());
                if !stated {
                    self.broke()?;
                }
                if act.formulates() {
                    let base = self.pos(term, actor).form.clone();
                    let form = self.formulate(term, act, base, true);
                    self.take(term, Some(Stance::Disputed), Some(form), false);
                } else {
                    self.take(term, Some(Stance::Disputed), None, true);
                }
            }
            Verb::Restate => {
                let term = self.known_term(act)?;
                let mine = self.pos(term, actor).clone();
                if mine.stance.is_none() {
                    self.broke()?;
                }
                if !act.formulates() {
                    self.broke()?;
                }
                let base = mine.form.or_else(|| self.base_formulation(term, actor));
                let stance = mine.stance.unwrap_or(if self.has_supporters(term, actor) {
                    Stance::Accepted
                } else {
                    Stance::Proposed
                });
                let form = self.formulate(term, act, base, true);
                self.take(term, Some(stance), Some(form), false);
            }
            Verb::Condition => {
                let term = self.known_term(act)?;
                let mine = self.pos(term, actor).clone();
                if !supports(mine.stance) {
                    self.broke()?;
                }
                let base = mine.form.or_else(|| self.base_formulation(term, actor));
                let form = self.formulate(term, act, base, true);
                self.take(term, mine.stance, Some(form), false);
            }
            Verb::Release => {
                let term = self.known_term(act)?;
                let mine = self.pos(term, actor).clone();
                let held: Arc<[TermIx]> =
                    mine.form.as_ref().map_or_else(|| Arc::from([]), |f| Arc::clone(&f.conditions));
                if !supports(mine.stance) {
                    self.broke()?;
                }
                for other in &act.conditions {
                    if !held.contains(other) {
                        self.broke()?;
                    }
                }
                let Some(form) = mine.form else {
                    self.take(term, mine.stance, None, true);
                    return Ok(());
                };
                let kept: Vec<TermIx> = held.iter().copied().filter(|c| !act.conditions.contains(c)).collect();
                let kept = Form {
                    conditions: Arc::from(kept),
                    quote: act.quote.clone(),
                    mv: Some(self.state.count),
                    ..(*form).clone()
                };
                self.take(term, mine.stance, Some(Arc::new(kept)), false);
            }
            Verb::Withdraw => {
                let term = self.known_term(act)?;
                let mine = self.pos(term, actor);
                if mine.stance == Some(Stance::Fulfilled) || !supports(mine.stance) {
                    self.broke()?;
                }
                self.check_refusal(term)?;
                self.take(term, Some(Stance::Withdrawn), None, true);
            }
            Verb::Ignore => {
                let Some(at) = self.earlier_move(&act.mv)? else { return Ok(()) };
                let record = self.state.records[at].clone();
                if record.mv.author == Some(actor) {
                    self.broke()?;
                }
                for &term in &record.touched {
                    if !self.set_aside.contains(&term) {
                        self.set_aside.push(term);
                    }
                }
                for &term in &record.touched {
                    if self.pos(term, actor).stance.is_none() {
                        self.take(term, Some(Stance::Ignored), None, false);
                    }
                }
            }
            Verb::Affirm => {
                if act.term.is_some() || act.unknown_term {
                    let term = self.known_term(act)?;
                    if !supports(self.pos(term, actor).stance) {
                        self.broke()?;
                    }
                    return self.bind(term, act);
                }
                let Some(at) = self.earlier_move(&act.mv)? else { return Ok(()) };
                let record = self.state.records[at].clone();
                let author = record.mv.author;
                let mut terms: Vec<TermIx> = record
                    .touched
                    .iter()
                    .copied()
                    .filter(|&t| {
                        supports(self.pos(t, actor).stance) && author.is_some_and(|a| supports(self.pos(t, a).stance))
                    })
                    .collect();
                terms.sort_by_key(|&t| self.cat.term_rank[t as usize]);
                if terms.is_empty() {
                    self.broke()?;
                }
                for term in terms {
                    self.bind(term, act)?;
                }
            }
            Verb::Fulfil => {
                let term = self.known_term(act)?;
                if !self.cat.terms[term as usize].obligors.contains(&actor) {
                    self.broke()?;
                }
                let mine = self.pos(term, actor).clone();
                let contested =
                    self.state.terms[term as usize].iter().any(|(_, p)| p.stance == Some(Stance::Contested));
                if mine.stance == Some(Stance::Fulfilled) && !contested {
                    self.broke()?;
                }
                if !supports(mine.stance) && !self.has_supporters(term, actor) {
                    self.broke()?;
                }
                self.check_relations(term, true)?;
                let stance = if act.begun { Stance::Performing } else { Stance::Fulfilled };
                let form = match mine.form {
                    Some(f) => Some(f),
                    None => self.base_formulation(term, actor).map(|base| {
                        Arc::new(Form { quote: act.quote.clone(), mv: Some(self.state.count), ..(*base).clone() })
                    }),
                };
                // None here keeps no formulation: the reference passes None, it does not keep its own.
                self.take(term, Some(stance), form, false);
            }
            Verb::Contest | Verb::Confirm => {
                let term = self.known_term(act)?;
                self.check_standing(term)?;
                let obligors = &self.cat.terms[term as usize].obligors;
                let own = obligors.contains(&actor) && self.pos(term, actor).stance.is_some_and(Stance::performance);
                let claims =
                    obligors.iter().any(|&p| p != actor && self.pos(term, p).stance.is_some_and(Stance::performance));
                if own || !claims {
                    self.broke()?;
                }
                let stance = if act.verb == Verb::Contest { Stance::Contested } else { Stance::Confirmed };
                self.take(term, Some(stance), None, true);
            }
        }
        Ok(())
    }

    fn bind(&mut self, term: TermIx, act: &Act) -> Fold<()> {
        self.check_standing(term)?;
        self.check_relations(term, true)?;
        let mine = self.pos(term, self.author).clone();
        let stance = match mine.stance {
            Some(s) if s.performance() || s.judged() => s,
            _ => Stance::Affirmed,
        };
        if act.formulates() {
            let base = mine.form.or_else(|| self.base_formulation(term, self.author));
            let form = self.formulate(term, act, base, true);
            self.take(term, Some(stance), Some(form), false);
        } else {
            self.take(term, Some(stance), None, true);
        }
        Ok(())
    }

    /// `silence.silence`: the author's silence on what it received from an addressee and left unaddressed.
    fn silence(&mut self) {
        let author = self.author;
        if self.state.pending[author as usize].is_empty() {
            return;
        }
        let public = self.mv.channel == Channel::Public;
        let mut items: Vec<((TermIx, Party), MoveIx)> =
            self.state.pending[author as usize].iter().map(|(k, v)| (*k, *v)).collect();
        let (tr, pr) = (&self.cat.term_rank, &self.cat.party_rank);
        items.sort_by_key(|((t, p), _)| (tr[*t as usize], pr[*p as usize]));
        let mut removed = Vec::new();
        for ((term, proposer), mv) in items {
            let addressee = self.mv.addressees.contains(&proposer);
            if self.touched.contains(&term) || self.set_aside.contains(&term) {
                if public || addressee {
                    removed.push((term, proposer));
                }
                continue;
            }
            if !addressee {
                continue;
            }
            let record = self.state.record_at(mv).expect("a pending statement names a move of the state");
            if !record.mv.knew(author, self.mv.sent.as_ref()) {
                continue;
            }
            removed.push((term, proposer));
            let before = self.pos(term, author).clone();
            let after = if matches!(before.stance, None | Some(Stance::Ignored) | Some(Stance::Unchallenged)) {
                Position {
                    stance: Some(Stance::Unchallenged),
                    form: before.form,
                    tacit: before.tacit,
                    mv: Some(self.state.count),
                    modality: Modality::Commitment,
                }
            } else {
                let mut tacit = before.tacit.clone();
                if let Err(i) = tacit.binary_search(&proposer) {
                    tacit.insert(i, proposer);
                }
                Position {
                    stance: before.stance,
                    form: before.form,
                    tacit,
                    mv: Some(self.state.count),
                    modality: before.modality,
                }
            };
            self.set(term, author, after);
        }
        if !removed.is_empty() {
            let mine = &mut self.state.pending[author as usize];
            for key in removed {
                if mine.remove(&key).is_some() {
                    self.state.changed_pending.push((author, key.0, key.1));
                }
            }
        }
    }

    /// `silence.new_statements`: the author's new formulations await an answer from those they reach.
    fn new_statements(&mut self) {
        if self.formulated.is_empty() {
            return;
        }
        let author = self.author;
        let public = self.mv.channel == Channel::Public;
        let mut terms = self.formulated.clone();
        terms.sort_by_key(|&t| self.cat.term_rank[t as usize]);
        for term in terms {
            let stated = self.pos(term, author).form.clone();
            for &party in &self.cat.terms[term as usize].assent {
                if party == author || !(public || self.mv.addressees.contains(&party)) {
                    continue;
                }
                let theirs = self.pos(term, party).clone();
                let same = match (&theirs.form, &stated) {
                    (Some(a), Some(b)) => a.same_substance(b),
                    _ => false,
                };
                let items = &mut self.state.pending[party as usize];
                if same {
                    if items.remove(&(term, author)).is_some() {
                        self.state.changed_pending.push((party, term, author));
                    }
                } else {
                    if items.insert((term, author), self.state.count) != Some(self.state.count) {
                        self.state.changed_pending.push((party, term, author));
                    }
                    if let Ok(i) = theirs.tacit.binary_search(&author) {
                        let mut tacit = theirs.tacit.clone();
                        tacit.remove(i);
                        self.set(term, party, Position { tacit, ..theirs });
                    }
                }
            }
        }
    }
}

fn joined(base: &Arc<[TermIx]>, carried: &Arc<[TermIx]>, given: &[TermIx]) -> Arc<[TermIx]> {
    if carried.is_empty() && given.is_empty() {
        return Arc::clone(base);
    }
    let mut all: Vec<TermIx> = base.iter().chain(carried.iter()).chain(given.iter()).copied().collect();
    all.sort_unstable();
    all.dedup();
    Arc::from(all)
}

/// Apply one move as `rules.play` does (strict), or `Stop` where the reference raises.
///
/// On `Stop` the state may be part-way through the move: the caller goes back to a state it
/// kept and lets the reference apply the moves from there.
pub fn play(cat: &Catalogue, state: &mut State, mv: &Arc<Move>) -> Fold<()> {
    if state.ids.contains_key(&mv.id) || mv.unknown_party {
        return Err(Stop);
    }
    let Some(author) = mv.author else { return Err(Stop) };
    let mut d =
        Draft { cat, state, mv, author, act: None, formulated: Vec::new(), touched: Vec::new(), set_aside: Vec::new() };
    for act in &mv.acts {
        d.act = Some(act);
        d.apply(act)?;
    }
    d.act = None;
    d.silence();
    d.new_statements();
    let mut touched = d.touched;
    touched.sort_by_key(|&t| cat.term_rank[t as usize]);
    let index = state.count;
    state.ids.insert(Arc::clone(&mv.id), state.records.len());
    state.records.push(Record { mv: Arc::clone(mv), index, touched });
    state.count += 1;
    Ok(())
}

#[cfg(test)]
mod tests {
    //! The rules on a small catalogue, move by move, as docs/semantics.md states them; the
    //! Python package's differential tests check the same fold against the reference at scale.

    use super::*;

    const US: Party = 0;
    const USSR: Party = 1;
    const UN: Party = 2;
    const CUBA: Party = 3;
    const REMOVAL: TermIx = 0;
    const PLEDGE: TermIx = 1;
    const INSPECTION: TermIx = 2;

    /// Two principals, a mediator and a third party; the pledge requires the removal, and
    /// inspection on Cuban soil asks Cuba's consent.
    fn catalogue() -> Catalogue {
        let term = |text: &str, obligors: Vec<Party>, consent: Vec<Party>, requires: Vec<TermIx>| Term {
            text: Arc::from(text),
            obligors,
            assent: [vec![US, USSR], consent.clone()].concat(),
            consent,
            requires,
            required_by: Vec::new(),
            conflicts_with: Vec::new(),
        };
        let mut terms = vec![
            term("remove the weapons", vec![USSR], vec![], vec![]),
            term("no invasion", vec![US], vec![], vec![REMOVAL]),
            term("inspection", vec![USSR], vec![CUBA], vec![]),
        ];
        terms[REMOVAL as usize].required_by = vec![PLEDGE];
        Catalogue {
            roles: vec![Role::Principal, Role::Principal, Role::Mediator, Role::Third],
            terms,
            term_rank: vec![2, 1, 0],
            party_rank: vec![2, 3, 1, 0],
        }
    }

    fn act(verb: Verb, term: TermIx) -> Act {
        Act {
            verb,
            term: Some(term),
            unknown_term: false,
            mv: MoveRef::None,
            wording: None,
            quals: [None, None, None, None],
            conditions: Vec::new(),
            begun: false,
            quote: None,
            irregular: false,
            modality: Modality::Commitment,
        }
    }

    fn worded(verb: Verb, term: TermIx, wording: &str) -> Act {
        Act { wording: Some(Arc::from(wording)), ..act(verb, term) }
    }

    fn letter(id: &str, author: Party, to: Party, acts: Vec<Act>) -> Arc<Move> {
        Arc::new(Move {
            id: Arc::from(id),
            author: Some(author),
            addressees: vec![to],
            unknown_party: false,
            channel: Channel::Private,
            sent: None,
            received: Vec::new(),
            published: None,
            acts,
        })
    }

    fn folded(cat: &Catalogue, moves: &[Arc<Move>]) -> Fold<State> {
        let mut state = State::new(cat);
        for mv in moves {
            play(cat, &mut state, mv)?;
        }
        Ok(state)
    }

    #[test]
    fn a_proposal_awaits_the_addressee_until_it_accepts_in_the_proposers_words() {
        let cat = catalogue();
        let propose = letter("m1", USSR, US, vec![worded(Verb::Propose, REMOVAL, "dismantle under UN supervision")]);
        let state = folded(&cat, &[Arc::clone(&propose)]).unwrap();
        assert_eq!(state.position(REMOVAL, USSR).stance, Some(Stance::Proposed));
        assert_eq!(state.pending[US as usize].get(&(REMOVAL, USSR)), Some(&0));
        let accept = letter("m2", US, USSR, vec![act(Verb::Accept, REMOVAL)]);
        let state = folded(&cat, &[propose, accept]).unwrap();
        let us = state.position(REMOVAL, US);
        assert_eq!(us.stance, Some(Stance::Accepted));
        assert_eq!(&*us.form.as_ref().unwrap().text, "dismantle under UN supervision");
        assert!(state.pending[US as usize].is_empty(), "an answered statement no longer awaits an answer");
        assert_eq!(state.count, 2);
    }

    #[test]
    fn a_party_cannot_reject_its_own_proposal_even_once_the_other_accepted_it() {
        let cat = catalogue();
        let moves = [
            letter("m1", US, USSR, vec![act(Verb::Propose, PLEDGE)]),
            letter("m2", USSR, US, vec![act(Verb::Accept, PLEDGE)]),
            letter("m3", US, USSR, vec![act(Verb::Reject, PLEDGE)]),
        ];
        assert!(folded(&cat, &moves[..2]).is_ok());
        assert_eq!(folded(&cat, &moves).unwrap_err(), Stop);
    }

    #[test]
    fn a_rejection_answers_the_others_proposal() {
        let cat = catalogue();
        let propose = letter("m1", US, USSR, vec![act(Verb::Propose, PLEDGE)]);
        let reject = letter("m2", USSR, US, vec![act(Verb::Reject, PLEDGE)]);
        let state = folded(&cat, &[propose, reject]).unwrap();
        assert_eq!(state.position(PLEDGE, USSR).stance, Some(Stance::Rejected));
        assert!(state.position(PLEDGE, USSR).form.is_none(), "a rejection states no wording of its own");
    }

    #[test]
    fn a_move_id_is_used_once() {
        let cat = catalogue();
        let first = letter("m1", US, USSR, vec![act(Verb::Propose, PLEDGE)]);
        let again = letter("m1", USSR, US, vec![act(Verb::Propose, REMOVAL)]);
        assert_eq!(folded(&cat, &[first, again]).unwrap_err(), Stop);
    }

    #[test]
    fn a_mediator_cannot_accept_unless_the_record_keeps_the_act_as_irregular() {
        let cat = catalogue();
        let propose = letter("m1", USSR, UN, vec![act(Verb::Propose, REMOVAL)]);
        let accept = letter("m2", UN, USSR, vec![act(Verb::Accept, REMOVAL)]);
        assert_eq!(folded(&cat, &[Arc::clone(&propose), accept]).unwrap_err(), Stop);
        let kept = letter("m2", UN, USSR, vec![Act { irregular: true, ..act(Verb::Accept, REMOVAL) }]);
        let state = folded(&cat, &[propose, kept]).unwrap();
        assert_eq!(state.position(REMOVAL, UN).stance, Some(Stance::Accepted));
    }

    #[test]
    fn refusing_a_term_another_term_requires_is_refused_while_that_one_is_supported() {
        let cat = catalogue();
        let moves = [
            letter("m1", USSR, US, vec![act(Verb::Propose, REMOVAL), act(Verb::Propose, PLEDGE)]),
            letter("m2", USSR, US, vec![act(Verb::Withdraw, REMOVAL)]),
        ];
        assert_eq!(folded(&cat, &moves).unwrap_err(), Stop);
    }

    #[test]
    fn silence_on_a_received_proposal_leaves_it_unchallenged() {
        let cat = catalogue();
        let moves = [
            letter("m1", US, USSR, vec![act(Verb::Propose, PLEDGE)]),
            letter("m2", USSR, US, vec![act(Verb::Propose, REMOVAL)]),
        ];
        let state = folded(&cat, &moves).unwrap();
        let ussr = state.position(PLEDGE, USSR);
        assert_eq!(ussr.stance, Some(Stance::Unchallenged));
        assert_eq!(ussr.mv, Some(1), "the silence is the second move's");
        assert!(state.pending[USSR as usize].is_empty());
        assert_eq!(state.pending[US as usize].get(&(REMOVAL, USSR)), Some(&1));
    }

    #[test]
    fn only_an_obligor_performs_and_performance_begun_is_performing() {
        let cat = catalogue();
        let agreed = [
            letter("m1", USSR, US, vec![act(Verb::Propose, REMOVAL)]),
            letter("m2", US, USSR, vec![act(Verb::Accept, REMOVAL)]),
        ];
        let by_us = letter("m3", US, USSR, vec![act(Verb::Fulfil, REMOVAL)]);
        assert_eq!(folded(&cat, &[agreed[0].clone(), agreed[1].clone(), by_us]).unwrap_err(), Stop);
        let begun = letter("m3", USSR, US, vec![Act { begun: true, ..act(Verb::Fulfil, REMOVAL) }]);
        let state = folded(&cat, &[agreed[0].clone(), agreed[1].clone(), begun]).unwrap();
        assert_eq!(state.position(REMOVAL, USSR).stance, Some(Stance::Performing));
    }

    #[test]
    fn a_term_needing_a_third_partys_consent_awaits_its_answer_too() {
        let cat = catalogue();
        let mut propose = (*letter("m1", USSR, US, vec![act(Verb::Propose, INSPECTION)])).clone();
        propose.channel = Channel::Public;
        let state = folded(&cat, &[Arc::new(propose)]).unwrap();
        assert!(state.pending[US as usize].contains_key(&(INSPECTION, USSR)));
        assert!(state.pending[CUBA as usize].contains_key(&(INSPECTION, USSR)));
        assert!(state.pending[UN as usize].is_empty(), "the mediator's assent is not asked");
    }

    #[test]
    fn a_late_receipt_is_not_known_before_it_arrives() {
        let day = |d: i64, minute: i64| When { day: d, at: Some(d * 86_400 + minute * 60) };
        let mut mv = (*letter("m1", US, USSR, Vec::new())).clone();
        mv.sent = Some(day(10, 0));
        mv.received = vec![(USSR, day(11, 0))];
        assert!(!mv.knew(USSR, Some(&day(10, 30))));
        assert!(mv.knew(USSR, Some(&day(11, 0))));
        assert!(mv.knew(US, Some(&day(1, 0))), "the author knows its own move");
        assert!(!mv.knew(CUBA, None), "a private letter does not reach a third party");
    }
}
