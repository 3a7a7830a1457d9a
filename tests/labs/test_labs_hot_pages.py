"""The firm dashboard and a market command run a fixed number of SQL statements.

The market grows (more sim-days, so more events and snapshots) between two
measurements; the count must not move, and stays at or under the pinned figure.
"""

from __future__ import annotations

import re

from academy.auth.models import Role
from academy.db import db
from academy.labs import markets
from academy.labs.models import SandboxMarket
from tests.conftest import login_as

#: Statements per request (the session's user is loaded by one of them, and one checks that
#: the server-side session is still open: see academy/auth/sessions.py; pages with the
#: header count the notification bell's unread messages in one more).
FIRM_DASHBOARD = 7
MARKET_COMMAND = 11


def test_firm_dashboard_and_a_command(
    app, act, client, create_user, make_market, add_student_firm, count_queries, no_csrf
):
    student = create_user(roles=[Role.STUDENT])
    market = make_market(buyers=60)
    add_student_firm(market, user=student, products=("P01", "P05", "P18"))
    login_as(client, student)
    dashboard = f"/sandbox/markets/{market.id}/firm"

    def advance(days: int) -> None:
        act(lambda: markets.advance_market(db.session.get(SandboxMarket, market.id), days))

    def measure() -> tuple[list[str], list[str]]:
        page = client.get(dashboard).get_data(as_text=True)
        with count_queries() as page_queries:
            page = client.get(dashboard).get_data(as_text=True)
        action = re.search(r'action="([^"]*/insure)"', page)
        assert action, "a buyer to insure on the dashboard"
        with count_queries() as command_queries:
            response = client.post(action.group(1), data={"firm_id": "F001"})
        assert response.status_code in (302, 409, 422)
        return page_queries, command_queries

    advance(4)
    page_before, command_before = measure()
    advance(12)
    page_after, command_after = measure()
    assert len(page_after) == len(page_before), page_after
    assert len(command_after) == len(command_before), command_after
    assert len(page_after) <= FIRM_DASHBOARD and len(command_after) <= MARKET_COMMAND
