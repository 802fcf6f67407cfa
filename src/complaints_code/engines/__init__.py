"""Engines below the renderers: PDF (WeasyPrint), braille (liblouis), the
website (MkDocs) and the HTML helpers they share. Engines never import
renderers, commands or the CLI."""
