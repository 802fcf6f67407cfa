"""The ``audio`` format: the Code spoken by a British English computer voice
(espeak-ng), one file a section after a contents announcement, with an M3U
playlist, and all of them in one zip, the file the website lists and a copy
sends. The speech text is prepared first (phone numbers in digit groups,
addresses with "at" and "dot", postcodes letter by letter, times with am and
pm): :mod:`complaints_code.engines.audio`. Settings: ``[audio]``; lexicon and
words: ``templates/audio/``.

With an on-request copy's letter, the large-print cover letter comes too.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from ..engines.audio import script as speech_script
from ..engines.audio import synth
from ..resources import resources
from ..settings import Settings
from ..structure.model import Code
from . import Artifact, RenderContext, artifact

FOLDER = "downloads/audio"
"""Where the separate files go on the site (so the playlist plays there)."""
ZIP_NAME = "downloads/complaints-code-audio.zip"
PLAYLIST = "complaints-code.m3u"
ZIP_FOLDER = "complaints-code-audio"
"""The folder inside the zip that holds the files."""
LABEL = "Audio (spoken by a computer voice)"


def script(settings: Settings) -> speech_script.Script:
    """The speech preparation, from templates/audio/."""
    return speech_script.load_script(resources(settings).folder("audio"))


def render(code: Code, settings: Settings, context: RenderContext) -> list[Artifact]:
    """The zip (listed; a copy's file), each track's file and the playlist
    (and the cover letter of a copy)."""
    tracks = script(settings).tracks(code)
    meta = code.metadata
    album = synth.Album(meta.title, meta.provider, meta.effective_date.year)
    audio = settings.audio
    with tempfile.TemporaryDirectory(prefix="audio-", dir=context.work_dir) as tmp:
        spoken = synth.speak(tracks, audio, album, Path(tmp), cache=context.cache_dir)
        files = [(item.path.name, item.path.read_bytes()) for item in spoken]
    files.append((PLAYLIST, synth.playlist(spoken, album).encode("utf-8")))
    kind = "ZIP of MP3" if audio.format == "mp3" else "ZIP of Ogg Opus"
    made = [
        artifact(ZIP_NAME, synth.zipped(files, ZIP_FOLDER, album.year),
                 media_type="application/zip", label=LABEL, kind=kind, copy_suffix=".zip"),
        *(artifact(f"{FOLDER}/{name}", data,
                   media_type="audio/x-mpegurl" if name == PLAYLIST else audio.media_type)
          for name, data in files),
    ]
    if context.letter is not None:
        made.append(_letter(code, settings, context))
    return made


def inputs(code: Code, settings: Settings) -> object:
    """What the audio is made from, for the build's fingerprint: the speech
    text of every track and the speech programs' versions."""
    return {"tracks": [(t.name, t.title, t.text) for t in script(settings).tracks(code)],
            "programs": synth.engine_versions()}


def _letter(code: Code, settings: Settings, context: RenderContext) -> Artifact:
    # lazy: the PDF engine (pikepdf, fontTools, WeasyPrint) only for copies with a letter
    from ..engines.pdf import render as pdf

    assert context.letter is not None
    fmt = settings.print.formats["large-print"]
    data = pdf.letter_pdf(code, pdf.Setup(resources(settings), settings.print),
                          context.letter, fmt, fmt.size)
    return artifact("downloads/complaints-code-audio-letter.pdf", data,
                    media_type="application/pdf", copy_suffix="-letter.pdf")
