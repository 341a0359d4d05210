"""`lifecycle` pieces several exporters share."""

from __future__ import annotations

from landingzone.export.hcl import Comment, Item, Raw, attrs


def ignore_changes(*names: str, terraform_only: tuple[str, ...] = ()) -> tuple[Item, ...]:
    """`ignore_changes = [names..., terraform_only...]`, the latter explained.

    Terraform-only arguments (`force_destroy`, `close_on_deletion`, ...) have no
    AWS counterpart: an import reads them back as null, so a configured value,
    even the default `false`, would be a change in the first plan. Ignoring
    them keeps what the import read; they matter only when Terraform deletes
    the resource, which the export guards with `prevent_destroy` or leaves to
    an explicit change.
    """
    items: list[Item] = []
    if terraform_only:
        items.append(
            Comment(
                f"Terraform-only ({', '.join(terraform_only)}): not in AWS, read back as null "
                "on import."
            )
        )
    every = ", ".join((*names, *terraform_only))
    items += attrs(ignore_changes=Raw(f"[{every}]"))
    return tuple(items)
