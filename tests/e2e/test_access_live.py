"""`who-can` and `can` agree on every principal of each applied example, read live.

Each example is applied to the emulator; the access model is then read from
what exists (IAM, Organizations, the managed resource policies), as
`lz who-can --live` and `lz can --live` read it. For every action and
resource the example's `checks:` name, and for `sts:AssumeRole` on every
role, the principals `who-can` lists are exactly those `can` allows.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from landingzone.access.assume import AssumeGraph
from landingzone.access.model import AccessModel
from landingzone.access.queries import can, who_can
from landingzone.access.targets import actions_for, resources_for
from landingzone.cli.engine_commands import open_spec
from landingzone.proofs.checks import check_context
from landingzone.proofs.sources import live_model
from landingzone.spec.access_checks import AccessCheck

pytestmark = pytest.mark.e2e


def questions(model: AccessModel, checks: list[AccessCheck]) -> list[tuple[str, str, dict]]:
    """(action, resource, context) for every check's expansion and every role's assumption."""
    found = []
    for check in checks:
        context = check_context(check)
        for action in (a for pattern in check.actions for a in actions_for(pattern)):
            for resource in (r for text in check.resources for r in resources_for(model, text)):
                found.append((action, resource, context))
    found += [("sts:AssumeRole", role.arn, {}) for role in model.roles.values()]
    return found


@pytest.mark.parametrize("name", ["codewilling", "coalition", "cloudposse"])
def test_who_can_agrees_with_can_on_every_principal_live(lz, example, name: str):  # type: ignore[no-untyped-def]
    spec_dir: Path = example(name)
    applied = lz("apply", spec_dir, "--auto-approve", "--approve-protected")
    assert applied.code == 0, applied.err
    ws = open_spec(spec_dir, None, None)
    model = live_model(ws)
    assert model.source == "live"
    graph = AssumeGraph(model)
    asked = questions(model, ws.spec.checks)
    assert len(asked) >= len(ws.spec.checks) + len(model.roles) > len(model.roles) > 0
    verdicts: set[bool] = set()
    for action, resource, context in asked:
        listed = {a.actor.key for a in who_can(model, graph, action, resource, context)}
        for actor in model.actors.values():
            allowed = can(model, graph, actor, action, resource, context).allowed
            assert allowed == (actor.key in listed), (action, resource, actor.key)
            verdicts.add(allowed)
    assert verdicts == {True, False}  # both answers occur: the comparison is not vacuous
