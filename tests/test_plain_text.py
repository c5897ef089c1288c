"""Issue 19, item 1: whatever a user typed or named (file names, account names, notes, problem values, messages that
quote input) is shown as plain text on every page, never rendered as Markdown (no image fetched, no link made).

Every element that Streamlit renders as Markdown (markdown, captions, alerts, headings, widget labels and help, tab
and expander labels, radio options) is read from the AppTest tree; the injected strings may appear there only with
their Markdown syntax escaped.  Plain-text elements (``st.text``, ``st.code``, data frames) must show them as written.
"""

from __future__ import annotations

import re

import _apptest
import pytest
from _apptest import PW, app, ok

from app_pages._ui import esc
from indicators.words import t
from loaders import accounts, users
from loaders.batches import list_batches

fast_hashing, store = _apptest.fast_hashing, _apptest.store

FILE = "![t](http://host/img) [click me](http://host/link).csv"
ACCOUNT = "www.host.example"  # a valid account name, and a GFM autolink when rendered as Markdown
NOTE = "[n](http://host/note) **bold**"
VALUE = "![p](http://host/p)"
BAD_NAME = "[x](http://host/x)"  # refused as an account name; the refusal quotes it

PLAIN_TYPES = {"text", "code", "json", "dataframe", "arrow_data_frame", "table", "exception"}
# syntax a Markdown renderer turns into a link, an image or an element: inline and reference links and images,
# HTML and <autolinks>, GFM literal autolinks (scheme, www., e-mail)
_LIVE = re.compile(r"\]\(|\]\[|\]:|!\[|<|[a-z]+:/|www\.|@")
_ESCAPED = re.compile(r"\\[!-/:-@\[-`{-~]")


def live_markup(body: str) -> list[str]:
    """The unescaped link, image, HTML or autolink syntax in a Markdown text (empty when it renders as text)."""
    return _LIVE.findall(_ESCAPED.sub("", body))


def _markdown_bodies(at) -> list[tuple[str, str]]:
    """(element type, text) for every text of the page that Streamlit renders as Markdown."""
    out = []
    events = [b for b in at._tree.children.values() if getattr(b, "type", "") == "event"]  # dialogs draw there
    for node in [*at.main, *at.sidebar, *(n for b in events for n in b)]:
        kind = getattr(node, "type", "")
        proto = getattr(node, "proto", None)
        if proto is None or kind in PLAIN_TYPES:
            continue
        if kind in ("expandable", "expander", "status"):
            out.append((kind, node.label))
            continue
        if kind == "tab":
            out.append((kind, node.label))
            continue
        for name in ("body", "label", "help", "caption"):
            value = getattr(proto, name, None)
            if isinstance(value, str) and value:
                out.append((kind, value))
        if kind == "radio":
            out += [(kind, str(o)) for o in proto.options]
    return out


def _plain_texts(at) -> str:
    parts = [el.value for el in at.text] + [el.value for el in at.code]
    for df in at.dataframe:
        parts += [str(v) for v in df.value.astype(str).to_numpy().ravel()]
    return "\n".join(parts)


def _assert_plain(at, where: str) -> list[str]:
    """No Markdown body of the page holds live syntax from the injected strings; returns the bodies naming them."""
    naming = []
    for kind, body in _markdown_bodies(at):
        if "host" in body:
            naming.append(body)
            assert not live_markup(body), f"{where}: {kind} renders user text as Markdown: {body!r}"
    return naming


@pytest.fixture
def hostile(store):
    """The demo store with a council called ACCOUNT, which loaded FILE (its valid row, with NOTE; VALUE is a
    problem)."""
    accounts.add_user(ACCOUNT, "council", scope="9303", password=PW, by="test", db=store)
    data = (f"area,year,measure,value,note\n930301,2569,population,1234,{NOTE}\n"
            f"930302,2569,population,{VALUE},\n").encode()
    report = users.upload_as(accounts.get_user(ACCOUNT, store), data, FILE, skip_invalid=True, db=store)
    assert report.status == "partial" and report.problem_count == 1
    return store, data


def test_escape_shows_every_character_as_written():
    assert esc(FILE) == r"\!\[t\]\(http\:\/\/host\/img\) \[click me\]\(http\:\/\/host\/link\)\.csv"
    assert esc(ACCOUNT) == r"www\.host\.example"
    assert esc("ตำบลโคกม่วง 1,234") == r"ตำบลโคกม่วง 1\,234"
    assert esc(r"a\b") == r"a\\b"
    for text in (FILE, ACCOUNT, NOTE, VALUE, "<img src=x>", "a@b.co", ":red[x] $x$ `c` ~~s~~ <https://h>"):
        assert live_markup(text), "the checker sees the raw text as live"
        assert live_markup(esc(text)) == [], text
        assert _ESCAPED.sub(lambda m: m.group(0)[1], esc(text)) == text, "unescaping gives the text back"


def test_the_public_overview_shows_the_last_upload_as_plain_text(hostile):
    at = app()
    naming = _assert_plain(at, "overview")
    assert naming == [], "the overview names the file only in a plain-text element"
    shown = [el.value for el in at.text]
    assert any(FILE in s and ACCOUNT in s for s in shown), shown


def test_public_pages_and_a_hostile_area_link(hostile, monkeypatch):
    for page in ("area", "compare", "map", "tourism", "reporting", "methods"):
        at = app(page=f"app_pages/{page}.py")
        _assert_plain(at, page)
    at = app(page="app_pages/area.py")
    at.query_params["area"] = FILE
    ok(at.run())
    naming = _assert_plain(at, "area?area=…")
    assert [w.value for w in at.warning if "host" in w.value] == [
        f"ไม่รู้จักรหัสพื้นที่ {esc(FILE)} แสดงทั้งจังหวัดแทน"]
    assert len(naming) == 1


def test_the_council_sees_its_file_and_name_as_plain_text(hostile):
    store, data = hostile
    at = app(ACCOUNT, "app_pages/upload.py")
    at.file_uploader[0].set_value((FILE, data, "text/csv"))
    ok(at.run())
    naming = _assert_plain(at, "upload")
    assert f"**{esc(FILE)}** · {len(data):,} B" in naming, "the chosen file's name, bold and escaped"
    assert t("upload.intro", "th", name=esc(ACCOUNT), scope=esc("อ.เขาชัยสน")) in naming, "the intro names the account"
    batch = int(list_batches(store).iloc[0].id)
    assert FILE in [el.value for el in at.text], "the batch list shows the name as plain text"
    assert VALUE in _plain_texts(at), "the problem value, as written, in the problems table"
    assert any(f"undo_{batch}" == b.key for b in at.button)
    ok(at.button(key=f"undo_{batch}").click().run())  # the undo dialog names the file and the account
    naming = _assert_plain(at, "undo dialog")
    assert any(esc(FILE) in body and esc(ACCOUNT) in body for body in naming), naming

    at = app(ACCOUNT, "app_pages/signin.py")
    naming = _assert_plain(at, "account")
    signed_in = t("auth.signed_in_as", "th", name=esc(ACCOUNT), role=t("role.council", "th"))
    assert naming.count(signed_in) == 1, "the account page"
    assert f"{signed_in} · 9303" in naming, "the sidebar"


def test_the_admin_page_shows_names_notes_and_refusals_as_plain_text(hostile):
    store, _data = hostile
    at = app("boss", "app_pages/admin.py")
    _assert_plain(at, "admin")
    plain = _plain_texts(at)
    assert FILE in plain, "batch list and write log name the file as written"
    assert ACCOUNT in plain, "the accounts table"

    at.text_input(key="nu_name").input(BAD_NAME)
    at.text_input(key="nu_password").input(PW)
    at.text_input(key="nu_password2").input(PW)
    ok(at.button(key="nu_submit").click().run())
    refusals = [e.value for e in at.error if "host" in e.value]
    assert len(refusals) == 1 and esc(repr(BAD_NAME)) in refusals[0]
    _assert_plain(at, "admin, refused account")

    at.selectbox(key="rp_name").set_value(ACCOUNT)  # in a form: sent with the submit
    at.text_input(key="rp_password").input("another password")
    ok(at.button(key="rp_submit").click().run())
    assert [s.value for s in at.success] == [t("admin.password_reset", "th", name=esc(ACCOUNT))]
    _assert_plain(at, "admin, password reset")
