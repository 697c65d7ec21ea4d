"""Read vCard files (2.1, 3.0, 4.0, real-world broken ones) into CardDrafts, reporting what was not imported."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from tiecrm.collector import collections_paused
from tiecrm.domain import CardDraft, CardProblem
from tiecrm.vcard.card import CardParts, build_draft
from tiecrm.vcard.decode import DecodedText, decode_vcard_bytes
from tiecrm.vcard.file_cards import bom_length, count_begin_lines, iter_file_cards, utf8_errors_of
from tiecrm.vcard.split import CardChunk, Stray, iter_cards

VCARD_SUFFIXES = (".vcf", ".vcard")


@dataclass
class ReadResult:
    """Everything read from one file: cards in order of their BEGIN line, and what could not be imported."""

    source: str
    drafts: list[CardDraft] = field(default_factory=list)
    problems: list[CardProblem] = field(default_factory=list)
    encoding: str = "utf-8"


class UnreadablePathError(Exception):
    """A path given to import cannot be read; str() is one line naming the path and the reason."""


def _unreadable(path: str | Path, error: OSError) -> UnreadablePathError:
    reason = error.strerror or str(error)
    return UnreadablePathError(f"cannot read {path}: {reason}")


def collect_vcf_files(paths: Sequence[str | Path]) -> list[Path]:
    """Files as given, plus every *.vcf / *.vcard (any case) inside directories, recursively, sorted.

    Raises:
        UnreadablePathError: a path does not exist or cannot be listed.
    """
    found: set[Path] = set()
    for given in paths:
        path = Path(given)
        if path.is_dir():
            if not os.access(path, os.R_OK | os.X_OK):
                raise _unreadable(path, PermissionError(13, "Permission denied"))
            for root, _dirs, files in os.walk(path, onerror=None):
                for name in files:
                    if name.lower().endswith(VCARD_SUFFIXES):
                        found.add(Path(root) / name)
        elif path.exists():
            found.add(path)
        else:
            raise _unreadable(path, FileNotFoundError(2, "No such file or directory"))
    return sorted(found)


@dataclass
class CardStream:
    """One file's cards, read one at a time as `drafts` is iterated, so only the file's text (or, for a
    UTF-8 file read from disk, a chunk of its bytes) and the card being read are alive. `problems` is
    complete (sorted by line) once `drafts` is used up."""

    source: str
    drafts: Iterator[CardDraft]  # or CardParts, for a stream asked for them (see stream_vcard_file)
    problems: list[CardProblem] = field(default_factory=list)
    encoding: str = "utf-8"


def read_vcard_bytes(data: bytes, source: str = "") -> ReadResult:
    """Read every card in `data`; one broken card never stops the others."""
    # The reader makes many small objects and no reference cycles: collecting midway only costs time.
    with collections_paused():
        stream = stream_vcard_bytes(data, source)
        drafts = list(stream.drafts)
        return ReadResult(source=source, drafts=drafts, problems=stream.problems, encoding=stream.encoding)


def stream_vcard_bytes(data: bytes, source: str = "") -> CardStream:
    """Decode `data` now; build each card's draft only when the stream asks for it."""
    return _stream_decoded(decode_vcard_bytes(data), source)


Build = Callable[[CardChunk, str], CardDraft | CardParts | None]
"""How a stream makes each card: vcard.card.build_draft (CardDrafts) or build_parts (CardParts)."""


def _stream_decoded(decoded: DecodedText, source: str, build: Build = build_draft) -> CardStream:
    stream = CardStream(source=source, drafts=iter(()), encoding=decoded.encoding)
    strays: list[Stray] = []
    stream.drafts = _drafts(iter_cards(decoded.text, strays), strays, decoded.lossy, source, stream.problems,
                            build)
    return stream


def _drafts(chunks: Iterator[CardChunk], strays: list[Stray], lossy: bool, source: str,
            problems: list[CardProblem], build: Build = build_draft) -> Iterator[CardDraft | CardParts]:
    for chunk in chunks:
        draft = build(chunk, source)
        if draft is None:
            problems.append(CardProblem(source, chunk.line, "empty card"))
            continue
        if lossy:
            draft.warnings.insert(0, f"{chunk.line}: file is not UTF-8 and names no usable charset; "
                                     "read as cp1252, some characters may be wrong")
        yield draft
    problems.extend(CardProblem(source, stray.line, stray.reason) for stray in strays)
    problems.sort(key=lambda problem: problem.line)


def _read_bytes_of(path: str | Path) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as error:
        raise _unreadable(path, error) from None


def read_vcard_file(path: str | Path) -> ReadResult:
    """Read one file.

    Raises:
        UnreadablePathError: the file cannot be opened or read.
    """
    return read_vcard_bytes(_read_bytes_of(path), str(path))


def stream_vcard_file(path: str | Path, build: Build = build_draft) -> CardStream:
    """Read one file as a CardStream: the same drafts, problems and encoding as `stream_vcard_bytes` on its
    bytes. A UTF-8 file (most exports) is read a chunk at a time and each card decoded on its own, so a
    large file's text is never held whole; any other file is decoded whole first. `build`: see Build.

    Raises:
        UnreadablePathError: the file cannot be opened or read (found while its cards are read, for a
        UTF-8 file that fails after it was opened).
    """
    try:
        file = open(path, "rb")  # noqa: SIM115 - the stream's generator closes it
    except OSError as error:
        raise _unreadable(path, error) from None
    try:
        # A pipe cannot be read twice: it is decoded whole, as it comes.
        errors = utf8_errors_of(file) if file.seekable() else None
        if errors is None:
            with file:
                if file.seekable():
                    file.seek(0)
                # The bytes go straight to the decoder, held by no frame here: once it has made its own copy
                # (line endings normalised) they can be freed before the text is made, which lowers the peak.
                return _stream_decoded(decode_vcard_bytes(file.read()), str(path), build)
        file.seek(bom_length(errors))
    except OSError as error:
        file.close()
        raise _unreadable(path, error) from None
    stream = CardStream(source=str(path), drafts=iter(()), encoding="utf-8")
    strays: list[Stray] = []
    cards = _file_cards(file, path, errors, strays)
    stream.drafts = _drafts(cards, strays, False, stream.source, stream.problems, build)
    return stream


def _file_cards(file: BinaryIO, path: str | Path, errors: str, strays: list[Stray]) -> Iterator[CardChunk]:
    with file:
        try:
            yield from iter_file_cards(file, errors, strays)
        except OSError as error:
            raise _unreadable(path, error) from None


def count_cards(path: str | Path, enough: int | None = None) -> int:
    """About how many cards a file holds (its BEGIN:VCARD lines in upper or lower case), cheaply, for a
    progress bar's total before the cards are read. With `enough`, reading stops once that many are
    counted (the count may then pass it by the rest of a chunk).

    Raises:
        UnreadablePathError: the file cannot be opened or read.
    """
    try:
        with open(path, "rb") as file:
            return count_begin_lines(file, enough)
    except OSError as error:
        raise _unreadable(path, error) from None


def read_paths(paths: Sequence[str | Path]) -> Iterator[ReadResult]:
    """collect_vcf_files, then read each file in order."""
    for path in collect_vcf_files(paths):
        yield read_vcard_file(path)
