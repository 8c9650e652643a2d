"""The packages form layers: a package imports only from its own layer or the layers below it, and
no module imports itself back through others. Read from the source (an AST walk, every import, also
inside functions), so a loop cannot come back hidden in a function body or behind `apps.is_installed`.

A lower layer that needs something from a higher one exposes a registry the higher one fills in its
`ready()` (TransitionTable.on_recorded, disputes.figures.register_figure_source,
visits.selectors.register_help_history_source, residents.timeline.register_timeline_source …).
"""
import ast
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]  # the minqing package

# Lowest first. Packages in one layer may import each other (places ↔ accounts: the tree and who is
# placed on it). A package not listed is a domain app at the DOMAIN layer (the apps being added now).
LAYERS = [
    {"core"},
    {"places", "accounts"},
    {"workdays", "jobs", "notifications"},
    {"residents"},
    {"insight"},
    {"appeals"},
    {"dashboard"},
    {"disclosure"},
    {"visits", "meetings", "disputes"},  # a stability assessment's consultation may be a meeting
    {"alerts"},
    {"welfare", "assessment"},  # DOMAIN: and every app not listed
    {"api", "open311"},
    {"demo", "settings"},
]
DOMAIN = 10
NOT_PACKAGES = {"locale", "static", "templates", "__pycache__"}
# Known upward imports still to remove. This list may only shrink: the test fails on a new one, and on
# an entry that is gone (so it is deleted here).
KNOWN_UPWARD = {
    # insight's selectors read demands for the suggestions they make on appeal pages; they should move
    # to appeals (appeals/suggestions.py) with the pure algorithms staying in insight.
    ("insight", "appeals"),
}


def _layer(package: str) -> int:
    for index, layer in enumerate(LAYERS):
        if package in layer:
            return index
    return DOMAIN


def _imports(path: pathlib.Path):
    """(imported minqing module, line) for every import in the file, including relative ones."""
    module = ".".join(path.relative_to(ROOT.parent).with_suffix("").parts)
    package_parts = module.split(".")[:-1] if path.name != "__init__.py" else module.split(".")
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("minqing."):
                    yield alias.name, node.lineno, node.col_offset == 0
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package_parts[: len(package_parts) - node.level + 1]
                name = ".".join([*base, node.module] if node.module else base)
            else:
                name = node.module or ""
            if name.startswith("minqing."):
                yield name, node.lineno, node.col_offset == 0
                for alias in node.names:  # `from . import notices` imports a module
                    yield f"{name}.{alias.name}", node.lineno, node.col_offset == 0


def _source_files():
    for path in ROOT.rglob("*.py"):
        parts = path.relative_to(ROOT).parts
        if len(parts) < 2 or parts[0] in NOT_PACKAGES or "tests" in parts or "migrations" in parts:
            continue
        yield path


def test_packages_import_only_their_layer_and_below():
    found = set()
    problems = []
    for path in _source_files():
        package = path.relative_to(ROOT).parts[0]
        for name, line, _top in _imports(path):
            target = name.split(".")[1]
            if target == package or not (ROOT / target).is_dir():
                continue
            if _layer(target) > _layer(package):
                found.add((package, target))
                if (package, target) not in KNOWN_UPWARD:
                    problems.append(f"{path.relative_to(ROOT.parent)}:{line} imports {name} (a higher layer)")
    assert not problems, "\n".join(problems)
    assert KNOWN_UPWARD <= found, f"no longer imported upward, delete from KNOWN_UPWARD: {KNOWN_UPWARD - found}"


def test_no_module_import_cycles():
    """Module-level imports between minqing modules form no cycle (services ↔ linking ↔ supervision was one)."""
    modules = {".".join(p.relative_to(ROOT.parent).with_suffix("").parts): p for p in _source_files()}
    graph = {name: set() for name in modules}
    for name, path in modules.items():
        for target, _line, top in _imports(path):
            if top and target in modules and target != name:
                graph[name].add(target)
    cycles = []
    state = {}

    def visit(node, stack):
        state[node] = "open"
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == "open":
                cycles.append(" → ".join(stack[stack.index(nxt):] + [nxt]))
            elif nxt not in state:
                visit(nxt, stack)
        stack.pop()
        state[node] = "done"

    for node in sorted(graph):
        if node not in state:
            visit(node, [])
    assert not cycles, "\n".join(cycles)


@pytest.mark.parametrize("word", ["is_installed"])
def test_no_app_pretends_to_be_optional(word):
    offenders = [str(p.relative_to(ROOT.parent)) for p in _source_files() if word in p.read_text(encoding="utf-8")]
    assert not offenders, offenders
