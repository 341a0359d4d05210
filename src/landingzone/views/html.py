"""One self-contained HTML page with the three views: nothing is fetched when it opens.

The boxes are drawn in HTML (nested boxes for OUs, accounts and transit
gateways; a card for each account, VPC, role...), so the page needs no
drawing library; a small inline script switches views, filters cards as
you type in the search box, and shows a card's details when it is clicked:
an account's settings, a role's trust (who can assume it, by which
statement), a VPC's subnets, and every arrow in and out of it; a click on a box's title
(an OU, the root) shows what is set there. A link to
`page.html#VIEW/KEY` (`#org/account:prod`) opens with that card selected.
"""

from __future__ import annotations

import json
from html import escape
from typing import Any

from landingzone.views.diagram import Diagram, Group, Item

NAMES = {"org": "Organization", "network": "Networks", "access": "Access"}

_STYLE = """
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.4 system-ui, sans-serif; color: #1d2330; background: #f6f7f9; }
header { position: sticky; top: 0; z-index: 2; display: flex; gap: 1em; align-items: center;
  padding: .6em 1em; background: #232f3e; color: #fff; flex-wrap: wrap; }
header h1 { font-size: 1.1em; margin: 0 1em 0 0; }
header input { flex: 1; min-width: 14em; padding: .4em .6em; border-radius: 4px; border: 0; }
nav button { background: #37475a; color: #fff; border: 0; padding: .4em .9em; border-radius: 4px;
  cursor: pointer; }
nav button.active { background: #ff9900; color: #111; }
.layout { display: flex; align-items: flex-start; }
main { flex: 1; padding: 1em; min-width: 0; }
aside { width: 26em; position: sticky; top: 3.4em; max-height: calc(100vh - 3.4em); overflow: auto;
  padding: 1em; background: #fff; border-left: 1px solid #d5dbe3; }
aside dt { font-weight: 600; margin-top: .5em; }
aside dd { margin: 0 0 0 .8em; word-break: break-word; }
.view { display: none; }
.view.active { display: block; }
.group { border: 1px solid #aab7c4; border-radius: 8px; padding: .5em; margin: .4em;
  background: rgba(255,255,255,.6); display: inline-block; vertical-align: top; }
.group > .title { font: inherit; font-weight: 600; background: none; border: 0; padding: 0;
  cursor: pointer; text-align: left; }
.group > .title.selected { outline: 2px solid #ff9900; }
.group > .lines, .item .lines { font-size: .85em; color: #555; }
.contents { display: flex; flex-wrap: wrap; align-items: flex-start; }
.item { display: inline-block; text-align: left; margin: .3em; padding: .4em .6em;
  border: 1px solid #8d9aa8; border-radius: 6px; background: #fff; cursor: pointer;
  font: inherit; max-width: 22em; }
.item:hover, .item.selected { outline: 2px solid #ff9900; }
.item.related { outline: 2px dashed #0073bb; }
.flag-protected { border: 2px solid #c62828; }
.flag-denied { border: 2px dashed #c62828; }
.flag-management { border-width: 3px; }
.flag-target { background: #fff3cd; }
.hidden { display: none !important; }
.notes { color: #8a6d3b; font-size: .9em; }
"""

_SCRIPT = """
(function () {
  var data = JSON.parse(document.getElementById('lz-data').textContent);
  var views = document.querySelectorAll('.view');
  var buttons = document.querySelectorAll('nav button');
  var body = document.getElementById('details-body');
  function show(view) {
    views.forEach(function (v) { v.classList.toggle('active', v.dataset.view === view); });
    buttons.forEach(function (b) { b.classList.toggle('active', b.dataset.view === view); });
  }
  buttons.forEach(function (b) {
    b.addEventListener('click', function () { show(b.dataset.view); });
  });
  function row(dl, label, value) {
    var dt = document.createElement('dt'); dt.textContent = label; dl.appendChild(dt);
    var dd = document.createElement('dd'); dd.textContent = value; dl.appendChild(dd);
  }
  function select(card) {
    var view = card.dataset.view, key = card.dataset.key, entry = data[view][key];
    document.querySelectorAll('.selected, .related').forEach(function (c) {
      c.classList.remove('selected', 'related');
    });
    card.classList.add('selected');
    body.textContent = '';
    var h = document.createElement('h3'); h.textContent = entry.title; body.appendChild(h);
    var dl = document.createElement('dl'); body.appendChild(dl);
    entry.details.forEach(function (d) { row(dl, d[0], d[1]); });
    entry.out.forEach(function (l) { row(dl, '\\u2192 ' + data[view][l[0]].title, l[1]); });
    entry['in'].forEach(function (l) { row(dl, '\\u2190 ' + data[view][l[0]].title, l[1]); });
    entry.out.concat(entry['in']).forEach(function (l) {
      var other = document.querySelector('.view.active .item[data-key="' + CSS.escape(l[0]) + '"]');
      if (other) { other.classList.add('related'); }
    });
  }
  document.querySelectorAll('.item, .group > .title').forEach(function (card) {
    card.addEventListener('click', function () {
      select(card);
      history.replaceState(null, '', '#' + card.dataset.view + '/' + card.dataset.key);
    });
  });
  document.getElementById('search').addEventListener('input', function (event) {
    var words = event.target.value.toLowerCase().split(/\\s+/).filter(Boolean);
    document.querySelectorAll('.item').forEach(function (card) {
      var text = card.dataset.search;
      card.classList.toggle('hidden', !words.every(function (w) { return text.indexOf(w) >= 0; }));
    });
    document.querySelectorAll('.group').forEach(function (group) {
      var shown = group.querySelector('.item:not(.hidden)') !== null;
      group.classList.toggle('hidden', words.length > 0 && !shown);
    });
  });
  show(document.querySelector('main').dataset.first);
  // A link to VIEW/KEY (page.html#org/account:prod) opens that view with that card selected.
  var hash = decodeURIComponent(location.hash.slice(1)), cut = hash.indexOf('/');
  if (cut > 0) {
    var wanted = document.querySelector('[data-view="' + CSS.escape(hash.slice(0, cut)) +
      '"][data-key="' + CSS.escape(hash.slice(cut + 1)) + '"]');
    if (wanted) { show(wanted.dataset.view); select(wanted); }
  }
})();
"""


def _lines(lines: tuple[str, ...]) -> str:
    return "".join(f'<div class="lines">{escape(line)}</div>' for line in lines)


def _card(view: str, item: Item) -> str:
    flags = "".join(f" flag-{flag}" for flag in sorted(item.flags))
    words = " ".join([item.title, item.key, *item.lines, *(v for _, v in item.details)])
    return (
        f'<button type="button" class="item kind-{escape(item.kind)}{flags}" '
        f'data-view="{view}" data-key="{escape(item.key)}" '
        f'data-search="{escape(words.lower())}">'
        f"<b>{escape(item.title)}</b>{_lines(item.lines)}</button>"
    )


def _group(diagram: Diagram, box: Group) -> str:
    inner = "".join(_group(diagram, g) for g in diagram.children(box.key))
    inner += "".join(_card(diagram.view, i) for i in diagram.members(box.key))
    return (
        f'<div class="group kind-{escape(box.kind)}" data-key="{escape(box.key)}">'
        f'<button type="button" class="title" data-view="{diagram.view}" '
        f'data-key="{escape(box.key)}">{escape(box.title)}</button>{_lines(box.lines)}'
        f'<div class="contents">{inner}</div></div>'
    )


def _section(diagram: Diagram) -> str:
    body = "".join(_group(diagram, g) for g in diagram.children(None))
    body += "".join(_card(diagram.view, i) for i in diagram.members(None))
    notes = "".join(f'<p class="notes">{escape(note)}</p>' for note in diagram.notes)
    return (
        f'<section class="view" id="view-{diagram.view}" data-view="{diagram.view}">'
        f"<h2>{escape(diagram.title)}</h2>{notes}"
        f'<div class="contents">{body}</div></section>'
    )


def _entries(diagram: Diagram) -> dict[str, Any]:
    """What a click shows, by key: title, details, arrows out and in (boxes have no arrows)."""
    things: list[Group | Item] = [*diagram.groups, *diagram.items]
    entries: dict[str, Any] = {
        thing.key: {"title": thing.title, "details": list(thing.details), "out": [], "in": []}
        for thing in things
    }
    for link in diagram.links:
        entries[link.source]["out"].append([link.target, link.label or link.kind])
        entries[link.target]["in"].append([link.source, link.label or link.kind])
    return entries


def html_page(title: str, diagrams: list[Diagram], first: str | None = None) -> str:
    """The page: a tab per diagram (in order), a search box and a details panel;
    the view `first` (default: the first diagram's) is shown when it opens."""
    data = json.dumps({d.view: _entries(d) for d in diagrams}, sort_keys=True)
    data = data.replace("<", "\\u003c")  # no "</script>" (no tag at all) inside the data block
    tabs = "".join(
        f'<button type="button" data-view="{d.view}">{escape(NAMES.get(d.view, d.view))}</button>'
        for d in diagrams
    )
    sections = "".join(_section(d) for d in diagrams)
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{_STYLE}</style></head><body>"
        f"<header><h1>{escape(title)}</h1>"
        '<input id="search" type="search" placeholder="Search accounts, OUs, policies, '
        'VPCs, roles..." aria-label="Search">'
        f"<nav>{tabs}</nav></header>"
        f'<div class="layout"><main data-first="{escape(first or diagrams[0].view)}">'
        f"{sections}</main>"
        '<aside id="details"><h2>Details</h2><div id="details-body">'
        "Click an account, a VPC or a role to see its settings and connections.</div></aside>"
        "</div>"
        f'<script type="application/json" id="lz-data">{data}</script>'
        f"<script>{_SCRIPT}</script></body></html>\n"
    )
