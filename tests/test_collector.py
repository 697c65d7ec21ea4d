"""The collector pauses: on for the rest of the program once a pause ends, off where a caller turned it off."""

from __future__ import annotations

import gc

import pytest

from tiecrm.collector import CollectorHold, collections_paused


@pytest.fixture(autouse=True)
def collector_enabled():
    was = gc.isenabled()
    gc.enable()
    yield
    if was:
        gc.enable()
    else:
        gc.disable()


def test_a_pause_turns_the_collector_off_and_back_on_even_on_error():
    with pytest.raises(RuntimeError):
        with collections_paused():
            assert not gc.isenabled()
            raise RuntimeError("boom")
    assert gc.isenabled()


def test_a_pause_inside_another_leaves_it_off_until_the_outer_one_ends():
    with collections_paused():
        with collections_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_a_hold_never_turns_on_a_collector_someone_else_turned_off():
    gc.disable()
    hold = CollectorHold()
    hold.hold()
    hold.release()
    assert not gc.isenabled()


def test_a_hold_released_twice_turns_it_on_once():
    hold, other = CollectorHold(), CollectorHold()
    hold.hold()
    other.hold()  # already off: this hold owns nothing
    other.release()
    assert not gc.isenabled()
    hold.release()
    hold.release()
    assert gc.isenabled()
