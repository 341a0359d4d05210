"""OIDC subjects: lz's principal syntax for CI identities and the subject classes.

Principal syntax (see docs/access.md):

- `github:ORG/REPO@refs/heads/main` (any ref: `refs/tags/v1`, ...),
  `github:ORG/REPO@environment:prod`, `github:ORG/REPO@pull_request`,
  `github:ORG/REPO@*` -> `token.actions.githubusercontent.com:sub` values
  `repo:ORG/REPO:ref:refs/heads/main`, `repo:ORG/REPO:environment:prod`, ...;
- `gitlab:GROUP/PROJECT@refs/heads/main` (or `refs/tags/v1`, `*`) ->
  `gitlab.com:sub` `project_path:GROUP/PROJECT:ref_type:branch:ref:main`;
- `oidc:HOST:SUBJECT` for any other issuer.

`*` and `?` in any of them make a pattern. The space of subjects is infinite;
trust conditions on `HOST:sub` cut it into finitely many classes, and
`subject_classes` finds one concrete subject for each.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from landingzone.access.errors import RequestError
from landingzone.access.globs import Glob, readable_witness

GITHUB = "token.actions.githubusercontent.com"
GITLAB = "gitlab.com"
DEFAULT_AUDIENCE = {GITHUB: "sts.amazonaws.com", GITLAB: "https://gitlab.com"}
UNLISTED = "lz-unlisted"
# The forms real subjects take (`+`: one or more characters other than ":"),
# to pick well-formed members of a pattern such as `repo:ORG/REPO:*`.
SHAPES = {
    GITHUB: (
        "repo:+/+:ref:refs/heads/+",
        "repo:+/+:ref:refs/tags/+",
        "repo:+/+:environment:+",
        "repo:+/+:pull_request",
    ),
    GITLAB: (
        "project_path:+/+:ref_type:branch:ref:+",
        "project_path:+/+:ref_type:tag:ref:+",
    ),
}
_GITHUB_SUB = re.compile(r"repo:(?P<repo>[^:]+):(?P<rest>.+)")
_GITLAB_SUB = re.compile(
    r"project_path:(?P<project>[^:]+):(?:ref_type:(?P<type>branch|tag|\*):ref:(?P<ref>.+)|(?P<any>\*))"
)


@dataclass(frozen=True)
class SubjectPattern:
    """A set of OIDC subjects of one issuer: `host` and a pattern on `HOST:sub`."""

    host: str
    sub: Glob


def parse_subject(text: str) -> SubjectPattern:
    """Parse `github:...`, `gitlab:...` or `oidc:HOST:SUBJECT` (raises `RequestError`)."""
    scheme, _, rest = text.partition(":")
    if scheme == "oidc":
        host, sep, sub = rest.partition(":")
        if not (host and sep and sub):
            raise RequestError(f"principal {text!r}: expected oidc:HOST:SUBJECT")
        return SubjectPattern(host, Glob(sub))
    owner, at, context = rest.partition("@")
    if scheme not in ("github", "gitlab") or not at or owner.count("/") < 1 or not context:
        raise RequestError(
            f"principal {text!r}: expected github:ORG/REPO@REF (refs/heads/main, "
            "environment:prod, pull_request, *) or gitlab:GROUP/PROJECT@REF"
        )
    if scheme == "github":
        return SubjectPattern(GITHUB, Glob(f"repo:{owner}:{_github_context(text, context)}"))
    return SubjectPattern(GITLAB, Glob(f"project_path:{owner}:{_gitlab_context(text, context)}"))


def _github_context(text: str, context: str) -> str:
    if context.startswith("refs/"):
        return f"ref:{context}"
    if context.startswith("environment:") or context in ("pull_request", "*"):
        return context
    raise RequestError(
        f"principal {text!r}: after @ comes a ref (refs/heads/main), environment:NAME, "
        "pull_request or *"
    )


def _gitlab_context(text: str, context: str) -> str:
    for prefix, ref_type in (("refs/heads/", "branch"), ("refs/tags/", "tag")):
        if context.startswith(prefix):
            return f"ref_type:{ref_type}:ref:{context.removeprefix(prefix)}"
    if context == "*":
        return context
    raise RequestError(f"principal {text!r}: after @ comes refs/heads/BRANCH, refs/tags/TAG or *")


def label(host: str, sub: str) -> str:
    """The principal syntax of one subject (or pattern) of `host`."""
    if host == GITHUB and (m := _GITHUB_SUB.fullmatch(sub)):
        rest = m["rest"]
        context = rest.removeprefix("ref:") if rest.startswith("ref:") else rest
        return f"github:{m['repo']}@{context}"
    if host == GITLAB and (m := _GITLAB_SUB.fullmatch(sub)):
        if m["any"]:
            return f"gitlab:{m['project']}@*"
        prefix = {"branch": "refs/heads/", "tag": "refs/tags/"}.get(m["type"], "refs/*/")
        return f"gitlab:{m['project']}@{prefix}{m['ref']}"
    return f"oidc:{host}:{sub}"


def describe(host: str, sub: Glob) -> str:
    """What a subject pattern stands for, in words."""
    some = "matching" if not sub.is_literal else ""
    if host == GITHUB and (m := _GITHUB_SUB.fullmatch(sub.text)):
        repo, rest = m["repo"], m["rest"]
        if rest == "*":
            return f"any GitHub workflow of {repo} (any ref, environment or pull request)"
        if rest.startswith("ref:"):
            ref = rest.removeprefix("ref:")
            return f"any GitHub ref of {repo} {some} {ref}" if some else f"GitHub {repo} on {ref}"
        if rest.startswith("environment:"):
            env = rest.removeprefix("environment:")
            kind = (
                f"any GitHub environment of {repo} {some}"
                if some
                else f"GitHub {repo}, environment"
            )
            return f"{kind} {env}"
        if rest == "pull_request":
            return f"GitHub pull requests of {repo}"
    if host == GITLAB and (m := _GITLAB_SUB.fullmatch(sub.text)):
        if m["any"]:
            return f"any GitLab pipeline of {m['project']}"
        what = "tag" if m["type"] == "tag" else "branch"
        if some:
            return f"any GitLab {what} of {m['project']} {some} {m['ref']}"
        return f"GitLab {m['project']} on {what} {m['ref']}"
    if sub.is_literal:
        return f"the {host} subject {sub.text}"
    return f"any {host} subject matching {sub.text}"


def unlisted_subject(host: str) -> str:
    """A subject of `host` that names no real repository or project."""
    if host == GITHUB:
        return f"repo:{UNLISTED}/{UNLISTED}:ref:refs/heads/{UNLISTED}"
    if host == GITLAB:
        return f"project_path:{UNLISTED}/{UNLISTED}:ref_type:branch:ref:{UNLISTED}"
    return UNLISTED


@dataclass(frozen=True)
class SubjectClass:
    """A class of subjects of one issuer that trust policies treat alike.

    `subject` is one concrete member; `pattern` is the trust condition value
    the class comes from (None: the subjects no trust condition names).
    """

    host: str
    subject: str
    pattern: Glob | None

    @property
    def label(self) -> str:
        """Principal syntax of the concrete member."""
        return label(self.host, self.subject)

    def describe(self) -> str:
        """`any GitHub ref of ORG/REPO matching refs/heads/*`, or `any other ... subject`."""
        if self.pattern is None:
            return f"any other {self.host} subject (one no trust condition names)"
        return describe(self.host, self.pattern)


def _shape_regex(host: str) -> re.Pattern[str] | None:
    shapes = SHAPES.get(host)
    if not shapes:
        return None
    return re.compile(
        "|".join(re.escape(s).replace(r"\+", "+").replace("+", "[^:]+") for s in shapes)
    )


_SHAPE_REGEX = {host: _shape_regex(host) for host in SHAPES}


def representative(host: str, pattern: Glob) -> str:
    """One well-formed member of `pattern`: its plain example when that fits, else a search."""
    example = pattern.example()
    regex = _SHAPE_REGEX.get(host)
    if regex is None or regex.fullmatch(example):
        return example
    return well_formed(host, pattern)[0]


def well_formed(host: str, pattern: Glob) -> list[str]:
    """Members of `pattern` in each form real subjects of `host` take (else one example)."""
    if pattern.is_literal:
        return [pattern.text]
    members = []
    for text in SHAPES.get(host, ()):
        member = readable_witness(pattern, Glob(text, segments=True))
        if member is not None:
            members.append(member)
    return members or [pattern.example()]


def subject_classes(host: str, patterns: Iterable[Glob]) -> list[SubjectClass]:
    """One class per trust pattern, per overlap of two patterns, and "anything else"."""
    distinct = sorted(set(patterns), key=lambda g: (g.text, g.wild))
    classes: dict[str, SubjectClass] = {}
    for pattern in distinct:
        member = representative(host, pattern)
        classes.setdefault(member, SubjectClass(host, member, pattern))
    wild = [p for p in distinct if not p.is_literal]
    for index, first in enumerate(wild):
        for second in wild[index + 1 :]:
            found = readable_witness(first, second)
            if found is not None and found not in classes:
                narrower = first if len(first.text) >= len(second.text) else second
                classes[found] = SubjectClass(host, found, narrower)
    other = unlisted_subject(host)
    if not any(p.matches(other) for p in distinct):
        classes[other] = SubjectClass(host, other, None)
    return list(classes.values())


def members(pattern: SubjectPattern, patterns: Iterable[Glob]) -> list[str]:
    """Concrete subjects of `pattern` that together meet every trust pattern it overlaps."""
    found = well_formed(pattern.host, pattern.sub)
    for trust in patterns:
        shared = readable_witness(pattern.sub, trust)
        if shared is not None and shared not in found:
            found.append(shared)
    return found
