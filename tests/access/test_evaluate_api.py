"""The typed API: parse once, evaluate many requests; requests validate their policies."""

from __future__ import annotations

import pytest

from landingzone.access import (
    Context,
    Outcome,
    PolicyKind,
    PolicyLevel,
    Principal,
    Request,
    RequestError,
    Step,
    evaluate,
    parse_policy,
)

ROLE = Principal.parse("arn:aws:iam::111122223333:role/deploy")
READ = parse_policy(
    {
        "Version": "2012-10-17",
        "Statement": {
            "Sid": "ReadOwnTeam",
            "Effect": "Allow",
            "Action": "s3:GetObject",
            "Resource": "arn:aws:s3:::data/${aws:PrincipalTag/team}/*",
        },
    },
    kind=PolicyKind.IDENTITY,
    label="read",
)


def test_one_parsed_policy_serves_many_requests() -> None:
    def decide(team: str, key: str) -> Outcome:
        request = Request(
            principal=ROLE,
            action="s3:GetObject",
            resource=f"arn:aws:s3:::data/{key}",
            context=Context.from_json({"aws:PrincipalTag/team": team}),
            identity_policies=(READ,),
        )
        return evaluate(request).outcome

    assert decide("blue", "blue/a") is Outcome.ALLOWED
    assert decide("red", "blue/a") is Outcome.IMPLICITLY_DENIED
    assert decide("red", "red/b") is Outcome.ALLOWED


def test_evaluate_is_repeatable() -> None:
    request = Request(principal=ROLE, action="s3:GetObject", resource="arn:aws:s3:::data/x/y")
    assert evaluate(request) == evaluate(request)


def test_decision_fields() -> None:
    scp = parse_policy({"Statement": []}, kind=PolicyKind.SCP, label="empty")
    decision = evaluate(
        Request(
            principal=ROLE,
            action="s3:GetObject",
            resource="*",
            identity_policies=(READ,),
            service_control_policies=(PolicyLevel("r-root", (scp,)),),
        )
    )
    assert not decision.allowed
    assert decision.missing_allow_at is not None
    assert decision.missing_allow_at.step is Step.SCP
    assert decision.missing_allow_at.level == "r-root"


def test_a_policy_of_the_wrong_kind_is_refused() -> None:
    boundary = parse_policy({"Statement": []}, kind=PolicyKind.BOUNDARY, label="boundary")
    with pytest.raises(
        RequestError,
        match='identity_policies: policy "boundary" was parsed as a permissions boundary',
    ):
        Request(principal=ROLE, action="s3:GetObject", resource="*", identity_policies=(boundary,))
