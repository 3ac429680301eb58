"""Validation of XLIFF documents against the OASIS schemas in tests/data/xliff-schemas/.

The schemas import the W3C ``xml.xsd`` from the web (1.2) or from a folder layout of
OASIS's own (2.1): a resolver hands lxml the local copy instead, and the parser is not
allowed to fetch anything."""

import functools
from pathlib import Path

from lxml import etree

SCHEMAS = Path(__file__).parent / "data" / "xliff-schemas"

# XLIFF 2.1 core and the modules transflow writes, under one schema.
_DRIVER_21 = f"""<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
  <xs:import namespace="urn:oasis:names:tc:xliff:document:2.0" schemaLocation="{(SCHEMAS / 'xliff_core_2.0.xsd').as_uri()}"/>
  <xs:import namespace="urn:oasis:names:tc:xliff:glossary:2.0" schemaLocation="{(SCHEMAS / 'glossary.xsd').as_uri()}"/>
  <xs:import namespace="urn:oasis:names:tc:xliff:metadata:2.0" schemaLocation="{(SCHEMAS / 'metadata.xsd').as_uri()}"/>
</xs:schema>"""


class _Local(etree.Resolver):
    def resolve(self, url, pubid, context):
        if url.endswith("xml.xsd"):
            return self.resolve_filename(str(SCHEMAS / "xml.xsd"), context)
        if url.startswith(("http:", "https:")):
            raise AssertionError(f"a schema asked for {url}, which is not in {SCHEMAS}")
        return None


def _parser() -> etree.XMLParser:
    parser = etree.XMLParser(no_network=True, resolve_entities=False)
    parser.resolvers.add(_Local())
    return parser


@functools.cache
def schema(version: str) -> etree.XMLSchema:
    if version.startswith("1"):
        doc = etree.parse(str(SCHEMAS / "xliff-core-1.2-strict.xsd"), _parser())
    else:
        doc = etree.fromstring(_DRIVER_21.encode(), _parser(), base_url=(SCHEMAS / "driver.xsd").as_uri()).getroottree()
    return etree.XMLSchema(doc)


def errors(text: str | bytes, version: str) -> list[str]:
    """What the schema of ``version`` (``1.2`` or ``2.1``) finds wrong in the document; [] if valid."""
    data = text.encode() if isinstance(text, str) else text
    doc = etree.fromstring(data, etree.XMLParser(no_network=True, resolve_entities=False)).getroottree()
    checker = schema(version)
    if checker.validate(doc):
        return []
    return [f"line {e.line}: {e.message}" for e in checker.error_log]
