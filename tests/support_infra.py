"""The CloudFormation template of the site (infra/site.yaml), read once for every test that checks it."""

from __future__ import annotations

from pathlib import Path

import yaml

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
