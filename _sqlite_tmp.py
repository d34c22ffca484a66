import os
os.environ["DATABASE_URL"] = "sqlite:////tmp/sup-smoke.sqlite3"
os.environ["DJANGO_SETTINGS_MODULE"] = "portal.settings.local"
os.environ["MEDIA_ROOT"] = "/tmp/sup-smoke-media"
os.environ["ALLOWED_HOSTS"] = "testserver"
import django; django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
call_command("seed_demo", projects=300, verbosity=0)
from django.test import Client
from portal.models import User
c = Client(); c.force_login(User.objects.get(username="supervisor"))
r = c.get("/staff/supervision/")
print("dashboard", r.status_code, len(r.content), r.context["figures"].calendar_problem if r.context else "")
f = r.context["figures"]
print(len(f.stage_durations), len(f.matter_durations), f.projects, len(f.warning_tasks))
for key in ("warnings", "durations_matter", "projects"):
    r = c.get(f"/staff/supervision/export/{key}.xlsx")
    print(key, r.status_code)
import datetime
from supervision import reports
from supervision.periods import Period
from stages.models import Jurisdiction
rep, _ = reports.request_report("custom", Period(datetime.date(2026, 11, 1), datetime.date(2026, 11, 25)), Jurisdiction.objects.get(code="341000"))
rep = reports.generate(rep.pk)
print("report", rep.has_data, rep.pdf.size)
