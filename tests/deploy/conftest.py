"""Fixtures for the deploy tests: a real S3/CloudFront protocol endpoint (moto server).

Kept local to tests/deploy so it never clashes with the forms tests' own moto fixture.
"""

import boto3
import pytest

from scripts.benchmarking import moto_endpoint

REGION = "eu-west-3"


@pytest.fixture(scope="session")
def moto_server():
    """Start moto in server mode on a free local port; yield its endpoint URL."""
    with moto_endpoint() as endpoint:
        yield endpoint


@pytest.fixture
def aws_env(monkeypatch):
    """Fake credentials so boto3 never looks for real ones."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_SESSION_TOKEN", "testing")
    monkeypatch.setenv("AWS_REGION", REGION)
    monkeypatch.delenv("AWS_PROFILE", raising=False)


@pytest.fixture
def s3(moto_server, aws_env):
    return boto3.client("s3", region_name=REGION, endpoint_url=moto_server)


@pytest.fixture
def cloudfront(moto_server, aws_env):
    return boto3.client("cloudfront", region_name=REGION, endpoint_url=moto_server)


@pytest.fixture
def bucket(s3, request):
    """A fresh, empty bucket per test (moto state is shared by the session server)."""
    name = "aai-site-" + request.node.name.lower().replace("_", "-")[:40].strip("-")
    s3.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION})
    return name


@pytest.fixture
def distribution_id(cloudfront, bucket):
    response = cloudfront.create_distribution(
        DistributionConfig={
            "CallerReference": bucket,
            "Comment": "test",
            "Enabled": True,
            "Origins": {
                "Quantity": 1,
                "Items": [{
                    "Id": "site",
                    "DomainName": f"{bucket}.s3.{REGION}.amazonaws.com",
                    "S3OriginConfig": {"OriginAccessIdentity": ""},
                }],
            },
            "DefaultCacheBehavior": {
                "TargetOriginId": "site",
                "ViewerProtocolPolicy": "redirect-to-https",
                "MinTTL": 0,
                "ForwardedValues": {"QueryString": False, "Cookies": {"Forward": "none"}},
                "TrustedSigners": {"Enabled": False, "Quantity": 0},
            },
        }
    )
    return response["Distribution"]["Id"]


def _write(root, rel, content):
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


@pytest.fixture
def site(tmp_path):
    """A small synthetic Pelican-like output tree."""
    root = tmp_path / "output"
    files = {
        "index.html": "<!doctype html><title>Accueil</title>",
        "actualites/rentree/index.html": "<!doctype html><title>Rentrée</title>",
        "communes/33063-bordeaux/index.html": "<!doctype html><title>Bordeaux</title>",
        "theme/css/site.3f9a1c2b.css": "body{color:#222}",
        "theme/js/carte.0a1b2c3d.js": "console.log(1)",
        "theme/fonts/marianne.1234abcd.woff2": b"wOF2\x00\x01",
        "theme/images/logo.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>",
        "images/photo.png": b"\x89PNG\r\n\x1a\n",
        "kit/affiche.pdf": b"%PDF-1.7\n",
        "kit/kit.zip": b"PK\x03\x04",
        "feeds/all.atom.xml": "<?xml version='1.0'?><feed/>",
        "data/routage.json": "{}",
        "site.webmanifest": "{}",
        "robots.txt": "User-agent: *\n",
    }
    for rel, content in files.items():
        _write(root, rel, content)
    return root


@pytest.fixture
def write():
    return _write
