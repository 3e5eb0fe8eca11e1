"""The part of the drop rule that needs only the answers, so a guest without an account is
held by the same rule as a signed-in person (who also has a baseline: see checkins.services).
"""

from care.catalogue import FEELINGS

LOW_FEELINGS = frozenset(key for key, _label, low in FEELINGS if low)
VERY_LOW = 2  # pleasantness at or below this, on the scale of 1 to 7, is a drop signal


def drop_reasons(
    *, pleasantness: int | None, feelings, wants_care: bool, usual: float | None = None
) -> list[str]:
    """Which drop rules the answers meet (DESIGN.md §2). Names only, never the answers."""
    reasons = []
    if pleasantness is not None and pleasantness <= VERY_LOW:
        reasons.append("very_low")
    if pleasantness is not None and usual is not None and pleasantness <= usual - 2:
        reasons.append("below_usual")
    if LOW_FEELINGS.intersection(feelings):
        reasons.append("low_feeling")
    if wants_care:
        reasons.append("asked_for_care")
    return reasons
