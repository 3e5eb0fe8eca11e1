"""What consent tells the apps above it, which it may not import."""

from django.dispatch import Signal

# The person withdrew their consent (`person`), sent before the withdrawal is written: sharing
# pauses and their own follow-ups stop.
consent_withdrawn = Signal()
