"""The AWS provider's schema, offline, from the `cdktf-cdktf-provider-aws` package (PyPI).

That package (a dev dependency) carries the generated bindings of
hashicorp/aws 6.25.0 as a jsii tarball. Each resource's `index.js` names its
type (`X.tfResourceType = "aws_..."`) and lists every argument with its
Terraform name in `synthesizeHclAttributes()`, marking nested blocks
(`isBlock: true`) and naming the converter function of their contents
(`fooToHclTerraform`), whose own `attrs` list the block's arguments. This
module reads only the files of the types asked for, without importing the
package (which would start a Node.js runtime).
"""

from __future__ import annotations

import importlib.util
import re
import tarfile
from dataclasses import dataclass, field
from pathlib import Path

PACKAGE = "cdktf_cdktf_provider_aws"
PROVIDER_VERSION = "6.25.0"  # hashicorp/aws, per the package's README

_ATTRS = re.compile(r"const attrs = \{\n(.*?)\n\s*\};", re.S)
_ENTRY = re.compile(r"^\s+(\w+): \{\n\s+value: ([^\n]*),\n\s+isBlock: (true|false),", re.M)
_CONVERTER = re.compile(r"(?<![.\w])(\w+ToHclTerraform)\b")
_FUNCTION = re.compile(r"^function (\w+ToHclTerraform)\(struct\) \{$", re.M)
_TYPE = re.compile(r'^\w+\.tfResourceType = "([\w]+)";$', re.M)


@dataclass
class BlockSchema:
    """Arguments of a resource, a provider or a nested block."""

    attributes: set[str] = field(default_factory=set)
    blocks: dict[str, BlockSchema] = field(default_factory=dict)


def _tarball() -> Path:
    spec = importlib.util.find_spec(PACKAGE)
    assert spec is not None and spec.submodule_search_locations, f"{PACKAGE} is not installed"
    jsii = Path(next(iter(spec.submodule_search_locations))) / "_jsii"
    return next(jsii.glob("provider-aws@*.jsii.tgz"))


def _directory(kind: str, type_name: str) -> str:
    """`aws_s3_bucket` -> `s3-bucket`; data sources -> `data-aws-...`; the provider itself."""
    if kind == "provider":
        return "provider"
    stem = type_name.removeprefix("aws_").replace("_", "-")
    return f"data-aws-{stem}" if kind == "data" else stem


def _parse(source: str) -> tuple[str | None, BlockSchema]:
    """The type name and schema of one binding file."""
    functions = {m.group(1): m.end() for m in _FUNCTION.finditer(source)}

    def schema_at(position: int) -> BlockSchema:
        found = _ATTRS.search(source, position)
        assert found is not None
        schema = BlockSchema()
        for name, value, is_block in _ENTRY.findall(found.group(1)):
            converter = _CONVERTER.search(value)
            if is_block == "true" and converter and converter.group(1) in functions:
                schema.blocks[name] = schema_at(functions[converter.group(1)])
            else:
                schema.attributes.add(name)
        return schema

    top = source.index("synthesizeHclAttributes() {")
    type_match = _TYPE.search(source)
    return (type_match.group(1) if type_match else None), schema_at(top)


def load_schemas(wanted: set[tuple[str, str]]) -> dict[tuple[str, str], BlockSchema]:
    """Schemas of ("resource" | "data" | "provider", type) pairs; absent types are left out."""
    members = {f"package/lib/{_directory(k, t)}/index.js": (k, t) for k, t in wanted}
    result: dict[tuple[str, str], BlockSchema] = {}
    with tarfile.open(_tarball(), "r:gz") as tar:
        for member in tar:
            if member.name not in members:
                continue
            handle = tar.extractfile(member)
            assert handle is not None
            type_name, schema = _parse(handle.read().decode())
            kind, wanted_type = members[member.name]
            if kind == "provider" or type_name == wanted_type:
                result[(kind, wanted_type)] = schema
    return result
