"""Both languages: every message translated, the switcher, the fallbacks."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from tests.conftest import csrf_token, login_as

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "academy" / "translations" / "zh_Hans" / "LC_MESSAGES" / "messages.po"
KEYWORDS = {
    "_": None,
    "gettext": None,
    "ngettext": (1, 2),
    "_l": None,
    "lazy_gettext": None,
    "pgettext": ((1, "c"), 2),
    "lazy_pgettext": ((1, "c"), 2),
}


def source_messages() -> set[str]:
    method_map = [
        ("academy/**.py", "python"),
        ("templates/**.html", "jinja2"),
        ("academy/**/templates/**.html", "jinja2"),
    ]
    found = set()
    for _filename, _lineno, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map=method_map, keywords={**KEYWORDS}
    ):
        found.add(message if isinstance(message, str) else message[0])
    return found


def test_every_message_has_a_chinese_translation():
    with CATALOGUE.open("rb") as handle:
        catalogue = read_po(handle, locale="zh_Hans")
    translated = {}
    for message in catalogue:
        if not message.id:
            continue
        key = message.id if isinstance(message.id, str) else message.id[0]
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if all(strings) and not message.fuzzy:
            translated[key] = strings
    messages = source_messages()
    assert len(messages) > 150
    missing = sorted(messages - translated.keys())
    assert missing == [], f"messages without a Chinese translation: {missing}"


def test_catalogue_placeholders_match():
    with CATALOGUE.open("rb") as handle:
        catalogue = read_po(handle, locale="zh_Hans")
    import re

    pattern = re.compile(r"%\(\w+\)[sd]")
    for message in catalogue:
        if not message.id:
            continue
        # A plural entry is checked against its plural form here; the compile check below
        # also holds a one-form language's only form to the singular.
        source = message.id if isinstance(message.id, str) else message.id[1]
        targets = message.string if isinstance(message.string, tuple) else (message.string,)
        for target in filter(None, targets):  # untranslated entries are the other test's job
            assert sorted(pattern.findall(source)) == sorted(pattern.findall(target)), source


def test_the_catalogue_compiles_without_errors():
    """What `pybabel compile` checks (and `make` now stops on), e.g. a singular that lacks
    a placeholder its one-form Chinese translation uses."""
    with CATALOGUE.open("rb") as handle:
        catalogue = read_po(handle, locale="zh_Hans")
    problems = [
        f"{message.lineno}: {error}" for message, errors in catalogue.check() for error in errors
    ]
    assert problems == []


def test_a_bare_per_cent_sign_stays_where_the_english_has_one():
    # Templates and form validators format their messages with %: a lone "%" in a
    # translation ("60%）") breaks the page in Chinese only. Where the English has a
    # lone "%" too (a label such as "Pass mark (%)"), the message is never formatted.
    import re

    bare = re.compile(r"%(?![(%])")
    with CATALOGUE.open("rb") as handle:
        catalogue = read_po(handle, locale="zh_Hans")
    for message in catalogue:
        if not message.id:
            continue
        sources = message.id if isinstance(message.id, tuple) else (message.id,)
        targets = message.string if isinstance(message.string, tuple) else (message.string,)
        english_has_one = any(bare.search(source.replace("%%", "")) for source in sources)
        for target in filter(None, targets):
            if bare.search(target.replace("%%", "")):
                assert english_has_one, sources[0]


def test_switching_language_translates_the_navigation(client, create_user):
    user = create_user()
    login_as(client, user)
    page = client.get("/dashboard").get_data(as_text=True)
    assert ">Dashboard<" in page
    client.post(
        "/language",
        data={
            "locale": "zh_Hans",
            "next": "/dashboard",
            "csrf_token": csrf_token(client, "/dashboard"),
        },
    )
    page = client.get("/dashboard").get_data(as_text=True)
    assert 'lang="zh-Hans"' in page
    assert ">工作台<" in page
    assert "退出登录" in page


def test_choice_is_remembered_for_the_user(app, client, create_user, read):
    user = create_user()
    login_as(client, user)
    client.post(
        "/language",
        data={"locale": "zh_Hans", "next": "/", "csrf_token": csrf_token(client, "/dashboard")},
    )
    # A new device, same account: the language comes with the user.
    other = app.test_client()
    login_as(other, user)
    assert 'lang="zh-Hans"' in other.get("/dashboard").get_data(as_text=True)


def test_anonymous_choice_is_remembered_for_the_session(client):
    client.post(
        "/language",
        data={"locale": "zh_Hans", "next": "/login", "csrf_token": csrf_token(client, "/login")},
    )
    assert "<h1>登录</h1>" in client.get("/login").get_data(as_text=True)


def test_unknown_locale_falls_back_to_english(client):
    response = client.post(
        "/language",
        data={"locale": "xx_YY", "next": "/login", "csrf_token": csrf_token(client, "/login")},
    )
    assert response.status_code == 302
    page = client.get("/login").get_data(as_text=True)
    assert 'lang="en"' in page and "<h1>Log in</h1>" in page


def test_browser_language_is_used_first(client):
    page = client.get("/login", headers={"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.5"})
    assert 'lang="zh-Hans"' in page.get_data(as_text=True)
    page = client.get("/login", headers={"Accept-Language": "fr-FR,de;q=0.8"})
    assert 'lang="en"' in page.get_data(as_text=True)


def test_language_switch_refuses_an_external_next(client):
    response = client.post(
        "/language",
        data={
            "locale": "en",
            "next": "https://evil.example/",
            "csrf_token": csrf_token(client, "/"),
        },
    )
    assert response.headers["Location"] == "/"


def test_error_pages_are_translated(client):
    page = client.get("/no-such-page", headers={"Accept-Language": "zh-CN"})
    assert page.status_code == 404
    assert "页面不存在" in page.get_data(as_text=True)
