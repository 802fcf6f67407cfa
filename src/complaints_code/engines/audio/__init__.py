"""The audio engine: the Code's speech text (:mod:`.speech`) and its
synthesis into audio files with espeak-ng, sox and opusenc (:mod:`.synth`)."""
