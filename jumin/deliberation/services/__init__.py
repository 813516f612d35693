"""Writes for the deliberation hall: proposals, ballots and votes, proxies, objections, charters."""

from .ballots import *  # noqa: F403
from .charters import *  # noqa: F403
from .common import *  # noqa: F403
from .proposals import *  # noqa: F403
