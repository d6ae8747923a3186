"""The wotd Gradio app (`python -m ui.app`, `make app`); it calls the same library functions as the CLI."""

import os

# Before gradio is imported anywhere: no analytics, no version check, nothing leaves the machine.
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
