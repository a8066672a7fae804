"""The last version of each N-Triples data file, kept so a changed file is diffed by its lines.

To find what changed in a data file, an incremental run otherwise reads the file's previous
triples back from the store and parses the whole new file: for the complaints of a city of 1M
triples (486,000 lines) that is 6 s out of the on-disk store plus 3.5 s of parsing, however
small the change. A file appended to every day is the usual case. So the state folder keeps a
copy of each N-Triples file as it was last loaded (``versions/<sha256>.nt``), and the change is
the lines that differ between the copy and the file: a set difference of lines, then only those
lines parsed.

Lines stand for triples only when no two lines of a file state the same triple: a copy is
kept only when the file's distinct lines are as many as the triples its graph got, and a diff
is refused (None: the caller falls back to reading the store) when its lines hold a blank node
(named anew by every parser), a literal whose datatype the store rewrites (its record must be
kept too), a line that does not parse, two lines for one triple, or an added triple the graph
already has. A copy whose bytes no longer match its name is not used.

A process that checks again and again (a session, ``civgraph watch``) also holds the copies it
kept in memory, up to a budget (:data:`HELD_BYTES`): the next diff of that file then neither
reads its copy back nor hashes it to vouch for it (at 1M triples, 0.05 s of the 0.3 s a
post's new holder costs), and a file that only grew is hashed by going on from the held
copy's hash over the new bytes alone (:meth:`FileVersions.digests`). Such a process writes
the copies it holds to disk when it closes (:meth:`FileVersions.flush`), as it writes the
store's snapshot then, not after every change: rewriting a city's 37 MB file of posts after
each edit was a tenth of a post's new holder. A copy let go past the budget is written first.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import pyoxigraph as ox

from civgraph import atomic
from civgraph.store import written_datatypes as written

VERSIONS_DIR = "versions"
_BLOCK = 16 * 1024 * 1024
#: How many bytes of kept copies one process holds in memory (the most recently kept first).
HELD_BYTES = 256 * 1024 * 1024
N_TRIPLES = "application/n-triples"


@dataclass(frozen=True)
class LineDiff:
    """A file's change as N-Triples lines written as the store writes them."""

    removed: set[bytes]
    added: set[bytes]
    tail: bytes | None = None  # the bytes appended, where the file only grew


def stating(lines: Iterable[bytes]) -> set[bytes]:
    """The lines of an N-Triples document that state a triple (not blank, not a comment)."""
    return {line for line in lines if line.strip() and not line.lstrip().startswith(b"#")}


def _one_to_one(data: bytes, triples: int) -> bool:
    """Whether the document's lines stand for its ``triples`` triples one to one."""
    lines = data.count(b"\n") + (0 if data.endswith(b"\n") or not data else 1)
    # as many lines as triples: no blank line, comment or repeated line among them (the
    # usual case, told without a set of every line)
    return lines == triples or len(stating(set(data.splitlines()))) == triples


class HashState(Protocol):
    """A SHA-256 under way (``hashlib``'s object), which can go on over more bytes."""

    def copy(self) -> HashState: ...

    def update(self, data: bytes | memoryview, /) -> None: ...

    def hexdigest(self) -> str: ...


@dataclass(frozen=True)
class _Held:
    data: bytes
    state: HashState | None  # the hash after ``data``, to go on over bytes appended


class FileVersions:
    """The kept copies in ``folder`` (created when the first one is kept)."""

    def __init__(
        self, folder: Path, *, held_bytes: int = HELD_BYTES, write_on_flush: bool = False
    ) -> None:
        self.folder = folder
        self.held_bytes = held_bytes
        #: Whether a copy that can be held is written to disk only by :meth:`flush`.
        self.write_on_flush = write_on_flush
        #: Copies this process kept, by content hash, oldest first (see :meth:`_hold`).
        self._held: dict[str, _Held] = {}
        #: Held copies not written to disk yet (see :meth:`flush`).
        self._unwritten: set[str] = set()
        #: The hash states of contents :meth:`digests` hashed, until they are kept.
        self._states: dict[str, HashState] = {}

    def _hold(self, content_hash: str, data: bytes, state: HashState | None = None) -> None:
        """Hold a copy just written in memory, letting the oldest go past the budget."""
        self._held.pop(content_hash, None)
        state = state or self._states.pop(content_hash, None)
        if len(data) > self.held_bytes:
            return
        while self._held and sum(len(h.data) for h in self._held.values()) + len(data) > (
            self.held_bytes
        ):
            oldest = next(iter(self._held))
            if oldest in self._unwritten:  # let go, but not lost
                self._write(oldest, self._held[oldest].data)
                self._unwritten.discard(oldest)
            del self._held[oldest]
        self._held[content_hash] = _Held(data, state)

    def digests(self, data: bytes, old_hash: str | None) -> tuple[str, str | None]:
        """The hash of ``data`` (a file's bytes now), and of its first bytes, as many as the
        kept copy of ``old_hash`` holds (None: no such copy, or ``data`` is shorter; see
        :meth:`diff`). Where ``data`` begins with a copy this process holds, the copy's hash
        goes on over the rest alone: a file appended to is not hashed whole again."""
        held = self._held.get(old_hash) if old_hash is not None else None
        if held is not None and held.state is not None and data.startswith(held.data):
            state = held.state.copy()
            state.update(memoryview(data)[len(held.data) :])
            whole = state.hexdigest()
            self._states[whole] = state
            return whole, old_hash
        size = self.kept_size(old_hash) if old_hash is not None else None
        whole, head, state = _digests(data, size)
        if len(data) <= self.held_bytes:
            self._states[whole] = state
        return whole, head

    def _path(self, content_hash: str) -> Path:
        return self.folder / f"{content_hash}.nt"

    def keep(self, content_hash: str, data: bytes, *, triples: int | None) -> None:
        """Keep ``data`` (a file's bytes, whose hash the caller found to be ``content_hash``)
        if its lines stand for its ``triples`` triples one to one (None: known to, from a diff
        of a kept copy)."""
        if triples is not None and not _one_to_one(data, triples):
            return
        if self.write_on_flush and len(data) <= self.held_bytes:
            self._hold(content_hash, data)
            self._unwritten.add(content_hash)
            return
        self._write(content_hash, data)
        self._hold(content_hash, data)

    def _write(self, content_hash: str, data: bytes) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        # not synced to disk: a copy cut short by a crash no longer matches its name, and is
        # then not used
        scratch = self.folder / f"{atomic.SCRATCH_PREFIX}{content_hash}.nt"
        scratch.write_bytes(data)
        os.replace(scratch, self._path(content_hash))

    def flush(self) -> None:
        """Write to disk the held copies not written yet (see ``write_on_flush``)."""
        for content_hash in sorted(self._unwritten):
            self._write(content_hash, self._held[content_hash].data)
        self._unwritten.clear()

    def keep_diffed(self, old_hash: str, content_hash: str, data: bytes, diff: LineDiff) -> None:
        """Keep ``data``, the content a :meth:`diff` of ``old_hash`` accepted: where the file
        only grew, the old copy grows by the same bytes and takes the new name (a day's lines
        written, not the whole file again)."""
        held_until_flush = self.write_on_flush and len(data) <= self.held_bytes
        if diff.tail is None or old_hash in self._unwritten or held_until_flush:
            # a copy not on disk yet cannot grow there; one written at the flush is held whole
            # (the old one let go first: it is not written for making room for the new one)
            self._unwritten.discard(old_hash)
            self._held.pop(old_hash, None)
            self.keep(content_hash, data, triples=None)
            return
        old = self._path(old_hash)
        try:
            # a copy cut short or grown half-way by a crash no longer matches its name
            with old.open("ab") as copy:
                copy.write(diff.tail)
            os.replace(old, self._path(content_hash))
        except OSError:
            self.keep(content_hash, data, triples=None)
            return
        self._held.pop(old_hash, None)
        self._hold(content_hash, data)

    def keep_file(self, content_hash: str, path: Path, *, triples: int) -> None:
        """:meth:`keep` for a file read in blocks (a full run keeps every file: at 10M triples
        the largest is 0.7 GB), kept only when it has as many lines as ``triples``. Under
        ``write_on_flush`` a file the budget holds is read whole and kept by :meth:`keep`."""
        if self.write_on_flush and path.stat().st_size <= self.held_bytes:
            # held, and written at the flush, as :meth:`keep` does
            data = path.read_bytes()
            digest = hashlib.sha256(data)
            if digest.hexdigest() == content_hash:
                self._states[content_hash] = digest  # a file that grows goes on from it
                self.keep(content_hash, data, triples=triples)
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        scratch = self.folder / f"{atomic.SCRATCH_PREFIX}{content_hash}.nt"
        digest, lines, last = hashlib.sha256(), 0, b"\n"
        blocks: list[bytes] | None = [] if path.stat().st_size <= self.held_bytes else None
        with path.open("rb") as source, scratch.open("wb") as copy:
            while block := source.read(_BLOCK):
                digest.update(block)
                lines += block.count(b"\n")
                last = block[-1:]
                copy.write(block)
                if blocks is not None:
                    blocks.append(block)
        lines += 0 if last == b"\n" else 1
        if digest.hexdigest() == content_hash and lines == triples:
            os.replace(scratch, self._path(content_hash))
            if blocks is not None:
                self._hold(content_hash, b"".join(blocks), digest)
        else:
            scratch.unlink(missing_ok=True)

    def kept_size(self, content_hash: str) -> int | None:
        """The size of the kept copy of that content (None: none kept), without reading it."""
        if content_hash in self._unwritten:
            return len(self._held[content_hash].data)
        try:
            return self._path(content_hash).stat().st_size
        except OSError:
            return None

    def kept(self, content_hash: str) -> bytes | None:
        """The kept copy of that content, if there is one and it is whole (a copy this
        process holds is the bytes it wrote, and is not read back)."""
        held = self._held.get(content_hash)
        if held is not None and self.kept_size(content_hash) == len(held.data):
            return held.data  # (kept_size is the held copy's own while it is not written)
        try:
            data = self._path(content_hash).read_bytes()
        except OSError:
            return None
        return data if hashlib.sha256(data).hexdigest() == content_hash else None

    def diff(
        self,
        old_hash: str,
        data: bytes,
        *,
        present: Callable[[ox.Triple], bool],
        prefix_hash: str | None = None,
    ) -> LineDiff | None:
        """What changed from the kept copy of ``old_hash`` to ``data`` (the file's bytes now),
        or None where lines cannot be trusted to stand for triples. ``present`` says whether
        the file's graph holds a triple; ``prefix_hash``, if the caller has it, is the hash of
        ``data``'s first :meth:`kept_size` bytes.

        Lines appended are told without reading the copy: the file's first bytes, as many as
        the copy's, hash to the old content's hash (a city's largest file is read once, not
        three times; the copy only vouches that the old lines were the old triples)."""
        size = self.kept_size(old_hash)
        if size is None:
            return None
        tail: bytes | None = None
        removed_lines: set[bytes]
        if (
            size <= len(data)
            and (size == 0 or data[size - 1 : size] == b"\n")
            and (prefix_hash or _sha256(memoryview(data)[:size])) == old_hash
        ):  # lines appended
            tail = data[size:]
            removed_lines, added_lines = set(), stating(tail.splitlines())
        else:
            old = self.kept(old_hash)
            if old is None:
                return None
            removed_lines, added_lines = _line_difference(old, data)
        changed = removed_lines | added_lines
        if any(has_blank(line) for line in changed):
            return None
        if written.may_hold_rewritten_data(b"\n".join(changed), carets=True):
            return None
        removed = _canonical(removed_lines)
        added = _canonical(added_lines)
        if removed is None or added is None:
            return None
        if any(present(triple) for triple in added[1]):
            return None  # the new file states a triple twice: lines no longer stand for triples
        return LineDiff(removed=removed[0], added=added[0], tail=tail)

    def sweep(self, hashes: Iterable[str]) -> None:
        """Delete the copies of every content but ``hashes``."""
        keep = set(hashes)
        self._held = {h: held for h, held in self._held.items() if h in keep}
        self._unwritten &= keep
        self._states.clear()
        if not self.folder.is_dir():
            return
        for path in self.folder.glob("*.nt"):
            if path.stem not in keep:
                path.unlink(missing_ok=True)


def _line_difference(old: bytes, new: bytes) -> tuple[set[bytes], set[bytes]]:
    """The stating lines of ``old`` not in ``new``, and those of ``new`` not in ``old``.

    Lines before the first byte that differs and after the last one are the same in both,
    so only the lines in between are compared as sets (a record edited in the middle of a
    city's 486,000 lines of complaints: a few lines, not two sets of every line). A line
    gone from there that the file still has before or after it (a line stated twice) is not
    gone."""
    start, old_end, new_end = _changed_span(old, new)
    # lines ending otherwise than the search below expects, or a change all over the file
    if b"\r" in old or b"\r" in new or old_end - start > len(old) // 4:
        return _set_difference(old, new)
    before = set(old[start:old_end].splitlines())
    after = set(new[start:new_end].splitlines())
    removed, added = stating(before - after), stating(after - before)
    if len(removed) + len(added) > _FEW_LINES:  # each is looked for in the rest of the file
        return _set_difference(old, new)
    return (
        {
            line
            for line in removed
            if not _has_line(new, line, 0, start) and not _has_line(new, line, new_end, len(new))
        },
        {
            line
            for line in added
            if not _has_line(old, line, 0, start) and not _has_line(old, line, old_end, len(old))
        },
    )


_FEW_LINES = 64


def _set_difference(old: bytes, new: bytes) -> tuple[set[bytes], set[bytes]]:
    before, after = set(old.splitlines()), set(new.splitlines())
    return stating(before - after), stating(after - before)


def _changed_span(old: bytes, new: bytes) -> tuple[int, int, int]:
    """``(start, old_end, new_end)``: ``old[:start] == new[:start]`` and ``old[old_end:] ==
    new[new_end:]``, as long as may be with each boundary at the start of a line in both."""
    shortest = min(len(old), len(new))
    same = _common_prefix(old, new, shortest)
    start = old.rfind(b"\n", 0, same) + 1  # after the last newline both begin with
    tail = _common_suffix(old, new, shortest - start)
    # the suffix begins after a newline inside the part both end with
    newline = old.find(b"\n", len(old) - tail) if tail else -1
    suffix = len(old) - (newline + 1) if newline != -1 else 0
    return start, len(old) - suffix, len(new) - suffix


_SPAN_BLOCK = 1 << 20


def _common_prefix(a: bytes, b: bytes, limit: int) -> int:
    """How many first bytes of ``a`` and ``b`` (at most ``limit``) are the same."""
    low = 0
    while low < limit:
        high = min(limit, low + _SPAN_BLOCK)
        if a[low:high] == b[low:high]:
            low = high
            continue
        while high - low > 1:  # the first difference lies in [low, high)
            middle = (low + high) // 2
            if a[low:middle] == b[low:middle]:
                low = middle
            else:
                high = middle
        return low
    return limit


def _common_suffix(a: bytes, b: bytes, limit: int) -> int:
    """How many last bytes of ``a`` and ``b`` (at most ``limit``) are the same."""
    done = 0
    while done < limit:
        more = min(limit, done + _SPAN_BLOCK)
        if a[len(a) - more : len(a) - done] == b[len(b) - more : len(b) - done]:
            done = more
            continue
        while more - done > 1:  # the last difference lies within the last `more` bytes
            middle = (done + more) // 2
            if a[len(a) - middle : len(a) - done] == b[len(b) - middle : len(b) - done]:
                done = middle
            else:
                more = middle
        return done
    return limit


def _has_line(data: bytes, line: bytes, low: int, high: int) -> bool:
    """Whether ``line`` is a whole line of ``data[low:high]`` (``low`` at a line's start)."""
    if low >= high:
        return False
    if (low + len(line) < high and data.startswith(line + b"\n", low)) or data[low:high] == line:
        return True
    if data.find(b"\n" + line + b"\n", low, high) != -1:
        return True
    return high == len(data) and data.endswith(b"\n" + line) and len(data) - len(line) >= low


def _sha256(data: bytes | memoryview) -> str:
    return hashlib.sha256(data).hexdigest()


def _digests(data: bytes, prefix: int | None) -> tuple[str, str | None, HashState]:
    """The hash of ``data`` and of its first ``prefix`` bytes (None: not asked, or more than
    ``data`` holds), in one pass over the bytes, and the hash's state after all of them."""
    view = memoryview(data)
    if prefix is None or prefix > len(data):
        digest = hashlib.sha256(view)
        return digest.hexdigest(), None, digest
    digest = hashlib.sha256(view[:prefix])
    head = digest.hexdigest()
    digest.update(view[prefix:])
    return digest.hexdigest(), head, digest


def has_blank(line: bytes) -> bool:
    """Whether an N-Triples line names a blank node (as its subject or object)."""
    return line.startswith(b"_:") or b" _:" in line.split(b'"', 1)[0]


def _canonical(lines: set[bytes]) -> tuple[set[bytes], list[ox.Triple]] | None:
    """The lines as the store writes them, and their triples; None if a line does not parse or
    two lines state one triple."""
    if not lines:
        return set(), []
    try:
        triples = list(ox.parse(b"\n".join(lines) + b"\n", format=ox.RdfFormat.N_TRIPLES))
    except SyntaxError:
        return None
    written_lines = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
    canonical = set(written_lines.splitlines()) if written_lines else set()
    if len(triples) != len(lines) or len(canonical) != len(lines):
        return None
    return canonical, triples
