"""The demo municipality (`flask devtrack demo`): builders used by that command only.

Nothing outside this package imports it except the command, inside its body, so the web
workers never load it (tests/test_architecture.py checks).
"""

from __future__ import annotations

# Everyone in the demo shares this password; it is printed and in the README. Demo only.
DEMO_PASSWORD = "demo-devtrack-mus"  # noqa: S105
DEMO_SIGNINS = (
    ("Administrator", "ida.lund@demo.devtrack.dk"),
    ("HR", "rasmus.aaberg@demo.devtrack.dk"),
    ("Leder (Dagtilbud Nord)", "joergen.hansen@demo.devtrack.dk"),
    ("Medarbejder (Dagtilbud Nord)", "frederik.froelich@demo.devtrack.dk"),
)
