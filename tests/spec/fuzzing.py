"""A seeded mutator of the example specs, and the rule every mutant must keep.

Each mutant is one example with one of its files changed: a text edit (lines
dropped, repeated, swapped, re-indented, cut short; YAML syntax and odd
characters inserted) or a value edit (a value replaced by one AWS or YAML
makes hard: `.nan`, `1e100`, a NUL byte, 300 characters, `us-east-9`, a list
entry repeated, a key dropped or misspelt, a deep list). The rule: the spec
loads and its resource graph builds, or loading raises `SpecInvalid` whose
every problem names file:line; never another exception, never longer than
the timeout. Only the loader and the graph run: nothing reaches AWS.

Used by tests/spec/test_fuzz.py (1,000 mutants) and benchmarks/spec_fuzz.py.
"""

from __future__ import annotations

import json
import random
import shutil
import signal
import traceback
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from landingzone.errors import SpecInvalid
from landingzone.graph import build_graph
from landingzone.spec.tree import plain
from landingzone.spec.yamlsource import parse_yaml
from landingzone.validate import load_spec

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

# Values that AWS, YAML or lz's own rules find hard.
HARD_VALUES: tuple[Any, ...] = (
    float("nan"),
    float("inf"),
    -1,
    0,
    1e100,
    "",
    "x" * 300,
    "a\x00b",
    "tab\there",
    "us-east-9",
    "us-gov-west-1",
    "aws:reserved",
    "not an action",
    "s3:Get Object",
    "deny all, please!",
    "{acount}",
    "{",
    "${aws:username}",
    "012345678901",
    None,
    True,
    [],
    {},
    ["us-east-1", "us-east-1"],
    json.loads("[" * 70 + "]" * 70),  # deeper than the bound
    {f"k{i}": "v" for i in range(60)},
)
# Text inserted by text edits: YAML syntax, odd characters.
HARD_TEXT: tuple[str, ...] = (
    "&a ",
    "*a",
    "<<: *a",
    "!Ref ",
    "{",
    "}",
    "[",
    "- ",
    ": ",
    "? ",
    "|",
    ">-",
    "\t",
    "\x00",
    "\x1b",
    "\u2028",
    "é",
    '"',
    "'",
    "#",
    "%YAML 1.1\n---\n",
    "---\n",
    "...\n",
    "import: [/dev/zero]\n",
    "import: ['../**/*.yaml']\n",
    "allow_paths: [/]\n",
    "\n" + "  " * 40 + "deep: 1\n",
)


class Timeout(Exception):
    """A load that took longer than allowed."""


@dataclass
class Outcome:
    """What became of the mutants."""

    valid: int = 0
    rejected: int = 0
    failures: list[str] = field(default_factory=list)  # each: the mutation and what went wrong

    @property
    def total(self) -> int:
        """Mutants tried."""
        return self.valid + self.rejected + len(self.failures)


def spec_files(example: Path) -> list[Path]:
    """The YAML and JSON files of an example, sorted."""
    return sorted(p for p in example.rglob("*") if p.suffix in (".yaml", ".json"))


def _text_edit(text: str, rng: random.Random) -> tuple[str, str]:
    lines = text.splitlines(keepends=True) or [""]
    i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
    kind = rng.randrange(7)
    if kind == 0:
        del lines[i]
        return "".join(lines), f"drop line {i + 1}"
    if kind == 1:
        lines.insert(i, lines[j])
        return "".join(lines), f"repeat line {j + 1} at {i + 1}"
    if kind == 2:
        lines[i], lines[j] = lines[j], lines[i]
        return "".join(lines), f"swap lines {i + 1} and {j + 1}"
    if kind == 3:
        shift = rng.choice(("  ", " ", ""))
        lines[i] = shift + lines[i].lstrip(" ") if shift else lines[i].lstrip(" ")
        return "".join(lines), f"re-indent line {i + 1} by {shift!r}"
    if kind == 4:
        cut = rng.randrange(len(text) + 1)
        return text[:cut], f"cut at character {cut}"
    line = lines[i]
    at = rng.randrange(len(line) + 1)
    insert = rng.choice(HARD_TEXT)
    lines[i] = line[:at] + insert + line[at:]
    return "".join(lines), f"insert {insert!r} into line {i + 1} at {at}"


def _paths(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield path
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _paths(item, (*path, index))


def _value_edit(data: Any, rng: random.Random) -> str:
    """Change `data` in place at one random place; say what was done."""
    path = rng.choice([p for p in _paths(data) if p])
    parent = data
    for key in path[:-1]:
        parent = parent[key]
    last = path[-1]
    kind = rng.randrange(5)
    if kind == 0 and isinstance(parent, dict):
        del parent[last]
        return f"drop {path}"
    if kind == 1 and isinstance(parent, dict):
        parent[str(last) + rng.choice(("x", "_", "s"))] = parent.pop(last)
        return f"misspell {path}"
    if kind == 2 and isinstance(parent, list):
        parent.insert(int(last), parent[int(last)])
        return f"repeat {path}"
    value = rng.choice(HARD_VALUES)
    parent[last] = json.loads(json.dumps(value))  # a fresh copy of lists and maps
    return f"set {path} to {value!r:.60}"


def mutate(text: str, label: str, rng: random.Random) -> tuple[str, str]:
    """One mutant of `text` (a spec file called `label`) and what was changed."""
    if rng.random() < 0.5:
        return _text_edit(text, rng)
    tree, problems = parse_yaml(text, label)
    if tree is None or problems:
        return _text_edit(text, rng)
    data = plain(tree)
    if not isinstance(data, dict) or not data:
        return _text_edit(text, rng)
    done = _value_edit(data, rng)
    # JSON is YAML: floats like nan and inf are written as YAML spells them.
    dumped = json.dumps(data, indent=1, ensure_ascii=False)
    dumped = dumped.replace("NaN", ".nan").replace("-Infinity", "-.inf")
    return dumped.replace("Infinity", ".inf"), done


def _alarm(_signum: int, _frame: Any) -> None:
    raise Timeout


def check(root: Path, timeout: float) -> str | None:
    """None when the spec at `root` keeps the rule; else what broke it."""
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, timeout)
    try:
        loaded = load_spec(root)
        build_graph(loaded.spec)
    except SpecInvalid as exc:
        unlocated = [str(p) for p in exc.problems if p.location is None]
        return f"problems without file:line: {unlocated}" if unlocated else "rejected"
    except Timeout:
        return f"took longer than {timeout} s"
    except Exception:  # the rule: nothing else, ever
        return traceback.format_exc(limit=-3)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    return None


def run(count: int, seed: int, workdir: Path, timeout: float = 5.0) -> Outcome:
    """Mutate the examples `count` times (deterministically for `seed`) and check each."""
    rng = random.Random(seed)
    copies = []
    for example in sorted(p for p in EXAMPLES.iterdir() if (p / "landingzone.yaml").exists()):
        target = workdir / example.name
        shutil.copytree(example, target)
        copies.append((target, spec_files(target)))
    outcome = Outcome()
    for number in range(count):
        root, files = rng.choice(copies)
        path = rng.choice(files)
        original = path.read_text(encoding="utf-8")
        mutant, change = mutate(original, path.name, rng)
        path.write_text(mutant, encoding="utf-8")
        try:
            verdict = check(root, timeout)
        finally:
            path.write_text(original, encoding="utf-8")
        if verdict is None:
            outcome.valid += 1
        elif verdict == "rejected":
            outcome.rejected += 1
        else:
            where = path.relative_to(workdir)
            outcome.failures.append(f"#{number} {where}: {change}: {verdict}")
    return outcome
