"""`lz import`: adopt a running organization, writing its spec, lz's state and a report.

`read` reads the organization with the organization kinds' own reader;
`owners` recognises what another tool owns (Control Tower, StackSets);
`layout` turns what was read into a spec directory; `report` writes what
stays outside; `output` decides whether and what to write into OUT_DIR;
`state` records everything adopted in lz's state through the engine;
`run` is the sequence.
"""
