"""The applicant chooses at submission how the result reaches them (窗口领取
or 免费邮寄 to an address); the window's delivery form starts from it."""

import re

import pytest

from approvals import services
from approvals.models import Application

from .factories import ApplicationFactory, complete_draft

pytestmark = pytest.mark.django_db
ADDRESS = "黄山市屯溪区黎阳路1号 李经办 13905590001"


@pytest.fixture
def draft(catalog, client, pdf_bytes):
    application = complete_draft(ApplicationFactory(), pdf_bytes)
    client.force_login(application.created_by)
    return application


def submit(client, application, **data):
    return client.post(f"/applications/{application.pk}/submit/", data)


def test_review_page_offers_the_choice_with_window_collection_preselected(client, draft):
    page = client.get(f"/applications/{draft.pk}/review/").content.decode()
    assert re.search(r'<input[^>]*value="collect"[^>]*checked', page)
    assert 'value="mail"' in page
    assert '<label for="id_delivery_address"' in page


def test_mail_without_address_is_refused_and_nothing_is_lost(client, draft):
    response = submit(client, draft, delivery_method="mail", delivery_address=" ", declaration="1")
    page = response.content.decode()
    assert response.status_code == 200
    assert 'class="error-summary"' in page
    assert '<a href="#id_delivery_address">邮寄地址：选择免费邮寄时请填写邮寄地址。' in page
    assert re.search(r'<input[^>]*value="mail"[^>]*checked', page)
    assert re.search(r'<input[^>]*name="declaration"[^>]*checked', page)
    assert Application.objects.get(pk=draft.pk).state == "draft"


def test_missing_declaration_is_named_on_the_page(client, draft):
    page = submit(client, draft, delivery_method="collect").content.decode()
    assert '<a href="#id_declaration">' in page and "请阅读并勾选申请承诺书" in page
    assert Application.objects.get(pk=draft.pk).state == "draft"


def test_mail_choice_is_stored_and_shown(client, draft):
    submit(client, draft, delivery_method="mail", delivery_address=ADDRESS, declaration="1")
    application = Application.objects.get(pk=draft.pk)
    assert application.state == "submitted"
    assert (application.delivery_method, application.delivery_address) == ("mail", ADDRESS)
    page = client.get(f"/applications/{draft.pk}/").content.decode()
    assert "免费邮寄：" + ADDRESS in page


def test_collect_choice_drops_a_typed_address(client, draft):
    submit(client, draft, delivery_method="collect", delivery_address=ADDRESS, declaration="1")
    application = Application.objects.get(pk=draft.pk)
    assert (application.delivery_method, application.delivery_address) == ("collect", "")


def issued(application, clerk):
    services.accept_application(application.pk, clerk)
    Application.objects.filter(pk=application.pk).update(state="issued")


def test_window_delivery_form_defaults_to_the_applicants_choice(client, draft, clerk):
    submit(client, draft, delivery_method="mail", delivery_address=ADDRESS, declaration="1")
    issued(draft, clerk)
    client.force_login(clerk)
    page = client.get(f"/applications/{draft.pk}/").content.decode()
    assert "申请人选择：免费邮寄（" + ADDRESS + "）" in page
    form = page.split('id="deliver-title"', 1)[1]
    assert re.search(r'<input[^>]*name="method"[^>]*value="mail"[^>]*checked', form)
    assert re.search(r'name="address"[^>]*value="' + re.escape(ADDRESS), form)


def test_delivery_without_an_address_takes_the_applicants(client, draft, clerk):
    submit(client, draft, delivery_method="mail", delivery_address=ADDRESS, declaration="1")
    issued(draft, clerk)
    services.record_delivery(
        draft.pk, clerk, method="mail", carrier="ems", tracking_number="1234567890123"
    )
    application = Application.objects.get(pk=draft.pk)
    assert application.state == "delivered"
    assert application.delivery.address == ADDRESS


def test_window_collection_chosen_is_preselected_for_the_clerk(client, draft, clerk):
    submit(client, draft, delivery_method="collect", declaration="1")
    issued(draft, clerk)
    client.force_login(clerk)
    form = client.get(f"/applications/{draft.pk}/").content.decode().split('id="deliver-title"')[1]
    assert "申请人选择：窗口领取" in form
    assert re.search(r'<input[^>]*name="method"[^>]*value="collect"[^>]*checked', form)


# --- Changing the choice after submitting ------------------------------------------


def change(client, application, **data):
    return client.post(f"/applications/{application.pk}/delivery-choice/", data)


def test_the_choice_can_change_after_submitting_until_handed_over(client, draft, clerk):
    submit(client, draft, delivery_method="collect", declaration="1")
    page = client.get(f"/applications/{draft.pk}/").content.decode()
    assert "更改证照领取方式" in page
    change(client, draft, delivery_method="mail", delivery_address=ADDRESS)
    draft.refresh_from_db()
    assert (draft.delivery_method, draft.delivery_address) == ("mail", ADDRESS)

    response = change(client, draft, delivery_method="mail", delivery_address="  ")
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.delivery_address == ADDRESS  # refused, nothing lost
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("选择免费邮寄时请填写邮寄地址" in m for m in messages)

    change(client, draft, delivery_method="collect", delivery_address=ADDRESS)
    draft.refresh_from_db()
    assert (draft.delivery_method, draft.delivery_address) == ("collect", "")

    Application.objects.filter(pk=draft.pk).update(state="delivered")
    with pytest.raises(services.ServiceError, match="不能再更改领取方式"):
        services.change_delivery_choice(draft.pk, draft.created_by, "mail", ADDRESS)
    assert "更改证照领取方式" not in client.get(f"/applications/{draft.pk}/").content.decode()


def test_only_the_enterprise_or_its_agent_may_change_it(client, draft, clerk):
    submit(client, draft, delivery_method="collect", declaration="1")
    outsider = ApplicationFactory().created_by
    client.force_login(outsider)
    assert (
        change(client, draft, delivery_method="mail", delivery_address=ADDRESS).status_code == 404
    )
    client.force_login(clerk)
    assert (
        change(client, draft, delivery_method="mail", delivery_address=ADDRESS).status_code == 403
    )
    draft.refresh_from_db()
    assert draft.delivery_method == "collect"
