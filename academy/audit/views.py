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


def filter_from_request(organisation_id: int | None = None) -> queries.AuditFilter:
    """The filter the page's query string asks for (unknown actions and bad dates ignored)."""
    action = request.args.get("action", "")
    return queries.AuditFilter(
        organisation_id=organisation_id,
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


def render_events(audit_filter: queries.AuditFilter, **context):
    """The log page for ``audit_filter``; ``context`` names its endpoints and heading."""
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
        link_args={**context["endpoint_args"], **_query_args(audit_filter)},
        **context,
    )


def export_response(audit_filter: queries.AuditFilter, filename: str):
    """The CSV download of every row ``audit_filter`` selects, through the formula guard."""
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
    return csv_response(csv_text(header, rows), filename)


@bp.route("/")
@site_admin_required
def list_events():
    return render_events(
        filter_from_request(),
        list_endpoint="audit.list_events",
        export_endpoint="audit.export_events",
        endpoint_args={},
        organisation=None,
    )


@bp.route("/export.csv")
@site_admin_required
def export_events():
    return export_response(filter_from_request(), "audit-log.csv")
