class TransitionError(Exception):
    """A state change that the object's current state does not allow; the message is shown to the user."""
