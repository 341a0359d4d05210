"""AWS Config aggregators of an organization, as AWS checks and answers them.

moto 5.2.5 stores any aggregator. While `refusals` is on, PutConfigurationAggregator
with an `OrganizationAggregationSource` here:

- in an account in no organization: `NoAvailableOrganizationException`;
- in a member account that is not a delegated administrator for
  `config.amazonaws.com`, or while trusted access for AWS Config is off:
  `OrganizationAccessDeniedException` ("Ensure that the management account
  registers delegated administrator for Config service principal name
  before the delegated administrator creates an aggregator");
- with a role that is not a role of the account, that does not let
  `config.amazonaws.com` assume it, or that has neither the AWS managed
  policy AWSConfigRoleForOrganizations nor a policy allowing
  `organizations:ListAccounts`: `InvalidRoleException`
  (https://docs.aws.amazon.com/config/latest/developerguide/set-up-aggregator-cli.html#add-an-aggregator-organization-cli).

And it answers, for an organization aggregator, what moto lacks:

- DescribeConfigurationAggregatorSourcesStatus: one source per account of
  the organization (the management account included) and region: the
  aggregator's `AwsRegions`, or with `AllAwsRegions` every region where an
  account of the organization records; `SUCCEEDED` where the account has a
  configuration recorder, `OUTDATED` where it has none;
- DescribeAggregateComplianceByConfigRules: every Config rule of those
  accounts and regions, compliance `INSUFFICIENT_DATA` (the emulator runs
  no evaluations).

The backend extends `config_compat`'s; install this module after that one.
"""

from __future__ import annotations

import fnmatch
import json
from typing import Any

import moto.config.urls
from moto.config.exceptions import NoSuchConfigurationAggregatorException
from moto.config.models import ConfigAggregator, config_backends
from moto.config.responses import ConfigResponse
from moto.core.utils import unix_time
from moto.iam.models import iam_backends

from landingzone.emulator.config_compat import SERVICE, ConfigCompatBackend
from landingzone.emulator.constants import PARTITION
from landingzone.emulator.controls import refusing
from landingzone.emulator.organization_view import OrganizationView
from landingzone.emulator.patching import overrides, routes_to, use_backend
from landingzone.emulator.service_delivery import allows
from landingzone.emulator.wire import EmulatorError

ORGANIZATIONS_ROLE_POLICY = "AWSConfigRoleForOrganizations"


class ConfigOrgResponse(ConfigResponse):
    """AWS Config's API with the organization aggregator's reads."""

    @property
    def org_backend(self) -> ConfigOrgBackend:
        """This caller's backend (the organization subclass)."""
        backend = self.config_backend
        assert isinstance(backend, ConfigOrgBackend)
        return backend

    def describe_configuration_aggregator_sources_status(self) -> str:
        """DescribeConfigurationAggregatorSourcesStatus (one page)."""
        sources = self.org_backend.sources(self._get_param("ConfigurationAggregatorName"))
        now = unix_time()
        return json.dumps(
            {
                "AggregatedSourceStatusList": [
                    {
                        "SourceId": account_id,
                        "SourceType": "ORGANIZATION",
                        "AwsRegion": region,
                        "LastUpdateStatus": "SUCCEEDED" if recording else "OUTDATED",
                        "LastUpdateTime": now,
                    }
                    for account_id, region, recording in sources
                ]
            }
        )

    def describe_aggregate_compliance_by_config_rules(self) -> str:
        """DescribeAggregateComplianceByConfigRules (one page)."""
        sources = self.org_backend.sources(self._get_param("ConfigurationAggregatorName"))
        rules = [
            {
                "ConfigRuleName": name,
                "Compliance": {"ComplianceType": "INSUFFICIENT_DATA"},
                "AccountId": account_id,
                "AwsRegion": region,
            }
            for account_id, region, recording in sources
            if recording
            for name in sorted(config_backends[account_id][region].config_rules)
        ]
        return json.dumps({"AggregateComplianceByConfigRules": rules})


_ROUTES = routes_to(moto.config.urls, ConfigOrgResponse)


def _role_problem(account_id: str, role_arn: str) -> str | None:
    """Why AWS Config could not use this role to read the organization (None: it can)."""
    iam = iam_backends[account_id][PARTITION]
    role = next((r for r in iam.get_roles() if r.arn == role_arn), None)
    if role is None:
        return f"the role {role_arn} does not exist in account {account_id}"
    if not allows(
        role.assume_role_policy_document,
        service=SERVICE,
        action="sts:AssumeRole",
        resource=role.arn,
        resource_account=account_id,
        context={"aws:SourceAccount": account_id},
    ):
        return f"the role {role_arn} does not let {SERVICE} assume it"
    if any(p.name == ORGANIZATIONS_ROLE_POLICY for p in role.managed_policies.values()):
        return None
    if any(_allows_list_accounts(document) for document in role.policies.values()):
        return None
    return (
        f"the role {role_arn} has neither {ORGANIZATIONS_ROLE_POLICY} nor a policy allowing "
        "organizations:ListAccounts"
    )


def _allows_list_accounts(document: str) -> bool:
    statements = json.loads(document).get("Statement", [])
    for statement in statements if isinstance(statements, list) else [statements]:
        actions = statement.get("Action", [])
        actions = [actions] if isinstance(actions, str) else actions
        if statement.get("Effect") == "Allow" and any(
            fnmatch.fnmatch("organizations:listaccounts", a.lower()) for a in actions
        ):
            return True
    return False


class ConfigOrgBackend(ConfigCompatBackend):
    """AWS Config with organization aggregators as AWS checks and answers them."""

    @property
    def _url_module(self) -> Any:
        return _ROUTES

    @overrides
    def put_configuration_aggregator(self, config_aggregator: dict[str, Any]) -> dict[str, Any]:
        """PutConfigurationAggregator, refused as AWS refuses an organization aggregator."""
        source = config_aggregator.get("OrganizationAggregationSource")
        if refusing() and source:
            self._check_organization_source(source)
        return super().put_configuration_aggregator(config_aggregator)

    def _check_organization_source(self, source: dict[str, Any]) -> None:
        view = OrganizationView.of(self.account_id)
        if view is None:
            raise EmulatorError(
                "NoAvailableOrganizationException",
                "Organization is not available. Make sure the account is in an organization.",
            )
        delegated = view.delegates(self.account_id, SERVICE)
        if not view.trusts(SERVICE) or (
            self.account_id != view.management_account_id and not delegated
        ):
            raise EmulatorError(
                "OrganizationAccessDeniedException",
                "You are not a registered delegated administrator for Config, or trusted access "
                "for Config is not enabled. Ensure that the management account registers "
                "delegated administrator for Config service principal name before the "
                "delegated administrator creates an aggregator.",
            )
        problem = _role_problem(self.account_id, source.get("RoleArn", ""))
        if problem is not None:
            raise EmulatorError(
                "InvalidRoleException", f"AWS Config cannot use the role: {problem}"
            )

    def aggregator(self, name: str) -> ConfigAggregator:
        """The aggregator called `name`."""
        found = self.config_aggregators.get(name)
        if found is None:
            raise NoSuchConfigurationAggregatorException()
        return found

    def sources(self, name: str) -> list[tuple[str, str, bool]]:
        """(account ID, region, whether it records) of an organization aggregator's sources."""
        source = self.aggregator(name).organization_aggregation_source
        view = OrganizationView.of(self.account_id)
        if source is None or view is None:
            return []
        accounts = sorted({view.management_account_id, *(a.id for a in view.backend.accounts)})
        recording = {
            (account_id, region)
            for account_id in accounts
            for region, backend in config_backends[account_id].items()
            if backend.recorders
        }
        regions = source.aws_regions or sorted({region for _, region in recording})
        return [
            (account_id, region, (account_id, region) in recording)
            for account_id in accounts
            for region in regions
        ]


def install() -> None:
    """Make moto serve AWS Config through this module (after `config_compat`)."""
    use_backend(config_backends, ConfigOrgBackend)
