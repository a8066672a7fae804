"""The building blocks of compiled queries: unary and binary patterns and compiled violations."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from rdflib.term import Literal, Node

Unary = Callable[[str], str]
"""A function from a variable name to a group graph pattern binding that variable to a set."""

Binary = Callable[[str, str], str]
"""A function from two variable names (focus, value) to a group graph pattern binding both."""

Ternary = Callable[[str, str, str], str]


@dataclass(frozen=True)
class Violation:
    """A compiled constraint.

    ``pattern(t, v, p)`` is a group graph pattern binding ``t`` to each violating focus node, ``v``
    to the offending value (when ``reports_value``) and ``p`` to a result path taken from the data
    (sh:closed, SHACL-SPARQL). ``message_variables`` maps names usable in ``{?name}`` message
    templates to further variables the pattern binds; ``message_constants`` to fixed terms.
    """

    pattern: Ternary
    reports_value: bool
    messages: tuple[Literal, ...] = ()
    substitutes_messages: bool = False
    message_variables: dict[str, str] = field(default_factory=dict)
    message_constants: dict[str, Node] = field(default_factory=dict)
    binds_path: bool = False


def nothing(*_: str) -> str:
    """A pattern with no solutions."""
    return "{ FILTER(false) }"
