"""Speech text to audio files: espeak-ng speaks each track to a WAV file,
then sox (MP3, with LAME) or opusenc (Ogg Opus) encodes it, with its title,
artist, album and track number as tags. Tracks are spoken in parallel, one
process a core.

Also the M3U playlist and the zip of every file, both made the same byte for
byte from the same input.

Speaking is most of an audio build's time, so a build may keep each track's
encoded file in a cache folder, named by a digest of everything the file is
made from (its speech text, title and number, the album, the audio settings
and the programs' versions). A paragraph edit then speaks one track again,
not all of them.

No program is trusted on its exit status alone: sox, given a SIGINT, stops
encoding, closes a shorter file and exits 0. Each encoded track is decoded
again and must play for as long as the speech it was made from, or the
track is refused (:func:`check_encoded`); the speech must be a WAV with
sound in it. The programs run in process groups of their own
(:func:`complaints_code.interrupts.run`), so a terminal's Ctrl-C reaches the
tool, which stops them, rather than them alone.
"""

from __future__ import annotations

import functools
import hashlib
import io
import json
import os
import re
import shutil
import signal
import subprocess
import wave
import zipfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from ...errors import ComplaintsCodeError
from ...interrupts import run
from ...settings import AudioSettings
from .speech import SPELLED_RUN, Track

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
                               f"it: apt-get install {packages} (make setup does this)")


def speak(tracks: list[Track], settings: AudioSettings, album: Album,
          folder: Path, cache: Path | None = None) -> list[Spoken]:
    """Speak and encode every track into ``folder`` (NAME.wav, then
    NAME.mp3 or NAME.opus); in track order. With a ``cache`` folder, a track
    made before from the same inputs is taken from it instead, and the cache
    keeps exactly this run's tracks afterwards."""
    check_tools(settings)
    _check_voice(settings.voice)
    folder.mkdir(parents=True, exist_ok=True)
    workers = max(1, min(len(tracks), len(os.sched_getaffinity(0))))
    keys = [_key(t, settings, album, len(tracks)) if cache else "" for t in tracks]
    with ThreadPoolExecutor(workers) as pool:
        futures = [pool.submit(_cached, t, settings, album, len(tracks), folder, cache, k)
                   for t, k in zip(tracks, keys, strict=True)]
        try:
            spoken = [future.result() for future in futures]
        except BaseException:
            for future in futures:  # one track failed: the others are not wanted
                future.cancel()
            raise
    if cache is not None:
        keep = set(keys)
        for old in cache.iterdir():
            if old.name.split(".")[0] not in keep or ".partial-" in old.name:
                old.unlink(missing_ok=True)
    return spoken


def _key(track: Track, settings: AudioSettings, album: Album, total: int) -> str:
    """A digest of everything a track's encoded file is made from."""
    made_from = [ssml(track, settings), track.name, track.title, track.number, total,
                 album.title, album.artist, album.year,
                 settings.model_dump(mode="json"), engine_versions()]
    return hashlib.sha256(json.dumps(made_from, sort_keys=True).encode()).hexdigest()


def _cached(track: Track, settings: AudioSettings, album: Album, total: int,
            folder: Path, cache: Path | None, key: str) -> Spoken:
    """A track from the cache if it holds one under ``key`` (the digest of
    its inputs), else spoken now (and put in the cache)."""
    if cache is None:
        return _one(track, settings, album, total, folder)
    stored, about = cache / f"{key}{settings.extension}", cache / f"{key}.json"
    out = folder / f"{track.name}{settings.extension}"
    try:
        record = json.loads(about.read_text(encoding="utf-8"))
        seconds, size = float(record["seconds"]), int(record["size"])
        shutil.copyfile(stored, out)
        if out.stat().st_size == size:  # the file checked when it was made
            return Spoken(track, out, seconds)
    except (OSError, ValueError, KeyError, TypeError):
        pass  # not there, or half of it: speak it again
    spoken = _one(track, settings, album, total, folder)
    cache.mkdir(parents=True, exist_ok=True)
    data = out.read_bytes()
    for content, path in ((data, stored),
                          (json.dumps({"seconds": spoken.seconds, "size": len(data)}).encode(),
                           about)):
        partial = path.with_name(f"{path.name}.partial-{os.getpid()}-{track.number}")
        partial.write_bytes(content)
        os.replace(partial, path)  # the file, then its duration: a reader sees both or none
    return spoken


def _one(track: Track, settings: AudioSettings, album: Album, total: int,
         folder: Path) -> Spoken:
    wav = folder / f"{track.name}.wav"
    _run([ESPEAK, "-v", settings.voice, "-s", str(settings.speed), "-m", "-w", str(wav),
          "--stdin"], ssml(track, settings).encode("utf-8"))
    out = folder / f"{track.name}{settings.extension}"
    if settings.format == "mp3":
        tags = {"Title": track.title, "Artist": album.artist, "Album": album.title,
                "Tracknumber": f"{track.number}/{total}", "Year": str(album.year)}
        comments = [arg for i, (k, v) in enumerate(tags.items())
                    for arg in ("--comment" if i == 0 else "--add-comment", f"{k}={v}")]
        # LAME quality 7 (the ".7"): half the time of the default, no
        # difference to a computer voice at these bit rates.
        _run([SOX, "-q", str(wav), "-C", f"{settings.bitrate}.{MP3_QUALITY}", *comments,
              str(out)])
    else:
        _run([OPUSENC, "--quiet", "--comp", str(OPUS_COMPLEXITY), "--bitrate",
              str(settings.bitrate), "--serial",
              str(track.number), "--title", track.title, "--artist", album.artist,
              "--album", album.title, "--tracknumber", f"{track.number}/{total}",
              "--date", str(album.year), str(wav), str(out)])
    seconds = speech_seconds(wav)
    check_encoded(out, seconds, settings)
    return Spoken(track, out, seconds)


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


@functools.cache
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
