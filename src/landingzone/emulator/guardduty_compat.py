"""GuardDuty as AWS behaves: one detector per region, and tags on detectors.

- CreateDetector where a detector exists already is refused
  (`BadRequestException`, while `refusals` is on): AWS allows one detector
  per account and region (moto created any number).
- TagResource, UntagResource and ListTagsForResource on a detector's ARN
  (`arn:aws:guardduty:REGION:ACCOUNT:detector/ID`), which moto lacks; GetDetector
  already reports the tags. An unknown ARN is `BadRequestException`.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import unquote

import moto.guardduty.urls
from moto.guardduty.models import Detector, GuardDutyBackend, guardduty_backends
from moto.guardduty.responses import GuardDutyResponse

from landingzone.emulator.controls import refusing
from landingzone.emulator.patching import overrides, routes_to, use_backend
from landingzone.emulator.wire import EmulatorError

TAGS_PATH = "{0}/tags/(?P<resource_arn>.+)$"


class GuardDutyCompatResponse(GuardDutyResponse):
    """GuardDuty's API with tag operations."""

    @property
    def compat_backend(self) -> GuardDutyCompatBackend:
        """This caller's backend (the compatibility subclass)."""
        backend = self.guardduty_backend
        assert isinstance(backend, GuardDutyCompatBackend)
        return backend

    def _resource_arn(self) -> str:
        return unquote(self.path.split("/tags/", 1)[1])

    def tag_resource(self) -> str:
        """TagResource."""
        self.compat_backend.detector_by_arn(self._resource_arn()).tags.update(
            self._get_param("tags") or {}
        )
        return "{}"

    def untag_resource(self) -> str:
        """UntagResource."""
        detector = self.compat_backend.detector_by_arn(self._resource_arn())
        for key in self.querystring.get("tagKeys", []):
            detector.tags.pop(key, None)
        return "{}"

    def list_tags_for_resource(self) -> str:
        """ListTagsForResource."""
        detector = self.compat_backend.detector_by_arn(self._resource_arn())
        return json.dumps({"tags": detector.tags})


_ROUTES = routes_to(moto.guardduty.urls, GuardDutyCompatResponse, extra_paths=(TAGS_PATH,))


class GuardDutyCompatBackend(GuardDutyBackend):
    """moto's GuardDuty backend with one detector per region and detector ARNs."""

    @property
    def _url_module(self) -> Any:
        return _ROUTES

    @overrides
    def create_detector(
        self,
        enable: bool,
        finding_publishing_frequency: str,
        data_sources: dict[str, Any],
        tags: dict[str, str],
        features: list[dict[str, Any]],
    ) -> str:
        """CreateDetector, refused when the region has a detector already."""
        if refusing() and self.detectors:
            raise EmulatorError(
                "BadRequestException",
                "The request is rejected because a detector already exists for the current "
                "account.",
            )
        return super().create_detector(
            enable, finding_publishing_frequency, data_sources, tags, features
        )

    def detector_arn(self, detector_id: str) -> str:
        """The ARN of one of this region's detectors."""
        region, account = self.region_name, self.account_id
        return f"arn:{self.partition}:guardduty:{region}:{account}:detector/{detector_id}"

    def detector_by_arn(self, arn: str) -> Detector:
        """The detector an ARN names."""
        for detector_id, detector in self.detectors.items():
            if self.detector_arn(detector_id) == arn:
                return detector
        raise EmulatorError(
            "BadRequestException",
            f"The request is rejected because the resource {arn} does not exist.",
        )


def install() -> None:
    """Make moto serve GuardDuty through this module (idempotent)."""
    use_backend(guardduty_backends, GuardDutyCompatBackend)
