"""The base of every spec model: unknown keys are errors, values are not coerced.

Its own module so that section modules (`spec/baselines.py`, ...) and
`spec/schema.py`, which joins them into `Spec`, can both import it.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class StrictModel(BaseModel):
    """Base for every spec model: unknown keys are errors, no type coercion."""

    model_config = ConfigDict(extra="forbid", strict=True, populate_by_name=True)
