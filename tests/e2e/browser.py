"""Steps the browser tests share: logging in a demo account, a second browser window."""

from __future__ import annotations

import re

from playwright.sync_api import expect


def log_in(page, email: str) -> None:
    """Log in with the demo password and wait for the dashboard."""
    page.goto("/login")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill("demo-password")
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/dashboard$"))


def new_page(browser, live_server: str, timeout_ms: int = 10_000):
    """A page in a fresh browser context (another person at another computer)."""
    context = browser.new_context(base_url=live_server, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(timeout_ms)
    return page
