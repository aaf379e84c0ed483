"""The reference environment: jinja2 configured the way Hugging Face transformers configures it.

transformers is not a dependency. This module reproduces what
`transformers.utils.chat_template_utils._cached_compile_jinja_template` and
`_render_with_assistant_indices` do (v4.45 to v5.x), plus a `{% think %}` tag that spanja adds,
with the same span arithmetic. Everything here is behaviour, reproduced; nothing is imported from
transformers.

- ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True) with the generation tag
  extension and jinja2.ext.loopcontrols.
- `tojson` replaced by json.dumps(ensure_ascii=False, indent=None, separators=None, sort_keys=False),
  accepting exactly those keywords.
- globals `raise_exception(msg)` (raises jinja2 TemplateError) and `strftime_now(fmt)`; the clock is
  pinned so goldens are stable.
- Spans: a region's body is rendered as a call block; when it finishes, start = code-point length of
  every block the top-level generator has yielded so far, end = start + len(body). Recorded in
  completion order (inner regions first). This is transformers' arithmetic, including its faults
  inside macros, call blocks, set blocks and filter blocks. The tracker state check is the current
  one (`is not None`), so a span that ends before any output is kept (releases before March 2026
  dropped it).
"""

from __future__ import annotations

import json
from contextlib import contextmanager
from datetime import datetime
from typing import Any, Iterator

import jinja2
import jinja2.ext
import jinja2.nodes
from jinja2.ext import Extension
from jinja2.sandbox import ImmutableSandboxedEnvironment

#: Clock used by `strftime_now` unless a fixture sets `$options.now`. Naive local time, as
#: transformers' `datetime.now()` is.
DEFAULT_NOW = "2026-01-15T10:30:00"


class _TrackerState:
    """Shared by the region extensions of one environment: where the output and spans go."""

    def __init__(self) -> None:
        self.rendered_blocks: list[str] | None = None
        self.spans: list[tuple[str, int, int]] | None = None

    def is_active(self) -> bool:
        # transformers (current): `self._rendered_blocks is not None or self._generation_indices is not None`
        return self.rendered_blocks is not None or self.spans is not None

    @contextmanager
    def activate(self, rendered_blocks: list[str], spans: list[tuple[str, int, int]]) -> Iterator[None]:
        try:
            if self.is_active():
                raise ValueError("tracker should not be reused before closed")
            self.rendered_blocks = rendered_blocks
            self.spans = spans
            yield
        finally:
            self.rendered_blocks = None
            self.spans = None


class _RegionTracker(Extension):
    """A tag whose body renders unchanged and whose output range is recorded with a label."""

    tag = ""
    label = ""

    def __init__(self, environment: jinja2.Environment) -> None:
        super().__init__(environment)
        # Environment.extend only sets attributes that are missing: both trackers share one state.
        environment.extend(span_tracker=_TrackerState())

    def parse(self, parser: Any) -> jinja2.nodes.CallBlock:
        lineno = next(parser.stream).lineno
        body = parser.parse_statements([f"name:end{self.tag}"], drop_needle=True)
        # Same node transformers builds for `{% generation %}`: a call block with no arguments.
        return jinja2.nodes.CallBlock(self.call_method("_region_support"), [], [], body).set_lineno(lineno)

    @jinja2.pass_eval_context
    def _region_support(self, context: Any, caller: Any) -> str:
        rv = caller()
        state: _TrackerState = self.environment.span_tracker  # type: ignore[attr-defined]
        if state.is_active():
            assert state.rendered_blocks is not None and state.spans is not None
            start = len("".join(state.rendered_blocks))
            state.spans.append((self.label, start, start + len(rv)))
        return rv


class AssistantTracker(_RegionTracker):
    """`{% generation %}…{% endgeneration %}`, label "assistant" (transformers' AssistantTracker)."""

    tags = {"generation"}
    tag = "generation"
    label = "assistant"


class ThinkTracker(_RegionTracker):
    """`{% think %}…{% endthink %}`, label "think" (spanja's addition, same arithmetic)."""

    tags = {"think"}
    tag = "think"
    label = "think"


def raise_exception(message: Any) -> None:
    raise jinja2.exceptions.TemplateError(message)


def tojson(x: Any, ensure_ascii: bool = False, indent: Any = None, separators: Any = None, sort_keys: bool = False) -> str:
    # transformers replaces jinja2's tojson (which HTML-escapes and sorts keys) with plain json.dumps.
    return json.dumps(x, ensure_ascii=ensure_ascii, indent=indent, separators=separators, sort_keys=sort_keys)


def make_environment(
    trim_blocks: bool = True,
    lstrip_blocks: bool = True,
    keep_trailing_newline: bool = False,
    now: str = DEFAULT_NOW,
) -> ImmutableSandboxedEnvironment:
    """transformers' environment; the whitespace options exist only for fixtures that change them."""
    env = ImmutableSandboxedEnvironment(
        trim_blocks=trim_blocks,
        lstrip_blocks=lstrip_blocks,
        keep_trailing_newline=keep_trailing_newline,
        extensions=[AssistantTracker, ThinkTracker, jinja2.ext.loopcontrols],
    )
    clock = datetime.fromisoformat(now)

    def strftime_now(format: str) -> str:
        return clock.strftime(format)

    env.filters["tojson"] = tojson
    env.globals["raise_exception"] = raise_exception
    env.globals["strftime_now"] = strftime_now
    return env


def error_record(e: BaseException) -> dict[str, str]:
    """{type, message}: the exception class name and str(e), as a Python caller would see them."""
    return {"type": type(e).__name__, "message": str(e)}


def compile_template(env: ImmutableSandboxedEnvironment, source: str) -> tuple[Any, dict[str, str] | None]:
    """Compiles once; returns (template, None) or (None, error record)."""
    try:
        return env.from_string(source), None
    except Exception as e:  # noqa: BLE001 - every failure is a result to record
        return None, error_record(e)


def render_with_spans(template: Any, context: dict[str, Any]) -> dict[str, Any]:
    """Renders with tracking on, as `_render_with_assistant_indices` does.

    Returns {text, spans, error}; spans are {label, start, end, excerpt} in code points; on error
    text is None and spans empty.
    """
    rendered_blocks: list[str] = []
    spans: list[tuple[str, int, int]] = []
    state: _TrackerState = template.environment.span_tracker
    try:
        with state.activate(rendered_blocks, spans):
            for block in template.generate(**context):
                rendered_blocks.append(block)
            text = "".join(rendered_blocks)
    except Exception as e:  # noqa: BLE001
        return {"text": None, "spans": [], "error": error_record(e)}
    return {
        "text": text,
        "spans": [{"label": label, "start": s, "end": t, "excerpt": text[s:t]} for (label, s, t) in spans],
        "error": None,
    }
