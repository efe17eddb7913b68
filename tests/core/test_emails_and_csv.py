import csv
import io

from bacuda_portal.core.csv_export import csv_response
from bacuda_portal.core.emails import render_email


def test_email_renders_in_the_recipients_language(db):
    context = {
        "full_name": "Awa",
        "administration_name": "Sénégal",
        "invited_by": "",
        "link": "http://x/fr/i/",
        "expires_at": None,
    }
    french = render_email(template="members/invitation", context=context, language="fr")
    english = render_email(template="members/invitation", context=context, language="en")
    assert french.subject.startswith("[BACUDA] ")
    assert "Sénégal" in french.subject
    assert french.text != english.text
    assert "Awa" in french.text and "http://x/fr/i/" in french.html
    assert "\n" not in french.subject
    assert '<html lang="fr">' in french.html and '<html lang="en">' in english.html


def test_csv_export_neutralises_spreadsheet_formulas(db):
    response = csv_response(
        filename="t", header=["a", "b"], rows=[["=HYPERLINK(1)", "+1"], ["plain", 3]], actor=None, action="t"
    )
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows == [["a", "b"], ["'=HYPERLINK(1)", "'+1"], ["plain", "3"]]
