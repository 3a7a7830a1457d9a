"""HTTP caching: fingerprinted static files, private pages, ETags, compression."""

from __future__ import annotations

import gzip
import re

from tests.conftest import login_as


def test_static_files_are_fingerprinted_and_kept_for_a_year(client):
    page = client.get("/login").get_data(as_text=True)
    match = re.search(r'href="(/static/css/academy\.css\?v=([0-9a-f]{12}))"', page)
    assert match, "the stylesheet link carries its content hash"
    with client.get(match.group(1)) as response:
        assert response.status_code == 200
        assert "immutable" in response.headers["Cache-Control"]
        assert "max-age=31536000" in response.headers["Cache-Control"]
    with client.get("/static/css/academy.css?v=000000000000") as stale:
        assert "immutable" not in stale.headers.get("Cache-Control", "")


def test_pages_are_private(client, create_user):
    login_as(client, create_user())
    response = client.get("/learning")
    assert response.status_code == 200
    cache_control = response.headers["Cache-Control"]
    assert "private" in cache_control and "no-cache" in cache_control
    assert "ETag" not in response.headers  # its forms' CSRF tokens change every second


def test_an_unchanged_answer_is_revalidated_with_its_etag(client):
    response = client.get("/healthz")
    etag = response.headers["ETag"]
    assert client.get("/healthz", headers={"If-None-Match": etag}).status_code == 304
    assert client.get("/healthz", headers={"If-None-Match": '"other"'}).status_code == 200


def test_html_is_compressed_for_browsers_that_accept_it(client):
    response = client.get("/courses", headers={"Accept-Encoding": "gzip"})
    assert response.headers.get("Content-Encoding") == "gzip"
    assert b"<html" in gzip.decompress(response.get_data())
    assert "Accept-Encoding" in response.headers.get("Vary", "")


def test_posts_get_no_etag(client):
    response = client.post("/login", data={})
    assert "ETag" not in response.headers


def test_a_static_file_is_served_whole_and_its_file_closed(client):
    # Compressing a streamed file once left the file open (a ResourceWarning, an error
    # under the suite's warning filter, in every browser test).
    with client.get("/static/css/academy.css", headers={"Accept-Encoding": "gzip"}) as response:
        assert response.status_code == 200
        assert "Content-Encoding" not in response.headers
        assert b"{" in response.get_data()
