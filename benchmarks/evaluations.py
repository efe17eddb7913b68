"""Evaluations at volume: the results page of a workshop with 200 participants who answered all four
questionnaires, and the donor progress report of a year whose workshops were all evaluated.

The data is ``seed_demo`` topped up with ``--workshops`` delivered workshops in ``--year`` (25 accepted participants
each, 200 in the first), each with a reaction survey (anonymous; four ratings and a comment), knowledge pre- and
post-tests (ten scored questions) and a follow-up survey (an application rating), every participant answering
all four. Answers are bulk-inserted (the shape ``services.submit`` writes). The page is measured in-process through
Django's test client (application time), the report rendered the way the ``reports`` worker renders it.

    .venv/bin/python -m benchmarks.evaluations [--requests 30] [--year 2025] [--workshops 40] [--write]
"""

import argparse
import datetime as dt
import os
import random
import statistics
import time

from benchmarks.common import measure, use_database, write_section

use_database("bench-evaluations.sqlite3")

from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402


def fresh_database() -> None:
    from pathlib import Path

    from django.conf import settings
    from django.core.management import call_command

    if connection.vendor == "sqlite":
        Path(settings.DATABASES["default"]["NAME"]).unlink(missing_ok=True)
    else:
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    call_command("migrate", verbosity=0, interactive=False, run_syncdb=True)
    call_command("seed_demo", quiet=True)


def _questions(officer):
    from workshops.evaluations import services
    from workshops.evaluations.models import Question

    ratings = [
        Question.objects.create(text_en=f"Benchmark rating {n}", kind="rating", created_by=officer) for n in range(4)
    ]
    comment = Question.objects.create(text_en="Benchmark comment", kind="text", created_by=officer)
    scored = [
        services.question_create(
            by=officer, text_en=f"Benchmark knowledge {n}", kind="single", points=1,
            options=[services.OptionInput("right", is_correct=True), services.OptionInput("wrong")],
        )
        for n in range(10)
    ]  # fmt: skip
    applies = Question.objects.create(
        text_en="Benchmark application", kind="rating", measures_application=True, created_by=officer
    )
    return ratings, comment, scored, applies


@transaction.atomic
def build(year: int, workshop_count: int) -> None:
    """The evaluated workshops of ``year``; the first ("Evaluated workshop 1") has 200 participants."""
    from bacuda_portal.members.models import Administration, User
    from workshops.evaluations.models import AnswerReceipt, Questionnaire, QuestionnaireItem, Response
    from workshops.models import Beneficiary, Nomination, Workshop

    rng = random.Random(year)
    officer = User.objects.get(email="officer@example.org")
    administrations = list(Administration.objects.order_by("code"))
    ratings, comment, scored, applies = _questions(officer)
    options = {q.pk: [o.pk for o in q.options.order_by("position")] for q in scored}
    for n in range(workshop_count):
        end = dt.date(year, 1, 9) + dt.timedelta(days=7 * n % 340)
        administration = administrations[n * 11 % len(administrations)]
        workshop = Workshop.objects.create(
            title=f"Evaluated workshop {n + 1}", kind="national", status="closed", region=administration.region,
            host_city="Capital", venue="Training centre", start_date=end - dt.timedelta(days=4), end_date=end,
            time_zone="UTC", languages=["en"], seats=200, created_by=officer,
        )  # fmt: skip
        Beneficiary.objects.create(workshop=workshop, administration=administration, quota=200)
        people = Nomination.objects.bulk_create(
            Nomination(workshop=workshop, administration=administration, nominated_by=officer,
                       full_name=f"Participant {workshop.pk}-{p}", gender=rng.choice(["female", "male"]),
                       position="Officer", email=f"e{workshop.pk}-{p}@bench.example.org", language="en",
                       status="accepted")
            for p in range(200 if n == 0 else 25)
        )  # fmt: skip
        kinds = {
            "reaction": (True, [*ratings, comment]),
            "pre_test": (False, scored),
            "post_test": (False, scored),
            "follow_up": (False, [applies]),
        }
        for kind, (anonymous, questions) in kinds.items():
            questionnaire = Questionnaire.objects.create(
                workshop=workshop, kind=kind, status="closed", anonymous=anonymous, created_by=officer
            )
            QuestionnaireItem.objects.bulk_create(
                QuestionnaireItem(questionnaire=questionnaire, question=q, position=i + 1)
                for i, q in enumerate(questions)
            )
            responses = []
            for person in people:
                if kind in ("pre_test", "post_test"):
                    right = rng.randint(2, 6) + (3 if kind == "post_test" else 0)
                    answers = {str(q.pk): options[q.pk][0 if i < right else 1] for i, q in enumerate(scored)}
                    score = min(right, 10)
                else:
                    answers = {str(q.pk): rng.randint(2, 5) for q in questions if q.kind == "rating"}
                    if kind == "reaction":
                        answers[str(comment.pk)] = "More hands-on exercises, please."
                    score = None
                responses.append(
                    Response(questionnaire=questionnaire, nomination=None if anonymous else person,
                             status="submitted", answers=answers, score=score,
                             max_score=10 if score is not None else None, submitted_on=end)
                )  # fmt: skip
            Response.objects.bulk_create(responses)
            AnswerReceipt.objects.bulk_create(AnswerReceipt(questionnaire=questionnaire, nomination=p) for p in people)


def render_progress(year: int) -> tuple[list[float], int]:
    from bacuda_portal.members.models import User
    from bacuda_portal.reports import services
    from bacuda_portal.reports.models import Report

    report, _ = services.report_request(
        kind="progress", language="en", by=User.objects.get(email="officer@example.org"),
        period_start=dt.date(year, 1, 1), period_end=dt.date(year, 12, 31),
    )  # fmt: skip
    timings = []
    for _ in range(3):
        Report.objects.filter(pk=report.pk).update(status="queued", attempts=0)
        began = time.perf_counter()
        services.report_render(report=report)
        timings.append(time.perf_counter() - began)
        report.refresh_from_db()
        assert report.status == "ready", report.error
    return timings, report.page_count


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--year", type=int, default=2025)
    parser.add_argument("--workshops", type=int, default=40)
    parser.add_argument("--write", action="store_true")
    parser.add_argument("--keep-data", action="store_true", help="reuse the data of the previous run")
    args = parser.parse_args()
    started = time.perf_counter()
    if not args.keep_data:
        fresh_database()
        build(args.year, args.workshops)
    load_seconds = time.perf_counter() - started
    from bacuda_portal.members.models import User
    from workshops.evaluations.models import Response
    from workshops.models import Workshop

    workshop_id = Workshop.objects.get(title="Evaluated workshop 1").pk

    staff = Client()
    staff.force_login(User.objects.get(email="officer@example.org"))
    from django.urls import reverse
    from django.utils import translation

    with translation.override("en"):
        url = reverse("evaluations:workshop_results", kwargs={"pk": workshop_id})
    rows = []
    for name, address in (
        ("results page, 200 participants, 4 questionnaires answered", url),
        ("the same results as CSV", f"{url}?format=csv"),
    ):
        result = measure(staff, address, args.requests)
        rows.append(f"| {name} | {result['median']:.1f} | {result['p95']:.1f} | {result['queries']} |")
    timings, pages = render_progress(args.year)
    table = "\n".join(
        [
            f"Database: {connection.vendor}; {args.workshops} evaluated workshops in {args.year} "
            f"({Response.objects.count():,} submitted answers); "
            + ("data of the previous run reused; " if args.keep_data else f"data built in {load_seconds:.0f} s; ")
            + f"load average "
            f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores at the end; {args.requests} requests each.",
            "",
            "| page | median ms | p95 ms | queries |",
            "|---|---:|---:|---:|",
            *rows,
            "",
            f"Donor progress report {args.year} with the evaluation section: median {statistics.median(timings):.1f} s "
            f"over 3 renderings, {pages} pages (context and WeasyPrint, as the `reports` worker does).",
        ]
    )
    print(table)
    if args.write:
        write_section(
            f"evaluations-{connection.vendor}",
            table,
            introduction=(
                "## Evaluations (issue 16)\n\n`.venv/bin/python -m benchmarks.evaluations --write`: the results "
                "page of a workshop whose 200 participants answered the reaction survey, both knowledge tests and "
                "the follow-up survey, and the donor progress report of a year of evaluated workshops "
                "(`benchmarks/evaluations.py` says how the data is built).\n\n"
            ),
        )


if __name__ == "__main__":
    main()
