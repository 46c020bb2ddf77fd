package alidomaintest

import (
	"fmt"
	"net/http"

	"github.com/alidomain/alidomain/internal/catalog"
)

// shaped returns vals in the catalog's shape fs: every field present (its
// zero value when vals lacks it), objects and lists of objects
// ([]map[string]any) shaped recursively. A key of vals the catalog lacks
// panics, so that a state-aware answer cannot drift from the catalog.
func shaped(fs []*catalog.Field, vals map[string]any) map[string]any {
	out := make(map[string]any, len(fs))
	known := make(map[string]bool, len(fs))
	for _, f := range fs {
		known[f.Wire] = true
		v, ok := vals[f.Wire]
		switch {
		case f.Type == "object":
			m, _ := v.(map[string]any)
			out[f.Wire] = shaped(f.Fields, m)
		case f.Type == "array" && f.Elem == "object":
			list, _ := v.([]map[string]any)
			items := make([]any, 0, len(list))
			for _, it := range list {
				items = append(items, shaped(f.Fields, it))
			}
			out[f.Wire] = items
		case f.Type == "array" && !ok:
			out[f.Wire] = []any{}
		case ok:
			out[f.Wire] = v
		default:
			out[f.Wire] = zeroOf(f.Type)
		}
	}
	for k := range vals {
		if !known[k] {
			panic(fmt.Sprintf("alidomaintest: answer field %q is not in the catalog", k))
		}
	}
	return out
}

func zeroOf(typ string) any {
	switch typ {
	case "string":
		return ""
	case "boolean":
		return false
	case "float", "double":
		return 0.0
	}
	return int64(0)
}

// stateAnswer is a state-aware answer of c's action: vals in the
// catalog's shape, the request's RequestId, and for a page list the page
// the request asks for of the whole list vals holds.
func (s *Server) stateAnswer(c *actionCall, vals map[string]any) (any, *gatewayError) {
	a := catalogAction(c.action)
	m := shaped(a.Answer, vals)
	m["RequestId"] = c.reqID
	if a.Paging != nil {
		if err := s.page(m, a.Paging, c.p); err != nil {
			return nil, err
		}
	}
	return answer(m), nil
}

// secretParam reports whether the catalog marks the parameter name of
// action secret.
func secretParam(action, name string) bool {
	if a := catalogAction(action); a != nil {
		if p := a.Param(name); p != nil {
			return p.Secret
		}
	}
	return false
}

// errRefused answers a request the service refuses for the state it names
// (the real codes are undocumented: the gateway's InvalidParameter, naming
// the parameter, with why).
func errRefused(name, why string) *gatewayError {
	return &gatewayError{http.StatusBadRequest, "InvalidParameter",
		fmt.Sprintf("The specified parameter %q is not valid: %s.", name, why)}
}
