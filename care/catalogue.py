"""The built-in care catalogue. Keys are stable forever: profiles and logged care acts refer to them."""

from django.utils.translation import gettext_lazy as _

CATEGORIES = [
    ("body", _("Body")),
    ("closeness", _("Closeness")),
    ("words", _("Words")),
    ("space", _("Space")),
    ("later", _("Later")),
]

# (key, category, label, hint, self_care)
# fmt: off
ITEMS = [
    # Body
    ("water", "body", _("Water"), _("A glass of water within reach."), True),
    ("snack", "body", _("Something to eat"), _("A small snack to bring your energy back."), True),
    ("warmth", "body", _("Blanket or warmth"), _("A soft blanket, a hoodie or warm socks."), True),
    ("cool_air", "body", _("Cool air"), _("A fan or an open window to cool off."), True),
    ("shower", "body", _("Shower or bath"), _("Warm water to rinse off and settle."), True),
    ("bathroom", "body", _("Bathroom break"),
     _("A trip to the loo to pee and freshen up, no rush."), True),
    ("skin_care", "body", _("Wound or skin care"),
     _("A gentle look at marks or sore spots, and tending to them."), True),
    ("sleep", "body", _("Sleep or rest"),
     _("Lying down to rest, or sleeping if you need it."), True),
    ("warm_drink", "body", _("A warm drink"),
     _("Tea, cocoa or anything warm to wrap your hands around."), True),
    ("massage", "body", _("Lotion or massage"),
     _("Slow hands and a little lotion for tired muscles."), False),
    ("comfy_clothes", "body", _("Comfy clothes"),
     _("Soft, loose clothes you feel at home in."), True),
    ("show_clothes", "body", _("Out of show clothes"),
     _("Swap what you wore on camera for something that's just yours."), True),
    # Closeness
    ("cuddling", "closeness", _("Cuddling"),
     _("Curling up close for as long as it feels good."), False),
    ("holding_hands", "closeness", _("Holding hands"),
     _("A hand to hold, nothing more needed."), False),
    ("being_held", "closeness", _("Being held"),
     _("Arms around you, steady and unhurried."), False),
    ("stroking_hair", "closeness", _("Stroking hair"),
     _("Fingers moving slowly through your hair."), False),
    ("eye_contact", "closeness", _("Eye contact"),
     _("Looking at each other for a quiet moment."), False),
    ("lying_close", "closeness", _("Lying side by side"),
     _("Resting next to each other, touching or not."), False),
    ("something_to_hug", "closeness", _("Something to hug"),
     _("A pet, a pillow or a soft toy to hold close."), True),
    # Words
    ("reassurance", "words", _("Reassurance"),
     _("Hearing that you're cared about and nothing is wrong."), False),
    ("praise", "words", _("Praise"),
     _("Kind words about you and how it felt to be with you."), False),
    ("debrief", "words", _("What was fun?"), _("Talking through the best bits together."), False),
    ("next_time", "words", _("Planning next time"),
     _("Ideas for what to keep, try or change."), False),
    ("humour", "words", _("Humour"), _("Silly jokes and a bit of lightness together."), False),
    ("were_okay", "words", _("Tell me we're okay"),
     _("Hearing plainly that things between you are good."), False),
    ("thank_you", "words", _("Saying thank you"),
     _("A simple thank-you for the time you shared."), False),
    ("journaling", "words", _("Writing it down"),
     _("A few lines in a notebook about how you feel."), True),
    ("kind_self_talk", "words", _("Kind words to yourself"),
     _("Telling yourself what you would tell a good friend."), True),
    # Space
    ("quiet_together", "space", _("Quiet together"),
     _("Being near each other with no need to talk."), False),
    ("time_alone", "space", _("Time alone"),
     _("Some time on your own to land in your own way."), True),
    ("no_touch", "space", _("No touch for now"),
     _("A break from being touched, with no hard feelings."), False),
    ("step_away", "space", _("Step away from screens"),
     _("Close the laptop, put the phone down, leave the room."), True),
    ("fresh_air", "space", _("Fresh air"),
     _("A short walk, or a few minutes by an open door."), True),
    ("comfort_show", "space", _("A comfort show"),
     _("Something familiar to watch that asks nothing of you."), True),
    ("music", "space", _("Music"), _("A song or a playlist that helps you settle."), True),
    ("low_light", "space", _("Soft light"), _("Dimmer lights and less noise for a while."), True),
    # Later
    ("next_day_message", "later", _("Next-day message"),
     _("A few words the day after to ask how you're doing."), False),
    ("call", "later", _("A call"),
     _("Hearing each other's voice later on or the next day."), False),
    ("date_soon", "later", _("A date soon"),
     _("Something planned together, so you know when you'll meet."), False),
    ("message_friend", "later", _("Message a friend"),
     _("Reaching out to someone you trust, just to talk."), True),
    ("check_on_yourself", "later", _("Check on yourself"),
     _("Noticing how you feel a few hours on, and the next day."), True),
    ("easy_day", "later", _("An easy day after"),
     _("Keeping the next day gentle, with room to rest."), True),
]
# fmt: on

# Feeling words for check-ins: (key, label, low) — low ones can signal a drop.
FEELINGS = [
    ("calm", _("calm"), False),
    ("content", _("content"), False),
    ("close", _("close"), False),
    ("proud", _("proud"), False),
    ("playful", _("playful"), False),
    ("safe", _("safe"), False),
    ("grateful", _("grateful"), False),
    ("floaty", _("floaty"), False),
    ("tired", _("tired"), False),
    ("raw", _("raw"), True),
    ("empty", _("empty"), True),
    ("numb", _("numb"), True),
    ("tearful", _("tearful"), True),
    ("anxious", _("anxious"), True),
    ("lonely", _("lonely"), True),
    ("ashamed", _("ashamed"), True),
    ("irritable", _("irritable"), True),
    ("sad", _("sad"), True),
]

# A few gentle steps for grounding, one sentence each.
GROUNDING = [
    _("Put your feet flat on the floor and feel it holding you up."),
    _("Breathe in slowly through your nose, and let the breath out even more slowly."),
    _("Look around and name five things you can see, one at a time."),
    _("Notice four things you can touch, like fabric, skin or the cool side of a pillow."),
    _("Listen for three sounds, near or far, and just let them be there."),
    _("Wrap yourself in something soft or warm and stay there as long as you like."),
]
