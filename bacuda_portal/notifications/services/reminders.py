"""Periodic reminders, as idempotent sweeps (beat runs ``reminders_run`` every hour).

Each sweep looks for everything due now and not yet reminded: the log's unique (kind, recipient, object,
occasion) marker makes a second run send nothing, and a run missed (a worker or beat down) is caught up by the
next one as long as the moment has not passed.

The domain apps' selectors are imported inside the sweeps: those apps' services import this package to notify,
and a module-level import would make a circle.
"""

import datetime as dt

from django.utils import timezone

from bacuda_portal.members import selectors as member_selectors

from ..enums import Kind
from ..models import Notification
from .delivery import Recipient, notify, notify_user, notify_users

CALL_CLOSING_NOTICE = dt.timedelta(days=7)
REVIEWS_DUE_NOTICE = dt.timedelta(days=3)
OFFER_REPLY_NOTICE = dt.timedelta(days=3)
QUESTIONNAIRE_CLOSING_NOTICE = dt.timedelta(days=2)


def calls_closing(now: dt.datetime) -> int:
    """Contact points: a published call closes within a week."""
    from scholarships import selectors as scholarship_selectors

    sent = 0
    contact_points = list(member_selectors.all_active_contact_point_users())
    for call in scholarship_selectors.calls_closing_between(now, now + CALL_CLOSING_NOTICE):
        sent += len(
            notify_users(
                kind=Kind.CALL_CLOSING,
                users=contact_points,
                context={"call": call.name_for_emails, "closes_at": call.closes_at},
                about=call,
                link=("scholarships:call_detail", {"pk": call.pk}),
                occasion="closing",
                now=now,
            )
        )
    return sent


def reviews_due(now: dt.datetime) -> int:
    """Reviewers: a review phase closes within three days and some of their reviews are still to do."""
    from scholarships import selectors as scholarship_selectors

    due = scholarship_selectors.reviews_due_between(now, now + REVIEWS_DUE_NOTICE)
    users = {user.pk: user for user in member_selectors.users_by_ids({row.reviewer_user_id for row in due})}
    sent = 0
    for row in due:
        user = users.get(row.reviewer_user_id)
        if user is None:
            continue
        sent += notify_user(
            kind=Kind.REVIEWS_DUE, user=user,
            context={"call": row.phase.call.name_for_emails, "count": row.count, "closes_at": row.phase.closes_at},
            about=row.phase, link=("scholarships:review_list", {}), occasion="due", now=now,
        ) is not None  # fmt: skip
    return sent


def offers_reply_due(now: dt.datetime) -> int:
    """Applicants: their open offer's reply-by date is within three days."""
    from scholarships import selectors as scholarship_selectors

    sent = 0
    for decision in scholarship_selectors.offers_due_between(now, now + OFFER_REPLY_NOTICE):
        sent += notify_user(
            kind=Kind.OFFER_REPLY_DUE, user=decision.application.applicant,
            context={"call": decision.call.name_for_emails, "reply_by": decision.reply_by}, about=decision,
            link=("scholarships:offer_reply", {"pk": decision.application_id}), occasion="reply_by", now=now,
        ) is not None  # fmt: skip
    return sent


def _participant(nomination) -> Recipient:
    language = nomination.language if nomination.language in ("en", "fr") else "en"
    return Recipient(email=nomination.email, language=language, name=nomination.full_name)


def questionnaires(now: dt.datetime) -> int:
    """Participants: each open questionnaire once (with their personal link), and a reminder to those who have
    not answered when it closes within two days."""
    from workshops.evaluations import selectors as evaluation_selectors
    from workshops.services import participant_link_new

    sent = 0
    for questionnaire in evaluation_selectors.questionnaires_accepting_answers(now):
        closing = bool(questionnaire.closes_at and questionnaire.closes_at <= now + QUESTIONNAIRE_CLOSING_NOTICE)
        occasions = [(Kind.QUESTIONNAIRE_OPEN, "open", False)]
        if closing:
            occasions.append((Kind.QUESTIONNAIRE_CLOSING, "closing", True))
        for kind, occasion, unanswered_only in occasions:
            for nomination in evaluation_selectors.participants_to_remind(
                questionnaire, unanswered_only=unanswered_only
            ):
                about_key = f"{questionnaire._meta.label_lower}:{questionnaire.pk}"
                if (
                    not nomination.email
                    or Notification.objects.filter(
                        kind=kind, email=nomination.email, about_key=about_key, occasion=occasion
                    ).exists()
                ):
                    continue  # reminded already: no new personal link either
                sent += notify(
                    kind=kind, recipient=_participant(nomination),
                    context={"workshop": questionnaire.workshop.title_for_emails, "questionnaire": str(questionnaire),
                             "closes_at": questionnaire.closes_at},
                    about=questionnaire, link=participant_link_new(nomination=nomination, by=None),
                    occasion=occasion, now=now,
                ) is not None  # fmt: skip
    return sent


def reminders_run(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Every reminder sweep; returns how many messages each logged."""
    now = now or timezone.now()
    return {
        "call_closing": calls_closing(now),
        "reviews_due": reviews_due(now),
        "offer_reply_due": offers_reply_due(now),
        "questionnaires": questionnaires(now),
    }
