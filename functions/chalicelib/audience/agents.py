"""What a user agent says about the visitor: a robot, or a person on a phone, a tablet or a computer.

Robots are recognised by two maintained rule sets, never by a list of our own: CrawlerDetect (``crawlerdetect``,
the patterns of JayBizzle/Crawler-Detect) and ua-parser's (the ``Spider`` device family, through
``user_agents``). A request without any user agent is a robot too: every browser sends one.
The device class comes from ``user_agents`` (ua-parser's rules). Both answers are cached per user agent: a busy
month has a million requests but only some thousands of distinct agents.

Both rule sets are loaded on first use, not at import: ua-parser's regexes cost about 100 ms, and every cold
start of the Lambda imports this module (the back office's figures page names the device classes) while only
the monthly reading of the access logs describes an agent.
"""

from __future__ import annotations

import logging
from typing import Any
from dataclasses import dataclass
from functools import lru_cache

logger = logging.getLogger(__name__)

MOBILE, TABLET, DESKTOP, OTHER = "mobile", "tablet", "desktop", "other"
DEVICE_CLASSES = (MOBILE, TABLET, DESKTOP, OTHER)


@lru_cache(maxsize=1)
def _crawlers() -> Any:   # crawlerdetect ships no types
    from crawlerdetect import CrawlerDetect
    return CrawlerDetect()


@dataclass(frozen=True, slots=True)
class Agent:
    robot: bool
    device: str   # one of DEVICE_CLASSES (OTHER for robots)


@lru_cache(maxsize=65536)
def describe(user_agent: str) -> Agent:
    if not user_agent.strip() or _crawlers().isCrawler(user_agent):
        return Agent(True, OTHER)
    from user_agents import parse as parse_user_agent   # on first use only (see above)
    parsed = parse_user_agent(user_agent)
    if parsed.is_bot:
        return Agent(True, OTHER)
    if parsed.is_tablet:
        return Agent(False, TABLET)
    if parsed.is_mobile:
        return Agent(False, MOBILE)
    if parsed.is_pc:
        return Agent(False, DESKTOP)
    return Agent(False, OTHER)
