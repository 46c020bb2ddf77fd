package alidomaintest

import (
	"net/http"
	"testing"
)

// Nothing is hand-listed without a check: every action with a state-aware
// handler is an action of the catalog, so a typo in the table cannot add an
// action the API does not have.
func TestActionTableIsInCatalog(t *testing.T) {
	for name := range actions {
		if catalogAction(name) == nil {
			t.Errorf("actions table: %s is not an action of the catalog", name)
		}
	}
}

// Every action of the catalog reaches a handler (none is InvalidAction.NotFound)
// and takes injected faults; an action outside the catalog stays unknown.
func TestEveryCatalogActionKnown(t *testing.T) {
	if n := len(apiCatalog.Actions); n != 132 {
		t.Fatalf("catalog has %d actions, want 132", n)
	}
	srv := newTestServer(t)
	c := newCaller(t, srv)
	for _, a := range apiCatalog.Actions {
		srv.Inject(a.Name, Throttle(1))
		c.apiErr(a.Name, call{}, http.StatusBadRequest, "Throttling.User")
		resp, body := c.do(a.Name, call{})
		if resp.StatusCode == http.StatusNotFound {
			t.Errorf("%s: %d %s", a.Name, resp.StatusCode, body)
		}
		if n := srv.Requests(a.Name); n != 2 {
			t.Errorf("%s: Requests = %d, want 2", a.Name, n)
		}
	}
	c.apiErr("QueryDomainListEverything", call{}, http.StatusNotFound, "InvalidAction.NotFound")
	defer func() {
		if recover() == nil {
			t.Error("Inject accepted an action outside the catalog")
		}
	}()
	srv.Inject("QueryDomainListEverything", Throttle(1))
}
