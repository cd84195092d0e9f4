"""Theme tagging: the taxonomy (data), the spaCy component, section decisions and `tag()`."""

from __future__ import annotations

from scdocs.themes.result import DocumentTags, Evidence, SectionTags, ThemeTag
from scdocs.themes.tagger import tag, tag_many, tag_stream
from scdocs.themes.taxonomy import CORE_THEME_IDS, Taxonomy, TaxonomyError, Theme, load_taxonomy

__all__ = ["CORE_THEME_IDS", "DocumentTags", "Evidence", "SectionTags", "Taxonomy", "TaxonomyError", "Theme",
           "ThemeTag", "load_taxonomy", "tag", "tag_many", "tag_stream"]
