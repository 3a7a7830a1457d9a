"""Find, read and resolve scenario files.

A scenario file names a world catalogue (``world = "_henan_world.toml"``), picks the
markets and products it uses and overrides parameter tables. Resolution produces one
plain, JSON-ready dictionary; that dictionary (not the file) goes into the market's
first event, so a stored event log replays even after the files change.
"""

from __future__ import annotations

import copy
import tomllib
from pathlib import Path
from typing import Any

from sandbox.errors import ScenarioError
from sandbox.scenario.model import World

__all__ = ["list_scenarios", "load_scenario", "resolve_scenario", "scenario_dir"]

_PARAMETER_TABLES = ("money", "platform", "customs", "events", "credit", "logistics", "tax", "fx")


def scenario_dir() -> Path:
    """Return the directory holding the shipped scenario files."""
    return Path(__file__).resolve().parent.parent / "scenarios"


def list_scenarios(directory: Path | None = None) -> list[dict[str, str]]:
    """List the scenarios in ``directory`` (catalogues starting with ``_`` are skipped).

    Returns:
        One ``{"name", "title", "description"}`` dictionary per scenario, by name.
    """
    directory = directory or scenario_dir()
    found = []
    for path in sorted(directory.glob("*.toml")):
        if path.name.startswith("_"):
            continue
        data = _read_toml(path)
        found.append(
            {
                "name": str(data.get("name", path.stem)),
                "title": str(data.get("title", "")),
                "description": str(data.get("description", "")),
            }
        )
    return found


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        raise ScenarioError(f"scenario file not found: {path.name}") from None
    except tomllib.TOMLDecodeError as error:
        raise ScenarioError(f"{path.name} is not valid TOML: {error}") from None


def _merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    merged = copy.deepcopy(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def resolve_scenario(name_or_path: str, directory: Path | None = None) -> dict[str, Any]:
    """Resolve a scenario name (or a path to a ``.toml`` file) into one plain dictionary.

    Args:
        name_or_path: A shipped scenario name such as ``"exam_standard"`` or a file path.
        directory: Where to look for names; the shipped directory by default.

    Returns:
        The resolved world dictionary (JSON-serialisable).

    Raises:
        ScenarioError: If the file is missing or refers to unknown markets or products.
    """
    directory = directory or scenario_dir()
    candidate = Path(name_or_path)
    if candidate.suffix == ".toml" and candidate.exists():
        path = candidate
    else:
        if not name_or_path.replace("_", "").isalnum() or name_or_path.startswith("_"):
            raise ScenarioError(f"unknown scenario {name_or_path!r}")
        path = directory / f"{name_or_path}.toml"
        if not path.exists():
            names = ", ".join(item["name"] for item in list_scenarios(directory))
            raise ScenarioError(f"unknown scenario {name_or_path!r} (available: {names})")
    data = _read_toml(path)
    world_name = data.get("world")
    world = _read_toml(path.parent / str(world_name)) if world_name else {}
    resolved: dict[str, Any] = {key: copy.deepcopy(world.get(key, {})) for key in _PARAMETER_TABLES}
    for key in _PARAMETER_TABLES:
        resolved[key] = _merge(resolved[key], data.get(key, {}))
        resolved[key] = _merge(resolved[key], data.get("overrides", {}).get(key, {}))
    for key in ("currencies", "markets", "products", "suppliers", "carriers", "lanes"):
        # Scenario files add their own items under "extra_<key>"; plain "markets" and
        # "products" lists in a scenario select from the catalogue.
        resolved[key] = copy.deepcopy(world.get(key, [])) + copy.deepcopy(
            data.get(f"extra_{key}", [])
        )
    resolved["name"] = str(data.get("name", path.stem))
    resolved["title"] = str(data.get("title", ""))
    resolved["description"] = str(data.get("description", ""))
    resolved["seed"] = int(data.get("seed", 0))
    resolved["start_date"] = str(data.get("start_date", "2026-01-05"))
    resolved["population"] = copy.deepcopy(data.get("population", {}))
    _select(resolved, "markets", "code", data.get("markets"))
    _select(resolved, "products", "id", data.get("products"))
    markets = {market["code"] for market in resolved["markets"]}
    products = {product["id"] for product in resolved["products"]}
    currencies = {market["currency"] for market in resolved["markets"]} | {"USD"}
    resolved["currencies"] = [c for c in resolved["currencies"] if c["code"] in currencies]
    resolved["lanes"] = [lane for lane in resolved["lanes"] if lane["market"] in markets]
    for supplier in resolved["suppliers"]:
        supplier["products"] = [p for p in supplier["products"] if p in products]
    resolved["suppliers"] = [s for s in resolved["suppliers"] if s["products"]]
    # Validation happens here once so a bad file fails at load, not mid-simulation.
    World.from_dict(resolved)
    return resolved


def _select(resolved: dict[str, Any], key: str, id_key: str, wanted: list[str] | None) -> None:
    if wanted is None:
        return
    by_id = {item[id_key]: item for item in resolved[key]}
    missing = [item for item in wanted if item not in by_id]
    if missing:
        raise ScenarioError(f"scenario selects unknown {key}: {', '.join(missing)}")
    resolved[key] = [by_id[item] for item in wanted]


def load_scenario(
    name_or_path: str, *, seed: int | None = None, directory: Path | None = None
) -> World:
    """Load a scenario as a typed :class:`World`, optionally with another seed.

    Args:
        name_or_path: Scenario name or ``.toml`` path.
        seed: Replace the scenario seed (exams keep the file's seed).
        directory: Where to look for names.

    Returns:
        The validated world.
    """
    resolved = resolve_scenario(name_or_path, directory)
    if seed is not None:
        resolved["seed"] = int(seed)
    return World.from_dict(resolved)
