"""`seed_demo` (run by `make run`) creates one account per role and the demo workshops, and can run again."""

from django.core.management import call_command

from bacuda_portal.members.enums import Role
from bacuda_portal.members.models import User
from workshops.missions.models import Mission
from workshops.models import Attendance, Workshop, WorkshopRequest


def test_seed_demo_is_idempotent_and_covers_every_role(db, client, capsys):
    call_command("seed_demo")
    output = capsys.readouterr().out
    call_command("seed_demo", quiet=True)
    assert set(User.objects.values_list("role", flat=True)) == set(Role.values)
    assert Workshop.objects.filter(title__startswith="[Demo]").count() == 2
    assert WorkshopRequest.objects.count() == 1
    assert Attendance.objects.count() == 15
    assert Mission.objects.count() == 1
    assert "bacuda-demo-2026" in output and "manager@example.org" in output
    response = client.post(
        "/en/accounts/login/", {"login": "contact.kenya@example.org", "password": "bacuda-demo-2026"}
    )
    assert response.status_code == 302
