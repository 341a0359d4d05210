"""The `ci.pipeline` key: how the exported CI pipelines reach AWS (docs/export.md).

    ci:
      pipeline:
        repository: your-org/coalition-builder   # the subjects' OWNER/REPO (GROUP/PROJECT)
        branch: main                             # default: applies every environment
        session_seconds: 900                     # CI sessions (AWS's minimum, the default)
        environments:
          dev: {branch: development}             # pushes to development apply dev
          prod: {reviewers: [your-org/platform]} # GitHub: required reviewers of prod

With a pipeline, every stack's jobs assume the spec's deploy roles in the
stack's own account: for applies the deploy role trusting the environment's
job (GitHub `environment:<env>`, GitLab the environment's branch), for plans
of pull / merge requests a deploy role marked `plan: true` (read-only:
AWS's read-only managed policies and nothing else). Shapes only; the rules
are in `validate/ci_pipeline.py`, the role choice in `graph/ci_pipeline.py`.
"""

from __future__ import annotations

from pydantic import Field

from landingzone.spec.strict import StrictModel

SESSION_MIN = 900  # seconds: AWS's minimum DurationSeconds, and the default here
SESSION_MAX = 43200  # 12 hours, AWS's maximum


class PipelineEnvironment(StrictModel):
    """One environment of the pipeline (an account's Environment tag, else its name)."""

    branch: str | None = None  # pushes to this branch apply the environment; default: pipeline's
    # GitHub users (`octocat`) or teams (`org/team`) that must approve its applies.
    reviewers: list[str] = Field(default_factory=list)


class Pipeline(StrictModel):
    """The exported pipelines' repository, branches, environments and sessions."""

    repository: str  # OWNER/REPO on GitHub, GROUP/PROJECT on GitLab
    branch: str = "main"
    session_seconds: int = Field(SESSION_MIN, ge=SESSION_MIN, le=SESSION_MAX)
    environments: dict[str, PipelineEnvironment] = Field(default_factory=dict)

    def branch_of(self, environment: str) -> str:
        """The branch whose pushes apply `environment`."""
        entry = self.environments.get(environment)
        return entry.branch if entry and entry.branch else self.branch
