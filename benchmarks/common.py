"""Shared set-up for benchmark scripts: a PostgreSQL database named by
DATABASE_URL (never the test or demo one), migrated and seeded to size."""

import os
import statistics
import time

import django


def setup():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.local")
    os.environ.setdefault("DJANGO_DEBUG", "false")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        raise SystemExit("Set DATABASE_URL to a PostgreSQL database for benchmarks.")
    django.setup()


def ensure_projects(count):
    """Migrate, load demo data and seed until `count` bench projects exist."""
    from django.core.management import call_command

    from approvals.models import Project

    call_command("migrate", verbosity=0)
    call_command("seed_demo", verbosity=0)
    have = Project.objects.filter(created_by__username__startswith="bench_").count()
    if have < count:
        started = time.perf_counter()
        call_command("seed_demo", projects=count - have, verbosity=0)
        print(f"seeded {count - have} projects in {time.perf_counter() - started:.1f} s")


def timed(function, repeat):
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return {
        "p50": statistics.median(samples),
        "p95": samples[max(0, int(len(samples) * 0.95) - 1)],
        "max": samples[-1],
    }
