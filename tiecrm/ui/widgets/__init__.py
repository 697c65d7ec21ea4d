"""Widgets of the tiecrm app that Textual does not provide."""

from __future__ import annotations

from tiecrm.ui.widgets.people_list import PeopleList

__all__ = ["PeopleList"]
