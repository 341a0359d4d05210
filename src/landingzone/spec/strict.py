"""The base of every spec model, in a module of its own so that section modules
(`spec/iam_schema.py`, `spec/baselines.py`, ...) and `spec/schema.py` can both import it."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class StrictModel(BaseModel):
    """Base for every spec model: unknown keys are errors, no type coercion."""

    model_config = ConfigDict(extra="forbid", strict=True, populate_by_name=True)
