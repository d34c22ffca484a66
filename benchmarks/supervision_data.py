"""Set-based seeding for the supervision benchmark: projects that walk the
four construction stages, about 200,000 applications and 1,000,000 review
tasks, 全程代办 delegations and intermediary engagements, written with
INSERT … SELECT over generate_series (a few tens of seconds, where
row-by-row bulk_create took many minutes).

Each project reaches a depth of 1–4 stages (3.2 on average): the earlier
stages are decided and issued, the last one is in a weighted mix of
states, so the 100-working-day figures, warnings and durations all have
data. Due and yellow dates use 7/5 calendar days per working day: load
for a benchmark, not a calendar record. `setseed` makes reruns alike."""

import time

from django.db import connection, transaction

MARK = "压测监督"  # in every seeded project's name
AGENTS = 40
APPLICANT = "bench_sup_applicant"
AGENT_USERNAME = "bench_sup_agent_{}"
# Final-stage states and weights (drafts and the undecided ones have no tasks).
FINAL_STATES = [
    ("draft", 5),
    ("submitted", 8),
    ("correcting", 4),
    ("refused", 2),
    ("in_review", 30),
    ("suspended", 2),
    ("approved", 5),
    ("rejected", 2),
    ("issued", 25),
    ("delivered", 12),
    ("withdrawn", 5),
]
ACCEPTED = ("in_review", "suspended", "approved", "rejected", "issued", "delivered")
DECIDED = ("approved", "rejected", "issued", "delivered")
OPEN_FINAL = ("draft", "submitted", "correcting", "in_review", "suspended")


def seeded_applications():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM approvals_application a JOIN approvals_project p"
            " ON p.id = a.project_id WHERE p.name LIKE %s",
            [f"%{MARK}%"],
        )
        return cursor.fetchone()[0]


def _state_case():
    """SQL picking a final state from r (uniform in [0, 1))."""
    total = sum(weight for _, weight in FINAL_STATES)
    edge, whens = 0, []
    for state, weight in FINAL_STATES[:-1]:
        edge += weight
        whens.append(f"WHEN r_state < {edge / total:.4f} THEN '{state}'")
    return f"CASE {' '.join(whens)} ELSE '{FINAL_STATES[-1][0]}' END"


def seed(applications):
    """Add projects until about `applications` seeded applications exist."""
    from django.contrib.auth import get_user_model

    from portal.models import Enterprise, Role

    started = time.perf_counter()
    user_model = get_user_model()
    with transaction.atomic():
        enterprise, _ = Enterprise.objects.get_or_create(
            credit_code="91341000MB9999999X",
            defaults={"name": "黄山压测监督建设有限公司", "legal_representative": "王伟"},
        )
        applicant, _ = user_model.objects.get_or_create(
            username=APPLICANT,
            defaults={"role": Role.APPLICANT, "enterprise": enterprise, "last_name": "压测"},
        )
        for k in range(1, AGENTS + 1):
            user_model.objects.get_or_create(
                username=AGENT_USERNAME.format(k),
                defaults={"role": Role.AGENT, "last_name": "代办", "first_name": f"{k:02d}"},
            )
        with connection.cursor() as cursor:
            cursor.execute("SELECT setseed(0.42)")
            _insert(cursor, applications, enterprise.pk, applicant.pk)
    return time.perf_counter() - started


def _insert(cursor, applications, enterprise_id, applicant_id):
    # Depth by project number: 1 stage (10%), 2 (10%), 3 (30%), 4 (50%).
    depth = (
        "(CASE WHEN mod(g, 10) = 0 THEN 1 WHEN mod(g, 10) = 1 THEN 2"
        " WHEN mod(g, 10) < 5 THEN 3 ELSE 4 END)"
    )
    projects = applications * 10 // 32 + 1
    cursor.execute(
        f"""
        CREATE TEMP TABLE bench_projects ON COMMIT DROP AS
        SELECT g, {depth} AS depth,
               (SELECT array_agg(id ORDER BY code) FROM stages_jurisdiction) AS jurisdictions,
               now() - make_interval(days => ({depth} - 1) * 30 + 61 + (random() * 300)::int,
                                     mins => (random() * 600)::int) AS began
        FROM generate_series(1, %s) AS g
        """,
        [projects],
    )
    cursor.execute(
        f"""
        INSERT INTO approvals_project (code, name, address, investment_source, approval_type,
            nature, total_investment, scale, created_at, created_by_id, enterprise_id,
            jurisdiction_id)
        SELECT '', '{MARK}项目' || g, '黄山市压测路' || g || '号', 'social', 'filing', 'new',
               1000 + mod(g, 5000), '', began, %s, %s,
               jurisdictions[1 + mod(g * 7, array_length(jurisdictions, 1))]
        FROM bench_projects ORDER BY g
        RETURNING id
        """,
        [applicant_id, enterprise_id],
    )
    project_ids = [row[0] for row in cursor.fetchall()]
    cursor.execute(
        "ALTER TABLE bench_projects ADD COLUMN project_id bigint;"
        "UPDATE bench_projects b SET project_id = ids.id FROM"
        " (SELECT unnest(%s::bigint[]) AS id, generate_series(1, %s) AS g) ids WHERE ids.g = b.g",
        [project_ids, len(project_ids)],
    )
    state = _state_case()
    accepted, decided, open_final = (
        ", ".join(f"'{s}'" for s in group) for group in (ACCEPTED, DECIDED, OPEN_FINAL)
    )
    cursor.execute(
        f"""
        CREATE TEMP TABLE bench_applications ON COMMIT DROP AS
        WITH steps AS (
            SELECT b.project_id, b.g, b.began, b.depth, s AS stage_number,
                   random() AS r_state, random() AS r_days, random() AS r_decide
            FROM bench_projects b, generate_series(1, b.depth) AS s
            ORDER BY b.g, s LIMIT %s
        ), states AS (
            SELECT *, CASE WHEN stage_number < depth THEN
                        CASE WHEN r_state < 0.3 THEN 'delivered' ELSE 'issued' END
                      ELSE {state} END AS state
            FROM steps
        ), submitted AS (
            SELECT *, CASE WHEN stage_number = depth AND state IN ({open_final})
                          THEN now() - make_interval(days => 1 + (r_days * 59)::int)
                          ELSE began + make_interval(days => (stage_number - 1) * 30) END
                      AS submitted_at
            FROM states
        )
        SELECT s.*, st.id AS stage_id, st.time_limit_working_days AS stage_limit,
               CASE WHEN state IN ({accepted})
                    THEN s.submitted_at + make_interval(hours => 2 + (r_days * 40)::int) END
               AS accepted_at
        FROM submitted s JOIN stages_stage st ON st.number = s.stage_number
            AND st.is_construction
        """,
        [applications],
    )
    cursor.execute(
        f"""
        ALTER TABLE bench_applications ADD COLUMN decided_at timestamptz;
        UPDATE bench_applications SET decided_at = CASE
            WHEN state IN ({decided}) THEN least(now() - interval '1 hour',
                accepted_at + make_interval(days => 3 + (r_decide * 25)::int))
            WHEN state IN ('refused', 'withdrawn') THEN submitted_at + interval '2 days' END;
        INSERT INTO approvals_application (state, number, situation_answers, form_data,
            created_at, submitted_at, accepted_at, decided_at, due_on, created_by_id, stage_id,
            project_id, source, clock_started_on, limit_working_days, paused_working_days,
            paused_since, yellow_on, jurisdiction_id)
        SELECT a.state,
               CASE WHEN a.state <> 'draft' THEN 'BS' || lpad(a.project_id::text, 9, '0')
                                                  || a.stage_number END,
               '{{}}', '{{}}', coalesce(a.submitted_at, a.began), a.submitted_at, a.accepted_at,
               a.decided_at,
               (a.accepted_at AT TIME ZONE 'Asia/Shanghai')::date + ceil(a.stage_limit * 1.4)::int,
               %s, a.stage_id, a.project_id, 'web',
               (a.accepted_at AT TIME ZONE 'Asia/Shanghai')::date, a.stage_limit, 0,
               CASE WHEN a.state = 'suspended' THEN current_date - 3 END,
               (a.accepted_at AT TIME ZONE 'Asia/Shanghai')::date
                   + ceil(a.stage_limit * 1.4 * 0.8)::int,
               p.jurisdiction_id
        FROM bench_applications a JOIN approvals_project p ON p.id = a.project_id
        ORDER BY a.g, a.stage_number
        """,
        [applicant_id],
    )
    _insert_tasks(cursor)
    _insert_delegations(cursor, applicant_id)
    _insert_engagements(cursor, applicant_id)


def _insert_tasks(cursor):
    cursor.execute(
        """
        INSERT INTO approvals_reviewtask (mandatory, state, opinion, due_on, created_at,
            decided_at, application_id, department_id, jurisdiction_id, matter_id,
            clock_started_on, limit_working_days, paused_working_days, paused_since,
            supplement_request, yellow_on)
        SELECT m.mandatory, t.state, CASE WHEN t.state = 'approved' THEN '同意。' ELSE '' END,
               t.started + ceil(m.time_limit_working_days * 1.4)::int, a.accepted_at,
               CASE WHEN t.state IN ('approved', 'rejected') THEN
                   a.accepted_at + (coalesce(a.decided_at, now()) - a.accepted_at) * t.r_done
               END,
               a.id, m.department_id, a.jurisdiction_id, m.id, t.started,
               m.time_limit_working_days, t.paused, NULL, '',
               t.started + ceil(m.time_limit_working_days * 1.4 * 0.8)::int
        FROM approvals_application a
        JOIN approvals_project p ON p.id = a.project_id AND p.name LIKE %s
        JOIN stages_matter m ON m.stage_id = a.stage_id
        CROSS JOIN LATERAL (
            SELECT r, r_done, (a.accepted_at AT TIME ZONE 'Asia/Shanghai')::date AS started,
                   CASE WHEN r < 0.05 THEN 1 + (r * 80)::int ELSE 0 END AS paused,
                   CASE
                     WHEN a.state IN ('approved', 'issued', 'delivered') THEN 'approved'
                     WHEN a.state = 'rejected' THEN
                         CASE WHEN mod(m.id, 3) = 0 THEN 'rejected' ELSE 'approved' END
                     WHEN a.state = 'suspended' THEN 'suspended'
                     WHEN r < 0.30 THEN 'pending'
                     WHEN r < 0.62 THEN 'reviewing'
                     WHEN r < 0.67 THEN 'needs_supplement'
                     ELSE 'approved' END AS state
            FROM (SELECT random() + 0 * a.id AS r, random() AS r_done) AS draws
        ) t
        WHERE a.accepted_at IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM approvals_reviewtask x WHERE x.application_id = a.id)
        """,
        [f"%{MARK}%"],
    )


def _insert_delegations(cursor, applicant_id):
    """30% of the projects delegated to one of the bench agents (a few agents
    far busier than the rest); one in ten of those revoked since."""
    cursor.execute(
        """
        WITH agents AS (
            SELECT array_agg(id ORDER BY id) AS ids FROM portal_user WHERE username LIKE %s
        )
        INSERT INTO approvals_delegation (created_at, revoked_at, agent_id, project_id,
            requested_by_id)
        SELECT b.began, CASE WHEN mod(b.g, 30) = 7 THEN b.began + interval '20 days' END,
               agents.ids[1 + floor(array_length(agents.ids, 1) * power(random(), 2))::int],
               b.project_id, %s
        FROM bench_projects b, agents
        WHERE mod(b.g, 10) IN (3, 6, 7)
        """,
        [AGENT_USERNAME.format("%"), applicant_id],
    )


def _insert_engagements(cursor, applicant_id):
    """Half of the projects engage 1–3 intermediaries: most finished (and
    mostly rated), some in service, some picked, a few cancelled."""
    cursor.execute(
        """
        WITH offers AS (
            SELECT array_agg(intermediary_id ORDER BY id) AS intermediaries,
                   array_agg(service_type ORDER BY id) AS types
            FROM approvals_intermediaryservice
        ), picks AS (
            SELECT b.project_id, b.began, n, random() AS r, random() AS r_days,
                   1 + floor(random() * array_length(o.intermediaries, 1))::int AS offer, o.*
            FROM bench_projects b, offers o, generate_series(1, 1 + mod(b.g, 3)) AS n
            WHERE mod(b.g, 2) = 0
        ), dated AS (
            SELECT *, (began AT TIME ZONE 'Asia/Shanghai')::date + 5 + n * 10 AS started,
                      5 + (r_days * 30)::int AS took
            FROM picks
        )
        INSERT INTO approvals_intermediaryengagement (service_type, need, picked_at, started_on,
            finished_on, working_days, cancelled_at, rating, rating_comment, rated_at,
            intermediary_id, picked_by_id, project_id, rated_by_id, stage_id)
        SELECT types[offer], '压测服务需求', began + make_interval(days => n * 10),
               CASE WHEN r >= 0.10 AND r < 0.95 AND started <= current_date THEN started END,
               CASE WHEN r >= 0.25 AND r < 0.95 AND started + took * 7 / 5 < current_date
                    THEN started + took * 7 / 5 END,
               CASE WHEN r >= 0.25 AND r < 0.95 AND started + took * 7 / 5 < current_date
                    THEN took END,
               CASE WHEN r >= 0.95 THEN began + make_interval(days => n * 10 + 1) END,
               CASE WHEN r >= 0.40 AND r < 0.95 AND started + took * 7 / 5 < current_date
                    THEN 1 + least(4, floor(5.6 * sqrt(r_days)))::int END,
               '', NULL, intermediaries[offer], %s, project_id, NULL, NULL
        FROM dated
        """,
        [applicant_id],
    )
