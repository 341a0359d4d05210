"""Hand-off to Terraform and CI: the landing zone as root modules and pipelines.

inventory   the spec's nodes + lz's state records (real IDs), backend, environments
registry    one exporter per concern, claiming node kinds (organization, state_backend)
stacks      stack parts -> root modules -> backend/provider/versions/... files
terraform   `build_estate`: every exporter, every file
ci, github, gitlab   pipelines for the stacks
hcl, fmt    the HCL document model and `terraform fmt`'s layout
writer      deterministic writes with a manifest

docs/export.md describes the output and how to add an exporter.
"""
