"""Pictures and reports of lz's models: pure functions from models to text.

- `diagram.py`: the neutral picture (boxes, things, arrows) every view builds;
- views: `org.py` (the OU tree), `network.py` (VPCs and what routes where),
  `access.py` (who can assume what; the paths of a question), drawn from
  `sources.py` (the spec, or what exists);
- formats: `mermaid.py`, `dot.py` (and SVG through Graphviz), `html.py`
  (one self-contained page with all three views);
- reports: `plan_markdown.py` (a plan as a pull-request comment) and
  `sarif.py` (findings for code scanning).
"""
