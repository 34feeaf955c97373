"""The deploy command against moto in server mode (S3 + CloudFront)."""

from deploy.__main__ import main
from deploy.headers import IMMUTABLE_CACHE, MEDIUM_CACHE, SHORT_CACHE
from deploy.sync import run_sync


def sync(s3, cloudfront, bucket, root, distribution_id, **kwargs):
    return run_sync(s3, cloudfront, bucket, root, distribution_id=distribution_id, **kwargs)


def invalidations(cloudfront, distribution_id):
    listing = cloudfront.list_invalidations(DistributionId=distribution_id)["InvalidationList"]
    result = []
    for item in listing.get("Items", []):
        inv = cloudfront.get_invalidation(DistributionId=distribution_id, Id=item["Id"])
        result.append(sorted(inv["Invalidation"]["InvalidationBatch"]["Paths"]["Items"]))
    return result


def keys(s3, bucket):
    return sorted(o["Key"] for o in s3.list_objects_v2(Bucket=bucket).get("Contents", []))


EXPECTED_HEADERS = {
    "index.html": ("text/html; charset=utf-8", SHORT_CACHE),
    "actualites/rentree/index.html": ("text/html; charset=utf-8", SHORT_CACHE),
    "theme/css/site.3f9a1c2b.css": ("text/css; charset=utf-8", IMMUTABLE_CACHE),
    "theme/js/carte.0a1b2c3d.js": ("text/javascript; charset=utf-8", IMMUTABLE_CACHE),
    "theme/fonts/marianne.1234abcd.woff2": ("font/woff2", IMMUTABLE_CACHE),
    "theme/images/logo.svg": ("image/svg+xml; charset=utf-8", MEDIUM_CACHE),
    "images/photo.png": ("image/png", MEDIUM_CACHE),
    "kit/affiche.pdf": ("application/pdf", MEDIUM_CACHE),
    "kit/kit.zip": ("application/zip", MEDIUM_CACHE),
    "feeds/all.atom.xml": ("application/xml; charset=utf-8", SHORT_CACHE),
    "data/routage.json": ("application/json; charset=utf-8", SHORT_CACHE),
    "site.webmanifest": ("application/manifest+json; charset=utf-8", SHORT_CACHE),
    "robots.txt": ("text/plain; charset=utf-8", SHORT_CACHE),
}


def test_first_deploy_uploads_everything_with_headers(s3, cloudfront, bucket, distribution_id, site):
    result = sync(s3, cloudfront, bucket, site, distribution_id)

    assert (result.uploaded, result.unchanged, result.deleted) == (14, 0, 0)
    assert len(keys(s3, bucket)) == 14
    for key, (ctype, cache) in EXPECTED_HEADERS.items():
        head = s3.head_object(Bucket=bucket, Key=key)
        assert head["ContentType"] == ctype, key
        assert head["CacheControl"] == cache, key
        assert len(head["Metadata"]["sha256"]) == 64
    body = s3.get_object(Bucket=bucket, Key="index.html")["Body"].read()
    assert body == (site / "index.html").read_bytes()
    [paths] = invalidations(cloudfront, distribution_id)
    assert "/" in paths and "/index.html" in paths
    assert "/actualites/rentree/" in paths
    assert result.invalidated == len(paths) == 14 + 3


def test_identical_second_run_uploads_and_invalidates_nothing(
    s3, cloudfront, bucket, distribution_id, site
):
    sync(s3, cloudfront, bucket, site, distribution_id)
    # Pelican rewrites every file: new mtimes, same bytes.
    for path in site.rglob("*"):
        if path.is_file():
            path.write_bytes(path.read_bytes())

    result = sync(s3, cloudfront, bucket, site, distribution_id)

    assert (result.uploaded, result.unchanged, result.deleted) == (0, 14, 0)
    assert result.invalidation_id is None and result.invalidated == 0
    assert len(invalidations(cloudfront, distribution_id)) == 1


def test_editing_one_page_uploads_and_invalidates_only_it(
    s3, cloudfront, bucket, distribution_id, site
):
    sync(s3, cloudfront, bucket, site, distribution_id)
    (site / "actualites/rentree/index.html").write_text("<!doctype html><title>Rentrée 2025</title>")

    result = sync(s3, cloudfront, bucket, site, distribution_id)

    assert (result.uploaded, result.unchanged, result.deleted) == (1, 13, 0)
    body = s3.get_object(Bucket=bucket, Key="actualites/rentree/index.html")["Body"].read()
    assert "Rentrée 2025".encode() in body
    latest = [p for p in invalidations(cloudfront, distribution_id) if len(p) == 2]
    assert latest == [["/actualites/rentree/", "/actualites/rentree/index.html"]]


def test_removed_file_is_deleted_and_invalidated(s3, cloudfront, bucket, distribution_id, site):
    sync(s3, cloudfront, bucket, site, distribution_id)
    (site / "communes/33063-bordeaux/index.html").unlink()

    result = sync(s3, cloudfront, bucket, site, distribution_id)

    assert (result.uploaded, result.unchanged, result.deleted) == (0, 13, 1)
    assert "communes/33063-bordeaux/index.html" not in keys(s3, bucket)
    assert ["/communes/33063-bordeaux/", "/communes/33063-bordeaux/index.html"] in invalidations(
        cloudfront, distribution_id
    )


def test_dry_run_changes_nothing(s3, cloudfront, bucket, distribution_id, site, write):
    sync(s3, cloudfront, bucket, site, distribution_id)
    before = {o["Key"]: o["ETag"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"]}
    write(site, "index.html", "<!doctype html><title>Nouvel accueil</title>")
    write(site, "actualites/nouvelle/index.html", "<!doctype html><title>Nouvelle</title>")
    (site / "kit/kit.zip").unlink()
    lines = []

    result = sync(s3, cloudfront, bucket, site, distribution_id, dry_run=True, report=lines.append)

    assert result.dry_run and (result.uploaded, result.deleted) == (2, 1)
    assert lines == ["+ actualites/nouvelle/index.html", "~ index.html", "- kit/kit.zip"]
    after = {o["Key"]: o["ETag"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"]}
    assert after == before
    assert len(invalidations(cloudfront, distribution_id)) == 1


def test_cli_reads_environment_and_prints_summary(
    s3, cloudfront, bucket, distribution_id, site, moto_server, monkeypatch, capsys
):
    monkeypatch.setenv("AAI_S3_BUCKET", bucket)
    monkeypatch.setenv("AAI_CLOUDFRONT_ID", distribution_id)
    monkeypatch.setenv("AWS_ENDPOINT_URL", moto_server)

    assert main([str(site), "--dry-run"]) == 0
    assert keys(s3, bucket) == []
    assert main([str(site)]) == 0
    assert main([str(site)]) == 0

    out = capsys.readouterr().out.splitlines()
    assert out[-1] == (
        "Déploiement terminé\u00a0— envoyés\u00a0: 0 · inchangés\u00a0: 14 · "
        "supprimés\u00a0: 0 · chemins invalidés\u00a0: 0"
    )
    assert any(line.startswith("Simulation\u00a0— envoyés\u00a0: 14") for line in out)


def test_cli_refuses_empty_or_missing_folder(bucket, moto_server, monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("AWS_ENDPOINT_URL", moto_server)
    (tmp_path / "vide").mkdir()

    assert main([str(tmp_path / "vide"), "--bucket", bucket]) == 1
    assert main([str(tmp_path / "absent"), "--bucket", bucket]) == 1
    assert "make publish" in capsys.readouterr().err


def test_many_changed_paths_become_one_wildcard(s3, cloudfront, bucket, distribution_id, site):
    result = sync(s3, cloudfront, bucket, site, distribution_id, max_paths=5)

    assert result.uploaded == 14 and result.invalidated == 1
    assert invalidations(cloudfront, distribution_id) == [["/*"]]
