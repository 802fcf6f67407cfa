"""The audio version's speech text: what the computer voice is given to say.

Exact strings for each kind of value (phone numbers, email and web addresses,
postcodes, times and ranges, dashes, the lexicon), both written straight into
text and referred to from the source, and the tracks made from the shipped
Code. No audio is made here (see test_audio_files.py)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from complaints_code.engines.audio import synth
from complaints_code.engines.audio.script import Script, SpeechDataError, Track, load_script
from complaints_code.engines.audio.speech import words_in
from complaints_code.settings import AudioSettings
from complaints_code.structure.model import Code
from complaints_code.structure.source import load
from tests.conftest import TEMPLATES


@pytest.fixture(scope="module")
def script() -> Script:
    return load_script(TEMPLATES / "audio")


@pytest.fixture(scope="module")
def tracks(script: Script, code: Code) -> dict[str, Track]:
    return {t.slug: t for t in script.tracks(code)}


def say(script: Script, text: str) -> str:
    return script.speech.text(text)


@pytest.mark.parametrize(("text", "spoken"), [
    ("020 8545 8200", "0 2 0, 8 5 4 5, 8 2 0 0"),
    ("0845 456 3040", "0 8 4 5, 4 5 6, 3 0 4 0"),
    ("0845-456-3040", "0 8 4 5, 4 5 6, 3 0 4 0"),
    ("01632 960123", "0 1 6 3 2, 9 6 0 1 2 3"),
    ("+44 20 8545 8200", "plus 4 4, 2 0, 8 5 4 5, 8 2 0 0"),
    ("Call 999 now", "Call 9 9 9, now"),
    ("text 18001 020 8545 8200", "text 1 8 0 0 1, 0 2 0, 8 5 4 5, 8 2 0 0"),
])
def test_phone_numbers_are_said_in_their_digit_groups(script: Script, text: str,
                                                     spoken: str) -> None:
    assert say(script, text) == spoken


def test_numbers_that_are_not_phone_numbers_are_left_as_numbers(script: Script) -> None:
    assert say(script, "within 48 hours, on 8 weeks and 2026") == \
        "within 48 hours, on 8 weeks and 2026"


@pytest.mark.parametrize(("text", "spoken"), [
    ("complaints@opus-telecoms.co.uk",
     "complaints, at opus hyphen telecoms, dot co dot uk"),
    ("customerservice@opus-telecoms.co.uk",
     "customer service, at opus hyphen telecoms, dot co dot uk"),
    ("Email contact@ofcom.org.uk.", "Email contact, at ofcom, dot org dot uk."),
    ("first.last_name@example.com", "first dot last underscore name, at example, dot com"),
    ("helpdesk@mail.example.gov.uk", "help desk, at mail dot example, dot gov dot uk"),
    ("info@ofcom.com", "info, at ofcom, dot com"),
])
def test_email_addresses_are_said_as_people_say_them_with_pauses_between_parts(
        script: Script, text: str, spoken: str) -> None:
    # Words run together are said apart ("customer service"), a pause
    # (comma) comes before "at" and before the ending, and the lexicon's
    # respellings ("Off-com") never reach an address a listener must type.
    assert say(script, text) == spoken


@pytest.mark.parametrize(("text", "spoken"), [
    ("www.opus-telecoms.co.uk", "www dot opus hyphen telecoms, dot co dot uk"),
    ("http://www.ofcom.org.uk/", "www dot ofcom, dot org dot uk"),
    ("see https://www.opus-telecoms.co.uk/complaints-code today",
     "see www dot opus hyphen telecoms, dot co dot uk, slash complaints hyphen code, today"),
    ("opus-telecoms.co.uk", "opus hyphen telecoms, dot co dot uk"),
    ("https://www.adr-scheme.org.uk/how/customerservice",
     "www dot adr hyphen scheme, dot org dot uk, slash how slash customer service"),
])
def test_web_addresses_are_said_without_the_scheme_with_dot_and_slash(
        script: Script, text: str, spoken: str) -> None:
    assert say(script, text) == spoken


@pytest.mark.parametrize(("text", "spoken"), [
    ("SW19 2TJ", "S W 1 9, 2 T J"),
    ("London SE1 9HA", "London S E 1, 9 H A"),
    ("EC1A 1BB", "E C 1 A, 1 B B"),
    ("GIR 0AA", "G I R, 0 A A"),
])
def test_postcodes_are_said_letter_by_letter(script: Script, text: str, spoken: str) -> None:
    assert say(script, text) == spoken


@pytest.mark.parametrize(("text", "spoken"), [
    ("0830 – 1730 Monday to Friday", "8:30 am to 5:30 pm Monday to Friday"),
    ("08:30–17:30", "8:30 am to 5:30 pm"),
    ("08:30 - 17:30", "8:30 am to 5:30 pm"),
    ("9am – 5.30pm", "9 am to 5:30 pm"),
    ("8:30 a.m. to 1 p.m.", "8:30 am to 1 pm"),
    ("12:00 – 00:00", "12 noon to midnight"),
    ("opens at 08:00", "opens at 8 am"),
    ("closes at 17:45", "closes at 5:45 pm"),
])
def test_times_are_said_with_am_and_pm_and_ranges_with_to(script: Script, text: str,
                                                         spoken: str) -> None:
    assert say(script, text) == spoken


@pytest.mark.parametrize(("text", "spoken"), [
    ("Mon–Fri", "Monday to Friday"),
    ("Mon-Fri", "Monday to Friday"),
    ("Monday–Saturday", "Monday to Saturday"),
    ("2–3 weeks", "2 to 3 weeks"),
    ("January–March", "January to March"),
    ("in 2025-2026", "in 2025 to 2026"),
])
def test_ranges_are_said_with_to(script: Script, text: str, spoken: str) -> None:
    assert say(script, text) == spoken


@pytest.mark.parametrize(("text", "spoken"), [
    ("complaints – all of them – matter", "complaints, all of them, matter"),
    ("complaints—all of them—matter", "complaints, all of them, matter"),
    ("Case re-open/Case Escalation", "Case re-open or Case Escalation"),
    ("• first point", "first point"),
    ("reached “deadlock”", "reached deadlock"),
    ("the 1º point", "the 1st point"),
    ("terms & conditions (see below)", "terms and conditions, see below"),
])
def test_dashes_slashes_bullets_and_quotes_are_said_naturally(script: Script, text: str,
                                                              spoken: str) -> None:
    assert say(script, text) == spoken


@pytest.mark.parametrize(("text", "spoken"), [
    ("Ofcom", "Off-com"),
    ("OFCOM and ofcom's", "Off-com and Off-com's"),
    ("the ADR body", "the A D R body"),
    ("adr", "adr"),
    ("Tel: 020 8545 8200", "Telephone: 0 2 0, 8 5 4 5, 8 2 0 0"),
    ("e.g. this", "for example this"),
])
def test_lexicon_words_are_replaced_whole(script: Script, text: str, spoken: str) -> None:
    assert say(script, text) == spoken


@pytest.mark.parametrize(("text", "spoken"), [
    ("Telephone 020 8545 8200 (0830 – 1730 Monday to Friday)",
     "Telephone 0 2 0, 8 5 4 5, 8 2 0 0. 8:30 am to 5:30 pm Monday to Friday"),
    ("call 0800 123 4567 (Mon–Sat 8am–8pm)",
     "call 0 8 0 0, 1 2 3, 4 5 6 7. Monday to Saturday 8 am to 8 pm"),
    ("call 0300 123 4567, 24 hours a day", "call 0 3 0 0, 1 2 3, 4 5 6 7. 24 hours a day"),
    ("Tel 020 7981 3040, 9am to 5pm", "Telephone 0 2 0, 7 9 8 1, 3 0 4 0. 9 am to 5 pm"),
    ("call 020 8545 8200, or write", "call 0 2 0, 8 5 4 5, 8 2 0 0, or write"),
])
def test_a_phone_number_and_its_hours_have_a_full_stop_between_them(
        script: Script, text: str, spoken: str) -> None:
    assert say(script, text) == spoken


@pytest.mark.parametrize(("text", "spoken"), [
    ("2a Southwark Bridge Road", "2a Sutherk Bridge Road"),
    ("Holborn and Keighley", "Hoebun and Keethly"),
    ("open 24 hrs", "open 24 hours"),
])
def test_place_names_and_abbreviations_are_in_the_lexicon(script: Script, text: str,
                                                          spoken: str) -> None:
    assert say(script, text) == spoken


# --- the text-normalisation table (engines/audio/normalise.py) ----------------

@pytest.mark.parametrize(("text", "spoken"), [
    ("We are here 24/7.", "We are here 24 hours a day, 7 days a week."),
    ("a 24 x 7 service", "a 24 hours a day, 7 days a week service"),
    ("open 24 / 7", "open 24 hours a day, 7 days a week"),
])
def test_round_the_clock_is_said_in_words(script: Script, text: str, spoken: str) -> None:
    assert say(script, text) == spoken


@pytest.mark.parametrize(("text", "spoken"), [
    ("by 31/12/2026", "by the 31st of December 2026"),
    ("from 1/2/2027", "from the 1st of February 2027"),
    ("on 03.04.27", "on the 3rd of April 2027"),
    ("until 2026-12-01", "until the 1st of December 2026"),
    ("on 22 March 2027", "on the 22nd of March 2027"),
    ("on 1st January", "on the 1st of January"),
    ("from 13 Sept 2027", "from the 13th of September 2027"),
    ("on December 31, 2026", "on December the 31st, 2026"),
    ("on 31/02/2026", "on 31/02/2026"),  # no such day: left as written
])
def test_dates_are_said_as_day_of_month_and_year(script: Script, text: str,
                                                spoken: str) -> None:
    assert say(script, text) == spoken


@pytest.mark.parametrize(("text", "spoken"), [
    ("costs £9.99 a month", "costs 9 pounds 99 a month"),
    ("a £1 fee", "a 1 pound fee"),
    ("£10.05", "10 pounds 5"),
    ("£25.50 credit", "25 pounds 50 credit"),
    ("£5.00", "5 pounds"),
    ("£0.50 or 50p or 1p", "50 pence or 50 pence or 1 penny"),
    ("£1,250", "1,250 pounds"),
    ("£2.5m", "2.5 million pounds"),
    ("£5–£10", "5 pounds to 10 pounds"),
    ("£20-30", "20 pounds to 30 pounds"),
    ("€15", "15 euros"),
])
def test_money_is_said_in_pounds_and_pence(script: Script, text: str, spoken: str) -> None:
    assert say(script, text) == spoken


@pytest.mark.parametrize(("text", "spoken"), [
    ("ticket #42", "ticket number 42"),
    ("see #7.", "see number 7."),
    ("No. 12", "number 12"),
])
def test_a_number_sign_is_said_number(script: Script, text: str, spoken: str) -> None:
    assert say(script, text) == spoken


@pytest.mark.parametrize(("text", "spoken"), [
    ("10 High St, London", "10 High Street, London"),
    ("write to 4 Church St.", "write to 4 Church Street."),
    ("St Mary's Road", "Saint Mary's Road"),
    ("in St Albans", "in Saint Albans"),
    ("Visit St Ives.", "Visit Saint Ives."),
    ("12 St John St", "12 Saint John Street"),
    ("St. Helens", "Saint Helens"),
    ("Old St station", "Old Street station"),
])
def test_st_is_street_after_a_name_and_saint_before_one(script: Script, text: str,
                                                       spoken: str) -> None:
    assert say(script, text) == spoken


@pytest.mark.parametrize(("text", "spoken"), [
    ("the 1º point", "the 1st point"),
    ("the 2ª stage", "the 2nd stage"),
    ("the 21ST day", "the 21st day"),
    ("the 3rd stage", "the 3rd stage"),
])
def test_ordinals_are_said_as_ordinals(script: Script, text: str, spoken: str) -> None:
    assert say(script, text) == spoken


@pytest.mark.parametrize(("text", "spoken"), [
    ("Mon–Fri", "Monday to Friday"),
    ("Mon - Sat", "Monday to Saturday"),
    ("Tues to Thurs", "Tuesday to Thursday"),
    ("Sat–Sun", "Saturday to Sunday"),
    ("Wednesday-Friday", "Wednesday to Friday"),
])
def test_day_ranges_are_said_in_full(script: Script, text: str, spoken: str) -> None:
    assert say(script, text) == spoken


@pytest.mark.parametrize(("text", "spoken"), [
    ("9am-5.30pm", "9 am to 5:30 pm"),
    ("0800 – 2000", "8 am to 8 pm"),
    ("10:00–14:00", "10 am to 2 pm"),
    ("9–5pm", "9 am to 5 pm"),
    ("1–5pm", "1 pm to 5 pm"),
    ("8am till noon", "8 am to 12 noon"),
    ("between 7.30am and 9pm", "between 7:30 am and 9 pm"),
])
def test_time_ranges_are_said_with_am_pm_and_to(script: Script, text: str,
                                                spoken: str) -> None:
    assert say(script, text) == spoken


def test_dates_are_said_the_british_way(script: Script) -> None:
    assert script.speech.date(dt.date(2026, 11, 25)) == "the 25th of November 2026"
    assert say(script, "from 2026-12-01") == "from the 1st of December 2026"


def test_contact_references_are_said_by_their_kind(tracks: dict[str, Track]) -> None:
    contact = tracks["contact-us"].paragraphs
    # A full stop, not one more comma, between the phone number and its hours.
    assert ("Telephone: 0 2 0, 8 5 4 5, 8 2 0 0. 8:30 am to 5:30 pm Monday to Friday "
            "excluding bank holidays.") in contact
    assert "Fax: 0 2 0, 8 5 4 5, 8 2 1 5." in contact
    assert "Email: customer service, at opus hyphen telecoms, dot co dot uk." in contact
    assert "In Writing: Opus Telecoms, Unit 4, 50 Windsor Avenue, London, S W 1 9, 2 T J." \
        in contact
    assert any("our website www dot opus hyphen telecoms, dot co dot uk, via the" in p
               and p.endswith("working hours, 8:30 am to 5:30 pm Monday to Friday excluding "
                              "bank holidays.") for p in contact)


def test_the_adr_section_says_the_regulator_s_details(tracks: dict[str, Track]) -> None:
    adr = tracks["adr"].paragraphs
    assert ("Off-com, Contact Centre, Riverside House, 2a Sutherk Bridge Road, London, "
            "S E 1, 9 H A.") in adr
    assert "Email: contact, at ofcom, dot org dot uk." in adr
    assert "Web site: www dot ofcom, dot org dot uk." in adr
    assert "Telephone: 0 2 0, 7 9 8 1, 3 0 4 0 or 0 8 4 5, 4 5 6, 3 0 4 0." in adr


def test_stage_rows_are_said_with_their_number_and_title(tracks: dict[str, Track]) -> None:
    stages = tracks["stages"].paragraphs
    assert len(stages) == 6
    assert stages[0].startswith("Stage 1: Request for complaint to be raised. You can")
    assert stages[4].startswith("Stage 5: Case re-open or Case Escalation. If after")
    assert "within 48 hours of your complaint" in stages[1]


def test_the_first_track_announces_title_provider_version_date_and_sections(
        tracks: dict[str, Track], code: Code) -> None:
    contents = tracks["contents"]
    assert contents.number == 1 and contents.name == "01-contents"
    assert contents.headings == ("Customer Complaints Code, from Opus Telecoms.",)
    assert contents.paragraphs[0] == "Version 1.0, effective from the 25th of November 2026."
    listed = [p for p in contents.paragraphs if p.startswith("Track ")]
    assert listed[0] == "Track 2: The Purpose of this Code."
    assert listed[1] == "Track 3: Complaint Handling and Dispute Resolution: Complaints."
    assert len(listed) == len(tracks) - 1
    assert "there are 9 tracks" in " ".join(contents.paragraphs)


def test_every_section_is_in_one_track_in_order_headings_first(
        tracks: dict[str, Track], code: Code) -> None:
    said = [h.rstrip(".") for t in tracks.values() for h in t.headings][1:]
    assert said == [s.title for s in code.sections]
    assert [t.number for t in tracks.values()] == list(range(1, len(tracks) + 1))
    # A main heading with no text of its own is said at the start of the next track.
    assert tracks["complaints"].headings == ("Complaint Handling and Dispute Resolution.",
                                             "Complaints.")


def test_a_phone_number_changed_in_the_source_reaches_the_speech(
        script: Script, source_text: str, tmp_path: Path) -> None:
    edited = tmp_path / "code.yaml"
    edited.write_text(source_text.replace("value: 020 8545 8200", "value: 020 8545 8300"),
                      encoding="utf-8")
    text = "\n".join(t.text for t in script.tracks(load(edited)))
    assert "0 2 0, 8 5 4 5, 8 3 0 0" in text
    assert "8 2 0 0" not in text


def test_spelt_runs_are_marked_to_be_said_character_by_character() -> None:
    track = Track(2, "x", "X", ("Contact.",), ("Fax: 0 2 0, 8 5 4 5. Write to S W 1 9, 2 T J.",))
    ssml = synth.ssml(track, AudioSettings())
    assert ('<say-as interpret-as="characters">020</say-as> , '
            '<say-as interpret-as="characters">8545</say-as><break time="300ms"/> Write') \
        in ssml
    assert '<say-as interpret-as="characters">2TJ</say-as><break time="300ms"/></p>' in ssml


def test_words_are_counted_as_spoken() -> None:
    assert words_in("Fax: 0 2 0, 8 5 4 5.") == 8


def test_a_lexicon_with_a_bad_entry_is_refused_naming_the_file(tmp_path: Path) -> None:
    (tmp_path / "lexicon.toml").write_text("[lexicon]\nOfcom = 3\n", encoding="utf-8")
    (tmp_path / "words.toml").write_text((TEMPLATES / "audio" / "words.toml").read_text())
    with pytest.raises(SpeechDataError, match=r"lexicon\.toml.*\[lexicon\].*in quotes"):
        load_script(tmp_path)
