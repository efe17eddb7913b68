"""What each kind of notification says by default, and the variables its template may use.

Staff edit the texts (``NotificationTemplate``); these defaults seed them and document the variables. Every kind
has ``recipient_name`` and ``url`` (the page the notification is about) besides its own few variables; the
samples fill the preview and the validation of an edited template.
"""

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .enums import Kind

COMMON_VARIABLES = {
    "recipient_name": _("The recipient's name."),
    "url": _("The address of the page the notification is about."),
}
COMMON_SAMPLE = {"recipient_name": "Amina Diallo", "url": "https://bacuda.example.org/en/..."}
SAMPLE_DAY = dt.datetime(2026, 3, 16, 17, 0, tzinfo=dt.UTC)


@dataclass(frozen=True)
class KindSpec:
    kind: str
    variables: dict
    sample: dict
    subject_en: str
    text_en: str
    subject_fr: str
    text_fr: str
    to_staff: bool = False  # staff choose immediate or the daily digest for these

    def all_variables(self) -> dict:
        return {**COMMON_VARIABLES, **self.variables}

    def sample_context(self) -> dict:
        return {**COMMON_SAMPLE, **self.sample}


SIGN_EN = "\n\nThe BACUDA team, World Customs Organization"
SIGN_FR = "\n\nL'équipe BACUDA, Organisation mondiale des douanes"

_SPECS = (
    KindSpec(
        Kind.WORKSHOP_REQUESTED,
        {"administration": _("The requesting administration."), "topic": _("The requested topic.")},
        {"administration": "Kenya Revenue Authority", "topic": "Data analytics for risk management"},
        "New workshop request from {{ administration }}",
        "{{ administration }} requests a workshop: {{ topic }}.\n\nReview it: {{ url }}" + SIGN_EN,
        "Nouvelle demande d'atelier de {{ administration }}",
        "{{ administration }} demande un atelier : {{ topic }}.\n\nExaminer la demande : {{ url }}" + SIGN_FR,
        to_staff=True,
    ),
    KindSpec(
        Kind.NOMINATION_CREATED,
        {
            "participant": _("The nominated official."),
            "administration": _("Their administration."),
            "workshop": _("The workshop."),
        },
        {"participant": "John Mwangi", "administration": "Kenya Revenue Authority", "workshop": "DATE in practice"},
        "New nomination for {{ workshop }}",
        "{{ administration }} nominated {{ participant }} for {{ workshop }}.\n\nDecide: {{ url }}" + SIGN_EN,
        "Nouvelle candidature pour {{ workshop }}",
        "{{ administration }} a proposé {{ participant }} pour {{ workshop }}.\n\nDécider : {{ url }}" + SIGN_FR,
        to_staff=True,
    ),
    KindSpec(
        Kind.ASSIGNMENT_ANSWERED,
        {
            "expert": _("The expert."),
            "workshop": _("The workshop."),
            "accepted": _("True when the expert accepted, false when they declined."),
        },
        {"expert": "Marie Dupont", "workshop": "DATE in practice", "accepted": True},
        "{{ expert }} answered the assignment for {{ workshop }}",
        "{{ expert }} {% if accepted %}accepted{% else %}declined{% endif %} the assignment for {{ workshop }}."
        "\n\n{{ url }}" + SIGN_EN,
        "{{ expert }} a répondu à l'affectation pour {{ workshop }}",
        "{{ expert }} a {% if accepted %}accepté{% else %}refusé{% endif %} l'affectation pour {{ workshop }}."
        "\n\n{{ url }}" + SIGN_FR,
        to_staff=True,
    ),
    KindSpec(
        Kind.CLAIM_SUBMITTED,
        {"traveller": _("The traveller."), "mission": _("The mission.")},
        {"traveller": "Marie Dupont", "mission": "Nairobi, DATE workshop"},
        "Travel claim to approve: {{ traveller }}",
        "{{ traveller }} submitted the travel claim of the mission {{ mission }}.\n\nReview it: {{ url }}" + SIGN_EN,
        "Demande de remboursement à approuver : {{ traveller }}",
        "{{ traveller }} a soumis la demande de remboursement de la mission {{ mission }}.\n\n"
        "L'examiner : {{ url }}" + SIGN_FR,
        to_staff=True,
    ),
    KindSpec(
        Kind.LETTERS_TO_APPROVE,
        {"call": _("The scholarship call."), "count": _("How many letters wait.")},
        {"call": "BACUDA scholarship 2026", "count": 12},
        "Decision letters to approve: {{ call }}",
        "{{ count }} decision letter(s) of {{ call }} wait for your review before they go out.\n\n{{ url }}" + SIGN_EN,
        "Lettres de décision à approuver : {{ call }}",
        "{{ count }} lettre(s) de décision de {{ call }} attendent votre relecture avant envoi.\n\n{{ url }}" + SIGN_FR,
        to_staff=True,
    ),
    KindSpec(
        Kind.PUBLICATION_AWAITING,
        {"algorithm": _("The model card or version.")},
        {"algorithm": "DATE fraud detection v3"},
        "Publication awaiting your approval: {{ algorithm }}",
        "As its data owner, please approve or refuse the publication of {{ algorithm }}.\n\n{{ url }}" + SIGN_EN,
        "Publication en attente de votre approbation : {{ algorithm }}",
        "En tant que propriétaire des données, veuillez approuver ou refuser la publication de {{ algorithm }}."
        "\n\n{{ url }}" + SIGN_FR,
        to_staff=True,
    ),
    KindSpec(
        Kind.WORK_FAILED,
        {"work": _("The job or report that failed."), "error": _("The reason given.")},
        {"work": "Model job #42", "error": "MemoryError"},
        "Failed: {{ work }}",
        "{{ work }} failed: {{ error }}\n\n{{ url }}" + SIGN_EN,
        "Échec : {{ work }}",
        "{{ work }} a échoué : {{ error }}\n\n{{ url }}" + SIGN_FR,
        to_staff=True,
    ),
    KindSpec(
        Kind.DIGEST,
        {
            "count": _("How many events the digest lists."),
            "events": _("The events, each with subject, about and url."),
        },
        {
            "count": 2,
            "events": [
                {
                    "subject": "New nomination for DATE in practice",
                    "about": "John Mwangi",
                    "url": "https://bacuda.example.org/en/...",
                }
            ],
        },
        "Your BACUDA digest: {{ count }} event(s)",
        "Dear {{ recipient_name }},\n\nWhat happened in the portal since your last digest:\n"
        "{% for event in events %}\n- {{ event.subject }}{% if event.about %}: {{ event.about }}{% endif %}"
        "\n  {{ event.url }}{% endfor %}" + SIGN_EN,
        "Votre récapitulatif BACUDA : {{ count }} événement(s)",
        "Bonjour {{ recipient_name }},\n\nCe qui s'est passé dans le portail depuis votre dernier récapitulatif :\n"
        "{% for event in events %}\n- {{ event.subject }}{% if event.about %} : {{ event.about }}{% endif %}"
        "\n  {{ event.url }}{% endfor %}" + SIGN_FR,
    ),
    KindSpec(
        Kind.ENDORSEMENT_REQUESTED,
        {"applicant": _("The applicant."), "call": _("The scholarship call.")},
        {"applicant": "John Mwangi", "call": "BACUDA scholarship 2026"},
        "Application awaiting your endorsement: {{ applicant }}",
        "Dear {{ recipient_name }},\n\n{{ applicant }} of your administration applied to {{ call }}. Please endorse "
        "or decline the application: {{ url }}" + SIGN_EN,
        "Candidature en attente de votre approbation : {{ applicant }}",
        "Bonjour {{ recipient_name }},\n\n{{ applicant }}, de votre administration, a posé sa candidature à "
        "{{ call }}. Veuillez approuver ou non cette candidature : {{ url }}" + SIGN_FR,
    ),
    KindSpec(
        Kind.NOMINATION_DECIDED,
        {"participant": _("The nominated official."), "workshop": _("The workshop."), "decision": _("The decision.")},
        {"participant": "John Mwangi", "workshop": "DATE in practice", "decision": "Accepted"},
        "Nomination for {{ workshop }}: {{ decision }}",
        "Dear {{ recipient_name }},\n\nThe nomination of {{ participant }} for {{ workshop }}: {{ decision }}."
        "\n\n{{ url }}" + SIGN_EN,
        "Candidature pour {{ workshop }} : {{ decision }}",
        "Bonjour {{ recipient_name }},\n\nLa candidature de {{ participant }} pour {{ workshop }} : {{ decision }}."
        "\n\n{{ url }}" + SIGN_FR,
    ),
    KindSpec(
        Kind.CALL_CLOSING,
        {"call": _("The scholarship call."), "closes_at": _("When it closes.")},
        {"call": "BACUDA scholarship 2026", "closes_at": SAMPLE_DAY},
        "{{ call }} closes on {{ closes_at|date:'DATE_FORMAT' }}",
        "Dear {{ recipient_name }},\n\nApplications to {{ call }} close on {{ closes_at|date:'DATETIME_FORMAT' }}. "
        "Please remind your officers who wish to apply.\n\n{{ url }}" + SIGN_EN,
        "{{ call }} se clôt le {{ closes_at|date:'DATE_FORMAT' }}",
        "Bonjour {{ recipient_name }},\n\nLes candidatures à {{ call }} se clôturent le "
        "{{ closes_at|date:'DATETIME_FORMAT' }}. Pensez à le rappeler aux agents qui souhaitent postuler.\n\n"
        "{{ url }}" + SIGN_FR,
    ),
    KindSpec(
        Kind.REVIEWS_ASSIGNED,
        {"call": _("The scholarship call."), "count": _("How many applications to review.")},
        {"call": "BACUDA scholarship 2026", "count": 5},
        "Applications to review: {{ call }}",
        "Dear {{ recipient_name }},\n\n{{ count }} application(s) of {{ call }} have been assigned to you for "
        "review.\n\n{{ url }}" + SIGN_EN,
        "Candidatures à évaluer : {{ call }}",
        "Bonjour {{ recipient_name }},\n\n{{ count }} candidature(s) à {{ call }} vous ont été confiées pour "
        "évaluation.\n\n{{ url }}" + SIGN_FR,
    ),
    KindSpec(
        Kind.REVIEWS_DUE,
        {
            "call": _("The scholarship call."),
            "count": _("How many reviews are still open."),
            "closes_at": _("When the review phase closes."),
        },
        {"call": "BACUDA scholarship 2026", "count": 3, "closes_at": SAMPLE_DAY},
        "Reviews due on {{ closes_at|date:'DATE_FORMAT' }}: {{ call }}",
        "Dear {{ recipient_name }},\n\n{{ count }} review(s) of {{ call }} are still open; the review phase closes "
        "on {{ closes_at|date:'DATETIME_FORMAT' }}.\n\n{{ url }}" + SIGN_EN,
        "Évaluations à rendre le {{ closes_at|date:'DATE_FORMAT' }} : {{ call }}",
        "Bonjour {{ recipient_name }},\n\n{{ count }} évaluation(s) de {{ call }} restent à faire ; la phase "
        "d'évaluation se termine le {{ closes_at|date:'DATETIME_FORMAT' }}.\n\n{{ url }}" + SIGN_FR,
    ),
    KindSpec(
        Kind.ASSIGNMENT_OFFERED,
        {
            "workshop": _("The workshop."),
            "role": _("The role proposed."),
            "start_date": _("The first day."),
            "end_date": _("The last day."),
        },
        {
            "workshop": "DATE in practice",
            "role": "Trainer",
            "start_date": dt.date(2026, 4, 13),
            "end_date": dt.date(2026, 4, 17),
        },
        "Assignment proposed: {{ workshop }}",
        "Dear {{ recipient_name }},\n\nYou are proposed as {{ role }} for {{ workshop }} "
        "({{ start_date|date:'DATE_FORMAT' }} to {{ end_date|date:'DATE_FORMAT' }}). Please accept or decline in "
        "the portal: {{ url }}" + SIGN_EN,
        "Affectation proposée : {{ workshop }}",
        "Bonjour {{ recipient_name }},\n\nVous êtes proposé(e) comme {{ role }} pour {{ workshop }} "
        "(du {{ start_date|date:'DATE_FORMAT' }} au {{ end_date|date:'DATE_FORMAT' }}). Veuillez accepter ou "
        "refuser dans le portail : {{ url }}" + SIGN_FR,
    ),
    KindSpec(
        Kind.OFFER_REPLY_DUE,
        {"call": _("The scholarship call."), "reply_by": _("The reply-by date.")},
        {"call": "BACUDA scholarship 2026", "reply_by": SAMPLE_DAY},
        "Please answer your scholarship offer by {{ reply_by|date:'DATE_FORMAT' }}",
        "Dear {{ recipient_name }},\n\nYour offer for {{ call }} is open until "
        "{{ reply_by|date:'DATETIME_FORMAT' }}. Please accept or decline it: {{ url }}" + SIGN_EN,
        "Merci de répondre à votre offre de bourse avant le {{ reply_by|date:'DATE_FORMAT' }}",
        "Bonjour {{ recipient_name }},\n\nVotre offre pour {{ call }} est ouverte jusqu'au "
        "{{ reply_by|date:'DATETIME_FORMAT' }}. Veuillez l'accepter ou la refuser : {{ url }}" + SIGN_FR,
    ),
    KindSpec(
        Kind.QUESTIONNAIRE_OPEN,
        {
            "workshop": _("The workshop."),
            "questionnaire": _("The questionnaire."),
            "closes_at": _("When it closes (may be empty)."),
        },
        {"workshop": "DATE in practice", "questionnaire": "End-of-workshop survey", "closes_at": SAMPLE_DAY},
        "Your opinion on {{ workshop }}: {{ questionnaire }}",
        'Dear {{ recipient_name }},\n\nThe questionnaire "{{ questionnaire }}" of {{ workshop }} is open'
        "{% if closes_at %} until {{ closes_at|date:'DATETIME_FORMAT' }}{% endif %}. Answer it on your page: "
        "{{ url }}" + SIGN_EN,
        "Votre avis sur {{ workshop }} : {{ questionnaire }}",
        "Bonjour {{ recipient_name }},\n\nLe questionnaire « {{ questionnaire }} » de {{ workshop }} est ouvert"
        "{% if closes_at %} jusqu'au {{ closes_at|date:'DATETIME_FORMAT' }}{% endif %}. Répondez-y sur votre "
        "page : {{ url }}" + SIGN_FR,
    ),
    KindSpec(
        Kind.QUESTIONNAIRE_CLOSING,
        {"workshop": _("The workshop."), "questionnaire": _("The questionnaire."), "closes_at": _("When it closes.")},
        {"workshop": "DATE in practice", "questionnaire": "End-of-workshop survey", "closes_at": SAMPLE_DAY},
        "Reminder: {{ questionnaire }} closes on {{ closes_at|date:'DATE_FORMAT' }}",
        'Dear {{ recipient_name }},\n\nThe questionnaire "{{ questionnaire }}" of {{ workshop }} closes on '
        "{{ closes_at|date:'DATETIME_FORMAT' }} and we have not yet received your answers. Answer it on your "
        "page: {{ url }}" + SIGN_EN,
        "Rappel : {{ questionnaire }} se clôt le {{ closes_at|date:'DATE_FORMAT' }}",
        "Bonjour {{ recipient_name }},\n\nLe questionnaire « {{ questionnaire }} » de {{ workshop }} se clôt le "
        "{{ closes_at|date:'DATETIME_FORMAT' }} et nous n'avons pas encore reçu vos réponses. Répondez-y sur "
        "votre page : {{ url }}" + SIGN_FR,
    ),
)

KINDS: dict[str, KindSpec] = {spec.kind: spec for spec in _SPECS}
STAFF_KINDS = frozenset(spec.kind for spec in _SPECS if spec.to_staff)
assert set(KINDS) == set(Kind.values), "every Kind needs its default texts"
