"""The HTTP middleware on its own, around a bare ASGI app: gzip where an
answer can be large, nothing around the JSON API's posts; security headers
and the body limit whatever the method."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.testclient import TestClient

from complaints_code.service.security import Compression, SecurityMiddleware

PAGE = b"<p>" + b"A line of the page. " * 200 + b"</p>"


def _answer(request: Request) -> Response:
    kind = request.query_params.get("kind", "text/html")
    return Response(PAGE, media_type=kind)


def _client() -> TestClient:
    app = Starlette(routes=[Route("/{path:path}", _answer, methods=["GET", "POST", "HEAD"])])
    wrapped = Compression(SecurityMiddleware(app, max_body=100), minimum_size=500)
    return TestClient(wrapped)


def test_pages_and_form_answers_are_compressed_but_not_pdfs_or_the_api_s_posts() -> None:
    client = _client()
    gzip = {"accept-encoding": "gzip"}
    page = client.get("/request-a-copy", headers=gzip)
    assert page.headers["content-encoding"] == "gzip" and page.content == PAGE
    assert client.post("/feedback", headers=gzip).headers["content-encoding"] == "gzip"
    assert client.get("/api/v1/stages", headers=gzip).headers["content-encoding"] == "gzip"
    pdf = client.get("/api/v1/staff/jobs/1/files/a.pdf?kind=application/pdf", headers=gzip)
    assert "content-encoding" not in pdf.headers and pdf.content == PAGE
    post = client.post("/api/v1/copy-requests", headers=gzip)
    assert "content-encoding" not in post.headers and "vary" not in post.headers
    assert post.headers["x-content-type-options"] == "nosniff"


def test_a_declared_body_over_the_limit_is_refused_whatever_the_method() -> None:
    client = _client()
    for method in ("GET", "POST"):
        answer = client.request(method, "/x", content=b"x" * 101)
        assert answer.status_code == 413, method
        assert answer.headers["content-security-policy"]
