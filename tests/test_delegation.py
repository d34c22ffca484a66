"""全程代办: an agent of the project's zone is assigned, sees and acts on
the delegated project only, every action recorded as the agent's; the
enterprise revokes it and access ends."""

import pytest

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
