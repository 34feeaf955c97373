"""A request's domain, in one place for whoever changes it: the words of its life (``enums``: states, events,
reasons, outcomes, channels, with their French labels), the request itself (``model``: ``Request``, typed, and
its conversion to and from storage) and the rules that move it (``lifecycle``: the states, the events, what is
due and when). The stores keep it (``chalicelib.store``, whose contract is ``chalicelib.store.base.Store``)."""
