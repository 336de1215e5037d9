#!/usr/bin/env python3
"""Seeds a fuzzer's corpus from Fixtures/: filter strings for the filter target, PATCH
bodies for the patch target, every JSON document for the body target; plus the saved
regressions of Fixtures/fuzz-regressions/<target>/."""
import hashlib
import json
import os
import sys

target, fixtures, corpus = sys.argv[1], sys.argv[2], sys.argv[3]


def save(data: bytes):
    name = hashlib.sha1(data).hexdigest()
    path = os.path.join(corpus, name)
    if not os.path.exists(path):
        with open(path, "wb") as f:
            f.write(data)


for root, _, files in os.walk(fixtures):
    for file in files:
        path = os.path.join(root, file)
        with open(path, "rb") as f:
            data = f.read()
        if os.path.basename(root) == target and "fuzz-regressions" in root:
            save(data)
            continue
        if not file.endswith(".json") or "fuzz-regressions" in root:
            continue
        if target == "filter":
            if file == "filters.json":
                for entry in json.loads(data):
                    text = entry if isinstance(entry, str) else entry.get("filter", "") if isinstance(entry, dict) else ""
                    if text:
                        save(text.encode())
        elif target == "patch":
            if "patch" in file or "member" in file or "rename" in file or "activate" in file:
                save(data)
        else:
            save(data)
