"""Views already drawn, kept for the data they were drawn from.

`render_view` is a pure function of the data and the URL (plus export status, data errors and
the permalink host), so a view that someone has already opened since the data last changed is
answered from memory: shared links, reloads and the default view cost the serialisation only.
A reload of the data files makes a new bundle, and the cache starts afresh.

Views are kept as the plain JSON structure Dash would send (component dicts with type,
namespace and props), which Dash serialises at the json module's C speed; component objects
would go through plotly's encoder one component at a time, 2-3 times slower. The structure is
made by walking the components (an encode and decode round trip cost as much as drawing).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable

from dash.development.base_component import Component

MAX_VIEWS = 64  # the largest view (governance) takes about 1.1 MB here: 70 MB per process at most


class ViewCache:
    def __init__(self, size: int = MAX_VIEWS):
        self.size = size
        self._bundle = None  # held so that its id cannot be reused while cached
        self._items: OrderedDict[Hashable, object] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def get(self, bundle, key: Hashable, build: Callable[[], object]):
        with self._lock:
            if self._bundle is not bundle:
                self._bundle, self._items = bundle, OrderedDict()
            if key in self._items:
                self._items.move_to_end(key)
                self.hits += 1
                return self._items[key]
        value = plain(build())
        with self._lock:
            self.misses += 1
            if self._bundle is bundle:
                self._items[key] = value
                while len(self._items) > self.size:
                    self._items.popitem(last=False)
        return value


def plain(value):
    """Components as the JSON-ready dicts the browser receives, walked directly: a plain dict
    (a figure, a style) is left as it is, since only component props hold components."""
    if isinstance(value, Component):
        props = _props_of(value)
        return {
            "props": {
                k: plain(v)
                for k, v in vars(value).items()
                if k in props or k.startswith(("data-", "aria-"))
            },
            "type": value._type,
            "namespace": value._namespace,
        }
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


_PROPS: dict[type, frozenset[str]] = {}


def _props_of(component: Component) -> frozenset[str]:
    """The prop names of the component's type. What to_plotly_json sends is each of them that
    is set, and every data-* or aria-* attribute; it checks every name with hasattr, which is
    5x slower over a view's 200 components."""
    names = _PROPS.get(type(component))
    if names is None:
        names = _PROPS[type(component)] = frozenset(component._prop_names)
    return names
