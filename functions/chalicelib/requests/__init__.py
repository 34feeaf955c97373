"""A request's domain types: the words of its life (``enums``: states, events, reasons, outcomes, channels, with
their French labels). The rules that move a request stay in ``chalicelib.lifecycle``; the stores keep it
(``chalicelib.store``, whose contract is ``chalicelib.store.base.Store``)."""
