"""The access-log bucket of the audience: private, encrypted, emptied of raw logs before 13 months, written by
CloudFront, readable by the functions under the prefix they read."""

import json

from chalicelib.config import Settings
from support_infra import site_template

SHORTEST_13_MONTHS = 365 + 28   # twelve months and a February: the fewest days 13 months can last


RESOURCES = site_template(keep_tags=True)["Resources"]
BUCKET = RESOURCES["AccessLogBucket"]["Properties"]


def test_the_log_bucket_is_private_encrypted_and_writable_by_cloudfront_logging():
    assert all(BUCKET["PublicAccessBlockConfiguration"].values())
    encryption = BUCKET["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]
    assert encryption["ServerSideEncryptionByDefault"]["SSEAlgorithm"] == "AES256"
    # CloudFront's standard logging needs ACLs: BucketOwnerEnforced would refuse its writes.
    assert BUCKET["OwnershipControls"]["Rules"] == [{"ObjectOwnership": "BucketOwnerPreferred"}]
    assert RESOURCES["AccessLogBucket"]["DeletionPolicy"] == "Retain"
    policy = RESOURCES["AccessLogBucketPolicy"]["Properties"]["PolicyDocument"]["Statement"]
    assert any(s["Effect"] == "Deny" and s["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
               for s in policy)


def test_raw_logs_are_deleted_before_13_months():
    rules = BUCKET["LifecycleConfiguration"]["Rules"]
    expiring = [rule for rule in rules if rule["Status"] == "Enabled" and "ExpirationInDays" in rule]
    assert expiring and all(rule["ExpirationInDays"] < SHORTEST_13_MONTHS for rule in expiring)
    assert {rule["Prefix"] for rule in expiring} == {Settings().log_prefix}


def test_the_distribution_logs_to_it_without_cookies_under_the_functions_prefix():
    logging = RESOURCES["Distribution"]["Properties"]["DistributionConfig"]["Logging"]
    assert logging["Bucket"] == {"GetAtt": "AccessLogBucket.DomainName"}
    assert logging["Prefix"] == Settings().log_prefix
    assert logging["IncludeCookies"] is False


def test_the_functions_may_read_the_logs_and_nothing_more():
    policies = RESOURCES["FunctionsRole"]["Properties"]["Policies"]
    statements = [s for p in policies for s in p["PolicyDocument"]["Statement"] if "AccessLog" in json.dumps(s)]
    actions = sorted(s["Action"] for s in statements)
    assert actions == ["s3:GetObject", "s3:ListBucket"]
    read = next(s for s in statements if s["Action"] == "s3:GetObject")
    assert read["Resource"] == {"Sub": "${AccessLogBucket.Arn}/" + Settings().log_prefix + "*"}
    listing = next(s for s in statements if s["Action"] == "s3:ListBucket")
    assert listing["Condition"] == {"StringLike": {"s3:prefix": Settings().log_prefix + "*"}}
    deploy = json.dumps(RESOURCES["DeployRole"]["Properties"]["Policies"])
    assert "AccessLogBucket" not in deploy


def test_the_functions_read_the_repository_token_and_no_other_secret():
    """« Mes informations » reads the repository token from Secrets Manager: the functions' role may read that one
    secret (the stack's parameter, the functions' AAI_GITHUB_TOKEN_SECRET by default) and nothing else of it."""
    from chalicelib.config import Settings
    from support_infra import site_template
    template = site_template(keep_tags=True)
    assert template["Parameters"]["GitHubTokenSecretName"]["Default"] == Settings().github_token_secret
    statements = [s for policy in template["Resources"]["FunctionsRole"]["Properties"]["Policies"]
                  for s in policy["PolicyDocument"]["Statement"]]
    secrets = [s for s in statements if "secretsmanager" in str(s["Action"])]
    assert len(secrets) == 1 and secrets[0]["Action"] == "secretsmanager:GetSecretValue"
    assert secrets[0]["Resource"]["Sub"].endswith(":secret:${GitHubTokenSecretName}-*")
