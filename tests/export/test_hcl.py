"""HCL values and `terraform fmt` layout (checked against terraform itself where it exists)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from landingzone.export.fmt import format_hcl
from landingzone.export.hcl import BLANK, Attr, Comment, Raw, attrs, block, key, quote, render

SAMPLE = """\
resource "aws_organizations_account" "this" {
for_each = var.accounts

name = each.value.name
parent_id = each.value.unit == "" ? local.root_id : local.unit_ids[each.value.unit]
tags = { Name = "a=b{" }
lifecycle {
# a comment ends an alignment chain
prevent_destroy = true
ignore_changes = [role_name]
}
}
locals {
ids = merge(
{ for k, v in var.m : "${k}@x" => v },
)
long_name = 1
x = {
a = 1
bcd = "}"
}
}
"""

EXPECTED = """\
resource "aws_organizations_account" "this" {
  for_each = var.accounts

  name      = each.value.name
  parent_id = each.value.unit == "" ? local.root_id : local.unit_ids[each.value.unit]
  tags      = { Name = "a=b{" }
  lifecycle {
    # a comment ends an alignment chain
    prevent_destroy = true
    ignore_changes  = [role_name]
  }
}
locals {
  ids = merge(
    { for k, v in var.m : "${k}@x" => v },
  )
  long_name = 1
  x = {
    a   = 1
    bcd = "}"
  }
}
"""


def test_format_indents_by_brackets_and_aligns_chains():
    assert format_hcl(SAMPLE) == EXPECTED
    assert format_hcl(EXPECTED) == EXPECTED


def test_format_matches_terraform_fmt(tmp_path: Path):
    terraform = shutil.which("terraform")
    if terraform is None:
        pytest.skip("no terraform binary here")
    path = tmp_path / "sample.tf"
    path.write_text(SAMPLE)
    subprocess.run([terraform, "fmt", str(path)], check=True, capture_output=True)
    assert path.read_text() == format_hcl(SAMPLE)


def test_strings_are_escaped_and_templates_written_literally():
    assert quote('a "b" \\ ${x} %{y}\n\x01') == '"a \\"b\\" \\\\ $${x} %%{y}\\n\\u0001"'
    assert key("shared-services") == "shared-services"
    assert key("plat/sandbox") == '"plat/sandbox"'
    assert key("null") == '"null"'


def test_render_writes_values_blocks_and_comments():
    text = render(
        [
            Attr("region", "us-west-2"),
            Attr("enabled", True),
            Attr("units", {"core": {"policies": ["a", "b"], "tags": {}}}),
            block(
                "module",
                "m",
                body=(*attrs(source="./m"), BLANK, Comment("two\nlines"), *attrs(n=Raw("var.n"))),
            ),
        ],
        header="Generated.",
    )
    assert text == (
        "# Generated.\n\n"
        'region  = "us-west-2"\n'
        "enabled = true\n\n"
        "units = {\n"
        "  core = {\n"
        '    policies = ["a", "b"]\n'
        "    tags     = {}\n"
        "  }\n"
        "}\n\n"
        'module "m" {\n'
        '  source = "./m"\n\n'
        "  # two\n"
        "  # lines\n"
        "  n = var.n\n"
        "}\n"
    )
