"""negotiation: replay, fork and property-test the state of a diplomatic negotiation.

Moves (letters, statements, oral messages) carry acts on terms; the engine folds them into
immutable states that record every party's stance and wording, and what each party knew.
"""

from negotiation.analysis import (
    Outcome,
    PositionChange,
    TermDifference,
    TermView,
    TimelineDiff,
    condition_graph,
    diff,
    memo,
    outcome,
    position_changes,
    quid_pro_quos,
    term_view,
)
from negotiation.engine import Step, Timeline, apply, replay, step
from negotiation.errors import (
    IllegalMove,
    ModelError,
    NegotiationError,
    ScenarioError,
    UnknownMoveError,
)
from negotiation.model import (
    SUPPORTING,
    Act,
    Catalogue,
    Channel,
    Extent,
    Formulation,
    Move,
    Party,
    Role,
    Stance,
    Status,
    Term,
    Verb,
    When,
)
from negotiation.rules import RULES, Change, Irregularity
from negotiation.scenario import Scenario, default_root, load_scenario, loads_scenario
from negotiation.state import EMPTY, MoveRecord, Position, State
from negotiation.status import BINDING_STANCES, is_agreed, is_divergent, term_status
from negotiation.visibility import PUBLIC, knew, reaches

__all__ = [
    "BINDING_STANCES",
    "EMPTY",
    "PUBLIC",
    "RULES",
    "SUPPORTING",
    "Act",
    "Catalogue",
    "Change",
    "Channel",
    "Extent",
    "Formulation",
    "IllegalMove",
    "Irregularity",
    "ModelError",
    "Move",
    "MoveRecord",
    "NegotiationError",
    "Outcome",
    "Party",
    "Position",
    "PositionChange",
    "Role",
    "Scenario",
    "ScenarioError",
    "Stance",
    "State",
    "Status",
    "Step",
    "Term",
    "TermDifference",
    "TermView",
    "Timeline",
    "TimelineDiff",
    "UnknownMoveError",
    "Verb",
    "When",
    "apply",
    "condition_graph",
    "default_root",
    "diff",
    "is_agreed",
    "is_divergent",
    "knew",
    "load_scenario",
    "loads_scenario",
    "memo",
    "outcome",
    "position_changes",
    "quid_pro_quos",
    "reaches",
    "replay",
    "step",
    "term_status",
    "term_view",
]
