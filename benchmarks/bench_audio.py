"""Audio: the speech text, the whole render, and espeak-ng alone.

The render (speech text, espeak-ng per track in parallel, MP3 encoding,
playlist and zip) is compared with espeak-ng speaking the same words as one
plain-text run to a WAV, in the same run: what the format adds on top of the
speech engine itself.
"""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

from complaints_code.renderers import RenderContext, audio
from complaints_code.structure.source import load

from .harness import Result, median_seconds, project_settings


def run() -> list[Result]:
    settings = project_settings()
    code = load(settings.source)
    script = audio.script(settings)
    tracks = script.tracks(code)
    words = sum(t.words for t in tracks)
    text = "\n".join(t.text for t in tracks)

    prepare_s = median_seconds(lambda: script.tracks(code), repeat=20)
    with tempfile.TemporaryDirectory() as folder:
        wav = Path(folder) / "all.wav"

        def espeak() -> None:
            subprocess.run(["espeak-ng", "-v", settings.audio.voice, "-s",
                            str(settings.audio.speed), "-w", str(wav), "--stdin"],
                           input=text.encode(), check=True)

        espeak_s = median_seconds(espeak, repeat=3, warmup=1)
        made: list[object] = []

        def render() -> None:
            made[:] = audio.render(code, settings, RenderContext(work_dir=Path(folder)))

        render_s = median_seconds(render, repeat=3, warmup=1)
    total = sum(t.words for t in tracks) / settings.audio.speed * 60
    return [
        Result("audio: speech text of the whole Code", prepare_s * 1000, "ms", 50.0,
               detail=f"{len(tracks)} tracks, {words} words"),
        Result("audio: espeak-ng alone, whole Code to one WAV", espeak_s, "s",
               detail=f"about {total / 60:.1f} min of speech"),
        Result("audio: whole render (MP3, playlist, zip)", render_s, "s", 15.0,
               detail=f"{render_s / espeak_s:.2f} x espeak-ng alone"),
    ]
