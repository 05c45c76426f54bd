"""Lecture mode: one time cursor over a recording, stepping, playback, captions, files.

The cursor is the single source of truth for "which instant the panes show";
everything else here either moves it (keys, scrubber, playback, the chart) or
follows it (the panes, through one debounced path in :mod:`.controller`).
"""
