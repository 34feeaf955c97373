"""Robots are left out by maintained rule sets; people's devices are classed by ua-parser's."""

import pytest
from support_audience import ANDROID, BINGBOT, CURL, DESKTOP, FIREFOX_LINUX, GOOGLEBOT, GPTBOT, IPAD, IPHONE

from chalicelib.audience.agents import describe


@pytest.mark.parametrize("agent", [GOOGLEBOT, BINGBOT, GPTBOT, CURL, "", "   ", "python-requests/2.32.3",
                                   "Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)",
                                   "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)"])
def test_robots_are_recognised(agent):
    assert describe(agent).robot


@pytest.mark.parametrize("agent, device", [
    (DESKTOP, "desktop"), (FIREFOX_LINUX, "desktop"), (IPHONE, "mobile"), (ANDROID, "mobile"), (IPAD, "tablet"),
    ("Mozilla/5.0 (Linux; Android 14; SM-X710) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 "
     "Safari/537.36", "tablet"),
])
def test_people_are_classed_by_device(agent, device):
    described = describe(agent)
    assert not described.robot
    assert described.device == device
