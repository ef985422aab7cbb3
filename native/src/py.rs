//! The Python face of the native fold: `Folder` reads the package's catalogue, state and moves
//! (attrs objects) and hands back what changed, as plain tuples the package builds its states from.

use std::collections::HashMap;
use std::rc::Rc;

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyList, PyTuple};

use crate::rules::{
    self, Act, Catalogue, Channel, Form, Modality, Move, MoveIx, MoveRef, Party, Position, Record, Role, Stance,
    State, TermIx, Verb, When,
};

fn index_of<T: Copy + PartialEq>(all: &[T], names: &[&str], name: &str) -> PyResult<T> {
    names
        .iter()
        .position(|n| *n == name)
        .map(|i| all[i])
        .ok_or_else(|| PyValueError::new_err(format!("the native core does not know {name:?}")))
}

const VERBS: &[&str] = &[
    "propose", "accept", "reject", "dispute", "restate", "condition", "release", "withdraw", "ignore", "affirm",
    "fulfil", "contest", "confirm",
];
const CHANNELS: &[&str] = &["private", "public", "back-channel", "oral"];
const ROLES: &[&str] = &["principal", "mediator", "third"];
const STANCES: &[&str] = &[
    "proposed", "accepted", "rejected", "disputed", "unchallenged", "ignored", "withdrawn", "affirmed", "performing",
    "fulfilled", "contested", "confirmed",
];
const MODALITIES: &[&str] = &["commitment", "demand", "prediction", "confidence", "hope"];
const QUALIFIERS: [&str; 4] = ["scope", "verification", "timing", "confidentiality"];

/// Strings shared by every formulation and act that repeats them (term texts, wordings).
#[derive(Default)]
struct Strings(HashMap<String, Rc<str>>);

impl Strings {
    fn get(&mut self, text: String) -> Rc<str> {
        if let Some(s) = self.0.get(&text) {
            return Rc::clone(s);
        }
        let s: Rc<str> = Rc::from(text.as_str());
        self.0.insert(text, Rc::clone(&s));
        s
    }

    fn opt(&mut self, value: &Bound<'_, PyAny>) -> PyResult<Option<Rc<str>>> {
        if value.is_none() {
            return Ok(None);
        }
        Ok(Some(self.get(value.extract()?)))
    }
}

/// A fold of moves in Rust, from a state of the Python package, taken up where it stops.
#[pyclass(unsendable, module = "negotiation_native")]
pub struct Folder {
    cat: Catalogue,
    state: State,
    parties: HashMap<String, Party>,
    party_ids: Vec<Py<PyAny>>,
    terms: HashMap<String, TermIx>,
    term_ids: Vec<Py<PyAny>>,
    strings: Strings,
    forms: HashMap<*const Form, usize>,
    kept_forms: Vec<Rc<Form>>,
    sent_forms: usize,
    touched_since: usize,
    move_ids: Vec<Py<PyAny>>,
}

#[pymethods]
impl Folder {
    /// A folder starting from `state` (a `negotiation.State`) of `catalogue`.
    #[new]
    fn new(py: Python<'_>, catalogue: &Bound<'_, PyAny>, state: &Bound<'_, PyAny>) -> PyResult<Folder> {
        let mut strings = Strings::default();
        let mut parties = HashMap::new();
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
        let mut terms = HashMap::new();
        let mut term_ids = Vec::new();
        let declared: Vec<Bound<'_, PyAny>> = catalogue.getattr("terms")?.try_iter()?.collect::<PyResult<_>>()?;
        for term in &declared {
            let id: String = term.getattr("id")?.extract()?;
            terms.insert(id, term_ids.len() as TermIx);
            term_ids.push(term.getattr("id")?.unbind());
        }
        let ids = |values: Bound<'_, PyAny>, map: &HashMap<String, u32>| -> PyResult<Vec<u32>> {
            values.try_iter()?.map(|v| Ok(map[&v?.extract::<String>()?])).collect()
        };
        let party_map: HashMap<String, u32> = parties.iter().map(|(k, v)| (k.clone(), u32::from(*v))).collect();
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
                text: strings.get(term.getattr("text")?.extract()?),
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
        let cat = Catalogue {
            roles,
            terms: cat_terms,
            term_rank: rank(term_names),
            party_rank: rank(party_names),
        };
        let mut folder = Folder {
            state: State::new(&cat),
            cat,
            parties,
            party_ids,
            terms,
            term_ids,
            strings,
            forms: HashMap::new(),
            kept_forms: Vec::new(),
            sent_forms: 0,
            touched_since: 0,
            move_ids: Vec::new(),
        };
        folder.load_state(state)?;
        Ok(folder)
    }

    /// Apply the moves in order; the number applied, fewer than given where the reference must
    /// take over (it raises there). The folder is then spent.
    fn play(&mut self, moves: &Bound<'_, PyAny>) -> PyResult<usize> {
        let mut applied = 0;
        for m in moves.try_iter()? {
            let m = m?;
            let mv = Rc::new(self.read_move(&m)?);
            if rules::play(&self.cat, &mut self.state, &mv).is_err() {
                return Ok(applied);
            }
            self.move_ids.push(m.getattr("id")?.unbind());
            applied += 1;
        }
        Ok(applied)
    }

    /// What changed since the last call: the positions of every changed term, the formulations
    /// not sent before, the pending map of every changed party, and each new move's touched terms.
    fn changes<'py>(&mut self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        let terms = PyList::empty(py);
        for t in 0..self.state.terms.len() {
            if !std::mem::take(&mut self.state.dirty_terms[t]) {
                continue;
            }
            let positions = PyList::empty(py);
            let held = self.state.terms[t].clone();
            for (party, pos) in &held {
                positions.append(self.position_tuple(py, *party, pos)?)?;
            }
            terms.append((self.term_ids[t].clone_ref(py), positions))?;
        }
        let forms = PyList::empty(py);
        for i in self.sent_forms..self.kept_forms.len() {
            let f = Rc::clone(&self.kept_forms[i]);
            let quals: Vec<Option<&str>> = f.quals.iter().map(|q| q.as_deref()).collect();
            let conditions: Vec<Py<PyAny>> = f.conditions.iter().map(|&c| self.term_ids[c as usize].clone_ref(py)).collect();
            forms.append((
                &*f.text,
                quals[0],
                quals[1],
                quals[2],
                quals[3],
                PyTuple::new(py, conditions)?,
                f.quote.as_deref(),
                self.move_id(py, f.mv),
            ))?;
        }
        self.sent_forms = self.kept_forms.len();
        let pending = PyList::empty(py);
        for p in 0..self.state.pending.len() {
            if !std::mem::take(&mut self.state.dirty_parties[p]) {
                continue;
            }
            let items = PyList::empty(py);
            for (&(term, proposer), &mv) in &self.state.pending[p] {
                items.append((
                    self.term_ids[term as usize].clone_ref(py),
                    self.party_ids[proposer as usize].clone_ref(py),
                    self.move_id(py, Some(mv)),
                ))?;
            }
            pending.append((self.party_ids[p].clone_ref(py), items))?;
        }
        let touched = PyList::empty(py);
        for record in &self.state.records[self.touched_since..] {
            let ids: Vec<Py<PyAny>> = record.touched.iter().map(|&t| self.term_ids[t as usize].clone_ref(py)).collect();
            touched.append(PyTuple::new(py, ids)?)?;
        }
        self.touched_since = self.state.records.len();
        PyTuple::new(py, [terms.into_any(), forms.into_any(), pending.into_any(), touched.into_any()])
    }
}

impl Folder {
    fn move_id(&self, py: Python<'_>, mv: Option<MoveIx>) -> Option<Py<PyAny>> {
        let first = self.state.records.first().map_or(0, |r| r.index);
        mv.and_then(|m| self.move_ids.get(m.checked_sub(first)? as usize)).map(|id| id.clone_ref(py))
    }

    fn form_id(&mut self, form: &Rc<Form>) -> usize {
        let key = Rc::as_ptr(form);
        if let Some(&i) = self.forms.get(&key) {
            return i;
        }
        let i = self.kept_forms.len();
        self.forms.insert(key, i);
        self.kept_forms.push(Rc::clone(form)); // kept alive, so the pointer stays this form's
        i
    }

    fn position_tuple<'py>(&mut self, py: Python<'py>, party: Party, pos: &Position) -> PyResult<Bound<'py, PyTuple>> {
        let stance = pos.stance.map_or(-1, |s| s.index() as i64);
        let form = pos.form.as_ref().map_or(-1, |f| self.form_id(f) as i64);
        let tacit: Vec<Py<PyAny>> = pos.tacit.iter().map(|&p| self.party_ids[p as usize].clone_ref(py)).collect();
        PyTuple::new(
            py,
            [
                self.party_ids[party as usize].clone_ref(py).into_bound(py),
                stance.into_pyobject(py)?.into_any(),
                form.into_pyobject(py)?.into_any(),
                PyTuple::new(py, tacit)?.into_any(),
                self.move_id(py, pos.mv).into_pyobject(py)?.into_any(),
                pos.modality.index().into_pyobject(py)?.into_any(),
            ],
        )
    }

    fn party(&self, name: &str) -> Option<Party> {
        self.parties.get(name).copied()
    }

    fn when(value: &Bound<'_, PyAny>) -> PyResult<Option<When>> {
        if value.is_none() {
            return Ok(None);
        }
        let day: i64 = value.getattr("day")?.call_method0("toordinal")?.extract()?;
        let at = value.getattr("at")?;
        let at = if at.is_none() { None } else { Some(at.call_method0("timestamp")?.extract::<f64>()?.round() as i64) };
        Ok(Some(When { day, at }))
    }

    fn read_move(&mut self, m: &Bound<'_, PyAny>) -> PyResult<Move> {
        let id: String = m.getattr("id")?.extract()?;
        let author: String = m.getattr("author")?.extract()?;
        let mut unknown_party = false;
        let mut addressees = Vec::new();
        for a in m.getattr("addressees")?.try_iter()? {
            match self.party(&a?.extract::<String>()?) {
                Some(p) => addressees.push(p),
                None => unknown_party = true,
            }
        }
        let mut received = Vec::new();
        let items = m.getattr("received")?.call_method0("items")?;
        for item in items.try_iter()? {
            let item = item?;
            let (name, when): (String, Bound<'_, PyAny>) = item.extract()?;
            match self.party(&name) {
                Some(p) => received.push((p, Self::when(&when)?.expect("a receipt has a time"))),
                // The public's receipt of a move not addressed to it is allowed (check_move).
                None if name == "public" && !m.getattr("addressees")?.contains("public")? => {}
                None => unknown_party = true,
            }
        }
        let channel: String = m.getattr("channel")?.extract()?;
        let mut acts = Vec::new();
        for a in m.getattr("acts")?.try_iter()? {
            acts.push(self.read_act(&a?)?);
        }
        Ok(Move {
            id: Rc::from(id.as_str()),
            author: self.party(&author),
            addressees,
            unknown_party,
            channel: index_of(Channel::ALL, CHANNELS, &channel)?,
            sent: Self::when(&m.getattr("sent")?)?,
            received,
            published: Self::when(&m.getattr("published")?)?,
            acts,
        })
    }

    fn read_act(&mut self, a: &Bound<'_, PyAny>) -> PyResult<Act> {
        let verb: String = a.getattr("verb")?.extract()?;
        let term = a.getattr("term")?;
        let mut unknown_term = false;
        let term = if term.is_none() {
            None
        } else {
            let name: String = term.extract()?;
            let t = self.terms.get(&name).copied();
            unknown_term |= t.is_none();
            t
        };
        let mut conditions = Vec::new();
        for c in a.getattr("conditions")?.try_iter()? {
            match self.terms.get(&c?.extract::<String>()?) {
                Some(&t) => {
                    if !conditions.contains(&t) {
                        conditions.push(t);
                    }
                }
                None => unknown_term = true,
            }
        }
        let mv = a.getattr("move")?;
        let mv = if mv.is_none() { MoveRef::None } else { MoveRef::Id(self.strings.get(mv.extract()?)) };
        let extent = a.getattr("extent")?;
        let begun = !extent.is_none() && extent.extract::<String>()? == "begun";
        let modality: String = a.getattr("modality")?.extract()?;
        let quals = [
            self.strings.opt(&a.getattr(QUALIFIERS[0])?)?,
            self.strings.opt(&a.getattr(QUALIFIERS[1])?)?,
            self.strings.opt(&a.getattr(QUALIFIERS[2])?)?,
            self.strings.opt(&a.getattr(QUALIFIERS[3])?)?,
        ];
        Ok(Act {
            verb: index_of(Verb::ALL, VERBS, &verb)?,
            term,
            unknown_term,
            mv,
            wording: self.strings.opt(&a.getattr("wording")?)?,
            quals,
            conditions,
            begun,
            quote: self.strings.opt(&a.getattr("quote")?)?,
            irregular: !a.getattr("irregular")?.is_none(),
            modality: index_of(Modality::ALL, MODALITIES, &modality)?,
        })
    }

    /// Take over a state of the Python package: its moves, positions and pending statements.
    fn load_state(&mut self, state: &Bound<'_, PyAny>) -> PyResult<()> {
        let mut first = true;
        for record in state.getattr("moves")?.call_method0("records")?.try_iter()? {
            let record = record?;
            let m = record.getattr("move")?;
            let mv = Rc::new(self.read_move(&m)?);
            let index: MoveIx = record.getattr("index")?.extract()?;
            if first {
                self.state.count = index;
                first = false;
            }
            let touched: Vec<TermIx> = record
                .getattr("touched")?
                .try_iter()?
                .map(|t| Ok(self.terms[&t?.extract::<String>()?]))
                .collect::<PyResult<_>>()?;
            self.state.ids.insert(Rc::clone(&mv.id), self.state.records.len());
            self.state.records.push(Record { mv, index, touched });
            self.move_ids.push(m.getattr("id")?.unbind());
        }
        self.state.count = state.getattr("count")?.extract()?;
        if let Some(r) = self.state.records.first() {
            if r.index + self.state.records.len() as MoveIx != self.state.count {
                return Err(PyValueError::new_err("the state's moves are not numbered from its first"));
            }
        }
        self.touched_since = self.state.records.len();
        let by_id: HashMap<String, MoveIx> = self
            .state
            .records
            .iter()
            .map(|r| (r.mv.id.to_string(), r.index))
            .collect();
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
                let stance = if stance.is_none() { None } else { Some(index_of(Stance::ALL, STANCES, &stance.extract::<String>()?)?) };
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
                    Some(Rc::new(Form {
                        text: self.strings.get(form.getattr("text")?.extract()?),
                        quals: [
                            self.strings.opt(&form.getattr(QUALIFIERS[0])?)?,
                            self.strings.opt(&form.getattr(QUALIFIERS[1])?)?,
                            self.strings.opt(&form.getattr(QUALIFIERS[2])?)?,
                            self.strings.opt(&form.getattr(QUALIFIERS[3])?)?,
                        ],
                        conditions: Rc::from(conditions),
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
            self.state.terms[t as usize] = held;
        }
        let pending = state.getattr("pending")?;
        for item in pending.call_method0("items")?.try_iter()? {
            let (party, items): (String, Bound<'_, PyAny>) = item?.extract()?;
            let p = self.parties[&party];
            for entry in items.call_method0("items")?.try_iter()? {
                let ((term, proposer), mv): ((String, String), String) = entry?.extract()?;
                let ix = by_id.get(&mv).copied().ok_or_else(|| PyValueError::new_err("a pending move is not in the state"))?;
                self.state.pending[p as usize].insert((self.terms[&term], self.parties[&proposer]), ix);
            }
        }
        Ok(())
    }
}

/// The native fold's module: `Folder`, and the version of the rules it follows.
#[pymodule]
fn negotiation_native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Folder>()?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
