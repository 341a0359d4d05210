"""Access proofs about an organization: the access model built from a spec
(offline) or from what exists (live), and the spec's `checks` run against it.

The policy language and the model's queries are `landingzone.access`, which
knows nothing of specs or AWS; this package joins it to the spec, the graph
and the engine's reads.
"""
