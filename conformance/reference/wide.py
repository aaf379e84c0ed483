#!/usr/bin/env python3
"""Renders chat templates the corpus does not hold (a held-out folder) as generate.py renders the corpus.

For a wider look than the committed goldens: a folder of templates that cannot be a devDependency (too
large to install, or not on npm at all) is rendered here with every conversation and both
add_generation_prompt values, plus inferred spans; conformance/wide.ts then renders the same with spanja
and compares. Nothing is written into the repository.

Templates, found recursively and in name order: `*.jinja` files and `tokenizer_config.json` files with a
`chat_template` (a string or a named list, rendered with the file's special tokens). A `.jinja` file has
no tokenizer config, so it gets JINJA_SPECIAL_TOKENS: many templates concatenate bos_token with strings,
which raises on an undefined one and would hide the rest of the template.

Usage: python3 conformance/reference/wide.py FOLDER OUT.json
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

sys.dont_write_bytecode = True
sys.path.insert(0, str(Path(__file__).resolve().parent))

from env import compile_template, make_environment, render_with_spans  # noqa: E402
from generate import load_conversations, sha256, template_context, unstable  # noqa: E402
from infer import infer_spans  # noqa: E402
from npm_templates import special_tokens_of  # noqa: E402


#: Special tokens for a bare `.jinja` file (placeholders: their text only has to be a string).
JINJA_SPECIAL_TOKENS = {"bos_token": "<s>", "eos_token": "</s>"}


def held_out_templates(folder: Path) -> list[dict[str, Any]]:
    found = []
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        if path.suffix == ".jinja":
            found.append({"id": rel, "file": str(path), "name": None, "template": path.read_text(encoding="utf-8"), "special_tokens": JINJA_SPECIAL_TOKENS})
        elif path.name == "tokenizer_config.json":
            config = json.loads(path.read_text(encoding="utf-8"))
            ct = config.get("chat_template")
            entries = [(None, ct)] if isinstance(ct, str) else [(e["name"], e["template"]) for e in ct] if isinstance(ct, list) else []
            for name, template in entries:
                ident = rel if name is None else f"{rel}#{name}"
                found.append({"id": ident, "file": str(path), "name": name, "template": template, "special_tokens": special_tokens_of(config)})
    return found


def main() -> int:
    if len(sys.argv) != 3:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    folder, out = Path(sys.argv[1]), Path(sys.argv[2])
    env = make_environment()
    conversations = load_conversations()
    templates = []
    for t in held_out_templates(folder):
        compiled, error = compile_template(env, t["template"])
        cases: dict[str, Any] = {}
        inferred: dict[str, Any] = {}
        for name, conv in conversations:
            for agp in (False, True):
                key = f"{name}|agp={'true' if agp else 'false'}"
                context = template_context(conv, agp, t["special_tokens"])
                cases[key] = {"text": None, "spans": [], "error": error} if compiled is None else render_with_spans(compiled, context)
                inferred[key] = infer_spans(env, t["template"], context)
        # A repr with a memory address cannot be compared; such a case is left out and counted.
        unstable_keys = [k for k in cases if unstable(cases[k]) or unstable(inferred[k])]
        for k in unstable_keys:
            del cases[k], inferred[k]
        templates.append({**t, "template_sha256": sha256(t["template"]), "cases": cases, "infer": inferred, "unstable": unstable_keys})
    out.write_text(json.dumps({"folder": str(folder), "templates": templates}, ensure_ascii=False), encoding="utf-8")
    print(f"{len(templates)} templates from {folder}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
