"""Fixtures for the form functions: the Chalice app served over real HTTP, local backends in tmp folders,
moto in server mode (SES v2, DynamoDB) and an aiosmtpd server."""

from __future__ import annotations


import pytest
from support_chalice import served
from support_functions import TABLE, Client, Local, aws_settings, functions_app


@pytest.fixture(scope="session")
def client() -> Client:
    with served(functions_app) as origin:
        yield Client(int(origin.rsplit(":", 1)[1]))


@pytest.fixture
def local(tmp_path):
    backends = Local(tmp_path)
    functions_app.set_service(backends.service)
    yield backends
    functions_app.set_service(None)


@pytest.fixture(scope="session")
def moto_endpoint():
    """moto in server mode on a free port: SES v2 and DynamoDB over real HTTP."""
    from scripts.benchmarking import moto_endpoint as moto_server
    with moto_server() as endpoint:
        yield endpoint


@pytest.fixture
def aws_env(moto_endpoint, monkeypatch):
    """Points boto3 at moto through the standard AWS_ENDPOINT_URL variable, with a fresh moto state."""
    import urllib.request
    urllib.request.urlopen(urllib.request.Request(f"{moto_endpoint}/moto-api/reset", method="POST")).read()
    for name, value in {"AWS_ENDPOINT_URL": moto_endpoint, "AWS_ACCESS_KEY_ID": "testing",
                        "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": "eu-west-3",
                        "AWS_CONFIG_FILE": "/nonexistent", "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent"}.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    return moto_endpoint


@pytest.fixture
def aws(aws_env):
    """The production backends on moto: a verified SES identity, the table, the service built from the
    environment as on Lambda and served by the app."""
    import boto3
    from chalicelib.service import FormService
    from chalicelib.store import DynamoStore
    boto3.client("sesv2").create_email_identity(EmailIdentity="ai-aquitaine.example.org")
    DynamoStore.create_table(boto3.resource("dynamodb"), TABLE)
    service = FormService.from_settings(aws_settings())
    functions_app.set_service(service)
    yield service
    functions_app.set_service(None)


@pytest.fixture(params=["sqlite", "dynamodb", "memory"])
def store(request, tmp_path):
    """Each store, for the contract all three keep (chalicelib.store.base.Store; tests/functions/test_store.py)."""
    from chalicelib.store import DynamoStore, MemoryStore, SqliteStore
    if request.param == "memory":
        return MemoryStore()
    if request.param == "sqlite":
        return SqliteStore(str(tmp_path / "s.sqlite3"))
    import boto3
    request.getfixturevalue("aws_env")
    DynamoStore.create_table(boto3.resource("dynamodb"), TABLE)
    return DynamoStore(TABLE)


@pytest.fixture
def smtp_server():
    """An aiosmtpd server on a free port that keeps what it receives (and refuses its ``dead`` mailboxes)."""
    from aiosmtpd.controller import Controller
    from support_functions import SmtpSink, free_port
    sink = SmtpSink()
    controller = Controller(sink, hostname="127.0.0.1", port=free_port())
    controller.start()
    sink.port = controller.port
    yield sink
    controller.stop()
