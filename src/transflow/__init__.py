"""transflow: an article in, reviewed-ready gettext PO drafts out, with glossary terms held."""

__version__ = "0.1.0"
