"""The bootstrap scripts that set up the CI platform's environments through its API.

The workflows (export/github.py) deploy each stack in its environment, and
protected environments must wait for a reviewer; GitHub keeps both in the
repository's settings, not in files. `lz export ci --github` therefore
writes `.github/lz-environments.sh`, which a repository administrator runs
once (and again after each export that adds an environment):

- every environment the stacks deploy to is created (`PUT
  repos/R/environments/ENV`), with deployment branches limited to the
  environment's branch (`ci.pipeline.environments.ENV.branch`, else the
  pipeline's): a job on a feature branch that names the environment is
  refused by GitHub before it gets a token;
- protected environments (prod-like accounts, the organization) get their
  required reviewers (`ci.pipeline.environments.ENV.reviewers`, users or
  `org/team`s, looked up to their IDs) and cannot be approved by the person
  who triggered the run.

It calls the GitHub CLI (`gh api`), which authenticates with `gh auth login`
or `GH_TOKEN` from the environment: no token is ever written to the
repository. GitLab's equivalent, `.gitlab/lz-environments.sh`, protects the
environments of protected stacks (`POST projects/:id/protected_environments`:
only maintainers deploy, and each deployment waits for an approval by each
of the environment's reviewers, `org/group`s and users looked up to their
IDs (an approval rule each: GitLab requires every rule, where GitHub takes
any one reviewer), or by a maintainer when it names none) with curl and `GITLAB_TOKEN`
from the environment (protected environments and deployment approvals are
GitLab Premium features). GitLab lets no one approve a deployment they
triggered unless the project allows it. Environments already protected are
left as they are.
"""

from __future__ import annotations

import shlex
from collections.abc import Sequence

from landingzone.export.ci import CiStack
from landingzone.spec.ci_pipeline import Pipeline

GITHUB_SCRIPT = ".github/lz-environments.sh"
GITLAB_SCRIPT = ".gitlab/lz-environments.sh"

GITHUB_FUNCTIONS = r"""set -euo pipefail

REPO="${1:-%(repo)s}"
if [ -z "$REPO" ]; then
  echo "usage: $0 OWNER/REPO" >&2
  exit 64
fi
command -v gh >/dev/null || { echo "$0 needs the GitHub CLI (gh)" >&2; exit 1; }

# A reviewer as the API takes it: a user's or a team's (org/team) ID.
reviewer() {
  case "$1" in
    */*) printf '{"type":"Team","id":%%s}' "$(gh api "orgs/${1%%%%/*}/teams/${1#*/}" --jq .id)" ;;
    *) printf '{"type":"User","id":%%s}' "$(gh api "users/$1" --jq .id)" ;;
  esac
}

# environment NAME BRANCH [REVIEWER ...]: create or update it; deployments only
# from BRANCH; with reviewers, each deployment waits for one of them.
environment() {
  local name="$1" branch="$2" reviewers="" self_review=false r
  shift 2
  for r in "$@"; do
    reviewers="${reviewers:+$reviewers,}$(reviewer "$r")"
    self_review=true
  done
  gh api --method PUT "repos/$REPO/environments/$name" --input - >/dev/null <<EOF
{"reviewers": [$reviewers], "prevent_self_review": $self_review,
 "deployment_branch_policy": {"protected_branches": false, "custom_branch_policies": true}}
EOF
  if ! gh api "repos/$REPO/environments/$name/deployment-branch-policies" \
      --jq '.branch_policies[].name' | grep -qx "$branch"; then
    gh api --method POST "repos/$REPO/environments/$name/deployment-branch-policies" \
      -f name="$branch" -f type=branch >/dev/null
  fi
  echo "environment $name: deploys from $branch${*:+, reviewers $*}"
}
"""

GITLAB_FUNCTIONS = r"""set -euo pipefail

PROJECT="${1:-%(repo)s}"
GITLAB_URL="${GITLAB_URL:-https://gitlab.com}"
if [ -z "$PROJECT" ]; then
  echo "usage: $0 GROUP/PROJECT" >&2
  exit 64
fi
: "${GITLAB_TOKEN:?set GITLAB_TOKEN to a token of a Maintainer of the project}"
ENCODED="${PROJECT//\//%%2F}"

# api METHOD PATH [CURL ARGS...]: GitLab's REST API; fails on an HTTP error.
api() {
  local method="$1" path="$2"
  shift 2
  curl --fail-with-body --silent --show-error --request "$method" \
    --header "PRIVATE-TOKEN: $GITLAB_TOKEN" --header "Content-Type: application/json" \
    "$@" "$GITLAB_URL/api/v4/$path"
}

# The first "id" of an API answer (a group, or the one user a username search finds).
first_id() {
  grep -o '"id": *[0-9]*' | head -n 1 | grep -o '[0-9]*$' || true
}

# approver NAME: an approval rule of one approval by a group (group/subgroup) or a user.
approver() {
  local id kind
  case "$1" in
    */*) kind=group_id id="$(api GET "groups/${1//\//%%2F}" | first_id)" ;;
    *) kind=user_id id="$(api GET "users?username=$1" | first_id)" ;;
  esac
  if [ -z "$id" ]; then
    echo "no GitLab group or user $1 (ci.pipeline.environments.*.reviewers)" >&2
    exit 1
  fi
  printf '{"%%s": %%s, "required_approvals": 1}' "$kind" "$id"
}

# protect NAME [APPROVER ...]: only maintainers deploy to it, each deployment after an
# approval by each approver (GitLab's rules all apply; without approvers: by a
# maintainer). An environment
# already protected is left as it is (change it in Settings > CI/CD > Protected
# environments, or unprotect it and run this again).
protect() {
  local name="$1" rules="" r
  shift
  if api GET "projects/$ENCODED/protected_environments/$name" >/dev/null 2>&1; then
    echo "environment $name: already protected, left as it is"
    return
  fi
  for r in "$@"; do
    rules="${rules:+$rules, }$(approver "$r")"
  done
  if [ -z "$rules" ]; then
    rules='{"access_level": 40, "required_approvals": 1}'
  fi
  api POST "projects/$ENCODED/protected_environments" --data "{\"name\": \"$name\", \
\"deploy_access_levels\": [{\"access_level\": 40}], \"approval_rules\": [$rules]}" >/dev/null
  echo "environment $name: protected (maintainers deploy, approved by ${*:-a maintainer})"
}
"""


def _header(platform: str, what: str) -> str:
    return (
        "#!/usr/bin/env bash\n"
        f"# Generated by `lz export ci --{platform}` from the landing-zone spec.\n"
        f"# {what}\n"
        "# Run it once as a repository administrator (and again after an export that adds\n"
        "# an environment). It reads its credentials from the environment: no token is\n"
        "# written to the repository.\n"
    )


def environments(stacks: Sequence[CiStack]) -> list[tuple[str, str, bool]]:
    """Each environment the stacks deploy to: (name, branch, protected)."""
    found: dict[str, tuple[str, bool]] = {}
    for stack in stacks:
        branch, protected = found.get(stack.environment, (stack.branch, False))
        found[stack.environment] = (branch, protected or stack.protected)
    return [(name, branch, protected) for name, (branch, protected) in sorted(found.items())]


def github_bootstrap(stacks: Sequence[CiStack], pipeline: Pipeline | None) -> str:
    """`.github/lz-environments.sh` (see the module docstring)."""
    repo = pipeline.repository if pipeline else ""
    lines = [
        _header(
            "github",
            "Creates the GitHub environments the workflows deploy to, through the GitHub API\n"
            "# (`gh api`; `gh auth login` or GH_TOKEN): deployment branches, required reviewers.",
        ),
        GITHUB_FUNCTIONS % {"repo": repo},
    ]
    for name, branch, protected in environments(stacks):
        entry = pipeline.environments.get(name) if pipeline else None
        reviewers = entry.reviewers if entry else []
        if protected and not reviewers:
            lines.append(
                f"# {name} is protected, but ci.pipeline.environments.{name}.reviewers names "
                "no one:\n# add reviewers there (or in Settings > Environments).\n"
            )
        words = ["environment", name, branch, *reviewers]
        lines.append(" ".join(shlex.quote(w) for w in words) + "\n")
    return "".join(lines)


def gitlab_bootstrap(stacks: Sequence[CiStack], pipeline: Pipeline | None) -> str:
    """`.gitlab/lz-environments.sh` (see the module docstring)."""
    repo = pipeline.repository if pipeline else ""
    lines = [
        _header(
            "gitlab",
            "Protects the GitLab environments of protected stacks through GitLab's API\n"
            "# (curl; GITLAB_TOKEN, GITLAB_URL): only maintainers deploy, after an approval\n"
            "# by each of the environment's reviewers.",
        ),
        GITLAB_FUNCTIONS % {"repo": repo},
    ]
    for name, _, protected in environments(stacks):
        if protected:
            entry = pipeline.environments.get(name) if pipeline else None
            reviewers = entry.reviewers if entry else []
            words = ["protect", name, *reviewers]
            lines.append(" ".join(shlex.quote(w) for w in words) + "\n")
    return "".join(lines)
