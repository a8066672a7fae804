"""Errors of the SPARQL validation engine."""

from __future__ import annotations

from civgraph.errors import CivgraphError, InputError


class UnsupportedShapeError(CivgraphError):
    """A shape uses a feature the SPARQL compiler cannot translate.

    Carries the shape and the constraint component so that the caller can fall back to pySHACL
    for exactly that shape.
    """

    def __init__(self, shape: object, component: object, reason: str) -> None:
        super().__init__(
            f"shape {shape}: {component} is not supported by the SPARQL engine: {reason}"
        )
        self.shape = shape
        self.component = component
        self.reason = reason


class ShapesGraphError(InputError):
    """The shapes graph is ill-formed (SHACL says validation must fail, not produce a report)."""
