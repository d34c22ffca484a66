"""Two clerks accept the same application at the same moment: exactly one
acceptance, one history row, one set of tasks; the other gets a message."""

import threading

import pytest
from django.db import connection

from approvals import services
from approvals.models import ReviewTask, TransitionLog
from portal.models import Role

from .factories import ApplicationFactory, complete_draft, load_catalog, staff


@pytest.mark.django_db(transaction=True)
def test_two_clerks_accepting_at_once(pdf_bytes):
    load_catalog()
    application = ApplicationFactory()
    complete_draft(application, pdf_bytes)
    services.submit_application(application.pk, application.created_by)
    clerks = [staff(Role.CLERK, "341000", "data"), staff(Role.CLERK, "341002", "data")]
    barrier = threading.Barrier(2)
    outcomes = []

    def accept(clerk):
        try:
            barrier.wait()
            services.accept_application(application.pk, clerk)
            outcomes.append("accepted")
        except services.StateConflict as error:
            outcomes.append(error.message)
        finally:
            connection.close()

    threads = [threading.Thread(target=accept, args=(clerk,)) for clerk in clerks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes, key=len)[0] == "accepted"
    assert outcomes.count("accepted") == 1
    assert "审查中" in next(o for o in outcomes if o != "accepted")
    assert TransitionLog.objects.filter(application=application, transition="accept").count() == 1
    assert ReviewTask.objects.filter(application=application).count() == len(
        application.applicable_matters()
    )
