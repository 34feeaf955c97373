"""The functions' shape (issue 23, items 3 and 4), held by the code itself: domains in packages with few modules
left at chalicelib's root, every ``svc`` typed as the one FormService, no module reaching into another's private
names, and « store, then try to deliver » written once (FormService.deliver_or_defer)."""

from __future__ import annotations

import ast

from support_functions import FUNCTIONS

CHALICELIB = FUNCTIONS / "chalicelib"


def _modules() -> dict[str, ast.Module]:
    paths = [FUNCTIONS / "app.py", *sorted(CHALICELIB.rglob("*.py"))]
    return {p.relative_to(FUNCTIONS).as_posix(): ast.parse(p.read_text("utf-8")) for p in paths}


def test_the_root_of_chalicelib_keeps_the_settings_the_routing_the_service_and_the_command_line():
    root = sorted(p.name for p in CHALICELIB.glob("*.py"))
    assert root == ["__init__.py", "admin.py", "config.py", "routing.py", "service.py"]
    packages = {p.name for p in CHALICELIB.iterdir() if (p / "__init__.py").is_file()}
    assert {"intake", "requests", "mail", "reports", "jobs", "web", "backoffice"} <= packages


def test_every_route_is_in_a_blueprint_and_app_only_registers_them():
    app = _modules()["app.py"]
    decorators = [ast.unparse(d) for node in ast.walk(app) if isinstance(node, ast.FunctionDef)
                  for d in node.decorator_list]
    assert decorators and not [d for d in decorators if d.startswith("app.route")]
    assert sum("register_blueprint" in ast.unparse(node) for node in app.body) >= 3


def test_every_svc_parameter_is_the_form_service():
    untyped, typed = [], 0
    for name, tree in _modules().items():
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                for arg in node.args.posonlyargs + node.args.args + node.args.kwonlyargs:
                    if arg.arg == "svc":
                        if arg.annotation is None or ast.unparse(arg.annotation) != "FormService":
                            untyped.append(f"{name}:{node.lineno} {node.name}")
                        else:
                            typed += 1
    assert typed > 100   # the check sees them
    assert not untyped


def _overridden(node: ast.Attribute, tree: ast.Module) -> bool:
    """``super(...)._name`` inside a method that is itself ``_name``: a subclass calling the implementation it
    overrides (web/responses.Routes over Chalice's Blueprint), not a reach into someone else's privates."""
    if not (isinstance(node.value, ast.Call) and isinstance(node.value.func, ast.Name)
            and node.value.func.id == "super"):
        return False
    return any(isinstance(f, ast.FunctionDef) and f.name == node.attr and node in set(ast.walk(f))
               for f in ast.walk(tree))


def test_no_module_reaches_into_another_objects_private_names():
    found = []
    for name, tree in _modules().items():
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__") \
                    and not node.attr.endswith("_") and not (isinstance(node.value, ast.Name)
                                                             and node.value.id in ("self", "cls", "member")) \
                    and not _overridden(node, tree):
                found.append(f"{name}:{node.lineno} {ast.unparse(node)}")
            if isinstance(node, ast.ImportFrom) and any(a.name.startswith("_") and not a.name.startswith("__")
                                                        for a in node.names):
                found.append(f"{name}:{node.lineno} {ast.unparse(node)}")
    assert not found


def test_store_then_try_to_deliver_is_written_once():
    """A delivery that may fail after storing is caught in one place; everyone else calls deliver_or_defer."""
    catching = []
    for name, tree in _modules().items():
        for node in ast.walk(tree):
            if isinstance(node, ast.Try) and node.handlers:
                calls = [c for statement in node.body for c in ast.walk(statement)
                         if isinstance(c, ast.Call) and isinstance(c.func, ast.Attribute) and c.func.attr == "deliver"]
                if calls:
                    catching.append(name)
    assert catching == ["chalicelib/service.py"]
    callers = {name for name, tree in _modules().items() for node in ast.walk(tree)
               if isinstance(node, ast.Attribute) and node.attr == "deliver_or_defer"}
    assert {"chalicelib/service.py", "chalicelib/backoffice/liaison.py", "chalicelib/requests/actions.py"} <= callers



def test_every_domain_s_routes_can_be_served_by_more_than_one_app():
    """A plain chalice Blueprint registered by a second app (each test module serves its own) turns its POST routes
    into GET: every domain's routes are web.responses.Routes."""
    plain = [name for name, tree in _modules().items() for node in ast.walk(tree)
             if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "Blueprint"
             and name != "chalicelib/web/responses.py"]
    assert plain == []


def test_routes_serve_the_request_of_whichever_app_serves_them(tmp_path):
    """Two apps hold the same Routes (two test modules, one process): each is served its own routes, with their
    methods, and reads its own request — a plain Blueprint would answer the first app's POST as a GET and read
    the second app's request."""
    from chalice.test import Client
    from support_chalice import load_app
    from support_functions import Local
    first, second = load_app("aai_functions_app_structure_a"), load_app("aai_functions_app_structure_b")
    backends = Local(tmp_path)
    first.set_service(backends.service)
    try:
        for module in (first, second):
            with Client(module.app) as client:
                page = client.http.get("/ma-demande/AI-20261206-AAAAAA?sig=forged")
                assert page.status_code == 403 and "Ce lien" in page.body.decode()
                posted = client.http.post("/ma-demande/AI-20261206-AAAAAA", body=b"sig=forged&action=x",
                                          headers={"Content-Type": "application/x-www-form-urlencoded"})
                assert posted.status_code == 403   # a POST route, not a 405 of a route made GET
    finally:
        first.set_service(None)


def test_an_app_that_served_before_reads_its_own_request_again():
    """An app keeps its last request after answering: the routes must read the request of the app calling them
    now, not the last one any app saw (two test modules sharing a process made POSTs read a stale GET)."""
    from chalice import Chalice
    from chalice.test import Client
    from chalicelib.web.responses import Routes
    routes = Routes(__name__)

    @routes.route("/echo")
    def echo() -> dict[str, str]:
        return {"v": (routes.current_request.query_params or {}).get("v", "")}

    apps = [Chalice(app_name=f"echo{n}") for n in (1, 2)]
    for app in apps:
        app.register_blueprint(routes)
    for app, value in ((apps[0], "1"), (apps[1], "2"), (apps[0], "3")):
        with Client(app) as client:
            assert client.http.get(f"/echo?v={value}").json_body == {"v": value}
