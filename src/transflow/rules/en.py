"""English: what pysbd's English rules miss in news text (lower-case, without the dot)."""

from . import Rules

WEEKDAYS = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}
MONTHS = {"january", "february", "march", "april", "may", "june", "july", "august",
          "september", "october", "november", "december"}
MONTH_ABBREVIATIONS = {"jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"}

RULES = Rules(
    titles=frozenset({
        "mr", "mrs", "ms", "dr", "prof", "gen", "lt", "col", "maj", "capt", "cpt", "sgt", "cmdr",
        "adm", "brig", "sen", "rep", "gov", "pres", "supt", "rev", "hon", "fr", "st", "mt", "messrs",
    }),
    before_number=frozenset({
        "no", "nos", "nr", "art", "arts", "p", "pp", "vol", "vols", "fig", "figs", "ch", "chap",
        "sec", "para", "approx", "ca", "op", "ed", "tel", "ext", "ref", "rev", "est", "pt", "pts",
        *MONTH_ABBREVIATIONS,
    }),
    time_suffixes=frozenset({"a.m.", "p.m."}),
    after_time=frozenset({
        *WEEKDAYS, *MONTHS, "today", "tomorrow", "yesterday", "tonight",
        "utc", "gmt", "est", "edt", "cst", "cdt", "pst", "pdt", "cet", "cest", "kst", "jst", "bst",
        "local", "sharp", "on", "at", "in",
    }),
    starters=frozenset({
        "I", "He", "She", "It", "We", "They", "You", "The", "This", "That", "These", "Those",
        "There", "Its", "His", "Her", "Their", "Our", "My", "A", "An", "But", "And", "So", "Yet",
        "In", "On", "At", "After", "Before", "When", "While", "If", "As", "Since", "Although",
        "However", "Meanwhile", "Still", "Now", "Then", "Some", "Many", "Most", "Officials",
    }),
)
