"""Account creations requested at the same time each complete once, as in AWS."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from tests.aws import Aws


def test_simultaneous_creations_each_succeed_once(aws: Aws) -> None:
    aws.create_organization()
    organizations = aws.client("organizations")
    names = [f"team{i}" for i in range(40)]

    def create(name: str) -> dict[str, str]:
        status = organizations.create_account(Email=f"{name}@example.com", AccountName=name)
        return dict(status["CreateAccountStatus"])

    with ThreadPoolExecutor(max_workers=16) as pool:
        statuses = list(pool.map(create, names))

    assert {s["State"] for s in statuses} == {"SUCCEEDED"}
    assert len({s["AccountId"] for s in statuses}) == len(names)
    assert set(names) <= set(aws.accounts())
