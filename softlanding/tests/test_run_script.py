"""`make run` tells the app the address it listens on, so that links in e-mails reach it."""

import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

RUN = Path(settings.BASE_DIR, "scripts", "run")


def site_url_of_run(**env: str) -> str:
    clean = {k: v for k, v in os.environ.items() if k not in ("HOST", "PORT", "SITE_URL")}
    done = subprocess.run(
        [str(RUN), "--print-site-url"],
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    return done.stdout.strip()


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, "http://127.0.0.1:8000"),
        ({"PORT": "8201"}, "http://127.0.0.1:8201"),
        ({"HOST": "192.0.2.7", "PORT": "9000"}, "http://192.0.2.7:9000"),
        ({"HOST": "0.0.0.0", "PORT": "8201"}, "http://127.0.0.1:8201"),
        ({"HOST": "::1", "PORT": "8201"}, "http://[::1]:8201"),
        ({"PORT": "8201", "SITE_URL": "https://care.example.org"}, "https://care.example.org"),
    ],
)
def test_run_links_to_the_host_and_port_it_listens_on_unless_site_url_is_set(env, expected):
    assert site_url_of_run(**env) == expected


def test_the_makefile_hands_its_host_and_port_to_the_run_script():
    makefile = Path(settings.BASE_DIR, "Makefile").read_text()
    assert "HOST=$(HOST) PORT=$(PORT) scripts/run" in makefile


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def answers(url: str) -> bool:
    try:
        urllib.request.urlopen(url, timeout=5)
    except urllib.error.HTTPError:
        return True
    except OSError:
        return False
    return True


def test_run_says_it_is_running_only_once_the_server_answers():
    port = free_port()
    run = subprocess.Popen(
        [str(RUN)],
        env={**os.environ, "HOST": "127.0.0.1", "PORT": str(port)},
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        start_new_session=True,
    )
    try:
        assert run.stdout is not None
        for line in run.stdout:
            if "is running" in line:
                break
        else:
            raise AssertionError("scripts/run ended without saying it was running")
        assert answers(f"http://127.0.0.1:{port}/healthz")
    finally:
        os.killpg(run.pid, signal.SIGTERM)
        run.wait(timeout=30)
    # Stopping it stops the web server too: nothing is left serving that port.
    assert _gone(f"--port {port} ", within=15), "the web server outlived scripts/run"


def _gone(marker: str, *, within: float) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        alive = []
        for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
            try:
                text = cmdline.read_bytes().replace(b"\0", b" ").decode(errors="replace")
            except OSError:
                continue  # it ended while we looked
            if "granian" in text and marker in text:
                alive.append(text)
        if not alive:
            return True
        time.sleep(0.2)
    return False
