"""What a dns_associations stack imports: the same associations a dns stack does."""

from tests.export.stack_ids.dns import expected_id

__all__ = ["expected_id"]
