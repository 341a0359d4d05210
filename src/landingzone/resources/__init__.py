"""Resource kinds: one module per AWS service, one small class per kind."""
