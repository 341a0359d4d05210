"""`lz graph --format html`: one self-contained page with the three views.

Chromium is not part of this project's machines, so the page is checked
structurally: its parts, the data a click shows, that nothing is fetched,
and that its script parses (with node, when it is installed).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from landingzone.validate import load_spec
from tests.views.conftest import Run, example_dir


class Page(HTMLParser):
    """The parts of the page a test looks at."""

    def __init__(self) -> None:
        super().__init__()
        self.sections: list[str] = []
        self.tabs: list[str] = []
        self.cards: dict[tuple[str, str], dict[str, str]] = {}
        self.titles: dict[tuple[str, str], dict[str, str]] = {}  # boxes' clickable titles
        self.urls: list[str] = []
        self.ids: set[str] = set()
        self.scripts: list[str] = []
        self._script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k: v or "" for k, v in attrs}
        if "id" in found:
            self.ids.add(found["id"])
        self.urls += [v for k, v in found.items() if k in ("src", "href")]
        if tag == "section":
            self.sections.append(found["data-view"])
        if tag == "button" and "item" in found.get("class", "").split():
            self.cards[(found["data-view"], found["data-key"])] = found
        elif tag == "button" and found.get("class") == "title":
            self.titles[(found["data-view"], found["data-key"])] = found
        elif tag == "button":
            self.tabs.append(found["data-view"])
        self._script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        self._script = False

    def handle_data(self, data: str) -> None:
        if self._script:
            self.scripts.append(data)


@pytest.fixture(scope="module")
def page_text(tmp_path_factory: pytest.TempPathFactory) -> str:
    from landingzone.cli import main

    out = tmp_path_factory.mktemp("html") / "landingzone.html"
    with pytest.raises(SystemExit) as done:
        main(["graph", "org", str(example_dir("cloudposse")), "--format", "html", "-o", str(out)])
    assert done.value.code == 0
    return out.read_text()


def test_the_page_has_the_three_views_a_search_box_and_a_details_panel(page_text: str) -> None:
    page = Page()
    page.feed(page_text)
    assert page.sections == ["org", "network", "access"]
    assert page.tabs == ["org", "network", "access"]
    assert {"search", "details", "details-body", "lz-data"} <= page.ids
    assert page.urls == []  # nothing to fetch: no stylesheet, script or image from elsewhere
    assert "http://" not in page_text.replace("http://www.w3.org", "")
    assert "https://" not in page_text


def test_every_account_has_a_card_whose_click_shows_its_settings(page_text: str) -> None:
    page = Page()
    page.feed(page_text)
    data = json.loads(re.search(r'id="lz-data">(.*?)</script>', page_text, re.S)[1])
    spec = load_spec(example_dir("cloudposse")).spec
    for name, account in spec.accounts.items():
        card = page.cards[("org", f"account:{name}")]
        assert name in card["data-search"]  # the search box finds it by name
        details = dict(data["org"][f"account:{name}"]["details"])
        assert details["email"] == account.email
        assert details["unit"] == (account.unit or "(root)")
        assert "SCP chain" in details and details["baseline"].startswith(("standard", "sandbox"))
    assert ("org", "unit:plat/sandbox") in page.titles  # a click on an OU's title shows:
    sandbox = dict(data["org"]["unit:plat/sandbox"]["details"])
    assert sandbox["policies"] == "region-allowlist" and sandbox["baseline"] == "sandbox"
    prod = dict(data["org"]["account:plat-prod"]["details"])
    assert prod["protected"].startswith("yes")
    assert "flag-protected" in page.cards[("org", "account:plat-prod")]["class"]


def test_a_click_on_a_role_shows_who_can_assume_it(page_text: str) -> None:
    data = json.loads(re.search(r'id="lz-data">(.*?)</script>', page_text, re.S)[1])
    roles = {k: v for k, v in data["access"].items() if k.startswith("role:")}
    assert roles
    access_role = roles["role:plat-prod/OrganizationAccountAccessRole"]
    details = dict(access_role["details"])
    assert details["can be assumed by"].startswith("account:management (trust")
    assert [source for source, _ in access_role["in"]] == ["account:management"]


def test_the_network_view_cards_link_to_what_they_route_to(page_text: str) -> None:
    data = json.loads(re.search(r'id="lz-data">(.*?)</script>', page_text, re.S)[1])
    tables = [v for k, v in data["network"].items() if v["title"] == "route table workloads"]
    (workloads,) = tables
    assert {s for s, _ in workloads["in"]} == {
        "network:plat-dev",
        "network:plat-prod",
        "network:plat-staging",
    }


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_the_page_script_parses(page_text: str, tmp_path: Path) -> None:
    script = re.findall(r"<script>(.*?)</script>", page_text, re.S)
    assert len(script) == 1
    path = tmp_path / "page.js"
    path.write_text(script[0])
    checked = subprocess.run(["node", "--check", str(path)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr


def test_text_from_the_spec_cannot_break_out_of_the_page(run: Run, tmp_path: Path) -> None:
    (tmp_path / "landingzone.yaml").write_text(
        "organization: {name: acme, home_region: us-east-1, profile: management}\n"
        "accounts:\n"
        "  dev:\n"
        "    email: aws+dev@acme.example\n"
        # AWS account names may hold any printable ASCII (CreateAccount AccountName);
        # tag values may not (the spec refuses them), so the name carries the attack.
        '    name: "</script><img src=x onerror=alert(1)>"\n'
        "state: {account: management}\n"
    )
    result = run("graph", "org", tmp_path, "--format", "html")
    assert result.code == 0, result.err
    assert "onerror" in result.out  # the name is on the page, escaped
    assert "<img" not in result.out and result.out.count("</script>") == 2


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (apt-get install chromium)")
def test_the_page_in_headless_chromium_renders_without_errors_and_shows_a_card(
    page_text: str, tmp_path: Path
) -> None:
    page = tmp_path / "landingzone.html"
    page.write_text(page_text)
    assert CHROMIUM is not None
    done = subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--enable-logging=stderr",
            "--v=0",
            "--dump-dom",
            f"{page.as_uri()}#org/account:plat-prod",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    console = [line for line in done.stderr.splitlines() if ":CONSOLE" in line]
    assert console == []  # no error, no warning, nothing logged by the page
    shown = Page()
    shown.feed(done.stdout)
    assert shown.sections == ["org", "network", "access"]
    details = re.search(r'<div id="details-body">(.*?)</div>', done.stdout, re.S)
    assert details is not None
    # the link selected plat-prod: its settings are in the details panel
    assert "<h3>plat-prod</h3>" in details[1] and "aws+plat-prod@acme.example" in details[1]
    assert 'class="view active" id="view-org"' in done.stdout
