"""routecheck names the route when the edge answers / with something other than the frontend's
page (a route to the backend Service), and passes a route that serves the page and the API."""

from deploykit.edge import routecheck


def test_a_route_to_the_frontend_has_no_finding(address):
    assert routecheck.route_findings(address, "todo") == []


def test_a_route_to_the_backend_is_named_for_every_path(address, stand_in_edge):
    stand_in_edge.routes_to_backend = True
    findings = routecheck.route_findings(address, "todo")
    assert [(f.subject, f.where) for f in findings] == [("HTTPRoute todo", "/"), ("HTTPRoute todo", "/signup"),
                                                        ("HTTPRoute todo", "/api/health")]
    assert "404 application/json" in findings[0].problem


def test_an_edge_that_does_not_answer_is_a_finding(address, stand_in_edge):
    stand_in_edge.shutdown()
    stand_in_edge.server_close()
    findings = routecheck.route_findings(address, "todo")
    assert findings and all("answered 0" in f.problem for f in findings)
