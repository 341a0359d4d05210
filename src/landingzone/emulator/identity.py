"""The management account's identity: an IAM user whose fixed access key moto maps to it.

moto decides the calling account from the access key: the account whose IAM
holds the key (`moto.iam.models.get_account_id_from`). The emulator gives the
management account an IAM user with a fixed, printable key, so clients act as
that account while assumed-role credentials still act as their own accounts
(which `MOTO_ACCOUNT_ID` would override). moto's reset wipes IAM, so the
emulator installs the identity again after every reset.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from moto.iam.models import IAMBackend, iam_backends

from landingzone.emulator.constants import PARTITION
from landingzone.emulator.patching import require

USER_NAME = "lz-sim-admin"
SECRET_ACCESS_KEY = "lz-sim-secret-access-key"


@dataclass(frozen=True)
class Identity:
    """Credentials that belong to one account of the emulator."""

    account_id: str
    access_key_id: str
    secret_access_key: str = SECRET_ACCESS_KEY
    user_name: str = USER_NAME

    @classmethod
    def for_account(cls, account_id: str) -> Identity:
        """The emulator's identity for `account_id`: access key `AKIA<account id>LZSM`."""
        if not re.fullmatch(r"\d{12}", account_id):
            raise ValueError(f"an AWS account id has 12 digits, not {account_id!r}")
        return cls(account_id=account_id, access_key_id=f"AKIA{account_id}LZSM")

    def install(self) -> None:
        """Give the account an IAM user holding this access key (idempotent)."""
        require(IAMBackend, "create_user", "create_access_key")
        iam = iam_backends[self.account_id][PARTITION]
        if self.access_key_id in iam.access_keys:
            return
        if self.user_name not in iam.users:
            iam.create_user(region_name="us-east-1", user_name=self.user_name)
        key = iam.create_access_key(user_name=self.user_name)
        del iam.access_keys[key.access_key_id]
        key.access_key_id = self.access_key_id
        key.secret_access_key = self.secret_access_key
        iam.access_keys[key.access_key_id] = key
