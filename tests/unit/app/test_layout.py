"""The shape every domain keeps (webapp/README.md), read from the imports of the source (ast):

- sync/ is the pure engine: no Flask, nothing of webapp;
- webapp/kernel/ is below every domain: it imports none, nor the sync shell (webapp/syncapi.py);
- a domain imports of webapp only the kernel, the extensions, its own modules and other domains'
  public.py, never webapp/syncapi.py;
- an import inside a function is no way round a cycle, but for the ones listed in IN_FUNCTION;
- every domain has views.py (bp) and hooks.py (init_app, the one place it registers anything),
  create_app() calls every domain's init_app, and the metadata knows every models.py.
"""

from __future__ import annotations

import ast
from pathlib import Path

import webapp
from webapp.dbsetup import MODEL_MODULES
from webapp.kernel.hooks import Hooks

ROOT = Path(__file__).resolve().parents[3]
WEBAPP = ROOT / "webapp"
NOT_DOMAINS = {"kernel", "migrations", "translations"}
DOMAINS = sorted(p.parent.name for p in WEBAPP.glob("*/__init__.py") if p.parent.name not in NOT_DOMAINS)

# Domain modules that reach into webapp/syncapi.py (the HTTP shell): none. This list only shrinks.
SYNC_SHELL: dict[str, set[str]] = {}
# Imports inside functions, each for a reason. Everything else is imported at the top.
IN_FUNCTION = {
    # auth's scopes read the areas (R-AREA-2), and areas' queries use auth: a real cycle.
    "auth/access.py": {"webapp.areas.public", "webapp.estate.public"},
}


def module_name(path: Path) -> str:
    return ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")


def imports(path: Path):
    """(imported module, names, inside a function) for every import of the file, relative ones resolved."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module_name(path).split(".") if path.name == "__init__.py" else module_name(path).split(".")[:-1]
    nested = {id(node) for fn in ast.walk(tree) if isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef)
              for node in ast.walk(fn)}
    for node in ast.walk(tree):
        inside = id(node) in nested
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, set(), inside
        elif isinstance(node, ast.ImportFrom):
            prefix = package[:len(package) - node.level + 1] if node.level else []
            target = ".".join(prefix + ([node.module] if node.module else []))
            names = {alias.name for alias in node.names}
            submodules = {n for n in names if (ROOT / target.replace(".", "/") / f"{n}.py").exists()}
            for name in submodules:  # from . import queries; from sync import engine
                yield f"{target}.{name}", set(), inside
            if names - submodules:
                yield target, names - submodules, inside


def files(folder: Path):
    return sorted(p for p in folder.rglob("*.py") if "migrations" not in p.parts)


def rel(path: Path) -> str:
    return path.relative_to(WEBAPP).as_posix()


def is_core(target: str) -> bool:
    return target in ("webapp.extensions", "webapp.kernel") or target.startswith("webapp.kernel.")


def may_import(domain: str, target: str) -> bool:
    parts = target.split(".")
    return is_core(target) or parts[1] == domain or (parts[1] in DOMAINS and parts[2:] == ["public"])


def test_the_domains_are_found():
    assert {"auth", "areas", "estate", "patrol", "renovation"} <= set(DOMAINS)


def test_sync_imports_no_flask_and_nothing_of_webapp():
    """STYLE.md: sync/ is pure Python + SQLAlchemy; webapp/syncapi.py is its HTTP shell."""
    offenders = [f"{p.name}: {target}" for p in files(ROOT / "sync") for target, _, _ in imports(p)
                 if target.split(".")[0] in ("flask", "werkzeug", "webapp") or target.startswith("flask_")]
    assert offenders == []
    assert len(files(ROOT / "sync")) > 10, "the scan found the engine"


def test_the_kernel_imports_no_domain():
    offenders = [f"{rel(p)}: {target}" for p in files(WEBAPP / "kernel") for target, _, _ in imports(p)
                 if target.startswith("webapp") and not is_core(target)]
    assert offenders == []


def test_a_domain_imports_other_domains_only_through_their_public_module():
    offenders = [f"{rel(p)}: {target}" for domain in DOMAINS for p in files(WEBAPP / domain)
                 for target, _, _ in imports(p)
                 if target.startswith("webapp.") and target != "webapp.syncapi" and not may_import(domain, target)]
    assert offenders == [], "import another domain's public.py, or the kernel (webapp/README.md)"


def test_no_domain_reaches_into_the_sync_shell_but_the_listed_seams():
    found: dict[str, set[str]] = {}
    for domain in DOMAINS:
        for p in files(WEBAPP / domain):
            for target, names, _ in imports(p):
                if target == "webapp.syncapi" or (target == "webapp" and "syncapi" in names):
                    found.setdefault(rel(p), set()).update(names or {"*"})
    grown = {k: v - SYNC_SHELL.get(k, set()) for k, v in found.items() if v - SYNC_SHELL.get(k, set())}
    assert not grown, f"new imports of webapp/syncapi.py from a domain: {grown}"
    assert found == SYNC_SHELL, f"gone from the code, remove from SYNC_SHELL: {set(SYNC_SHELL) - set(found)}"


def test_imports_inside_functions_are_the_listed_ones():
    found: dict[str, set[str]] = {}
    for folder in ("kernel", *DOMAINS):
        for p in files(WEBAPP / folder):
            for target, _, inside in imports(p):
                if inside and target.split(".")[0] in ("webapp", "sync"):
                    found.setdefault(rel(p), set()).add(target)
    assert found == IN_FUNCTION


def test_every_domain_has_a_blueprint_and_an_init_app_called_by_create_app():
    for domain in DOMAINS:
        views = ast.parse((WEBAPP / domain / "views.py").read_text(encoding="utf-8"))
        hooks = ast.parse((WEBAPP / domain / "hooks.py").read_text(encoding="utf-8"))
        assert any(isinstance(n, ast.Assign) and any(getattr(t, "id", "") == "bp" for t in n.targets)
                   for n in views.body), f"{domain}/views.py defines no bp"
        assert any(isinstance(n, ast.FunctionDef) and n.name == "init_app" for n in hooks.body), domain
    assert sorted(d.__name__ for d in webapp.DOMAINS) == [f"webapp.{d}.hooks" for d in DOMAINS]


def test_every_models_module_is_known_to_the_metadata():
    """Migrations and create_all see the tables of every domain's models.py."""
    found = {f"webapp.{d}.models" for d in DOMAINS if (WEBAPP / d / "models.py").exists()}
    assert found <= set(MODEL_MODULES)


REGISTERING = {name for name in dir(Hooks) if name.startswith("add_")} | {"register_blueprint"}


def test_a_domain_registers_only_in_its_hooks():
    """Registries live on the app and are filled by init_app, not by importing a module."""
    offenders = []
    for domain in DOMAINS:
        for p in files(WEBAPP / domain):
            if p.name == "hooks.py":
                continue
            tree = ast.parse(p.read_text(encoding="utf-8"))
            calls = [n.func for n in ast.walk(tree) if isinstance(n, ast.Call)]
            offenders += [f"{rel(p)}: {f.attr}" for f in calls if isinstance(f, ast.Attribute) and f.attr in REGISTERING]
            offenders += [f"{rel(p)}: register() on import" for n in tree.body if isinstance(n, ast.Expr)
                          and isinstance(n.value, ast.Call) and getattr(n.value.func, "id", "") == "register"]
    assert offenders == []
