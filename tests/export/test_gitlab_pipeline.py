"""GitLab's equivalents of the GitHub pipeline's controls: sessions of 15 minutes
(`.gitlab/lz-aws-session.sh`, run with sh against a stand-in curl and against the
emulator's STS) and the VPC endpoint cost toggle as a "Run pipeline" variable."""

from __future__ import annotations

import json
import os
import stat
import subprocess
from pathlib import Path

import boto3
from ruamel.yaml import YAML

from landingzone.emulator import Emulator
from landingzone.export.gitlab import PIPELINE, SESSION_SCRIPT, gitlab_files
from tests.aws import Aws
from tests.export.test_ci_environments import coalition_stacks

DEV_NETWORK = "dev-us-east-1-network"
PROD_NETWORK = "prod-us-east-1-network"
TOKEN = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJwcm9qZWN0X3BhdGg6YS9iIn0.c2ln"
FAKE_CURL = """#!/bin/sh
printf '%s\\n' "$@" >> "$CALLS"
echo '<AssumeRoleWithWebIdentityResponse><AssumeRoleWithWebIdentityResult><Credentials>'
echo '<AccessKeyId>ASIAFAKE</AccessKeyId><SecretAccessKey>s3cret</SecretAccessKey>'
echo '<SessionToken>t0ken</SessionToken></Credentials></AssumeRoleWithWebIdentityResult>'
echo '</AssumeRoleWithWebIdentityResponse>'
"""


def pipeline() -> tuple[dict, str]:
    stacks, _ = coalition_stacks("gitlab")
    files = gitlab_files(stacks)
    return YAML(typ="safe").load(files[PIPELINE]), files[SESSION_SCRIPT]


def source_session(tmp_path: Path, script: str, env: dict[str, str]) -> tuple[int, str]:
    """Source the session script with sh (as a job's before_script does); print the
    credentials it exported."""
    path = tmp_path / "lz-aws-session.sh"
    path.write_text(script)
    probe = f'. "{path}" && echo "key=$AWS_ACCESS_KEY_ID secret=$AWS_SECRET_ACCESS_KEY '
    probe += 'token=$AWS_SESSION_TOKEN idtoken=${AWS_ID_TOKEN:-gone}"'
    done = subprocess.run(
        ["sh", "-c", probe], env=env, capture_output=True, text=True, check=False, timeout=60
    )
    return done.returncode, done.stdout + done.stderr


def test_every_job_trades_its_token_for_a_session_of_fifteen_minutes(tmp_path: Path):
    document, script = pipeline()
    before = document[".terraform"]["before_script"]
    assert before[0] == f'. "${{CI_PROJECT_DIR}}/{SESSION_SCRIPT}"'
    assert document[f"plan:{PROD_NETWORK}"]["variables"]["AWS_SESSION_SECONDS"] == "900"
    assert document[f"apply:{PROD_NETWORK}"]["variables"]["AWS_SESSION_SECONDS"] == "900"
    assert "AWS_WEB_IDENTITY_TOKEN_FILE" not in json.dumps(document)  # no 1-hour SDK session

    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "curl").write_text(FAKE_CURL)
    (bin_dir / "curl").chmod(stat.S_IRWXU)
    calls = tmp_path / "calls.log"
    env = {
        "PATH": f"{bin_dir}:{os.environ['PATH']}",
        "CALLS": str(calls),
        "AWS_REGION": "us-east-1",
        "AWS_ROLE_ARN": "arn:aws:iam::111111111111:role/deploy",
        "AWS_SESSION_SECONDS": "900",
        "AWS_ID_TOKEN": TOKEN,
        "CI_JOB_ID": "7",
    }
    code, output = source_session(tmp_path, script, env)
    assert code == 0, output
    assert "key=ASIAFAKE secret=s3cret token=t0ken idtoken=gone" in output
    args = calls.read_text().splitlines()
    assert args[-1] == "https://sts.us-east-1.amazonaws.com/"
    body = dict(pair.split("=", 1) for pair in args[args.index("--data") + 1].split("&"))
    assert body["Action"] == "AssumeRoleWithWebIdentity"
    assert body["DurationSeconds"] == "900"
    assert body["RoleArn"] == "arn:aws:iam::111111111111:role/deploy"
    assert body["RoleSessionName"] == "gitlab-7"
    assert body["WebIdentityToken"] == TOKEN  # in the POST body, never in the URL
    assert TOKEN not in output


def test_the_session_script_gets_real_credentials_from_sts(tmp_path: Path, emulator: Emulator):
    iam = Aws(emulator).client("iam")
    provider = iam.create_open_id_connect_provider(
        Url="https://gitlab.com", ClientIDList=["https://gitlab.com"], ThumbprintList=["a" * 40]
    )["OpenIDConnectProviderArn"]
    role = iam.create_role(
        RoleName="gitlab-deploy",
        AssumeRolePolicyDocument=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": {"Federated": provider},
                        "Action": "sts:AssumeRoleWithWebIdentity",
                    }
                ],
            }
        ),
    )["Role"]
    url = emulator.env()["AWS_ENDPOINT_URL"]
    env = {
        "PATH": os.environ["PATH"],
        "AWS_REGION": "us-east-1",
        "AWS_ENDPOINT_URL_STS": url,
        "AWS_ROLE_ARN": role["Arn"],
        "AWS_SESSION_SECONDS": "900",
        "AWS_ID_TOKEN": TOKEN,
        "CI_JOB_ID": "8",
    }
    _, script = pipeline()
    code, output = source_session(tmp_path, script, env)
    assert code == 0, output
    found = dict(word.split("=", 1) for word in output.split() if "=" in word)
    sts = boto3.client(
        "sts",
        endpoint_url=url,
        region_name="us-east-1",
        aws_access_key_id=found["key"],
        aws_secret_access_key=found["secret"],
        aws_session_token=found["token"],
    )
    identity = sts.get_caller_identity()
    assert identity["Arn"].endswith(":assumed-role/gitlab-deploy/gitlab-8")

    # A role STS refuses: the job stops with STS's error, not with empty credentials.
    code, output = source_session(tmp_path, script, {**env, "AWS_ROLE_ARN": role["Arn"] + "x"})
    assert code != 0
    assert "AssumeRoleWithWebIdentity of" in output and "failed: AccessDenied" in output


def test_the_endpoint_toggle_is_a_run_pipeline_variable():
    document, _ = pipeline()
    toggle = document["variables"]["VPC_ENDPOINTS"]
    assert (toggle["value"], toggle["options"]) == ("enable", ["enable", "disable"])
    plan = document[f"plan:{DEV_NETWORK}"]
    web = '$CI_PIPELINE_SOURCE == "web" && $CI_COMMIT_BRANCH == "development"'
    assert plan["rules"][0] == {"if": web}
    assert document[f"apply:{DEV_NETWORK}"]["rules"][0] == {"if": web}
    script = "\n".join(plan["script"])
    done = subprocess.run(
        ["sh", "-c", script.replace("terraform plan", "echo terraform plan")],
        env={"PATH": os.environ["PATH"], "VPC_ENDPOINTS": "disable", "PLAN_LOCK": "-lock=false"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.strip() == (
        'terraform plan -input=false -lock=false -var=endpoints_off=["dev"] -out=tfplan'
    )
    # A toggle's pipeline runs only the stacks with endpoints (prod's, on main, manually).
    assert document[f"apply:{PROD_NETWORK}"]["rules"][0] == {
        "if": '$CI_PIPELINE_SOURCE == "web" && $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH',
        "when": "manual",
    }
    (rule,) = document["apply:prod-us-east-1-iam"]["rules"]
    assert rule["if"] == '$CI_PIPELINE_SOURCE != "web" && $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH'
    assert rule["when"] == "manual"
