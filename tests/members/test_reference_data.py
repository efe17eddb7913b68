"""The six WCO regions and the 186 WCO Members are in the database after `migrate`, as editable data."""

from collections import Counter

import pytest
from django.core.management import call_command

from bacuda_portal.members import reference_data, services
from bacuda_portal.members.models import Administration, Region


def test_six_regions_with_english_and_french_names(db):
    regions = {region.code: region for region in Region.objects.all()}
    assert list(regions) == ["AMS", "AP", "ESA", "EUR", "MENA", "WCA"]
    assert regions["ESA"].name_en == "East and Southern Africa"
    assert regions["ESA"].name_fr == "Afrique orientale et australe"
    assert all(region.name_fr and region.name_en for region in regions.values())


def test_186_members_as_of_january_2023(db):
    members = Administration.objects.members()
    assert members.count() == 186
    kinds = Counter(members.values_list("kind", flat=True))
    assert kinds == {"state": 179, "observer_state": 1, "partially_recognised": 1, "customs_territory": 4, "union": 1}
    territories = set(members.filter(kind="customs_territory").values_list("name_en", flat=True))
    assert territories == {"Bermuda", "Curaçao", "Hong Kong, China", "Macao, China"}
    assert members.get(code="SLB").joined_year == 2023  # Solomon Islands


def test_every_member_has_a_region_and_names_in_both_languages(db):
    for administration in Administration.objects.select_related("region"):
        assert administration.name_en and administration.name_fr, administration.code
        assert administration.region.code in {"AMS", "AP", "ESA", "EUR", "MENA", "WCA"}


def test_iso_codes_where_they_exist(db):
    without_iso = set(Administration.objects.filter(iso_alpha2="").values_list("code", flat=True))
    assert without_iso == {"XKX", "EUU"}  # Kosovo and the European Union have no ISO 3166-1 code
    kenya = Administration.objects.get(code="KEN")
    assert (kenya.iso_alpha2, kenya.iso_alpha3, kenya.iso_numeric) == ("KE", "KEN", "404")


def test_names_follow_the_active_language(db):
    from django.utils import translation

    germany = Administration.objects.get(code="DEU")
    with translation.override("fr"):
        assert germany.name == "Allemagne"
    with translation.override("en"):
        assert germany.name == "Germany"


def test_data_file_keeps_its_source_and_date():
    header = reference_data.MEMBERS_FILE.read_text(encoding="utf-8").splitlines()[0]
    readme = (reference_data.DATA_DIR / "README.md").read_text(encoding="utf-8")
    assert header.startswith("# WCO Members (186)") and "January 2023" in header and "Source:" in header
    assert "2023" in readme and "186" in readme


def test_sync_is_idempotent(db):
    result = services.reference_data_sync()
    assert result.created == [] and result.updated == []
    assert result.unchanged == 186


def test_sync_adds_a_new_member_and_updates_a_name(db, tmp_path):
    members = tmp_path / "members.csv"
    original = reference_data.MEMBERS_FILE.read_text(encoding="utf-8")
    changed = original.replace("Kenya,", "Republic of Kenya,", 1)
    changed += "PLW,PW,PLW,585,Palau,Palaos,AP,state,2024\n"
    members.write_text(changed, encoding="utf-8")
    result = services.reference_data_sync(members_file=members)
    assert result.created == ["PLW"]
    assert result.updated == ["KEN"]
    assert Administration.objects.get(code="KEN").name_en == "Republic of Kenya"
    assert Administration.objects.members().count() == 187


def test_load_command_reports_what_changed(db, capsys):
    call_command("load_wco_members")
    assert "0 created, 0 updated, 186 unchanged" in capsys.readouterr().out


def test_retire_and_reinstate(db, staff):
    from bacuda_portal.core.exceptions import TransitionError

    kenya = Administration.objects.get(code="KEN")
    services.administration_retire(administration=kenya, by=staff)
    assert Administration.objects.members().count() == 185
    with pytest.raises(TransitionError):
        services.administration_retire(administration=kenya, by=staff)
    services.administration_reinstate(administration=kenya, by=staff)
    assert Administration.objects.members().count() == 186
