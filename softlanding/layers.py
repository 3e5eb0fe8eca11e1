"""The layers of the project, lowest first. A module may import its own app and the apps of
lower layers, never a higher one; a lower app that must tell a higher one that something
happened sends a signal it owns (see docs/architecture.md, "Layers").

`softlanding/tests/test_layers.py` holds every module to this order."""

LAYERS: list[list[str]] = [
    ["lib"],  # helpers that touch no model
    ["vault"],  # encryption at rest, the key store
    ["consent"],  # the consent every intimate write asks for
    ["accounts"],  # the person, their settings, access tokens, submissions
    ["notify"],  # transport only: channels, the inbox, the one outbound path
    ["care"],  # the care catalogue, profiles, the drop rule on answers, crisis lines
    ["partners"],  # invites, connections, sharing, wishes, guest links, support contacts
    ["checkins"],  # encounters and check-ins
    ["alerts"],  # the drop watch (telling someone) and nudges
    ["followups"],  # the follow-up schedule and its dispatcher
    ["insights"],  # what a person's own check-ins show, computed when read, never stored
    ["privacy"],  # export, import, erasure, retention, backups
    ["softlanding"],  # the project: settings, URLs, the API, health
    ["bench"],  # measuring tools, above everything they measure
]


def layer_of(app: str) -> int | None:
    """The index of an app's layer; None for anything that is not one of ours."""
    for index, apps in enumerate(LAYERS):
        if app in apps:
            return index
    return None
