"""A student registers, logs in, switches to Chinese; protected pages round-trip via login."""

from __future__ import annotations

import re

from playwright.sync_api import expect


def test_student_registers_logs_in_and_switches_to_chinese(page):
    page.goto("/")
    page.get_by_role("link", name="Register").click()
    page.get_by_label("Display name").fill("Zhou Xin")
    page.get_by_label("E-mail address").fill("zhou.xin@example.test")
    page.get_by_label("Password", exact=True).fill("export-trade-2026")
    page.get_by_label("Repeat the password").fill("export-trade-2026")
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Zhou Xin")

    page.get_by_role("button", name="Log out").click()
    page.get_by_role("link", name="Log in").first.click()
    page.get_by_label("E-mail address").fill("zhou.xin@example.test")
    page.get_by_label("Password").fill("export-trade-2026")
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/dashboard$"))

    navigation = page.get_by_role("navigation", name="Main")
    expect(navigation.get_by_role("link", name="Dashboard")).to_be_visible()
    page.get_by_role("button", name="简体中文").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
    navigation = page.get_by_role("navigation", name="主导航")
    expect(navigation.get_by_role("link", name="工作台")).to_be_visible()
    expect(page.get_by_role("button", name="退出登录")).to_be_visible()

    # The choice is the account's: it comes back after logging out and in again.
    page.get_by_role("button", name="退出登录").click()
    page.context.clear_cookies()
    page.goto("/login")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_label("E-mail address").fill("zhou.xin@example.test")
    page.get_by_label("Password").fill("export-trade-2026")
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")


def test_registration_errors_are_shown_on_the_field(page):
    page.goto("/register")
    page.get_by_label("Display name").fill("Someone")
    page.get_by_label("E-mail address").fill("student1@academy.test")
    page.get_by_label("Password", exact=True).fill("export-trade-2026")
    page.get_by_label("Repeat the password").fill("export-trade-2026")
    page.get_by_role("button", name="Create account").click()
    error = page.locator("#email-error")
    expect(error).to_have_text(re.compile("already exists"))
    expect(page.get_by_label("E-mail address")).to_have_attribute("aria-invalid", "true")


def test_protected_page_redirects_to_login_and_back(page):
    page.goto("/account")
    expect(page).to_have_url(re.compile(r"/login\?next=%2Faccount$"))
    expect(page.get_by_text("Please log in to open that page.")).to_be_visible()
    page.get_by_label("E-mail address").fill("teacher@academy.test")
    page.get_by_label("Password").fill("demo-password")
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/account$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Your profile")


def test_wrong_password_shows_a_generic_error(page):
    page.goto("/login")
    page.get_by_label("E-mail address").fill("mentor@academy.test")
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("alert")).to_have_text(
        re.compile("e-mail address or password is not correct")
    )
