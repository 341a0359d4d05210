"""Kinds tagged when lz creates them, whose tags lz does not read back.

Budgets take tags at creation, but reading them back costs one call per
budget (no list call returns them), which would make a no-change plan cost a
call per budget. These kinds set
ManagedBy, CreatedBy and the spec's tags at creation and leave tags out of
the comparison afterwards; whether lz created a resource comes from state.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from landingzone.nodes import Change, Found, ResourceRecord
from landingzone.resources.base import Kind


class TaggedAtCreationKind(Kind):
    """Base class: the default diff, without `tags`."""

    taggable = True

    def diff(
        self, desired: Mapping[str, Any], found: Found, record: ResourceRecord | None
    ) -> list[Change]:
        return super().diff({k: v for k, v in desired.items() if k != "tags"}, found, record)
