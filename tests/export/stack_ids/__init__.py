"""Where plain boto3 finds what each kind of stack imports: one module per stack name.

A module `<stack>.py` here has `expected_id(aws, accounts, type_, key, stack)`:
the ID of the resource of Terraform type `type_` and for_each key `key` that
the stack at `stack` (live/<account>-<region>/<stack>) imports, found with
plain boto3 in that account and region. tests/export/test_imports.py uses it
for every stack of that name.
"""

from __future__ import annotations

from pathlib import Path


def stack_account(stack: Path, accounts: dict[str, str]) -> tuple[str, str]:
    """(account name, region) of a stack's directory, live/<account>-<region>/<stack>."""
    directory = stack.parent.name
    names = [n for n in accounts if directory.startswith(f"{n}-")]
    name = max(names, key=len)
    return name, directory.removeprefix(f"{name}-")
