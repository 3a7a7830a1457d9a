"""The navigation bar as a registry, so each domain adds its own entries."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import request, url_for


@dataclass(frozen=True)
class NavItem:
    endpoint: str
    label: Any  # a lazy string, translated when rendered
    visible: Callable[[Any], bool]
    order: int = 100

    @property
    def url(self) -> str:
        return url_for(self.endpoint)

    @property
    def is_current(self) -> bool:
        return request.endpoint == self.endpoint


_ITEMS: list[NavItem] = []


def register_nav_item(
    endpoint: str, label: Any, visible: Callable[[Any], bool], order: int = 100
) -> None:
    if any(item.endpoint == endpoint for item in _ITEMS):
        return
    _ITEMS.append(NavItem(endpoint, label, visible, order))
    _ITEMS.sort(key=lambda item: (item.order, item.endpoint))


def nav_items_for(user: Any) -> list[NavItem]:
    return [item for item in _ITEMS if item.visible(user)]
