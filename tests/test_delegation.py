"""全程代办: an agent of the project's zone is assigned, sees and acts on
the delegated project only, every action recorded as the agent's; the
enterprise revokes it and access ends."""

import pytest
from django.urls import reverse

from approvals import services
from approvals.models import Application, TransitionLog
from approvals.services.delegation import request_agent, revoke_delegation
from portal.models import Role
from stages.models import AgentPosting, AgentZone, Jurisdiction

from .factories import ApplicationFactory, UserFactory, complete_draft

pytestmark = pytest.mark.django_db


def agent_in(zone_jurisdiction_code, **kwargs):
    jurisdiction = Jurisdiction.objects.get(code=zone_jurisdiction_code)
    zone, _ = AgentZone.objects.get_or_create(
        name=f"{jurisdiction.name}代办组", defaults={"jurisdiction": jurisdiction}
    )
    agent = UserFactory(role=Role.AGENT, **kwargs)
    AgentPosting.objects.create(user=agent, zone=zone)
    return agent


def test_the_least_loaded_agent_of_the_zone_is_assigned(catalog):
    busy, free = agent_in("341002"), agent_in("341002")
    elsewhere = agent_in("341003")
    first = ApplicationFactory().project
    second = ApplicationFactory().project
    assert request_agent(first.pk, first.created_by).agent in (busy, free)
    assigned = request_agent(second.pk, second.created_by).agent
    assert assigned != elsewhere
    assert {d.agent for d in [*first.delegations.all(), *second.delegations.all()]} == {busy, free}
    with pytest.raises(services.ServiceError, match="已有代办员"):
        request_agent(first.pk, first.created_by)


def test_agent_acts_for_the_enterprise_until_revoked(catalog, client, pdf_bytes):
    agent = agent_in("341002")
    application = ApplicationFactory()
    other = ApplicationFactory()  # another enterprise, not delegated
    delegation = request_agent(application.project.pk, application.created_by)

    client.force_login(agent)
    assert application.project.name in client.get("/projects/").content.decode()
    assert other.project.name not in client.get("/projects/").content.decode()
    for url in (f"/applications/{other.pk}/", f"/projects/{other.project.pk}/"):
        assert client.get(url).status_code == 404

    application.created_by = agent  # the agent fills and submits
    complete_draft(application, pdf_bytes)
    services.submit_application(application.pk, agent)
    assert Application.objects.get(pk=application.pk).state == "submitted"
    entry = TransitionLog.objects.get(application=application, transition="submit")
    assert entry.actor == agent
    page = client.get(f"/applications/{application.pk}/").content.decode()
    assert f"代 {application.project.enterprise.name}" in page

    revoke_delegation(delegation.pk, application.project.enterprise.members.first())
    assert client.get(f"/applications/{application.pk}/").status_code == 404


def test_access_matrix_no_object_url_leaks(catalog, client, pdf_bytes):
    """Every applicant-side URL naming an object, requested by another
    enterprise's user, an agent not delegated, and an anonymous visitor."""
    application = complete_draft(ApplicationFactory(), pdf_bytes)
    material = application.materials.first()
    project = application.project
    urls = [
        reverse("project_detail", args=[project.pk]),
        reverse("application_detail", args=[application.pk]),
        reverse("application_edit", args=[application.pk]),
        reverse("application_situations", args=[application.pk]),
        reverse("application_review", args=[application.pk]),
        reverse("material_download", args=[application.pk, material.pk]),
    ]
    posts = [
        reverse("application_submit", args=[application.pk]),
        reverse("application_withdraw", args=[application.pk]),
        reverse("material_upload", args=[application.pk]),
        reverse("application_start", args=[project.pk]),
        reverse("delegation_request", args=[project.pk]),
    ]
    outsiders = [ApplicationFactory().created_by, agent_in("341002")]
    for outsider in outsiders:
        client.force_login(outsider)
        for url in urls:
            assert client.get(url).status_code in (403, 404), (outsider.role, url)
        for url in posts:
            assert client.post(url).status_code in (403, 404), (outsider.role, url)
    client.logout()
    for url in urls + posts:
        response = client.get(url) if url in urls else client.post(url)
        assert response.status_code == 302 and "/accounts/login/" in response.url, url
    assert Application.objects.get(pk=application.pk).state == "draft"
