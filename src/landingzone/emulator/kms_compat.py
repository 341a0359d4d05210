"""KMS keys as AWS describes them: the default key usage, and the rotation period.

- CreateKey without `KeyUsage` makes an `ENCRYPT_DECRYPT` key, as AWS does
  (moto left the usage empty in DescribeKey, so Terraform's `aws_kms_key`,
  whose `key_usage` defaults to `ENCRYPT_DECRYPT`, planned to replace every
  imported key).
- EnableKeyRotation takes `RotationPeriodInDays` (default 365), and
  GetKeyRotationStatus reports it while rotation is enabled (moto had no
  period).
"""

from __future__ import annotations

import json
from typing import Any

import moto.kms.urls
from moto.kms.models import Key, KmsBackend, kms_backends
from moto.kms.responses import KmsResponse

from landingzone.emulator.patching import overrides, routes_to, use_backend

DEFAULT_KEY_USAGE = "ENCRYPT_DECRYPT"
DEFAULT_ROTATION_DAYS = 365


class KmsCompatResponse(KmsResponse):
    """KMS's API with rotation periods."""

    @overrides
    def enable_key_rotation(self) -> str:
        """EnableKeyRotation, with its optional rotation period."""
        days = self._get_param("RotationPeriodInDays") or DEFAULT_ROTATION_DAYS
        answer = super().enable_key_rotation()
        backend = self.kms_backend
        assert isinstance(backend, KmsCompatBackend)
        backend.rotation_days[backend.get_key_id(self._get_param("KeyId"))] = days
        return answer

    @overrides
    def get_key_rotation_status(self) -> str:
        """GetKeyRotationStatus, with the period while rotation is enabled."""
        status: dict[str, Any] = json.loads(super().get_key_rotation_status())
        backend = self.kms_backend
        assert isinstance(backend, KmsCompatBackend)
        key_id = backend.get_key_id(self._get_param("KeyId"))
        status["KeyId"] = key_id
        if status.get("KeyRotationEnabled"):
            status["RotationPeriodInDays"] = backend.rotation_days.get(
                key_id, DEFAULT_ROTATION_DAYS
            )
        return json.dumps(status)


_ROUTES = routes_to(moto.kms.urls, KmsCompatResponse)


class KmsCompatBackend(KmsBackend):
    """moto's KMS backend with AWS's default key usage and rotation periods."""

    def __init__(self, region_name: str, account_id: str | None = None):
        super().__init__(region_name, account_id)
        self.rotation_days: dict[str, int] = {}  # by key ID, while rotation is enabled

    @property
    def _url_module(self) -> Any:
        return _ROUTES

    @overrides
    def create_key(
        self,
        policy: str | None,
        key_usage: str,
        key_spec: str,
        description: str,
        tags: list[dict[str, str]] | None,
        multi_region: bool = False,
        origin: str = "AWS_KMS",
    ) -> Key:
        """CreateKey; the key usage defaults to `ENCRYPT_DECRYPT`."""
        return super().create_key(
            policy,
            key_usage or DEFAULT_KEY_USAGE,
            key_spec,
            description,
            tags,
            multi_region,
            origin,
        )


def install() -> None:
    """Make moto serve KMS through this module (idempotent)."""
    use_backend(kms_backends, KmsCompatBackend)
