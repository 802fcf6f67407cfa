"""Braille: the Code in Unified English Braille, translated by liblouis block
by block and laid out in pages here.

- :mod:`.translate` - liblouis behind one lock; braille words from a block.
- :mod:`.blocks` - the model as headings, paragraphs and items.
- :mod:`.layout` - lines and pages (the formatting rules are documented there).
- :mod:`.document` - title page, contents and body.
- :mod:`.formats` - BRF, Unicode text, PEF and the proofing preview.

Settings: :class:`complaints_code.settings.BrailleSettings`.

The renderer entry points are in :mod:`complaints_code.renderers.braille`.
"""
