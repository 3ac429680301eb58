"""Terminology: the model, YAML loading and validation, and the matcher."""

from .load import load, validate
from .match import Match, Matcher, in_name, source_matcher, target_matcher
from .model import Glossary, Rendering, Term

__all__ = ["Glossary", "Match", "Matcher", "Rendering", "Term", "in_name", "load", "source_matcher", "target_matcher", "validate"]
