"""Certificates and the talent pool in Chromium.

The certificate is issued through ``issue_certificate`` (what the certification
domain's results release calls), for a sitting's candidates: the holder downloads the
PDF (with the QR link), an anonymous visitor verifies it, the association revokes it
and the page says so; a recruiter finds an opted-in holder, asks for contact, the holder
accepts and the recruiter sees the e-mail; an opted-out holder is never found.
"""

from __future__ import annotations

import io
import re
from datetime import date

from playwright.sync_api import expect
from pypdf import PdfReader

from academy.auth import operations as auth_operations
from academy.auth import queries as auth_queries
from academy.auth.models import Role
from academy.credentials import operations
from academy.db import db
from tests.e2e.browser import log_in, new_page

UNITS = [
    operations.Unit("FX-U1", "Quoting with Incoterms", "贸易术语报价"),
    operations.Unit("FX-U2", "Letter of credit presentation", "信用证交单"),
]


def _certified_student(live_app, live_server: str, email: str, name: str, province_unit: str):
    """A demo-college student holding a certificate whose links name the live server."""
    with live_app.test_request_context(base_url=live_server), db.unit_of_work():
        college = auth_queries.get_organisation_by_slug("demo-college")
        association = auth_queries.get_organisation_by_slug("demo-association")
        student = auth_operations.create_user(email, name, "demo-password", enforce_policy=False)
        auth_operations.add_membership(student, college, Role.STUDENT)
        certificate = operations.issue_certificate(
            association=association,
            holder=student,
            holder_name=name,
            standard_code="E2E-STD",
            standard_version="2026",
            standard_title_en="Export documentation",
            standard_title_zh="出口单证",
            level_code="L2",
            level_name_en="Intermediate",
            level_name_zh="中级",
            units=[*UNITS, operations.Unit(province_unit, "Marker unit", "标记单元")],
            issued_date=date(2026, 12, 1),
        )
        return certificate.serial


def test_download_verify_and_revoke(page, browser, live_app, live_server, tmp_path):
    serial = _certified_student(
        live_app, live_server, "jing.chen@example.test", "Jing Chen", "E2E-A"
    )

    log_in(page, "jing.chen@example.test")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="My certificates").click()
    # The first PDF of a process parses the CJK font (seconds on a loaded machine).
    with page.expect_download(timeout=90_000) as download_info:
        page.get_by_role("link", name="Download the PDF").click(timeout=90_000)
    pdf_path = tmp_path / "certificate.pdf"
    download_info.value.save_as(pdf_path)
    pdf = PdfReader(io.BytesIO(pdf_path.read_bytes()))
    assert "Jing Chen" in pdf.pages[0].extract_text()
    links = [a.get_object()["/A"]["/URI"] for a in pdf.pages[0]["/Annots"]]
    assert links == [f"{live_server}/verify/{serial}"]  # the QR code's target

    visitor = new_page(browser, live_server)
    visitor.goto("/verify")
    visitor.get_by_label("Certificate number").fill(serial)
    visitor.get_by_label("Holder's surname").fill("chen")
    visitor.get_by_role("button", name="Verify").click()
    expect(visitor.locator("#result-heading")).to_contain_text("Valid")
    expect(visitor.get_by_text("Letter of credit presentation")).to_be_visible()

    admin = new_page(browser, live_server)
    log_in(admin, "examiner@academy.test")
    admin.goto("/associations/")
    admin.get_by_role("link", name=serial).click()
    admin.get_by_label("Reason for the revocation").fill("Certificate issued in error")
    admin.get_by_role("button", name="Revoke the certificate").click()
    expect(admin.locator("#result-heading")).to_contain_text("Revoked")

    visitor.goto(f"/verify/{serial}")
    expect(visitor.locator("#result-heading")).to_contain_text("Revoked")
    expect(visitor.get_by_text("Certificate issued in error")).to_be_visible()


def _join_pool(page, email: str, province: str) -> None:
    log_in(page, email)
    page.goto("/account/talent-pool")
    page.get_by_label("Province", exact=True).select_option(province)
    page.get_by_label("English", exact=True).check()
    page.get_by_label(re.compile("I have read the privacy notice")).check()
    page.get_by_role("button", name="Join the talent pool").click()
    expect(page.get_by_text("You are in the talent pool.")).to_be_visible()


def test_recruiter_finds_requests_and_gets_the_email(browser, live_app, live_server):
    _certified_student(live_app, live_server, "hui.zhao@example.test", "Hui Zhao", "E2E-B")
    _certified_student(live_app, live_server, "lei.sun@example.test", "Lei Sun", "E2E-B")
    holder = new_page(browser, live_server)
    _join_pool(holder, "hui.zhao@example.test", "qinghai")
    leaver = new_page(browser, live_server)
    _join_pool(leaver, "lei.sun@example.test", "qinghai")
    leaver.get_by_role("button", name="Leave the talent pool").click()
    expect(leaver.get_by_text("You left the talent pool")).to_be_visible()

    recruiter = new_page(browser, live_server)
    log_in(recruiter, "recruiter@academy.test")
    recruiter.get_by_role("navigation", name="Main").get_by_role("link", name="Talent pool").click()
    recruiter.get_by_label("Province", exact=True).select_option("qinghai")
    recruiter.get_by_label("E2E-B").check()
    recruiter.get_by_role("button", name="Search").click()
    results = recruiter.locator("ol.results")
    expect(results.get_by_role("link", name="Hui Zhao")).to_be_visible()
    expect(results).not_to_contain_text("Lei Sun")
    results.get_by_role("link", name="Hui Zhao").click()
    recruiter.get_by_label("Your message").fill("We need an export documents clerk in Xining.")
    recruiter.get_by_role("button", name="Send the request").click()
    expect(recruiter.get_by_role("heading", name="My contact requests")).to_be_visible()
    expect(recruiter.locator("table")).not_to_contain_text("hui.zhao@example.test")

    holder.goto("/account/talent-pool")
    expect(holder.get_by_text("We need an export documents clerk in Xining.")).to_be_visible()
    holder.get_by_role("button", name="Accept and share my e-mail").click()
    expect(
        holder.get_by_text("Accepted: the recruiter can now see your e-mail address.")
    ).to_be_visible()

    recruiter.reload()
    expect(recruiter.get_by_role("link", name="hui.zhao@example.test")).to_be_visible()
