"""`seed_demo` (what `make run` loads): the demo logins can reach their
pages, including the enterprise administrator's member list."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_demo_logins_reach_their_pages(client):
    call_command("seed_demo", stdout=StringIO())
    users = get_user_model().objects
    for username, url in [
        ("applicant", "/enterprise/members/"),
        ("applicant2", "/enterprise/members/"),
        ("clerk", "/staff/window/"),
        ("reviewer_housing", "/staff/tasks/"),
        ("supervisor", "/staff/supervision/"),
    ]:
        client.force_login(users.get(username=username))
        assert client.get(url).status_code == 200, (username, url)
    assert users.get(username="applicant").is_enterprise_admin
    assert not users.get(username="agent").is_enterprise_admin
