"""What exporters produce: reusable modules and the parts of root modules (stacks).

A *stack* is one root module with one state: `live/<account>-<region>/<stack>/`
(or `bootstrap/`), state key `<account>/<region>/<stack>.tfstate`. An exporter
contributes `StackPart`s: a call of its module in a stack, the `terraform.tfvars`
values of the module's variables, the `import` blocks of what lz already
created, and inputs read from other stacks' outputs (`RemoteOutput`). The
assembler (`stacks.py`) merges the parts of each stack into its files.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from landingzone.export.hcl import Item
from landingzone.graph.state_keys import state_key

BOOTSTRAP = "bootstrap"


@dataclass(frozen=True, order=True)
class StackRef:
    """Where a root module lives and keeps its state."""

    account: str  # spec account name, or "management"
    region: str
    stack: str  # "organization", "network", ...; "bootstrap" for the state backend

    @property
    def path(self) -> str:
        """The root module's directory, relative to the export's root."""
        if self.stack == BOOTSTRAP:
            return BOOTSTRAP
        return f"live/{self.account}-{self.region}/{self.stack}"

    @property
    def state_key(self) -> str:
        """The object key of its state in the state bucket."""
        return state_key(self.account, self.region, self.stack)

    @property
    def id(self) -> str:
        """A name for the stack in CI jobs: `dev-us-west-2-network`, `bootstrap`."""
        if self.stack == BOOTSTRAP:
            return BOOTSTRAP
        return f"{self.account}-{self.region}-{self.stack}"


@dataclass(frozen=True)
class RemoteOutput:
    """An output of another stack, read through `terraform_remote_state`."""

    stack: StackRef
    output: str
    key: str | None = None  # an element of a map output


@dataclass(frozen=True)
class ModuleOutput:
    """An output of another module call in the same stack: `module.<module>.<output>`."""

    module: str
    output: str


@dataclass(frozen=True)
class Variable:
    """A module variable; root modules declare it too and set it in terraform.tfvars."""

    name: str
    type: str  # an HCL type expression
    description: str


@dataclass(frozen=True)
class Output:
    """A module output; root modules re-export it for other stacks."""

    name: str
    value: str  # an HCL expression inside the module
    description: str


@dataclass(frozen=True)
class Module:
    """A reusable module: `modules/<name>/` with variables.tf, main.tf, outputs.tf, versions.tf."""

    name: str
    description: str
    variables: Sequence[Variable]
    main: Sequence[Item]
    outputs: Sequence[Output]


@dataclass(frozen=True)
class Import:
    """A resource lz created: its address inside a module and its real ID."""

    resource: str  # "aws_organizations_account.this"
    key: str | None  # the for_each key, if any
    id: str
    node: str  # the lz address it comes from


@dataclass(frozen=True)
class Move:
    """A resource lz knows under an earlier name (`moved_from`): a `moved` block.

    Terraform moves what its state holds at the old address to the new one, so
    a rename is an in-place update (or nothing), not a destroy and create; a
    state without the old address ignores it.
    """

    resource: str  # the old resource, inside the module
    key: str | None
    to_resource: str
    to_key: str | None


@dataclass(frozen=True)
class StackPart:
    """One module call in one stack, with its values and imports."""

    stack: StackRef
    module: Module
    values: Mapping[str, Any]  # terraform.tfvars: one per module variable not in `remote`
    remote: Mapping[str, RemoteOutput] = field(default_factory=dict)
    # Map variables whose entries each read another stack's output (a peer VPC's ID
    # from each peer account's network stack), by variable, then by map key.
    remote_maps: Mapping[str, Mapping[str, RemoteOutput]] = field(default_factory=dict)
    inputs: Mapping[str, ModuleOutput] = field(default_factory=dict)  # from sibling modules
    imports: Sequence[Import] = ()
    moves: Sequence[Move] = ()
    pending: Sequence[str] = ()  # lz addresses with no state record: Terraform creates them
    protected: bool = False  # a node in it is protected (a change needs an approval)

    def check(self) -> None:
        """Every module variable has exactly one source (a programming error otherwise)."""
        names = {v.name for v in self.module.variables}
        sources = (set(self.values), set(self.remote), set(self.remote_maps), set(self.inputs))
        given = set().union(*sources)
        if names != given or sum(map(len, sources)) != len(given):
            raise RuntimeError(
                f"internal error: module {self.module.name} in {self.stack.path}: "
                f"variables {sorted(names)}, given {' + '.join(str(sorted(s)) for s in sources)}"
            )

    def remote_reads(self) -> list[RemoteOutput]:
        """Every other stack's output this call reads."""
        return [*self.remote.values(), *(r for m in self.remote_maps.values() for r in m.values())]
