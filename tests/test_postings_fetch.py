"""Fetching a posting by URL against a loopback server: JSON-LD, main text, redirects, errors, limits."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fakes.posting_server import PostingServer, Route
from posting_pages import jsonld_page, login_page, plain_page

from resume_tui.documents.postings import load_posting
from resume_tui.documents.postings.fetch import fetch_page
from resume_tui.errors import InputError


@pytest.fixture
def web() -> Iterator[PostingServer]:
    with PostingServer() as srv:
        yield srv


def test_jsonld_job_page_is_read_from_its_structured_data(web: PostingServer) -> None:
    web.routes["/jobs/1"] = Route(body=jsonld_page())
    posting = load_posting(web.url("/jobs/1"))
    assert posting.title == "Senior Backend Engineer" and posting.company == "Parcelio"
    assert posting.label == "JSON-LD JobPosting" and posting.source_path == web.url("/jobs/1") and posting.fetched_at
    text = posting.text
    for expected in ("- Design REST APIs for our shipping platform", "## Qualifications",
                     "- 5+ years of experience with Python", "Terraform, Kafka", "bachelor degree",
                     "5 years of experience", "Location: Berlin, DE (remote)", "Employment type: full time"):
        assert expected in text
    assert "cookies" not in text and "Engineering blog" not in text and "Rendered by JavaScript" not in text


def test_page_without_jsonld_uses_main_text_and_ignores_chrome(web: PostingServer) -> None:
    web.routes["/jobs/2"] = Route(body=plain_page())
    posting = load_posting(web.url("/jobs/2"))
    assert posting.label == "web page" and posting.title == "Data Engineer" and posting.company == "Fjord Analytics"
    assert "## Requirements" in posting.text and "- Familiarity with dbt" in posting.text and "- Snowflake" in posting.text
    for chrome in ("All jobs", "cookies", "Sign in", "Similar jobs", "Marketing Manager", "Privacy policy"):
        assert chrome not in posting.text


def test_redirect_chain_of_five_is_followed(web: PostingServer) -> None:
    for i in range(5):
        web.routes[f"/r{i}"] = Route(status=302, headers={"Location": f"/r{i + 1}"})
    web.routes["/r5"] = Route(body=plain_page())
    posting = load_posting(web.url("/r0"))
    assert "Apache Airflow" in posting.text
    assert any("/r5" in w for w in posting.warnings)  # the user is told where the posting was read


def test_six_redirects_are_refused(web: PostingServer) -> None:
    for i in range(6):
        web.routes[f"/r{i}"] = Route(status=301, headers={"Location": f"/r{i + 1}"})
    web.routes["/r6"] = Route(body=plain_page())
    with pytest.raises(InputError, match="redirected more than 5 times"):
        load_posting(web.url("/r0"))
    assert "/r6" not in web.requests


def test_404_is_one_sentence(web: PostingServer) -> None:
    with pytest.raises(InputError, match=r"does not exist \(HTTP 404\)") as err:
        load_posting(web.url("/gone"))
    assert "\n" not in err.value.message


def test_slow_server_times_out(web: PostingServer) -> None:
    web.routes["/slow"] = Route(body=plain_page(), delay_s=5)
    with pytest.raises(InputError, match="did not answer in time"):
        fetch_page(web.url("/slow"), read_timeout_s=0.3)


def test_huge_streamed_body_stops_at_the_cap(web: PostingServer) -> None:
    web.routes["/huge"] = Route(stream_bytes=50 * 1024 * 1024)
    with pytest.raises(InputError, match="larger than 2 MB"):
        load_posting(web.url("/huge"))


def test_declared_huge_body_is_refused_before_reading(web: PostingServer) -> None:
    web.routes["/big"] = Route(body=b"<p>" + b"y" * (3 * 1024 * 1024) + b"</p>")
    with pytest.raises(InputError, match="larger than 2 MB"):
        load_posting(web.url("/big"))


@pytest.mark.parametrize("route", [Route(status=401, body="Unauthorized"), Route(status=403, body="Forbidden")])
def test_login_wall_by_status(web: PostingServer, route: Route) -> None:
    web.routes["/private"] = route
    with pytest.raises(InputError, match="asks for a login"):
        load_posting(web.url("/private"))


def test_login_wall_by_password_form(web: PostingServer) -> None:
    web.routes["/wall"] = Route(body=login_page())
    with pytest.raises(InputError, match="login form instead of the posting"):
        load_posting(web.url("/wall"))


def test_not_a_job_page(web: PostingServer) -> None:
    web.routes["/logo.png"] = Route(body=b"\x89PNG\r\n\x1a\n", content_type="image/png")
    with pytest.raises(InputError, match=r"not a job posting page \(it is image/png\)"):
        load_posting(web.url("/logo.png"))
    web.routes["/app"] = Route(body="<html><body><div id='root'></div><script>start()</script></body></html>")
    with pytest.raises(InputError, match="almost no text"):
        load_posting(web.url("/app"))


def test_offline_mode_refuses_before_any_request(web: PostingServer) -> None:
    web.routes["/jobs/1"] = Route(body=jsonld_page())
    with pytest.raises(InputError, match="Offline mode sends nothing over the network"):
        load_posting(web.url("/jobs/1"), offline=True)
    assert web.requests == []


def test_no_cookie_is_kept_between_fetches(web: PostingServer) -> None:
    web.routes["/jobs/2"] = Route(body=plain_page(), headers={"Set-Cookie": "sid=abc; Path=/"})
    load_posting(web.url("/jobs/2"))
    load_posting(web.url("/jobs/2"))
    assert web.requests == ["/jobs/2", "/jobs/2"]


def test_dead_proxy_from_the_environment_is_honoured(web: PostingServer, monkeypatch: pytest.MonkeyPatch) -> None:
    """trust_env: with a proxy set for this host, the request goes to the (dead) proxy, not the server."""
    web.routes["/jobs/2"] = Route(body=plain_page())
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:9")
    monkeypatch.setenv("NO_PROXY", "")
    with pytest.raises(InputError, match="Cannot connect|could not be fetched"):
        load_posting(web.url("/jobs/2"))
    assert web.requests == []


def test_text_json_and_pdf_links_and_unknown_charsets(web: PostingServer) -> None:
    from fpdf import FPDF
    from posting_pages import json_resume_job

    web.routes["/job.txt"] = Route(body=b"Requirements\n- Experience with Rust\n",
                                   content_type="text/plain; charset=no-such-charset")
    assert "Experience with Rust" in load_posting(web.url("/job.txt")).text
    web.routes["/job.json"] = Route(body=json_resume_job(), content_type="application/json")
    assert load_posting(web.url("/job.json")).title == "Frontend Developer"
    web.routes["/page"] = Route(body=plain_page().encode("utf-8"), content_type="text/html; charset=no-such-charset")
    assert "Apache Airflow" in load_posting(web.url("/page")).text
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=11)
    for line in ("Requirements", "- Experience with SAP S/4HANA", "- 2+ years in procurement"):
        pdf.cell(0, 8, line, new_x="LMARGIN", new_y="NEXT")
    web.routes["/job.pdf"] = Route(body=bytes(pdf.output()), content_type="application/pdf")
    posting = load_posting(web.url("/job.pdf"))
    assert posting.label == "PDF" and "SAP" in posting.text
