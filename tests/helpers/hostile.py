"""Hostile values for every form and JSON endpoint, drawn by hypothesis, and the forms the app serves."""

import os
from html.parser import HTMLParser

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

# Examples per endpoint: a few by default so the suite stays quick; ONSITE_HOSTILE_EXAMPLES=200 (or
# pytest --hostile-examples=200) for a long hunt.
EXAMPLES = int(os.environ.get("ONSITE_HOSTILE_EXAMPLES", "6"))

BIDI = ["\u202e", "\u202d", "\u2066", "\u2067", "\u2068", "\u2069", "\u200f", "\u061c"]
SPECIAL = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\r\n\t",
    "\x1b[31m",
    "\u202eevil.exe",
    '=HYPERLINK("http://x")',
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "../../etc/passwd",
    "\ufeff",
    "\U0001f600" * 3,
    "１２３",
]
NUMBERS = ["-1", "0", "1e309", "NaN", "Infinity", "-0", "0x10", "9" * 40, "-9" * 20, "1.000000000000000001", "1,5"]
DATES = [
    "0001-01-01",
    "9999-12-31",
    "2026-02-30",
    "2026-13-45",
    "275760-09-13",
    "9999-12-31T23:59:59+14:00",
    "0001-01-01T00:00:00-12:00",
    "2026-11-23T25:61",
    "1970-01-01T00:00:00Z",
]

hostile_text = st.one_of(
    st.text(max_size=40),
    st.sampled_from(SPECIAL + NUMBERS + DATES),
    st.builds(
        lambda char, count: char * count,
        st.sampled_from(["a", "中", "\x00", *BIDI]),
        st.sampled_from([300, 5000, 60_000]),
    ),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.lists(st.sampled_from(["\x00", "\x07", "\x7f", "\u2028", *BIDI, "x", "中"]), min_size=1, max_size=12).map(
        "".join
    ),
    st.uuids().map(str),
)
json_value = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-(10**30), max_value=10**30) | st.floats() | hostile_text,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(hostile_text, inner, max_size=4),
    max_leaves=10,
)


@st.composite
def hostile_form(draw, base: dict[str, str]) -> dict[str, str | list[str]]:
    """The form's own fields kept, dropped, replaced by a hostile value or sent twice; sometimes an extra one."""
    form: dict[str, str | list[str]] = {}
    for name, value in base.items():
        fate = draw(st.sampled_from(["keep", "drop", "hostile", "hostile", "twice"]))
        if fate == "keep":
            form[name] = value
        elif fate == "hostile":
            form[name] = draw(hostile_text)
        elif fate == "twice":
            form[name] = [draw(hostile_text), value]
    if not base or draw(st.booleans()):
        form[draw(hostile_text) or "x"] = draw(hostile_text)
    return form


@st.composite
def hostile_json(draw, base: dict):
    """Either the expected object with hostile members, or any JSON value at all (a list, a number…)."""
    if draw(st.booleans()):
        return draw(json_value)
    return {key: draw(st.one_of(st.just(value), json_value)) for key, value in base.items() if draw(st.booleans())}


def examples(strategy, count: int = EXAMPLES) -> list:
    """``count`` values drawn by hypothesis (its boundary-seeking generation; replayable: derandomized)."""
    drawn = []

    @settings(
        max_examples=count,
        database=None,
        derandomize=True,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def collect(value) -> None:
        drawn.append(value)

    collect()
    return drawn[:count]


class FormFinder(HTMLParser):
    """The post forms of a page: action → {field name: value}, plus the names of file inputs."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: dict[str, dict[str, str]] = {}
        self.files: dict[str, set[str]] = {}
        self._action: str | None = None

    def handle_starttag(self, tag, attrs) -> None:
        attributes = dict(attrs)
        posts = (attributes.get("method") or "").lower() == "post" or attributes.get("hx-post")
        if tag == "form" and posts:
            self._action = (attributes.get("hx-post") or attributes.get("action") or "").split("?")[0].rstrip("/")
            self.forms.setdefault(self._action, {})
            self.files.setdefault(self._action, set())
        elif tag == "form":
            self._action = None
        elif self._action is not None and tag in {"input", "select", "textarea"} and attributes.get("name"):
            name = attributes["name"]
            if attributes.get("type") == "file":
                self.files[self._action].add(name)
            elif name != "_csrf_token":
                self.forms[self._action].setdefault(name, attributes.get("value") or "")

    def handle_endtag(self, tag) -> None:
        if tag == "form":
            self._action = None
