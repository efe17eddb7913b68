from bacuda_portal.members.models import Administration
from workshops.forms import WorkshopForm


def _form(beneficiaries):
    return WorkshopForm(
        data={
            "title": "T",
            "kind": "national",
            "beneficiaries": beneficiaries,
            "quota": 2,
            "start_date": "2030-01-01",
            "end_date": "2030-01-02",
        }
    )


def test_an_id_beyond_64_bits_is_an_invalid_choice_not_a_server_error(db):
    form = _form([str(2**63)])
    assert not form.is_valid()
    assert "beneficiaries" in form.errors


def test_real_ids_still_pass_the_field(db):
    kenya = Administration.objects.get(code="KEN")
    form = _form([str(kenya.pk)])
    form.is_valid()
    assert "beneficiaries" not in form.errors
