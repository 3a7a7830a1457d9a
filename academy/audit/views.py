"""The audit log for site administrators: filter it, page through it, export it as CSV."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, current_app, render_template, request

from academy.audit import queries
from academy.audit.models import AuditAction
from academy.auth.permissions import site_admin_required
from academy.csv import csv_response, csv_text
from academy.i18n import time_zone_name

bp = Blueprint("audit", __name__, template_folder="templates", url_prefix="/admin/audit")

MAX_PAGE = 100_000


def _day(name: str) -> date | None:
    try:
        return date.fromisoformat(request.args.get(name, "").strip()[:10])
    except ValueError:
        return None


def _filter_from_request() -> queries.AuditFilter:
    action = request.args.get("action", "")
    return queries.AuditFilter(
        action=action if action in {known.value for known in AuditAction} else "",
        actor=request.args.get("actor", "").strip()[:100],
        subject=request.args.get("subject", "").strip()[:100],
        date_from=_day("from"),
        date_to=_day("to"),
        zone=time_zone_name(),
    )


def _query_args(audit_filter: queries.AuditFilter) -> dict[str, str]:
    return {
        "action": audit_filter.action,
        "actor": audit_filter.actor,
        "subject": audit_filter.subject,
        "from": audit_filter.date_from.isoformat() if audit_filter.date_from else "",
        "to": audit_filter.date_to.isoformat() if audit_filter.date_to else "",
    }


@bp.route("/")
@site_admin_required
def list_events():
    audit_filter = _filter_from_request()
    # Clamped: a page number past any real log would overflow the database's OFFSET.
    page = min(max(request.args.get("page", 1, type=int) or 1, 1), MAX_PAGE)
    page_size = current_app.config["PAGE_SIZE"]
    events, total = queries.search_events(audit_filter, page, page_size)
    return render_template(
        "audit/events.html",
        events=events,
        total=total,
        page=page,
        pages=max(1, -(-total // page_size)),
        actions=list(AuditAction),
        args=_query_args(audit_filter),
    )


@bp.route("/export.csv")
@site_admin_required
def export_events():
    audit_filter = _filter_from_request()
    rows = (
        (
            event.happened_dt.isoformat(),
            event.action,
            event.actor_email,
            event.subject_type,
            event.subject_id,
            event.subject_label,
            event.organisation_id or "",
            event.ip_address,
            event.details,
        )
        for event in queries.export_events(audit_filter)
    )
    header = (
        "time_utc",
        "action",
        "actor",
        "subject_type",
        "subject_id",
        "subject",
        "organisation_id",
        "ip_address",
        "details",
    )
    return csv_response(csv_text(header, rows), "audit-log.csv")
