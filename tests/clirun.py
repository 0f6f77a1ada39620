"""Run the command line as a user does: a subprocess, output captured."""
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def run(*args, check=True, env=None):
    p = subprocess.run([sys.executable, "-m", "pipeline", *map(str, args)], cwd=REPO,
                       capture_output=True, text=True, encoding="utf-8", env=env)
    if check and p.returncode != 0:
        raise AssertionError(f"exit {p.returncode}: {p.stderr}")
    return p
