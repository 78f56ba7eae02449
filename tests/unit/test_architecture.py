"""The layering holds: only relaybot/telegram imports `telegram`; the domain is plain Python."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "relaybot"
SANDBOX = PACKAGE / "sandbox"


def package_of(path: Path) -> str:
    """The dotted package a file under relaybot/ belongs to."""
    dotted = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return dotted if path.name == "__init__.py" else dotted.rpartition(".")[0]


def imported_modules(path: Path, package: str | None = None) -> set[str]:
    """Every module a file imports, absolute, including imports inside functions."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = package if package is not None else package_of(path)
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)
    return found


def imports(path: Path, top: str, package: str | None = None) -> list[str]:
    """The imports of `path` that are `top` or inside it."""
    found = imported_modules(path, package)
    return sorted(m for m in found if m == top or m.startswith(f"{top}."))


def sources(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.py"))


def module_name(path: Path) -> str:
    """The dotted name of a file under relaybot/ (a package by its folder)."""
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if path.name == "__init__.py" else parts)


def outside_telegram() -> list[Path]:
    return [p for p in sources(PACKAGE) if p.relative_to(PACKAGE).parts[0] != "telegram"]


@pytest.mark.parametrize(
    "path", outside_telegram(), ids=lambda p: str(p.relative_to(PACKAGE.parent))
)
def test_only_the_telegram_package_imports_telegram(path: Path) -> None:
    """No module outside relaybot/telegram (the emulator included) imports `telegram`."""
    assert imports(path, "telegram") == []


def test_the_emulator_does_not_import_the_telegram_library() -> None:
    """The emulator stands in for Telegram; it must not depend on python-telegram-bot."""
    offenders = {
        str(p.relative_to(PACKAGE)): imports(p, "telegram")
        for p in sources(SANDBOX / "emulator")
        if imports(p, "telegram")
    }
    assert offenders == {}


@pytest.mark.parametrize(
    "path", sources(PACKAGE / "domain"), ids=lambda p: str(p.relative_to(PACKAGE.parent))
)
def test_domain_imports_neither_database_nor_storage(path: Path) -> None:
    """The domain is plain Python: no aiosqlite, no relaybot.storage, no Telegram."""
    assert imports(path, "aiosqlite") == []
    assert imports(path, "relaybot.storage") == []
    assert imports(path, "relaybot.service") == []
    assert imports(path, "telegram") == []


@pytest.mark.parametrize(
    "path", sources(PACKAGE / "domain"), ids=lambda p: str(p.relative_to(PACKAGE.parent))
)
def test_domain_reaches_no_pydantic(path: Path) -> None:
    """The domain's values are plain dataclasses: no domain module imports pydantic, nor
    any module of relaybot that does (the network file's loader, the settings), however
    indirectly."""
    paths = {module_name(p): p for p in sources(PACKAGE)}
    graph = import_graph()
    seen, todo = set(), [module_name(path)]
    while todo:
        module = todo.pop()
        if module not in seen:
            seen.add(module)
            todo.extend(graph[module])
    assert sorted(m for m in seen if imports(paths[m], "pydantic")) == []


@pytest.mark.parametrize("name", ["network_file.py", "settings.py"])
def test_network_and_settings_import_neither_telegram_nor_database(name: str) -> None:
    """The network file and settings load without Telegram or the database."""
    path = PACKAGE / name
    assert imports(path, "telegram") == []
    assert imports(path, "aiosqlite") == []
    assert imports(path, "relaybot.storage") == []


# --- relaybot/service: use cases side by side over one context -------------------------------

SERVICE = PACKAGE / "service"
# what a use-case module may import from relaybot (the value types live in the context)
USE_CASE_MAY_IMPORT = ("relaybot.service.context", "relaybot.domain")
USE_CASE_MAY_IMPORT += ("relaybot.storage", "relaybot.service.ports")


def use_case_modules() -> list[Path]:
    """Every module of relaybot/service except the package itself and the shared context."""
    return [p for p in sources(SERVICE) if p.name not in ("__init__.py", "context.py", "ports.py")]


def service_classes() -> set[str]:
    """The names of the classes defined anywhere in relaybot/service."""
    return {
        node.name
        for path in sources(SERVICE)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.ClassDef)
    }


def imported_from_service(tree: ast.AST) -> set[str]:
    """Names a module imports from relaybot.service (absolute or relative)."""
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (
            node.level or (node.module or "").startswith("relaybot.service")
        ):
            found.update(alias.asname or alias.name for alias in node.names)
    return found


def base_names(node: ast.ClassDef) -> list[str]:
    names = []
    for base in node.bases:
        if isinstance(base, ast.Name):
            names.append(base.id)
        elif isinstance(base, ast.Attribute):
            names.append(base.attr)
    return names


def test_use_cases_are_side_by_side() -> None:
    """No class in relaybot/service inherits from another class defined there: use cases
    receive the shared context, they do not inherit from each other (no tower)."""
    ours = service_classes()
    offenders = []
    for path in sources(SERVICE):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        from_service = imported_from_service(tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                bad = [b for b in base_names(node) if b in ours or b in from_service]
                if bad:
                    offenders.append(f"{path.name}: {node.name}({', '.join(bad)})")
    assert offenders == []


def test_there_are_use_case_modules_to_check() -> None:
    """The service folder holds the use cases the checks below look at (a guard against a
    rename that would leave them checking nothing)."""
    names = {p.stem for p in use_case_modules()}
    assert {"tagging", "flagging", "lifecycle", "forwarding", "linking", "groups"} <= names


@pytest.mark.parametrize("path", use_case_modules(), ids=lambda p: p.name)
def test_a_use_case_module_imports_only_the_context_domain_and_storage(path: Path) -> None:
    """A use case sees the shared context, the domain (the network's values included) and
    storage; never another use case, delivery, the network file's loader, the CLI or
    Telegram."""
    found = imports(path, "relaybot")
    allowed = [m for m in found if m.startswith(USE_CASE_MAY_IMPORT)]
    assert sorted(set(found) - set(allowed)) == []


def test_the_context_imports_no_use_case() -> None:
    """The shared context sits under the use cases: it imports nothing from relaybot.service."""
    assert imports(SERVICE / "context.py", "relaybot.service") == []


# --- relaybot/sandbox: the invented world, which the product never imports --------------------

# The CLI starts `relaybot demo` and `relaybot emulator`: it reaches the sandbox, but only
# inside those commands, so that importing the CLI (the product's entry) does not load it.
STARTS_THE_SANDBOX = ("cli.py",)


def product_modules() -> list[Path]:
    """Every module of relaybot outside relaybot/sandbox."""
    return [p for p in sources(PACKAGE) if SANDBOX not in p.parents]


def module_level_imports(path: Path) -> set[str]:
    """The modules a file imports when it is imported: not those inside a function."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in list(ast.walk(tree)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            node.body = []
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and not node.level:
            found.add(node.module or "")
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def test_the_sandbox_is_where_the_invented_world_lives() -> None:
    """The emulator, the stage, the samples, Proefdorp, the demo and the report's invented
    year are in relaybot/sandbox (a guard against a move that would leave the checks below
    looking at nothing)."""
    names = {str(p.relative_to(SANDBOX)) for p in sources(SANDBOX)}
    expected = {"emulator/emulator.py", "stage.py", "samples.py", "town.py", "demo.py"}
    assert expected | {"report_sample.py"} <= names


@pytest.mark.parametrize(
    "path", product_modules(), ids=lambda p: str(p.relative_to(PACKAGE.parent))
)
def test_no_product_module_imports_the_sandbox(path: Path) -> None:
    """The running bot never depends on its test world; the CLI reaches it only inside the
    commands that start it."""
    if path.relative_to(PACKAGE).as_posix() in STARTS_THE_SANDBOX:
        found = module_level_imports(path)
        assert sorted(m for m in found if m.startswith("relaybot.sandbox")) == []
    else:
        assert imports(path, "relaybot.sandbox") == []


def relaybot_imports(path: Path, modules: set[str]) -> set[str]:
    """The modules of relaybot a file imports (inside functions too: an import moved into a
    function hides a circle, it does not break it). `from package import module` imports that
    module, not the package's other names."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            module = absolute_module(node, path)
            for alias in node.names:
                inner = f"{module}.{alias.name}"
                found.add(inner if inner in modules else module)
    return found & modules


def absolute_module(node: ast.ImportFrom, path: Path) -> str:
    """The module a `from ... import` statement in `path` names, absolute."""
    if not node.level:
        return node.module or ""
    base = package_of(path).split(".")
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def import_graph() -> dict[str, set[str]]:
    """For every module of relaybot, the modules of relaybot it imports."""
    paths = {module_name(p): p for p in sources(PACKAGE)}
    return {name: relaybot_imports(path, set(paths)) - {name} for name, path in paths.items()}


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The groups of modules that import each other, round and round (Tarjan's strongly
    connected components with more than one module)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        for other in sorted(graph[module]):
            if other not in index:
                visit(other)
                low[module] = min(low[module], low[other])
            elif other in stack:
                low[module] = min(low[module], index[other])
        if low[module] == index[module]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == module:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for module in sorted(graph):
        if module not in index:
            visit(module)
    return found


def test_there_is_no_import_circle_inside_relaybot() -> None:
    """No two modules of relaybot import each other, directly or round a longer loop."""
    assert circles(import_graph()) == []


def test_a_circle_is_seen() -> None:
    """The circle check finds a loop of three and says which modules are in it."""
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert circles(graph) == [["a", "b", "c"]]


# --- the outbox language and a thin Telegram adapter ------------------------------------------

TELEGRAM = PACKAGE / "telegram"
INTENTS = PACKAGE / "domain" / "intents.py"
OUTBOX = PACKAGE / "storage" / "outbox.py"
# a migration re-ranks or rewrites stored rows in the stored form of its own day
MIGRATIONS_FILE = PACKAGE / "storage" / "migrations.py"
SQL = ("SELECT ", "INSERT ", "UPDATE ", "DELETE FROM", "CREATE TABLE", "PRAGMA ")


def string_constants(path: Path) -> list[str]:
    """Every string literal in a module (docstrings included)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    ]


@pytest.mark.parametrize("path", sources(TELEGRAM), ids=lambda p: p.name)
def test_the_telegram_package_runs_no_sql(path: Path) -> None:
    """relaybot/telegram translates and carries out: it imports no aiosqlite and holds no
    SQL statement (what a row means, and its SQL, live in relaybot/service and storage)."""
    assert imports(path, "aiosqlite") == []
    statements = [s for s in string_constants(path) if s.lstrip().upper().startswith(SQL)]
    assert statements == []


def outbox_words(path: Path) -> list[str]:
    """Where a module speaks the outbox's stored form: `enqueue(..., action=...)` or
    `payload=`, a comparison of an `.action`, a `.payload` read by key, or SQL naming an
    action or reading a payload key."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name == "enqueue" and any(k.arg in ("action", "payload") for k in node.keywords):
                found.append(f"enqueue(action=...) at line {node.lineno}")
        elif isinstance(node, ast.Compare):
            sides = [node.left, *node.comparators]
            if any(isinstance(s, ast.Attribute) and s.attr == "action" for s in sides):
                found.append(f".action compared at line {node.lineno}")
        elif isinstance(node, ast.Attribute) and node.attr == "payload":
            found.append(f".payload at line {node.lineno}")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            text = node.value
            if "action = '" in text or "json_extract(payload" in text:
                found.append(f"SQL at line {node.lineno}")
    return found


def product_sources() -> list[Path]:
    """The bot's own modules (the sandbox's emulator stands in for Telegram and speaks its
    own API)."""
    return [p for p in sources(PACKAGE) if p.relative_to(PACKAGE).parts[0] != "sandbox"]


def test_the_outbox_checks_look_at_the_places_that_define_the_language() -> None:
    """The intents module and the outbox storage exist where the check below expects them."""
    assert INTENTS.exists() and OUTBOX.exists()
    assert outbox_words(OUTBOX) != []  # the one place that may (and does) speak it


@pytest.mark.parametrize(
    "path",
    [p for p in product_sources() if p not in (INTENTS, OUTBOX, MIGRATIONS_FILE)],
    ids=lambda p: str(p.relative_to(PACKAGE.parent)),
)
def test_no_bare_outbox_actions_outside_the_intents_and_the_outbox(path: Path) -> None:
    """Use cases enqueue typed intents; only relaybot/storage/outbox.py turns them into
    stored action names and payloads and back."""
    assert outbox_words(path) == []


def test_use_case_tests_do_not_import_the_telegram_package() -> None:
    """The use cases are tested without relaybot.telegram (delivery included)."""
    unit = Path(__file__).parent
    checked = [unit / "world.py", *sorted(unit.glob("test_*_use_case.py"))]
    checked += [unit / f"test_{name}.py" for name in ("tagging", "flagging", "lifecycle")]
    offenders = {
        p.name: imports(p, "relaybot.telegram", package="tests.unit")
        for p in checked
        if imports(p, "relaybot.telegram", package="tests.unit")
    }
    assert offenders == {}


# --- relaybot/telegram: a thin adapter; handlers by area -------------------------------------

TELEGRAM = PACKAGE / "telegram"
LONGEST_FUNCTION = 80  # lines, decorators and docstring included


def long_functions(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        f"{node.name} ({node.end_lineno - node.lineno + 1} lines)"
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.end_lineno is not None
        and node.end_lineno - min([node.lineno, *(d.lineno for d in node.decorator_list)]) + 1
        > LONGEST_FUNCTION
    ]


@pytest.mark.parametrize("path", sources(TELEGRAM), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_function_in_the_telegram_package_is_longer_than_80_lines(path: Path) -> None:
    """A function in relaybot/telegram fits on a screen (register() was one 355-line function
    of closures once)."""
    assert long_functions(path) == []


def test_handlers_are_modules_by_area() -> None:
    """The handlers are a package of modules, one per area (a guard against the checks below
    looking at nothing)."""
    names = {p.stem for p in sources(TELEGRAM / "handlers")}
    assert {"relay", "flag", "lifecycle", "regie", "moderation", "signup", "membership"} <= names


@pytest.mark.parametrize(
    "path", sources(TELEGRAM / "handlers"), ids=lambda p: str(p.relative_to(PACKAGE))
)
def test_handlers_do_not_touch_storage(path: Path) -> None:
    """A handler translates and calls a use case: no storage, no database."""
    assert imports(path, "relaybot.storage") == []
    assert imports(path, "aiosqlite") == []


@pytest.mark.parametrize("path", sources(SERVICE), ids=lambda p: p.name)
def test_the_service_layer_does_not_import_the_telegram_adapter(path: Path) -> None:
    """The use cases reach Telegram only through the port they declare (service/ports.py),
    never through relaybot/telegram."""
    assert imports(path, "relaybot.telegram") == []


# what SQLite takes and PostgreSQL does not (docs/contributing.md, "SQL for both engines")
SQLITE_ONLY = ("lastrowid", "INSERT OR ", "julianday(", "strftime(", " IFNULL(", "GLOB ")


@pytest.mark.parametrize(
    "path", sources(PACKAGE / "storage"), ids=lambda p: str(p.relative_to(PACKAGE))
)
def test_storage_sql_runs_on_both_engines(path: Path) -> None:
    """The storage modules write SQL that SQLite and PostgreSQL both run: a new row's id by
    `RETURNING id` (db.insert), `ON CONFLICT` instead of `INSERT OR ...`, no SQLite-only
    functions (this test runs without PostgreSQL too, so it catches them anywhere)."""
    text = path.read_text(encoding="utf-8")
    if path.name in ("db.py", "backup.py", "report.py", "erasure.py", "migrations.py"):
        text = ""  # SQLite's own (its file, its read-only report reader), or said in prose
    assert [word for word in SQLITE_ONLY if word in text] == []
