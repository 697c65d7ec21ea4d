"""ForkedCall: a function run in a forked child gives back its result, or its failure, and
leaves this process's open database transaction alone; a child forked before its call gets only the call's
arguments, and one let go leaves no process behind."""

from __future__ import annotations

import os
import sqlite3
import sys
from pathlib import Path

import pytest

from tiecrm.forked import ForkedCall, SharedCounts, fork_is_safe

pytestmark = pytest.mark.skipif(not (sys.platform == "linux" and fork_is_safe()), reason="needs a safe fork")


def _child_facts(numbers: list[int]) -> tuple[int, int]:
    return sum(numbers), os.getpid()


def test_the_result_comes_back_from_another_process() -> None:
    result = ForkedCall(_child_facts, list(range(1000))).send()
    total, pid = result()
    assert total == 499500 and pid != os.getpid()
    assert not Path(f"/proc/{pid}").exists(), "the child was waited for"


def _fail() -> None:
    raise ValueError("no such block")


def test_a_failure_in_the_child_is_raised_here_with_its_reason() -> None:
    result = ForkedCall(_fail).send()
    with pytest.raises(RuntimeError, match="ValueError: no such block"):
        result()


def _exit_hard() -> None:
    os._exit(3)


def test_a_child_that_dies_without_answering_is_reported() -> None:
    with pytest.raises(RuntimeError, match="without an answer"):
        ForkedCall(_exit_hard).send()()


def test_an_open_transaction_here_survives_the_child(tmp_path: Path) -> None:
    db = tmp_path / "store.db"
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA journal_mode=wal")
    conn.execute("CREATE TABLE t (x INTEGER)")
    conn.commit()
    conn.execute("BEGIN")
    conn.execute("INSERT INTO t VALUES (1)")
    assert ForkedCall(_child_facts, [1, 2]).send()()[0] == 3
    conn.execute("INSERT INTO t VALUES (2)")
    conn.commit()
    conn.close()
    check = sqlite3.connect(db)
    assert check.execute("SELECT x FROM t ORDER BY x").fetchall() == [(1,), (2,)]
    assert check.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    check.close()


def test_shared_counts_written_by_the_child_are_read_here_and_the_other_way() -> None:
    import time

    counts = SharedCounts(7, 0)

    def count_up() -> int:
        deadline = time.monotonic() + 10
        while counts[0] != 8 and time.monotonic() < deadline:  # written here after the fork
            time.sleep(0.001)
        counts[1] = 123_456_789_012
        return counts[0]

    try:
        assert (counts[0], counts[1]) == (7, 0)
        result = ForkedCall(count_up).send()
        counts[0] = 8
        assert result() == 8
        assert counts[1] == 123_456_789_012
    finally:
        counts.close()


_MADE_AFTER_THE_FORK: list[int] = []


def _what_the_child_sees(numbers: list[int]) -> tuple[int, list[int], int]:
    return sum(numbers), list(_MADE_AFTER_THE_FORK), os.getpid()


def _children() -> set[int]:
    with open(f"/proc/{os.getpid()}/task/{os.getpid()}/children") as children:
        return {int(pid) for pid in children.read().split()}


def test_a_call_forked_early_gets_its_arguments_sent_and_nothing_else_made_since() -> None:
    before = _children()
    call = ForkedCall(_what_the_child_sees)
    assert len(_children() - before) == 1, "the child is there before the call"
    _MADE_AFTER_THE_FORK.append(1)
    try:
        numbers = list(range(100_000))  # made after the fork: only the call's arguments reach the child
        total, seen, pid = call.send(numbers)()
    finally:
        _MADE_AFTER_THE_FORK.clear()
    assert total == sum(range(100_000)) and seen == [] and pid != os.getpid()
    assert _children() == before


def test_inherited_arguments_come_before_the_sent_ones() -> None:
    counts = SharedCounts(5)
    try:
        call = ForkedCall(_add_to_count, counts)
        assert call.send(37)() == 42
    finally:
        counts.close()


def _add_to_count(counts: SharedCounts, number: int) -> int:
    return counts[0] + number


@pytest.mark.parametrize("sent", [False, True])
def test_a_call_let_go_leaves_no_child_behind(sent: bool) -> None:
    before = _children()
    call = ForkedCall(_sleep_then_answer)
    if sent:
        call.send(30)  # its answer never taken: the child is stopped, not waited for 30 s
    call.close()
    assert _children() == before
    with pytest.raises(RuntimeError, match="had its call"):
        call.send(1)


def _sleep_then_answer(seconds: float) -> str:
    import time

    time.sleep(seconds)
    return "late"
