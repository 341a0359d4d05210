"""Access proofs: the IAM policy language, the evaluator and the org access model."""
