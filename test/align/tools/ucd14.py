# Dumps canonical combining classes and one-level canonical decompositions from Python's unicodedata
# (Unicode 14 here) as JSON; gen-unicode9.mjs then keeps what the Rust tokenizers (Unicode 9) agree with.
import json, sys, unicodedata

out = {"version": unicodedata.unidata_version, "ccc": [], "decomp": []}
for cp in range(0x110000):
    if 0xD800 <= cp < 0xE000 or 0xAC00 <= cp <= 0xD7A3:
        continue
    c = chr(cp)
    k = unicodedata.combining(c)
    if k:
        out["ccc"].append([cp, k])
    d = unicodedata.decomposition(c)
    if d and not d.startswith("<"):
        parts = [int(x, 16) for x in d.split()]
        # primary composite: two-char decomposition that NFC recomposes
        composes = len(parts) == 2 and unicodedata.normalize("NFC", c) == c
        out["decomp"].append([cp, parts, composes])
json.dump(out, sys.stdout)
