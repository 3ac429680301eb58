"""Language codes as data: ISO 639-1 names and the gettext Plural-Forms of each.

Codes may carry a region (``pt_BR``, ``pt-BR``, ``zh_TW``); :func:`normalize` turns
them into gettext's ``ll_CC`` spelling and rejects what is not ISO 639.
"""

import re

from .errors import LanguageError

# ISO 639-1 (two-letter) codes with English names.
NAMES = {
    "aa": "Afar", "ab": "Abkhazian", "af": "Afrikaans", "ak": "Akan", "am": "Amharic",
    "an": "Aragonese", "ar": "Arabic", "as": "Assamese", "av": "Avaric", "ay": "Aymara",
    "az": "Azerbaijani", "ba": "Bashkir", "be": "Belarusian", "bg": "Bulgarian",
    "bi": "Bislama", "bm": "Bambara", "bn": "Bengali", "bo": "Tibetan", "br": "Breton",
    "bs": "Bosnian", "ca": "Catalan", "ce": "Chechen", "ch": "Chamorro", "co": "Corsican",
    "cr": "Cree", "cs": "Czech", "cu": "Church Slavic", "cv": "Chuvash", "cy": "Welsh",
    "da": "Danish", "de": "German", "dv": "Divehi", "dz": "Dzongkha", "ee": "Ewe",
    "el": "Greek", "en": "English", "eo": "Esperanto", "es": "Spanish", "et": "Estonian",
    "eu": "Basque", "fa": "Persian", "ff": "Fulah", "fi": "Finnish", "fj": "Fijian",
    "fo": "Faroese", "fr": "French", "fy": "Western Frisian", "ga": "Irish",
    "gd": "Scottish Gaelic", "gl": "Galician", "gn": "Guarani", "gu": "Gujarati",
    "gv": "Manx", "ha": "Hausa", "he": "Hebrew", "hi": "Hindi", "ho": "Hiri Motu",
    "hr": "Croatian", "ht": "Haitian", "hu": "Hungarian", "hy": "Armenian", "hz": "Herero",
    "ia": "Interlingua", "id": "Indonesian", "ie": "Interlingue", "ig": "Igbo",
    "ii": "Sichuan Yi", "ik": "Inupiaq", "io": "Ido", "is": "Icelandic", "it": "Italian",
    "iu": "Inuktitut", "ja": "Japanese", "jv": "Javanese", "ka": "Georgian", "kg": "Kongo",
    "ki": "Kikuyu", "kj": "Kuanyama", "kk": "Kazakh", "kl": "Kalaallisut", "km": "Khmer",
    "kn": "Kannada", "ko": "Korean", "kr": "Kanuri", "ks": "Kashmiri", "ku": "Kurdish",
    "kv": "Komi", "kw": "Cornish", "ky": "Kirghiz", "la": "Latin", "lb": "Luxembourgish",
    "lg": "Ganda", "li": "Limburgan", "ln": "Lingala", "lo": "Lao", "lt": "Lithuanian",
    "lu": "Luba-Katanga", "lv": "Latvian", "mg": "Malagasy", "mh": "Marshallese",
    "mi": "Maori", "mk": "Macedonian", "ml": "Malayalam", "mn": "Mongolian",
    "mr": "Marathi", "ms": "Malay", "mt": "Maltese", "my": "Burmese", "na": "Nauru",
    "nb": "Norwegian Bokmål", "nd": "North Ndebele", "ne": "Nepali", "ng": "Ndonga",
    "nl": "Dutch", "nn": "Norwegian Nynorsk", "no": "Norwegian", "nr": "South Ndebele",
    "nv": "Navajo", "ny": "Chichewa", "oc": "Occitan", "oj": "Ojibwa", "om": "Oromo",
    "or": "Oriya", "os": "Ossetian", "pa": "Punjabi", "pi": "Pali", "pl": "Polish",
    "ps": "Pashto", "pt": "Portuguese", "qu": "Quechua", "rm": "Romansh", "rn": "Rundi",
    "ro": "Romanian", "ru": "Russian", "rw": "Kinyarwanda", "sa": "Sanskrit",
    "sc": "Sardinian", "sd": "Sindhi", "se": "Northern Sami", "sg": "Sango",
    "si": "Sinhala", "sk": "Slovak", "sl": "Slovenian", "sm": "Samoan", "sn": "Shona",
    "so": "Somali", "sq": "Albanian", "sr": "Serbian", "ss": "Swati", "st": "Southern Sotho",
    "su": "Sundanese", "sv": "Swedish", "sw": "Swahili", "ta": "Tamil", "te": "Telugu",
    "tg": "Tajik", "th": "Thai", "ti": "Tigrinya", "tk": "Turkmen", "tl": "Tagalog",
    "tn": "Tswana", "to": "Tonga", "tr": "Turkish", "ts": "Tsonga", "tt": "Tatar",
    "tw": "Twi", "ty": "Tahitian", "ug": "Uighur", "uk": "Ukrainian", "ur": "Urdu",
    "uz": "Uzbek", "ve": "Venda", "vi": "Vietnamese", "vo": "Volapük", "wa": "Walloon",
    "wo": "Wolof", "xh": "Xhosa", "yi": "Yiddish", "yo": "Yoruba", "za": "Zhuang",
    "zh": "Chinese", "zu": "Zulu",
}

# Argos and Bergamot indexes use a few codes that are not ISO 639-1.
EXTRA_NAMES = {"zt": "Chinese (traditional)", "pb": "Portuguese (Brazil)"}

# ISO 639-3 codes (Apertium names its pairs with them) of languages that have a 639-1 code.
ISO639_3 = {
    "afr": "af", "ara": "ar", "arg": "an", "bel": "be", "bre": "br", "bul": "bg",
    "cat": "ca", "ces": "cs", "cym": "cy", "dan": "da", "deu": "de", "ell": "el", "eng": "en",
    "epo": "eo", "eus": "eu", "fao": "fo", "fin": "fi", "fra": "fr", "gla": "gd", "gle": "ga",
    "glg": "gl", "glv": "gv", "heb": "he", "hin": "hi", "hrv": "hr", "isl": "is", "ita": "it",
    "kaz": "kk", "kir": "ky", "lav": "lv", "lit": "lt", "mkd": "mk", "mlt": "mt", "nld": "nl",
    "nno": "nn", "nob": "nb", "nor": "no", "oci": "oc", "pol": "pl", "por": "pt", "ron": "ro",
    "rus": "ru", "slk": "sk", "slv": "sl", "spa": "es", "sqi": "sq", "srd": "sc", "srp": "sr",
    "swe": "sv", "tat": "tt", "tur": "tr", "ukr": "uk", "urd": "ur", "uzb": "uz",
}

# Variants an index names apart from the language (zh_Hant is Firefox's traditional Chinese).
VARIANT_NAMES = {"zh_Hant": "Chinese (traditional)", "zh_Hans": "Chinese (simplified)", "zh_TW": "Chinese (Taiwan)", "pt_BR": "Portuguese (Brazil)", "pt_PT": "Portuguese (Portugal)", "sr_Latn": "Serbian (Latin)"}

_ONE = "nplurals=1; plural=0;"
_TWO = "nplurals=2; plural=(n != 1);"
_TWO_FR = "nplurals=2; plural=(n > 1);"
_SLAVIC = (
    "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && "
    "(n%100<10 || n%100>=20) ? 1 : 2);"
)
# GNU gettext's own table (msginit) where it has the language, else the Unicode CLDR
# plural rules for whole numbers. Every language the Argos and Firefox Translations
# indexes offer is here or takes the default (n != 1) on purpose.
PLURAL_FORMS = {
    # CLDR "other" only: no plural form.
    **{c: _ONE for c in ("ja", "ko", "zh", "zt", "vi", "th", "id", "ms", "lo", "km", "my", "bo", "jv", "su", "dz", "ii", "ig", "yo", "to", "wo", "sg")},
    # CLDR "one" for 0 and 1 (i = 0 or n = 1; n = 0..1).
    **{c: _TWO_FR for c in ("fr", "pt_BR", "pb", "tl", "oc", "br", "ln", "mg", "ti", "wa", "am", "hi", "bn", "gu", "kn", "fa", "as", "pa", "si", "zu")},
    **{c: _SLAVIC for c in ("ru", "uk", "be", "sr", "hr", "bs")},
    "pl": "nplurals=3; plural=(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);",
    "cs": "nplurals=3; plural=(n==1) ? 0 : (n>=2 && n<=4) ? 1 : 2;",
    "sk": "nplurals=3; plural=(n==1) ? 0 : (n>=2 && n<=4) ? 1 : 2;",
    "lt": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && (n%100<10 || n%100>=20) ? 1 : 2);",
    "lv": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n != 0 ? 1 : 2);",
    "ro": "nplurals=3; plural=(n==1 ? 0 : (n==0 || (n%100 > 0 && n%100 < 20)) ? 1 : 2);",
    "sl": "nplurals=4; plural=(n%100==1 ? 0 : n%100==2 ? 1 : n%100==3 || n%100==4 ? 2 : 3);",
    "ga": "nplurals=5; plural=(n==1 ? 0 : n==2 ? 1 : n<7 ? 2 : n<11 ? 3 : 4);",
    "ar": "nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5);",
    "he": "nplurals=2; plural=(n != 1);",
    "cy": "nplurals=4; plural=(n==1) ? 0 : (n==2) ? 1 : (n != 8 && n != 11) ? 2 : 3;",
    "is": "nplurals=2; plural=(n%10!=1 || n%100==11);",
    "mk": "nplurals=2; plural=(n%10==1 && n%100!=11) ? 0 : 1;",
    "mt": "nplurals=5; plural=(n==1 ? 0 : n==2 ? 1 : n==0 || (n%100>=3 && n%100<=10) ? 2 : n%100>=11 && n%100<=19 ? 3 : 4);",
    "gd": "nplurals=4; plural=(n==1 || n==11) ? 0 : (n==2 || n==12) ? 1 : (n>2 && n<20) ? 2 : 3;",
}

_CODE = re.compile(r"^([a-zA-Z]{2})(?:[-_]([a-zA-Z]{2}|[0-9]{3}|[A-Z][a-z]{3}))?$")


def normalize(code: str) -> str:
    """``pt-br`` -> ``pt_BR``; raise :class:`LanguageError` for anything not ISO 639-1."""
    m = _CODE.match(code.strip()) if isinstance(code, str) else None
    base = m.group(1).lower() if m else None
    if not m or (base not in NAMES and base not in EXTRA_NAMES):
        raise LanguageError(
            f"unknown language code {code!r}: use an ISO 639-1 code such as pt, de, ko or pt_BR"
        )
    region = m.group(2)
    if not region:
        return base
    region = region.title() if len(region) == 4 else region.upper()
    return f"{base}_{region}"


def base(code: str) -> str:
    """The language part of a code: ``pt_BR`` -> ``pt``."""
    return normalize(code).split("_")[0]


def is_valid(code: str) -> bool:
    try:
        normalize(code)
    except LanguageError:
        return False
    return True


def name(code: str) -> str:
    code = normalize(code)
    b = code.split("_")[0]
    return NAMES.get(b) or EXTRA_NAMES[b]


def from_iso639_3(code: str) -> str | None:
    """``spa`` -> ``es``; a two-letter code as it is; None for a language transflow cannot name."""
    code = code.lower()
    short = ISO639_3.get(code, code)
    return short if len(short) == 2 and is_valid(short) else None


def display_name(code: str) -> str:
    """The name with the variant: ``zh_Hant`` -> "Chinese (traditional)", ``de_AT`` -> "German (AT)"."""
    code = normalize(code)
    if code in VARIANT_NAMES or "_" not in code:
        return VARIANT_NAMES.get(code) or name(code)
    return f"{name(code)} ({code.split('_', 1)[1]})"


def plural_forms(code: str) -> str:
    code = normalize(code)
    return PLURAL_FORMS.get(code) or PLURAL_FORMS.get(code.split("_")[0]) or _TWO


# Scripts written without spaces between words: glossary matching there is by
# characters, not word boundaries. (Korean is spaced but glues particles onto words:
# glossary/match.py checks only the start of a Korean term.)
UNSPACED = {"zh", "zt", "ja", "th", "lo", "km", "my", "bo", "dz"}


def is_unspaced(code: str) -> bool:
    return base(code) in UNSPACED
