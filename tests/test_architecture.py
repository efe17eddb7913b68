"""The contracts between apps (docs/architecture.md), checked on the source so that they stay true.

- ``reports``, ``website`` and ``mailings`` read the domain apps through their read contract only: ``selectors``
  (reads), ``enums``, ``services`` (writes), ``access`` (who may see what) and ``privacy`` (the data-protection
  register); never another app's ``models``, forms, views or tasks.
- ``core`` is the ground floor: it imports nothing of the portal's own apps.
- Outside the app that owns a workflow, its statuses are read through its enums, never written as string literals.
- No services module imports a tasks module: a service queues its task by name (``core.background``).
"""

import ast
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
PORTAL_APPS = (
    "algorithms",
    "scholarships",
    "workshops",
    "bacuda_portal.members",
    "bacuda_portal.reports",
    "bacuda_portal.website",
    "bacuda_portal.mailings",
    "bacuda_portal.notifications",
    "bacuda_portal.core",
)
READ_CONTRACT = {"selectors", "enums", "services", "access", "privacy"}
STATUS_WORDS = ("status", "outcome", "stage", "result")


def _sources(package: str):
    folder = ROOT / package.replace(".", "/")
    for path in sorted(folder.rglob("*.py")):
        if "migrations" not in path.parts:
            yield path, ast.parse(path.read_text(), filename=str(path))


def _module_of(path: Path) -> str:
    return ".".join(path.relative_to(ROOT).with_suffix("").parts)


def _imported_modules(tree: ast.AST, module: str):
    """Every module an import statement names, anywhere in the file (function-level imports included)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                continue  # relative: the app's own modules
            for alias in node.names:
                yield node.lineno, f"{node.module}.{alias.name}"


def _owner(module: str) -> str | None:
    return next((app for app in PORTAL_APPS if module == app or module.startswith(app + ".")), None)


@pytest.mark.parametrize(
    "package",
    ["bacuda_portal.reports", "bacuda_portal.website", "bacuda_portal.mailings", "bacuda_portal.notifications"],
)
def test_cross_cutting_apps_read_the_domain_apps_through_their_contract(package):
    breaches = []
    for path, tree in _sources(package):
        for line, imported in _imported_modules(tree, _module_of(path)):
            owner = _owner(imported)
            if owner is None or owner == package or owner == "bacuda_portal.core":
                continue
            parts = imported[len(owner) + 1 :].split(".")
            # ``workshops.elearning.selectors``: the last module before a name is what counts.
            if not READ_CONTRACT.intersection(parts[:-1] or parts) and parts[-1] not in READ_CONTRACT:
                breaches.append(f"{path.relative_to(ROOT)}:{line} imports {imported}")
    assert not breaches, "\n".join(breaches)


def test_core_depends_on_none_of_the_portals_apps():
    breaches = [
        f"{path.relative_to(ROOT)}:{line} imports {imported}"
        for path, tree in _sources("bacuda_portal.core")
        for line, imported in _imported_modules(tree, _module_of(path))
        if (_owner(imported) or "bacuda_portal.core") != "bacuda_portal.core"
    ]
    assert not breaches, "\n".join(breaches)


def _literal_strings(node: ast.AST) -> list[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.Tuple | ast.List | ast.Set):
        return [value for element in node.elts for value in _literal_strings(element)]
    return []


@pytest.mark.parametrize(
    "package",
    ["bacuda_portal.reports", "bacuda_portal.website", "bacuda_portal.mailings", "bacuda_portal.notifications"],
)
def test_no_other_apps_status_written_as_a_string(package):
    """A query such as ``status__in=("delivered", "closed")`` on another app's rows is that app's rule restated."""
    breaches = []
    for path, tree in _sources(package):
        for node in ast.walk(tree):
            is_status = isinstance(node, ast.keyword) and node.arg and any(w in node.arg for w in STATUS_WORDS)
            if is_status and _literal_strings(node.value):
                breaches.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.arg}={_literal_strings(node.value)}")
    assert not breaches, "\n".join(breaches)


WORKFLOW_WORDS = ("status", "stage", "publication", "outcome", "accreditation", "decided_", "answered_at")


@pytest.mark.django_db
def test_no_admin_lets_staff_edit_a_workflow_state(rf, django_user_model):
    """A status changes through its service (quotas, emails, audit); an admin form that offers it is a back door."""
    from django.contrib import admin

    manager = django_user_model.objects.create_superuser(email="pm@example.org", password="x" * 20)
    request = rf.get("/")
    request.user = manager
    back_doors = []
    for model, model_admin in admin.site._registry.items():
        if not model_admin.has_change_permission(request):
            continue
        for change in (False, True):
            if not change and not model_admin.has_add_permission(request):
                continue
            form = model_admin.get_form(request, obj=None, change=change)
            back_doors += [
                f"{model._meta.label}.{name} ({'change' if change else 'add'})"
                for name in form.base_fields
                if any(word in name for word in WORKFLOW_WORDS)
            ]
    assert not back_doors, "\n".join(sorted(set(back_doors)))


def _is_services_module(path: Path) -> bool:
    """``services.py``, ``privacy_services.py`` or any module of a ``services/`` package."""
    return path.stem == "services" or path.stem.endswith("_services") or "services" in path.parent.parts[-1:]


def _names_tasks(node: ast.AST) -> bool:
    if isinstance(node, ast.Import):
        return any("tasks" in alias.name.split(".") for alias in node.names)
    if isinstance(node, ast.ImportFrom):
        module = (node.module or "").split(".")
        return "tasks" in module or (not node.module and any(alias.name == "tasks" for alias in node.names))
    return False


def test_no_services_module_imports_a_tasks_module():
    """Services queue tasks by name on commit (``core.background.enqueue`` or a ``Lifecycle``), so the tasks,
    which call the services, are never imported by them: no import circle, and a web process never loads them."""
    breaches = [
        f"{path.relative_to(ROOT)}:{node.lineno}"
        for package in PORTAL_APPS
        for path, tree in _sources(package)
        if _is_services_module(path)
        for node in ast.walk(tree)
        if _names_tasks(node)
    ]
    assert not breaches, "\n".join(breaches)


def test_the_tasks_check_sees_every_kind_of_services_module():
    """The check above would fail on any of these (it is not vacuous)."""
    modules = [Path("x/services.py"), Path("x/services/letters.py"), Path("core/privacy_services.py")]
    assert all(_is_services_module(path) for path in modules) and not _is_services_module(Path("x/selectors.py"))
    for source in ("from .tasks import render", "from ..tasks import render", "from . import tasks",
                   "import workshops.tasks", "from workshops.tasks import render_certificate"):  # fmt: skip
        assert _names_tasks(ast.parse(source).body[0]), source
    assert not _names_tasks(ast.parse("from bacuda_portal.core.background import enqueue").body[0])
