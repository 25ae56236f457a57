"""``make demo`` tours every operation of the service, and runs to its end
on the in-process DynamoDB (moto)."""

import os
import subprocess
import sys
from pathlib import Path

from tests.dynamodb.test_docstring_examples import public_names

QUICKSTART = Path(__file__).resolve().parent.parent / "examples" / "quickstart.py"


def test_the_demo_runs_and_tours_every_public_method() -> None:
    environment = {**os.environ}
    environment.pop("DYNAMODB_ENDPOINT_URL", None)
    done = subprocess.run(
        [sys.executable, str(QUICKSTART)],
        capture_output=True,
        text=True,
        env=environment,
        timeout=240,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    toured = done.stdout
    missing = [
        name
        for name in public_names()
        if f"service.{name}(" not in toured and f"service.{name}." not in toured
    ]
    assert missing == []
    assert "# Cleanup\n>>> service.delete_table(table)\nNone" in toured
