"""The CloudFormation template of the site (infra/site.yaml), read the same way by every test that checks it, and
the built site served as CloudFront serves it."""

from __future__ import annotations

import functools
import http.server
import io
from contextlib import contextmanager
from pathlib import Path

import yaml

from scripts.benchmarking import serve_with

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "infra" / "site.yaml"
TILES = "https://tile.openstreetmap.org"


def site_template(keep_tags: bool = False) -> dict:
    """The template as data. CloudFormation's short tags (``!Sub``, ``!Ref``, ``!GetAtt``…) are kept as
    ``{"Sub": value}`` with ``keep_tags``; otherwise the tagged value stands alone."""
    class Loader(yaml.SafeLoader):
        pass

    def any_tag(loader, suffix, node):
        if isinstance(node, yaml.ScalarNode):
            value = loader.construct_scalar(node)
        elif isinstance(node, yaml.SequenceNode):
            value = loader.construct_sequence(node, deep=True)
        else:
            value = loader.construct_mapping(node, deep=True)
        return {suffix: value} if keep_tags else value

    Loader.add_multi_constructor("!", any_tag)
    return yaml.load(TEMPLATE.read_text(encoding="utf-8"), Loader=Loader)


def production_policy(forms_endpoint: str) -> str:
    """The Content-Security-Policy CloudFront sends with every page, for this forms endpoint."""
    headers = site_template()["Resources"]["SecurityHeadersPolicy"]["Properties"]["ResponseHeadersPolicyConfig"]
    policy = headers["SecurityHeadersConfig"]["ContentSecurityPolicy"]["ContentSecurityPolicy"]
    return policy.replace("${TilesUrl}", TILES).replace("${FormsEndpoint}", forms_endpoint)


def production_cors_origins(forms_endpoint: str) -> list[str]:
    """The origins CloudFront lets read the site's files (the forms' pages load its fonts)."""
    headers = site_template()["Resources"]["SecurityHeadersPolicy"]["Properties"]["ResponseHeadersPolicyConfig"]
    origins = headers["CorsConfig"]["AccessControlAllowOrigins"]["Items"]
    return [forms_endpoint if origin == "FormsEndpoint" else origin for origin in origins]


class _ProductionHandler(http.server.SimpleHTTPRequestHandler):
    """A built site with production's Content-Security-Policy header (a page relying on inline code would work
    locally and break behind CloudFront), its pages pointing at ``endpoint`` instead of the build's."""
    policy = ""
    cors_origins: list[str] = []
    built_endpoint = endpoint = b""

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if self.endpoint == self.built_endpoint or path.suffix != ".html" or not path.is_file():
            return super().send_head()
        body = path.read_bytes().replace(self.built_endpoint, self.endpoint)
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)

    def end_headers(self):
        self.send_header("Content-Security-Policy", self.policy)
        if self.headers.get("Origin") in self.cors_origins:
            self.send_header("Access-Control-Allow-Origin", self.headers["Origin"])
        super().end_headers()

    def log_message(self, *args):
        pass


@contextmanager
def serve_as_in_production(folder: Path, forms_endpoint: str, built_endpoint: str):
    """``folder`` (built with ``built_endpoint``) over HTTP on a free port, under production's policy for
    ``forms_endpoint``, its forms posting there: what a build with ``-e FORMS_ENDPOINT=…`` would write, without
    a second build. Yields the site's origin."""
    handler = type("Handler", (_ProductionHandler,), {
        "policy": production_policy(forms_endpoint), "cors_origins": production_cors_origins(forms_endpoint),
        "built_endpoint": built_endpoint.encode(), "endpoint": forms_endpoint.encode()})
    with serve_with(functools.partial(handler, directory=str(folder))) as origin:
        yield origin
