"""An association's own contacts (issue 25): the call, the visit, the e-mail it receives itself, recorded in the
back office as a request (channel « contact direct »), with its Annexe 3 origins, a follow-up date and, later, its
outcome — and the Annexe 3 table of every contact, per association and for the region."""
