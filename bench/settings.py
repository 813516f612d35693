"""The project's settings plus the bench-only URL of a bare view; selected by bench/run.py, never in production."""

import os
from pathlib import Path

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.benchurls"

# Production static files need a manifest; bench/run.py collects them into bench/out instead of the checkout.
if os.environ.get("BENCH_STATIC_ROOT"):
    STATIC_ROOT = Path(os.environ["BENCH_STATIC_ROOT"])
