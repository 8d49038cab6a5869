#!/usr/bin/env python3
"""Fails when a code block in README.md differs from the example file it claims to show.

A block is tied to a file by the line `<!-- file: PATH -->` right before its opening fence.
With `--write`, rewrites those blocks from the files instead of checking them.
"""
import pathlib
import re
import sys

root = pathlib.Path(__file__).resolve().parent.parent
readme_path = root / "README.md"
readme = readme_path.read_text(encoding="utf-8")
pattern = re.compile(r"(?P<head><!-- file: (?P<path>\S+) -->\n```[a-z]*\n)(?P<body>.*?)```", re.S)

if "--write" in sys.argv[1:]:
    def refresh(match):
        path = root / match["path"]
        if not path.exists():
            return match[0]
        return match["head"] + path.read_text(encoding="utf-8") + "```"

    readme_path.write_text(pattern.sub(refresh, readme), encoding="utf-8")
    readme = readme_path.read_text(encoding="utf-8")

checked = 0
failed = 0
for match in pattern.finditer(readme):
    path = root / match["path"]
    checked += 1
    if not path.exists():
        print(f"README shows {match['path']}, which does not exist")
        failed += 1
    elif path.read_text(encoding="utf-8") != match["body"]:
        print(f"README's copy of {match['path']} is out of date (scripts/check-readme.py --write)")
        failed += 1
if checked == 0:
    print("README.md ties no code block to an example file")
    failed += 1
print(f"readme: {checked - failed} passed, {failed} failed")
sys.exit(1 if failed else 0)
