"""The curators' workbench. Saves go through services so the loader never undoes them.

One module per kind of page; importing them registers the pages."""

from claims.admin import base, claims, sources, speakers, stances  # noqa: F401
