"""Fill resources/translations/doorstep_en.ts: English singular and plural forms (after lupdate)."""

from __future__ import annotations

import sys
import xml.etree.ElementTree as ET
from pathlib import Path

TS = Path(__file__).resolve().parents[1] / "resources" / "translations" / "doorstep_en.ts"

# "%n thing(s)" in the source, as "1 thing" and "2 things" on screen.
PLURALS: dict[str, tuple[str, str]] = {
    "%n conflict(s) to resolve": ("%n conflict to resolve", "%n conflicts to resolve"),
    "%n refused change(s)": ("%n refused change", "%n refused changes"),
    "%n change(s) waiting to sync": ("%n change waiting to sync", "%n changes waiting to sync"),
}


def main() -> int:
    tree = ET.parse(TS)  # noqa: S314 (our own file, from the repository)
    for message in tree.getroot().iter("message"):
        source = message.findtext("source") or ""
        translation = message.find("translation")
        forms = PLURALS.get(source)
        if translation is None or forms is None:
            print(f"no English plural yet: {source!r}", file=sys.stderr)
            continue
        translation.attrib.pop("type", None)
        for old in list(translation):
            translation.remove(old)
        for text in forms:
            ET.SubElement(translation, "numerusform").text = text
    tree.write(TS, encoding="utf-8", xml_declaration=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
