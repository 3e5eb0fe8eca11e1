"""What partners tells the apps above it, which it may not import."""

from django.dispatch import Signal

# Sent with `answer` (a GuestAnswer) inside the transaction that stored it, so whatever a
# receiver writes is kept or lost together with the answer.
guest_answered = Signal()
