"""The service packages' doors open one way: each imports only the packages below it in `LAYERS`, and only their
public names. The imports are read from the source (including those inside functions)."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

from contest.services import LAYERS

SERVICES = Path(__file__).resolve().parent.parent / "contest" / "services"


@dataclass(frozen=True)
class Door:
    source: str  # file, relative to the services folder
    line: int
    imported: str
    why: str


def _package(module: str) -> str | None:
    parts = module.split(".")
    return parts[2] if parts[:2] == ["contest", "services"] and len(parts) > 2 else None


def _absolute(node: ast.ImportFrom, relative: Path) -> str:
    """The module an import names, a relative one ("from ..ranking import x") resolved from the file's place."""
    if not node.level:
        return node.module or ""
    package = ["contest", "services", *relative.parts[:-1]]
    base = package[: len(package) - (node.level - 1)]
    return ".".join([*base, *([node.module] if node.module else [])])


def wrong_doors(root: Path) -> list[Door]:
    """Every import in the packages under `root` that goes up or sideways in LAYERS, into a module that is not
    a package of LAYERS, or to a private name of another package."""
    found = []
    for path in sorted(root.rglob("*.py")):
        relative = path.relative_to(root)
        if len(relative.parts) == 1:
            if relative.name != "__init__.py":
                found.append(Door(str(relative), 1, "", "a loose module beside the packages"))
            continue
        own = relative.parts[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets: list[tuple[str, str | None]] = []
            if isinstance(node, ast.ImportFrom):
                base = _absolute(node, relative)
                for alias in node.names:
                    if base == "contest.services":
                        targets.append((f"contest.services.{alias.name}", None))
                    else:
                        targets.append((base, alias.name))
            elif isinstance(node, ast.Import):
                targets = [(alias.name, None) for alias in node.names]
            for module, name in targets:
                package = _package(module)
                if package is None or package == own:
                    continue
                door = f"{module}{'.' + name if name else ''}"
                if package not in LAYERS:
                    found.append(Door(str(relative), node.lineno, door, f"{package} is not in LAYERS"))
                elif own in LAYERS and LAYERS.index(package) > LAYERS.index(own):
                    found.append(Door(str(relative), node.lineno, door, f"{own} is below {package}"))
                elif (name and name.startswith("_")) or any(part.startswith("_") for part in module.split(".")[3:]):
                    found.append(Door(str(relative), node.lineno, door, "a private name of another package"))
    return found


def test_every_import_goes_down() -> None:
    assert wrong_doors(SERVICES) == []


def test_every_package_is_in_the_order() -> None:
    packages = {path.name for path in SERVICES.iterdir() if (path / "__init__.py").exists()}
    assert packages == set(LAYERS)


def _copy(tmp_path: Path) -> Path:
    root = tmp_path / "services"
    for path in SERVICES.rglob("*.py"):
        target = root / path.relative_to(SERVICES)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    return root


@pytest.mark.parametrize(
    ("module", "line", "why"),
    [
        # the ranking calling the people's profile is fine; the people calling the ranking is not
        ("people/profile.py", "from contest.services.ranking import live_board", "people is below ranking"),
        # inside a function too
        ("banks/questions.py", "def f():\n    from contest.services.console.rounds import create_round", ""),
        ("quiz/pool.py", "import contest.services.results.certificates", "quiz is below results"),
        ("ranking/tables.py", "from contest.services.people.units import _unit_path", "private"),
        ("shared/cache.py", "from contest.services import banks", "shared is below banks"),
        ("banks/questions.py", "from ..quiz import attempts", "banks is below quiz"),  # relative, up a level
    ],
)
def test_a_back_door_is_found(tmp_path: Path, module: str, line: str, why: str) -> None:
    root = _copy(tmp_path)
    path = root / module
    path.write_text(path.read_text(encoding="utf-8") + "\n\n" + line + "\n", encoding="utf-8")
    doors = wrong_doors(root)
    assert len(doors) == 1
    assert doors[0].source == module
    assert why in doors[0].why


def test_a_loose_module_is_found(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    (root / "helpers.py").write_text("X = 1\n", encoding="utf-8")
    assert [door.source for door in wrong_doors(root)] == ["helpers.py"]
