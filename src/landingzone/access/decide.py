"""One request of one actor of the model, decided by the evaluator.

The model supplies what AWS would look up: the actor's identity policies,
boundaries, SCP chain and tags; the resource's account, its RCP chain and
`aws:ResourceOrgID`, and its policy (a role's
trust policy, a bucket policy lz manages); for an OIDC subject, the identity
provider in the role's account and the token's `sub` and `aud` claims.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from landingzone.access import sso
from landingzone.access.context import Context, Values
from landingzone.access.decision import Decision, Outcome
from landingzone.access.evaluator import evaluate
from landingzone.access.model import AccessModel, Actor, ActorKind
from landingzone.access.oidc import DEFAULT_AUDIENCE
from landingzone.access.policy import Policy
from landingzone.access.principal import Principal
from landingzone.access.request import Request

WEB_IDENTITY = "sts:AssumeRoleWithWebIdentity"


def resource_facts(model: AccessModel, resource: str) -> tuple[str | None, Policy | None]:
    """The resource's account (None: the caller's) and its resource-based policy, if any."""
    parts = resource.split(":", 5)
    if len(parts) != 6:
        return None, None
    if parts[2] == "iam":
        role = model.role_by_arn(resource)
        return parts[4] or None, role.trust if role else None
    if parts[2] == "s3":
        bucket = model.buckets.get(parts[5].split("/", 1)[0])
        return (bucket.account_id, bucket.policy) if bucket else (None, None)
    return parts[4] or None, None


def decide(
    model: AccessModel,
    actor: Actor,
    action: str,
    resource: str,
    context: Mapping[str, Values],
) -> Decision:
    """Evaluate `actor` doing `action` on `resource` with AWS's logic."""
    owner, policy = resource_facts(model, resource)
    if actor.kind is ActorKind.OIDC:
        return _web_identity(model, actor, action, resource, owner, policy, context)
    if actor.kind is ActorKind.SSO:
        return _saml(model, actor, action, resource, owner, policy, context)
    assert actor.principal is not None
    resource_account = owner or actor.principal.account
    return evaluate(
        Request(
            principal=actor.principal,
            action=action,
            resource=resource,
            context=Context(
                {**actor.context, **_resource_context(model, resource_account), **context}
            ),
            resource_account=owner,
            identity_policies=actor.identity,
            permission_boundaries=actor.boundaries,
            resource_policy=policy,
            service_control_policies=actor.scps,
            resource_control_policies=model.rcps_of(resource_account),
            management_account=model.management_id,
        )
    )


def _resource_context(model: AccessModel, account_id: str | None) -> dict[str, Values]:
    """`aws:ResourceOrgID` of a resource in the organization."""
    if model.org_id and model.in_organization(account_id):
        return {"aws:resourceorgid": (model.org_id,)}
    return {}


def _web_identity(
    model: AccessModel,
    actor: Actor,
    action: str,
    resource: str,
    owner: str | None,
    policy: Policy | None,
    context: Mapping[str, Values],
) -> Decision:
    """An OIDC subject presents its token to STS: the only request it can make."""
    assert actor.host is not None and actor.subject is not None
    if action.lower() != WEB_IDENTITY.lower() or owner is None:
        return _denied(
            f"{actor.key} is an OIDC subject: it acts only by assuming a role "
            f"({WEB_IDENTITY}), not by {action} on {resource}"
        )
    audiences = model.providers.get((owner, actor.host))
    if audiences is None:
        return _denied(
            f"account {model.account_label(owner)} has no OIDC provider for {actor.host}, "
            f"so STS refuses every {actor.host} token for its roles"
        )
    decision = _denied(f"the OIDC provider for {actor.host} lists no client ID (audience)")
    for audience in audiences or (DEFAULT_AUDIENCE.get(actor.host, ""),):
        claims = {f"{actor.host}:sub": (actor.subject,), f"{actor.host}:aud": (audience,)}
        provider = f"arn:aws:iam::{owner}:oidc-provider/{actor.host}"
        decision = _federated(model, provider, action, resource, owner, policy, claims, context)
        if decision.allowed:
            return decision
    return decision


def _saml(
    model: AccessModel,
    actor: Actor,
    action: str,
    resource: str,
    owner: str | None,
    policy: Policy | None,
    context: Mapping[str, Values],
) -> Decision:
    """An Identity Center group or user signs in to a permission set's role in an account."""
    if action.lower() != sso.ASSUME_SAML.lower() or owner is None:
        return _denied(
            f"{actor.key} is an IAM Identity Center {actor.description.split()[0]}: it acts only "
            f"by signing in to a permission set's role ({sso.ASSUME_SAML}), not by {action} on "
            f"{resource}"
        )
    role = model.role_by_arn(resource)
    if role is None or role.arn not in actor.sso_roles:
        return _denied(
            f"{actor.description} is assigned no permission set whose role is {resource}, so "
            "IAM Identity Center issues no SAML assertion for it"
        )
    claims = {"saml:aud": (sso.SAML_AUDIENCE,)}
    provider = sso.saml_provider_arn(owner)
    decision = _federated(model, provider, action, resource, owner, policy, claims, context)
    if not decision.allowed:
        return decision
    who = actor.description.removesuffix(" of IAM Identity Center")
    return replace(decision, explanation=f"{who} via {role.implied}: {decision.explanation}")


def _federated(
    model: AccessModel,
    provider: str,
    action: str,
    resource: str,
    owner: str,
    policy: Policy | None,
    claims: Mapping[str, Values],
    context: Mapping[str, Values],
) -> Decision:
    """STS's request for a federated identity: the provider in the role's account as the
    principal, the token's or assertion's claims as context keys."""
    return evaluate(
        Request(
            principal=Principal.parse(provider),
            action=action,
            resource=resource,
            context=Context(
                {
                    **_resource_context(model, owner),
                    **{k.lower(): v for k, v in {**claims, **context}.items()},
                }
            ),
            resource_account=owner,
            resource_policy=policy,
            resource_control_policies=model.rcps_of(owner),
            management_account=model.management_id,
        )
    )


def _denied(text: str) -> Decision:
    return Decision(Outcome.IMPLICITLY_DENIED, f"implicitly denied: {text}")
