"""The audio files themselves: built once (``build --only
audio,talking-book,web``, shared with the talking book's tests), then
measured and decoded with sox, as a listener's player would read them.

Each section's duration must fit its word count at the configured speed; every
file must decode to sound (not silence); the playlist lists every file in
order with its duration; the zip holds the same files; the website lists the
zip under "Other formats"; a copy writes the zip."""

from __future__ import annotations

import re
import subprocess
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from complaints_code.cli import main
from complaints_code.engines.audio import synth
from complaints_code.engines.audio.script import Track
from complaints_code.engines.audio.speech import words_in
from complaints_code.renderers import audio
from complaints_code.settings import AudioSettings, Settings
from tests.conftest import digest, project_settings

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("audio")]


@pytest.fixture(scope="module")
def site(spoken_build: Path) -> Path:
    """The audio and the website, built and published as ``make build`` does."""
    return spoken_build / "site"


@pytest.fixture(scope="module")
def tracks(settings: Settings, code: object) -> list[Track]:
    from complaints_code.structure.source import load

    return audio.script(settings).tracks(load(settings.source))


def sox_stat(path: Path) -> dict[str, float]:
    """What sox reads back from a file: its length and loudness."""
    done = subprocess.run(["sox", str(path), "-n", "stat"], capture_output=True, text=True,
                          check=True)
    return {m.group(1).strip(): float(m.group(2))
            for m in re.finditer(r"^([A-Za-z ()]+):\s+(-?[\d.]+)$", done.stderr, re.M)}


def soxi_seconds(path: Path) -> float:
    return float(subprocess.run(["soxi", "-D", str(path)], capture_output=True, text=True,
                                check=True).stdout)


def test_each_section_lasts_as_long_as_its_words_take_at_the_set_speed(
        site: Path, tracks: list[Track], settings: Settings) -> None:
    speed = settings.audio
    for track in tracks:
        seconds = soxi_seconds(site / audio.FOLDER / f"{track.name}.mp3")
        speaking = track.words / speed.speed * 60
        pauses = (len(track.headings) * speed.heading_pause_ms
                  + len(track.paragraphs) * speed.paragraph_pause_ms) / 1000
        # espeak-ng ends each heading and paragraph with up to 0.7 s of its own.
        ends = 0.7 * (len(track.headings) + len(track.paragraphs))
        low, high = 0.75 * speaking + pauses, 1.5 * speaking + pauses + ends + 1
        assert low <= seconds <= high, (track.name, track.words, seconds, (low, high))


def test_every_file_decodes_to_sound(site: Path, tracks: list[Track]) -> None:
    for track in tracks:
        stat = sox_stat(site / audio.FOLDER / f"{track.name}.mp3")
        assert stat["Length (seconds)"] > 5, track.name
        assert stat["RMS     amplitude"] > 0.01, f"{track.name} is silent"


def test_the_playlist_lists_every_file_in_order_with_its_duration_and_title(
        site: Path, tracks: list[Track]) -> None:
    lines = (site / audio.FOLDER / audio.PLAYLIST).read_text(encoding="utf-8").splitlines()
    assert lines[0] == "#EXTM3U"
    entries = [(lines[i], lines[i + 1]) for i, line in enumerate(lines)
               if line.startswith("#EXTINF:")]
    assert [name for _, name in entries] == [f"{t.name}.mp3" for t in tracks]
    for (info, name), track in zip(entries, tracks, strict=True):
        m = re.fullmatch(r"#EXTINF:(\d+),Opus Telecoms - (.+)", info)
        assert m, info
        assert m.group(2) == track.title
        assert abs(int(m.group(1)) - soxi_seconds(site / audio.FOLDER / name)) <= 1


def test_the_zip_holds_every_file_and_the_playlist_as_published(
        site: Path, tracks: list[Track]) -> None:
    with zipfile.ZipFile(site / audio.ZIP_NAME) as z:
        names = z.namelist()
        assert names == [f"{audio.ZIP_FOLDER}/{t.name}.mp3" for t in tracks] + \
            [f"{audio.ZIP_FOLDER}/{audio.PLAYLIST}"]
        for name in names:
            published = site / audio.FOLDER / Path(name).name
            assert z.read(name) == published.read_bytes(), name


def test_the_files_carry_title_artist_album_and_track_number(site: Path) -> None:
    info = subprocess.run(["soxi", str(site / audio.FOLDER / "02-purpose.mp3")],
                          capture_output=True, text=True, check=True).stdout
    assert "Title=The Purpose of this Code" in info
    assert "Artist=Opus Telecoms" in info
    assert "Album=Customer Complaints Code" in info
    assert "Tracknumber=2/10" in info


def test_the_website_lists_the_audio_zip_under_other_formats(site: Path) -> None:
    page = (site / "index.html").read_text(encoding="utf-8")
    other = page[page.index("Other formats"):]
    link = re.search(r'<a href="([^"]*complaints-code-audio\.zip)"[^>]*>(.*?)</a>(.{0,80})',
                     other, re.S)
    assert link, "no link to the audio zip"
    assert "Audio (spoken by a computer voice)" in link.group(2)
    assert "ZIP of MP3" in link.group(2) + link.group(3)
    # Only the zip is listed; the separate files are on the site but not in the list.
    assert ".mp3\"" not in other.split("</ul>")[0]


def entries(cache: Path) -> dict[str, int]:
    """The cache's entries (each track's file and its facts), with their times."""
    return {p.name: p.stat().st_mtime_ns for p in cache.iterdir()
            if p.suffix in (".mp3", ".json")}


def test_a_track_made_before_from_the_same_inputs_comes_from_the_cache(
        tmp_path: Path, settings: Settings, tracks: list[Track]) -> None:
    # A paragraph edit speaks one track again, not all of them; what comes
    # from the cache is what speaking afresh makes.
    album = synth.Album("Customer Complaints Code", "Opus Telecoms", 2026)
    cache = tmp_path / "cache"
    few = tracks[:3]
    synth.speak(few, settings.audio, album, tmp_path / "a", cache=cache)
    before = entries(cache)
    assert len(before) == 6  # each track's file and its facts
    edited = [few[0], replace(few[1], paragraphs=(*few[1].paragraphs, "Thank you.")), few[2]]
    again = synth.speak(edited, settings.audio, album, tmp_path / "b", cache=cache)
    after = entries(cache)
    kept = set(before) & set(after)
    assert len(kept) == 4 and all(before[name] == after[name] for name in kept)
    assert len(after) == 6  # the edited track's old entry is gone
    fresh = synth.speak(edited, settings.audio, album, tmp_path / "c")
    assert [(digest(s.path.read_bytes()), s.seconds, s.clips) for s in again] == \
        [(digest(s.path.read_bytes()), s.seconds, s.clips) for s in fresh]
    # A run with fewer tracks leaves the cache holding only those.
    synth.speak(edited[:1], settings.audio, album, tmp_path / "d", cache=cache)
    assert len(entries(cache)) == 2


def test_two_formats_share_a_cache_and_it_keeps_what_each_last_used(
        tmp_path: Path, settings: Settings, tracks: list[Track]) -> None:
    # The talking book speaks with the audio's cache: a track the audio made
    # is not spoken again, and neither format's run prunes the other's.
    album = synth.Album("Customer Complaints Code", "Opus Telecoms", 2026)
    cache = tmp_path / "cache"
    first = synth.speak(tracks[:2], settings.audio, album, tmp_path / "a", cache=cache,
                        owner="audio")
    made = entries(cache)
    header = Track(1, "title", "Title", ("Title.",), ("Version 1.",), ("title", "version"))
    shared = synth.speak([header, tracks[1]], settings.audio, album, tmp_path / "b",
                         cache=cache, owner="talking-book")
    now = entries(cache)
    assert all(now[name] == made[name] for name in made)  # reused, and nothing pruned
    assert len(now) == 6  # the audio's two tracks and the talking book's header
    assert (shared[1].seconds, shared[1].clips) == (first[1].seconds, first[1].clips)


def test_two_formats_speaking_at_once_speak_each_track_once(
        tmp_path: Path, settings: Settings, tracks: list[Track],
        monkeypatch: pytest.MonkeyPatch) -> None:
    # As in a build, where the audio and the talking book render at once:
    # the lock on each cache entry makes the second wait for the first.
    from concurrent.futures import ThreadPoolExecutor

    album = synth.Album("Customer Complaints Code", "Opus Telecoms", 2026)
    spoken_now: list[str] = []
    speak_one = synth._one

    def counted(track: Track, *args: object) -> synth.Spoken:
        spoken_now.append(track.name)
        return speak_one(track, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(synth, "_one", counted)
    cache = tmp_path / "cache"
    with ThreadPoolExecutor(2) as pool:
        runs = [pool.submit(synth.speak, tracks[1:3], settings.audio, album,
                            tmp_path / owner, cache, owner) for owner in ("audio", "book")]
        made = [run.result() for run in runs]
    assert sorted(spoken_now) == sorted(t.name for t in tracks[1:3])
    assert [(s.seconds, s.clips) for s in made[0]] == [(s.seconds, s.clips) for s in made[1]]


def test_each_heading_and_paragraph_is_measured_and_the_parts_add_up(
        tmp_path: Path, settings: Settings, tracks: list[Track]) -> None:
    album = synth.Album("Customer Complaints Code", "Opus Telecoms", 2026)
    track = next(t for t in tracks if t.slug == "contact-us")
    [spoken] = synth.speak([track], settings.audio, album, tmp_path)
    assert len(spoken.clips) == len(track.headings) + len(track.paragraphs)
    assert sum(spoken.clips) == pytest.approx(spoken.seconds, abs=1e-6)
    assert soxi_seconds(spoken.path) == pytest.approx(spoken.seconds, abs=0.05)
    # Each part lasts as long as its words take, with its pause: the timings
    # are the engine's, not one length for every paragraph.
    speed = settings.audio
    parts = [*track.headings, *track.paragraphs]
    pauses = [speed.heading_pause_ms] * len(track.headings) + \
        [speed.paragraph_pause_ms] * len(track.paragraphs)
    for text, pause, clip in zip(parts, pauses, spoken.clips, strict=True):
        speaking = words_in(text) / speed.speed * 60
        assert 0.6 * speaking + pause / 1000 <= clip <= 1.6 * speaking + pause / 1000 + 1, \
            (text, clip)


def test_a_copy_writes_the_zip_and_the_cover_letter_beside_it(tmp_path: Path) -> None:
    out = tmp_path / "smith.zip"
    result = CliRunner().invoke(main, [
        "copy", "--format", "audio", "--out", str(out), "--name", "Mrs Jane Smith",
        "--address", "Flat 2; 10 High Street; London; SW19 1AA", "--date", "2026-12-01"])
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(out) as z:
        assert f"{audio.ZIP_FOLDER}/{audio.PLAYLIST}" in z.namelist()
        assert len([n for n in z.namelist() if n.endswith(".mp3")]) == 10
    assert (tmp_path / "smith-letter.pdf").read_bytes().startswith(b"%PDF-")


def test_ogg_opus_files_decode_and_keep_their_length(tmp_path: Path) -> None:
    settings = AudioSettings(format="opus", bitrate=32)
    track = Track(1, "test", "Test", ("Contact us.",),
                  ("Telephone: 0 2 0, 8 5 4 5, 8 2 0 0.",))
    album = synth.Album("Customer Complaints Code", "Opus Telecoms", 2026)
    [spoken] = synth.speak([track], settings, album, tmp_path)
    assert spoken.path.name == "01-test.opus"
    assert spoken.path.read_bytes()[:4] == b"OggS"
    decoded = tmp_path / "decoded.wav"
    subprocess.run(["opusdec", "--quiet", str(spoken.path), str(decoded)], check=True)
    assert abs(soxi_seconds(decoded) - spoken.seconds) < 0.1
    assert sox_stat(decoded)["RMS     amplitude"] > 0.01


def test_an_unknown_voice_is_refused_naming_the_setting(tmp_path: Path) -> None:
    track = Track(1, "test", "Test", ("Test.",), ())
    album = synth.Album("T", "P", 2026)
    with pytest.raises(synth.AudioEngineError, match=r"audio\.voice = 'xx-nowhere'"):
        synth.speak([track], AudioSettings(voice="xx-nowhere"), album, tmp_path)


def test_the_audio_settings_are_read_from_the_environment(tmp_path: Path) -> None:
    from complaints_code.settings import load_settings

    s = load_settings(environ={"COMPLAINTS_CODE_AUDIO__FORMAT": "opus",
                               "COMPLAINTS_CODE_AUDIO__SPEED": "140"}, cwd=tmp_path,
                      search=False)
    assert (s.audio.format, s.audio.speed, s.audio.extension) == ("opus", 140, ".opus")
    assert project_settings().audio.voice == "en-gb"
