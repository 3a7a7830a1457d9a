"""Request ids in responses and logs, JSON log lines, the Prometheus endpoint."""

from __future__ import annotations

import json
import logging

from academy.observability.logs import (
    JSONFormatter,
    RequestIdFilter,
    current_request_id,
    request_id_context,
)


def test_every_response_carries_a_request_id_and_keeps_a_sane_one_offered(client):
    generated = client.get("/").headers["X-Request-ID"]
    assert len(generated) == 32
    assert (
        client.get("/", headers={"X-Request-ID": "edge-1234abcd"}).headers["X-Request-ID"]
        == "edge-1234abcd"
    )
    # Something that is not a token (log injection) is replaced, not echoed.
    hostile = client.get("/", headers={"X-Request-ID": 'x" level=ERROR forged'})
    assert hostile.headers["X-Request-ID"] != 'x" level=ERROR forged'
    assert len(hostile.headers["X-Request-ID"]) == 32


def test_a_json_log_line_names_the_request_or_job_it_came_from():
    record = logging.LogRecord("academy.jobs", logging.INFO, __file__, 1, "job %s done", (7,), None)
    record.market_id = 12
    with request_id_context("req-abcdef12"):
        RequestIdFilter().filter(record)
        assert current_request_id() == "req-abcdef12"
    line = json.loads(JSONFormatter().format(record))
    assert line["message"] == "job 7 done"
    assert line["request_id"] == "req-abcdef12"
    assert line["level"] == "INFO" and line["logger"] == "academy.jobs"
    assert line["market_id"] == 12
    assert current_request_id() is None


def test_metrics_show_latency_by_route_and_the_platform_gauges(client):
    client.get("/")
    body = client.get("/metrics").get_data(as_text=True)
    assert 'academy_http_requests_total{method="GET",route="/",status="200"}' in body
    assert 'academy_http_request_duration_seconds_bucket{le="0.005",method="GET",route="/"}' in body
    assert "academy_active_attempts 0.0" in body
    assert 'academy_jobs{status="pending"}' in body


def test_metrics_refuse_other_machines_unless_they_bring_the_token(app, client, monkeypatch):
    remote = {"REMOTE_ADDR": "203.0.113.9"}
    assert client.get("/metrics", environ_base=remote).status_code == 403
    monkeypatch.setitem(app.config, "METRICS_TOKEN", "scrape-secret")
    assert client.get("/metrics", environ_base=remote).status_code == 403
    allowed = client.get(
        "/metrics", environ_base=remote, headers={"Authorization": "Bearer scrape-secret"}
    )
    assert allowed.status_code == 200
    assert client.get("/metrics").status_code == 403  # the token is needed from anywhere then
