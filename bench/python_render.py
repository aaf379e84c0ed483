#!/usr/bin/env python3
"""Python jinja2 side of the spanja render benchmark (bench/render.ts runs it as a subprocess).

Builds the environment transformers builds for chat templates
(transformers.utils.chat_template_utils._compile_jinja_template):
ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True, extensions=[loopcontrols]),
tojson = json.dumps(ensure_ascii=False, ...), raise_exception and strftime_now globals.
(transformers also adds its AssistantTracker extension for {% generation %}; the benchmarked
template is the original, untagged one, which does not use it.)

stdin:  {"template": str, "cases": {name: context}, "warmup": int, "iterations": {name: int}}
stdout: {"version": str, "outputs": {name: str}, "outputs_sorted_keys": {name: str},
         "timings_us": {name: [float, ...]}, "compile_ms": float}
Each timing is one render, measured in-process with time.perf_counter. outputs_sorted_keys (tojson with
sort_keys forced on, not timed) only serves to diagnose peers that sort object keys (minijinja-js).
"""

from __future__ import annotations

import gc
import json
import sys
import time
from datetime import datetime

import jinja2
import jinja2.ext
from jinja2.sandbox import ImmutableSandboxedEnvironment


def make_environment(force_sort_keys: bool = False) -> ImmutableSandboxedEnvironment:
    def raise_exception(message):
        raise jinja2.exceptions.TemplateError(message)

    def tojson(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False):
        return json.dumps(x, ensure_ascii=ensure_ascii, indent=indent, separators=separators, sort_keys=sort_keys or force_sort_keys)

    def strftime_now(format):
        return datetime.now().strftime(format)

    env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True, extensions=[jinja2.ext.loopcontrols])
    env.filters["tojson"] = tojson
    env.globals["raise_exception"] = raise_exception
    env.globals["strftime_now"] = strftime_now
    return env


def main() -> None:
    req = json.loads(sys.stdin.read())
    env = make_environment()
    t0 = time.perf_counter()
    template = env.from_string(req["template"])
    compile_ms = (time.perf_counter() - t0) * 1e3

    outputs: dict[str, str] = {}
    timings: dict[str, list[float]] = {}
    for name, ctx in req["cases"].items():
        outputs[name] = template.render(**ctx)
        for _ in range(int(req.get("warmup", 10))):
            template.render(**ctx)
        samples = []
        gc.collect()
        for _ in range(int(req["iterations"][name])):
            t = time.perf_counter()
            template.render(**ctx)
            samples.append((time.perf_counter() - t) * 1e6)
        timings[name] = samples

    sorted_template = make_environment(force_sort_keys=True).from_string(req["template"])
    outputs_sorted = {name: sorted_template.render(**ctx) for name, ctx in req["cases"].items()}

    json.dump(
        {
            "version": jinja2.__version__,
            "python": sys.version.split()[0],
            "outputs": outputs,
            "outputs_sorted_keys": outputs_sorted,
            "timings_us": timings,
            "compile_ms": compile_ms,
        },
        sys.stdout,
        ensure_ascii=False,
    )


if __name__ == "__main__":
    main()
