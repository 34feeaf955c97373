"""Pull-request previews: under apercu/pr-<n>/ of the same bucket, marked, forms disabled, removed at
the end; the production deploy never touches them. Against moto in server mode, like the deploy."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from deploy.preview import comment, main, preview_label, publish, remove
from deploy.sync import DeployError, run_sync
from preview import mark_page
from support_infra import site_template

ROOT = Path(__file__).resolve().parents[2]
PUBLIC = "https://www.ai-aquitaine.example.org"


def keys(s3, bucket):
    return sorted(o["Key"] for o in s3.list_objects_v2(Bucket=bucket).get("Contents", []))


def test_preview_lives_under_its_prefix_and_leaves_the_site_alone(s3, cloudfront, bucket, distribution_id, site):
    run_sync(s3, cloudfront, bucket, site, distribution_id=distribution_id)
    production = keys(s3, bucket)

    first = publish(s3, bucket, site, 12)
    assert first.uploaded == len(production)
    previews = [k for k in keys(s3, bucket) if k.startswith("apercu/")]
    assert previews == sorted(f"apercu/pr-12/{k}" for k in production)
    head = s3.head_object(Bucket=bucket, Key="apercu/pr-12/index.html")
    assert head["ContentType"] == "text/html; charset=utf-8"

    (site / "index.html").write_text("<!doctype html><title>Accueil modifié</title>")
    (site / "robots.txt").unlink()
    second = publish(s3, bucket, site, 12)
    assert (second.uploaded, second.deleted) == (1, 1)
    assert "robots.txt" in keys(s3, bucket)  # the public site's copy is still there

    publish(s3, bucket, site, 13)
    assert remove(s3, bucket, 12) == len(production) - 1
    remaining = keys(s3, bucket)
    assert not [k for k in remaining if k.startswith("apercu/pr-12/")]
    assert [k for k in remaining if k.startswith("apercu/pr-13/")]
    assert [k for k in remaining if not k.startswith("apercu/")] == production


def test_production_deploy_never_deletes_previews(s3, cloudfront, bucket, distribution_id, site):
    publish(s3, bucket, site, 7)
    result = run_sync(s3, cloudfront, bucket, site, distribution_id=distribution_id)
    assert result.deleted == 0
    (site / "robots.txt").unlink()
    assert run_sync(s3, cloudfront, bucket, site, distribution_id=distribution_id).deleted == 1
    assert "apercu/pr-7/robots.txt" in keys(s3, bucket)


def test_a_build_may_not_write_in_the_previews_folder(s3, bucket, site, write):
    write(site, "apercu/index.html", "<!doctype html>")
    with pytest.raises(DeployError, match="réservé aux aperçus"):
        run_sync(s3, None, bucket, site)


def test_cli_publishes_prints_the_address_and_writes_the_comment(
        s3, bucket, site, moto_server, monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("AAI_S3_BUCKET", bucket)
    monkeypatch.setenv("AAI_SITEURL", PUBLIC)
    monkeypatch.setenv("AWS_ENDPOINT_URL", moto_server)
    outputs = tmp_path / "github_output"
    monkeypatch.setenv("GITHUB_OUTPUT", str(outputs))
    note = tmp_path / "comment.md"

    assert main(["publish", str(site), "--pr", "42", "--comment", str(note), "--commit", "0123456789abcdef"]) == 0
    url = f"{PUBLIC}/apercu/pr-42/"
    assert f"Aperçu publié\u00a0: {url}" in capsys.readouterr().out
    assert outputs.read_text() == f"url={url}\n"
    assert note.read_text("utf-8") == comment(url, "0123456789abcdef")
    assert "(version `0123456`)" in note.read_text("utf-8") and "Les formulaires y sont désactivés" in \
        note.read_text("utf-8")
    assert main(["remove", "--pr", "42"]) == 0
    assert "supprimé\u00a0: 14 fichiers" in capsys.readouterr().out
    assert keys(s3, bucket) == []


def test_preview_build_settings(tmp_path):
    """publishconf.py with AAI_PREVIEW: the site under /apercu/pr-12/, forms off, the preview plugin on."""
    code = ("import publishconf as c; print(c.SITEURL); print(c.FEED_DOMAIN); print(repr(c.FORMS_ENDPOINT)); "
            "print(c.PLUGINS[-1]); print(c.PREVIEW_LABEL); print(c.PREVIEW_PUBLIC_URL)")
    env = {**os.environ, "AAI_SITEURL": PUBLIC, "AAI_FORMS_ENDPOINT": "https://formulaires.example.org",
           "AAI_PREVIEW": "pr-12"}
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        f"{PUBLIC}/apercu/pr-12", f"{PUBLIC}/apercu/pr-12", "''", "preview",
        "la demande de fusion n\u00a0°\u00a012", PUBLIC]
    env.pop("AAI_PREVIEW")
    plain = subprocess.run([sys.executable, "-c", "import publishconf as c; print(c.SITEURL, c.PLUGINS[-1])"],
                           cwd=ROOT, env=env, capture_output=True, text=True)
    assert plain.stdout.split() == [PUBLIC, "fingerprint"]


@pytest.fixture(scope="module")
def marked_form(built_site) -> str:
    """A real form page of the built site, as the preview plugin leaves it."""
    page = next(built_site.glob("association/*/demande/index.html"))
    return mark_page(page.read_text("utf-8"), preview_label("pr-12"), PUBLIC)


def test_preview_pages_are_not_indexed_and_say_what_they_are(marked_form):
    head, body = marked_form.split("</head>", 1)
    assert '<meta name="robots" content="noindex, nofollow">' in head
    main_start = body.index("<main")
    banner = body.index("preview-banner")
    assert main_start < banner < body.index("</main>")
    assert "Aperçu de la demande de fusion n\u00a0°\u00a012</strong> — cette version n'est pas le site public" \
        in body
    assert mark_page(marked_form, "x", PUBLIC) == marked_form  # marking twice changes nothing


def test_preview_forms_are_disabled_with_a_notice(marked_form):
    form = marked_form[marked_form.index('<form class="aai-form"'):]
    form = form[:form.index("</form>")]
    assert '<button type="submit" disabled' in form
    assert marked_form.index("preview-notice") < marked_form.index('<form class="aai-form"')
    search = marked_form[marked_form.index('<form class="site-search"'):]
    search = search[:search.index("</form>")]
    assert '<button type="submit"' in search and "disabled" not in search and "Rechercher</span></button>" in search


@pytest.mark.browser
def test_in_a_browser_the_preview_form_cannot_be_sent(marked_form, site_url, page):
    sent = []
    page.route("**/preview-form/", lambda route: route.fulfill(body=marked_form, content_type="text/html"))
    page.on("request", lambda request: sent.append(request.url) if request.method == "POST" else None)
    page.goto(f"{site_url}/preview-form/")
    notice = page.locator(".preview-notice")
    assert notice.is_visible() and "ce formulaire est désactivé" in notice.inner_text()
    button = page.locator("form.aai-form button[type=submit]")
    assert button.is_disabled()
    page.locator("form.aai-form input[type=text]").first.press("Enter")  # implicit submission
    assert sent == []
    assert page.locator(".preview-banner").is_visible()


def test_cloudfront_serves_previews_uncached_with_noindex_and_the_site_headers():
    res = site_template()["Resources"]
    (behaviour,) = res["Distribution"]["Properties"]["DistributionConfig"]["CacheBehaviors"]
    assert behaviour["PathPattern"] == "apercu/*"
    assert behaviour["CachePolicyId"] == "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"  # managed CachingDisabled
    assert behaviour["ResponseHeadersPolicyId"] == "PreviewHeadersPolicy"
    site = res["SecurityHeadersPolicy"]["Properties"]["ResponseHeadersPolicyConfig"]
    preview = res["PreviewHeadersPolicy"]["Properties"]["ResponseHeadersPolicyConfig"]
    assert preview["SecurityHeadersConfig"] == site["SecurityHeadersConfig"]
    headers = {h["Header"]: h["Value"] for h in preview["CustomHeadersConfig"]["Items"]}
    assert headers["X-Robots-Tag"] == "noindex, nofollow"


def test_preview_role_writes_under_apercu_only():
    role = site_template()["Resources"]["PreviewRole"]["Properties"]
    subject = role["AssumeRolePolicyDocument"]["Statement"][0]["Condition"]["StringEquals"]
    assert subject["token.actions.githubusercontent.com:sub"] == \
        "repo:${GitHubRepository}:environment:${GitHubPreviewEnvironment}"
    statements = role["Policies"][0]["PolicyDocument"]["Statement"]
    writes = [s for s in statements if "s3:PutObject" in s["Action"]]
    assert [s["Resource"] for s in writes] == ["${SiteBucket.Arn}/apercu/*"]
    listing = next(s for s in statements if s["Action"] == "s3:ListBucket")
    assert listing["Condition"] == {"StringLike": {"s3:prefix": "apercu/*"}}
    assert "cloudfront" not in str(statements)


def test_preview_workflow_builds_before_credentials_and_cleans_up():
    import yaml

    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "preview.yml").read_text("utf-8"))
    events = workflow.get("on", workflow.get(True))
    assert events["pull_request"]["types"] == ["opened", "synchronize", "reopened", "closed"]
    publish_job, remove_job = workflow["jobs"]["publish"], workflow["jobs"]["remove"]
    for job in (publish_job, remove_job):
        assert "head.repo.full_name == github.repository" in job["if"]  # forks get no AWS token
        assert job["environment"]["name"] == "apercu"
    steps = publish_job["steps"]
    text = [step.get("run", "") + step.get("uses", "") for step in steps]
    build = next(i for i, s in enumerate(text) if "make publish" in s)
    creds = next(i for i, s in enumerate(text) if "configure-aws-credentials" in s)
    upload = next(i for i, s in enumerate(text) if "deploy.preview publish" in s)
    comment_step = next(i for i, s in enumerate(text) if "gh pr comment" in s)
    assert build < creds < upload < comment_step
    assert publish_job["env"]["AAI_PREVIEW"] == "pr-${{ github.event.pull_request.number }}"
    assert steps[creds]["with"]["role-to-assume"] == "${{ vars.AAI_PREVIEW_ROLE_ARN }}"
    assert publish_job["environment"]["url"] == "${{ steps.publish.outputs.url }}"
    assert "github.event.action == 'closed'" in remove_job["if"]
    assert any("deploy.preview remove" in step.get("run", "") for step in remove_job["steps"])
