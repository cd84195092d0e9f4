"""Formats other tools read: Akoma Ntoso 3.0 (the writer), FRBR URIs, the scdocs JSON and
Markdown renderings of a document, and W3C Web Annotation metadata."""
