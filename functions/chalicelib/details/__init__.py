"""« Mes informations »: an association edits its own public details, and the edit becomes a pull request.

- ``yaml_block``: the edit of one association's block of ``data/associations.yaml``, every other byte untouched;
- ``check``: the edited file validated by the build's own model, with its French messages, before anything leaves;
- ``github``: the pull request, through GitHub's REST API (no git, no GitHub account for the association);
- ``page``: the back office's form ``/espace/mes-informations``.
"""
