"""Settings of the audio format (the ``[audio]`` section of
``complaints-code.toml``): the voice, its speed and the files' encoding."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .print import Section

AudioFormat = Literal["mp3", "opus"]


class AudioSettings(Section):
    """The spoken Code: one file a section, a playlist and a zip of both."""

    voice: str = Field(default="en-gb", pattern=r"^[a-z]{2,3}(-[a-z0-9]+)*(\+[a-z0-9]+)?$")
    """The espeak-ng voice (``espeak-ng --voices=en`` lists them): en-gb is
    British English; en-gb-x-rp (Received Pronunciation) and en-gb-scotland
    are other British voices. A variant may follow a plus, e.g. en-gb+f3."""
    speed: int = Field(default=160, ge=80, le=300)
    """Speaking speed in words a minute. 160 is a little slower than
    espeak-ng's 175, for listeners who take down numbers as they hear them."""
    format: AudioFormat = "mp3"
    """The files' encoding: mp3 (MPEG-1 Layer III, made by sox with LAME;
    plays on every phone, computer, car and DAISY player) or opus (Ogg Opus,
    made by opusenc; smaller, but older players cannot play it)."""
    bitrate: int = Field(default=48, ge=16, le=320)
    """Bit rate in kbit/s of the mono speech: 48 is plenty for a computer
    voice in MP3; Opus sounds the same at 24 to 32."""
    heading_pause_ms: int = Field(default=700, ge=0, le=5000)
    """The silence after a heading, in milliseconds."""
    paragraph_pause_ms: int = Field(default=400, ge=0, le=5000)
    """The silence between paragraphs, in milliseconds."""

    @property
    def extension(self) -> str:
        """The audio files' extension, with its dot."""
        return ".mp3" if self.format == "mp3" else ".opus"

    @property
    def media_type(self) -> str:
        """The audio files' media type."""
        return "audio/mpeg" if self.format == "mp3" else "audio/ogg; codecs=opus"
