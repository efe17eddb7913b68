"""The contact point endorses or declines applications from their administration and ranks them within quota."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from bacuda_portal.core.exceptions import TransitionError
from scholarships import services
from scholarships.models import Endorsement

from .factories import SubmittedApplicationFactory


@pytest.fixture
def three(call, kenya):
    return [SubmittedApplicationFactory(call=call, administration=kenya, full_name=f"Kenyan {n}") for n in range(3)]


def _endorse(client, application, decision="endorsed", comment=""):
    return client.post(
        reverse("scholarships:endorsement_decide", args=[application.pk]),
        {"decision": decision, "comment": comment},
        follow=True,
    )


def test_endorsing_takes_the_next_rank_and_the_quota_is_enforced(client_as, contact_point, three):
    client = client_as(contact_point)
    _endorse(client, three[0])
    _endorse(client, three[1])
    response = _endorse(client, three[2])
    assert "already endorsed 2 candidates, the quota of this call" in response.content.decode()
    for application in three:
        application.refresh_from_db()
    assert [a.endorsement.rank for a in three[:2]] == [1, 2]
    assert three[2].endorsement_status == "pending"
    assert not Endorsement.objects.filter(application=three[2]).exists()


def test_declining_needs_a_comment_and_frees_a_place(client_as, contact_point, three):
    client = client_as(contact_point)
    _endorse(client, three[0])
    _endorse(client, three[1])
    response = _endorse(client, three[0], decision="declined")
    assert "Please say why you do not endorse this application." in response.content.decode()
    _endorse(client, three[0], decision="declined", comment="Not in a data role.")
    _endorse(client, three[2])
    for application in three:
        application.refresh_from_db()
    assert three[0].endorsement_status == "declined" and three[0].endorsement.rank is None
    assert three[0].eligibility_result == "ineligible"
    assert [three[1].endorsement.rank, three[2].endorsement.rank] == [1, 2]


def test_the_contact_point_reorders_the_ranking(client_as, contact_point, kenya, call, three):
    client = client_as(contact_point)
    _endorse(client, three[0])
    _endorse(client, three[1])
    url = reverse("scholarships:endorsement_rank", args=[call.pk])
    client.post(url, {"order": [three[1].pk, three[0].pk]})
    for application in three:
        application.refresh_from_db()
    assert [three[1].endorsement.rank, three[0].endorsement.rank] == [1, 2]
    response = client.post(url, {"order": [three[2].pk, three[0].pk]}, follow=True)
    assert "List every endorsed candidate once, and only them." in response.content.decode()


def test_withdrawing_frees_the_rank(contact_point, kenya, three):
    for application in three[:2]:
        services.endorsement_decide(
            application=application, administration=kenya, decision="endorsed", comment="", by=contact_point
        )
    services.application_withdraw(application=three[0], by=three[0].applicant)
    three[1].endorsement.refresh_from_db()
    assert three[1].endorsement.rank == 1


def test_another_administrations_application_is_refused_by_the_service(other_contact_point, senegal, application):
    with pytest.raises(TransitionError):
        services.endorsement_decide(
            application=application, administration=senegal, decision="endorsed", comment="", by=other_contact_point
        )


def test_a_withdrawn_application_cannot_be_endorsed(contact_point, kenya, application):
    services.application_withdraw(application=application, by=application.applicant)
    with pytest.raises(TransitionError):
        services.endorsement_decide(
            application=application, administration=kenya, decision="endorsed", comment="", by=contact_point
        )


def test_an_unknown_decision_is_refused(contact_point, kenya, application):
    with pytest.raises(ValidationError):
        services.endorsement_decide(
            application=application, administration=kenya, decision="maybe", comment="", by=contact_point
        )


def test_contact_point_list_query_count_does_not_grow(
    client_as, contact_point, call, kenya, django_assert_max_num_queries
):
    client = client_as(contact_point)
    applications = [SubmittedApplicationFactory(call=call, administration=kenya) for _ in range(15)]
    for application in applications[:2]:
        services.endorsement_decide(
            application=application, administration=kenya, decision="endorsed", comment="", by=contact_point
        )
    client.get(reverse("scholarships:endorsement_list"))  # warm the session
    with django_assert_max_num_queries(8):
        response = client.get(reverse("scholarships:endorsement_list"))
    assert response.status_code == 200
