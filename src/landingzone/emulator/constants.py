"""Names the emulator and its users share, importable without loading moto."""

DEFAULT_MANAGEMENT_ACCOUNT_ID = "123456789012"
DEFAULT_REGION = "us-east-1"
CONTROL_PATH = "/_lz/emulator"
# The partition whose global services (IAM, Organizations) the emulator serves.
PARTITION = "aws"
