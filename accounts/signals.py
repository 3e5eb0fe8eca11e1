"""What accounts tells the apps above it, which it may not import."""

from django.dispatch import Signal

# The person's time zone, quiet hours or follow-up offsets changed (`person`): what is still
# planned for them is planned again.
schedule_changed = Signal()
