"""Every POST endpoint of the app is fuzzed by some fuzz test (issue 10, acceptance 2).

Each ``tests/**/test_*fuzz*.py`` module names the endpoints it fuzzes in
``FUZZED_ENDPOINTS`` (the POST ones among them count; its test asserts that each was
reached past the access checks, see ``tests/fuzzing.py``). A new POST route that no
module names fails here until a fuzz test covers it.
"""

from __future__ import annotations

import importlib
from pathlib import Path

from tests.conftest import make_test_app
from tests.fuzzing import post_endpoints

TESTS = Path(__file__).parent

#: POST endpoints deliberately left out, with the reason. Keep it empty if you can.
NOT_FUZZED: dict[str, str] = {}


def fuzz_modules() -> dict[str, frozenset[str]]:
    modules = {}
    for path in sorted(TESTS.rglob("test_*fuzz*.py")):
        if path.name == Path(__file__).name:
            continue
        name = ".".join(path.relative_to(TESTS.parent).with_suffix("").parts)
        modules[name] = frozenset(getattr(importlib.import_module(name), "FUZZED_ENDPOINTS", ()))
    return modules


def unfuzzed(app) -> set[str]:
    return post_endpoints(app) - set().union(*fuzz_modules().values()) - set(NOT_FUZZED)


def test_every_post_endpoint_is_fuzzed(app):
    missing = unfuzzed(app)
    assert not missing, f"POST endpoints no fuzz test covers: {sorted(missing)}"


def test_a_new_post_route_is_reported_until_a_fuzz_test_covers_it(database_url):
    app = make_test_app(database_url)
    app.add_url_rule("/new-form", "main.new_form", lambda: "", methods=["GET", "POST"])
    app.add_url_rule("/new-page", "main.new_page", lambda: "")
    assert unfuzzed(app) == {"main.new_form"}


def test_fuzz_modules_name_only_real_endpoints(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    for module, fuzzed in fuzz_modules().items():
        assert fuzzed <= endpoints, (module, sorted(fuzzed - endpoints))
    assert set(NOT_FUZZED) <= post_endpoints(app)
