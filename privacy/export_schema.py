"""The published shape of an export (GDPR art. 15 and 20): versioned, one JSON document.

These models are the schema: `docs/export-schema.json` is generated from them (a test keeps
the two in step), the export is validated against them before it is handed out, and an
import parses with them. Codes (UUIDs) link the parts to each other; nothing else does.
"""

import datetime as dt
import uuid

from pydantic import BaseModel, ConfigDict, Field

FORMAT = "softlanding-export"
VERSION = 1


class Part(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PersonPart(Part):
    email: str
    display_name: str
    pronouns: str
    time_zone: str
    declined_time_zone: str = ""
    country: str
    language: str
    quiet_hours_start: str
    quiet_hours_end: str
    follow_up_hours: list[int]
    tell_automatically: bool
    discreet_mode: bool
    quick_exit_signs_out: bool = True
    retention_months: int | None
    date_joined: dt.datetime


class ConsentPart(Part):
    version: int
    purposes: list[str]
    adult_confirmed: bool
    given_at: dt.datetime
    withdrawn_at: dt.datetime | None


class ProfilePart(Part):
    time_needed: str
    drop_signs: str
    drop_helps: str
    self_care: str
    boundaries: str
    ask_again_if_fine: bool
    next_day_checkin: bool
    completed_at: dt.datetime | None


class OwnItemPart(Part):
    code: uuid.UUID
    category: str
    label: str
    self_care: bool
    retired: bool


class PreferencePart(Part):
    item: str = Field(description="A catalogue key, or the code of one of your own items.")
    receive: str
    give: str


class EncounterPart(Part):
    code: uuid.UUID
    occurred_at: dt.datetime
    kind: str
    care_acts: list[str] = Field(description="Catalogue keys or codes of your own items.")
    note: str
    connections: list[uuid.UUID]


class CheckInPart(Part):
    code: uuid.UUID
    encounter: uuid.UUID | None
    encounter_kind: str = Field(
        "", description="The encounter's kind as you knew it; stays when it is no longer shared."
    )
    encounter_at: dt.datetime | None = Field(
        None, description="When the encounter happened, as you knew it."
    )
    created_at: dt.datetime
    pleasantness: int | None
    energy: int | None
    feelings: list[str]
    wants_care: bool
    fun: str
    next_time: str
    not_right: str
    need_now: str
    care_given: list[str] = Field(
        default_factory=list,
        description="The care you gave: catalogue keys or codes of your own items.",
    )
    shared: list[str]
    drop_reasons: list[str]


class FollowUpEventPart(Part):
    state: str
    reason: str
    due_at: dt.datetime | None
    at: dt.datetime


class FollowUpPart(Part):
    code: uuid.UUID
    encounter: uuid.UUID | None
    encounter_kind: str = Field(
        "", description="The encounter's kind as you knew it; stays when it is no longer shared."
    )
    encounter_at: dt.datetime | None = Field(
        None, description="When the encounter happened, as you knew it."
    )
    offset_hours: int
    due_at: dt.datetime
    state: str
    sent_at: dt.datetime | None
    answered_at: dt.datetime | None
    answered_ok: bool | None
    checkin: uuid.UUID | None
    events: list[FollowUpEventPart]


class SharedAnswerPart(Part):
    key: str
    label: str
    value: object


class SharedCheckInPart(Part):
    encounter: uuid.UUID
    created_at: dt.datetime
    answers: list[SharedAnswerPart]


class NextTimePart(Part):
    matches: list[str] = Field(description="Ideas you both picked.")
    their_words: list[str] = Field(description="Their own words they chose to share.")


class PlanPart(Part):
    they_can_give_you: list[str]
    you_can_give_them: list[str]
    their_boundaries: str


class ConnectionPart(Part):
    """Your side only: what you call them, what you share, and what they shared with you."""

    code: uuid.UUID
    created_at: dt.datetime
    ended_at: dt.datetime | None
    nickname: str
    share_profile: bool
    share_checkins: bool
    shared_answers: list[str]
    share_drop_alerts: bool
    share_insights: bool = False
    paused_at: dt.datetime | None
    shared_with_me: list[SharedCheckInPart]
    next_time_with_me: NextTimePart
    plan: PlanPart | None = Field(description="Only once both profiles are shared and done.")


class WishPart(Part):
    connection: uuid.UUID
    idea: str
    text: str
    shared: bool
    created_at: dt.datetime


class GuestLinkPart(Part):
    code: uuid.UUID
    nickname: str
    created_at: dt.datetime
    expires_at: dt.datetime
    answered_at: dt.datetime | None
    revoked_at: dt.datetime | None
    answer: dict | None


class SupportContactPart(Part):
    code: uuid.UUID
    name: str
    email: str
    reached_by: str = Field(description="'email' or 'url'; a notification URL is a secret.")
    may_tell: str
    verified_at: dt.datetime | None
    created_at: dt.datetime


class ChannelPart(Part):
    code: uuid.UUID
    kind: str
    label: str
    enabled: bool
    disabled_reason: str
    created_at: dt.datetime


class DeliveryPart(Part):
    channel: uuid.UUID
    notification: uuid.UUID
    status: str
    error: str
    attempts: int
    created_at: dt.datetime
    finished_at: dt.datetime | None


class NotificationPart(Part):
    code: uuid.UUID
    kind: str
    created_at: dt.datetime
    read_at: dt.datetime | None


class AlertRecipientPart(Part):
    name: str
    kind: str
    status: str
    told_at: dt.datetime | None


class AlertPart(Part):
    code: uuid.UUID
    checkin: uuid.UUID | None
    automatic: bool
    created_at: dt.datetime
    recipients: list[AlertRecipientPart]


class NudgePart(Part):
    code: uuid.UUID
    direction: str
    encounter: uuid.UUID
    connection: uuid.UUID
    created_at: dt.datetime


class AccessTokenPart(Part):
    name: str
    hint: str
    created_at: dt.datetime
    last_used_at: dt.datetime | None
    revoked_at: dt.datetime | None


class ExportDocument(Part):
    format: str = Field(FORMAT, description="Always 'softlanding-export'.")
    version: int = Field(VERSION, description="Raised when the shape changes.")
    exported_at: dt.datetime
    instance: str
    person: PersonPart
    consents: list[ConsentPart]
    profile: ProfilePart | None
    own_items: list[OwnItemPart]
    preferences: list[PreferencePart]
    encounters: list[EncounterPart]
    checkins: list[CheckInPart]
    followups: list[FollowUpPart]
    connections: list[ConnectionPart]
    wishes: list[WishPart]
    guest_links: list[GuestLinkPart]
    support_contacts: list[SupportContactPart]
    channels: list[ChannelPart]
    notifications: list[NotificationPart]
    deliveries: list[DeliveryPart]
    alerts: list[AlertPart]
    nudges: list[NudgePart]
    access_tokens: list[AccessTokenPart]


def json_schema() -> dict:
    schema = ExportDocument.model_json_schema()
    schema["$id"] = "https://softlanding.example/export-schema-v1.json"
    schema["title"] = "Soft Landing export, version 1"
    return schema
