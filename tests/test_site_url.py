"""The base of absolute links follows the port `make run` serves on, and the README's
commands name what the demo really has."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from devtools.demo import data as demo

ROOT = Path(__file__).resolve().parent.parent


def site_url(**env):
    clean = {
        key: value
        for key, value in os.environ.items()
        if key not in {"COPKIT_SITE_URL", "PORT", "DJANGO_SETTINGS_MODULE"}
    }
    result = subprocess.run(
        [sys.executable, "-c", "import copkit.settings as s; print(s.SITE_URL)"],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return result.stdout.strip()


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, "http://localhost:8000"),
        ({"PORT": "8123"}, "http://localhost:8123"),
        ({"PORT": "8123", "COPKIT_SITE_URL": ""}, "http://localhost:8123"),
        (
            {"PORT": "8123", "COPKIT_SITE_URL": "https://cop.example.org/"},
            "https://cop.example.org",
        ),
    ],
)
def test_site_url_follows_port_unless_set(env, expected):
    assert site_url(**env) == expected


def test_the_readme_imports_rosters_into_the_demo_cohorts_slug():
    readme = (ROOT / "README.md").read_text()
    slugs = re.findall(r"manage\.py importroster ([a-z0-9-]+) ", readme)
    assert slugs
    assert set(slugs) == {demo.DEMO_COHORT_SLUG}
