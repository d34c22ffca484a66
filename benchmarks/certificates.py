"""Certificate rendering in one worker process: time per certificate and
memory, next to a bare WeasyPrint render of the same HTML.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench \
        .venv/bin/python -m benchmarks.certificates [--count 200]

Numbers `--count` certificates on seeded bench applications (once; later
runs render the same ones again), then runs the render task's body for each
in this process, as a `celery worker --pool solo` would: read the row, lay
out the HTML, WeasyPrint to PDF/A-3u, PAdES signature, storage, row update.
Then renders the same HTML with nothing but `HTML(string=...).write_pdf()`,
once with the fonts shared as the worker shares them and once as WeasyPrint
does by default (fonts loaded per document). Prints median and p95
milliseconds per certificate, the ratios, and the resident memory along the
way (peak from getrusage). PDFs go to a temporary MEDIA_ROOT; without a
configured key a temporary one is made. Timings move with the machine's
load; compare ratios from one run.
"""

import argparse
import os
import resource
import statistics
import tempfile
import time

from benchmarks.common import ensure_projects, setup


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--projects", type=int, default=800, help="bench projects to seed")
    args = parser.parse_args()
    scratch = tempfile.mkdtemp(prefix="certificate-bench-")
    os.environ.setdefault("MEDIA_ROOT", os.path.join(scratch, "media"))
    if not os.environ.get("PORTAL_SIGNING_KEY"):
        os.environ["PORTAL_SIGNING_KEY"] = os.path.join(scratch, "key.pem")
        os.environ["PORTAL_SIGNING_CERT"] = os.path.join(scratch, "cert.pem")
    setup()
    ensure_projects(args.projects)

    from django.core.management import call_command

    call_command("ensure_signing_key", verbosity=0)
    pks = bench_certificates(args.count)

    from approvals.models import Certificate
    from approvals.rendering import certificate_html
    from approvals.tasks.certificates import render_certificate

    # Warm up both paths once (imports, font loading) outside the samples.
    render_certificate(pks[0])
    Certificate.objects.filter(pk=pks[0]).update(rendered_at=None)
    rss = {"start": rss_mb()}

    pipeline = []
    for index, pk in enumerate(pks, start=1):
        started = time.perf_counter()
        render_certificate(pk)
        pipeline.append((time.perf_counter() - started) * 1000)
        if index in (20, 100, len(pks)):
            rss[f"after {index}"] = rss_mb()
    peak_pipeline = peak_mb()
    signed = Certificate.objects.filter(pk__in=pks, rendered_at__isnull=False).exclude(signed_by="")
    assert signed.count() == len(pks), "every certificate rendered and signed"

    htmls = [
        certificate_html(c)
        for c in Certificate.objects.filter(pk__in=pks).select_related(
            "certificate_type", "supersedes"
        )
    ]
    from approvals.pdf import _font_config

    shared, _shared_rss = bare_renders(htmls, font_config=_font_config())
    bare, bare_rss = bare_renders(htmls)

    print(f"certificates rendered: {len(pks)} in one process (pid {os.getpid()})")
    print(f"{'':<34} {'median ms':>10} {'p95 ms':>8}")
    for label, samples in [
        ("render task (PDF/A + sign + store)", pipeline),
        ("bare WeasyPrint, same HTML", bare),
        ("bare WeasyPrint, shared fonts", shared),
    ]:
        print(f"{label:<34} {median(samples):>10.1f} {p95(samples):>8.1f}")
    print(f"ratio task / bare WeasyPrint: {median(pipeline) / median(bare):.2f}")
    print(f"ratio task / bare with the same shared fonts: {median(pipeline) / median(shared):.2f}")
    print(
        "resident memory during the task runs (MB): "
        + ", ".join(f"{k} {v:.0f}" for k, v in rss.items())
    )
    print(f"peak RSS after the task runs: {peak_pipeline:.0f} MB")
    print(
        "resident memory during bare renders, no gc.collect (MB): "
        + ", ".join(f"{k} {v:.0f}" for k, v in bare_rss.items())
    )
    print(f"peak RSS at the end: {peak_mb():.0f} MB")


def bench_certificates(count):
    """`count` certificate ids on bench applications, reset to unrendered."""
    from django.db import transaction
    from django.db.models import F
    from django.utils import timezone

    from approvals.models import Certificate, ReviewTask
    from approvals.services.certificates import next_number, printed_snapshot

    bench = Certificate.objects.filter(
        application__project__created_by__username__startswith="bench_", supersedes=None
    )
    missing = count - bench.count()
    if missing > 0:
        tasks = (
            ReviewTask.objects.filter(
                application__project__created_by__username__startswith="bench_",
                matter__certificate_type__isnull=False,
            )
            .exclude(application__certificates__matter=F("matter"))
            # An approved application would be issued by the task: no side effects here.
            .exclude(application__state="approved")
            .select_related(
                "application__project__enterprise",
                "application__project__jurisdiction",
                "application__stage",
                "application__stage_version",
                "matter__certificate_type",
                "department",
                "jurisdiction",
            )[:missing]
        )
        today = timezone.localdate()
        with transaction.atomic():
            for task in tasks:
                application = task.application
                certificate_type = task.matter.certificate_type
                Certificate.objects.create(
                    application=application,
                    matter=task.matter,
                    certificate_type=certificate_type,
                    number=next_number(certificate_type, application.project.jurisdiction, today),
                    issued_on=today,
                    printed=printed_snapshot(certificate_type, application, task),
                )
    pks = list(bench.order_by("pk").values_list("pk", flat=True)[:count])
    if len(pks) < count:
        raise SystemExit(f"only {len(pks)} bench certificates possible; seed more --projects")
    Certificate.objects.filter(pk__in=pks).update(rendered_at=None, sha256="", signed_by="")
    return pks


def bare_renders(htmls, font_config=None):
    """`HTML(string=html).write_pdf()` and nothing else; with `font_config`,
    the worker's shared fonts (approvals.pdf) and still nothing else."""
    from weasyprint import HTML

    samples, rss = [], {}
    HTML(string=htmls[0]).write_pdf(font_config=font_config)  # warm-up
    for index, html in enumerate(htmls, start=1):
        started = time.perf_counter()
        HTML(string=html).write_pdf(font_config=font_config)
        samples.append((time.perf_counter() - started) * 1000)
        if index in (20, 100, len(htmls)):
            rss[f"after {index}"] = rss_mb()
    return samples, rss


def rss_mb():
    """Resident memory now (Linux /proc)."""
    with open("/proc/self/statm") as handle:
        pages = int(handle.read().split()[1])
    return pages * resource.getpagesize() / 1024 / 1024


def peak_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def median(samples):
    return statistics.median(samples)


def p95(samples):
    ordered = sorted(samples)
    return ordered[max(0, int(len(ordered) * 0.95) - 1)]


if __name__ == "__main__":
    main()
