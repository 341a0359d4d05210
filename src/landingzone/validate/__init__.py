"""Every semantic check of a spec, and `load_spec`: read, then validate.

The checks sit above the graph and the network layout because many of them
ask the graph (which accounts a role lands in, which regions an account has,
what a network plan allocates). Each returns problems at file:line; one
`SpecInvalid` carries them all.
"""

from __future__ import annotations

from pathlib import Path

from landingzone.errors import SpecProblem
from landingzone.spec.loader import LoadedSpec, read_spec
from landingzone.validate.access import check_access_checks, declared_roles
from landingzone.validate.baselines import check_baselines
from landingzone.validate.ci_pipeline import check_ci_pipeline
from landingzone.validate.connections import check_network
from landingzone.validate.identity_center import check_identity_center
from landingzone.validate.limits import check_limits
from landingzone.validate.organization import check_spec
from landingzone.validate.security import check_security

__all__ = ["load_spec"]


def load_spec(path: str | Path) -> LoadedSpec:
    """Load the spec at `path`: a directory (its landingzone.yaml) or a root file.

    Raises `SpecInvalid` with every problem found, each at its file:line.
    """
    read = read_spec(path)
    problems: list[SpecProblem] = []
    if read.spec is not None:
        spec, provenance, skipped = read.spec, read.provenance, read.skipped
        problems += check_limits(spec, read.tree, provenance)
        problems += check_spec(spec, provenance, skipped)
        problems += check_baselines(spec, provenance, skipped)
        problems += check_network(spec, provenance, skipped)
        problems += check_security(spec, provenance, skipped)
        problems += check_identity_center(spec, provenance, skipped)
        problems += check_ci_pipeline(spec, provenance)
        roles = declared_roles(spec) if not (read.problems or problems) else None
        problems += check_access_checks(spec, provenance, roles=roles)
    return read.loaded(problems)
