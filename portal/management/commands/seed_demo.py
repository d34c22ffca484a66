"""`manage.py seed_demo [--projects N]`: demo logins, and bulk data for benchmarks.

Owns:
- loading the `catalog` fixture (fixtures/catalog.json) into a database that
  has no stage yet;
- the demo logins, one per role plus one reviewer per department that has a
  matter, all sharing DEMO_PASSWORD (imported elsewhere to print logins), and
  the two demo enterprises of different owners (cross-enterprise isolation);
- with --projects N: N generated projects over generated enterprises
  (`bench_applicant_<k>`, one enterprise per 50 projects) and every
  jurisdiction, each with one application of a random stage in a mix of
  states and, from 受理 on, its review tasks.

Idempotent: a second run creates nothing unless --projects is given; every
--projects run adds N more projects, numbering on from the last one.

Benchmark rows are written directly with bulk_create: no services, no
transition log, no notifications, no certificates. They are load for
benchmarks, not a workflow record.
"""

import datetime
import random
import time
import unicodedata
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from approvals.models import Application, ApplicationState, Project, ReviewTask, ReviewTaskState
from portal.credit_code import check_character
from portal.models import Enterprise, Role
from stages.calendar import CalendarNotAvailable, WorkingCalendar
from stages.configuration import current_version
from stages.models import (
    AgentPosting,
    AgentZone,
    Department,
    Jurisdiction,
    Matter,
    StaffMembership,
    Stage,
)

DEMO_PASSWORD = "demo-pass-2026"
EMAIL_DOMAIN = "demo.invalid"

# fixtures/ is not an app's fixtures directory, so name the file itself:
# this works whether or not settings.FIXTURE_DIRS lists the folder.
CATALOG_FIXTURE = settings.BASE_DIR / "fixtures" / "catalog.json"
# 我要开餐馆: a non-construction "thing" configured by data alone.
RESTAURANT_FIXTURE = settings.BASE_DIR / "fixtures" / "open_restaurant.json"
# Service types and windows of the service halls (一键取号).
QUEUEING_FIXTURE = settings.BASE_DIR / "fixtures" / "queueing.json"
# A registry of (fictional) intermediaries per service type (中介服务).
INTERMEDIARIES_FIXTURE = settings.BASE_DIR / "fixtures" / "intermediaries.json"

CITY_CODE = "341000"
TUNXI_CODE = "341002"
WINDOW_DEPARTMENT = "data"  # runs the comprehensive window and supervision

DEMO_ENTERPRISES = {
    "demo": {
        "first17": "91341000MA2T00001",
        "name": "黄山示范建设有限公司",
        "legal_representative": "李建华",
        "contact": "李明",
        "phone": "13905590001",
    },
    "tunxi": {
        "first17": "91341002MA2T00002",
        "name": "屯溪宏达置业有限公司",
        "legal_representative": "陈宏达",
        "contact": "陈静",
        "phone": "13905590002",
    },
}

# username, role, last_name, first_name, enterprise key, jurisdiction code, department code
DEMO_USERS = [
    ("admin", Role.ADMINISTRATOR, "王", "建国", None, None, None),
    ("applicant", Role.APPLICANT, "李", "明", "demo", None, None),
    ("applicant2", Role.APPLICANT, "陈", "静", "tunxi", None, None),
    ("agent", Role.AGENT, "赵", "丽", None, None, None),
    ("clerk", Role.CLERK, "周", "敏", None, CITY_CODE, WINDOW_DEPARTMENT),
    ("clerk_tunxi", Role.CLERK, "吴", "芳", None, TUNXI_CODE, WINDOW_DEPARTMENT),
    ("supervisor", Role.SUPERVISOR, "孙", "伟", None, CITY_CODE, WINDOW_DEPARTMENT),
]
REVIEWER_NAMES = [
    ("郑", "强"),
    ("冯", "磊"),
    ("何", "洁"),
    ("许", "涛"),
    ("韩", "雪"),
    ("曹", "勇"),
    ("彭", "霞"),
    ("蒋", "超"),
    ("沈", "燕"),
    ("杨", "帆"),
    ("黄", "鹏"),
    ("刘", "婷"),
    ("朱", "斌"),
    ("胡", "玲"),
    ("郭", "亮"),
    ("马", "琳"),
    ("罗", "杰"),
]

# Benchmark data
BENCH_PROJECTS_PER_ENTERPRISE = 50
BENCH_CREDIT_PREFIX = "91341000MB"  # + 7 digits = 17 characters, then the check character
BENCH_USERNAME = "bench_applicant_{}"
BATCH_SIZE = 1000
S = ApplicationState
T = ReviewTaskState
STATE_WEIGHTS = {S.DRAFT: 20, S.SUBMITTED: 20, S.IN_REVIEW: 35, S.APPROVED: 15, S.ISSUED: 10}
IN_REVIEW_TASK_WEIGHTS = {T.PENDING: 40, T.REVIEWING: 30, T.APPROVED: 25, T.NEEDS_SUPPLEMENT: 5}
PROJECT_KINDS = ["住宅小区", "商业综合体", "标准化厂房", "学校", "门诊楼", "物流仓储", "文旅中心"]
STREETS = ["迎宾大道", "黄山东路", "新安北路", "天都大道", "齐云大道", "徽州大道", "湖边路"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙胡朱高林何郭马罗"
GIVEN_NAMES = ["伟", "芳", "娜", "敏", "静", "强", "磊", "洋", "艳", "勇", "军", "杰", "涛", "明"]
SAMPLE_FORM_DATA = {
    "scale": "新建地上6层、地下1层建筑，总建筑面积约12000平方米。",
    "land_use": "居住用地",
    "design_unit": "黄山市建筑设计研究院有限公司",
    "contract_price": "3560.00",
    "contract_duration_days": "540",
    "general_contractor": "安徽徽建工程有限公司",
    "supervisor_unit": "黄山诚信工程监理有限公司",
    "chief_supervisor": "程立新",
    "completion_date": "2026-06-30",
}


def credit_code(first17):
    return first17 + check_character(first17)


def display_width(text):
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def pad(text, width):
    return text + " " * (width - display_width(text))


class DueDates:
    """Working-day deadlines, memoised: benchmark rows share few start dates.

    Falls back to Monday–Friday past the national calendar's last year, so
    benchmark data can still be generated; real deadlines never do this."""

    def __init__(self):
        self.calendar = WorkingCalendar()
        self.cache = {}

    def add(self, start, days):
        key = (start, days)
        if key not in self.cache:
            try:
                self.cache[key] = self.calendar.add_working_days(start, days)
            except CalendarNotAvailable:
                day, remaining = start, days
                while remaining:
                    day += datetime.timedelta(days=1)
                    remaining -= day.weekday() < 5
                self.cache[key] = day
        return self.cache[key]


class Command(BaseCommand):
    help = "创建演示账号（统一密码见 DEMO_PASSWORD）；--projects N 另行批量生成压测用项目与申请。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--projects",
            type=int,
            default=0,
            metavar="N",
            help="另外生成 N 个压测项目（每个项目一件申请，状态随机），可重复执行累加。",
        )

    def handle(self, *args, projects, **options):
        self.password_hash = None
        with transaction.atomic():
            if not Stage.objects.exists():
                call_command(
                    "loaddata",
                    str(CATALOG_FIXTURE),
                    str(RESTAURANT_FIXTURE),
                    str(QUEUEING_FIXTURE),
                    str(INTERMEDIARIES_FIXTURE),
                    verbosity=options["verbosity"],
                )
            enterprises = self.seed_enterprises()
            created, logins = self.seed_users(enterprises)
        self.stdout.write(f"演示账号：新建 {created} 个，已存在 {len(logins) - created} 个。")
        if projects > 0:
            started = time.perf_counter()
            with transaction.atomic():
                counts = self.seed_projects(projects)
            elapsed = time.perf_counter() - started
            self.stdout.write(
                f"压测数据：新建企业 {counts['enterprises']} 家、项目 {counts['projects']} 个、"
                f"申请 {counts['applications']} 件、审查任务 {counts['tasks']} 个，"
                f"用时 {elapsed:.1f} 秒（{counts['projects'] / elapsed:.0f} 个项目/秒）。"
            )
        self.print_logins(logins)

    # Demo logins ---------------------------------------------------------

    def hashed_password(self):
        # Hash once: PBKDF2 per user would dominate the run time.
        if self.password_hash is None:
            self.password_hash = make_password(DEMO_PASSWORD)
        return self.password_hash

    def seed_enterprises(self):
        enterprises = {}
        for key, spec in DEMO_ENTERPRISES.items():
            fields = {k: v for k, v in spec.items() if k != "first17"}
            enterprises[key], _ = Enterprise.objects.get_or_create(
                credit_code=credit_code(spec["first17"]), defaults=fields
            )
        return enterprises

    def seed_users(self, enterprises):
        jurisdictions = {j.code: j for j in Jurisdiction.objects.all()}
        departments = {d.code: d for d in Department.objects.all()}
        specs = list(DEMO_USERS)
        reviewed = Department.objects.filter(matters__isnull=False).distinct().order_by("code")
        for index, department in enumerate(reviewed):
            last_name, first_name = REVIEWER_NAMES[index % len(REVIEWER_NAMES)]
            username = "reviewer_" + department.code.replace("-", "_")
            specs.append(
                (username, Role.REVIEWER, last_name, first_name, None, CITY_CODE, department.code)
            )

        created = 0
        logins = []
        for username, role, last_name, first_name, enterprise_key, place, dept in specs:
            user = get_user_model().objects.filter(username=username).first()
            if user is None:
                is_admin = role == Role.ADMINISTRATOR
                user = get_user_model().objects.create(
                    username=username,
                    password=self.hashed_password(),
                    role=role,
                    last_name=last_name,
                    first_name=first_name,
                    email=f"{username}@{EMAIL_DOMAIN}",
                    enterprise=enterprises[enterprise_key] if enterprise_key else None,
                    # Each demo enterprise's one 经办人 administers it (invites colleagues).
                    is_enterprise_admin=bool(enterprise_key),
                    is_staff=is_admin,
                    is_superuser=is_admin,
                )
                created += 1
            membership = None
            if place:
                membership, _ = StaffMembership.objects.get_or_create(
                    user=user,
                    defaults={
                        "jurisdiction": jurisdictions[place],
                        "department": departments[dept] if dept else None,
                    },
                )
            if role == Role.AGENT:
                self.post_agent(user, jurisdictions)
            logins.append((user, self.where(user, membership)))
        return created, logins

    @staticmethod
    def post_agent(user, jurisdictions):
        """Agent zones: one per jurisdiction plus the parks with their own
        teams (catalog.yaml); the demo agent serves 屯溪区."""
        for jurisdiction in jurisdictions.values():
            AgentZone.objects.get_or_create(
                name=f"{jurisdiction.name}代办组", defaults={"jurisdiction": jurisdiction}
            )
        for park in ("黄山高新区管委会", "黄山现代服务业产业园管委会"):
            AgentZone.objects.get_or_create(name=f"{park}代办组")
        zone = AgentZone.objects.get(name=f"{jurisdictions[TUNXI_CODE].name}代办组")
        AgentPosting.objects.get_or_create(user=user, defaults={"zone": zone})

    @staticmethod
    def where(user, membership):
        if user.is_superuser:
            return "管理后台（超级用户）"
        if user.enterprise_id:
            return user.enterprise.name
        if membership is not None:
            if membership.department_id:
                return f"{membership.jurisdiction.name} · {membership.department.name}"
            return membership.jurisdiction.name
        if user.role == Role.AGENT:
            return "全程代办 · 屯溪区代办组"
        return "—"

    def print_logins(self, logins):
        headers = ("用户名", "角色", "所在单位")
        rows = [(user.username, user.get_role_display(), where) for user, where in logins]
        widths = [max(display_width(row[i]) for row in [headers, *rows]) for i in range(2)]
        self.stdout.write("")
        self.stdout.write(f"演示账号（统一密码：{DEMO_PASSWORD}）")
        for row in [headers, *rows]:
            self.stdout.write(f"  {pad(row[0], widths[0])}  {pad(row[1], widths[1])}  {row[2]}")
        bench = get_user_model().objects.filter(username__startswith="bench_applicant_").count()
        if bench:
            self.stdout.write(
                f"  另有压测企业经办人 bench_applicant_1 … bench_applicant_{bench}"
                f"（共 {bench} 个，密码相同）。"
            )

    # Benchmark data ------------------------------------------------------

    def seed_projects(self, count):
        bench_enterprises = Enterprise.objects.filter(credit_code__startswith=BENCH_CREDIT_PREFIX)
        codes = Project.objects.filter(enterprise__in=bench_enterprises).values_list(
            "code", flat=True
        )
        first = max((int(code[-6:]) for code in codes.iterator()), default=0) + 1
        last = first + count - 1
        rng = random.Random(first)
        counts = {"enterprises": 0, "projects": 0, "applications": 0, "tasks": 0}

        applicants = self.bench_applicants(first, last, counts)
        jurisdictions = list(Jurisdiction.objects.order_by("code"))
        stages = list(Stage.objects.filter(active=True).order_by("order", "number"))
        matters = {stage.pk: list(Matter.objects.filter(stage=stage)) for stage in stages}
        versions = {stage.pk: current_version(stage) for stage in stages}
        form_data = {
            stage.pk: {
                field.key: SAMPLE_FORM_DATA.get(field.key, "示例内容")
                for field in stage.form_fields.all()
            }
            for stage in stages
        }
        reviewers = dict(
            StaffMembership.objects.filter(user__role=Role.REVIEWER).values_list(
                "department_id", "user_id"
            )
        )
        clerk = get_user_model().objects.filter(username="clerk").first()
        due = DueDates()
        now = timezone.now()
        states, weights = zip(*STATE_WEIGHTS.items(), strict=True)
        task_states, task_weights = zip(*IN_REVIEW_TASK_WEIGHTS.items(), strict=True)

        for batch_start in range(first, last + 1, BATCH_SIZE):
            numbers = range(batch_start, min(batch_start + BATCH_SIZE, last + 1))
            batch = []
            for number in numbers:
                enterprise_id, user_id = applicants[self.enterprise_index(number)]
                jurisdiction = rng.choice(jurisdictions)
                batch.append(
                    Project(
                        enterprise_id=enterprise_id,
                        jurisdiction=jurisdiction,
                        code=f"2105-{jurisdiction.code}-47-01-{number:06d}",
                        name=f"{jurisdiction.name}{rng.choice(PROJECT_KINDS)}项目（压测{number}）",
                        address=f"{jurisdiction.name}{rng.choice(STREETS)}{rng.randint(1, 999)}号",
                        total_investment=Decimal(rng.randint(5_000, 5_000_000)) / 100,
                        building_area=Decimal(rng.randint(30_000, 20_000_000)) / 100,
                        created_by_id=user_id,
                    )
                )
            project_rows = Project.objects.bulk_create(batch, batch_size=BATCH_SIZE)

            applications = []
            for project in project_rows:
                stage = rng.choice(stages)
                state = rng.choices(states, weights)[0]
                application = Application(
                    project=project,
                    jurisdiction_id=project.jurisdiction_id,
                    stage=stage,
                    state=state,
                    form_data=form_data[stage.pk],
                    stage_version=versions[stage.pk],
                    created_by_id=project.created_by_id,
                )
                if state != S.DRAFT:
                    application.number = f"B{project.pk:010d}"
                    application.submitted_at = now - datetime.timedelta(
                        days=rng.randint(1, 60), minutes=rng.randint(0, 600)
                    )
                if state in (S.IN_REVIEW, S.APPROVED, S.ISSUED):
                    application.accepted_at = min(
                        now, application.submitted_at + datetime.timedelta(hours=rng.randint(1, 48))
                    )
                    application.accepted_by = clerk
                    accepted_on = timezone.localdate(application.accepted_at)
                    application.due_on = due.add(accepted_on, stage.time_limit_working_days)
                if state in (S.APPROVED, S.ISSUED):
                    application.decided_at = min(
                        now, application.accepted_at + datetime.timedelta(days=rng.randint(3, 20))
                    )
                applications.append(application)
            application_rows = Application.objects.bulk_create(applications, batch_size=BATCH_SIZE)

            tasks = []
            for application in application_rows:
                if application.accepted_at is None:
                    continue
                accepted_on = timezone.localdate(application.accepted_at)
                for matter in matters[application.stage_id]:
                    if application.state == S.IN_REVIEW:
                        task_state = rng.choices(task_states, task_weights)[0]
                    else:
                        task_state = T.APPROVED
                    task = ReviewTask(
                        application=application,
                        matter=matter,
                        department_id=matter.department_id,
                        jurisdiction_id=application.project.jurisdiction_id,
                        mandatory=matter.mandatory,
                        state=task_state,
                        due_on=due.add(accepted_on, matter.time_limit_working_days),
                    )
                    if task_state != T.PENDING:
                        task.reviewer_id = reviewers.get(matter.department_id)
                    if task_state == T.APPROVED:
                        task.opinion = "同意。"
                        task.decided_at = application.decided_at or now
                    tasks.append(task)
            ReviewTask.objects.bulk_create(tasks, batch_size=BATCH_SIZE)

            counts["projects"] += len(project_rows)
            counts["applications"] += len(application_rows)
            counts["tasks"] += len(tasks)
        return counts

    @staticmethod
    def enterprise_index(number):
        return (number - 1) // BENCH_PROJECTS_PER_ENTERPRISE + 1

    def bench_applicants(self, first, last, counts):
        """{k: (enterprise id, applicant user id)} for the enterprises that
        projects first..last belong to, creating the missing ones."""
        wanted = range(self.enterprise_index(first), self.enterprise_index(last) + 1)
        by_code = {credit_code(f"{BENCH_CREDIT_PREFIX}{k:07d}"): k for k in wanted}
        existing = set(
            Enterprise.objects.filter(credit_code__in=by_code).values_list("credit_code", flat=True)
        )
        rng = random.Random(first)
        Enterprise.objects.bulk_create(
            [
                Enterprise(
                    credit_code=code,
                    name=f"黄山压测第{k}建设有限公司",
                    legal_representative=rng.choice(SURNAMES) + rng.choice(GIVEN_NAMES),
                    contact=rng.choice(SURNAMES) + rng.choice(GIVEN_NAMES),
                    phone=f"139{k:08d}",
                )
                for code, k in by_code.items()
                if code not in existing
            ],
            batch_size=BATCH_SIZE,
        )
        counts["enterprises"] = len(by_code) - len(existing)
        enterprise_ids = {
            by_code[code]: pk
            for pk, code in Enterprise.objects.filter(credit_code__in=by_code).values_list(
                "pk", "credit_code"
            )
        }

        usernames = {BENCH_USERNAME.format(k): k for k in wanted}
        existing_users = set(
            get_user_model()
            .objects.filter(username__in=usernames)
            .values_list("username", flat=True)
        )
        get_user_model().objects.bulk_create(
            [
                get_user_model()(
                    username=username,
                    password=self.hashed_password(),
                    role=Role.APPLICANT,
                    last_name=rng.choice(SURNAMES),
                    first_name=rng.choice(GIVEN_NAMES),
                    email=f"{username}@{EMAIL_DOMAIN}",
                    enterprise_id=enterprise_ids[k],
                )
                for username, k in usernames.items()
                if username not in existing_users
            ],
            batch_size=BATCH_SIZE,
        )
        user_ids = {
            usernames[username]: pk
            for pk, username in get_user_model()
            .objects.filter(username__in=usernames)
            .values_list("pk", "username")
        }
        return {k: (enterprise_ids[k], user_ids[k]) for k in wanted}
