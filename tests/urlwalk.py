"""Every URL pattern of the project, found by walking ``config.urls`` (not a test module).

A pattern's *key* is its full name (``"household_detail"``, ``"admin:auth_user_change"``); an
unnamed pattern is keyed by its namespace and its own route (``"admin:<<path:object_id>/>"``, the
same key for every model admin's copy of it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.resolvers import RegexPattern, RoutePattern


@dataclass(frozen=True)
class Endpoint:
    key: str
    namespace: str  # "" outside any namespace, "admin" for the admin's URLs
    name: str | None  # full name with namespaces, None when the pattern has none
    route: str  # the full route, e.g. "huishoudens/<int:pk>/" or "admin/^(?P<app_label>...)/$"
    arguments: tuple[str, ...]  # the names of the URL's keyword arguments
    depth: int  # how many includes deep (the admin's per-model URLs: 2)

    def url(self, kwargs: dict[str, object]) -> str:
        if self.name:
            return reverse(self.name, kwargs=kwargs)
        # Unnamed: fill the route by hand (regex groups and <converter:name> both).
        path = self.route
        for name, value in kwargs.items():
            path = re.sub(rf"\(\?P<{name}>[^)]*\)|<(?:\w+:)?{name}>", str(value), path)
        return "/" + path.replace("^", "").replace("$", "")


def _route(pattern) -> str:
    if isinstance(pattern, RoutePattern):
        return str(pattern._route)
    if isinstance(pattern, RegexPattern):
        return pattern._regex
    return str(pattern)


def _arguments(route: str) -> tuple[str, ...]:
    found = re.findall(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>", route)
    return tuple(converter or group for converter, group in found)


def endpoints(
    patterns=None, prefix: str = "", namespace: str = "", depth: int = 0
) -> list[Endpoint]:
    """Every pattern below ``patterns`` (default: the root URLconf), includes followed."""
    found: list[Endpoint] = []
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + _route(entry.pattern).lstrip("^") if prefix else _route(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            found.extend(endpoints(entry.url_patterns, route, inner, depth + 1))
        elif isinstance(entry, URLPattern):
            full = None
            if entry.name:
                full = f"{namespace}:{entry.name}" if namespace else entry.name
            own = _route(entry.pattern)
            key = full or (f"{namespace}:<{own}>" if namespace else f"<{own}>")
            found.append(
                Endpoint(
                    key=key,
                    namespace=namespace,
                    name=full,
                    route=route,
                    arguments=_arguments(route),
                    depth=depth,
                )
            )
    return found
