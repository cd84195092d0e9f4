"""Reports: renderings of scdocs results for people (terminal, Markdown, HTML)."""
