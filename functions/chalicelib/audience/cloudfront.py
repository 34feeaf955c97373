"""The CloudFront standard access log format, defined once: the writer of `make run`'s local log and the
streaming parser of the monthly job both live here, so the two can never drift apart.

A log file is UTF-8 text, one request per line, fields separated by tabs, ``-`` for an empty value, after two
header lines (``#Version: 1.0`` and ``#Fields: …``). Dates and times are UTC. CloudFront percent-encodes the
referrer and the user agent (spaces become ``%20``); the parser decodes them once, the writer encodes them the
same way. Files are named ``<distribution>.<YYYY-MM-DD-HH>.<unique id>.gz`` (the hour, UTC, when the requests
occurred); the local log uses the same shape with ``.log`` (plain text, readable while it grows).
"""

from __future__ import annotations

import calendar
import datetime
import logging
import re
import threading
import urllib.parse
from functools import lru_cache
from operator import itemgetter
from pathlib import Path
from typing import Callable, Iterable, Iterator, NamedTuple, Protocol

logger = logging.getLogger(__name__)

VERSION = "1.0"
FIELDS = (
    "date", "time", "x-edge-location", "sc-bytes", "c-ip", "cs-method", "cs(Host)", "cs-uri-stem", "sc-status",
    "cs(Referer)", "cs(User-Agent)", "cs-uri-query", "cs(Cookie)", "x-edge-result-type", "x-edge-request-id",
    "x-host-header", "cs-protocol", "cs-bytes", "time-taken", "x-forwarded-for", "ssl-protocol", "ssl-cipher",
    "x-edge-response-result-type", "cs-protocol-version", "fle-status", "fle-encrypted-fields", "c-port",
    "time-to-first-byte", "x-edge-detailed-result-type", "sc-content-type", "sc-content-len", "sc-range-start",
    "sc-range-end",
)
HEADER = f"#Version: {VERSION}\n#Fields: {' '.join(FIELDS)}\n"
EMPTY = "-"

# <prefix><distribution>.<YYYY-MM-DD-HH>.<unique id>.gz — or .log for the local server's plain files.
FILE_NAME = re.compile(r"(?:^|/)(?P<source>[A-Za-z0-9_-]+)\.(?P<hour>\d{4}-\d{2}-\d{2}-\d{2})"
                       r"\.(?P<unique>[A-Za-z0-9_-]+)\.(?P<ext>gz|log)$")

# Characters left as they are when encoding a value; everything else (space, tab, %, non-ASCII...) is %XX.
_SAFE = "!#$&'()*+,/:;=?@[]~"


class LogRecord(NamedTuple):
    """One request, with the fields the audience figures read (the others are written as ``-``).
    A named tuple: a busy month makes a million of them, and tuples are the cheapest to build."""

    time: float                 # epoch seconds, UTC
    client_ip: str
    method: str
    path: str                   # cs-uri-stem, decoded
    status: int
    query: str = ""             # cs-uri-query, still encoded (parse it with urllib.parse.parse_qs)
    referrer: str = ""
    user_agent: str = ""
    host: str = ""              # cs(Host): the distribution's own domain name
    host_header: str = ""       # x-host-header: the name the visitor typed (www.… once the domain is set)
    protocol: str = "https"
    bytes_sent: int | None = None
    content_type: str = ""
    edge_location: str = ""


def _encode(value: str) -> str:
    return urllib.parse.quote(value, safe=_SAFE) if value else EMPTY


def _decode(value: str) -> str:
    return "" if value == EMPTY else urllib.parse.unquote(value)


# A month repeats the same few thousand user agents and referrers a million times: decode each once.
_decode_repeated = lru_cache(maxsize=65536)(_decode)


def format_record(record: LogRecord) -> str:
    """The record as one log line (without the newline)."""
    moment = datetime.datetime.fromtimestamp(record.time, datetime.timezone.utc)
    values = dict.fromkeys(FIELDS, EMPTY)
    values.update({
        "date": f"{moment:%Y-%m-%d}", "time": f"{moment:%H:%M:%S}",
        "x-edge-location": record.edge_location or EMPTY,
        "sc-bytes": EMPTY if record.bytes_sent is None else str(record.bytes_sent),
        "c-ip": record.client_ip or EMPTY, "cs-method": record.method or EMPTY,
        "cs(Host)": _encode(record.host), "cs-uri-stem": _encode(record.path) if record.path else "/",
        "sc-status": str(record.status), "cs(Referer)": _encode(record.referrer),
        "cs(User-Agent)": _encode(record.user_agent), "cs-uri-query": record.query or EMPTY,
        "x-host-header": _encode(record.host_header), "cs-protocol": record.protocol or EMPTY,
        "sc-content-type": _encode(record.content_type),
    })
    return "\t".join(values[name] for name in FIELDS)


class LogParser:
    """Turns log lines into records, one at a time: a month is never held in memory.

    Follows the ``#Fields:`` header of each file (CloudFront has added fields over the years); lines that do not
    fit are skipped and counted in ``malformed``, never fatal: one damaged line must not cost the month's figures.
    """

    _WANTED = ("date", "time", "c-ip", "cs-method", "cs-uri-stem", "sc-status", "cs-uri-query", "cs(Referer)",
               "cs(User-Agent)", "cs(Host)", "x-host-header", "cs-protocol", "sc-bytes", "sc-content-type",
               "x-edge-location")

    def __init__(self) -> None:
        self.malformed = 0
        self.lines = 0
        self._use(FIELDS)
        self._midnights: dict[str, int] = {}

    def _use(self, fields: tuple[str, ...] | list[str]) -> None:
        missing = [name for name in self._WANTED[:6] if name not in fields]
        if missing:
            raise ValueError(f"not a CloudFront access log: fields {', '.join(missing)} are missing")
        self._width = len(fields)
        self._index = tuple(fields.index(name) if name in fields else None for name in self._WANTED)
        # A field this file lacks reads the "-" appended at the end of every line (index -1).
        self._fields = itemgetter(*(-1 if i is None else i for i in self._index))
        self._filter = itemgetter(self._index[3], self._index[4], self._index[5])

    def _epoch(self, date: str, clock: str) -> int:
        midnight = self._midnights.get(date)
        if midnight is None:
            year, month, day = (int(part) for part in date.split("-"))
            midnight = self._midnights[date] = calendar.timegm((year, month, day, 0, 0, 0))
        hours, minutes, seconds = clock.split(":")
        return midnight + int(hours) * 3600 + int(minutes) * 60 + int(seconds)

    def records(self, lines: Iterable[str], wanted: Callable[[str, str, int], bool] | None = None
                ) -> Iterator[LogRecord]:
        """Records of the lines; ``wanted(method, path, status)``, given the raw fields, skips the other lines
        before anything is decoded (most lines of a month are files a page needs: they cost a split only)."""
        for line in lines:
            self.lines += 1
            if line.startswith("#"):
                if line.startswith("#Fields:"):
                    self._use(line[len("#Fields:"):].split())
                continue
            line = line.rstrip("\r\n")
            if not line:
                continue
            values = line.split("\t")
            if len(values) < self._width:
                self.malformed += 1
                continue
            if wanted is not None:
                method, stem, status = self._filter(values)
                if not wanted(method, stem, int(status) if status.isdigit() else 0):
                    continue
            values.append(EMPTY)
            try:
                yield self._record(values)
            except (ValueError, IndexError):
                self.malformed += 1

    def _record(self, values: list[str]) -> LogRecord:
        (date, clock, ip, method, stem, status, query, referrer, agent, host, host_header, protocol, size,
         content_type, edge) = self._fields(values)
        return LogRecord(
            self._epoch(date, clock), ip, method, urllib.parse.unquote(stem), int(status),
            "" if query == EMPTY else query, _decode_repeated(referrer), _decode_repeated(agent),
            _decode_repeated(host), _decode_repeated(host_header), "" if protocol == EMPTY else protocol,
            None if size == EMPTY else int(size), _decode_repeated(content_type), "" if edge == EMPTY else edge)


def parse_lines(lines: Iterable[str]) -> Iterator[LogRecord]:
    """Records of these lines (see LogParser for the counts of what was skipped)."""
    return LogParser().records(lines)


def log_file_name(source: str, epoch: float, unique: str, ext: str = "gz") -> str:
    """``E2ABC.2026-11-23-14.a1b2c3.gz``: the hour (UTC) of the requests the file holds."""
    moment = datetime.datetime.fromtimestamp(epoch, datetime.timezone.utc)
    return f"{source}.{moment:%Y-%m-%d-%H}.{unique}.{ext}"


def file_hour(name: str) -> int | None:
    """Epoch of the hour a log file's name carries, or None for a name that is not a log file's."""
    match = FILE_NAME.search(name)
    if not match:
        return None
    year, month, day, hour = (int(part) for part in match["hour"].split("-"))
    return calendar.timegm((year, month, day, hour, 0, 0))


class _Server(Protocol):
    server_address: tuple[str, int]


class HttpHandler(Protocol):
    """What ``LocalAccessLog.log_request`` reads of an http.server handler (an IPv4 or IPv6 server: addresses
    are (host, port, …) tuples); its path, command and headers are read with getattr, as a broken request may
    have none."""

    client_address: tuple[str, int]
    server: _Server


class LocalAccessLog:
    """The local server's access log, in CloudFront's format: one plain file per hour under ``directory``
    (``local.2026-11-23-14.serve.log``), so the monthly job reads `make run`'s traffic like production's."""

    SOURCE, UNIQUE = "local", "serve"

    def __init__(self, directory: Path | str):
        self.directory = Path(directory)
        self._lock = threading.Lock()

    def write(self, record: LogRecord) -> Path:
        path = self.directory / log_file_name(self.SOURCE, record.time, self.UNIQUE, "log")
        line = format_record(record) + "\n"
        with self._lock:
            self.directory.mkdir(parents=True, exist_ok=True)
            with path.open("a", encoding="utf-8") as out:
                if out.tell() == 0:
                    out.write(HEADER)
                out.write(line)
        return path

    def log_request(self, handler: HttpHandler, status: int | str, size: int | str, now: float) -> None:
        """For http.server handlers: called from their ``log_request`` with the clock's reading. A request too
        broken to have a path or headers is still logged, with what it has."""
        raw = getattr(handler, "path", "") or "/"
        path, _, query = raw.partition("?")
        headers = getattr(handler, "headers", None) or {}
        self.write(LogRecord(
            time=now, client_ip=handler.client_address[0], method=getattr(handler, "command", "") or "",
            path=urllib.parse.unquote(path) or "/", status=_number(status) or 0,
            query=urllib.parse.quote(query, safe=_SAFE + "%"), referrer=headers.get("Referer", ""),
            user_agent=headers.get("User-Agent", ""), host=handler.server.server_address[0],
            host_header=headers.get("Host", ""), protocol="http", bytes_sent=_number(size), edge_location="LOCAL",
        ))


def _number(value: int | str) -> int | None:
    """http.server passes an HTTPStatus, an int or the string "-"."""
    return int(value) if isinstance(value, int) or str(value).isdigit() else None
