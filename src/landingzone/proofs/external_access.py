"""External access as a check: what the organization's IAM Access Analyzer found.

With `security.access_analyzer` in the spec, `lz check --live` reads the
analyzers' active findings in every region (`resources/access_analyzer.py`);
each one is a resource reachable from outside the organization, and a
failing check. A finding that is intended is archived in Access Analyzer
(by hand or with an archive rule) and no longer fails.
"""

from __future__ import annotations

from landingzone.engine.workflow import Workspace
from landingzone.resources.access_analyzer import ExternalAccessFinding, active_findings


def live_external_access(ws: Workspace) -> list[ExternalAccessFinding]:
    """The active external-access findings of the spec's analyzers (none without any)."""
    return active_findings(ws.ctx, ws.nodes)
