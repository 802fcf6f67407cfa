"""The audio engine trusts no program on its exit status alone (issue 19):
an encoded track is decoded again and must play as long as its speech, or
it is refused, naming both durations; a speech WAV must have sound in it."""

from __future__ import annotations

import subprocess
import wave
from pathlib import Path

import pytest

from complaints_code.engines.audio import synth
from complaints_code.settings import AudioSettings


def tone(path: Path, seconds: float) -> Path:
    subprocess.run(["sox", "-n", "-r", "22050", "-c", "1", "-b", "16", str(path), "synth",
                    str(seconds), "sine", "440"], check=True)
    return path


@pytest.mark.parametrize("fmt", ["mp3", "opus"])
def test_a_whole_track_passes_and_a_short_one_is_refused(tmp_path: Path, fmt: str) -> None:
    settings = AudioSettings(format=fmt)
    wav = tone(tmp_path / "speech.wav", 6)
    whole, short = tmp_path / f"whole.{fmt}", tmp_path / f"short.{fmt}"
    encode = (["sox", "-q", str(wav), "-C", "48.7", str(whole)] if fmt == "mp3" else
              ["opusenc", "--quiet", str(wav), str(whole)])
    subprocess.run(encode, check=True)
    synth.check_encoded(whole, 6.0, settings)
    # What an encoder stopped early leaves: a well-formed file, four seconds short.
    trim = (["sox", "-q", str(wav), "-C", "48.7", str(short), "trim", "0", "2"] if fmt == "mp3"
            else ["sh", "-c", f"sox {wav} -t wav - trim 0 2 | opusenc --quiet - {short}"])
    subprocess.run(trim, check=True)
    encoder = "sox" if fmt == "mp3" else "opusenc"
    with pytest.raises(synth.AudioEngineError) as caught:
        synth.check_encoded(short, 6.0, settings)
    assert str(caught.value) == (f"the encoded track short.{fmt} plays for 2.0 s but its speech "
                                 f"lasts 6.0 s: {encoder} stopped early (was it interrupted?), "
                                 "so the track is not used")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["speech.wav", whole.name, short.name])  # the decoded check copies are gone


def test_a_track_that_does_not_decode_is_refused(tmp_path: Path) -> None:
    broken = tmp_path / "broken.mp3"
    broken.write_bytes(b"ID3 not really an mp3")
    with pytest.raises(synth.AudioEngineError, match="cannot be decoded"):
        synth.check_encoded(broken, 3.0, AudioSettings())


def test_speech_without_sound_is_refused(tmp_path: Path) -> None:
    empty = tmp_path / "silence.wav"
    with wave.open(str(empty), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(22050)
    with pytest.raises(synth.AudioEngineError, match="the WAV is empty"):
        synth.speech_seconds(empty)
