"""The kinds that can be imported and exported. Each app registers its specs in its `imports` module,
found the first time the registry is asked (like Django admin's autodiscovery), so adding a kind
means adding one module and touching nothing here.
"""

from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import autodiscover_modules

from .spec import ImportSpec

_specs: dict[str, ImportSpec] = {}
_discovered = False


def register(spec: ImportSpec) -> ImportSpec:
    current = _specs.get(spec.kind)
    if current is not None and type(current) is not type(spec):
        raise ImproperlyConfigured(f"import kind {spec.kind!r} is registered twice")
    _specs[spec.kind] = spec
    return spec


def _discover() -> None:
    global _discovered
    if not _discovered:
        _discovered = True
        autodiscover_modules("imports")


def get_spec(kind: str) -> ImportSpec | None:
    _discover()
    return _specs.get(kind)


def all_specs() -> list[ImportSpec]:
    """Every registered kind, in the order of INSTALLED_APPS."""
    _discover()
    return list(_specs.values())
