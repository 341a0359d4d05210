"""The plan/apply engine: sessions, state, lock, plan, apply."""
