"""Names of the sandbox's worlds in the reader's language.

The scenarios (``sandbox/scenarios/``) name their products, markets and themselves in
English, and the engine keeps those names (customs compares a declaration's goods
description with them, so a declaration is still filled in with the English name).
Pages show them through :func:`world_name`, which looks the English name up here; a
name not listed (a new scenario, a teacher's own market name) is shown as it is. A
test keeps this list complete for the shipped scenarios.
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

__all__ = ["WORLD_NAMES", "world_name"]

#: Every product, market and scenario title of the shipped scenarios, by English name.
WORLD_NAMES: dict[str, Any] = {
    "Aluminium foil rolls (25 kg)": _l("Aluminium foil rolls (25 kg)"),
    "Coated knitted work gloves (dozen pairs)": _l("Coated knitted work gloves (dozen pairs)"),
    "Corn starch (25 kg bag)": _l("Corn starch (25 kg bag)"),
    "Deep-groove ball bearings (box of 50)": _l("Deep-groove ball bearings (box of 50)"),
    "Dried black fungus (5 kg carton)": _l("Dried black fungus (5 kg carton)"),
    "Dried jujube red dates (5 kg carton)": _l("Dried jujube red dates (5 kg carton)"),
    "Dried shiitake mushrooms (5 kg carton)": _l("Dried shiitake mushrooms (5 kg carton)"),
    "Electric bicycles": _l("Electric bicycles"),
    "Fresh apples (18 kg carton)": _l("Fresh apples (18 kg carton)"),
    "Fresh garlic bulbs (10 kg carton)": _l("Fresh garlic bulbs (10 kg carton)"),
    "Frozen dumplings (10 kg carton)": _l("Frozen dumplings (10 kg carton)"),
    "Green tea, Xinyang Maojian (2.5 kg carton)": _l("Green tea, Xinyang Maojian (2.5 kg carton)"),
    "High-alumina refractory bricks (1 t)": _l("High-alumina refractory bricks (1 t)"),
    "Human hair extensions": _l("Human hair extensions"),
    "Human hair wigs": _l("Human hair wigs"),
    "Industrial gate valves": _l("Industrial gate valves"),
    "Instant noodles (24-pack carton)": _l("Instant noodles (24-pack carton)"),
    "Jaw crushers (mining machinery)": _l("Jaw crushers (mining machinery)"),
    "Knitted cotton sweaters": _l("Knitted cotton sweaters"),
    "Lithium-ion battery packs (e-bike)": _l("Lithium-ion battery packs (e-bike)"),
    "Natural honey (12 x 500 g carton)": _l("Natural honey (12 x 500 g carton)"),
    "Photovoltaic modules 450 W": _l("Photovoltaic modules 450 W"),
    "Porcelain tableware sets": _l("Porcelain tableware sets"),
    "Radial truck tyres": _l("Radial truck tyres"),
    "Rice vinegar (12-bottle carton)": _l("Rice vinegar (12-bottle carton)"),
    "Sesame seeds (25 kg bag)": _l("Sesame seeds (25 kg bag)"),
    "Shelled peanuts (25 kg bag)": _l("Shelled peanuts (25 kg bag)"),
    "Smartphones": _l("Smartphones"),
    "Steel wire rope (reel)": _l("Steel wire rope (reel)"),
    "Stuffed plush toys": _l("Stuffed plush toys"),
    "Synthetic diamond micron powder (1 kg)": _l("Synthetic diamond micron powder (1 kg)"),
    "Synthetic fibre wigs": _l("Synthetic fibre wigs"),
    "Textile-upper sports shoes (pair)": _l("Textile-upper sports shoes (pair)"),
    "Wheeled tractors 37-75 kW": _l("Wheeled tractors 37-75 kW"),
    "Czechia": _l("Czechia"),
    "Germany": _l("Germany"),
    "Hungary": _l("Hungary"),
    "Indonesia": _l("Indonesia"),
    "Kazakhstan": _l("Kazakhstan"),
    "Netherlands": _l("Netherlands"),
    "Pakistan": _l("Pakistan"),
    "Poland": _l("Poland"),
    "Russia": _l("Russia"),
    "Saudi Arabia": _l("Saudi Arabia"),
    "Thailand": _l("Thailand"),
    "Türkiye": _l("Türkiye"),
    "United Arab Emirates": _l("United Arab Emirates"),
    "United Kingdom": _l("United Kingdom"),
    "Uzbekistan": _l("Uzbekistan"),
    "Vietnam": _l("Vietnam"),
    "Henan food and agricultural exports to Belt and Road markets": _l(
        "Henan food and agricultural exports to Belt and Road markets"
    ),
    "Standard exam world (compact)": _l("Standard exam world (compact)"),
    "Zhengzhou rail-and-air exporter to Central Asia and Europe": _l(
        "Zhengzhou rail-and-air exporter to Central Asia and Europe"
    ),
}


def world_name(name: Any) -> str:
    """The name in the reader's language when it is a known world name, else as it is."""
    label = WORLD_NAMES.get(str(name))
    return str(label) if label is not None else str(name)
