"""Vietnamese typed in the legacy 8-bit encodings (TCVN3/ABC, VNI) that old office files still hold.

Such text reaches us as Latin-1 look-alikes ("Céng hoµ" for "Cộng hoà", "Coäng hoøa" for "Cộng
hòa"). `detect_legacy` says which encoding a cell looks like; `to_unicode` converts it when that is
unambiguous.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# TCVN 5712:1993 (VN3, the ".VnTime" fonts), bytes 0xA1-0xFF, as glibc's iconv TCVN5712-1 decodes
# them (0xB0-0xB4 are combining tone marks). The ABC fonts put capitals in separate fonts (.VnTimeH),
# so capitals with tones are not in this table and such text converts to lower case.
_TCVN3_HIGH = (
    "ĂÂÊÔƠƯĐăâêôơưđẰ\u0300\u0309\u0303\u0301\u0323àảãáạẲằẳẵắẴẮẦẨẪẤỀặầẩẫấậèỂẻẽéẹềểễếệìỉỄẾỒĩíịò"
    "ỔỏõóọồổỗốộờởỡớợùỖủũúụừửữứựỳỷỹýỵỐ"
)
TCVN3_TABLE = {chr(0xA1 + offset): char for offset, char in enumerate(_TCVN3_HIGH)}

# Characters that TCVN3 text is full of and that no Unicode Vietnamese text contains.
_TCVN3_MARKERS = set("¸µ¶·¹¨©ª«¬®¡¢£¤¥¦§»¾¼½")

# VNI Windows: a base letter followed by a mark character; a few letters are single characters.
_VNI_LOWER_MARKS = {
    "ù": "\u0301",
    "ø": "\u0300",
    "û": "\u0309",
    "õ": "\u0303",
    "ï": "\u0323",
}
_VNI_LOWER_SHAPES = {  # vowel shape marks, possibly fused with a tone
    "â": ("\u0302", ""),
    "á": ("\u0302", "\u0301"),
    "à": ("\u0302", "\u0300"),
    "å": ("\u0302", "\u0309"),
    "ã": ("\u0302", "\u0303"),
    "ä": ("\u0302", "\u0323"),
    "ê": ("\u0306", ""),
    "é": ("\u0306", "\u0301"),
    "è": ("\u0306", "\u0300"),
    "ú": ("\u0306", "\u0309"),
    "ü": ("\u0306", "\u0303"),
    "ë": ("\u0306", "\u0323"),
}
_VNI_SINGLE = {
    "ô": "ơ",
    "Ô": "Ơ",
    "ö": "ư",
    "Ö": "Ư",
    "ñ": "đ",
    "Ñ": "Đ",
    "í": "í",
    "Í": "Í",
    "ì": "ì",
    "Ì": "Ì",
    "æ": "ỉ",
    "Æ": "Ỉ",
    "ó": "ĩ",
    "Ó": "Ĩ",
    "ò": "ị",
    "Ò": "Ị",
    "î": "ỵ",
    "Î": "Ỵ",
}
_VNI_BASES = "aAeEoOuUyYơƠưƯ"
_VNI_SEQUENCE = re.compile(r"([aAeEoOuUyYôÔöÖ])([ùøûõïâáàåãäêéèúüëÙØÛÕÏÂÁÀÅÃÄÊÉÈÚÜË]{1,2})")
# VNI's tone marks after a vowel, or its "đ" (ñ) starting a word.
_VNI_STRONG = re.compile(r"[aAeEoOuUyYôÔöÖ][ùøûõïåäëüÙØÛÕÏÅÄËÜ]|(?<![^\W\d_])[ñÑ]")
# TCVN3's "ủ" (ñ) after a consonant, as in "chñ" (chủ), never starts a word.
_TCVN3_STRONG = re.compile(r"[bcdghklmnpqrstvxBCDGHKLMNPQRSTVX]ñ")


@dataclass(frozen=True)
class LegacyText:
    encoding: str  # "TCVN3" or "VNI"
    converted: str | None  # None when the conversion is not certain


def _looks_unicode_vietnamese(text: str) -> bool:
    return any(ord(char) > 0xFF for char in text)


def _tcvn3_to_unicode(text: str) -> str:
    return unicodedata.normalize("NFC", "".join(TCVN3_TABLE.get(char, char) for char in text))


def _vni_mark(mark: str) -> tuple[str, str] | None:
    lower = mark.lower()
    if lower in _VNI_LOWER_MARKS:
        return "", _VNI_LOWER_MARKS[lower]
    return _VNI_LOWER_SHAPES.get(lower)


def _vni_to_unicode(text: str) -> str:
    def combine(match: re.Match[str]) -> str:
        base = _VNI_SINGLE.get(match.group(1), match.group(1))
        shape, tone = "", ""
        for mark in match.group(2):
            parts = _vni_mark(mark)
            if parts is None:
                return match.group(0)
            shape, tone = shape or parts[0], tone or parts[1]
        return base + shape + tone

    converted = _VNI_SEQUENCE.sub(combine, text)
    converted = "".join(_VNI_SINGLE.get(char, char) for char in converted)
    return unicodedata.normalize("NFC", converted)


def detect_legacy(text: str) -> LegacyText | None:
    """The legacy encoding a cell is typed in, with its Unicode form, or None for ordinary text."""
    if not text or _looks_unicode_vietnamese(text):
        return None
    tcvn3 = any(char in _TCVN3_MARKERS for char in text) or bool(_TCVN3_STRONG.search(text))
    vni = bool(_VNI_STRONG.search(text))
    if tcvn3 and not vni:
        return LegacyText("TCVN3", _tcvn3_to_unicode(text))
    if vni and not tcvn3:
        return LegacyText("VNI", _vni_to_unicode(text))
    if tcvn3 and vni:
        return LegacyText("TCVN3/VNI", None)
    return None
