"""Speech text to audio files: espeak-ng speaks each heading and paragraph
of a track to a WAV file, and the track is those joined with the pause
after each (``heading_pause_ms``, ``paragraph_pause_ms``); then sox (MP3,
with LAME) or opusenc (Ogg Opus) encodes it, with its title, artist, album
and track number as tags. Tracks are spoken in parallel, one process a core.

Speaking each part on its own gives its exact length, measured from the
WAV's frames: the talking book's media overlay (each paragraph highlighted
while it is read) takes its timings from these, not from guesses.

Also the M3U playlist and the zip of every file, both made the same byte for
byte from the same input.

A build may keep each track's encoded file for the next one: see
:mod:`.trackcache`.

No program is trusted on its exit status alone: sox, given a SIGINT, stops
encoding, closes a shorter file and exits 0. Each encoded track is decoded
again and must play for as long as the speech it was made from, or the
track is refused (:func:`check_encoded`); each spoken part must be a WAV
that can be read. The programs run in process groups of their own
(:func:`complaints_code.processes.interrupts.run`), so a terminal's Ctrl-C reaches the
tool, which stops them, rather than them alone.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import signal
import subprocess
import wave
import zipfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from ...errors import ComplaintsCodeError
from ...processes import timing
from ...processes.interrupts import run
from ...resources import caches
from ...settings import AudioSettings
from . import trackcache
from .patterns import SPELLED_RUN
from .script import Track

ESPEAK = "espeak-ng"
SOX = "sox"
OPUSENC = "opusenc"
OPUSDEC = "opusdec"
DURATION_TOLERANCE = 0.25
"""Seconds an encoded track may play longer or shorter than its speech: an
MP3 encoder adds up to a few frames of silence at each end (LAME's delay and
padding, about 0.1 s at these rates); a track stopped early is short by far
more."""
MP3_QUALITY = 7
"""LAME's quality, 0 (slowest) to 9 (fastest)."""
OPUS_COMPLEXITY = 5
"""opusenc's complexity, 0 to 10 (default 10): 5 is a third of the time, and
speech at 24 kbit/s or more sounds the same."""
SENTENCE_PAUSE_MS = 300
"""The pause that stands for a full stop after spelt characters."""
TOOLS = {ESPEAK: "espeak-ng", SOX: "sox libsox-fmt-mp3", OPUSENC: "opus-tools",
         OPUSDEC: "opus-tools"}
"""Each program and the Debian packages that provide it."""


class AudioEngineError(ComplaintsCodeError):
    """A speech or encoding program is missing or failed."""


@dataclass(frozen=True)
class Album:
    """What the files' tags say besides each track's title."""

    title: str
    """The album: the Code's title."""
    artist: str
    """The artist: the provider."""
    year: int
    """The year of the Code's effective date."""


@dataclass(frozen=True)
class Spoken:
    """One track, spoken and encoded."""

    track: Track
    path: Path
    """The encoded file."""
    seconds: float
    """Its duration, from the spoken WAV."""
    clips: tuple[float, ...] = ()
    """How long each heading, then each paragraph, lasts with the pause
    after it, in seconds: they add up to ``seconds``."""

    @property
    def starts(self) -> tuple[float, ...]:
        """Where each heading and paragraph starts, in seconds."""
        at, out = 0.0, []
        for clip in self.clips:
            out.append(at)
            at += clip
        return tuple(out)


def ssml(track: Track, settings: AudioSettings) -> str:
    """The track as SSML for espeak-ng: a pause after each heading and each
    paragraph, and runs of spelt letters and digits ("S W 1 9") said
    character by character."""
    parts = ['<speak xml:lang="en-GB">']
    for heading in track.headings:
        parts.append(f'<p>{_marked(heading)}</p><break time="{settings.heading_pause_ms}ms"/>')
    for paragraph in track.paragraphs:
        parts.append(f'<p>{_marked(paragraph)}</p>'
                     f'<break time="{settings.paragraph_pause_ms}ms"/>')
    parts.append("</speak>")
    return "\n".join(parts)


def part_ssml(text: str) -> str:
    """One heading or paragraph as SSML for espeak-ng (spoken on its own;
    the pause after it is added as silence)."""
    return f'<speak xml:lang="en-GB">\n<p>{_marked(text)}</p>\n</speak>'


def _marked(text: str) -> str:
    out, pos = [], 0
    for m in SPELLED_RUN.finditer(text):
        out.append(escape(text[pos:m.start()]))
        out.append(f'<say-as interpret-as="characters">{m.group(0).replace(" ", "")}</say-as>')
        pos = m.end()
        # espeak-ng reads a full stop after spelt characters as "dot": a
        # pause stands for it. Other punctuation needs only a space before it.
        if text.startswith(".", pos):
            out.append(f'<break time="{SENTENCE_PAUSE_MS}ms"/>')
            pos += 1
        elif pos < len(text) and not text[pos].isspace():
            out.append(" ")
    out.append(escape(text[pos:]))
    return "".join(out)


def needed_tools(settings: AudioSettings) -> list[str]:
    """The programs the audio needs in its format: the speech engine, the
    encoder, and the decoder that checks what the encoder made."""
    return [ESPEAK, SOX] if settings.format == "mp3" else [ESPEAK, OPUSENC, OPUSDEC]


def check_tools(settings: AudioSettings) -> None:
    """Raise AudioEngineError naming the Debian package of each missing program."""
    missing = [tool for tool in needed_tools(settings) if shutil.which(tool) is None]
    if missing:
        packages = " ".join(dict.fromkeys(TOOLS[t] for t in missing))
        raise AudioEngineError(f"{', '.join(missing)} not installed; the audio format needs "
                               f"it: apt-get install {packages} (make build does this)")


def speak(tracks: list[Track], settings: AudioSettings, album: Album,
          folder: Path, cache: Path | None = None, owner: str = "audio") -> list[Spoken]:
    """Speak and encode every track into ``folder`` (NAME.mp3 or NAME.opus);
    in track order. With a ``cache`` folder, a track made before from the
    same inputs is taken from it instead; afterwards the cache keeps the
    entries of this run and of the latest run of each other ``owner`` (a
    format sharing the cache)."""
    check_tools(settings)
    _check_voice(settings.voice)
    folder.mkdir(parents=True, exist_ok=True)
    workers = max(1, min(len(tracks), len(os.sched_getaffinity(0))))
    if cache is None:
        return _in_order(workers, lambda t: _one(t, settings, album, len(tracks), folder),
                         tracks)
    keys = [_key(t, settings, album, len(tracks)) for t in tracks]
    with trackcache.shared(cache):
        spoken = _in_order(
            workers, lambda t, k: _cached(t, settings, album, len(tracks), folder, cache, k),
            tracks, keys)
        trackcache.record(cache, owner, keys)
    trackcache.prune(cache)
    return spoken


def _in_order(workers: int, call: Callable[..., Spoken], *columns: list[Any]) -> list[Spoken]:
    """``call`` on each row of ``columns``, on ``workers`` threads; the
    results in order. One that fails cancels those not started: the track
    cannot be used, so the others are not wanted."""
    with ThreadPoolExecutor(workers) as pool:
        futures = [pool.submit(call, *row) for row in zip(*columns, strict=True)]
        try:
            return [future.result() for future in futures]
        except BaseException:
            for future in futures:
                future.cancel()
            raise


def _key(track: Track, settings: AudioSettings, album: Album, total: int) -> str:
    """The name of a track's entry in the cache: everything its file is made from."""
    return trackcache.key([ssml(track, settings), track.name, track.title, track.number,
                           total, album.title, album.artist, album.year,
                           settings.model_dump(mode="json"), engine_versions()])


def _cached(track: Track, settings: AudioSettings, album: Album, total: int,
            folder: Path, cache: Path, key: str) -> Spoken:
    """A track from the cache if it holds one under ``key``, else spoken now
    and put in the cache (holding the entry's lock meanwhile)."""
    out = folder / f"{track.name}{settings.extension}"
    with trackcache.entry(cache, key):
        found = trackcache.fetch(cache, key, settings.extension, out)
        if found is not None:
            return Spoken(track, out, *found)
        spoken = _one(track, settings, album, total, folder)
        trackcache.store(cache, key, settings.extension, out, spoken.seconds, spoken.clips)
        return spoken


def _one(track: Track, settings: AudioSettings, album: Album, total: int,
         folder: Path) -> Spoken:
    wav = folder / f"{track.name}.wav"
    pauses = [settings.heading_pause_ms] * len(track.headings) + \
        [settings.paragraph_pause_ms] * len(track.paragraphs)
    clips = _spoken_wav(track, pauses, settings, wav)
    out = folder / f"{track.name}{settings.extension}"
    if settings.format == "mp3":
        tags = {"Title": track.title, "Artist": album.artist, "Album": album.title,
                "Tracknumber": f"{track.number}/{total}", "Year": str(album.year)}
        comments = [arg for i, (k, v) in enumerate(tags.items())
                    for arg in ("--comment" if i == 0 else "--add-comment", f"{k}={v}")]
        # LAME quality 7 (the ".7"): half the time of the default, no
        # difference to a computer voice at these bit rates.
        with timing.phase("encoding"):
            _run([SOX, "-q", str(wav), "-C", f"{settings.bitrate}.{MP3_QUALITY}", *comments,
                  str(out)])
    else:
        with timing.phase("encoding"):
            _run([OPUSENC, "--quiet", "--comp", str(OPUS_COMPLEXITY), "--bitrate",
                  str(settings.bitrate), "--serial",
                  str(track.number), "--title", track.title, "--artist", album.artist,
                  "--album", album.title, "--tracknumber", f"{track.number}/{total}",
                  "--date", str(album.year), str(wav), str(out)])
    seconds = speech_seconds(wav)
    with timing.phase("decoding check"):
        check_encoded(out, seconds, settings)
    return Spoken(track, out, seconds, clips)


def speech_seconds(wav: Path) -> float:
    """The spoken WAV's duration. Raises AudioEngineError if espeak-ng left
    no readable WAV, or one without sound."""
    try:
        seconds = wav_seconds(wav)
    except (OSError, EOFError, wave.Error) as exc:
        raise AudioEngineError(f"{ESPEAK} made no readable speech for {wav.stem} "
                               f"({exc})") from None
    if seconds <= 0:
        raise AudioEngineError(f"{ESPEAK} made no speech for {wav.stem} (the WAV is empty)")
    return seconds


def check_encoded(path: Path, seconds: float, settings: AudioSettings) -> None:
    """Decode an encoded track and compare how long it plays with the speech
    it was made from (``seconds``). Raises AudioEngineError, naming both, if
    it cannot be decoded or is shorter or longer: the encoder stopped early
    (interrupted, out of space) whatever its exit status said."""
    decoded = path.with_name(f"{path.name}.decoded.wav")
    if settings.format == "mp3":
        command = [SOX, "-q", str(path), "-t", "wav", str(decoded)]
    else:
        command = [OPUSDEC, "--quiet", str(path), str(decoded)]
    try:
        _run(command)
        plays = wav_seconds(decoded)
    except (AudioEngineError, OSError, EOFError, wave.Error) as exc:
        raise AudioEngineError(f"the encoded track {path.name} cannot be decoded ({exc}); the "
                               "encoder did not finish it") from None
    finally:
        decoded.unlink(missing_ok=True)
    if abs(plays - seconds) > DURATION_TOLERANCE:
        encoder = SOX if settings.format == "mp3" else OPUSENC
        raise AudioEngineError(f"the encoded track {path.name} plays for {plays:.1f} s but its "
                               f"speech lasts {seconds:.1f} s: {encoder} stopped early (was it "
                               "interrupted?), so the track is not used")


def _spoken_wav(track: Track, pauses: list[int], settings: AudioSettings,
                wav: Path) -> tuple[float, ...]:
    """Speak each heading and paragraph on its own, join them into ``wav``
    with the pause after each, and return each one's length with its pause."""
    parts = [*track.headings, *track.paragraphs]
    clips: list[float] = []
    with wave.open(str(wav), "wb") as joined:
        for i, (text, pause) in enumerate(zip(parts, pauses, strict=True)):
            piece = wav.with_name(f"{wav.stem}.{i}.wav")
            with timing.phase("speech"):
                _run([ESPEAK, "-v", settings.voice, "-s", str(settings.speed), "-m", "-w",
                      str(piece), "--stdin"], part_ssml(text).encode("utf-8"))
            try:
                with wave.open(str(piece), "rb") as spoken:
                    if i == 0:
                        joined.setparams(spoken.getparams())
                    rate = spoken.getframerate()
                    frame = spoken.getsampwidth() * spoken.getnchannels()
                    frames = spoken.readframes(spoken.getnframes())
            except (OSError, EOFError, wave.Error) as exc:
                raise AudioEngineError(f"{ESPEAK} made no readable speech for part {i + 1} "
                                       f"of {track.name} ({exc})") from None
            silence = round(rate * pause / 1000)
            joined.writeframes(frames + b"\x00" * (silence * frame))
            clips.append((len(frames) // frame + silence) / rate)
            piece.unlink()
    return tuple(clips)


def _check_voice(voice: str) -> None:
    listed = _run([ESPEAK, "--voices"]).decode("utf-8", "replace")
    names = {field for line in listed.splitlines()[1:] for field in line.split()[1:2]}
    files = {line.split()[4] for line in listed.splitlines()[1:] if len(line.split()) > 4}
    base = voice.split("+")[0]
    if base not in names and base not in files:
        raise AudioEngineError(f"audio.voice = {voice!r}: espeak-ng has no such voice; "
                               "choose one listed by espeak-ng --voices=en, e.g. en-gb")


def _run(command: list[str], stdin: bytes | None = None) -> bytes:
    try:
        done = run(command, stdin=stdin, timeout=300)
    except FileNotFoundError:
        raise AudioEngineError(f"{command[0]} is not installed; apt-get install "
                               f"{TOOLS.get(command[0], command[0])}") from None
    except subprocess.TimeoutExpired:
        raise AudioEngineError(f"{command[0]} did not finish in 5 minutes; it was "
                               "stopped") from None
    if done.returncode < 0:
        raise AudioEngineError(f"{command[0]} was stopped by "
                               f"{signal.Signals(-done.returncode).name} before it finished")
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip()
        raise AudioEngineError(f"{command[0]} failed (exit {done.returncode}): {message}")
    return done.stdout


def wav_seconds(path: Path) -> float:
    """A WAV file's duration in seconds, from its header."""
    with wave.open(str(path), "rb") as w:
        return w.getnframes() / w.getframerate()


@caches.memo(None)
def engine_versions() -> dict[str, str]:
    """The versions of espeak-ng, sox and opusenc (for build fingerprints)."""
    found = {}
    for tool in (ESPEAK, SOX, OPUSENC):
        try:
            text = _run([tool, "--version"]).decode("utf-8", "replace")
        except AudioEngineError:
            text = "absent"
        m = re.search(r"\d+(?:\.\d+)+", text)
        found[tool] = m.group(0) if m else text.strip()[:40]
    return found


def playlist(spoken: list[Spoken], album: Album) -> str:
    """An extended M3U playlist of the files, in order, each with its
    duration in whole seconds and its title."""
    lines = ["#EXTM3U", f"#PLAYLIST:{album.title} ({album.artist})"]
    for item in spoken:
        lines.append(f"#EXTINF:{round(item.seconds)},{album.artist} - {item.track.title}")
        lines.append(item.path.name)
    return "\n".join(lines) + "\n"


def zipped(files: list[tuple[str, bytes]], folder: str, year: int) -> bytes:
    """A zip of the files inside one folder, stored (audio does not compress
    further), with fixed dates so the same files give the same bytes."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in files:
            info = zipfile.ZipInfo(f"{folder}/{name}", date_time=(year, 1, 1, 0, 0, 0))
            info.compress_type = (zipfile.ZIP_DEFLATED if name.endswith((".m3u", ".txt"))
                                  else zipfile.ZIP_STORED)
            info.external_attr = 0o644 << 16
            z.writestr(info, data)
    return buf.getvalue()
