"""How a send fails, in our own plain words (an exception's text may quote an address).

Kept apart from the senders so that Web Push, which imports no models, can raise them."""


class Permanent(Exception):
    """This channel will not work again as it is: it gets turned off, with this reason."""


class Failed(Exception):
    """This attempt failed; the next one may work."""
