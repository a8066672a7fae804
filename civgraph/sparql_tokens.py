"""A SPARQL lexer: tokens that keep their leading whitespace, so text can be edited on tokens
(strings, IRIs and comments are never mistaken for syntax) and rendered back."""

from __future__ import annotations

import re
from dataclasses import dataclass

_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<comment>\#[^\n]*)
  | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*'''
        |"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
  | (?P<iri><[^<>"{}|^`\\\s]*>)
  | (?P<var>[?$][A-Za-z0-9_\u00B7\u00C0-\uFFFF]+)
  | (?P<pname>(?:[A-Za-z\u00C0-\uFFFF][\w\-.\u00B7\u00C0-\uFFFF]*)?:(?:[\w\-\u00B7\u00C0-\uFFFF%\\]
        (?:[\w\-.\u00B7\u00C0-\uFFFF%\\:]*[\w\-\u00B7\u00C0-\uFFFF%\\:])?)?)
  | (?P<lang>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
  | (?P<number>\d*\.\d+(?:[eE][+-]?\d+)?|\d+\.\d*[eE][+-]?\d+|\d+(?:[eE][+-]?\d+)?)
  | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<punct>\^\^|&&|\|\||!=|<=|>=|[{}()\[\].,;*+?/|^!=<>@-]|\S)
    """,
    re.VERBOSE,
)


@dataclass(frozen=True)
class Token:
    """A token and the whitespace before it (kept, since pyoxigraph rejects ``CONCAT (``)."""

    kind: str
    text: str
    pre: str = " "

    @property
    def upper(self) -> str:
        return self.text.upper()


def tokenize(text: str) -> list[Token]:
    """Split SPARQL text into tokens (whitespace and comments dropped)."""
    tokens: list[Token] = []
    pre = ""
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "punct"
        if kind in ("ws", "comment"):
            pre += " " if kind == "comment" else match.group()
            continue
        tokens.append(Token(kind, match.group(), pre))
        pre = ""
    return tokens


def render(tokens: list[Token]) -> str:
    """The text of ``tokens`` with their original spacing."""
    return "".join(t.pre + t.text for t in tokens)


def matching_close(tokens: list[Token], opening: int) -> int:
    """Index of the ``}`` that closes the ``{`` at ``opening``; :class:`ValueError` if none."""
    depth = 0
    for index in range(opening, len(tokens)):
        if tokens[index].kind == "punct" and tokens[index].text == "{":
            depth += 1
        elif tokens[index].kind == "punct" and tokens[index].text == "}":
            depth -= 1
            if depth == 0:
                return index
    raise ValueError("unbalanced braces")
