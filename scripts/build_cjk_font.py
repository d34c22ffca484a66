"""Build the bundled CJK certificate font (static/fonts/).

Why bundled: a certificate must print Chinese on any machine, including a
fresh clone with no CJK font installed (WeasyPrint draws empty boxes silently
when the font is missing). We ship a subset of Noto Serif CJK SC (SIL OFL
1.1): every GB 2312 hanzi (6,763), CJK and full-width punctuation, Latin.
Rarer characters fall back to any system CJK font named after it in the
certificate stylesheet.

Run once on a machine with Debian's fonts-noto-cjk:
    python scripts/build_cjk_font.py
"""

import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection

SOURCE = Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc")
TARGET = Path(__file__).resolve().parent.parent / "static" / "fonts" / "PortalSerifSC-Regular.otf"
SIMPLIFIED_CHINESE_FACE = "NotoSerifCJKsc-Regular"


def gb2312_hanzi():
    for high in range(0xB0, 0xF8):
        for low in range(0xA1, 0xFF):
            try:
                yield ord(bytes([high, low]).decode("gb2312"))
            except UnicodeDecodeError:
                continue


def wanted_codepoints():
    ranges = [
        (0x20, 0x7E),  # ASCII
        (0xA0, 0xFF),  # Latin-1
        (0x2000, 0x206F),  # general punctuation
        (0x2460, 0x24FF),  # enclosed numbers
        (0x3000, 0x303F),  # CJK punctuation
        (0xFF00, 0xFFEF),  # full-width forms
    ]
    points = {cp for low, high in ranges for cp in range(low, high + 1)}
    points.update(gb2312_hanzi())
    points.update(ord(c) for c in "〔〕")
    return sorted(points)


def main():
    collection = TTCollection(str(SOURCE))
    face = next(f for f in collection.fonts if f["name"].getDebugName(6) == SIMPLIFIED_CHINESE_FACE)
    options = subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=wanted_codepoints())
    subsetter.subset(face)
    for record in face["name"].names:
        if record.nameID in (1, 4, 16):
            record.string = "Portal Serif SC"
        elif record.nameID == 6:
            record.string = "PortalSerifSC-Regular"
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    face.save(str(TARGET))
    print(f"{TARGET}: {TARGET.stat().st_size / 1e6:.1f} MB", file=sys.stderr)


if __name__ == "__main__":
    main()
