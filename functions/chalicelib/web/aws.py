"""The one place the functions build their AWS clients: every call gives up in time.

botocore's defaults wait 60 s to connect and 60 s for an answer, and try a call up to 3 times (legacy mode): a
stalled endpoint held an SES send for 180 s, far past the 20 s the web functions have (.chalice/config.json).
API Gateway would then answer its own English 5xx, and the visitor's resend would make a duplicate. Here a call
waits at most CONNECT_SECONDS + READ_SECONDS per attempt, ATTEMPTS times, plus the standard mode's short backoff
between them: a stalled service fails the call well inside the function's time, the request stays stored and
due, and the next tick sends it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal, overload

if TYPE_CHECKING:
    from botocore.client import BaseClient
    from botocore.config import Config
    from mypy_boto3_dynamodb import DynamoDBServiceResource
    from mypy_boto3_s3 import S3Client
    from mypy_boto3_secretsmanager import SecretsManagerClient
    from mypy_boto3_sesv2 import SESV2Client
    from mypy_boto3_sns import SNSClient

_Service = Literal["s3", "secretsmanager", "sesv2", "sns"]

CONNECT_SECONDS = 2
READ_SECONDS = 4          # SES, DynamoDB and S3 answer in tens of milliseconds when they are well
ATTEMPTS = 2              # the first try and one retry (botocore's « standard » mode: total attempts)
BACKOFF_SECONDS = 1       # the standard mode's longest wait before the first retry (random, up to 1 s)


def worst_case_seconds() -> float:
    """The longest one call can take against a service that accepts connections and never answers."""
    return ATTEMPTS * (CONNECT_SECONDS + READ_SECONDS) + (ATTEMPTS - 1) * BACKOFF_SECONDS


def config() -> Config:
    from botocore.config import Config
    return Config(connect_timeout=CONNECT_SECONDS, read_timeout=READ_SECONDS,
                  retries={"mode": "standard", "total_max_attempts": ATTEMPTS})


# One overload per service the functions call, so that each caller gets its service's typed client.
@overload
def client(service: Literal["s3"], *, endpoint_url: str | None = None) -> S3Client: ...
@overload
def client(service: Literal["secretsmanager"], *, endpoint_url: str | None = None) -> SecretsManagerClient: ...
@overload
def client(service: Literal["sesv2"], *, endpoint_url: str | None = None) -> SESV2Client: ...
@overload
def client(service: Literal["sns"], *, endpoint_url: str | None = None) -> SNSClient: ...
def client(service: _Service, *, endpoint_url: str | None = None) -> BaseClient:
    """``boto3.client(service)`` with the timeouts and retries above (``endpoint_url``: a local stand-in)."""
    import boto3  # imported here: local runs never pay for it
    made: BaseClient = boto3.client(service, config=config(), endpoint_url=endpoint_url)
    return made


def resource(service: Literal["dynamodb"]) -> DynamoDBServiceResource:
    import boto3
    return boto3.resource(service, config=config())
