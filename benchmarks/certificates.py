"""Certificate rendering in one worker process: time per certificate and
memory, next to a bare WeasyPrint render of the same HTML.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench \
        .venv/bin/python -m benchmarks.certificates [--count 200]

Numbers `--count` certificates on seeded bench applications (once; later
runs render the same ones again) and runs the render task's body for each in
this process, as a `celery worker --pool solo` would: read the row, lay out
the HTML, WeasyPrint to PDF/A-3u, PAdES signature, storage, row update.

Pass 1 runs the task alone and records resident memory (peak from
getrusage). Pass 2 times, per certificate and interleaved, the task and a
bare `HTML(string=html).write_pdf()` of the same HTML -- as WeasyPrint does
by default (fonts loaded per document) and with the worker's shared fonts --
and prints median and p95 milliseconds and the ratios. PDFs go to a
temporary MEDIA_ROOT; without a configured key a temporary one is made.
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

    from weasyprint import HTML

    from approvals.models import Certificate
    from approvals.pdf import shared_font_config
    from approvals.rendering import certificate_html
    from approvals.tasks.certificates import render_certificate

    def task(pk):
        Certificate.objects.filter(pk=pk).update(rendered_at=None)
        render_certificate(pk)

    # Warm-up outside the samples: imports, the shared fonts, a first render.
    task(pks[0])
    HTML(string="<p>warm-up</p>").write_pdf()

    # Pass 1, memory: the task alone, 200 times in this process.
    rss = {"start": rss_mb()}
    for index, pk in enumerate(pks, start=1):
        task(pk)
        if index in (20, 100, len(pks)):
            rss[f"after {index}"] = rss_mb()
    peak_tasks = peak_mb()
    signed = Certificate.objects.filter(pk__in=pks, rendered_at__isnull=False).exclude(signed_by="")
    assert signed.count() == len(pks), "every certificate rendered and signed"

    # Pass 2, time: for each certificate the task and both bare renders of
    # its HTML, interleaved, so that other load on the machine hits all alike.
    certificates = Certificate.objects.filter(pk__in=pks).select_related(
        "certificate_type", "supersedes"
    )
    htmls = {c.pk: certificate_html(c) for c in certificates}
    runs = {
        "render task (PDF/A + sign + store)": task,
        "bare WeasyPrint, same HTML": lambda pk: HTML(string=htmls[pk]).write_pdf(),
        "bare WeasyPrint, shared fonts": lambda pk: HTML(string=htmls[pk]).write_pdf(
            font_config=shared_font_config()
        ),
    }
    samples = {label: [] for label in runs}
    for index, pk in enumerate(pks):
        labels = list(runs)
        for label in labels[index % 3 :] + labels[: index % 3]:
            started = time.perf_counter()
            runs[label](pk)
            samples[label].append((time.perf_counter() - started) * 1000)

    task_ms, bare_ms, shared_ms = (median(v) for v in samples.values())
    print(f"certificates rendered: {len(pks)} in one process (pid {os.getpid()})")
    print(f"{'':<36} {'median ms':>10} {'p95 ms':>8}")
    for label, values in samples.items():
        print(f"{label:<36} {median(values):>10.1f} {p95(values):>8.1f}")
    print(f"ratio task / bare WeasyPrint: {task_ms / bare_ms:.2f}")
    print(f"ratio task / bare with the worker's shared fonts: {task_ms / shared_ms:.2f}")
    print(
        "resident memory over the task runs alone (MB): "
        + ", ".join(f"{k} {v:.0f}" for k, v in rss.items())
    )
    print(f"peak RSS after the task runs: {peak_tasks:.0f} MB")
    print(f"peak RSS at the end (bare renders load fonts per document): {peak_mb():.0f} MB")


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
