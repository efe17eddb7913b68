import pytest
from django.utils import timezone

from workshops.elearning.enums import CourseStage

from .factories import CourseFactory, SubjectMatterExpertFactory

CLIKC_URL = "https://clikc.wcoomd.org/course/view.php?id=4321"


def tick_whole_checklist(course):
    course.checklist.update(done=True, done_at=timezone.now())


@pytest.fixture
def course(staff):
    """A course in review, owned by the staff member, with one subject-matter expert."""
    return CourseFactory(
        code="bacuda-ml-101",
        title_en="Machine learning for risk management",
        title_fr="Apprentissage automatique pour la gestion des risques",
        owner=staff,
        stage=CourseStage.REVIEW,
        experts=[SubjectMatterExpertFactory(full_name="Amina Diallo")],
    )


@pytest.fixture
def pilot_course(staff):
    """A course in pilot that is ready to publish: CLiKC! address set and the whole checklist done."""
    course = CourseFactory(code="bacuda-date-201", owner=staff, stage=CourseStage.PILOT, clikc_url=CLIKC_URL)
    tick_whole_checklist(course)
    return course
