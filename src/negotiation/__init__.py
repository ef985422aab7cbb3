"""negotiation: replay, fork and property-test the state of a diplomatic negotiation.

Moves (letters, statements, oral messages) carry acts on terms; the engine folds them into
immutable states that record every party's stance and wording, and what each party knew.
"""

from negotiation.analysis import (
    AGREEING,
    Outcome,
    PositionChange,
    TermDifference,
    TermView,
    TimelineDiff,
    Verdict,
    condition_graph,
    diff,
    memo,
    outcome,
    position_changes,
    quid_pro_quos,
    term_view,
)
from negotiation.catalogue import Catalogue
from negotiation.engine import Step, Timeline, apply, replay, step
from negotiation.errors import (
    IllegalMove,
    ModelError,
    NegotiationError,
    ParameterError,
    ScenarioError,
    SearchError,
    UnknownMoveError,
)
from negotiation.explore import Exploration, Order, Reached, explore, replies, state_key
from negotiation.findings import Acknowledgement, Finding, Severity, acknowledge
from negotiation.invariants import STATE_INVARIANTS, check_state, check_timeline
from negotiation.io.check import CheckReport, check_file
from negotiation.io.loading import default_root, load_scenario, loads_scenario
from negotiation.io.scenario import Scenario
from negotiation.io.writer import dumps_scenario, save_scenario
from negotiation.model import FORMULATION_FIELDS, QUALIFIERS, Act, Formulation, Move, Party, Term, When
from negotiation.policy import Policy, TermPool, Turns, movers
from negotiation.render.notebook import install as _install_notebook_display
from negotiation.rules import RULES, Change, Irregularity, Played, play
from negotiation.state import EMPTY, MoveRecord, Position, State
from negotiation.status import is_agreed, is_divergent, term_status, unmet_conditions
from negotiation.visibility import knew, reaches
from negotiation.vocabulary import (
    BINDING_STANCES,
    HISTORIAN,
    PUBLIC,
    SUPPORTING,
    Channel,
    Extent,
    Modality,
    Role,
    Stance,
    Status,
    Verb,
)

__version__ = "0.2.0"

_install_notebook_display()

__all__ = [
    "AGREEING",
    "BINDING_STANCES",
    "EMPTY",
    "FORMULATION_FIELDS",
    "HISTORIAN",
    "PUBLIC",
    "QUALIFIERS",
    "RULES",
    "STATE_INVARIANTS",
    "SUPPORTING",
    "Acknowledgement",
    "Act",
    "Catalogue",
    "Change",
    "Channel",
    "CheckReport",
    "Exploration",
    "Extent",
    "Finding",
    "Formulation",
    "IllegalMove",
    "Irregularity",
    "Modality",
    "ModelError",
    "Move",
    "MoveRecord",
    "NegotiationError",
    "Order",
    "Outcome",
    "ParameterError",
    "Party",
    "Played",
    "Policy",
    "Position",
    "PositionChange",
    "Reached",
    "Role",
    "Scenario",
    "ScenarioError",
    "SearchError",
    "Severity",
    "Stance",
    "State",
    "Status",
    "Step",
    "Term",
    "TermDifference",
    "TermPool",
    "TermView",
    "Timeline",
    "TimelineDiff",
    "Turns",
    "UnknownMoveError",
    "Verb",
    "Verdict",
    "When",
    "__version__",
    "acknowledge",
    "apply",
    "check_file",
    "check_state",
    "check_timeline",
    "condition_graph",
    "default_root",
    "diff",
    "dumps_scenario",
    "explore",
    "is_agreed",
    "is_divergent",
    "knew",
    "load_scenario",
    "loads_scenario",
    "memo",
    "movers",
    "outcome",
    "play",
    "position_changes",
    "quid_pro_quos",
    "reaches",
    "replay",
    "replies",
    "save_scenario",
    "state_key",
    "step",
    "term_status",
    "term_view",
    "unmet_conditions",
]
