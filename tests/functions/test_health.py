"""The scheduled job's dead-man switch (issue 24, « Reminder hygiene »): each completed tick is recorded in the
store; ``admin health`` says, as of an instant, whether one completed within the last two hours of office time —
and so not at night nor over a weekend or a public holiday; in production a CloudWatch alarm says the same to AAI
(tests/deploy/test_infra_health.py)."""

from __future__ import annotations

import datetime

import pytest

from support_functions import FUNCTIONS, Local
from chalicelib import admin
from chalicelib.jobs import health, schedule as jobs
from rules.dates import PARIS


def at(*args) -> int:
    return int(datetime.datetime(*args, tzinfo=PARIS).timestamp())


@pytest.fixture
def local(tmp_path, monkeypatch):
    """The local backends, and the environment ``admin`` builds the same service from."""
    backends = Local(tmp_path)
    settings = backends.settings
    for name, value in {"AAI_STORE": "sqlite", "AAI_SQLITE_PATH": settings.sqlite_path, "AAI_MAILER": "outbox",
                        "AAI_OUTBOX_DIR": settings.outbox_dir, "AAI_ROUTING": settings.routing,
                        "AAI_SECRET": settings.secret, "AAI_FORMS_ENDPOINT": settings.forms_endpoint}.items():
        monkeypatch.setenv(name, value)
    monkeypatch.chdir(FUNCTIONS)
    return backends


def admin_health(capsys, moment: str) -> tuple[int, str]:
    status = admin.main(["health", "--now", moment])
    return status, capsys.readouterr().out


def test_health_says_ok_after_a_tick_and_alarms_two_office_hours_later(local, capsys):
    status, out = admin_health(capsys, "2026-11-20T16:00")
    assert status != 0 and out.startswith("ALERTE") and "jamais" in out   # no tick ever completed
    jobs.tick(local.service, at(2026, 11, 20, 16, 30))                     # Friday 16:30, the last of the week
    for moment in ("2026-11-20T16:31", "2026-11-20T23:50", "2026-11-21T15:00", "2026-11-22T15:00",
                   "2026-11-23T09:29"):   # Friday evening, the night, Saturday, Sunday: 1 h 30 of office time
        status, out = admin_health(capsys, moment)
        assert status == 0 and out.startswith("OK :"), moment
    assert "vendredi 20 novembre 2026 à 16 h 30" in out and "1 h 59 de temps de bureau" in out
    status, out = admin_health(capsys, "2026-11-23T09:31")                # Monday: 2 h 01 of office time
    assert status == 1 and out.startswith("ALERTE :") and "les relances ne partent plus" in out
    jobs.tick(local.service, at(2026, 11, 23, 9, 45))
    assert admin_health(capsys, "2026-11-23T09:46")[0] == 0


def test_a_public_holiday_is_no_office_time(local):
    jobs.tick(local.service, at(2026, 5, 13, 17))                          # Wednesday 17:00, then Ascension
    assert health.check(local.service.store, at(2026, 5, 14, 17)).ok       # 1 h of office time (Wednesday's)
    assert health.check(local.service.store, at(2026, 5, 15, 9, 59)).ok
    late = health.check(local.service.store, at(2026, 5, 15, 10, 1))       # Friday: 2 h 01
    assert not late.ok and late.last == at(2026, 5, 13, 17) and late.silent == 2 * 3600 + 60


def test_in_the_day_two_office_hours_without_a_tick_alarm(local):
    jobs.tick(local.service, at(2026, 11, 24, 10))
    assert health.check(local.service.store, at(2026, 11, 24, 12)).ok
    assert not health.check(local.service.store, at(2026, 11, 24, 12, 1)).ok


def test_replaying_an_earlier_instant_never_moves_the_last_completion_back(local):
    jobs.tick(local.service, at(2026, 11, 24, 10))
    jobs.tick(local.service, at(2026, 11, 23, 10))                         # `admin tick --now` of yesterday
    assert health.last_completion(local.service.store, at(2026, 11, 24, 11)) == at(2026, 11, 24, 10)


def test_every_store_keeps_the_last_completion(store):
    assert health.last_completion(store, at(2026, 11, 24, 10)) is None
    health.record_completion(store, at(2026, 11, 24, 10))
    assert health.check(store, at(2026, 11, 24, 11)).ok
    assert not health.check(store, at(2026, 11, 25, 11)).ok
