"""Set-based seeding of review tasks at scale: INSERT ... SELECT over
generate_series, so 1,000,000 tasks take well under a minute (bulk_create
through the ORM would take many). Projects, their in-review applications
(cycling through the four construction stages) and one task per matter of
the stage; the caller says how task columns are filled, as SQL over `h` (0..99,
spread evenly over the tasks) and `r` (the department's demo reviewer);
a literal % in it is written %%."""

import time

BENCH_PREFIX = "BT"  # enterprise credit codes and application numbers
PROJECTS_PER_ENTERPRISE = 50

DEFAULT_TASK_COLUMNS = {
    "state": "'pending'",
    "reviewer_id": "NULL",
    "due_on": "current_date + 10",
    "yellow_on": "current_date + 8",
    "decided_at": "NULL",
    "paused_since": "NULL",
    "warned_yellow_at": "NULL",
    "warned_red_at": "NULL",
}


def ensure_tasks(total, task_columns=None):
    """Seed until at least `total` review tasks exist; prints what it did."""
    from django.db import connection, transaction

    from approvals.models import ReviewTask

    have = ReviewTask.objects.count()
    if have >= total:
        return
    columns = {**DEFAULT_TASK_COLUMNS, **(task_columns or {})}
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        matters_per_cycle = _matters_per_cycle(cursor)
        needed = total - have
        applications = -(-needed // sum(matters_per_cycle)) * len(matters_per_cycle)
        first = _next_number(cursor)
        _insert_enterprises(cursor, first, applications)
        _insert_projects_and_applications(cursor, first, applications)
        _insert_tasks(cursor, first, needed, columns)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(
        f"seeded {needed:,} review tasks over {applications:,} applications"
        f" in {time.perf_counter() - started:.1f} s"
    )


def _matters_per_cycle(cursor):
    cursor.execute(
        "SELECT count(m.id) FROM stages_stage s JOIN stages_matter m ON m.stage_id = s.id"
        " WHERE s.is_construction GROUP BY s.id ORDER BY s.number"
    )
    return [row[0] for row in cursor.fetchall()]


def _next_number(cursor):
    cursor.execute(
        "SELECT coalesce(max(substr(number, 3)::bigint), 0) + 1 FROM approvals_application"
        " WHERE number LIKE %s",
        [BENCH_PREFIX + "%"],
    )
    return cursor.fetchone()[0]


def _insert_enterprises(cursor, first, count):
    from portal.models import Enterprise

    given = {"credit_code", "name", "legal_representative", "contact", "phone", "created_at"}
    names, values, defaults = _other_columns(Enterprise, given)
    cursor.execute(
        f"""
        INSERT INTO portal_enterprise
            (credit_code, name, legal_representative, contact, phone, created_at{names})
        SELECT %(prefix)s || lpad(k::text, 16, '0'), '黄山压测审查第' || k || '建设有限公司',
               '张建国', '李经办', '139' || lpad(k::text, 8, '0'), now(){values}
        FROM generate_series(%(first)s, %(last)s) k
        ON CONFLICT (credit_code) DO NOTHING
        """,
        {
            **defaults,
            "prefix": BENCH_PREFIX,
            "first": _enterprise(first),
            "last": _enterprise(first + count - 1),
        },
    )


PROJECT_COLUMNS = {
    "code", "name", "address", "investment_source", "approval_type", "nature",
    "total_investment", "scale", "created_at", "created_by_id", "enterprise_id",
    "jurisdiction_id",
}  # fmt: skip
APPLICATION_COLUMNS = {
    "state", "number", "situation_answers", "form_data", "created_at", "submitted_at",
    "accepted_at", "due_on", "created_by_id", "stage_id", "project_id", "source",
    "clock_started_on", "limit_working_days", "paused_working_days", "yellow_on",
    "jurisdiction_id",
}  # fmt: skip
TASK_COLUMNS = {
    "application_id", "matter_id", "department_id", "jurisdiction_id", "mandatory",
    "opinion", "supplement_request", "created_at", "clock_started_on",
    "limit_working_days", "paused_working_days",
}  # fmt: skip


def _insert_projects_and_applications(cursor, first, count):
    from approvals.models import Application, Project

    project_names, project_values, project_defaults = _other_columns(Project, PROJECT_COLUMNS)
    names, values, defaults = _other_columns(Application, APPLICATION_COLUMNS)
    cursor.execute(
        f"""
        WITH creator AS (
            SELECT id FROM portal_user WHERE username = 'applicant'
        ), places AS (
            SELECT array_agg(id ORDER BY code) AS ids, count(*) AS n FROM stages_jurisdiction
        ), stages AS (
            SELECT array_agg(id ORDER BY number) AS ids, count(*) AS n
            FROM stages_stage WHERE is_construction
        ), projects AS (
            INSERT INTO approvals_project
                (code, name, address, investment_source, approval_type, nature,
                 total_investment, scale, created_at, created_by_id, enterprise_id,
                 jurisdiction_id{project_names})
            SELECT '2105-BT-' || lpad(g::text, 10, '0'),
                   (ARRAY['住宅小区', '综合楼', '学校', '厂房', '医院'])[1 + g %% 5]
                       || '项目（审查压测' || g || '）',
                   '黄山市屯溪区黎阳路' || (g %% 999 + 1) || '号', '', '', '',
                   1000 + g %% 5000, '', now(), creator.id, e.id,
                   places.ids[1 + (g / 4) %% places.n]{project_values}
            FROM generate_series(%(first)s, %(last)s) g
            CROSS JOIN creator CROSS JOIN places
            JOIN portal_enterprise e
              ON e.credit_code = %(prefix)s || lpad(((g - 1) / %(per)s + 1)::text, 16, '0')
            RETURNING id, code, jurisdiction_id, created_by_id
        )
        INSERT INTO approvals_application
            (state, number, situation_answers, form_data, created_at, submitted_at,
             accepted_at, due_on, created_by_id, stage_id, project_id, source,
             clock_started_on, limit_working_days, paused_working_days, yellow_on,
             jurisdiction_id{names})
        SELECT 'in_review', %(prefix)s || substr(p.code, 9), '{{}}', '{{}}', now(),
               now() - interval '3 days', now() - interval '2 days', current_date + 30,
               p.created_by_id, stages.ids[1 + substr(p.code, 9)::bigint %% stages.n],
               p.id, %(source)s, current_date - 2, 20, 0, current_date + 26,
               p.jurisdiction_id{values}
        FROM projects p CROSS JOIN stages
        """,
        {
            **project_defaults,
            **defaults,
            "prefix": BENCH_PREFIX,
            "per": PROJECTS_PER_ENTERPRISE,
            "first": first,
            "last": first + count - 1,
            "source": Application.Source.WEB,
        },
    )


def _insert_tasks(cursor, first, needed, columns):
    from approvals.models import ReviewTask

    other_names, other_values, defaults = _other_columns(ReviewTask, TASK_COLUMNS | set(columns))
    names = ", ".join(columns) + other_names
    values = ", ".join(columns.values()) + other_values
    cursor.execute(
        f"""
        WITH reviewers AS (
            SELECT s.department_id, min(s.user_id) AS user_id
            FROM stages_staffmembership s JOIN portal_user u ON u.id = s.user_id
            WHERE u.role = 'reviewer' GROUP BY s.department_id
        ), spread AS (
            SELECT a.id AS application_id, m.id AS matter_id, m.department_id, m.mandatory,
                   a.jurisdiction_id, ((a.id * 37 + m.id * 11) %% 100)::int AS h, r.user_id AS r
            FROM approvals_application a
            JOIN stages_matter m ON m.stage_id = a.stage_id
            LEFT JOIN reviewers r ON r.department_id = m.department_id
            WHERE a.number >= %(first_number)s AND a.number LIKE %(prefix)s
            ORDER BY a.id, m.id
            LIMIT %(needed)s
        )
        INSERT INTO approvals_reviewtask
            (application_id, matter_id, department_id, jurisdiction_id, mandatory,
             opinion, supplement_request, created_at, clock_started_on,
             limit_working_days, paused_working_days, {names})
        SELECT application_id, matter_id, department_id, jurisdiction_id, mandatory,
               '', '', now() - interval '2 days', current_date - 2, 10, 0, {values}
        FROM spread
        """,
        {
            **defaults,
            "first_number": f"{BENCH_PREFIX}{first:010d}",
            "prefix": BENCH_PREFIX + "%",
            "needed": needed,
        },
    )


def _other_columns(model, given):
    """Model fields not named in the INSERT that the database requires:
    their Django defaults (the schema grows; the seeder should not care)."""
    from django.db import connection

    names, values = [], {}
    for field in model._meta.concrete_fields:
        if field.primary_key or field.null or field.column in given:
            continue
        key = f"default_{field.column}"
        names.append(field.column)
        values[key] = field.get_db_prep_save(field.get_default(), connection)
    return (
        "".join(f", {name}" for name in names),
        "".join(f", %({key})s" for key in values),
        values,
    )


def _enterprise(number):
    return (number - 1) // PROJECTS_PER_ENTERPRISE + 1
