package alidomaintest

import (
	"github.com/alidomain/alidomain/internal/catalog"
)

// apiCatalog is every action of the API as data: the Server knows exactly
// these actions, checks their parameters and shapes their answers from it.
var apiCatalog = catalog.MustLoad()

// catalogAction returns the catalog's entry for action, or nil when the API
// has no such action (the gateway answers InvalidAction.NotFound).
func catalogAction(action string) *catalog.Action { return apiCatalog.Lookup(action) }

// knownAction reports whether the Server answers action: every action of the
// catalog does, with a state-aware handler (the actions table) or the
// generic, catalog-driven one.
func knownAction(action string) bool { return catalogAction(action) != nil }

// handlerFor returns the definition that serves action: its entry in the
// actions table, or the generic handler for any other catalog action.
func handlerFor(action string) actionDef {
	if d, ok := actions[action]; ok {
		return d
	}
	return actionDef{handle: (*Server).generic}
}
