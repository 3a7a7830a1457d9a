"""The teacher's "advance the clock" form acts once per rendering: twenty identical posts
move the market one step, not twenty."""

from __future__ import annotations

import re

from tests.labs.test_labs_teacher_access import build_market
from tests.labs.test_labs_teacher_pages import read_market, school  # noqa: F401


def test_identical_advance_posts_move_the_clock_once(app, school, no_csrf):  # noqa: F811
    market = build_market(app, school["class"], school["teacher"], bot_count=0)
    client = school["client"]
    base = f"/sandbox/teach/markets/{market.id}"
    page = client.get(base).get_data(as_text=True)
    key = re.search(r'name="once_key" type="hidden" value="([^"]+)"', page).group(1)
    for _ in range(20):
        response = client.post(base + "/advance", data={"days": "1", "once_key": key})
        assert response.status_code == 302
    assert read_market(app, market.id).sim_day == 1
    page = client.get(base).get_data(as_text=True)
    assert "This form was already sent; here is what it made." in page
    fresh = re.search(r'name="once_key" type="hidden" value="([^"]+)"', page).group(1)
    client.post(base + "/advance", data={"days": "1", "once_key": fresh})
    assert read_market(app, market.id).sim_day == 2
