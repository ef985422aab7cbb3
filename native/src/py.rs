//! The Python face of the native fold: `Folder` reads the package's catalogue, state and moves
//! (attrs objects) and hands back what changed, as plain tuples the package builds its states from.

use crate::hash::FastMap;
use std::sync::Arc;

use pyo3::exceptions::PyValueError;
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::types::{PyList, PyString, PyTuple};

use crate::rules::{
    self, Act, Catalogue, Channel, Form, Modality, Move, MoveIx, MoveRef, Party, Position, Record, Role, Stance, State,
    TermIx, Verb, When,
};

fn index_of<T: Copy + PartialEq>(all: &[T], names: &[&str], name: &str) -> PyResult<T> {
    names
        .iter()
        .position(|n| *n == name)
        .map(|i| all[i])
        .ok_or_else(|| PyValueError::new_err(format!("the native core does not know {name:?}")))
}

const VERBS: &[&str] = &[
    "propose",
    "accept",
    "reject",
    "dispute",
    "restate",
    "condition",
    "release",
    "withdraw",
    "ignore",
    "affirm",
    "fulfil",
    "contest",
    "confirm",
];
const CHANNELS: &[&str] = &["private", "public", "back-channel", "oral"];
const ROLES: &[&str] = &["principal", "mediator", "third"];
const STANCES: &[&str] = &[
    "proposed",
    "accepted",
    "rejected",
    "disputed",
    "unchallenged",
    "ignored",
    "withdrawn",
    "affirmed",
    "performing",
    "fulfilled",
    "contested",
    "confirmed",
];
const MODALITIES: &[&str] = &["commitment", "demand", "prediction", "confidence", "hope"];
const QUALIFIERS: [&str; 4] = ["scope", "verification", "timing", "confidentiality"];

/// A Python string (or str enum) as borrowed text.
fn text<'a>(value: &'a Bound<'_, PyAny>) -> PyResult<&'a str> {
    value.downcast::<PyString>()?.to_str()
}

/// The members of a str enum (verbs, channels, modalities) by object, so that a member seen
/// once is not compared as text again; the members are held, so their addresses stay theirs.
#[derive(Default)]
struct Members {
    seen: Vec<(usize, u8)>,
    held: Vec<Py<PyAny>>,
}

impl Members {
    fn index(&mut self, value: &Bound<'_, PyAny>, names: &[&str]) -> PyResult<u8> {
        let key = value.as_ptr() as usize;
        if let Some(&(_, i)) = self.seen.iter().find(|(k, _)| *k == key) {
            return Ok(i);
        }
        let name = text(value)?;
        let i = names
            .iter()
            .position(|n| *n == name)
            .ok_or_else(|| PyValueError::new_err(format!("the native core does not know {name:?}")))?;
        self.seen.push((key, i as u8));
        self.held.push(value.clone().unbind());
        Ok(i as u8)
    }
}

/// Strings shared by every formulation and act that repeats them (term texts, wordings).
#[derive(Default)]
struct Strings(FastMap<String, Arc<str>>);

impl Strings {
    fn get(&mut self, text: &str) -> Arc<str> {
        if let Some(s) = self.0.get(text) {
            return Arc::clone(s);
        }
        let s: Arc<str> = Arc::from(text);
        self.0.insert(text.to_owned(), Arc::clone(&s));
        s
    }

    fn opt(&mut self, value: &Bound<'_, PyAny>) -> PyResult<Option<Arc<str>>> {
        if value.is_none() {
            return Ok(None);
        }
        Ok(Some(self.get(text(value)?)))
    }
}

/// A position as the package builds it: stance, formulation and move as indices (NONE: absent).
struct Row {
    stance: u8,
    form: u32,
    tacit: Box<[Party]>,
    mv: MoveIx,
    modality: u8,
}

const NONE: u32 = u32::MAX;

impl Row {
    fn of(pos: &Position, form: u32) -> Row {
        Row {
            stance: pos.stance.map_or(u8::MAX, |s| s.index() as u8),
            form,
            tacit: pos.tacit.clone().into_boxed_slice(),
            mv: pos.mv.unwrap_or(NONE),
            modality: pos.modality.index() as u8,
        }
    }
}

/// What one stretch of moves changed, as compact as the state it leads to allows: the
/// positions set and the pending statements added or removed (their values at the stretch's
/// end, NONE for removed), and the range of its moves' touched-term shapes.
struct Stretch {
    positions: Vec<(TermIx, Party, Row)>,
    pending: Vec<(Party, TermIx, Party, MoveIx)>,
    moves_end: usize,
}

/// A fold of moves in Rust, from a state of the Python package.
///
/// `fold` plays moves in stretches and keeps what each stretch changed; the package builds a
/// state after any stretch from those changes, when it is asked for, and the state at the end
/// from `final_state`, which also lets go of the fold's own state.
#[pyclass(module = "negotiation_native")]
pub struct Folder {
    cat: Catalogue,
    state: Option<State>,
    parties: FastMap<String, Party>,
    party_ids: Vec<Py<PyAny>>,
    terms: FastMap<String, TermIx>,
    term_ids: Vec<Py<PyAny>>,
    strings: Strings,
    forms: FastMap<usize, u32>,
    kept_forms: Vec<Arc<Form>>,
    first_move: MoveIx,
    move_ids: Vec<Py<PyAny>>,
    stretches: Vec<Stretch>,
    shapes: FastMap<Vec<TermIx>, u32>,
    shape_tuples: Vec<Py<PyTuple>>,
    move_shapes: Vec<u32>,
    verbs: Members,
    channels: Members,
    modalities: Members,
}

#[pymethods]
impl Folder {
    /// A folder starting from `state` (a `negotiation.State`) of `catalogue`.
    #[new]
    fn new(py: Python<'_>, catalogue: &Bound<'_, PyAny>, state: &Bound<'_, PyAny>) -> PyResult<Folder> {
        let mut strings = Strings::default();
        let mut parties = FastMap::default();
        let mut party_ids = Vec::new();
        let mut roles = Vec::new();
        for party in catalogue.getattr("parties")?.try_iter()? {
            let party = party?;
            let id: String = party.getattr("id")?.extract()?;
            let role: String = party.getattr("role")?.extract()?;
            roles.push(index_of(Role::ALL, ROLES, &role)?);
            parties.insert(id.clone(), party_ids.len() as Party);
            party_ids.push(party.getattr("id")?.unbind());
        }
        let mut terms = FastMap::default();
        let mut term_ids = Vec::new();
        let declared: Vec<Bound<'_, PyAny>> = catalogue.getattr("terms")?.try_iter()?.collect::<PyResult<_>>()?;
        for term in &declared {
            let id: String = term.getattr("id")?.extract()?;
            terms.insert(id, term_ids.len() as TermIx);
            term_ids.push(term.getattr("id")?.unbind());
        }
        let ids = |values: Bound<'_, PyAny>, map: &FastMap<String, u32>| -> PyResult<Vec<u32>> {
            values.try_iter()?.map(|v| Ok(map[&v?.extract::<String>()?])).collect()
        };
        let party_map: FastMap<String, u32> = parties.iter().map(|(k, v)| (k.clone(), u32::from(*v))).collect();
        let to_parties = |v: Vec<u32>| v.into_iter().map(|p| p as Party).collect::<Vec<_>>();
        let assent = catalogue.getattr("assent")?;
        let required_by = catalogue.getattr("required_by")?;
        let conflicts = catalogue.getattr("conflicts_with")?;
        let mut cat_terms = Vec::new();
        for term in &declared {
            let id = term.getattr("id")?;
            let mut required: Vec<u32> = ids(required_by.get_item(&id)?, &terms)?;
            required.sort_unstable();
            let mut conflicting: Vec<u32> = ids(conflicts.get_item(&id)?, &terms)?;
            conflicting.sort_unstable();
            cat_terms.push(rules::Term {
                text: strings.get(&term.getattr("text")?.extract::<String>()?),
                obligors: to_parties(ids(term.getattr("obligors")?, &party_map)?),
                consent: to_parties(ids(term.getattr("consent")?, &party_map)?),
                assent: to_parties(ids(assent.get_item(&id)?, &party_map)?),
                requires: ids(term.getattr("requires")?, &terms)?,
                required_by: required,
                conflicts_with: conflicting,
            });
        }
        let rank = |names: Vec<String>| {
            let mut order: Vec<usize> = (0..names.len()).collect();
            order.sort_by(|&a, &b| names[a].cmp(&names[b]));
            let mut out = vec![0u32; names.len()];
            for (r, i) in order.into_iter().enumerate() {
                out[i] = r as u32;
            }
            out
        };
        let term_names: Vec<String> = term_ids.iter().map(|t| t.extract(py)).collect::<PyResult<_>>()?;
        let party_names: Vec<String> = party_ids.iter().map(|p| p.extract(py)).collect::<PyResult<_>>()?;
        let cat = Catalogue { roles, terms: cat_terms, term_rank: rank(term_names), party_rank: rank(party_names) };
        let mut folder = Folder {
            state: Some(State::new(&cat)),
            cat,
            parties,
            party_ids,
            terms,
            term_ids,
            strings,
            forms: FastMap::default(),
            kept_forms: Vec::new(),
            first_move: 0,
            move_ids: Vec::new(),
            stretches: Vec::new(),
            shapes: FastMap::default(),
            shape_tuples: Vec::new(),
            move_shapes: Vec::new(),
            verbs: Members::default(),
            channels: Members::default(),
            modalities: Members::default(),
        };
        folder.load_state(py, state)?;
        Ok(folder)
    }

    /// Play the moves (a whole number of stretches of `every`), keeping what each stretch
    /// changed; the number of stretches played in full. Fewer than given where the reference
    /// must take over (it raises there): the folder then keeps the stretches before that move
    /// and plays no more.
    fn fold(&mut self, py: Python<'_>, moves: &Bound<'_, PyAny>, every: usize) -> PyResult<usize> {
        if every == 0 {
            return Err(PyValueError::new_err("a stretch holds at least one move"));
        }
        let moves: Vec<Bound<'_, PyAny>> = moves.try_iter()?.collect::<PyResult<_>>()?;
        if !moves.len().is_multiple_of(every) {
            return Err(PyValueError::new_err("fold a whole number of stretches"));
        }
        let before = self.stretches.len();
        for (k, m) in moves.iter().enumerate() {
            let mv = Arc::new(self.read_move(py, m)?);
            let Some(state) = self.state.as_mut() else {
                return Err(PyValueError::new_err("this folder has handed over its state"));
            };
            if rules::play(&self.cat, state, &mv).is_err() {
                self.state = None; // part-way through a move: nothing more can be played from it
                break;
            }
            self.move_ids.push(m.getattr(intern!(py, "id"))?.unbind());
            let touched = &state.records.last().expect("a played move is recorded").touched;
            let shape = match self.shapes.get(touched) {
                Some(&s) => s,
                None => {
                    let s = self.shape_tuples.len() as u32;
                    let ids: Vec<Py<PyAny>> =
                        touched.iter().map(|&t| self.term_ids[t as usize].clone_ref(py)).collect();
                    self.shape_tuples.push(PyTuple::new(py, ids)?.unbind());
                    self.shapes.insert(touched.clone(), s);
                    s
                }
            };
            self.move_shapes.push(shape);
            if (k + 1) % every == 0 {
                self.close_stretch();
            }
        }
        Ok(self.stretches.len() - before)
    }

    /// How many stretches the folder holds.
    fn __len__(&self) -> usize {
        self.stretches.len()
    }

    /// What stretch `k` changed: the positions set, as (term, party, stance, form, tacit, move,
    /// modality), the pending statements, as (party, term, proposer, move or None for removed),
    /// and the touched terms of each of its moves.
    fn stretch<'py>(&self, py: Python<'py>, k: usize) -> PyResult<Bound<'py, PyTuple>> {
        let s = self.stretches.get(k).ok_or_else(|| PyValueError::new_err("no such stretch"))?;
        let positions = PyList::empty(py);
        for (term, party, row) in &s.positions {
            positions.append(self.row_tuple(py, Some(*term), *party, row)?)?;
        }
        let pending = PyList::empty(py);
        for &(party, term, proposer, mv) in &s.pending {
            pending.append((
                self.party_ids[party as usize].clone_ref(py),
                self.term_ids[term as usize].clone_ref(py),
                self.party_ids[proposer as usize].clone_ref(py),
                self.move_id(py, mv),
            ))?;
        }
        let begin = if k == 0 { 0 } else { self.stretches[k - 1].moves_end };
        let touched = self.touched(py, begin, s.moves_end)?;
        PyTuple::new(py, [positions.into_any(), pending.into_any(), touched.into_any()])
    }

    /// Formulation `i`, as (text, scope, verification, timing, confidentiality, conditions,
    /// quote, move), as positions number them.
    fn form<'py>(&self, py: Python<'py>, i: usize) -> PyResult<Bound<'py, PyTuple>> {
        let f = self.kept_forms.get(i).ok_or_else(|| PyValueError::new_err("no such formulation"))?;
        let quals: Vec<Option<&str>> = f.quals.iter().map(|q| q.as_deref()).collect();
        let conditions: Vec<Py<PyAny>> =
            f.conditions.iter().map(|&c| self.term_ids[c as usize].clone_ref(py)).collect();
        (
            &*f.text,
            quals[0],
            quals[1],
            quals[2],
            quals[3],
            PyTuple::new(py, conditions)?,
            f.quote.as_deref(),
            self.move_id(py, f.mv.unwrap_or(NONE)),
        )
            .into_pyobject(py)
    }

    /// The whole state the fold reached, after its last stretch: every raised term's positions,
    /// every party's pending statements, and the touched terms of every move played. The folder
    /// then lets go of its own state (the stretches stay).
    fn final_state<'py>(&mut self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        let Some(state) = self.state.take() else {
            return Err(PyValueError::new_err("this folder holds no whole state"));
        };
        let terms = PyList::empty(py);
        for (t, held) in state.terms.iter().enumerate() {
            if held.is_empty() {
                continue;
            }
            let positions = PyList::empty(py);
            for (party, pos) in held {
                let form = pos.form.as_ref().map_or(NONE, |f| self.form_id(f));
                positions.append(self.row_tuple(py, None, *party, &Row::of(pos, form))?)?;
            }
            terms.append((self.term_ids[t].clone_ref(py), positions))?;
        }
        let pending = PyList::empty(py);
        for (p, items) in state.pending.iter().enumerate() {
            if items.is_empty() {
                continue;
            }
            let entries = PyList::empty(py);
            for (&(term, proposer), &mv) in items {
                entries.append((
                    self.term_ids[term as usize].clone_ref(py),
                    self.party_ids[proposer as usize].clone_ref(py),
                    self.move_id(py, mv),
                ))?;
            }
            pending.append((self.party_ids[p].clone_ref(py), entries))?;
        }
        let touched = self.touched(py, 0, self.move_shapes.len())?;
        PyTuple::new(py, [terms.into_any(), pending.into_any(), touched.into_any()])
    }
}

impl Folder {
    fn move_id(&self, py: Python<'_>, mv: MoveIx) -> Option<Py<PyAny>> {
        if mv == NONE {
            return None;
        }
        self.move_ids.get(mv.checked_sub(self.first_move)? as usize).map(|id| id.clone_ref(py))
    }

    fn form_id(&mut self, form: &Arc<Form>) -> u32 {
        let key = Arc::as_ptr(form) as usize;
        if let Some(&i) = self.forms.get(&key) {
            return i;
        }
        let i = self.kept_forms.len() as u32;
        self.forms.insert(key, i);
        self.kept_forms.push(Arc::clone(form)); // kept alive, so the address stays this form's
        i
    }

    /// Keep what the moves since the last stretch changed, at its values now.
    fn close_stretch(&mut self) {
        let state = self.state.as_mut().expect("a stretch closes on a whole state");
        let mut changed = std::mem::take(&mut state.changed_positions);
        let mut pending_changed = std::mem::take(&mut state.changed_pending);
        changed.sort_unstable();
        changed.dedup();
        pending_changed.sort_unstable();
        pending_changed.dedup();
        let state = self.state.as_ref().expect("a stretch closes on a whole state");
        let mut positions = Vec::with_capacity(changed.len());
        for (term, party) in changed {
            let pos = state.position(term, party).clone();
            positions.push((term, party, pos));
        }
        let pending: Vec<(Party, TermIx, Party, MoveIx)> = pending_changed
            .into_iter()
            .map(|(p, t, q)| (p, t, q, state.pending[p as usize].get(&(t, q)).copied().unwrap_or(NONE)))
            .collect();
        let positions = positions
            .into_iter()
            .map(|(term, party, pos)| {
                let form = pos.form.as_ref().map_or(NONE, |f| self.form_id(f));
                (term, party, Row::of(&pos, form))
            })
            .collect();
        self.stretches.push(Stretch { positions, pending, moves_end: self.move_shapes.len() });
    }

    /// (party, stance, form, tacit, move, modality), led by the term where one is given.
    fn row_tuple<'py>(
        &self,
        py: Python<'py>,
        term: Option<TermIx>,
        party: Party,
        row: &Row,
    ) -> PyResult<Bound<'py, PyTuple>> {
        let stance: i64 = if row.stance == u8::MAX { -1 } else { i64::from(row.stance) };
        let form: i64 = if row.form == NONE { -1 } else { i64::from(row.form) };
        let tacit: Vec<Py<PyAny>> = row.tacit.iter().map(|&p| self.party_ids[p as usize].clone_ref(py)).collect();
        let mut items: Vec<Bound<'py, PyAny>> = Vec::with_capacity(7);
        if let Some(t) = term {
            items.push(self.term_ids[t as usize].clone_ref(py).into_bound(py));
        }
        items.push(self.party_ids[party as usize].clone_ref(py).into_bound(py));
        items.push(stance.into_pyobject(py)?.into_any());
        items.push(form.into_pyobject(py)?.into_any());
        items.push(if tacit.is_empty() { PyTuple::empty(py).into_any() } else { PyTuple::new(py, tacit)?.into_any() });
        items.push(self.move_id(py, row.mv).into_pyobject(py)?.into_any());
        items.push(i64::from(row.modality).into_pyobject(py)?.into_any());
        PyTuple::new(py, items)
    }

    /// The touched-term tuples of the moves played here, from `begin` to `end`.
    fn touched<'py>(&self, py: Python<'py>, begin: usize, end: usize) -> PyResult<Bound<'py, PyList>> {
        let out = PyList::empty(py);
        for &s in &self.move_shapes[begin..end] {
            out.append(self.shape_tuples[s as usize].clone_ref(py))?;
        }
        Ok(out)
    }

    fn party(&self, name: &str) -> Option<Party> {
        self.parties.get(name).copied()
    }

    fn when(py: Python<'_>, value: &Bound<'_, PyAny>) -> PyResult<Option<When>> {
        if value.is_none() {
            return Ok(None);
        }
        let day: i64 = value.getattr(intern!(py, "day"))?.call_method0(intern!(py, "toordinal"))?.extract()?;
        let at = value.getattr(intern!(py, "at"))?;
        let at = if at.is_none() {
            None
        } else {
            Some(at.call_method0(intern!(py, "timestamp"))?.extract::<f64>()?.round() as i64)
        };
        Ok(Some(When { day, at }))
    }

    fn read_move(&mut self, py: Python<'_>, m: &Bound<'_, PyAny>) -> PyResult<Move> {
        let id = m.getattr(intern!(py, "id"))?;
        let id = text(&id)?;
        let author = m.getattr(intern!(py, "author"))?;
        let author = self.party(text(&author)?);
        let mut unknown_party = false;
        let mut addressees = Vec::new();
        let to = m.getattr(intern!(py, "addressees"))?;
        for a in to.try_iter()? {
            match self.party(text(&a?)?) {
                Some(p) => addressees.push(p),
                None => unknown_party = true,
            }
        }
        let mut received = Vec::new();
        let receipts = m.getattr(intern!(py, "received"))?;
        if receipts.len()? > 0 {
            for item in receipts.call_method0(intern!(py, "items"))?.try_iter()? {
                let item = item?;
                let (name, when): (Bound<'_, PyAny>, Bound<'_, PyAny>) = item.extract()?;
                let name = text(&name)?;
                match self.party(name) {
                    Some(p) => received.push((p, Self::when(py, &when)?.expect("a receipt has a time"))),
                    // The public's receipt of a move not addressed to it is allowed (check_move).
                    None if name == "public" && !to.contains("public")? => {}
                    None => unknown_party = true,
                }
            }
        }
        let channel = m.getattr(intern!(py, "channel"))?;
        let mut acts = Vec::new();
        for a in m.getattr(intern!(py, "acts"))?.try_iter()? {
            acts.push(self.read_act(py, &a?)?);
        }
        Ok(Move {
            id: Arc::from(id),
            author,
            addressees,
            unknown_party,
            channel: Channel::ALL[self.channels.index(&channel, CHANNELS)? as usize],
            sent: Self::when(py, &m.getattr(intern!(py, "sent"))?)?,
            received,
            published: Self::when(py, &m.getattr(intern!(py, "published"))?)?,
            acts,
        })
    }

    fn read_act(&mut self, py: Python<'_>, a: &Bound<'_, PyAny>) -> PyResult<Act> {
        let verb = a.getattr(intern!(py, "verb"))?;
        let term = a.getattr(intern!(py, "term"))?;
        let mut unknown_term = false;
        let term = if term.is_none() {
            None
        } else {
            let t = self.terms.get(text(&term)?).copied();
            unknown_term |= t.is_none();
            t
        };
        let mut conditions = Vec::new();
        let given = a.getattr(intern!(py, "conditions"))?;
        if given.len()? > 0 {
            for c in given.try_iter()? {
                match self.terms.get(text(&c?)?) {
                    Some(&t) => {
                        if !conditions.contains(&t) {
                            conditions.push(t);
                        }
                    }
                    None => unknown_term = true,
                }
            }
        }
        let mv = a.getattr(intern!(py, "move"))?;
        let mv = if mv.is_none() { MoveRef::None } else { MoveRef::Id(self.strings.get(text(&mv)?)) };
        let extent = a.getattr(intern!(py, "extent"))?;
        let begun = !extent.is_none() && text(&extent)? == "begun";
        let modality = a.getattr(intern!(py, "modality"))?;
        let quals = [
            self.strings.opt(&a.getattr(intern!(py, "scope"))?)?,
            self.strings.opt(&a.getattr(intern!(py, "verification"))?)?,
            self.strings.opt(&a.getattr(intern!(py, "timing"))?)?,
            self.strings.opt(&a.getattr(intern!(py, "confidentiality"))?)?,
        ];
        Ok(Act {
            verb: Verb::ALL[self.verbs.index(&verb, VERBS)? as usize],
            term,
            unknown_term,
            mv,
            wording: self.strings.opt(&a.getattr(intern!(py, "wording"))?)?,
            quals,
            conditions,
            begun,
            quote: self.strings.opt(&a.getattr(intern!(py, "quote"))?)?,
            irregular: !a.getattr(intern!(py, "irregular"))?.is_none(),
            modality: Modality::ALL[self.modalities.index(&modality, MODALITIES)? as usize],
        })
    }

    /// Take over a state of the Python package: its moves, positions and pending statements.
    fn load_state(&mut self, py: Python<'_>, state: &Bound<'_, PyAny>) -> PyResult<()> {
        let mut st = self.state.take().expect("a new folder holds a state");
        let mut first = true;
        for record in state.getattr("moves")?.call_method0("records")?.try_iter()? {
            let record = record?;
            let m = record.getattr("move")?;
            let mv = Arc::new(self.read_move(py, &m)?);
            let index: MoveIx = record.getattr("index")?.extract()?;
            if first {
                st.count = index;
                first = false;
            }
            let touched: Vec<TermIx> = record
                .getattr("touched")?
                .try_iter()?
                .map(|t| Ok(self.terms[&t?.extract::<String>()?]))
                .collect::<PyResult<_>>()?;
            st.ids.insert(Arc::clone(&mv.id), st.records.len());
            st.records.push(Record { mv, index, touched });
            self.move_ids.push(m.getattr("id")?.unbind());
        }
        st.count = state.getattr("count")?.extract()?;
        if let Some(r) = st.records.first() {
            if r.index + st.records.len() as MoveIx != st.count {
                return Err(PyValueError::new_err("the state's moves are not numbered from its first"));
            }
        }
        self.first_move = st.records.first().map_or(st.count, |r| r.index);
        let by_id: FastMap<String, MoveIx> = st.records.iter().map(|r| (r.mv.id.to_string(), r.index)).collect();
        let move_ix = |value: &Bound<'_, PyAny>| -> PyResult<Option<MoveIx>> {
            if value.is_none() {
                return Ok(None);
            }
            Ok(by_id.get(&value.extract::<String>()?).copied())
        };
        let terms = state.getattr("terms")?;
        for item in terms.call_method0("items")?.try_iter()? {
            let (term, positions): (String, Bound<'_, PyAny>) = item?.extract()?;
            let t = self.terms[&term];
            let mut held = Vec::new();
            for entry in positions.call_method0("items")?.try_iter()? {
                let (party, pos): (String, Bound<'_, PyAny>) = entry?.extract()?;
                let stance = pos.getattr("stance")?;
                let stance = if stance.is_none() {
                    None
                } else {
                    Some(index_of(Stance::ALL, STANCES, &stance.extract::<String>()?)?)
                };
                let form = pos.getattr("formulation")?;
                let form = if form.is_none() {
                    None
                } else {
                    let mut conditions: Vec<TermIx> = form
                        .getattr("conditions")?
                        .try_iter()?
                        .map(|c| Ok(self.terms[&c?.extract::<String>()?]))
                        .collect::<PyResult<_>>()?;
                    conditions.sort_unstable();
                    Some(Arc::new(Form {
                        text: self.strings.get(&form.getattr("text")?.extract::<String>()?),
                        quals: [
                            self.strings.opt(&form.getattr(QUALIFIERS[0])?)?,
                            self.strings.opt(&form.getattr(QUALIFIERS[1])?)?,
                            self.strings.opt(&form.getattr(QUALIFIERS[2])?)?,
                            self.strings.opt(&form.getattr(QUALIFIERS[3])?)?,
                        ],
                        conditions: Arc::from(conditions),
                        quote: self.strings.opt(&form.getattr("quote")?)?,
                        mv: move_ix(&form.getattr("move")?)?,
                    }))
                };
                let mut tacit: Vec<Party> = pos
                    .getattr("tacit")?
                    .try_iter()?
                    .map(|p| Ok(self.parties[&p?.extract::<String>()?]))
                    .collect::<PyResult<_>>()?;
                tacit.sort_unstable();
                let modality: String = pos.getattr("modality")?.extract()?;
                held.push((
                    self.parties[&party],
                    Position {
                        stance,
                        form,
                        tacit,
                        mv: move_ix(&pos.getattr("move")?)?,
                        modality: index_of(Modality::ALL, MODALITIES, &modality)?,
                    },
                ));
            }
            st.terms[t as usize] = held;
        }
        let pending = state.getattr("pending")?;
        for item in pending.call_method0("items")?.try_iter()? {
            let (party, items): (String, Bound<'_, PyAny>) = item?.extract()?;
            let p = self.parties[&party];
            for entry in items.call_method0("items")?.try_iter()? {
                let ((term, proposer), mv): ((String, String), String) = entry?.extract()?;
                let ix = by_id
                    .get(&mv)
                    .copied()
                    .ok_or_else(|| PyValueError::new_err("a pending move is not in the state"))?;
                st.pending[p as usize].insert((self.terms[&term], self.parties[&proposer]), ix);
            }
        }
        self.state = Some(st);
        Ok(())
    }
}

/// Bytes the native core holds now, in every folder alive (for measuring what a fold keeps).
#[pyfunction]
fn held_bytes() -> usize {
    crate::alloc::held()
}

/// The native fold's module: `Folder`, and the version of the rules it follows.
#[pymodule]
fn negotiation_native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Folder>()?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_function(wrap_pyfunction!(held_bytes, m)?)?;
    // The words this build knows, in the order it numbers them: the package uses the build
    // only where they are its own (a build older than a new verb is not used).
    m.add("VOCABULARY", (VERBS.to_vec(), CHANNELS.to_vec(), ROLES.to_vec(), STANCES.to_vec(), MODALITIES.to_vec()))?;
    Ok(())
}
