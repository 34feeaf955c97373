"""The log format, once: what the local writer writes, the parser reads back, and real CloudFront lines parse."""

from __future__ import annotations

import calendar

import pytest

from chalicelib.audience.cloudfront import (FIELDS, HEADER, LocalAccessLog, LogParser, LogRecord, file_hour,
                                            format_record, log_file_name, parse_lines)

# A line as CloudFront writes it (shape of the AWS documentation's example, 33 fields).
REAL_LINE = ("2026-11-23\t01:42:39\tCDG50-P1\t2390282\t192.0.2.202\tGET\td111111abcdef8.cloudfront.net"
             "\t/commune/33063-bordeaux/\t200\thttps://www.qwant.com/\tMozilla/5.0%20(X11;%20Linux%20x86_64;"
             "%20rv:128.0)%20Gecko/20100101%20Firefox/128.0\t-\t-\tHit\tSOX4xwn4XV6Q4rgb7XiVGOHms_BGlTAC4KyHmureZmBNrj"
             "Gdx8Ry9w==\twww.ai-aquitaine.example.org\thttps\t197\t0.001\t-\tTLSv1.3\tTLS_AES_128_GCM_SHA256\tHit"
             "\tHTTP/2.0\t-\t-\t11040\t0.001\tHit\ttext/html\t78\t-\t-")


def record(**changes) -> LogRecord:
    values = dict(time=calendar.timegm((2026, 11, 23, 14, 5, 9)), client_ip="2001:db8::7", method="GET",
                  path="/commune/33063-bordeaux/", status=200, query="ref=AI-20261123-7K3F9Q&type=demande",
                  referrer="https://www.google.fr/search?q=aide%20m%C3%A9nage", user_agent="Mozilla/5.0 (X11)",
                  host="d1.cloudfront.net", host_header="www.ai-aquitaine.example.org", bytes_sent=512,
                  content_type="text/html; charset=utf-8", edge_location="CDG50-P1")
    values.update(changes)
    return LogRecord(**values)


def test_the_header_names_cloudfronts_33_fields():
    assert len(FIELDS) == 33
    assert HEADER == "#Version: 1.0\n#Fields: " + " ".join(FIELDS) + "\n"


def test_a_real_cloudfront_line_parses():
    [parsed] = parse_lines([HEADER, REAL_LINE])
    assert parsed.time == calendar.timegm((2026, 11, 23, 1, 42, 39))
    assert (parsed.client_ip, parsed.method, parsed.path, parsed.status) == (
        "192.0.2.202", "GET", "/commune/33063-bordeaux/", 200)
    assert parsed.referrer == "https://www.qwant.com/"
    assert parsed.user_agent == "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
    assert parsed.host_header == "www.ai-aquitaine.example.org"
    assert parsed.query == "" and parsed.bytes_sent == 2390282 and parsed.content_type == "text/html"


@pytest.mark.parametrize("changes", [
    {},
    {"user_agent": "Agent\twith a tab, 100% sure; « guillemets » & 'quotes'", "referrer": ""},
    {"path": "/café au lait/", "query": "", "user_agent": "", "bytes_sent": None, "host_header": ""},
    {"referrer": "https://example.org/a b\nc", "content_type": ""},
])
def test_what_the_writer_writes_the_parser_reads_back(changes):
    original = record(**changes)
    line = format_record(original)
    assert "\n" not in line and line.count("\t") == len(FIELDS) - 1
    [parsed] = parse_lines([line])
    assert parsed == original


def test_the_fields_header_of_each_file_is_followed():
    """CloudFront has added fields over the years: the parser reads columns by name, not by position."""
    old = "#Fields: date time c-ip cs-method cs-uri-stem sc-status cs(User-Agent)\n"
    line = "2026-11-02\t08:00:00\t192.0.2.1\tGET\t/carte/\t304\tMozilla/5.0%20(iPhone)\n"
    [parsed] = parse_lines([old, line])
    assert (parsed.path, parsed.status, parsed.user_agent, parsed.referrer) == (
        "/carte/", 304, "Mozilla/5.0 (iPhone)", "")


def test_a_file_that_is_not_an_access_log_is_refused_by_name():
    with pytest.raises(ValueError, match="cs-uri-stem"):
        list(parse_lines(["#Fields: date time c-ip\n"]))


def test_damaged_lines_are_counted_and_skipped_never_fatal():
    good = format_record(record())
    parser = LogParser()
    lines = [HEADER, good, "truncated\tline\n", good.replace("\t200\t", "\tOK\t"), "\n",
             good.replace("2026-11-23", "2026-13-45"), good]
    parsed = list(parser.records(lines))
    assert len(parsed) == 2
    assert parser.malformed == 3


def test_file_names_carry_the_hour_of_their_requests():
    moment = calendar.timegm((2026, 11, 23, 14, 59, 59))
    name = log_file_name("E2ABCDEF", moment, "a1b2c3d4")
    assert name == "E2ABCDEF.2026-11-23-14.a1b2c3d4.gz"
    assert file_hour("cloudfront/" + name) == calendar.timegm((2026, 11, 23, 14, 0, 0))
    assert file_hour("local.2026-11-23-14.serve.log") == calendar.timegm((2026, 11, 23, 14, 0, 0))
    assert file_hour("cloudfront/readme.txt") is None


def test_the_local_log_writes_one_file_per_hour_each_with_its_header(tmp_path):
    log = LocalAccessLog(tmp_path / "access-logs")
    first = record(time=calendar.timegm((2026, 11, 23, 14, 0, 1)))
    second = record(time=calendar.timegm((2026, 11, 23, 14, 59, 59)), path="/carte/")
    third = record(time=calendar.timegm((2026, 11, 23, 15, 0, 0)), path="/trouver/")
    for item in (first, second, third):
        log.write(item)
    files = sorted((tmp_path / "access-logs").iterdir())
    assert [f.name for f in files] == ["local.2026-11-23-14.serve.log", "local.2026-11-23-15.serve.log"]
    text = files[0].read_text(encoding="utf-8")
    assert text.startswith(HEADER) and text.count("#Version") == 1
    assert list(parse_lines(text.splitlines(keepends=True))) == [first, second]
    assert list(parse_lines(files[1].read_text(encoding="utf-8").splitlines())) == [third]
