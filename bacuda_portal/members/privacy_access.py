"""Who may do what with personal-data requests (the register, erasure, exports): decided here, asked by the
privacy views. Anything a user may not reach is "not found".

Every signed-in person manages their own data (export, erasure request). WCO staff see the register and carry
out erasure requests; a staff member's own erasure only the project manager may carry out, and nobody their
own (``privacy_services.erasure_carry_out`` refuses that too).
"""

from django.http import Http404

from bacuda_portal.core.models import ErasureRequest, ErasureStatus, ExportStatus, PersonalDataExport

from .access import is_project_manager, is_wco_staff
from .enums import STAFF_ROLES


def can_manage_own_data(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def can_see_register(user) -> bool:
    return is_wco_staff(user)


def is_staff_account(person) -> bool:
    return person is not None and (person.is_superuser or person.role in STAFF_ROLES)


def can_carry_out(user, request: ErasureRequest) -> bool:
    if not is_wco_staff(user) or request.status != ErasureStatus.PENDING or request.user_id == user.pk:
        return False
    return is_project_manager(user) if is_staff_account(request.user) else True


def get_erasure_request_to_carry_out(user, pk: int) -> ErasureRequest:
    request = ErasureRequest.objects.select_related("user").filter(pk=pk).first() if is_wco_staff(user) else None
    if request is None or not can_carry_out(user, request):
        raise Http404
    return request


def get_own_ready_export(user, pk: int) -> PersonalDataExport:
    """Only the person themselves downloads their export: staff included, nobody else finds it."""
    export = None
    if can_manage_own_data(user):
        export = PersonalDataExport.objects.filter(pk=pk, user=user, status=ExportStatus.READY).exclude(file="").first()
    if export is None:
        raise Http404
    return export
