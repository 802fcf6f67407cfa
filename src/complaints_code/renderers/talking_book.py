"""The ``talking-book`` format: the Code as an EPUB 3 talking book, the
accessible EPUB with the audio version's spoken tracks inside it and a media
overlay (SMIL) that gives each heading, paragraph and table row the clip of
the audio that reads it. A reading system that plays media overlays (Thorium,
Apple Books, Dolphin EasyReader, ...) highlights the text as it is read, and
the listener can move by heading; any other shows the EPUB as it is.

The speech is the audio format's (:mod:`complaints_code.engines.audio`,
settings ``[audio]``, always MP3, which every reading system plays): each
heading and paragraph is spoken on its own and measured, so the clips'
timings are the speech engine's, not guesses. The book's header (title,
version) is one short track of its own; the section tracks are the audio
format's, taken from the cache the two formats share, so that a build speaks
each track once. The text and its styles are the EPUB format's
(:mod:`complaints_code.engines.epub`, settings ``[epub]``).
"""

from __future__ import annotations

import tempfile
from pathlib import Path, PurePosixPath

from ..engines.audio import script as speech_script
from ..engines.audio import synth
from ..engines.epub import NarratedSection, Narration, clips, code_epub
from ..resources import resources
from ..settings import Settings
from ..structure.model import Code
from . import Artifact, RenderContext, artifact
from .digital import DOWNLOADS, letter

MEDIA_TYPE = "application/epub+zip"
LABEL = "Talking book (EPUB with the text read aloud, for e-readers that play it)"
OWNER = "talking-book"
"""This format's name among the users of the shared audio cache."""


def render(code: Code, settings: Settings, context: RenderContext) -> list[Artifact]:
    """The talking book (and the cover letter of a copy)."""
    name = settings.epub.talking_book_file
    res = resources(settings)
    audio = settings.audio.model_copy(update={"format": "mp3"})
    tracks = speech_script.load_script(res.folder("audio")).book_tracks(code)
    meta = code.metadata
    album = synth.Album(meta.title, meta.provider, meta.effective_date.year)
    with tempfile.TemporaryDirectory(prefix="talking-book-", dir=context.work_dir) as tmp:
        spoken = synth.speak(tracks, audio, album, Path(tmp), cache=context.cache_dir,
                             owner=OWNER)
        narration = Narration(
            tuple(NarratedSection(f"audio/{item.path.name}", item.path.read_bytes(),
                                  clips(item.track.anchors, item.clips))
                  for item in spoken),
            narrator=f"a computer voice (espeak-ng, {audio.voice})")
    return [
        artifact(DOWNLOADS + name, code_epub(code, settings, res, narration),
                 media_type=MEDIA_TYPE, label=LABEL, kind="EPUB", copy_suffix=".epub"),
        *letter(code, settings, context, PurePosixPath(name).stem),
    ]


def inputs(code: Code, settings: Settings) -> object:
    """What the talking book is made from, for the build's fingerprint: the
    whole model (the text), the speech text of every track and the speech
    programs' versions."""
    tracks = speech_script.load_script(resources(settings).folder("audio")).book_tracks(code)
    return {"model": code.model_dump(mode="json"),
            "tracks": [(t.name, t.title, t.text, t.anchors) for t in tracks],
            "programs": synth.engine_versions()}
